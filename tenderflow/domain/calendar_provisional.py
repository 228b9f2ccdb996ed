"""Statutory holidays (《全国年节及纪念日放假办法》) and provisional calendars for years the State
Council has not yet published (DESIGN §5, POLICY "Counting periods").

Statutory days
    :func:`statutory_days` gives, for a year, the days each festival is a statutory rest day
    under the version of 《全国年节及纪念日放假办法》 in force that year:

    ======================  =========================================================
    before 2008             元旦 1-1; 春节 初一–初三; 劳动节 5-1..5-3; 国庆节 10-1..10-3
    2008–2013 (2007 rev.)   元旦; 春节 除夕–初二; 清明节; 劳动节 5-1; 端午节; 中秋节; 国庆节 3
    2014–2024 (2013 rev.)   as above, 春节 初一–初三
    from 2025 (2024-11 rev.) 元旦; 春节 除夕–初三 (4); 清明节; 劳动节 5-1, 5-2; 端午节; 中秋节;
                            国庆节 10-1..10-3
    ======================  =========================================================

    The notice parser (:mod:`tenderflow.domain.calendar_notice`) checks that each of these days
    lies in a holiday of the notice it reads.

Lunar dates and 清明
    From ``lunar-python`` (6tail's *lunar*, pure Python, maintained, 1.4.8): it converts lunar
    dates (除夕, 端午 5/5, 中秋 8/15) and also gives the 24 solar terms, so 清明 comes from the
    same library. ``lunardate`` converts lunar dates only, so 清明 would have needed an
    astronomical approximation of our own; that is why ``lunar-python`` was chosen.

Provisional calendars
    :func:`provisional_year` applies the arrangement principles stated by the 2025 notice
    (国办发明电〔2024〕12号): 春节 from 除夕, 8 days with 调休; 国庆节 from 10-01, 7 days, merged
    with 中秋节 into 8; 劳动节 5 days; 元旦, 清明节, 端午节, 中秋节 3 days with 调休 or the
    weekend, the day alone when it is a Wednesday. Where the notice leaves a choice, the
    practice of the notices 2017–2026 decides (see :data:`RULES_VERSION` and the functions
    below): a 3-day holiday on a Tuesday is Sun–Tue and on a Thursday Thu–Sat (one make-up
    day), on a Saturday or Sunday Sat–Mon; 劳动节 is 5-1..5-5, or from the Saturday before when
    5-1 is a Sunday or Monday; 中秋节 joins 国庆节 when it falls from 9-28 to 10-08. Make-up
    working days (调休上班): as many as the block has weekdays beyond its statutory days, taken
    from the weekend days nearest the block that belong to no other holiday, one before and
    one after in turn (a single one on the nearer side, before on a tie).

    A provisional year is a pure function of the year and :data:`RULES_VERSION`, so a calendar
    pins only that version (see :mod:`tenderflow.domain.calendar`), never the generated days.
    :func:`backtest` compares the rules with official data, day by day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

# Bump the suffix whenever the rules below change what they produce: the version is pinned.
RULES_VERSION = "holiday-principles-2025.1"
RULES_SOURCE = "国办发明电〔2024〕12号"
LAST_PROVISIONAL_YEAR = 2099

FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


# -------------------------------------------------------------------- lunar and solar terms


def lunar_new_year(year: int) -> date:
    """正月初一 of the lunar year that starts in ``year``."""
    from lunar_python import Lunar

    s = Lunar.fromYmd(year, 1, 1).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def lunar_to_solar(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar

    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def qingming(year: int) -> date:
    """The solar term 清明 in ``year`` (4-4 or 4-5)."""
    from lunar_python import Solar

    s = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return date(s.getYear(), s.getMonth(), s.getDay())


def lunar_of(d: date) -> tuple[int, int, bool]:
    """(lunar month, day, is 除夕) of a solar date; a leap month is negative."""
    from lunar_python import Solar

    lunar = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    nxt = Solar.fromYmd(*_ymd(d + timedelta(days=1))).getLunar()
    eve = nxt.getMonth() == 1 and nxt.getDay() == 1
    return lunar.getMonth(), lunar.getDay(), eve


def _ymd(d: date) -> tuple[int, int, int]:
    return d.year, d.month, d.day


# -------------------------------------------------------------------- statutory days


def regime(year: int) -> str:
    """Which version of 《全国年节及纪念日放假办法》 is in force in ``year``."""
    if year >= 2025:
        return "2024-11 revision (in force 2025-01-01)"
    if year >= 2014:
        return "2013-12 revision (in force 2014-01-01)"
    if year >= 2008:
        return "2007-12 revision (in force 2008-01-01)"
    return "1999 revision"


@cache
def statutory_days(year: int) -> Mapping[str, tuple[date, ...]]:
    """Festival -> its statutory rest days in ``year`` (see the module docstring)."""
    new_year = lunar_new_year(year)
    eve = new_year - timedelta(days=1)
    out: dict[str, tuple[date, ...]] = {"元旦": (date(year, 1, 1),)}
    if year >= 2025:
        out["春节"] = tuple(eve + timedelta(days=i) for i in range(4))
    elif year >= 2014 or year < 2008:
        out["春节"] = tuple(new_year + timedelta(days=i) for i in range(3))
    else:
        out["春节"] = tuple(eve + timedelta(days=i) for i in range(3))
    if year >= 2008:
        out["清明节"] = (qingming(year),)
    if year >= 2025:
        out["劳动节"] = (date(year, 5, 1), date(year, 5, 2))
    elif year >= 2008:
        out["劳动节"] = (date(year, 5, 1),)
    else:
        out["劳动节"] = tuple(date(year, 5, d) for d in (1, 2, 3))
    if year >= 2008:
        out["端午节"] = (lunar_to_solar(year, 5, 5),)
        out["中秋节"] = (lunar_to_solar(year, 8, 15),)
    out["国庆节"] = tuple(date(year, 10, d) for d in (1, 2, 3))
    return out


# -------------------------------------------------------------------- provisional years


@dataclass(frozen=True)
class Arrangement:
    """One holiday block of a provisional year: the rest days and the make-up working days."""

    name: str
    first: date
    last: date
    statutory: tuple[date, ...]
    workdays: tuple[date, ...] = ()

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "first": self.first.isoformat(),
                "last": self.last.isoformat(), "days": (self.last - self.first).days + 1,
                "statutory": [d.isoformat() for d in self.statutory],
                "workdays": [d.isoformat() for d in self.workdays]}


@dataclass(frozen=True)
class ProvisionalYear:
    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    arrangements: tuple[Arrangement, ...] = field(default=())
    rules: str = RULES_VERSION


def _three_days(d: date) -> tuple[date, date]:
    """元旦, 清明, 端午, 中秋: 3 days with the weekend (调休 if needed), the day alone on a
    Wednesday."""
    wd = d.weekday()
    if wd == 2:  # Wednesday: the day alone
        return d, d
    start = {0: d - timedelta(days=2),  # Mon: Sat–Mon
             1: d - timedelta(days=2),  # Tue: Sun–Tue (Mon 调休)
             3: d,  # Thu: Thu–Sat (Fri 调休)
             4: d,  # Fri: Fri–Sun
             5: d,  # Sat: Sat–Mon (补休 Mon)
             6: d - timedelta(days=1)}[wd]  # Sun: Sat–Mon
    return start, start + timedelta(days=2)


def _blocks(year: int) -> list[tuple[str, date, date, tuple[date, ...]]]:
    """The rest-day blocks of ``year``'s festivals (before make-up days are chosen)."""
    law = statutory_days(year)
    blocks: list[tuple[str, date, date, tuple[date, ...]]] = []
    for name in ("元旦", "清明节", "端午节"):
        first, last = _three_days(law[name][0])
        blocks.append((name, first, last, law[name]))
    eve = lunar_new_year(year) - timedelta(days=1)
    blocks.append(("春节", eve, eve + timedelta(days=7), law["春节"]))
    may1 = date(year, 5, 1)
    first = may1 - timedelta(days={6: 1, 0: 2}.get(may1.weekday(), 0))
    blocks.append(("劳动节", first, first + timedelta(days=4), law["劳动节"]))
    mid = law["中秋节"][0]
    oct1 = date(year, 10, 1)
    if oct1 <= mid <= date(year, 10, 8):
        blocks.append(("国庆节、中秋节", oct1, oct1 + timedelta(days=7),
                       law["国庆节"] + law["中秋节"]))
    elif date(year, 9, 28) <= mid < oct1:
        blocks.append(("中秋节、国庆节", mid, mid + timedelta(days=7),
                       law["中秋节"] + law["国庆节"]))
    else:
        first, last = _three_days(mid)
        blocks.append(("中秋节", first, last, law["中秋节"]))
        blocks.append(("国庆节", oct1, oct1 + timedelta(days=6), law["国庆节"]))
    return sorted(blocks, key=lambda b: b[1])


def _weekend_near(start: date, step: int, taken: set[date]) -> date:
    day = start
    while True:
        day += timedelta(days=step)
        if day.weekday() >= 5 and day not in taken:
            return day


@cache
def _arrangements(year: int) -> tuple[Arrangement, ...]:
    blocks = _blocks(year)
    rest: set[date] = set()
    for _, first, last, _law in blocks:
        rest.update(first + timedelta(days=i) for i in range((last - first).days + 1))
    taken = set(rest)
    out = []
    for name, first, last, law in blocks:
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        weekdays = sum(1 for d in days if d.weekday() < 5)
        need = max(0, weekdays - len(law))
        chosen: list[date] = []
        before, after = first, last
        while len(chosen) < need:
            b = _weekend_near(before, -1, taken)
            a = _weekend_near(after, 1, taken)
            if need - len(chosen) == 1 and not chosen:
                pick = b if (first - b) <= (a - last) else a
            else:  # one before and one after in turn
                pick = b if len(chosen) % 2 == 0 else a
            chosen.append(pick)
            taken.add(pick)
            before, after = (pick, after) if pick < first else (before, pick)
        out.append(Arrangement(name, first, last, law, tuple(sorted(chosen))))
    return tuple(out)


@cache
def provisional_year(year: int) -> ProvisionalYear:
    """The provisional calendar of ``year`` under :data:`RULES_VERSION` (a pure function).

    The blocks of ``year`` and of the next year are computed (元旦 may start in late
    December, and its make-up day may fall there); the days in ``year`` are kept.
    """
    holidays: set[date] = set()
    workdays: set[date] = set()
    for y in (year, year + 1):
        for arr in _arrangements(y):
            holidays.update(d for d in arr.days() if d.year == year and d.weekday() < 5)
            workdays.update(d for d in arr.workdays if d.year == year)
    return ProvisionalYear(year, frozenset(holidays), frozenset(workdays),
                           tuple(a for a in _arrangements(year)))


# -------------------------------------------------------------------- backtest


@dataclass(frozen=True)
class Difference:
    day: date
    official: str  # "rest" or "work"
    provisional: str

    def __str__(self) -> str:
        names = {"rest": "rest day", "work": "working day"}
        return (f"{self.day.isoformat()} ({self.day.strftime('%a')}): official "
                f"{names[self.official]}, provisional {names[self.provisional]}")

    def to_dict(self) -> dict[str, str]:
        return {"date": self.day.isoformat(), "official": self.official,
                "provisional": self.provisional}


def backtest(year: int, holidays: frozenset[date] | set[date],
             workdays: frozenset[date] | set[date]) -> list[Difference]:
    """Day-by-day differences between the provisional rules and official data for ``year``
    (``holidays``: official weekday rest days; ``workdays``: official weekend working days)."""
    prov = provisional_year(year)
    out = []
    day = date(year, 1, 1)
    while day.year == year:
        official = _kind(day, holidays, workdays)
        guess = _kind(day, prov.holidays, prov.workdays)
        if official != guess:
            out.append(Difference(day, official, guess))
        day += timedelta(days=1)
    return out


def _kind(day: date, holidays: Any, workdays: Any) -> str:
    if day in workdays:
        return "work"
    return "work" if day.weekday() < 5 and day not in holidays else "rest"
