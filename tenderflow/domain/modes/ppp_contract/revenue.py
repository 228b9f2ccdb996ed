"""Revenue actually earned against the plan, and the adjustment a shortfall opens
(workflows/ppp_contract.yaml: record_revenue, adjust, hand_over).

The plan is the intake's return model (tenderflow.domain.finance) of the project the contract
copied at its start — year ``revenue.first_year`` of the performance terms is the model's year
1 — or, when the project record has none, the agreement's own plan by year recorded with the
terms (``revenue.plan``). Each operating year's revenue is recorded once, in order, by stream
(every stream of the plan, a stream earning nothing as "0.00"; a stream the plan lacks only
after a variation of the revenue sources). The shortfall ratio is computed (1 − actual ÷ plan, never typed in); when
actual revenue falls below ``shortfall_threshold_percent`` of the plan the year opens the
adjustment the agreement provides (price review, term extension or subsidy) — never silently:
``status`` and ``next`` name it, ``adjust`` (both parties' approvals) closes it, and the
contract is not handed over while it is open. :func:`reestimate` re-runs the model with the
actual years in place of the planned ones (the rest stays plan): payback, IRR and DSCR from
the recorded data alone. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain.finance.inputs import plan_inputs, project_inputs
from tenderflow.domain.finance.returns import ReturnInputs, compute_returns
from tenderflow.domain.fold import State, applies
from tenderflow.domain.modes.ppp_contract.performance import out_of_order, rate_text
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import InputError, Refusal

REVENUE_SOURCE = ("国办发〔2020〕23号 四（二）（社会资本通过提供服务获得合理回报）; 财金〔2014〕113号 "
                  "第二十八条; 合同约定的收入计划与调整条款")
ADJUSTMENT_SOURCE = ("PPP项目合同指南（试行）（财金〔2014〕156号）第二章 价格调整、期限延长与政府补贴; "
                     "合同约定的收入不足调整条款")
KIND_FIELD = {"price_review": "price_change_percent", "term_extension": "term_years_change",
              "subsidy": "subsidy"}


def plan_model(state: Mapping[str, Any], revenue: Mapping[str, Any] | None = None
               ) -> ReturnInputs:
    """The return model the revenue is compared with: the agreement's own plan by year when
    the terms give one (``revenue.plan``; the investment defaults to the contract value),
    else the intake's model of the contract's project. Raises InputError naming the field
    when neither can be read."""
    revenue = revenue or state["performance_terms"]["revenue"]
    if not revenue.get("plan"):
        return project_inputs(state.get("project") or {})
    investment = revenue.get("investment") or (
        ((state.get("procurement") or {}).get("contract") or {}).get("value"))
    plan = revenue["plan"]
    return plan_inputs(investment, [p["streams"] for p in plan],
                       [p.get("operating_costs", "0.00") for p in plan])


@guard("contract_revenue_plan_available", rule="contract.revenue_against_plan",
       source=REVENUE_SOURCE, needs=("revenue",))
def revenue_plan_available(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The terms' revenue has a plan to compare with: the agreement's own plan (one entry a
    year from ``first_year``, in order) or the project's return model."""
    revenue = ctx.data["revenue"]
    years = [p["year"] for p in revenue.get("plan") or []]
    if years and years != list(range(revenue["first_year"], revenue["first_year"] + len(years))):
        return spec.refuse(ctx, f"the plan's years {years} are not one a year from "
                                f"{revenue['first_year']}", years=years)
    try:
        plan_model(ctx.state, revenue)
    except InputError as exc:
        return spec.refuse(ctx, f"no revenue plan: the terms give none (revenue.plan) and the "
                                f"project's return model cannot be read ({exc.message}; field "
                                f"{exc.context.get('field')})", field=exc.context.get("field"))
    return None


def plan_for(state: Mapping[str, Any], year: int) -> dict[str, Decimal] | None:
    """The planned revenue of calendar ``year`` by stream, or None outside the model."""
    model = plan_model(state)
    index = year - state["performance_terms"]["revenue"]["first_year"]
    return dict(model.revenue[index]) if 0 <= index < len(model.revenue) else None


@guard("contract_revenue_recorded", rule="contract.revenue_against_plan",
       source=REVENUE_SOURCE, needs=("year", "streams"))
def revenue_recorded(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Each operating year's revenue once, in order, within the plan's years; every planned
    stream given, no other unless a variation changed the revenue sources. Computes the plan,
    the shortfall ratio and whether the year opens an adjustment."""
    terms = ctx.state.get("performance_terms")
    refused = out_of_order(ctx, spec, "revenues", "record")
    if not terms or refused:
        return refused
    year = ctx.data["year"]
    try:
        plan = plan_for(ctx.state, year)
    except InputError as exc:
        return spec.refuse(ctx, f"the project's return model cannot be read ({exc.message}; "
                                f"field {exc.context.get('field')}): no plan to compare with",
                           field=exc.context.get("field"))
    if plan is None:
        model = plan_model(ctx.state)
        first = terms["revenue"]["first_year"]
        return spec.refuse(ctx, f"{year} is outside the revenue plan ({first}–"
                                f"{first + len(model.revenue) - 1}, the project's return "
                                "model)", year=year, first=first, years=len(model.revenue))
    given = ctx.data["streams"]
    missing = [s for s in plan if s not in given]
    varied = any(v["kind"] == "revenue_sources" for v in ctx.state.get("variations") or [])
    extra = [s for s in given if s not in plan]
    if missing or (extra and not varied):
        return spec.refuse(ctx, "the streams are not the plan's: " + "; ".join(
            p for p in (f"missing {', '.join(missing)}" if missing else "",
                        f"not in the plan {', '.join(extra)} (a new revenue source needs a "
                        "variation of kind revenue_sources)" if extra and not varied else "")
            if p), missing=missing, extra=extra, plan=list(plan))
    for key, value in compare(terms, year, given, plan).items():
        ctx.note(key, value)
    return None


def compare(terms: Mapping[str, Any], year: int, streams: Mapping[str, str],
            plan: Mapping[str, Decimal]) -> dict[str, Any]:
    """The year's revenue against plan (the event's findings): the shortfall ratio
    1 − actual ÷ plan (0 when at or over plan) and whether actual is below the threshold."""
    actual = sum((Decimal(v) for v in streams.values()), Decimal(0))
    planned = sum(plan.values(), Decimal(0))
    threshold = Fraction(Decimal(terms["revenue"]["shortfall_threshold_percent"])) / 100
    short = planned > 0 and Fraction(actual) / Fraction(planned) < threshold
    gap = max(planned - actual, Decimal(0))
    return {"year": year, "streams": dict(streams),
            "plan": {s: str(v) for s, v in plan.items()},
            "total": str(actual), "plan_total": str(planned),
            "shortfall_ratio": rate_text(int(gap * 100), int(planned * 100)),
            "threshold": rate_text(threshold.numerator, threshold.denominator),
            "adjustment_opened": short}


@guard("contract_adjustment_open", rule="contract.revenue_adjustment",
       source=ADJUSTMENT_SOURCE, needs=("kind",))
def adjustment_open(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """An adjustment is open (a year's revenue fell short); its kind is one the agreement
    provides and gives its figure (price change, years added or subsidy)."""
    open_ = ctx.state.get("adjustment")
    if not open_:
        return spec.refuse(ctx, "no adjustment is open: one opens when a year's revenue falls "
                                "short of the agreement's threshold (record_revenue)")
    kind = ctx.data["kind"]
    allowed = ctx.state["performance_terms"]["revenue"]["adjustments"]
    if kind not in allowed:
        return spec.refuse(ctx, f"the agreement provides {', '.join(allowed)}, not {kind}",
                           kind=kind, allowed=allowed)
    if KIND_FIELD[kind] not in ctx.data:
        return spec.refuse(ctx, f"a {kind} states {KIND_FIELD[kind]}", kind=kind,
                           field=KIND_FIELD[kind])
    return None


@guard("contract_no_open_adjustment", rule="contract.revenue_adjustment",
       source=ADJUSTMENT_SOURCE)
def no_open_adjustment(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No handover while an adjustment the agreement provides is open."""
    open_ = ctx.state.get("adjustment")
    if open_:
        return spec.refuse(ctx, f"the revenue shortfall of {open_['year']} (ratio "
                                f"{open_['shortfall_ratio']}) opened an adjustment that is "
                                f"still open: adjust first ({', '.join(open_['kinds'])})",
                           year=open_["year"], shortfall_ratio=open_["shortfall_ratio"])
    return None


def reestimate(state: Mapping[str, Any]) -> dict[str, Any] | None:
    """The return model with the recorded years' actual revenue (and actual operating costs
    where recorded) in place of the plan's, the rest as planned: the planned and re-estimated
    figures (payback, IRR, DSCR …). None without terms or a readable model."""
    terms = state.get("performance_terms")
    if not terms:
        return None
    try:
        model = plan_model(state)
    except InputError:
        return None
    first = terms["revenue"]["first_year"]
    revenue, costs = list(model.revenue), list(model.costs)
    for r in state.get("revenues") or []:
        i = r["year"] - first
        revenue[i] = {s: Decimal(v) for s, v in r["streams"].items()}
        if r.get("operating_costs"):
            costs[i] = Decimal(r["operating_costs"])
    actual = ReturnInputs(model.investment, tuple(revenue), tuple(costs), model.discount_rate,
                          model.loan)
    return {"first_year": first, "actual_years": [r["year"] for r in state.get("revenues") or []],
            "plan": compute_returns(model).figures(), "actual": compute_returns(actual).figures()}


@applies("RevenueRecorded")
def _revenue(state: State, payload: dict[str, Any], at: str) -> None:
    found, data = payload["findings"], payload["data"]
    state.setdefault("revenues", []).append(
        {**found, "at": at, **{k: data[k] for k in ("operating_costs", "reference")
                               if k in data}})
    if found["adjustment_opened"] and not state.get("adjustment"):
        state["adjustment"] = {"year": found["year"], "shortfall_ratio": found["shortfall_ratio"],
                               "kinds": state["performance_terms"]["revenue"]["adjustments"],
                               "opened_at": at}


@applies("ContractAdjusted")
def _adjusted(state: State, payload: dict[str, Any], at: str) -> None:
    opened = state.pop("adjustment")
    state.setdefault("adjustments", []).append(
        {**payload["data"], "year": opened["year"], "opened_at": opened["opened_at"], "at": at})
