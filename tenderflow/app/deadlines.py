"""Deadlines across every procurement: publicity ends, bid openings, contract deadlines and the
workflow timers due, as of a reference time the caller gives, and their iCalendar export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tenderflow.domain.timeutil import iso, parse_time
from tenderflow.store.eventstore import EventStore

# what a deadline key of the record is, for grouping and for the calendar's CATEGORIES
KINDS = {"publicity_until": "publicity", "result_publicity_until": "publicity",
         "provisional_publicity_until": "publicity", "objection_until": "publicity",
         "bid_deadline": "opening", "response_deadline": "opening",
         "final_quote_deadline": "opening", "prequal_application_deadline": "opening",
         "contract_deadline": "contract", "contract_by": "contract",
         "contract_publication_due": "contract"}


def deadlines(store: EventStore, at: datetime, days: int) -> dict[str, Any]:
    """Every deadline of every procurement from ``at`` to ``at`` + ``days`` days, earliest
    first, and the timers already due at ``at`` that no ``tick`` has fired (overdue). A
    procurement in a final state has no deadline left."""
    from tenderflow.app.procurement import Services

    if days < 0:
        from tenderflow.errors import InputError

        raise InputError(f"{days}", field="--days", expected="a number of days, 0 or more")
    services = Services(store)
    until = at + timedelta(days=days)
    with store.reading() as tx:
        rows = list(tx.procurement_rows())
    items: list[dict[str, Any]] = []
    for row in rows:
        state = services.state(row.id)
        wf = services.definitions(state["mode"]).workflow
        if state["state"] in wf.terminal:
            continue
        recorded_to = parse_time(state["last_event_at"])
        timers = {tm.due.removeprefix("deadlines."): tm.trigger for tm in wf.timers
                  if tm.source == state["state"]}
        for key, raw in (state.get("deadlines") or {}).items():
            due = parse_time(raw)
            trigger = timers.get(key)
            overdue = due < at
            if trigger is None and (overdue or due < recorded_to):
                continue  # a date passed (at --at, or in the record) that no timer waits on
            if due > until:
                continue
            items.append({"procurement": row.id, "project": row.project, "mode": row.mode,
                          "state": state["state"], "key": key,
                          "kind": KINDS.get(key, "other"), "due": iso(due),
                          "timer": trigger, "overdue": overdue})
    items.sort(key=lambda i: (parse_time(i["due"]), i["procurement"], i["key"]))
    return {"as_of": iso(at), "until": iso(until), "days": days, "deadlines": items}


def write_ics(data: dict[str, Any], out: Path, titles: dict[str, str]) -> int:
    """Write the deadlines as an iCalendar file (RFC 5545): one VEVENT each, its UID stable
    (procurement and key), times in UTC, DTSTAMP the reference time; ``titles`` names each
    deadline key. Returns the number of events."""
    from icalendar import Calendar, Event

    from tenderflow.errors import InputError

    cal = Calendar()
    cal.add("prodid", "-//tenderflow//deadlines//ZH")
    cal.add("version", "2.0")
    stamp = parse_time(data["as_of"]).astimezone(UTC)
    for item in data["deadlines"]:
        due = parse_time(item["due"]).astimezone(UTC)
        event = Event()
        event.add("uid", f"{item['procurement']}-{item['key']}@tenderflow")
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(minutes=30))
        event.add("summary", f"{item['procurement']} {titles.get(item['key'], item['key'])}")
        event.add("categories", [item["kind"]])
        description = f"{item['project']} · {item['mode']} · {item['state']}"
        if item["timer"]:
            description += f" · timer {item['timer']}"
        event.add("description", description)
        cal.add_component(event)
    try:
        out.write_bytes(cal.to_ical())
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=str(out)) from None
    return len(data["deadlines"])
