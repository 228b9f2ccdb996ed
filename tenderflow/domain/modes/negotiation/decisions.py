"""Competitive negotiation (竞争性谈判, 政府采购法 第30、38条; 财政部令第74号): the decisions — the
method's ground, invitations, responses in time, rounds with the whole
group, final quotations and objections. Pure predicates: pass or refuse with rule, numbers
and source. The negotiating group's decisions are in
:mod:`tenderflow.domain.modes.negotiation.group`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from tenderflow.domain.components import bids
from tenderflow.domain.components.challenges import (
    PERIODS,
    note_answer_time,
    window_open,
)
from tenderflow.domain.components.common import (
    deadline_of,
    earliest_deadline,
    for_self,
    low_price_rule,
    period_unit_zh,
    refuse_as,
)
from tenderflow.domain.fold import State
from tenderflow.domain.modes.negotiation.continuation import two_after_tender
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
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


# --- suppliers ------------------------------------------------------------------------------

@guard("invited_min_suppliers", rule="negotiation.invited_min", needs=("suppliers",))
def invited_min_suppliers(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """At least 3 suppliers are invited to negotiate (法 第38条); when continuing after a
    failed open tender (74号令 第27条第2款) exactly its two suppliers."""
    ids = [s["id"] for s in ctx.data["suppliers"]]
    minimum = int(ctx.p("negotiation.invited_min"))
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        return spec.refuse(ctx, f"supplier {dup} is invited twice", supplier=dup)
    two = two_after_tender(ctx.state)
    if two is not None:
        if sorted(ids) != two:
            return refuse_as(ctx, spec, "negotiation.after_tender_min",
                             f"after the failed tender the negotiation continues with its two "
                             f"suppliers {', '.join(two)} only, not {', '.join(sorted(ids))}",
                             invited=sorted(ids), allowed=two)
        return None
    if len(ids) < minimum:
        return spec.refuse(ctx, f"{len(ids)} suppliers invited, at least {minimum} required",
                           invited=len(ids), minimum=minimum)
    return None


RECOMMENDED_BASE = "negotiation.recommended_share_of_recommended"


@guard("recommended_share", rule="negotiation.recommended_max_share", needs=("suppliers",))
def recommended_share(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Where suppliers are chosen by written recommendation of the purchaser and the experts,
    those the purchaser recommended are at most half of the *recommended* suppliers (采购人推荐
    供应商的比例不得高于推荐供应商总数的50%, 74号令 第12条); suppliers found by public notice or
    drawn from the supplier database are not part of that count.

    The denominator is the parameter ``negotiation.recommended_share_of_recommended``: a
    procurement whose pinned parameters predate it was decided with the share of all invited
    suppliers, and replay re-decides its history with the rules it pinned."""
    suppliers = ctx.data["suppliers"]
    by_purchaser = sum(1 for s in suppliers if s.get("recommended_by") == "purchaser")
    limit = Fraction(ctx.p("negotiation.recommended_max_share"))
    if not (RECOMMENDED_BASE in ctx.params and ctx.p(RECOMMENDED_BASE)):
        if suppliers and Fraction(by_purchaser, len(suppliers)) > limit:
            return spec.refuse(ctx, f"{by_purchaser} of {len(suppliers)} invited suppliers "
                                    f"were recommended by the purchaser, at most {limit}",
                               recommended=by_purchaser, invited=len(suppliers),
                               limit=str(limit))
        return None
    recommended = sum(1 for s in suppliers if s.get("recommended_by") in ("purchaser", "experts"))
    if recommended and Fraction(by_purchaser, recommended) > limit:
        return spec.refuse(ctx, f"{by_purchaser} of the {recommended} recommended suppliers "
                                f"were recommended by the purchaser, at most {limit} of the "
                                "recommended suppliers", recommended_by_purchaser=by_purchaser,
                           recommended=recommended, invited=len(suppliers), limit=str(limit))
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


def before_deadline(ctx: GuardContext, spec: GuardSpec, key: str, what: str) -> Refusal | None:
    deadline = deadline_of(ctx.state, key)
    if deadline is not None and ctx.at > deadline:
        return spec.refuse(ctx, f"{what} after the deadline {deadline.isoformat()}",
                           deadline=deadline.isoformat(), at=ctx.at.isoformat())
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
    return for_self(ctx, spec, sid) or before_deadline(ctx, spec, "response_deadline",
                                                         "response submitted")


def deadline_reached(ctx: GuardContext, spec: GuardSpec, key: str) -> Refusal | None:
    deadline = deadline_of(ctx.state, key)
    if deadline is None:
        return spec.refuse(ctx, f"no {key} recorded")
    if ctx.at < deadline:
        return spec.refuse(ctx, f"the deadline {deadline.isoformat()} has not passed",
                           opens_at=deadline.isoformat(), deadline=deadline.isoformat())
    return None


def _min_responses(ctx: GuardContext) -> tuple[int, str]:
    """3, or 2 when continuing with the two suppliers of a failed goods or services open
    tender with finance-department approval (74号令 第27条第2款, :func:`two_after_tender`)."""
    if two_after_tender(ctx.state) is not None:
        return int(ctx.p("negotiation.after_tender_min")), "negotiation.after_tender_min"
    return int(ctx.p("negotiation.responses_min")), "negotiation.responses_min"


@guard("responses_min", rule="negotiation.responses_min")
def responses_min(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Negotiation goes on with at least 3 responding suppliers once the deadline passes."""
    late = deadline_reached(ctx, spec, "response_deadline")
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
    late = deadline_reached(ctx, spec, "response_deadline")
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
    return for_self(ctx, spec, sid) or before_deadline(ctx, spec, "final_quote_deadline",
                                                         "final quotation")


@guard("price_flagged", rule="award.abnormally_low_ratio", needs=("supplier",))
def price_flagged(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """An explanation is recorded for a price flagged abnormally low, once; if it is not
    accepted the quotation is treated as invalid (财政部令第87号 第60条; for works the tendering
    law's rule, :func:`low_price_rule`)."""
    sid = ctx.data["supplier"]
    rule = low_price_rule(ctx)
    flagged = ctx.state.get("abnormally_low", {}).get(FINAL, {})
    if sid not in flagged:
        return refuse_as(ctx, spec, rule, f"the price of {sid} was not flagged as abnormally "
                                          "low", supplier=sid)
    if sid in ctx.state.get("explanations", {}).get(FINAL, {}):
        return refuse_as(ctx, spec, rule, f"the explanation of {sid} is already recorded",
                         supplier=sid)
    return None


@guard("low_price_explained", rule="award.abnormally_low_ratio")
def low_price_explained(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No recommendation while an abnormally low price awaits its explanation."""
    waiting = bids.unexplained_low(ctx.state, FINAL)
    if waiting:
        flags = ctx.state["abnormally_low"][FINAL]
        s = waiting[0]
        return refuse_as(ctx, spec, low_price_rule(ctx),
                         f"the price of {s} ({flags[s]['price']}) is below {flags[s]['ratio']} "
                         f"of the mean of the other compliant prices "
                         f"({flags[s]['others_mean']}); record its explanation first "
                         "(explain_price)", suppliers=waiting, threshold=flags[s]["threshold"])
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


# --- objections -----------------------------------------------------------------------------

@guard("quotation_objection_in_window", rule="negotiation.objection_working_days",
       needs=("supplier", "grounds"))
def quotation_objection_in_window(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A supplier that negotiated may object (质疑) in writing within the window after the
    award notice; the award is paused until the objection is answered."""
    sid = ctx.data["supplier"]
    if sid not in ctx.state.get("responses", {}):
        return spec.refuse(ctx, f"{sid} did not take part in this negotiation", supplier=sid)
    refusal = for_self(ctx, spec, sid)
    if refusal:
        return refusal
    return window_open(ctx, spec, "objection_until", "negotiation.objection_working_days",
                       "the objection window (from the end of the result's publicity)")


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
    note_answer_time(ctx, PERIODS[MODE])
    return None
