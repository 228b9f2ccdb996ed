"""Integrity checks the reliability suites run after races and crashes, on any backend.

``problems(url)`` re-hashes every stored body, follows each stream's chain, compares the body
with the columns, the heads with the last events, and the snapshots and read models with a
fold of the stream. When ``tenderflow audit verify`` exists it is run as well (the auditor's
own tool must agree).
"""

from __future__ import annotations

import json
from typing import Any

from tenderflow.store.canonical import GENESIS, sha256_hex
from tenderflow.store.eventstore import EventStore
from tests.conftest import HISTORIC

COLUMNS = ("global_seq", "stream_id", "stream_seq", "type", "actor")


def problems(url: str, *, projections: bool = True) -> list[str]:
    """Everything wrong with the stored log (and, with ``projections``, with the snapshots
    and read models); empty when the store is sound."""
    from tenderflow.domain.state import fold_all

    found: list[str] = []
    store = EventStore(url)
    try:
        store.require_schema()
        with store.reading() as tx:
            heads = tx.heads()
            last: dict[str, tuple[int, str]] = {}
            seqs: set[int] = set()
            previous_global = 0
            for row in tx.raw_events():
                where = f"{row.stream_id}#{row.stream_seq}"
                if row.global_seq in seqs or row.global_seq <= previous_global:
                    found.append(f"{where}: global_seq {row.global_seq} not increasing")
                seqs.add(row.global_seq)
                previous_global = row.global_seq
                if sha256_hex(row.body) != row.hash:
                    found.append(f"{where}: body does not hash to the stored hash")
                body = json.loads(row.body)
                for col in COLUMNS:
                    if body.get(col) != getattr(row, col):
                        found.append(f"{where}: body {col}={body.get(col)!r} but column "
                                     f"{getattr(row, col)!r}")
                version, prev = last.get(row.stream_id, (0, GENESIS))
                if row.stream_seq != version + 1:
                    found.append(f"{where}: follows {version} (gap or duplicate)")
                if body.get("prev_hash") != prev:
                    found.append(f"{where}: prev_hash does not link to the previous event")
                last[row.stream_id] = (row.stream_seq, row.hash)
            if heads != last:
                for sid in sorted(set(heads) | set(last)):
                    if heads.get(sid) != last.get(sid):
                        found.append(f"{sid}: head {heads.get(sid)} but last event "
                                     f"{last.get(sid)}")
            for sid in sorted(last) if projections else ():
                snap = tx.snapshot(sid)
                if snap is None:
                    found.append(f"{sid}: no snapshot")
                    continue
                if snap[0] != last[sid][0]:
                    found.append(f"{sid}: snapshot at {snap[0]}, stream at {last[sid][0]}")
                if sid.startswith("procurement:"):
                    pid = sid.split(":", 1)[1]
                    replayed = fold_all(pid, tx.read_stream(sid))
                    if replayed != snap[1]:
                        found.append(f"{sid}: snapshot differs from the replayed state")
            rows = {r.id: r for r in tx.procurement_rows()}
            for sid in sorted(s for s in last if projections and s.startswith("procurement:")):
                pid = sid.split(":", 1)[1]
                row = rows.get(pid)
                snap = tx.snapshot(sid)
                if row is None or snap is None or row.version != snap[0] or \
                        row.state != snap[1]["state"]:
                    found.append(f"{sid}: read model row {row and (row.state, row.version)} "
                                 f"disagrees with the snapshot")
    finally:
        store.dispose()
    return found


def events(url: str) -> list[dict[str, Any]]:
    """The stored events in global order, as dicts of what a replay compares (no wall clock)."""
    store = EventStore(url)
    try:
        with store.reading() as tx:
            return [{k: body[k] for k in ("stream_id", "stream_seq", "type", "occurred_at",
                                          "actor", "pins", "payload")}
                    for body in (json.loads(r.body) for r in tx.raw_events())]
    finally:
        store.dispose()


def count(url: str) -> int:
    store = EventStore(url)
    try:
        with store.reading() as tx:
            return int(tx.count_events())
    finally:
        store.dispose()


def redecide(url: str, root: Any = None) -> list[str]:
    """Decide every recorded transition again on the state folded from the events before it.

    A step applied on a stale state (a fork: two writers deciding on the same version) shows
    up here as an event the rules would not have allowed on the state it actually follows.
    """
    from tenderflow.app.procurement import Services
    from tenderflow.domain.state import empty_state, fold
    from tenderflow.domain.timeutil import parse_time
    from tenderflow.errors import TenderflowError
    from tenderflow.workflow import engine
    from tenderflow.workflow.rulesets import ruleset_of  # the ruleset pinned at opening

    found: list[str] = []
    store = EventStore(url)
    services = Services(store, definitions_root=root, entry=HISTORIC)
    try:
        with store.reading() as tx:
            for sid in tx.stream_ids("procurement:"):
                pid = sid.split(":", 1)[1]
                state = empty_state(pid)
                terminal_seen = None
                for ev in tx.read_stream(sid):
                    if terminal_seen:
                        found.append(f"{sid}#{ev.stream_seq}: {ev.type} after the final "
                                     f"state {terminal_seen}")
                    if ev.stream_seq > 1 and "trigger" in ev.payload:
                        p = ev.payload
                        defs = services.definitions(state["mode"], ruleset_of(state, tx.definition))
                        try:
                            decision = engine.decide(
                                defs, pid, state, p["trigger"], p.get("data"),
                                p.get("facts", {}), parse_time(ev.occurred_at), ev.actor)
                        except TenderflowError as exc:
                            found.append(f"{sid}#{ev.stream_seq}: {p['trigger']} would be "
                                         f"refused on the state it follows: {exc.message}")
                        else:
                            if (decision.event_type, decision.payload["to"]) != \
                                    (ev.type, p["to"]) or p["from"] != state["state"]:
                                found.append(f"{sid}#{ev.stream_seq}: recorded {ev.type} "
                                             f"{p['from']}→{p['to']}, decided "
                                             f"{decision.event_type} {state['state']}→"
                                             f"{decision.payload['to']}")
                        if p["to"] in defs.workflow.terminal:
                            terminal_seen = p["to"]
                    state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
    finally:
        store.dispose()
    return found
