"""Shared zh-CN steps for the policy features. Steps call application services only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from tenderflow import yamlio
from tenderflow.app.audit import count_events, stream_ids
from tenderflow.app.common import parse_time
from tenderflow.app.fiscal import import_fiscal
from tenderflow.app.procurement import services_for
from tenderflow.app.registration import validate_projects
from tenderflow.errors import CheckFailed, TenderflowError
from tests.conftest import REGISTERED_AT
from tests.credit_lists import import_current

SUPPLIERS = ["S-CDJG", "S-HXJS", "S-SLGC", "S-YXWY"]


class World:
    """What a scenario has done so far."""

    def __init__(self, services: Any) -> None:
        self.services = services
        self.error: TenderflowError | None = None
        self.events_before: int | None = None
        self.result: Any = None
        # The example credit lists are imported as of the day of each eligibility check, as
        # an office does (tests/credit_lists.py); a feature about credit lists themselves
        # turns this off ('信用名单由本场景自行导入') and imports what it shows.
        self.credit_current = True

    def count(self) -> int:
        return count_events(self.services.store)

    def fire(self, pid: str, trigger: str, data: Any, actor: str, at: str) -> None:
        self.error = None
        if trigger in ("check_eligibility", "decide_entrustment") and self.credit_current:
            import_current(self.services, parse_time(at))
        self.events_before = self.count()
        try:
            self.result = self.services.fire(pid, trigger, data, actor, parse_time(at))
        except TenderflowError as exc:
            self.error = exc


@pytest.fixture
def world(registered: Any) -> World:
    return World(registered)


@given(parsers.parse('已登记示例项目和供应商'))
def _registered(world: World) -> None:
    assert stream_ids(world.services.store, "supplier:")


@given(parsers.parse('项目 "{project}" 以 "{mode}" 方式开启采购 "{pid}"，时间 "{at}"'))
def _open(world: World, project: str, mode: str, pid: str, at: str) -> None:
    world.services.open_procurement(pid, project, mode, "staff:wang", parse_time(at))


@given(parsers.parse('"{actor}" 于 "{at}" 对 "{pid}" 触发 "{trigger}"：'))
@when(parsers.parse('"{actor}" 于 "{at}" 对 "{pid}" 触发 "{trigger}"：'))
def _fire_with(world: World, actor: str, at: str, pid: str, trigger: str,
               docstring: str) -> None:
    world.fire(pid, trigger, yamlio.safe_load(docstring), actor, at)


@given(parsers.parse('"{actor}" 于 "{at}" 对 "{pid}" 触发 "{trigger}"'))
@when(parsers.parse('"{actor}" 于 "{at}" 对 "{pid}" 触发 "{trigger}"'))
def _fire(world: World, actor: str, at: str, pid: str, trigger: str) -> None:
    world.fire(pid, trigger, None, actor, at)


@given(parsers.parse('到了 "{at}" 执行计时'))
@when(parsers.parse('到了 "{at}" 执行计时'))
def _tick(world: World, at: str) -> None:
    world.result = world.services.tick(parse_time(at))


@then(parsers.parse('操作成功'))
def _accepted(world: World) -> None:
    assert world.error is None, world.error and world.error.message


@then(parsers.parse('"{pid}" 的状态为 "{state}"'))
def _state_is(world: World, pid: str, state: str) -> None:
    assert world.services.state(pid)["state"] == state


@then(parsers.parse('被规则 "{rule}" 拒绝，依据 "{source}"'))
def _refused_by(world: World, rule: str, source: str) -> None:
    assert isinstance(world.error, CheckFailed), f"not refused: {world.result}"
    refusals = getattr(world.error, "refusals", [])
    hits = [r for r in refusals if rule in (r.rule, r.guard)]
    assert hits, f"refused by {[r.rule for r in refusals]}, not {rule}: {world.error.message}"
    assert source in hits[0].source, hits[0].source
    assert world.count() == world.events_before, "a refused trigger must write nothing"


@then(parsers.parse('结果为 "{outcome}"'))
def _outcome(world: World, outcome: str) -> None:
    """"接受" (accepted) or "拒绝:<rule>" (refused by that rule)."""
    if outcome == "接受":
        assert world.error is None, world.error and world.error.message
    else:
        rule = outcome.split(":", 1)[1]
        assert isinstance(world.error, CheckFailed), f"accepted, expected refusal by {rule}"
        assert rule in {r.rule for r in world.error.refusals} | \
            {r.guard for r in world.error.refusals}, world.error.message
        assert world.count() == world.events_before


# The time of recording is the feature's own clock (tenderflow.app.procurement.Services), so a
# feature about recording late or ahead of time holds on any day it runs.
def _recording(world: World, recorded: str, reason: str, receipt: str = "") -> None:
    at = parse_time(recorded)
    world.services = services_for(world.services.store, late_reason=reason or None,
                                  receipt=receipt or None, recording_clock=lambda: at)


@given(parsers.re(r'录入时间为 "(?P<recorded>[^"]+)"，补录理由为 "(?P<reason>[^"]*)"$'))
def _recorded_at(world: World, recorded: str, reason: str) -> None:
    _recording(world, recorded, reason)


@given(parsers.re(r'录入时间为 "(?P<recorded>[^"]+)"，补录理由为 "(?P<reason>[^"]*)"，'
                  r'签收凭证为 "(?P<receipt>[^"]*)"$'))
def _recorded_with_receipt(world: World, recorded: str, reason: str, receipt: str) -> None:
    _recording(world, recorded, reason, receipt)


# Credit lists (features/eligibility/信用名单时效.feature, features/delegation/政府委托.feature)
@given(parsers.parse('信用名单由本场景自行导入'))
def _credit_by_scenario(world: World) -> None:
    world.credit_current = False


@given(parsers.parse('于 "{at}" 导入截至 "{as_of}" 的信用名单 "{lists}"'))
def _credit_as_of(world: World, at: str, as_of: str, lists: str) -> None:
    from datetime import date

    from tenderflow.app.eligibility import import_credit_lists
    from tenderflow.paths import examples_dir

    names = [n.strip() for n in lists.split(",")]
    import_credit_lists(world.services, examples_dir() / "data" / "credit_lists.csv",
                        "staff:wang", parse_time(at), date.fromisoformat(as_of), names)


@given("已登记项目：")
def _project(world: World, docstring: str) -> None:
    from tenderflow.app.registration import validate_projects

    record = yamlio.safe_load(docstring)
    world.services.register("projects", validate_projects([("feature", record)], "feature"),
                            "staff:test", parse_time(REGISTERED_AT))


# Funding and the PPP fiscal checks (features/project/资金计划.feature, PPP财政承受能力.feature;
# run by tests/bdd/test_project.py with the other project features): a project registered with
# one scope item of the given cost, taken to ``filed`` through the intake's own steps; a
# region's budget and commitments registered with the fiscal import service.
PARTIES = (("district", "某区住房和城乡建设委员会", "韩某"),
           ("subdistrict", "某街道办事处", "孟某"),
           ("community", "某社区居民委员会", "齐某"))


@given(parsers.parse('已登记改造项目 "{pid}"，总投资 "{total}" 元，财政区划 "{region}"'))
def _renovation_project(world: World, pid: str, total: str, region: str) -> None:
    record = {"id": pid, "name": f"{pid} 老旧小区综合整治", "community": "示例社区",
              "city": "北京市", "district": "朝阳区", "built_year": 1985, "buildings": 10,
              "units": 30, "households": 600, "floor_area": "36000.00", "region": region,
              "categories": ["基础类"], "estimated_investment": total,
              "procurement_category": "works",
              "scope": [{"item": "楼本体与管网改造", "category": "基础类", "cost": total,
                         "matter": "majority"}]}
    world.services.register("projects", validate_projects([("feature", record)], "feature"),
                            "staff:test", parse_time(REGISTERED_AT))


def _vote(project: dict[str, Any], held_on: str) -> dict[str, Any]:
    """The owners' vote for the project (i14-vote builds the ballots in tests/vote/ballots.py;
    until that branch is merged, the intake skeleton's vote takes the matters only)."""
    try:
        from tests.vote.ballots import journey_vote  # type: ignore[import-not-found]
    except ImportError:
        return {"held_on": held_on, "matters": ["majority"]}
    return dict(journey_vote(project, held_on))


@given(parsers.parse('项目 "{pid}" 已于 "{at}" 立项备案'))
def _filed_at(world: World, pid: str, at: str) -> None:
    """Consult, vote, every party's sign-off and the filing, an hour apart, ending at ``at``."""
    from datetime import timedelta

    end = parse_time(at)
    services = world.services
    services.open_procurement(pid, pid, "project", "staff:wang", end - timedelta(days=20))
    day = (end - timedelta(days=10)).date().isoformat()
    steps: list[tuple[str, dict[str, Any]]] = [
        ("consult", {"meetings": [{"date": day, "place": "社区党群服务中心", "participants": 80,
                                   "topic": "改造方案征求意见"}],
                     "summary": "居民同意改造方案"}),
        ("record_vote", _vote(services.state(pid)["project"], day)),
        *[("sign_off", {"party": p, "organisation": o, "signatory": s, "decision": "agree"})
          for p, o, s in PARTIES],
        ("file", {"authority": "某区发展和改革委员会", "number": f"备〔2023〕{pid}"}),
    ]
    for i, (trigger, data) in enumerate(steps):
        services.fire(pid, trigger, data, "staff:wang",
                      end - timedelta(hours=len(steps) - 1 - i))
    assert services.state(pid)["state"] == "filed"


@given(parsers.re(r'区域 "(?P<region>[^"]+)" 于 "(?P<as_of>[^"]+)" 登记：一般公共预算支出每年 '
                  r'"(?P<budget>[^"]+)" 元，存量PPP项目支出责任 2023年 "(?P<first>[^"]+)" 元、'
                  r'2024年起每年 "(?P<later>[^"]+)" 元'))
def _fiscal(world: World, tmp_path: Path, region: str, as_of: str, budget: str, first: str,
            later: str) -> None:
    from datetime import date

    import yaml

    years = (2023, 2024, 2025)
    data = {"region": region, "name": "示例区", "source": "示例数据",
            "budget": [{"year": y, "general_expenditure": budget} for y in years],
            "commitments": [{"project": "EX-PPP-1", "name": "存量政府付费项目",
                             "payment": "government_pay",
                             "expenditure": [{"year": y, "amount": first if y == 2023 else later}
                                             for y in years]}]}
    path = tmp_path / f"fiscal_{region}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    import_fiscal(world.services, path, "finance:li", parse_time(f"{as_of}T09:00+08:00"),
                  date.fromisoformat(as_of))


@then(parsers.parse('拒绝理由包含 "{text}"'))
def _reason_contains(world: World, text: str) -> None:
    assert isinstance(world.error, CheckFailed), f"not refused: {world.result}"
    assert any(text in r.reason for r in world.error.refusals), world.error.message


@given(parsers.parse('已于 "{at}" 登记区域财政数据 "{name}"，截至 "{as_of}"'))
def _fiscal_example(world: World, at: str, name: str, as_of: str) -> None:
    from datetime import date

    from tenderflow.app.fiscal import import_fiscal
    from tenderflow.paths import examples_dir

    import_fiscal(world.services, examples_dir() / "data" / name, "finance:li", parse_time(at),
                  date.fromisoformat(as_of))


@then(parsers.re(r'拒绝的数字 (?P<pairs>.+)$'))
def _numbers(world: World, pairs: str) -> None:
    import re

    assert isinstance(world.error, CheckFailed), f"not refused: {world.result}"
    wanted = dict(re.findall(r'"([^"]+)" 为 "([^"]*)"', pairs))
    assert wanted, pairs
    found = [r.numbers for r in world.error.refusals if set(wanted) <= set(r.numbers)]
    assert found, [r.numbers for r in world.error.refusals]
    assert {k: str(found[0][k]) for k in wanted} == wanted
