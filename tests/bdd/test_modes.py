"""Runs the policy features of the three modes: features/open_tender/, features/delegation/
and features/periods/. The shared steps are in conftest.py; the steps here bring a
procurement to a state along a standard journey (tests/modes/journeys.py), register extra
projects, re-open a failed procurement and look at ``next`` and ``status``."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, scenarios, then, when

from tenderflow import yamlio
from tenderflow.app.common import parse_time
from tenderflow.errors import TenderflowError
from tests.bdd.conftest import World
from tests.conftest import REGISTERED_AT
from tests.modes.journeys import register_modes_data, run_step, walk_to

scenarios("open_tender", "delegation", "periods")


@given("已登记示例项目、供应商和实施主体")
def _modes_data(world: World) -> None:
    register_modes_data(world.services)


@given("已登记供应商：")
def _supplier(world: World, docstring: str) -> None:
    from tenderflow.app.registration import validate_suppliers

    record = yamlio.safe_load(docstring)
    world.services.register("suppliers", validate_suppliers([("feature", record)], "feature"),
                            "staff:test", parse_time(REGISTERED_AT))


@given(parsers.parse('{journey}"{pid}" 已进行到 "{state}"'))
def _walked(world: World, journey: str, pid: str, state: str) -> None:
    walk_to(world.services, journey.strip(), pid, state)


@given(parsers.parse('{journey}"{pid}"（项目 "{project}"）已进行到 "{state}"'))
def _walked_project(world: World, journey: str, pid: str, project: str, state: str) -> None:
    walk_to(world.services, journey.strip(), pid, state, project=project)


@given(parsers.parse('项目 "{project}" 以 "{mode}" 方式、资格规则 "{ruleset}" 开启采购 "{pid}"，'
                     '时间 "{at}"'))
def _open_with_ruleset(world: World, project: str, mode: str, ruleset: str, pid: str,
                       at: str) -> None:
    world.services.open_procurement(pid, project, mode, "staff:wang", parse_time(at),
                                    {"ruleset": ruleset})


@given(parsers.parse('邀请招标"{pid}" 已开启，项目 "{project}"，时间 "{at}"'))
def _invitation(world: World, pid: str, project: str, at: str) -> None:
    world.services.open_procurement(pid, project, "open_tender", "staff:wang", parse_time(at),
                                    {"variant": "invitation"})


@given(parsers.parse('"{actor}" 于 "{at}" 以 "{mode}" 方式开启 "{new}"，重新采购 "{old}"，'
                     '理由 "{ground}"，批准文号 "{approval}"'))
@when(parsers.parse('"{actor}" 于 "{at}" 以 "{mode}" 方式开启 "{new}"，重新采购 "{old}"，'
                    '理由 "{ground}"，批准文号 "{approval}"'))
def _reopen(world: World, actor: str, at: str, mode: str, new: str, old: str, ground: str,
            approval: str) -> None:
    world.error = None
    world.events_before = world.count()
    project = world.services.state(old)["project"]["id"]
    try:
        world.result = world.services.open_procurement(
            new, project, mode, actor, parse_time(at), reopens=old, ground=ground,
            approval=None if approval == "无" else approval)
    except TenderflowError as exc:
        world.error = exc


@given(parsers.parse('"{suppliers}" 已对 "{pid}" 密封投标'))
def _sealed_bids(world: World, suppliers: str, pid: str) -> None:
    """The suppliers ("无" for none) seal bids of the journey's price and bond, a day apart,
    before a deadline on or after 2023-03-21."""
    if suppliers == "无":
        return
    opened = world.services.state(pid)["deadlines"]["bid_deadline"][:10]
    day = "2023-03-1" if opened <= "2023-03-21" else "2023-04-1"
    for i, sid in enumerate(suppliers.split(",")):
        run_step(world.services, pid, (f"{day}{i}T10:00+08:00", f"supplier:{sid}", "submit_bid",
                                       {"supplier": sid, "price": "11980000.00",
                                        "bond": "252000.00"}))


@given(parsers.parse('"{suppliers}" 已对 "{pid}" 递交响应文件'))
def _responses(world: World, suppliers: str, pid: str) -> None:
    for i, sid in enumerate(suppliers.split(",")):
        world.services.fire(pid, "submit_response", {"supplier": sid}, f"supplier:{sid}",
                            parse_time(f"2023-04-0{6 + i}T10:00+08:00"))


@given(parsers.parse('"{pid}" 的状态为 "{state}"'))
def _state_given(world: World, pid: str, state: str) -> None:
    assert world.services.state(pid)["state"] == state


@when(parsers.parse('查看 "{pid}" 在 "{at}" 的下一步'))
def _next(world: World, pid: str, at: str) -> None:
    world.result = world.services.next(pid, parse_time(at), "staff:wang")


@then(parsers.parse('"{trigger}" 的守卫 "{guard}" 拒绝，开放时间为 "{opens}"'))
def _opens(world: World, trigger: str, guard: str, opens: str) -> None:
    step = next(t for t in world.result["triggers"] if t["trigger"] == trigger)
    result = next(g for g in step["guards"] if g["guard"] == guard)
    assert result["result"] == "refused", result
    assert result["opens_at"] == opens, result


@then(parsers.parse('"{pid}" 的 "{key}" 为 "{value}"'))
def _status_field(world: World, pid: str, key: str, value: str) -> None:
    got: Any = world.services.status(pid)
    for part in key.split("."):
        got = got[int(part)] if isinstance(got, list) else got[part]
    assert str(got) == value, got


@then(parsers.parse('"{pid}" 的记录 "{key}" 为 "{value}"'))
def _state_field(world: World, pid: str, key: str, value: str) -> None:
    got: Any = world.services.state(pid)
    for part in key.split("."):
        got = got[int(part)] if isinstance(got, list) else got[part]
    assert str(got) == value, got


@then(parsers.parse('出错并指出 "{text}"'))
def _error(world: World, text: str) -> None:
    assert world.error is not None, "no error"
    assert text in world.error.message, world.error.message
    assert world.count() == world.events_before
