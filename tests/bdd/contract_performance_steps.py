"""Steps of features/contract/绩效评价.feature and 运营收入与调整.feature (the contract's yearly
performance evaluation, revenue against plan and the adjustment a shortfall opens). They fire
evaluate_performance, record_revenue and adjust through the application services and read
``status`` / ``next`` of the contract. The KPIs are those of the features' terms (K1, K2, K3 in
that order); the revenue plan is examples/project_jinsong.yaml's return model. Imported by
tests/bdd/test_contract.py, which runs features/contract/."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytest_bdd import given, parsers, then, when

from tests.bdd.conftest import World

PLAN_2025 = {"物业服务费": "2600000.00", "停车服务费": "1224000.00", "便民服务空间租金": "600000.00",
             "养老服务": "400000.00", "电梯运营服务费": "300000.00"}
APPROVALS = {"government": ("朝阳区住建委", "朝住建〔2026〕12号"),
             "social_capital": ("愿景明德（北京）控股集团有限公司", "愿景函〔2026〕3号")}
ADJUSTMENT_FIGURE = {"price_review": ("price_change_percent", "8"),
                     "subsidy": ("subsidy", "500000.00"),
                     "term_extension": ("term_years_change", 1)}
EVALUATION = ('"{actor}" 于 "{at}" 对 "{cid}" 进行 {year:d} 年度绩效评价：指标 "{kpis}"，'
              '调查 {surveyed:d} 户、满意 {satisfied:d} 户')
REVENUE = ('"{actor}" 于 "{at}" 记录 "{cid}" {year:d} 年收入：物业服务费 "{fees}"，停车服务费 '
           '"{parking}"，其余按计划')


@given(parsers.parse(EVALUATION))
@when(parsers.parse(EVALUATION))
def _evaluate(world: World, actor: str, at: str, cid: str, year: int, kpis: str,
              surveyed: int, satisfied: int) -> None:
    measured = [{"id": f"K{i}", "actual": v} for i, v in enumerate(kpis.split(","), start=1)]
    world.fire(cid, "evaluate_performance", {
        "year": year, "evaluated_on": at[:10], "kpis": measured,
        "survey": {"surveyed": surveyed, "satisfied": satisfied}}, actor, at)


@then(parsers.parse('"{cid}" 的 {year:d} 年度绩效为得分 "{score}"、"{verdict}"、扣减 "{deduction}"，'
                    '满意度 "{rate}"'))
def _evaluation(world: World, cid: str, year: int, score: str, verdict: str, deduction: str,
                rate: str) -> None:
    [e] = [e for e in world.services.status(cid)["evaluations"] if e["year"] == year]
    assert (e["score"], e["passed"], e["deduction"], e["satisfaction"]["rate"]) == \
        (score, verdict == "合格", deduction, rate), e


@given(parsers.parse('"{cid}" 未标出违约情形'))
def _no_breach(world: World, cid: str) -> None:
    assert world.error is None, world.error and world.error.message
    assert world.services.status(cid)["breach"] is None
    assert world.services.next(cid)["alerts"] == []


@then(parsers.parse('"{cid}" 的状态和下一步标出 {first:d} 年和 {second:d} 年连续不合格的违约情形'))
def _breach(world: World, cid: str, first: int, second: int) -> None:
    status = world.services.status(cid)
    assert status["breach"]["years"] == [first, second], status["breach"]
    assert [e["passed"] for e in status["evaluations"]] == [False, False]
    [alert] = world.services.next(cid)["alerts"]
    assert (alert["kind"], alert["years"]) == ("performance_breach", [first, second])


@given(parsers.parse(REVENUE))
@when(parsers.parse(REVENUE))
def _revenue(world: World, actor: str, at: str, cid: str, year: int, fees: str,
             parking: str) -> None:
    streams = {**PLAN_2025, "物业服务费": fees, "停车服务费": parking}
    world.fire(cid, "record_revenue", {"year": year, "streams": streams}, actor, at)


@then(parsers.parse('"{cid}" {year:d} 年收入合计 "{total}"、计划 "{plan}"、缺口比例 "{ratio}"，'
                    '{opened}'))
def _revenue_against_plan(world: World, cid: str, year: int, total: str, plan: str,
                          ratio: str, opened: str) -> None:
    status = world.services.status(cid)
    [r] = [r for r in status["revenues"] if r["year"] == year]
    assert (r["total"], r["plan_total"], r["shortfall_ratio"]) == (total, plan, ratio), r
    assert r["plan"] == PLAN_2025
    assert r["adjustment_opened"] is (opened == "已开启调整")
    assert (status["adjustment"] is not None) is (opened == "已开启调整")


@then(parsers.parse('"{cid}" 的下一步写明收入不足调整尚未完成'))
def _next_names_adjustment(world: World, cid: str) -> None:
    n = world.services.next(cid)
    [alert] = n["alerts"]
    assert (alert["kind"], alert["year"]) == ("adjustment_open", 2025), alert
    [handover] = [t for t in n["triggers"] if t["trigger"] == "hand_over"]
    reasons = [g.get("reason", "") for g in handover["guards"]]
    assert any("opened an adjustment" in r for r in reasons), reasons


def _adjust(world: World, actor: str, at: str, cid: str, kind: str, parties: list[str],
            figure: Any = None) -> None:
    approvals = [{"party": p, "body": APPROVALS[p][0], "reference": APPROVALS[p][1],
                  "date": at[:10]} for p in parties]
    key, value = ADJUSTMENT_FIGURE[kind]
    world.fire(cid, "adjust", {"kind": kind, "reason": "收入不足，按合同第16.2条调整",
                               "approvals": approvals, key: figure or value}, actor, at)


@when(parsers.parse('"{actor}" 于 "{at}" 对 "{cid}" 作出收入不足调整 "{kind}"，批准方 "{parties}"'))
def _adjust_kind(world: World, actor: str, at: str, cid: str, kind: str, parties: str) -> None:
    _adjust(world, actor, at, cid, kind, parties.split(","))


@when(parsers.parse('"{actor}" 于 "{at}" 对 "{cid}" 作出延长 {years:d} 年的收入不足调整'))
def _adjust_term(world: World, actor: str, at: str, cid: str, years: int) -> None:
    _adjust(world, actor, at, cid, "term_extension", ["government", "social_capital"], years)


@then(parsers.parse('"{cid}" 没有未完成的调整'))
def _closed(world: World, cid: str) -> None:
    status = world.services.status(cid)
    assert status["adjustment"] is None and status["alerts"] == []
    assert status["adjustments"][0]["year"] == 2025


@then(parsers.parse('"{cid}" 的收益测算：计划内部收益率 "{irr}"%，按实际收入重新测算后低于计划'))
def _reestimated(world: World, cid: str, irr: str) -> None:
    returns = world.services.status(cid)["returns"]
    assert returns["plan"]["irr_percent"] == irr
    assert returns["actual_years"] == [2025]
    assert float(returns["actual"]["irr_percent"]) < float(irr), returns
    assert Decimal(returns["actual"]["min_dscr"]) <= Decimal(returns["plan"]["min_dscr"]), returns
