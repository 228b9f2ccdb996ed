"""The PPP contract's life after signing as OCDS ``implementation`` releases (``audit export
--format ocds``), in the contracting process of the procurement it follows (the same ``ocid``):
the contract stream ``contract:<id>`` (workflows/ppp_contract.yaml) updates the signed contract
(``contracts[-1]``) and each publishing event makes a release tagged ``implementation``, with
the id ``<id>-contract-<seq>``. A whitelist:

ContractMilestonesPlanned,     implementation.milestones   id, title, type delivery, dueDate,
ContractMilestoneAchieved                                  dateMet, status (met; notMet once
                                                           overdue; scheduled), the clause and
                                                           any lateness in the description
ContractPaymentRecorded        implementation.transactions id, date, value (CNY), payer, payee
                                                           (parties with the payer/payee role)
PerformanceEvaluated           implementation.metrics      each KPI's target and actual, the
                                                           residents' satisfaction, the score,
                                                           by year; performanceFailures (PPP
                                                           profile) for each failed KPI or
                                                           survey, with the deduction imposed;
                                                           a performanceReport document
RevenueRecorded                implementation.charges      each revenue stream: plan
                                                           (estimatedValue) and actual, paid by
                                                           users; the shortfall as a metric
ContractVaried                 contracts[].amendments      id, date, rationale, description
CompletionAccepted             implementation.documents    completionCertificate
ContractTerminated,            contract status terminated; a termination (with the
ContractHandedOver             compensation) or handover (asset list) document

Everything else of the contract's record (financing, sign-offs, suspensions, votes, the
termination terms and the audit) stays internal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from tenderflow.audit.ocds_values import money

CONTRACT_PREFIX = "contract:"
Handler = Callable[[Any, Any, dict[str, Any], dict[str, Any]], None]
PUBLISHES_CONTRACT: dict[str, Handler] = {}
INTERNAL_CONTRACT = frozenset({
    "ContractStarted", "ContractFinancingApproved", "CoordinationSignedOff",
    "ContractCoordinationCleared", "ConstructionStarted", "OperationStarted",
    "ContractSuspended", "ContractResumed", "ResidentsVoteRecorded",
    "ContractTerminationTermsRecorded", "InvestmentAudited",
    # the agreement's yearly performance terms and the adjustment a shortfall opened: internal
    # (the evaluations and revenue they lead to are published below)
    "PerformanceTermsSet", "ContractAdjusted"})
GROUNDS = {"government_default": "政府方违约", "social_capital_default": "社会资本方违约",
           "force_majeure": "不可抗力", "public_interest": "公共利益需要",
           "mutual_agreement": "双方协商一致"}
CONDITIONS = {"good": "良好", "fair": "一般", "poor": "较差"}


def _publishes(*types: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for t in types:
            PUBLISHES_CONTRACT[t] = fn
        return fn
    return register


def _day(value: Any, end: bool = False) -> str | None:
    """A recorded date (YYYY-MM-DD) as an OCDS date-time in Beijing time."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    return f"{value[:10]}T{'23:59:59' if end else '00:00:00'}+08:00"


def _year(year: Any) -> dict[str, str]:
    return {"startDate": f"{int(year):04d}-01-01T00:00:00+08:00",
            "endDate": f"{int(year):04d}-12-31T23:59:59+08:00"}


def _measure(value: Any) -> Any:
    """A decimal string as a number where it is one, else the text."""
    try:
        dec = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not dec.is_finite():
        return str(value)
    return int(dec) if dec == dec.to_integral_value() else float(dec)


def _data(ev: Any) -> dict[str, Any]:
    data = ev.payload.get("data") if isinstance(ev.payload, dict) else None
    return data if isinstance(data, dict) else {}


def _findings(ev: Any) -> dict[str, Any]:
    """What the domain found for a yearly evaluation or revenue record (the event's
    ``findings``: the figures computed from the terms, beside the ``data`` the officer gave)."""
    found = ev.payload.get("findings") if isinstance(ev.payload, dict) else None
    return found if isinstance(found, dict) else {}


def _implementation(contract: dict[str, Any]) -> dict[str, Any]:
    impl: dict[str, Any] = contract.setdefault("implementation", {})
    return impl


def _document(contract: dict[str, Any], doc: dict[str, Any]) -> None:
    _document_row(_implementation(contract), doc)


@_publishes("ContractMilestonesPlanned", "ContractMilestoneAchieved")
def _milestones(p: Any, ev: Any, state: dict[str, Any], contract: dict[str, Any]) -> None:
    asof = str(ev.occurred_at)[:10]
    rows = []
    for m in state.get("milestones") or []:
        done = m.get("achieved_on")
        row: dict[str, Any] = {"id": str(m["id"]), "title": str(m["title"]), "type": "delivery",
                               "dueDate": _day(m["planned"], end=True)}
        words = [f"合同条款：{m['clause']}"]
        if m.get("payment"):
            words.append(f"付款节点：{m['payment']}元")
        if done:
            row.update(status="met", dateMet=_day(done, end=True))
            if done > m["planned"]:
                days = (date.fromisoformat(done) - date.fromisoformat(m["planned"])).days
                words.append(f"逾期{days}天完成" + (f"：{m['late_reason']}"
                                                    if m.get("late_reason") else ""))
        else:
            row["status"] = "notMet" if asof > m["planned"] else "scheduled"
        row["description"] = "；".join(words)
        rows.append(row)
    _implementation(contract)["milestones"] = rows


@_publishes("ContractPaymentRecorded")
def _payment(p: Any, ev: Any, state: dict[str, Any], contract: dict[str, Any]) -> None:
    transactions = []
    for i, pay in enumerate(state.get("payments") or []):
        payer = p.party(f"payer:{pay['payer']}", str(pay["payer"]), "payer")
        payee = p.party(f"payee:{pay['payee']}", str(pay["payee"]), "payee")
        row: dict[str, Any] = {"id": f"{p.procurement}-payment-{i + 1}",
                               "date": _day(pay["paid_on"]), "value": money(pay["amount"]),
                               "payer": payer, "payee": payee}
        transactions.append(row)
    _implementation(contract)["transactions"] = transactions


def _observation(oid: str, year: Any, measure: Any, notes: str, unit: str | None = None,
                 series: str | None = None) -> dict[str, Any]:
    obs: dict[str, Any] = {"id": oid, "period": _year(year), "measure": _measure(measure),
                           "notes": notes}
    if unit:
        obs["unit"] = {"name": unit}
    if series:
        obs["dimensions"] = {"series": series}
    return obs


def _metric(impl: dict[str, Any], mid: str, title: str, observations: list[dict[str, Any]]
            ) -> None:
    metrics = impl.setdefault("metrics", [])
    found = [m for m in metrics if m["id"] == mid]
    metric = found[0] if found else {"id": mid, "title": title, "observations": []}
    if not found:
        metrics.append(metric)
    ids = {o["id"] for o in observations}
    metric["observations"] = [o for o in metric["observations"] if o["id"] not in ids] + \
        observations


def performance(impl: dict[str, Any], data: dict[str, Any], pid: str) -> None:
    """One year's performance evaluation (PerformanceEvaluated's findings: year, kpis, satisfaction,
    score, passed, deduction) as metrics and performance failures of ``impl``."""
    year = data["year"]
    failures = impl.setdefault("performanceFailures", [])
    for k in data.get("kpis") or []:
        verdict = "达标" if k.get("passed") else "未达标"
        _metric(impl, f"kpi-{k['id']}", str(k["name"]), [
            _observation(f"{year}-target", year, k["target"], f"{year}年目标值",
                         k.get("unit"), "target"),
            _observation(f"{year}-actual", year, k["actual"], f"{year}年实际值（{verdict}）",
                         k.get("unit"), "actual")])
        if not k.get("passed"):
            failures.append({"id": f"{year}-{k['id']}", "period": _year(year),
                             "category": str(k["name"]), "events": 1})
    survey = data.get("satisfaction")
    if isinstance(survey, dict):
        verdict = "达标" if survey.get("passed") else "未达标"
        _metric(impl, "residents-satisfaction", "居民满意度", [
            _observation(f"{year}-threshold", year, survey["threshold"], f"{year}年合同要求的满意率",
                         "比率", "target"),
            _observation(f"{year}-rate", year, survey["rate"],
                         f"{year}年调查{survey['surveyed']}户，满意{survey['satisfied']}户"
                         f"（{verdict}）", "比率", "actual")])
        if not survey.get("passed"):
            failures.append({"id": f"{year}-satisfaction", "period": _year(year),
                             "category": "居民满意度", "events": 1})
    _metric(impl, "performance-score", "绩效评价得分", [
        _observation(f"{year}-score", year, data["score"],
                     f"{year}年绩效评价{'合格' if data.get('passed') else '不合格'}", "分")])
    deduction = money(data.get("deduction"))
    mine = [f for f in failures if f["id"].startswith(f"{year}-")]
    if mine and deduction and deduction["amount"]:
        for f in mine:
            f["penaltyImposed"] = f"{year}年绩效扣减{data['deduction']}元（全年合计）"
    if not failures:
        impl.pop("performanceFailures")
    _document_row(impl, {"id": f"{pid}-performance-{year}", "documentType": "performanceReport",
                         "title": f"{year}年度绩效评价结果", "language": "zh"})


def _document_row(impl: dict[str, Any], doc: dict[str, Any]) -> None:
    docs = impl.setdefault("documents", [])
    docs[:] = [d for d in docs if d["id"] != doc["id"]] + [doc]


def revenue(impl: dict[str, Any], data: dict[str, Any]) -> None:
    """One year's revenue (RevenueRecorded's findings: year, streams, plan, shortfall_ratio) as
    charges paid by users (plan and actual) and the shortfall as a metric of ``impl``."""
    year = data["year"]
    streams, plan = data.get("streams") or {}, data.get("plan") or {}
    charges = [c for c in impl.get("charges") or [] if not c["id"].startswith(f"{year}-")]
    for name in sorted(set(streams) | set(plan)):
        charge: dict[str, Any] = {"id": f"{year}-{name}", "title": str(name), "paidBy": "user",
                                  "period": _year(year)}
        if plan.get(name) is not None:
            charge["estimatedValue"] = money(plan[name])
        if streams.get(name) is not None:
            charge["actualValue"] = money(streams[name])
        charges.append(charge)
    if charges:
        impl["charges"] = charges
    if data.get("shortfall_ratio") is not None:
        _metric(impl, "revenue-shortfall", "经营收入较计划的缺口比例", [
            _observation(f"{year}-shortfall", year, data["shortfall_ratio"],
                         f"{year}年实际收入较计划的缺口比例", "比率")])


@_publishes("PerformanceEvaluated")
def _performance(p: Any, ev: Any, state: dict[str, Any], contract: dict[str, Any]) -> None:
    performance(_implementation(contract), _findings(ev), p.procurement)


@_publishes("RevenueRecorded")
def _revenue(p: Any, ev: Any, state: dict[str, Any], contract: dict[str, Any]) -> None:
    revenue(_implementation(contract), _findings(ev))


@_publishes("ContractVaried")
def _varied(p: Any, ev: Any, state: dict[str, Any], contract: dict[str, Any]) -> None:
    data = _data(ev)
    words = [str(data.get("description") or "")]
    if data.get("price_change"):
        words.append(f"价格变动{data['price_change']}元")
    if data.get("term_years_change"):
        words.append(f"合作期变动{data['term_years_change']}年")
    amendment = {"id": str(data.get("id")), "date": ev.occurred_at,
                 "rationale": str(data.get("reason") or ""),
                 "description": "；".join(w for w in words if w) or str(data.get("kind"))}
    contract.setdefault("amendments", []).append(amendment)


@_publishes("CompletionAccepted")
def _completed(p: Any, ev: Any, state: dict[str, Any], contract: dict[str, Any]) -> None:
    data = _data(ev)
    _document(contract, {"id": f"{p.procurement}-completion", "documentType":
                         "completionCertificate", "title": f"竣工验收：{data.get('report')}",
                         "description": "参加单位：" + "、".join(map(str, data.get("participants")
                                                               or ())),
                         "datePublished": ev.occurred_at, "language": "zh"})


@_publishes("ContractTerminated")
def _terminated(p: Any, ev: Any, state: dict[str, Any], contract: dict[str, Any]) -> None:
    data, term = _data(ev), state.get("termination") or {}
    words = [f"终止原因：{GROUNDS.get(str(data.get('ground')), data.get('ground'))}",
             f"依据：{data.get('clause')}", str(data.get("reason"))]
    if term.get("compensation"):
        words.append(f"按合同约定公式计算的补偿：{term['compensation']}元")
    contract["status"] = "terminated"
    _document(contract, {"id": f"{p.procurement}-termination", "documentType": "termination",
                         "title": "提前终止合同", "description": "；".join(words),
                         "datePublished": ev.occurred_at, "language": "zh"})


@_publishes("ContractHandedOver")
def _handed_over(p: Any, ev: Any, state: dict[str, Any], contract: dict[str, Any]) -> None:
    data = _data(ev)
    assets = "；".join(f"{a['name']}（{CONDITIONS.get(a['condition'], a['condition'])}）"
                      for a in data.get("assets") or ())
    contract["status"] = "terminated"
    _document(contract, {"id": f"{p.procurement}-handover", "documentType": "handover",
                         "title": f"期满移交：接收方{data.get('receiver')}",
                         "description": f"移交资产及状况：{assets}",
                         "datePublished": ev.occurred_at, "language": "zh"})


def contract_releases(tx: Any, p: Any) -> None:
    """Add the implementation releases of procurement ``p.procurement``'s contract stream (if
    it has one) to the process ``p`` (tenderflow.audit.ocds.Process)."""
    from tenderflow.audit.reading import events_of
    from tenderflow.domain.state import empty_state, fold

    stream = f"{CONTRACT_PREFIX}{p.procurement}"
    if not tx.head(stream)[0]:
        return
    state = empty_state(p.procurement)
    for ev in events_of(tx, stream):
        state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
        handler = PUBLISHES_CONTRACT.get(ev.type)
        if handler is None:
            continue
        if not p.contracts:
            p.contracts.append({"id": f"{p.procurement}-contract-1", "status": "active",
                                "awardID": f"{p.procurement}-award-1", "title": "PPP项目合同"})
        p.global_seq = ev.global_seq
        handler(p, ev, state, p.contracts[-1])
        p.release(ev, "contractAmendment" if ev.type == "ContractVaried" else "implementation")
        p.releases[-1]["id"] = f"{p.procurement}-contract-{ev.stream_seq:04d}"
