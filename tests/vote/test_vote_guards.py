"""The record_vote guards on a project state: each refuses naming the measure, the figures and
the margin with its source, records the tally as a finding when it passes, and refuses —
never passes — a vote it cannot count."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tenderflow.app.common import load_parameters
from tenderflow.domain.modes.project import vote as guards
from tenderflow.domain.rules import GuardContext, evaluate, guards_of
from tenderflow.errors import DefinitionError

TABLE = guards_of([guards])
NAMES = ["vote_ballots_consistent", "vote_participation", "vote_special_matters",
         "vote_majority_matters", "vote_covers_project"]
AT = datetime(2024, 5, 1, 10, tzinfo=timezone(timedelta(hours=8)))
PROJECT = {"id": "P", "households": 8, "floor_area": "800.00",
           "scope": [{"item": "外墙保温", "category": "基础类", "cost": "100.00",
                      "matter": "majority"},
                     {"item": "道路", "category": "基础类", "cost": "1.00", "matter": "none"}],
           "revenue_sources": [{"stream": "停车收费", "annual": "1.00",
                                "matter": "common_parts_use"}]}
QUESTIONS = [{"id": "plan", "matter": "majority", "title": "方案", "covers": ["外墙保温"]},
             {"id": "business", "matter": "common_parts_use", "title": "经营",
              "covers": ["停车收费"]}]


def ballots(n: int, area: str = "100.00", **answers: list[str]) -> list[dict[str, Any]]:
    return [{"unit": f"u{i}", "owner": f"o{i}", "area": area,
             "answers": {q: (answers[q][i] if q in answers else "yes")
                         for q in ("plan", "business")}} for i in range(n)]


def run(data: dict[str, Any], project: dict[str, Any] | None = None,
        at: datetime = AT) -> tuple[dict[str, Any], GuardContext]:
    ctx = GuardContext(procurement="project:P", state={"project": project or PROJECT},
                       data=data, facts={}, at=at, actor="staff:wang",
                       params=load_parameters(), calendar=None, trigger="record_vote")
    results = {r.guard: r for r in evaluate(TABLE, NAMES, ctx)}
    return results, ctx


def test_a_vote_that_passes_records_both_measures_with_their_margins() -> None:
    results, ctx = run({"questions": QUESTIONS, "ballots": ballots(8)})
    assert all(r.passed for r in results.values()), results
    vote = ctx.findings["vote"]
    assert vote["participation"]["owners"]["margin"] == 2  # 8 of 8, needed 6
    assert vote["participation"]["area"]["margin"] == "266.66"  # 800.00 − 533.34
    business = next(d for d in vote["decisions"] if d["question"] == "business")
    assert business["owners"]["required"] == 6 and business["owners"]["margin"] == 2
    assert business["area"]["required"] == "600.00"


def test_participation_one_household_short_names_owners_and_the_margin() -> None:
    results, _ = run({"questions": QUESTIONS, "ballots": ballots(5, area="130.00")})
    refusal = results["vote_participation"].refusal
    assert refusal is not None
    assert refusal.numbers["measures"] == ["owners"]
    assert refusal.numbers["owners"] == 5 and refusal.numbers["owners_required"] == 6
    assert refusal.numbers["owners_margin"] == -1
    assert "owners 5 of 8, needed ≥ 2/3 = 6: 1 short" in refusal.reason
    assert refusal.source == "民法典 第278条第2款"


def test_the_special_matter_names_the_area_short_by_one_square_metre() -> None:
    votes = ballots(8, business=["yes"] * 6 + ["no"] * 2)
    votes[0]["area"], votes[7]["area"] = "99.00", "101.00"  # yes area 599.00 of 800.00
    results, _ = run({"questions": QUESTIONS, "ballots": votes})
    refusal = results["vote_special_matters"].refusal
    assert refusal is not None
    assert refusal.numbers["measures"] == ["area"] and refusal.numbers["question"] == "business"
    assert refusal.numbers["area_margin"] == "-1.00"
    assert refusal.numbers["area_required"] == "600.00"
    assert results["vote_majority_matters"].passed and results["vote_participation"].passed


def test_a_revenue_source_the_vote_does_not_decide_is_named() -> None:
    plan_only = [QUESTIONS[0]]
    votes = [{**b, "answers": {"plan": "yes"}} for b in ballots(8)]
    results, _ = run({"questions": plan_only, "ballots": votes})
    refusal = results["vote_covers_project"].refusal
    assert refusal is not None and refusal.numbers["uncovered"] == ["停车收费"]
    assert refusal.source == "民法典 第278条第1款"


def test_an_inconsistent_vote_is_refused_by_every_counting_guard() -> None:
    votes = ballots(8)
    votes[1]["unit"] = "u0"
    results, _ = run({"questions": QUESTIONS, "ballots": votes})
    assert not any(r.passed for r in results.values())
    assert "unit is on ballot 1 already" in results["vote_ballots_consistent"].refusal.reason
    assert "not counted is not a pass" in results["vote_participation"].refusal.reason


@pytest.mark.parametrize("project", [{**PROJECT, "households": None},
                                     {**PROJECT, "floor_area": "abc"},
                                     {**PROJECT, "floor_area": None}])
def test_a_project_without_households_or_area_is_not_counted(project: dict[str, Any]) -> None:
    results, _ = run({"questions": QUESTIONS, "ballots": ballots(8)}, project)
    assert not results["vote_participation"].passed
    assert "no households or no exclusive area" in results["vote_participation"].refusal.reason


def test_a_vote_before_the_civil_code_is_not_judged() -> None:
    with pytest.raises(DefinitionError, match="vote.participation_min"):
        run({"questions": QUESTIONS, "ballots": ballots(8)},
            at=datetime(2020, 12, 31, 10, tzinfo=AT.tzinfo))
