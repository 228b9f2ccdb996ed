"""The event store's contract (DESIGN §4): fields, canonical bytes, chain, heads, append-only."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenderflow.errors import ConcurrencyConflict
from tenderflow.events.catalogue import EventType
from tenderflow.store.canonical import GENESIS, canonical_json, sha256_hex
from tenderflow.store.eventstore import EventStore, NewEvent
from tests.conftest import with_generic_events

T = "2023-03-01T09:00:00+08:00"


@pytest.fixture
def store(store: Any) -> Any:
    """The store of tests/conftest.py, also accepting the generic event types written here."""
    return with_generic_events(store)


def ev(kind: str = "Thing", **payload: Any) -> NewEvent:
    return NewEvent(kind, payload or {"n": 1}, T, "staff:wang", {"workflow": "ab" * 32})


def test_fields_chain_and_canonical_body(store: Any) -> None:
    with store.transaction() as tx:
        first = tx.append("procurement:A", 0, [ev(amount="40000000.00", 名称="浣花")],
                          "2023-03-01T09:00:01+08:00")
        second = tx.append("procurement:A", 1, [ev("Other")], "2023-03-01T09:00:02+08:00")
    a, b = first[0], second[0]
    assert (a.stream_seq, b.stream_seq) == (1, 2)
    assert a.global_seq < b.global_seq
    assert a.prev_hash == GENESIS and b.prev_hash == a.hash
    body = json.loads(a.body)
    assert set(body) == {"global_seq", "stream_id", "stream_seq", "type", "schema_version",
                         "occurred_at", "recorded_at", "actor", "pins", "payload", "prev_hash"}
    assert a.body == canonical_json(body)  # sorted keys, no spaces
    assert "浣花" in a.body  # ensure_ascii=False
    assert sha256_hex(a.body) == a.hash
    with store.reading() as tx:
        stored = list(tx.read_stream("procurement:A"))
        assert [e.hash for e in stored] == [a.hash, b.hash]
        assert stored[0].body == a.body  # the bytes as written
        assert tx.heads()["procurement:A"] == (2, b.hash)


def test_expected_version_conflict_writes_nothing(store: Any) -> None:
    with store.transaction() as tx:
        tx.append("procurement:A", 0, [ev()], T)
    with pytest.raises(ConcurrencyConflict) as err:
        with store.transaction() as tx:
            tx.append("procurement:A", 0, [ev()], T)
    assert err.value.exit_code == 3
    with pytest.raises(ConcurrencyConflict):
        with store.transaction() as tx:
            tx.append("procurement:A", 5, [ev()], T)
    with store.reading() as tx:
        assert tx.count_events() == 1


def test_transaction_is_all_or_nothing(store: Any) -> None:
    with pytest.raises(RuntimeError):
        with store.transaction() as tx:
            tx.append("procurement:A", 0, [ev(), ev()], T)
            raise RuntimeError("crash before commit")
    with store.reading() as tx:
        assert tx.count_events() == 0 and tx.heads() == {}


def test_database_refuses_update_and_delete(store: Any) -> None:
    with store.transaction() as tx:
        tx.append("procurement:A", 0, [ev()], T)
    con = sqlite3.connect(store.sqlite_path())
    for sql in ("UPDATE events SET deflated=x''", "DELETE FROM events"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(sql)
    con.close()


def test_upcasting_reads_old_versions_without_rewriting(store: Any) -> None:
    def _v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
        """v2 names the price field 'price' instead of 'amount'."""
        return {"price": payload["amount"]}

    # written by the code of version 1 (the store's catalogue has LegacyBid at version 1) …
    with store.transaction() as tx:
        [old] = tx.append("procurement:A", 0, [NewEvent("LegacyBid", {"amount": "1.00"}, T,
                                                        "staff:wang", {}, schema_version=1)], T)
    # … read by the code of version 2
    events = store.events.extended(EventType("LegacyBid", 2, {"type": "object"},
                                             {1: _v1_to_v2}))
    newer = EventStore(store.url, events=events)
    with newer.reading() as tx:
        [read] = list(tx.read_stream("procurement:A"))
    newer.dispose()
    assert read.schema_version == 2 and read.payload == {"price": "1.00"}
    assert read.body == old.body  # stored bytes unchanged
    assert events.upcast("LegacyBid", 2, {"price": "1"}) == (2, {"price": "1"})


def test_read_all_is_batched_in_global_order(store: Any) -> None:
    with store.transaction() as tx:
        for i in range(7):
            tx.append(f"procurement:P{i % 3}", i // 3, [ev()], T)
    with store.reading() as tx:
        seqs = [e.global_seq for e in tx.read_all(batch=2)]
    assert seqs == sorted(seqs) and len(seqs) == 7


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.booleans()), min_size=1, max_size=25))
def test_random_appends_keep_every_chain(store: Any, ops: list[tuple[str, bool]]) -> None:
    """Whatever mix of good and stale appends, each stream is 1..n with an unbroken chain."""
    with store.reading() as tx:
        start = {s: v for s, (v, _) in tx.heads().items()}
    expected = dict(start)
    for name, stale in ops:
        stream = f"procurement:{name}"
        version = expected.get(stream, 0)
        try:
            with store.transaction() as tx:
                tx.append(stream, version - 1 if stale and version else version, [ev()], T)
            if not (stale and version):
                expected[stream] = version + 1
        except ConcurrencyConflict:
            assert stale and version
    with store.reading() as tx:
        for stream, version in expected.items():
            events = list(tx.read_stream(stream))
            assert [e.stream_seq for e in events] == list(range(1, version + 1))
            prev = GENESIS
            for e in events:
                assert e.prev_hash == prev and sha256_hex(e.body) == e.hash
                prev = e.hash
