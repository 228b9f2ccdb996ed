"""``audit report ID --out F.pdf``: the auditor's timeline of one procurement as a PDF.

The report opens with what the auditor concluded — the stream's hash chain verified or the
first broken event, the replay against the pinned rules clean or the first step they do not
allow — and then gives every event in order: its type and trigger, the state change, the
business time and the recorded time, the actor, each rule check it passed (guard, rule id,
legal source, as recorded in the payload's ``checks``), the definitions it pinned, and its
hash and previous hash. It is rendered by :func:`tenderflow.documents.pdf.render_document`
(A4, embedded TrueType CJK font, deterministic bytes, the stream's head hash in every page
footer), so the same log gives the same PDF.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenderflow.audit.reading import events_of
from tenderflow.errors import status_note
from tenderflow.store.canonical import canonical_json

MAX_DATA_CHARS = 300


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


def _stream_verification(tx: Any, stream: str) -> list[str]:
    """The chain of one stream (and the definitions it pins), verified from the stored rows."""
    from tenderflow.audit.verify import ChainVerifier

    verifier = ChainVerifier()
    verifier.feed_all(tx.raw_events(stream_id=stream))
    heads = {k: v for k, v in tx.heads().items() if k == stream}
    pinned = {digest for _, digest in verifier.pinned}
    report = verifier.finish(heads, [d for d in tx.definitions() if d.hash in pinned])
    return [p.text for p in report.problems]


def _row(label: str, value: Any) -> list[str]:
    return [label, "" if value is None else str(value)]


def _short_json(value: Any) -> str:
    text = canonical_json(value)
    return text if len(text) <= MAX_DATA_CHARS else text[: MAX_DATA_CHARS - 1] + "…"


def build_sections(procurement: str, events: list[Any], labels: Any, chain: list[str],
                   replayed: Any) -> list[dict[str, Any]]:
    """The report's sections (see :func:`tenderflow.documents.pdf.render_document`)."""
    first, last = events[0], events[-1]
    project = (first.payload.get("project") if isinstance(first.payload, dict) else None) or {}
    summary = [
        _row("采购编号", procurement),
        _row("项目", f"{project.get('name', '')}（{project.get('id', '')}）"),
        _row("采购方式", labels.mode_title or (first.payload.get("mode")
                                           if isinstance(first.payload, dict) else "")),
        _row("当前状态", labels.state(replayed.state)),
        _row("事件数", len(events)),
        _row("首个事件", f"{first.occurred_at}  {first.type}"),
        _row("最后事件", f"{last.occurred_at}  {last.type}"),
        _row("日志头哈希", last.hash),
        _row("哈希链核验", "通过：每个事件的哈希、字段、前后链接与流头一致" if not chain
             else "未通过：" + "；".join(chain)),
    ]
    if replayed.violation is None and not replayed.projection:
        summary.append(_row("按锁定规则重放", f"通过：{replayed.decided} 个步骤按当时锁定的"
                                          f"规则重新判定，结果与记录一致"))
    else:
        v = replayed.violation
        if v is not None:
            refusals = "；".join(f"{r.get('guard') or r['rule']}［{r['rule']}］{r['reason']}"
                                f"（{r['source']}）{status_note(r.get('status'), 'zh', r.get('source'))}"
                                for r in v.refusals)
            summary.append(_row("按锁定规则重放",
                                f"未通过：第 {v.stream_seq} 号事件 {v.type}：{v.message}"
                                + (f"；{refusals}" if refusals else "")))
        for diff in replayed.projection:
            summary.append(_row("投影不一致", diff))
    late = [ev for ev in events if isinstance(ev.payload, dict)
            and isinstance(ev.payload.get("late_entry"), dict)]
    summary.append(_row("补录", f"{len(late)} 个事件在发生后补录或于截止时间后录入，理由与签收凭证"
                              f"见“补录”一节" if late else "无：每个事件都在发生后及时录入"))
    pin_sets: list[tuple[tuple[str, str], ...]] = []
    for ev in events:
        key = tuple(sorted((ev.pins or {}).items()))
        if key and key not in pin_sets:
            pin_sets.append(key)
    pin_rows = []
    for n, key in enumerate(pin_sets, start=1):
        used = [str(ev.stream_seq) for ev in events
                if tuple(sorted((ev.pins or {}).items())) == key]
        for kind, digest in key:
            pin_rows.append([f"定义组 {n}：{PIN_LABELS.get(kind, kind)}", digest])
        pin_rows.append([f"定义组 {n}：用于事件", "、".join(used)])
    sections: list[dict[str, Any]] = [
        {"heading": "审计结论", "body": [{"table": {"columns": ["项目", "内容"],
                                                    "rows": summary}}]},
    ]
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
    if pin_rows:
        sections.append({"heading": "锁定的定义（按内容哈希保存在数据库中，重放时使用）",
                         "body": [{"table": {"columns": ["定义", "SHA-256"], "rows": pin_rows}}]})
    for ev in events:
        payload = ev.payload if isinstance(ev.payload, dict) else {}
        rows = [_row("事件", ev.type)]
        if payload.get("trigger"):
            rows.append(_row("触发", payload["trigger"]))
        if "to" in payload:
            start = labels.state(payload.get("from")) if payload.get("from") else "—"
            rows.append(_row("状态变化", f"{start} → {labels.state(payload['to'])}"))
        rows += [_row("业务时间", ev.occurred_at), _row("记录时间", ev.recorded_at),
                 _row("操作人", ev.actor)]
        if isinstance(payload.get("late_entry"), dict):
            entry = payload["late_entry"]
            rows.append(_row("补录", "；".join(
                x for x in (entry.get("reason") and f"理由：{entry['reason']}",
                            entry.get("receipt") and f"签收凭证：{entry['receipt']}") if x)))
        checks = payload.get("checks") or []
        if checks:
            for i, check in enumerate(checks, start=1):
                rows.append(_row(f"规则检查 {i}", f"✓ {check.get('guard')}［{check.get('rule')}］"
                                              f"{check.get('source')}"))
        elif payload.get("trigger"):
            rows.append(_row("规则检查", "（该步骤没有规则检查）"))
        if payload.get("data"):
            rows.append(_row("数据", _short_json(payload["data"])))
        if payload.get("findings"):
            rows.append(_row("认定结果", _short_json(payload["findings"])))
        key = tuple(sorted((ev.pins or {}).items()))
        if key:
            rows.append(_row("锁定的定义", f"定义组 {pin_sets.index(key) + 1}"))
        rows += [_row("前一哈希", ev.prev_hash), _row("本事件哈希", ev.hash)]
        sections.append({"heading": f"第 {ev.stream_seq} 号事件  {labels.title(ev)}",
                         "body": [{"table": {"columns": ["项目", "内容"], "rows": rows}}]})
    return sections


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
              "ruleset": "准入规则"}


class Labels:
    """State labels and transition titles from the pinned workflow (falls back to names)."""

    def __init__(self, workflow: Any | None) -> None:
        self.workflow = workflow
        self.mode_title = workflow.title_zh if workflow is not None else ""

    def state(self, name: Any) -> str:
        if name is None:
            return "—"
        if self.workflow is None:
            return str(name)
        return f"{self.workflow.label(str(name), 'zh')}（{name}）"

    def title(self, ev: Any) -> str:
        trigger = ev.payload.get("trigger") if isinstance(ev.payload, dict) else None
        if self.workflow is not None and trigger:
            for t in self.workflow.transitions:
                if t.trigger == trigger and t.event == ev.type:
                    return t.title_zh
        return "开启采购" if ev.type == "ProcurementCreated" else ""


def render_report(store: Any, procurement: str) -> tuple[bytes, ReportResult]:
    """The PDF bytes of one procurement's audit timeline, and what it concluded."""
    from tenderflow.audit.replay import (
        PinnedDefinitionError,
        PinnedDefinitions,
        replay_stream,
    )
    from tenderflow.documents.pdf import render_document
    from tenderflow.errors import ProcurementNotFound

    stream = f"procurement:{procurement}"
    with store.reading() as tx:
        if tx.head(stream)[0] == 0:
            raise ProcurementNotFound(f"no procurement {procurement!r}", procurement=procurement)
        events = list(events_of(tx, stream))
        chain = _stream_verification(tx, stream)
        pinned = PinnedDefinitions(tx)
        replayed = replay_stream(tx, procurement, pinned)
        workflow = None
        for ev in reversed(events):
            if ev.pins:
                try:
                    workflow = pinned.definitions(ev.pins).workflow
                except PinnedDefinitionError:
                    workflow = None
                break
    labels = Labels(workflow)
    head = events[-1].hash
    sections = build_sections(procurement, events, labels, chain, replayed)
    pdf = render_document("采购过程审计时间线", sections, head,
                          subtitle=f"{procurement} · {labels.mode_title or ''}".strip(" ·"),
                          document_date=events[-1].occurred_at[:10])
    problems = list(chain)
    if replayed.violation is not None:
        problems.append(f"replay: {replayed.violation.text}")
    problems += [f"projection: {p}" for p in replayed.projection]
    result = ReportResult(procurement, "", hashlib.sha256(pdf).hexdigest(), len(events), head,
                          not chain, replayed.ok, problems)
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
