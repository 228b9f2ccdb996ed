"""``audit report``: the timeline PDF names every event's actor, times, rule checks and hashes,
embeds its CJK font, is the same bytes for the same log, and states what the audit found."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tenderflow.audit.report import render_report
from tests.audit.conftest import AWARD


def text_of(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squeezed(text: str) -> str:
    """Without white space: a hash wrapped across two lines of a cell is whole again."""
    return "".join(text.split())


def test_report_is_a_timeline_of_every_event(recorded: Any) -> None:
    from tenderflow.events.names import event_name

    pdf, result = render_report(recorded.store, "CN-2023-001")
    assert pdf.startswith(b"%PDF") and result.ok and result.problems == []
    text = text_of(pdf)
    flat = squeezed(text)
    assert "采购过程审计时间线" in text and "审计结论" in text
    assert "哈希链核验：通过" in flat and "按锁定规则重放：通过" in flat
    with recorded.store.reading() as tx:
        events = list(tx.read_stream(AWARD))
    assert result.events == len(events) and result.head_hash == events[-1].hash
    for ev in events:
        assert squeezed(f"{ev.stream_seq}　{event_name(ev.type)}") in flat  # the events table
        assert ev.hash in flat  # the hash chain, with both times as recorded
        assert ev.occurred_at in flat and ev.recorded_at in flat
        assert squeezed(ev.actor) in flat
        for check in ev.payload.get("checks", []):
            assert check["rule"] in flat
            assert squeezed(check["source"].removesuffix(", secondary")
                            .removesuffix(", unconfirmed").removesuffix(", P")) in flat
    assert events[0].prev_hash in flat
    for digest in events[0].pins.values():
        assert digest in flat


def test_report_opens_with_a_one_page_overview_in_words(recorded: Any) -> None:
    """Issue 15: the first page holds the conclusion, the key dates and the parties; the
    events have Chinese names; no raw JSON, no English event type, no glyph the font lacks."""
    from pypdf import PdfReader

    pdf, _ = render_report(recorded.store, "CN-2023-001")
    pages = [squeezed(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]
    first = pages[0]
    for heading in ("审计结论", "关键日期", "当事方", "哈希链核验：通过", "规则核验：",
                    "确定成交供应商并发出成交通知书"):
        assert heading in first, heading
    assert "事件一览" not in first  # the overview is a page of its own
    everything = "".join(pages)
    with recorded.store.reading() as tx:
        types = {ev.type for ev in tx.read_stream(AWARD)}
    for raw in ("{\"", "\":", "✓", "✗", *types):
        assert raw not in everything, raw
    assert len(pages) < len(types) * 2


def test_every_event_type_has_a_chinese_name() -> None:
    from tenderflow.events.catalogue import SCHEMAS
    from tenderflow.events.names import EVENT_NAMES

    types = {p.stem for p in SCHEMAS.glob("*.json")}
    assert types, "no event schemas found"
    missing = sorted(types - set(EVENT_NAMES))
    assert not missing, f"event types without a Chinese name in tenderflow/events/names.py: " \
                        f"{missing}"
    assert not sorted(set(EVENT_NAMES) - types), "names for event types that do not exist"
    for zh, en in EVENT_NAMES.values():
        assert zh and en and not zh.isascii()


def test_report_embeds_its_cjk_font_and_is_deterministic(recorded: Any) -> None:
    from pypdf import PdfReader

    first, _ = render_report(recorded.store, "CN-2023-001")
    second, _ = render_report(recorded.store, "CN-2023-001")
    assert first == second
    reader = PdfReader(io.BytesIO(first))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            fonts.append(described["/FontDescriptor"].get_object())
    assert fonts and all("/FontFile2" in f for f in fonts)  # TrueType, embedded


def test_report_states_a_forged_step(attacker: Any, recorded: Any, invoke: Any,
                                     tmp_path: Path) -> None:
    from tenderflow.store.eventstore import NewEvent

    seq = attacker.seq_of(AWARD, "ProcurementAwarded")
    row = attacker.event(AWARD, seq)
    payload = json.loads(row["payload"])
    payload["data"]["supplier"] = "S-SLGC"
    attacker.forge(recorded.store, AWARD, seq - 1, [NewEvent(
        row["type"], payload, row["occurred_at"], row["actor"], json.loads(row["pins"]))])
    out = tmp_path / "report.pdf"
    result = invoke("audit", "report", "CN-2023-001", "--out", str(out))
    assert result.exit_code == 1, result.output
    assert "replay with the pinned rules: PROBLEM" in result.stdout
    assert "lowest_compliant_price" in result.stdout
    flat = squeezed(text_of(out.read_bytes()))
    assert "按锁定规则重放：未通过" in flat and f"第{seq}号事件" in flat
    assert "lowest_compliant_price" in flat


def test_report_of_a_broken_chain_says_so(attacker: Any, recorded: Any) -> None:
    attacker.set_column(AWARD, 3, "occurred_at", "2023-01-01T09:00:00+08:00")
    pdf, result = render_report(recorded.store, "CN-2023-001")
    assert not result.chain_ok and any(f"{AWARD} #3" in p for p in result.problems)
    assert "未通过" in squeezed(text_of(pdf))


def test_cli_report(recorded: Any, invoke: Any, tmp_path: Path) -> None:
    out = tmp_path / "CN-2023-001.pdf"
    result = invoke("--json", "audit", "report", "CN-2023-001", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    import hashlib

    assert data["ok"] is True and data["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


@pytest.mark.parametrize(("args", "message"), [
    (("NOPE", "--out", "{tmp}/x.pdf"), "no procurement 'NOPE'"),
    (("CN-2023-001", "--out", "{tmp}/missing/x.pdf"), "the folder does not exist"),
    (("CN-2023-001", "--out", "{tmp}"), "is a folder"),
])
def test_cli_report_bad_input_exits_2(recorded: Any, invoke: Any, tmp_path: Path,
                                      args: tuple[str, ...], message: str) -> None:
    result = invoke("audit", "report", *[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_report_lists_the_late_entries_with_their_reasons_and_receipts(recorded: Any) -> None:
    """The example is recorded years after it happened: the report says so, step by step."""
    pdf, _ = render_report(recorded.store, "CN-2023-001")
    flat = squeezed(text_of(pdf))
    with recorded.store.reading() as tx:
        late = [ev for ev in tx.read_stream(AWARD) if "late_entry" in ev.payload]
    assert late, "the recorded example should consist of late entries"
    assert "补录（业务时间与记录时间相隔超过规定期限" in flat
    assert f"{len(late)}个事件在发生后补录" in flat
    assert squeezed(late[0].payload["late_entry"]["reason"]) in flat
    receipts = [ev for ev in late if ev.payload["late_entry"].get("receipt")]
    assert receipts and squeezed(receipts[0].payload["late_entry"]["receipt"]) in flat
