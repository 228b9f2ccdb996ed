"""The notices a procurement publishes, filled from its log: 招标公告 or 谈判邀请书
(``invitation``), 资格审查结果 (``qualification``), 中标（成交）候选人公示 (``candidates``),
中标（成交）通知书 (``award``) and 合同公告 (``contract``).

Each is a template in ``contracts/`` (``notice_*.yaml``, edited by legal staff like the
agreement) filled with data read from the procurement's events and state only — the project
and the purchaser as ``ProcurementCreated`` recorded them, the dates, amounts and results as
their events recorded them, the suppliers' registered names — and dated by the event it
announces (its business date), so that the same log gives the same bytes on any day. The
footer carries that event's record digest (tenderflow.documents.record). A notice the log
cannot support yet (no award recorded, …) is refused naming the event it needs.

A table (the results, the candidates, the invited suppliers) is added to the clause the
template names for it, as the package manifest adds its list of files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tenderflow.documents.reports import time_text
from tenderflow.documents.templates import FilledDocument, Table
from tenderflow.domain.money import Money
from tenderflow.errors import CheckFailed

NOTICE_EVENT = "NoticeRendered"
NOTICE_DIGEST_LABEL = "公告依据记录摘要"

# kind -> (Chinese name, the events it may announce, newest first wins)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "invitation": ("招标公告／谈判邀请书", ("TenderDocumentsIssued", "NegotiationDocumentsIssued",
                                     "SuppliersInvited")),
    "qualification": ("资格审查结果", ("PrequalificationCompleted", "EligibilityChecked")),
    "candidates": ("中标（成交）候选人公示", ("CandidatesPublicized", "EvaluationReported",
                                       "CandidatesRecommended")),
    "award": ("中标（成交）通知书", ("AwardNoticeIssued", "ProcurementAwarded",
                                "NextSupplierAwarded")),
    "contract": ("合同公告", ("ContractPublished", "ContractSigned")),
}
TEMPLATES = {"invitation_tender": "notice_tender.yaml",
             "invitation_negotiation": "notice_negotiation.yaml",
             "qualification": "notice_qualification.yaml",
             "candidates": "notice_candidates.yaml", "award": "notice_award.yaml",
             "contract": "notice_contract.yaml"}
# The clause of each template a table is added to.
TABLE_CLAUSES = {"invitation_negotiation": "invited", "qualification": "results",
                 "candidates": "candidates"}
RECOMMENDED_BY = {"public_notice": "发布公告", "experts": "评审专家书面推荐",
                  "purchaser": "采购人书面推荐"}


@dataclass(frozen=True)
class NoticeData:
    """What a notice is filled with: its template, the data, a table and the event it
    announces (its date and record digest)."""

    kind: str
    template: str  # key of TEMPLATES
    data: dict[str, Any]
    table: Table | None
    source: Any  # the stored event the notice announces


def _last(events: Sequence[Any], types: Sequence[str]) -> Any | None:
    return next((e for e in reversed(events) if e.type in types), None)


def _data(ev: Any) -> dict[str, Any]:
    payload = ev.payload if isinstance(ev.payload, Mapping) else {}
    data = payload.get("data")
    return dict(data) if isinstance(data, Mapping) else {}


def _money_or_dash(value: Any) -> str:
    return Money.parse(value).formatted() + f"（{Money.parse(value).chinese()}）" if value \
        else "无"


def notice_data(kind: str, pid: str, state: Mapping[str, Any], events: Sequence[Any],
                method: str, names: Callable[[str], tuple[str, str]]) -> NoticeData:
    """The data of notice ``kind`` of procurement ``pid``; ``names(supplier_id)`` gives a
    supplier's registered (name, 统一社会信用代码). CheckFailed when the log has nothing to
    announce yet."""
    if kind not in KINDS:
        raise CheckFailed(f"no notice {kind!r}: expected one of {', '.join(KINDS)}",
                          field="KIND")
    title, types = KINDS[kind]
    # the qualification notice announces the prequalification where there was one (the
    # later eligibility check of the bids is its own record); the others the newest event
    source = next((e for t in types for e in reversed(events) if e.type == t), None) \
        if kind == "qualification" else _last(events, types)
    if source is None:
        raise CheckFailed(f"{pid}: nothing to publish as {title} yet — the log records none "
                          f"of {', '.join(types)}", procurement=pid)
    project = dict(state.get("project") or {})
    purchaser = project.get("purchaser") or project.get("implementing_agency") or {}
    result = "中标" if state.get("mode") in ("open_tender",) else "成交"
    location = "".join(str(project.get(k) or "") for k in ("city", "district")) or "—"
    data: dict[str, Any] = {
        "notice": {"date": time_text(source.occurred_at)[:10]},
        "procurement": {"id": pid, "method": method, "result": result},
        "project": {"name": project.get("name", pid), "id": project.get("id", "—"),
                    "location": location,
                    "investment": project.get("estimated_investment") or "0"},
        "purchaser": {"name": purchaser.get("name", "—"), "address": purchaser.get("address", "—"),
                      "uscc": purchaser.get("uscc", "—")},
    }

    build = {"invitation": _invitation, "qualification": _qualification,
             "candidates": _candidates, "award": _award, "contract": _contract}[kind]
    template, table = build(data, state, events, source, names)
    return NoticeData(kind, template, data, table, source)


def _invitation(data: dict[str, Any], state: Mapping[str, Any], events: Sequence[Any],
                source: Any, names: Callable[[str], tuple[str, str]]
                ) -> tuple[str, Table | None]:
    issued = _last(events, ("TenderDocumentsIssued",))
    if issued is not None:
        d = _data(issued)
        data["documents"] = {
            "issued": time_text(issued.occurred_at), "sale_until": time_text(d.get("sale_until")),
            "bid_deadline": time_text(d.get("bid_deadline")),
            "bid_bond": _money_or_dash(d.get("bid_bond")),
            "channel": d.get("notice") or "采购人指定的媒介"}
        return "invitation_tender", None
    invited = _last(events, ("SuppliersInvited",))
    documents = _last(events, ("NegotiationDocumentsIssued",))
    suppliers = _data(invited).get("suppliers", []) if invited is not None else []
    rows = []
    for s in suppliers:
        sid = s.get("id") if isinstance(s, Mapping) else str(s)
        name, uscc = names(str(sid))
        how = RECOMMENDED_BY.get(s.get("recommended_by", ""), s.get("recommended_by", "—")) \
            if isinstance(s, Mapping) else "—"
        rows.append((name, uscc, how))
    basis = "、".join(sorted({r[2] for r in rows})) or "采购人确定的方式"
    data["invited"] = {"basis": basis}
    data["documents"] = {
        "issued": time_text(documents.occurred_at) if documents is not None else "—",
        "response_deadline": time_text(_data(documents).get("response_deadline"))
        if documents is not None else "—"}
    return "invitation_negotiation", Table(("供应商", "统一社会信用代码", "产生方式"),
                                           tuple(rows))


def _qualification(data: dict[str, Any], state: Mapping[str, Any], events: Sequence[Any],
                   source: Any, names: Callable[[str], tuple[str, str]]
                   ) -> tuple[str, Table | None]:
    rows = []
    if source.type == "PrequalificationCompleted":
        what = "资格预审"
        for r in _data(source).get("results", []):
            name, uscc = names(str(r.get("supplier")))
            rows.append((name, uscc, "通过" if r.get("passed") else "未通过",
                         str(r.get("reason") or "—")))
    else:
        what = "资格审查"
        findings = (source.payload.get("findings") or {}).get("eligibility") or {}
        for c in findings.get("candidates", []):
            failed = [o.get("title_zh", "") for o in c.get("outcomes", [])
                      if o.get("verdict") in ("fail", "not_checked")]
            rows.append((str(c.get("name")), str(c.get("uscc") or names(c["candidate"])[1]),
                         "通过" if c.get("eligible") else "未通过", "；".join(failed) or "—"))
    data["qualification"] = {"what": what, "date": time_text(source.occurred_at)[:10],
                             "count": str(len(rows)),
                             "passed": str(sum(r[2] == "通过" for r in rows))}
    return "qualification", Table(("申请人（供应商）", "统一社会信用代码", "结果", "说明"),
                                  tuple(rows))


def _candidates(data: dict[str, Any], state: Mapping[str, Any], events: Sequence[Any],
                source: Any, names: Callable[[str], tuple[str, str]]
                ) -> tuple[str, Table | None]:
    report = _last(events, ("EvaluationReported",))
    publicized = _last(events, ("CandidatesPublicized", "ProvisionalResultPublicized"))
    rows: list[tuple[str, ...]] = []
    if report is not None and _data(report).get("candidates"):
        for c in _data(report)["candidates"]:
            name, uscc = names(str(c.get("supplier")))
            rows.append((str(c.get("rank", "")), name, uscc, f"{c.get('score', '—')} 分"))
        basis = "评标委员会按招标文件规定的评标方法推荐的中标候选人（按排名先后）："
        when = report
    else:
        quotes = state.get("final_quotes") or {}
        ordered = sorted(((sid, q) for sid, q in quotes.items()
                          if isinstance(q, Mapping) and q.get("compliant") is not False),
                         key=lambda kv: Money.parse(kv[1].get("price") or "0").amount)
        for rank, (sid, q) in enumerate(ordered, start=1):
            name, uscc = names(str(sid))
            rows.append((str(rank), name, uscc, Money.parse(q["price"]).formatted()))
        basis = ("谈判小组从质量和服务均能满足采购文件实质性响应要求的供应商中，按照最后报价由低"
                 "到高的顺序推荐的成交候选人：")
        when = _last(events, ("CandidatesRecommended", "FinalQuotationsOpened")) or source
    if not rows:
        raise CheckFailed(f"{data['procurement']['id']}: the log records no ranking of "
                          f"candidates to publish", procurement=data["procurement"]["id"])
    data["candidates"] = {"date": time_text(when.occurred_at)[:10], "basis": basis,
                          "channel": (_data(publicized).get("channel") if publicized else None)
                          or "采购人指定的媒介"}
    last_col = "评审得分" if report is not None and _data(report).get("candidates") \
        else "最后报价"
    return "candidates", Table(("排名", "候选人", "统一社会信用代码", last_col), tuple(rows))


def _award(data: dict[str, Any], state: Mapping[str, Any], events: Sequence[Any],
           source: Any, names: Callable[[str], tuple[str, str]]) -> tuple[str, Table | None]:
    award = state.get("award") or {}
    supplier = _data(source).get("supplier") or award.get("supplier")
    if not supplier or not award.get("price"):
        raise CheckFailed(f"{data['procurement']['id']}: the award records no supplier and "
                          f"price", procurement=data["procurement"]["id"])
    name, uscc = names(str(supplier))
    number = _data(source).get("notice") or award.get("notice")
    data["award"] = {"supplier": name, "uscc": uscc, "price": award["price"],
                     "number": f"文号：{number}" if number else
                     f"采购编号：{data['procurement']['id']}"}
    return "award", None


def _contract(data: dict[str, Any], state: Mapping[str, Any], events: Sequence[Any],
              source: Any, names: Callable[[str], tuple[str, str]]) -> tuple[str, Table | None]:
    _award(data, state, events, source, names)
    contract = state.get("contract") or {}
    signed = _last(events, ("ContractSigned",))
    published = _last(events, ("ContractPublished",))
    if signed is None or not contract.get("value"):
        raise CheckFailed(f"{data['procurement']['id']}: the log records no signed contract "
                          f"with its value", procurement=data["procurement"]["id"])
    data["contract"] = {"date": time_text(signed.occurred_at)[:10], "value": contract["value"],
                        "performance_bond": _money_or_dash(contract.get("performance_bond")),
                        "channel": (_data(published).get("channel") if published else None)
                        or "采购人指定的媒介"}
    return "contract", None


def with_table(filled: FilledDocument, clause_index: int, table: Table | None
               ) -> FilledDocument:
    """The filled notice with ``table`` added to clause ``clause_index`` and without a
    signature page (a notice bears the issuer's seal, named in its closing)."""
    clauses = list(filled.clauses)
    if table is not None:
        clause = clauses[clause_index]
        clauses[clause_index] = dataclasses.replace(clause, body=(*clause.body, table))
    return dataclasses.replace(filled, clauses=tuple(clauses), parties=())
