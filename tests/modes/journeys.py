"""Standard journeys through the modes, driven through the application services: the
policy features and the mode tests start from a procurement already brought to a state.

A journey is a list of steps ``(at, actor, trigger, data)`` (``trigger`` "tick" runs the
timers at ``at``); :func:`walk_to` opens the procurement and runs the steps until the
procurement first reaches the wanted state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderflow.domain.components.sealing import commitment
from tenderflow.domain.timeutil import parse_time
from tenderflow.paths import examples_dir
from tests.conftest import REGISTERED_AT
from tests.credit_lists import import_current

Step = tuple[str, str, str, dict[str, Any] | None]

MODES_DATA = ("modes_projects.yaml", "projects"), ("modes_suppliers.yaml", "suppliers")

SHA = "0" * 63 + "1"

TENDER: list[Step] = [
    ("2023-03-01T09:30+08:00", "staff:wang", "check_eligibility",
     {"candidates": ["S-CDJG", "S-HXJS", "S-SLGC", "S-YXWY"]}),
    ("2023-03-01T10:00+08:00", "staff:wang", "issue_documents",
     {"sale_until": "2023-03-06T17:00+08:00", "bid_deadline": "2023-03-21T09:30+08:00",
      "bid_bond": "252000.00"}),
    ("2023-03-10T10:00+08:00", "supplier:S-CDJG", "submit_bid",
     {"supplier": "S-CDJG", "price": "11980000.00", "bond": "252000.00"}),
    ("2023-03-11T10:00+08:00", "supplier:S-HXJS", "submit_bid",
     {"supplier": "S-HXJS", "price": "12150000.00", "bond": "252000.00"}),
    ("2023-03-13T10:00+08:00", "supplier:S-SLGC", "submit_bid",
     {"supplier": "S-SLGC", "price": "11760000.00", "bond": "252000.00"}),
    ("2023-03-21T09:30+08:00", "system:tick", "tick", None),
    ("2023-03-21T09:45+08:00", "staff:wang", "unseal_bids", None),
    ("2023-03-21T10:00+08:00", "staff:wang", "form_committee",
     {"members": [{"name": n, "role": "expert"} for n in ("甲", "乙", "丙", "丁")]
      + [{"name": "招标人代表", "role": "purchaser_representative"}]}),
    ("2023-03-22T17:00+08:00", "evaluator:甲", "record_evaluation",
     {"candidates": [{"supplier": "S-CDJG", "rank": 1}, {"supplier": "S-SLGC", "rank": 2},
                     {"supplier": "S-HXJS", "rank": 3}]}),
    ("2023-03-23T09:00+08:00", "staff:wang", "publish_candidates", {}),
    ("2023-03-28T00:00+08:00", "system:tick", "tick", None),
    ("2023-03-28T10:00+08:00", "staff:wang", "award", {"supplier": "S-CDJG"}),
    ("2023-04-10T10:00+08:00", "staff:wang", "sign_contract",
     {"contract_value": "11980000.00", "performance_bond": "1198000.00"}),
]

# The same tender with a fourth bidder (S-YXWY): the committee could rank four, the law lets it
# recommend three at most (招标投标法实施条例 第53条).
TENDER_FOUR_BIDS: list[Step] = [
    *TENDER[:5],
    ("2023-03-14T10:00+08:00", "supplier:S-YXWY", "submit_bid",
     {"supplier": "S-YXWY", "price": "12260000.00", "bond": "252000.00"}),
    *TENDER[5:],
]

PPP: list[Step] = [
    ("2023-08-01T10:00+08:00", "staff:zhao", "publish_prequalification",
     {"sale_until": "2023-08-07T17:00+08:00", "application_deadline": "2023-08-22T09:00+08:00"}),
    ("2023-08-10T10:00+08:00", "supplier:S-CDJG", "submit_application", {"supplier": "S-CDJG"}),
    ("2023-08-11T10:00+08:00", "supplier:S-YXWY", "submit_application", {"supplier": "S-YXWY"}),
    ("2023-08-15T10:00+08:00", "supplier:S-HXJS", "submit_application", {"supplier": "S-HXJS"}),
    ("2023-08-22T10:00+08:00", "staff:zhao", "record_prequalification",
     {"results": [{"supplier": s, "passed": True} for s in ("S-CDJG", "S-YXWY", "S-HXJS")]}),
    ("2023-08-23T09:00+08:00", "staff:zhao", "check_eligibility",
     {"candidates": ["S-CDJG", "S-YXWY", "S-HXJS"]}),
    ("2023-08-23T10:00+08:00", "staff:zhao", "issue_documents",
     {"sale_until": "2023-08-28T17:00+08:00", "bid_deadline": "2023-09-12T09:30+08:00",
      "bid_bond": "800000.00"}),
    ("2023-08-30T10:00+08:00", "supplier:S-YXWY", "submit_bid",
     {"supplier": "S-YXWY", "price": "38600000.00", "bond": "800000.00"}),
    ("2023-08-31T10:00+08:00", "supplier:S-CDJG", "submit_bid",
     {"supplier": "S-CDJG", "price": "39200000.00", "bond": "800000.00"}),
    ("2023-09-01T10:00+08:00", "supplier:S-HXJS", "submit_bid",
     {"supplier": "S-HXJS", "price": "39900000.00", "bond": "800000.00"}),
    ("2023-09-12T09:30+08:00", "system:tick", "tick", None),
    ("2023-09-12T09:45+08:00", "staff:zhao", "unseal_bids", None),
    ("2023-09-12T10:00+08:00", "staff:zhao", "form_committee",
     {"members": [{"name": "技术专家陈", "role": "expert"},
                  {"name": "技术专家林", "role": "expert"},
                  {"name": "财务专家周", "role": "finance_expert"},
                  {"name": "法律专家黄", "role": "legal_expert"},
                  {"name": "实施机构代表郑", "role": "purchaser_representative"}]}),
    ("2023-09-13T17:00+08:00", "evaluator:技术专家陈", "record_evaluation",
     {"candidates": [{"supplier": "S-YXWY", "rank": 1}, {"supplier": "S-CDJG", "rank": 2},
                     {"supplier": "S-HXJS", "rank": 3}]}),
    ("2023-09-14T09:00+08:00", "staff:zhao", "publish_candidates", {}),
    ("2023-09-19T00:00+08:00", "system:tick", "tick", None),
    ("2023-09-19T10:00+08:00", "staff:zhao", "start_confirmation", {}),
    ("2023-09-19T14:00+08:00", "staff:zhao", "record_confirmation",
     {"supplier": "S-YXWY", "agreed": True, "changes": []}),
    ("2023-09-20T09:00+08:00", "staff:zhao", "publish_provisional_result",
     {"draft_contract": {"name": "PPP项目合同（草案）.pdf", "sha256": SHA}}),
    ("2023-09-28T00:00+08:00", "system:tick", "tick", None),
    ("2023-09-28T10:00+08:00", "staff:zhao", "award", {"supplier": "S-YXWY"}),
    ("2023-09-28T15:00+08:00", "staff:zhao", "sign_contract",
     {"contract_value": "38600000.00", "performance_bond": "3860000.00"}),
]

DELEGATION: list[Step] = [
    ("2024-03-05T10:00+08:00", "staff:he", "decide_entrustment",
     {"supplier": "S-QYCG", "decided_by": "成都市青羊区人民政府",
      "ground": {"basis": "government_decision", "reference": "青府发〔2024〕5号",
                 "justification": "区属国有企业作为实施主体统筹片区改造"},
      "eligibility": {"conclusion": "具备政府采购法第22条规定的条件"}, "works": "self_build"}),
    ("2024-03-06T09:00+08:00", "staff:he", "publish_decision",
     {"until": "2024-03-13T17:00+08:00", "channel": "区政府网站"}),
    ("2024-03-13T17:00+08:00", "system:tick", "tick", None),
    ("2024-03-15T10:00+08:00", "staff:he", "sign_agreement",
     {"supplier": "S-QYCG", "agreement": {"name": "委托协议.pdf", "sha256": SHA}}),
]

JOURNEYS: dict[str, tuple[str, str, str, list[Step]]] = {
    # name: (mode, project, opened at, steps)
    "公开招标": ("open_tender", "CD-WJ-2023", "2023-03-01T09:00+08:00", TENDER),
    "四家投标的公开招标": ("open_tender", "CD-WJ-2023", "2023-03-01T09:00+08:00", TENDER_FOUR_BIDS),
    "PPP招标": ("open_tender", "BJ-JS-2023", "2023-08-01T09:00+08:00", PPP),
    "政府委托": ("delegation", "CD-CT-2024", "2024-03-04T09:00+08:00", DELEGATION),
}


def register_modes_data(services: Any) -> None:
    """The projects and implementing entities of examples/data/modes_*.yaml."""
    from tenderflow.app.registration import load_file

    data: Path = examples_dir() / "data"
    for file, kind in MODES_DATA:
        services.register(kind, load_file(data / file, kind), "staff:test",
                          parse_time(REGISTERED_AT))


# Bids are sealed (tenderflow.domain.components.sealing): a journey step names the price a supplier seals;
# the step records only its commitment, and ``unseal_bids`` (data None) reveals them all.
SEALED: dict[str, dict[str, dict[str, Any]]] = {}


def journey_nonce(pid: str, sid: str) -> str:
    return (f"{pid}/{sid}".encode().hex() * 8)[:64]


def run_step(services: Any, pid: str, step: Step) -> None:
    at, actor, trigger, data = step
    if trigger == "tick":
        services.tick(parse_time(at))
        return
    if trigger == "submit_bid" and data and "price" in data:
        sid, content = data["supplier"], {"price": data["price"]}
        nonce = journey_nonce(pid, sid)
        SEALED.setdefault(pid, {})[sid] = {"supplier": sid, "content": content, "nonce": nonce}
        data = {**{k: v for k, v in data.items() if k != "price"},
                "commitment": commitment(pid, sid, "bid", content, nonce)}
    elif trigger == "unseal_bids" and data is None:
        data = {"reveals": [SEALED[pid][sid] for sid in sorted(SEALED.get(pid, {}))]}
    elif trigger in ("check_eligibility", "decide_entrustment"):  # credit lists of the day
        import_current(services, parse_time(at))
    services.fire(pid, trigger, data, actor, parse_time(at))


def walk_to(services: Any, journey: str, pid: str, target: str,
            options: dict[str, Any] | None = None, project: str | None = None) -> None:
    """Open ``pid`` (of the journey's project, or ``project``) and run the journey's steps
    until it first reaches ``target``."""
    mode, default_project, opened, steps = JOURNEYS[journey]
    project = project or default_project
    services.open_procurement(pid, project, mode, "staff:wang", parse_time(opened), options)
    if services.state(pid)["state"] == target:
        return
    for step in steps:
        run_step(services, pid, step)
        if services.state(pid)["state"] == target:
            return
    raise AssertionError(f"journey {journey} never reaches {target}")
