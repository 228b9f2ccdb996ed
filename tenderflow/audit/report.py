"""``audit report ID --out F.pdf``: the auditor's timeline of one procurement as a PDF.

When the procurement has a contract stream (``contract:ID``; the report of ``contract:ID`` is
its procurement's), a 合同履行 chapter follows the procurement's events
(tenderflow.audit.report_contract): the contract's chain and replay, its events, milestones
planned against achieved, payments, variations, suspensions, termination or handover.

A one-page overview first — what the audit concluded (the stream's hash chain verified or the
first broken event, the replay against the pinned rules clean or the first step they do not
allow), the parties, the key dates and the rule checks — then a compact table of every event
(its Chinese name from the pinned workflow's transition or the event catalogue, business
time, state change, actor, checks), the rule checks with their titles and legal sources, the
late entries, the pinned definitions, and the hash chain with both times as recorded. No raw
JSON: the full payloads are in the audit export (``audit export``). It is rendered by
:func:`tenderflow.documents.pdf.render_document` (A4, embedded TrueType CJK font,
deterministic bytes, the stream's head hash in every page footer), so the same log gives the
same PDF.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenderflow.audit.reading import events_of
from tenderflow.audit.report_parts import (
    event_row,
    minute,
    stream_verification,
    verification_lines,
)
from tenderflow.documents.reports import source_words
from tenderflow.events.names import event_name


@dataclass
class ReportResult:
    procurement: str
    file: str
    sha256: str
    events: int
    head_hash: str
    chain_ok: bool
    replay_ok: bool
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.chain_ok and self.replay_ok

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok}


def _row(label: str, value: Any) -> list[str]:
    return [label, "" if value is None else str(value)]


# The steps an overview's key dates name, in the order they usually happen; a signature's
# date is the last of its kind (when every party had signed).
KEY_EVENTS = ("ProcurementCreated", "EntrustmentDecided", "PrequalificationPublished",
              "PrequalificationCompleted", "NegotiationDocumentsIssued", "SuppliersInvited",
              "TenderDocumentsIssued", "ResponsesClosed", "BidsOpened", "FinalQuotationsOpened",
              "EvaluationReported", "CandidatesRecommended", "CandidatesPublicized",
              "ProvisionalResultPublicized", "ProcurementAwarded", "AwardNoticeIssued",
              "EntrustmentAgreed", "ContractSigned", "ContractPublished", "AgreementSigned",
              "FinancingPackageSigned", "ProcurementFailed",
              "ProcurementCancelled")
LAST_OF_KIND = {"AgreementSigned": "项目合同各方签署完毕",
                "FinancingPackageSigned": "融资材料清单各方签署完毕"}
PARTY_ROLES = (("purchaser", "采购人"), ("implementing_agency", "项目实施机构"),
               ("residents_committee", "社区居民委员会"), ("subdistrict_office", "街道办事处"))


def _parties(project: dict[str, Any], events: list[Any]) -> list[str]:
    """Who took part: the project's parties as registered when the procurement opened and the
    supplier the award names (with its registered name where the agreement's signature gives
    it)."""
    lines = []
    for key, label in PARTY_ROLES:
        party = project.get(key)
        if isinstance(party, dict) and party.get("name"):
            lines.append(f"{label}：{party['name']}（{party.get('uscc', '—')}）")
    awarded = [ev for ev in events if isinstance(ev.payload, dict)
               and ev.type in ("ProcurementAwarded", "AwardNoticeIssued", "NextSupplierAwarded",
                               "EntrustmentDecided")
               and isinstance(ev.payload.get("data"), dict)]
    supplier = next((ev.payload["data"].get("supplier") or ev.payload["data"].get("entity")
                     for ev in reversed(awarded)), None)
    signed = next((ev.payload["signer"] for ev in events if ev.type == "AgreementSigned"
                   and ev.payload.get("party") == "social_capital"
                   and isinstance(ev.payload.get("signer"), dict)), None)
    if supplier:
        lines.append(f"成交（中标）供应商：{signed['name']}（{signed['uscc']}；编号 {supplier}）"
                     if signed else f"成交（中标）供应商：供应商编号 {supplier}")
    return lines or ["采购日志未记载当事方"]


def _key_dates(events: list[Any]) -> list[list[str]]:
    first: dict[str, Any] = {}
    for ev in events:
        if ev.type in KEY_EVENTS and (ev.type not in first or ev.type in LAST_OF_KIND):
            first[ev.type] = ev
    chosen = sorted(first.values(), key=lambda ev: ev.stream_seq)
    return [[LAST_OF_KIND.get(ev.type) or event_name(ev.type),
             minute(ev.occurred_at), f"第 {ev.stream_seq} 号"] for ev in chosen]


def build_sections(procurement: str, events: list[Any], labels: Any, chain: list[str],
                   replayed: Any) -> list[dict[str, Any]]:
    """The report's sections (see :func:`tenderflow.documents.pdf.render_document`): a
    one-page overview (the conclusion, the parties, the key dates), a compact table of every
    event, the rule checks with their sources, the late entries, the pinned definitions, and
    the hash chain for an auditor to recompute."""
    first, last = events[0], events[-1]
    project = (first.payload.get("project") if isinstance(first.payload, dict) else None) or {}
    checked = [ev for ev in events if isinstance(ev.payload, dict) and ev.payload.get("checks")]
    n_checks = sum(len(ev.payload["checks"]) for ev in checked)
    rules = {c.get("rule") for ev in checked for c in ev.payload["checks"]}
    late = [ev for ev in events if isinstance(ev.payload, dict)
            and isinstance(ev.payload.get("late_entry"), dict)]
    mode = labels.mode_title or (first.payload.get("mode") if isinstance(first.payload, dict)
                                 else "")
    summary = (f"{project.get('name', '')}（项目编号 {project.get('id', '')}），{mode}，"
               f"当前状态：{labels.state(replayed.state)}；采购日志共 {len(events)} 个事件，"
               f"{minute(first.occurred_at)} 至 {minute(last.occurred_at)}（北京时间）。")
    conclusion = [
        *verification_lines(chain, replayed),
        (f"规则核验：{len(checked)} 个步骤共核验 {n_checks} 次、{len(rules)} 条规则，记录时均"
         f"通过" if checked else "规则核验：无"),
        ("补录：" + (f"{len(late)} 个事件在发生后补录或于截止时间后录入，理由见“补录”一节"
                    if late else "无，每个事件都在发生后及时录入")),
    ]
    sections: list[dict[str, Any]] = [
        {"heading": "审计结论", "body": [summary, conclusion]},
        {"heading": "关键日期", "body": [{"table": {
            "columns": ["事项", "业务时间（北京时间）", "事件序号"],
            "rows": _key_dates(events)}}]},
        {"heading": "当事方（括号内为统一社会信用代码）", "body": [_parties(project, events)]},
        {"heading": "事件一览", "body": [{"table": {
            "columns": ["序号　事件", "业务时间", "状态", "操作人", "规则核验"],
            "rows": [event_row(ev, labels) for ev in events]}}]},
    ]
    if checked:
        titles = RuleTitles(labels.definitions)
        by_rule: dict[tuple[str, str], list[int]] = {}
        for ev in checked:
            for c in ev.payload["checks"]:
                seqs = by_rule.setdefault((str(c.get("rule")), str(c.get("source"))), [])
                if ev.stream_seq not in seqs:
                    seqs.append(ev.stream_seq)
        rows = [[f"{titles.title(rule)}（{rule}）。依据：{source_words(source)}",
                 "第 " + _ranges(seqs) + " 号"] for (rule, source), seqs in by_rule.items()]
        sections.append({"heading": "规则核验", "body": [
            "每个步骤记录时由守卫按当时锁定的规则逐项核验，下列核验均已通过（括号内为规则编号）。",
            {"table": {"columns": ["规则及依据", "核验该规则的事件"], "rows": rows}}]})
    if late:
        groups: dict[tuple[str, str], list[int]] = {}
        for ev in late:
            entry = ev.payload["late_entry"]
            key = (entry.get("reason", "（及时录入，截止后登记）"), entry.get("receipt", "—"))
            groups.setdefault(key, []).append(ev.stream_seq)
        late_rows = [[_ranges(seqs), str(len(seqs)), reason, receipt]
                     for (reason, receipt), seqs in groups.items()]
        sections.append({"heading": "补录（业务时间与记录时间相隔超过规定期限，或截止后录入的递交）",
                         "body": [{"table": {"columns": ["事件序号", "个数", "理由", "签收凭证"],
                                             "rows": late_rows}}]})
    sections.append({"heading": "锁定的定义（按内容哈希保存在数据库中，重放时使用）",
                     "body": [{"table": {"columns": ["定义", "SHA-256", "用于事件"],
                                         "rows": _pin_rows(events)}}]})
    sections.append({"heading": "哈希链（供审计人员重新计算）", "body": [
        (f"每个事件的哈希覆盖其内容和前一事件的哈希；业务时间与记录时间按原样列出。日志头哈希："
         f"{last.hash}。"), {"table": {"columns": ["事件", "时间", "哈希"],
                                     "rows": _chain_rows(events)}}]})
    return sections


def _pin_rows(events: list[Any]) -> list[list[str]]:
    sets: list[tuple[tuple[str, str], ...]] = []
    for ev in events:
        key = tuple(sorted((ev.pins or {}).items()))
        if key and key not in sets:
            sets.append(key)
    rows = []
    for key in sets:
        used = _ranges([ev.stream_seq for ev in events
                        if tuple(sorted((ev.pins or {}).items())) == key])
        rows += [[PIN_LABELS.get(kind, kind), digest, used] for kind, digest in key]
    return rows


def _chain_rows(events: list[Any]) -> list[list[str]]:
    rows = []
    previous = None
    for ev in events:
        hashes = f"本事件 {ev.hash}"
        if ev.prev_hash != previous:  # the first event, or a link the chain check names
            hashes = f"前一 {ev.prev_hash}；{hashes}"
        rows.append([f"第 {ev.stream_seq} 号 {event_name(ev.type)}",
                     f"业务 {ev.occurred_at}；记录 {ev.recorded_at}", hashes])
        previous = ev.hash
    return rows


class RuleTitles:
    """A rule id's Chinese title: its parameter (the pinned parameters), its entry in
    ``workflows/rules.yaml`` or its rule in the pinned eligibility ruleset."""

    def __init__(self, definitions: Any | None) -> None:
        from tenderflow.errors import TenderflowError
        from tenderflow.workflow.rulebook import load_rules

        self.params = getattr(definitions, "params", None)
        ruleset = getattr(definitions, "ruleset", None)
        self.ruleset = {r.id: r.title_zh for r in ruleset.rules} if ruleset is not None else {}
        try:
            self.book: Any = load_rules()
        except TenderflowError:
            self.book = None

    def title(self, rule: str | None) -> str:
        if not rule:
            return "—"
        if self.params is not None and rule in self.params:
            return str(self.params.get(rule).title_zh)
        if self.book is not None and rule in self.book:
            return str(self.book.get(rule).title_zh)
        return self.ruleset.get(rule, rule)


def _ranges(seqs: list[int]) -> str:
    """1, 2, 3, 5 → "1–3、5"."""
    parts: list[str] = []
    start = prev = seqs[0]
    for n in [*seqs[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return "、".join(parts)


PIN_LABELS = {"workflow": "流程定义", "parameters": "法定参数", "calendar": "工作日历",
              "ruleset": "准入规则", "template": "合同模板", "cover_template": "融资申请函模板",
              "manifest_template": "材料清单模板"}


class Labels:
    """State labels and transition titles from the pinned workflow (falls back to the event
    catalogue's Chinese names, tenderflow.events.names)."""

    def __init__(self, workflow: Any | None, definitions: Any | None = None) -> None:
        self.workflow = workflow
        self.definitions = definitions
        self.mode_title = workflow.title_zh if workflow is not None else ""

    def state(self, name: Any) -> str:
        if name is None:
            return "—"
        if self.workflow is None:
            return str(name)
        return str(self.workflow.label(str(name), "zh"))

    def title(self, ev: Any) -> str:
        trigger = ev.payload.get("trigger") if isinstance(ev.payload, dict) else None
        if self.workflow is not None and trigger:
            for t in self.workflow.transitions:
                if t.trigger == trigger and t.event == ev.type:
                    return str(t.title_zh)
        return event_name(ev.type)


def render_report(store: Any, procurement: str) -> tuple[bytes, ReportResult]:
    """The PDF bytes of one procurement's audit timeline, and what it concluded."""
    from tenderflow.audit.replay import (
        PinnedDefinitionError,
        PinnedDefinitions,
        replay_stream,
    )
    from tenderflow.audit.report_contract import contract_sections
    from tenderflow.documents.pdf import render_document
    from tenderflow.errors import ProcurementNotFound

    procurement = procurement.removeprefix("contract:")  # its procurement's report has it
    stream = f"procurement:{procurement}"
    with store.reading() as tx:
        if tx.head(stream)[0] == 0:
            raise ProcurementNotFound(f"no procurement {procurement!r}", procurement=procurement)
        events = list(events_of(tx, stream))
        chain = stream_verification(tx, stream)
        pinned = PinnedDefinitions(tx)
        replayed = replay_stream(tx, procurement, pinned)

        def labels_for(stream_events: list[Any]) -> Labels:
            """The labels of the workflow the stream's last pinned event pinned."""
            for ev in reversed(stream_events):
                if ev.pins:
                    try:
                        definitions = pinned.definitions(ev.pins)
                    except PinnedDefinitionError:
                        return Labels(None)
                    return Labels(definitions.workflow, definitions)
            return Labels(None)

        labels = labels_for(events)
        contract, contract_chain, contract_replay = contract_sections(tx, procurement, pinned,
                                                                      labels_for)
    head = events[-1].hash
    sections = build_sections(procurement, events, labels, chain, replayed)
    if contract:  # the contract's chapter follows the procurement's whole record
        sections[0]["body"][1].append(
            "合同履行：见“合同履行”各节（合同流 contract:" + procurement + "，哈希链"
            + ("核验通过" if not contract_chain else "核验未通过") + "，按锁定规则重放"
            + ("通过" if not contract_replay else "未通过") + "）")
        sections += contract
    pdf = render_document("采购过程审计时间线", sections, head,
                          subtitle=f"{procurement} · {labels.mode_title or ''}".strip(" ·"),
                          document_date=events[-1].occurred_at[:10])
    problems = list(chain)
    if replayed.violation is not None:
        problems.append(f"replay: {replayed.violation.text}")
    problems += [f"projection: {p}" for p in replayed.projection]
    problems += contract_chain + contract_replay
    result = ReportResult(procurement, "", hashlib.sha256(pdf).hexdigest(), len(events), head,
                          not chain and not contract_chain,
                          replayed.ok and not contract_replay, problems)
    return pdf, result


def write_report(store: Any, procurement: str, out: Path) -> ReportResult:
    from tenderflow.documents.pdf import write_pdf
    from tenderflow.errors import InputError

    if out.is_dir():
        raise InputError("is a folder, not a file", file=str(out), field="--out")
    if not out.parent.is_dir():
        raise InputError("the folder does not exist", file=str(out), field="--out",
                         expected="a file in an existing folder")
    pdf, result = render_report(store, procurement)
    write_pdf(out, pdf)
    result.file = str(out)
    return result
