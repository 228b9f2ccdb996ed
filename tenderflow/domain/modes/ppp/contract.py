"""PPP on the open tender, after the award: the signed PPP project contract is published within
2 工作日 of its signing (政府采购法实施条例 第50条 for every government procurement contract;
财库〔2014〕215号 第21条 for the PPP contract — see the parameter's status). On the PPP path
``sign_contract`` leads to ``contract_signed``; ``publish_contract`` leads on to ``contracted``.
A timer records the lapse of the 2 工作日; a late publication states its reason. Pure
predicates: pass or refuse with rule, numbers and source.
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.components.common import (
    deadline_of,
    deadline_reached,
    earliest_deadline,
    end_of_day,
    period,
)
from tenderflow.domain.components.contract import PUBLICATION_DUE
from tenderflow.domain.fold import State, applies
from tenderflow.domain.modes.open_tender.award import ppp_rule_on
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.domain.timeutil import parse_time
from tenderflow.errors import Refusal

RULE = "ppp.contract_publication_max_working_days"
DUE = PUBLICATION_DUE


def _publication_required(ctx: GuardContext) -> bool:
    """A PPP project, the (configurable) rule on: a number > 0."""
    return ppp_rule_on(ctx, RULE)


@guard("ppp_contract_publication_not_required", rule=RULE, selects=True)
def publication_not_required(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Selects the signing that ends the procurement: not a PPP project."""
    if _publication_required(ctx):
        n, unit = period(ctx, RULE)
        return spec.refuse(ctx, f"a PPP project contract is published within {n} {unit} of its "
                                "signing: the signing leads to contract_signed", ppp=True)
    return None


@guard("ppp_contract_publication_required", rule=RULE, selects=True)
def publication_required(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Selects the PPP signing: the contract is to be published within 2 工作日 of today; the
    day it must be published by is this event's finding."""
    if not _publication_required(ctx):
        return spec.refuse(ctx, "not a PPP project: the signing ends the procurement")
    due = earliest_deadline(ctx, ctx.today, RULE)
    ctx.note(DUE, end_of_day(due))
    return None


@guard("ppp_contract_published_in_time", rule=RULE)
def published_in_time(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The PPP project contract is published within 2 工作日 of its signing (counted on the
    official working-day calendar, ending at 24:00); published later, the reason is recorded."""
    due = deadline_of(ctx.state, DUE)
    if due is None:  # the timer recorded the lapse and moved the deadline there
        lapsed = (ctx.state.get("contract_publication_lapsed") or {}).get("deadline")
        due = parse_time(lapsed) if lapsed else None
    if due is None:
        return spec.refuse(ctx, "no publication deadline recorded for this contract")
    if ctx.at >= due and not str(ctx.data.get("late_reason", "")).strip():
        n, unit = period(ctx, RULE)
        return spec.refuse(ctx, f"the PPP project contract signed on "
                                f"{ctx.state.get('contract', {}).get('at', '?')[:10]} was to be "
                                f"published within {n} {unit}, by {due.isoformat()}: record the "
                                "reason of the late publication (late_reason)",
                           deadline=due.isoformat(), maximum=n, unit="working_days")
    ctx.note("publication", {"due": due.isoformat(), "in_time": ctx.at < due})
    return None


@guard("ppp_contract_publication_lapsed", rule=RULE)
def publication_lapsed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The 2 工作日 after the signing ended without the contract's publication."""
    return deadline_reached(ctx, spec, DUE, spec.rule, "the publication period ends")


@applies("ContractPublicationLapsed")
def _publication_lapsed(state: State, payload: dict[str, Any], at: str) -> None:
    state["contract_publication_lapsed"] = {"at": at,
                                            "deadline": state["deadlines"].pop(DUE, None)}


@applies("ContractPublished")
def _published(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state["contract_publication"] = {
        "at": at, "channel": data["channel"], "document": data.get("document"),
        "late_reason": data.get("late_reason"),
        **payload.get("findings", {}).get("publication", {})}
    state.get("deadlines", {}).pop(DUE, None)
