"""Dated legal parameters (OpenFisca style): every number a guard uses, with its source.

A parameter file maps a rule id to::

    tender.bid_period_min_days:
      title: {zh: 投标文件编制期限不少于, en: Minimum bid preparation period}
      source: 招标投标法 第24条
      status: P            # P | secondary | unconfirmed (POLICY.md's P / S / U)
      unit: days           # days | working_days | count | ratio | yuan | years
      values:
        - {from: "2000-01-01", value: 20}

Values are integers, decimal strings ("0.02") or fractions ("2/3"); the value in force on a
date is the last one whose ``from`` is on or before it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from hashlib import sha256
from typing import Any

from tenderflow.errors import DefinitionError, InputError

STATUSES = ("P", "secondary", "unconfirmed")
UNITS = ("days", "working_days", "count", "ratio", "yuan", "years", "flag", "year")
_KEYS = {"title", "source", "status", "unit", "values", "note"}

Number = int | Decimal | Fraction


def parse_number(raw: Any, where: str, file: str | None) -> Number | bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if "/" in text:
                num, den = text.split("/", 1)
                return Fraction(int(num), int(den))
            return Decimal(text)
        except (ValueError, ZeroDivisionError, InvalidOperation):
            pass
    raise InputError(f"value {raw!r} is not a number", file=file, location=where,
                     field="value", expected='an integer, "0.02" or "2/3"')


@dataclass(frozen=True)
class Parameter:
    key: str
    title_zh: str
    title_en: str
    source: str
    status: str
    unit: str
    values: tuple[tuple[date, Number | bool], ...]

    def at(self, when: date) -> Number | bool:
        current = None
        for start, value in self.values:
            if start <= when:
                current = value
        if current is None:
            raise DefinitionError(
                f"parameter {self.key} has no value in force on {when.isoformat()} "
                f"(first from {self.values[0][0].isoformat()})", parameter=self.key)
        return current

    def citation(self) -> str:
        mark = "" if self.status == "P" else f", {self.status}"
        return f"{self.source}{mark}"


class Parameters:
    """A parsed parameter file; ``content_hash`` pins it into every event it decides."""

    def __init__(self, data: dict[str, Any], *, file: str | None = None) -> None:
        self.data = data
        self.file = file
        self._params: dict[str, Parameter] = {}
        if not isinstance(data, dict) or not data:
            raise InputError("a parameter file maps rule ids to parameters", file=file,
                             expected="a mapping")
        for key, spec in data.items():
            self._params[key] = self._parse(key, spec)

    def _parse(self, key: str, spec: Any) -> Parameter:
        file = self.file
        if not isinstance(spec, dict):
            raise InputError("parameter must be a mapping", file=file, location=key,
                             expected="title, source, status, unit, values")
        unknown = set(spec) - _KEYS
        if unknown:
            raise InputError(f"unknown key {sorted(unknown)[0]!r}", file=file, location=key,
                             field=sorted(unknown)[0], expected=", ".join(sorted(_KEYS)))
        for needed in ("title", "source", "status", "unit", "values"):
            if needed not in spec:
                raise InputError("missing", file=file, location=key, field=needed)
        title = spec["title"]
        if not isinstance(title, dict) or not {"zh", "en"} <= set(title):
            raise InputError("title needs zh and en", file=file, location=key, field="title")
        if spec["status"] not in STATUSES:
            raise InputError(f"status {spec['status']!r}", file=file, location=key,
                             field="status", expected=" | ".join(STATUSES))
        if spec["unit"] not in UNITS:
            raise InputError(f"unit {spec['unit']!r}", file=file, location=key, field="unit",
                             expected=" | ".join(UNITS))
        values = spec["values"]
        if not isinstance(values, list) or not values:
            raise InputError("values must be a non-empty list", file=file, location=key,
                             field="values")
        parsed: list[tuple[date, Number | bool]] = []
        for i, item in enumerate(values):
            where = f"{key}.values[{i}]"
            if not isinstance(item, dict) or set(item) != {"from", "value"}:
                raise InputError("each value is {from: DATE, value: NUMBER}", file=file,
                                 location=where, field="values")
            try:
                start = date.fromisoformat(str(item["from"]))
            except ValueError:
                raise InputError(f"not a date: {item['from']!r}", file=file, location=where,
                                 field="from", expected="YYYY-MM-DD") from None
            parsed.append((start, parse_number(item["value"], where, file)))
        if [p[0] for p in parsed] != sorted(p[0] for p in parsed):
            raise InputError("values must be in date order", file=file, location=key,
                             field="values")
        return Parameter(key, str(title["zh"]), str(title["en"]), str(spec["source"]),
                         spec["status"], spec["unit"], tuple(parsed))

    def __contains__(self, key: str) -> bool:
        return key in self._params

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._params.values())

    def get(self, key: str) -> Parameter:
        try:
            return self._params[key]
        except KeyError:
            raise DefinitionError(f"no parameter {key!r} in {self.file or 'parameters'}",
                                  parameter=key) from None

    def value(self, key: str, when: date) -> Any:
        return self.get(key).at(when)

    def content_hash(self) -> str:
        return sha256(canonical(self.data).encode()).hexdigest()


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
