"""The owners' vote (业主共同决定, 民法典 第278条): a tally in exact arithmetic.

第278条第1款 lists the matters the owners decide together; 第2款 sets the measures::

    业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。
    决定前款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数
    四分之三以上的业主同意。决定前款其他事项，应当经参与表决专有部分面积过半数的业主且参与表决
    人数过半数的业主同意。

so every decision is measured twice, by owners (人数) and by exclusive area (专有部分面积), and
fails when either measure fails. "以上" includes the figure itself (民法典 第1259条), "过半数" does
not: 2/3 and 3/4 are "at least", 1/2 is "more than".

A project's owners' matters (``matter`` of a scope item or revenue source, see INTAKE.md):

* ``maintenance_funds`` — 第(六)项 筹集建筑物及其附属设施的维修资金;
* ``rebuild`` — 第(七)项 改建、重建建筑物及其附属设施;
* ``common_parts_use`` — 第(八)项 改变共有部分的用途或者利用共有部分从事经营活动 (paid parking,
  leasing idle space to social capital);
* ``majority`` — the other matters (第(一)至(五)、(九)项), more than half of both measures;
* ``none`` — not an owners' matter: no vote needed.

How ballots are counted (the choices this module makes, each fail-closed):

* A ballot is one unit (专有部分): ``unit`` (unique in the vote), ``owner`` (the owner as the
  property register names them — the same text on several ballots is one owner), ``area`` (the
  unit's exclusive area in m², > 0, at most two decimals) and an answer to every question:
  ``yes`` / ``no`` / ``abstain`` (同意 / 反对 / 弃权). An owner holding several units counts
  once among the owners and with the sum of the units' areas (the rule of the Supreme People's
  Court's interpretation on 建筑物区分所有权, 法释〔2009〕7号 第8、9条, as secondary sources quote
  it), and must answer alike on every unit, else the vote is inconsistent.
* Participation is measured against the project's record: its ``households`` (the units,
  专有部分) and its area (the total exclusive area). The owners' total is the households less
  the units beyond the first of every owner the ballots show holding several: an owner who
  did not vote and holds several units is counted once per unit, which can only make the
  measure harder to meet (fail closed). Ballots naming more units or more area than the
  project records are inconsistent with it.
* Every participant answers every question; an abstention participates and is not a yes.
* Thresholds are exact fractions; a measure's ``required`` figure is the least whole number of
  owners, or the least area in hundredths of m² (the ballots' precision), that meets the
  threshold, and ``margin = value − required``: a measure passes exactly when its margin is not
  negative, and a negative margin is how many households or m² are missing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

ARTICLE = "民法典 第278条"
SPECIAL_MATTERS = ("maintenance_funds", "rebuild", "common_parts_use")
MATTERS = ("majority", *SPECIAL_MATTERS)
NOT_A_MATTER = "none"
MATTER_ITEMS = {
    "majority": "第278条第1款第(一)至(五)、(九)项",
    "maintenance_funds": "第278条第1款第(六)项 筹集建筑物及其附属设施的维修资金",
    "rebuild": "第278条第1款第(七)项 改建、重建建筑物及其附属设施",
    "common_parts_use": "第278条第1款第(八)项 改变共有部分的用途或者利用共有部分从事经营活动",
}
ANSWERS = ("yes", "no", "abstain")
ANSWER_WORDS = {"yes": "yes", "no": "no", "abstain": "abstain",
                "同意": "yes", "反对": "no", "弃权": "abstain",
                "赞成": "yes", "不同意": "no"}
CENTI = Decimal("0.01")
MEASURES = ("owners", "area")


class VoteError(ValueError):
    """Raised by :func:`tally` when the ballots or the questions are inconsistent (a duplicate
    unit, an owner answering differently on two units, an answer missing, more owners or area
    than the project's totals); ``problems`` lists every one found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Question:
    """One matter put to the vote: ``covers`` names the scope items and revenue streams the
    vote decides (what it entitles the project to do)."""

    id: str
    matter: str
    title: str
    covers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "matter": self.matter, "title": self.title,
                "covers": list(self.covers)}


@dataclass(frozen=True)
class Ballot:
    unit: str
    owner: str
    area: Decimal
    answers: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "owner": self.owner, "area": str(self.area),
                "answers": dict(sorted(self.answers.items()))}


@dataclass(frozen=True)
class Thresholds:
    """The ratios of 第278条第2款 in force on the vote's date (parameters)."""

    participation: Fraction  # 参与表决: at least, of owners and of area
    special: Fraction  # 第(六)至(八)项: at least, of participating owners and area
    majority: Fraction  # 其他事项: more than, of participating owners and area


@dataclass(frozen=True)
class Measure:
    """One measure (owners or area) of one decision, with the least figure that meets it."""

    measure: str  # "owners" | "area"
    value: int | Decimal
    base: int | Decimal
    ratio: Fraction
    strict: bool  # "more than" (过半数) instead of "at least" (以上)
    required: int | Decimal

    @property
    def margin(self) -> int | Decimal:
        return self.value - self.required

    @property
    def passed(self) -> bool:
        return self.margin >= 0

    def describe(self) -> str:
        unit = " m²" if self.measure == "area" else ""
        relation = ">" if self.strict else "≥"
        verdict = (f"{self.margin}{unit} above" if self.passed
                   else f"{-self.margin}{unit} short")
        what = "owners" if self.measure == "owners" else "exclusive area"
        return (f"{what} {self.value}{unit} of {self.base}{unit}, needed {relation} "
                f"{self.ratio} = {self.required}{unit}: {verdict}")

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure, "value": _s(self.value), "of": _s(self.base),
                "ratio": str(self.ratio), "more_than": self.strict,
                "required": _s(self.required), "margin": _s(self.margin),
                "passed": self.passed}


def _s(value: int | Decimal) -> int | str:
    return value if isinstance(value, int) else str(value)


def required_owners(base: int, ratio: Fraction, strict: bool) -> int:
    """The least number of owners n with n ≥ ratio·base (or n > ratio·base)."""
    exact = ratio * base
    return math.floor(exact) + 1 if strict else math.ceil(exact)


def required_area(base: Decimal, ratio: Fraction, strict: bool) -> Decimal:
    """The least area, in hundredths of m², that is ≥ ratio·base (or > ratio·base)."""
    exact = ratio * Fraction(base) * 100
    hundredths = math.floor(exact) + 1 if strict else math.ceil(exact)
    return (Decimal(hundredths) / 100).quantize(CENTI)


def measure_owners(value: int, base: int, ratio: Fraction, strict: bool) -> Measure:
    return Measure("owners", value, base, ratio, strict, required_owners(base, ratio, strict))


def measure_area(value: Decimal, base: Decimal, ratio: Fraction, strict: bool) -> Measure:
    return Measure("area", value.quantize(CENTI), base.quantize(CENTI), ratio, strict,
                   required_area(base, ratio, strict))


@dataclass(frozen=True)
class Both:
    """A decision of 第278条: two measures, owners and area, both of which must pass."""

    owners: Measure
    area: Measure

    @property
    def passed(self) -> bool:
        return self.owners.passed and self.area.passed

    def failing(self) -> list[Measure]:
        return [m for m in (self.owners, self.area) if not m.passed]


@dataclass(frozen=True)
class Decision(Both):
    """The result of one question among the participants."""

    question: Question
    no: int
    abstain: int

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question.id, "matter": self.question.matter,
                "title": self.question.title, "passed": self.passed,
                "owners": self.owners.to_dict(), "area": self.area.to_dict(),
                "no": self.no, "abstain": self.abstain}


@dataclass(frozen=True)
class Tally(Both):
    """Participation (owners and area against the project's totals: ``passed``, ``failing``)
    and the decision on each question."""

    decisions: tuple[Decision, ...]
    units: int

    def decision(self, question: str) -> Decision:
        return next(d for d in self.decisions if d.question.id == question)

    def to_dict(self) -> dict[str, Any]:
        return {"units": self.units,
                "participation": {"passed": self.passed,
                                  "owners": self.owners.to_dict(),
                                  "area": self.area.to_dict()},
                "decisions": [d.to_dict() for d in self.decisions]}


def answer_word(raw: str) -> str | None:
    """yes / no / abstain for an answer written in English or Chinese, None if unknown."""
    return ANSWER_WORDS.get(raw.strip().lower() if raw.isascii() else raw.strip())


def area_problem(raw: Any) -> str | None:
    """Why ``raw`` is not an exclusive area (a decimal > 0 with at most two places), or None."""
    if isinstance(raw, (bool, float)) or not isinstance(raw, (str, int)):
        return "must be a decimal written as text or a whole number"
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return "is not a number"
    if not value.is_finite() or value <= 0:
        return "must be more than 0"
    if value != value.quantize(CENTI):
        return "has more than two decimal places"
    if value > Decimal(1000000):
        return "is larger than 1,000,000 m² for one unit"
    return None


def questions_from(raw: Iterable[Mapping[str, Any]]) -> list[Question]:
    return [Question(str(q["id"]), str(q["matter"]), str(q.get("title", "")),
                     tuple(str(c) for c in q.get("covers") or ())) for q in raw]


def ballots_from(raw: Iterable[Mapping[str, Any]]) -> list[Ballot]:
    """Ballots from recorded data; an unreadable area is left for :func:`tally` to report."""
    out = []
    for b in raw:
        problem = area_problem(b.get("area"))
        area = Decimal(str(b["area"]).strip()) if problem is None else Decimal(0)
        out.append(Ballot(str(b["unit"]), str(b["owner"]), area,
                          {str(k): str(v) for k, v in dict(b.get("answers") or {}).items()}))
    return out


def problems(ballots: Sequence[Ballot], questions: Sequence[Question], households: int,
             area_total: Decimal) -> list[str]:
    """Every inconsistency of the ballots and questions, in order (empty when consistent)."""
    found: list[str] = []
    ids = [q.id for q in questions]
    if not questions:
        found.append("the vote puts no question")
    defined: set[str] = set()
    for q in questions:
        if q.id in defined:
            found.append(f"question {q.id!r} is defined twice")
        defined.add(q.id)
        if q.matter not in MATTERS:
            found.append(f"question {q.id!r}: matter {q.matter!r} is not an owners' matter "
                         f"({' | '.join(MATTERS)})")
    seen: dict[str, int] = {}
    by_owner: dict[str, tuple[str, dict[str, str]]] = {}
    for i, b in enumerate(ballots, 1):
        where = f"ballot {i} (unit {b.unit!r})"
        if b.unit in seen:
            found.append(f"{where}: the unit is on ballot {seen[b.unit]} already")
        seen.setdefault(b.unit, i)
        if not b.owner.strip():
            found.append(f"{where}: no owner")
        if b.area <= 0 or b.area != b.area.quantize(CENTI):
            found.append(f"{where}: area must be more than 0 m² with at most two decimals")
        answers = {k: answer_word(v) for k, v in b.answers.items()}
        missing = [q for q in ids if q not in answers]
        extra = sorted(k for k in answers if k not in ids)
        bad = sorted(k for k, v in answers.items() if v is None)
        if missing:
            found.append(f"{where}: no answer to {', '.join(missing)}")
        if extra:
            found.append(f"{where}: answers {', '.join(extra)}, which the vote does not put")
        if bad:
            found.append(f"{where}: answer to {', '.join(bad)} is not one of "
                         f"同意/反对/弃权 (yes/no/abstain)")
        clean = {k: v for k, v in answers.items() if v is not None}
        if b.owner in by_owner:
            first_unit, first = by_owner[b.owner]
            differ = sorted(q for q in ids if q in clean and q in first and clean[q] != first[q])
            if differ:
                found.append(f"{where}: owner {b.owner!r} answers {', '.join(differ)} "
                             f"otherwise than on unit {first_unit!r} (one owner, one answer)")
        else:
            by_owner[b.owner] = (b.unit, clean)
    total_area = sum((b.area for b in ballots), Decimal(0))
    if households <= 0 or area_total <= 0:
        found.append("the project records no households or no exclusive area to measure the "
                     "vote against")
    elif len(ballots) > households:
        found.append(f"the ballots name {len(ballots)} units, more than the project's "
                     f"{households} households")
    if total_area > area_total:
        found.append(f"the ballots cover {total_area} m², more than the project's "
                     f"{area_total} m² of exclusive area")
    return found


def tally(ballots: Sequence[Ballot], questions: Sequence[Question], households: int,
          area_total: Decimal, thresholds: Thresholds) -> Tally:
    """Count the vote against the project's ``households`` and exclusive ``area_total``;
    raises :class:`VoteError` when it is inconsistent (see :func:`problems`)."""
    found = problems(ballots, questions, households, area_total)
    if found:
        raise VoteError(found)
    owners: dict[str, tuple[Decimal, dict[str, str]]] = {}
    for b in ballots:
        area, answers = owners.get(b.owner, (Decimal(0), {}))
        owners[b.owner] = (area + b.area, answers or
                           {k: str(answer_word(v)) for k, v in b.answers.items()})
    voted = len(owners)
    voted_area = sum((a for a, _ in owners.values()), Decimal(0))
    decisions = []
    for q in questions:
        strict = q.matter not in SPECIAL_MATTERS
        ratio = thresholds.majority if strict else thresholds.special
        yes = [(a, ans) for a, ans in owners.values() if ans[q.id] == "yes"]
        decisions.append(Decision(
            measure_owners(len(yes), voted, ratio, strict),
            measure_area(sum((a for a, _ in yes), Decimal(0)), voted_area, ratio, strict),
            question=q, no=sum(1 for _, ans in owners.values() if ans[q.id] == "no"),
            abstain=sum(1 for _, ans in owners.values() if ans[q.id] == "abstain")))
    owners_total = households - (len(ballots) - voted)
    return Tally(measure_owners(voted, owners_total, thresholds.participation, False),
                 measure_area(voted_area, area_total, thresholds.participation, False),
                 tuple(decisions), units=len(ballots))


@dataclass(frozen=True)
class Gap:
    """A scope item or revenue source whose owners' matter the vote does not decide."""

    kind: str  # "scope" | "revenue"
    name: str
    matter: str
    why: str

    def describe(self) -> str:
        what = {"scope": "scope item", "revenue": "revenue source"}.get(self.kind, "item")
        return f"{what} {self.name!r} ({self.matter}): {self.why}"

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "name": self.name, "matter": self.matter, "why": self.why}


def decides(question_matter: str, needed: str) -> bool:
    """A question decided at ``question_matter``'s measure decides a ``needed`` matter: the same
    matter, or a majority matter decided at a 3/4 measure (three quarters of both measures is
    more than half of both)."""
    return question_matter == needed or (needed == "majority" and
                                         question_matter in SPECIAL_MATTERS)


def coverage_gaps(scope: Iterable[Mapping[str, Any]], revenue: Iterable[Mapping[str, Any]],
                  result: Tally) -> list[Gap]:
    """Every scope item and revenue source whose matter is not ``none`` must be named in the
    ``covers`` of a question of its matter (or a stricter one) that passed; a question covering
    a name the project does not have is a gap too (the vote decided something else)."""
    items = [("scope", str(s.get("item", "")), str(s.get("matter", NOT_A_MATTER)))
             for s in scope]
    items += [("revenue", str(r.get("stream", "")), str(r.get("matter", NOT_A_MATTER)))
              for r in revenue]
    gaps: list[Gap] = []
    for kind, name, matter in items:
        if matter == NOT_A_MATTER:
            continue
        naming = [d for d in result.decisions if name in d.question.covers]
        fitting = [d for d in naming if decides(d.question.matter, matter)]
        if not naming:
            gaps.append(Gap(kind, name, matter, "no question of the vote covers it"))
        elif not fitting:
            voted = ", ".join(f"{d.question.id} ({d.question.matter})" for d in naming)
            gaps.append(Gap(kind, name, matter,
                            f"voted as {voted}, but it is a {matter} matter"))
        elif not any(d.passed for d in fitting):
            gaps.append(Gap(kind, name, matter, "the question covering it did not pass: " +
                            ", ".join(d.question.id for d in fitting)))
    names = {name for _, name, _ in items}
    for d in result.decisions:
        for c in d.question.covers:
            if c not in names:
                gaps.append(Gap("question", c, d.question.matter,
                                f"question {d.question.id} covers it, but the project has no "
                                "scope item or revenue source of that name"))
    return gaps
