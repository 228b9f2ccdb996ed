"""The project's ``record_vote`` guards: the owners' vote (民法典 第278条) counted from the
ballots the step records (:mod:`tenderflow.domain.components.owners_vote`) against the
project's households and exclusive area, then judged measure by measure.

Each guard refuses naming the measure (owners / area), the figures and the margin, with the
source of its parameter. The tally is the accepted event's ``findings.vote``, so the log states
the result with both measures and their margins, and a replay recomputes it. A vote that cannot
be counted (inconsistent ballots, a project recording no households or area) is refused by
every guard that needs the count: not counted is not a pass.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from tenderflow.domain.components.owners_vote import (
    SPECIAL_MATTERS,
    Decision,
    Measure,
    Tally,
    Thresholds,
    VoteError,
    ballots_from,
    coverage_gaps,
    problems,
    questions_from,
    tally,
)
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

NEEDS = ("questions", "ballots")
PARTICIPATION = "vote.participation_min"
SPECIAL = "vote.special_majority_min"
MAJORITY = "vote.majority_over"


def project_of(ctx: GuardContext) -> dict[str, Any]:
    """The project record the vote is measured against."""
    return dict(ctx.state.get("project") or {})


def _totals(project: dict[str, Any]) -> tuple[int, Decimal]:
    households = project.get("households")
    try:
        area = Decimal(str(project.get("floor_area")))
    except InvalidOperation:
        area = Decimal(0)
    if not area.is_finite():
        area = Decimal(0)
    return (households if isinstance(households, int) and not isinstance(households, bool)
            else 0), area


def thresholds(ctx: GuardContext) -> Thresholds:
    return Thresholds(ctx.p(PARTICIPATION), ctx.p(SPECIAL), ctx.p(MAJORITY))


def count(ctx: GuardContext) -> Tally | str:
    """The tally of the step's ballots, or why they cannot be counted."""
    households, area = _totals(project_of(ctx))
    try:
        return tally(ballots_from(ctx.data["ballots"]), questions_from(ctx.data["questions"]),
                     households, area, thresholds(ctx))
    except VoteError as exc:
        return "; ".join(exc.problems)


def _not_counted(ctx: GuardContext, spec: GuardSpec, why: str) -> Refusal:
    return spec.refuse(ctx, f"the vote was not counted, and not counted is not a pass: {why}",
                       not_counted=why)


def _numbers(measures: list[Measure]) -> dict[str, Any]:
    """The failing measures, flat (a refusal's numbers are plain values): ``measures`` names
    them; for each, its value, base, threshold, least figure meeting it and margin."""
    out: dict[str, Any] = {"measures": [m.measure for m in measures]}
    for m in measures:
        out.update({m.measure: m.value, f"{m.measure}_of": m.base,
                    f"{m.measure}_threshold": f"{'>' if m.strict else '≥'} {m.ratio}",
                    f"{m.measure}_required": m.required, f"{m.measure}_margin": m.margin})
    return out


@guard("vote_ballots_consistent", rule="vote.ballots_consistent", needs=NEEDS,
       source="民法典 第278条第2款; 法释〔2009〕7号 第8、9条")
def ballots_consistent(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """One ballot per unit (专有部分), one answer per owner on all their units, every question
    answered, areas above 0 m² with at most two decimals, and no more units or area than the
    project records (its households and exclusive area)."""
    households, area = _totals(project_of(ctx))
    found = problems(ballots_from(ctx.data["ballots"]), questions_from(ctx.data["questions"]),
                     households, area)
    if found:
        return spec.refuse(ctx, "the ballots do not agree with the project: " +
                           "; ".join(found[:5]) + (f" (and {len(found) - 5} more)"
                                                   if len(found) > 5 else ""),
                           problems=found[:20], households=households, area=area)
    return None


@guard("vote_participation", rule=PARTICIPATION, needs=NEEDS)
def participation(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Owners holding at least 2/3 of the exclusive area and at least 2/3 of the owners take
    part (民法典 第278条第2款); both measures with their margins are the event's
    ``findings.vote``."""
    result = count(ctx)
    if isinstance(result, str):
        return _not_counted(ctx, spec, result)
    ctx.note("vote", result.to_dict())
    failing = result.failing()
    if failing:
        return spec.refuse(ctx, "too few owners took part in the vote: " +
                           "; ".join(m.describe() for m in failing), **_numbers(failing))
    return None


def _decisions_refusal(ctx: GuardContext, spec: GuardSpec, special: bool) -> Refusal | None:
    result = count(ctx)
    if isinstance(result, str):
        return _not_counted(ctx, spec, result)
    failed: list[Decision] = [d for d in result.decisions
                              if (d.question.matter in SPECIAL_MATTERS) == special
                              and not d.passed]
    if not failed:
        return None
    parts = [f"{d.question.id} ({d.question.matter}): " +
             "; ".join(m.describe() for m in d.failing()) for d in failed]
    first = failed[0]
    return spec.refuse(ctx, "not agreed: " + " | ".join(parts),
                       questions=[d.question.id for d in failed], question=first.question.id,
                       matter=first.question.matter, **_numbers(first.failing()))


@guard("vote_special_matters", rule=SPECIAL, needs=NEEDS)
def special_matters(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Raising maintenance funds, rebuilding, changing the use of common parts or using them
    for business (第278条第1款第六项至第八项): at least 3/4 of the participating area and at least
    3/4 of the participating owners agree."""
    return _decisions_refusal(ctx, spec, special=True)


@guard("vote_majority_matters", rule=MAJORITY, needs=NEEDS)
def majority_matters(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The other matters: more than half of the participating area and more than half of the
    participating owners agree."""
    return _decisions_refusal(ctx, spec, special=False)


@guard("vote_covers_project", rule="vote.covers_project", needs=NEEDS,
       source="民法典 第278条第1款")
def covers_project(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Every scope item and revenue source of the project whose matter is not ``none`` is
    decided by a question of the vote of its matter (a majority matter also by a 3/4 one) that
    passed, so that no procurement opens on works or revenues the owners did not decide."""
    result = count(ctx)
    if isinstance(result, str):
        return _not_counted(ctx, spec, result)
    project = project_of(ctx)
    gaps = coverage_gaps(project.get("scope") or [], project.get("revenue_sources") or [],
                         result)
    if gaps:
        return spec.refuse(ctx, "the vote does not decide all the project's owners' matters: "
                           + "; ".join(g.describe() for g in gaps),
                           gaps=[g.describe() for g in gaps],
                           uncovered=[g.name for g in gaps])
    return None
