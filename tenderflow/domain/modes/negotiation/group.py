"""Competitive negotiation's negotiating group (谈判小组): its composition (odd, ≥ 3 or ≥ 5 at
tender scale, experts ≥ 2/3, a finance and a legal expert for PPP), complete after recusals,
new appointees, and members acting. Pure predicates over the committee component
(:mod:`tenderflow.domain.components.committee`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain.components import bids
from tenderflow.domain.components.committee import Composition, named_again
from tenderflow.domain.components.common import CATEGORY_THRESHOLD, estimated_price
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

PPP_EXPERTS = "ppp.committee_finance_legal_min"  # 财库〔2014〕215号: a finance and a legal expert


#: 74号令 第7条: goods and services reach the scale at the government-procurement open-tender
#: threshold (公开招标数额标准); works at the tender scale of 发改委令第16号.
GP_OPEN_TENDER = {"goods": "regime.gp_open_tender_goods",
                  "services": "regime.gp_open_tender_services"}


def tender_scale(ctx: GuardContext) -> tuple[bool, str]:
    """Whether the project reaches the scale at which the group has ≥ 5 members (74号令 第7条:
    达到公开招标数额标准的货物或者服务采购项目，或者达到招标规模标准的政府采购工程), and the
    threshold parameter that decided it. Parameters pinned before the government-procurement
    thresholds were added decide with the 16号令 figure, as they did."""
    category = ctx.state["project"].get("procurement_category", "works")
    key = GP_OPEN_TENDER.get(category, "")
    if key not in ctx.params:
        key = CATEGORY_THRESHOLD[category]
    return estimated_price(ctx.state) >= Decimal(ctx.p(key)), key


def _composition(ctx: GuardContext) -> tuple[Composition, bool]:
    big, _ = tender_scale(ctx)
    min_size = int(ctx.p("negotiation.group_min_size_tender_scale" if big
                         else "negotiation.group_min_size"))
    share = Fraction(ctx.p("negotiation.group_expert_share"))
    roles: tuple[str, ...] = ()
    if ctx.state["project"].get("ppp") and PPP_EXPERTS in ctx.params and ctx.p(PPP_EXPERTS):
        roles = ("finance_expert", "legal_expert")
    return Composition(min_size, share, roles), big


def _composition_refusal(ctx: GuardContext, spec: GuardSpec, members: list[dict[str, Any]],
                         what: str) -> Refusal | None:
    comp, big = _composition(ctx)
    problems = comp.problems(members)
    if not problems:
        return None
    kind, reason, numbers = problems[0]
    if what:
        reason = f"{what}: {reason}"
    refusal = spec.refuse(ctx, reason, **numbers)
    extra = []
    if kind == "size" and big:
        _, key = tender_scale(ctx)
        extra.append(ctx.params.get("negotiation.group_min_size_tender_scale").citation())
        extra.append(ctx.params.get(key).citation())
        reason += (f" (project at tender scale: estimated {estimated_price(ctx.state)} yuan "
                   f"≥ {ctx.p(key)} yuan, {key})")
    if kind == "roles":
        extra.append(ctx.params.get(PPP_EXPERTS).citation())
    if extra:
        return Refusal(refusal.rule, reason, "; ".join([refusal.source, *extra]),
                       refusal.numbers, guard=spec.name)
    return refusal


@guard("group_composition", rule="negotiation.group_min_size", needs=("members",))
def group_composition(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The negotiating group: an odd number, ≥ 3 (≥ 5 at tender scale), experts ≥ 2/3, and
    for a PPP project a finance and a legal expert."""
    return _composition_refusal(ctx, spec, ctx.data["members"], "")


@guard("group_complete", rule="negotiation.group_min_size")
def group_complete(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """After recusals the members still serving form a lawful group (appoint replacements
    otherwise)."""
    seated = bids.seated_members(ctx.state)
    refusal = _composition_refusal(ctx, spec, seated, "the members still serving")
    if refusal and ctx.state.get("recused"):
        return Refusal(refusal.rule, refusal.reason + f" after the recusal of "
                       f"{', '.join(sorted(ctx.state['recused']))}: appoint replacements "
                       "(appoint_members)", refusal.source, refusal.numbers, guard=spec.name)
    return refusal


@guard("appointees_new", rule="negotiation.group_min_size", needs=("members",))
def appointees_new(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Replacement members are appointed while the group is at work (after it was formed,
    before the recommendation), each a new name."""
    if not ctx.state.get("group"):
        return spec.refuse(ctx, "no negotiating group has been formed yet (form_group)")
    if ctx.state.get("recommendation"):
        return spec.refuse(ctx, "the group has already recommended its candidates")
    again = named_again(ctx.state.get("group", []), ctx.data["members"])
    if again:
        return spec.refuse(ctx, f"{', '.join(again)} already served or is listed twice",
                           members=again)
    return None


@guard("acting_member", rule="committee.recusal",
       source="政府采购法实施条例 第9条; 政府采购法 第38条第(三)项")
def acting_member(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """An evaluator acts only as a member still serving in the group (a recused member may
    not)."""
    role, _, name = ctx.actor.partition(":")
    if role != "evaluator":
        return None
    recused = ctx.state.get("recused", {})
    if name in recused:
        return spec.refuse(ctx, f"{name} was recused: {recused[name]['reason']}", member=name)
    if name not in {m["name"] for m in bids.seated_members(ctx.state)}:
        return spec.refuse(ctx, f"{name} is not a member of the negotiating group", member=name)
    return None
