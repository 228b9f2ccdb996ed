"""What a delegation's events add to the state: one applier per event type.
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.eligibility import WARN
from tenderflow.domain.fold import State, applies

# --- what the events add to the state -------------------------------------------------------

@applies("EntrustmentDecided")
def _decided(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    profile = (payload.get("facts") or {}).get("suppliers", {}).get(data["supplier"], {})
    findings = payload.get("findings") or {}
    state["entrustment"] = {
        "entity": data["supplier"], "name": profile.get("name", data["supplier"]),
        "ground": data["ground"], "decided_by": data["decided_by"],
        "eligibility": data["eligibility"], "works": data["works"],
        "must_tender": findings.get("must_tender"),
        "investor_procurement": data.get("investor_procurement"), "at": at}
    checked = findings.get("eligibility")
    if checked:  # the entity's check against the pinned ruleset, in brief
        mine = next(c for c in checked["candidates"] if c["candidate"] == data["supplier"])
        state["entrustment"]["eligibility_check"] = {
            "ruleset": checked["ruleset"], "date": checked["at"], "eligible": mine["eligible"],
            "warnings": [o["rule"] for o in mine["outcomes"] if o["verdict"] == WARN]}


@applies("EntrustmentPublicized")
def _publicized(state: State, payload: dict[str, Any], at: str) -> None:
    state["deadlines"]["publicity_until"] = payload["data"]["until"]
    state["entrustment"]["publicity"] = {"from": at, "channel": payload["data"]["channel"]}


@applies("EntrustmentPublicityEnded")
def _ended(state: State, payload: dict[str, Any], at: str) -> None:
    state["deadlines"].pop("publicity_until", None)


@applies("EntrustmentAgreed")
def _agreed(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    ent = state["entrustment"]
    state["award"] = {"supplier": data["supplier"], "name": ent["name"],
                      "price": data.get("value"), "at": at, "agreement": data["agreement"]}
