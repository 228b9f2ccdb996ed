"""Competitive negotiation's calculators: guards that compute findings with ``ctx.note`` (the
final quotations' opening verdicts, the ranking, recusals, bond refund dates, periods).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from tenderflow.domain.components import bids
from tenderflow.domain.components.committee import candidate_of, screen
from tenderflow.domain.components.common import (
    earliest_deadline,
    end_of_day,
    for_self,
    low_price_rule,
)
from tenderflow.domain.components.scoring import (
    Method,
    abnormally_low,
    lowest_evaluated,
)
from tenderflow.domain.components.sealing import open_sealed, reveal_problems
from tenderflow.domain.modes.negotiation.decisions import (
    FINAL,
    before_deadline,
    deadline_reached,
)
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal


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
    late = for_self(ctx, spec, sid) or before_deadline(ctx, spec, "response_deadline",
                                                         "withdrawal")
    if late:
        return late
    if sid in ctx.state.get("bonds", {}):
        ctx.note("bond_refund_due", {"supplier": sid, "due": _refund_due(
            ctx, "negotiation.bond_refund_withdrawn"), "basis": "negotiation.bond_refund_withdrawn"})
    return None


@guard("final_quotes_opening", rule="bids.commitment",
       source="政府采购法 第38条第(四)项; 财政部令第74号 第33条", needs=("reveals",))
def final_quotes_opening(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """After the deadline every sealed final quotation is revealed at once and checked against
    its commitment; one that does not match, or is not revealed, is rejected. Abnormally low
    prices are flagged for explanation. Verdicts and flags are this event's findings."""
    late = deadline_reached(ctx, spec, "final_quote_deadline")
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
    flagged = abnormally_low(compliant, Fraction(ctx.p(low_price_rule(ctx))))
    if flagged:
        ctx.note("abnormally_low", flagged)
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


RESULT_PUBLICITY = "negotiation.result_publicity_working_days"


@guard("negotiation_award_periods", rule="negotiation.objection_working_days")
def negotiation_award_periods(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The award notice publishes the result: its publicity period ends, and the objection
    (质疑) window runs from that end (政府采购法实施条例 第53条第(三)项); the contract window runs
    from the notice; the bonds of the other suppliers become due for refund. Every period ends
    at 24:00 of its last day (民法典 第203条), written as the next day's 00:00 as in the
    tender. The dates are this event's findings.

    An award recorded under parameters without the result's publicity period (before it was
    encoded) keeps the reading of its day — the window from the award notice, ending 23:59:59 —
    so that replay with the pinned parameters decides as it did."""
    if RESULT_PUBLICITY not in ctx.params:
        until = earliest_deadline(ctx, ctx.today, "negotiation.objection_working_days")
        contract = earliest_deadline(ctx, ctx.today, "negotiation.contract_within_days")
        ctx.note("periods", {"objection_until": f"{until.isoformat()}T23:59:59+08:00",
                             "contract_by": f"{contract.isoformat()}T23:59:59+08:00"})
    else:
        published = earliest_deadline(ctx, ctx.today, RESULT_PUBLICITY)
        until = earliest_deadline(ctx, published, "negotiation.objection_working_days")
        contract = earliest_deadline(ctx, ctx.today, "negotiation.contract_within_days")
        ctx.note("periods", {"result_publicity_until": end_of_day(published),
                             "objection_until": end_of_day(until),
                             "contract_by": end_of_day(contract)})
    winner = ctx.data.get("supplier")
    due = _refund_due(ctx, "negotiation.bond_refund_unsuccessful")
    refunds = {sid: due for sid, b in sorted(ctx.state.get("bonds", {}).items())
               if sid != winner and not b.get("refunded_on") and not b.get("refund_due")}
    if refunds:
        ctx.note("bond_refunds_due", {"due": refunds,
                                      "basis": "negotiation.bond_refund_unsuccessful"})
    return None


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
