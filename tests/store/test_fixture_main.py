"""A database written by an earlier main still reads, verifies and replays (issue 13).

``tests/fixtures/store-main-dcece75.sqlite`` is what ``tenderflow demo`` wrote on main at
dcece75, before the restructuring: events at their old schema versions, snapshots folded by
the old code. The code of today must migrate it, verify every hash and pin, re-decide every
step with the pinned rules, and fold the same states, without rewriting a stored event.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tenderflow.cli import cli
from tenderflow.store.eventstore import EventStore
from tests.conftest import HISTORIC_ENV

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store-main-dcece75.sqlite"
FIXTURE_SHA256 = "a5dd35e0131e76ecbdf39aa7b81acc0fb04f18037a9a75051af77719e40420dd"

# What the old main recorded: procurement -> (mode, state, version).
RECORDED = {
    "CN-2023-001": ("competitive_negotiation", "awarded"),
    "CN-2023-002": ("competitive_negotiation", "failed"),
    "CN-2023-003": ("competitive_negotiation", "awarded"),
    "CN-2023-010": ("competitive_negotiation", "method_approved"),
    "DL-2024-001": ("delegation", "awarded"),
    "DL-2024-002": ("delegation", "failed"),
    "OT-2023-001": ("open_tender", "contracted"),
    "OT-2023-002": ("open_tender", "failed"),
    "OT-2023-003": ("open_tender", "contracted"),
    "OT-2023-005": ("open_tender", "evaluated"),
    "OT-2023-006": ("open_tender", "evaluated"),
    "OT-2024-003": ("open_tender", "created"),
    "PPP-2023-001": ("open_tender", "contracted"),
}


def _events(db: Path) -> list[tuple[Any, ...]]:
    """Each event's number, stored body (the bytes its hash covers) and hash: from the
    columns of old, or from the body stored once (migration 0006) as the store reads it."""
    with sqlite3.connect(db) as con:
        columns = {r[1] for r in con.execute("PRAGMA table_info(events)")}
        if "body" in columns:
            return con.execute("SELECT global_seq, body, hash FROM events "
                               "ORDER BY global_seq").fetchall()
    store = EventStore(f"sqlite:///{db}")
    try:
        with store.reading() as tx:
            return [(r.global_seq, r.body, r.hash) for r in tx.raw_events()]
    finally:
        store.dispose()


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    db = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, db)
    return db


def _cli(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{db}", *args], env=HISTORIC_ENV,
                                catch_exceptions=False)
    return result


def test_fixture_is_the_old_main() -> None:
    """The file is the one written at dcece75: never regenerated, never migrated in place."""
    assert hashlib.sha256(FIXTURE.read_bytes()).hexdigest() == FIXTURE_SHA256
    rows = _events(FIXTURE)
    assert len(rows) == 205
    assert {json.loads(r[1])["schema_version"] for r in rows} == {1}


def test_old_database_migrates_verifies_and_replays(old_db: Path) -> None:
    before = _events(old_db)
    init = _cli(old_db, "init")
    assert init.exit_code == 0, init.output

    verify = _cli(old_db, "audit", "verify")
    assert verify.exit_code == 0, verify.output
    assert "205 events in 29 streams verified" in verify.output

    replay = _cli(old_db, "audit", "replay", "--all")
    assert replay.exit_code == 0, replay.output
    assert "✗" not in replay.output
    for pid, (_, state) in RECORDED.items():
        assert f"procurement:{pid}:" in replay.output and f"state {state}" in replay.output

    # Nothing stored was rewritten: same rows, same bytes, same hashes.
    assert _events(old_db) == before


def test_old_database_reads_the_recorded_states(old_db: Path) -> None:
    assert _cli(old_db, "init").exit_code == 0
    listed = _cli(old_db, "--json", "list")
    assert listed.exit_code == 0, listed.output
    rows = {r["id"]: (r["mode"], r["state"]) for r in json.loads(listed.output)}
    assert rows == RECORDED
    for pid, (mode, state) in RECORDED.items():
        status = _cli(old_db, "--json", "status", pid)
        assert status.exit_code == 0, status.output
        body = json.loads(status.output)
        assert (body["mode"], body["state"]) == (mode, state)
