"""Pieces of the audit report (tenderflow.audit.report) that its contract chapter
(tenderflow.audit.report_contract) shares: one stream's chain check, the verdict in words, an
event's line in the events table, a business time to the minute."""

from __future__ import annotations

from typing import Any

from tenderflow.errors import status_note
from tenderflow.events.names import event_name


def stream_verification(tx: Any, stream: str) -> list[str]:
    """The chain of one stream (and the definitions it pins), verified from the stored rows."""
    from tenderflow.audit.verify import ChainVerifier

    verifier = ChainVerifier()
    verifier.feed_all(tx.raw_events(stream_id=stream))
    heads = {k: v for k, v in tx.heads().items() if k == stream}
    pinned = {digest for _, digest in verifier.pinned}
    report = verifier.finish(heads, [d for d in tx.definitions() if d.hash in pinned])
    return [p.text for p in report.problems]


def minute(value: str | None) -> str:
    from tenderflow.documents.reports import time_text

    return time_text(value)


def verification_lines(chain: list[str], replayed: Any) -> list[str]:
    lines = ["哈希链核验：" + ("通过，每个事件的哈希、字段、前后链接与流头一致" if not chain
                          else "未通过：" + "；".join(chain))]
    if replayed.violation is None and not replayed.projection:
        lines.append(f"按锁定规则重放：通过，{replayed.decided} 个步骤按当时锁定的规则重新判定，"
                     f"结果与记录一致")
    else:
        v = replayed.violation
        if v is not None:
            refusals = "；".join(f"{r.get('guard') or r['rule']}［{r['rule']}］{r['reason']}"
                                f"（{r['source']}）{status_note(r.get('status'), 'zh', r.get('source'))}"
                                for r in v.refusals)
            lines.append(f"按锁定规则重放：未通过，第 {v.stream_seq} 号事件（{event_name(v.type)}，"
                         f"{v.type}）：{v.message}" + (f"；{refusals}" if refusals else ""))
        lines += [f"投影不一致：{diff}" for diff in replayed.projection]
    return lines


def event_row(ev: Any, labels: Any) -> list[str]:
    """One line of the events table: number and name, business time, state, actor, checks."""
    payload = ev.payload if isinstance(ev.payload, dict) else {}
    state = "—"
    if "to" in payload:
        to = labels.state(payload["to"])
        start = labels.state(payload.get("from")) if payload.get("from") else None
        state = f"{start} → {to}" if start and start != to else to
    checks = payload.get("checks") or []
    verdict = f"通过 {len(checks)} 项" if checks else ("无" if payload.get("trigger") else "—")
    return [f"{ev.stream_seq}　{event_name(ev.type)}", minute(ev.occurred_at), state, ev.actor,
            verdict]
