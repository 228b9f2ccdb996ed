"""Runs features/project/: the project's intake (workflows/project.yaml) and its link to the
procurements. The shared steps are in conftest.py; the steps here start an intake, bring it to
a state along a standard journey (:data:`JOURNEY`), sign off every party but one, open a
procurement catching its refusal, and look at ``next`` and ``status``.

The journey's data is the one place the features' record_vote and fund data live: the vote
(i14-vote) and funding (i14-fund) work changes it here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pytest_bdd import given, parsers, scenarios, then, when

from tenderflow.app.common import parse_time
from tenderflow.domain.timeutil import iso
from tenderflow.errors import TenderflowError
from tests.bdd.conftest import World

# the owners' vote steps (features/project/业主表决.feature)
from tests.bdd.vote_steps import *
from tests.vote.ballots import journey_vote

scenarios("project")

ACTOR = "staff:wang"
HOUR = timedelta(hours=1)

# (trigger, data, actor) along the intake; each step one hour after the one before.
CONSULT = {"meetings": [{"date": "2023-01-08", "place": "社区党群服务中心", "participants": 86}]}
# The owners' vote is built for the project walked (tests/vote/ballots.py journey_vote): one
# question per owners' matter of its scope and revenue sources, two thirds and two more taking
# part, all agreeing.
VOTE = {"held_on": "2023-01-20"}
# The funding plan (adding up to the scope's 20,000,000.00) and the PPP terms the fiscal checks
# read (the region's data is registered by the features' background).
FUND = {"sources": [{"kind": "social_capital", "amount": "20000000.00"}],
        "ppp": {"form": "concession", "payment": "user_pay", "concession_years": 10}}
FILE = {"authority": "北京市朝阳区发展和改革委员会", "number": "京朝发改备〔2023〕21号"}
EXEMPT = {"intention_exemption": {"ground": "urgent_unforeseen",
                                  "explanation": "汛期前须完成管网抢修"}}
SIGNERS = {
    "district": ("北京市朝阳区住房和城乡建设委员会", "韩立新"),
    "subdistrict": ("北京市朝阳区人民政府劲松街道办事处", "孟庆华"),
    "community": ("劲松西社区居民委员会", "齐文静"),
    "social_capital": ("愿景明德物业管理有限公司", "王晓东"),
    "utility.water": ("北京市自来水集团有限责任公司", "赵工"),
    "utility.gas": ("北京市燃气集团朝阳分公司", "孙工"),
    "utility.power": ("国网北京市电力公司朝阳供电公司", "李工"),
    "utility.telecom": ("中国联通北京市朝阳区分公司", "钱工"),
    "utility.heating": ("北京市热力集团朝阳分公司", "周工"),
}
JOURNEY = {"consulted": [("consult", CONSULT)], "consented": [("record_vote", VOTE)],
           "filed": [("sign_off", None), ("file", FILE)], "funded": [("fund", FUND)],
           "ready": [("make_ready", EXEMPT)]}


def start(services: Any, pid: str, at: str) -> None:
    services.open_procurement(pid, pid, "project", ACTOR, parse_time(at))


def sign_all(services: Any, pid: str, at: Any, but: str | None = None) -> None:
    """Every party the filing needs (status' coordination.required) agrees, but ``but``."""
    required = services.status(pid)["coordination"]["required"]
    for party in required:
        if party != but:
            organisation, signatory = SIGNERS[party]
            services.fire(pid, "sign_off", {"party": party, "organisation": organisation,
                                            "signatory": signatory, "decision": "agree"},
                          ACTOR, at)


def walk(services: Any, pid: str, state: str, at: str) -> None:
    """Start the intake of ``pid`` and take it to ``state``, one step an hour, the last at
    ``at``."""
    order = list(JOURNEY)
    steps = [s for st in order[:order.index(state) + 1] for s in JOURNEY[st]]
    end = parse_time(at)
    start(services, pid, iso(end - len(steps) * HOUR))
    for i, (trigger, data) in enumerate(steps):
        when = end - (len(steps) - 1 - i) * HOUR
        if trigger == "sign_off":
            sign_all(services, pid, when)
        elif trigger == "record_vote":
            services.fire(pid, trigger, journey_vote(services.state(pid)["project"],
                                                     VOTE["held_on"]), ACTOR, when)
        else:
            services.fire(pid, trigger, data, "finance:qian" if trigger == "fund" else ACTOR,
                          when)


@given(parsers.parse('项目 "{pid}" 已完成居民议事和业主表决，时间 "{at}"'))
def _consented(world: World, pid: str, at: str) -> None:
    walk(world.services, pid, "consented", at)


@given(parsers.parse('项目 "{pid}" 已落实资金，时间 "{at}"'))
def _funded(world: World, pid: str, at: str) -> None:
    walk(world.services, pid, "funded", at)


@given(parsers.parse('项目 "{pid}" 已确认可以采购，时间 "{at}"'))
def _ready(world: World, pid: str, at: str) -> None:
    walk(world.services, pid, "ready", at)


@given(parsers.parse('"{pid}" 除 "{party}" 外各协调方均于 "{at}" 签署同意'))
def _all_but(world: World, pid: str, party: str, at: str) -> None:
    sign_all(world.services, pid, parse_time(at), but=party)


def _attempt(world: World, action: Any) -> None:
    world.error = None
    world.events_before = world.count()
    try:
        world.result = action()
    except TenderflowError as exc:
        world.error = exc


@given(parsers.parse('于 "{at}" 开始项目 "{pid}" 的立项流程'))
@when(parsers.parse('于 "{at}" 开始项目 "{pid}" 的立项流程'))
def _start(world: World, at: str, pid: str) -> None:
    _attempt(world, lambda: start(world.services, pid, at))


@when(parsers.parse('于 "{at}" 以 "{mode}" 方式对项目 "{project}" 开启采购 "{pid}"'))
def _open(world: World, at: str, mode: str, project: str, pid: str) -> None:
    _attempt(world, lambda: world.services.open_procurement(pid, project, mode, ACTOR,
                                                             parse_time(at)))


@then(parsers.parse('拒绝理由写明 "{text}"'))
def _reason_names(world: World, text: str) -> None:
    assert world.error is not None, "not refused"
    assert text in world.error.message, world.error.message


@then(parsers.parse('"{pid}" 的下一步 "{trigger}" 写明 "{text}"'))
def _next_names(world: World, pid: str, trigger: str, text: str) -> None:
    steps = [s for s in world.services.next(pid)["triggers"] if s["trigger"] == trigger]
    assert steps and not steps[0]["ready"], steps
    reasons = [g.get("reason", "") for g in steps[0]["guards"]]
    assert any(text in r for r in reasons), reasons
    assert text in world.services.status(pid)["coordination"]["missing"]


@then(parsers.parse('"{pid}" 的状态显示项目就绪依据 "{via}"'))
def _readiness(world: World, pid: str, via: str) -> None:
    ready = world.services.status(pid)["readiness"]
    assert ready["via"] == via, ready
    assert ready.get("filing", {}).get("number") or via == "intake"
