"""Replay of the credit-list streams (财库〔2016〕125号): ``credit:<list>`` folds its entries
again and compares them with the stored snapshot an eligibility check reads; each
``credit-asof:<list>:<date>`` stream holds one ``CreditListImported`` naming that list and
date, recorded on or after that date (an export is not as of a day after its import). The
fiscal-data streams of the PPP checks, registered the same way, are replayed by
:mod:`tenderflow.audit.replay_fiscal`."""

from __future__ import annotations

from typing import Any

from tenderflow.audit.diff import describe, first_difference
from tenderflow.audit.reading import events_or_noted
from tenderflow.domain.timeutil import local_date, parse_time

ENTRIES, IMPORTS = "credit", "credit-asof"


def replay_credit(tx: Any, stream: str, result: Any, violation: Any) -> Any:
    """Fill ``result`` (a StreamReplay) for a credit stream; ``violation(ev, kind, message)``
    builds the report of a bad event."""
    kind, _, rest = stream.partition(":")
    if kind == "fiscal":
        from tenderflow.audit.replay_fiscal import replay_fiscal

        return replay_fiscal(tx, stream, result, violation)
    events = events_or_noted(tx, stream, result)
    if events is None:
        return result
    entries: dict[str, Any] = {}
    replayed: Any = None
    for ev in events:
        result.events += 1
        payload = ev.payload if isinstance(ev.payload, dict) else {}
        if kind == IMPORTS:
            name, _, as_of = rest.rpartition(":")
            if ev.type != "CreditListImported" or payload.get("list") != name \
                    or payload.get("as_of") != as_of:
                result.violation = violation(ev, "differs", f"{stream} holds the import of "
                                             f"{name} as of {as_of}, not this event")
                return result
            if as_of > local_date(parse_time(ev.occurred_at)).isoformat():
                result.violation = violation(ev, "differs", f"an export as of {as_of} imported "
                                             f"before that day ({ev.occurred_at})")
                return result
            replayed = {"as_of": as_of, "imported_at": ev.occurred_at,
                        "file": payload.get("file")}
        elif isinstance(payload.get("entry"), dict):
            entry = payload["entry"]
            entries[f"{entry.get('uscc')}|{entry.get('listed_on')}"] = entry
    from tenderflow.app.snapshots import stored_snapshot

    snap = stored_snapshot(tx, stream)
    if snap is None:
        result.projection.append("no stored snapshot")
    else:
        if snap[0] != len(events):
            result.projection.append(f"snapshot version {snap[0]}, replayed {len(events)}")
        found = first_difference({"entries": entries} if kind == ENTRIES else replayed,
                                 snap[1], "snapshot")
        if found is not None:
            result.projection.append(describe(found, "replayed", "stored"))
    return result
