"""What the open tender's events add to the state (beyond the state change): one applier per
event type. The committee, recusals, bonds and sealed offers are folded by the shared
components (:mod:`tenderflow.domain.components`).
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.components import bonds, committee, sealing
from tenderflow.domain.components.committee import candidate_of
from tenderflow.domain.components.common import local
from tenderflow.domain.fold import State, applies
from tenderflow.domain.modes.open_tender.evaluation import KIND
from tenderflow.domain.timeutil import parse_time


def _findings(payload: dict[str, Any]) -> dict[str, Any]:
    return payload.get("findings") or {}


def _names(payload: dict[str, Any]) -> dict[str, str]:
    profiles = (payload.get("facts") or {}).get("suppliers", {})
    return {sid: p.get("name", sid) for sid, p in profiles.items()}


@applies("PrequalificationPublished")
def _prequal_published(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    prequal = state.setdefault("prequal", {})
    prequal["attempts"] = int(prequal.get("attempts", 0)) + 1
    prequal["applications"] = {}
    prequal.pop("results", None)
    state["deadlines"]["prequal_sale_until"] = data["sale_until"]
    state["deadlines"]["prequal_application_deadline"] = data["application_deadline"]


@applies("PrequalificationApplicationSubmitted")
def _application(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state["prequal"]["applications"][data["supplier"]] = {
        "name": _names(payload).get(data["supplier"], data["supplier"]), "at": at,
        "documents": data.get("documents", [])}


@applies("PrequalificationCompleted", "PrequalificationRedoRequired")
def _prequal_results(state: State, payload: dict[str, Any], at: str) -> None:
    results = {r["supplier"]: {"passed": r["passed"], "reason": r.get("reason")}
               for r in payload["data"]["results"]}
    state["prequal"]["results"] = results
    if payload["to"] == "prequalified":
        state["prequal"]["passed"] = sorted(s for s, r in results.items() if r["passed"])
    for key in ("prequal_sale_until", "prequal_application_deadline"):
        state["deadlines"].pop(key, None)


@applies("TenderDocumentsIssued")
def _documents(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    if data.get("evaluation"):
        state["evaluation_method"] = data["evaluation"]
    state["documents"] = {"first_issued_on": local(at).isoformat(),
                          "bid_bond": data["bid_bond"], "sale_until": data["sale_until"],
                          "files": data.get("documents", [])}
    state["deadlines"]["sale_until"] = data["sale_until"]
    state["deadlines"]["bid_deadline"] = data["bid_deadline"]
    names = _names(payload)
    if data.get("suppliers"):
        state["invited"] = {s["id"]: {"name": names.get(s["id"], s["id"])}
                            for s in data["suppliers"]}
    if data.get("invitation_ground"):
        state["invitation"] = {"ground": data["invitation_ground"],
                               "justification": data.get("invitation_justification")}


@applies("ClarificationIssued")
def _clarification(state: State, payload: dict[str, Any], at: str) -> None:
    entry: dict[str, Any] = {"at": at, "summary": payload["data"]["summary"],
                             "documents": payload["data"].get("documents", [])}
    moved = _findings(payload).get("deadline_moved")
    if moved:
        state["deadlines"][moved["key"]] = moved["to"]
        entry["moved"] = moved
    state.setdefault("clarifications", []).append(entry)


@applies("BidSubmitted")
def _bid(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    sid = data["supplier"]
    sealing.seal(state, KIND, data, at)
    profile = payload.get("facts", {}).get("suppliers", {}).get(sid, {})
    state.setdefault("candidate_profiles", {})[sid] = candidate_of(sid, profile)
    previous = bonds.receive(state, sid, data["bond"], "transfer", at)
    if previous and previous.get("refund_due") and not previous.get("refunded_on"):
        # bidding again after a withdrawal: the withdrawn bid's bond is still to be refunded
        state["bonds"][sid]["withdrawn_bond"] = previous
    bid = {k: v for k, v in data.items() if k != "supplier"}
    bid.update({"name": _names(payload).get(sid, sid), "at": at})
    state.setdefault("bids", {})[sid] = bid


@applies("BidWithdrawn")
def _bid_withdrawn(state: State, payload: dict[str, Any], at: str) -> None:
    sid = payload["data"]["supplier"]
    state.get("bids", {}).pop(sid, None)
    sealed = state.get("sealed", {}).get(KIND, {}).pop(sid, None)
    state.get("candidate_profiles", {}).pop(sid, None)
    state.setdefault("withdrawn_offers", {}).setdefault(KIND, {})[sid] = {
        "at": at, "commitment": (sealed or {}).get("commitment")}
    bonds.withdrawn(state, payload, sid)


@applies("BidsOpened")
def _opened(state: State, payload: dict[str, Any], at: str) -> None:
    state["opened"] = {"at": at, "bidders": sorted(state.get("bids", {}))}


@applies("BidsUnsealed")
def _unsealed(state: State, payload: dict[str, Any], at: str) -> None:
    verdicts, reveals, opened = sealing.opening(state, payload, KIND, at)
    for sid, v in verdicts.items():
        if v["status"] != "valid":
            continue
        content = reveals[sid]["content"]
        opened[sid] = {"price": content["price"], "content": content, "compliant": True,
                       "at": at}
        state["bids"][sid]["price"] = content["price"]
    sealing.flag_abnormally_low(state, payload, KIND)


@applies("BidPriceExplained")
def _explained(state: State, payload: dict[str, Any], at: str) -> None:
    sealing.explain(state, KIND, payload["data"], at)


@applies("EvaluationCommitteeFormed")
def _committee(state: State, payload: dict[str, Any], at: str) -> None:
    committee.recuse(state, payload, at)
    state["committee"] = payload["data"]["members"]


@applies("CommitteeMembersAppointed")
def _appointed(state: State, payload: dict[str, Any], at: str) -> None:
    committee.appoint(state, "committee", payload, at)


@applies("ScoresSubmitted")
def _scores(state: State, payload: dict[str, Any], at: str) -> None:
    state.setdefault("scores", {})[payload["data"]["member"]] = payload["data"]["scores"]


@applies("AdjustmentsRecorded")
def _adjustments(state: State, payload: dict[str, Any], at: str) -> None:
    state["adjustments"] = payload["data"]["adjustments"]


@applies("EvaluationReported")
def _evaluation(state: State, payload: dict[str, Any], at: str) -> None:
    evaluation = payload.get("findings", {}).get("evaluation")
    if evaluation:
        state["recommendation"] = {**evaluation, "at": at}
    else:
        state.pop("recommendation", None)
    data = payload["data"]
    state["ranked"] = sorted(data["candidates"], key=lambda c: c["rank"])
    state["rejected"] = {r["supplier"]: r["reason"] for r in data.get("rejected", [])}
    state["withdrawn"] = {}
    state.pop("confirmation", None)


@applies("CandidatesPublicized", "ProvisionalResultPublicized")
def _publicized(state: State, payload: dict[str, Any], at: str) -> None:
    for key, value in _findings(payload).items():
        state["deadlines"][key] = value
    if payload["data"].get("draft_contract"):
        state["draft_contract"] = payload["data"]["draft_contract"]


def _next_answer_due(state: State) -> None:
    dues = [o["due"] for o in state.get("objections", {}).values()
            if o["status"] == "pending" and not o.get("overdue")]
    if dues:
        state["deadlines"]["objection_answer_due"] = min(dues, key=parse_time)
    else:
        state["deadlines"].pop("objection_answer_due", None)


@applies("TenderObjectionRaised")
def _objection(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("objections", {})[data["objection"]] = {
        "by": data["by"], "content": data["content"], "at": at,
        "due": _findings(payload)["answer_due"], "status": "pending"}
    _next_answer_due(state)


@applies("TenderObjectionAnswered")
def _answered(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    objection = state["objections"][data["objection"]]
    objection.update({"status": "upheld" if data["upheld"] else "dismissed",
                      "answer": data["answer"], "answered_at": at,
                      "late": parse_time(at) >= parse_time(objection["due"])})
    if data["upheld"]:
        for other in state["objections"].values():
            if other["status"] == "pending":
                other["status"] = "superseded"
        state["deadlines"].pop("publicity_until", None)
    _next_answer_due(state)


@applies("TenderObjectionAnswerOverdue")
def _overdue(state: State, payload: dict[str, Any], at: str) -> None:
    for objection in state.get("objections", {}).values():
        if objection["status"] == "pending" and parse_time(objection["due"]) <= parse_time(at):
            objection["overdue"] = True
    _next_answer_due(state)


@applies("CandidatePublicityEnded", "ProvisionalPublicityEnded")
def _publicity_ended(state: State, payload: dict[str, Any], at: str) -> None:
    state["deadlines"].pop("publicity_until", None)
    state["deadlines"].pop("provisional_publicity_until", None)


@applies("CandidateWithdrawn")
def _withdrawn(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("withdrawn", {})[data["supplier"]] = {
        "reason": data["reason"], "detail": data.get("detail"), "at": at}


@applies("AwardNoticeIssued")
def _award(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    previous = state.get("award")
    if payload["trigger"] == "award_next" and previous:
        state.setdefault("withdrawn", {})[previous["supplier"]] = {
            "reason": "did_not_sign", "detail": data["reason"], "at": at}
    sid = data["supplier"]
    bid = state.get("bids", {}).get(sid, {})
    rank = next((c["rank"] for c in state.get("ranked", []) if c["supplier"] == sid), None)
    state["award"] = {"supplier": sid, "name": bid.get("name", sid), "price": bid.get("price"),
                      "rank": rank, "at": at, "notice": data.get("notice")}
    state["deadlines"]["contract_deadline"] = _findings(payload)["contract_deadline"]
