"""Each event's body stored once, deflated with a dictionary trained on the store's own events
(migration 0006, issue 17): on every backend the bytes read back are the bytes hashed, the
dictionaries change as the log grows without changing any stored body, and an upgrade keeps
every byte the hashes cover."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tenderflow.audit.verify import verify_store
from tenderflow.store.bodies import (
    BodyUnreadable,
    deflate,
    inflate,
    train,
    trains_at,
)
from tenderflow.store.canonical import sha256_hex
from tenderflow.store.eventstore import EventStore, NewEvent, StoreError
from tests.conftest import with_generic_events
from tests.store.test_snapshot_version import _alembic

T = "2023-03-01T09:00:00+08:00"
PINS: dict[str, str] = {}  # (nothing pinned: no definitions to store)


@pytest.fixture
def store(store: Any) -> Any:
    return with_generic_events(store)


def test_a_body_inflates_to_the_bytes_deflated_with_its_dictionary() -> None:
    body = json.dumps({"payload": {"name": "愿景明德物业管理有限公司", "members": [
        "刘专家", "周专家", "采购人代表张"] * 3}}, ensure_ascii=False).encode("utf-8")
    dictionary = train([("Thing", body), ("Other", b'{"x":1}')])
    assert dictionary.endswith(body)  # the commoner type sits at the end
    for d in (b"", dictionary):
        assert inflate(deflate(body, d), d) == body
    assert len(deflate(body, dictionary)) < len(deflate(body, b"")) < len(body)
    with pytest.raises(BodyUnreadable):
        inflate(deflate(body, dictionary), b"")  # the wrong dictionary
    with pytest.raises(BodyUnreadable, match="complete"):
        inflate(deflate(body, b"")[:-3], b"")
    with pytest.raises(BodyUnreadable, match="complete"):
        inflate(deflate(body, b"") + b"x", b"")
    assert [g for g in range(1, 300_001) if trains_at(g)] == [32, 256, 2048, 16384, 100_000,
                                                              200_000, 300_000]


def test_dictionaries_follow_the_log_and_old_bodies_still_read(store: EventStore) -> None:
    for n in range(300):
        with store.transaction() as tx:
            tx.append(f"thing:{n % 7}", n // 7,
                      [NewEvent("Thing", {"n": n, "text": "采购人代表张" * (n % 5)}, T,
                                "staff:wang", PINS)], T)
    with store.engine.connect() as conn:
        codecs = [r[0] for r in conn.exec_driver_sql("SELECT id FROM body_codecs ORDER BY id")]
        used = {r[0]: r[1] for r in conn.exec_driver_sql(
            "SELECT codec, count(*) FROM events GROUP BY codec")}
    assert codecs == [0, 32, 256]
    assert used == {0: 31, 32: 224, 256: 45}
    with store.reading() as tx:
        events = list(tx.read_all())
        raw = list(tx.raw_events())
    assert [e.payload["n"] for e in events] == list(range(300))
    assert all(sha256_hex(r.body) == r.hash == e.hash for r, e in zip(raw, events, strict=True))
    report, _ = verify_store(store)
    assert report.ok and report.events == 300


def test_an_unreadable_body_is_named_by_readers_and_by_verify(store: EventStore) -> None:
    with store.transaction() as tx:
        tx.append("thing:1", 0, [NewEvent("Thing", {"n": 1}, T, "staff:wang", PINS),
                                 NewEvent("Thing", {"n": 2}, T, "staff:wang", PINS)], T)
    with store.engine.begin() as conn:
        for trigger in ("events_no_update", "events_append_only"):
            if store.dialect == "sqlite":
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        if store.dialect == "postgresql":
            conn.exec_driver_sql("ALTER TABLE events DISABLE TRIGGER events_append_only")
        conn.exec_driver_sql("UPDATE events SET codec = 77 WHERE stream_seq = 2")
    with store.reading() as tx, pytest.raises(BodyUnreadable, match="codec 77 is not in"):
        list(tx.read_stream("thing:1"))
    report, _ = verify_store(store)
    [p] = report.problems  # (and the head: event 2 is where the stream broke)
    assert (p.stream, p.stream_seq, p.kind) == ("thing:1", 2, "body")
    assert "cannot be read: codec 77 is not in the body_codecs table" in p.text


def test_upgrade_keeps_every_byte_and_refuses_a_row_whose_columns_disagree(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = with_generic_events(EventStore(url))
    store.migrate()
    with store.transaction() as tx:
        tx.append("thing:1", 0, [NewEvent("Thing", {"n": n, "名": "张"}, T, "staff:wang", PINS)
                                 for n in range(40)], T)
    with store.reading() as tx:
        before = [(r.global_seq, r.body, r.hash) for r in tx.raw_events()]
    _alembic(url, "0005", downgrade=True)  # the columns of before, filled from the bodies
    con = sqlite3.connect(tmp_path / "old.db")
    assert [tuple(r) for r in con.execute(
        "SELECT global_seq, body, hash FROM events ORDER BY global_seq")] == before
    _alembic(url, "head")
    with store.reading() as tx:
        assert [(r.global_seq, r.body, r.hash) for r in tx.raw_events()] == before
    assert verify_store(store)[0].ok
    _alembic(url, "0005", downgrade=True)
    con.execute("DROP TRIGGER events_no_update")
    con.execute("UPDATE events SET payload = '{\"n\":99}' WHERE global_seq = 7")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match=r"thing:1 #7 \(global 7\): column payload differs"):
        _alembic(url, "head")
    store.dispose()
