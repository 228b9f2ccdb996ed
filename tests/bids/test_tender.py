"""Sealed bids, 回避, scoring and the computed ranking in an open tender, through the services."""

from __future__ import annotations

from typing import Any

import pytest

from tenderflow.audit.replay import replay
from tenderflow.errors import TriggerRefused
from tests.bids._tender import MEMBERS, PRICES, Tender, sheet


def refused(fn: Any, *args: Any, **kw: Any) -> list[Any]:
    """The refusals, without those of the other branch of record_evaluation (all bids
    rejected), which refuses whenever candidates are given."""
    with pytest.raises(TriggerRefused) as err:
        fn(*args, **kw)
    return [r for r in err.value.refusals if r.guard != "tender_all_bids_rejected"]


def test_worked_comprehensive_example_ranks_and_records_the_breakdown(registered: Any) -> None:
    t = Tender(registered).bidding().opened()
    t.unseal()
    t.committee().scores()
    # A report that ranks the cheapest first is refused: the scores say otherwise.
    [r] = refused(t.evaluate, [{"supplier": "S-SLGC", "rank": 1}])
    assert r.rule == "evaluation.ranking"
    assert "1. S-HXJS (90.66)" in r.reason
    rs = refused(t.evaluate, [{"supplier": "S-HXJS", "rank": 1, "score": "90.65"}])
    assert "computed 90.66" in rs[0].reason
    t.evaluate([{"supplier": "S-HXJS", "rank": 1, "score": "90.66"},
                {"supplier": "S-CDJG", "rank": 2, "score": "88.51"},
                {"supplier": "S-SLGC", "rank": 3, "score": "84.80"}])
    st = t.state()
    assert st["state"] == "evaluated"
    rows = {r["supplier"]: r for r in st["recommendation"]["ranking"]}
    assert (rows["S-HXJS"]["price_score"], rows["S-HXJS"]["technical"],
            rows["S-HXJS"]["total"]) == ("28.66", "62.00", "90.66")
    assert rows["S-CDJG"]["criteria"]["technical"]["scores"]["技术专家甲"] == "36.00"
    assert st["recommendation"]["base_price"] == "3100000.00"
    report = replay(registered.store, "OT-B")
    assert report.ok, report.to_dict()


def test_scores_need_every_serving_member_and_valid_sheets(registered: Any) -> None:
    t = Tender(registered).bidding().opened().committee()
    rs = refused(t.fire, "submit_scores", {"member": "技术专家甲", "scores": sheet(0)},
                 actor="evaluator:技术专家甲", at="2023-03-22T10:00+08:00")
    assert [r.guard for r in rs] == ["tender_bids_unsealed", "tender_scores_valid"]
    t.unseal(at="2023-03-21T10:30+08:00")  # the committee formed, the bids still unsealed
    with pytest.raises(TriggerRefused, match="already been unsealed"):
        t.unseal(at="2023-03-21T10:40+08:00")
    bad = sheet(0)
    bad["S-CDJG"]["technical"] = "41"
    [r] = refused(t.fire, "submit_scores", {"member": "技术专家甲", "scores": bad},
                  actor="evaluator:技术专家甲", at="2023-03-22T10:00+08:00")
    assert r.rule == "evaluation.scores" and "above the weight 40.00" in r.reason
    [r] = refused(t.fire, "submit_scores", {"member": "技术专家乙", "scores": sheet(1)},
                  actor="evaluator:技术专家甲", at="2023-03-22T10:00+08:00")
    assert r.rule == "committee.recusal" and "may not record the scores" in r.reason
    t.scores(MEMBERS[:4])
    [r] = refused(t.evaluate, [{"supplier": "S-HXJS", "rank": 1}])
    assert "招标人代表戊 have not recorded their scores" in r.reason


def test_a_related_committee_member_is_recused_and_replaced(registered: Any) -> None:
    t = Tender(registered).bidding().opened()
    t.unseal()
    members = [dict(m) for m in MEMBERS]
    members[1]["affiliations"] = ["陈红"]  # S-HXJS's legal representative
    t.committee(members)
    with registered.store.reading() as tx:
        formed = next(e for e in tx.read_stream("procurement:OT-B")
                      if e.type == "EvaluationCommitteeFormed")
    [rec] = formed.payload["findings"]["recusals"]
    assert (rec["member"], rec["supplier"]) == ("技术专家乙", "S-HXJS")
    rs = refused(t.fire, "submit_scores", {"member": "技术专家乙", "scores": sheet(1)},
                 actor="evaluator:技术专家乙", at="2023-03-22T10:00+08:00")
    assert {r.rule for r in rs} == {"tender.committee_min_size", "committee.recusal"}
    t.fire("appoint_committee_members", {"members": [{"name": "技术专家己", "role": "expert"}],
                                         "reason": "技术专家乙回避"}, at="2023-03-21T11:00+08:00")
    serving = [dict(m) for m in MEMBERS]
    serving[1] = {"name": "技术专家己", "role": "expert"}
    t.scores(serving)
    t.evaluate([{"supplier": "S-HXJS", "rank": 1}])


def test_a_bid_changed_after_the_deadline_fails_its_commitment(registered: Any) -> None:
    t = Tender(registered).bidding().opened()
    t.unseal(changed={"S-SLGC": "3000000.00"})
    verdicts = t.s.status("OT-B")["bids"]["bid"]["verdicts"]
    assert verdicts["S-SLGC"]["status"] == "commitment_mismatch"
    assert "price" not in t.state()["bids"]["S-SLGC"]
    t.committee()
    # Scored without S-SLGC, the base price is S-HXJS's: it scores the full 30.
    t.scores(technical={k: v for k, v in sheet_cols("technical").items() if k != "S-SLGC"},
             operation={k: v for k, v in sheet_cols("operation").items() if k != "S-SLGC"})
    [r] = refused(t.evaluate, [{"supplier": "S-SLGC", "rank": 1}])
    assert "S-SLGC has no valid bid" in r.reason and "changed after sealing" in r.reason
    t.evaluate([{"supplier": "S-HXJS", "rank": 1, "score": "92.00"}])
    [row] = [x for x in t.state()["recommendation"]["ranking"] if x["supplier"] == "S-HXJS"]
    assert row["price_score"] == "30.00"


def sheet_cols(criterion: str) -> dict[str, list[str]]:
    from tests.bids._tender import OPERATION, TECHNICAL

    return TECHNICAL if criterion == "technical" else OPERATION


def test_withdrawal_before_the_deadline_then_a_new_bid(registered: Any) -> None:
    t = Tender(registered).bidding()
    t.bid("S-CDJG", "3380000.00")
    [r] = refused(t.bid, "S-CDJG", "3300000.00", at="2023-03-11T10:00+08:00")
    assert "already bid" in r.reason
    t.fire("withdraw_bid", {"supplier": "S-CDJG", "notice": "书面撤回"},
           actor="supplier:S-CDJG", at="2023-03-11T10:00+08:00")
    st = t.state()
    assert st["bonds"]["S-CDJG"]["refund_due"] == "2023-03-16"  # 5日 from Saturday 3-11
    assert "S-CDJG" not in st["bids"]
    view = t.s.status("OT-B")["bids"]
    assert view["withdrawn"] == {"bid": 1} and "S-CDJG" not in str(view)
    t.bid("S-CDJG", "3300000.00", at="2023-03-12T10:00+08:00")
    [r] = refused(t.fire, "withdraw_bid", {"supplier": "S-CDJG"}, actor="supplier:S-CDJG",
                  at="2023-03-21T09:30+08:00")
    assert r.numbers["deadline"] == "2023-03-21T09:30:00+08:00"
    late = refused(t.bid, "S-HXJS", "3245000.00", at="2023-03-21T09:31+08:00")
    assert any("2023-03-21T09:30:00+08:00" in x.reason for x in late)


def test_lowest_evaluated_price_with_adjustments(registered: Any) -> None:
    method = {"method": "lowest_evaluated_price", "tie_break": ["lower_price"],
              "factors": [{"id": "schedule", "name": "工期"}]}
    t = Tender(registered).bidding(method).opened()
    t.unseal()
    t.committee()
    t.fire("record_adjustments", {"adjustments": {
        "S-SLGC": [{"factor": "schedule", "amount": "200000.00", "reason": "工期延后20日"}]}},
        actor="evaluator:技术专家甲", at="2023-03-22T10:00+08:00")
    # Evaluated: S-SLGC 3,300,000.00; S-HXJS 3,245,000.00; S-CDJG 3,380,000.00.
    [r] = refused(t.evaluate, [{"supplier": "S-SLGC", "rank": 1}])
    assert "1. S-HXJS (3245000.00)" in r.reason
    t.evaluate([{"supplier": "S-HXJS", "rank": 1}, {"supplier": "S-SLGC", "rank": 2}])
    assert [x["evaluated_price"] for x in t.state()["recommendation"]["ranking"]] == [
        "3245000.00", "3300000.00", "3380000.00"]


def test_abnormally_low_bid_is_explained_before_the_evaluation(registered: Any) -> None:
    prices = {**PRICES, "S-SLGC": "2500000.00"}  # < 4/5 × 3,312,500.00 = 2,650,000.00
    t = Tender(registered).bidding(None).opened(prices)
    t.unseal()
    assert "S-SLGC" in t.state()["abnormally_low"]["bid"]
    t.committee()
    [r] = refused(t.evaluate, [{"supplier": "S-SLGC", "rank": 1}])
    assert r.rule == "evaluation.ranking" and "explain_bid_price" in r.reason
    t.fire("explain_bid_price", {"supplier": "S-SLGC", "explanation": "未说明成本构成",
                                 "accepted": False}, at="2023-03-22T09:00+08:00")
    [r] = refused(t.evaluate, [{"supplier": "S-SLGC", "rank": 1}])
    assert "not accepted" in r.reason
    # No method stated: the committee's ranking of valid bids is recorded as reported.
    t.evaluate([{"supplier": "S-CDJG", "rank": 1}], rejected=[
        {"supplier": "S-SLGC", "reason": "报价低于成本且不能合理说明"}])
    assert "recommendation" not in t.state()
