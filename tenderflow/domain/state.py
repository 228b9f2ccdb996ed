"""A procurement's state, folded from its events. Live state and replayed state come from the
same code: :func:`fold` applies one event; appliers registered per event type add what the
event means beyond the state change.

Every transition event carries ``{"trigger", "from", "to", "data", "facts"}`` in its payload;
``ProcurementCreated`` carries the mode and a snapshot of the project.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

State = dict[str, Any]
Applier = Callable[[State, dict[str, Any], str], None]

APPLIERS: dict[str, list[Applier]] = {}


def applies(*event_types: str) -> Callable[[Applier], Applier]:
    """Register what an event type adds to the state (beyond the state change)."""

    def register(fn: Applier) -> Applier:
        for t in event_types:
            APPLIERS.setdefault(t, []).append(fn)
        return fn

    return register


def empty_state(procurement_id: str) -> State:
    return {"id": procurement_id, "state": None, "version": 0}


def fold(state: State, event_type: str, payload: dict[str, Any], occurred_at: str,
         stream_seq: int) -> State:
    """Return the state after one event (the input is not modified)."""
    _load_appliers()
    new = copy.deepcopy(state)
    new["version"] = stream_seq
    if "to" in payload:
        new["state"] = payload["to"]
    new.setdefault("dates", {})
    new["dates"].setdefault(event_type, occurred_at)
    new["last_event_at"] = occurred_at
    late = payload.get("late_entry")
    if isinstance(late, dict):  # a step recorded late (tenderflow.domain.entry)
        new.setdefault("late_entries", []).append(
            {"seq": stream_seq, "type": event_type, "at": occurred_at, **late})
    for fn in APPLIERS.get(event_type, []):
        fn(new, payload, occurred_at)
    return new


def fold_all(procurement_id: str, events: Iterable[Any]) -> State:
    state = empty_state(procurement_id)
    for ev in events:
        state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
    return state


@applies("ProcurementCreated")
def _created(state: State, payload: dict[str, Any], at: str) -> None:
    state["mode"] = payload["mode"]
    state["project"] = payload["project"]
    state["variant"] = payload.get("variant", "standard")
    state["options"] = payload.get("options", {})
    state["deadlines"] = {}


@applies("ProcurementFailed", "ProcurementCancelled")
def _ended(state: State, payload: dict[str, Any], at: str) -> None:
    reason = (payload.get("data") or {}).get("reason")
    if not reason and payload.get("checks"):
        check = payload["checks"][-1]
        reason = f"{check['rule']} ({check['source']})"
    state["ended"] = {"at": at, "reason": reason, "trigger": payload.get("trigger")}


_APPLIERS_LOADED = False


def _load_appliers() -> None:
    global _APPLIERS_LOADED
    if not _APPLIERS_LOADED:
        from tenderflow.domain import agreement  # noqa: F401 - the agreement's records
        from tenderflow.domain import guards

        guards.load_all()  # guard modules also hold their mode's appliers
        _APPLIERS_LOADED = True
