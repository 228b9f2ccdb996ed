"""The write path's checks of business time (DESIGN §4): within a stream ``occurred_at`` never
goes back, and it is never later than ``recorded_at`` beyond the clock skew. Called by
:meth:`tenderflow.store.eventstore.Tx.append`, the one write path, so no service can bypass it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tenderflow.clock import CLOCK_SKEW
from tenderflow.errors import BusinessTimeError


def check_business_times(stream_id: str, version: int, last: str | None,
                          new: Sequence[Any], recorded_at: str) -> None:
    """Business time is ordered and bounded (DESIGN §4): within a stream ``occurred_at``
    never goes back, and it is never later than ``recorded_at`` beyond the clock skew.
    Checked here, on the one write path, so that no service can bypass it."""
    recorded = datetime.fromisoformat(recorded_at)
    previous = datetime.fromisoformat(last) if last else None
    seq = version
    for ev in new:
        seq += 1
        try:
            when = datetime.fromisoformat(ev.occurred_at)
        except ValueError:
            raise BusinessTimeError(f"{stream_id}: occurred_at {ev.occurred_at!r} is not a time",
                                    field="--at", expected="ISO 8601 with offset") from None
        if when.tzinfo is None:
            raise BusinessTimeError(f"{stream_id}: occurred_at {ev.occurred_at!r} has no offset",
                                    field="--at", expected="ISO 8601 with offset")
        if previous is not None and when < previous:
            raise BusinessTimeError(
                f"{stream_id}: the step is dated {ev.occurred_at}, before the stream's last "
                f"event (#{seq - 1} at {last}): business time never goes back; nothing was "
                f"written", field="--at", expected=f"a time not before {last}")
        if when > recorded + CLOCK_SKEW:
            raise BusinessTimeError(
                f"{stream_id}: the step is dated {ev.occurred_at}, later than the time it is "
                f"recorded ({recorded_at}, allowing {int(CLOCK_SKEW.total_seconds() // 60)} "
                f"minutes of clock skew): a step cannot be recorded before it happens; nothing "
                f"was written", field="--at", expected=f"a time not after {recorded_at}")
        previous, last = when, ev.occurred_at


