"""Competitive negotiation from the award notice (成交通知书) to the contract: signed within 30日
of the notice on the terms of the procurement documents (政府采购法 第46条; 财政部令第74号 第19条),
the performance bond within 10% of the contract value (政府采购法实施条例 第48条); the window's
lapse recorded by a timer; when the supplier refuses to sign, or lets the window lapse, the
purchaser may award the next supplier in the order the negotiating group recommended
(政府采购法实施条例 第49条) — or terminate and procure again (``fail``).

The window ends at ``deadlines.contract_by`` (noted on the award by
``negotiation_award_periods``, on an award to the next supplier here). The checks are the shared
ones of :mod:`tenderflow.domain.components.contract`.
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.components import contract
from tenderflow.domain.components.common import earliest_deadline, end_of_day
from tenderflow.domain.fold import State, applies
from tenderflow.domain.modes.negotiation.decisions import FINAL
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

WINDOW = "contract_by"
GROUNDS = {
    "refused_to_sign": "成交供应商拒绝签订政府采购合同",
    "window_lapsed": "成交供应商未在成交通知书发出之日起30日内签订合同",
}


def contract_by(ctx: GuardContext) -> str:
    """The end of the 30日 window counted from today's notice: 24:00 of its last day, written as
    the next day's 00:00 like every other period (``negotiation_award_periods``)."""
    return end_of_day(earliest_deadline(ctx, ctx.today, "negotiation.contract_within_days"))


@guard("negotiation_contract_in_window", rule="negotiation.contract_within_days")
def contract_in_window(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The contract is signed within 30日 of the award notice (政府采购法 第46条)."""
    return contract.in_window(ctx, spec, WINDOW, spec.rule,
                              "run tick, then sign late with the reason recorded or award the "
                              "next supplier (award_next)")


@guard("negotiation_contract_window_elapsed", rule="negotiation.contract_within_days")
def contract_window_elapsed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The 30日 window after the award notice ended without a contract (政府采购法 第46条)."""
    return contract.window_lapsed(ctx, spec, WINDOW, spec.rule)


@guard("negotiation_late_signing_explained", rule="negotiation.contract_within_days",
       needs=("late_reason",))
def late_signing_explained(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A contract signed after the 30日 window records why."""
    return contract.late_reason(ctx, spec)


@guard("negotiation_contract_matches_award", rule="negotiation.contract_terms",
       source="政府采购法 第46条; 财政部令第74号 第19条", needs=("contract_value",))
def contract_matches_award(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The contract is signed on the matters the procurement documents fixed: its value is the
    awarded final price (74号令 第19条: no agreement departing from the price)."""
    return contract.matches_award(ctx, spec)


@guard("negotiation_performance_bond_cap", rule="negotiation.performance_bond_max_ratio",
       needs=("contract_value", "performance_bond"))
def performance_bond_cap(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The performance bond is at most 10% of the contract value (政府采购法实施条例 第48条)."""
    return contract.bond_within_cap(ctx, spec)


def next_in_line(state: State) -> list[dict[str, Any]]:
    """The recommended suppliers still in line, in the group's order: neither the current
    supplier nor one passed over before."""
    gone = set(state.get("passed_over", {})) | {(state.get("award") or {}).get("supplier")}
    return [r for r in state.get("recommendation", {}).get("ranking", [])
            if r["supplier"] not in gone]


@guard("negotiation_award_next_supplier", rule="negotiation.next_supplier",
       source="政府采购法实施条例 第49条", needs=("supplier", "ground", "reason"))
def award_next_supplier(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The supplier refused to sign, or let the window lapse: the award may pass to the next
    supplier in the order of the group's recommendation (条例 第49条), the ground and reason
    recorded; a new 30日 window opens. A refusal is recorded as it happens; a lapse only once
    the timer has recorded it."""
    ground = ctx.data["ground"]
    if not str(ctx.data["reason"]).strip():
        return spec.refuse(ctx, "the reason the supplier did not sign must be recorded")
    if ground == "window_lapsed" and ctx.state.get("state") != "contract_overdue":
        return spec.refuse(ctx, "the contract window has not lapsed: run tick once it ends, or "
                                "record the supplier's refusal (ground refused_to_sign)",
                           ground=ground, deadline=ctx.state.get("deadlines", {}).get(WINDOW))
    line = next_in_line(ctx.state)
    if not line:
        return spec.refuse(ctx, "no recommended supplier is left: terminate and procure again "
                                "(fail)", candidates=0)
    sid, nxt = ctx.data["supplier"], line[0]["supplier"]
    if sid != nxt:
        return spec.refuse(ctx, f"the next supplier in the recommended order is {nxt}, not {sid}",
                           supplier=sid, next=nxt, order=[r["supplier"] for r in line])
    ctx.note("periods", {WINDOW: contract_by(ctx)})
    return None


@applies("NextSupplierAwarded")
def _next_awarded(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    previous = state.get("award") or {}
    if previous.get("supplier"):
        state.setdefault("passed_over", {})[previous["supplier"]] = {
            "ground": data["ground"], "reason": data["reason"], "at": at}
    offer = state.get("offers", {}).get(FINAL, {}).get(data["supplier"], {})
    state["award"] = {"supplier": data["supplier"], "price": offer.get("price"), "at": at,
                      "notice": data.get("notice")}
    state.setdefault("deadlines", {}).update(payload.get("findings", {}).get("periods", {}))
