"""Replay of the registry streams (``project:<id>``, ``supplier:<id>``): the snapshot a
procurement or an intake copies is the last registered profile. (A project's intake is a
workflow stream of its own, ``intake:<id>``, replayed as a procurement is.)"""

from __future__ import annotations

from typing import Any

from tenderflow.audit.diff import describe, first_difference
from tenderflow.audit.reading import events_or_noted


def replay_registry(tx: Any, stream: str, result: Any) -> Any:
    """Fill ``result`` (a StreamReplay) for a project or supplier stream: the snapshot is the
    last registered profile."""
    profile: Any = None
    version = 0
    events = events_or_noted(tx, stream, result)
    if events is None:
        return result
    for ev in events:
        result.events += 1
        version = ev.stream_seq
        if isinstance(ev.payload, dict) and isinstance(ev.payload.get("profile"), dict):
            profile = ev.payload["profile"]
    from tenderflow.app.snapshots import stored_snapshot

    snap = stored_snapshot(tx, stream)
    if snap is None:
        result.projection.append("no stored snapshot")
    else:
        if snap[0] != version:
            result.projection.append(f"snapshot version {snap[0]}, replayed {version}")
        found = first_difference(profile, snap[1], "snapshot")
        if found is not None:
            result.projection.append(describe(found, "replayed", "stored"))
    return result
