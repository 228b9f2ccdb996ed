"""The return model's inputs in the project record (registration): validated with errors that
name the file, the project and the field; a valid record gives the model's figures in status."""

from __future__ import annotations

import copy

import pytest

from tenderflow.app.project import returns_view
from tenderflow.app.registration import validate_projects
from tenderflow.errors import InputError

BASE = {"id": "P1", "name": "测试项目", "estimated_investment": "1000.00",
        "procurement_category": "services",
        "revenue_sources": [{"stream": "停车", "annual": "300.00", "matter": "common_parts_use",
                             "from_year": 2, "growth_percent": "10"}],
        "returns": {"years": 5, "operating_costs": "50.00", "discount_rate_percent": "5",
                    "loan": {"amount": "500.00", "rate_percent": "4", "years": 4,
                             "grace_years": 1, "repayment": "等额本金"}}}


def _with(path: str, value) -> dict:
    rec = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node = rec
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[last] = value
    return rec


def test_a_valid_record_registers_and_status_shows_the_figures():
    [project] = validate_projects([("projects[0]", BASE)], "projects.yaml")
    assert project["revenue_sources"][0]["from_year"] == 2
    view = returns_view(project)
    # revenue 0, 300, 330, 363, 399.30 less 50 a year: −50, 250, 280, 313, 349.30;
    # cumulative −1,050, −800, −520, −207, +142.30 → payback 4 + 207 / 349.30 = 4.59 years
    assert [y["net"] for y in view["years"]] == ["-50.00", "250.00", "280.00", "313.00",
                                                 "349.30"]
    assert view["figures"]["payback_years"] == "4.59"
    assert view["loan"]["repayment"] == "equal_principal"
    assert view["years"][0]["dscr"] == "-2.5000"  # −50 over the grace year's interest 20
    assert returns_view({"id": "P2"}) is None


@pytest.mark.parametrize("path, value, field", [
    ("returns.years", 0, "returns.years"),
    ("returns.loan.grace_years", 4, "returns.loan.grace_years"),
    ("returns.discount_rate_percent", "six", "returns.discount_rate_percent"),
    ("returns.colour", "red", "returns.colour"),
    ("revenue_sources.0.growth_percent", "-80", "revenue_sources[0].growth_percent"),
    ("revenue_sources.0.from_year", 6, "revenue_sources[0].from_year"),  # beyond the 5 years
    ("returns.operating_costs", [{"item": "x", "annual": 1.5}],
     "returns.operating_costs[0].annual"),
])
def test_bad_returns_name_file_project_and_field(path, value, field):
    with pytest.raises(InputError) as exc:
        validate_projects([("projects[0]", _with(path, value))], "projects.yaml")
    assert exc.value.context["field"] == field
    assert exc.value.context["file"] == "projects.yaml"
    assert exc.value.context["location"] in ("projects[0]", "P1")
    assert exc.value.message.startswith("projects.yaml:")
