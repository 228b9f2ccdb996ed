"""The return model: from the investment, the revenue streams and operating costs by year, a
discount rate and a loan, the figures a credit officer asks for.

Conventions (stated in every document that prints the figures):

* the investment is spent at the end of year 0; revenue and operating costs fall at the end of
  years 1 … n; figures are before tax;
* net cash flow of a year (经营净现金流, the cash available for debt service) = revenue − costs;
* static payback (静态投资回收期): years until the cumulative net cash flow covers the
  investment, the last year counted in proportion; discounted payback the same on flows
  discounted at the stated rate;
* NPV (净现值) at the stated rate and IRR (全投资内部收益率) of −investment, net₁ … netₙ, by
  ``numpy_financial.npv`` / ``numpy_financial.irr``;
* DSCR (偿债备付率) of a year = its net cash flow ÷ its debt service (interest + principal of
  the loan's schedule, :mod:`.loan`); shown for the years with debt service.

Decimal in, Decimal out: amounts to the cent, IRR to 1e-8, DSCR to 1e-4, so the same inputs
give the same figures on every machine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

from tenderflow.domain.finance.loan import Loan, LoanYear, cents, repayment_schedule

IRR_PLACES = Decimal("1e-8")
DSCR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class ReturnInputs:
    """The model's inputs: ``revenue[i]`` and ``costs[i]`` are those of year i + 1."""

    investment: Decimal
    revenue: tuple[Mapping[str, Decimal], ...]
    costs: tuple[Decimal, ...]
    discount_rate: Decimal | None = None  # a fraction: 0.06 for 6 %
    loan: Loan | None = None

    def __post_init__(self) -> None:
        if len(self.costs) != len(self.revenue) or not self.revenue:
            raise ValueError("one year of costs for each year of revenue, at least one year")


@dataclass(frozen=True)
class YearFigures:
    year: int
    revenue: Mapping[str, Decimal]  # by stream, in the inputs' order
    total_revenue: Decimal
    costs: Decimal
    net: Decimal  # revenue − costs: the cash available for debt service
    cumulative: Decimal  # −investment + the net of years 1 … year
    debt: LoanYear | None
    dscr: Decimal | None
    discounted_cumulative: Decimal | None = None  # the same on flows discounted at the rate

    @property
    def after_debt(self) -> Decimal:
        """Net cash flow after debt service (偿债后净现金流)."""
        return self.net - (self.debt.payment if self.debt else Decimal(0))


@dataclass(frozen=True)
class Returns:
    inputs: ReturnInputs
    years: tuple[YearFigures, ...]
    schedule: tuple[LoanYear, ...]
    payback_years: Decimal | None  # None: not paid back within the plan
    discounted_payback_years: Decimal | None
    npv: Decimal | None  # None when no discount rate is given
    irr: Decimal | None  # a fraction; None when the flows have none

    @property
    def streams(self) -> list[str]:
        seen: list[str] = []
        for y in self.years:
            seen += [s for s in y.revenue if s not in seen]
        return seen

    @property
    def dscrs(self) -> list[Decimal]:
        return [y.dscr for y in self.years if y.dscr is not None]

    @property
    def min_dscr(self) -> Decimal | None:
        return min(self.dscrs) if self.dscrs else None

    @property
    def average_dscr(self) -> Decimal | None:
        """Total net cash flow over total debt service, for the years with debt service."""
        served = [y for y in self.years if y.debt is not None and y.debt.payment > 0]
        paid = sum((y.debt.payment for y in served if y.debt), Decimal(0))
        if not paid:
            return None
        return _ratio(sum((y.net for y in served), Decimal(0)), paid)

    @property
    def unserved_years(self) -> list[int]:
        """Years of the loan beyond the plan: their debt service has no cash flow to meet it."""
        return [d.year for d in self.schedule if d.year > len(self.years)]

    def totals(self) -> dict[str, Decimal]:
        ys = self.years
        return {"revenue": sum((y.total_revenue for y in ys), Decimal(0)),
                "costs": sum((y.costs for y in ys), Decimal(0)),
                "net": sum((y.net for y in ys), Decimal(0)),
                "interest": sum((d.interest for d in self.schedule), Decimal(0)),
                "principal": sum((d.principal for d in self.schedule), Decimal(0))}

    def figures(self) -> dict[str, str]:
        """The headline figures as text (yuan, percent, years): what ``status`` and the
        documents' ``finance.*`` fields print. ``—`` where a figure does not exist."""
        return {
            "payback_years": _places(self.payback_years, "0.01", "计划期内不能收回投资"),
            "discounted_payback_years": _places(self.discounted_payback_years, "0.01", "—"),
            "irr_percent": _places(self.irr * 100 if self.irr is not None else None,
                                   "0.01", "—"),
            "npv": str(self.npv) if self.npv is not None else "—",
            "discount_rate_percent": _places(
                self.inputs.discount_rate * 100 if self.inputs.discount_rate is not None
                else None, "0.01", "—"),
            "min_dscr": _places(self.min_dscr, "0.01", "—"),
            "average_dscr": _places(self.average_dscr, "0.01", "—"),
        }


def _places(value: Decimal | None, places: str, none: str) -> str:
    return none if value is None else str(value.quantize(Decimal(places), ROUND_HALF_UP))


def _ratio(a: Decimal, b: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 28
        return (a / b).quantize(DSCR_PLACES, ROUND_HALF_UP)


def payback(investment: Decimal, flows: Sequence[Decimal]) -> Decimal | None:
    """Years until the cumulative ``flows`` (years 1, 2 …) cover ``investment``, the last
    year in proportion (exact Decimal); None if they never do within the flows."""
    remaining = investment
    if remaining <= 0:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 28
        for year, flow in enumerate(flows, start=1):
            if flow > 0 and flow >= remaining:
                return Decimal(year - 1) + remaining / flow
            remaining -= flow
    return None


def net_present_value(rate: Decimal, flows: Sequence[Decimal]) -> Decimal:
    """NPV of ``flows`` at the ends of years 0, 1, 2 … (numpy_financial.npv), to the cent."""
    import numpy_financial as npf

    value = npf.npv(float(rate), [float(f) for f in flows])
    return cents(Decimal(repr(float(value))))


def internal_rate_of_return(flows: Sequence[Decimal]) -> Decimal | None:
    """The IRR of ``flows`` (numpy_financial.irr) as a fraction to 1e-8; None when there is
    none (no change of sign, or the library finds no real root)."""
    import math

    import numpy_financial as npf

    if not any(f < 0 for f in flows) or not any(f > 0 for f in flows):
        return None
    value = float(npf.irr([float(f) for f in flows]))
    if math.isnan(value):
        return None
    return Decimal(repr(value)).quantize(IRR_PLACES, ROUND_HALF_UP)


def compute_returns(inputs: ReturnInputs) -> Returns:
    """The model: every figure from ``inputs`` alone."""
    schedule = repayment_schedule(inputs.loan) if inputs.loan else ()
    debt = {d.year: d for d in schedule}
    years = []
    cumulative = -inputs.investment
    for i, (revenue, cost) in enumerate(zip(inputs.revenue, inputs.costs, strict=True)):
        total = sum(revenue.values(), Decimal(0))
        net = total - cost
        cumulative += net
        service = debt.get(i + 1)
        dscr = _ratio(net, service.payment) if service and service.payment > 0 else None
        years.append(YearFigures(i + 1, dict(revenue), total, cost, net, cumulative, service,
                                 dscr))
    nets = [y.net for y in years]
    flows = [-inputs.investment, *nets]
    rate = inputs.discount_rate
    discounted_payback = None
    if rate is not None:
        with localcontext() as ctx:
            ctx.prec = 28
            discounted = [n / (1 + rate) ** (i + 1) for i, n in enumerate(nets)]
            running = -inputs.investment
            for i, flow in enumerate(discounted):
                running += flow
                years[i] = replace(years[i], discounted_cumulative=cents(running))
        discounted_payback = payback(inputs.investment, discounted)
    return Returns(
        inputs=inputs,
        years=tuple(years),
        schedule=schedule,
        payback_years=payback(inputs.investment, nets),
        discounted_payback_years=discounted_payback,
        npv=net_present_value(rate, flows) if rate is not None else None,
        irr=internal_rate_of_return(flows),
    )
