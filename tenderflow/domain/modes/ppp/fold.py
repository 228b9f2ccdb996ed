"""What PPP's result confirmation events add to the state: one applier per event type.
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.fold import State, applies

# --- what the events add to the state -------------------------------------------------------

@applies("ConfirmationNegotiationStarted")
def _started(state: State, payload: dict[str, Any], at: str) -> None:
    state["confirmation"] = {"started_at": at, "ended": {}, "agreed": None, "talks": [],
                             "working_group": payload["data"].get("working_group", [])}


@applies("ConfirmationAgreed", "ConfirmationEnded")
def _talk(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    conf = state["confirmation"]
    conf["talks"].append({"supplier": data["supplier"], "agreed": data["agreed"],
                          "changes": data["changes"], "note": data.get("note"), "at": at})
    if data["agreed"]:
        conf["agreed"] = data["supplier"]
    else:
        conf["ended"][data["supplier"]] = data.get("note") or "no agreement"
