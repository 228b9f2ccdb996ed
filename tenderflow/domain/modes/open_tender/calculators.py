"""The open tender's calculators: guards that, besides passing or refusing, compute the
findings the accepted event records with ``ctx.note`` (the opening's verdicts, the ranking,
recusals, bond refund dates, the contract window).
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Any

from tenderflow.domain.components import bids as offers
from tenderflow.domain.components.committee import (
    screen,
)
from tenderflow.domain.components.common import (
    data_time,
    deadline_of,
    earliest_deadline,
    end_of_day,
    for_self,
    low_price_rule,
    period,
    refuse_as,
)
from tenderflow.domain.components.scoring import (
    abnormally_low,
    comprehensive,
    lowest_evaluated,
    sheet_problems,
)
from tenderflow.domain.components.sealing import open_sealed, reveal_problems
from tenderflow.domain.fold import State
from tenderflow.domain.modes.open_tender.decisions import actor_may_act_for
from tenderflow.domain.modes.open_tender.evaluation import (
    EVALUATION_SOURCE,
    KIND,
    method_of,
    seated_committee,
    valid_bids,
)
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.domain.timeutil import SHANGHAI, iso, local_date
from tenderflow.errors import Refusal


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


# --- withdrawal and bonds -----------------------------------------------------------------

@guard("tender_bid_withdrawal", rule="tender.bid_withdrawal",
       source="招标投标法 第29条; 招标投标法实施条例 第35条", needs=("supplier",))
def tender_bid_withdrawal(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A bid is withdrawn in writing before the deadline; its bond is due back within 5日 of
    the notice (the due date is this event's finding). The bidder may bid again."""
    sid = ctx.data["supplier"]
    if sid not in ctx.state.get("bids", {}):
        return spec.refuse(ctx, f"{sid} has no bid to withdraw", supplier=sid)
    wrong = for_self(ctx, spec, sid)
    if wrong:
        return wrong
    deadline = deadline_of(ctx.state, "bid_deadline")
    if deadline is not None and ctx.at >= deadline:
        return spec.refuse(ctx, f"a bid may be withdrawn only before the deadline "
                                f"{deadline.isoformat()}", deadline=deadline.isoformat())
    due = earliest_deadline(ctx, ctx.today, "tender.bond_refund_withdrawn_days")
    ctx.note("bond_refund_due", {"supplier": sid, "due": due.isoformat(),
                                 "basis": "tender.bond_refund_withdrawn_days"})
    return None


@guard("tender_bond_refund", rule="tender.bond_refund_withdrawn_days", needs=("supplier",))
def tender_bond_refund(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A bond refund is recorded once for a bond that was paid; whether it came in time is
    this event's finding (a late refund is still recorded)."""
    sid = ctx.data["supplier"]
    bond = ctx.state.get("bonds", {}).get(sid)
    if bond is None:
        return spec.refuse(ctx, f"{sid} paid no bond", supplier=sid)
    if bond.get("withdrawn_bond"):  # the bond of a withdrawn bid is refunded first
        bond = bond["withdrawn_bond"]
    if bond.get("refunded_on"):
        return spec.refuse(ctx, f"the bond of {sid} was refunded on {bond['refunded_on']}",
                           supplier=sid)
    if bond.get("refund_due"):
        ctx.note("refund", {"due": bond["refund_due"],
                            "in_time": ctx.today.isoformat() <= bond["refund_due"]})
    return None


# --- opening ------------------------------------------------------------------------------

@guard("tender_bids_unsealing", rule="bids.commitment",
       source="招标投标法 第36条; 招标投标法实施条例 第44条", needs=("reveals",))
def tender_bids_unsealing(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """At the opening every sealed bid is revealed at once and checked against its commitment;
    one that does not match, or is not revealed, is invalid. Abnormally low prices are flagged
    for explanation. Verdicts and flags are this event's findings."""
    if offers.opened(ctx.state, KIND):
        return spec.refuse(ctx, "the bids have already been unsealed")
    sealed = offers.sealed_of(ctx.state, KIND)
    problems = reveal_problems(sealed, ctx.data["reveals"])
    if problems:
        return spec.refuse(ctx, "; ".join(problems), problems=problems)
    verdicts = open_sealed(ctx.procurement, KIND, sealed, ctx.data["reveals"])
    ctx.note("opening", {sid: {"status": v.status, "reason": v.reason}
                         for sid, v in verdicts.items()})
    prices = {sid: v.content["price"] for sid, v in verdicts.items() if v.valid and v.content}
    flagged = abnormally_low(prices, Fraction(ctx.p(low_price_rule(ctx))))
    if flagged:
        ctx.note("abnormally_low", flagged)
    return None


# --- committee ----------------------------------------------------------------------------

def _bidders(ctx: GuardContext) -> list[dict[str, Any]]:
    profiles = ctx.state.get("candidate_profiles", {})
    return [profiles[k] for k in sorted(profiles)]


@guard("tender_committee_screened", rule="committee.recusal",
       source="招标投标法 第37条; 招标投标法实施条例 第46条")
def tender_committee_screened(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Each member is screened against every bidder; a member related to one is recused (回避)
    and the relation is this event's finding. Never refuses: the recusal is the record; the
    committee is completed (appoint_committee_members) before it evaluates."""
    members = list(ctx.data.get("members", []))
    found = screen(members, _bidders(ctx))
    if found:
        ctx.note("recusals", [r.to_dict() for r in found])
    return None


def compute_ranking(state: State, rejected: set[str], lots: dict[str, int] | None) -> Any:
    """The ranking of the valid, not rejected bids under the documents' method."""
    method = method_of(state)
    assert method is not None
    bids = {sid: o["price"] for sid, o in valid_bids(state).items() if sid not in rejected}
    sealed = offers.sealed_of(state, KIND)
    submitted = {sid: sealed[sid]["at"] for sid in bids if sid in sealed}
    if method.kind == "comprehensive":
        sheets = {m: {sid: row for sid, row in sheet.items() if sid in bids}
                  for m, sheet in state.get("scores", {}).items()
                  if m in {x["name"] for x in seated_committee(state)}}
        return comprehensive(method, bids, sheets, submitted=submitted, lots=lots)
    adjustments = {sid: a for sid, a in state.get("adjustments", {}).items() if sid in bids}
    return lowest_evaluated(method, bids, adjustments, submitted=submitted, lots=lots)


@guard("tender_evaluation_computed", rule="evaluation.ranking", source=EVALUATION_SOURCE,
       needs=("candidates",))
def tender_evaluation_computed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The ranked candidates are bids unsealed with their commitments held, abnormally low
    prices explained first. Where the documents state an evaluation method, the candidates
    must be the head of the ranking computed from the members' recorded scores (or the
    committee's adjustments), in order and with the computed totals; the whole ranking with
    every candidate's breakdown is this event's finding."""
    waiting = offers.unexplained_low(ctx.state, KIND)
    if waiting:
        flag = ctx.state["abnormally_low"][KIND][waiting[0]]
        return spec.refuse(ctx, f"the price of {waiting[0]} ({flag['price']}) is below "
                                f"{flag['ratio']} of the mean of the other valid prices "
                                f"({flag['others_mean']}): record its explanation first "
                                "(explain_bid_price)", suppliers=waiting)
    valid = valid_bids(ctx.state)
    for c in ctx.data["candidates"]:
        if c["supplier"] not in valid:
            verdict = ctx.state.get("openings", {}).get(KIND, {}).get("verdicts", {}) \
                .get(c["supplier"], {})
            why = (verdict["reason"] if verdict.get("status") not in (None, "valid") else
                   "the explanation of its abnormally low price was not accepted"
                   if verdict else "it was not unsealed")
            return spec.refuse(ctx, f"{c['supplier']} has no valid bid: {why}",
                               supplier=c["supplier"])
    method = method_of(ctx.state)
    if method is None:
        return None
    rejected = {r["supplier"] for r in ctx.data.get("rejected", [])}
    if method.kind == "comprehensive":
        serving = [m["name"] for m in seated_committee(ctx.state)]
        missing = [m for m in serving if m not in ctx.state.get("scores", {})]
        if missing:
            return spec.refuse(ctx, f"{', '.join(missing)} have not recorded their scores",
                               missing=missing)
        for m in serving:
            problems = sheet_problems(method, {s: r for s, r in ctx.state["scores"][m].items()
                                               if s not in rejected},
                                      sorted(set(valid) - rejected))
            if problems:
                return spec.refuse(ctx, f"the score sheet of {m}: {problems[0][1]}", member=m)
    ranking = compute_ranking(ctx.state, rejected, ctx.data.get("lots"))
    if ranking.needs_lots:
        tied = ranking.needs_lots[0]
        return spec.refuse(ctx, f"{', '.join(tied)} are tied and the documents' rule ends in "
                                "drawing lots: record the lots drawn (lots)", tied=tied)
    computed = ranking.rows
    given = sorted(ctx.data["candidates"], key=lambda c: c["rank"])
    head = computed[:len(given)]
    expected = [(r["rank"], r["supplier"]) for r in head]
    if [(c["rank"], c["supplier"]) for c in given] != expected:
        return spec.refuse(ctx, "the candidates differ from the ranking computed from the "
                                "recorded scores: expected "
                                + ", ".join(f"{r['rank']}. {r['supplier']}"
                                            + (f" ({r['total']})" if "total" in r else
                                               f" ({r['evaluated_price']})")
                                            for r in head),
                           expected=[r["supplier"] for r in head])
    for c, r in zip(given, head):
        if "score" in c and ("total" not in r or c["score"] != r["total"]):
            return spec.refuse(ctx, f"{c['supplier']}'s score {c['score']} differs from the "
                                    f"computed {r.get('total', 'evaluated price')}",
                               supplier=c["supplier"], computed=r.get("total"))
    ctx.note("evaluation", ranking.to_dict())
    return None
