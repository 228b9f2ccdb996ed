"""The arithmetic of the contract's yearly evaluation and revenue check
(tenderflow/domain/modes/ppp_contract/performance.py, revenue.py), as properties: the score is
the weights of what passed; the deduction is zero exactly at or above the pass score, never
above the cap, never rising with the score, and equal to the exact figure rounded half up to
the cent; the survey passes exactly when satisfied × 100 ≥ threshold × surveyed; the shortfall
opens an adjustment exactly when actual × 100 < threshold × plan."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from tenderflow.domain.modes.ppp_contract.performance import (
    deduction_of,
    evaluate,
    rate_text,
    satisfaction_passed,
    score_of,
)
from tenderflow.domain.modes.ppp_contract.revenue import compare

points = st.integers(min_value=0, max_value=10000).map(lambda n: Decimal(n) / 100)  # 0–100
money = st.integers(min_value=0, max_value=10**11).map(lambda n: Decimal(n) / 100)


@st.composite
def terms(draw: st.DrawFn) -> dict:
    n = draw(st.integers(min_value=1, max_value=6))
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=10000), min_size=n,
                                max_size=n)))
    bounds = [0, *cuts, 10000]
    weights = [Decimal(b - a) / 100 for a, b in pairwise(bounds)]
    kpis = [{"id": f"K{i}", "name": f"指标{i}", "unit": "%", "target": str(draw(points)),
             "direction": draw(st.sampled_from(["ge", "le"])), "weight": str(w)}
            for i, w in enumerate(weights[:-1])]
    return {"kpis": kpis,
            "satisfaction": {"threshold_percent": str(draw(points)), "min_sample": 1,
                             "weight": str(weights[-1])},
            "pass_score": str(draw(points)),
            "deduction": {"base": str(draw(money)), "percent_per_point": str(draw(points)),
                          "cap_percent": str(draw(points))}}


@settings(max_examples=300, deadline=None)
@given(terms(), st.data())
def test_score_and_deduction(t: dict, data: st.DataObject) -> None:
    passed = {k["id"]: data.draw(st.booleans()) for k in t["kpis"]}
    survey = data.draw(st.booleans())
    score = score_of(t, passed, survey)
    expected = sum((Decimal(k["weight"]) for k in t["kpis"] if passed[k["id"]]), Decimal(0)) \
        + (Decimal(t["satisfaction"]["weight"]) if survey else 0)
    assert score == expected and Decimal(0) <= score <= Decimal(100)
    d, base = deduction_of(t, score), Decimal(t["deduction"]["base"])
    pass_score, cap = Decimal(t["pass_score"]), Decimal(t["deduction"]["cap_percent"])
    assert d >= 0 and d <= (base * cap / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if score >= pass_score:
        assert d == 0
    exact = Fraction(base) * min(Fraction(max(pass_score - score, Decimal(0))) *
                                 Fraction(Decimal(t["deduction"]["percent_per_point"])),
                                 Fraction(cap)) / 100
    assert d == (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.01"), ROUND_HALF_UP)
    higher = min(score + Decimal("0.01"), Decimal(100))
    assert deduction_of(t, higher) <= d


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=100000), st.data(), points)
def test_satisfaction_is_exact(surveyed: int, data: st.DataObject, threshold: Decimal) -> None:
    satisfied = data.draw(st.integers(min_value=0, max_value=surveyed))
    assert satisfaction_passed(str(threshold), surveyed, satisfied) is \
        (Fraction(satisfied * 100) >= Fraction(threshold) * surveyed)
    rate = Decimal(rate_text(satisfied, surveyed))
    assert abs(Fraction(rate) - Fraction(satisfied, surveyed)) <= Fraction(1, 20000)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["物业", "停车", "养老"]), money, min_size=1),
       st.data(), points)
def test_shortfall_opens_adjustment_exactly(plan: dict, data: st.DataObject,
                                            threshold: Decimal) -> None:
    actual = {s: str(data.draw(money)) for s in plan}
    found = compare({"revenue": {"shortfall_threshold_percent": str(threshold)}}, 2030, actual,
                    plan)
    total, planned = sum(map(Decimal, actual.values())), sum(plan.values(), Decimal(0))
    assert found["adjustment_opened"] is (planned > 0 and total * 100 < threshold * planned)
    assert Decimal(found["shortfall_ratio"]) >= 0
    if planned > 0:
        gap = Fraction(max(planned - total, Decimal(0))) / Fraction(planned)
        assert abs(Fraction(Decimal(found["shortfall_ratio"])) - gap) <= Fraction(1, 20000)


def test_the_record_of_a_failed_year() -> None:
    """The example's 2027: the survey at 75% fails, the score 70 is 10 points below 80, 10% of
    the 3,950,000.00 base is deducted; the second failed year running is a breach."""
    t = {"kpis": [{"id": "K1", "name": "完好率", "unit": "%", "target": "95", "direction": "ge",
                   "weight": "70"}],
         "satisfaction": {"threshold_percent": "80", "min_sample": 300, "weight": "30"},
         "pass_score": "80",
         "deduction": {"base": "3950000.00", "percent_per_point": "1", "cap_percent": "20"}}
    data = {"year": 2027, "kpis": [{"id": "K1", "actual": "95.2"}],
            "survey": {"surveyed": 496, "satisfied": 372}}
    first = evaluate(t, data, [])
    assert first["satisfaction"] == {"surveyed": 496, "satisfied": 372, "rate": "0.7500",
                                     "threshold": "0.8000", "passed": False}
    assert (first["score"], first["passed"], first["deduction"], first["breach"]) == \
        ("70.00", False, "395000.00", False)
    second = evaluate(t, {**data, "year": 2028}, [first])
    assert (second["consecutive_failures"], second["breach"]) == (2, True)
    assert evaluate(t, {**data, "year": 2028}, [{**first, "passed": True}])["breach"] is False
