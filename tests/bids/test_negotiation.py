"""Competitive negotiation with sealed final quotations, 回避, rounds, abnormally low prices,
recommendation, award and objections — through the application services."""

from __future__ import annotations

from typing import Any

import pytest

from tenderflow.audit.replay import replay
from tenderflow.domain.state import fold_all
from tenderflow.errors import TriggerRefused
from tests.bids._flow import FOUR, GROUP, NAMES, Negotiation


def refused(fn: Any, *args: Any, **kw: Any) -> list[Any]:
    with pytest.raises(TriggerRefused) as err:
        fn(*args, **kw)
    return err.value.refusals


def events(services: Any, pid: str = "CN-B") -> list[Any]:
    with services.store.reading() as tx:
        return list(tx.read_stream(f"procurement:{pid}"))


def test_three_rounds_one_dropout_award_and_replay(registered: Any) -> None:
    n = Negotiation(registered).negotiating()
    # Round 1: the whole group meets each of the four suppliers; a substantive change is
    # notified in writing to all of them.
    n.round(1, "S-CDJG", changes=["工期由120日调整为100日"], at="2023-03-09T09:00+08:00")
    for i, sid in enumerate(["S-HXJS", "S-SLGC", "S-YXWY"]):
        n.round(1, sid, at=f"2023-03-09T1{i}:00+08:00")
    # Round 2 cannot start before round 1 met everybody — it did; S-SLGC drops out in round 2.
    n.round(2, "S-CDJG", at="2023-03-10T09:00+08:00")
    n.round(2, "S-SLGC", excluded=[{"supplier": "S-SLGC", "reason": "供应商书面表示退出谈判"}],
            at="2023-03-10T10:00+08:00")
    [r] = refused(n.round, 3, "S-CDJG", at="2023-03-10T11:00+08:00")
    assert r.rule == "negotiation.round_sequence" and r.numbers["not_met"] == ["S-HXJS",
                                                                               "S-YXWY"]
    n.round(2, "S-HXJS", changes=["增加停车设施运营方案"], at="2023-03-10T11:00+08:00")
    n.round(2, "S-YXWY", at="2023-03-10T14:00+08:00")
    # Round 3 meets the three still negotiating; the dropout cannot be met any more.
    [r] = refused(n.round, 3, "S-SLGC", at="2023-03-11T09:00+08:00")
    assert r.rule == "negotiation.round_whole_group"
    for i, sid in enumerate(["S-CDJG", "S-HXJS", "S-YXWY"]):
        n.round(3, sid, at=f"2023-03-11T0{i + 7}:00+08:00")
    n.fire("request_final_quotes", {"deadline": "2023-03-14T17:00+08:00"},
           actor="evaluator:刘专家", at="2023-03-13T09:00+08:00")
    [r] = refused(n.quote, "S-SLGC", "2900000.00")
    assert r.rule == "negotiation.final_quote"
    n.quote("S-CDJG", "3380000.00")
    n.quote("S-HXJS", "3245000.00", at="2023-03-14T11:00+08:00")
    n.quote("S-YXWY", "3290000.00", at="2023-03-14T12:00+08:00")
    n.open()
    n.fire("recommend", {}, actor="evaluator:周专家", at="2023-03-15T09:00+08:00")
    ranking = n.state()["recommendation"]["ranking"]
    assert [(x["rank"], x["supplier"], x["evaluated_price"]) for x in ranking] == [
        (1, "S-HXJS", "3245000.00"), (2, "S-YXWY", "3290000.00"), (3, "S-CDJG", "3380000.00")]
    [r] = refused(n.fire, "award", {"supplier": "S-YXWY"}, at="2023-03-15T10:00+08:00")
    assert r.rule == "negotiation.lowest_price" and r.numbers["lowest"] == "3245000.00"
    n.fire("award", {"supplier": "S-HXJS"}, at="2023-03-15T10:00+08:00")
    live = n.state()
    assert live["award"] == {"supplier": "S-HXJS", "price": "3245000.00",
                             "at": "2023-03-15T10:00:00+08:00"}
    # Replay (audit): every transition re-decided with the definitions pinned in its event
    # gives the same event, findings included; the replayed state, award included, equals the
    # stored projection.
    report = replay(registered.store, "CN-B")
    assert report.ok, report.to_dict()
    [stream] = report.streams
    assert stream.state == "awarded" and stream.decided == len(events(registered)) - 1
    assert fold_all("CN-B", events(registered)) == live
    award = next(e for e in events(registered) if e.type == "ProcurementAwarded")
    assert award.payload["findings"]["periods"] == {
        "result_publicity_until": "2023-03-17T00:00:00+08:00",
        "objection_until": "2023-03-28T00:00:00+08:00",
        "contract_by": "2023-04-15T00:00:00+08:00"}


def test_a_related_member_is_recused_and_the_recusal_is_in_the_log(registered: Any) -> None:
    group = [{"name": "刘专家", "role": "expert"},
             {"name": "周专家", "role": "expert", "affiliations": ["四川华西城市建设有限公司"]},
             {"name": "采购人代表张", "role": "purchaser_representative"}]
    n = Negotiation(registered).issued(group=group)
    invite = next(e for e in events(registered) if e.type == "SuppliersInvited")
    [rec] = invite.payload["findings"]["recusals"]
    assert rec["member"] == "周专家" and rec["supplier"] == "S-HXJS"
    assert rec["reason"] == ("周专家 is related to S-HXJS: affiliated with the supplier (name) "
                             "(四川华西城市建设有限公司)")
    assert n.status()["bids"]["recused"]["周专家"]["supplier"] == "S-HXJS"
    for i, sid in enumerate(FOUR):
        n.fire("submit_response", {"supplier": sid}, actor=f"supplier:{sid}",
               at=f"2023-03-06T1{i}:00+08:00")
    registered.tick(__import__("tests.conftest", fromlist=["at"]).at("2023-03-08T10:00+08:00"))
    # The recused member may not act; the two left are not a lawful group.
    r = refused(n.round, 1, "S-CDJG", actor="evaluator:周专家")[0]
    assert r.guard == "acting_member" and "周专家 was recused: 周专家 is related" in r.reason
    rs = refused(n.round, 1, "S-CDJG", present=["刘专家", "采购人代表张"])
    assert [x.rule for x in rs] == ["negotiation.group_min_size"]
    assert "after the recusal of 周专家" in rs[0].reason
    # A replacement who is also related is recused at once, again with the reason logged.
    n.fire("appoint_members", {"members": [{"name": "陈专家", "role": "expert",
                                            "affiliations": ["李建国"]}],
                               "reason": "周专家回避"}, at="2023-03-09T08:00+08:00")
    assert n.state()["recused"]["陈专家"]["relation"] == \
        "affiliated with the supplier's legal representative"
    [r] = refused(n.fire, "appoint_members", {"members": [{"name": "周专家", "role": "expert"}],
                                              "reason": "x"}, at="2023-03-09T08:10+08:00")
    assert r.guard == "appointees_new"
    n.fire("appoint_members", {"members": [{"name": "吴专家", "role": "expert"}],
                               "reason": "周专家、陈专家回避"}, at="2023-03-09T08:30+08:00")
    n.round(1, "S-CDJG", present=["刘专家", "采购人代表张", "吴专家"])


def test_sealed_quotations_open_all_at_once_and_a_changed_one_fails(registered: Any) -> None:
    n = Negotiation(registered).negotiating()
    n.final_requested()
    for i, (sid, price) in enumerate(zip(FOUR, ["3380000.00", "3245000.00", "3300000.00",
                                                "3290000.00"])):
        n.quote(sid, price, at=f"2023-03-14T1{i}:00+08:00")
    [r] = refused(n.quote, "S-CDJG", "3000000.00", at="2023-03-14T16:00+08:00")
    assert "already quoted" in r.reason
    sealed = n.status()["bids"]["final_quote"]
    assert sealed["opened"] is False and sealed["sealed"]["count"] == 4
    assert "sealed_by" not in sealed and not any(s in str(sealed) for s in FOUR)
    assert "offers" not in sealed and "price" not in str(n.state()["sealed"])
    # Opening before the deadline is refused with the deadline named.
    [r] = refused(n.open, at="2023-03-14T16:59+08:00")
    assert r.opens_at == "2023-03-14T17:00:00+08:00"
    # S-HXJS reveals a price different from what it sealed; S-YXWY reveals nothing.
    n.open(changed={"S-HXJS": "3200000.00"}, leave_out=("S-YXWY",))
    view = n.status()["bids"]["final_quote"]
    assert {s: v["status"] for s, v in view["verdicts"].items()} == {
        "S-CDJG": "valid", "S-HXJS": "commitment_mismatch", "S-SLGC": "valid",
        "S-YXWY": "not_revealed"}
    assert set(view["offers"]) == {"S-CDJG", "S-SLGC"}
    assert "changed after sealing" in view["verdicts"]["S-HXJS"]["reason"]
    # Two valid quotations are too few to recommend (财政部令第74号 第33条).
    [r] = refused(n.fire, "recommend", {}, at="2023-03-15T09:00+08:00")
    assert r.rule == "negotiation.final_quotes_min" and r.numbers == {"quotes": 2, "minimum": 3}


def test_reveals_must_be_for_sealed_offers_once(registered: Any) -> None:
    n = Negotiation(registered).negotiating()
    n.final_requested()
    n.quote("S-CDJG", "3380000.00")
    n.reveals["S-ZZZZ"] = {**n.reveals["S-CDJG"], "supplier": "S-ZZZZ"}
    [r] = refused(n.open)
    assert r.rule == "bids.commitment" and "S-ZZZZ has no sealed offer" in r.reason


def test_late_quotation_is_refused_naming_the_deadline(registered: Any) -> None:
    n = Negotiation(registered).negotiating()
    n.final_requested()
    [r] = refused(n.quote, "S-CDJG", "3380000.00", at="2023-03-14T17:00:01+08:00")
    assert r.rule == "negotiation.final_quote"
    assert r.numbers["deadline"] == "2023-03-14T17:00:00+08:00"
    assert "2023-03-14T17:00:00+08:00" in r.reason


def test_withdrawal_before_the_deadline_and_the_bond_refund(registered: Any) -> None:
    n = Negotiation(registered).issued()
    for i, sid in enumerate(FOUR):
        n.fire("submit_response", {"supplier": sid, "bond": {"amount": "20000.00"}},
               actor=f"supplier:{sid}", at=f"2023-03-06T1{i}:00+08:00")
    [r] = refused(n.fire, "withdraw_response", {"supplier": "S-SLGC"}, actor="supplier:S-CDJG",
                  at="2023-03-07T09:00+08:00")
    assert "may not act for S-SLGC" in r.reason
    n.fire("withdraw_response", {"supplier": "S-SLGC", "notice": "书面撤回"},
           actor="supplier:S-SLGC", at="2023-03-07T09:00+08:00")
    # Friday 3-07 … five working days: 3-08, 3-09, 3-10, 3-13, 3-14.
    bonds = n.status()["bids"]["bonds"]
    assert bonds["S-SLGC"]["refund_due"] == "2023-03-14"
    assert n.status()["bids"]["withdrawn"] == {"response": ["S-SLGC"]}
    [r] = refused(n.fire, "withdraw_response", {"supplier": "S-CDJG"}, actor="supplier:S-CDJG",
                  at="2023-03-08T09:31+08:00")
    assert r.numbers["deadline"] == "2023-03-08T09:30:00+08:00"
    n.fire("refund_bond", {"supplier": "S-SLGC"}, at="2023-03-15T10:00+08:00")
    assert n.state()["bonds"]["S-SLGC"]["refunded_in_time"] is False
    [r] = refused(n.fire, "refund_bond", {"supplier": "S-SLGC"}, at="2023-03-15T11:00+08:00")
    assert "refunded on 2023-03-15" in r.reason
    [r] = refused(n.fire, "refund_bond", {"supplier": "S-ZZZZ"}, at="2023-03-15T11:00+08:00")
    assert "paid no bond" in r.reason


def opened_four(registered: Any, prices: list[str]) -> Negotiation:
    n = Negotiation(registered).negotiating()
    n.final_requested()
    for i, (sid, price) in enumerate(zip(FOUR, prices)):
        n.quote(sid, price, at=f"2023-03-14T1{i}:00+08:00")
    return n


def test_abnormally_low_price_is_explained_before_the_recommendation(registered: Any) -> None:
    # S-SLGC 2,500,000 < 4/5 × mean(3,380,000; 3,245,000; 3,290,000) = 2,636,000.00
    n = opened_four(registered, ["3380000.00", "3245000.00", "2500000.00", "3290000.00"])
    n.open()
    flag = n.status()["bids"]["final_quote"]["abnormally_low"]
    assert flag == {"S-SLGC": {"price": "2500000.00", "others_mean": "3305000.00",
                               "threshold": "2644000.00", "ratio": "4/5"}}
    [r] = refused(n.fire, "recommend", {}, at="2023-03-15T09:00+08:00")
    # CD-HH-2023 is works: the tendering law's rule, not 87号令 (goods and services)
    assert r.rule == "award.abnormally_low_ratio_works" and "explain_price" in r.reason
    assert "招标投标法实施条例 第51条第(五)项" in r.source
    [r] = refused(n.fire, "explain_price", {"supplier": "S-CDJG", "explanation": "x",
                                            "accepted": True}, at="2023-03-15T09:00+08:00")
    assert "not flagged" in r.reason
    n.fire("explain_price", {"supplier": "S-SLGC", "explanation": "未能说明成本构成",
                             "accepted": False}, at="2023-03-15T09:30+08:00")
    n.fire("recommend", {}, at="2023-03-15T10:00+08:00")
    assert [x["supplier"] for x in n.state()["recommendation"]["ranking"]] == [
        "S-HXJS", "S-YXWY", "S-CDJG"]
    [r] = refused(n.fire, "award", {"supplier": "S-SLGC"}, at="2023-03-15T11:00+08:00")
    assert r.rule == "negotiation.lowest_price"


def test_accepted_explanation_keeps_the_low_price(registered: Any) -> None:
    n = opened_four(registered, ["3380000.00", "3245000.00", "2500000.00", "3290000.00"])
    n.open()
    n.fire("explain_price", {"supplier": "S-SLGC", "explanation": "自有预制构件厂，成本明细附后",
                             "accepted": True}, at="2023-03-15T09:30+08:00")
    n.fire("recommend", {}, at="2023-03-15T10:00+08:00")
    n.fire("award", {"supplier": "S-SLGC"}, at="2023-03-15T11:00+08:00")
    assert n.state()["award"]["price"] == "2500000.00"


def test_equal_prices_follow_the_documents_tie_rule(registered: Any) -> None:
    n = Negotiation(registered)
    n.issued(documents={"tie_break": ["drawing_lots"]})
    for i, sid in enumerate(FOUR):
        n.fire("submit_response", {"supplier": sid}, actor=f"supplier:{sid}",
               at=f"2023-03-06T1{i}:00+08:00")
    registered.tick(__import__("tests.conftest", fromlist=["at"]).at("2023-03-08T10:00+08:00"))
    n.final_requested()
    for i, (sid, price) in enumerate(zip(FOUR, ["3245000.00", "3245000.00", "3300000.00",
                                                "3290000.00"])):
        n.quote(sid, price, at=f"2023-03-14T1{i}:00+08:00")
    n.open()
    [r] = refused(n.fire, "recommend", {}, at="2023-03-15T09:00+08:00")
    assert r.numbers["tied"] == ["S-CDJG", "S-HXJS"]
    n.fire("recommend", {"lots": {"S-CDJG": 2, "S-HXJS": 1}}, at="2023-03-15T09:00+08:00")
    rec = n.state()["recommendation"]
    assert [x["supplier"] for x in rec["ranking"]][:2] == ["S-HXJS", "S-CDJG"]
    assert rec["ties"][0]["broken_by"] == ["drawing_lots"]
    [r] = refused(n.fire, "award", {"supplier": "S-CDJG"}, at="2023-03-15T10:00+08:00")
    assert "tie rule ranks first" in r.reason
    n.fire("award", {"supplier": "S-HXJS"}, at="2023-03-15T10:00+08:00")


def awarded(registered: Any) -> Negotiation:
    n = opened_four(registered, ["3380000.00", "3245000.00", "3300000.00", "3290000.00"])
    n.open(noncompliant={"S-HXJS": "未响应工期要求"})
    n.fire("recommend", {}, at="2023-03-15T09:00+08:00")
    n.fire("award", {"supplier": "S-YXWY"}, at="2023-03-15T10:00+08:00")
    return n


def test_an_objection_pauses_until_answered_dismissed(registered: Any) -> None:
    n = awarded(registered)
    [r] = refused(n.fire, "raise_objection", {"supplier": "S-HXJS", "grounds": "x"},
                  actor="supplier:S-CDJG", at="2023-03-16T10:00+08:00")
    assert "may not act for S-HXJS" in r.reason
    n.fire("raise_objection", {"supplier": "S-HXJS", "grounds": "我方已响应100日工期"},
           actor="supplier:S-HXJS", at="2023-03-16T10:00+08:00")
    assert n.state()["state"] == "objection_pending"
    with pytest.raises(Exception, match="not possible in state 'objection_pending'"):
        n.fire("raise_objection", {"supplier": "S-CDJG", "grounds": "y"},
               at="2023-03-16T11:00+08:00")
    n.fire("answer_objection", {"answer": "响应文件第12页工期为120日，质疑不成立", "upheld": False},
           at="2023-03-20T10:00+08:00")
    st = n.state()
    assert st["state"] == "awarded" and st["award"]["supplier"] == "S-YXWY"
    assert st["challenges"][0]["in_time"] is True and st["challenges"][0]["upheld"] is False


def test_an_upheld_objection_withdraws_the_award(registered: Any) -> None:
    n = awarded(registered)
    n.fire("raise_objection", {"supplier": "S-HXJS", "grounds": "我方已响应100日工期"},
           actor="supplier:S-HXJS", at="2023-03-16T10:00+08:00")
    [r] = refused(n.fire, "answer_objection", {
        "answer": "成立", "upheld": True,
        "corrections": [{"supplier": "S-HXJS", "meets_substantive_requirements": False}]},
        at="2023-03-28T10:00+08:00")
    assert "needs a reason" in r.reason
    n.fire("answer_objection", {"answer": "复核后S-HXJS响应工期要求，质疑成立", "upheld": True,
                                "corrections": [{"supplier": "S-HXJS",
                                                 "meets_substantive_requirements": True}]},
           at="2023-03-28T10:00+08:00")
    st = n.state()
    assert st["state"] == "quotes_opened" and "award" not in st
    assert st["challenges"][0]["in_time"] is False  # 7 工作日 from 3-16 ended 3-27
    n.fire("recommend", {}, at="2023-03-28T11:00+08:00")
    n.fire("award", {"supplier": "S-HXJS"}, at="2023-03-28T12:00+08:00")
    assert n.state()["award"]["price"] == "3245000.00"


def test_objection_after_the_window_is_refused(registered: Any) -> None:
    n = awarded(registered)
    # Award on Wednesday 3-15, result published to Thursday 3-16 (1 工作日); seven working days
    # from that end (政府采购法实施条例 第53条) end Monday 3-27 at 24:00 (3-28 00:00).
    [r] = refused(n.fire, "raise_objection", {"supplier": "S-HXJS", "grounds": "x"},
                  actor="supplier:S-HXJS", at="2023-03-28T00:00+08:00")
    assert r.rule == "negotiation.objection_working_days"
    assert "2023-03-28T00:00:00+08:00" in r.reason and "第53条" in r.source
    n.fire("raise_objection", {"supplier": "S-HXJS", "grounds": "x"},
           actor="supplier:S-HXJS", at="2023-03-27T23:59+08:00")
    assert n.state()["state"] == "objection_pending"


def test_a_group_member_that_is_not_seated_may_not_act(registered: Any) -> None:
    n = Negotiation(registered).negotiating()
    [r] = refused(n.round, 1, "S-CDJG", actor="evaluator:王某")
    assert "not a member" in r.reason
    n.round(1, "S-CDJG", actor="staff:wang")
    assert [m["name"] for m in GROUP] == NAMES
