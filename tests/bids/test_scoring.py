"""Comprehensive scoring and lowest evaluated price: exact arithmetic, one rounding, the
documents' tie rule, and the breakdown of every candidate."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from tenderflow.domain.components.scoring import (
    Method,
    MethodError,
    abnormally_low,
    adjustment_problems,
    comprehensive,
    lowest_evaluated,
    round_half_up,
    sheet_problems,
)

DOCS = {"method": "comprehensive", "price_weight": "30",
        "criteria": [{"id": "tech", "name": "技术方案", "weight": "40"},
                     {"id": "ops", "name": "运营方案", "weight": "30"}],
        "tie_break": ["lower_price", "higher_technical"]}
PRICES = {"S-CDJG": "3380000.00", "S-HXJS": "3245000.00", "S-SLGC": "3100000.00"}
TECH = {"S-CDJG": ["36", "35", "37", "34", "36"], "S-HXJS": ["35", "36", "34", "35", "35.5"],
        "S-SLGC": ["31", "30", "32", "30.5", "31"]}
OPS = {"S-CDJG": ["25", "26", "24", "25", "27"], "S-HXJS": ["27", "26", "28", "27", "26.5"],
       "S-SLGC": ["24", "23", "25", "24", "23.5"]}
MEMBERS = ["刘专家", "周专家", "吴专家", "郑专家", "采购人代表张"]


def sheets(tech: dict[str, list[str]] = TECH, ops: dict[str, list[str]] = OPS
           ) -> dict[str, dict[str, Any]]:
    return {m: {s: {"tech": tech[s][i], "ops": ops[s][i]} for s in tech}
            for i, m in enumerate(MEMBERS)}


def test_worked_example_of_the_feature_to_the_cent() -> None:
    """features/evaluation/综合评分.feature works this example by hand."""
    r = comprehensive(Method.from_data(DOCS), PRICES, sheets())
    rows = {row["supplier"]: row for row in r.rows}
    assert r.order == ["S-HXJS", "S-CDJG", "S-SLGC"]
    assert [row["rank"] for row in r.rows] == [1, 2, 3]
    assert r.to_dict()["base_price"] == "3100000.00"
    assert {s: (x["price_score"], x["criteria"]["tech"]["average"],
                x["criteria"]["ops"]["average"], x["technical"], x["total"])
            for s, x in rows.items()} == {
        "S-HXJS": ("28.66", "35.10", "26.90", "62.00", "90.66"),
        "S-CDJG": ("27.51", "35.60", "25.40", "61.00", "88.51"),
        "S-SLGC": ("30.00", "30.90", "23.90", "54.80", "84.80")}
    assert rows["S-HXJS"]["criteria"]["tech"]["scores"]["刘专家"] == "35.00"
    assert rows["S-HXJS"]["criteria"]["tech"]["sum"] == "175.50"
    assert r.ties == []


def test_rounding_happens_once_at_the_end() -> None:
    """Two members, averages 35.125 and 20.125 (exact); price score 28.659476…: rounded once
    the total is 83.91; rounding the parts first would give 28.66 + 35.13 + 20.13 = 83.92."""
    docs = {**DOCS}
    two = {"M1": {"A": {"tech": "35.12", "ops": "20.12"}, "B": {"tech": "1", "ops": "1"}},
           "M2": {"A": {"tech": "35.13", "ops": "20.13"}, "B": {"tech": "1", "ops": "1"}}}
    r = comprehensive(Method.from_data(docs), {"A": "3245000.00", "B": "3100000.00"}, two)
    row = r.rows[0]
    assert row["supplier"] == "A"
    assert (row["price_score"], row["criteria"]["tech"]["average"],
            row["criteria"]["ops"]["average"], row["total"]) == ("28.66", "35.13", "20.13",
                                                                 "83.91")


@pytest.mark.parametrize("value,expected", [
    (Fraction(1, 200), "0.01"), (Fraction(-1, 200), "-0.01"), (Fraction(1, 201), "0.00"),
    (Fraction(123456789, 1000), "123456.79"), (Fraction(2, 3), "0.67"), (Fraction(0), "0.00"),
    (Fraction(1005, 1000), "1.01"), (Fraction(1004999, 1000000), "1.00"),
])
def test_round_half_up(value: Fraction, expected: str) -> None:
    assert str(round_half_up(value)) == expected


def tie_case(tie: list[str], lots: dict[str, int] | None = None,
             submitted: dict[str, str] | None = None) -> Any:
    """A and B both total 80.00: A by price 30 + technical 50, B by price 20 + technical 60
    (B's price is 1.5 × A's)."""
    docs = {"method": "comprehensive", "price_weight": "30",
            "criteria": [{"id": "tech", "name": "技术", "weight": "70"}], "tie_break": tie}
    s = {"M1": {"A": {"tech": "50"}, "B": {"tech": "60"}, "C": {"tech": "10"}}}
    return comprehensive(Method.from_data(docs), {"A": "100.00", "B": "150.00", "C": "100.00"},
                         s, lots=lots, submitted=submitted)


def test_tie_broken_by_lower_price() -> None:
    r = tie_case(["lower_price"])
    assert r.order[:2] == ["A", "B"] and [x["rank"] for x in r.rows] == [1, 2, 3]
    assert r.ties == [{"suppliers": ["A", "B"], "broken_by": ["lower_price"], "unresolved": [],
                       "published": "80.00", "compared": "total"}]


def test_tie_broken_by_higher_technical() -> None:
    r = tie_case(["higher_technical", "lower_price"])
    assert r.order[:2] == ["B", "A"]
    assert r.ties[0]["broken_by"] == ["higher_technical"]


def test_tie_broken_by_earlier_submission() -> None:
    r = tie_case(["earlier_submission"], submitted={"A": "2023-03-10T10:00+08:00",
                                                    "B": "2023-03-10T09:00+08:00"})
    assert r.order[:2] == ["B", "A"]


def test_drawing_lots_needs_the_lots_and_then_decides() -> None:
    r = tie_case(["drawing_lots"])
    assert r.needs_lots == [["A", "B"]]
    assert [x["rank"] for x in r.rows][:2] == [1, 1]
    r = tie_case(["drawing_lots"], lots={"A": 2, "B": 1})
    assert r.needs_lots == [] and r.order[:2] == ["B", "A"]


def test_unresolved_tie_shares_the_rank() -> None:
    docs = {"method": "lowest_evaluated_price", "tie_break": ["lower_price"]}
    r = lowest_evaluated(Method.from_data(docs), {"A": "100.00", "B": "100.00", "C": "90.00"},
                         {})
    assert r.order == ["C", "A", "B"]
    assert [x["rank"] for x in r.rows] == [1, 2, 2]
    assert r.ties[0]["unresolved"] == [["A", "B"]]


def test_lowest_evaluated_price_applies_the_adjustments() -> None:
    docs = {"method": "lowest_evaluated_price", "factors": [{"id": "schedule", "name": "工期"}],
            "tie_break": ["lower_price", "earlier_submission"]}
    method = Method.from_data(docs)
    adj = {"A": [{"factor": "schedule", "amount": "-50000.00", "reason": "工期提前10日"}],
           "B": [{"factor": "schedule", "amount": "30000.00", "reason": "工期延后6日"}]}
    assert adjustment_problems(method, adj, ["A", "B"]) == []
    r = lowest_evaluated(method, {"A": "3300000.00", "B": "3240000.00"}, adj)
    assert [(x["supplier"], x["evaluated_price"]) for x in r.rows] == [
        ("A", "3250000.00"), ("B", "3270000.00")]
    bad = {"A": [{"factor": "brand", "amount": "1"}], "Z": []}
    assert [f for f, _ in adjustment_problems(method, bad, ["A"])] == [
        "adjustments.A[0].factor", "adjustments.Z"]


@pytest.mark.parametrize("change,field", [
    ({"method": "auction"}, "evaluation.method"),
    ({"price_weight": "40"}, "evaluation.criteria"),
    ({"price_weight": "-1"}, "evaluation.price_weight"),
    ({"price_weight": "30.001"}, "evaluation.price_weight"),
    ({"tie_break": []}, "evaluation.tie_break"),
    ({"tie_break": ["coin"]}, "evaluation.tie_break[0]"),
    ({"tie_break": ["lower_price", "lower_price"]}, "evaluation.tie_break"),
    ({"criteria": [{"id": "t", "weight": "35"}, {"id": "t", "weight": "35"}]},
     "evaluation.criteria"),
    ({"criteria": []}, "evaluation.criteria"),
    ({"criteria": [{"id": "t", "weight": "0"}, {"id": "u", "weight": "70"}]},
     "evaluation.criteria[0].weight"),
])
def test_method_errors_name_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(MethodError) as err:
        Method.from_data({**DOCS, **change})
    assert err.value.field == field


def test_higher_technical_does_not_apply_to_lowest_price() -> None:
    with pytest.raises(MethodError, match="does not apply"):
        Method.from_data({"method": "lowest_evaluated_price", "tie_break": ["higher_technical"]})


def test_score_sheet_problems() -> None:
    method = Method.from_data(DOCS)
    good = sheets()["刘专家"]
    assert sheet_problems(method, good, list(PRICES)) == []
    bad = {"S-CDJG": {"tech": "41", "ops": "x"}, "S-HXJS": {"tech": "35.555", "ops": "1",
                                                          "beauty": "3"},
           "S-XXXX": {}}
    fields = [f for f, _ in sheet_problems(method, bad, list(PRICES))]
    assert fields == ["scores.S-XXXX", "scores.S-CDJG.tech", "scores.S-CDJG.ops",
                      "scores.S-HXJS.beauty", "scores.S-HXJS.tech", "scores.S-SLGC"]


def test_abnormally_low_against_the_mean_of_the_others() -> None:
    flags = abnormally_low({"A": "2600000.00", "B": "3380000.00", "C": "3245000.00"},
                           Fraction(4, 5))
    # others' mean 3312500.00 × 4/5 = 2650000.00 > 2600000.00
    assert flags == {"A": {"price": "2600000.00", "others_mean": "3312500.00",
                           "threshold": "2650000.00", "ratio": "4/5"}}
    assert abnormally_low({"A": "2650000.00", "B": "3380000.00", "C": "3245000.00"},
                          Fraction(4, 5)) == {}
    assert abnormally_low({"A": "1.00"}, Fraction(4, 5)) == {}


def test_money_arithmetic_is_exact() -> None:
    r = comprehensive(Method.from_data(DOCS), {"A": "0.03", "B": "0.07"},
                      {"M": {"A": {"tech": "0", "ops": "0"}, "B": {"tech": "0", "ops": "0"}}})
    # 0.03 / 0.07 × 30 = 12.857142… → 12.86
    assert {x["supplier"]: x["price_score"] for x in r.rows} == {"A": "30.00", "B": "12.86"}
    assert Decimal(r.rows[0]["total"]) == Decimal("30.00")
