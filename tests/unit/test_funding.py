"""The funding plan (tenderflow.domain.components.funding) and the PPP fiscal checks
(tenderflow.domain.components.ppp_checks) as pure guards, with the real parameters."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from tenderflow.app.common import load_parameters
from tenderflow.domain.components.fiscal import parse_region, ratio_text
from tenderflow.domain.components.funding import balance, parse_plan, project_investment
from tenderflow.domain.money import Money
from tenderflow.domain.rules import GuardContext, evaluate
from tenderflow.domain.state import GUARDS
from tenderflow.errors import InputError

CST = timezone(timedelta(hours=8))
PROJECT = {"id": "BJ-JS-01", "region": "110105", "ppp": False,
           "scope": [{"item": "屋面防水", "category": "基础类", "cost": "30000000.00"},
                     {"item": "加装电梯", "category": "完善类", "cost": "10000000.00"}]}
REGION = {"region": "110105", "name": "北京市朝阳区", "source": "2023年预算报告",
          "budget": [{"year": 2023, "general_expenditure": "1000000000.00"},
                     {"year": 2024, "general_expenditure": "1000000000.00"}],
          "commitments": [{"project": "CY-1", "name": "道路", "payment": "government_pay",
                           "expenditure": [{"year": 2023, "amount": "40000000.00"},
                                           {"year": 2024, "amount": "90000000.00"}]}]}


def ctx(data: dict[str, Any], *, at: str = "2023-09-01T09:00:00+08:00",
        project: dict[str, Any] | None = None, region: dict[str, Any] | None = REGION
        ) -> GuardContext:
    facts = {"fiscal": {"region": "110105", "import": {"as_of": "2023-08-01"},
                        "data": region}} if region else {"fiscal": {"region": "110105"}}
    return GuardContext(procurement="BJ-JS-01", state={"project": project or PROJECT},
                        data=data, facts=facts, at=datetime.fromisoformat(at), actor="staff:wang",
                        params=load_parameters(), calendar=None, trigger="fund")


def run(name: str, c: GuardContext) -> Any:
    return evaluate(GUARDS, [name], c)[0].refusal


def plan(**sources: str) -> dict[str, Any]:
    return {"sources": [{"kind": k, "amount": v} for k, v in sources.items()]}


# --------------------------------------------------------------------------- the plan

def test_the_investment_is_the_sum_of_the_scope_costs() -> None:
    assert project_investment(PROJECT) == Money(Decimal("40000000.00"))
    assert project_investment({"id": "X", "estimated_investment": "5.00"}) == Money(Decimal(5))
    with pytest.raises(InputError, match="states no investment"):
        project_investment({"id": "X"})


@pytest.mark.parametrize(("residents", "passes"), [
    ("9999999.99", False), ("10000000.00", True), ("10000000.01", False)])
def test_a_plan_one_cent_off_is_refused_with_the_figures(residents: str, passes: bool) -> None:
    refusal = run("funding_plan_balanced",
                  ctx(plan(social_capital="30000000.00", residents=residents)))
    assert (refusal is None) is passes
    if not passes:
        assert refusal.rule == "funding.plan_balanced"
        assert refusal.numbers["investment"] == "40000000.00"
        assert refusal.numbers["difference"] in ("-0.01", "0.01")
        assert "¥0.01" in refusal.reason and "¥40,000,000.00" in refusal.reason


def test_contractor_advance_is_refused_naming_the_regulation() -> None:
    refusal = run("funding_no_contractor_advance",
                  ctx(plan(social_capital="30000000.00", contractor_advance="10000000.00")))
    assert refusal is not None and refusal.rule == "funding.no_contractor_advance"
    assert refusal.source == "政府投资条例 第22条" and "垫资" in refusal.reason
    assert refusal.numbers["contractor_advance"] == "10000000.00"
    assert run("funding_no_contractor_advance",
               ctx(plan(residents="40000000.00", contractor_advance="0"))) is None


def test_a_local_government_guarantee_is_refused_and_a_bank_one_is_not() -> None:
    data = plan(social_capital="40000000.00")
    data["guarantees"] = [{"guarantor": "某区财政局", "kind": "local_government",
                           "debtor": "social_capital", "amount": "40000000.00"}]
    refusal = run("funding_no_government_guarantee", ctx(data))
    assert refusal is not None and refusal.source == "预算法 第35条"
    assert refusal.numbers["guarantors"] == ["某区财政局"]
    data["guarantees"][0]["kind"] = "bank"
    assert run("funding_no_government_guarantee", ctx(data)) is None


@pytest.mark.parametrize(("data", "field"), [
    ({"sources": []}, "with.sources"),
    ({"sources": [{"kind": "lottery", "amount": "1.00"}]}, "with.sources[0].kind"),
    (plan(bank_loans="1", residents="1.001"), "with.sources[1].amount"),
    ({**plan(residents="1"), "guarantees": [{"kind": "mayor"}]}, "with.guarantees[0].kind"),
])
def test_a_malformed_plan_names_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as err:
        parse_plan(data)
    assert f"field '{field}'" in err.value.message


def test_balance_is_exact_and_a_kind_may_repeat() -> None:
    p = parse_plan({"sources": [{"kind": "bank_loans", "amount": "0.10", "party": "甲银行"},
                                {"kind": "bank_loans", "amount": "0.20", "party": "乙银行"}]})
    assert p.amount("bank_loans") == Money(Decimal("0.30"))
    assert balance(p, Money(Decimal("0.30"))) == Money(Decimal(0))


# --------------------------------------------------------------------------- PPP fiscal checks

def ppp(**terms: Any) -> dict[str, Any]:
    return {**plan(social_capital="40000000.00"),
            "ppp": {"form": "other", "payment": "government_pay", **terms}}


@pytest.mark.parametrize(("amount", "passes"), [
    ("10000000.00", True),    # 2024: 90,000,000 + 10,000,000 = 10.00% of 1,000,000,000
    ("10000000.01", False)])
def test_ten_percent_passes_and_a_cent_above_is_refused(amount: str, passes: bool) -> None:
    c = ctx(ppp(fiscal_expenditure=[{"year": 2024, "amount": amount}]))
    refusal = run("ppp_fiscal_affordability", c)
    assert (refusal is None) is passes
    if not passes:
        n = refusal.numbers
        assert (n["year"], n["general_budget"], n["existing"], n["project"], n["limit"]) == \
            (2024, "1000000000.00", "90000000.00", "10000000.01", "10.00%")
        assert n["share"] == "10.00%"  # rounded for display; the comparison is exact
        assert "above 10.00%" in refusal.reason and "¥90,000,000.00" in refusal.reason


def test_no_registered_budget_is_not_checked_and_names_the_command() -> None:
    refusal = run("ppp_fiscal_affordability", ctx(ppp(), region=None))
    assert refusal is not None and refusal.reason.startswith("not checked")
    assert "tenderflow fiscal import" in refusal.reason
    c = ctx(ppp(fiscal_expenditure=[{"year": 2026, "amount": "1.00"}]))
    refusal = run("ppp_fiscal_affordability", c)
    assert refusal is not None and "2026" in refusal.reason and "not checked" in refusal.reason


@pytest.mark.parametrize(("existing", "passes"), [("50000000.00", True), ("50000000.01", False)])
def test_no_new_government_pay_project_above_five_percent(existing: str, passes: bool) -> None:
    region = {**REGION, "commitments": [{"project": "CY-1", "name": "道路",
                                         "payment": "government_pay",
                                         "expenditure": [{"year": 2023, "amount": existing}]}]}
    c = ctx(ppp(), region=region)
    refusal = run("ppp_government_pay_cap", c)
    assert (refusal is None) is passes
    c.data["ppp"]["payment"] = "viability_gap"
    assert run("ppp_government_pay_cap", c) is None
    # the 5% rule is dated from the 2022 notice
    assert run("ppp_government_pay_cap", ctx(ppp(), region=region,
                                             at="2022-06-01T09:00:00+08:00")) is None


NEW = "2024-06-01T09:00:00+08:00"


def test_the_2023_mechanism_selects_by_date() -> None:
    terms = ppp(fiscal_expenditure=[{"year": 2024, "amount": "500000000.00"}])
    # before it: the 10% measure applies and refuses (590,000,000 of 1,000,000,000)
    assert run("ppp_fiscal_affordability", ctx(terms)) is not None
    assert run("ppp_new_mechanism", ctx(terms)) is None
    # after it: the 10% measure is not applied; the mechanism refuses government pay
    assert run("ppp_fiscal_affordability", ctx(terms, at=NEW)) is None
    refusal = run("ppp_new_mechanism", ctx(terms, at=NEW))
    assert refusal is not None and "使用者付费" in refusal.reason and "特许经营" in refusal.reason
    assert "¥500,000,000.00" in refusal.reason
    ok = ppp(payment="user_pay", form="concession", concession_years=10, category="market")
    assert run("ppp_new_mechanism", ctx(ok, at=NEW)) is None


@pytest.mark.parametrize(("stake", "passes"), [("0.3499", False), ("0.35", True)])
def test_private_stake_of_a_public_interest_project(stake: str, passes: bool) -> None:
    terms = ppp(payment="user_pay", form="concession", category="public_interest",
                private_stake=stake)
    refusal = run("ppp_private_stake", ctx(terms, at=NEW))
    assert (refusal is None) is passes
    if not passes:
        assert refusal.numbers == {"private_stake": "34.99%", "limit": "35.00%"}
    assert run("ppp_private_stake", ctx(terms)) is None  # before the mechanism


@pytest.mark.parametrize(("years", "at", "passes"), [
    (30, "2024-04-30T09:00:00+08:00", True), (31, "2024-04-30T09:00:00+08:00", False),
    (40, "2024-05-01T09:00:00+08:00", True), (41, "2024-05-01T09:00:00+08:00", False)])
def test_concession_term_limit_by_date(years: int, at: str, passes: bool) -> None:
    refusal = run("ppp_concession_term", ctx(ppp(form="concession", concession_years=years),
                                             at=at))
    assert (refusal is None) is passes


def test_social_capital_without_ppp_terms_is_not_checked() -> None:
    refusal = run("ppp_terms_stated", ctx(plan(social_capital="40000000.00")))
    assert refusal is not None and "not checked" in refusal.reason
    assert run("ppp_terms_stated", ctx(plan(residents="40000000.00"))) is None


# --------------------------------------------------------------------------- the region's file

def test_region_file_round_trips_and_sums_commitments() -> None:
    region = parse_region(REGION, file="r.yaml")
    assert region.committed(2024) == Money(Decimal("90000000.00"))
    assert parse_region(region.to_dict()) == region
    assert ratio_text(Decimal("0.1")) == "10.00%"


@pytest.mark.parametrize(("change", "where"), [
    ({"budget": []}, "field 'budget'"),
    ({"budget": [{"year": 2023, "general_expenditure": 5}, {"year": 2023,
                                                            "general_expenditure": 5}]},
     "budget[1]: field 'year'"),
    ({"region": "11 01"}, "field 'region'"),
    ({"extra": 1}, "field 'extra'"),
    ({"commitments": [{"project": "A", "name": "a", "payment": "free", "expenditure": []}]},
     "commitments[0]: field 'payment'"),
    ({"commitments": [{"project": "A", "name": "a", "payment": "user_pay",
                       "expenditure": [{"year": 99, "amount": "1"}]}]},
     "commitments[0].expenditure[0]: field 'year'"),
])
def test_a_bad_region_file_names_the_place(change: dict[str, Any], where: str) -> None:
    with pytest.raises(InputError) as err:
        parse_region({**REGION, **change}, file="r.yaml")
    assert err.value.message.startswith("r.yaml")
    assert where in err.value.message
