"""Runs features/calendar/: a provisional year refuses a decision naming the import command, a
missing or disputed year is refused naming the year and the override file;
an imported notice makes the year official. Shared steps are in conftest.py; the steps here
import a notice and look at the calendar the services decide with. The recording clock is
set in 2027 so that the scenario's late-2026 business times can be recorded on any day."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tenderflow.errors import CalendarMissingYear
from tests.bdd.conftest import World
from tests.calendar.conftest import NOTICES, fix_recording_clock
from tests.modes.journeys import register_modes_data

scenarios("calendar")


@pytest.fixture(autouse=True)
def _clock_2027(monkeypatch: pytest.MonkeyPatch) -> None:
    fix_recording_clock(monkeypatch)


@given("已登记示例项目、供应商和实施主体")
def _modes_data(world: World) -> None:
    register_modes_data(world.services)


@given(parsers.parse('已导入放假通知 "{name}"'))
def _imported(world: World, name: str) -> None:
    from tenderflow.app.calendar import import_notice
    from tenderflow.app.common import parse_time

    text = (NOTICES / name).read_text(encoding="utf-8")
    result = import_notice(world.services, text, name, "staff:wang",
                           parse_time("2026-12-18T09:30+08:00"))
    assert result["imported"], result


@then(parsers.parse('被规则 "{rule}" 拒绝，指出 "{text}"'))
def _refused_naming(world: World, rule: str, text: str) -> None:
    err = world.error
    assert isinstance(err, CalendarMissingYear), f"not refused: {world.result}"
    assert err.exit_code == 1
    assert err.to_dict()["rule"] == rule
    assert text in err.message, err.message
    assert world.count() == world.events_before, "a refused decision must write nothing"


@then(parsers.parse('拒绝理由包含 "{text}"'))
def _reason_contains(world: World, text: str) -> None:
    assert world.error is not None and text in world.error.message


def _calendar(world: World) -> Any:
    from tenderflow.app.procurement import load_calendar

    with world.services.store.reading() as tx:
        return load_calendar(tx)


@then(parsers.parse('2027年的日历是临时日历，春节自 "{first}" 起放假8天'))
def _provisional(world: World, first: str) -> None:
    cal = _calendar(world)
    assert cal.kind_of(2027) == "provisional"
    plan = cal.planning()
    start = date.fromisoformat(first)
    assert plan.is_working_day(date(2027, 2, 4))
    assert plan.add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 13)
    assert not plan.is_working_day(start)
    assert plan.provisional_used == {2027}


@then("2027年的日历是官方日历，来源为导入的通知")
def _official(world: World) -> None:
    cal = _calendar(world)
    assert cal.kind_of(2027) == "imported"
    assert "国务院办公厅关于2027年部分节假日安排的通知" in cal.source_of(2027)
    assert cal.is_working_day(date(2027, 2, 13))


@when(parsers.parse("查看 {year:d} 年的工作日历"))
def _show_year(world: World, year: int) -> None:
    from tenderflow.app.calendar import year_view
    from tenderflow.errors import TenderflowError

    world.error = None
    world.events_before = world.count()
    try:
        world.result = year_view(world.services.store, year)
    except TenderflowError as exc:
        world.error = exc


@then(parsers.parse('{year:d} 年是官方日历，来源为 "{kind}"'))
def _official_year(world: World, year: int, kind: str) -> None:
    assert world.error is None, world.error.message
    assert world.result["year"] == year and world.result["official"] is True
    assert world.result["kind"] == kind
