"""The open tender's decisions on sealed bids and their evaluation (issue 5): the evaluation
method, withdrawal before the deadline, the committee's screening and seating, the members'
scores and adjustments. Pure predicates; the calculators (opening verdicts, rankings, bond
refund dates) are in :mod:`tenderflow.domain.modes.open_tender.calculators`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from tenderflow.domain.components import bids as offers
from tenderflow.domain.components.committee import (
    Composition,
    named_again,
    seated,
)
from tenderflow.domain.components.common import low_price_rule, refuse_as
from tenderflow.domain.components.scoring import (
    Method,
    MethodError,
    adjustment_problems,
    sheet_problems,
)
from tenderflow.domain.eligibility.lint import SCORING_RULE, lint_scoring
from tenderflow.domain.fold import State
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

MODE = "open_tender"
KIND = "bid"
EVALUATION_SOURCE = "招标投标法 第40条; 招标投标法实施条例 第49条; 财政部令第87号 第55条"


def method_of(state: State) -> Method | None:
    data = state.get("evaluation_method")
    return Method.from_data(data) if data else None


# --- documents ------------------------------------------------------------------------------

@guard("tender_evaluation_method", rule="evaluation.method", source=EVALUATION_SOURCE)
def tender_evaluation_method(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The evaluation method the documents state holds together: comprehensive scoring with a
    price weight and technical criteria adding up to 100, or lowest evaluated price with its
    adjustment factors; and a tie rule. Its criteria and factors pass the fair-competition
    review (rule ``fairness.scoring_criteria``): none scores ownership form, organisation form,
    location, regional or sector track record or size (政府采购法实施条例 第20条; 招标投标法实施
    条例 第32条; 财政部令第87号 第17条, unconfirmed)."""
    data = ctx.data.get("evaluation")
    if data is None:
        return None
    try:
        Method.from_data(data, "with.evaluation")
    except MethodError as exc:
        return spec.refuse(ctx, f"{exc.field}: {exc}", field=exc.field)
    return scoring_fairness(data, spec.name)


def scoring_fairness(data: Any, guard_name: str) -> Refusal | None:
    """The fair-competition review of the documents' scoring criteria as one refusal naming
    every criterion found, its kind and its source (an unconfirmed source says so)."""
    findings = lint_scoring(data, "with.evaluation")
    if not findings:
        return None
    sources = list(dict.fromkeys(s for f in findings for s in (f.source or "").split("; ") if s))
    reason = "; ".join(
        f"{f.field}: {f.message}" + (f" [{f.source}, status {f.status}]"
                                     if f.status != "P" else "") for f in findings)
    return Refusal(rule=SCORING_RULE, reason=reason, source="; ".join(sources),
                   numbers={"criteria": [{"field": f.field, "kind": f.kind} for f in findings]},
                   guard=guard_name)


@guard("tender_bids_unsealed", rule="bids.commitment", source="招标投标法 第36条")
def tender_bids_unsealed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The committee evaluates bids that were unsealed and checked against their commitments."""
    if not offers.opened(ctx.state, KIND):
        return spec.refuse(ctx, "the sealed bids have not been unsealed yet (unseal_bids)")
    return None


@guard("tender_bid_price_flagged", rule="award.abnormally_low_ratio", needs=("supplier",))
def tender_bid_price_flagged(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The explanation of a price flagged abnormally low is recorded once; if it is not
    accepted the bid is invalid (招标投标法实施条例 第51条第(五)项). A works procurement's
    refusal names the works rule (:func:`low_price_rule`)."""
    sid = ctx.data["supplier"]
    rule = low_price_rule(ctx)
    if sid not in ctx.state.get("abnormally_low", {}).get(KIND, {}):
        return refuse_as(ctx, spec, rule, f"the price of {sid} was not flagged as abnormally "
                                          "low", supplier=sid)
    if sid in ctx.state.get("explanations", {}).get(KIND, {}):
        return refuse_as(ctx, spec, rule, f"the explanation of {sid} is already recorded",
                         supplier=sid)
    return None


@guard("tender_committee_appointees", rule="tender.committee_min_size", needs=("members",))
def tender_committee_appointees(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Replacement members are new names."""
    again = named_again(ctx.state.get("committee", []), ctx.data["members"])
    if again:
        return spec.refuse(ctx, f"{', '.join(again)} already served or is listed twice",
                           members=again)
    return None


def seated_committee(state: State) -> list[dict[str, Any]]:
    return seated(state.get("committee", []), state.get("recused", {}))


@guard("tender_committee_seated", rule="tender.committee_min_size")
def tender_committee_seated(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The members still serving after recusals form a lawful committee: odd, ≥ 5, experts
    ≥ 2/3 (招标投标法 第37条), and on the PPP path a finance and a legal expert."""
    roles: tuple[str, ...] = ()
    if ctx.state.get("project", {}).get("ppp") and "ppp.committee_finance_legal_min" in \
            ctx.params:
        roles = ("finance_expert", "legal_expert")
    comp = Composition(int(ctx.p("tender.committee_min_size")),
                       Fraction(ctx.p("tender.committee_expert_share")), roles)
    members = seated_committee(ctx.state)
    problems = comp.problems(members)
    if problems:
        _, reason, numbers = problems[0]
        recused = sorted(ctx.state.get("recused", {}))
        extra = (f" after the recusal of {', '.join(recused)}: appoint replacements "
                 "(appoint_committee_members)") if recused else ""
        return spec.refuse(ctx, f"the members still serving: {reason}{extra}", **numbers)
    return None


@guard("tender_member_acting", rule="committee.recusal",
       source="招标投标法实施条例 第46条; 招标投标法 第37条", needs=("member",))
def tender_member_acting(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Scores are recorded for a member still serving (not recused); an evaluator records only
    their own."""
    member = ctx.data["member"]
    role, _, name = ctx.actor.partition(":")
    if role == "evaluator" and name != member:
        return spec.refuse(ctx, f"{ctx.actor} may not record the scores of {member}",
                           member=member)
    recused = ctx.state.get("recused", {})
    if member in recused:
        return spec.refuse(ctx, f"{member} was recused: {recused[member]['reason']}",
                           member=member)
    if member not in {m["name"] for m in seated_committee(ctx.state)}:
        return spec.refuse(ctx, f"{member} is not a member of the evaluation committee",
                           member=member)
    return None


# --- scores, adjustments and the computed ranking ----------------------------------------

def valid_bids(state: State) -> dict[str, dict[str, Any]]:
    """Bids unsealed with their commitment held and, if flagged abnormally low, explained and
    accepted."""
    bad = offers.rejected_low(state, KIND)
    return {sid: o for sid, o in offers.offers_of(state, KIND).items() if sid not in bad}


@guard("tender_scores_valid", rule="evaluation.scores", source=EVALUATION_SOURCE,
       needs=("scores",))
def tender_scores_valid(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A member's score sheet under comprehensive scoring: every valid bid on every criterion
    of the documents, each score between 0 and the criterion's weight, at most 2 decimals."""
    method = method_of(ctx.state)
    if method is None or method.kind != "comprehensive":
        return spec.refuse(ctx, "the tender documents state no comprehensive-scoring method")
    problems = sheet_problems(method, ctx.data["scores"], sorted(valid_bids(ctx.state)))
    if problems:
        field, problem = problems[0]
        return spec.refuse(ctx, f"{field}: {problem}", field=field, problems=len(problems))
    return None


@guard("tender_adjustments_valid", rule="evaluation.scores", source=EVALUATION_SOURCE,
       needs=("adjustments",))
def tender_adjustments_valid(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The committee's price adjustments under lowest evaluated price: only the factors the
    documents state, each with an amount and a reason."""
    method = method_of(ctx.state)
    if method is None or method.kind != "lowest_evaluated_price":
        return spec.refuse(ctx, "the tender documents state no lowest-evaluated-price method")
    problems = adjustment_problems(method, ctx.data["adjustments"], sorted(valid_bids(ctx.state)))
    if problems:
        field, problem = problems[0]
        return spec.refuse(ctx, f"{field}: {problem}", field=field)
    return None
