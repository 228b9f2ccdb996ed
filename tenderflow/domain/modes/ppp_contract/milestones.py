"""The contract's milestones and payments (workflows/ppp_contract.yaml: plan_milestones,
record_milestone, record_payment): the milestones the agreement sets, each with its planned
date; the date each is achieved, a late one stating why; payments and charges recorded against
the agreement, one tied to a milestone only once that milestone is achieved. What is late is
computed, never typed in: :func:`milestone_view` flags a milestone achieved after its planned
date, and one still open after it (overdue) as of the time asked. Pure.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tenderflow.domain.fold import State, applies
from tenderflow.domain.money import Money
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

MILESTONE_SOURCE = "PPP项目合同指南（试行）（财金〔2014〕156号）第二章 项目的建设（工期与里程碑）"
PAYMENT_SOURCE = "PPP项目合同指南（试行）（财金〔2014〕156号）第二章 付费机制; 合同约定的付款节点"


def _plan(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in state.get("milestones") or []}


@guard("contract_milestone_plan_valid", rule="contract.milestone_plan",
       source=MILESTONE_SOURCE, needs=("milestones",))
def milestone_plan_valid(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The agreement's milestones are planned once, each id once, none planned before the
    contract was signed (the procurement's ContractSigned date)."""
    if ctx.state.get("milestones"):
        return spec.refuse(ctx, "the milestones are already planned; a change of the plan is a "
                                "variation of the agreement", planned=len(ctx.state["milestones"]))
    ids = [m["id"] for m in ctx.data["milestones"]]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        return spec.refuse(ctx, f"milestone id(s) given twice: {', '.join(twice)}", ids=twice)
    signed = str(((ctx.state.get("procurement") or {}).get("contract") or {}).get("at", ""))[:10]
    early = [m["id"] for m in ctx.data["milestones"] if signed and m["planned"] < signed]
    if early:
        return spec.refuse(ctx, f"milestone(s) planned before the contract was signed on "
                                f"{signed}: {', '.join(early)}", milestones=early, signed=signed)
    return None


@guard("contract_milestone_open", rule="contract.milestone_plan", source=MILESTONE_SOURCE,
       needs=("milestone",))
def milestone_open(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The milestone is one the plan names and is not yet achieved."""
    plan = _plan(ctx.state)
    m = plan.get(ctx.data["milestone"])
    if m is None:
        return spec.refuse(ctx, f"no milestone {ctx.data['milestone']!r} in the plan; planned: "
                                f"{', '.join(plan) or 'none (plan_milestones)'}",
                           milestone=ctx.data["milestone"], planned=sorted(plan))
    if m.get("achieved_on"):
        return spec.refuse(ctx, f"milestone {m['id']} was achieved on {m['achieved_on']}",
                           milestone=m["id"], achieved_on=m["achieved_on"])
    return None


@guard("contract_milestone_late_explained", rule="contract.milestone_late_reason",
       source=MILESTONE_SOURCE, needs=("milestone", "achieved_on"))
def milestone_late_explained(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A milestone achieved after its planned date is flagged late and states why."""
    m = _plan(ctx.state).get(ctx.data["milestone"])
    if m is None or ctx.data["achieved_on"] <= m["planned"]:
        return None
    days = (date.fromisoformat(ctx.data["achieved_on"]) - date.fromisoformat(m["planned"])).days
    if not str(ctx.data.get("late_reason", "")).strip():
        return spec.refuse(ctx, f"milestone {m['id']} planned for {m['planned']} is achieved "
                                f"{days} days late: state why (late_reason)",
                           milestone=m["id"], planned=m["planned"],
                           achieved_on=ctx.data["achieved_on"], days_late=days)
    ctx.note("days_late", days)
    return None


@guard("contract_payment_milestone_met", rule="contract.payment_on_milestone",
       source=PAYMENT_SOURCE, needs=("kind",))
def payment_milestone_met(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A payment or charge tied to a milestone is recorded only once that milestone is
    achieved."""
    mid = ctx.data.get("milestone")
    if mid is None:
        return None
    m = _plan(ctx.state).get(mid)
    if m is None or not m.get("achieved_on"):
        return spec.refuse(ctx, f"the {ctx.data['kind']} is tied to milestone {mid}, which is "
                                f"{'not in the plan' if m is None else 'not achieved'}",
                           milestone=mid)
    return None


def milestone_view(state: State, today: date) -> dict[str, Any]:
    """The milestones with their lateness (late: achieved after planned; overdue: open after
    planned as of ``today``), the next open one, and the payments with totals by kind."""
    rows = []
    for m in state.get("milestones") or []:
        done = m.get("achieved_on")
        late = (date.fromisoformat(done) - date.fromisoformat(m["planned"])).days if done else \
            (today - date.fromisoformat(m["planned"])).days
        rows.append({**m, "status": ("late" if late > 0 else "on_time") if done else
                     ("overdue" if late > 0 else "open"), "days_late": max(late, 0)})
    open_ = sorted((r for r in rows if not r.get("achieved_on")), key=lambda r: r["planned"])
    totals: dict[str, Money] = {}
    for p in state.get("payments") or []:
        totals[p["kind"]] = totals.get(p["kind"], Money.parse("0")) + Money.parse(p["amount"])
    return {"milestones": rows, "next_milestone": open_[0] if open_ else None,
            "late": [r["id"] for r in rows if r["status"] in ("late", "overdue")],
            "payments": state.get("payments") or [],
            "payment_totals": {k: str(v) for k, v in totals.items()}}


@applies("ContractMilestonesPlanned")
def _planned(state: State, payload: dict[str, Any], at: str) -> None:
    state["milestones"] = [dict(m) for m in payload["data"]["milestones"]]


@applies("ContractMilestoneAchieved")
def _achieved(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    for m in state["milestones"]:
        if m["id"] == data["milestone"]:
            m.update({k: v for k, v in data.items() if k != "milestone"}, recorded_at=at)


@applies("ContractPaymentRecorded")
def _paid(state: State, payload: dict[str, Any], at: str) -> None:
    state.setdefault("payments", []).append({**payload["data"], "recorded_at": at})
