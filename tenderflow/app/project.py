"""A renovation project's intake (workflows/project.yaml) as a stream of the same engine, log
and audit as the procurements, and its link to them.

* :func:`start_intake` — ``tenderflow open ID --mode project`` (or a scenario's
  ``procurements: [{id: ID, mode: project}]``): the intake of the registered project ``ID``
  starts in ``drafted`` with ``ProjectIntakeStarted``, a copy of the project record as it
  stands; its stream is ``intake:ID``. Refused for a community built after the renovation
  policy's year (project.built_by_year), as its steps are.
* :func:`readiness` — what ``open`` of a procurement requires of its project (rule
  ``project.ready_to_procure``): an intake in state ``ready``, or, for a project with no
  intake, the filing it got before tenderflow recorded in its registration
  (``filing: {number, date, authority, document_sha256?}``). Neither: refused (fail closed).
  What was found is recorded in ``ProcurementCreated`` (``readiness``) and shown by status.
* :func:`project_status_view` — what ``status`` shows of an intake: the coordination
  parties (agreed, objecting, missing), the consultation, vote, filing, funding, intention.

Fire, next and status are the procurement services' own: they find the intake by the
project's id (or ``project:ID``) through tenderflow.app.snapshots.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tenderflow.app.common import PROJECT_MODE, intake_stream, stream_of
from tenderflow.app.views import status_view
from tenderflow.domain.fold import State, empty_state
from tenderflow.domain.timeutil import iso, local_date
from tenderflow.errors import InputError, NotFound, Refusal, TriggerRefused
from tenderflow.store.records import NewEvent
from tenderflow.workflow import engine

if TYPE_CHECKING:  # not imported to run: status, next and list read through sqlite3
    # (tenderflow.store.lite, issue 17)
    from tenderflow.store.eventstore import Tx

READY_RULE = "project.ready_to_procure"
READY_SOURCE = "国办发〔2020〕23号 三; 政府投资条例 第9、11条; 财库〔2020〕10号"
READY_STATE = "ready"
#: The guards the intake's start runs (they run again at the steps, re-decided by replay).
START_GUARDS = ("project_community_eligible",)


def start_intake(services: Any, pid: str, project_id: str | None, actor: str,
                 at: datetime) -> tuple[str, str, int, int]:
    """Start the intake of registered project ``pid`` with ``services`` (the procurement
    services: tenderflow.app.procurement.Services); ``project_id``, when given, must be the
    same id: a project has one intake, named by its id. Returns the initial state, the event
    type, the stream version and the global sequence of the event recorded."""

    if project_id not in (None, pid):
        raise InputError(f"a project's intake has the project's id: {pid!r} is not "
                         f"{project_id!r}", field="id", expected=f"{project_id}")
    defs = services.definitions(PROJECT_MODE)
    recorded = services.recording_clock()
    with services.store.transaction() as tx:
        project = services.profile(tx, "project", pid)
        if project is None:
            raise NotFound(f"project {pid!r} is not registered", project=pid)
        if tx.head(intake_stream(pid))[0]:
            raise InputError(f"project {pid} already has an intake", field="id",
                             expected="a project without an intake")
        if tx.head(stream_of(pid))[0]:
            raise InputError(f"{pid} is a procurement's id: a project's intake takes its "
                             "project's id, which must not be a procurement's", field="id")
        state = {**empty_state(pid), "state": defs.workflow.initial, "project": project}
        check_start(defs, pid, state, START_GUARDS, at, actor)
        return record_start(services, tx, defs, intake_stream(pid), "ProjectIntakeStarted",
                            {"mode": PROJECT_MODE, "project": project,
                             "to": defs.workflow.initial}, at, recorded, actor,
                            what=f"intake of {pid}")


def record_start(services: Any, tx: Any, defs: engine.Definitions, stream: str,
                 event_type: str, payload: dict[str, Any], at: datetime, recorded: datetime,
                 actor: str, *, what: str) -> tuple[str, str, int, int]:
    """Record the first event of a stream that is not a procurement's (an intake, a contract)
    with the definitions' pins and, when it is recorded late, its late entry; fold it and save
    the read model. Returns the initial state, the event type, the stream version and the
    global sequence."""
    from tenderflow.app.snapshots import save_state

    pid = stream.partition(":")[2]
    late = services.late_entry_for(defs.params, at, recorded, what=what)
    if late:
        payload = {**payload, "late_entry": late}
    [stored] = tx.append(stream, 0, [NewEvent(event_type, payload, iso(at), actor,
                                              services._pin(tx, defs))], iso(recorded))
    from tenderflow.domain.state import fold

    new = fold(empty_state(pid), stored.type, stored.payload, stored.occurred_at, 1)
    save_state(tx, defs.workflow, pid, new)
    return defs.workflow.initial, stored.type, 1, stored.global_seq


def check_start(defs: engine.Definitions, pid: str, state: State, guards: tuple[str, ...],
                at: datetime, actor: str) -> None:
    """Run the ``guards`` a stream's start decides (an intake's, a contract's) on the state it
    would start with; any refusal is TriggerRefused on ``open``, nothing written."""
    from tenderflow.domain.rules import GuardContext, evaluate
    from tenderflow.domain.state import GUARDS
    from tenderflow.workflow.rulebook import labelled

    ctx = GuardContext(procurement=pid, state=state, data={}, facts={}, at=at, actor=actor,
                       params=defs.params, calendar=defs.calendar, trigger="open")
    refusals = [r.refusal for r in evaluate(GUARDS, list(guards), ctx)
                if r.refusal is not None]
    if refusals:
        raise TriggerRefused(pid, "open", "-", labelled(refusals, defs.params,
                                                        rules=defs.rules))


def intake_of(tx: Tx, project_id: str, root: Any = None) -> State | None:
    """The project's intake state, or None if it has none."""
    from tenderflow.app.snapshots import find_state

    if not tx.head(intake_stream(project_id))[0]:
        return None
    return find_state(tx, f"project:{project_id}", root)


def readiness(tx: Tx, pid: str, project: dict[str, Any], at: datetime, params: Any,
              rules: Any, root: Any = None) -> dict[str, Any]:
    """The evidence that ``project`` is ready for procurement ``pid`` to open on it at ``at``,
    or TriggerRefused with rule project.ready_to_procure."""
    from tenderflow.workflow.definitions import load_workflow
    from tenderflow.workflow.rulebook import labelled

    intake = intake_of(tx, project["id"], root)
    if intake is not None and intake["state"] == READY_STATE:
        return {"via": "intake", "state": READY_STATE, "version": intake["version"],
                "ready_at": (intake.get("ready") or {}).get("at"),
                "filing": {k: v for k, v in (intake.get("filing") or {}).items()}}
    filing = project.get("filing")
    if intake is None and filing and filing["date"] <= local_date(at).isoformat():
        return {"via": "recorded_filing", "filing": dict(filing)}
    if intake is None and filing:
        reason = (f"project {project['id']}'s recorded filing {filing['number']} is dated "
                  f"{filing['date']}, after {local_date(at).isoformat()}: it cannot show the "
                  "project ready when the procurement opens")
        numbers = {"project": project["id"], "filing_date": filing["date"]}
    elif intake is not None:
        wf = load_workflow(PROJECT_MODE, root)
        label = wf.label(intake["state"])
        reason = (f"project {project['id']} is not ready to procure: its intake is "
                  f"{intake['state']} ({label}); it must be {READY_STATE} "
                  f"({wf.label(READY_STATE)})")
        numbers = {"project": project["id"], "state": intake["state"]}
    else:
        reason = (f"project {project['id']} is not ready to procure: it has no intake "
                  f"(tenderflow open {project['id']} --mode project) and its registration "
                  "records no filing made before tenderflow (filing: {number, date, "
                  "authority})")
        numbers = {"project": project["id"], "state": None}
    refusal = Refusal(READY_RULE, reason, READY_SOURCE, numbers, guard="project_ready")
    raise TriggerRefused(pid, "open", "-", labelled([refusal], params, rules=rules))


def project_status_view(defs: engine.Definitions, pid: str, state: State, when: datetime
                        ) -> dict[str, Any]:
    """What ``status`` shows of a project's intake."""
    from tenderflow.domain.components.signoffs import party_label, signoff_view
    from tenderflow.domain.modes.project.decisions import required_parties

    base = status_view(defs, pid, state, when)
    for key in ("parties", "bids", "award", "eligibility", "reopens", "deadlines"):
        base.pop(key, None)
    project = state["project"]
    coordination = signoff_view(state.get("signoffs") or {}, required_parties(state))
    coordination["labels"] = {p: {"zh": party_label(p, "zh"), "en": party_label(p, "en")}
                              for p in coordination["required"]}
    base.update({
        "kind": "project",
        "project": {k: project.get(k) for k in (
            "id", "name", "community", "city", "district", "built_year", "buildings", "units",
            "households", "floor_area", "region", "estimated_investment")
            if project.get(k) is not None},
        "coordination": coordination,
        "consultation": state.get("consultation"),
        "vote": state.get("vote"),
        "filing": state.get("filing"),
        "funding": state.get("funding"),
        "intention": state.get("intention"),
        "ready": state.get("ready"),
        "returns": returns_view(project),
    })
    return base


def returns_view(project: dict[str, Any]) -> dict[str, Any] | None:
    """The return model of a project whose record has a ``returns`` section: the headline
    figures and the years (amounts as decimal strings in yuan); None without one. A record
    the model cannot read gives its error instead of figures (nothing is guessed)."""
    from tenderflow.domain.finance.inputs import project_inputs
    from tenderflow.domain.finance.returns import compute_returns
    from tenderflow.errors import InputError

    if not project.get("returns"):
        return None
    try:
        r = compute_returns(project_inputs(project))
    except InputError as exc:
        return {"error": exc.message}
    loan = r.inputs.loan
    return {
        "figures": r.figures(),
        "investment": str(r.inputs.investment),
        "loan": {"amount": str(loan.amount), "rate_percent": str(loan.rate * 100),
                 "years": loan.years, "grace_years": loan.grace_years,
                 "repayment": loan.method} if loan else None,
        "years": [{"year": y.year, "revenue": str(y.total_revenue), "costs": str(y.costs),
                   "net": str(y.net), "cumulative": str(y.cumulative),
                   "debt_service": str(y.debt.payment) if y.debt else None,
                   "dscr": str(y.dscr) if y.dscr is not None else None} for y in r.years],
    }
