"""Runs features/time/: business time is ordered and bounded, late entries state their reason
and submissions recorded after their deadline name their receipt (tenderflow.domain.entry).
The time of recording is the feature's own clock, so the boundaries hold on any day."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then

from tenderflow.errors import BusinessTimeError, LateEntryRefused
from tests.bdd.conftest import World
from tests.modes.journeys import register_modes_data, walk_to

scenarios("time")


@given("已登记示例项目、供应商和实施主体")
def _modes_data(world: World) -> None:
    register_modes_data(world.services)


@given(parsers.parse('{journey}"{pid}" 已进行到 "{state}"'))
def _walked(world: World, journey: str, pid: str, state: str) -> None:
    walk_to(world.services, journey.strip(), pid, state)


@then(parsers.parse('录入结果为 "{outcome}"'))
def _outcome(world: World, outcome: str) -> None:
    """"接受", or "拒绝:<option>": refused as bad input naming the option, nothing written."""
    if outcome == "接受":
        assert world.error is None, world.error and world.error.message
        return
    option = outcome.split(":", 1)[1]
    assert isinstance(world.error, (LateEntryRefused, BusinessTimeError)), \
        f"expected a refusal naming {option}, got {world.error!r} / {world.result}"
    assert world.error.exit_code == 2
    assert world.error.context.get("field") == option, world.error.message
    assert world.count() == world.events_before, "a refused step must write nothing"


@then(parsers.parse('"{pid}" 列明的补录为 "{listed}"'))
def _late_listed(world: World, pid: str, listed: str) -> None:
    late = world.services.status(pid)["late_entries"]
    ours = [e for e in late if e["type"] != "ProcurementCreated"]
    if listed == "无":
        assert ours == [], ours
    else:
        assert [e["reason"] for e in ours] == [listed]
