"""What competitive negotiation's events add to the state: one applier per event type, over the
shared components (committee, bonds, sealing).
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.components import bonds, committee, sealing
from tenderflow.domain.components.challenges import pending_question
from tenderflow.domain.components.committee import candidate_of
from tenderflow.domain.components.common import local
from tenderflow.domain.fold import State, applies
from tenderflow.domain.modes.negotiation.decisions import FINAL


@applies("NegotiationMethodApproved")
def _method(state: State, payload: dict[str, Any], at: str) -> None:
    state["method"] = dict(payload["data"])


@applies("NegotiatingGroupFormed")
def _group(state: State, payload: dict[str, Any], at: str) -> None:
    state["group"] = payload["data"]["members"]
    committee.recuse(state, payload, at)


@applies("GroupMembersAppointed")
def _appointed(state: State, payload: dict[str, Any], at: str) -> None:
    committee.appoint(state, "group", payload, at)


@applies("SuppliersInvited")
def _candidates(state: State, payload: dict[str, Any], at: str) -> None:
    profiles = payload.get("facts", {}).get("suppliers", {})
    for s in payload["data"]["suppliers"]:
        state.setdefault("candidate_profiles", {})[s["id"]] = candidate_of(s["id"],
                                                                   profiles.get(s["id"], {}))
    committee.recuse(state, payload, at)


@applies("NegotiationDocumentsIssued")
def _documents(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("deadlines", {})["response_deadline"] = data["response_deadline"]
    state["documents_issued_on"] = local(at).isoformat()
    state["negotiation_documents"] = {k: data[k] for k in ("tie_break", "bond_amount") if k in data}


@applies("ResponseSubmitted")
def _response(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("responses", {})[data["supplier"]] = {
        "at": at, "documents": data.get("documents", [])}
    if data.get("bond"):
        bonds.receive(state, data["supplier"], data["bond"]["amount"],
                      data["bond"].get("form", "transfer"), at)


@applies("ResponseWithdrawn")
def _withdrawn(state: State, payload: dict[str, Any], at: str) -> None:
    sid = payload["data"]["supplier"]
    response = state.setdefault("responses", {}).pop(sid, None)
    state.setdefault("withdrawn_offers", {}).setdefault("response", {})[sid] = {
        "at": at, "documents": (response or {}).get("documents", [])}
    bonds.withdrawn(state, payload, sid)


@applies("NegotiationRoundRecorded")
def _round(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("rounds", []).append({
        "round": data.get("round"), "at": at, "met": data["met"],
        "changes": data["changes"], "notified": data.get("notified", []),
        "documents": data.get("documents", [])})
    for item in data.get("excluded", []):
        state.setdefault("excluded", {})[item["supplier"]] = item["reason"]


@applies("FinalQuotationsRequested")
def _final_requested(state: State, payload: dict[str, Any], at: str) -> None:
    state.setdefault("deadlines", {})["final_quote_deadline"] = payload["data"]["deadline"]


@applies("FinalQuotationSubmitted")
def _final_quote(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    sealing.seal(state, FINAL, data, at)
    state.setdefault("final_quotes", {})[data["supplier"]] = {"sealed_at": at}


@applies("FinalQuotationsOpened")
def _opened(state: State, payload: dict[str, Any], at: str) -> None:
    verdicts, reveals, offers = sealing.opening(state, payload, FINAL, at)
    for sid, v in verdicts.items():
        if v["status"] != "valid":
            continue
        r = reveals[sid]
        offers[sid] = {"price": r["content"]["price"], "content": r["content"],
                       "compliant": bool(r["meets_substantive_requirements"]),
                       "reason": r.get("reason", ""), "at": at}
        state["final_quotes"][sid].update(price=r["content"]["price"],
                                          compliant=offers[sid]["compliant"])
    sealing.flag_abnormally_low(state, payload, FINAL)


@applies("LowPriceExplained")
def _explained(state: State, payload: dict[str, Any], at: str) -> None:
    sealing.explain(state, FINAL, payload["data"], at)


@applies("CandidatesRecommended")
def _recommended(state: State, payload: dict[str, Any], at: str) -> None:
    state["recommendation"] = {**payload["findings"]["ranking"], "at": at}


@applies("ProcurementAwarded")
def _awarded(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    offer = state.get("offers", {}).get(FINAL, {}).get(data["supplier"], {})
    state["award"] = {"supplier": data["supplier"], "price": offer.get("price"), "at": at}
    findings = payload.get("findings", {})
    periods = findings.get("periods", {})
    state.setdefault("deadlines", {}).update(periods)
    refunds = findings.get("bond_refunds_due")
    if refunds:
        for sid, due in refunds["due"].items():
            bonds.refund_falls_due(state, sid, due, refunds["basis"])


@applies("ObjectionRaised")
def _objection(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("challenges", []).append({"supplier": data["supplier"],
                                               "grounds": data["grounds"], "at": at})


@applies("ObjectionAnswered")
def _answered(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    pending = pending_question(state)
    if pending is not None:
        pending.update(answer=data["answer"], upheld=bool(data["upheld"]), answered_at=at,
                       **({"in_time": payload["findings"]["answer"]["in_time"]}
                          if "answer" in payload.get("findings", {}) else {}))
    if data["upheld"]:
        _withdraw_award(state)
        offers = state.get("offers", {}).get(FINAL, {})
        for c in data.get("corrections", []):
            offers[c["supplier"]].update(compliant=bool(c["meets_substantive_requirements"]),
                                         reason=c.get("reason", ""))
            state["final_quotes"][c["supplier"]]["compliant"] = \
                bool(c["meets_substantive_requirements"])


def _withdraw_award(state: State) -> None:
    """An upheld question or complaint withdraws the award and the recommendation."""
    state.pop("award", None)
    state.pop("recommendation", None)
    for key in ("result_publicity_until", "objection_until", "contract_by"):
        state.get("deadlines", {}).pop(key, None)


@applies("ComplaintDecided")
def _complaint_decided(state: State, payload: dict[str, Any], at: str) -> None:
    """A complaint upheld with a new evaluation withdraws the award (the question's record and
    the complaint's are folded by tenderflow.domain.components.challenges)."""
    if payload["data"].get("remedy") == "re_evaluate":
        _withdraw_award(state)
