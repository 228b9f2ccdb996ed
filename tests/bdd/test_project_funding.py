"""Runs features/project/资金计划.feature and PPP财政承受能力.feature: the ``fund`` step of a
project's intake (workflows/project.yaml) with the funding plan and the PPP fiscal checks.
A project is registered with one scope item of the given cost and taken to ``filed`` through
the intake's own steps; a region's budget and commitments are registered with the fiscal
import service. Steps call application services only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_bdd import given, parsers, scenarios, then

from tenderflow.app.common import parse_time
from tenderflow.app.fiscal import import_fiscal
from tenderflow.app.registration import validate_projects
from tenderflow.errors import CheckFailed
from tests.bdd.conftest import World
from tests.conftest import REGISTERED_AT

scenarios("project/资金计划.feature", "project/PPP财政承受能力.feature")

PARTIES = (("district", "某区住房和城乡建设委员会", "韩某"),
           ("subdistrict", "某街道办事处", "孟某"),
           ("community", "某社区居民委员会", "齐某"))


@given(parsers.parse('已登记改造项目 "{pid}"，总投资 "{total}" 元，财政区划 "{region}"'))
def _project(world: World, pid: str, total: str, region: str) -> None:
    record = {"id": pid, "name": f"{pid} 老旧小区综合整治", "community": "示例社区",
              "city": "北京市", "district": "朝阳区", "built_year": 1985, "buildings": 10,
              "units": 30, "households": 600, "floor_area": "36000.00", "region": region,
              "categories": ["基础类"], "estimated_investment": total,
              "procurement_category": "works",
              "scope": [{"item": "楼本体与管网改造", "category": "基础类", "cost": total,
                         "matter": "majority"}]}
    world.services.register("projects", validate_projects([("feature", record)], "feature"),
                            "staff:test", parse_time(REGISTERED_AT))


@given(parsers.parse('项目 "{pid}" 已于 "{at}" 立项备案'))
def _filed(world: World, pid: str, at: str) -> None:
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
        ("record_vote", {"held_on": day, "matters": ["majority"]}),
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


@then(parsers.re(r'拒绝的数字 (?P<pairs>.+)$'))
def _numbers(world: World, pairs: str) -> None:
    import re

    assert isinstance(world.error, CheckFailed), f"not refused: {world.result}"
    wanted = dict(re.findall(r'"([^"]+)" 为 "([^"]*)"', pairs))
    assert wanted, pairs
    found = [r.numbers for r in world.error.refusals if set(wanted) <= set(r.numbers)]
    assert found, [r.numbers for r in world.error.refusals]
    assert {k: str(found[0][k]) for k in wanted} == wanted
