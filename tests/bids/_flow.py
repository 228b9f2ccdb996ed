"""A competitive negotiation driven through the services, step by step, for the bid tests."""

from __future__ import annotations

import json
from typing import Any

from tenderflow.domain.components.sealing import commitment
from tenderflow.domain.timeutil import parse_time
from tenderflow.workflow.definitions import load_workflow
from tests.credit_lists import import_current

GROUP = [{"name": "刘专家", "role": "expert"}, {"name": "周专家", "role": "expert"},
         {"name": "采购人代表张", "role": "purchaser_representative"}]
NAMES = [m["name"] for m in GROUP]
FOUR = ["S-CDJG", "S-HXJS", "S-SLGC", "S-YXWY"]


def nonce(sid: str) -> str:
    return (sid.encode().hex() * 8)[:64]


class Negotiation:
    """One procurement in competitive negotiation, with a clock the steps move forward."""

    def __init__(self, services: Any, pid: str = "CN-B", project: str = "CD-HH-2023") -> None:
        self.s = services
        self.pid = pid
        self.project = project
        self.reveals: dict[str, dict[str, Any]] = {}

    def fire(self, trigger: str, data: Any = None, actor: str = "staff:wang",
             at: str = "2023-03-01T10:00+08:00") -> Any:
        if trigger in ("check_eligibility", "decide_entrustment"):  # credit lists of the day
            import_current(self.s, parse_time(at))
        return self.s.fire(self.pid, trigger, data, actor, parse_time(at))

    def state(self) -> dict[str, Any]:
        return self.s.state(self.pid)  # type: ignore[no-any-return]

    def status(self, at: str | None = None) -> dict[str, Any]:
        return self.s.status(self.pid, parse_time(at) if at else None)  # type: ignore[no-any-return]

    # --- up to the negotiation ------------------------------------------------------------
    def formed(self, group: list[dict[str, Any]] = GROUP) -> Negotiation:
        self.s.open_procurement(self.pid, self.project, "competitive_negotiation", "staff:wang",
                                parse_time("2023-03-01T09:00+08:00"))
        self.fire("approve_method", {"ground": "complex_or_special", "justification": "技术复杂"})
        self.fire("form_group", {"members": group}, at="2023-03-02T10:00+08:00")
        return self

    def invited(self, suppliers: list[str] = FOUR, **kw: Any) -> Negotiation:
        self.formed(**kw)
        if "check_eligibility" in load_workflow("competitive_negotiation").triggers():
            self.fire("check_eligibility", {"candidates": suppliers}, at="2023-03-03T09:00+08:00")
        self.fire("invite", {"suppliers": [{"id": s, "recommended_by": "public_notice"}
                                           for s in suppliers]}, at="2023-03-03T10:00+08:00")
        return self

    def issued(self, suppliers: list[str] = FOUR, documents: dict[str, Any] | None = None,
               **kw: Any) -> Negotiation:
        self.invited(suppliers, **kw)
        self.fire("issue_documents", {"response_deadline": "2023-03-08T09:30+08:00",
                                      **(documents or {})}, at="2023-03-03T11:00+08:00")
        return self

    def negotiating(self, suppliers: list[str] = FOUR, **kw: Any) -> Negotiation:
        self.issued(suppliers, **kw)
        for i, sid in enumerate(suppliers):
            self.fire("submit_response", {"supplier": sid, "bond": {"amount": "20000.00"}},
                      actor=f"supplier:{sid}", at=f"2023-03-06T1{i}:00+08:00")
        self.s.tick(parse_time("2023-03-08T10:00+08:00"))
        assert self.state()["state"] == "negotiating"
        return self

    def round(self, n: int, sid: str, *, changes: list[str] | None = None,
              excluded: list[dict[str, str]] | None = None, at: str = "2023-03-09T09:00+08:00",
              actor: str = "evaluator:刘专家", present: list[str] | None = None) -> Any:
        data: dict[str, Any] = {"round": n, "met": [sid], "group_present": present or NAMES,
                                "changes": changes or []}
        if changes:
            data["notified"] = sorted(self.state()["responses"])
        if excluded:
            data["excluded"] = excluded
        return self.fire("record_round", data, actor=actor, at=at)

    def final_requested(self, suppliers: list[str] = FOUR) -> Negotiation:
        for sid in suppliers:
            self.round(1, sid)
        self.fire("request_final_quotes", {"deadline": "2023-03-14T17:00+08:00"},
                  actor="evaluator:刘专家", at="2023-03-13T09:00+08:00")
        return self

    # --- sealed final quotations ----------------------------------------------------------
    def quote(self, sid: str, price: str, at: str = "2023-03-14T10:00+08:00") -> Any:
        content = {"price": price}
        digest = commitment(self.pid, sid, "final_quote", content, nonce(sid))
        result = self.fire("submit_final_quote", {"supplier": sid, "commitment": digest},
                           actor=f"supplier:{sid}", at=at)
        self.reveals[sid] = {"supplier": sid, "content": content, "nonce": nonce(sid),
                             "meets_substantive_requirements": True}
        return result

    def open(self, *, changed: dict[str, str] | None = None,
             noncompliant: dict[str, str] | None = None, leave_out: tuple[str, ...] = (),
             at: str = "2023-03-14T18:00+08:00") -> Any:
        reveals = []
        for sid, r in sorted(self.reveals.items()):
            if sid in leave_out:
                continue
            r = json.loads(json.dumps(r))
            if changed and sid in changed:
                r["content"]["price"] = changed[sid]
            if noncompliant and sid in noncompliant:
                r["meets_substantive_requirements"] = False
                r["reason"] = noncompliant[sid]
            reveals.append(r)
        return self.fire("open_final_quotes", {"reveals": reveals}, actor="evaluator:刘专家",
                         at=at)

