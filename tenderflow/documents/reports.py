"""The financing package's generated documents: the award record and the signed manifest.

Both are built from recorded data only (the procurement's events and state, the manifest), so
that the same log gives the same bytes. Text is Chinese, as in the contract templates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from tenderflow.documents.record import record_digest
from tenderflow.documents.templates import FilledDocument, Table
from tenderflow.domain.money import Money
from tenderflow.events.names import event_name

# What each package document is called in the cover letter and in the manifest.
DOCUMENT_TITLES = {
    "agreement.pdf": "项目合同（已由各方依次电子签名）",
    "financing-cover.pdf": "融资审批申请函",
    "eligibility-report.pdf": "社会资本方资格审查报告",
    "award-record.pdf": "采购结果记录",
    "financial-summary.pdf": "财务摘要（项目投资、收益计划、投资回收期和内部收益率）",
}
ENCLOSURE_ORDER = ("agreement.pdf", "eligibility-report.pdf", "award-record.pdf",
                   "financial-summary.pdf")


def time_text(value: Any) -> str:
    """A recorded business time as printed in the documents: Beijing time (+08:00), to the
    minute, whatever offset it was recorded with; "—" when there is none."""
    from tenderflow.domain.timeutil import SHANGHAI, parse_time
    from tenderflow.errors import InputError

    if value is None or value == "":
        return "—"
    try:
        local = parse_time(value).astimezone(SHANGHAI)
    except InputError:
        return str(value)
    return f"{local:%Y-%m-%d %H:%M}"


STATUS_WORDS = {"secondary": "（转引自二手资料，原文待核对）", "unconfirmed": "（尚未核实）"}


def source_words(source: str) -> str:
    """A recorded legal source with a parameter's status suffix (", secondary") in words."""
    text, _, status = str(source).rpartition(", ")
    if text and status in STATUS_WORDS:
        return text + STATUS_WORDS[status]
    if text and status == "P":
        return text
    return str(source)


def rule_titles() -> Any:
    """A rule id's Chinese title as ``workflows/parameters.yaml`` or ``workflows/rules.yaml``
    gives it today (a label; the decision was taken with the pinned definitions), else the
    id itself."""
    from tenderflow.domain.parameters import Parameters
    from tenderflow.errors import TenderflowError
    from tenderflow.paths import workflows_dir
    from tenderflow.workflow.definitions import load_yaml
    from tenderflow.workflow.rulebook import load_rules

    try:
        path = workflows_dir() / "parameters.yaml"
        params, book = Parameters(load_yaml(path), file=str(path)), load_rules()
    except (TenderflowError, OSError):
        return lambda rule: rule

    def title(rule: str) -> str:
        if rule in params:
            return str(params.get(rule).title_zh)
        if rule in book:
            return str(book.get(rule).title_zh)
        return rule
    return title


def money_text(value: Any) -> str:
    money = Money.parse(value)
    return f"{money.formatted()}（{money.chinese()}）"


def enclosures(names: Sequence[str]) -> str:
    """The cover letter's list of enclosures, from the documents actually in the package."""
    return "、".join(f"{DOCUMENT_TITLES[n].split('（')[0]}（{n}）"
                     for n in ENCLOSURE_ORDER if n in names)


def award_record_sections(procurement: str, state: Mapping[str, Any], events: Sequence[Any],
                          method_title: str, supplier: Mapping[str, Any] | None
                          ) -> list[dict[str, Any]]:
    """Sections of the award record (采购结果记录) for ``render_document``: the procurement,
    the award with the rules its event checked, the final offers and the recorded steps."""
    project = state.get("project") or {}
    award = state.get("award") or {}
    # the transition that recorded the award (ProcurementAwarded, AwardNoticeIssued …): the
    # award's time is that event's business time
    award_event = next((e for e in reversed(events) if isinstance(e.payload, Mapping)
                        and e.payload.get("trigger") and award.get("at")
                        and e.occurred_at == award["at"]), None)
    purchaser = project.get("purchaser") or {}
    overview = [
        ["采购编号", procurement],
        ["项目名称", str(project.get("name", ""))],
        ["采购方式", method_title],
        ["采购人", str(purchaser.get("name", "")) if isinstance(purchaser, Mapping) else ""],
        ["项目估算投资", money_text(project["estimated_investment"])
         if project.get("estimated_investment") else "—"],
    ]
    supplier = supplier or {}
    result = [
        ["成交（中标）供应商", f"{supplier.get('name', award.get('supplier'))}"],
        ["统一社会信用代码", str(supplier.get("uscc", "—"))],
        ["成交（中标）金额", money_text(award["price"]) if award.get("price") else "—"],
        ["确定时间（北京时间）", time_text(award.get("at"))],
    ]
    sections: list[dict[str, Any]] = [
        {"heading": "采购项目", "body": [{"table": {"columns": ["项目", "内容"],
                                               "rows": overview}}]},
        {"heading": "采购结果", "body": [{"table": {"columns": ["项目", "内容"], "rows": result}}]},
    ]
    if award_event is not None:
        checks = award_event.payload.get("checks") or []
        body: list[Any] = [
            (f"采购结果记录于采购日志第{award_event.stream_seq}号事件（{event_name(award_event.type)}），"
            f"其记录摘要（SHA-256，不含录入时间）为{record_digest(award_event)}。确定成交（中标）"
            f"供应商时，系统依据下列规则逐项核验并全部通过：")]
        if checks:
            title = rule_titles()
            body.append({"table": {"columns": ["规则（编号）", "依据"],
                                   "rows": [[f"{title(c['rule'])}（{c['rule']}）",
                                             source_words(c["source"])] for c in checks]}})
        sections.append({"heading": "核验的规则", "body": body})
    sections += _mode_sections(state)
    steps = [[str(e.stream_seq), time_text(e.occurred_at), event_name(e.type)]
             for e in events if e.type not in _DOCUMENT_EVENTS]
    sections.append({"heading": "采购过程", "body": [
        "采购日志记载的各步骤（事件序号、业务时间（北京时间）、事件）：",
        {"table": {"columns": ["序号", "时间", "事件"], "rows": steps}}]})
    return sections


def _mode_sections(state: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What the mode recorded about the competition, where it recorded it: prequalification
    (PPP), bids or final quotations, the ranking, result-confirmation talks, the contract's
    signing. Each section appears only when the state holds that record in the shape read."""
    out: list[dict[str, Any]] = []
    prequal = state.get("prequal")
    results = prequal.get("results") if isinstance(prequal, Mapping) else None
    if isinstance(results, Mapping) and results:
        rows = [[str(sid), "通过" if r.get("passed") else "未通过", str(r.get("reason") or "—")]
                for sid, r in sorted(results.items()) if isinstance(r, Mapping)]
        attempts = prequal.get("attempts") if isinstance(prequal, Mapping) else None
        out.append({"heading": "资格预审结果", "body": [
            f"资格预审（共组织{attempts}次）的最终结果：" if attempts else "资格预审的结果：",
            {"table": {"columns": ["社会资本", "结果", "原因"], "rows": rows}}]})
    for key, heading, lead in (("final_quotes", "最后报价", "各供应商的最后报价"),
                               ("bids", "投标报价", "各投标人的投标报价")):
        offers = state.get(key)
        if not isinstance(offers, Mapping) or not offers:
            continue
        rows = [[str(sid), money_text(q["price"]) if q.get("price") else "—",
                 "否" if q.get("compliant") is False else "是"]
                for sid, q in sorted(offers.items(), key=lambda kv: Money.parse(
                    (kv[1] or {}).get("price") or "0").amount) if isinstance(q, Mapping)]
        out.append({"heading": heading, "body": [
            f"{lead}（按报价由低到高排列）：",
            {"table": {"columns": ["供应商", "报价", "满足实质性要求"], "rows": rows}}]})
    ranked = state.get("ranked")
    if isinstance(ranked, list) and ranked and all(isinstance(r, Mapping) for r in ranked):
        out.append({"heading": "评审排名", "body": [{"table": {
            "columns": ["名次", "供应商", "得分"],
            "rows": [[str(r.get("rank", "")), str(r.get("supplier", "")),
                      str(r.get("score", "—"))] for r in ranked]}}]})
    confirmation = state.get("confirmation")
    talks = confirmation.get("talks") if isinstance(confirmation, Mapping) else None
    if isinstance(talks, list) and talks:
        rows = [[str(t.get("supplier", "")), "达成一致" if t.get("agreed") else "未达成一致",
                 "；".join(str(c.get("term", c)) if isinstance(c, Mapping) else str(c)
                          for c in t.get("changes") or []) or "—",
                 str(t.get("note") or "—")] for t in talks if isinstance(t, Mapping)]
        out.append({"heading": "采购结果确认谈判", "body": [{"table": {
            "columns": ["社会资本", "结果", "非核心条款的变更", "说明"], "rows": rows}}]})
    contract = state.get("contract")
    if isinstance(contract, Mapping) and contract.get("at"):
        rows = [["签订时间（北京时间）", time_text(contract["at"])]]
        for key, label in (("value", "合同金额"), ("performance_bond", "履约保证金")):
            if contract.get(key):
                rows.append([label, money_text(contract[key])])
        out.append({"heading": "合同签订记录", "body": [
            {"table": {"columns": ["项目", "内容"], "rows": rows}}]})
    return out


_DOCUMENT_EVENTS = ("AgreementTermsRecorded", "AgreementRendered", "AgreementSigned",
                    "FinancingPackageAssembled", "FinancingPackageSigned", "NoticeRendered")


def manifest_document(filled: FilledDocument, manifest: Mapping[str, Any],
                      clause_index: int) -> FilledDocument:
    """The filled manifest template with the table of files added to clause ``clause_index``."""
    rows = tuple((f"{f['name']}\n{DOCUMENT_TITLES.get(f['name'], '')}".strip(),
                  f"{f['bytes']:,}", f["sha256"]) for f in manifest["files"])
    table = Table(("文件", "字节数", "SHA-256"), tuple((r[0].replace("\n", " "), r[1], r[2])
                                                   for r in rows))
    clauses = list(filled.clauses)
    clause = clauses[clause_index]
    clauses[clause_index] = dataclasses.replace(clause, body=(*clause.body, table))
    return dataclasses.replace(filled, clauses=tuple(clauses))
