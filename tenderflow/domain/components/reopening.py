"""Re-opening a failed procurement as a new one, in the same mode or a permitted other one.

A procurement that failed (流标 / 终止) is not revived: a new procurement of the same project is
opened and its ``ProcurementCreated`` records the link, the ground and its source. Which switches
are permitted, on which grounds, is the table :data:`PERMITTED` (policy as data); a change of
method also records the approval of the supervising department (政府采购法 第37条).

Works that must be tendered are re-tendered first: only when the re-tender fails too may the
method change, with approval (工程建设项目施工招标投标办法 第38条第3款). The link records who bid
in the failed tender and whose bids were found responsive, so that a negotiation may continue
with exactly those two (财政部令第74号 第27条第2款; see
:mod:`tenderflow.domain.modes.negotiation.decisions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tenderflow.domain.components import bids
from tenderflow.domain.fold import State, applies
from tenderflow.domain.parameters import Parameters
from tenderflow.errors import Refusal


@dataclass(frozen=True)
class Ground:
    code: str
    zh: str
    source: str


_RETENDER = Ground("retender", "招标失败，重新招标", "招标投标法 第28条; 招标投标法实施条例 第19、44条")
_TENDER_FAILED = Ground(
    "tender_failed", "招标后没有供应商投标或者没有合格标的或者重新招标未能成立",
    "政府采购法 第30条第(一)项; 财政部令第74号 第27条")
_REPROCURE = Ground("re_procurement", "竞争性谈判终止后重新开展采购活动", "财政部令第74号 第37条")
_ENTRUSTMENT_FAILED = Ground(
    "entrustment_failed", "政府委托未成立，依法招标选择实施单位",
    "招标投标法 第3条; 国家发展改革委令第16号")

#: (failed mode, new mode) -> the grounds on which the switch is permitted.
PERMITTED: dict[tuple[str, str], tuple[Ground, ...]] = {
    ("open_tender", "open_tender"): (_RETENDER,),
    ("open_tender", "competitive_negotiation"): (_TENDER_FAILED,),
    ("competitive_negotiation", "competitive_negotiation"): (_REPROCURE,),
    ("competitive_negotiation", "open_tender"): (_REPROCURE,),
    ("delegation", "open_tender"): (_ENTRUSTMENT_FAILED,),
}

RULE = "procedure.reopen"
METHOD_CHANGE_RULE = "procedure.reopen_method_change"
METHOD_CHANGE_SOURCE = "政府采购法 第37条"
FAILED_ONLY_SOURCE = "政府采购法 第36、37条; 招标投标法实施条例 第44条"
RETENDER_FIRST_RULE = "procedure.works_retender_first"
RETENDER_FIRST_SOURCE = "工程建设项目施工招标投标办法 第38条第3款; 招标投标法 第28条"


def _retenders_required(params: Parameters | None, on: date | None) -> tuple[int, str]:
    """How many failed re-tenders must precede a change of method for works that must be
    tendered (the parameter ``procedure.works_retender_first``; 1 without parameters), and the
    citation of the rule."""
    if params is None or on is None or RETENDER_FIRST_RULE not in params:
        return 1, RETENDER_FIRST_SOURCE
    return int(params.value(RETENDER_FIRST_RULE, on)), params.get(RETENDER_FIRST_RULE).citation()
MUST_TENDER_WORKS = "regime.must_tender_works"


def must_tender_works(project: dict[str, Any], params: Parameters | None, on: date | None
                      ) -> bool:
    """Works at the must-tender scale (发改委令第16号). Without parameters (a caller that gives
    none) every works project is treated as one: the stricter reading."""
    if project.get("procurement_category", "works") != "works":
        return False
    if params is None or on is None or MUST_TENDER_WORKS not in params:
        return True
    return Decimal(project["estimated_investment"]) >= Decimal(params.value(MUST_TENDER_WORKS, on))


def _retendered(failed: State) -> bool:
    return (failed.get("reopens") or {}).get("ground") == _RETENDER.code


def tender_participants(failed: State) -> dict[str, Any]:
    """How many suppliers bid in a failed tender (sealed bids not withdrawn) and, if the bids
    were opened, how many were found responsive (valid, meeting the substantive requirements,
    not rejected): what 74号令 第27条第2款 counts. The names are recorded only when exactly two
    (``two``), the case in which the negotiation may continue with them; otherwise the names of
    the bidders of an unopened tender stay undisclosed (招标投标法 第22条)."""
    if failed.get("mode") != "open_tender":
        return {}
    bidders = sorted(bids.sealed_of(failed, "bid"))
    out: dict[str, Any] = {"bidders": len(bidders)}
    responsive: list[str] | None = None
    if bids.opened(failed, "bid"):
        rejected = set(failed.get("rejected", {}))
        responsive = sorted(s for s in bids.eligible_offers(failed, "bid") if s not in rejected)
        out["responsive"] = len(responsive)
    if responsive is not None and len(responsive) == 2:
        out["two"] = responsive
    elif len(bidders) == 2:
        out["two"] = bidders
    return out


def reopening(failed_id: str, failed: State, new_mode: str, project_id: str,
              ground: str | None, justification: str | None, approval: str | None,
              params: Parameters | None = None, on: date | None = None
              ) -> tuple[dict[str, Any] | None, list[Refusal]]:
    """The link to record in the new procurement's ``ProcurementCreated``, or the refusals.
    ``params`` and ``on`` (the parameters in force and the business date) decide whether works
    are at the must-tender scale."""
    old_mode = failed["mode"]
    refusals: list[Refusal] = []
    required, cited = _retenders_required(params, on)
    done = 1 if _retendered(failed) else 0
    if old_mode == "open_tender" and new_mode != "open_tender" and done < required and \
            must_tender_works(failed["project"], params, on):
        refusals.append(Refusal(
            RETENDER_FIRST_RULE,
            f"{failed_id} is a failed tender of works that must be tendered: re-tender first "
            f"(open_tender, ground retender); only when the re-tender fails too may the method "
            f"change to {new_mode}, with approval",
            cited, {"procurement": failed_id, "category": "works", "from": old_mode,
                    "to": new_mode, "retenders": done, "required": required}))
    if failed["state"] != "failed":
        refusals.append(Refusal(
            RULE, f"{failed_id} is {failed['state']}, not failed: only a failed procurement is "
                  "re-opened", FAILED_ONLY_SOURCE, {"procurement": failed_id,
                                                    "state": failed["state"]}))
    if failed["project"]["id"] != project_id:
        refusals.append(Refusal(
            RULE, f"{failed_id} procured project {failed['project']['id']}, not {project_id}",
            FAILED_ONLY_SOURCE, {"procurement": failed_id,
                                 "project": failed["project"]["id"]}))
    grounds = {g.code: g for g in PERMITTED.get((old_mode, new_mode), ())}
    if not grounds:
        allowed = sorted(new for old, new in PERMITTED if old == old_mode)
        refusals.append(Refusal(
            RULE, f"a failed {old_mode} procurement may be re-opened as "
                  f"{', '.join(allowed) or 'nothing'}, not {new_mode}",
            "; ".join(sorted({g.source for k, gs in PERMITTED.items() if k[0] == old_mode
                              for g in gs})) or FAILED_ONLY_SOURCE,
            {"from": old_mode, "to": new_mode, "allowed": allowed}))
    elif ground not in grounds:
        refusals.append(Refusal(
            RULE, f"re-opening {old_mode} as {new_mode} needs the ground "
                  f"{' or '.join(sorted(grounds))}, not {ground!r}",
            "; ".join(g.source for g in grounds.values()),
            {"ground": ground, "allowed": sorted(grounds)}))
    if old_mode != new_mode and not (approval or "").strip():
        refusals.append(Refusal(
            METHOD_CHANGE_RULE, f"changing the method from {old_mode} to {new_mode} needs the "
                                "supervising department's approval, recorded by reference",
            METHOD_CHANGE_SOURCE, {"from": old_mode, "to": new_mode}))
    if refusals:
        return None, refusals
    chosen = grounds[str(ground)]
    ended = failed.get("ended") or {}
    return {"procurement": failed_id, "mode": old_mode, "ground": chosen.code,
            "ground_zh": chosen.zh, "source": chosen.source,
            "justification": (justification or "").strip() or None,
            "approval": (approval or "").strip() or None,
            "failed": {"at": ended.get("at"), "reason": ended.get("reason"),
                       "trigger": ended.get("trigger"), **tender_participants(failed)}}, []


@applies("ProcurementCreated")
def _reopens(state: State, payload: dict[str, Any], at: str) -> None:
    if payload.get("reopens"):
        state["reopens"] = payload["reopens"]
