"""The return model (tenderflow.domain.finance) on examples worked by hand, its loan schedules,
its input formats and properties (hypothesis).

Example A — the 劲松 model in round figures: 40,000,000 invested at year 0, 4,800,000 net a year
for 10 years.
  Payback: 40,000,000 / 4,800,000 = 8 1/3 years (after 8 years 38,400,000 is back; the
  remaining 1,600,000 is 1/3 of year 9's inflow) → 8.33.
  IRR: solve 4.8 · (1 − (1+r)^−10) / r = 40, i.e. the annuity factor is 25/3 = 8.3333.
  At r = 3.46 %: factor = 8.333398 → NPV ≈ +310; at 3.47 %: factor = 8.329195 → NPV ≈ −19,864.
  Linear interpolation: 3.46 % + 0.01 % · 310 / (310 + 19,864) = 3.46015 % → IRR 3.46 %.

Example B — uneven: 1,000 invested, then 300, 400, 500.
  Payback 2 + 300/500 = 2.6 years; IRR ≈ 8.896 % (NPV +1.88 at 8.8 %, −0.07 at 8.9 %).

Loan C — 1,000,000 at 5 % over 4 years, 1 year of grace:
  equal principal: year 1 interest 50,000; years 2-4 principal 333,333.33 / 333,333.33 /
  333,333.34, interest 50,000.00 / 33,333.33 / 16,666.67.
  equal instalment: A = 1,000,000 · 0.05 / (1 − 1.05^−3) = 367,208.56; year 2 interest 50,000,
  principal 317,208.56; year 3 interest 34,139.57, principal 333,068.99; year 4 the rest
  349,722.45 with interest 17,486.12 (payment 367,208.57: the cent of rounding).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenderflow.domain.finance.inputs import financing_loan, plan_inputs, project_inputs
from tenderflow.domain.finance.loan import Loan, repayment_schedule
from tenderflow.domain.finance.returns import (
    ReturnInputs,
    compute_returns,
    internal_rate_of_return,
    net_present_value,
    payback,
)
from tenderflow.errors import InputError

D = Decimal
FLOWS_A = [D(-40_000_000)] + [D(4_800_000)] * 10


def test_example_a_payback_irr_npv():
    assert payback(D(40_000_000), [D(4_800_000)] * 10).quantize(D("1e-20")) == \
        (D(25) / D(3)).quantize(D("1e-20"))
    rate = internal_rate_of_return(FLOWS_A)
    assert rate.quantize(D("0.0001")) == D("0.0346")
    assert rate.quantize(D("0.0000001")) == D("0.0346015")  # interpolated by hand
    assert net_present_value(D("0.0346"), FLOWS_A) == D("310.39")
    assert net_present_value(D("0.0347"), FLOWS_A) == D("-19863.58")
    assert net_present_value(D(0), FLOWS_A) == D(8_000_000)
    r = compute_returns(plan_inputs("40000000.00", ["4800000.00"] * 10))
    assert r.figures()["payback_years"] == "8.33"
    assert r.figures()["irr_percent"] == "3.46"
    assert r.npv is None and r.figures()["npv"] == "—"  # no rate given: no NPV


def test_example_b_uneven():
    flows = [D(-1000), D(300), D(400), D(500)]
    assert payback(D(1000), flows[1:]) == D("2.6")
    assert internal_rate_of_return(flows).quantize(D("0.00001")) == D("0.08896")


def test_never_paid_back_and_no_irr():
    r = compute_returns(plan_inputs("40000000.00", ["1000000.00"] * 10))
    assert r.payback_years is None
    assert r.figures()["payback_years"] == "计划期内不能收回投资"
    assert r.irr is not None and r.irr < 0
    assert internal_rate_of_return([D(100), D(100)]) is None
    assert internal_rate_of_return([D(-100)]) is None


def test_loan_c_equal_principal():
    rows = repayment_schedule(Loan(D(1_000_000), D("0.05"), 4, 1, "equal_principal"))
    assert [(r.interest, r.principal) for r in rows] == [
        (D("50000.00"), D("0.00")), (D("50000.00"), D("333333.33")),
        (D("33333.33"), D("333333.33")), (D("16666.67"), D("333333.34"))]
    assert rows[-1].closing == 0


def test_loan_c_equal_instalment():
    rows = repayment_schedule(Loan(D(1_000_000), D("0.05"), 4, 1, "equal_instalment"))
    assert [(r.interest, r.principal) for r in rows] == [
        (D("50000.00"), D("0.00")), (D("50000.00"), D("317208.56")),
        (D("34139.57"), D("333068.99")), (D("17486.12"), D("349722.45"))]
    assert [r.payment for r in rows[1:]] == [D("367208.56"), D("367208.56"), D("367208.57")]


def test_dscr_per_year_and_loan_beyond_the_plan():
    loan = Loan(D(1_000_000), D("0.05"), 4, 1, "equal_principal")
    r = compute_returns(ReturnInputs(D(1_500_000), ({"a": D(500_000)},) * 3, (D(100_000),) * 3,
                                     D("0.05"), loan))
    # net 400,000 a year; debt service 50,000 / 383,333.33 / 366,666.66
    assert [y.dscr for y in r.years] == [D("8.0000"), D("1.0435"), D("1.0909")]
    assert r.min_dscr == D("1.0435")
    assert r.unserved_years == [4]  # the loan's last year has no planned cash flow
    assert r.years[1].after_debt == D("16666.67")


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10**8), st.lists(st.integers(0, 10**7), min_size=1, max_size=20))
def test_npv_at_rate_zero_is_the_sum(investment, nets):
    flows = [D(-investment), *map(D, nets)]
    assert net_present_value(D(0), flows) == sum(flows)


@settings(max_examples=60, deadline=None)
@given(st.integers(10**5, 10**8), st.lists(st.integers(1, 10**7), min_size=2, max_size=20))
def test_irr_makes_npv_zero(investment, nets):
    flows = [D(-investment), *map(D, nets)]
    rate = internal_rate_of_return(flows)
    assert rate is not None  # one change of sign: exactly one real IRR above −100 %
    # NPV falls through zero within the IRR's last places (1e-8)
    step = D("2e-8")
    assert net_present_value(rate - step, flows) >= 0 >= net_present_value(rate + step, flows)
    if sum(nets) >= investment // 2:  # a project that returns at least half its investment:
        # the NPV at the IRR is zero to a millionth of the investment
        assert abs(net_present_value(rate, flows)) <= D(investment) * D("1e-6") + 1


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10**9), st.integers(0, 1500), st.integers(1, 30), st.data(),
       st.sampled_from(["equal_principal", "equal_instalment"]))
def test_schedule_repays_the_loan_to_the_cent(cents_amount, rate_bp, years, data, method):
    grace = data.draw(st.integers(0, years - 1))
    loan = Loan(D(cents_amount) / 100, D(rate_bp) / 10000, years, grace, method)
    rows = repayment_schedule(loan)
    assert sum(r.principal for r in rows) == loan.amount
    assert all(r.principal == 0 for r in rows[:grace])
    assert rows[-1].closing == 0 and all(r.principal >= 0 for r in rows)


def _record(**returns):
    return {"estimated_investment": "1000.00",
            "revenue_sources": [{"stream": "parking", "annual": "300.00", "matter": "majority"}],
            "returns": {"years": 5, "operating_costs": "0.00", **returns}}


def test_project_record_streams_grow_and_start():
    rec = _record(operating_costs=[{"item": "ops", "annual": "100.00", "from_year": 2},
                                   {"item": "site", "annual": "50.00", "to_year": 1}])
    rec["revenue_sources"][0].update(from_year=2, growth_percent="10")
    inputs = project_inputs(rec)
    assert [y["parking"] for y in inputs.revenue] == \
        [D("0.00"), D("300.00"), D("330.00"), D("363.00"), D("399.30")]
    assert inputs.costs == (D("50.00"), D("100.00"), D("100.00"), D("100.00"), D("100.00"))


@pytest.mark.parametrize("change, field", [
    ({"years": 0}, "returns.years"),
    ({"discount_rate_percent": "abc"}, "returns.discount_rate_percent"),
    ({"loan": {"amount": "10.00", "rate_percent": "4", "years": 3, "grace_years": 3}},
     "returns.loan.grace_years"),
    ({"loan": {"amount": "10.00", "rate_percent": "4", "years": 3, "repayment": "balloon"}},
     "returns.loan.repayment"),
    ({"loan": {"amount": 10.5, "rate_percent": "4", "years": 3}}, "returns.loan.amount"),
    ({"loan": {"amount": "10.00", "rate": "4", "years": 3}}, "returns.loan.rate"),
    ({"operating_costs": [{"annual": "1.00", "from_year": 9}]},
     "returns.operating_costs[0].from_year"),
])
def test_project_record_errors_name_the_field(change, field):
    with pytest.raises(InputError) as exc:
        project_inputs(_record(**change))
    assert exc.value.context["field"] == field


def test_financing_loan_from_the_letters_fields():
    loan, rate = financing_loan({"amount": "24000000.00", "term_years": 10, "grace_years": 2,
                                 "rate_percent": "4.2", "repayment": "等额本息",
                                 "discount_rate_percent": "6"})
    assert loan == Loan(D("24000000.00"), D("0.042"), 10, 2, "equal_instalment")
    assert rate == D("0.06")
    with pytest.raises(InputError, match="financing.rate_percent"):
        financing_loan({"amount": "1.00", "term_years": 2, "repayment": "等额本金",
                        "discount_rate_percent": "6"})
    with pytest.raises(InputError, match="financing.term_years"):
        financing_loan({"amount": "1.00", "term_years": 0, "rate_percent": "4",
                        "repayment": "等额本金", "discount_rate_percent": "6"})


def test_plan_inputs_are_checked():
    with pytest.raises(InputError, match="decimal string"):
        plan_inputs(40_000_000.0, ["4800000.00"])
    with pytest.raises(InputError):
        plan_inputs("40000000.00", [])
    with pytest.raises(InputError, match="operating costs"):
        plan_inputs("40000000.00", ["1.00", "2.00"], ["1.00"])
    with pytest.raises(InputError):
        plan_inputs("0", ["1.00"])
