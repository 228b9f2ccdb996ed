"""China's official working-day calendar: 法定节假日, 调休, period ends (民法典 201/203)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenderflow.domain.calendar import (
    CalendarDisputedYear,
    WorkingDayCalendar,
)
from tenderflow.errors import CalendarMissingYear, CalendarProvisional, InputError
from tenderflow.workflow.calendars import default_calendar, load_calendar

README = Path(__file__).resolve().parents[2] / "workflows" / "calendars" / "README.md"


@pytest.fixture(scope="module")
def cal() -> WorkingDayCalendar:
    return default_calendar()


def D(text: str) -> date:
    return date.fromisoformat(text)


def days(first: str, last: str) -> list[date]:
    a, b = D(first), D(last)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


# ---------------------------------------------------------------- real holidays and 调休


def test_package_years_are_covered(cal: WorkingDayCalendar) -> None:
    assert cal.years[0] == 2004
    assert set(range(2006, 2027)) <= set(cal.years)
    assert cal.source_of(2024).startswith("chinesecalendar")


def test_spring_festival_2023(cal: WorkingDayCalendar) -> None:
    # 春节 2023: 1-21 (Sat) to 1-27 (Fri) off; Sat 1-28 and Sun 1-29 worked.
    assert not any(cal.is_working_day(d) for d in days("2023-01-21", "2023-01-27"))
    assert cal.is_working_day(D("2023-01-20"))  # Friday before
    assert cal.is_working_day(D("2023-01-28"))  # Saturday, make-up
    assert cal.is_working_day(D("2023-01-29"))  # Sunday, make-up
    assert cal.is_working_day(D("2023-01-30"))


def test_spring_festival_2024(cal: WorkingDayCalendar) -> None:
    # 春节 2024: 2-10 (Sat) to 2-17 (Sat) off; Sun 2-04 and Sun 2-18 worked; 除夕 2-09 worked.
    assert not any(cal.is_working_day(d) for d in days("2024-02-10", "2024-02-17"))
    assert cal.is_working_day(D("2024-02-04"))
    assert cal.is_working_day(D("2024-02-09"))
    assert cal.is_working_day(D("2024-02-18"))
    assert not cal.is_working_day(D("2024-02-03"))  # ordinary Saturday
    assert not cal.is_working_day(D("2024-02-24"))  # ordinary Saturday


def test_national_day_2023(cal: WorkingDayCalendar) -> None:
    # 中秋 + 国庆 2023: 9-29 (Fri) to 10-06 (Fri) off; Sat 10-07 and Sun 10-08 worked.
    assert not any(cal.is_working_day(d) for d in days("2023-09-29", "2023-10-06"))
    assert cal.is_working_day(D("2023-09-28"))
    assert cal.is_working_day(D("2023-10-07"))
    assert cal.is_working_day(D("2023-10-08"))
    assert not cal.is_working_day(D("2023-10-14"))  # ordinary Saturday


def test_national_day_2024(cal: WorkingDayCalendar) -> None:
    # 国庆 2024: 10-01 to 10-07 off; Sun 9-29 and Sat 10-12 worked.
    assert not any(cal.is_working_day(d) for d in days("2024-10-01", "2024-10-07"))
    assert cal.is_working_day(D("2024-09-29"))
    assert cal.is_working_day(D("2024-09-30"))
    assert cal.is_working_day(D("2024-10-12"))
    assert not cal.is_working_day(D("2024-09-28"))  # ordinary Saturday
    assert not cal.is_working_day(D("2024-10-13"))  # ordinary Sunday


def test_year_data_has_the_expected_shape(cal: WorkingDayCalendar) -> None:
    data = cal.to_data()["2024"]
    assert data["workdays"] == ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28",
                                "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"]
    assert "2024-10-07" in data["holidays"]
    assert "2024-10-05" not in data["holidays"]  # a Saturday: rest day anyway, not listed


# ---------------------------------------------------------------- add_working_days


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # From an ordinary Saturday: Monday is the first working day (find_workday says Tuesday).
        ("2024-03-02", 1, "2024-03-04"),
        ("2024-03-02", 5, "2024-03-08"),
        ("2024-03-03", 1, "2024-03-04"),
        # From a working day: the start itself is never counted.
        ("2024-03-04", 1, "2024-03-05"),
        ("2024-03-04", 5, "2024-03-11"),
        # From a Saturday whose Sunday is a make-up working day.
        ("2024-02-03", 1, "2024-02-04"),
        # From a make-up working day (Sunday 2-04): start excluded as well.
        ("2024-02-04", 1, "2024-02-05"),
        # Across Spring Festival 2024: Fri 2-09, then holidays to 2-17, Sun 2-18 worked.
        ("2024-02-08", 1, "2024-02-09"),
        ("2024-02-08", 2, "2024-02-18"),
        ("2024-02-09", 1, "2024-02-18"),
        ("2024-02-09", 2, "2024-02-19"),
        # Across Spring Festival 2023.
        ("2023-01-20", 1, "2023-01-28"),
        ("2023-01-20", 3, "2023-01-30"),
        # Across National Day 2023 and 2024.
        ("2023-09-28", 1, "2023-10-07"),
        ("2023-09-28", 2, "2023-10-08"),
        ("2023-09-28", 3, "2023-10-09"),
        ("2024-09-27", 1, "2024-09-29"),
        ("2024-09-27", 2, "2024-09-30"),
        ("2024-09-27", 3, "2024-10-08"),
        ("2024-10-11", 1, "2024-10-12"),
        ("2024-10-11", 2, "2024-10-14"),
        # Across a year end (2024-12-31 Tue, 2025-01-01 holiday).
        ("2024-12-31", 1, "2025-01-02"),
    ],
)
def test_add_working_days(cal: WorkingDayCalendar, start: str, n: int, expected: str) -> None:
    assert cal.add_working_days(D(start), n) == D(expected)


def test_add_working_days_avoids_the_find_workday_pitfall(cal: WorkingDayCalendar) -> None:
    import chinese_calendar

    saturday = D("2024-03-02")
    # The package's helper is one day late from a Saturday (POLICY "Counting periods").
    assert chinese_calendar.find_workday(1, saturday) == D("2024-03-05")
    assert cal.add_working_days(saturday, 1) == D("2024-03-04")


def test_add_working_days_refuses_nonsense(cal: WorkingDayCalendar) -> None:
    for bad in (0, -1):
        with pytest.raises(ValueError):
            cal.add_working_days(D("2024-03-04"), bad)


def test_working_days_after(cal: WorkingDayCalendar) -> None:
    # (2024-09-28, 2024-10-12]: 9-29, 9-30, 10-08, 10-09, 10-10, 10-11, 10-12.
    assert cal.working_days_after(D("2024-09-28"), D("2024-10-12")) == 7
    assert cal.working_days_after(D("2024-02-09"), D("2024-02-17")) == 0
    assert cal.working_days_after(D("2024-02-09"), D("2024-02-18")) == 1
    assert cal.working_days_after(D("2024-03-04"), D("2024-03-04")) == 0
    assert cal.working_days_after(D("2024-03-05"), D("2024-03-04")) == 0


# ---------------------------------------------------------------- period_end


def test_period_end_days_policy_example(cal: WorkingDayCalendar) -> None:
    # Tender documents issued 2023-03-01, at least 20 日 → earliest bid deadline 2023-03-21.
    assert cal.period_end(D("2023-03-01"), 20, "days") == D("2023-03-21")


def test_period_end_on_a_sunday_moves_to_monday(cal: WorkingDayCalendar) -> None:
    assert cal.period_end(D("2023-03-01"), 18, "days") == D("2023-03-20")


def test_period_end_in_national_day_moves_to_make_up_saturday(cal: WorkingDayCalendar) -> None:
    # 2023-09-10 + 20 日 = Sat 2023-09-30, inside 9-29..10-06; Sat 10-07 is a make-up workday.
    assert cal.period_end(D("2023-09-10"), 20, "days") == D("2023-10-07")


def test_period_end_in_spring_festival_2024(cal: WorkingDayCalendar) -> None:
    # 2024-01-22 + 20 日 = Sun 2024-02-11 (春节); next working day is Sun 2-18 (make-up).
    assert cal.period_end(D("2024-01-22"), 20, "days") == D("2024-02-18")


def test_period_end_on_a_make_up_day_stays(cal: WorkingDayCalendar) -> None:
    # 2024-09-19 + 10 日 = Sun 2024-09-29, a make-up working day: the period ends there.
    assert cal.period_end(D("2024-09-19"), 10, "days") == D("2024-09-29")


def test_period_end_working_days(cal: WorkingDayCalendar) -> None:
    assert cal.period_end(D("2024-09-27"), 3, "working_days") == D("2024-10-08")
    assert cal.period_end(D("2023-03-01"), 20, "working_days") == D("2023-03-29")


def test_period_end_refuses_unknown_unit(cal: WorkingDayCalendar) -> None:
    with pytest.raises(ValueError, match="unit"):
        cal.period_end(D("2023-03-01"), 20, "weeks")


# ---------------------------------------------------------------- missing years


def test_missing_year_before_data(cal: WorkingDayCalendar) -> None:
    with pytest.raises(CalendarMissingYear, match="2003") as info:
        cal.is_working_day(D("2003-12-31"))
    assert info.value.year == 2003
    assert not isinstance(info.value, CalendarProvisional)
    assert info.value.exit_code == 1  # a refusal, not bad input (issue 11, item 6)
    assert "workflows/calendars/2003.yaml" in str(info.value)
    with pytest.raises(CalendarMissingYear, match="2003"):
        cal.planning().is_working_day(D("2003-12-31"))
    with pytest.raises(CalendarMissingYear, match="2003"):
        cal.add_working_days(D("2003-12-30"), 1)


def test_missing_year_after_data_without_override(tmp_path: Path) -> None:
    cal = load_calendar(tmp_path)
    assert 2027 not in cal.years
    with pytest.raises(CalendarMissingYear, match="2027") as info:
        cal.is_working_day(D("2027-01-04"))
    assert info.value.year == 2027
    # 2027 has a provisional calendar only: a decision is refused, naming the import command.
    assert isinstance(info.value, CalendarProvisional)
    assert info.value.exit_code == 1
    assert info.value.to_dict()["rule"] == "calendar.provisional"
    assert "tenderflow calendar import NOTICE.txt" in str(info.value)
    # Counting across the year end refuses rather than guessing.
    with pytest.raises(CalendarMissingYear, match="2027"):
        cal.add_working_days(D("2026-12-31"), 1)
    with pytest.raises(CalendarMissingYear, match="2027"):
        cal.period_end(D("2026-12-20"), 20, "days")
    with pytest.raises(CalendarMissingYear, match="2027"):
        cal.working_days_after(D("2026-12-20"), D("2027-01-05"))


# ---------------------------------------------------------------- cross-check


def test_cross_check_packages_agree_on_recent_years(cal: WorkingDayCalendar) -> None:
    report = cal.cross_check()
    years_with_differences = {int(line[:4]) for line in report}
    for year in range(2006, 2027):
        assert year not in years_with_differences, report


def test_cross_check_finds_the_2005_disagreement(cal: WorkingDayCalendar) -> None:
    # The 2006 notice (国办发明电〔2005〕35号) made Sat 2005-12-31 a working day;
    # chinesecalendar 1.11.0 lacks it. Versions are pinned in constraints.txt.
    assert cal.cross_check() == ["2005: weekend working days only in holidays(CN): 2005-12-31"]
    assert 2005 not in cal.years
    with pytest.raises(CalendarDisputedYear, match="2005-12-31") as info:
        cal.is_working_day(D("2005-06-01"))
    assert isinstance(info.value, CalendarMissingYear)
    assert info.value.year == 2005


def test_cross_check_of_rebuilt_calendar_compares_packages(cal: WorkingDayCalendar) -> None:
    rebuilt = WorkingDayCalendar.from_data(cal.to_data())
    assert rebuilt.cross_check() == cal.cross_check()


# ---------------------------------------------------------------- override files


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_2030 = """\
year: 2030
source: 国办发明电〔2029〕0号 (fictitious, for tests)
holidays:
  - 2030-01-01
  - "2030-10-01"
  - 2030-10-02
workdays:
  - 2030-10-12
"""


def test_override_for_a_later_year_is_used(tmp_path: Path) -> None:
    write(tmp_path, "2030.yaml", GOOD_2030)
    write(tmp_path, "notes.txt", "ignored: not YAML")
    cal = load_calendar(tmp_path)
    assert cal.years[-1] == 2030
    assert "2030.yaml" in cal.source_of(2030)
    assert "国办发明电〔2029〕0号" in cal.source_of(2030)
    assert not cal.is_working_day(D("2030-01-01"))  # Tuesday, holiday
    assert cal.is_working_day(D("2030-01-02"))
    assert not cal.is_working_day(D("2030-10-02"))
    assert cal.is_working_day(D("2030-10-12"))  # Saturday, make-up
    assert not cal.is_working_day(D("2030-10-13"))
    assert cal.add_working_days(D("2030-09-30"), 1) == D("2030-10-03")
    # The gap before it is still refused.
    with pytest.raises(CalendarMissingYear, match="2029"):
        cal.is_working_day(D("2029-06-01"))
    assert cal.cross_check() == ["2005: weekend working days only in holidays(CN): 2005-12-31"]


def test_override_replaces_package_year_and_is_reported(tmp_path: Path) -> None:
    data = default_calendar().to_data()["2024"]
    holidays = [h for h in data["holidays"] if h != "2024-06-10"]
    write(tmp_path, "2024.yaml", json.dumps(
        {"year": 2024, "source": "test correction", "holidays": holidays,
         "workdays": data["workdays"]}))
    cal = load_calendar(tmp_path)
    assert cal.is_working_day(D("2024-06-10"))
    assert any(line.startswith("2024: override 2024.yaml") and "2024-06-10" in line
               for line in cal.cross_check())


def test_override_resolves_a_disputed_year(tmp_path: Path) -> None:
    import chinese_calendar.constants as cc

    holidays = sorted(d.isoformat() for d in cc.holidays if d.year == 2005 and d.weekday() < 5)
    workdays = sorted(d.isoformat() for d in cc.workdays if d.year == 2005) + ["2005-12-31"]
    write(tmp_path, "2005.yaml", json.dumps(
        {"year": 2005, "source": "国办发明电〔2005〕35号 (12-31 上班)",
         "holidays": holidays, "workdays": workdays}))
    cal = load_calendar(tmp_path)
    assert 2005 in cal.years
    assert cal.is_working_day(D("2005-12-31"))
    assert cal.add_working_days(D("2005-12-30"), 1) == D("2005-12-31")
    assert any("2005: resolved by override 2005.yaml" in line for line in cal.cross_check())


def test_readme_example_is_a_valid_override(tmp_path: Path) -> None:
    block = re.search(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"),
                      re.DOTALL)
    assert block is not None
    write(tmp_path, "2031.yaml", block.group(1))
    cal = load_calendar(tmp_path)
    assert not cal.is_working_day(D("2031-10-07"))
    assert cal.is_working_day(D("2031-10-11"))


BAD_OVERRIDES = [
    # (file name, text, field named in the error, words in the message)
    ("2030.yaml", GOOD_2030 + "notes: hello\n", "notes", "unknown key"),
    ("2030.yaml", GOOD_2030.replace("year: 2030", "year: '2030'"), "year", "not a year"),
    ("2030.yaml", GOOD_2030.replace("year: 2030", "year: true"), "year", "not a year"),
    ("2030.yaml", GOOD_2030.replace("year: 2030", "year: 2031"), "year", "file name"),
    ("2030.yaml", GOOD_2030.replace("source: 国办发明电〔2029〕0号 (fictitious, for tests)",
                                    "source: 7"), "source", "notice"),
    ("2030.yaml", GOOD_2030.replace("source: 国办发明电〔2029〕0号 (fictitious, for tests)\n",
                                    ""), "source", "missing"),
    ("2030.yaml", "year: 2030\nsource: x\nholidays: 2030-01-01\nworkdays: []\n",
     "holidays", "not a list"),
    ("2030.yaml", GOOD_2030.replace("2030-01-01", "2029-12-31"), "holidays", "not in 2030"),
    ("2030.yaml", GOOD_2030.replace("2030-10-12", "2031-01-04"), "workdays", "not in 2030"),
    ("2030.yaml", GOOD_2030.replace("2030-10-02", "2030-10-05"), "holidays", "Saturday"),
    ("2030.yaml", GOOD_2030.replace("2030-10-12", "2030-10-11"), "workdays", "Friday"),
    ("2030.yaml", GOOD_2030.replace("2030-10-02", "'2030-02-30'"), "holidays", "not a date"),
    ("2030.yaml", GOOD_2030.replace("2030-10-02", "'20301002'"), "holidays", "not a date"),
    ("2030.yaml", GOOD_2030.replace("2030-10-02", "2030-10-02T09:00:00"), "holidays",
     "not a date"),
    ("2030.yaml", GOOD_2030.replace("2030-10-02", "2030-01-01"), "holidays", "twice"),
    ("2030.yaml", "- 2030-01-01\n", "(file)", "mapping"),
    ("2030.yaml", "year: [2030\n", "(file)", "YAML"),
    ("2030.yml", GOOD_2030, "file name", "<year>.yaml"),
    ("calendar-2030.yaml", GOOD_2030, "file name", "<year>.yaml"),
]


@pytest.mark.parametrize(("name", "text", "field", "words"), BAD_OVERRIDES)
def test_bad_override_files_name_file_and_field(tmp_path: Path, name: str, text: str,
                                                field: str, words: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(InputError) as info:
        load_calendar(tmp_path)
    err = info.value
    assert err.context["file"] == str(path)
    assert err.context["field"] == field
    assert str(path) in str(err)
    assert words in str(err)


def test_bad_date_error_names_the_list_position(tmp_path: Path) -> None:
    write(tmp_path, "2030.yaml", GOOD_2030.replace("2030-10-02", "2030-10-05"))
    with pytest.raises(InputError) as info:
        load_calendar(tmp_path)
    assert info.value.context["location"] == "holidays[2]"


def test_missing_overrides_dir_means_package_data_only(tmp_path: Path) -> None:
    cal = load_calendar(tmp_path / "absent")
    assert cal == load_calendar(tmp_path)


# ---------------------------------------------------------------- pinning


def test_round_trip_and_stable_hash(cal: WorkingDayCalendar) -> None:
    data = cal.to_data()
    assert list(data) == sorted(data)
    rebuilt = WorkingDayCalendar.from_data(json.loads(json.dumps(data)))
    assert rebuilt == cal
    assert rebuilt.to_data() == data
    assert rebuilt.content_hash() == cal.content_hash()
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert cal.content_hash() == hashlib.sha256(canonical.encode()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", cal.content_hash())
    # Behaviour survives the round trip.
    assert rebuilt.period_end(D("2023-09-10"), 20, "days") == D("2023-10-07")


def test_hash_of_a_small_calendar_is_pinned() -> None:
    small = WorkingDayCalendar.from_data(
        {"2030": {"holidays": ["2030-10-02", "2030-10-01"], "workdays": ["2030-10-12"]}})
    assert small.to_data() == {
        "2030": {"holidays": ["2030-10-01", "2030-10-02"], "workdays": ["2030-10-12"]}}
    text = '{"2030":{"holidays":["2030-10-01","2030-10-02"],"workdays":["2030-10-12"]}}'
    assert small.content_hash() == hashlib.sha256(text.encode()).hexdigest()
    assert small.content_hash() == (
        "d2f27acb2c6dde7e17354d9b811060beb2ae589429b47417854b88973e4bbd19")


def test_changed_data_changes_the_hash(cal: WorkingDayCalendar) -> None:
    data = cal.to_data()
    data["2024"]["workdays"] = data["2024"]["workdays"][1:]
    assert WorkingDayCalendar.from_data(data).content_hash() != cal.content_hash()


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"24": {"holidays": [], "workdays": []}},
        {"2024": {"holidays": []}},
        {"2024": {"holidays": ["2024-10-05"], "workdays": []}},
        {"2024": {"holidays": [], "workdays": ["2024-10-11"]}},
        {"2024": {"holidays": ["2023-10-02"], "workdays": []}},
    ],
)
def test_from_data_refuses_malformed_data(bad: object) -> None:
    with pytest.raises(InputError):
        WorkingDayCalendar.from_data(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- properties

PROPERTY_CAL = default_calendar()
# Covered without gaps from 2006 to 2026; leave room for periods of up to 60 units.
starts = st.dates(min_value=date(2006, 1, 1), max_value=date(2026, 9, 30))
counts = st.integers(min_value=1, max_value=60)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None,
                             suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(start=starts, n=counts)
def test_add_working_days_properties(start: date, n: int) -> None:
    result = PROPERTY_CAL.add_working_days(start, n)
    assert result > start
    assert PROPERTY_CAL.is_working_day(result)
    assert PROPERTY_CAL.working_days_after(start, result) == n
    # The day before the result is still short of n.
    assert PROPERTY_CAL.working_days_after(start, result - timedelta(days=1)) == n - 1


@PROPERTY_SETTINGS
@given(start=starts, n=counts)
def test_period_end_properties(start: date, n: int) -> None:
    end = PROPERTY_CAL.period_end(start, n, "days")
    assert end >= start + timedelta(days=n)
    assert PROPERTY_CAL.is_working_day(end)
    # Every day between the nominal end and the actual end is a rest day.
    day = start + timedelta(days=n)
    while day < end:
        assert not PROPERTY_CAL.is_working_day(day)
        day += timedelta(days=1)
    assert PROPERTY_CAL.period_end(start, n, "working_days") == (
        PROPERTY_CAL.add_working_days(start, n))


@PROPERTY_SETTINGS
@given(d=starts)
def test_is_working_day_matches_chinesecalendar(d: date) -> None:
    import chinese_calendar

    assert PROPERTY_CAL.is_working_day(d) == chinese_calendar.is_workday(d)
