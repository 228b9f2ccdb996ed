"""A fiscal region's registered budget and PPP commitments (财政承受能力数据), as a file is
validated and as the PPP checks read it.

A region's file (YAML; registered with ``tenderflow fiscal import FILE --as-of DATE``)::

    region: "110105"                  # the fiscal region code a project's ``region`` names
    name: 北京市朝阳区
    source: 朝阳区2023年预算报告；中期财政规划；PPP项目库
    budget:                           # 一般公共预算支出 by year (actual, budget or plan)
      - {year: 2023, general_expenditure: "40000000000.00", basis: 预算}
      - {year: 2024, general_expenditure: "41200000000.00", basis: 中期财政规划}
    commitments:                      # the region's existing PPP projects' 财政支出责任
      - project: CY-PPP-2017-03
        name: 朝阳区某道路PPP项目
        payment: government_pay        # government_pay | viability_gap | user_pay
        expenditure:
          - {year: 2023, amount: "350000000.00"}

Every problem raises :class:`InputError` naming the file, the place and the field. The
parsed data (:class:`RegionBudget`) is what the ``fund`` step's facts copy from the store, so
a replay reads the same figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tenderflow.domain.money import Money
from tenderflow.errors import InputError

#: The PPP payment mechanisms (回报机制): 使用者付费, 可行性缺口补助, 政府付费.
PAYMENTS: dict[str, str] = {
    "user_pay": "使用者付费",
    "viability_gap": "可行性缺口补助",
    "government_pay": "政府付费",
}
REGION = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,31}")
_TOP = {"region", "name", "source", "budget", "commitments"}
_YEAR_KEYS = {"year", "general_expenditure", "basis"}
_COMMITMENT_KEYS = {"project", "name", "payment", "expenditure"}
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class Commitment:
    project: str
    name: str
    payment: str
    expenditure: dict[int, Money]


@dataclass(frozen=True)
class RegionBudget:
    """One region's general public budget expenditure by year and its PPP commitments."""

    region: str
    name: str
    source: str
    budget: dict[int, Money]
    commitments: tuple[Commitment, ...] = field(default=())

    def committed(self, year: int) -> Money:
        """The existing PPP projects' expenditure responsibility in ``year``."""
        total = Money(Decimal(0))
        for c in self.commitments:
            total = total + c.expenditure.get(year, Money(Decimal(0)))
        return total

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (the import event's ``data``; :func:`parse_region` reads it back)."""
        return {
            "region": self.region, "name": self.name, "source": self.source,
            "budget": [{"year": y, "general_expenditure": str(m)}
                       for y, m in sorted(self.budget.items())],
            "commitments": [{"project": c.project, "name": c.name, "payment": c.payment,
                             "expenditure": [{"year": y, "amount": str(m)}
                                             for y, m in sorted(c.expenditure.items())]}
                            for c in self.commitments],
        }


def _err(message: str, file: str | None, location: str, fld: str,
         expected: str | None = None) -> InputError:
    return InputError(message, file=file, location=location, field=fld, expected=expected)


def _text(data: Mapping[str, Any], key: str, file: str | None, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
        raise _err("is missing or empty", file, where, key, "a text")
    return str(value).strip()


def _year(value: Any, file: str | None, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or \
            not FIRST_YEAR <= value <= LAST_YEAR:
        raise _err(f"not a year: {value!r}", file, where, "year",
                   f"a year from {FIRST_YEAR} to {LAST_YEAR}")
    return value


def _unknown(data: Mapping[str, Any], allowed: set[str], file: str | None, where: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise _err(f"unknown key {extra[0]!r}", file, where, extra[0], ", ".join(sorted(allowed)))


def parse_region(data: Any, *, file: str | None = None) -> RegionBudget:
    """Validate a region's fiscal data (a file's content, or an import event's ``data``)."""
    if not isinstance(data, Mapping):
        raise _err("a fiscal data file is a mapping", file, "top", "region",
                   "region, name, source, budget, commitments")
    _unknown(data, _TOP, file, "top")
    region = _text(data, "region", file, "top")
    if not REGION.fullmatch(region):
        raise _err(f"region code {region!r}", file, "top", "region",
                   "a code of letters, digits, - or _ (e.g. the 行政区划代码 110105)")
    budget: dict[int, Money] = {}
    rows = data.get("budget")
    if not isinstance(rows, list) or not rows:
        raise _err("no budget year", file, "top", "budget",
                   "a list of {year, general_expenditure}")
    for i, row in enumerate(rows):
        where = f"budget[{i}]"
        if not isinstance(row, Mapping):
            raise _err("each budget year is a mapping", file, where, "budget",
                       "{year, general_expenditure, basis?}")
        _unknown(row, _YEAR_KEYS, file, where)
        year = _year(row.get("year"), file, where)
        if year in budget:
            raise _err(f"year {year} appears twice", file, where, "year")
        budget[year] = Money.parse(row.get("general_expenditure"), file=file, location=where,
                                   field="general_expenditure", allow_zero=False)
    commitments: list[Commitment] = []
    seen: set[str] = set()
    for i, row in enumerate(data.get("commitments") or ()):
        where = f"commitments[{i}]"
        if not isinstance(row, Mapping):
            raise _err("each commitment is a mapping", file, where, "commitments",
                       "{project, name, payment, expenditure}")
        _unknown(row, _COMMITMENT_KEYS, file, where)
        project = _text(row, "project", file, where)
        if project in seen:
            raise _err(f"project {project!r} appears twice", file, where, "project")
        seen.add(project)
        payment = row.get("payment")
        if payment not in PAYMENTS:
            raise _err(f"payment {payment!r}", file, where, "payment", " | ".join(PAYMENTS))
        spend: dict[int, Money] = {}
        for j, item in enumerate(row.get("expenditure") or ()):
            at = f"{where}.expenditure[{j}]"
            if not isinstance(item, Mapping):
                raise _err("each year is a mapping", file, at, "expenditure", "{year, amount}")
            _unknown(item, {"year", "amount"}, file, at)
            year = _year(item.get("year"), file, at)
            if year in spend:
                raise _err(f"year {year} appears twice", file, at, "year")
            spend[year] = Money.parse(item.get("amount"), file=file, location=at, field="amount")
        commitments.append(Commitment(project, str(row.get("name") or project), payment, spend))
    return RegionBudget(region=region, name=_text(data, "name", file, "top"),
                        source=_text(data, "source", file, "top"), budget=budget,
                        commitments=tuple(commitments))


def ratio_text(value: Decimal) -> str:
    """A ratio as a percentage with two places: 0.1 -> 10.00%."""
    return f"{(value * 100).quantize(Decimal('0.01'))}%"
