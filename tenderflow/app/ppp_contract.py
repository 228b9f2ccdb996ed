"""A PPP contract's life after signing (workflows/ppp_contract.yaml) as a stream of the same
engine, log and audit as the procurements.

* :func:`start_contract` — ``tenderflow open ID --mode ppp_contract`` (or a scenario's
  ``procurements: [{id: ID, project: P, mode: ppp_contract}]``): the contract of procurement
  ``ID`` starts in ``signed`` with ``ContractStarted``, a copy of the procurement's project,
  award and signed contract as they stand; its stream is ``contract:ID``. Refused unless the
  procurement's contract is signed (rule contract.after_signing), which approve_financing
  re-decides, so that replay does too.
* :func:`contract_status_view` — what ``status contract:ID`` shows: the stage, the
  coordination parties (agreed, objecting, missing), financing, construction, completion,
  operation, suspensions, the end; the milestones (late and overdue ones flagged as of the
  time asked), the next milestone, payments with totals by kind; the variations (合同变更) and
  the owners' latest vote on the contract; the performance terms, the yearly evaluations
  (KPIs, survey, score, deduction) and a breach ground (two failed years running), revenue
  against plan by year, an open adjustment, the adjustments made and the return model
  re-estimated from actual revenue (:func:`contract_alerts` also feeds ``next``).

Fire, next and status are the procurement services' own: they find the contract by
``contract:ID`` through tenderflow.app.snapshots.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tenderflow.app.common import CONTRACT_MODE, contract_stream, stream_of
from tenderflow.app.project import check_start, record_start
from tenderflow.app.views import status_view
from tenderflow.domain.fold import State, empty_state
from tenderflow.errors import InputError, ProcurementNotFound
from tenderflow.workflow import engine

#: The guards the contract's start runs (approve_financing runs them again).
START_GUARDS = ("contract_procurement_signed",)
#: What the contract copies of the procurement it follows.
PROCUREMENT_FIELDS = ("id", "mode", "state", "version", "award", "contract")


def start_contract(services: Any, pid: str, project_id: str | None, actor: str,
                   at: datetime) -> tuple[str, str, int, int]:
    """Start the contract of procurement ``pid`` with ``services`` (the procurement services);
    ``project_id``, when given, must be the procurement's project. Returns the initial state,
    the event type, the stream version and the global sequence of the event recorded."""
    from tenderflow.app.snapshots import find_state

    defs = services.definitions(CONTRACT_MODE)
    recorded = services.recording_clock()
    with services.store.transaction() as tx:
        if not tx.head(stream_of(pid))[0]:
            raise ProcurementNotFound(f"no procurement {pid!r}: a contract starts from the "
                                      "procurement whose contract was signed",
                                      procurement=pid)
        proc = find_state(tx, pid, services.root)
        assert proc is not None  # the stream has events
        project = proc["project"]
        if project_id not in (None, project["id"]):
            raise InputError(f"procurement {pid} is of project {project['id']!r}, not "
                             f"{project_id!r}", field="project", expected=project["id"])
        if tx.head(contract_stream(pid))[0]:
            raise InputError(f"procurement {pid} already has a contract stream", field="id",
                             expected="a procurement without a contract stream")
        copied = {k: proc.get(k) for k in PROCUREMENT_FIELDS if proc.get(k) is not None}
        state = {**empty_state(pid), "state": defs.workflow.initial, "project": project,
                 "procurement": copied}
        check_start(defs, pid, state, START_GUARDS, at, actor)
        return record_start(services, tx, defs, contract_stream(pid), "ContractStarted",
                            {"mode": CONTRACT_MODE, "project": project,
                             "procurement": copied, "to": defs.workflow.initial}, at,
                            recorded, actor, what=f"contract of {pid}")


def contract_status_view(defs: engine.Definitions, pid: str, state: State, when: datetime
                         ) -> dict[str, Any]:
    """What ``status`` shows of a contract."""
    from tenderflow.domain.components.signoffs import party_label, signoff_view
    from tenderflow.domain.modes.ppp_contract.decisions import required_parties
    from tenderflow.domain.modes.ppp_contract.milestones import milestone_view
    from tenderflow.domain.modes.ppp_contract.performance import performance_view
    from tenderflow.domain.modes.ppp_contract.revenue import reestimate
    from tenderflow.domain.timeutil import local_date

    base = status_view(defs, pid, state, when)
    for key in ("parties", "bids", "eligibility", "reopens"):
        base.pop(key, None)
    coordination = signoff_view(state.get("signoffs") or {}, required_parties(state))
    coordination["labels"] = {p: {"zh": party_label(p, "zh"), "en": party_label(p, "en")}
                              for p in coordination["required"]}
    proc = state.get("procurement") or {}
    base.update(milestone_view(state, local_date(when)))
    base.update(performance_view(state))
    base.update({"revenues": state.get("revenues") or [], "adjustment": state.get("adjustment"),
                 "adjustments": state.get("adjustments") or [], "returns": reestimate(state),
                 "alerts": contract_alerts(state)})
    base.update({
        "kind": "contract",
        "procurement": {k: proc.get(k) for k in ("id", "mode", "state") if proc.get(k)},
        "contract": proc.get("contract"),
        "award": proc.get("award"),
        "coordination": coordination,
        **{k: state.get(k) for k in ("financing", "coordination_cleared", "construction",
                                     "completion", "operation", "suspension", "suspensions",
                                     "handover", "termination", "variations", "vote")},
    })
    return base


def contract_alerts(state: State) -> list[dict[str, Any]]:
    """What needs attention on a contract whatever the next step: the breach ground of two
    failed years running, an open adjustment (``next`` and ``status`` print them)."""
    from tenderflow.domain.modes.ppp_contract.performance import performance_view

    alerts = []
    breach = performance_view(state)["breach"]
    if breach:
        alerts.append({"kind": "performance_breach", "years": breach["years"],
                       "source": breach["source"]})
    if state.get("adjustment"):
        a = state["adjustment"]
        alerts.append({"kind": "adjustment_open", "year": a["year"],
                       "shortfall_ratio": a["shortfall_ratio"], "kinds": a["kinds"]})
    return alerts
