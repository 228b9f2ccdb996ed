"""An open tender with sealed bids driven through the services, for the bid and evaluation
tests: the modes' example data (project CD-WJ-2023, 12,600,000 yuan of works)."""

from __future__ import annotations

import json
from typing import Any

from tenderflow.domain.components.sealing import commitment
from tenderflow.domain.timeutil import parse_time
from tests.bids._flow import nonce
from tests.credit_lists import import_current

WORKED = {  # the worked example of features/evaluation/综合评分.feature
    "method": "comprehensive", "price_weight": "30",
    "criteria": [{"id": "technical", "name": "技术方案", "weight": "40"},
                 {"id": "operation", "name": "运营方案", "weight": "30"}],
    "tie_break": ["lower_price", "higher_technical"]}
PRICES = {"S-CDJG": "3380000.00", "S-HXJS": "3245000.00", "S-SLGC": "3100000.00"}
MEMBERS = [{"name": "技术专家甲", "role": "expert"}, {"name": "技术专家乙", "role": "expert"},
           {"name": "经济专家丙", "role": "expert"}, {"name": "经济专家丁", "role": "expert"},
           {"name": "招标人代表戊", "role": "purchaser_representative"}]
TECHNICAL = {"S-CDJG": ["36", "35", "37", "34", "36"], "S-HXJS": ["35", "36", "34", "35", "35.5"],
             "S-SLGC": ["31", "30", "32", "30.5", "31"]}
OPERATION = {"S-CDJG": ["25", "26", "24", "25", "27"], "S-HXJS": ["27", "26", "28", "27", "26.5"],
             "S-SLGC": ["24", "23", "25", "24", "23.5"]}


def sheet(i: int, technical: dict[str, list[str]] = TECHNICAL,
          operation: dict[str, list[str]] = OPERATION) -> dict[str, dict[str, str]]:
    return {sid: {"technical": technical[sid][i], "operation": operation[sid][i]}
            for sid in technical}


class Tender:
    """One open tender, with the reveals its suppliers keep until the opening."""

    def __init__(self, services: Any, pid: str = "OT-B") -> None:
        self.s = services
        self.pid = pid
        self.reveals: dict[str, dict[str, Any]] = {}

    def fire(self, trigger: str, data: Any = None, actor: str = "staff:wang",
             at: str = "2023-03-01T10:00+08:00") -> Any:
        if trigger in ("check_eligibility", "decide_entrustment"):  # credit lists of the day
            import_current(self.s, parse_time(at))
        return self.s.fire(self.pid, trigger, data, actor, parse_time(at))

    def state(self) -> dict[str, Any]:
        return self.s.state(self.pid)  # type: ignore[no-any-return]

    def bidding(self, evaluation: dict[str, Any] | None = WORKED,
                candidates: tuple[str, ...] = ("S-CDJG", "S-HXJS", "S-SLGC", "S-YXWY")
                ) -> Tender:
        from tests.modes.journeys import register_modes_data

        register_modes_data(self.s)
        self.s.open_procurement(self.pid, "CD-WJ-2023", "open_tender", "staff:wang",
                                parse_time("2023-03-01T09:00+08:00"))
        data: dict[str, Any] = {"sale_until": "2023-03-06T17:00+08:00",
                                "bid_deadline": "2023-03-21T09:30+08:00", "bid_bond": "252000.00"}
        if evaluation is not None:
            data["evaluation"] = evaluation
        self.fire("issue_documents", data)
        if "check_eligibility" in self.s.definitions("open_tender").workflow.triggers():
            self.fire("check_eligibility", {"candidates": list(candidates)},
                      at="2023-03-02T09:00+08:00")
        return self

    def bid(self, sid: str, price: str, at: str = "2023-03-10T10:00+08:00",
            **content: Any) -> Any:
        body = {"price": price, **content}
        digest = commitment(self.pid, sid, "bid", body, nonce(sid))
        result = self.fire("submit_bid", {"supplier": sid, "commitment": digest,
                                          "bond": "252000.00"}, actor=f"supplier:{sid}", at=at)
        self.reveals[sid] = {"supplier": sid, "content": body, "nonce": nonce(sid)}
        return result

    def opened(self, prices: dict[str, str] = PRICES) -> Tender:
        for i, (sid, price) in enumerate(prices.items()):
            self.bid(sid, price, at=f"2023-03-1{i}T10:00+08:00")
        self.s.tick(parse_time("2023-03-21T09:30+08:00"))
        assert self.state()["state"] == "opened"
        return self

    def unseal(self, changed: dict[str, str] | None = None, at: str = "2023-03-21T09:45+08:00"
               ) -> Any:
        reveals = []
        for sid, r in sorted(self.reveals.items()):
            r = json.loads(json.dumps(r))
            if changed and sid in changed:
                r["content"]["price"] = changed[sid]
            reveals.append(r)
        return self.fire("unseal_bids", {"reveals": reveals}, at=at)

    def committee(self, members: list[dict[str, Any]] = MEMBERS) -> Tender:
        self.fire("form_committee", {"members": members}, at="2023-03-21T10:00+08:00")
        return self

    def scores(self, members: list[dict[str, Any]] = MEMBERS, **kw: Any) -> Tender:
        for i, m in enumerate(members):
            self.fire("submit_scores", {"member": m["name"], "scores": sheet(i, **kw)},
                      actor=f"evaluator:{m['name']}", at=f"2023-03-22T1{i}:00+08:00")
        return self

    def evaluate(self, candidates: list[dict[str, Any]], **extra: Any) -> Any:
        return self.fire("record_evaluation", {"candidates": candidates, **extra},
                         actor="evaluator:技术专家甲", at="2023-03-22T17:00+08:00")
