"""Reading the State Council's holiday notices as published (tenderflow calendar import)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenderflow.domain.calendar_notice import parse_notice
from tenderflow.errors import InputError
from tenderflow.workflow.calendars import default_calendar

# The texts of shared/data/calendar-notices, copied with their SOURCE.md (official documents).
NOTICES = Path(__file__).resolve().parents[1] / "calendar" / "notices"
YEARS = (2017, 2024, 2025, 2026)


def text(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def line_of(body: str, needle: str) -> int:
    return next(i + 1 for i, line in enumerate(body.splitlines()) if needle in line)


@pytest.mark.parametrize("year", YEARS)
def test_each_shared_notice_is_exactly_the_package_data(year: int) -> None:
    import chinese_calendar

    notice = parse_notice(text(year), f"{year}.txt")
    assert notice.year == year
    package = default_calendar().year_data(year)
    assert sorted(notice.holidays) == package["holidays"]
    assert sorted(notice.workdays) == package["workdays"]
    # day by day, against chinesecalendar itself
    day = date(year, 1, 1)
    while day.year == year:
        working = day in notice.workdays or (day.weekday() < 5 and day not in notice.holidays)
        assert working == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_number_date_and_source() -> None:
    n2025 = parse_notice(text(2025), "2025.txt")
    assert n2025.number == "国办发明电〔2024〕12号"
    assert n2025.date == date(2024, 11, 12)
    assert n2025.source == "国办发明电〔2024〕12号 (2024-11-12)"
    n2026 = parse_notice(text(2026), "2026.txt")
    assert n2026.number is None  # the 2026 text carries no number
    assert n2026.source == "国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)"
    assert len(n2026.sha256) == 64


def test_2024_encouragement_to_rest_on_new_years_eve_is_no_holiday() -> None:
    notice = parse_notice(text(2024), "2024.txt")
    assert date(2024, 2, 9) not in notice.holidays


def test_2017_bu_xiu_and_weekend_alone() -> None:
    notice = parse_notice(text(2017), "2017.txt")
    assert date(2017, 1, 2) in notice.holidays  # 1月2日（星期一）补休
    assert date(2017, 5, 1) in notice.holidays  # 与周末连休
    assert date(2017, 9, 30) in notice.workdays


MANGLED = [
    # (year, replace, by, line containing, words)
    (2025, "共8天。1月26日", "共7天。1月26日", "二、春节", "is 8 day(s), the notice says 7"),
    (2024, "4月28日（星期日）", "4月30日（星期二）", "四、劳动节", "not a weekend day"),
    (2017, "9月30日（星期六）上班", "10月10日（星期二）上班", "六、中秋节",
     "not a weekend day"),
    (2025, "至6日（周日）放假，共3天。", "至6日（周日）放假，共3", "三、清明节", "truncated"),
    (2025, "1月26日（周日）", "1月26日（周一）", "二、春节", "the notice says 周一"),
    (2025, "（农历除夕、周二）", "（农历正月初一、周二）", "二、春节", "not 农历正月初一"),
    (2026, "10月1日（周四）至7日（周三）放假调休，共7天", "10月2日（周五）至7日（周三）放假调休，共6天",
     "七、国庆节", "statutory day(s) of 国庆节 2026-10-01"),
    (2024, "五、端午节", "五、端五节", "五、端五节", "unknown festival"),
    (2024, "六、中秋节", "七、中秋节", "七、中秋节", "was expected"),
    (2025, "放假调休，共5天", "放假调休，共五天", "四、劳动节", "cannot read"),
]


@pytest.mark.parametrize(("year", "old", "new", "where", "words"), MANGLED)
def test_a_mangled_notice_is_refused_naming_the_line(year: int, old: str, new: str, where: str,
                                                     words: str) -> None:
    body = text(year)
    assert old in body
    mangled = body.replace(old, new, 1)
    with pytest.raises(InputError) as info:
        parse_notice(mangled, f"{year}.txt")
    err = info.value
    assert err.context["file"] == f"{year}.txt"
    assert err.context["location"] == f"line {line_of(mangled, where)}", err.message
    assert words in err.message
    assert err.exit_code == 2


def test_a_missing_festival_is_refused() -> None:
    body = "\n".join(line for line in text(2024).splitlines() if not line.startswith("五、"))
    body = body.replace("六、中秋节", "五、中秋节").replace("七、国庆节", "六、国庆节")
    with pytest.raises(InputError, match="no arrangement for 端午节"):
        parse_notice(body, "x.txt")


def test_a_truncated_file_is_refused() -> None:
    body = text(2025)
    cut = body[: body.index("节假日期间")]
    with pytest.raises(InputError, match="ends before its signature"):
        parse_notice(cut, "x.txt")


def test_not_a_notice_is_refused() -> None:
    with pytest.raises(InputError, match="line 1: .*not the title"):
        parse_notice("hello\n", "x.txt")
    with pytest.raises(InputError, match="empty"):
        parse_notice("\n\n", "x.txt")


def test_a_date_in_another_year_is_refused() -> None:
    body = text(2024).replace("4月7日（星期日）上班", "2023年12月31日（星期日）上班")
    with pytest.raises(InputError, match="not in 2024"):
        parse_notice(body, "x.txt")


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(year=st.sampled_from(YEARS), data=st.data())
def test_any_cut_or_dropped_line_is_read_or_refused_cleanly(year: int, data: st.DataObject
                                                             ) -> None:
    """Whatever is cut from a notice, the parser either reads it or refuses it with an
    InputError naming a line (never another exception)."""
    lines = text(year).splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    how = data.draw(st.sampled_from(["drop", "cut"]))
    if how == "drop":
        del lines[i]
    else:
        lines[i] = lines[i][: data.draw(st.integers(0, max(0, len(lines[i]) - 1)))]
    try:
        notice = parse_notice("\n".join(lines), "x.txt")
    except InputError as exc:
        assert exc.context["file"] == "x.txt"
        assert exc.context["location"]
        return
    # read: then it still has every statutory day and only weekend make-up days
    assert all(d.weekday() >= 5 for d in notice.workdays)
    assert all(d.weekday() < 5 for d in notice.holidays)
