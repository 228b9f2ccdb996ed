"""The data a working-day calendar is built from, validated (:mod:`tenderflow.domain.calendar`):
the packages' years (``chinesecalendar``, cross-checked with ``holidays``), an override year
as parsed from its file, and lists of dates. Errors name the file, location and field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from tenderflow.errors import InputError

OVERRIDE_KEYS = ("year", "source", "holidays", "workdays")
PACKAGE_SOURCE = "chinesecalendar + holidays(CN), cross-checked"


def override_year(raw: Any, *, file: str, file_year: int
                  ) -> tuple[int, str, dict[str, frozenset[date]]]:
    """An override file's parsed content (``{year, source, holidays, workdays}``), validated:
    (year, source, data). ``file_year`` is the year its file name says."""
    if not isinstance(raw, dict):
        raise InputError("an override file must be a mapping", file=file, field="(file)",
                         expected="keys year, source, holidays, workdays")
    for key in raw:
        if key not in OVERRIDE_KEYS:
            raise InputError(f"unknown key {key!r}", file=file, field=str(key),
                             expected="only year, source, holidays, workdays")
    for key in OVERRIDE_KEYS:
        if key not in raw:
            raise InputError("missing", file=file, field=key,
                             expected="keys year, source, holidays, workdays")
    year = raw["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError(f"not a year: {year!r}", file=file, field="year",
                         expected="an integer like 2027")
    if year != file_year:
        raise InputError(f"year {year} does not match the file name", file=file, field="year",
                         expected=str(file_year))
    source = raw["source"]
    if not isinstance(source, str) or not source.strip():
        raise InputError(f"not a notice reference: {source!r}", file=file, field="source",
                         expected="the State Council notice, e.g. 国办发明电〔2025〕7号")
    data = {
        name: parse_dates(raw[name], year=year, name=name, file=file, location=None)
        for name in ("holidays", "workdays")
    }
    return year, source.strip(), data



def parse_dates(value: Any, *, year: int, name: str, file: str | None,
                 location: str | None) -> frozenset[date]:
    """A list of ISO dates in ``year``; holidays must be weekdays, workdays weekend days."""
    where = f"{location}." if location else ""
    if not isinstance(value, list):
        raise InputError(f"not a list: {value!r}", file=file, location=location, field=name,
                         expected="a list of ISO dates like 2027-10-01")
    out: set[date] = set()
    for i, item in enumerate(value):
        loc = f"{where}{name}[{i}]"
        if isinstance(item, datetime):
            d: date | None = None
        elif isinstance(item, date):
            d = item
        elif isinstance(item, str):
            try:
                d = date.fromisoformat(item) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", item) else None
            except ValueError:
                d = None
        else:
            d = None
        if d is None:
            raise InputError(f"not a date: {item!r}", file=file, location=loc, field=name,
                             expected="an ISO date like 2027-10-01")
        if d.year != year:
            raise InputError(f"{d.isoformat()} is not in {year}", file=file, location=loc,
                             field=name, expected=f"a date in {year}")
        if name == "holidays" and d.weekday() >= 5:
            raise InputError(f"{d.isoformat()} is a {d.strftime('%A')}: list only rest days "
                             "that fall on a weekday", file=file, location=loc, field=name,
                             expected="a Monday to Friday")
        if name == "workdays" and d.weekday() < 5:
            raise InputError(f"{d.isoformat()} is a {d.strftime('%A')}: list only make-up "
                             "working days that fall on a weekend", file=file, location=loc,
                             field=name, expected="a Saturday or Sunday")
        if d in out:
            raise InputError(f"{d.isoformat()} is listed twice", file=file, location=loc,
                             field=name, expected="each date once")
        out.add(d)
    return frozenset(out)


def check_year_sets(year: int, holidays: frozenset[date], workdays: frozenset[date]) -> None:
    for d in holidays:
        if d.year != year or d.weekday() >= 5:
            raise ValueError(f"{year}: holiday {d} must be a weekday in {year}")
    for d in workdays:
        if d.year != year or d.weekday() < 5:
            raise ValueError(f"{year}: make-up workday {d} must be a weekend day in {year}")


def chinesecalendar_data() -> dict[int, dict[str, frozenset[date]]]:
    from chinese_calendar import constants

    rest = set(constants.holidays)
    work = set(constants.workdays)
    first, last = min(rest).year, max(rest).year
    return {
        year: {
            "holidays": frozenset(d for d in rest if d.year == year and d.weekday() < 5),
            "workdays": frozenset(d for d in work if d.year == year and d.weekday() >= 5),
        }
        for year in range(first, last + 1)
    }


def holidays_cn_data(years: list[int]) -> dict[int, dict[str, frozenset[date]]]:
    """Non-working weekdays and working weekends per year according to ``holidays`` (CN).

    A make-up day can belong to the year before the holiday it pays for (2006-12-30/31 for
    New Year 2007), so the neighbouring years are computed too and every date is filed under
    its own year.
    """
    import holidays as holidays_pkg

    cn = holidays_pkg.country_holidays("CN", years=range(years[0] - 1, years[-1] + 2))
    rest = [d for d in cn if d.weekday() < 5]
    work = [d for d in cn.weekend_workdays if d.weekday() >= 5]
    return {
        year: {
            "holidays": frozenset(d for d in rest if d.year == year),
            "workdays": frozenset(d for d in work if d.year == year),
        }
        for year in years
    }


def differences(a: Mapping[str, frozenset[date]], b: Mapping[str, frozenset[date]],
                 a_name: str, b_name: str) -> list[str]:
    out: list[str] = []
    for key, what in (("holidays", "weekday rest days"), ("workdays", "weekend working days")):
        only_a, only_b = a[key] - b[key], b[key] - a[key]
        if only_a:
            out.append(f"{what} only in {a_name}: {', '.join(_iso(only_a))}")
        if only_b:
            out.append(f"{what} only in {b_name}: {', '.join(_iso(only_b))}")
    return out


def _iso(days: Iterable[date]) -> list[str]:
    return [d.isoformat() for d in sorted(days)]
