"""An event stored in an old shape is upcast when read — by the fold, the snapshot rebuild and
the replay — while its stored bytes stay as written and verify (DESIGN §4, STYLE 5, issue 13).

No event type has changed shape since the catalogue was introduced, so the test plays the
change itself: the old code wrote ``ProcurementCancelled`` with ``data.why``; the new code
names it ``data.reason`` (version 2) and ships the upcaster. The old row is written straight
into a real SQLite file with sqlite3, bypassing the store and its catalogue, pinned to the
workflow the old code used (its ``cancel`` took ``why``). Replay judges the stored data with
that pinned schema and gives the guards, today's code, the upcast data.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tenderflow.app.procurement import Services
from tenderflow.app.registration import load_file
from tenderflow.audit.replay import replay
from tenderflow.audit.verify import verify_store
from tenderflow.domain.timeutil import parse_time
from tenderflow.events.catalogue import EventType, catalogue
from tenderflow.paths import examples_dir
from tenderflow.store.bodies import inflate
from tenderflow.store.canonical import canonical_json, event_body, sha256_hex
from tenderflow.store.eventstore import EventStore
from tests.audit.attacker import INSERT_EVENT, insert_values
from tests.conftest import HISTORIC, REGISTERED_AT

REASON = "项目调整，终止采购"
CANCELLED = "ProcurementCancelled"


def _why_to_reason(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 2 names the reason for cancelling ``data.reason`` (version 1: ``data.why``)."""
    data = {("reason" if k == "why" else k): v for k, v in payload["data"].items()}
    return {**payload, "data": data}


def new_code() -> Any:
    """The catalogue of the code that made the change: version 2 and its upcaster."""
    current = catalogue().get(CANCELLED)
    return catalogue().extended(EventType(CANCELLED, 2, current.payload, {1: _why_to_reason},
                                          current.data))


def write_old_row(db: Path, stream: str, template: dict[str, Any]) -> None:
    """Append version 1 of the cancellation to ``stream`` as the old code stored it."""
    con = sqlite3.connect(db)
    with con:
        seq, prev = con.execute("SELECT version, head_hash FROM streams WHERE stream_id = ?",
                                (stream,)).fetchone()
        (last,) = con.execute("SELECT max(global_seq) FROM events").fetchone()
        payload = {**template["payload"], "data": {"why": REASON}}
        fields = {"global_seq": last + 1, "stream_id": stream, "stream_seq": seq + 1,
                  "type": CANCELLED, "schema_version": 1,
                  "occurred_at": template["occurred_at"],
                  "recorded_at": template["recorded_at"], "actor": template["actor"],
                  "pins": template["pins"], "payload": payload, "prev_hash": prev}
        body = event_body(fields)
        digest = sha256_hex(body)
        con.execute(INSERT_EVENT, insert_values(fields))
        con.execute("UPDATE streams SET version = ?, head_hash = ? WHERE stream_id = ?",
                    (seq + 1, digest, stream))
    con.close()


def two_procurements(url: str) -> dict[str, Any]:
    """CN-OLD and CN-NOW opened with today's code; CN-NOW cancelled. Returns the cancellation
    as stored, the template of the old row written to CN-OLD."""
    old = EventStore(url)
    old.migrate()
    services = Services(old, entry=HISTORIC)
    data = examples_dir() / "data"
    for kind in ("projects", "suppliers"):
        services.register(kind, load_file(data / f"{kind}.yaml", kind), "staff:test",
                          parse_time(REGISTERED_AT))
    for pid in ("CN-OLD", "CN-NOW"):
        services.open_procurement(pid, "CD-HH-2023", "competitive_negotiation", "staff:wang",
                                  parse_time("2025-05-06T09:00+08:00"))
    services.fire("CN-NOW", "cancel", {"reason": REASON}, "staff:wang",
                  parse_time("2025-05-06T10:00+08:00"))
    with old.reading() as tx:
        [template] = [e.to_dict() for e in tx.read_stream("procurement:CN-NOW", after=1)]
    old.dispose()
    return template


def stored_rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT global_seq, stream_id, stream_seq, type, actor, hash, codec, "
                           "deflated FROM events ORDER BY global_seq").fetchall()


def test_an_old_shape_is_upcast_for_fold_rebuild_and_replay_and_verifies_as_stored(
        tmp_path: Path) -> None:
    db = tmp_path / "tenderflow.db"
    url = f"sqlite:///{db}"
    template = two_procurements(url)
    # the old code pinned its own workflow, whose cancel trigger took ``why``
    template = {**template, "pins": pin_old_workflow(db, template["pins"])}
    write_old_row(db, "procurement:CN-OLD", template)
    before = stored_rows(db)

    # the new code reads version 2: the fold, the rebuild of the stale snapshot and the replay
    # all get the upcast payload
    store = EventStore(url, events=new_code())
    try:
        with store.reading() as tx:
            [read] = list(tx.read_stream("procurement:CN-OLD", after=1))
        assert (read.schema_version, read.payload["data"]) == (2, {"reason": REASON})
        services = Services(store, entry=HISTORIC)
        state = services.state("CN-OLD")
        assert state["state"] == "cancelled" and state["ended"]["reason"] == REASON
        assert "CN-OLD" in services.rebuild_snapshots()["rebuilt"]
        assert services.state("CN-OLD")["ended"]["reason"] == REASON
        replayed = replay(store, "CN-OLD")
        assert replayed.ok, replayed.to_dict()
        verified, _ = verify_store(store)
        assert verified.ok, verified.to_dict()
    finally:
        store.dispose()

    # what was stored stays as the old code wrote it: version 1, data.why, same body and hash
    after = stored_rows(db)
    assert after == before
    row = after[-1]
    body = json.loads(inflate(row[-1], b""))  # written with codec 0 (insert_values)
    assert (row[3], body["schema_version"]) == (CANCELLED, 1)
    assert body["payload"]["data"] == {"why": REASON}

    # without the upcaster the same row does not replay: it is the upcast the readers got
    plain = EventStore(url)
    try:
        assert not replay(plain, "CN-OLD").ok
    finally:
        plain.dispose()


def pin_old_workflow(db: Path, pins: dict[str, str]) -> dict[str, str]:
    """The workflow the old code pinned: the same mode, but its ``cancel`` trigger took
    ``why`` (and nothing else). Stored in the definitions table by its content hash, as the
    old code stored what it pinned; returns the pins of the old row."""
    con = sqlite3.connect(db)
    with con:
        name, body = con.execute("SELECT name, body FROM definitions WHERE hash = ?",
                                 (pins["workflow"],)).fetchone()
        workflow = json.loads(body)
        [cancel] = [t for t in workflow["transitions"] if t["trigger"] == "cancel"]
        cancel["data"] = {"type": "object", "additionalProperties": False, "required": ["why"],
                          "properties": {"why": {"type": "string", "minLength": 1}}}
        old_body = canonical_json(workflow)
        digest = sha256_hex(old_body)
        con.execute("INSERT INTO definitions (hash, kind, name, body) VALUES (?, ?, ?, ?)",
                    (digest, "workflow", name, old_body))
    con.close()
    return {**pins, "workflow": digest}


def test_replay_judges_the_stored_data_with_the_pinned_schema(tmp_path: Path) -> None:
    """Replay checks the data as stored against the schema the event pinned, not the upcast
    data: an old-shaped row pinned to a workflow that never accepted ``why`` is reported as a
    data mismatch, although its upcast would pass today's schema."""
    db = tmp_path / "tenderflow.db"
    url = f"sqlite:///{db}"
    template = two_procurements(url)
    write_old_row(db, "procurement:CN-OLD", template)  # pins today's workflow: reason only

    store = EventStore(url, events=new_code())
    try:
        stream = replay(store, "CN-OLD").to_dict()["streams"][0]
    finally:
        store.dispose()
    assert not stream["ok"]
    assert stream["violation"]["kind"] == "data"
    assert "pinned schema" in stream["violation"]["message"]
