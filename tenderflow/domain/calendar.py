"""China's official working-day calendar (法定节假日 and 调休), for counting periods.

Data model
    For each covered year: ``holidays`` — official rest days that fall on a weekday (Mon–Fri);
    ``workdays`` — 调休 make-up working days that fall on a weekend (Sat/Sun). Any other day is a
    working day if and only if it is Mon–Fri. A date in a year that is not covered raises
    :class:`~tenderflow.errors.CalendarMissingYear`: we never guess (DESIGN §5, POLICY
    "Counting periods").

Where the data comes from (:meth:`WorkingDayCalendar.build`; the files are read by
:func:`tenderflow.workflow.calendars.load_calendar`, this module reads none)
    1. ``chinesecalendar`` (the years it covers, 2004–2026 in 1.11) gives the rest days and the
       make-up days.
    2. ``holidays`` (country CN) is computed for the same years and compared year by year: the
       set of non-working weekdays and the set of working weekends. ``holidays`` also produces
       *estimated* data for years after the last State Council notice it knows; it is therefore
       only ever used as a cross-check, never as a source of its own.
    3. A year on which the two packages **disagree is not trusted**: it is left out of the data,
       and a computation touching it raises :class:`CalendarDisputedYear` (a
       ``CalendarMissingYear``) that names the year and the differences. No package is preferred
       silently: for a minimum period (bids may not be due before day N) and for a maximum period
       (an answer is due within N working days) a wrong rest day errs in opposite directions, so
       there is no safe side to pick. The fix is an override file for that year, transcribed
       from the State Council notice (see ``workflows/calendars/README.md``).
       With chinesecalendar 1.11.0 and holidays 0.109 the only disagreement is 2005: the 2006
       notice (国办发明电〔2005〕35号) made Saturday 2005-12-31 a working day; ``holidays`` has it,
       ``chinesecalendar`` does not (its issue #125). 2005 is therefore not covered unless
       ``2005.yaml`` is added.
    4. Override files ``<year>.yaml`` in the overrides directory (default
       ``workflows/calendars/``) replace the package data for their year entirely, whether the
       year is covered by the packages, disputed, or later than them. They are validated strictly.
    5. State Council notices imported into the store (``tenderflow calendar import``, see
       :mod:`tenderflow.app.calendar`) replace package data and override files for their
       year (:meth:`WorkingDayCalendar.with_imported`): the record is the latest word.

Provisional years
    Every year after the last year of the package data up to
    :data:`~tenderflow.domain.calendar_provisional.LAST_PROVISIONAL_YEAR` that has no official
    data has a *provisional* calendar computed from the holiday principles of the 2025 notice
    (:mod:`tenderflow.domain.calendar_provisional`). A decision never uses it: counting on a
    provisional day raises :class:`~tenderflow.errors.CalendarProvisional` (rule
    ``calendar.provisional``, exit 1) naming the year and the import command. Planning views
    use :meth:`WorkingDayCalendar.planning`, a calendar with the same API that also counts on
    provisional days and records the years it used in ``provisional_used``.
    A year before the package data (before 2004) or a disputed year stays missing, also in
    planning mode.

:meth:`WorkingDayCalendar.cross_check` lists the package disagreements, and where an override
replaces package data with something different, that too, for the report.

Pinning
    :meth:`to_data`/:meth:`from_data` and :meth:`content_hash` let an audit replay rebuild exactly
    the calendar an event was computed with, without the packages. ``to_data`` holds the official
    data of every covered year and, when the calendar has provisional years, a ``"provisional"``
    entry ``{"rules": RULES_VERSION, "first": 2027, "last": 2099}``: provisional years are a pure
    function of the year and the rules version, so only the version and the span are pinned,
    never generated days, and ``to_data`` does not depend on which years were looked at. Sources
    (package, override file, notice) are not part of the data: the hash changes when the days
    change, and an imported notice is pinned by its own definition (kind ``calendar-year``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from tenderflow.domain.calendar_data import (
    PACKAGE_SOURCE,
    check_year_sets,
    chinesecalendar_data,
    differences,
    holidays_cn_data,
    parse_dates,
)
from tenderflow.domain.calendar_provisional import (
    LAST_PROVISIONAL_YEAR,
    RULES_SOURCE,
    RULES_VERSION,
    provisional_year,
)
from tenderflow.errors import CalendarMissingYear, CalendarProvisional, InputError

UNITS = ("days", "working_days")


class CalendarDisputedYear(CalendarMissingYear):
    """Raised for a year the two calendar packages disagree on and no override file resolves."""

    rule = "calendar.disputed_year"

    def __init__(self, year: int, differences: list[str]) -> None:
        super().__init__(year)
        self.context["rule"] = self.rule
        detail = "; ".join(differences)
        self.message = (
            f"no trusted working-day calendar for {year}: the calendar packages disagree "
            f"({detail}); add workflows/calendars/{year}.yaml transcribed from the State "
            f"Council's holiday notices covering {year}"
        )
        self.args = (self.message,)
        self.context["differences"] = list(differences)
        self.differences = list(differences)


@dataclass(frozen=True)
class _Year:
    holidays: frozenset[date]
    workdays: frozenset[date]


@dataclass(frozen=True)
class ProvisionalSpan:
    """Years ``first``..``last`` without official data get a provisional calendar computed by
    the rules ``rules`` (:data:`~tenderflow.domain.calendar_provisional.RULES_VERSION`)."""

    rules: str
    first: int
    last: int

    def covers(self, year: int) -> bool:
        return self.first <= year <= self.last

    def to_data(self) -> dict[str, Any]:
        return {"rules": self.rules, "first": self.first, "last": self.last}


@cache
def _provisional(year: int) -> _Year:
    p = provisional_year(year)
    return _Year(p.holidays, p.workdays)


def _iso(days: Iterable[date]) -> list[str]:
    return [d.isoformat() for d in sorted(days)]


class WorkingDayCalendar:
    """Official working days of mainland China for the years it holds data for."""

    def __init__(
        self,
        data: Mapping[int, Mapping[str, Iterable[date]]],
        *,
        sources: Mapping[int, str] | None = None,
        disputed: Mapping[int, list[str]] | None = None,
        cross_check: list[str] | None = None,
        provisional: ProvisionalSpan | None = None,
        kinds: Mapping[int, str] | None = None,
    ) -> None:
        years: dict[int, _Year] = {}
        for year, entry in data.items():
            holidays = frozenset(entry.get("holidays", ()))
            workdays = frozenset(entry.get("workdays", ()))
            check_year_sets(year, holidays, workdays)
            years[int(year)] = _Year(holidays, workdays)
        self._data = dict(sorted(years.items()))
        self._years = frozenset(self._data)
        self._sources = dict(sources or {})
        self._kinds = {y: k for y, k in (kinds or {}).items() if y in self._years}
        self._disputed = {y: list(v) for y, v in (disputed or {}).items() if y not in self._years}
        self._cross_check = list(cross_check) if cross_check is not None else None
        self._provisional = provisional

    # ---------------------------------------------------------------- building

    @classmethod
    def build(cls, overrides: Mapping[int, tuple[str, str, Mapping[str, frozenset[date]]]],
              holidays_cn: Callable[[list[int]], Mapping[int, Mapping[str, frozenset[date]]]]
              = holidays_cn_data) -> WorkingDayCalendar:
        """Package data, cross-checked with ``holidays_cn``'s data (the loader's is remembered
        per installed ``holidays``), then the override years (year -> (file name, source, data),
        validated by :func:`~tenderflow.domain.calendar_data.override_year`)."""
        chinese = chinesecalendar_data()
        other = holidays_cn(sorted(chinese))
        data: dict[int, dict[str, frozenset[date]]] = {}
        sources: dict[int, str] = {}
        kinds: dict[int, str] = {}
        disputed: dict[int, list[str]] = {}
        report: list[str] = []
        for year, ours in chinese.items():
            diffs = differences(ours, other[year], "chinesecalendar", "holidays(CN)")
            if diffs:
                disputed[year] = diffs
                report.extend(f"{year}: {d}" for d in diffs)
            else:
                data[year] = ours
                sources[year] = PACKAGE_SOURCE
                kinds[year] = "package"
        for year, (name, source, override) in sorted(overrides.items()):
            override = dict(override)
            if year in disputed:
                report.append(f"{year}: resolved by override {name} ({source})")
            elif year in chinese:
                diffs = differences(override, chinese[year], name, "package data")
                report.extend(f"{year}: override {name} ({source}) differs: {d}"
                              for d in diffs)
            data[year] = override
            sources[year] = f"{name}: {source}"
            kinds[year] = "override"
            disputed.pop(year, None)
        span = ProvisionalSpan(RULES_VERSION, max(chinese) + 1, LAST_PROVISIONAL_YEAR)
        return cls(data, sources=sources, disputed=disputed, cross_check=report,
                   provisional=span, kinds=kinds)

    def with_imported(self, years: Mapping[int, tuple[Mapping[str, Iterable[date]], str]]
                      ) -> WorkingDayCalendar:
        """This calendar with the years of imported State Council notices replacing what it
        had for them (package data, override file or provisional rules): year -> (data with
        ``holidays`` and ``workdays``, source)."""
        if not years:
            return self
        data: dict[int, Mapping[str, Iterable[date]]] = {
            y: {"holidays": v.holidays, "workdays": v.workdays} for y, v in self._data.items()}
        sources = dict(self._sources)
        kinds = dict(self._kinds)
        report = list(self._cross_check or [])
        for year, (entry, source) in sorted(years.items()):
            new = {"holidays": frozenset(entry["holidays"]),
                   "workdays": frozenset(entry["workdays"])}
            if year in self._data:
                old = self._data[year]
                report.extend(f"{year}: imported notice ({source}) differs: {d}"
                              for d in differences(new, {"holidays": old.holidays,
                                                          "workdays": old.workdays},
                                                    "the notice", self._sources.get(
                                                        year, "earlier data")))
            elif year in self._disputed:
                report.append(f"{year}: resolved by imported notice ({source})")
            data[year] = new
            sources[year] = f"imported notice: {source}"
            kinds[year] = "imported"
        return WorkingDayCalendar(data, sources=sources, disputed=self._disputed,
                                  cross_check=report, provisional=self._provisional,
                                  kinds=kinds)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WorkingDayCalendar:
        """Rebuild a calendar from :meth:`to_data` output (e.g. pinned in an event)."""
        if not isinstance(data, Mapping):
            raise InputError("calendar data must be a mapping of years", field="calendar",
                             expected='{"2023": {"holidays": [...], "workdays": [...]}}')
        parsed: dict[int, dict[str, frozenset[date]]] = {}
        span: ProvisionalSpan | None = None
        for key, entry in data.items():
            if key == "provisional":
                span = _parse_span(entry)
                continue
            if not (isinstance(key, str) and re.fullmatch(r"\d{4}", key)):
                raise InputError(f"not a year: {key!r}", field="calendar",
                                 expected="a four-digit year string")
            year = int(key)
            if not isinstance(entry, Mapping) or set(entry) != {"holidays", "workdays"}:
                raise InputError(f"year {key} must have exactly 'holidays' and 'workdays'",
                                 location=key, field="calendar")
            parsed[year] = {
                name: parse_dates(entry[name], year=year, name=name, file=None, location=key)
                for name in ("holidays", "workdays")
            }
        return cls(parsed, sources={y: "pinned data" for y in parsed}, provisional=span,
                   kinds={y: "pinned" for y in parsed})

    def to_data(self) -> dict[str, Any]:
        """JSON-able data: ``{"2023": {"holidays": [...], "workdays": [...]}, …,
        "provisional": {"rules": …, "first": …, "last": …}}``, sorted; the provisional entry
        only when the calendar has provisional years."""
        out: dict[str, Any] = {
            str(year): {"holidays": _iso(y.holidays), "workdays": _iso(y.workdays)}
            for year, y in self._data.items()
        }
        if self._provisional is not None:
            out["provisional"] = self._provisional.to_data()
        return out

    def content_hash(self) -> str:
        """SHA-256 (hex) of the canonical JSON of :meth:`to_data`; computed once (a calendar
        is not changed once built: ``with_imported`` makes a new one)."""
        found: str | None = self.__dict__.get("_content_hash")
        if found is None:
            canonical = json.dumps(self.to_data(), sort_keys=True, separators=(",", ":"),
                                   ensure_ascii=False).encode()
            found = self.__dict__["_content_hash"] = hashlib.sha256(canonical).hexdigest()
        return found

    # ---------------------------------------------------------------- facts

    @property
    def years(self) -> list[int]:
        """Covered years, sorted (disputed years without an override are not covered)."""
        return list(self._data)

    def source_of(self, year: int) -> str:
        """Where a year's data comes from (packages, the override file and notice, the imported
        notice, or for a provisional year the rules); refuses a missing or disputed year."""
        if self.is_provisional(year):
            return f"provisional ({self._provisional_rules()}, from {RULES_SOURCE})"
        self._require(year)
        return self._sources.get(year, "given data")

    def kind_of(self, year: int) -> str:
        """``package``, ``override``, ``imported``, ``pinned`` or ``given`` for an official year;
        ``provisional``, ``disputed`` or ``missing`` otherwise."""
        if year in self._years:
            return self._kinds.get(year, "given")
        if year in self._disputed:
            return "disputed"
        return "provisional" if self.is_provisional(year) else "missing"

    def is_official(self, year: int) -> bool:
        return year in self._years

    def is_provisional(self, year: int) -> bool:
        """Whether ``year`` has no official data but a provisional calendar."""
        return (self._provisional is not None and year not in self._years
                and year not in self._disputed and self._provisional.covers(year))

    @property
    def provisional_span(self) -> ProvisionalSpan | None:
        """The span of years that are provisional when they have no official data."""
        return self._provisional

    def _provisional_rules(self) -> str:
        return self._provisional.rules if self._provisional else ""

    def year_data(self, year: int) -> dict[str, list[date]]:
        """``{"holidays": [...], "workdays": [...]}`` of a year, sorted (strict: refuses a
        provisional year; use :meth:`planning` for that)."""
        y = self._year(year)
        return {"holidays": sorted(y.holidays), "workdays": sorted(y.workdays)}

    def planning(self) -> PlanningCalendar:
        """A calendar with the same API for planning views: it also counts on provisional
        years, and records each one it used in ``provisional_used``."""
        return PlanningCalendar(self)

    def cross_check(self) -> list[str]:
        """Disagreements between chinesecalendar and holidays(CN), and overrides that differ.

        One readable line per difference, prefixed with the year. Empty when everything
        agrees. A calendar rebuilt with :meth:`from_data` compares the packages afresh.
        """
        if self._cross_check is None:
            chinese = chinesecalendar_data()
            other = holidays_cn_data(sorted(chinese))
            self._cross_check = [
                f"{year}: {d}" for year in chinese
                for d in differences(chinese[year], other[year], "chinesecalendar",
                                      "holidays(CN)")
            ]
        return list(self._cross_check)

    def _require(self, year: int) -> None:
        if year not in self._years:
            if year in self._disputed:
                raise CalendarDisputedYear(year, self._disputed[year])
            if self.is_provisional(year):
                raise CalendarProvisional(year)
            raise CalendarMissingYear(year)

    def _year(self, year: int) -> _Year:
        found = self._data.get(year)
        if found is None:
            self._require(year)
            raise CalendarMissingYear(year)  # pragma: no cover - _require raised
        return found

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is an official working day; refuses years without official data
        (a provisional year with :class:`CalendarProvisional`)."""
        d = _as_date(d)
        y = self._year(d.year)
        if d in y.workdays:
            return True
        return d.weekday() < 5 and d not in y.holidays

    # ---------------------------------------------------------------- counting

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` itself never counts), ``n >= 1``."""
        start = _as_date(start)
        _require_positive(n)
        day = start
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_after(self, start: date, end: date) -> int:
        """Number of working days in ``(start, end]``; 0 when ``end <= start``."""
        start, end = _as_date(start), _as_date(end)
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count

    def period_end(self, start: date, n: int, unit: str) -> date:
        """Last day of a period of ``n`` units starting at ``start`` (民法典 第201、203条).

        ``"days"`` (日): the first day is not counted, so the period ends ``n`` calendar days
        after ``start``; if that day is a rest day, it ends on the next working day.
        ``"working_days"`` (工作日): the ``n``-th working day after ``start``.
        The period ends at 24:00 of the returned day.
        """
        start = _as_date(start)
        _require_positive(n)
        if unit == "days":
            end = start + timedelta(days=n)
            while not self.is_working_day(end):
                end += timedelta(days=1)
            return end
        if unit == "working_days":
            return self.add_working_days(start, n)
        raise ValueError(f"unknown period unit {unit!r}; expected one of {', '.join(UNITS)}")

    # ---------------------------------------------------------------- misc

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingDayCalendar):
            return NotImplemented
        return self._data == other._data and self._provisional == other._provisional

    def __hash__(self) -> int:
        return hash(self.content_hash())

    def __repr__(self) -> str:
        years = self.years
        span = f"{years[0]}–{years[-1]}" if years else "no years"
        return f"<WorkingDayCalendar {span} ({len(years)} years) {self.content_hash()[:12]}>"


class PlanningCalendar(WorkingDayCalendar):
    """A calendar for planning views (``status``, ``next``, ``calendar show``): the same API
    and data as the calendar it was made from, but a year without official data inside the
    provisional span is counted on its provisional calendar instead of being refused, and the
    year is added to :attr:`provisional_used`. Missing and disputed years are still refused.
    ``to_data``/``content_hash`` are those of the underlying calendar."""

    def __init__(self, base: WorkingDayCalendar) -> None:
        self.__dict__.update(base.__dict__)
        self.base: WorkingDayCalendar = base.base if isinstance(base, PlanningCalendar) else base
        self.provisional_used: set[int] = set()

    def _year(self, year: int) -> _Year:
        found = self._data.get(year)
        if found is not None:
            return found
        if self.is_provisional(year):
            self.provisional_used.add(year)
            return _provisional(year)
        return super()._year(year)

    def planning(self) -> PlanningCalendar:
        return PlanningCalendar(self.base)

    def __repr__(self) -> str:
        return f"<planning {super().__repr__()[1:]}"


# -------------------------------------------------------------------- helpers


def _parse_span(entry: Any) -> ProvisionalSpan:
    expected = f'{{"rules": "{RULES_VERSION}", "first": 2027, "last": {LAST_PROVISIONAL_YEAR}}}'
    if not isinstance(entry, Mapping) or set(entry) != {"rules", "first", "last"}:
        raise InputError("the provisional entry must have exactly rules, first and last",
                         location="provisional", field="calendar", expected=expected)
    first, last, rules = entry["first"], entry["last"], entry["rules"]
    for value in (first, last):
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 9999:
            raise InputError(f"not a year: {value!r}", location="provisional",
                             field="calendar", expected=expected)
    if rules != RULES_VERSION:
        raise InputError(f"unknown provisional rules {rules!r}: this version of tenderflow "
                         f"computes {RULES_VERSION}", location="provisional",
                         field="calendar", expected=expected)
    return ProvisionalSpan(rules, first, last)


def _as_date(d: date) -> date:
    if isinstance(d, datetime):
        raise TypeError("working days are counted on dates: pass a date, not a datetime "
                        "(convert to Asia/Shanghai first)")
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    return d


def _require_positive(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"a period needs a whole number of at least 1 unit, got {n!r}")
