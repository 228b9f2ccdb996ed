"""Provisional calendars (years without official data), strict refusal and planning mode."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenderflow.domain.calendar import (
    PlanningCalendar,
    WorkingDayCalendar,
)
from tenderflow.domain.calendar_provisional import (
    RULES_VERSION,
    backtest,
    lunar_new_year,
    provisional_year,
    statutory_days,
)
from tenderflow.errors import (
    CalendarMissingYear,
    CalendarProvisional,
    CheckFailed,
    InputError,
)
from tenderflow.workflow.calendars import default_calendar


def D(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture(scope="module")
def cal() -> WorkingDayCalendar:
    return default_calendar()


def official(cal: WorkingDayCalendar, year: int) -> tuple[set[date], set[date]]:
    data = cal.year_data(year)
    return set(data["holidays"]), set(data["workdays"])


# ---------------------------------------------------------------- statutory days and lunar dates


def test_statutory_days_2025_rules() -> None:
    law = statutory_days(2025)
    assert law["春节"] == (D("2025-01-28"), D("2025-01-29"), D("2025-01-30"), D("2025-01-31"))
    assert law["劳动节"] == (D("2025-05-01"), D("2025-05-02"))
    assert law["清明节"] == (D("2025-04-04"),)
    assert law["端午节"] == (D("2025-05-31"),)
    assert law["中秋节"] == (D("2025-10-06"),)
    assert law["国庆节"] == (D("2025-10-01"), D("2025-10-02"), D("2025-10-03"))


def test_statutory_days_before_2025() -> None:
    law = statutory_days(2024)
    assert law["春节"] == (D("2024-02-10"), D("2024-02-11"), D("2024-02-12"))  # 初一–初三
    assert law["劳动节"] == (D("2024-05-01"),)
    assert statutory_days(2010)["春节"][0] == D("2010-02-13")  # 2008–2013: from 除夕
    assert "清明节" not in statutory_days(2007)


# ---------------------------------------------------------------- the provisional year 2027


def test_provisional_2027_follows_the_2025_principles() -> None:
    p = provisional_year(2027)
    blocks = {a.name: a for a in p.arrangements}
    eve = lunar_new_year(2027) - timedelta(days=1)
    assert eve == D("2027-02-05")
    spring = blocks["春节"]
    assert (spring.first, spring.last) == (eve, eve + timedelta(days=7))  # from 除夕, 8 days
    assert spring.workdays == (D("2027-01-31"), D("2027-02-13"))  # Sun before, Sat after
    national = blocks["国庆节"]
    assert (national.first, national.last) == (D("2027-10-01"), D("2027-10-07"))
    assert national.workdays == (D("2027-09-26"), D("2027-10-09"))
    labour = blocks["劳动节"]
    assert (labour.first, labour.last) == (D("2027-05-01"), D("2027-05-05"))
    assert (blocks["元旦"].first, blocks["元旦"].last) == (D("2027-01-01"), D("2027-01-03"))
    assert blocks["端午节"].first == blocks["端午节"].last == D("2027-06-09")  # a Wednesday
    assert blocks["中秋节"].first == blocks["中秋节"].last == D("2027-09-15")  # a Wednesday
    assert p.rules == RULES_VERSION
    for d in p.holidays:
        assert d.weekday() < 5 and d.year == 2027
    for d in p.workdays:
        assert d.weekday() >= 5 and d.year == 2027


def test_mid_autumn_joins_national_day_into_8_days() -> None:
    # 2028: 中秋 10-03 → 10-01..10-08 merged
    blocks = {a.name: a for a in provisional_year(2028).arrangements}
    merged = blocks["国庆节、中秋节"]
    assert (merged.first, merged.last) == (D("2028-10-01"), D("2028-10-08"))
    assert len(merged.statutory) == 4


# ---------------------------------------------------------------- backtest


def test_backtest_2025_is_exact(cal: WorkingDayCalendar) -> None:
    assert backtest(2025, *official(cal, 2025)) == []


def test_backtest_2026_misses_only_the_spring_festival_start(cal: WorkingDayCalendar) -> None:
    # 2026's 春节 started on 腊月二十八 (Sun 2-15), 9 days, not from 除夕: the make-up day
    # before it is Sat 2-14 where the rules say Sun 2-15. Every other day agrees.
    diffs = backtest(2026, *official(cal, 2026))
    assert [(d.day, d.official, d.provisional) for d in diffs] == [
        (D("2026-02-14"), "work", "rest"), (D("2026-02-15"), "rest", "work")]


# ---------------------------------------------------------------- strict and planning


def test_a_decision_on_a_provisional_day_is_refused(cal: WorkingDayCalendar) -> None:
    with pytest.raises(CalendarProvisional) as info:
        cal.period_end(D("2026-12-20"), 20, "days")
    err = info.value
    assert isinstance(err, CheckFailed) and isinstance(err, CalendarMissingYear)
    assert err.exit_code == 1
    assert err.year == 2027
    assert err.to_dict()["rule"] == "calendar.provisional"
    assert err.message.startswith("2027 has only a provisional calendar")
    assert "import the State Council's notice for 2027 (tenderflow calendar import " \
           "NOTICE.txt)" in err.message
    # official years are unchanged
    assert cal.period_end(D("2026-09-10"), 20, "days") == D("2026-09-30")


def test_planning_mode_counts_on_provisional_days_and_marks_them(cal: WorkingDayCalendar
                                                                 ) -> None:
    plan = cal.planning()
    assert isinstance(plan, PlanningCalendar)
    assert plan.provisional_used == set()
    assert plan.period_end(D("2026-09-10"), 20, "days") == D("2026-09-30")
    assert plan.provisional_used == set()  # official days only
    # 2026-12-20 + 20 日 = Sat 2027-01-09 → Mon 2027-01-11
    assert plan.period_end(D("2026-12-20"), 20, "days") == D("2027-01-11")
    assert plan.provisional_used == {2027}
    # across the provisional 春节 2027: Fri 2-05 to Fri 2-12 off, Sat 2-13 worked
    assert plan.add_working_days(D("2027-02-04"), 1) == D("2027-02-13")
    assert not plan.is_working_day(D("2027-02-08"))
    assert plan.working_days_after(D("2027-02-04"), D("2027-02-15")) == 2
    # a fresh planning view starts with nothing used; the base calendar is untouched
    assert cal.planning().provisional_used == set()
    with pytest.raises(CalendarProvisional):
        cal.is_working_day(D("2027-02-13"))
    # years before the data, disputed years and years past the span stay missing
    for day in ("2003-06-02", "2005-06-01", "2100-06-01"):
        with pytest.raises(CalendarMissingYear) as info:
            plan.is_working_day(D(day))
        assert not isinstance(info.value, CalendarProvisional)
    assert plan.to_data() == cal.to_data()
    assert plan.content_hash() == cal.content_hash()


def test_kinds_and_sources(cal: WorkingDayCalendar) -> None:
    assert cal.kind_of(2024) == "package"
    assert cal.kind_of(2027) == "provisional"
    assert cal.kind_of(2005) == "disputed"
    assert cal.kind_of(2003) == "missing"
    assert "国办发明电〔2024〕12号" in cal.source_of(2027)
    assert cal.is_provisional(2099) and not cal.is_provisional(2100)


# ---------------------------------------------------------------- pinning


def test_to_data_pins_the_rules_version_not_the_days(cal: WorkingDayCalendar) -> None:
    before = cal.to_data()
    cal.planning().is_working_day(D("2031-03-03"))  # touching a year changes nothing
    data = cal.to_data()
    assert data == before
    assert data["provisional"] == {"rules": RULES_VERSION, "first": 2027, "last": 2099}
    assert "2027" not in data
    rebuilt = WorkingDayCalendar.from_data(json.loads(json.dumps(data)))
    assert rebuilt == cal
    assert rebuilt.content_hash() == cal.content_hash()
    assert rebuilt.planning().period_end(D("2026-12-20"), 20, "days") == D("2027-01-11")
    with pytest.raises(CalendarProvisional):
        rebuilt.period_end(D("2026-12-20"), 20, "days")


@pytest.mark.parametrize("bad", [
    {"rules": "someone-else", "first": 2027, "last": 2099},
    {"rules": RULES_VERSION, "first": "2027", "last": 2099},
    {"rules": RULES_VERSION, "first": 2027},
    [],
])
def test_from_data_refuses_a_bad_provisional_entry(bad: object) -> None:
    with pytest.raises(InputError):
        WorkingDayCalendar.from_data({"provisional": bad})


def test_an_imported_year_replaces_provisional_data_and_changes_the_hash(
        cal: WorkingDayCalendar) -> None:
    p = provisional_year(2027)
    same = cal.with_imported({2027: ({"holidays": p.holidays, "workdays": p.workdays},
                                     "test notice")})
    assert same.kind_of(2027) == "imported"
    assert same.is_working_day(D("2027-02-13"))  # official now: decisions may use it
    assert same.content_hash() != cal.content_hash()
    assert WorkingDayCalendar.from_data(same.to_data()) == same
    # an imported year that only repeats package data leaves the hash alone
    h, w = official(cal, 2025)
    again = cal.with_imported({2025: ({"holidays": h, "workdays": w}, "国办发明电〔2024〕12号")})
    assert again.content_hash() == cal.content_hash()
    assert again.kind_of(2025) == "imported"
    # ... one that differs changes it
    changed = cal.with_imported({2025: ({"holidays": h - {D("2025-10-08")}, "workdays": w},
                                        "test")})
    assert changed.content_hash() != cal.content_hash()
    assert any("2025: imported notice" in line for line in changed.cross_check())


# ---------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None, database=None)
@given(year=st.integers(min_value=2027, max_value=2099))
def test_every_provisional_year_keeps_the_principles(year: int) -> None:
    p = provisional_year(year)
    assert all(d.weekday() < 5 for d in p.holidays)
    assert all(d.weekday() >= 5 for d in p.workdays)
    assert not p.holidays & p.workdays
    blocks = {a.name: a for a in p.arrangements}
    rest = {d for a in p.arrangements for d in a.days()}
    for name, days in statutory_days(year).items():
        assert all(d in rest for d in days), (year, name)
    spring = blocks["春节"]
    assert spring.first == lunar_new_year(year) - timedelta(days=1)
    assert (spring.last - spring.first).days == 7
    national = next(a for n, a in blocks.items() if "国庆节" in n)
    assert (national.last - national.first).days in (6, 7)
    # each block's weekdays beyond its statutory days are paid back by make-up days
    for a in p.arrangements:
        weekdays = sum(1 for d in a.days() if d.weekday() < 5)
        assert len(a.workdays) == max(0, weekdays - len(a.statutory)), (year, a.name)
    # a planning calendar agrees with the generated data, day by day
    plan = default_calendar().planning()
    day = date(year, 1, 1)
    while day.year == year:
        expected = day in p.workdays or (day.weekday() < 5 and day not in p.holidays)
        assert plan.is_working_day(day) == expected
        day += timedelta(days=1)
    assert plan.provisional_used == {year}
