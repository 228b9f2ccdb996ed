"""Generate the ballots of a Chengdu-浣花-like owners' vote, deterministically.

The seed figures (../shared/POLICY.md): a Chengdu renovation (浣花小区) involved 103 units
(单元, stairwell blocks) and 1,279 households. This script invents the rest, from a fixed
seed so that the output is the same on every run and every Python 3: each household's
exclusive area (45.00–95.00 m², 1980s–90s flats), a few owners holding two flats, who took
part (about 88 %) and how each answered the three questions of vote.yaml.

    python examples/data/huanhua/make_ballots.py            # rewrites ballots.csv here
    python examples/data/huanhua/make_ballots.py --check    # exit 1 if ballots.csv differs

It prints the totals the project record needs (households, exclusive area). Only
``random.Random.random`` is used (its sequence for an integer seed is stable across
versions); the areas are whole hundredths of m².
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from random import Random

SEED = 278  # 民法典 第278条
BLOCKS = 103
HOUSEHOLDS = 1279
QUESTIONS = ("renovation", "elevators", "parking")
HERE = Path(__file__).resolve().parent


def households() -> list[tuple[str, Decimal]]:
    """(unit, exclusive area) of every household: 1279 = 43 blocks of 13 and 60 of 12."""
    rng = Random(SEED)
    out = []
    for block in range(1, BLOCKS + 1):
        size = 13 if block <= HOUSEHOLDS - 12 * BLOCKS else 12
        for i in range(size):
            floor, door = divmod(i, 2)
            hundredths = 4500 + int(rng.random() * 5001)
            out.append((f"B{block:03d}-{floor + 1}-{door + 1:02d}", Decimal(hundredths) / 100))
    assert len(out) == HOUSEHOLDS
    return out


def ballots() -> list[list[str]]:
    rng = Random(SEED * 1000)
    units = households()
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
                answers[owner] = [_answer(rng, yes) for yes in (0.90, 0.84, 0.82)]
        if answers[owner]:
            rows.append([unit, owner, f"{area:.2f}", *answers[owner]])
    return rows


def _answer(rng: Random, yes: float) -> str:
    x = rng.random()
    return "同意" if x < yes else ("反对" if x < yes + (1 - yes) * 0.6 else "弃权")


def render() -> str:
    lines = [",".join(("unit", "owner", "area", *QUESTIONS))]
    lines += [",".join(row) for row in ballots()]
    return "\n".join(lines) + "\n"


def totals() -> tuple[int, Decimal]:
    return HOUSEHOLDS, sum((a for _, a in households()), Decimal(0))


def main(argv: list[str]) -> int:
    text = render()
    target = HERE / "ballots.csv"
    count, area = totals()
    print(f"households {count}, exclusive area {area} m², ballots {text.count(chr(10)) - 1}")
    if "--check" in argv:
        same = target.exists() and target.read_text(encoding="utf-8") == text
        print("ballots.csv is up to date" if same else "ballots.csv differs: regenerate it")
        return 0 if same else 1
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
