"""A renovation project's funding plan (资金计划) and the rules it must meet before the project is
funded (the ``fund`` step of ``workflows/project.yaml``).

The plan is the trigger's data::

    sources:                      # yuan, decimal strings; a kind may appear more than once
      - {kind: residents, amount: "1200000.00"}            # 居民出资 (who benefits pays)
      - {kind: maintenance_funds, amount: "800000.00"}     # 住宅专项维修资金
      - {kind: central_subsidy, amount: "6000000.00"}      # 中央补助资金
      - {kind: local_budget, amount: "2000000.00"}         # 地方财政资金
      - {kind: special_bonds, amount: "0.00"}              # 地方政府专项债券
      - {kind: bank_loans, amount: "10000000.00", party: 某银行}   # 银行贷款
      - {kind: social_capital, amount: "20000000.00"}      # 社会资本
      - {kind: facility_income, amount: "0.00"}            # 设施有偿使用、资产权益收入
      - {kind: contractor_advance, amount: "0.00"}         # 施工单位垫资 — refused (第22条)
    guarantees:                   # credit support given for anyone's debt in the plan
      - {guarantor: 某区财政局, kind: local_government, debtor: social_capital,
         amount: "20000000.00"}

Three rules, each a guard (status in ``workflows/rules.yaml``):

* ``funding.plan_balanced`` — the sources add up to the project's investment to the cent
  (the sum of its scope items' costs, else its ``estimated_investment``); a refusal shows the
  investment, the total and the difference.
* ``funding.no_contractor_advance`` — 政府投资条例 第22条: 政府投资项目所需资金应当按照国家有关
  规定确保落实到位，政府投资项目不得由施工单位垫资建设。
* ``funding.no_government_guarantee`` — 预算法 第35条: 除法律另有规定外，地方政府及其所属部门
  不得为任何单位和个人的债务以任何方式提供担保。
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tenderflow.domain.money import Money
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import InputError, Refusal

#: Source key -> its Chinese name. ``contractor_advance`` is listed so that a plan that relies
#: on it can be recorded as proposed and refused by name, not rejected as malformed input.
SOURCES: dict[str, str] = {
    "residents": "居民出资",
    "maintenance_funds": "住宅专项维修资金",
    "central_subsidy": "中央补助资金",
    "local_budget": "地方财政资金",
    "special_bonds": "地方政府专项债券",
    "bank_loans": "银行贷款",
    "social_capital": "社会资本",
    "facility_income": "设施有偿使用收入",
    "contractor_advance": "施工单位垫资",
}
ADVANCE = "contractor_advance"

#: Who gives a guarantee. The first two are the local government and its departments
#: (预算法 第35条); the others may.
GUARANTORS: dict[str, str] = {
    "local_government": "地方政府",
    "government_department": "地方政府所属部门",
    "state_enterprise": "国有企业",
    "bank": "银行",
    "guarantee_company": "融资担保公司",
    "shareholder": "股东",
    "other": "其他",
}
GOVERNMENT = ("local_government", "government_department")

ADVANCE_SOURCE = "政府投资条例 第22条"
GUARANTEE_SOURCE = "预算法 第35条"
BALANCE_SOURCE = "国办发〔2020〕23号; 政府投资条例 第22条"


@dataclass(frozen=True)
class Guarantee:
    guarantor: str
    kind: str
    debtor: str
    amount: Money | None


@dataclass(frozen=True)
class FundingPlan:
    """A parsed funding plan: each source's amount and the guarantees given."""

    sources: dict[str, Money]  # kind -> the sum of its lines
    guarantees: tuple[Guarantee, ...] = ()

    @property
    def total(self) -> Money:
        total = Money(Decimal(0))
        for value in self.sources.values():
            total = total + value
        return total

    def amount(self, source: str) -> Money:
        return self.sources.get(source, Money(Decimal(0)))


def parse_plan(data: Mapping[str, Any], *, file: str | None = None) -> FundingPlan:
    """The plan in a trigger's data; a malformed plan raises :class:`InputError` naming the
    field (``with.sources[2].amount``)."""
    raw = data.get("sources")
    if not isinstance(raw, list) or not raw:
        raise InputError("the funding plan names no source", file=file, field="with.sources",
                         expected="a list of {kind, amount}; kinds: " + ", ".join(SOURCES))
    sources: dict[str, Money] = {}
    for i, item in enumerate(raw):
        where = f"with.sources[{i}]"
        kind = item.get("kind") if isinstance(item, Mapping) else None
        if kind not in SOURCES:
            raise InputError(f"unknown funding source {kind!r}", file=file,
                             field=f"{where}.kind", expected=" | ".join(SOURCES))
        amount = Money.parse(item.get("amount"), field=f"{where}.amount", file=file)
        sources[kind] = sources.get(kind, Money(Decimal(0))) + amount
    guarantees: list[Guarantee] = []
    for i, g in enumerate(data.get("guarantees") or ()):
        where = f"with.guarantees[{i}]"
        if not isinstance(g, Mapping):
            raise InputError("a guarantee is a mapping", file=file, field=where,
                             expected="{guarantor, kind, debtor, amount?}")
        kind = g.get("kind")
        if kind not in GUARANTORS:
            raise InputError(f"unknown guarantor kind {kind!r}", file=file,
                             field=f"{where}.kind", expected=" | ".join(GUARANTORS))
        given = g.get("amount")
        guarantees.append(Guarantee(
            guarantor=str(g.get("guarantor") or GUARANTORS[kind]), kind=kind,
            debtor=str(g.get("debtor") or ""),
            amount=None if given is None else Money.parse(given, field=f"{where}.amount",
                                                          file=file)))
    return FundingPlan(sources, tuple(guarantees))


def project_investment(project: Mapping[str, Any]) -> Money:
    """The project's investment: the sum of its scope items' costs, or, for a project
    registered without scope items, its ``estimated_investment``."""
    scope = project.get("scope")
    if isinstance(scope, list) and scope:
        total = Money(Decimal(0))
        for i, item in enumerate(scope):
            cost = item.get("cost") if isinstance(item, Mapping) else None
            total = total + Money.parse(cost, field=f"project.scope[{i}].cost")
        return total
    if project.get("estimated_investment") is None:
        raise InputError(f"project {project.get('id', '')!r} states no investment",
                         field="project.scope",
                         expected="scope items with their cost, or estimated_investment")
    return Money.parse(project["estimated_investment"], field="project.estimated_investment")


def balance(plan: FundingPlan, investment: Money) -> Money:
    """The plan's total less the investment: zero when it adds up to the cent."""
    return Money(plan.total.amount - investment.amount)


def _project(ctx: GuardContext) -> Mapping[str, Any]:
    project = ctx.state.get("project")
    return project if isinstance(project, Mapping) else {}


def _listing(plan: FundingPlan) -> dict[str, str]:
    return {k: str(v) for k, v in plan.sources.items()}


@guard("funding_plan_balanced", rule="funding.plan_balanced", source=BALANCE_SOURCE,
       needs=("sources",))
def funding_plan_balanced(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The funding sources add up to the project's investment to the cent."""
    plan = parse_plan(ctx.data)
    investment = project_investment(_project(ctx))
    diff = balance(plan, investment)
    if diff.amount == 0:
        return None
    word = "more" if diff.amount > 0 else "less"
    return spec.refuse(
        ctx, f"the funding sources add up to {plan.total.formatted()}, "
             f"{Money(abs(diff.amount)).formatted()} {word} than the project's investment of "
             f"{investment.formatted()}: a plan must cover the investment to the cent",
        investment=investment, sources_total=plan.total, difference=diff,
        sources=_listing(plan))


@guard("funding_no_contractor_advance", rule="funding.no_contractor_advance",
       source=ADVANCE_SOURCE, needs=("sources",))
def funding_no_contractor_advance(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No part of the works is financed by the contractor's own funds (垫资)."""
    advance = parse_plan(ctx.data).amount(ADVANCE)
    if advance.amount == 0:
        return None
    return spec.refuse(
        ctx, f"the plan has the works advanced by the contractor's own funds (施工单位垫资 "
             f"{advance.formatted()}): a government-invested project may not be built on "
             f"funds a contractor advances ({ADVANCE_SOURCE}: 政府投资项目不得由施工单位垫资建设)",
        contractor_advance=advance)


@guard("funding_no_government_guarantee", rule="funding.no_government_guarantee",
       source=GUARANTEE_SOURCE, needs=("sources",))
def funding_no_government_guarantee(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No guarantee by the local government or its departments for anyone's debt."""
    found = [g for g in parse_plan(ctx.data).guarantees if g.kind in GOVERNMENT]
    if not found:
        return None
    names = "; ".join(f"{g.guarantor} ({GUARANTORS[g.kind]}) for the debt of "
                      f"{SOURCES.get(g.debtor, g.debtor) or 'an unnamed debtor'}"
                      + (f", {g.amount.formatted()}" if g.amount else "") for g in found)
    return spec.refuse(
        ctx, f"the plan relies on a guarantee by the local government: {names}; 除法律另有规定"
             f"外，地方政府及其所属部门不得为任何单位和个人的债务以任何方式提供担保 "
             f"({GUARANTEE_SOURCE})",
        guarantors=[g.guarantor for g in found],
        debtors=[g.debtor for g in found],
        amounts=[str(g.amount) if g.amount else None for g in found])
