"""The contract after the award notice, as every mode has it: signed within a window counted from
the notice (招标投标法 第46条; 政府采购法 第46条), on the awarded terms, with a performance bond
within its cap; the window's lapse recorded by a timer; a late signing states its reason.

A mode keeps the window's end under its own deadline key (the tender ``contract_deadline``,
competitive negotiation ``contract_by``) and names its own rule ids; the checks and the two
appliers (``ContractWindowLapsed``, ``ContractSigned``) are written once here. Pure predicates:
pass or refuse with rule, numbers and source.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tenderflow.domain.components.common import (
    deadline_of,
    deadline_reached,
    period,
    refuse_as,
)
from tenderflow.domain.fold import State, applies
from tenderflow.domain.rules import GuardContext, GuardSpec
from tenderflow.errors import Refusal

#: The deadline keys under which the modes keep the end of the contract window.
WINDOW_KEYS = ("contract_deadline", "contract_by")
#: The deadline key of a signed contract's publication, where a mode's signing notes one.
PUBLICATION_DUE = "contract_publication_due"


def money(ctx: GuardContext, key: str) -> Decimal:
    return Decimal(str(ctx.data[key]))


def in_window(ctx: GuardContext, spec: GuardSpec, key: str, rule: str,
              then: str) -> Refusal | None:
    """The contract is signed before the window ``key`` ends (``then``: what to do instead)."""
    deadline = deadline_of(ctx.state, key)
    if deadline is not None and ctx.at >= deadline:
        n, unit = period(ctx, rule)
        return refuse_as(ctx, spec, rule, f"the {n} {unit} window ended "
                                          f"{deadline.isoformat()}: {then}",
                         deadline=deadline.isoformat(), minimum=n)
    return None


def window_lapsed(ctx: GuardContext, spec: GuardSpec, key: str, rule: str) -> Refusal | None:
    """The window ``key`` has ended without a contract (``opens_at`` says when it will)."""
    return deadline_reached(ctx, spec, key, rule, "the window lapses")


def late_reason(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A contract signed after its window records why."""
    if not str(ctx.data.get("late_reason", "")).strip():
        return spec.refuse(ctx, "signed after the contract window: the reason must be recorded")
    return None


def matches_award(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The contract value is the awarded price (no agreement departing from the substance)."""
    price = (ctx.state.get("award") or {}).get("price")
    value = money(ctx, "contract_value")
    if price is not None and value != Decimal(price):
        return spec.refuse(ctx, f"contract value {value:.2f} differs from the awarded price "
                                f"{Decimal(price):.2f}", contract_value=f"{value:.2f}",
                           awarded=f"{Decimal(price):.2f}")
    return None


def bond_within_cap(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The performance bond is at most the share ``spec.rule`` of the contract value."""
    value, bond = money(ctx, "contract_value"), money(ctx, "performance_bond")
    ratio = Decimal(str(ctx.p(spec.rule)))
    cap = value * ratio
    if bond > cap:
        return spec.refuse(ctx, f"performance bond {bond:.2f} exceeds {ratio:%} of the contract "
                                f"value {value:.2f} ({cap:.2f})", bond=f"{bond:.2f}",
                           cap=f"{cap:.2f}", ratio=str(ratio))
    return None


def _window_key(state: State) -> str | None:
    deadlines = state.get("deadlines", {})
    return next((k for k in WINDOW_KEYS if k in deadlines), None)


@applies("ContractWindowLapsed")
def _lapsed(state: State, payload: dict[str, Any], at: str) -> None:
    key = _window_key(state)
    state["contract_window_lapsed"] = {
        "at": at, "deadline": state["deadlines"].pop(key) if key else None}


@applies("ContractSigned")
def _contract(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state["contract"] = {"value": data["contract_value"],
                         "performance_bond": data["performance_bond"], "at": at,
                         "late_reason": data.get("late_reason"),
                         "document": data.get("document")}
    deadlines = state.setdefault("deadlines", {})
    for key in WINDOW_KEYS:
        deadlines.pop(key, None)
    due = payload.get("findings", {}).get(PUBLICATION_DUE)
    if due:  # a contract to be published by a day (the PPP path: tenderflow.domain.modes.ppp)
        deadlines[PUBLICATION_DUE] = due
