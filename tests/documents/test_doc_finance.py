"""Payback period and IRR on examples worked by hand.

Example A — the 劲松 model in round figures: 40,000,000 invested at year 0, 4,800,000 net a year
for 10 years.
  Payback: 40,000,000 / 4,800,000 = 8 1/3 years (after 8 years 38,400,000 is back; the
  remaining 1,600,000 is 1/3 of year 9's inflow) → 8.33.
  IRR: solve 4.8 · (1 − (1+r)^−10) / r = 40, i.e. the annuity factor is 25/3 = 8.3333.
  At r = 3.46 %: 1.0346^10 = 1.405157…, factor = (1 − 1/1.405096)/0.0346 = 8.333398 → NPV ≈ +310.
  At r = 3.47 %: 1.0347^10 = 1.406515…, factor = 8.329195 → NPV ≈ −19,864.
  Linear interpolation: 3.46 % + 0.01 % · 310 / (310 + 19,864) = 3.46015 % → IRR 3.46 %.
  Over the 10 years 48,000,000 comes back, 8,000,000 more than was invested.

Example B — uneven: 1,000 invested, then 300, 400, 500.
  Payback: after 2 years 700 is back; 300 of year 3's 500 → 2 + 300/500 = 2.6 years.
  IRR: at 8.8 % NPV = 275.74 + 337.91 + 388.23 − 1,000 = +1.88;
       at 8.9 % NPV = 275.48 + 337.29 + 387.16 − 1,000 = −0.07 → IRR ≈ 8.896 %.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tenderflow.documents.finance import financial_summary, irr, npv, payback_period
from tenderflow.domain.money import Money
from tenderflow.errors import InputError

D = Decimal
FLOWS_A = [D(-40_000_000)] + [D(4_800_000)] * 10


def test_payback_example_a_exact():
    years = payback_period(D(40_000_000), [D(4_800_000)] * 10)
    assert years.quantize(D("1e-20")) == (D(25) / D(3)).quantize(D("1e-20"))  # 8 1/3
    summary = financial_summary("40000000.00", ["4800000.00"] * 10)
    assert summary.payback_text == "8.33"


def test_irr_example_a():
    rate = irr(FLOWS_A)
    assert rate is not None
    assert rate.quantize(D("0.0001")) == D("0.0346")  # 3.46 %
    assert rate.quantize(D("0.0000001")) == D("0.0346015")  # interpolated by hand: 3.46015 %
    assert npv(D("0.0346"), FLOWS_A) > 0 > npv(D("0.0347"), FLOWS_A)
    assert abs(npv(D("0.0346"), FLOWS_A) - D("310.39")) < D("0.01")
    assert abs(npv(D("0.0347"), FLOWS_A) - D("-19863.58")) < D("0.01")
    assert abs(npv(rate, FLOWS_A)) < D("0.001")
    assert npv(D(0), FLOWS_A) == D(8_000_000)


def test_summary_fields_example_a():
    summary = financial_summary("40000000.00", ["4800000.00"] * 10)
    assert summary.fields() == {"payback_years": "8.33", "irr_percent": "3.46"}
    assert summary.investment == Money(D("40000000.00"))
    assert [y.net for y in summary.years] == [D("4800000.00")] * 10


def test_example_b_uneven():
    flows = [D(-1000), D(300), D(400), D(500)]
    assert payback_period(D(1000), flows[1:]) == D("2.6")
    rate = irr(flows)
    assert D("0.088") < rate < D("0.089")
    assert rate.quantize(D("0.00001")) == D("0.08896")
    assert npv(D("0.088"), flows) > 0 > npv(D("0.089"), flows)


def test_revenue_by_source_and_costs():
    year = {"property_fees": "1500000.00", "parking": "1800000.00", "elevators": "900000.00",
            "elderly_care": "400000.00", "convenience_services": "200000.00"}
    summary = financial_summary("40000000.00", [year] * 10,
                                operating_costs=["0.00"] * 10)
    assert summary.years[0].total_revenue == Money(D("4800000.00"))
    assert summary.fields() == {"payback_years": "8.33", "irr_percent": "3.46"}
    with_costs = financial_summary("40000000.00", [year] * 12,
                                   operating_costs=["800000.00"] * 12)
    # 4,000,000 net a year: payback exactly 10 years
    assert with_costs.payback_years == D(10)
    table = with_costs.sections()[1]["body"][1]["table"]
    assert table["columns"][:3] == ["年度", "物业服务", "停车"]
    assert "运营成本" in table["columns"]
    assert table["rows"][9][-1] == "¥0.00"  # cumulative net at year 10
    assert table["rows"][0][-1] == "-¥36,000,000.00"


def test_never_paid_back():
    summary = financial_summary("40000000.00", ["1000000.00"] * 10)
    assert summary.payback_years is None
    assert summary.payback_text == "计划期内不能收回投资"
    # the money does not come back: the IRR is negative
    assert summary.irr is not None and summary.irr < 0


def test_no_sign_change_has_no_irr():
    assert irr([D(100), D(100)]) is None
    assert irr([D(-100)]) is None


def test_inputs_are_checked():
    with pytest.raises(InputError, match="decimal string"):
        financial_summary(40_000_000.0, ["4800000.00"])
    with pytest.raises(InputError):
        financial_summary("40000000.00", [])
    with pytest.raises(InputError, match="operating costs"):
        financial_summary("40000000.00", ["1.00", "2.00"], operating_costs=["1.00"])
    with pytest.raises(InputError):
        financial_summary("0", ["1.00"])
