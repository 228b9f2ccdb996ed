"""公开招标 / 邀请招标 of works: 招标投标法 and 招标投标法实施条例. Guards and what the events add.

Periods follow 民法典 第201、203条 through :func:`~tenderflow.domain.guards.common.earliest_deadline`
(the first day is not counted; a period whose last day is a rest day ends on the next working
day; it ends at 24:00). Deadlines the law fixes rather than the purchaser (the contract window,
an objection's answer, a postponed bid deadline, the end of a publicity period when no later end
is given) are computed by the guard and noted as findings, so the event states them and a replay
recomputes them. The PPP path (财库〔2014〕215号) is in :mod:`.ppp`.

The state this mode adds (see the appliers at the end)::

    prequal      {attempts, sale_until, applications {sid: {...}}, results {sid: {...}}, passed [sid]}
    invited      {sid: {name}}                  (邀请招标)
    documents    {first_issued_on, bid_bond, sale_until, files}
    clarifications [{at, summary, moved?}]
    bids         {sid: {name, price, bond, at, ...}}   (every field of submit_bid but supplier)
    opened       {at, bidders}
    committee    [{name, role, ...}]
    ranked       [{supplier, rank, ...}]  rejected {sid: reason}   withdrawn {sid: {...}}
    objections   {id: {by, content, at, due, status, ...}}
    award        {supplier, name, price, rank, at}
    contract     {value, performance_bond, at, late_reason?}
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain.fold import State, applies
from tenderflow.domain.guards import GuardContext, GuardSpec, guard
from tenderflow.domain.guards.common import (
    check_min_period,
    data_time,
    deadline_of,
    earliest_deadline,
    end_of_day,
    local,
    period,
    refuse_as,
)
from tenderflow.domain.guards.publicity import check_publicity_period
from tenderflow.domain.timeutil import SHANGHAI, iso, local_date, parse_time
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


def deadline_reached(ctx: GuardContext, spec: GuardSpec, key: str, rule: str,
                     what: str) -> Refusal | None:
    """The recorded deadline ``key`` has come (``opens_at`` says when it will)."""
    deadline = deadline_of(ctx.state, key)
    if deadline is None:
        return refuse_as(ctx, spec, rule, f"no {key} recorded")
    if ctx.at < deadline:
        return refuse_as(ctx, spec, rule, f"{what} not before {deadline.isoformat()}",
                         opens_at=deadline.isoformat(), deadline=deadline.isoformat())
    return None


def actor_may_act_for(ctx: GuardContext, spec: GuardSpec, rule: str, sid: str) -> Refusal | None:
    role, _, name = ctx.actor.partition(":")
    if role == "supplier" and name != sid:
        return refuse_as(ctx, spec, rule, f"{ctx.actor} may not act for {sid}", supplier=sid)
    return None


def active_candidates(state: State) -> list[dict[str, Any]]:
    """The ranked candidates still in the running, best first."""
    gone = set(state.get("withdrawn", {})) | set(state.get("confirmation", {}).get("ended", {}))
    return sorted((c for c in state.get("ranked", []) if c["supplier"] not in gone),
                  key=lambda c: c["rank"])


def ppp_rule_on(ctx: GuardContext, rule: str) -> bool:
    """The rule applies: a PPP project, and the (configurable) flag is on."""
    return is_ppp(ctx.state) and bool(ctx.p(rule))


def confirmation_required(ctx: GuardContext, spec: GuardSpec, what: str) -> Refusal | None:
    """A PPP project goes through 结果确认谈判 and the publicity of its provisional result
    (:mod:`.ppp`) before ``what``."""
    if ppp_rule_on(ctx, "ppp.result_confirmation"):
        return refuse_as(ctx, spec, "ppp.result_confirmation",
                         f"a PPP project: {what} needs 结果确认谈判 in rank order and the "
                         "publicity of the provisional result with the draft contract first",
                         ppp=True)
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


def _clarification_terms(state: State) -> tuple[str, str]:
    if state["state"] == "prequal_open":
        return "prequal_application_deadline", "tender.prequal_clarification_min_days"
    return "bid_deadline", "tender.clarification_min_days"


@guard("tender_clarification_period", rule="tender.clarification_min_days", needs=("summary",))
def clarification_period(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A clarification or amendment reaches every recipient at least 15日 before the bid
    deadline (prequalification documents: 3日 before the application deadline); later than
    that, the deadline is postponed (法 第23条; 条例 第21条). Without ``new_deadline`` the
    deadline moves to the earliest lawful day, keeping its time of day."""
    key, rule = _clarification_terms(ctx.state)
    current = deadline_of(ctx.state, key)
    if current is None:
        return refuse_as(ctx, spec, rule, f"no {key} recorded")
    if ctx.at >= current:
        return refuse_as(ctx, spec, rule, f"the deadline {current.isoformat()} has passed",
                         deadline=current.isoformat())
    earliest = earliest_deadline(ctx, ctx.today, rule)
    n, unit = period(ctx, rule)
    wanted = ctx.data.get("new_deadline")
    if wanted is not None:
        new = data_time(ctx, "new_deadline")
        if new < current:
            return refuse_as(ctx, spec, rule, f"a clarification may postpone the deadline "
                                              f"{current.isoformat()}, not advance it",
                             deadline=current.isoformat(), new_deadline=iso(new))
        if local_date(new) < earliest:
            return refuse_as(ctx, spec, rule,
                             f"clarified {ctx.today.isoformat()}: the deadline must be at least "
                             f"{n} {unit} later, not before {earliest.isoformat()}",
                             clarified=ctx.today.isoformat(), new_deadline=iso(new),
                             earliest=earliest.isoformat(), minimum=n)
        if new != current:
            ctx.note("deadline_moved", {"key": key, "from": iso(current), "to": iso(new),
                                        "rule": rule, "requested": True})
        return None
    if local_date(current) < earliest:
        local_current = current.astimezone(SHANGHAI)
        moved = datetime.combine(earliest, local_current.timetz())
        ctx.note("deadline_moved", {
            "key": key, "from": iso(current), "to": iso(moved), "rule": rule,
            "requested": False,
            "reason": f"clarified {ctx.today.isoformat()}, less than {n} {unit} before "
                      f"{local_date(current).isoformat()}"})
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


@guard("tender_candidates_ranked", rule="tender.candidates_max", needs=("candidates",))
def candidates_ranked(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The evaluation report recommends at most 3 candidates, ranked 1, 2, 3 (条例 第53条),
    each a bidder whose bid was not rejected; every rejection states its reason."""
    bids = ctx.state.get("bids", {})
    rejected = {r["supplier"]: r["reason"] for r in ctx.data.get("rejected", [])}
    strangers = sorted(set(rejected) - set(bids))
    if strangers:
        return spec.refuse(ctx, f"{', '.join(strangers)} did not bid", not_bidders=strangers)
    candidates = ctx.data["candidates"]
    if not candidates:
        return spec.refuse(ctx, "no candidate recommended: record the rejection of every bid",
                           candidates=0)
    maximum = int(ctx.p(spec.rule))
    if len(candidates) > maximum:
        return spec.refuse(ctx, f"{len(candidates)} candidates, at most {maximum}",
                           candidates=len(candidates), maximum=maximum)
    ids = [c["supplier"] for c in candidates]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        return spec.refuse(ctx, f"{dup} is ranked twice", supplier=dup)
    ranks = sorted(c["rank"] for c in candidates)
    if ranks != list(range(1, len(candidates) + 1)):
        return spec.refuse(ctx, f"ranks {ranks} are not 1 to {len(candidates)}", ranks=ranks)
    for sid in ids:
        if sid not in bids:
            return spec.refuse(ctx, f"{sid} did not bid", supplier=sid)
        if sid in rejected:
            return spec.refuse(ctx, f"{sid} is both ranked and rejected", supplier=sid)
    return None


@guard("tender_all_bids_rejected", rule="tender.all_bids_rejected", source="招标投标法 第42条",
       needs=("candidates",))
def all_bids_rejected(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The committee rejects every bid, each with its reason: the tender is re-done (法 第42条)."""
    if ctx.data["candidates"]:
        return spec.refuse(ctx, "candidates are recommended", candidates=len(ctx.data["candidates"]))
    rejected = {r["supplier"] for r in ctx.data.get("rejected", [])}
    missing = sorted(set(ctx.state.get("bids", {})) - rejected)
    if missing:
        return spec.refuse(ctx, f"no candidate, but the bids of {', '.join(missing)} are "
                                "neither ranked nor rejected", missing=missing)
    return None


@guard("tender_publicity_period", rule="tender.publicity_min_days")
def publicity_period(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The candidates are publicized for at least 3日 (条例 第54条); without ``until`` the
    publicity ends at 24:00 of its last day."""
    return check_publicity_period(ctx, spec, "tender.publicity_min_days", "publicity_until")


@guard("tender_publicity_elapsed", rule="tender.publicity_min_days")
def publicity_elapsed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The candidates' publicity has run its course."""
    return deadline_reached(ctx, spec, "publicity_until", spec.rule, "the publicity ends")


@guard("tender_objection_in_publicity", rule="tender.objection_period", source="招标投标法实施条例 第54条",
       needs=("objection", "by", "content"))
def objection_in_publicity(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """An objection to the evaluation result is raised during the publicity (条例 第54条); it
    must be answered within 3日 of its receipt, and the procurement pauses until then."""
    oid = ctx.data["objection"]
    if oid in ctx.state.get("objections", {}):
        return spec.refuse(ctx, f"objection {oid} is already recorded", objection=oid)
    wrong = actor_may_act_for(ctx, spec, spec.rule, ctx.data["by"])
    if wrong:
        return wrong
    until = deadline_of(ctx.state, "publicity_until")
    if until is not None and ctx.at >= until:
        return spec.refuse(ctx, f"the publicity ended {until.isoformat()}: objections are "
                                "raised during it", publicity_until=until.isoformat())
    due = earliest_deadline(ctx, ctx.today, "tender.objection_answer_days")
    ctx.note("answer_due", end_of_day(due))
    return None


def _pending(state: State) -> list[str]:
    return sorted(k for k, o in state.get("objections", {}).items() if o["status"] == "pending")


@guard("tender_objection_answerable", rule="tender.objection_answer_days", needs=("objection",))
def objection_answerable(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The answer refers to a pending objection (late answers are recorded as late)."""
    oid = ctx.data["objection"]
    if oid not in _pending(ctx.state):
        return spec.refuse(ctx, f"no pending objection {oid}", objection=oid,
                           pending=_pending(ctx.state))
    return None


@guard("tender_objection_upheld", rule="tender.objection_answer_days", needs=("upheld",), selects=True)
def objection_upheld(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """An objection found justified sends the result back to the committee."""
    if not ctx.data["upheld"]:
        return spec.refuse(ctx, "the objection is dismissed")
    return None


@guard("tender_objection_dismissed_last", rule="tender.objection_answer_days",
       needs=("objection", "upheld"), selects=True)
def objection_dismissed_last(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A dismissed objection, the last one pending: the publicity resumes."""
    if ctx.data["upheld"]:
        return spec.refuse(ctx, "the objection is upheld")
    others = [o for o in _pending(ctx.state) if o != ctx.data["objection"]]
    if others:
        return spec.refuse(ctx, f"objections {', '.join(others)} are still pending",
                           pending=others)
    return None


@guard("tender_objection_dismissed_others_pending", rule="tender.objection_answer_days",
       needs=("objection", "upheld"), selects=True)
def objection_dismissed_others_pending(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A dismissed objection while others are pending: the pause goes on."""
    if ctx.data["upheld"]:
        return spec.refuse(ctx, "the objection is upheld")
    if not [o for o in _pending(ctx.state) if o != ctx.data["objection"]]:
        return spec.refuse(ctx, "no other objection is pending")
    return None


@guard("tender_objection_answer_lapsed", rule="tender.objection_answer_days")
def objection_answer_lapsed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """An objection was not answered within 3日 of its receipt (条例 第54条): the lapse is
    recorded (the objector may complain, 条例 第60条)."""
    return deadline_reached(ctx, spec, "objection_answer_due", spec.rule,
                            "the answer period lapses")


# --- award and contract ---------------------------------------------------------------------

@guard("tender_candidate_active", rule="tender.state_funded_award_rank", needs=("supplier",))
def candidate_active(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Only a candidate still in the running can withdraw or be found ineligible (条例 第55条)."""
    sid = ctx.data["supplier"]
    if sid not in {c["supplier"] for c in active_candidates(ctx.state)}:
        return spec.refuse(ctx, f"{sid} is not a candidate in the running", supplier=sid)
    return None


def _rank_order(ctx: GuardContext, spec: GuardSpec, sid: str,
                active: list[dict[str, Any]]) -> Refusal | None:
    by_id = {c["supplier"]: c for c in active}
    if sid not in by_id:
        return spec.refuse(ctx, f"{sid} is not a candidate in the running", supplier=sid,
                           candidates=[c["supplier"] for c in active])
    if ctx.state["project"].get("state_funded", True):
        position = int(ctx.p("tender.state_funded_award_rank"))
        if len(active) < position:
            return spec.refuse(ctx, "no candidate left to award", candidates=len(active))
        top = active[position - 1]
        if top["supplier"] != sid:
            return spec.refuse(
                ctx, f"a state-funded project awards the top-ranked candidate in the running, "
                     f"{top['supplier']} (rank {top['rank']}), not {sid} (rank "
                     f"{by_id[sid]['rank']})",
                supplier=sid, rank=by_id[sid]["rank"], top=top["supplier"],
                top_rank=top["rank"])
    return None


@guard("tender_award_rank_order", rule="tender.state_funded_award_rank", needs=("supplier",))
def award_rank_order(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The award goes to a recommended candidate; where state funds control the project, to the
    top-ranked one still in the running (条例 第55条). The 30日 contract window opens."""
    refusal = _rank_order(ctx, spec, ctx.data["supplier"], active_candidates(ctx.state))
    if refusal is None:
        note_contract_window(ctx)
    return refusal


def note_contract_window(ctx: GuardContext) -> None:
    ctx.note("contract_deadline",
             end_of_day(earliest_deadline(ctx, ctx.today, "tender.contract_within_days")))


@guard("tender_award_next_candidate", rule="tender.state_funded_award_rank",
       needs=("supplier", "reason"))
def award_next_candidate(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The winner did not sign in time: the award may pass to the next candidate in rank
    order (条例 第55条), the reason being recorded; a new 30日 window opens. A PPP award
    passes through 结果确认谈判 and its publicity again: re-open the procurement instead."""
    if not str(ctx.data["reason"]).strip():
        return spec.refuse(ctx, "the reason the winner did not sign must be recorded")
    if is_ppp(ctx.state):
        return confirmation_required(ctx, spec, "the award to another candidate")
    winner = ctx.state.get("award", {}).get("supplier")
    active = [c for c in active_candidates(ctx.state) if c["supplier"] != winner]
    refusal = _rank_order(ctx, spec, ctx.data["supplier"], active)
    if refusal is None:
        note_contract_window(ctx)
    return refusal


@guard("tender_contract_in_window", rule="tender.contract_within_days")
def contract_in_window(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The contract is signed within 30日 of the award notice (法 第46条)."""
    deadline = deadline_of(ctx.state, "contract_deadline")
    if deadline is not None and ctx.at >= deadline:
        n, unit = period(ctx, spec.rule)
        return spec.refuse(ctx, f"the {n} {unit} window ended {deadline.isoformat()}: run tick "
                                "and sign late with the reason recorded, or award the next "
                                "candidate", deadline=deadline.isoformat(), minimum=n)
    return None


@guard("tender_contract_window_elapsed", rule="tender.contract_within_days")
def contract_window_elapsed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The 30日 contract window after the award notice lapsed without a contract (法 第46条)."""
    return deadline_reached(ctx, spec, "contract_deadline", spec.rule, "the window lapses")


@guard("tender_late_signing_explained", rule="tender.contract_within_days", needs=("late_reason",))
def late_signing_explained(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A contract signed after the 30日 window records why (法 第46条)."""
    if not str(ctx.data.get("late_reason", "")).strip():
        return spec.refuse(ctx, "signed after the contract window: the reason must be recorded")
    return None


@guard("tender_contract_matches_award", rule="tender.contract_terms", source="招标投标法 第46条",
       needs=("contract_value",))
def contract_matches_award(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The contract follows the tender documents and the winning bid: its value is the awarded
    price (法 第46条: no agreement departing from the substance)."""
    award = ctx.state.get("award") or {}
    price = award.get("price")
    value = data_money(ctx, "contract_value")
    if price is not None and value != Decimal(price):
        return spec.refuse(ctx, f"contract value {value:.2f} differs from the awarded price "
                                f"{Decimal(price):.2f}", contract_value=f"{value:.2f}",
                           awarded=f"{Decimal(price):.2f}")
    return None


@guard("tender_performance_bond_cap", rule="tender.performance_bond_max_ratio",
       needs=("contract_value", "performance_bond"))
def performance_bond_cap(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The performance bond is at most 10% of the contract value (条例 第58条)."""
    value, bond = data_money(ctx, "contract_value"), data_money(ctx, "performance_bond")
    ratio = Decimal(str(ctx.p(spec.rule)))
    cap = value * ratio
    if bond > cap:
        return spec.refuse(ctx, f"performance bond {bond:.2f} exceeds {ratio:%} of the contract "
                                f"value {value:.2f} ({cap:.2f})", bond=f"{bond:.2f}",
                           cap=f"{cap:.2f}", ratio=str(ratio))
    return None


# --- what the events add to the state -------------------------------------------------------

def _findings(payload: dict[str, Any]) -> dict[str, Any]:
    return payload.get("findings") or {}


def _names(payload: dict[str, Any]) -> dict[str, str]:
    profiles = (payload.get("facts") or {}).get("suppliers", {})
    return {sid: p.get("name", sid) for sid, p in profiles.items()}


@applies("PrequalificationPublished")
def _prequal_published(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    prequal = state.setdefault("prequal", {})
    prequal["attempts"] = int(prequal.get("attempts", 0)) + 1
    prequal["applications"] = {}
    prequal.pop("results", None)
    state["deadlines"]["prequal_sale_until"] = data["sale_until"]
    state["deadlines"]["prequal_application_deadline"] = data["application_deadline"]


@applies("PrequalificationApplicationSubmitted")
def _application(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state["prequal"]["applications"][data["supplier"]] = {
        "name": _names(payload).get(data["supplier"], data["supplier"]), "at": at,
        "documents": data.get("documents", [])}


@applies("PrequalificationCompleted", "PrequalificationRedoRequired")
def _prequal_results(state: State, payload: dict[str, Any], at: str) -> None:
    results = {r["supplier"]: {"passed": r["passed"], "reason": r.get("reason")}
               for r in payload["data"]["results"]}
    state["prequal"]["results"] = results
    if payload["to"] == "prequalified":
        state["prequal"]["passed"] = sorted(s for s, r in results.items() if r["passed"])
    for key in ("prequal_sale_until", "prequal_application_deadline"):
        state["deadlines"].pop(key, None)


@applies("TenderDocumentsIssued")
def _documents(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state["documents"] = {"first_issued_on": local(at).isoformat(),
                          "bid_bond": data["bid_bond"], "sale_until": data["sale_until"],
                          "files": data.get("documents", [])}
    state["deadlines"]["sale_until"] = data["sale_until"]
    state["deadlines"]["bid_deadline"] = data["bid_deadline"]
    names = _names(payload)
    if data.get("suppliers"):
        state["invited"] = {s["id"]: {"name": names.get(s["id"], s["id"])}
                            for s in data["suppliers"]}
    if data.get("invitation_ground"):
        state["invitation"] = {"ground": data["invitation_ground"],
                               "justification": data.get("invitation_justification")}


@applies("ClarificationIssued")
def _clarification(state: State, payload: dict[str, Any], at: str) -> None:
    entry: dict[str, Any] = {"at": at, "summary": payload["data"]["summary"],
                             "documents": payload["data"].get("documents", [])}
    moved = _findings(payload).get("deadline_moved")
    if moved:
        state["deadlines"][moved["key"]] = moved["to"]
        entry["moved"] = moved
    state.setdefault("clarifications", []).append(entry)


@applies("BidSubmitted")
def _bid(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    sid = data["supplier"]
    bid = {k: v for k, v in data.items() if k != "supplier"}
    bid.update({"name": _names(payload).get(sid, sid), "at": at})
    state.setdefault("bids", {})[sid] = bid


@applies("BidsOpened")
def _opened(state: State, payload: dict[str, Any], at: str) -> None:
    state["opened"] = {"at": at, "bidders": sorted(state.get("bids", {}))}


@applies("EvaluationCommitteeFormed")
def _committee(state: State, payload: dict[str, Any], at: str) -> None:
    state["committee"] = payload["data"]["members"]


@applies("EvaluationReported")
def _evaluation(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state["ranked"] = sorted(data["candidates"], key=lambda c: c["rank"])
    state["rejected"] = {r["supplier"]: r["reason"] for r in data.get("rejected", [])}
    state["withdrawn"] = {}
    state.pop("confirmation", None)


@applies("CandidatesPublicized", "ProvisionalResultPublicized")
def _publicized(state: State, payload: dict[str, Any], at: str) -> None:
    for key, value in _findings(payload).items():
        state["deadlines"][key] = value
    if payload["data"].get("draft_contract"):
        state["draft_contract"] = payload["data"]["draft_contract"]


def _next_answer_due(state: State) -> None:
    dues = [o["due"] for o in state.get("objections", {}).values()
            if o["status"] == "pending" and not o.get("overdue")]
    if dues:
        state["deadlines"]["objection_answer_due"] = min(dues, key=parse_time)
    else:
        state["deadlines"].pop("objection_answer_due", None)


@applies("TenderObjectionRaised")
def _objection(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("objections", {})[data["objection"]] = {
        "by": data["by"], "content": data["content"], "at": at,
        "due": _findings(payload)["answer_due"], "status": "pending"}
    _next_answer_due(state)


@applies("TenderObjectionAnswered")
def _answered(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    objection = state["objections"][data["objection"]]
    objection.update({"status": "upheld" if data["upheld"] else "dismissed",
                      "answer": data["answer"], "answered_at": at,
                      "late": parse_time(at) >= parse_time(objection["due"])})
    if data["upheld"]:
        for other in state["objections"].values():
            if other["status"] == "pending":
                other["status"] = "superseded"
        state["deadlines"].pop("publicity_until", None)
    _next_answer_due(state)


@applies("TenderObjectionAnswerOverdue")
def _overdue(state: State, payload: dict[str, Any], at: str) -> None:
    for objection in state.get("objections", {}).values():
        if objection["status"] == "pending" and parse_time(objection["due"]) <= parse_time(at):
            objection["overdue"] = True
    _next_answer_due(state)


@applies("CandidatePublicityEnded", "ProvisionalPublicityEnded")
def _publicity_ended(state: State, payload: dict[str, Any], at: str) -> None:
    state["deadlines"].pop("publicity_until", None)
    state["deadlines"].pop("provisional_publicity_until", None)


@applies("CandidateWithdrawn")
def _withdrawn(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("withdrawn", {})[data["supplier"]] = {
        "reason": data["reason"], "detail": data.get("detail"), "at": at}


@applies("AwardNoticeIssued")
def _award(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    previous = state.get("award")
    if payload["trigger"] == "award_next" and previous:
        state.setdefault("withdrawn", {})[previous["supplier"]] = {
            "reason": "did_not_sign", "detail": data["reason"], "at": at}
    sid = data["supplier"]
    bid = state.get("bids", {}).get(sid, {})
    rank = next((c["rank"] for c in state.get("ranked", []) if c["supplier"] == sid), None)
    state["award"] = {"supplier": sid, "name": bid.get("name", sid), "price": bid.get("price"),
                      "rank": rank, "at": at, "notice": data.get("notice")}
    state["deadlines"]["contract_deadline"] = _findings(payload)["contract_deadline"]


@applies("ContractWindowLapsed")
def _lapsed(state: State, payload: dict[str, Any], at: str) -> None:
    state["contract_window_lapsed"] = {"at": at,
                                       "deadline": state["deadlines"].pop("contract_deadline")}


@applies("ContractSigned")
def _contract(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state["contract"] = {"value": data["contract_value"],
                         "performance_bond": data["performance_bond"], "at": at,
                         "late_reason": data.get("late_reason"),
                         "document": data.get("document")}
    state["deadlines"].pop("contract_deadline", None)
