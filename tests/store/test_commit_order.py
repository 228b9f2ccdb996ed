"""A reader resuming after its position never misses a late commit (issue 13, item 6), on
SQLite and on PostgreSQL.

Writer A appends and stays open; writer B appends to another procurement and commits; a
reader reads everything after its position in between, then, once both have committed,
resumes after the last position it saw. With the transaction-id watermark
(tenderflow.store.position) the first read holds nothing A's still-running transaction could
land before, and resuming finds A's event — while B never waited for A (on PostgreSQL;
SQLite serialises writers anyway). The last test runs the same race with the plain
``global_seq`` reader and shows that on PostgreSQL it loses A's event for good: the scenario
can fail.

The reader uses its own engine without the store's ``BEGIN IMMEDIATE`` hook, so that on SQLite
it reads the WAL snapshot instead of waiting for the writers' lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from tenderflow.errors import InputError
from tenderflow.events.catalogue import EventType, catalogue
from tenderflow.store.eventstore import EventStore, NewEvent, Tx
from tenderflow.store.position import START, Position
from tests.conftest import GENERIC_TYPES, with_generic_events

T = "2023-03-01T09:00:00+08:00"
PINS = {"workflow": "ab" * 32}
# what the writers' stores accept: tenderflow's event types and the tests' generic ones
CATALOGUE = catalogue().extended(*(EventType(t, 1, {"type": "object"}) for t in GENERIC_TYPES))
HOLD = 1.0  # seconds B is given to commit while A is still open


def ev(label: str) -> NewEvent:
    return NewEvent("Thing", {"label": label}, T, "staff:wang", PINS)


@pytest.fixture
def store(store: EventStore) -> EventStore:
    return with_generic_events(store)


@pytest.fixture
def reader(store: EventStore) -> Iterator[Engine]:
    engine = create_engine(store.url)
    yield engine
    engine.dispose()


Read = Callable[[Engine, str, Any], tuple[list[str], Any]]


def by_position(engine: Engine, dialect: str, after: Position) -> tuple[list[str], Position]:
    with engine.connect() as conn:
        seen = list(Tx(conn, dialect, CATALOGUE).read_committed(after))
    return [e.stream_id for _, e in seen], (seen[-1][0] if seen else after)


def by_global_seq(engine: Engine, dialect: str, after: int) -> tuple[list[str], int]:
    with engine.connect() as conn:
        seen = list(Tx(conn, dialect, CATALOGUE).read_all(after))
    return [e.stream_id for e in seen], (seen[-1].global_seq if seen else after)


@dataclass
class Run:
    first: list[str]    # what the reader saw while A was open
    resumed: list[str]  # what it saw resuming after its last position
    everything: list[str]  # a read from the start once both committed
    b_done_while_a_open: bool


def race(store: EventStore, reader: Engine, read: Read, start: Any) -> Run:
    """A appends (drawing the lower number) and is held open; B appends and commits
    meanwhile; the reader reads in between, then resumes once both have committed."""
    with store.transaction() as tx:
        tx.append("procurement:SEED", 0, [ev("Seed")], T)
    a_appended, release, b_done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer_a() -> None:
        try:
            with store.transaction() as tx:
                tx.append("procurement:A", 0, [ev("A")], T)
                a_appended.set()
                assert release.wait(30)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
            a_appended.set()

    def writer_b() -> None:
        try:
            with store.transaction() as tx:
                tx.append("procurement:B", 0, [ev("B")], T)
            b_done.set()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    a = threading.Thread(target=writer_a)
    a.start()
    assert a_appended.wait(30)
    b = threading.Thread(target=writer_b)
    b.start()
    b_done_while_a_open = b_done.wait(HOLD)
    first, position = read(reader, store.dialect, start)
    release.set()
    a.join(60)
    b.join(60)
    assert not errors, errors
    resumed, _ = read(reader, store.dialect, position)
    everything, _ = read(reader, store.dialect, start)
    return Run(first, resumed, everything, b_done_while_a_open)


def test_a_reader_resuming_after_its_position_never_misses_a_late_commit(
        store: EventStore, reader: Engine) -> None:
    run = race(store, reader, by_position, START)
    assert sorted(run.everything) == ["procurement:A", "procurement:B", "procurement:SEED"]
    assert run.first == run.everything[:len(run.first)]  # a prefix of the final order
    assert run.first + run.resumed == run.everything  # nothing missed, nothing twice
    assert "procurement:A" not in run.first
    # Writers on different procurements do not wait for each other on PostgreSQL (the
    # watermark takes no lock); SQLite has one writer at a time.
    assert run.b_done_while_a_open == (store.dialect == "postgresql")


def test_the_global_seq_reader_loses_a_late_commit_on_postgresql(
        store: EventStore, reader: Engine) -> None:
    """Why the position exists: with a sequence, B commits 3 while A holds 2; a reader that
    saw 3 and resumes after it never sees A. (SQLite serialises writers, so it cannot.)"""
    run = race(store, reader, by_global_seq, 0)
    if store.dialect == "postgresql":
        assert run.first == ["procurement:SEED", "procurement:B"]
        assert run.resumed == []  # A's event, numbered 2, is lost to this reader
        assert "procurement:A" in run.everything
    else:
        assert run.first + run.resumed == run.everything


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[EventStore]:
    store = with_generic_events(EventStore(pg_url))
    store.migrate()
    yield store
    store.dispose()


def test_a_writer_that_took_its_transaction_id_first_is_still_read_after_a_later_one(
        pg_store: EventStore) -> None:
    """Transaction ids and sequence numbers can disagree (PostgreSQL only: SQLite has one
    writer at a time): T1 starts writing first (its id is lower) but draws the higher number
    after T2 committed. Positions follow the transaction, so the reader, having read T2's
    event only once T1 ended, still gets both exactly once."""
    store = pg_store
    reader = create_engine(store.url)
    with store.transaction() as tx:
        tx.append("procurement:SEED", 0, [ev("Seed")], T)
    started, t2_done, release = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def t1() -> None:
        try:
            with store.transaction() as tx:
                tx.conn.exec_driver_sql("SELECT pg_current_xact_id()")  # take an id now
                started.set()
                assert t2_done.wait(30)
                tx.append("procurement:T1", 0, [ev("T1")], T)
                assert release.wait(30)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
            started.set()

    thread = threading.Thread(target=t1)
    thread.start()
    assert started.wait(30)
    with store.transaction() as tx:
        t2_seq = tx.append("procurement:T2", 0, [ev("T2")], T)[0].global_seq
    t2_done.set()
    first, position = by_position(reader, store.dialect, START)
    release.set()
    thread.join(60)
    assert not errors, errors
    resumed, _ = by_position(reader, store.dialect, position)
    assert first == ["procurement:SEED"]  # T2 committed, but T1 (older) was still running
    assert resumed == ["procurement:T1", "procurement:T2"]
    with reader.connect() as conn:
        seqs = dict(conn.exec_driver_sql(
            "SELECT stream_id, global_seq FROM events").all())
    reader.dispose()
    assert seqs["procurement:T1"] > t2_seq  # the numbers disagree with the order read


def test_positions_are_written_and_read_back() -> None:
    assert str(Position(7713, 412)) == "7713.412"
    assert Position.parse(" 0.205 ") == Position(0, 205)
    assert Position(1, 9) < Position(2, 1)
    with pytest.raises(InputError) as err:
        Position.parse("205", field="--after")
    assert "--after" in str(err.value) and "TXID.SEQ" in str(err.value)


def test_every_event_carries_its_transaction(store: EventStore, reader: Engine) -> None:
    with store.transaction() as tx:
        tx.append("procurement:A", 0, [ev("One"), ev("Two")], T)
    with store.transaction() as tx:
        tx.append("procurement:B", 0, [ev("Three")], T)
    with reader.connect() as conn:
        txids = [r[0] for r in conn.exec_driver_sql(
            "SELECT txid FROM events ORDER BY global_seq").all()]
    if store.dialect == "postgresql":
        assert txids[0] == txids[1] != txids[2] and all(t > 0 for t in txids)
    else:
        assert txids == [0, 0, 0]
    seen, last = by_position(reader, store.dialect, START)
    assert seen == ["procurement:A", "procurement:A", "procurement:B"]
    assert by_position(reader, store.dialect, last) == ([], last)
