"""Runs features/contract/: the PPP contract after signing (workflows/ppp_contract.yaml). The
procurement it follows is brought to a signed contract by running an example scenario on the
feature's database (the example's own projects and suppliers are the registered ones); the
steps here start the contract, sign off every coordination party but one, and look at
``next``, ``status`` and the replay of the contract's stream. Shared steps: conftest.py."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from tenderflow.app.audit import replay
from tenderflow.app.common import parse_time
from tenderflow.app.scenario import run_scenario
from tenderflow.errors import TenderflowError
from tenderflow.paths import examples_dir
from tests.bdd.conftest import World

# the performance and revenue steps (features/contract/绩效评价.feature, 运营收入与调整.feature)
from tests.bdd.contract_performance_steps import *

scenarios("contract")

ACTOR = "staff:wang"
SIGNERS = {
    "subdistrict": ("成都市青羊区府南街道办事处", "何主任"),
    "community": ("浣花社区居民委员会", "冯主任"),
    "utility.water": ("成都市自来水有限责任公司", "黄工"),
    "utility.power": ("国网成都供电公司", "张工"),
    "utility.gas": ("成都燃气集团", "吴工"),
    "utility.telecom": ("中国电信成都分公司", "郑工"),
    "utility.heating": ("成都热力公司", "周工"),
}


@given(parsers.parse('采购 "{pid}" 已按 "{example}" 签订合同'))
def _signed(world: World, pid: str, example: str) -> None:
    report = run_scenario(world.services, examples_dir() / example)
    assert report.ok, [r.text for r in report.results if not r.ok]
    assert world.services.state(pid)["state"] == "contracted"


@given(parsers.parse('于 "{at}" 开始采购 "{pid}" 的合同履行'))
@when(parsers.parse('于 "{at}" 开始采购 "{pid}" 的合同履行'))
def _start(world: World, at: str, pid: str) -> None:
    world.error = None
    world.events_before = world.count()
    try:
        world.result = world.services.open_procurement(pid, None, "ppp_contract", ACTOR,
                                                       parse_time(at))
    except TenderflowError as exc:
        world.error = exc


@given(parsers.parse('"{cid}" 除 "{but}" 外各协调方均于 "{at}" 签署同意'))
def _all_but(world: World, cid: str, but: str, at: str) -> None:
    """Every party the construction needs (status' coordination.required) agrees, but
    ``but`` ("无": none left out)."""
    required = world.services.status(cid)["coordination"]["required"]
    assert but == "无" or but in required, (but, required)
    for party in required:
        if party != but:
            organisation, signatory = SIGNERS[party]
            world.services.fire(cid, "sign_off", {
                "party": party, "organisation": organisation, "signatory": signatory,
                "decision": "agree"}, ACTOR, parse_time(at))


@then(parsers.parse('"{cid}" 的下一步 "{trigger}" 写明 "{text}"'))
def _next_names(world: World, cid: str, trigger: str, text: str) -> None:
    steps = [s for s in world.services.next(cid)["triggers"] if s["trigger"] == trigger]
    assert steps and not steps[0]["ready"], steps
    reasons = [g.get("reason", "") for g in steps[0]["guards"]]
    assert any(text in r for r in reasons), reasons
    assert world.services.status(cid)["coordination"]["missing"] == [text]


@then(parsers.parse('拒绝理由写明 "{text}"'))
def _reason_names(world: World, text: str) -> None:
    assert world.error is not None, "not refused"
    assert text in world.error.message, world.error.message


@then(parsers.parse('"{cid}" 的状态显示 "{party}" 由 "{who}" 于 "{at}" 签署同意'))
def _agreed(world: World, cid: str, party: str, who: str, at: str) -> None:
    agreed = world.services.status(cid)["coordination"]["agreed"][party]
    assert (agreed["signatory"], agreed["at"]) == (who, at), agreed


@then(parsers.parse('重放 "{cid}" 得出同样的决定'))
def _replayed(world: World, cid: str) -> None:
    report = replay(world.services.store, cid)
    [stream] = report.streams
    assert stream.stream == cid and stream.ok, (stream.violation, stream.projection)
    assert stream.decided == world.services.state(cid)["version"] - 1


@then(parsers.parse('"{cid}" 于 "{at}" 的里程碑 "{mid}" 为 "{status}"，逾期 "{days:d}" 天'))
def _milestone(world: World, cid: str, at: str, mid: str, status: str, days: int) -> None:
    [m] = [m for m in world.services.status(cid, parse_time(at))["milestones"]
           if m["id"] == mid]
    assert (m["status"], m["days_late"]) == (status, days), m


@then(parsers.parse('"{cid}" 于 "{at}" 的下一个里程碑为 "{mid}"'))
def _next_milestone(world: World, cid: str, at: str, mid: str) -> None:
    assert world.services.status(cid, parse_time(at))["next_milestone"]["id"] == mid


@then(parsers.parse('"{cid}" 的付款合计 "{kind}" 为 "{total}"'))
def _payment_total(world: World, cid: str, kind: str, total: str) -> None:
    assert world.services.status(cid)["payment_totals"][kind] == total


APPROVERS = {"government": ("青羊区住建局", "青住建〔2023〕9号"),
             "social_capital": ("成都华西建设有限公司", "华西函〔2023〕3号"),
             "lender": ("成都银行青羊支行", "成银函〔2023〕7号")}


@given(parsers.parse('"{actor}" 于 "{at}" 对 "{cid}" 作出变更 "{vid}"，价格变动 "{change}"，'
                     '批准方 "{parties}"'))
@when(parsers.parse('"{actor}" 于 "{at}" 对 "{cid}" 作出变更 "{vid}"，价格变动 "{change}"，'
                    '批准方 "{parties}"'))
def _vary(world: World, actor: str, at: str, cid: str, vid: str, change: str,
          parties: str) -> None:
    approvals = [{"party": p, "body": APPROVERS[p][0], "reference": APPROVERS[p][1],
                  "date": at[:10]} for p in parties.split(",")]
    world.fire(cid, "vary", {"id": vid, "kind": "price", "reason": "材料价格调整",
                             "price_change": change, "approvals": approvals}, actor, at)


@given(parsers.parse('劲松式示例 "{example}" 已运行到合同运营期'))
def _jinsong(world: World, example: str) -> None:
    report = run_scenario(world.services, examples_dir() / example)
    assert report.ok, [r.text for r in report.results if not r.ok]
    assert world.services.state("contract:PPP-JS-001")["state"] == "operating"


@when(parsers.parse('"{actor}" 于 "{at}" 对 "{cid}" 作出新增共有部分经营的变更 "{vid}"'))
def _vary_common_parts(world: World, actor: str, at: str, cid: str, vid: str) -> None:
    approvals = [{"party": "government", "body": "朝阳区住建委", "reference": "朝住建〔2025〕99号",
                  "date": at[:10]},
                 {"party": "social_capital", "body": "愿景明德（北京）控股集团有限公司",
                  "reference": "愿景函〔2025〕20号", "date": at[:10]}]
    world.fire(cid, "vary", {"id": vid, "kind": "revenue_sources", "reason": "新增充电服务",
                             "common_parts_business": True, "approvals": approvals}, actor, at)


@given(parsers.parse('业主于 "{at}" 就 "{cid}" 的变更 "{vid}" 表决：{n:d} 户参与（面积 "{area}"），'
                     '其中 {yes:d} 户同意（面积 "{yes_area}"）'))
@when(parsers.parse('业主于 "{at}" 就 "{cid}" 的变更 "{vid}" 表决：{n:d} 户参与（面积 "{area}"），'
                    '其中 {yes:d} 户同意（面积 "{yes_area}"）'))
def _variation_vote(world: World, at: str, cid: str, vid: str, n: int, area: str, yes: int,
                    yes_area: str) -> None:
    from tests.vote.ballots import ballots

    qid = vid.lower()
    question = {"id": qid, "matter": "common_parts_use", "covers": [vid],
                "title": f"同意合同变更{vid}（利用共有部分从事经营活动）"}
    data = {"questions": [question], "held_on": at[:10],
            "ballots": ballots(n, area, qid, yes, yes_area, [qid])}
    world.fire(cid, "record_vote", data, "staff:zhao", at)


@then(parsers.parse('"{cid}" 的变更 "{vid}" 依据表决事项 "{qid}"'))
def _variation_consent(world: World, cid: str, vid: str, qid: str) -> None:
    [v] = [v for v in world.services.status(cid)["variations"] if v["id"] == vid]
    assert v["consent"] == [qid], v


@given(parsers.parse('"{cid}" 已于 "{day}" 进入运营期'))
def _operating(world: World, cid: str, day: str) -> None:
    """The contract started, financed, every party agreed, built and accepted, operating from
    ``day`` (the steps of 开工前协调与合同履行.feature's handover scenario)."""
    pid = cid.removeprefix("contract:")
    _start(world, "2023-04-10T09:00+08:00", pid)
    assert world.error is None, world.error and world.error.message
    world.services.fire(cid, "approve_financing", {
        "lender": "成都银行青羊支行", "approval_number": "成银贷〔2023〕56号",
        "amount": "2000000.00", "approved_on": "2023-04-20"}, "finance:li",
        parse_time("2023-04-20T10:00+08:00"))
    _all_but(world, cid, "无", "2023-04-21T10:00+08:00")
    for trigger, data, at in (
            ("start_construction", {"started_on": "2023-04-24", "permit": "510105202304240001"},
             "2023-04-24T10:00+08:00"),
            ("accept_completion", {"accepted_on": "2023-09-29", "report": "竣工验收报告",
                                   "participants": ["青羊区住建局", "监理单位"]},
             "2023-09-29T10:00+08:00"),
            ("start_operation", {"started_on": day, "operator": "成都华西建设有限公司"},
             f"{day}T09:00+08:00")):
        world.services.fire(cid, trigger, data, ACTOR, parse_time(at))
    assert world.services.state(cid)["state"] == "operating"


@then(parsers.parse('"{cid}" 的提前终止补偿为 "{amount}"，未回收投资 "{unrecovered}"，剩余合作期 '
                    '"{years}" 年'))
def _compensation(world: World, cid: str, amount: str, unrecovered: str, years: str) -> None:
    figures = world.services.status(cid)["termination"]["breakdown"]
    assert (figures["compensation"], figures["unrecovered"], figures["remaining_years"]) == \
        (amount, unrecovered, years), figures


@then(parsers.parse('"{cid}" 的补偿明细 "{key}" 为 "{value}"'))
def _compensation_figure(world: World, cid: str, key: str, value: str) -> None:
    figures = world.services.status(cid)["termination"]["breakdown"]
    assert str(figures[key]) == value, figures
