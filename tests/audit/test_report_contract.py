"""``audit report`` of a procurement with a PPP contract stream (tenderflow.audit.report_contract):
the 合同履行 chapter follows the procurement's record — the contract's chain and replay, its
events by Chinese name, milestones planned against achieved with the late ones flagged,
payments with totals, variations, suspensions, and the end (termination with the
compensation's figures, or the handover's asset list). ``contract:ID`` gives the same report."""

from __future__ import annotations

from typing import Any

from tenderflow.audit.report import render_report
from tenderflow.events.names import event_name
from tests.audit.test_report import squeezed, text_of
from tests.conftest import at
from tests.unit.test_termination import _operating, _terminated


def test_the_jinsong_report_has_the_contract_chapter(all_examples: Any) -> None:
    from tenderflow.store.eventstore import EventStore

    store = EventStore(f"sqlite:///{all_examples}")
    try:
        pdf, result = render_report(store, "PPP-JS-001")
        again, _ = render_report(store, "contract:PPP-JS-001")
        with store.reading() as tx:
            events = list(tx.read_stream("contract:PPP-JS-001"))
    finally:
        store.dispose()
    assert result.ok and result.problems == [] and pdf == again
    flat = squeezed(text_of(pdf))
    assert "合同履行：见“合同履行”各节（合同流contract:PPP-JS-001，哈希链核验通过，按锁定规则重放通过）" \
        in flat
    for ev in events:
        assert squeezed(f"{ev.stream_seq}　{event_name(ev.type)}") in flat
    # milestones: M2 achieved 45 days late with its reason, M1 on time, M4 not yet due
    assert squeezed("M2　加装电梯投入使用（合同第8.2条）") in flat
    assert "2024-09-302024-11-14逾期完成（45天）电梯井道与燃气管线冲突，改线延误" in flat
    assert "2024-06-302024-06-28按期完成" in flat
    assert "2025-12-31—未到期" in flat
    # payments with the totals by kind, the variation, the two suspensions
    assert "合计补助资金¥3,000,000.00" in flat and "合计使用者付费¥912,000.00" in flat
    assert "V1（收入来源）" in flat and "新增共有部分经营（业主已重新表决）" in flat
    assert "合同第12.2条供暖季管线施工暂停" in flat and "合同第12.3条" in flat
    assert "提前终止与补偿" not in flat and "期满移交" not in flat


def test_a_termination_shows_the_compensation_figures(registered: Any) -> None:
    _terminated(registered, "government_default", "政府方未按约定履行协调义务")
    pdf, result = render_report(registered.store, "CN-2023-020")
    assert result.ok, result.problems
    flat = squeezed(text_of(pdf))
    assert "提前终止（政府方违约，依据合同第十二条）：政府方未按约定履行协调义务" in flat
    for row in ("已履行/剩余合作期3.0000年/7.0000年", "经审计确认的投资额¥3,600,000.00",
                "已回收投资（按合作期平均回收）¥1,080,000.00", "未回收投资¥2,520,000.00",
                "剩余合作期合理利润（年利润率6%）¥1,058,400.00", "约定补偿上限¥4,000,000.00",
                "应付补偿¥3,578,400.00"):
        assert row in flat, row


def test_a_handover_shows_the_assets_and_their_condition(registered: Any) -> None:
    cid = _operating(registered)
    registered.fire(cid, "hand_over", {
        "handed_over_on": "2026-09-30", "receiver": "浣花社区居民委员会",
        "assets": [{"name": "加装电梯（3部）", "condition": "good"},
                   {"name": "雨污分流管网", "condition": "fair", "note": "局部渗漏，已列入保修"}]},
        "staff:wang", at("2026-09-30T10:00+08:00"))
    pdf, result = render_report(registered.store, "contract:CN-2023-020")
    assert result.ok, result.problems
    flat = squeezed(text_of(pdf))
    assert "移交日期2026-09-30，接收方：浣花社区居民委员会" in flat
    assert "加装电梯（3部）良好—" in flat and "雨污分流管网一般局部渗漏，已列入保修" in flat
