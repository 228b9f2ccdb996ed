"""Bid and response bonds (投标/响应保证金), shared by the open tender and competitive
negotiation: a bond received with an offer, the date its refund falls due (found by a
calculator and recorded in the event's findings), and its refund — the one applier of
``BondRefunded`` for every mode.
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.components.common import local
from tenderflow.domain.fold import State, applies


def receive(state: State, sid: str, amount: Any, form: str, at: str) -> dict[str, Any] | None:
    """Record ``sid``'s bond as received at ``at``; return the bond it replaces, if any."""
    previous = state.setdefault("bonds", {}).get(sid)
    state["bonds"][sid] = {"amount": amount, "form": form, "received_at": at,
                           "refund_due": None, "refund_basis": None, "refunded_on": None}
    return previous


def refund_falls_due(state: State, sid: str, due: str, basis: str) -> None:
    """The refund of ``sid``'s bond falls due on ``due`` under ``basis``."""
    state["bonds"][sid].update(refund_due=due, refund_basis=basis)


def withdrawn(state: State, payload: dict[str, Any], sid: str) -> None:
    """An offer withdrawn: its bond's refund date, when the withdrawal's findings give one."""
    due = payload.get("findings", {}).get("bond_refund_due")
    if due and sid in state.get("bonds", {}):
        refund_falls_due(state, sid, due["due"], due["basis"])


@applies("BondRefunded")
def _refunded(state: State, payload: dict[str, Any], at: str) -> None:
    sid = payload["data"]["supplier"]
    bond = state["bonds"][sid]
    if bond.get("withdrawn_bond"):  # an open tender's bid withdrawn and then submitted again
        bond = bond.pop("withdrawn_bond")
        state.setdefault("refunded_bonds", {}).setdefault(sid, []).append(bond)
    bond["refunded_on"] = local(at).isoformat()
    refund = payload.get("findings", {}).get("refund")
    if refund:
        bond["refunded_in_time"] = refund["in_time"]
