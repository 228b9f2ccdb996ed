"""OCDS release packages with the PPP profile (``audit export --format ocds``).

Longer than 500 lines: on purpose, it is one job, the whitelist of what each event makes
public — the table below and one handler per row — which an auditor reviews as a whole.

Each procurement is one contracting process (``ocid`` = prefix + procurement id). Its events
are folded in order with the live code; an event that makes something **public** produces a
release carrying everything public about the process at that moment (planning, tender,
awards, contracts, parties with their roles). The mapping is a whitelist: an event type not in
:data:`PUBLISHES` publishes nothing, and only the fields named below are read from it, so a
sealed offer, an evaluator's notes or a bond reference never reach an export.

============================  ==================  =====================================================
event                         tag                 what becomes public
============================  ==================  =====================================================
ProcurementCreated            planning            the project: budget, PPP project, buyer
PrequalificationPublished     tender              a selective tender, the prequalification period
TenderDocumentsIssued         tender              the tender notice: method, period to the bid deadline
NegotiationDocumentsIssued    tender              competitive negotiation: ground, period
EntrustmentPublicized         tender              a direct entrustment: its ground, the entity (pending)
ClarificationIssued           tenderAmendment     the clarification's summary, a moved deadline
ResponsesClosed               tenderUpdate        how many suppliers responded (not who)
BidsOpened, BidsUnsealed      tenderUpdate        bidders and bid prices read out at the opening (唱标)
CandidatesPublicized          award               ranked candidates as pending awards (中标候选人公示)
ProvisionalResultPublicized   awardUpdate         the provisional result and its draft contract
ProcurementAwarded            award               the supplier, the price; the tenderers
AwardNoticeIssued             award               the supplier, the price; the tenderers
NextSupplierAwarded           award               the next supplier, its price (the first did not sign)
EntrustmentAgreed             award, contract     the entrusted entity, the agreed value
ContractSigned                contract            the contract value, the date signed
AgreementSigned               contractUpdate      each party's signature; active once all have signed
ProcurementFailed             tenderUpdate        the tender is unsuccessful, with its reason
ProcurementCancelled          tenderCancellation  the tender is cancelled, with its reason
ProjectFunded (intake)        planning            a project's budget, financing, PPP terms, risks
============================  ==================  =====================================================

Who responded to a competitive negotiation is published with the award, not before: the
names and number of potential bidders are not disclosed before the opening (招标投标法
第22条), and a negotiation has no public opening. Bid prices are published at a tender's
public opening, where they are read out (招标投标法 第36条).

Methods (closed OCDS codelist): ``open`` 公开招标; ``selective`` 邀请招标 or a tender after
prequalification (PPP, 财库〔2014〕215号 第5条); ``limited`` 竞争性谈判 (suppliers invited by
the purchaser); ``direct`` 政府委托 — the Chinese mode goes in ``procurementMethodDetails``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from copy import deepcopy
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tenderflow.audit.ocds_values import CURRENCY, amount, money  # noqa: F401 - re-exported
from tenderflow.audit.reading import events_of
from tenderflow.store.canonical import canonical_json

OCDS_VERSION = "1.1"
PARTY_SCHEME = "CN-SAMR"  # org-id.guide: 统一社会信用代码, State Administration for Market Regulation
DEFAULT_PREFIX = "ocds-tndrfl"
DEFAULT_PUBLISHER = "tenderflow"

MODE_DETAILS = {
    "competitive_negotiation": ("limited", "竞争性谈判"),
    "open_tender": ("open", "公开招标"),
    "delegation": ("direct", "政府委托"),
}
NEGOTIATION_GROUNDS = {
    "tender_failed": "招标后没有供应商投标或者没有合格标的或者重新招标未能成立",
    "complex_or_special": "技术复杂或者性质特殊，不能确定详细规格或者具体要求",
    "urgent": "采用招标所需时间不能满足用户紧急需要",
    "price_not_calculable": "不能事先计算出价格总额",
}
CATEGORIES = ("goods", "works", "services")

#: Event types deliberately not published (internal steps, sealed offers before their
#: opening, evaluators' work, bonds). Anything in neither set is not published either.
INTERNAL = frozenset({
    "NegotiationMethodApproved", "NegotiatingGroupFormed", "SuppliersInvited",
    "GroupMembersAppointed", "EligibilityChecked", "ResponseSubmitted", "ResponseWithdrawn",
    "NegotiationRoundRecorded", "FinalQuotationsRequested", "FinalQuotationSubmitted",
    "FinalQuotationsOpened", "LowPriceExplained", "CandidatesRecommended", "ObjectionRaised",
    "ObjectionAnswered", "BondRefunded", "EntrustmentDecided", "EntrustmentPublicityEnded",
    "PrequalificationApplicationSubmitted", "PrequalificationCompleted",
    "PrequalificationRedoRequired", "BidSubmitted", "EvaluationCommitteeFormed",
    "EvaluationReported", "TenderObjectionRaised", "TenderObjectionAnswered",
    "TenderObjectionAnswerOverdue", "CandidatePublicityEnded", "CandidateWithdrawn",
    "ConfirmationNegotiationStarted", "ConfirmationAgreed", "ConfirmationEnded",
    "ProvisionalPublicityEnded", "ContractWindowLapsed", "BidWithdrawn", "BidPriceExplained",
    "CommitteeMembersAppointed", "ScoresSubmitted", "AdjustmentsRecorded", "ExpertsDrawn",
    # the agreement's document records (tenderflow.domain.agreement): terms, the rendered PDF
    # and the financing package stay internal; each party's signature is published
    "AgreementTermsRecorded", "AgreementRendered", "FinancingPackageAssembled",
    "FinancingPackageSigned",
    # a notice's PDF (tenderflow.documents.notices): what it announces is published with the
    # event it was filled from
    "NoticeRendered",
    # questions' complaints to the finance department and its decisions
    # (tenderflow.domain.components.challenges)
    "ComplaintFiled", "ComplaintDecided", "TenderOpeningObjectionRecorded",
    "TenderComplaintFiled", "TenderComplaintDecided",
    # the PPP contract's publication (its value and date were published with ContractSigned)
    "ContractPublished", "ContractPublicationLapsed",
    # the contract's life after signing (workflows/ppp_contract.yaml, stream contract:<id>):
    # internal until its OCDS implementation releases (milestones, transactions) are built
    "ContractFinancingApproved", "ContractCoordinationCleared", "ConstructionStarted",
    "CompletionAccepted", "OperationStarted", "ContractSuspended", "ContractResumed",
    "ContractHandedOver", "ContractTerminated", "ContractMilestonesPlanned",
    "ContractMilestoneAchieved", "ContractPaymentRecorded", "ContractVaried",
    # its yearly performance and revenue (ppp_contract/performance.py, revenue.py): the same
    "PerformanceTermsSet", "PerformanceEvaluated", "RevenueRecorded", "ContractAdjusted",
})
# A project's intake (workflows/project.yaml, stream intake:<id>) is classified in
# tenderflow.audit.ocds_project: its accepted fund step publishes the project's planning
# (PUBLISHES_PROJECT), the rest is internal (INTERNAL_PROJECT); a procurement's own planning
# stage carries the project's record from ProcurementCreated.


def when(value: Any) -> str | None:
    """A recorded time as RFC 3339 with seconds and offset (``09:30+08:00`` is not)."""
    from tenderflow.domain.timeutil import iso, parse_time
    from tenderflow.errors import InputError

    if not isinstance(value, str) or not value:
        return None
    try:
        return iso(parse_time(value))
    except InputError:
        return None


class Process:
    """The public picture of one procurement, updated event by event."""

    def __init__(self, procurement: str, prefix: str, names: Callable[[str, int], Any]) -> None:
        self.procurement = procurement
        self.ocid = f"{prefix}-{procurement}"
        self._names = names
        self.parties: dict[str, dict[str, Any]] = {}
        self.buyer: dict[str, Any] | None = None
        self.planning: dict[str, Any] | None = None
        self.tender: dict[str, Any] = {"id": procurement}
        self.awards: list[dict[str, Any]] = []
        self.contracts: list[dict[str, Any]] = []
        self.bids: list[dict[str, Any]] = []
        self.releases: list[dict[str, Any]] = []
        self.mode = ""
        self.ppp = False
        self.tender_released = False
        self.global_seq = 0

    # --- parties ---------------------------------------------------------------------------
    def party(self, pid: str, name: str, *roles: str, uscc: str | None = None
              ) -> dict[str, Any]:
        entry = self.parties.setdefault(pid, {"id": pid, "name": name, "roles": []})
        entry["name"] = name
        if uscc:
            entry["identifier"] = {"scheme": PARTY_SCHEME, "id": uscc, "legalName": name}
        for role in roles:
            if role not in entry["roles"]:
                entry["roles"].append(role)
        return {"id": pid, "name": name}

    def signatory(self, name: str, uscc: str | None) -> dict[str, Any]:
        """A signing party: the party already known by its USCC or name, else a new one."""
        for pid, entry in sorted(self.parties.items()):
            known = (entry.get("identifier") or {}).get("id")
            if (uscc and known == uscc) or entry["name"] == name:
                if uscc and not known:
                    entry["identifier"] = {"scheme": PARTY_SCHEME, "id": uscc, "legalName": name}
                return {"id": pid, "name": entry["name"]}
        pid = f"{PARTY_SCHEME}-{uscc}" if uscc else f"signatory:{name}"
        return self.party(pid, name, "interestedParty", uscc=uscc)

    def supplier(self, sid: str, *roles: str) -> dict[str, Any]:
        profile = self._names(sid, self.global_seq) or {}
        extra = ("privateParty",) if self.ppp and "supplier" in roles else ()
        return self.party(sid, str(profile.get("name") or sid), *roles, *extra,
                          uscc=profile.get("uscc"))

    # --- releases --------------------------------------------------------------------------
    def release(self, ev: Any, *tags: str) -> None:
        out: dict[str, Any] = {
            "ocid": self.ocid, "id": f"{self.procurement}-{ev.stream_seq:04d}",
            "date": ev.occurred_at, "tag": list(tags), "initiationType": "tender",
            "language": "zh",
        }
        if self.parties:
            out["parties"] = [deepcopy(p) for _, p in sorted(self.parties.items())]
        if self.buyer:
            out["buyer"] = dict(self.buyer)
        if self.planning:
            out["planning"] = deepcopy(self.planning)
        out["tender"] = deepcopy(self.tender)
        if self.bids:
            out["bids"] = {"details": deepcopy(self.bids)}
        if self.awards:
            out["awards"] = deepcopy(self.awards)
        if self.contracts:
            out["contracts"] = deepcopy(self.contracts)
        self.releases.append(out)


Handler = Callable[[Process, Any, dict[str, Any]], None]
PUBLISHES: dict[str, Handler] = {}


def publishes(*event_types: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for t in event_types:
            PUBLISHES[t] = fn
        return fn
    return register


def _data(ev: Any) -> dict[str, Any]:
    data = ev.payload.get("data") if isinstance(ev.payload, dict) else None
    return data if isinstance(data, dict) else {}


@publishes("ProcurementCreated")
def _created(p: Process, ev: Any, state: dict[str, Any]) -> None:
    project = ev.payload.get("project") or {}
    p.mode = str(ev.payload.get("mode", ""))
    p.ppp = bool(project.get("ppp"))
    purchaser = (project.get("purchaser") or {}).get("name") or "采购人"
    ref = p.party(f"purchaser:{project.get('id', p.procurement)}", purchaser, "buyer",
                  "procuringEntity")
    p.buyer = ref
    value = money(project.get("estimated_investment"))
    ppp_project: dict[str, Any] = {"id": str(project.get("id", "")),
                                   "title": str(project.get("name", ""))}
    if project.get("description"):
        ppp_project["description"] = str(project["description"])
    if value:
        ppp_project["totalValue"] = value
    place = [str(project[k]) for k in ("city", "district") if project.get(k)]
    if place:
        ppp_project["locations"] = [{"description": "".join(place)}]
    budget: dict[str, Any] = {"id": str(project.get("id", "")), "projectID": str(project.get(
        "id", "")), "project": str(project.get("name", ""))}
    if value:
        budget["amount"] = value
    sources = project.get("funding_sources")
    if isinstance(sources, list) and sources:
        budget["description"] = "资金来源：" + "、".join(str(s) for s in sources)
    p.planning = {"budget": budget, "project": ppp_project}
    if project.get("description"):
        p.planning["rationale"] = str(project["description"])
    method, details = MODE_DETAILS.get(p.mode, (None, p.mode))
    p.tender = {"id": p.procurement, "title": str(project.get("name", p.procurement)),
                "status": "planning", "procuringEntity": ref}
    if method:
        p.tender["procurementMethod"] = method
    p.tender["procurementMethodDetails"] = details
    category = project.get("procurement_category")
    if category in CATEGORIES:
        p.tender["mainProcurementCategory"] = category
    if value:
        p.tender["value"] = value
    p.release(ev, "planning")


def _open_tender(p: Process, ev: Any, end: Any, *, rationale: str | None = None) -> None:
    first = not p.tender_released
    p.tender["status"] = "active"
    period = p.tender.setdefault("tenderPeriod", {})
    period.setdefault("startDate", ev.occurred_at)
    if when(end):
        period["endDate"] = when(end)
    if rationale:
        p.tender["procurementMethodRationale"] = rationale
    p.tender_released = True
    p.release(ev, "tender" if first else "tenderUpdate")


@publishes("NegotiationDocumentsIssued")
def _negotiation_documents(p: Process, ev: Any, state: dict[str, Any]) -> None:
    method = state.get("method") or {}
    ground = NEGOTIATION_GROUNDS.get(str(method.get("ground")), "")
    justification = str(method.get("justification") or "")
    rationale = "；".join(x for x in (f"政府采购法第30条：{ground}" if ground else "",
                                       justification) if x)
    _open_tender(p, ev, _data(ev).get("response_deadline"), rationale=rationale or None)


@publishes("PrequalificationPublished")
def _prequalification(p: Process, ev: Any, state: dict[str, Any]) -> None:
    p.tender["procurementMethod"] = "selective"
    p.tender["procurementMethodDetails"] = "公开招标（资格预审）"
    p.tender["procurementMethodRationale"] = "PPP项目采用资格预审（财库〔2014〕215号 第5条）"
    _open_tender(p, ev, _data(ev).get("application_deadline"))


@publishes("TenderDocumentsIssued")
def _tender_documents(p: Process, ev: Any, state: dict[str, Any]) -> None:
    data = _data(ev)
    if data.get("suppliers"):  # 邀请招标: only the invited may bid
        p.tender["procurementMethod"] = "selective"
        p.tender["procurementMethodDetails"] = "邀请招标"
    elif p.tender.get("procurementMethod") == "selective":  # after prequalification
        p.tender["procurementMethodDetails"] = "公开招标（资格预审后）"
    rationale = data.get("invitation_justification")
    if p.tender.get("tenderPeriod"):  # the prequalification period is over: the bid period
        p.tender["tenderPeriod"] = {"startDate": ev.occurred_at}
    _open_tender(p, ev, data.get("bid_deadline"),
                 rationale=str(rationale) if rationale else None)


@publishes("EntrustmentPublicized")
def _entrustment_publicized(p: Process, ev: Any, state: dict[str, Any]) -> None:
    ent = state.get("entrustment") or {}
    ground = ent.get("ground")
    rationale = f"委托依据：{ground}" if ground else None
    until = _data(ev).get("until")
    entity = ent.get("entity")
    if isinstance(entity, str):
        ref = p.supplier(entity)
        p.awards = [{"id": f"{p.procurement}-award-1", "title": "拟委托实施主体",
                     "status": "pending", "suppliers": [ref]}]
    _open_tender(p, ev, until, rationale=rationale)


@publishes("ClarificationIssued")
def _clarification(p: Process, ev: Any, state: dict[str, Any]) -> None:
    summary = str(_data(ev).get("summary") or "")
    amendments = p.tender.setdefault("amendments", [])
    amendments.append({"id": f"{p.procurement}-amendment-{len(amendments) + 1}",
                       "date": ev.occurred_at, "description": summary})
    deadlines = state.get("deadlines") or {}
    for key in ("bid_deadline", "prequal_application_deadline"):
        if when(deadlines.get(key)) and "tenderPeriod" in p.tender:
            p.tender["tenderPeriod"]["endDate"] = when(deadlines[key])
            break
    p.release(ev, "tenderAmendment")


@publishes("ResponsesClosed")
def _responses_closed(p: Process, ev: Any, state: dict[str, Any]) -> None:
    p.tender["numberOfTenderers"] = len(state.get("responses") or {})
    p.release(ev, "tenderUpdate")


@publishes("BidsOpened", "BidsUnsealed")
def _bids_opened(p: Process, ev: Any, state: dict[str, Any]) -> None:
    """The public opening (开标): who bid, and each price as read out (唱标) — a sealed bid's
    price once it is unsealed and matches its commitment; one that does not is disqualified."""
    bids = state.get("bids") or {}
    verdicts = ((state.get("openings") or {}).get("bid") or {}).get("verdicts") or {}
    p.tender["numberOfTenderers"] = len(bids)
    p.tender["tenderers"] = [p.supplier(sid, "tenderer") for sid in sorted(bids)]
    p.bids = []
    for sid in sorted(bids):
        verdict = verdicts.get(sid) or {}
        status = "disqualified" if verdict.get("status") not in (None, "valid") else "pending"
        bid: dict[str, Any] = {"id": f"{p.procurement}-bid-{sid}", "date": ev.occurred_at,
                               "status": status, "tenderers": [p.supplier(sid)]}
        value = money((bids[sid] or {}).get("price")) if status == "pending" else None
        if value:
            bid["value"] = value
        p.bids.append(bid)
    p.release(ev, "tenderUpdate")


def _tenderers(p: Process, state: dict[str, Any]) -> None:
    ids = set(state.get("responses") or {}) | set(state.get("bids") or {})
    if ids:
        p.tender["tenderers"] = [p.supplier(sid, "tenderer") for sid in sorted(ids)]
        p.tender["numberOfTenderers"] = len(ids)


@publishes("CandidatesPublicized")
def _candidates(p: Process, ev: Any, state: dict[str, Any]) -> None:
    ranked = [c for c in state.get("ranked") or [] if isinstance(c, dict) and c.get("supplier")]
    bids = state.get("bids") or {}
    p.awards = []
    for c in ranked:
        award: dict[str, Any] = {"id": f"{p.procurement}-candidate-{c.get('rank')}",
                                 "title": f"中标候选人 第{c.get('rank')}名", "status": "pending",
                                 "suppliers": [p.supplier(str(c["supplier"]))]}
        value = money((bids.get(c["supplier"]) or {}).get("price"))
        if value:
            award["value"] = value
        p.awards.append(award)
    p.release(ev, "award")


@publishes("ProvisionalResultPublicized")
def _provisional(p: Process, ev: Any, state: dict[str, Any]) -> None:
    """PPP: the result of the confirmation talks (结果确认谈判) and the draft contract."""
    draft = _data(ev).get("draft_contract")
    confirmation = state.get("confirmation") or {}
    agreed = confirmation.get("agreed") if isinstance(confirmation, dict) else None
    provisional = None
    if isinstance(agreed, str):
        for award in p.awards:
            if [s.get("id") for s in award.get("suppliers", [])] == [agreed]:
                provisional = award
        if provisional is None:
            provisional = {"id": f"{p.procurement}-provisional", "status": "pending",
                           "suppliers": [p.supplier(agreed)]}
            p.awards.append(provisional)
        provisional["title"] = "预中标结果（结果确认谈判后）"
    if isinstance(draft, dict) and provisional is not None:
        p.contracts = [{"id": f"{p.procurement}-contract-1", "awardID": provisional["id"],
                        "status": "pending", "title": "PPP项目合同草案",
                        "documents": [{"id": "draft-contract", "documentType": "contractDraft",
                                       "title": str(draft.get("name") or "合同草案")}]}]
    p.release(ev, "awardUpdate")


@publishes("ProcurementAwarded", "AwardNoticeIssued", "NextSupplierAwarded")
def _awarded(p: Process, ev: Any, state: dict[str, Any]) -> None:
    award_state = state.get("award") or {}
    sid = award_state.get("supplier") or _data(ev).get("supplier")
    _tenderers(p, state)
    award: dict[str, Any] = {"id": f"{p.procurement}-award-{len(p.awards) + 1}",
                             "title": "成交结果" if p.mode == "competitive_negotiation"
                             else "中标结果", "status": "active", "date": ev.occurred_at}
    if isinstance(sid, str):
        award["suppliers"] = [p.supplier(sid, "supplier")]
    value = money(award_state.get("price"))
    if value:
        award["value"] = value
    kept = []
    became = None
    for earlier in p.awards:
        winner = [s.get("id") for s in earlier.get("suppliers", [])] == [sid]
        if earlier["status"] == "pending":
            if winner:
                became = earlier["id"]  # the candidate's pending award becomes this one
                continue
            earlier["status"] = "unsuccessful"
        elif earlier["status"] == "active":
            earlier["status"] = "cancelled"  # awarded anew (the first did not sign)
        kept.append(earlier)
    award["id"] = f"{p.procurement}-award-{len(kept) + 1}"
    for contract in p.contracts:
        if contract["status"] == "pending" and contract["awardID"] == became:
            contract["awardID"] = award["id"]
    p.awards = [*kept, award]
    p.tender["status"] = "complete"
    rejected = state.get("rejected") or {}
    for bid in p.bids:
        bidder = bid["tenderers"][0]["id"]
        if bid["status"] != "disqualified":
            bid["status"] = "disqualified" if bidder in rejected else "valid"
    p.release(ev, "award")


@publishes("EntrustmentAgreed")
def _entrustment_agreed(p: Process, ev: Any, state: dict[str, Any]) -> None:
    data = _data(ev)
    award_state = state.get("award") or {}
    sid = award_state.get("supplier") or data.get("supplier")
    award: dict[str, Any] = {"id": f"{p.procurement}-award-1", "title": "委托实施主体",
                             "status": "active", "date": ev.occurred_at}
    if isinstance(sid, str):
        award["suppliers"] = [p.supplier(sid, "supplier")]
    value = money(award_state.get("price") or data.get("value"))
    if value:
        award["value"] = value
    p.awards = [award]
    contract: dict[str, Any] = {"id": f"{p.procurement}-contract-1", "awardID": award["id"],
                                "title": "委托协议", "status": "active",
                                "dateSigned": ev.occurred_at}
    if value:
        contract["value"] = value
    p.contracts = [contract]
    p.tender["status"] = "complete"
    p.release(ev, "award", "contract")


@publishes("ContractSigned")
def _contract_signed(p: Process, ev: Any, state: dict[str, Any]) -> None:
    data = _data(ev)
    active = [a for a in p.awards if a["status"] == "active"]
    award_id = active[-1]["id"] if active else f"{p.procurement}-award-1"
    pending = [c for c in p.contracts if c["status"] == "pending" and c["awardID"] == award_id]
    if pending:  # the draft publicized with the provisional result is now signed
        contract = pending[0]
        contract["title"] = "PPP项目合同" if p.ppp else "合同"
    else:
        contract = {"id": f"{p.procurement}-contract-{len(p.contracts) + 1}",
                    "awardID": award_id, "title": "合同"}
        p.contracts.append(contract)
    contract["status"] = "active"
    contract["dateSigned"] = ev.occurred_at
    value = money(data.get("contract_value"))
    if value:
        contract["value"] = value
    p.release(ev, "contract")


@publishes("AgreementSigned")
def _agreement_signed(p: Process, ev: Any, state: dict[str, Any]) -> None:
    """A party's signature of the agreement (the financing package's are not published)."""
    payload = ev.payload if isinstance(ev.payload, dict) else {}
    if payload.get("document", "agreement") != "agreement":
        return
    signer = payload.get("signer") if isinstance(payload.get("signer"), dict) else {}
    name = str(signer.get("name") or payload.get("party") or "")
    uscc = signer.get("uscc") if isinstance(signer.get("uscc"), str) else None
    if not p.contracts:
        active = [a for a in p.awards if a["status"] == "active"]
        p.contracts = [{"id": f"{p.procurement}-contract-1",
                        "awardID": active[-1]["id"] if active else f"{p.procurement}-award-1",
                        "title": "PPP项目合同" if p.ppp else "合同", "status": "pending"}]
    contract = p.contracts[-1]
    if name:
        ref = p.signatory(name, uscc)
        signatories = contract.setdefault("signatories", [])
        if ref not in signatories:
            signatories.append(ref)
    signed, of = payload.get("signature"), payload.get("of")
    if isinstance(signed, int) and isinstance(of, int) and signed >= of:
        contract["status"] = "active"  # every party has signed
        contract.setdefault("dateSigned", ev.occurred_at)
    p.release(ev, "contractUpdate")


@publishes("ProcurementFailed", "ProcurementCancelled")
def _ended(p: Process, ev: Any, state: dict[str, Any]) -> None:
    cancelled = ev.type == "ProcurementCancelled"
    p.tender["status"] = "cancelled" if cancelled else "unsuccessful"
    ended = state.get("ended") or {}
    if ended.get("reason"):
        p.tender["description"] = f"{'取消' if cancelled else '采购失败'}：{ended['reason']}"
    if "numberOfTenderers" not in p.tender and state.get("responses") is not None:
        p.tender["numberOfTenderers"] = len(state.get("responses") or {})
    for award in p.awards:
        if award["status"] in ("pending", "active"):
            award["status"] = "cancelled"
    p.release(ev, "tenderCancellation" if cancelled else "tenderUpdate")


class SupplierNames:
    """Registered supplier profiles as they stood before a given event (lazy, per stream)."""

    def __init__(self, tx: Any) -> None:
        self.tx = tx
        self._history: dict[str, list[tuple[int, dict[str, Any]]]] = {}

    def __call__(self, sid: str, before_global: int) -> dict[str, Any] | None:
        if sid not in self._history:
            self._history[sid] = [(ev.global_seq, ev.payload["profile"])
                                  for ev in events_of(self.tx, f"supplier:{sid}")
                                  if isinstance(ev.payload, dict)
                                  and isinstance(ev.payload.get("profile"), dict)]
        profile = None
        for seq, prof in self._history[sid]:
            if seq >= before_global:
                break
            profile = prof
        return profile


def process_releases(tx: Any, procurement: str, prefix: str = DEFAULT_PREFIX,
                     names: SupplierNames | None = None) -> list[dict[str, Any]]:
    """Every release of one procurement, in the order of its events."""
    from tenderflow.domain.state import empty_state, fold

    names = names or SupplierNames(tx)
    process = Process(procurement, prefix, names)
    state = empty_state(procurement)
    for ev in events_of(tx, f"procurement:{procurement}"):
        state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
        process.global_seq = ev.global_seq
        handler = PUBLISHES.get(ev.type)
        if handler is not None:
            handler(process, ev, state)
    return process.releases


def release_package(store: Any, procurements: list[str] | None = None, *,
                    prefix: str = DEFAULT_PREFIX, publisher: str = DEFAULT_PUBLISHER
                    ) -> dict[str, Any]:
    """An OCDS release package of every (or the named) procurement's releases."""
    from tenderflow.audit.ocds_project import project_ids, project_releases
    from tenderflow.errors import NotFound, ProcurementNotFound

    releases: list[dict[str, Any]] = []
    with store.reading() as tx:
        known, projects = [s.split(":", 1)[1] for s in tx.stream_ids("procurement:")], \
            project_ids(tx)
        chosen = known + projects if not procurements else list(procurements)
        for pid in chosen:
            if pid not in known and pid not in projects:
                raise ProcurementNotFound(f"no procurement {pid!r}", procurement=pid)
        names = SupplierNames(tx)
        for pid in chosen:  # a project's planning (its intake), else a procurement's process
            releases += project_releases(tx, pid, prefix) if pid in projects else \
                process_releases(tx, pid, prefix, names)
    if not releases:
        raise NotFound("nothing to export: no procurement has a public event yet")
    from tenderflow.domain.timeutil import parse_time

    digest = hashlib.sha256(canonical_json(releases).encode("utf-8")).hexdigest()
    return {
        "uri": f"urn:tenderflow:ocds:{digest}",
        "version": OCDS_VERSION,
        "publishedDate": max((r["date"] for r in releases), key=parse_time),
        "publisher": {"name": publisher},
        "releases": releases,
    }


# --- validation against the PPP profile schema (vendored, resolved locally) -----------------

SCHEMA_DIR = Path(__file__).parent / "schema"


def _date_time(value: object) -> bool:
    """RFC 3339 date-time with an offset (what OCDS dates are)."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = urlsplit(value)
    return bool(parsed.scheme) and (bool(parsed.netloc) or bool(parsed.path))


_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@lru_cache(maxsize=1)
def package_validator() -> Any:
    """A Draft 4 validator of the release package whose reference to the release schema is
    resolved to the vendored file (no network), checking date-time and uri formats."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    schemas = [json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
               for name in ("release-package-schema.json", "release-schema.json")]
    registry: Registry[Any] = Registry().with_resources(
        (s["id"], Resource.from_contents(s, default_specification=DRAFT4)) for s in schemas)
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    checker.checks("uri")(_uri)
    return Draft4Validator(schemas[0], registry=registry, format_checker=checker)


def schema_errors(package: dict[str, Any], limit: int = 10) -> list[str]:
    """Where ``package`` breaks the PPP profile's release package schema (empty if valid)."""
    out = []
    for err in sorted(package_validator().iter_errors(package), key=lambda e: list(e.path)):
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path)
        out.append(f"{path or '(package)'}: {err.message}")
        if len(out) >= limit:
            break
    return out
