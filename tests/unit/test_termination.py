"""The early-termination compensation formula (tenderflow.domain.modes.ppp_contract.termination,
rule contract.termination_compensation): worked figures by ground and recovery method, and
properties that hold for any recorded figures — never negative, never above the cap, not
growing as the term runs out, growing with the audited investment, the social capital's default
never paid more than the government's. And the handover: an asset list with conditions is
required, and status shows it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenderflow.app.scenario import run_scenario
from tenderflow.domain.modes.ppp_contract.termination import compensation
from tenderflow.errors import TenderflowError
from tenderflow.paths import examples_dir
from tests.conftest import at

TERMS = {"clause": "合同第十二条", "term_start": "2023-10-01", "term_years": 10,
         "return_rate_percent": "6", "cap": "4000000.00", "recovery": "straight_line",
         "force_majeure_share_percent": "100", "mutual_agreement_share_percent": "50"}
GROUNDS = ("government_default", "public_interest", "social_capital_default", "force_majeure",
           "mutual_agreement")


def _pay(kind: str, amount: str, on: str) -> dict[str, Any]:
    return {"kind": kind, "amount": amount, "paid_on": on, "payer": "区住建局", "payee": "乙方"}


def test_three_years_into_ten_by_ground() -> None:
    """3,600,000 audited, straight-line: 3/10 recovered; 7 years remain at 6 %."""
    on = date(2026, 9, 30)  # 1,095 days (a 29 February between) = 3 years of 365 days
    got = {g: compensation(g, TERMS, "3600000.00", on, [], [{"amount": "500000.00"}])
           for g in GROUNDS}
    assert got["government_default"]["recovered"] == "1080000.00"
    assert got["government_default"]["reasonable_return"] == "1058400.00"  # 2.52M × 6% × 7
    assert {g: f["compensation"] for g, f in got.items()} == {
        "government_default": "3578400.00", "public_interest": "3578400.00",
        "social_capital_default": "2020000.00", "force_majeure": "2520000.00",
        "mutual_agreement": "1260000.00"}
    assert not any(f["capped"] for f in got.values())


def test_payments_recover_only_the_kinds_named_and_paid_by_the_day() -> None:
    terms = {**TERMS, "recovery": "payments", "recovering_kinds": ["subsidy"]}
    payments = [_pay("subsidy", "600000.00", "2024-01-10"), _pay("user_charge", "900000.00",
                                                                 "2025-01-10"),
                _pay("subsidy", "100000.00", "2027-01-10")]
    f = compensation("government_default", terms, "3600000.00", date(2026, 9, 30), payments, [])
    assert (f["recovered"], f["unrecovered"], f["before_cap"], f["compensation"], f["capped"]) \
        == ("600000.00", "3000000.00", "4260000.00", "4000000.00", True)


def test_the_term_extended_by_variation_and_a_termination_after_the_term() -> None:
    f = compensation("government_default", TERMS, "3600000.00", date(2026, 9, 30), [], [],
                     extension_years=2)
    assert (f["term_years"], f["remaining_years"], f["recovered"]) == (12, "9.0000", "900000.00")
    late = compensation("government_default", TERMS, "3600000.00", date(2034, 1, 1), [], [])
    assert (late["remaining_years"], late["unrecovered"], late["compensation"]) == \
        ("0.0000", "0.00", "0.00")


def test_deductions_beyond_the_unrecovered_investment_leave_nothing_not_a_debt() -> None:
    f = compensation("social_capital_default", TERMS, "3600000.00", date(2026, 9, 30), [],
                     [{"amount": "3000000.00"}])
    assert f["compensation"] == "0.00"


money = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
terms_st = st.fixed_dictionaries({
    "term_years": st.integers(1, 40), "return_rate_percent": st.sampled_from(["0", "4.5", "6",
                                                                              "8.25"]),
    "cap": money.map(str), "recovery": st.sampled_from(["straight_line", "payments"]),
    "force_majeure_share_percent": st.sampled_from(["0", "50", "100"]),
    "mutual_agreement_share_percent": st.sampled_from(["0", "33.3", "100"])})


@settings(max_examples=150, deadline=None)
@given(terms=terms_st, audited=money, ground=st.sampled_from(GROUNDS),
       days=st.integers(-400, 40 * 366), later=st.integers(0, 3000),
       paid=st.lists(money, max_size=4), deducted=st.lists(money, max_size=3))
def test_properties(terms: dict[str, Any], audited: Decimal, ground: str, days: int, later: int,
                    paid: list[Decimal], deducted: list[Decimal]) -> None:
    terms = {**terms, "term_start": "2020-01-01", "recovering_kinds": ["subsidy"]}
    start = date(2020, 1, 1)
    payments = [_pay("subsidy", str(p), "2019-06-01") for p in paid]
    deductions = [{"amount": str(d)} for d in deducted]
    on, after = start + timedelta(days=days), start + timedelta(days=days + later)
    f = compensation(ground, terms, str(audited), on, payments, deductions)
    g = compensation(ground, terms, str(audited), after, payments, deductions)
    amount = Decimal(f["compensation"])
    assert Decimal(0) <= amount <= Decimal(terms["cap"])
    assert amount <= Decimal(f["before_cap"]) and f["capped"] == (amount < Decimal(f["before_cap"]))
    assert Decimal(g["compensation"]) <= amount, (f, g)  # monotone in the years elapsed
    assert Decimal(f["unrecovered"]) <= audited
    more = compensation(ground, terms, str(audited + 1000), on, payments, deductions)
    assert Decimal(more["compensation"]) >= amount  # monotone in the audited investment
    if ground == "social_capital_default":
        gov = compensation("government_default", terms, str(audited), on, payments, deductions)
        assert amount <= Decimal(gov["compensation"])


# --- handover --------------------------------------------------------------------------------

def _operating(services: Any) -> str:
    report = run_scenario(services, examples_dir() / "negotiation_contract.yaml")
    assert report.ok
    services.open_procurement("CN-2023-020", None, "ppp_contract", "staff:wang",
                              at("2023-04-10T09:00+08:00"))
    cid = "contract:CN-2023-020"
    services.fire(cid, "approve_financing", {"lender": "成都银行青羊支行", "amount": "2000000.00",
                                             "approval_number": "成银贷〔2023〕56号",
                                             "approved_on": "2023-04-20"},
                  "finance:li", at("2023-04-20T10:00+08:00"))
    for party in services.status(cid)["coordination"]["required"]:
        services.fire(cid, "sign_off", {"party": party, "organisation": f"{party} 单位",
                                        "signatory": "经办人", "decision": "agree"},
                      "staff:wang", at("2023-04-21T10:00+08:00"))
    for trigger, data, when in (
            ("start_construction", {"started_on": "2023-04-24", "permit": "P-1"}, "2023-04-24"),
            ("accept_completion", {"accepted_on": "2023-09-29", "report": "竣工验收报告",
                                   "participants": ["青羊区住建局"]}, "2023-09-29"),
            ("start_operation", {"started_on": "2023-10-01", "operator": "成都华西建设有限公司"},
             "2023-10-01")):
        services.fire(cid, trigger, data, "staff:wang", at(f"{when}T10:00+08:00"))
    return cid


def _terminated(services: Any, ground: str, reason: str) -> str:
    """CN-2023-020's contract operating from 2023-10-01, its investment audited (3,600,000)
    and the terms of TERMS recorded, terminated on ``ground`` on 2026-09-30."""
    cid = _operating(services)
    services.fire(cid, "record_audited_investment", {
        "amount": "3600000.00", "auditor": "四川华信会计师事务所", "report": "川华信审〔2023〕212号",
        "audited_on": "2023-10-08"}, "staff:wang", at("2023-10-08T10:00+08:00"))
    services.fire(cid, "record_termination_terms", TERMS, "legal:sun",
                  at("2023-10-09T10:00+08:00"))
    services.fire(cid, "terminate", {"ground": ground, "reason": reason,
                                     "clause": "合同第十二条"}, "legal:sun",
                  at("2026-09-30T10:00+08:00"))
    return cid


def test_handover_needs_assets_with_conditions_and_status_shows_them(registered: Any) -> None:
    cid = _operating(registered)
    before = registered.state(cid)["version"]
    for assets in ([], [{"name": "加装电梯（3部）"}], [{"name": "电梯", "condition": "unknown"}]):
        with pytest.raises(TenderflowError) as refused:
            registered.fire(cid, "hand_over", {"handed_over_on": "2026-09-30",
                                               "receiver": "浣花社区居民委员会", "assets": assets},
                            "staff:wang", at("2026-09-30T10:00+08:00"))
        assert "assets" in refused.value.message, refused.value.message
        assert registered.state(cid)["version"] == before
    assets = [{"name": "加装电梯（3部）", "condition": "good"},
              {"name": "雨污分流管网", "condition": "fair", "note": "局部渗漏，已列入保修"}]
    registered.fire(cid, "hand_over", {"handed_over_on": "2026-09-30", "receiver": "浣花社区居民委员会",
                                       "assets": assets}, "staff:wang",
                    at("2026-09-30T10:00+08:00"))
    status = registered.status(cid)
    assert status["state"] == "handed_over"
    assert status["handover"]["assets"] == assets
    assert status["handover"]["receiver"] == "浣花社区居民委员会"
