"""The PPP fiscal checks of a project's ``fund`` step (POLICY.md, "PPP procurement and
concession"), each a guard whose number is a dated parameter, so that the date of the funding
decision selects the regime:

* ``ppp.fiscal_affordability_max_ratio`` (财金〔2015〕21号; restated by 财金〔2022〕119号): in
  every year, the region's PPP expenditure responsibilities from the general public budget,
  this project's included, ≤ 10% of that year's general public budget expenditure;
* ``ppp.government_pay_max_ratio`` (财金〔2022〕119号; 财金〔2019〕10号): a region whose PPP
  expenditure exceeds 5% of its general public budget starts no new government-pay project;
* ``ppp.new_mechanism`` (国办函〔2023〕115号, a flag in force from 2023-11-03): a new project is
  user-pay (使用者付费), in concession form (特许经营) and adds no future fiscal expenditure —
  the 10% and 5% measures, which count such expenditure, are then not applied to it;
* ``ppp.private_stake_min`` (国办函〔2023〕115号): a project of public interest (关系国计民生、
  公共属性较强) has private firms (民营企业) holding ≥ 35% of its equity;
* ``ppp.concession_max_years`` (基础设施和公用事业特许经营管理办法: 30 years from 2015-06-01,
  40 from 2024-05-01): the concession term in principle.

The PPP terms are the ``ppp`` part of the trigger's data::

    ppp:
      form: concession                   # concession (特许经营) | other (其他PPP)
      payment: user_pay                  # user_pay | viability_gap | government_pay
      category: public_interest          # market | public_interest | strategic | unlisted
      private_stake: "0.40"              # 民营企业股权占比
      concession_years: 10
      fiscal_expenditure:                # this project's 财政支出责任 by year
        - {year: 2024, amount: "1200000.00"}
      risks:                             # risk allocation (OCDS for PPPs riskAllocation)
        - {category: construction, allocation: privateParty}

The region's budget and commitments are registered data (:mod:`tenderflow.domain.components.
fiscal`), copied into the step's facts (``facts.fiscal``) by the services: a region with no
registered data, or without a year the check needs, is not checked — a refusal that names the
command to register it (fail closed).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tenderflow.domain.components.fiscal import (
    PAYMENTS,
    RegionBudget,
    parse_region,
    ratio_text,
)
from tenderflow.domain.components.funding import parse_plan
from tenderflow.domain.money import Money
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

FORMS = {"concession": "特许经营", "other": "其他政府和社会资本合作"}
CATEGORIES = {"market": "市场化程度较高、公共属性较弱",
              "public_interest": "关系国计民生、公共属性较强",
              "strategic": "涉及国家安全、公共属性强且具有自然垄断属性",
              "unlisted": "清单所列领域以外"}
REGISTER = "tenderflow fiscal import FILE --as-of DATE (scenario step fiscal_import)"
ZERO = Money(Decimal(0))


def ppp_terms(ctx: GuardContext) -> Mapping[str, Any] | None:
    terms = ctx.data.get("ppp")
    return terms if isinstance(terms, Mapping) else None


def is_ppp(ctx: GuardContext) -> bool:
    """A project is checked as a PPP when its data states PPP terms, its record says PPP, or
    its plan has social capital."""
    project = ctx.state.get("project")
    flagged = isinstance(project, Mapping) and bool(project.get("ppp"))
    capital = "sources" in ctx.data and parse_plan(ctx.data).amount("social_capital") != ZERO
    return ppp_terms(ctx) is not None or flagged or capital


def in_force(ctx: GuardContext, key: str) -> bool:
    """Whether the parameter ``key`` has a value on the decision date (a rule dated from a
    notice does not apply to a project decided before it)."""
    return ctx.params.get(key).values[0][0] <= ctx.today


def new_mechanism(ctx: GuardContext) -> bool:
    return in_force(ctx, "ppp.new_mechanism") and bool(ctx.p("ppp.new_mechanism"))


def expenditure(terms: Mapping[str, Any] | None) -> dict[int, Money]:
    out: dict[int, Money] = {}
    for i, item in enumerate((terms or {}).get("fiscal_expenditure") or ()):
        year = int(item["year"])
        out[year] = out.get(year, ZERO) + Money.parse(
            item["amount"], field=f"with.ppp.fiscal_expenditure[{i}].amount")
    return out


def region_code(ctx: GuardContext) -> str:
    project = ctx.state.get("project")
    return str(project.get("region") or "") if isinstance(project, Mapping) else ""


def registered(ctx: GuardContext, spec: GuardSpec) -> tuple[RegionBudget | None, Refusal | None]:
    """The region's registered data as the step's facts hold it, or the refusal "not checked"."""
    code = region_code(ctx)
    if not code:
        return None, spec.refuse(
            ctx, "not checked: the project names no fiscal region (its record's region), so "
                 "the region's budget cannot be read", region=None)
    facts = ctx.facts.get("fiscal") if isinstance(ctx.facts, Mapping) else None
    facts = facts if isinstance(facts, Mapping) else {}
    data = facts.get("data")
    if not isinstance(data, Mapping) or facts.get("region") != code:
        return None, spec.refuse(
            ctx, f"not checked: no budget of region {code} is registered as of "
                 f"{ctx.today.isoformat()}; register it with {REGISTER}", region=code)
    return parse_region(data), None


def _shares(ctx: GuardContext, region: RegionBudget, years: list[int], extra: dict[int, Money]
            ) -> tuple[list[dict[str, Any]], list[int]]:
    rows, missing = [], []
    for year in years:
        budget = region.budget.get(year)
        if budget is None:
            missing.append(year)
            continue
        existing = region.committed(year)
        own = extra.get(year, ZERO)
        share = (existing.amount + own.amount) / budget.amount
        rows.append({"year": year, "general_budget": budget, "existing": existing,
                     "project": own, "total": existing + own, "share": share})
    return rows, missing


def _not_checked(ctx: GuardContext, spec: GuardSpec, region: RegionBudget, missing: list[int],
                 facts_as_of: Any) -> Refusal:
    return spec.refuse(
        ctx, f"not checked: the registered budget of region {region.region} ({region.name}, as "
             f"of {facts_as_of}) has no general public budget for "
             f"{', '.join(str(y) for y in missing)}; register it with {REGISTER}",
        region=region.region, missing_years=missing)


def _as_of(ctx: GuardContext) -> Any:
    facts = ctx.facts.get("fiscal") or {}
    return (facts.get("import") or {}).get("as_of")


@guard("ppp_terms_stated", rule="ppp.terms_stated", source="财金〔2015〕21号; 国办函〔2023〕115号",
       needs=("sources",))
def ppp_terms_stated(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A PPP project (social capital in the plan, or a PPP record) states its PPP terms, without
    which its fiscal checks cannot be made."""
    if not is_ppp(ctx) or ppp_terms(ctx) is not None:
        return None
    return spec.refuse(
        ctx, "not checked: the plan has social capital (or the project is a PPP) but states no "
             "PPP terms (with.ppp: form, payment, fiscal_expenditure, concession_years, ...)",
        social_capital=parse_plan(ctx.data).amount("social_capital"))


@guard("ppp_fiscal_affordability", rule="ppp.fiscal_affordability_max_ratio",
       source="财金〔2015〕21号 第25条", needs=("sources",))
def ppp_fiscal_affordability(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Every year, the region's PPP expenditure with this project's ≤ 10% of its general
    public budget expenditure."""
    if not is_ppp(ctx) or new_mechanism(ctx) or not in_force(ctx, spec.rule):
        return None
    region, refusal = registered(ctx, spec)
    if region is None:
        return refusal
    own = expenditure(ppp_terms(ctx))
    years = sorted({ctx.today.year, *own})
    rows, missing = _shares(ctx, region, years, own)
    if missing:
        return _not_checked(ctx, spec, region, missing, _as_of(ctx))
    limit = Decimal(str(ctx.p(spec.rule)))
    over = [r for r in rows if r["share"] > limit]
    if not over:
        return None
    worst = max(over, key=lambda r: r["share"])
    return spec.refuse(
        ctx, f"the PPP expenditure of region {region.region} ({region.name}) would reach "
             f"{ratio_text(worst['share'])} of its general public budget in {worst['year']} "
             f"({worst['total'].formatted()} of {worst['general_budget'].formatted()}: existing "
             f"{worst['existing'].formatted()} + this project {worst['project'].formatted()}), "
             f"above {ratio_text(limit)}",
        region=region.region, year=worst["year"], general_budget=worst["general_budget"],
        existing=worst["existing"], project=worst["project"], total=worst["total"],
        share=ratio_text(worst["share"]), limit=ratio_text(limit),
        years_over=[r["year"] for r in over], as_of=_as_of(ctx))


@guard("ppp_government_pay_cap", rule="ppp.government_pay_max_ratio",
       source="财金〔2022〕119号", needs=("sources",))
def ppp_government_pay_cap(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No new government-pay project where the region's PPP expenditure exceeds 5% of its
    general public budget."""
    terms = ppp_terms(ctx)
    if terms is None or terms.get("payment") != "government_pay" or new_mechanism(ctx) \
            or not in_force(ctx, spec.rule):
        return None
    region, refusal = registered(ctx, spec)
    if region is None:
        return refusal
    rows, missing = _shares(ctx, region, [ctx.today.year], {})
    if missing:
        return _not_checked(ctx, spec, region, missing, _as_of(ctx))
    row, limit = rows[0], Decimal(str(ctx.p(spec.rule)))
    if row["share"] <= limit:
        return None
    return spec.refuse(
        ctx, f"region {region.region} ({region.name}) already spends "
             f"{ratio_text(row['share'])} of its general public budget on PPP projects in "
             f"{row['year']} ({row['existing'].formatted()} of "
             f"{row['general_budget'].formatted()}), above {ratio_text(limit)}: no new "
             f"government-pay (政府付费) project",
        region=region.region, year=row["year"], general_budget=row["general_budget"],
        existing=row["existing"], share=ratio_text(row["share"]), limit=ratio_text(limit),
        as_of=_as_of(ctx))


@guard("ppp_new_mechanism", rule="ppp.new_mechanism", source="国办函〔2023〕115号",
       needs=("sources",))
def ppp_new_mechanism(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Under the 2023 mechanism a new PPP is user-pay, in concession form, with no future
    fiscal expenditure."""
    if not is_ppp(ctx) or not new_mechanism(ctx):
        return None
    terms = ppp_terms(ctx) or {}
    wrong: list[str] = []
    payment, form = terms.get("payment"), terms.get("form")
    if payment != "user_pay":
        wrong.append(f"payment is {PAYMENTS.get(str(payment), 'not stated')}, not 使用者付费")
    if form != "concession":
        wrong.append(f"form is {FORMS.get(str(form), 'not stated')}, not 特许经营")
    spend = {y: m for y, m in expenditure(terms).items() if m != ZERO}
    if spend:
        total = sum((m.amount for m in spend.values()), Decimal(0))
        wrong.append(f"it adds fiscal expenditure of {Money(total).formatted()} in "
                     f"{', '.join(str(y) for y in sorted(spend))}")
    if not wrong:
        return None
    return spec.refuse(
        ctx, "under the 2023 mechanism (in force on " + ctx.today.isoformat() + ") a new PPP "
             "project is user-pay, a concession and adds no future fiscal expenditure: "
             + "; ".join(wrong),
        payment=payment, form=form, fiscal_expenditure={str(y): m for y, m in spend.items()})


@guard("ppp_private_stake", rule="ppp.private_stake_min", source="国办函〔2023〕115号",
       needs=("sources",))
def ppp_private_stake(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A public-interest project under the 2023 mechanism: private firms hold ≥ 35%."""
    if not is_ppp(ctx) or not new_mechanism(ctx):
        return None
    terms = ppp_terms(ctx) or {}
    category = terms.get("category")
    if category not in CATEGORIES:
        return spec.refuse(
            ctx, "not checked: the project's category in the 2023 list (market | "
                 "public_interest | strategic | unlisted) is not stated (with.ppp.category)",
            category=category)
    if category != "public_interest":
        return None
    limit = Decimal(str(ctx.p(spec.rule)))
    raw = terms.get("private_stake")
    if raw is None:
        return spec.refuse(ctx, "not checked: the private firms' stake is not stated "
                                "(with.ppp.private_stake)", limit=ratio_text(limit))
    stake = Decimal(str(raw))
    if stake >= limit:
        return None
    return spec.refuse(
        ctx, f"private firms (民营企业) hold {ratio_text(stake)} of a project of public interest "
             f"({CATEGORIES['public_interest']}); at least {ratio_text(limit)} in principle",
        private_stake=ratio_text(stake), limit=ratio_text(limit))


@guard("ppp_concession_term", rule="ppp.concession_max_years",
       source="基础设施和公用事业特许经营管理办法", needs=("sources",))
def ppp_concession_term(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A concession's term within the maximum in force."""
    terms = ppp_terms(ctx)
    if terms is None or terms.get("form") != "concession" or not in_force(ctx, spec.rule):
        return None
    limit = int(ctx.p(spec.rule))
    years = terms.get("concession_years")
    if years is None:
        return spec.refuse(ctx, "not checked: the concession term is not stated "
                                "(with.ppp.concession_years)", limit=limit)
    if int(years) <= limit:
        return None
    return spec.refuse(
        ctx, f"a concession of {years} years is longer than the {limit} years in force on "
             f"{ctx.today.isoformat()}", concession_years=int(years), limit=limit)

