"""Sealed bids, the evaluation committee's 回避, scoring and the computed ranking of an open
tender (公开招标 / 邀请招标). The mode's states, periods and publicity are in :mod:`.tender`;
this module adds what is recorded and computed inside them.

* ``submit_bid`` records only the bid's **commitment** (see :mod:`tenderflow.domain.sealing`),
  its bond and its documents' SHA-256 — never a price. A bid may be withdrawn in writing before
  the deadline (招标投标法 第29条); the bond is then due back within 5日 (条例 第35条) and the
  bidder may bid again.
* At the opening (``open_bids``, a timer at the deadline) the sealed bids are counted; then
  ``unseal_bids`` reveals them all at once and checks each against its commitment. A bid whose
  revealed content differs from what was sealed, or that is not revealed, is invalid. Prices
  below the abnormally-low threshold are flagged (findings) and explained before evaluation.
* ``form_committee`` screens every member against every bidder; a related member is recused
  (findings ``recusals``) and replacements are appointed (``appoint_committee_members``) before
  the committee scores.
* When the tender documents state an evaluation method (``issue_documents`` data
  ``evaluation``), each member records a score sheet (``submit_scores``; comprehensive
  scoring) or the committee records the price adjustments (``record_adjustments``; lowest
  evaluated price); ``record_evaluation`` is accepted only if its ranked candidates are the
  head of the ranking computed from those records (:mod:`tenderflow.domain.scoring`), which the
  event states in full as its finding ``evaluation`` and a replay recomputes.

State added (mode ``open_tender`` only): ``sealed.bid``, ``withdrawn_offers.bid``,
``openings.bid``, ``offers.bid``, ``abnormally_low.bid``, ``explanations.bid``, ``bonds``,
``candidate_profiles``, ``recused``, ``scores``, ``adjustments``, ``evaluation_method``,
``recommendation``; and
``bids[sid].price`` once a bid is opened (what the award and the contract read).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from tenderflow.domain import bids as offers
from tenderflow.domain.committee import Composition, candidate_of, screen, seated
from tenderflow.domain.fold import State, applies
from tenderflow.domain.guards import GuardContext, GuardSpec, guard
from tenderflow.domain.guards.common import deadline_of, earliest_deadline, local
from tenderflow.domain.scoring import (
    Method,
    MethodError,
    abnormally_low,
    adjustment_problems,
    comprehensive,
    lowest_evaluated,
    sheet_problems,
)
from tenderflow.domain.sealing import open_sealed, reveal_problems
from tenderflow.errors import Refusal

MODE = "open_tender"
KIND = "bid"
EVALUATION_SOURCE = "招标投标法 第40条; 招标投标法实施条例 第49条; 财政部令第87号 第55条"


def this_mode(fn: Any) -> Any:
    """Apply only to open tenders (event types are shared with other modes)."""

    def applier(state: State, payload: dict[str, Any], at: str) -> None:
        if state.get("mode") == MODE:
            fn(state, payload, at)

    applier.__name__ = fn.__name__
    applier.__doc__ = fn.__doc__
    return applier


def _for_self(ctx: GuardContext, spec: GuardSpec, sid: str) -> Refusal | None:
    role, _, name = ctx.actor.partition(":")
    if role == "supplier" and name != sid:
        return spec.refuse(ctx, f"{ctx.actor} may not act for {sid}", supplier=sid)
    return None


def method_of(state: State) -> Method | None:
    data = state.get("evaluation_method")
    return Method.from_data(data) if data else None


# --- documents ------------------------------------------------------------------------------

@guard("tender_evaluation_method", rule="evaluation.method", source=EVALUATION_SOURCE)
def tender_evaluation_method(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The evaluation method the documents state holds together: comprehensive scoring with a
    price weight and technical criteria adding up to 100, or lowest evaluated price with its
    adjustment factors; and a tie rule."""
    data = ctx.data.get("evaluation")
    if data is None:
        return None
    try:
        Method.from_data(data, "with.evaluation")
    except MethodError as exc:
        return spec.refuse(ctx, f"{exc.field}: {exc}", field=exc.field)
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
    wrong = _for_self(ctx, spec, sid)
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
    flagged = abnormally_low(prices, Fraction(ctx.p("award.abnormally_low_ratio")))
    if flagged:
        ctx.note("abnormally_low", flagged)
    return None


@guard("tender_bids_unsealed", rule="bids.commitment", source="招标投标法 第36条")
def tender_bids_unsealed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The committee evaluates bids that were unsealed and checked against their commitments."""
    if not offers.opened(ctx.state, KIND):
        return spec.refuse(ctx, "the sealed bids have not been unsealed yet (unseal_bids)")
    return None


@guard("tender_bid_price_flagged", rule="award.abnormally_low_ratio", needs=("supplier",))
def tender_bid_price_flagged(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The explanation of a price flagged abnormally low is recorded once; if it is not
    accepted the bid is invalid (招标投标法实施条例 第51条第(五)项)."""
    sid = ctx.data["supplier"]
    if sid not in ctx.state.get("abnormally_low", {}).get(KIND, {}):
        return spec.refuse(ctx, f"the price of {sid} was not flagged as abnormally low",
                           supplier=sid)
    if sid in ctx.state.get("explanations", {}).get(KIND, {}):
        return spec.refuse(ctx, f"the explanation of {sid} is already recorded", supplier=sid)
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


@guard("tender_committee_appointees", rule="tender.committee_min_size", needs=("members",))
def tender_committee_appointees(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Replacement members are new names."""
    names = {m["name"] for m in ctx.state.get("committee", [])}
    given = [m["name"] for m in ctx.data["members"]]
    again = sorted((set(given) & names) | {n for n in given if given.count(n) > 1})
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


# --- what the events add to the state -------------------------------------------------------

@applies("TenderDocumentsIssued")
@this_mode
def _documents(state: State, payload: dict[str, Any], at: str) -> None:
    if payload["data"].get("evaluation"):
        state["evaluation_method"] = payload["data"]["evaluation"]


@applies("BidSubmitted")
@this_mode
def _sealed(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    sid = data["supplier"]
    state.setdefault("sealed", {}).setdefault(KIND, {})[sid] = {
        "commitment": data["commitment"], "at": at, "documents": data.get("documents", [])}
    profile = payload.get("facts", {}).get("suppliers", {}).get(sid, {})
    state.setdefault("candidate_profiles", {})[sid] = candidate_of(sid, profile)
    previous = state.setdefault("bonds", {}).get(sid)
    state["bonds"][sid] = {"amount": data["bond"], "form": "transfer", "received_at": at,
                           "refund_due": None, "refund_basis": None, "refunded_on": None}
    if previous and previous.get("refund_due") and not previous.get("refunded_on"):
        # bidding again after a withdrawal: the withdrawn bid's bond is still to be refunded
        state["bonds"][sid]["withdrawn_bond"] = previous


@applies("BidWithdrawn")
@this_mode
def _withdrawn(state: State, payload: dict[str, Any], at: str) -> None:
    sid = payload["data"]["supplier"]
    state.get("bids", {}).pop(sid, None)
    sealed = state.get("sealed", {}).get(KIND, {}).pop(sid, None)
    state.get("candidate_profiles", {}).pop(sid, None)
    state.setdefault("withdrawn_offers", {}).setdefault(KIND, {})[sid] = {
        "at": at, "commitment": (sealed or {}).get("commitment")}
    due = payload.get("findings", {}).get("bond_refund_due")
    if due and sid in state.get("bonds", {}):
        state["bonds"][sid].update(refund_due=due["due"], refund_basis=due["basis"])


@applies("BondRefunded")
@this_mode
def _refunded(state: State, payload: dict[str, Any], at: str) -> None:
    sid = payload["data"]["supplier"]
    bond = state["bonds"][sid]
    if bond.get("withdrawn_bond"):
        bond = bond.pop("withdrawn_bond")
        state.setdefault("refunded_bonds", {}).setdefault(sid, []).append(bond)
    bond["refunded_on"] = local(at).isoformat()
    refund = payload.get("findings", {}).get("refund")
    if refund:
        bond["refunded_in_time"] = refund["in_time"]


@applies("BidsUnsealed")
@this_mode
def _unsealed(state: State, payload: dict[str, Any], at: str) -> None:
    findings = payload.get("findings", {})
    verdicts = findings.get("opening", {})
    state.setdefault("openings", {})[KIND] = {"at": at, "verdicts": verdicts}
    reveals = {r["supplier"]: r for r in payload["data"]["reveals"]}
    opened = state.setdefault("offers", {}).setdefault(KIND, {})
    for sid, v in verdicts.items():
        if v["status"] != "valid":
            continue
        content = reveals[sid]["content"]
        opened[sid] = {"price": content["price"], "content": content, "compliant": True,
                       "at": at}
        state["bids"][sid]["price"] = content["price"]
    if findings.get("abnormally_low"):
        state.setdefault("abnormally_low", {})[KIND] = findings["abnormally_low"]


@applies("BidPriceExplained")
@this_mode
def _explained(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("explanations", {}).setdefault(KIND, {})[data["supplier"]] = {
        "accepted": bool(data["accepted"]), "explanation": data["explanation"], "at": at}


def _recuse(state: State, payload: dict[str, Any], at: str) -> None:
    for r in payload.get("findings", {}).get("recusals", []):
        state.setdefault("recused", {}).setdefault(r["member"], {**r, "at": at})


@applies("EvaluationCommitteeFormed")
@this_mode
def _committee(state: State, payload: dict[str, Any], at: str) -> None:
    _recuse(state, payload, at)


@applies("CommitteeMembersAppointed")
@this_mode
def _appointed(state: State, payload: dict[str, Any], at: str) -> None:
    state["committee"] = state.get("committee", []) + payload["data"]["members"]
    _recuse(state, payload, at)


@applies("ScoresSubmitted")
@this_mode
def _scores(state: State, payload: dict[str, Any], at: str) -> None:
    state.setdefault("scores", {})[payload["data"]["member"]] = payload["data"]["scores"]


@applies("AdjustmentsRecorded")
@this_mode
def _adjustments(state: State, payload: dict[str, Any], at: str) -> None:
    state["adjustments"] = payload["data"]["adjustments"]


@applies("EvaluationReported")
@this_mode
def _evaluation(state: State, payload: dict[str, Any], at: str) -> None:
    evaluation = payload.get("findings", {}).get("evaluation")
    if evaluation:
        state["recommendation"] = {**evaluation, "at": at}
    else:
        state.pop("recommendation", None)
