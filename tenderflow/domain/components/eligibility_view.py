"""What ``status`` shows of the latest eligibility check (准入) recorded in a procurement's
state (tenderflow.domain.components.eligibility folds it there): kept apart from the check
itself so that showing it does not import the ruleset machinery (issue 17)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def public_eligibility(state: Mapping[str, Any]) -> dict[str, Any] | None:
    """The latest check as ``status`` shows it: date, ruleset and who passed or failed."""
    checked = state.get("eligibility")
    if not checked:
        return None
    cands = checked["candidates"]
    view: dict[str, Any] = {"checked_at": checked["at"], "checks": checked["checks"],
                            "ruleset": checked["ruleset"]}
    if sealed_bidding(state):  # 招标投标法 第22条: no bidder is named before the opening
        return {**view, "candidates": len(cands),
                "eligible": sum(1 for c in cands.values() if c["eligible"])}
    return {**view, "eligible": sorted(i for i, c in cands.items() if c["eligible"]),
            "ineligible": {i: [f["rule"] for f in c["failed"]]
                              + [f"{f['rule']} not checked" for f in c.get("unchecked", ())]
                           for i, c in sorted(cands.items()) if not c["eligible"]}}


def sealed_bidding(state: Mapping[str, Any]) -> bool:
    """A tender whose bids are not yet opened: who checks in keeps secret (招标投标法 第22条)."""
    deadlines = state.get("deadlines") or {}
    return bool(deadlines.get("bid_deadline")) and not state.get("opened")
