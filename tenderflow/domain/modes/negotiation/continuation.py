"""Competitive negotiation with two suppliers after a failed open tender (财政部令第74号 第27条
第2款): 公开招标的货物、服务采购项目，招标过程中提交投标文件或者经评审实质性响应招标文件要求的
供应商只有两家时，经本级财政部门批准后可以与该两家供应商进行竞争性谈判采购. Not after any
failed tender, not for works, and only with those two. The failed tender's bidders and
responsive bids are recorded in the re-opening link (:mod:`tenderflow.domain.components.reopening`).
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.fold import State
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal


def _two_after_tender(state: State, method: dict[str, Any]) -> tuple[list[str] | None, str]:
    """The two suppliers a negotiation may continue with, or None and why not: a goods or
    services open tender in which exactly two suppliers bid, or exactly two bids were found
    responsive (提交投标文件或者经评审实质性响应招标文件要求的供应商只有两家), re-opened as this
    negotiation on the ground tender_failed, with the finance department's approval."""
    if method.get("ground") != "tender_failed":
        return None, "the ground is not tender_failed (第30条第(一)项)"
    category = state["project"].get("procurement_category", "works")
    if category not in ("goods", "services"):
        return None, f"the project is {category}: the exception is for goods and services"
    link = state.get("reopens") or {}
    if link.get("mode") != "open_tender":
        return None, "this negotiation does not re-open a failed open tender"
    failed = link.get("failed") or {}
    if len(failed.get("two") or []) == 2:
        return sorted(failed["two"]), ""
    return None, (f"{link.get('procurement')} had {failed.get('bidders', 'no recorded')} "
                  "bidders" + (f" and {failed['responsive']} responsive bids"
                               if "responsive" in failed else "") + ", not exactly two")


def two_after_tender(state: State) -> list[str] | None:
    """The two suppliers of 74号令 第27条第2款 once the method was approved with the finance
    department's approval, else None (then at least three)."""
    method = state.get("method", {})
    if not method.get("finance_approval"):
        return None
    return _two_after_tender(state, method)[0]


@guard("two_after_tender", rule="negotiation.after_tender_min")
def two_after_tender_approved(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A finance-department approval to negotiate with two suppliers is recorded only where
    74号令 第27条第2款 allows it: after a goods or services open tender in which exactly two
    suppliers bid or were found responsive — not after any failed tender, and not for works."""
    if not str(ctx.data.get("finance_approval", "")).strip():
        return None
    two, why = _two_after_tender(ctx.state, ctx.data)
    if two is None:
        return spec.refuse(ctx, f"negotiating with two suppliers is not allowed: {why}",
                           ground=ctx.data.get("ground"),
                           category=ctx.state["project"].get("procurement_category", "works"))
    return None
