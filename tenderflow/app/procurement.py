"""Application services: the only entry point for the CLI, the scenario runner and BDD steps.

Each command loads a stream's snapshot, decides with the engine, and appends the events with
the expected version, updating the snapshot and read models, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenderflow import clock
from tenderflow.app.common import (  # noqa: F401 - re-exported for the CLI and scenarios
    ACTOR_ROLES,
    PROJECT_MODE,
    candidate_streams,
    check_actor,
    load_parameters,
    stream_of,
    stream_of_state,
)
from tenderflow.app.fiscal_facts import project_facts
from tenderflow.app.project import readiness
from tenderflow.app.snapshots import (
    find_state,
    load_state,
    save_state,
    stored_snapshot,
)
from tenderflow.app.streams import ALERTS, STARTERS, VIEWS
from tenderflow.app.views import as_of, status_view
from tenderflow.domain.entry import LATE_AFTER, Entry, late_entry, submission_deadline
from tenderflow.domain.fold import State, empty_state
from tenderflow.domain.parameters import Parameters
from tenderflow.domain.timeutil import iso, local_date, parse_time
from tenderflow.errors import (
    ConcurrencyConflict,
    InputError,
    NotFound,
    ProcurementNotFound,
    TenderflowError,
)
from tenderflow.store.records import NewEvent, StoredEvent
from tenderflow.workflow import engine
from tenderflow.workflow.definitions import Workflow, load_workflow
from tenderflow.workflow.rulebook import load_rules

if TYPE_CHECKING:  # status/next read through sqlite3 without it (tenderflow.store.lite)
    from tenderflow.store.eventstore import EventStore, Tx


def load_calendar(tx: Tx | None = None) -> Any:
    """The working-day calendar decisions use, with the notices imported into the store read
    through ``tx`` (tenderflow.app.calendar.merged_calendar, cached on the calendar heads)."""
    from tenderflow.app.calendar import merged_calendar

    return merged_calendar(tx)


def services_for(store: EventStore, *, late_reason: str | None = None, receipt: str | None = None,
                 recording_clock: Callable[[], datetime] | None = None) -> Services:
    """The services the CLI and the features use: late steps recorded with ``late_reason``
    and, for a submission after its deadline, ``receipt`` (tenderflow.domain.entry); events
    recorded at ``recording_clock`` (default the wall clock)."""
    return Services(store, entry=Entry(reason=late_reason, receipt=receipt),
                    recording_clock=recording_clock)


@dataclass
class FireResult:
    procurement: str
    trigger: str
    from_state: str
    to_state: str
    event: str
    version: int
    global_seq: int
    guards: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"procurement": self.procurement, "trigger": self.trigger,
                "from": self.from_state, "to": self.to_state, "event": self.event,
                "version": self.version, "global_seq": self.global_seq,
                "guards": self.guards}


class Services:
    """Use cases over one store.

    Every command takes the business time it decides at from its caller (``at``); nothing
    here reads the wall clock but :func:`tenderflow.clock.now` for ``recorded_at``. ``entry``
    is what the person recording says of steps entered late (reason, receipt): see
    tenderflow.domain.entry."""

    def __init__(self, store: EventStore, *, definitions_root: Path | None = None,
                 entry: Entry | None = None,
                 recording_clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.root = definitions_root
        self.entry = entry
        # when an event is recorded (``recorded_at``): the wall clock, or a test's own clock
        self.recording_clock = recording_clock or _wall_clock

    def with_entry(self, entry: Entry | None) -> Services:
        """The same services over the same store, recording late steps with ``entry``."""
        return Services(self.store, definitions_root=self.root, entry=entry,
                        recording_clock=self.recording_clock)

    def late_entry_for(self, params: Parameters, when: datetime, recorded: datetime, *,
                       trigger: str = "", state: State | None = None,
                       what: str = "the step", entry: Entry | None = None
                       ) -> dict[str, str] | None:
        """The ``late_entry`` an event recorded at ``recorded`` must carry, or LateEntryRefused
        (every write path calls it: procurements, registrations, credit lists, calendars)."""
        days = params.value(LATE_AFTER, local_date(when))
        due = submission_deadline(trigger, (state or {}).get("deadlines") or {})
        return late_entry(occurred=when, recorded=recorded,
                          late_after=timedelta(days=int(days)), skew=clock.CLOCK_SKEW,
                          entry=entry or self.entry, trigger=trigger, what=what,
                          deadline=parse_time(due) if due else None)

    # --- definitions ----------------------------------------------------------------------
    def definitions(self, mode: str, ruleset: Any = None, tx: Tx | None = None
                    ) -> engine.Definitions:
        return engine.Definitions(load_workflow(mode, self.root), load_parameters(self.root),
                                  load_calendar(tx), ruleset, load_rules(self.root))

    def _judging(self, tx: Tx, state: State) -> engine.Definitions:
        """The definitions ``status`` and ``next`` judge the next steps with; in a final state
        there is no step to judge, and no working-day calendar is loaded (issue 17)."""
        wf = load_workflow(state["mode"], self.root)
        if state["state"] not in wf.terminal:
            return self.definitions(state["mode"], tx=tx)
        return engine.Definitions(wf, load_parameters(self.root), None, None,
                                  load_rules(self.root))

    def _pin(self, tx: Tx, defs: engine.Definitions) -> dict[str, str]:
        """The event's pins; each definition stored under its hash unless already there
        (hashes and bodies computed once per loaded definition: tenderflow.app.pinning)."""
        from tenderflow.app.pinning import definition_pins

        pins, rows = definition_pins(defs)
        tx.pin_definitions(rows)
        return pins

    # --- registration -------------------------------------------------------------------
    def register(self, kind: str, records: list[dict[str, Any]], actor: str,
                 at: datetime) -> dict[str, int]:
        """Record ``ProjectRegistered`` / ``SupplierRegistered`` (or ``…Updated``) events;
        an unchanged record writes nothing."""
        check_actor(actor)
        prefix, event = ("project", "Project") if kind == "projects" else ("supplier", "Supplier")
        counts = {"registered": 0, "updated": 0, "unchanged": 0}
        when, recorded = iso(at), self.recording_clock()
        params = load_parameters(self.root)
        with self.store.transaction() as tx:
            if kind == "suppliers":
                from tenderflow.app.registration import check_consortia

                check_consortia(records, lambda sid: self.profile(tx, "supplier", sid))
            for rec in records:
                sid = f"{prefix}:{rec['id']}"
                snap = stored_snapshot(tx, sid)
                if snap and snap[1] == rec:
                    counts["unchanged"] += 1
                    continue
                version = snap[0] if snap else 0
                etype = f"{event}{'ProfileUpdated' if snap else 'Registered'}"
                payload: dict[str, Any] = {"profile": rec}
                late = self.late_entry_for(params, at, recorded,
                                           what=f"{etype} of {rec['id']}")
                if late:
                    payload["late_entry"] = late
                tx.append(sid, version, [NewEvent(etype, payload, when, actor, {})],
                          iso(recorded))
                tx.save_snapshot(sid, version + 1, rec)
                counts["updated" if snap else "registered"] += 1
        return counts

    def profile(self, tx: Tx, kind: str, rid: str) -> dict[str, Any] | None:
        snap = stored_snapshot(tx, f"{kind}:{rid}")
        return snap[1] if snap else None

    def registered(self, kind: str, rid: str) -> dict[str, Any] | None:
        """The registered profile of a ``project`` or ``supplier``, or None."""
        with self.store.reading() as tx:
            return self.profile(tx, kind, rid)

    def exists(self, pid: str) -> bool:
        """Whether procurement (or intake) ``pid``, or contract ``contract:ID``, has events."""
        with self.store.reading() as tx:
            return any(tx.head(sid)[0] for sid, _ in candidate_streams(pid))

    # --- procurements -------------------------------------------------------------------
    def open_procurement(self, pid: str, project_id: str, mode: str, actor: str,
                         at: datetime, options: dict[str, Any] | None = None,
                         *, reopens: str | None = None, ground: str | None = None,
                         justification: str | None = None, approval: str | None = None
                         ) -> FireResult:
        """Open a procurement; with ``reopens`` it re-opens that failed procurement of the same
        project in a permitted mode, recording the link, the ``ground`` and, for a change of
        method, the ``approval`` (see tenderflow.domain.components.reopening). Modes ``project``
        and ``ppp_contract`` start a stream of their own (tenderflow.app.streams); any other mode
        opens only on a project ready to procure (rule project.ready_to_procure)."""
        check_actor(actor)
        from tenderflow.app.registration import ID_RE

        if not ID_RE.match(pid):
            raise InputError(f"procurement id {pid!r}", field="id",
                             expected="letters, digits, '.', '_' or '-'")
        if mode in STARTERS:
            return FireResult(pid, "open", "", *STARTERS[mode](self, pid, project_id, actor, at))
        from tenderflow.workflow.rulesets import ruleset_for_opening

        defs = self.definitions(mode, ruleset_for_opening(
            options, self.root, load_workflow(mode, self.root).data.get("ruleset")))
        variants = defs.workflow.data.get("variants") or {}
        if (options or {}).get("variant") is not None and options["variant"] not in variants:
            raise InputError(f"mode {mode} has no variant {options['variant']!r}",
                             field="options.variant", expected=" | ".join(variants) or
                             "no variant (this mode has none)")
        if reopens is None and (ground or approval or justification):
            raise InputError("a ground, justification or approval is given without the "
                             "procurement it re-opens", field="reopens",
                             expected="the id of the failed procurement")
        when, recorded = at, self.recording_clock()
        with self.store.transaction() as tx:
            project = self.profile(tx, "project", project_id)
            if project is None:
                raise NotFound(f"project {project_id!r} is not registered", project=project_id)
            sid = stream_of(pid)
            if any(tx.head(s)[0] for s, _ in candidate_streams(pid)):  # or an intake's id
                raise InputError(f"procurement {pid} already exists (or a project's intake "
                                 "has this id)", field="id", expected="a new procurement id")
            ready = readiness(tx, pid, project, when, defs.params, defs.rules, self.root)
            link = self._reopening(tx, pid, project_id, mode, reopens, ground, justification,
                                   approval, defs.params, when) if reopens is not None else None
            pins = self._pin(tx, defs)
            payload = {"mode": mode, "project": project, "options": options or {},
                       "to": defs.workflow.initial,
                       "ruleset": {"id": defs.ruleset.id, "version": defs.ruleset.version,
                                   "content_hash": defs.ruleset.content_hash}}
            if link:
                payload["reopens"] = link
            payload["readiness"] = ready
            late = self.late_entry_for(defs.params, when, recorded, what=f"opening {pid}")
            if late:
                payload["late_entry"] = late
            [stored] = tx.append(sid, 0, [NewEvent("ProcurementCreated", payload, iso(when),
                                                   actor, pins)], iso(recorded))
            from tenderflow.domain.state import fold
            state = fold(empty_state(pid), stored.type, stored.payload, stored.occurred_at, 1)
            save_state(tx, defs.workflow, pid, state, stored)
        return FireResult(pid, "open", "", defs.workflow.initial, "ProcurementCreated", 1,
                          stored.global_seq)

    def _reopening(self, tx: Tx, pid: str, project_id: str, mode: str, reopens: str,
                   ground: str | None, justification: str | None, approval: str | None,
                   params: Parameters, when: datetime) -> dict[str, Any]:
        from tenderflow.domain.components.reopening import RULE, reopening
        from tenderflow.errors import Refusal, TriggerRefused

        failed = find_state(tx, reopens, self.root)
        if failed is None:
            raise ProcurementNotFound(f"no procurement {reopens!r} to re-open",
                                      procurement=reopens)
        link, refusals = reopening(reopens, failed, mode, project_id, ground, justification,
                                   approval, params, local_date(when))
        for other_id in tx.procurement_ids_of_project(project_id):  # re-opened once
            other = find_state(tx, other_id, self.root)
            if other and (other.get("reopens") or {}).get("procurement") == reopens:
                refusals.append(Refusal(RULE, f"{reopens} was already re-opened as {other_id}",
                                        "政府采购法 第36、37条", {"successor": other_id}))
        if refusals or link is None:
            from tenderflow.workflow.rulebook import labelled

            raise TriggerRefused(pid, "open", f"re-opening {reopens}",
                                 labelled(refusals, params, rules=load_rules(self.root)))
        return link

    def _load(self, tx: Tx, pid: str) -> State:
        return load_state(tx, pid, self.root)

    def rebuild_snapshots(self) -> dict[str, Any]:
        """Rebuild every stale procurement or intake snapshot, one transaction each (run by
        ``tenderflow init``): ``rebuilt``, ``failed`` (id → why this code cannot fold it) and
        ``lagging`` (saved behind the head, left as they are): see
        :func:`tenderflow.app.snapshots.rebuild_stale`."""
        from tenderflow.app.snapshots import rebuild_stale

        return rebuild_stale(self.store, self.root)

    def _facts(self, tx: Tx, wf: Workflow, state: State, trigger: str, data: Any,
               at: datetime, where: str | None = None) -> dict[str, Any]:
        wanted: set[str] = set()
        for t in wf.by_trigger(trigger):
            if state["state"] in t.sources:
                wanted.update(t.facts)
        facts: dict[str, Any] = {}
        if "suppliers" in wanted and isinstance(data, dict):
            ids: list[str] = []
            if isinstance(data.get("suppliers"), list):
                ids += [s["id"] for s in data["suppliers"]
                        if isinstance(s, dict) and isinstance(s.get("id"), str)]
            if isinstance(data.get("supplier"), str):
                ids.append(data["supplier"])
            profiles = {}
            for sid in ids:
                prof = self.profile(tx, "supplier", sid)
                if prof is None:  # names the data file and field it came from
                    field = "with.supplier" if sid == data.get("supplier") else "with.suppliers"
                    place = f"{where}: " if where else ""
                    raise NotFound(f"{place}field '{field}': supplier {sid!r} is not registered"
                                   " (expected a registered supplier id)", supplier=sid,
                                   file=where, field=field)
                profiles[sid] = prof
            facts["suppliers"] = profiles
        facts.update(project_facts(tx, state, at, wanted))  # project, fiscal
        if "eligibility" in wanted:
            from tenderflow.app.eligibility_facts import eligibility_facts

            try:
                facts["eligibility"] = eligibility_facts(
                    tx, state, data, lambda sid: self.profile(tx, "supplier", sid), at)
            except (InputError, NotFound) as exc:  # name the data file the bad field came from
                if where and not exc.context.get("file"):
                    raise InputError(exc.message, file=where) from None
                raise
        if "procurements" in wanted and isinstance(data, dict):
            # other procurements the data names (keys "procurement" or "…_procurement"):
            # their mode, state, project and award as they stand now, copied for replay
            refs = [v for k, v in data.items() if isinstance(v, str)
                    and (k == "procurement" or k.endswith("_procurement"))]
            summaries = {}
            for ref in refs:
                other = find_state(tx, ref, self.root)
                if other is None:
                    raise NotFound(f"procurement {ref!r} does not exist", procurement=ref)
                summaries[ref] = {"mode": other["mode"], "state": other["state"],
                                  "project": other["project"]["id"],
                                  "award": other.get("award")}
            facts["procurements"] = summaries
        return facts

    def fire(self, pid: str, trigger: str, data: Any, actor: str, at: datetime,
             *, if_version: int | None = None, where: str | None = None,
             entry: Entry | None = None) -> FireResult:
        check_actor(actor)
        when, recorded = at, self.recording_clock()
        with self.store.transaction() as tx:
            state = self._load(tx, pid)
            if if_version is not None and state["version"] != if_version:
                raise ConcurrencyConflict(
                    f"{pid} is at version {state['version']}, you saw {if_version}: "
                    f"someone else acted first; look again with 'tenderflow status {pid}'",
                    procurement=pid, version=state["version"], expected=if_version)
            from tenderflow.workflow.rulesets import ruleset_of

            defs = self.definitions(state["mode"], ruleset_of(state, tx.definition), tx)
            facts = self._facts(tx, defs.workflow, state, trigger, data, when, where)
            decision = engine.decide(defs, pid, state, trigger, data, facts, when, actor,
                                     where=where)
            late = self.late_entry_for(defs.params, when, recorded, trigger=trigger,
                                       state=state, what=f"{pid} {trigger}", entry=entry)
            if late:
                decision.payload["late_entry"] = late
            pins = self._pin(tx, defs)
            [stored] = tx.append(stream_of_state(state), state["version"],
                                 [NewEvent(decision.event_type, decision.payload, iso(when),
                                           actor, pins)], iso(recorded))
            from tenderflow.domain.state import fold
            new_state = fold(state, stored.type, stored.payload, stored.occurred_at,
                             stored.stream_seq)
            save_state(tx, defs.workflow, pid, new_state, stored)
        return FireResult(pid, trigger, decision.payload["from"], new_state["state"], stored.type,
                          stored.stream_seq, stored.global_seq,
                          [r.to_dict() for r in decision.results])

    def record(self, pid: str, event_type: str, payload: dict[str, Any], actor: str,
               at: datetime, *, expected_version: int,
               check: Callable[[State], None] | None = None,
               definitions: dict[str, tuple[str, str, str, str]] | None = None) -> StoredEvent:
        """Append a record that is not a workflow transition (the agreement's documents) to a
        procurement's stream, in one transaction: load the state, refuse with
        ConcurrencyConflict if the stream moved past ``expected_version`` (what the caller
        decided on), run ``check(state)`` (it raises to refuse), pin the mode's definitions
        like a transition and the extra ``definitions`` (pin name → (hash, kind, name,
        canonical body)), append, fold and project."""
        check_actor(actor)
        with self.store.transaction() as tx:
            state = self._load(tx, pid)
            if state["version"] != expected_version:
                raise ConcurrencyConflict(
                    f"{pid} is at version {state['version']}, the {event_type} was prepared at "
                    f"{expected_version}: someone else acted first; retry",
                    procurement=pid, version=state["version"], expected=expected_version)
            if check is not None:
                check(state)
            defs = self.definitions(state["mode"], tx=tx)
            recorded = self.recording_clock()
            late = self.late_entry_for(defs.params, at, recorded, what=f"{pid} {event_type}")
            if late:
                payload = {**payload, "late_entry": late}
            pins = self._pin(tx, defs)
            for name, (digest, kind, def_name, body) in (definitions or {}).items():
                tx.pin_definition(digest, kind, def_name, body)
                pins[name] = digest
            [stored] = tx.append(stream_of_state(state), state["version"],
                                 [NewEvent(event_type, payload, iso(at), actor, pins)],
                                 iso(recorded))
            from tenderflow.domain.state import fold
            new_state = fold(state, stored.type, stored.payload, stored.occurred_at,
                             stored.stream_seq)
            save_state(tx, defs.workflow, pid, new_state, stored)
        return stored

    def state(self, pid: str) -> State:
        with self.store.reading() as tx:
            return self._load(tx, pid)

    def states(self, pids: Iterable[str] | None = None) -> dict[str, State]:
        """The states of the procurements ``pids`` (default: every procurement) at their
        heads, read in one transaction through the same loading as :meth:`state` (a snapshot
        folded by other code is rebuilt, never trusted); ids with no procurement are left out."""
        out: dict[str, State] = {}
        with self.store.reading() as tx:
            wanted = (list(pids) if pids is not None else
                      [sid.split(":", 1)[1] for sid in tx.stream_ids(stream_of(""))])
            for pid in wanted:
                try:
                    out[pid] = self._load(tx, pid)
                except ProcurementNotFound:
                    continue
        return out

    def status(self, pid: str, at: datetime | None = None) -> dict[str, Any]:
        """The procurement as it stands at ``at`` (default: its last recorded business time,
        so the same record gives the same answer on any day)."""
        with self.store.reading() as tx:
            state = self._load(tx, pid)
            defs = self._judging(tx, state)
        view = VIEWS.get(state["mode"], status_view)
        return view(defs, pid, state, at or as_of(state))

    def next(self, pid: str, at: datetime | None = None, actor: str | None = None
             ) -> dict[str, Any]:
        with self.store.reading() as tx:
            state = self._load(tx, pid)
            defs = self._judging(tx, state)
        when = at or as_of(state)
        return {"id": pid, "state": state["state"], "version": state["version"],
                "as_of": iso(when), "triggers": engine.possible(defs, pid, state, when, actor),
                **({"alerts": ALERTS[state["mode"]](state)} if state["mode"] in ALERTS else {})}

    def tick(self, at: datetime, actor: str = "system:tick") -> list[dict[str, Any]]:
        """Fire every timer due by ``at``, each at its due time; running it twice fires
        nothing more. A timer fired after it fell due is recorded as a late entry whose reason
        says so (the law counts the due time, not the time tick ran)."""
        when = at
        fired: list[dict[str, Any]] = []
        # Only the procurements whose earliest timer (the read model's next_due, written with
        # every step) is due by ``at`` are loaded: reading every row and loading every one
        # with a timer pending made each tick cost as much as the whole register (issue 17).
        with self.store.reading() as tx:
            due_ids = [pid for pid, due in tx.pending_timers() if parse_time(due) <= when]
        for pid in due_ids:
            for _ in range(20):  # a state may have several timers due in turn
                state = self.state(pid)
                wf = self.definitions(state["mode"]).workflow
                due = [(t, d) for t, d in engine.due_timers(wf, state) if d <= when]
                if not due:
                    break
                trigger, due_at = due[0]
                # a timer fires at its due time, or — when the record moved on after it fell
                # due (a pause, a step recorded since) — at the record's last time: business
                # time never goes back
                fire_at = max(due_at, as_of(state))
                reason = f"计时事项 {trigger} 于 {iso(due_at)} 到期，计时执行于 {iso(when)}"
                try:
                    result = self.fire(pid, trigger, None, actor, fire_at,
                                       if_version=state["version"],
                                       entry=Entry(reason=reason))
                except ConcurrencyConflict:
                    continue
                except TenderflowError as exc:
                    fired.append({"procurement": pid, "trigger": trigger,
                                  "due": iso(due_at), "refused": exc.message})
                    break
                fired.append({**result.to_dict(), "due": iso(due_at)})
        return fired


def _wall_clock() -> datetime:
    return clock.now()
