"""``audit replay``: re-decide every recorded step with the rules pinned when it was taken.

For each procurement stream the events are folded again from the start, with the same code
that folds them live (:func:`tenderflow.domain.state.fold`). Before each transition event —
one whose payload names a ``trigger`` — the engine decides that trigger again on the state
folded so far, with the event's recorded data, facts, business time and actor, and with the
workflow, parameters and calendar whose content hashes the event pins. Those definitions are
read from the ``definitions`` table by hash (and their bodies re-hashed), never from today's
``workflows/`` files, so a later edit of a mode or a parameter does not change history.

Reported per procurement:

* the first event the pinned rules would not have allowed: a guard's refusal (guard, rule,
  legal source, reason, numbers), a trigger not possible in the state or not allowed to the
  actor's role, data the pinned schema rejects, or a decision other than the recorded one
  (another event type, destination, or payload — the checks passed, the findings);
* supplier facts copied into an event that are not the registered profile at that time, or
  fiscal facts (``facts.fiscal``) that are not the region's data registered at that time;
* business time out of order: an event dated before the one before it, or later than its
  recording (beyond the clock skew), a late entry without its reason, or a submission recorded
  after its deadline without its receipt (tenderflow.domain.entry, with the pinned
  ``record.late_entry_after_days``);
* every difference between the replayed state and the stored projections (the snapshot and
  the ``procurements`` read model).

Replay reads through the store only and writes nothing.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tenderflow.audit.diff import describe, first_difference, written_alike
from tenderflow.audit.reading import UnreadableEvent, events_of
from tenderflow.audit.replay_credit import replay_credit
from tenderflow.audit.replay_pinned import PinnedDefinitionError, PinnedDefinitions
from tenderflow.audit.replay_readiness import readiness_problem
from tenderflow.audit.replay_registry import replay_registry
from tenderflow.errors import (
    InputError,
    InvalidTrigger,
    RoleNotAllowed,
    TenderflowError,
    TriggerRefused,
    status_note,
)
from tenderflow.store.canonical import canonical_json


@dataclass
class Violation:
    """The first recorded event the pinned rules would not have allowed."""

    stream_seq: int
    global_seq: int
    type: str
    kind: str  # refused not_possible role data differs facts definitions fold error
    message: str
    trigger: str | None = None
    occurred_at: str = ""
    actor: str = ""
    refusals: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @property
    def text(self) -> str:
        head = (f"#{self.stream_seq} {self.type}" + (f" ({self.trigger})" if self.trigger else "")
                + f" at {self.occurred_at} by {self.actor}: {self.message}")
        lines = [head]
        for r in self.refusals:
            note = status_note(r.get("status"), "en", r.get("source"))
            lines.append(f"    ✗ {r.get('guard') or r['rule']} [{r['rule']}]: {r['reason']} — "
                         f"{r['source']}" + (f" {note}" if note else ""))
        return "\n".join(lines)


@dataclass
class StreamReplay:
    """What replaying one stream found."""

    stream: str
    events: int = 0
    decided: int = 0
    state: str | None = None
    violation: Violation | None = None
    projection: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.violation is None and not self.projection

    def to_dict(self) -> dict[str, Any]:
        return {"stream": self.stream, "ok": self.ok, "events": self.events,
                "decided": self.decided, "state": self.state,
                "violation": self.violation.to_dict() if self.violation else None,
                "projection": self.projection}


@dataclass
class ReplayReport:
    streams: list[StreamReplay] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # not tied to one stream

    @property
    def ok(self) -> bool:
        return not self.problems and all(s.ok for s in self.streams)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "streams": [s.to_dict() for s in self.streams],
                "problems": self.problems}


def replay_stream(tx: Any, procurement: str, pinned: PinnedDefinitions | None = None,
                  rows: dict[str, Any] | None = None, *, kind: str = "procurement"
                  ) -> StreamReplay:
    """Fold and re-decide one procurement stream — or, with ``kind`` ``intake``, the intake of
    project ``procurement``; ``contract``, procurement ``procurement``'s contract (see
    :data:`OPENINGS`) — and compare with its stored
    projections.

    ``rows`` is the ``procurements`` read model by id, read once for a whole run (``replay``
    of every stream); without it the procurement's own row is read (an intake has none)."""
    from tenderflow.domain.state import empty_state, fold
    from tenderflow.workflow import engine

    pinned = pinned or PinnedDefinitions(tx)
    sid = f"{kind}:{procurement}"
    result = StreamReplay(sid)
    state = empty_state(procurement)
    last_defs = None
    try:
        events = list(events_of(tx, sid))
    except UnreadableEvent as exc:
        result.projection.append(f"not compared: {exc.message}")
        result.violation = Violation(0, 0, "", "unreadable", exc.message)
        return result
    previous_at: str | None = None
    for ev in events:
        result.events += 1
        payload = ev.payload
        if result.violation is None and not isinstance(payload, dict):
            result.violation = _violation(ev, "data", "the payload is not a JSON object")
        defs = unloadable = None
        if result.violation is None:
            try:  # once per event, for the time check and the decision
                defs = pinned.definitions(ev.pins) if ev.pins else None
            except PinnedDefinitionError as exc:
                unloadable = exc
            try:
                problem = _time_problem(ev, previous_at, state, defs)
            except TenderflowError:  # pinned definitions unreadable: reported below
                problem = None
            if problem:
                result.violation = _violation(ev, "time", problem)
        previous_at = ev.occurred_at
        if result.violation is None:
            try:
                if unloadable is not None:
                    raise unloadable
                if defs is not None:
                    last_defs = defs
                if ev.stream_seq == 1:
                    _check_opening(ev, defs, kind)
                    problem = readiness_problem(tx, ev) if kind == "procurement" else None
                    if problem:
                        raise _Mismatch("facts", problem)
                elif isinstance(payload.get("trigger"), str):
                    if defs is None:
                        raise PinnedDefinitionError("the transition event pins no definitions")
                    _check_facts(tx, ev, pinned)
                    decision = engine.decide(defs, procurement, state, payload["trigger"],
                                             payload.get("data"), payload.get("facts") or {},
                                             _time(ev.occurred_at), ev.actor,
                                             recorded_data=_stored_data(tx, ev))
                    result.decided += 1
                    if "late_entry" in payload:  # said by the person recording, not decided
                        decision.payload["late_entry"] = payload["late_entry"]
                    _compare(ev, state, decision)
            except _Mismatch as exc:
                result.violation = _violation(ev, exc.kind, exc.message)
            except TriggerRefused as exc:
                result.violation = _violation(
                    ev, "refused", f"the pinned rules refuse '{exc.context['trigger']}' in state "
                                   f"'{exc.context['state']}'",
                    [r.to_dict() for r in exc.refusals])
            except InvalidTrigger as exc:
                result.violation = _violation(ev, "not_possible", exc.message)
            except RoleNotAllowed as exc:
                result.violation = _violation(ev, "role", exc.message)
            except InputError as exc:
                result.violation = _violation(ev, "data", f"the recorded data does not match the "
                                                          f"pinned schema: {exc.message}")
            except PinnedDefinitionError as exc:
                result.violation = _violation(ev, "definitions", exc.message)
            except TenderflowError as exc:
                result.violation = _violation(ev, "error", f"cannot re-decide: {exc.message}")
        before = state.get("state")  # the fold applies in place: a failed event leaves it half
        try:
            state = fold(state, ev.type, payload, ev.occurred_at, ev.stream_seq)
        except Exception as exc:  # noqa: BLE001 - recorded data may be anything: say so, go on
            if result.violation is None:
                result.violation = _violation(
                    ev, "fold", f"this tenderflow cannot apply the event to the state "
                                f"({type(exc).__name__}: {exc}); an old event needs an upcaster")
            result.state = before
            result.projection.append(f"not compared: replay stopped at event {ev.stream_seq}")
            return result
    result.state = state.get("state")
    if result.events == 0:
        result.projection.append("the stream has no events")
        return result
    result.projection += _projection_differences(tx, sid, procurement, state, last_defs, rows)
    return result


def _stored_data(tx: Any, ev: Any) -> Any:
    """The trigger's data as stored (before any upcast): the shape the pinned workflow's
    schema accepted when the event was recorded. An event of a type no upcaster reads was
    not upcast: its payload is the stored one (the body is parsed only for the others)."""
    if ev.type in tx.events and not tx.events.get(ev.type).upcasters:
        return ev.payload.get("data")
    try:
        stored = json.loads(ev.body)["payload"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return ev.payload.get("data")  # unreadable bytes: audit verify reports them
    return stored.get("data") if isinstance(stored, dict) else None


def _time(text: Any) -> datetime:
    """``parse_time``, remembered for business times: a log repeats them (every copy of a
    procedure, every step of a day), and each event's is read up to three times."""
    from tenderflow.domain.timeutil import parse_time

    return _business_time(text) if isinstance(text, str) else parse_time(text)


@functools.lru_cache(maxsize=4096)
def _business_time(text: str) -> datetime:
    from tenderflow.domain.timeutil import parse_time

    return parse_time(text)


def _time_problem(ev: Any, previous_at: str | None, state: dict[str, Any],
                  defs: Any) -> str | None:
    """What is wrong with an event's business time, or None (DESIGN §4); ``defs``, the
    definitions the event pins (None: none, or they do not load — reported elsewhere)."""
    from datetime import timedelta

    from tenderflow.clock import CLOCK_SKEW
    from tenderflow.domain.entry import (
        LATE_AFTER,
        check_recorded_entry,
        submission_deadline,
    )
    from tenderflow.domain.timeutil import local_date, parse_time

    try:
        occurred, recorded = _time(ev.occurred_at), parse_time(ev.recorded_at)
    except InputError as exc:
        return f"unreadable time: {exc.message}"
    if previous_at is not None and occurred < _time(previous_at):
        return (f"dated {ev.occurred_at}, before the event before it ({previous_at}): business "
                f"time went back")
    if occurred > recorded + CLOCK_SKEW:
        return f"dated {ev.occurred_at}, later than its recording at {ev.recorded_at}"
    if defs is None or LATE_AFTER not in defs.params:  # pinned before the rule existed
        return None
    payload = ev.payload if isinstance(ev.payload, dict) else {}
    trigger = payload.get("trigger") if isinstance(payload.get("trigger"), str) else ""
    due = submission_deadline(trigger, state.get("deadlines") or {})
    days = defs.params.value(LATE_AFTER, local_date(occurred))
    return check_recorded_entry(occurred=occurred, recorded=recorded,
                                late_after=timedelta(days=int(days)), skew=CLOCK_SKEW,
                                recorded_entry=payload.get("late_entry"), trigger=trigger,
                                deadline=_time(due) if due else None)


class _Mismatch(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _violation(ev: Any, kind: str, message: str,
               refusals: list[dict[str, Any]] | None = None) -> Violation:
    return Violation(ev.stream_seq, ev.global_seq, ev.type, kind, message,
                     ev.payload.get("trigger") if isinstance(ev.payload, dict) else None,
                     ev.occurred_at, ev.actor, refusals or [])


#: Stream prefix → the event its stream opens with and what it is called: a procurement, a
#: project's intake (workflows/project.yaml), a contract (workflows/ppp_contract.yaml).
OPENINGS = {"procurement": ("ProcurementCreated", "procurement"),
            "intake": ("ProjectIntakeStarted", "project intake"),
            "contract": ("ContractStarted", "contract")}


def _check_opening(ev: Any, defs: Any, stream_kind: str = "procurement") -> None:
    opening, kind = OPENINGS[stream_kind]
    if ev.type != opening:
        raise _Mismatch("differs", f"a {kind} stream opens with {opening}, not {ev.type}")
    if defs is None:
        raise PinnedDefinitionError(f"{opening} pins no definitions")
    wf = defs.workflow
    if ev.payload.get("mode") != wf.mode:
        raise _Mismatch("differs", f"mode {ev.payload.get('mode')!r} but the pinned workflow is "
                                   f"{wf.mode!r}")
    if ev.payload.get("to") != wf.initial:
        raise _Mismatch("differs", f"opened in state {ev.payload.get('to')!r}; the pinned "
                                   f"workflow starts in {wf.initial!r}")


def _compare(ev: Any, before: dict[str, Any], decision: Any) -> None:
    payload = ev.payload
    if payload.get("from") != before.get("state"):
        raise _Mismatch("differs", f"recorded as leaving {payload.get('from')!r} but the "
                                   f"procurement was in {before.get('state')!r}")
    if decision.event_type != ev.type or decision.payload.get("to") != payload.get("to"):
        raise _Mismatch("differs", f"the pinned rules record {decision.event_type} → "
                                   f"{decision.payload.get('to')}, the log has {ev.type} → "
                                   f"{payload.get('to')}")
    if written_alike(decision.payload, payload):
        return
    found = first_difference(_plain(decision.payload), payload, "payload")
    if found is not None:
        raise _Mismatch("differs", "the recorded payload is not what the pinned rules decide: "
                                   + describe(found, "replayed", "recorded"))


def _check_facts(tx: Any, ev: Any, pinned: PinnedDefinitions) -> None:
    """Supplier profiles and a region's fiscal data copied into the event must be the
    registered ones at that time."""
    from tenderflow.audit.replay_fiscal import fiscal_facts_problem

    problem = fiscal_facts_problem(tx, ev)
    if problem:
        raise _Mismatch("facts", problem)
    facts = ev.payload.get("facts")
    if not isinstance(facts, dict) or not isinstance(facts.get("suppliers"), dict):
        return
    for supplier, profile in sorted(facts["suppliers"].items()):
        registered = pinned.profiles.profile_before(f"supplier:{supplier}", ev.global_seq)
        if registered is None:
            raise _Mismatch("facts", f"facts name supplier {supplier}, who was not registered "
                                     f"at that time")
        found = first_difference(registered, profile, f"facts.suppliers.{supplier}")
        if found is not None:
            raise _Mismatch("facts", "the supplier facts are not the registered profile at "
                                     "that time: " + describe(found, "registered", "recorded"))


def _plain(value: Any) -> Any:
    """As stored: JSON round trip (tuples become lists, and so on)."""
    return json.loads(canonical_json(value))


def _projection_differences(tx: Any, sid: str, procurement: str, state: dict[str, Any],
                            defs: Any, rows: dict[str, Any] | None = None) -> list[str]:
    from tenderflow.app.snapshots import stored_snapshot
    from tenderflow.workflow import engine

    out = []
    replayed = _plain(state)
    snap = stored_snapshot(tx, sid)  # the projection as stored
    if snap is None:
        out.append("no stored snapshot")
    else:
        version, stored = snap
        if version != state["version"]:
            out.append(f"snapshot version {version}, replayed {state['version']}")
        found = first_difference(replayed, stored, "snapshot")
        if found is not None:
            out.append(describe(found, "replayed", "stored"))
    if not sid.startswith("procurement:"):  # an intake or a contract has no row
        return out
    row = rows.get(procurement) if rows is not None else tx.procurement_row(procurement)
    if row is None:
        out.append("no row in the procurements read model")
        return out
    expected = {"project": (state.get("project") or {}).get("id"), "mode": state.get("mode"),
                "state": state.get("state"), "version": state["version"],
                "next_due": engine.next_due(defs.workflow, state) if defs else None}
    for name, value in expected.items():
        if getattr(row, name) != value:
            out.append(f"procurements.{name}: replayed {value!r}, stored {getattr(row, name)!r}")
    return out


def replay(store: Any, procurement: str | None = None, progress: Any = None, jobs: int = 1
           ) -> ReplayReport:
    """Replay one procurement (``ProcurementNotFound`` if it has no stream) or, without an
    id, every procurement and registry stream, and the read model's rows; ``jobs`` worker
    processes share the streams (:mod:`tenderflow.audit.replay_jobs`: the same report, in
    the same order)."""
    from tenderflow.app.common import candidate_streams
    from tenderflow.audit.replay_jobs import can_fork, replay_streams
    from tenderflow.errors import ProcurementNotFound

    report = ReplayReport()
    with store.reading() as tx:
        pinned = PinnedDefinitions(tx)
        if procurement is not None:
            found = [(s, rid) for s, rid in candidate_streams(procurement) if tx.head(s)[0]]
            if not found:
                raise ProcurementNotFound(
                    f"no procurement {procurement!r} (nor a project's intake)",
                    procurement=procurement)
            stream, rid = found[0]
            report.streams.append(replay_stream(tx, rid, pinned,
                                                kind=stream.partition(":")[0]))
            return report
        streams = tx.stream_ids()
        rows = {r.id: r for r in tx.procurement_rows()}  # once for the run, not per stream
        here = jobs <= 1 or len(streams) < 2 or not can_fork(store)
        if here:
            replayed = []
            for sid in streams:
                replayed.append(replay_any(tx, sid, pinned, rows))
                if progress is not None:
                    progress(1)
    if not here:  # after this transaction: the workers open their own
        replayed = list(replay_streams(store, streams, jobs, replay_any, progress))
    report.streams = [s for s in replayed if s is not None]
    known = {s.partition(":")[2] for s in streams if s.startswith("procurement:")}
    for row in rows.values():
        if row.id not in known:
            report.problems.append(f"the procurements read model lists {row.id} but there "
                                   f"is no stream procurement:{row.id}")
    return report


def replay_any(tx: Any, sid: str, pinned: PinnedDefinitions, rows: dict[str, Any]
               ) -> StreamReplay | None:
    """Replay stream ``sid`` as its kind is replayed (None for a kind replay does not judge)."""
    kind, _, rid = sid.partition(":")
    if kind == "procurement":
        return replay_stream(tx, rid, pinned, rows)
    if kind in ("intake", "contract"):
        return replay_stream(tx, rid, pinned, rows, kind=kind)
    if kind in ("project", "supplier"):
        return replay_registry(tx, sid, StreamReplay(sid))
    if kind in ("credit", "credit-asof", "fiscal"):
        return replay_credit(tx, sid, StreamReplay(sid), _violation)
    return None


def count_streams(store: Any) -> int:
    with store.reading() as tx:
        return len(tx.stream_ids())
