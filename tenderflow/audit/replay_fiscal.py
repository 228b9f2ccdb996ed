"""Replay of the fiscal-data streams (``fiscal:<region>:<as_of>``): each holds the
``FiscalDataImported`` events of that region and date — the data must parse as a region's
file does, name the stream's region and date, match its digest, and not be as of a day after
its import. :func:`fiscal_facts_problem` checks the copy a ``fund`` step recorded in its facts
against the data registered at that time."""

from __future__ import annotations

from typing import Any

from tenderflow.audit.reading import events_or_noted
from tenderflow.domain.timeutil import local_date, parse_time
from tenderflow.errors import InputError


def replay_fiscal(tx: Any, stream: str, result: Any, violation: Any) -> Any:
    """Fill ``result`` (a StreamReplay) for a fiscal stream; ``violation(ev, kind, message)``
    builds the report of a bad event."""
    from tenderflow.app.fiscal import digest_of
    from tenderflow.domain.components.fiscal import parse_region

    region, _, as_of = stream.partition(":")[2].rpartition(":")
    events = events_or_noted(tx, stream, result)
    if events is None:
        return result
    for ev in events:
        result.events += 1
        payload = ev.payload if isinstance(ev.payload, dict) else {}
        if ev.type != "FiscalDataImported" or payload.get("region") != region \
                or payload.get("as_of") != as_of:
            result.violation = violation(ev, "differs", f"{stream} holds the fiscal data of "
                                         f"{region} as of {as_of}, not this event")
            return result
        if as_of > local_date(parse_time(ev.occurred_at)).isoformat():
            result.violation = violation(ev, "differs", f"data as of {as_of} imported before "
                                         f"that day ({ev.occurred_at})")
            return result
        try:
            parsed = parse_region(payload.get("data"), file=f"{stream}#{ev.stream_seq}")
        except InputError as exc:
            result.violation = violation(ev, "differs", f"the recorded data is not a region's "
                                         f"fiscal data: {exc.message}")
            return result
        if parsed.region != region or digest_of(parsed) != payload.get("digest"):
            result.violation = violation(ev, "differs", "the recorded data does not match its "
                                         "region or digest")
            return result
    from tenderflow.app.fiscal import snapshot_of
    from tenderflow.app.snapshots import stored_snapshot
    from tenderflow.audit.diff import describe, first_difference

    snap = stored_snapshot(tx, stream)
    if snap is None:
        result.projection.append("no stored snapshot")
    elif events:
        if snap[0] != len(events):
            result.projection.append(f"snapshot version {snap[0]}, replayed {len(events)}")
        found = first_difference(snapshot_of(events[-1].payload, events[-1].occurred_at),
                                 snap[1], "snapshot")
        if found is not None:
            result.projection.append(describe(found, "replayed", "stored"))
    return result


def fiscal_facts_problem(tx: Any, ev: Any) -> str | None:
    """Why the ``facts.fiscal`` of a transition event are not the region's data as registered
    when it was recorded (None when they are, or when the event has none)."""
    from tenderflow.app.fiscal_facts import fiscal_facts
    from tenderflow.audit.diff import describe, first_difference

    facts = ev.payload.get("facts") if isinstance(ev.payload, dict) else None
    recorded = facts.get("fiscal") if isinstance(facts, dict) else None
    if not isinstance(recorded, dict):
        return None
    region = recorded.get("region")
    if not region:
        return None if recorded == {"region": None} else "facts.fiscal name no region"
    registered = fiscal_facts(tx, str(region), parse_time(ev.occurred_at), ev.global_seq)
    found = first_difference(registered, recorded, "facts.fiscal")
    if found is None:
        return None
    return ("the fiscal facts are not the region's data registered at that time: "
            + describe(found, "registered", "recorded"))
