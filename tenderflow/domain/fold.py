"""How a procurement's state is folded from its events, without the appliers: the state type,
the ``applies`` marker every applier module uses, one event's fold, and the appliers of the
procurement's own lifecycle (created, failed, cancelled).

Applier modules import this module; :mod:`tenderflow.domain.state` imports the applier modules
(an explicit list) and composes the fold from them. No module here imports an applier module,
so there is no cycle and no table filled by the side effects of imports. The fold applies an
event to the state in place (issue 13): a caller keeping the state before an event copies it.

Every transition event carries ``{"trigger", "from", "to", "data", "facts"}`` in its payload;
``ProcurementCreated`` carries the mode and a snapshot of the project.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

State = dict[str, Any]
Applier = Callable[[State, dict[str, Any], str], None]
Appliers = Mapping[str, Sequence[Applier]]

_EVENT_TYPES = "__applies_to__"


def applies(*event_types: str) -> Callable[[Applier], Applier]:
    """Mark what an event type adds to the state (beyond the state change). The mark only
    names the event types: an applier takes part in the fold when its module is listed in
    :data:`tenderflow.domain.state.MODULES`."""

    def mark(fn: Applier) -> Applier:
        setattr(fn, _EVENT_TYPES, (*getattr(fn, _EVENT_TYPES, ()), *event_types))
        return fn

    return mark


def applied_by(fn: Any) -> tuple[str, ...]:
    """The event types ``fn`` is marked to apply (none for anything else)."""
    return tuple(getattr(fn, _EVENT_TYPES, ()))


def appliers_of(modules: Iterable[ModuleType]) -> dict[str, list[Applier]]:
    """Event type -> the appliers the modules define for it, in the order of the modules and,
    within a module, of the definitions."""
    table: dict[str, list[Applier]] = {}
    for module in modules:
        for fn in vars(module).values():
            if callable(fn) and getattr(fn, "__module__", None) == module.__name__:
                for t in applied_by(fn):
                    table.setdefault(t, []).append(fn)
    return table


def empty_state(procurement_id: str) -> State:
    return {"id": procurement_id, "state": None, "version": 0}


def fold_event(appliers: Appliers, state: State, event_type: str, payload: dict[str, Any],
               occurred_at: str, stream_seq: int) -> State:
    """Apply one event to ``state`` in place and return it. Nothing copies the state: a caller
    that must keep the state before the event copies it once itself (a snapshot is saved as
    JSON, so it is a copy already). The appliers read a private copy of the payload, so the
    state never shares an object with the event (a later event applied in place cannot change
    what an earlier one recorded)."""
    payload = private_copy(payload)
    state["version"] = stream_seq
    if "to" in payload:
        state["state"] = payload["to"]
    state.setdefault("dates", {})
    state["dates"].setdefault(event_type, occurred_at)
    state["last_event_at"] = occurred_at
    late = payload.get("late_entry")
    if isinstance(late, dict):  # a step recorded late (tenderflow.domain.entry)
        state.setdefault("late_entries", []).append(
            {"seq": stream_seq, "type": event_type, "at": occurred_at, **late})
    for fn in appliers.get(event_type, ()):
        fn(state, payload, occurred_at)
    return state


_IMMUTABLE = (str, int, float, bool, type(None))


def private_copy(value: Any) -> Any:
    """A deep copy of a JSON-like value (what an event's payload is): dicts and lists rebuilt,
    strings, numbers, booleans and None shared (they are immutable), a tuple made a list (as
    its JSON is read back); anything else through ``copy.deepcopy``. Several times faster than
    ``copy.deepcopy`` (no memo: a payload is a tree, read from JSON or about to be written as
    JSON), and the state folded from a payload just decided is the one folded from it as
    stored (issue 17)."""
    kind = type(value)
    if kind is dict:
        return {k: private_copy(v) for k, v in value.items()}
    if kind is list:
        return [private_copy(v) for v in value]
    if isinstance(value, _IMMUTABLE):
        return value
    if kind is tuple:
        return [private_copy(v) for v in value]
    return copy.deepcopy(value)


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
