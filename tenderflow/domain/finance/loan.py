"""A loan's repayment schedule by year, in yuan to the cent.

The loan is drawn at the end of year 0 (with the investment) and repaid at the end of years
1 … ``years``. During the first ``grace_years`` only interest is paid (宽限期只付息不还本); the
principal is then repaid over the remaining years either

* ``equal_principal`` (等额本金): the same principal each year, interest on the balance; or
* ``equal_instalment`` (等额本息): the same payment each year (``numpy_financial.pmt``),
  interest on the balance and the rest principal.

Interest of a year = opening balance × annual rate, rounded to the cent (half up); the last
year repays whatever balance is left, so the principal adds up to the loan to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
METHODS = {"equal_principal": "等额本金", "equal_instalment": "等额本息"}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Loan:
    """A loan: ``rate`` is a fraction (0.042 for 4.2 % a year); ``years`` includes grace."""

    amount: Decimal
    rate: Decimal
    years: int
    grace_years: int = 0
    method: str = "equal_principal"

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown repayment method {self.method!r}")
        if self.amount <= 0 or self.rate < 0 or self.years < 1 \
                or not 0 <= self.grace_years < self.years:
            raise ValueError(f"not a loan: {self}")

    @property
    def method_zh(self) -> str:
        return METHODS[self.method]


@dataclass(frozen=True)
class LoanYear:
    """One year of the schedule: the balance at its start and end, interest and principal."""

    year: int
    opening: Decimal
    interest: Decimal
    principal: Decimal
    closing: Decimal

    @property
    def payment(self) -> Decimal:
        """The debt service of the year (还本付息额)."""
        return self.interest + self.principal


def instalment(loan: Loan) -> Decimal:
    """The equal yearly payment after the grace years (等额本息的年还款额), to the cent."""
    import numpy_financial as npf

    repaying = loan.years - loan.grace_years
    payment = npf.pmt(float(loan.rate), repaying, -float(loan.amount))
    return cents(Decimal(repr(float(payment))))


def repayment_schedule(loan: Loan) -> tuple[LoanYear, ...]:
    """The schedule, one :class:`LoanYear` per year of the loan."""
    repaying = loan.years - loan.grace_years
    payment = instalment(loan) if loan.method == "equal_instalment" else None
    flat = cents(loan.amount / repaying)
    balance = loan.amount
    rows = []
    for year in range(1, loan.years + 1):
        interest = cents(balance * loan.rate)
        if year <= loan.grace_years:
            principal = Decimal("0.00")
        elif year == loan.years:
            principal = balance
        elif payment is not None:
            principal = min(balance, max(payment - interest, Decimal("0.00")))
        else:
            principal = min(balance, flat)
        rows.append(LoanYear(year, balance, interest, principal, balance - principal))
        balance -= principal
    return tuple(rows)
