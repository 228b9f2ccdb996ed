"""Replay of a procurement's opening against its project (rule project.ready_to_procure): the
``readiness`` that ``ProcurementCreated`` records must be what the log showed when it was
recorded — the project's intake (``intake:<id>``) in state ``ready`` at that point of the log,
or, for a project with no intake then, the filing in its registered profile as it stood, dated
no later than the opening. A procurement opened before the link existed records no readiness
and is not judged here."""

from __future__ import annotations

from typing import Any

from tenderflow.audit.reading import events_of
from tenderflow.domain.timeutil import local_date, parse_time


def readiness_problem(tx: Any, ev: Any) -> str | None:
    """What is wrong with the opening's recorded readiness, or None."""
    from tenderflow.app.common import intake_stream

    payload = ev.payload
    ready = payload.get("readiness")
    if ready is None:
        return None
    project = (payload.get("project") or {}).get("id")
    intake = [e for e in events_of(tx, intake_stream(str(project)))
              if e.global_seq < ev.global_seq]
    if ready.get("via") == "intake":
        state = next((e.payload.get("to") for e in reversed(intake)
                      if isinstance(e.payload, dict) and "to" in e.payload), None)
        if state != "ready":
            return (f"opened on project {project} as ready by its intake, but the intake was "
                    f"{state or 'not started'} at that point of the log")
        if ready.get("version") != intake[-1].stream_seq:
            return (f"the readiness names intake version {ready.get('version')}, the log has "
                    f"{intake[-1].stream_seq}")
        return None
    if intake:
        return (f"opened on project {project}'s recorded filing, but the project had an intake "
                f"(its state decides)")
    profile = None
    for e in events_of(tx, f"project:{project}"):
        if e.global_seq < ev.global_seq and isinstance(e.payload.get("profile"), dict):
            profile = e.payload["profile"]
    filing = (profile or {}).get("filing")
    if filing != ready.get("filing"):
        return (f"the recorded filing {ready.get('filing')} is not the one registered for "
                f"project {project} at that time ({filing})")
    if filing["date"] > local_date(parse_time(ev.occurred_at)).isoformat():
        return f"the recorded filing is dated {filing['date']}, after the opening"
    return None
