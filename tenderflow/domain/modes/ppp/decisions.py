"""PPP on the open tender (财金〔2014〕113号, 财库〔2014〕215号): the decisions PPP adds to the
open tender — mandatory prequalification, the finance and legal experts, the result
confirmation negotiations in rank order and the provisional result's publicity. Pure
predicates: pass or refuse with rule, numbers and source.
"""

from __future__ import annotations

from tenderflow.domain.components.common import check_min_period, data_time, refuse_as
from tenderflow.domain.components.publicity import check_publicity_period
from tenderflow.domain.modes.open_tender.award import (
    active_candidates,
    confirmation_required,
    note_contract_window,
    ppp_rule_on,
)
from tenderflow.domain.modes.open_tender.decisions import deadline_reached, is_ppp
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.domain.timeutil import local_date
from tenderflow.errors import Refusal


@guard("ppp_prequal_before_documents", rule="ppp.prequal_mandatory")
def prequal_before_documents(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A PPP procurement issues its documents only to the prequalified (215号 第5条)."""
    if ppp_rule_on(ctx, spec.rule) and ctx.state.get("prequal", {}).get("passed") is None:
        return spec.refuse(ctx, "a PPP project is prequalified before the documents are issued",
                           ppp=True)
    return None


@guard("ppp_prequal_submission_period", rule="ppp.prequal_submission_min_working_days",
       needs=("application_deadline",))
def ppp_prequal_submission_period(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """PPP prequalification applications are due at least 15 工作日 after the notice
    (215号 第6条)."""
    if not is_ppp(ctx.state):
        return None
    return check_min_period(ctx, spec, spec.rule, ctx.today,
                            local_date(data_time(ctx, "application_deadline")),
                            "applications due", "notice published")


@guard("ppp_prequal_redo", rule="ppp.prequal_attempts_max", needs=("results",), selects=True)
def prequal_redo(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Fewer than 3 pass a PPP prequalification for the first time: the implementation plan is
    adjusted and the prequalification redone (215号 第5条)."""
    passed = sum(1 for r in ctx.data["results"] if r["passed"])
    minimum = int(ctx.p("ppp.prequal_pass_min"))
    if not is_ppp(ctx.state):
        return refuse_as(ctx, spec, "tender.prequal_pass_min",
                         "only a PPP prequalification is redone; works are re-tendered",
                         passed=passed)
    if passed >= minimum:
        return refuse_as(ctx, spec, "ppp.prequal_pass_min",
                         f"{passed} passed: the tender goes on", passed=passed, minimum=minimum)
    attempts = int(ctx.state.get("prequal", {}).get("attempts", 1))
    allowed = int(ctx.p(spec.rule))
    if attempts >= allowed:
        return spec.refuse(ctx, f"prequalification round {attempts} of {allowed}: the method "
                                "may be changed", attempts=attempts, allowed=allowed)
    return None


@guard("ppp_committee_experts", rule="ppp.committee_finance_legal_min", needs=("members",))
def ppp_committee_experts(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A PPP evaluation committee includes a finance expert and a legal expert (215号)."""
    if not is_ppp(ctx.state):
        return None
    minimum = int(ctx.p(spec.rule))
    counts = {role: sum(1 for m in ctx.data["members"] if m["role"] == role)
              for role in ("finance_expert", "legal_expert")}
    missing = [role for role, n in counts.items() if n < minimum]
    if missing:
        return spec.refuse(ctx, f"a PPP committee needs at least {minimum} "
                                f"{' and '.join(missing)}", missing=missing, minimum=minimum,
                           finance_experts=counts["finance_expert"],
                           legal_experts=counts["legal_expert"])
    return None


@guard("ppp_award_path", rule="ppp.result_confirmation")
def award_path(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Straight from the candidates' publicity to the award: not for a PPP project."""
    return confirmation_required(ctx, spec, "the award")


@guard("ppp_path", rule="ppp.result_confirmation")
def ppp_path(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """结果确认谈判 is the PPP path (215号)."""
    if not is_ppp(ctx.state):
        return spec.refuse(ctx, "the project is not a PPP project: award the candidate directly",
                           ppp=False)
    return None


@guard("ppp_confirmation_rank_order", rule="ppp.result_confirmation", needs=("supplier",))
def confirmation_rank_order(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Confirmation talks follow the ranking: the best-ranked candidate not yet ended."""
    active = active_candidates(ctx.state)
    if not active:
        return spec.refuse(ctx, "no candidate left")
    sid = ctx.data["supplier"]
    if active[0]["supplier"] != sid:
        return spec.refuse(ctx, f"confirmation talks are held in rank order: "
                                f"{active[0]['supplier']} (rank {active[0]['rank']}) comes "
                                f"before {sid}", supplier=sid, next=active[0]["supplier"])
    return None


@guard("ppp_confirmation_core_terms", rule="ppp.result_confirmation", needs=("changes",))
def confirmation_core_terms(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """What is agreed may adjust variable details, never the core terms of the procurement
    documents (215号)."""
    core = [c["term"] for c in ctx.data["changes"] if c["core"]]
    if core and bool(ctx.p(spec.rule)):
        return spec.refuse(ctx, f"core terms may not change: {', '.join(core)}",
                           core_terms=core)
    return None


@guard("ppp_confirmation_agreed", rule="ppp.result_confirmation", needs=("agreed",), selects=True)
def confirmation_agreed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The candidate agreed: it is the provisional winner (预中标)."""
    if not ctx.data["agreed"]:
        return spec.refuse(ctx, "no agreement was reached")
    return None


def _others_after(ctx: GuardContext) -> list[str]:
    return [c["supplier"] for c in active_candidates(ctx.state)
            if c["supplier"] != ctx.data["supplier"]]


@guard("ppp_confirmation_ended_next", rule="ppp.result_confirmation", needs=("supplier", "agreed"), selects=True)
def confirmation_ended_next(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No agreement: talks pass to the next candidate (and never return to this one)."""
    if ctx.data["agreed"]:
        return spec.refuse(ctx, "agreement was reached")
    if not _others_after(ctx):
        return spec.refuse(ctx, "no candidate is left after this one")
    return None


@guard("ppp_confirmation_ended_last", rule="ppp.result_confirmation", needs=("supplier", "agreed"), selects=True)
def confirmation_ended_last(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No agreement with the last candidate: the procurement fails."""
    if ctx.data["agreed"]:
        return spec.refuse(ctx, "agreement was reached")
    others = _others_after(ctx)
    if others:
        return spec.refuse(ctx, f"{', '.join(others)} may still be consulted", remaining=others)
    return None


@guard("ppp_provisional_publicity_period", rule="ppp.provisional_publicity_min_working_days",
       needs=("draft_contract",))
def provisional_publicity_period(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The provisional result and the draft contract are publicized for at least 5 工作日
    (215号); without ``until`` the publicity ends at 24:00 of the fifth working day."""
    return check_publicity_period(ctx, spec, spec.rule, "provisional_publicity_until")


@guard("ppp_provisional_publicity_elapsed", rule="ppp.provisional_publicity_min_working_days")
def provisional_publicity_elapsed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The publicity of the provisional result has run its course."""
    return deadline_reached(ctx, spec, "provisional_publicity_until", spec.rule,
                            "the publicity ends")


@guard("ppp_award_confirmed_supplier", rule="ppp.result_confirmation", needs=("supplier",))
def award_confirmed_supplier(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The award goes to the candidate the confirmation talks agreed with; the 30日 contract
    window opens."""
    agreed = ctx.state.get("confirmation", {}).get("agreed")
    if ctx.data["supplier"] != agreed:
        return spec.refuse(ctx, f"the provisional winner is {agreed}, not "
                                f"{ctx.data['supplier']}", supplier=ctx.data["supplier"],
                           provisional=agreed)
    note_contract_window(ctx)
    return None
