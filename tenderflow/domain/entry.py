"""Late entries: a step recorded long after it happened states why, and a deadline-bound
submission recorded after its deadline names the receipt that proves it arrived in time.

Business time (``occurred_at``) is what the law counts; the time of recording (``recorded_at``)
is when the officer typed it in. The store keeps business time ordered and never ahead of the
recording (tenderflow.store.eventstore). This module decides, from the two times, the pinned
parameter ``record.late_entry_after_days`` and the submission's deadline, what the event must
carry: nothing (recorded promptly), ``{"reason": …}`` (a late entry), and ``{"receipt": …}``
for a submission recorded after its deadline (beyond the clock skew). The result goes into the event's payload
as ``late_entry``; the fold lists it under ``late_entries`` for ``status`` and the audit report,
and ``audit replay`` checks it again from the stored times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tenderflow.errors import LateEntryRefused

LATE_AFTER = "record.late_entry_after_days"

# The submissions a deadline bounds, by trigger: the key of ``state["deadlines"]`` that bounds
# each (the bid, the prequalification application, the response, the final quotation, the
# objection during a publicity or the objection window after an award).
SUBMISSION_DEADLINES: dict[str, tuple[str, ...]] = {
    "submit_bid": ("bid_deadline",),
    "submit_application": ("prequal_application_deadline",),
    "submit_response": ("response_deadline",),
    "submit_final_quote": ("final_quote_deadline",),
    "raise_objection": ("objection_until", "publicity_until", "provisional_publicity_until"),
}


@dataclass(frozen=True)
class Entry:
    """What the person recording says about a step entered late: the reason, and for a
    submission recorded after its deadline, the receipt reference (签收单, 开标记录 …)."""

    reason: str | None = None
    receipt: str | None = None


def submission_deadline(trigger: str, deadlines: dict[str, Any]) -> str | None:
    """The deadline that bounds a submission trigger, as recorded in the state, if any."""
    for key in SUBMISSION_DEADLINES.get(trigger, ()):
        if deadlines.get(key):
            return str(deadlines[key])
    return None


def late_entry(*, occurred: datetime, recorded: datetime, late_after: timedelta,
               skew: timedelta, entry: Entry | None, trigger: str = "",
               deadline: datetime | None = None, what: str = "the step") -> dict[str, str] | None:
    """What the event must carry about its lateness; raise LateEntryRefused if it lacks it."""
    entry = entry or Entry()
    late = recorded - occurred > late_after
    after_deadline = deadline is not None and recorded > deadline + skew
    if not late and not after_deadline:
        return None
    out: dict[str, str] = {}
    if late:
        reason = (entry.reason or "").strip()
        if not reason:
            raise LateEntryRefused(
                f"{what} happened at {occurred.isoformat(timespec='seconds')} and is recorded "
                f"at {recorded.isoformat(timespec='seconds')}, more than {_span(late_after)} "
                f"later: a late entry states its reason; nothing was written",
                field="--late-reason", expected="why the step is recorded late (or "
                "TENDERFLOW_LATE_REASON; in a scenario, entry.reason)")
        out["reason"] = reason
    if after_deadline:
        receipt = (entry.receipt or "").strip()
        if not receipt:
            assert deadline is not None
            raise LateEntryRefused(
                f"'{trigger}' is a submission due by {deadline.isoformat(timespec='seconds')} "
                f"recorded at {recorded.isoformat(timespec='seconds')}, after the deadline: "
                f"name the receipt that shows it arrived at "
                f"{occurred.isoformat(timespec='seconds')}; nothing was written",
                field="--receipt", expected="the receipt reference (签收单 / 开标记录 number; in a "
                "scenario, receipt: on the step or entry.receipt)")
        out["receipt"] = receipt
    return out


def check_recorded_entry(*, occurred: datetime, recorded: datetime, late_after: timedelta,
                         skew: timedelta, recorded_entry: Any, trigger: str = "",
                         deadline: datetime | None = None) -> str | None:
    """For ``audit replay``: what is wrong with a stored event's ``late_entry``, or None."""
    given = recorded_entry if isinstance(recorded_entry, dict) else {}
    try:
        expected = late_entry(occurred=occurred, recorded=recorded, late_after=late_after,
                              skew=skew, trigger=trigger, deadline=deadline,
                              entry=Entry(given.get("reason"), given.get("receipt")))
    except LateEntryRefused as exc:
        return exc.message.replace("; nothing was written", "")
    if expected is None and recorded_entry is not None:
        return "the event carries a late_entry although it was recorded in time"
    return None


def _span(delta: timedelta) -> str:
    days = delta.total_seconds() / 86400
    return f"{days:g} days" if days != 1 else "1 day"
