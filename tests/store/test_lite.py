"""The sqlite3 reader (tenderflow.store.lite) answers each read as the SQLAlchemy store's Tx
does, on every stream of a recorded database; a damaged body is the same error both ways."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tenderflow.paths import examples_dir
from tests.conftest import HISTORIC


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only (the store's other tests run on PostgreSQL too): the reader is SQLite's."""
    return f"sqlite:///{tmp_path / 'lite.db'}"


@pytest.fixture
def recorded(db_url: str) -> Any:
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.store.eventstore import EventStore

    store = EventStore(db_url)
    store.migrate()
    services = Services(store, entry=HISTORIC)
    for name in ("negotiation_award.yaml", "tender_failed.yaml"):
        report = run_scenario(services, examples_dir() / name)
        assert report.ok, (name, report.to_dict())
    yield store
    store.dispose()


def _open(db_url: str) -> Any:
    from tenderflow.store.lite import open_reader

    lite = open_reader(db_url)
    assert lite is not None
    return lite


def test_every_read_the_same(recorded: Any, db_url: str) -> None:
    lite = _open(db_url)
    try:
        with recorded.reading() as tx, lite.reading() as ltx:
            streams = tx.stream_ids()
            assert len(streams) > 10
            assert ltx.writing is False
            for prefix in ("", "procurement:", "supplier:", "calendar:", "nothing:"):
                assert ltx.stream_heads(prefix) == tx.stream_heads(prefix), prefix
            assert [tuple(r) for r in ltx.procurement_rows()] == [
                tuple(r) for r in tx.procurement_rows()]
            assert [r.id for r in ltx.procurement_rows()] == [
                r.id for r in tx.procurement_rows()]
            for sid in [*streams, "procurement:NOPE"]:
                assert ltx.head(sid) == tx.head(sid), sid
                assert ltx.stamped_snapshot(sid) == tx.stamped_snapshot(sid), sid
                assert ltx.snapshot(sid) == tx.snapshot(sid), sid
                events = list(tx.read_stream(sid))
                assert list(ltx.read_stream(sid)) == events, sid
                if len(events) > 2:
                    assert list(ltx.read_stream(sid, after=2)) == events[2:], sid
    finally:
        lite.dispose()


def test_a_damaged_body_is_the_same_error(recorded: Any, db_url: str) -> None:
    from tenderflow.errors import TenderflowError

    path = Path(db_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:  # the attacker's edit: the triggers refuse an UPDATE
        conn.execute("DROP TRIGGER IF EXISTS events_no_update")
        triggers = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='events'")]
        for name in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("UPDATE events SET deflated = x'00ff00' WHERE stream_id = "
                     "'procurement:CN-2023-001' AND stream_seq = 3")
    conn.close()
    lite = _open(db_url)
    errors = []
    try:
        for store in (recorded, lite):
            with store.reading() as tx, pytest.raises(TenderflowError) as caught:
                list(tx.read_stream("procurement:CN-2023-001"))
            errors.append((type(caught.value), caught.value.message, caught.value.exit_code))
    finally:
        lite.dispose()
    assert errors[0] == errors[1]
    assert "audit verify" in errors[0][1]
