"""The open tender's decisions before the bids are opened (招标投标法): prequalification,
invitation, tender documents and their periods, bids received in time with their bond, the
bidders' minimum and the committee's composition. Pure predicates: each passes or refuses
with its rule, the numbers seen and required, and its legal source.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from tenderflow.domain.components.common import (
    check_min_period,
    data_time,
    deadline_of,
    deadline_reached,
    refuse_as,
)
from tenderflow.domain.fold import State
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.domain.timeutil import iso, local_date
from tenderflow.errors import Refusal

EXPERT_ROLES = ("expert", "finance_expert", "legal_expert")

INVITATION_GROUNDS = {
    "few_potential_bidders": "技术复杂、有特殊要求或者受自然环境限制，只有少量潜在投标人可供选择",
    "cost_disproportionate": "采用公开招标方式的费用占项目合同金额的比例过大",
}


# --- helpers shared by the mode guards ---------------------------------------------------------

def data_money(ctx: GuardContext, key: str) -> Decimal:
    return Decimal(str(ctx.data[key]))


def is_ppp(state: State) -> bool:
    return bool(state.get("project", {}).get("ppp"))


def variant(state: State) -> str:
    return str(state.get("options", {}).get("variant", "open"))


def estimated(state: State) -> Decimal:
    return Decimal(state["project"]["estimated_investment"])


def actor_may_act_for(ctx: GuardContext, spec: GuardSpec, rule: str, sid: str) -> Refusal | None:
    role, _, name = ctx.actor.partition(":")
    if role == "supplier" and name != sid:
        return refuse_as(ctx, spec, rule, f"{ctx.actor} may not act for {sid}", supplier=sid)
    return None


# --- prequalification (资格预审) ----------------------------------------------------------------

@guard("tender_prequal_sale_period", rule="tender.document_sale_min_days",
       needs=("sale_until",))
def prequal_sale_period(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Prequalification documents are on sale for at least 5日 (条例 第16条)."""
    return check_min_period(ctx, spec, "tender.document_sale_min_days", ctx.today,
                            local_date(data_time(ctx, "sale_until")), "sale ends",
                            "documents published")


@guard("tender_prequal_application_period", rule="tender.prequal_application_min_days",
       needs=("sale_until", "application_deadline"))
def prequal_application_period(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Applications are due at least 5日 after the sale of the documents closes (条例 第17条)."""
    return check_min_period(ctx, spec, "tender.prequal_application_min_days",
                            local_date(data_time(ctx, "sale_until")),
                            local_date(data_time(ctx, "application_deadline")),
                            "applications due", "sale ends")


@guard("tender_application_in_time", rule="tender.prequal_application_deadline",
       source="招标投标法实施条例 第17条", needs=("supplier",))
def application_in_time(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A prequalification application comes once per applicant, before its deadline."""
    sid = ctx.data["supplier"]
    wrong = actor_may_act_for(ctx, spec, spec.rule, sid)
    if wrong:
        return wrong
    if sid in ctx.state.get("prequal", {}).get("applications", {}):
        return spec.refuse(ctx, f"{sid} has already applied", supplier=sid)
    deadline = deadline_of(ctx.state, "prequal_application_deadline")
    if deadline is not None and ctx.at >= deadline:
        return spec.refuse(ctx, f"application after the deadline {deadline.isoformat()}",
                           deadline=deadline.isoformat(), at=iso(ctx.at))
    return None


@guard("tender_prequal_review", rule="tender.prequal_review", source="招标投标法实施条例 第18、19条",
       needs=("results",))
def prequal_review(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """After the application deadline every applicant is assessed once; a failure says why."""
    late = deadline_reached(ctx, spec, "prequal_application_deadline", spec.rule,
                            "the prequalification review starts after the application deadline:")
    if late:
        return late
    applicants = set(ctx.state.get("prequal", {}).get("applications", {}))
    given = [r["supplier"] for r in ctx.data["results"]]
    dup = sorted({s for s in given if given.count(s) > 1})
    if dup:
        return spec.refuse(ctx, f"{dup[0]} is assessed twice", supplier=dup[0])
    strangers = sorted(set(given) - applicants)
    if strangers:
        return spec.refuse(ctx, f"{', '.join(strangers)} did not apply", not_applicants=strangers)
    missing = sorted(applicants - set(given))
    if missing:
        return spec.refuse(ctx, f"no result for {', '.join(missing)}", missing=missing)
    silent = sorted(r["supplier"] for r in ctx.data["results"]
                    if not r["passed"] and not str(r.get("reason", "")).strip())
    if silent:
        return spec.refuse(ctx, f"the failure of {', '.join(silent)} states no reason",
                           without_reason=silent)
    return None


def _passed(ctx: GuardContext) -> int:
    return sum(1 for r in ctx.data["results"] if r["passed"])


def _pass_rule(ctx: GuardContext) -> str:
    return "ppp.prequal_pass_min" if is_ppp(ctx.state) else "tender.prequal_pass_min"


@guard("tender_prequal_pass_min", rule="tender.prequal_pass_min", needs=("results",))
def prequal_pass_min(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """At least 3 applicants pass prequalification (条例 第19条; PPP: 215号 第5条)."""
    rule = _pass_rule(ctx)
    minimum, n = int(ctx.p(rule)), _passed(ctx)
    if n < minimum:
        return refuse_as(ctx, spec, rule, f"{n} applicants passed, at least {minimum} required",
                         passed=n, minimum=minimum)
    return None


@guard("tender_prequal_insufficient", rule="tender.prequal_pass_min", needs=("results",), selects=True)
def prequal_insufficient(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Fewer than 3 pass: works are re-tendered (条例 第19条); a PPP prequalification already
    redone may change method (215号 第5条). Either way this procurement fails."""
    rule = _pass_rule(ctx)
    minimum, n = int(ctx.p(rule)), _passed(ctx)
    if n >= minimum:
        return refuse_as(ctx, spec, rule, f"{n} applicants passed: the tender goes on",
                         passed=n, minimum=minimum)
    if is_ppp(ctx.state):
        attempts = int(ctx.state.get("prequal", {}).get("attempts", 1))
        allowed = int(ctx.p("ppp.prequal_attempts_max"))
        if attempts < allowed:
            return refuse_as(ctx, spec, "ppp.prequal_attempts_max",
                             f"prequalification round {attempts} of {allowed}: adjust the "
                             "implementation plan and redo it", attempts=attempts,
                             allowed=allowed)
    return None


# --- documents, clarifications, bids --------------------------------------------------------------

@guard("tender_invitation_terms", rule="tender.invited_min")
def invitation_terms(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """邀请招标 invites at least 3 (法 第17条), on a ground of 条例 第8条 where the project is
    state-funded; 公开招标 invites nobody in particular."""
    suppliers = ctx.data.get("suppliers")
    if variant(ctx.state) != "invitation":
        if suppliers:
            return spec.refuse(ctx, "an open tender issues its documents to all comers: "
                                    "'suppliers' is for the invitation variant",
                               variant=variant(ctx.state))
        return None
    if suppliers is None:
        return spec.refuse(ctx, "an invitation tender names the invited suppliers",
                           invited=0, minimum=int(ctx.p(spec.rule)))
    ids = [s["id"] for s in suppliers]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        return spec.refuse(ctx, f"supplier {dup[0]} is invited twice", supplier=dup[0])
    minimum = int(ctx.p(spec.rule))
    if len(ids) < minimum:
        return spec.refuse(ctx, f"{len(ids)} suppliers invited, at least {minimum} required",
                           invited=len(ids), minimum=minimum)
    passed = ctx.state.get("prequal", {}).get("passed")
    if passed is not None and set(ids) - set(passed):
        wrong = sorted(set(ids) - set(passed))
        return spec.refuse(ctx, f"{', '.join(wrong)} did not pass prequalification",
                           not_prequalified=wrong)
    if ctx.state["project"].get("state_funded", True):
        ground = ctx.data.get("invitation_ground")
        if ground not in INVITATION_GROUNDS or \
                not str(ctx.data.get("invitation_justification", "")).strip():
            return Refusal("tender.invitation_grounds",
                           "a state-funded project invites tenders only on a ground of 第8条, "
                           "stated and justified", "招标投标法实施条例 第8条",
                           {"ground": ground, "allowed": sorted(INVITATION_GROUNDS)},
                           guard=spec.name)
    return None


@guard("tender_document_sale_period", rule="tender.document_sale_min_days", needs=("sale_until",))
def document_sale_period(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Tender documents are on sale for at least 5日 (条例 第16条)."""
    return check_min_period(ctx, spec, "tender.document_sale_min_days", ctx.today,
                            local_date(data_time(ctx, "sale_until")), "sale ends",
                            "documents issued")


@guard("tender_bid_period", rule="tender.bid_period_min_days", needs=("bid_deadline",))
def bid_period(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """From the first issue of the documents to the bid deadline: at least 20日 (法 第24条)."""
    return check_min_period(ctx, spec, "tender.bid_period_min_days", ctx.today,
                            local_date(data_time(ctx, "bid_deadline")), "bid deadline",
                            "documents first issued")


@guard("tender_bid_bond_cap", rule="tender.bid_bond_max_ratio", needs=("bid_bond",))
def bid_bond_cap(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The bid bond the documents require is at most 2% of the estimated price (条例 第26条)."""
    bond, ratio = data_money(ctx, "bid_bond"), Decimal(str(ctx.p(spec.rule)))
    cap = estimated(ctx.state) * ratio
    if bond > cap:
        return spec.refuse(ctx, f"bid bond {bond:.2f} exceeds {ratio:%} of the estimated price "
                                f"{estimated(ctx.state):.2f} ({cap:.2f})",
                           bond=f"{bond:.2f}", cap=f"{cap:.2f}", ratio=str(ratio),
                           estimated=f"{estimated(ctx.state):.2f}")
    return None


@guard("tender_bid_in_time", rule="tender.bid_deadline", source="招标投标法 第28条",
       needs=("supplier",))
def bid_in_time(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A bid comes before the deadline, once, from a supplier entitled to bid: anyone in an
    open tender, the invited in an invitation tender, the prequalified after prequalification
    (条例 第19条). A bid received after the deadline is refused (法 第28条)."""
    sid = ctx.data["supplier"]
    wrong = actor_may_act_for(ctx, spec, spec.rule, sid)
    if wrong:
        return wrong
    if sid in ctx.state.get("bids", {}):
        return spec.refuse(ctx, f"{sid} has already bid", supplier=sid)
    passed = ctx.state.get("prequal", {}).get("passed")
    if passed is not None and sid not in passed:
        return refuse_as(ctx, spec, "tender.prequal_pass_min",
                         f"{sid} did not pass prequalification and may not bid "
                         "(招标投标法实施条例 第19条)", supplier=sid)
    if variant(ctx.state) == "invitation" and sid not in ctx.state.get("invited", {}):
        return refuse_as(ctx, spec, "tender.invited_min", f"{sid} was not invited",
                         supplier=sid)
    deadline = deadline_of(ctx.state, "bid_deadline")
    if deadline is not None and ctx.at >= deadline:
        return spec.refuse(ctx, f"bid received after the deadline {deadline.isoformat()}",
                           deadline=deadline.isoformat(), at=iso(ctx.at))
    return None


@guard("tender_bid_bond_provided", rule="tender.bid_bond", source="招标投标法实施条例 第26条",
       needs=("bond",))
def bid_bond_provided(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A bid carries the bid bond the documents require."""
    required = Decimal(ctx.state.get("documents", {}).get("bid_bond", "0"))
    bond = data_money(ctx, "bond")
    if bond < required:
        return spec.refuse(ctx, f"bid bond {bond:.2f}, the documents require {required:.2f}",
                           bond=f"{bond:.2f}", required=f"{required:.2f}")
    return None


@guard("tender_bidders_min", rule="tender.bidders_min")
def bidders_min(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Bids are opened at the deadline only if at least 3 were received (法 第28条)."""
    late = deadline_reached(ctx, spec, "bid_deadline", spec.rule,
                            "bids are opened at the deadline,")
    if late:
        return late
    n, minimum = len(ctx.state.get("bids", {})), int(ctx.p(spec.rule))
    if n < minimum:
        return spec.refuse(ctx, f"{n} bids received, at least {minimum} required to open",
                           bids=n, minimum=minimum)
    return None


@guard("tender_bidders_below_min", rule="tender.bidders_min", selects=True)
def bidders_below_min(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """With fewer than 3 bids at the deadline the bids are not opened: re-tender
    (法 第28条; 条例 第44条)."""
    late = deadline_reached(ctx, spec, "bid_deadline", spec.rule,
                            "bids are counted at the deadline,")
    if late:
        return late
    n, minimum = len(ctx.state.get("bids", {})), int(ctx.p(spec.rule))
    if n >= minimum:
        return spec.refuse(ctx, f"{n} bids received: they are opened", bids=n, minimum=minimum)
    return None


# --- committee, evaluation, publicity, objections -------------------------------------------

@guard("tender_committee_composition", rule="tender.committee_min_size", needs=("members",))
def committee_composition(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The evaluation committee: an odd number of at least 5, technical and economic experts at
    least 2/3 of the members (法 第37条; 条例 第46条)."""
    members = ctx.data["members"]
    names = [m["name"] for m in members]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        return spec.refuse(ctx, f"member {dup[0]} is listed twice", member=dup[0])
    size, minimum = len(members), int(ctx.p("tender.committee_min_size"))
    if size < minimum:
        return spec.refuse(ctx, f"{size} members, at least {minimum} required",
                           members=size, minimum=minimum)
    if size % 2 == 0:
        return spec.refuse(ctx, f"{size} members: the number must be odd", members=size)
    share = Fraction(ctx.p("tender.committee_expert_share"))
    experts = sum(1 for m in members if m["role"] in EXPERT_ROLES)
    if Fraction(experts, size) < share:
        return refuse_as(ctx, spec, "tender.committee_expert_share",
                         f"{experts} of {size} members are experts, at least {share} required",
                         experts=experts, members=size, share=str(share))
    return None
