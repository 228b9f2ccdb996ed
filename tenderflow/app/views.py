"""What ``status`` shows of a procurement: its business time, parties, bids and eligibility,
read from the folded state (no sealed content)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tenderflow.domain.state import State
from tenderflow.domain.timeutil import parse_time


def unique_triggers(names: Any) -> list[str]:
    """Trigger names once each, in order (a trigger may have several transitions)."""
    return list(dict.fromkeys(names))


def as_of(state: State) -> datetime:
    """The latest business time a procurement's record has reached."""
    return parse_time(state["last_event_at"])


def public_eligibility(state: State) -> dict[str, Any] | None:
    """The latest eligibility check: when, under which ruleset, who passed, who failed which
    rules (tenderflow.domain.guards.eligibility)."""
    from tenderflow.domain.guards.eligibility import public_eligibility as view

    return view(state)


def public_parties(state: State) -> dict[str, Any]:
    """The parties as ``status`` shows them (no sealed content)."""
    return {
        "group": [m.get("name") for m in state.get("group", [])],
        "invited": sorted(state.get("invited", {})),
        "responded": sorted(state.get("responses", {})),
        "excluded": state.get("excluded", {}),
        "final_quotes": sorted(state.get("final_quotes", {})),
        # open tender: bidders are named once the bids are opened (招标投标法 第22条)
        "bidders": sorted(state.get("bids", {})) if state.get("opened") else [],
        "committee": [m.get("name") for m in state.get("committee", [])],
        "ranked": [c["supplier"] for c in state.get("ranked", [])],
        "entity": (state.get("entrustment") or {}).get("entity"),
    }


def public_bids(state: State) -> dict[str, Any]:
    """Sealed offers, openings, bonds, recusals and the ranking as ``status`` shows them
    (before an opening only commitments: see tenderflow.domain.bids.public_view)."""
    from tenderflow.domain.bids import public_view

    return public_view(state)
