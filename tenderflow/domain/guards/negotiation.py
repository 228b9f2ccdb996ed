"""竞争性谈判: 政府采购法 第30、38条; 财政部令第74号. Guards and what the events add to state."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain.guards import GuardContext, GuardSpec, guard
from tenderflow.domain.guards.common import (
    above_tender_threshold, check_committee, deadline_of, earliest_deadline, local,
    period_unit_zh,
)
from tenderflow.domain.state import State, applies
from tenderflow.domain.timeutil import local_date, parse_time
from tenderflow.errors import Refusal

GROUNDS = {
    "tender_failed": "招标后没有供应商投标或者没有合格标的或者重新招标未能成立",
    "complex_or_special": "技术复杂或者性质特殊，不能确定详细规格或者具体要求",
    "urgent": "采用招标所需时间不能满足用户紧急需要",
    "price_not_calculable": "不能事先计算出价格总额",
}


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


@guard("group_composition", rule="negotiation.group_min_size", needs=("members",))
def group_composition(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The negotiating group: an odd number, ≥ 3 (≥ 5 at tender scale), experts ≥ 2/3."""
    big = above_tender_threshold(ctx)
    min_size = int(ctx.p("negotiation.group_min_size_tender_scale" if big
                         else "negotiation.group_min_size"))
    share = Fraction(ctx.p("negotiation.group_expert_share"))
    refusal = check_committee(ctx, spec, ctx.data["members"], min_size, share)
    if refusal and big and len(ctx.data["members"]) < min_size:
        src = ctx.params.get("negotiation.group_min_size_tender_scale").citation()
        return Refusal(refusal.rule, refusal.reason + " (project at tender scale)",
                       f"{refusal.source}; {src}", refusal.numbers, guard=spec.name)
    return refusal


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


@guard("response_in_time", rule="negotiation.response_deadline",
       source="政府采购法 第38条; 财政部令第74号 第29条", needs=("supplier",))
def response_in_time(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Only an invited supplier responds, once, before the response deadline."""
    sid = ctx.data["supplier"]
    if sid not in ctx.state.get("invited", {}):
        return spec.refuse(ctx, f"supplier {sid} was not invited", supplier=sid)
    if sid in ctx.state.get("responses", {}):
        return spec.refuse(ctx, f"supplier {sid} has already responded", supplier=sid)
    role, _, name = ctx.actor.partition(":")
    if role == "supplier" and name != sid:
        return spec.refuse(ctx, f"{ctx.actor} may not respond for {sid}", supplier=sid)
    return _before_deadline(ctx, spec, "response_deadline", "response submitted")


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


def remaining(state: State) -> list[str]:
    excluded = state.get("excluded", {})
    return sorted(s for s in state.get("responses", {}) if s not in excluded)


@guard("round_whole_group", rule="negotiation.round_whole_group", source="政府采购法 第38条第(三)项",
       needs=("group_present", "met"))
def round_whole_group(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The whole group negotiates with each supplier separately."""
    group = {m["name"] for m in ctx.state.get("group", [])}
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


@guard("changes_notified", rule="negotiation.changes_notified", source="政府采购法 第38条第(三)项",
       needs=("changes",))
def changes_notified(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Substantive changes to the documents are notified in writing to all remaining suppliers."""
    if not ctx.data["changes"]:
        return None
    notified = set(ctx.data.get("notified", []))
    missing = sorted(set(remaining(ctx.state)) - notified)
    if missing:
        return spec.refuse(ctx, "substantive changes were not notified in writing to "
                                f"{', '.join(missing)}", not_notified=missing)
    return None


@guard("final_quote_valid", rule="negotiation.final_quote", source="政府采购法 第38条第(四)项",
       needs=("supplier", "price"))
def final_quote_valid(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A final quotation comes from a supplier still in the negotiation, once, in time."""
    sid = ctx.data["supplier"]
    if sid not in remaining(ctx.state):
        return spec.refuse(ctx, f"supplier {sid} is not in the negotiation", supplier=sid)
    if sid in ctx.state.get("final_quotes", {}):
        return spec.refuse(ctx, f"supplier {sid} has already quoted", supplier=sid)
    return _before_deadline(ctx, spec, "final_quote_deadline", "final quotation")


@guard("final_quotes_min", rule="negotiation.final_quotes_min")
def final_quotes_min(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """At least 3 suppliers gave a final quotation (74号令 第33条; 2 after a failed tender)."""
    n = len(ctx.state.get("final_quotes", {}))
    minimum, rule = _min_responses(ctx)
    if rule == "negotiation.responses_min":
        minimum = int(ctx.p("negotiation.final_quotes_min"))
    if n < minimum:
        return spec.refuse(ctx, f"{n} final quotations, at least {minimum} required",
                           quotes=n, minimum=minimum)
    return None


@guard("lowest_compliant_price", rule="negotiation.lowest_price",
       source="政府采购法 第38条第(五)项; 政府采购法实施条例 第37条", needs=("supplier",))
def lowest_compliant_price(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Award the lowest final price among suppliers meeting the substantive requirements."""
    quotes = {k: v for k, v in ctx.state.get("final_quotes", {}).items() if v["compliant"]}
    sid = ctx.data["supplier"]
    if not quotes:
        return spec.refuse(ctx, "no final quotation meets the substantive requirements")
    if sid not in quotes:
        return spec.refuse(ctx, f"supplier {sid} has no compliant final quotation",
                           supplier=sid)
    best = min(Decimal(q["price"]) for q in quotes.values())
    if Decimal(quotes[sid]["price"]) != best:
        lowest = sorted(k for k, q in quotes.items() if Decimal(q["price"]) == best)
        return spec.refuse(ctx, f"{sid} quoted {quotes[sid]['price']}, but the lowest "
                                f"compliant price is {best:.2f} ({', '.join(lowest)})",
                           supplier=sid, price=quotes[sid]["price"], lowest=f"{best:.2f}",
                           lowest_by=lowest)
    return None


@guard("final_quote_deadline_future", rule="negotiation.final_quote_deadline",
       source="政府采购法 第38条第(四)项", needs=("deadline",))
def final_quote_deadline_future(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The final-quotation deadline lies after the request."""
    deadline = parse_time(ctx.data["deadline"])
    if deadline <= ctx.at:
        return spec.refuse(ctx, f"deadline {deadline.isoformat()} is not after the request",
                           deadline=deadline.isoformat())
    return None


# --- what the events add to the state -------------------------------------------------------

@applies("NegotiationMethodApproved")
def _method(state: State, payload: dict[str, Any], at: str) -> None:
    state["method"] = dict(payload["data"])


@applies("NegotiatingGroupFormed")
def _group(state: State, payload: dict[str, Any], at: str) -> None:
    state["group"] = payload["data"]["members"]


@applies("NegotiationDocumentsIssued")
def _documents(state: State, payload: dict[str, Any], at: str) -> None:
    state.setdefault("deadlines", {})["response_deadline"] = payload["data"]["response_deadline"]
    state["documents_issued_on"] = local(at).isoformat()


@applies("ResponseSubmitted")
def _response(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("responses", {})[data["supplier"]] = {
        "at": at, "documents": data.get("documents", [])}


@applies("NegotiationRoundRecorded")
def _round(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("rounds", []).append({
        "round": data.get("round"), "at": at, "met": data["met"],
        "changes": data["changes"], "notified": data.get("notified", [])})
    for item in data.get("excluded", []):
        state.setdefault("excluded", {})[item["supplier"]] = item["reason"]


@applies("FinalQuotationsRequested")
def _final_requested(state: State, payload: dict[str, Any], at: str) -> None:
    state.setdefault("deadlines", {})["final_quote_deadline"] = payload["data"]["deadline"]


@applies("FinalQuotationSubmitted")
def _final_quote(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("final_quotes", {})[data["supplier"]] = {
        "price": data["price"], "compliant": data.get("meets_substantive_requirements", True),
        "at": at}


@applies("ProcurementAwarded")
def _awarded(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    quote = state.get("final_quotes", {}).get(data["supplier"], {})
    state["award"] = {"supplier": data["supplier"], "price": data.get("price", quote.get("price")),
                      "at": at}
