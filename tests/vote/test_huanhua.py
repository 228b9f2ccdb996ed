"""The Chengdu-浣花-like vote (103 units, 1,279 households): the committed ballots are what the
seeded generator writes, and the tally of the file is checked against a count made here
independently (plain loops over the CSV, integer hundredths of m²)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from tenderflow.app.owners_vote import read_vote
from tenderflow.domain.components.owners_vote import (
    Thresholds,
    ballots_from,
    questions_from,
    tally,
)

HERE = Path(__file__).resolve().parents[2] / "examples" / "data" / "huanhua"
LAW = Thresholds(Fraction(2, 3), Fraction(3, 4), Fraction(1, 2))


def generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_ballots", HERE.parent / "make_ballots.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_ballots", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_committed_ballots_are_the_generators() -> None:
    gen = generator()
    for community in gen.COMMUNITIES:
        assert community.csv.read_text(encoding="utf-8") == gen.render(community), community
    huanhua, jinsong = gen.COMMUNITIES
    assert gen.totals(huanhua) == (1279, Decimal("90797.51"))
    assert len({unit.split("-")[0] for unit, _ in gen.households(huanhua)}) == 103
    assert len({unit.split("-")[0] for unit, _ in gen.households(jinsong)}) == 96
    assert gen.totals(jinsong)[0] == 3605


def test_the_vote_passes_every_question_with_the_margins_counted_independently() -> None:
    vote = read_vote(HERE / "vote.yaml")
    result = tally(ballots_from(vote.data["ballots"]), questions_from(vote.data["questions"]),
                   1279, Decimal("90797.51"), LAW)
    # independent count: owners once, areas summed in hundredths
    with (HERE / "ballots.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    owners: dict[str, tuple[int, dict[str, str]]] = {}
    for row in rows:
        hundredths = int(row["area"].replace(".", ""))
        area, _ = owners.get(row["owner"], (0, row))
        owners[row["owner"]] = (area + hundredths, row)
    units_of_voters = len(rows)
    owner_total = 1279 - (units_of_voters - len(owners))
    voted_area = sum(a for a, _ in owners.values())
    assert result.owners.value == len(owners) and result.owners.base == owner_total
    assert result.area.value == Decimal(voted_area) / 100
    assert 3 * len(owners) >= 2 * owner_total and 3 * voted_area >= 2 * 9079751
    for question, (num, den) in (("renovation", (1, 2)), ("elevators", (3, 4)),
                                 ("parking", (3, 4))):
        yes = [(a, r) for a, r in owners.values() if r[question] == "同意"]
        yes_area = sum(a for a, _ in yes)
        decision = result.decision(question)
        assert decision.owners.value == len(yes)
        assert decision.area.value == Decimal(yes_area) / 100
        strict = question == "renovation"
        least = (len(owners) * num) // den + 1 if strict else -(-len(owners) * num // den)
        assert decision.owners.margin == len(yes) - least
        assert decision.passed
    assert (result.owners.value, result.owners.base) == (1119, 1260)
    assert result.decision("parking").owners.margin == 71
    assert result.decision("parking").area.margin == Decimal("5045.30")
