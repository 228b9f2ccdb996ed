"""Hypothesis stateful testing: random triggers, data and clock moves on every mode.

Each example run starts from a database holding the bundled examples' records and their
procurements just opened (every mode the examples cover). The rules then mix

* ``follow``: a step the examples recorded from the procurement's current state (so that runs
  get deep into the process: awards, failures, agreements);
* ``fire_random``: any trigger of the mode, by any role, with data drawn from the trigger's
  JSON Schema (values from pools of real ids, names and times near the clock);
* ``move_clock`` (forward by minutes to weeks, sometimes back) and ``tick``.

Invariants after every step: the snapshot (live state) equals the fold of the stream
(replayed state); no event after a final state; no award with fewer final quotations than
the minimum; no agreement record without an award; a refused command wrote nothing (events,
heads and snapshot unchanged) and was refused with a TenderflowError, never another
exception. At the end of each run every recorded step is decided again on the state it
follows.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tenderflow.app.procurement import Services
from tenderflow.domain.state import fold_all
from tenderflow.domain.timeutil import iso, parse_time
from tenderflow.errors import TenderflowError
from tenderflow.store.eventstore import EventStore
from tests.conftest import HISTORIC
from tests.reliability import integrity
from tests.reliability.reference import Reference, reference, register

MAX_EXAMPLES = 40
STEPS = 40
ROLES = ["staff:wang", "evaluator:刘专家", "supplier:S-CDJG", "supplier:S-HXJS",
         "system:tick", "auditor:zhao", "staff:li"]
TEXTS = ["管线迁改", "x", "雨季前必须完工", "", " ", "A" * 300]

_TEMPLATE: dict[str, Path] = {}


def template() -> Path:
    """A migrated SQLite file with the examples' records and procurements opened, copied
    for each run (cheaper than migrating again)."""
    if "db" not in _TEMPLATE:
        ref = reference()
        folder = Path(tempfile.mkdtemp(prefix="tf-stateful-"))
        store = EventStore(f"sqlite:///{folder / 'template.db'}")
        store.migrate()
        services = Services(store, entry=HISTORIC)
        register(services, ref)
        for pid, o in ref.opened.items():
            services.open_procurement(pid, o["project"], o["mode"], o["actor"],
                                      parse_time(o["at"]), o["options"])
        store.dispose()  # the last connection closing checkpoints the WAL into the file
        _TEMPLATE["db"] = folder / "template.db"
    return _TEMPLATE["db"]


def pools(ref: Reference) -> dict[str, list[Any]]:
    names = sorted({str(v) for steps in ref.steps.values() for s in steps
                    for v in _strings(s["data"])})
    return {"ids": sorted({s["id"] for s in ref.suppliers}) + ["S-NOBODY"],
            "strings": names[:200] + TEXTS}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if len(value) <= 200 else []
    if isinstance(value, list):
        return [x for v in value for x in _strings(v)]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _strings(v)]
    return []


def from_schema(schema: Any, pool: dict[str, list[Any]], clock: Any, depth: int = 0
                ) -> st.SearchStrategy[Any]:
    """Values for a (subset of) JSON Schema, biased towards plausible ones."""
    if not isinstance(schema, dict) or depth > 6:
        return st.none()
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return st.one_of([from_schema(s, pool, clock, depth + 1) for s in schema[key]])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object" or (kind is None and "properties" in schema):
        props = schema.get("properties", {})
        required = [k for k in schema.get("required", []) if k in props]
        return st.fixed_dictionaries(
            {k: from_schema(props[k], pool, clock, depth + 1) for k in required},
            optional={k: from_schema(v, pool, clock, depth + 1)
                      for k, v in props.items() if k not in required})
    if kind == "array":
        lo = int(schema.get("minItems", 0))
        return st.lists(from_schema(schema.get("items", {}), pool, clock, depth + 1),
                        min_size=lo, max_size=max(lo, min(int(schema.get("maxItems", 6)), 6)))
    if kind == "integer":
        return st.integers(int(schema.get("minimum", -5)), int(schema.get("maximum", 10**6)))
    if kind == "number":
        return st.integers(0, 10**6)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(
                lambda s: len(s) <= int(schema.get("maxLength", 10**6)))
        times = st.builds(lambda d, h: iso(clock + timedelta(days=d, hours=h)),
                          st.integers(-3, 30), st.integers(0, 23))
        return st.one_of(times, st.sampled_from(pool["ids"]), st.sampled_from(pool["strings"]))
    return st.one_of(st.none(), st.sampled_from(pool["strings"]))


class ProcurementMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ref = reference()
        self.pool = pools(self.ref)
        self.folder = Path(tempfile.mkdtemp(prefix="tf-machine-"))
        db = self.folder / "db.sqlite"
        shutil.copyfile(template(), db)
        self.url = f"sqlite:///{db}"
        self.services = Services(EventStore(self.url), entry=HISTORIC)
        self.pids = sorted(self.ref.opened)
        self.clock = min(parse_time(o["at"]) for o in self.ref.opened.values())
        self.counts = {"accepted": 0, "refused": 0}

    # --- helpers ------------------------------------------------------------------------
    def _footprint(self, pid: str) -> tuple[Any, ...]:
        with self.services.store.reading() as tx:
            return (tx.count_events(), tx.heads(), tx.snapshot(f"procurement:{pid}"),
                    [tuple(r) for r in tx.procurement_rows()])

    def _fire(self, pid: str, trigger: str, data: Any, actor: str, at: Any) -> None:
        before = self._footprint(pid)
        try:
            self.services.fire(pid, trigger, data, actor, at)
        except TenderflowError as exc:
            assert exc.exit_code in (1, 2, 3), exc
            assert self._footprint(pid) == before, f"refused {trigger} wrote something"
            self.counts["refused"] += 1
        else:
            self.counts["accepted"] += 1

    # --- rules --------------------------------------------------------------------------
    @initialize()
    def start(self) -> None:
        STATS["runs"] += 1

    @rule(data=st.data())
    def follow(self, data: Any) -> None:
        """A step the examples took from the current state of some procurement."""
        pid = data.draw(st.sampled_from(self.pids))
        state = self.services.state(pid)["state"]
        options = [s for s in self.ref.steps[pid] if s["from"] == state]
        if not options:
            return
        step = data.draw(st.sampled_from(options))
        at = parse_time(step["at"])
        if at > self.clock:
            self.clock = at
        self._fire(pid, step["trigger"], step["data"], step["as"], self.clock)

    @rule(data=st.data())
    def follow_again(self, data: Any) -> None:
        """(The examples' steps, twice as often as anything else: runs go deeper.)"""
        self.follow(data)

    @rule(data=st.data())
    def fire_random(self, data: Any) -> None:
        """Any trigger of the mode, by any role, with data drawn from its schema."""
        pid = data.draw(st.sampled_from(self.pids))
        wf = self.services.definitions(self.ref.opened[pid]["mode"]).workflow
        t = data.draw(st.sampled_from(wf.transitions))
        payload = data.draw(from_schema(t.schema, self.pool, self.clock)) if t.schema else None
        if isinstance(payload, dict) and data.draw(st.integers(0, 9)) == 0:
            payload["unknown_key"] = 1
        actor = data.draw(st.sampled_from(ROLES + [f"{r}:x" for r in t.roles]))
        self._fire(pid, t.trigger, payload, actor, self.clock)

    @rule(minutes=st.integers(-24 * 60, 21 * 24 * 60))
    def move_clock(self, minutes: int) -> None:
        self.clock += timedelta(minutes=minutes)

    @rule()
    def tick(self) -> None:
        before = self._footprint(self.pids[0])[0]
        fired = self.services.tick(self.clock)
        accepted = [f for f in fired if "version" in f]
        with self.services.store.reading() as tx:
            assert tx.count_events() == before + len(accepted)
        self.counts["accepted"] += len(accepted)

    # --- invariants ---------------------------------------------------------------------
    @invariant()
    def live_state_is_the_replayed_state(self) -> None:
        with self.services.store.reading() as tx:
            for pid in self.pids:
                snap = tx.snapshot(f"procurement:{pid}")
                assert snap is not None
                assert fold_all(pid, tx.read_stream(f"procurement:{pid}")) == snap[1]

    @invariant()
    def final_states_awards_and_agreements(self) -> None:
        with self.services.store.reading() as tx:
            for pid in self.pids:
                mode = self.ref.opened[pid]["mode"]
                defs = self.services.definitions(mode)
                terminal = set(defs.workflow.terminal)
                ended = awarded = None
                quotes: set[str] = set()
                method: dict[str, Any] = {}
                for ev in tx.read_stream(f"procurement:{pid}"):
                    assert ended is None, f"{pid}: {ev.type} after final state {ended}"
                    p = ev.payload
                    if p.get("trigger") == "approve_method":
                        method = p.get("data") or {}
                    if p.get("trigger") == "submit_final_quote":
                        quotes.add(p["data"]["supplier"])
                    if ev.type.startswith("Agreement") or "Agreement" in ev.type:
                        assert awarded, f"{pid}: {ev.type} without an award"
                    if ev.type == "ProcurementAwarded":
                        awarded = ev
                        if mode == "competitive_negotiation":
                            key = ("negotiation.after_tender_min"
                                   if method.get("ground") == "tender_failed"
                                   and method.get("finance_approval")
                                   else "negotiation.final_quotes_min")
                            minimum = int(defs.params.value(key, parse_time(ev.occurred_at)
                                                            .date()))
                            assert len(quotes) >= minimum, \
                                f"{pid}: awarded with {len(quotes)} final quotations"
                    if p.get("to") in terminal:
                        ended = p["to"]

    def teardown(self) -> None:
        self.final_states = [self.services.state(pid)["state"] for pid in self.pids]
        try:
            assert integrity.problems(self.url) == []
            assert integrity.redecide(self.url) == []
        finally:
            self.services.store.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)
            STATS["accepted"] += self.counts["accepted"]
            STATS["refused"] += self.counts["refused"]
            for state in self.final_states:
                REACHED[state] = REACHED.get(state, 0) + 1


STATS = {"runs": 0, "accepted": 0, "refused": 0}
REACHED: dict[str, int] = {}

ProcurementMachine.TestCase.settings = settings(
    max_examples=MAX_EXAMPLES, stateful_step_count=STEPS, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large])


class TestProcurementMachine(ProcurementMachine.TestCase):  # type: ignore[name-defined]
    @classmethod
    def tearDownClass(cls) -> None:
        print(f"\n[stateful] {STATS['runs']} runs of up to {STEPS} steps: "
              f"{STATS['accepted']} commands accepted, {STATS['refused']} refused; states at "
              f"the end: {dict(sorted(REACHED.items()))}")
        super().tearDownClass()
