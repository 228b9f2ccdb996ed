"""The project record's structured fields (tenderflow.app.project_record) and the coordination
sign-off component (tenderflow.domain.components.signoffs): bad input names the file, the
place, the field and what was expected; the parties a filing needs follow from the record."""

from __future__ import annotations

from typing import Any

import pytest

from tenderflow.app.registration import validate_projects
from tenderflow.domain.components.signoffs import (
    missing_parties,
    open_objections,
    project_parties,
    record_signoff,
    signoff_view,
)
from tenderflow.errors import InputError

BASE = {"id": "P1", "name": "项目", "estimated_investment": "1000000.00",
        "procurement_category": "works"}
SCOPE = [{"item": "给水管网", "category": "基础类", "cost": "600000.00", "matter": "majority",
          "utilities": ["water"]},
         {"item": "停车", "category": "提升类", "cost": "400000.00",
          "matter": "common_parts_use", "utilities": ["power", "water"]}]


def project(**extra: Any) -> dict[str, Any]:
    [clean] = validate_projects([("projects[0]", {**BASE, **extra})], "p.yaml")
    return clean


def test_a_full_record_is_kept_clean() -> None:
    p = project(scope=SCOPE, floor_area="92400.5", region="110105", units=96,
                revenue_sources=[{"stream": "停车", "annual": "1200000", "matter": "none"}],
                filing={"number": "备1号", "date": "2022-12-01", "authority": "区发改委",
                        "document_sha256": "a" * 64})
    assert p["scope"][1]["cost"] == "400000.00" and p["floor_area"] == "92400.5"
    assert p["revenue_sources"][0]["annual"] == "1200000.00"
    assert p["filing"]["document_sha256"] == "a" * 64


@pytest.mark.parametrize(("extra", "field", "expected"), [
    ({"scope": [{**SCOPE[0], "category": "其他类"}]}, "scope[0].category", "基础类"),
    ({"scope": [{**SCOPE[0], "cost": 12.5}]}, "scope[0].cost", "40000000.00"),
    ({"scope": [{**SCOPE[0], "matter": "unanimous"}]}, "scope[0].matter", "common_parts_use"),
    ({"scope": [{**SCOPE[0], "utilities": ["sewage"]}]}, "scope[0].utilities", "telecom"),
    ({"scope": [{**SCOPE[0], "colour": "red"}]}, "scope[0].colour", "utilities"),
    ({"scope": [{"item": "x", "category": "基础类", "cost": "1"}]}, "scope[0].matter", None),
    ({"revenue_sources": [{"stream": "x", "annual": "-1", "matter": "none"}]},
     "revenue_sources[0].annual", "positive"),
    ({"filing": {"number": "1", "date": "2022-13-01", "authority": "x"}}, "filing.date",
     "YYYY-MM-DD"),
    ({"filing": {"number": "1", "date": "2022-12-01"}}, "filing.authority", None),
    ({"filing": {"number": "1", "date": "2022-12-01", "authority": "x",
                 "document_sha256": "XYZ"}}, "filing.document_sha256", "hex"),
    ({"floor_area": 9000.5}, "floor_area", "decimal string"),
    ({"floor_area": "0"}, "floor_area", "positive"),
])
def test_bad_structured_fields_are_named(extra: dict[str, Any], field: str,
                                         expected: str | None) -> None:
    with pytest.raises(InputError) as err:
        project(**extra)
    ctx = err.value.context
    assert ctx["file"] == "p.yaml" and ctx["location"] == "projects[0]" and ctx["field"] == field
    if expected:
        assert expected in str(ctx.get("expected") or err.value.message)


def test_a_csv_cell_carries_json() -> None:
    [p] = validate_projects([("line 2", {**BASE, "scope": '[{"item": "x", "category": "完善类",'
                                                          ' "cost": "5", "matter": "rebuild"}]',
                                         "floor_area": "12.00"})], "p.csv", csv_text=True)
    assert p["scope"] == [{"item": "x", "category": "完善类", "cost": "5.00",
                           "matter": "rebuild"}]


def test_the_parties_follow_from_the_record() -> None:
    assert project_parties({}) == ["district", "subdistrict", "community"]
    assert project_parties({"scope": SCOPE, "social_capital": {"name": "甲"}}) == [
        "district", "subdistrict", "community", "social_capital", "utility.water",
        "utility.power"]


def test_the_latest_word_of_a_party_counts_and_its_history_is_kept() -> None:
    required = project_parties({"scope": SCOPE})
    signoffs: dict[str, Any] = {}
    word = {"organisation": "供电公司", "signatory": "李工"}
    record_signoff(signoffs, {"party": "utility.power", "decision": "object",
                              "reason": "增容评估", **word}, "2023-03-01T10:00:00+08:00")
    assert open_objections(signoffs, required) == {"utility.power": "增容评估"}
    record_signoff(signoffs, {"party": "utility.power", "decision": "agree", **word},
                   "2023-03-05T10:00:00+08:00")
    assert open_objections(signoffs, required) == {}
    assert signoffs["utility.power"]["history"][0]["decision"] == "object"
    view = signoff_view(signoffs, required)
    assert view["missing"] == missing_parties(signoffs, required) == [
        "district", "subdistrict", "community", "utility.water"]
    assert view["agreed"]["utility.power"]["at"] == "2023-03-05T10:00:00+08:00"
