"""Payback period and internal rate of return from an investment and an annual revenue plan.

Pure Decimal arithmetic, no floats: the figures go into a financing-approval package and must
come out the same on every machine.

* Payback period (静态投资回收期): years until the cumulative net inflow equals the investment,
  the last year counted in proportion (40,000,000 at 4,800,000 a year → 8.33 years).
* IRR (全投资内部收益率): the rate at which the net present value of −investment at year 0 and the
  net inflows at the ends of years 1…n is zero, found by bisection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from tenderflow.domain.money import Money
from tenderflow.errors import InputError

PRECISION = 40
IRR_TOLERANCE = Decimal("1e-12")
IRR_LOW = Decimal("-0.99")
IRR_HIGH_LIMIT = Decimal(1000)

SOURCE_LABELS = {
    "property_fees": "物业服务",
    "parking": "停车",
    "elevators": "加装电梯运营",
    "elderly_care": "养老服务",
    "convenience_services": "便民服务",
    "idle_space": "闲置空间租赁",
}


def npv(rate: Decimal, cash_flows: Sequence[Decimal]) -> Decimal:
    """Net present value of cash flows at the ends of years 0, 1, 2 … at ``rate``."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        factor = Decimal(1) + rate
        total = Decimal(0)
        discount = Decimal(1)
        for flow in cash_flows:
            total += flow / discount
            discount *= factor
        return +total


def irr(cash_flows: Sequence[Decimal], *, tolerance: Decimal = IRR_TOLERANCE) -> Decimal | None:
    """The rate where NPV is zero, by bisection; None when NPV does not change sign.

    ``cash_flows[0]`` is usually the (negative) investment. The search starts on
    [-99%, 100%] and widens the upper end while NPV is still positive there.
    """
    flows = [Decimal(f) for f in cash_flows]
    if len(flows) < 2:
        return None
    low, high = IRR_LOW, Decimal(1)
    f_low = npv(low, flows)
    f_high = npv(high, flows)
    while f_low * f_high > 0 and high < IRR_HIGH_LIMIT:
        high *= 2
        f_high = npv(high, flows)
    if f_low == 0:
        return low
    if f_low * f_high > 0:
        return None
    with localcontext() as ctx:
        ctx.prec = PRECISION
        while high - low > tolerance:
            mid = (low + high) / 2
            f_mid = npv(mid, flows)
            if f_mid == 0:
                return mid.quantize(tolerance)
            if (f_mid > 0) == (f_low > 0):
                low, f_low = mid, f_mid
            else:
                high = mid
        return ((low + high) / 2).quantize(tolerance)


def payback_period(investment: Decimal, annual_net: Sequence[Decimal]) -> Decimal | None:
    """Years until cumulative net inflow reaches the investment; None if it never does."""
    remaining = Decimal(investment)
    if remaining <= 0:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for year, flow in enumerate(annual_net, start=1):
            flow = Decimal(flow)
            if flow > 0 and flow >= remaining:
                return Decimal(year - 1) + remaining / flow
            remaining -= flow
    return None


@dataclass(frozen=True)
class YearPlan:
    year: int
    revenue: dict[str, Money]  # by source, in the plan's order
    costs: Money

    @property
    def total_revenue(self) -> Money:
        return sum(self.revenue.values(), Money(Decimal(0)))

    @property
    def net(self) -> Decimal:
        return self.total_revenue.amount - self.costs.amount


@dataclass(frozen=True)
class FinancialSummary:
    investment: Money
    years: tuple[YearPlan, ...]
    payback_years: Decimal | None  # exact
    irr: Decimal | None  # a fraction: 0.0346… means 3.46 %

    @property
    def payback_text(self) -> str:
        if self.payback_years is None:
            return "计划期内不能收回投资"
        return f"{self.payback_years.quantize(Decimal('0.01'), ROUND_HALF_UP)}"

    @property
    def irr_percent(self) -> str:
        """IRR in percent, two places: "3.46"; "—" when there is none."""
        if self.irr is None:
            return "—"
        return f"{(self.irr * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}"

    def fields(self) -> dict[str, str]:
        """Values for the templates' ``finance.*`` placeholders."""
        return {"payback_years": self.payback_text, "irr_percent": self.irr_percent}

    def sections(self) -> list[dict[str, Any]]:
        """Sections for :func:`tenderflow.documents.pdf.render_document` (财务摘要)."""
        sources: list[str] = []
        for y in self.years:
            sources += [s for s in y.revenue if s not in sources]
        # the known sources in their usual order (the plan may come back from the log with its
        # keys sorted), then any others as first seen
        known = list(SOURCE_LABELS)
        sources.sort(key=lambda s: known.index(s) if s in known else len(known))
        if sources == ["total"]:  # the plan gave one amount a year, not sources
            sources = []
        has_costs = any(y.costs.amount for y in self.years)
        columns = ["年度", *(SOURCE_LABELS.get(s, s) for s in sources), "收入合计"]
        columns += ["运营成本", "净现金流"] if has_costs else []
        columns += ["累计净现金流"]
        rows = []
        cumulative = -self.investment.amount
        for y in self.years:
            cumulative += y.net
            row = [f"第{y.year}年"]
            row += [y.revenue[s].formatted() if s in y.revenue else "—" for s in sources]
            row.append(y.total_revenue.formatted())
            if has_costs:
                row += [y.costs.formatted(), _signed(y.net)]
            row.append(_signed(cumulative))
            rows.append(row)
        total = sum((y.total_revenue.amount for y in self.years), Decimal(0))
        inv = self.investment
        return [
            {"heading": "项目投资", "body": [
                f"项目总投资{inv.formatted()}（{inv.chinese()}），于第0年末一次投入。"]},
            {"heading": "收益计划", "body": [
                (f"计划期{len(self.years)}年，收入合计{Money(total).formatted()}"
                 f"（{Money(total).chinese()}）。各年收入按使用者付费来源列示如下（单位：元）："),
                {"table": {"columns": columns, "rows": rows}}]},
            {"heading": "投资回收期与内部收益率", "body": [
                f"静态投资回收期：{self.payback_text}"
                + ("年（按各年净现金流累计，末年按比例折算）。"
                   if self.payback_years is not None else "。"),
                f"全投资内部收益率（税前）：{self.irr_percent}%（第0年投入总投资，各年净现金流于年末"
                f"发生，按二分法求解）。"
                if self.irr is not None else "全投资内部收益率：计划期内无解。",
                "以上测算仅供融资审批参考，不构成任何一方对收益的承诺。"]},
        ]


def _signed(amount: Decimal) -> str:
    money = Money(abs(amount))
    return ("-" if amount < 0 else "") + money.formatted()


def _money(value: Any, where: str) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, Decimal):
        value = str(value)
    return Money.parse(value, field=where)


def financial_summary(investment: Any, revenue_plan: Sequence[Any], *,
                      operating_costs: Sequence[Any] | None = None) -> FinancialSummary:
    """Payback and IRR from the investment and the plan, year by year from year 1.

    ``revenue_plan`` holds one entry per year: an amount, or a mapping source → amount
    (``{"property_fees": "1200000.00", "parking": "900000.00"}``). Amounts are decimal
    strings in yuan (floats are refused). ``operating_costs`` optionally gives each year's
    costs; the net inflow of a year is its revenue less its costs.
    """
    inv = _money(investment, "investment")
    if inv.amount <= 0:
        raise InputError("the investment must be positive", field="investment")
    if not isinstance(revenue_plan, Sequence) or isinstance(revenue_plan, (str, bytes)) \
            or not revenue_plan:
        raise InputError("the revenue plan is a list with one entry per year",
                         field="revenue_plan")
    costs = list(operating_costs or [])
    if costs and len(costs) != len(revenue_plan):
        raise InputError(f"{len(costs)} years of operating costs for {len(revenue_plan)} years "
                         f"of revenue", field="operating_costs")
    years = []
    for i, entry in enumerate(revenue_plan):
        where = f"revenue_plan[{i}]"
        if isinstance(entry, Mapping):
            revenue = {str(k): _money(v, f"{where}.{k}") for k, v in entry.items()}
        else:
            revenue = {"total": _money(entry, where)}
        cost = _money(costs[i], f"operating_costs[{i}]") if costs else Money(Decimal(0))
        years.append(YearPlan(i + 1, revenue, cost))
    net = [y.net for y in years]
    return FinancialSummary(
        investment=inv,
        years=tuple(years),
        payback_years=payback_period(inv.amount, net),
        irr=irr([-inv.amount, *net]),
    )
