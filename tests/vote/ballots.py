"""Ballots built from counts, for the features and tests: ``n`` households taking part with
``area`` m² in all, of whom ``yes`` households with ``yes_area`` m² agree to one question. Areas
are split evenly in hundredths (the first ballots take the remainder), so every figure of a
feature row is exactly the sum of the ballots."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

QUESTION_IDS = {"方案": "plan", "经营": "business"}
QUESTIONS = [
    {"id": "plan", "matter": "majority", "title": "同意小区改造方案（外墙保温）",
     "covers": ["外墙保温"]},
    {"id": "business", "matter": "common_parts_use",
     "title": "同意利用小区公共空地设置收费停车位（利用共有部分从事经营活动）",
     "covers": ["停车收费"]},
]
# The project every vote feature registers: one majority scope item, one scope item that is no
# owners' matter, one revenue source from a business use of common parts.
SCOPE = [{"item": "外墙保温", "category": "基础类", "cost": "600000.00", "matter": "majority"},
         {"item": "道路修补", "category": "基础类", "cost": "200000.00", "matter": "none"}]
REVENUE = [{"stream": "停车收费", "annual": "36000.00", "matter": "common_parts_use"}]


def split(total: Decimal, n: int) -> list[Decimal]:
    if n == 0:
        assert total == 0, "area without households"
        return []
    hundredths = int(total * 100)
    base, extra = divmod(hundredths, n)
    assert base > 0, f"{total} m² cannot be split over {n} households"
    return [Decimal(base + (1 if i < extra else 0)) / 100 for i in range(n)]


def ballots(n: int, area: str, question: str | None = None, yes: int | None = None,
            yes_area: str | None = None, questions: list[str] | None = None
            ) -> list[dict[str, Any]]:
    """Every question answered yes, except ``question``: ``yes`` households with
    ``yes_area`` agree, the others vote no."""
    ids = questions or [q["id"] for q in QUESTIONS]
    if yes is None or yes_area is None:
        areas, split_at = split(Decimal(area), n), n
    else:
        areas = split(Decimal(yes_area), yes) + split(Decimal(area) - Decimal(yes_area), n - yes)
        split_at = yes
    out = []
    for i, a in enumerate(areas):
        answers = {q: "yes" for q in ids}
        if question is not None and i >= split_at:
            answers[question] = "no"
        out.append({"unit": f"1-{i + 1:04d}", "owner": f"业主{i + 1:04d}", "area": f"{a:.2f}",
                    "answers": answers})
    return out


def vote_data(n: int, area: str, question: str | None = None, yes: int | None = None,
              yes_area: str | None = None, only: list[str] | None = None) -> dict[str, Any]:
    questions = [q for q in QUESTIONS if only is None or q["id"] in only]
    ids = [q["id"] for q in questions]
    return {"questions": questions,
            "ballots": ballots(n, area, question, yes, yes_area, ids)}


def journey_vote(project: dict[str, Any], held_on: str | None = None) -> dict[str, Any]:
    """A vote that carries for ``project``: one question per owners' matter of its scope and
    revenue sources, covering them; two households over two thirds take part (the areas an
    even split of the project's floor area), all agreeing."""
    from tenderflow.domain.components.owners_vote import MATTERS

    named: dict[str, list[str]] = {}
    for s in project.get("scope") or []:
        named.setdefault(s["matter"], []).append(s["item"])
    for r in project.get("revenue_sources") or []:
        named.setdefault(r["matter"], []).append(r["stream"])
    questions = [{"id": m, "matter": m, "title": f"同意（{MATTER_TITLES[m]}）",
                  "covers": named[m]} for m in MATTERS if m in named]
    households = int(project["households"])
    voters = min(households, -(-2 * households // 3) + 2)
    areas = split(Decimal(project["floor_area"]), households)[:voters]
    data: dict[str, Any] = {"questions": questions, "ballots": [
        {"unit": f"{i + 1:05d}", "owner": f"业主{i + 1:05d}", "area": f"{a:.2f}",
         "answers": {q["id"]: "yes" for q in questions}} for i, a in enumerate(areas)]}
    if held_on:
        data["held_on"] = held_on
    return data


MATTER_TITLES = {"majority": "改造方案等其他共同决定事项", "maintenance_funds": "筹集维修资金",
                 "rebuild": "改建、重建建筑物及其附属设施",
                 "common_parts_use": "改变共有部分用途或者利用共有部分从事经营活动"}
