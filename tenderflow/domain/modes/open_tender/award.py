"""The open tender's decisions from the evaluation report to the contract: candidates ranked,
the candidates' publicity and objections to it, the award in rank order (state-funded
projects), the contract within its window and matching the award, the performance bond.
Pure predicates: pass or refuse with rule, numbers and source.
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.components import contract
from tenderflow.domain.components.common import (
    earliest_deadline,
    end_of_day,
    refuse_as,
)
from tenderflow.domain.components.publicity import check_publicity_period
from tenderflow.domain.fold import State
from tenderflow.domain.modes.open_tender.decisions import (
    deadline_reached,
    is_ppp,
)
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal


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
    return contract.in_window(ctx, spec, "contract_deadline", spec.rule,
                              "run tick and sign late with the reason recorded, or award the "
                              "next candidate")


@guard("tender_contract_window_elapsed", rule="tender.contract_within_days")
def contract_window_elapsed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The 30日 contract window after the award notice lapsed without a contract (法 第46条)."""
    return deadline_reached(ctx, spec, "contract_deadline", spec.rule, "the window lapses")


@guard("tender_late_signing_explained", rule="tender.contract_within_days", needs=("late_reason",))
def late_signing_explained(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A contract signed after the 30日 window records why (法 第46条)."""
    return contract.late_reason(ctx, spec)


@guard("tender_contract_matches_award", rule="tender.contract_terms", source="招标投标法 第46条",
       needs=("contract_value",))
def contract_matches_award(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The contract follows the tender documents and the winning bid: its value is the awarded
    price (法 第46条: no agreement departing from the substance)."""
    return contract.matches_award(ctx, spec)


@guard("tender_performance_bond_cap", rule="tender.performance_bond_max_ratio",
       needs=("contract_value", "performance_bond"))
def performance_bond_cap(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The performance bond is at most 10% of the contract value (条例 第58条)."""
    return contract.bond_within_cap(ctx, spec)
