"""Generate the ballots of the example owners' votes (民法典 第278条), deterministically.

Two communities, each from a fixed seed so that the output is the same on every run and every
Python 3 (only ``random.Random.random`` is used; areas are whole hundredths of m²):

* ``huanhua`` — Chengdu-浣花-like: 103 units (单元, stairwell blocks) and 1,279 households
  (../shared/POLICY.md's seed figures); flats of 45.00–95.00 m²;
* ``jinsong`` — Beijing-劲松-like: 96 units and 3,605 households (examples/project_jinsong.yaml);
  flats of 35.00–65.00 m².

The script invents the rest: a few owners holding two flats (about one in sixty), who took part
(about 88 %) and how each answered the questions of the community's vote.yaml (rates below).

    python examples/data/make_ballots.py            # rewrites */ballots.csv
    python examples/data/make_ballots.py --check    # exit 1 if a ballots.csv differs

It prints the totals the project record needs (households, exclusive area).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Community:
    name: str
    seed: int
    blocks: int
    households: int
    area_min: int  # hundredths of m²
    area_span: int  # hundredths of m²
    questions: tuple[tuple[str, float], ...]  # (question id, share answering yes)

    @property
    def csv(self) -> Path:
        return HERE / self.name / "ballots.csv"


COMMUNITIES = (
    Community("huanhua", 278, 103, 1279, 4500, 5000,
              (("renovation", 0.90), ("elevators", 0.84), ("parking", 0.82))),
    Community("jinsong", 2781, 96, 3605, 3500, 3000,
              (("renovation", 0.91), ("elevators", 0.83), ("services", 0.85))),
)


def households(c: Community) -> list[tuple[str, Decimal]]:
    """(unit, exclusive area) of every household, spread as evenly as possible over the
    blocks."""
    rng = Random(c.seed)
    base, extra = divmod(c.households, c.blocks)
    out = []
    for block in range(1, c.blocks + 1):
        for i in range(base + (1 if block <= extra else 0)):
            floor, door = divmod(i, 2)
            hundredths = c.area_min + int(rng.random() * (c.area_span + 1))
            out.append((f"B{block:03d}-{floor + 1}-{door + 1:02d}", Decimal(hundredths) / 100))
    assert len(out) == c.households
    return out


def ballots(c: Community) -> list[list[str]]:
    rng = Random(c.seed * 1000)
    units = households(c)
    owners: list[str] = []
    for n, _ in enumerate(units):
        # about one flat in sixty belongs to the owner of the flat before it
        owners.append(owners[-1] if n and rng.random() < 1 / 60 else f"业主{n + 1:04d}")
    answers: dict[str, list[str]] = {}
    rows = []
    for (unit, area), owner in zip(units, owners, strict=True):
        if owner not in answers:
            if rng.random() >= 0.88:
                answers[owner] = []  # did not take part
            else:
                answers[owner] = [_answer(rng, yes) for _, yes in c.questions]
        if answers[owner]:
            rows.append([unit, owner, f"{area:.2f}", *answers[owner]])
    return rows


def _answer(rng: Random, yes: float) -> str:
    x = rng.random()
    return "同意" if x < yes else ("反对" if x < yes + (1 - yes) * 0.6 else "弃权")


def render(c: Community) -> str:
    lines = [",".join(("unit", "owner", "area", *(q for q, _ in c.questions)))]
    lines += [",".join(row) for row in ballots(c)]
    return "\n".join(lines) + "\n"


def totals(c: Community) -> tuple[int, Decimal]:
    return c.households, sum((a for _, a in households(c)), Decimal(0))


def main(argv: list[str]) -> int:
    stale = 0
    for c in COMMUNITIES:
        text = render(c)
        count, area = totals(c)
        print(f"{c.name}: households {count}, exclusive area {area} m², "
              f"ballots {text.count(chr(10)) - 1}")
        if "--check" in argv:
            same = c.csv.exists() and c.csv.read_text(encoding="utf-8") == text
            print(f"  {c.csv.name} is up to date" if same else f"  {c.csv} differs: regenerate")
            stale += not same
        else:
            c.csv.parent.mkdir(exist_ok=True)
            c.csv.write_text(text, encoding="utf-8")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
