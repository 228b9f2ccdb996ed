"""Credit lists (信用记录): suppliers listed as 失信被执行人, 重大税收违法 or 政府采购严重违法失信.

财库〔2016〕125号 (status: secondary) has the buyer refuse a supplier found on one of these lists
when checked between the procurement notice and the bid deadline. A listing has dates, so whether
a supplier is listed is always asked *at* a given date: an entry counts from ``listed_on`` and
stops counting on ``removed_on`` (the day it was lifted no longer shows the supplier as listed).

The lists arrive as CSV exports (read by :mod:`tenderflow.app.eligibility`, which hands the
header and rows to :func:`check_header` and :func:`check_entries`) with the columns::

    list,uscc,name,listed_on,removed_on,source

``removed_on`` may be left out or empty. Every problem raises :class:`InputError` naming the
file, the line and the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tenderflow.domain.uscc import uscc_problem
from tenderflow.errors import InputError

DISHONEST_JUDGMENT_DEBTOR = "失信被执行人"
MAJOR_TAX_VIOLATION = "重大税收违法"
PROCUREMENT_SERIOUS_DISHONESTY = "政府采购严重违法失信"
CREDIT_LISTS = (DISHONEST_JUDGMENT_DEBTOR, MAJOR_TAX_VIOLATION, PROCUREMENT_SERIOUS_DISHONESTY)
CREDIT_LIST_SOURCE = "财库〔2016〕125号"

REQUIRED_COLUMNS = ("list", "uscc", "name", "listed_on", "source")
OPTIONAL_COLUMNS = ("removed_on",)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class CreditEntry:
    """One listing of one supplier on one credit list, with the dates it was in force."""

    list_name: str
    uscc: str
    name: str
    listed_on: date
    removed_on: date | None
    source: str
    file: str | None = None
    line: int | None = None

    def in_force_at(self, at: date) -> bool:
        """True when the listing shows the supplier as listed on ``at``."""
        return self.listed_on <= at and (self.removed_on is None or at < self.removed_on)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "list": self.list_name,
            "uscc": self.uscc,
            "name": self.name,
            "listed_on": self.listed_on.isoformat(),
            "removed_on": self.removed_on.isoformat() if self.removed_on else None,
            "source": self.source,
        }
        if self.file is not None:
            d["file"] = self.file
        if self.line is not None:
            d["line"] = self.line
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CreditEntry:
        """Rebuild an entry from :meth:`to_dict` (or any mapping with the CSV columns)."""
        return entry_from_row(
            {k: ("" if v is None else str(v)) for k, v in data.items()
             if k in REQUIRED_COLUMNS + OPTIONAL_COLUMNS},
            file=data.get("file"), line=data.get("line"))


def _strict_date(text: str, *, field: str, file: str | None, line: int | None) -> date:
    location = f"line {line}" if line is not None else None
    if not _ISO_DATE.fullmatch(text):
        raise InputError(f"not a date: {text!r}", file=file, location=location, field=field,
                         expected="a date like 2023-03-01")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"no such day: {text!r}", file=file, location=location, field=field,
                         expected="a calendar date like 2023-03-01") from None


def entry_from_row(row: dict[str, str], *, file: str | None, line: int | None) -> CreditEntry:
    location = f"line {line}" if line is not None else None
    values: dict[str, str] = {}
    for column in REQUIRED_COLUMNS:
        value = (row.get(column) or "").strip()
        if not value:
            raise InputError("is empty", file=file, location=location, field=column,
                             expected="a value")
        values[column] = value
    if values["list"] not in CREDIT_LISTS:
        raise InputError(f"unknown credit list {values['list']!r}", file=file, location=location,
                         field="list", expected=" | ".join(CREDIT_LISTS))
    problem = uscc_problem(values["uscc"])
    if problem:
        raise InputError(f"unified social credit code {values['uscc']!r} {problem}", file=file,
                         location=location, field="uscc",
                         expected="an 18-character code (GB 32100-2015)")
    listed_on = _strict_date(values["listed_on"], field="listed_on", file=file, line=line)
    removed_text = (row.get("removed_on") or "").strip()
    removed_on = None
    if removed_text:
        removed_on = _strict_date(removed_text, field="removed_on", file=file, line=line)
        if removed_on <= listed_on:
            raise InputError(f"removed on {removed_on} but listed on {listed_on}", file=file,
                             location=location, field="removed_on",
                             expected="a date after listed_on")
    return CreditEntry(list_name=values["list"], uscc=values["uscc"], name=values["name"],
                       listed_on=listed_on, removed_on=removed_on, source=values["source"],
                       file=file, line=line)


def check_header(columns: list[str], *, file: str | None = None) -> None:
    """The header line of a credit-list export: known columns, the required ones, each once."""
    for column in columns:
        if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            raise InputError(f"unknown column {column!r}", file=file, location="line 1",
                             field=column,
                             expected=", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS))
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            raise InputError("column is missing from the header", file=file, location="line 1",
                             field=column, expected=",".join(REQUIRED_COLUMNS))
    duplicates = {c for c in columns if columns.count(c) > 1}
    if duplicates:
        column = min(duplicates)
        raise InputError("column appears twice", file=file, location="line 1", field=column)


def check_entries(rows: Iterable[tuple[int, dict[str, str]]], *, file: str | None = None
                  ) -> list[CreditEntry]:
    """The entries of an export's rows (line number, column -> cell), each validated; a
    second row for the same list, USCC and ``listed_on`` is refused naming both lines."""
    entries: list[CreditEntry] = []
    seen: dict[tuple[str, str, date], int] = {}
    for line, values in rows:
        entry = entry_from_row(values, file=file, line=line)
        key = (entry.list_name, entry.uscc, entry.listed_on)
        if key in seen:
            raise InputError(f"duplicate of line {seen[key]} (same list, uscc and listed_on)",
                             file=file, location=f"line {line}", field="uscc")
        seen[key] = line
        entries.append(entry)
    return entries


def listings_at(entries: Iterable[CreditEntry], uscc: str, at: date,
                lists: Iterable[str] | None = None) -> list[CreditEntry]:
    """The entries showing ``uscc`` as listed on ``at``, optionally only on the given lists."""
    wanted = set(lists) if lists is not None else set(CREDIT_LISTS)
    return sorted((e for e in entries if e.uscc == uscc and e.list_name in wanted and e.in_force_at(at)),
                  key=lambda e: (e.list_name, e.listed_on))
