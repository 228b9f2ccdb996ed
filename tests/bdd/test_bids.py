"""Runs the features of sealed offers, evaluation and award (features/bids/, features/evaluation/,
features/award/). Shared steps are in conftest.py; the steps here bring a competitive
negotiation to a point (tests/bids/_flow.py), seal and open final quotations, and read what the
services report. Steps call application services only."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, scenarios, then, when

from tenderflow.app.audit import recorded_events
from tenderflow.app.common import parse_time
from tenderflow.app.sealing import commit_offer
from tenderflow.errors import CheckFailed, InvalidTrigger
from tests.bdd.conftest import World
from tests.bids._flow import FOUR, GROUP, Negotiation, nonce

scenarios("bids", "evaluation", "award")

DEFAULT_PRICES = {"S-CDJG": "3380000.00", "S-HXJS": "3245000.00", "S-SLGC": "3300000.00",
                  "S-YXWY": "3290000.00"}


def ids(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def neg(world: World, pid: str | None = None, project: str = "CD-HH-2023") -> Negotiation:
    negs: dict[str, Negotiation] = world.__dict__.setdefault("negs", {})
    if pid is None:
        return world.__dict__["neg"]  # type: ignore[no-any-return]
    if pid not in negs:
        negs[pid] = Negotiation(world.services, pid, project)
    world.__dict__["neg"] = negs[pid]
    return negs[pid]


def request_final(n: Negotiation, deadline: str, at: str = "2023-03-13T09:00+08:00") -> None:
    n.fire("request_final_quotes", {"deadline": deadline}, actor="evaluator:刘专家", at=at)


# --- bringing a negotiation to a point ---------------------------------------------------------

@given(parsers.parse('采购 "{pid}" 已于 2023-03-03（星期五）邀请四家供应商'))
def _invited(world: World, pid: str) -> None:
    neg(world, pid).invited()


@given(parsers.parse('"{suppliers}" 已于截止前递交响应文件'))
def _responses(world: World, suppliers: str) -> None:
    for i, sid in enumerate(ids(suppliers)):
        neg(world).fire("submit_response", {"supplier": sid}, actor=f"supplier:{sid}",
                        at=f"2023-03-06T1{i}:00+08:00")


@given(parsers.parse('采购 "{pid}" 已进入谈判'))
def _negotiating(world: World, pid: str) -> None:
    neg(world, pid).negotiating()


@given(parsers.parse('采购 "{pid}" 已进入谈判，并要求最后报价，截止 "{deadline}"'))
def _final_requested(world: World, pid: str, deadline: str) -> None:
    n = neg(world, pid).negotiating()
    for sid in FOUR:
        n.round(1, sid)
    request_final(n, deadline)


@given(parsers.parse('采购 "{pid}"（项目 "{project}"）已进入谈判，并要求最后报价，截止 "{deadline}"'))
def _final_requested_of(world: World, pid: str, project: str, deadline: str) -> None:
    n = neg(world, pid, project).negotiating()
    for sid in FOUR:
        n.round(1, sid)
    request_final(n, deadline)


@given(parsers.parse('采购 "{pid}" 已进入谈判，谈判文件载明报价相同时抽签，并要求最后报价，'
                     '截止 "{deadline}"'))
def _final_requested_lots(world: World, pid: str, deadline: str) -> None:
    n = neg(world, pid)
    n.issued(documents={"tie_break": ["drawing_lots"]})
    for i, sid in enumerate(FOUR):
        n.fire("submit_response", {"supplier": sid}, actor=f"supplier:{sid}",
               at=f"2023-03-06T1{i}:00+08:00")
    world.services.tick(parse_time("2023-03-08T10:00+08:00"))
    for sid in FOUR:
        n.round(1, sid)
    request_final(n, deadline)


@given(parsers.parse('采购 "{pid}" 已发出谈判文件，响应截止 "{deadline}"，四家已递交响应并交纳保证金 '
                     '"{amount}"'))
def _responded(world: World, pid: str, deadline: str, amount: str) -> None:
    n = neg(world, pid)
    n.issued()
    assert n.state()["deadlines"]["response_deadline"] == deadline
    for i, sid in enumerate(FOUR):
        n.fire("submit_response", {"supplier": sid, "bond": {"amount": amount}},
               actor=f"supplier:{sid}", at=f"2023-03-06T0{i + 6}:00+08:00")


@given(parsers.parse('第 {n:d} 轮已与 "{suppliers}" 谈判'))
def _round_done(world: World, n: int, suppliers: str) -> None:
    for i, sid in enumerate(ids(suppliers)):
        neg(world).round(n, sid, at=f"2023-03-{8 + n:02d}T0{i + 1}:00+08:00")


@given(parsers.parse('第 2 轮已与 "{met}" 谈判，并在与 "{leaving}" 谈判时记录其退出'))
def _round_with_dropout(world: World, met: str, leaving: str) -> None:
    n = neg(world)
    n.round(2, leaving, excluded=[{"supplier": leaving, "reason": "供应商书面表示退出谈判"}],
            at="2023-03-10T08:00+08:00")
    for i, sid in enumerate(ids(met)):
        n.round(2, sid, at=f"2023-03-10T{9 + i:02d}:30+08:00")


@given(parsers.parse('于 "{at}" 要求最后报价，截止 "{deadline}"'))
def _request(world: World, at: str, deadline: str) -> None:
    request_final(neg(world), deadline, at)


def _quotes(world: World, n: Negotiation, datatable: list[list[str]]) -> None:
    for i, (sid, price) in enumerate(datatable[1:]):
        n.quote(sid, price, at=f"2023-03-14T1{i}:00+08:00")


@given("最后报价为：")
def _quotes_table(world: World, datatable: list[list[str]]) -> None:
    _quotes(world, neg(world), datatable)


@given(parsers.parse('"{pid}" 的最后报价为：'))
def _quotes_table_of(world: World, pid: str, datatable: list[list[str]]) -> None:
    _quotes(world, neg(world, pid), datatable)


@given("四家供应商都已密封提交最后报价")
def _four_quotes(world: World) -> None:
    for i, sid in enumerate(FOUR):
        neg(world).quote(sid, DEFAULT_PRICES[sid], at=f"2023-03-14T1{i}:00+08:00")


@given(parsers.parse('"{pid}" 已按最后报价 "{sid}" {price} 成交，时间 "{at}"'))
def _awarded(world: World, pid: str, sid: str, price: str, at: str) -> None:
    n = neg(world, pid)
    for i, s in enumerate(FOUR):
        n.quote(s, DEFAULT_PRICES[s], at=f"2023-03-14T1{i}:00+08:00")
    assert DEFAULT_PRICES[sid] == price
    n.open()
    n.fire("recommend", {}, actor="evaluator:刘专家", at="2023-03-15T09:00+08:00")
    n.fire("award", {"supplier": sid}, at=at)


@given(parsers.parse('采购 "{pid}" 的谈判小组中 "{name}" 申报关联方 "{affiliation}"'))
def _group_with(world: World, pid: str, name: str, affiliation: str) -> None:
    member: dict[str, Any] = {"name": name, "role": "expert"}
    if affiliation != "无":
        member["affiliations"] = [affiliation]
    neg(world, pid).formed(group=[GROUP[0], member, GROUP[2]])


def _invite(world: World, suppliers: str) -> None:
    n = neg(world)
    if "check_eligibility" in world.services.definitions("competitive_negotiation") \
            .workflow.triggers():
        n.fire("check_eligibility", {"candidates": ids(suppliers)}, at="2023-03-03T09:00+08:00")
    world.fire(n.pid, "invite", {"suppliers": [{"id": s, "recommended_by": "public_notice"}
                                               for s in ids(suppliers)]},
               "staff:wang", "2023-03-03T10:00+08:00")


@when(parsers.parse('邀请 "{suppliers}" 参加谈判'))
@given(parsers.parse('邀请 "{suppliers}" 参加谈判'))
def _invite_step(world: World, suppliers: str) -> None:
    _invite(world, suppliers)


@given(parsers.parse('邀请 "{suppliers}" 参加谈判，并进入谈判'))
def _invite_and_negotiate(world: World, suppliers: str) -> None:
    _invite(world, suppliers)
    n = neg(world)
    n.fire("issue_documents", {"response_deadline": "2023-03-08T09:30+08:00"},
           at="2023-03-03T11:00+08:00")
    for i, sid in enumerate(ids(suppliers)):
        n.fire("submit_response", {"supplier": sid}, actor=f"supplier:{sid}",
               at=f"2023-03-06T1{i}:00+08:00")
    world.services.tick(parse_time("2023-03-08T10:00+08:00"))
    assert n.state()["state"] == "negotiating"


@given(parsers.parse('"{pid}" 的状态为 "{state}"'))
def _state_given(world: World, pid: str, state: str) -> None:
    assert world.services.state(pid)["state"] == state


# --- acting ------------------------------------------------------------------------------------

@when(parsers.parse('"{sid}" 于 "{at}" 密封提交最后报价 "{price}"'))
def _seal(world: World, sid: str, at: str, price: str) -> None:
    n = neg(world)
    digest, _ = commit_offer(n.pid, sid, "final_quote", {"price": price}, nonce(sid))
    world.fire(n.pid, "submit_final_quote", {"supplier": sid, "commitment": digest},
               f"supplier:{sid}", at)


def _open(world: World, n: Negotiation, at: str, reveals: list[dict[str, Any]]) -> None:
    world.fire(n.pid, "open_final_quotes", {"reveals": reveals}, "evaluator:刘专家", at)


def _honest(n: Negotiation) -> list[dict[str, Any]]:
    return [dict(r) for _, r in sorted(n.reveals.items())]


@given(parsers.parse('于 "{at}" 开启最后报价，各家如实披露'))
@when(parsers.parse('于 "{at}" 开启最后报价，各家如实披露'))
def _open_honest(world: World, at: str) -> None:
    _open(world, neg(world), at, _honest(neg(world)))


@when(parsers.parse('于 "{at}" 开启 "{pid}" 的最后报价，各家如实披露'))
@given(parsers.parse('于 "{at}" 开启 "{pid}" 的最后报价，各家如实披露'))
def _open_honest_of(world: World, at: str, pid: str) -> None:
    _open(world, neg(world, pid), at, _honest(neg(world, pid)))


@given(parsers.parse('于 "{at}" 开启最后报价，"{suppliers}" 披露 "{how}"'))
@when(parsers.parse('于 "{at}" 开启最后报价，"{suppliers}" 披露 "{how}"'))
def _open_some(world: World, at: str, suppliers: str, how: str) -> None:
    """``how``: "报价 X" (reveal price X), "报价 X，另一随机数" (with another nonce), "不披露"."""
    reveals = []
    for r in _honest(neg(world)):
        if r["supplier"] in ids(suppliers):
            if how == "不披露":
                continue
            r["content"] = {"price": how.split()[1].split("，")[0]}
            if "另一随机数" in how:
                r["nonce"] = "f" * 64
        reveals.append(r)
    _open(world, neg(world), at, reveals)


@given(parsers.parse('于 "{at}" 开启最后报价，"{sid}" 未实质性响应，理由 "{reason}"'))
def _open_noncompliant(world: World, at: str, sid: str, reason: str) -> None:
    reveals = _honest(neg(world))
    for r in reveals:
        if r["supplier"] == sid:
            r.update(meets_substantive_requirements=False, reason=reason)
    _open(world, neg(world), at, reveals)
    assert world.error is None, world.error


@given(parsers.parse('"{sid}" 于 "{at}" 书面撤回响应文件'))
@when(parsers.parse('"{sid}" 于 "{at}" 书面撤回响应文件'))
def _withdraw(world: World, sid: str, at: str) -> None:
    world.fire(neg(world).pid, "withdraw_response", {"supplier": sid, "notice": "书面撤回通知"},
               f"supplier:{sid}", at)


@when(parsers.parse('"{actor}" 于 "{at}" 记录第 {n:d} 轮与 "{sid}" 的谈判，出席成员 "{present}"'))
def _round(world: World, actor: str, at: str, n: int, sid: str, present: str) -> None:
    world.fire(neg(world).pid, "record_round",
               {"round": n, "met": [sid], "group_present": ids(present), "changes": []},
               actor, at)


# --- what is reported ----------------------------------------------------------------------------

@then(parsers.parse('拒绝理由包含 "{text}"'))
def _reason_contains(world: World, text: str) -> None:
    assert isinstance(world.error, CheckFailed)
    assert any(text in r.reason for r in world.error.refusals), world.error.message


@then(parsers.parse('"{pid}" 的状态显示 {n:d} 个承诺值但不显示供应商名称，且状态、下一步、事件日志中都找不到任何一家的报价'))
def _only_commitments(world: World, pid: str, n: int) -> None:
    import json

    status = world.services.status(pid, parse_time("2023-03-14T16:00+08:00"))
    sealed = status["bids"]["final_quote"]["sealed"]
    assert sealed["count"] == n and len(sealed["commitments"]) == n
    assert all(len(c["commitment"]) == 64 for c in sealed["commitments"])
    assert not any(sid in json.dumps(status["bids"]) for sid in DEFAULT_PRICES)
    nxt = world.services.next(pid, parse_time("2023-03-14T16:00+08:00"))
    log = [e.payload for e in recorded_events(world.services.store)]
    text = json.dumps([status, nxt, log], ensure_ascii=False)
    for sid, price in DEFAULT_PRICES.items():
        assert price not in text and price.split(".")[0] not in text, sid
        assert nonce(sid) not in text, sid


@then(parsers.parse('"{sid}" 的最后报价核验结果为 "{status}"'))
def _verdict(world: World, sid: str, status: str) -> None:
    assert world.error is None, world.error.message
    view = world.services.status(neg(world).pid)["bids"]["final_quote"]
    assert view["verdicts"][sid]["status"] == status, view["verdicts"][sid]


@then(parsers.parse('有效最后报价为 {n:d} 家'))
def _valid(world: World, n: int) -> None:
    assert len(world.services.status(neg(world).pid)["bids"]["final_quote"]["offers"]) == n


@then(parsers.parse('"{sid}" 的保证金退还期限为 "{due}"'))
def _refund_due(world: World, sid: str, due: str) -> None:
    bond = world.services.status(neg(world).pid)["bids"]["bonds"][sid]
    assert bond.get("refund_due", "无") == due, bond


@then(parsers.parse('"{sid}" 的保证金退还记录为 "{kind}"'))
def _refund_recorded(world: World, sid: str, kind: str) -> None:
    bond = world.services.status(neg(world).pid)["bids"]["bonds"][sid]
    assert bond["refunded_in_time"] is (kind == "按期"), bond


@then(parsers.parse('回避记录为 "{spec}"'))
def _recusals(world: World, spec: str) -> None:
    invite = [e for e in recorded_events(world.services.store, f"procurement:{neg(world).pid}")
              if e.type == "SuppliersInvited"][-1]
    found = invite.payload.get("findings", {}).get("recusals", [])
    got = ";".join(f"{r['member']}/{r['supplier']}/{r['relation']}" for r in found) or "无"
    assert got == spec
    recused = world.services.status(neg(world).pid)["bids"].get("recused", {})
    assert sorted(recused) == sorted({r["member"] for r in found})


@then(parsers.parse('仍在任的谈判小组成员为 "{names}"'))
def _seated(world: World, names: str) -> None:
    from tenderflow.app.views import seated_members

    assert [m["name"] for m in seated_members(neg(world).state())] == ids(names)


@then(parsers.parse('成交供应商为 "{sid}"，成交价 "{price}"'))
def _award(world: World, sid: str, price: str) -> None:
    award = world.services.status(neg(world).pid)["award"]
    assert (award["supplier"], award["price"]) == (sid, price)


@then(parsers.parse('审计重放 "{pid}" 没有发现问题，重放状态为 "{state}"'))
def _replayed(world: World, pid: str, state: str) -> None:
    from tenderflow.app.audit import replay

    report = replay(world.services.store, pid)
    assert report.ok, report.to_dict()
    assert report.streams[0].state == state


@then(parsers.parse('推荐排序为 "{order}"，并列按 "{key}" 确定'))
def _ranking(world: World, order: str, key: str) -> None:
    assert world.error is None, world.error.message
    rec = neg(world).state()["recommendation"]
    assert [r["supplier"] for r in rec["ranking"]] == ids(order)
    assert rec["ties"][0]["broken_by"] == [key]


@then(parsers.parse('"{pid}" 的期限 "{key}" 为 "{value}"'))
def _deadline(world: World, pid: str, key: str, value: str) -> None:
    assert world.services.status(pid)["deadlines"][key] == value


@then(parsers.parse('质疑答复记录为 "{kind}"'))
def _answered(world: World, kind: str) -> None:
    [challenge] = neg(world).state()["challenges"]
    assert challenge["in_time"] is (kind == "按期"), challenge


@then(parsers.parse('投诉处理决定记录为 "{kind}"'))
def _decided(world: World, kind: str) -> None:
    complaint = neg(world).state()["complaints"][-1]
    assert complaint["in_time"] is (kind == "按期"), complaint


@then(parsers.parse('"{trigger}" 暂停，"{pid}" 处于 "{state}"'))
def _paused(world: World, trigger: str, pid: str, state: str) -> None:
    """The paused step is not possible in the pending state, and nothing is written."""
    assert isinstance(world.error, InvalidTrigger), f"not paused: {world.result}"
    assert trigger in world.error.message and state in world.error.message, world.error.message
    assert world.count() == world.events_before


# --- open tender: evaluation (features/evaluation/综合评分.feature) -----------------------------

def tender(world: World, pid: str | None = None) -> Any:
    from tests.bids._tender import Tender

    tenders: dict[str, Any] = world.__dict__.setdefault("tenders", {})
    if pid is None:
        return world.__dict__["tender"]
    if pid not in tenders:
        tenders[pid] = Tender(world.services, pid)
    world.__dict__["tender"] = tenders[pid]
    return tenders[pid]


@given(parsers.parse('公开招标 "{pid}" 已发出招标文件，评标方法为：'))
def _tender_documents(world: World, pid: str, docstring: str) -> None:
    from tenderflow import yamlio

    tender(world, pid).bidding(yamlio.safe_load(docstring), candidates=tuple(FOUR))


@when(parsers.parse('公开招标 "{pid}" 以评标方法发出招标文件：'))
def _tender_documents_try(world: World, pid: str, docstring: str) -> None:
    from tenderflow import yamlio
    from tests.modes.journeys import register_modes_data

    register_modes_data(world.services)
    world.services.open_procurement(pid, "CD-WJ-2023", "open_tender", "staff:wang",
                                    parse_time("2023-03-01T09:00+08:00"))
    world.fire(pid, "issue_documents", {
        "sale_until": "2023-03-06T17:00+08:00", "bid_deadline": "2023-03-21T09:30+08:00",
        "bid_bond": "252000.00", "evaluation": yamlio.safe_load(docstring)},
        "staff:wang", "2023-03-01T10:00+08:00")


@given("投标报价为：")
def _tender_bids(world: World, datatable: list[list[str]]) -> None:
    for i, (sid, price) in enumerate(datatable[1:]):
        tender(world).bid(sid, price, at=f"2023-03-1{i}T10:00+08:00")


@given("投标截止后开标，各家如实披露")
def _tender_opened(world: World) -> None:
    t = tender(world)
    world.services.tick(parse_time("2023-03-21T09:30+08:00"))
    assert t.state()["state"] == "opened"
    t.unseal()


@given("评标委员会已组建（五名成员）")
def _tender_committee(world: World) -> None:
    tender(world).committee()


@given("各成员的评分为：")
def _tender_scores(world: World, datatable: list[list[str]]) -> None:
    header, rows = datatable[0], datatable[1:]
    sheets: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        member, sid = row[0], row[1]
        sheets.setdefault(member, {})[sid] = dict(zip(header[2:], row[2:]))
    for i, (member, sheet) in enumerate(sheets.items()):
        tender(world).fire("submit_scores", {"member": member, "scores": sheet},
                           actor=f"evaluator:{member}", at=f"2023-03-22T1{i}:00+08:00")


@given(parsers.parse('每名成员给 "{a}" 技术方案 {sa} 分，"{b}" {sb} 分，"{c}" {sc} 分'))
def _tender_flat_scores(world: World, a: str, sa: str, b: str, sb: str, c: str,
                        sc: str) -> None:
    from tests.bids._tender import MEMBERS

    for i, m in enumerate(MEMBERS):
        sheet = {a: {"technical": sa}, b: {"technical": sb}, c: {"technical": sc}}
        tender(world).fire("submit_scores", {"member": m["name"], "scores": sheet},
                           actor=f"evaluator:{m['name']}", at=f"2023-03-22T1{i}:00+08:00")


@given(parsers.parse('公开招标 "{pid}" 已完成手算示例的评分'))
def _tender_worked(world: World, pid: str) -> None:
    from tests.bids._tender import WORKED

    tender(world, pid).bidding(WORKED, candidates=tuple(FOUR)).opened().unseal()
    tender(world).committee().scores()


@given(parsers.parse('评标委员会记录 "{sid}" 的工期调整 "{amount}"'))
def _tender_adjustment(world: World, sid: str, amount: str) -> None:
    tender(world).fire("record_adjustments", {"adjustments": {sid: [
        {"factor": "schedule", "amount": amount, "reason": "工期偏离招标文件要求"}]}},
        actor="evaluator:技术专家甲", at="2023-03-22T10:00+08:00")


@when(parsers.parse('评标委员会报告推荐 "{suppliers}"，总分 "{scores}"'))
def _tender_report_scores(world: World, suppliers: str, scores: str) -> None:
    candidates = [{"supplier": s, "rank": i + 1, "score": sc}
                  for i, (s, sc) in enumerate(zip(ids(suppliers), ids(scores)))]
    world.fire(tender(world).pid, "record_evaluation", {"candidates": candidates},
               "evaluator:技术专家甲", "2023-03-22T17:00+08:00")


@when(parsers.re(r'评标委员会报告推荐 "(?P<suppliers>[^"]+)"$'))
def _tender_report(world: World, suppliers: str) -> None:
    candidates = [{"supplier": s, "rank": i + 1} for i, s in enumerate(ids(suppliers))]
    world.fire(tender(world).pid, "record_evaluation", {"candidates": candidates},
               "evaluator:技术专家甲", "2023-03-22T17:00+08:00")


@then("计算的排名为：")
def _tender_ranking(world: World, datatable: list[list[str]]) -> None:
    header, rows = datatable[0], datatable[1:]
    ranking = tender(world).state()["recommendation"]["ranking"]
    got = []
    for r in ranking:
        cells = {"排名": str(r["rank"]), "供应商": r["supplier"], "报价": r["price"],
                 "价格分": r["price_score"], "技术分": r["technical"], "总分": r["total"]}
        cells.update({c: v["average"] for c, v in r["criteria"].items()})
        got.append([cells[h] for h in header])
    assert got == rows


@then(parsers.parse('评标基准价为 "{price}"'))
def _tender_base(world: World, price: str) -> None:
    assert tender(world).state()["recommendation"]["base_price"] == price


@given(parsers.parse('"{sid}" 于 "{at}" 书面撤回投标文件'))
@when(parsers.parse('"{sid}" 于 "{at}" 书面撤回投标文件'))
def _tender_withdraw(world: World, sid: str, at: str) -> None:
    world.fire(tender(world).pid, "withdraw_bid", {"supplier": sid, "notice": "书面撤回通知"},
               f"supplier:{sid}", at)


@then(parsers.parse('"{sid}" 的投标保证金退还期限为 "{due}"'))
def _tender_refund_due(world: World, sid: str, due: str) -> None:
    bond = tender(world).state()["bonds"][sid]
    assert (bond.get("refund_due") or "无") == due, bond


@when(parsers.parse('"{sid}" 于 "{at}" 重新密封投标 "{price}"'))
def _tender_rebid(world: World, sid: str, at: str, price: str) -> None:
    t = tender(world)
    digest, _ = commit_offer(t.pid, sid, "bid", {"price": price}, nonce(sid))
    world.fire(t.pid, "submit_bid", {"supplier": sid, "commitment": digest, "bond": "252000.00"},
               f"supplier:{sid}", at)


@then(parsers.parse('状态显示密封投标 {n:d} 份、撤回 {w:d} 份，不显示投标人名称'))
def _tender_sealed_view(world: World, n: int, w: int) -> None:
    import json

    status = world.services.status(tender(world).pid, parse_time("2023-03-15T10:00+08:00"))
    view = status["bids"]
    assert view["bid"]["sealed"]["count"] == n and view["withdrawn"] == {"bid": w}
    assert not any(s in json.dumps(status, ensure_ascii=False) for s in FOUR)


@when(parsers.parse('投标截止后开标，"{sid}" 披露报价 "{price}"'))
def _tender_open_changed(world: World, sid: str, price: str) -> None:
    import json

    t = tender(world)
    world.services.tick(parse_time("2023-03-21T09:30+08:00"))
    reveals = []
    for s, r in sorted(t.reveals.items()):
        r = json.loads(json.dumps(r))
        if s == sid:
            r["content"]["price"] = price
        reveals.append(r)
    world.fire(t.pid, "unseal_bids", {"reveals": reveals}, "staff:wang",
               "2023-03-21T09:45+08:00")


@then(parsers.parse('"{sid}" 的投标核验结果为 "{status}"'))
def _tender_verdict(world: World, sid: str, status: str) -> None:
    verdicts = world.services.status(tender(world).pid)["bids"]["bid"]["verdicts"]
    assert verdicts[sid]["status"] == status


@when(parsers.parse('组建评标委员会，其中 "{name}" 申报关联方 "{affiliation}"'))
def _tender_committee_with(world: World, name: str, affiliation: str) -> None:
    from tests.bids._tender import MEMBERS

    members = [dict(m, **({"affiliations": [affiliation]} if m["name"] == name else {}))
               for m in MEMBERS]
    world.fire(tender(world).pid, "form_committee", {"members": members}, "staff:wang",
               "2023-03-21T10:00+08:00")


@then(parsers.parse('回避记录为 "{spec}"，记入组建评标委员会的事件'))
def _tender_recusals(world: World, spec: str) -> None:
    assert world.error is None, world.error.message
    stream = f"procurement:{tender(world).pid}"
    formed = [e for e in recorded_events(world.services.store, stream)
              if e.type == "EvaluationCommitteeFormed"][-1]
    found = formed.payload.get("findings", {}).get("recusals", [])
    assert ";".join(f"{r['member']}/{r['supplier']}/{r['relation']}" for r in found) == spec
