"""竞争性谈判: 政府采购法 第30、38条; 财政部令第74号. Guards and what the events add to state.

The flow: the method is approved on a ground of 第30条; the negotiating group is formed; the
suppliers are invited (each member is screened against them and a related member is recused —
回避 — with the reason recorded); documents are issued; responses arrive (sealed: only their
documents' SHA-256 enter the log); negotiation rounds meet each remaining supplier with the
whole group and notify substantive changes in writing to all; final quotations are sealed
by commitment (see :mod:`tenderflow.domain.sealing`) and opened all at once after their
deadline; abnormally low prices are explained; the group recommends candidates ranked by
final price; the purchaser awards the lowest compliant price; objections (质疑) pause the
award until answered.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain import bids
from tenderflow.domain.committee import Composition, candidate_of, screen
from tenderflow.domain.fold import State, applies
from tenderflow.domain.guards import GuardContext, GuardSpec, guard
from tenderflow.domain.guards.common import (
    above_tender_threshold,
    deadline_of,
    earliest_deadline,
    local,
    period_unit_zh,
)
from tenderflow.domain.scoring import Method, abnormally_low, lowest_evaluated
from tenderflow.domain.sealing import open_sealed, reveal_problems
from tenderflow.domain.timeutil import local_date, parse_time
from tenderflow.errors import Refusal

GROUNDS = {
    "tender_failed": "招标后没有供应商投标或者没有合格标的或者重新招标未能成立",
    "complex_or_special": "技术复杂或者性质特殊，不能确定详细规格或者具体要求",
    "urgent": "采用招标所需时间不能满足用户紧急需要",
    "price_not_calculable": "不能事先计算出价格总额",
}
FINAL = "final_quote"
MODE = "competitive_negotiation"
PPP_EXPERTS = "ppp.committee_finance_legal_min"  # 财库〔2014〕215号: a finance and a legal expert


def this_mode(fn: Any) -> Any:
    """Apply only to procurements in this mode (event types like ``ProcurementAwarded`` are
    shared with other modes, which fold them their own way)."""

    def applier(state: State, payload: dict[str, Any], at: str) -> None:
        if state.get("mode") == MODE:
            fn(state, payload, at)

    applier.__name__ = fn.__name__
    applier.__doc__ = fn.__doc__
    return applier


@guard("negotiation_ground", rule="negotiation.grounds", source="政府采购法 第30条",
       needs=("ground",))
def negotiation_ground(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Competitive negotiation is allowed on one of the four grounds of 第30条, justified."""
    ground = ctx.data.get("ground")
    if ground not in GROUNDS:
        return spec.refuse(ctx, f"ground {ground!r} is not one of the four grounds of 第30条",
                           ground=ground, allowed=sorted(GROUNDS))
    if not str(ctx.data.get("justification", "")).strip():
        return spec.refuse(ctx, "the ground must be justified in writing", ground=ground)
    return None


# --- the negotiating group -----------------------------------------------------------------

def _composition(ctx: GuardContext) -> tuple[Composition, bool]:
    big = above_tender_threshold(ctx)
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
        extra.append(ctx.params.get("negotiation.group_min_size_tender_scale").citation())
        reason += " (project at tender scale)"
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


def _candidates_after(ctx: GuardContext) -> list[dict[str, Any]]:
    """The candidates known once this trigger is recorded (invited suppliers)."""
    known = dict(ctx.state.get("candidate_profiles", {}))
    profiles = ctx.facts.get("suppliers", {})
    for s in ctx.data.get("suppliers", []) if ctx.trigger == "invite" else []:
        known[s["id"]] = candidate_of(s["id"], profiles.get(s["id"], {}))
    return [known[k] for k in sorted(known)]


@guard("group_screened", rule="committee.recusal",
       source="政府采购法实施条例 第9条; 财政部令第74号 第7条")
def group_screened(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Each member is screened against every candidate; a member related to one is recused
    (回避) and the relation is recorded as this event's finding. Never refuses: the recusal
    itself is the record; the group must then be completed before it acts."""
    members = bids.seated_members(ctx.state)
    if ctx.trigger == "appoint_members":
        members = list(ctx.data.get("members", []))
    found = screen(members, _candidates_after(ctx))
    if found:
        ctx.note("recusals", [r.to_dict() for r in found])
    return None


@guard("appointees_new", rule="negotiation.group_min_size", needs=("members",))
def appointees_new(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Replacement members are appointed while the group is at work (after it was formed,
    before the recommendation), each a new name."""
    if not ctx.state.get("group"):
        return spec.refuse(ctx, "no negotiating group has been formed yet (form_group)")
    if ctx.state.get("recommendation"):
        return spec.refuse(ctx, "the group has already recommended its candidates")
    names = {m["name"] for m in ctx.state.get("group", [])}
    given = [m["name"] for m in ctx.data["members"]]
    again = sorted((set(given) & names) | {n for n in given if given.count(n) > 1})
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


# --- suppliers ------------------------------------------------------------------------------

@guard("invited_min_suppliers", rule="negotiation.invited_min", needs=("suppliers",))
def invited_min_suppliers(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """At least 3 suppliers are invited to negotiate (法 第38条)."""
    ids = [s["id"] for s in ctx.data["suppliers"]]
    minimum = int(ctx.p("negotiation.invited_min"))
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        return spec.refuse(ctx, f"supplier {dup} is invited twice", supplier=dup)
    if len(ids) < minimum:
        return spec.refuse(ctx, f"{len(ids)} suppliers invited, at least {minimum} required",
                           invited=len(ids), minimum=minimum)
    return None


@guard("recommended_share", rule="negotiation.recommended_max_share", needs=("suppliers",))
def recommended_share(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Suppliers recommended by the purchaser are at most half of those invited (74号令 第12条)."""
    suppliers = ctx.data["suppliers"]
    by_purchaser = sum(1 for s in suppliers if s.get("recommended_by") == "purchaser")
    limit = Fraction(ctx.p("negotiation.recommended_max_share"))
    if suppliers and Fraction(by_purchaser, len(suppliers)) > limit:
        return spec.refuse(ctx, f"{by_purchaser} of {len(suppliers)} invited suppliers were "
                                f"recommended by the purchaser, at most {limit}",
                           recommended=by_purchaser, invited=len(suppliers), limit=str(limit))
    return None


@guard("response_period", rule="negotiation.response_min_working_days",
       needs=("response_deadline",))
def response_period(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """From issuing the negotiation documents to the first response: ≥ 3 工作日 (74号令 第29条)."""
    deadline = parse_time(ctx.data["response_deadline"])
    earliest = earliest_deadline(ctx, ctx.today, "negotiation.response_min_working_days")
    if local_date(deadline) < earliest:
        n = ctx.p("negotiation.response_min_working_days")
        unit = period_unit_zh(ctx.params.get("negotiation.response_min_working_days").unit)
        return spec.refuse(
            ctx, f"documents issued {ctx.today.isoformat()}, response deadline "
                 f"{local_date(deadline).isoformat()}: at least {n} {unit} required, so not "
                 f"before {earliest.isoformat()}",
            issued=ctx.today.isoformat(), deadline=local_date(deadline).isoformat(),
            earliest=earliest.isoformat(), minimum=n)
    return None


def _before_deadline(ctx: GuardContext, spec: GuardSpec, key: str, what: str) -> Refusal | None:
    deadline = deadline_of(ctx.state, key)
    if deadline is not None and ctx.at > deadline:
        return spec.refuse(ctx, f"{what} after the deadline {deadline.isoformat()}",
                           deadline=deadline.isoformat(), at=ctx.at.isoformat())
    return None


def _for_self(ctx: GuardContext, spec: GuardSpec, sid: str) -> Refusal | None:
    role, _, name = ctx.actor.partition(":")
    if role == "supplier" and name != sid:
        return spec.refuse(ctx, f"{ctx.actor} may not act for {sid}", supplier=sid)
    return None


@guard("response_in_time", rule="negotiation.response_deadline",
       source="政府采购法 第38条; 财政部令第74号 第29条", needs=("supplier",))
def response_in_time(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Only an invited supplier responds, once, before the response deadline."""
    sid = ctx.data["supplier"]
    if sid not in ctx.state.get("invited", {}):
        return spec.refuse(ctx, f"supplier {sid} was not invited", supplier=sid)
    if sid in ctx.state.get("responses", {}):
        return spec.refuse(ctx, f"supplier {sid} has already responded", supplier=sid)
    return _for_self(ctx, spec, sid) or _before_deadline(ctx, spec, "response_deadline",
                                                         "response submitted")


def _refund_due(ctx: GuardContext, param: str) -> str:
    return earliest_deadline(ctx, ctx.today, param).isoformat()


@guard("response_withdrawal", rule="negotiation.response_deadline",
       source="招标投标法 第29条（参照）; 财政部令第74号 第29条", needs=("supplier",))
def response_withdrawal(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A response is withdrawn in writing before the response deadline; a bond paid with it is
    refunded within 5 工作日 of the notice (the due date is this event's finding)."""
    sid = ctx.data["supplier"]
    if sid not in ctx.state.get("responses", {}):
        return spec.refuse(ctx, f"supplier {sid} has no response to withdraw", supplier=sid)
    late = _for_self(ctx, spec, sid) or _before_deadline(ctx, spec, "response_deadline",
                                                         "withdrawal")
    if late:
        return late
    if sid in ctx.state.get("bonds", {}):
        ctx.note("bond_refund_due", {"supplier": sid, "due": _refund_due(
            ctx, "negotiation.bond_refund_withdrawn"), "basis": "negotiation.bond_refund_withdrawn"})
    return None


def _deadline_reached(ctx: GuardContext, spec: GuardSpec, key: str) -> Refusal | None:
    deadline = deadline_of(ctx.state, key)
    if deadline is None:
        return spec.refuse(ctx, f"no {key} recorded")
    if ctx.at < deadline:
        return spec.refuse(ctx, f"the deadline {deadline.isoformat()} has not passed",
                           opens_at=deadline.isoformat(), deadline=deadline.isoformat())
    return None


def _min_responses(ctx: GuardContext) -> tuple[int, str]:
    """3, or 2 after a failed open tender with finance-department approval (74号令 第27条)."""
    options = ctx.state.get("method", {})
    if options.get("ground") == "tender_failed" and options.get("finance_approval"):
        return int(ctx.p("negotiation.after_tender_min")), "negotiation.after_tender_min"
    return int(ctx.p("negotiation.responses_min")), "negotiation.responses_min"


@guard("responses_min", rule="negotiation.responses_min")
def responses_min(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Negotiation goes on with at least 3 responding suppliers once the deadline passes."""
    late = _deadline_reached(ctx, spec, "response_deadline")
    if late:
        return late
    n = len(ctx.state.get("responses", {}))
    minimum, rule = _min_responses(ctx)
    if n < minimum:
        return spec.refuse(ctx, f"{n} suppliers responded, at least {minimum} required",
                           responses=n, minimum=minimum, rule=rule)
    return None


@guard("responses_below_min", rule="negotiation.responses_min")
def responses_below_min(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """With fewer than 3 responses at the deadline the negotiation is terminated (终止)."""
    late = _deadline_reached(ctx, spec, "response_deadline")
    if late:
        return late
    n = len(ctx.state.get("responses", {}))
    minimum, _ = _min_responses(ctx)
    if n >= minimum:
        return spec.refuse(ctx, f"{n} suppliers responded: negotiation continues",
                           responses=n, minimum=minimum)
    return None


# --- rounds ---------------------------------------------------------------------------------

def remaining(state: State) -> list[str]:
    excluded = state.get("excluded", {})
    return sorted(s for s in state.get("responses", {}) if s not in excluded)


@guard("round_whole_group", rule="negotiation.round_whole_group", source="政府采购法 第38条第(三)项",
       needs=("group_present", "met"))
def round_whole_group(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The whole group (every member still serving) negotiates with each supplier separately."""
    group = {m["name"] for m in bids.seated_members(ctx.state)}
    present = set(ctx.data["group_present"])
    if present != group:
        missing = sorted(group - present)
        extra = sorted(present - group)
        return spec.refuse(ctx, "the whole negotiating group must take part"
                           + (f"; absent: {', '.join(missing)}" if missing else "")
                           + (f"; not members: {', '.join(extra)}" if extra else ""),
                           absent=missing, not_members=extra)
    met = ctx.data["met"]
    if len(met) != 1:
        return spec.refuse(ctx, f"a round meets one supplier at a time, {len(met)} given",
                           met=met)
    if met[0] not in remaining(ctx.state):
        return spec.refuse(ctx, f"supplier {met[0]} is not in the negotiation", supplier=met[0])
    return None


def _met_in(state: State, number: int) -> set[str]:
    return {s for r in state.get("rounds", []) if r["round"] == number for s in r["met"]}


def _current_round(state: State) -> int:
    return max((r["round"] for r in state.get("rounds", [])), default=0)


@guard("round_sequence", rule="negotiation.round_sequence", source="政府采购法 第38条第(三)项",
       needs=("round", "met"))
def round_sequence(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Rounds are numbered 1, 2, 3 …; within a round each remaining supplier is met once, and
    the next round starts only when every remaining supplier was met in this one."""
    n = ctx.data["round"]
    current = _current_round(ctx.state)
    if n not in (current, current + 1) or n < 1:
        return spec.refuse(ctx, f"round {n} does not follow round {current}: the next round "
                                f"is {current} or {current + 1}", round=n, current=current)
    if n == current + 1 and current >= 1:
        missing = sorted(set(remaining(ctx.state)) - _met_in(ctx.state, current))
        if missing:
            return spec.refuse(ctx, f"round {current} has not met {', '.join(missing)} yet",
                               round=current, not_met=missing)
    met = ctx.data["met"]
    if n == current and set(met) & _met_in(ctx.state, n):
        return spec.refuse(ctx, f"{', '.join(sorted(set(met) & _met_in(ctx.state, n)))} was "
                                f"already met in round {n}", round=n)
    return None


@guard("changes_notified", rule="negotiation.changes_notified", source="政府采购法 第38条第(三)项",
       needs=("changes",))
def changes_notified(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Substantive changes to the documents are notified in writing to all remaining suppliers."""
    if not ctx.data["changes"]:
        return None
    notified = set(ctx.data.get("notified", []))
    leaving = {e["supplier"] for e in ctx.data.get("excluded", [])}
    missing = sorted(set(remaining(ctx.state)) - leaving - notified)
    if missing:
        return spec.refuse(ctx, "substantive changes were not notified in writing to "
                                f"{', '.join(missing)}", not_notified=missing)
    return None


@guard("rounds_complete", rule="negotiation.round_sequence", source="政府采购法 第38条第(三)项")
def rounds_complete(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Final quotations are requested after at least one round that met every remaining
    supplier."""
    current = _current_round(ctx.state)
    if current == 0:
        return spec.refuse(ctx, "no negotiation round has been recorded")
    missing = sorted(set(remaining(ctx.state)) - _met_in(ctx.state, current))
    if missing:
        return spec.refuse(ctx, f"round {current} has not met {', '.join(missing)}",
                           round=current, not_met=missing)
    return None


# --- sealed final quotations ----------------------------------------------------------------

@guard("final_quote_deadline_future", rule="negotiation.final_quote_deadline",
       source="政府采购法 第38条第(四)项", needs=("deadline",))
def final_quote_deadline_future(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The final-quotation deadline lies after the request."""
    deadline = parse_time(ctx.data["deadline"])
    if deadline <= ctx.at:
        return spec.refuse(ctx, f"deadline {deadline.isoformat()} is not after the request",
                           deadline=deadline.isoformat())
    return None


@guard("final_quote_valid", rule="negotiation.final_quote", source="政府采购法 第38条第(四)项",
       needs=("supplier", "commitment"))
def final_quote_valid(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A sealed final quotation comes from a supplier still in the negotiation, once, before
    the deadline (late quotations are refused with the deadline named)."""
    sid = ctx.data["supplier"]
    if sid not in remaining(ctx.state):
        return spec.refuse(ctx, f"supplier {sid} is not in the negotiation", supplier=sid)
    if sid in bids.sealed_of(ctx.state, FINAL):
        return spec.refuse(ctx, f"supplier {sid} has already quoted", supplier=sid)
    return _for_self(ctx, spec, sid) or _before_deadline(ctx, spec, "final_quote_deadline",
                                                         "final quotation")


@guard("final_quotes_opening", rule="bids.commitment",
       source="政府采购法 第38条第(四)项; 财政部令第74号 第33条", needs=("reveals",))
def final_quotes_opening(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """After the deadline every sealed final quotation is revealed at once and checked against
    its commitment; one that does not match, or is not revealed, is rejected. Abnormally low
    prices are flagged for explanation. Verdicts and flags are this event's findings."""
    late = _deadline_reached(ctx, spec, "final_quote_deadline")
    if late:
        return late
    sealed = bids.sealed_of(ctx.state, FINAL)
    problems = reveal_problems(sealed, ctx.data["reveals"])
    if problems:
        return spec.refuse(ctx, "; ".join(problems), problems=problems)
    for r in ctx.data["reveals"]:
        if not r.get("meets_substantive_requirements") and not str(r.get("reason", "")).strip():
            return spec.refuse(ctx, f"{r['supplier']} is found not to meet the substantive "
                                    "requirements without a reason", supplier=r["supplier"])
    verdicts = open_sealed(ctx.procurement, FINAL, sealed, ctx.data["reveals"])
    ctx.note("opening", {sid: {"status": v.status, "reason": v.reason}
                         for sid, v in verdicts.items()})
    assessed = {r["supplier"]: r for r in ctx.data["reveals"]}
    compliant = {sid: v.content["price"] for sid, v in verdicts.items()
                 if v.valid and v.content and assessed[sid].get("meets_substantive_requirements")}
    flagged = abnormally_low(compliant, Fraction(ctx.p("award.abnormally_low_ratio")))
    if flagged:
        ctx.note("abnormally_low", flagged)
    return None


@guard("price_flagged", rule="award.abnormally_low_ratio", needs=("supplier",))
def price_flagged(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """An explanation is recorded for a price flagged abnormally low, once; if it is not
    accepted the quotation is treated as invalid (财政部令第87号 第60条)."""
    sid = ctx.data["supplier"]
    flagged = ctx.state.get("abnormally_low", {}).get(FINAL, {})
    if sid not in flagged:
        return spec.refuse(ctx, f"the price of {sid} was not flagged as abnormally low",
                           supplier=sid)
    if sid in ctx.state.get("explanations", {}).get(FINAL, {}):
        return spec.refuse(ctx, f"the explanation of {sid} is already recorded", supplier=sid)
    return None


@guard("low_price_explained", rule="award.abnormally_low_ratio")
def low_price_explained(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No recommendation while an abnormally low price awaits its explanation."""
    waiting = bids.unexplained_low(ctx.state, FINAL)
    if waiting:
        flags = ctx.state["abnormally_low"][FINAL]
        s = waiting[0]
        return spec.refuse(ctx, f"the price of {s} ({flags[s]['price']}) is below "
                                f"{flags[s]['ratio']} of the mean of the other compliant prices "
                                f"({flags[s]['others_mean']}); record its explanation first "
                                "(explain_price)", suppliers=waiting,
                           threshold=flags[s]["threshold"])
    return None


@guard("final_quotes_min", rule="negotiation.final_quotes_min")
def final_quotes_min(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """At least 3 suppliers gave a valid final quotation (74号令 第33条; 2 after a failed tender).
    A quotation that failed its commitment does not count."""
    n = len(bids.offers_of(ctx.state, FINAL))
    minimum, rule = _min_responses(ctx)
    if rule == "negotiation.responses_min":
        minimum = int(ctx.p("negotiation.final_quotes_min"))
    if n < minimum:
        return spec.refuse(ctx, f"{n} valid final quotations, at least {minimum} required",
                           quotes=n, minimum=minimum)
    return None


def _ranking(ctx: GuardContext) -> Any:
    offers = bids.eligible_offers(ctx.state, FINAL)
    tie = ctx.state.get("negotiation_documents", {}).get("tie_break") or ["earlier_submission"]
    method = Method.from_data({"method": "lowest_evaluated_price", "tie_break": tie})
    sealed = bids.sealed_of(ctx.state, FINAL)
    return lowest_evaluated(method, {s: o["price"] for s, o in offers.items()}, {},
                            submitted={s: sealed[s]["at"] for s in offers if s in sealed},
                            lots=ctx.data.get("lots"))


@guard("quotations_ranked", rule="negotiation.lowest_price",
       source="政府采购法 第38条第(五)项; 财政部令第74号 第35条")
def quotations_ranked(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The group recommends the compliant final quotations ranked by price, lowest first,
    ties broken by the rule of the negotiation documents; the ranking is this event's
    finding."""
    ranking = _ranking(ctx)
    if not ranking.rows:
        return spec.refuse(ctx, "no final quotation meets the substantive requirements")
    if ranking.needs_lots:
        tied = ranking.needs_lots[0]
        return spec.refuse(ctx, f"{', '.join(tied)} are tied and the documents' rule ends in "
                                "drawing lots: record the lots drawn (lots)", tied=tied)
    ctx.note("ranking", ranking.to_dict())
    return None


@guard("lowest_compliant_price", rule="negotiation.lowest_price",
       source="政府采购法 第38条第(五)项; 政府采购法实施条例 第37条", needs=("supplier",))
def lowest_compliant_price(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Award the lowest final price among suppliers meeting the substantive requirements (the
    first of the recorded recommendation)."""
    offers = bids.eligible_offers(ctx.state, FINAL)
    sid = ctx.data["supplier"]
    if not offers:
        return spec.refuse(ctx, "no final quotation meets the substantive requirements")
    if sid not in offers:
        return spec.refuse(ctx, f"supplier {sid} has no compliant final quotation",
                           supplier=sid)
    best = min(Decimal(q["price"]) for q in offers.values())
    if Decimal(offers[sid]["price"]) != best:
        lowest = sorted(k for k, q in offers.items() if Decimal(q["price"]) == best)
        return spec.refuse(ctx, f"{sid} quoted {offers[sid]['price']}, but the lowest "
                                f"compliant price is {best:.2f} ({', '.join(lowest)})",
                           supplier=sid, price=offers[sid]["price"], lowest=f"{best:.2f}",
                           lowest_by=lowest)
    ranking = ctx.state.get("recommendation", {}).get("ranking", [])
    if ranking and ranking[0]["supplier"] != sid:
        return spec.refuse(ctx, f"{sid} ties on price with {ranking[0]['supplier']}, whom "
                                "the documents' tie rule ranks first", supplier=sid,
                           first=ranking[0]["supplier"])
    return None


@guard("negotiation_award_periods", rule="negotiation.objection_working_days")
def negotiation_award_periods(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The award notice starts the objection (质疑) window and the contract window; the bonds
    of the other suppliers become due for refund. The dates are this event's findings."""
    until = earliest_deadline(ctx, ctx.today, "negotiation.objection_working_days")
    contract = earliest_deadline(ctx, ctx.today, "negotiation.contract_within_days")
    ctx.note("periods", {"objection_until": f"{until.isoformat()}T23:59:59+08:00",
                         "contract_by": f"{contract.isoformat()}T23:59:59+08:00"})
    winner = ctx.data.get("supplier")
    due = _refund_due(ctx, "negotiation.bond_refund_unsuccessful")
    refunds = {sid: due for sid, b in sorted(ctx.state.get("bonds", {}).items())
               if sid != winner and not b.get("refunded_on") and not b.get("refund_due")}
    if refunds:
        ctx.note("bond_refunds_due", {"due": refunds,
                                      "basis": "negotiation.bond_refund_unsuccessful"})
    return None


# --- objections -----------------------------------------------------------------------------

@guard("quotation_objection_in_window", rule="negotiation.objection_working_days",
       needs=("supplier", "grounds"))
def quotation_objection_in_window(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A supplier that negotiated may object (质疑) in writing within the window after the
    award notice; the award is paused until the objection is answered."""
    sid = ctx.data["supplier"]
    if sid not in ctx.state.get("responses", {}):
        return spec.refuse(ctx, f"{sid} did not take part in this negotiation", supplier=sid)
    refusal = _for_self(ctx, spec, sid)
    if refusal:
        return refusal
    until = deadline_of(ctx.state, "objection_until")
    if until is not None and ctx.at > until:
        return spec.refuse(ctx, f"the objection window ended {until.isoformat()}",
                           deadline=until.isoformat(), at=ctx.at.isoformat())
    return None


def _pending_objection(state: State) -> dict[str, Any] | None:
    pending = [o for o in state.get("challenges", []) if "answer" not in o]
    return pending[-1] if pending else None


@guard("objection_dismissed_branch", rule="negotiation.objection_answer_working_days",
       needs=("upheld",), selects=True)
def objection_dismissed_branch(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Selects the answer that dismisses the objection: the award stands and resumes."""
    if ctx.data["upheld"]:
        return spec.refuse(ctx, "the objection is upheld: the award is withdrawn")
    return None


@guard("objection_upheld_branch", rule="negotiation.objection_answer_working_days",
       needs=("upheld",), selects=True)
def objection_upheld_branch(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Selects the answer that upholds the objection: the award and the recommendation are
    withdrawn and the group recommends again."""
    if not ctx.data["upheld"]:
        return spec.refuse(ctx, "the objection is dismissed: the award stands")
    return None


@guard("objection_answer", rule="negotiation.objection_answer_working_days",
       needs=("answer",))
def objection_answer(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The written answer to the pending objection, with any corrections of the group's
    findings (each with its reason); whether it came within the answer period is this event's
    finding."""
    offers = bids.offers_of(ctx.state, FINAL)
    for c in ctx.data.get("corrections", []):
        if c["supplier"] not in offers:
            return spec.refuse(ctx, f"{c['supplier']} has no opened final quotation to correct",
                               supplier=c["supplier"])
        if not c["meets_substantive_requirements"] and not c.get("reason", "").strip():
            return spec.refuse(ctx, f"correction for {c['supplier']} needs a reason",
                               supplier=c["supplier"])
    if ctx.data.get("corrections") and not ctx.data["upheld"]:
        return spec.refuse(ctx, "corrections come with an upheld objection")
    _answer_time(ctx)
    return None


def _answer_time(ctx: GuardContext) -> None:
    pending = _pending_objection(ctx.state)
    if pending is None:
        return
    due = earliest_deadline(ctx, local(pending["at"]),
                            "negotiation.objection_answer_working_days")
    ctx.note("answer", {"due": due.isoformat(), "in_time": ctx.today <= due})


# --- bonds ----------------------------------------------------------------------------------

@guard("bond_refund_recorded", rule="negotiation.bond_refund_unsuccessful", needs=("supplier",))
def bond_refund_recorded(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A bond refund is recorded once for a bond that was paid; whether it came in time is this
    event's finding (a late refund is still recorded)."""
    sid = ctx.data["supplier"]
    bond = ctx.state.get("bonds", {}).get(sid)
    if bond is None:
        return spec.refuse(ctx, f"{sid} paid no bond", supplier=sid)
    if bond.get("refunded_on"):
        return spec.refuse(ctx, f"the bond of {sid} was refunded on {bond['refunded_on']}",
                           supplier=sid)
    due = bond.get("refund_due")
    if due:
        ctx.note("refund", {"due": due, "in_time": ctx.today.isoformat() <= due})
    return None


# --- what the events add to the state -------------------------------------------------------

@applies("NegotiationMethodApproved")
@this_mode
def _method(state: State, payload: dict[str, Any], at: str) -> None:
    state["method"] = dict(payload["data"])


def _recuse(state: State, payload: dict[str, Any], at: str) -> None:
    for r in payload.get("findings", {}).get("recusals", []):
        state.setdefault("recused", {}).setdefault(r["member"], {**r, "at": at})


@applies("NegotiatingGroupFormed")
@this_mode
def _group(state: State, payload: dict[str, Any], at: str) -> None:
    state["group"] = payload["data"]["members"]
    _recuse(state, payload, at)


@applies("GroupMembersAppointed")
@this_mode
def _appointed(state: State, payload: dict[str, Any], at: str) -> None:
    state["group"] = state.get("group", []) + payload["data"]["members"]
    _recuse(state, payload, at)


@applies("SuppliersInvited")
@this_mode
def _candidates(state: State, payload: dict[str, Any], at: str) -> None:
    profiles = payload.get("facts", {}).get("suppliers", {})
    for s in payload["data"]["suppliers"]:
        state.setdefault("candidate_profiles", {})[s["id"]] = candidate_of(s["id"],
                                                                   profiles.get(s["id"], {}))
    _recuse(state, payload, at)


@applies("NegotiationDocumentsIssued")
@this_mode
def _documents(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("deadlines", {})["response_deadline"] = data["response_deadline"]
    state["documents_issued_on"] = local(at).isoformat()
    state["negotiation_documents"] = {k: data[k] for k in ("tie_break", "bond_amount") if k in data}


@applies("ResponseSubmitted")
@this_mode
def _response(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("responses", {})[data["supplier"]] = {
        "at": at, "documents": data.get("documents", [])}
    if data.get("bond"):
        state.setdefault("bonds", {})[data["supplier"]] = {
            "amount": data["bond"]["amount"], "form": data["bond"].get("form", "transfer"),
            "received_at": at, "refund_due": None, "refund_basis": None, "refunded_on": None}


@applies("ResponseWithdrawn")
@this_mode
def _withdrawn(state: State, payload: dict[str, Any], at: str) -> None:
    sid = payload["data"]["supplier"]
    response = state.setdefault("responses", {}).pop(sid, None)
    state.setdefault("withdrawn_offers", {}).setdefault("response", {})[sid] = {
        "at": at, "documents": (response or {}).get("documents", [])}
    due = payload.get("findings", {}).get("bond_refund_due")
    if due and sid in state.get("bonds", {}):
        state["bonds"][sid].update(refund_due=due["due"], refund_basis=due["basis"])


@applies("NegotiationRoundRecorded")
@this_mode
def _round(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("rounds", []).append({
        "round": data.get("round"), "at": at, "met": data["met"],
        "changes": data["changes"], "notified": data.get("notified", []),
        "documents": data.get("documents", [])})
    for item in data.get("excluded", []):
        state.setdefault("excluded", {})[item["supplier"]] = item["reason"]


@applies("FinalQuotationsRequested")
@this_mode
def _final_requested(state: State, payload: dict[str, Any], at: str) -> None:
    state.setdefault("deadlines", {})["final_quote_deadline"] = payload["data"]["deadline"]


@applies("FinalQuotationSubmitted")
@this_mode
def _final_quote(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("sealed", {}).setdefault(FINAL, {})[data["supplier"]] = {
        "commitment": data["commitment"], "at": at, "documents": data.get("documents", [])}
    state.setdefault("final_quotes", {})[data["supplier"]] = {"sealed_at": at}


@applies("FinalQuotationsOpened")
@this_mode
def _opened(state: State, payload: dict[str, Any], at: str) -> None:
    findings = payload.get("findings", {})
    verdicts = findings.get("opening", {})
    state.setdefault("openings", {})[FINAL] = {"at": at, "verdicts": verdicts}
    reveals = {r["supplier"]: r for r in payload["data"]["reveals"]}
    offers = state.setdefault("offers", {}).setdefault(FINAL, {})
    for sid, v in verdicts.items():
        if v["status"] != "valid":
            continue
        r = reveals[sid]
        offers[sid] = {"price": r["content"]["price"], "content": r["content"],
                       "compliant": bool(r["meets_substantive_requirements"]),
                       "reason": r.get("reason", ""), "at": at}
        state["final_quotes"][sid].update(price=r["content"]["price"],
                                          compliant=offers[sid]["compliant"])
    if findings.get("abnormally_low"):
        state.setdefault("abnormally_low", {})[FINAL] = findings["abnormally_low"]


@applies("LowPriceExplained")
@this_mode
def _explained(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("explanations", {}).setdefault(FINAL, {})[data["supplier"]] = {
        "accepted": bool(data["accepted"]), "explanation": data["explanation"], "at": at}


@applies("CandidatesRecommended")
@this_mode
def _recommended(state: State, payload: dict[str, Any], at: str) -> None:
    state["recommendation"] = {**payload["findings"]["ranking"], "at": at}


@applies("ProcurementAwarded")
@this_mode
def _awarded(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    offer = state.get("offers", {}).get(FINAL, {}).get(data["supplier"], {})
    state["award"] = {"supplier": data["supplier"], "price": offer.get("price"), "at": at}
    findings = payload.get("findings", {})
    periods = findings.get("periods", {})
    state.setdefault("deadlines", {}).update(periods)
    refunds = findings.get("bond_refunds_due")
    if refunds:
        for sid, due in refunds["due"].items():
            state["bonds"][sid].update(refund_due=due, refund_basis=refunds["basis"])


@applies("ObjectionRaised")
@this_mode
def _objection(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("challenges", []).append({"supplier": data["supplier"],
                                               "grounds": data["grounds"], "at": at})


@applies("ObjectionAnswered")
@this_mode
def _answered(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    pending = _pending_objection(state)
    if pending is not None:
        pending.update(answer=data["answer"], upheld=bool(data["upheld"]), answered_at=at,
                       **({"in_time": payload["findings"]["answer"]["in_time"]}
                          if "answer" in payload.get("findings", {}) else {}))
    if data["upheld"]:
        state.pop("award", None)
        state.pop("recommendation", None)
        for key in ("objection_until", "contract_by"):
            state.get("deadlines", {}).pop(key, None)
        offers = state.get("offers", {}).get(FINAL, {})
        for c in data.get("corrections", []):
            offers[c["supplier"]].update(compliant=bool(c["meets_substantive_requirements"]),
                                         reason=c.get("reason", ""))
            state["final_quotes"][c["supplier"]]["compliant"] = \
                bool(c["meets_substantive_requirements"])


@applies("BondRefunded")
@this_mode
def _refunded(state: State, payload: dict[str, Any], at: str) -> None:
    sid = payload["data"]["supplier"]
    state["bonds"][sid]["refunded_on"] = local(at).isoformat()
    refund = payload.get("findings", {}).get("refund")
    if refund:
        state["bonds"][sid]["refunded_in_time"] = refund["in_time"]

