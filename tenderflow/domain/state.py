"""A procurement's state, folded from its events. Live state and replayed state come from the
same code: :func:`fold` applies one event; the appliers of the modules listed in
:data:`APPLIER_MODULES` add what the event means beyond the state change.

This module composes the fold: the mechanics and the ``applies`` marker are in
:mod:`tenderflow.domain.fold`, which the applier modules import (never this one), so the list
below is the whole of what the fold applies and no import comes back here. ``State``,
``applies`` and ``empty_state`` are re-exported under their old names.

Every transition event carries ``{"trigger", "from", "to", "data", "facts"}`` in its payload;
``ProcurementCreated`` carries the mode and a snapshot of the project.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tenderflow.domain import agreement
from tenderflow.domain import fold as procurement
from tenderflow.domain.fold import (
    Applier,
    State,
    appliers_of,
    applies,
    empty_state,
    fold_event,
)
from tenderflow.domain.guards import (
    bids,
    common,
    delegation,
    eligibility,
    negotiation,
    ppp,
    reopening,
    tender,
)

__all__ = ["APPLIERS", "APPLIER_MODULES", "Applier", "State", "applies", "empty_state", "fold",
           "fold_all"]

# The order in which the appliers of one event type run: the procurement's own first, then
# the agreement's records, then the modes' (shared guards before the modes that build on them).
APPLIER_MODULES = (procurement, agreement, common, bids, tender, delegation, eligibility,
                   negotiation, ppp, reopening)

APPLIERS: dict[str, list[Applier]] = appliers_of(APPLIER_MODULES)


def fold(state: State, event_type: str, payload: dict[str, Any], occurred_at: str,
         stream_seq: int) -> State:
    """Return the state after one event (the input is not modified)."""
    return fold_event(APPLIERS, state, event_type, payload, occurred_at, stream_seq)


def fold_all(procurement_id: str, events: Iterable[Any]) -> State:
    state = empty_state(procurement_id)
    for ev in events:
        state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
    return state
