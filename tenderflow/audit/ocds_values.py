"""Amounts as OCDS values: a decimal string in yuan as a JSON number with its currency. Shared by
the procurements' releases (:mod:`tenderflow.audit.ocds`) and the projects' planning releases
(:mod:`tenderflow.audit.ocds_project`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

CURRENCY = "CNY"


def amount(value: Any) -> int | float | None:
    """A decimal string in yuan as a JSON number (exact for amounts below 10^13)."""
    if value is None:
        return None
    try:
        dec = Decimal(str(value))
    except InvalidOperation:
        return None
    if not dec.is_finite():
        return None
    return int(dec) if dec == dec.to_integral_value() else float(dec)


def money(value: Any) -> dict[str, Any] | None:
    number = amount(value)
    return None if number is None else {"amount": number, "currency": CURRENCY}
