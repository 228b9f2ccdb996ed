"""Snapshots that know their code (issue 13, item 5), on SQLite and on PostgreSQL.

A procurement snapshot is stamped with the fold version of the code that folded it
(tenderflow.domain.fold_version) and trusted only while that stamp is the running code's and
the snapshot is at the stream's head; otherwise the state is rebuilt from the events: on read
(nothing written), on the next write (saved), and by ``tenderflow init`` (every stale one).
A database from before migration 0004 (no stamp at all) upgrades, reads, verifies and replays.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from tenderflow.app.procurement import stream_of
from tenderflow.domain import fold_version
from tenderflow.domain import state as fold_module
from tenderflow.domain.state import fold_all
from tenderflow.domain.timeutil import parse_time
from tenderflow.paths import examples_dir
from tenderflow.store.eventstore import MIGRATIONS, EventStore, head_revision
from tenderflow.store.projections import Snapshot
from tests.conftest import HISTORIC, HISTORIC_ENV, with_generic_events

PID = "CN-1"


@pytest.fixture
def store(store: Any) -> Any:
    """The store of tests/conftest.py, also accepting the generic event types written here."""
    return with_generic_events(store)
SID = stream_of(PID)
PREVIOUS = "0003"  # the migration head before snapshots were stamped


def at(text: str) -> Any:
    return parse_time(text)


def _opened(services: Any) -> Any:
    """CN-1 opened and its method approved: two events, a stamped snapshot."""
    services.open_procurement(PID, "CD-HH-2023", "competitive_negotiation", "staff:wang",
                              at("2023-03-01T09:00+08:00"))
    services.fire(PID, "approve_method",
                  {"ground": "urgent", "justification": "汛期前必须完工"}, "staff:wang",
                  at("2023-03-01T10:00+08:00"))
    return services


def _stored(store: EventStore) -> Any:
    with store.reading() as tx:
        return tx.stamped_snapshot(SID)


def _row(store: EventStore, pid: str = PID) -> Any:
    with store.reading() as tx:
        return next(r for r in tx.procurement_rows() if r.id == pid)


def _replayed(store: EventStore, pid: str = PID) -> dict[str, Any]:
    with store.reading() as tx:
        return fold_all(pid, tx.read_stream(stream_of(pid)))


def _plant(store: EventStore, stamp: int | None) -> None:
    """A snapshot saying something the events do not (and a read model row to match),
    stamped ``stamp``: what code folding differently, or an old database, leaves behind."""
    snap = _stored(store)
    wrong = {**snap.state, "state": "awarded", "folded_by": "old code"}
    with store.transaction() as tx:
        tx.save_snapshot(SID, snap.version, wrong, stamp)
        row = next(r for r in tx.procurement_rows() if r.id == PID)
        tx.save_procurement_row(PID, row.project, row.mode, "awarded", row.version, None)


def _init(url: str) -> Any:
    from tenderflow.cli import cli

    return CliRunner().invoke(cli, ["--db", url, "init"], catch_exceptions=False,
                              env=HISTORIC_ENV)


def test_fold_version_is_an_integer() -> None:
    assert isinstance(fold_version.FOLD_VERSION, int) and fold_version.FOLD_VERSION >= 1


def test_the_store_keeps_the_stamp_and_lists_stale_snapshots(store: EventStore) -> None:
    from tests.store.test_store_suite import ev

    with store.transaction() as tx:
        for name in ("A", "B", "C", "D"):
            tx.append(f"procurement:{name}", 0, [ev(), ev()], "2023-03-01T09:00:00+08:00")
        tx.append("project:P", 0, [ev()], "2023-03-01T09:00:00+08:00")
        tx.save_snapshot("procurement:A", 2, {"state": "a"}, 7)   # current
        tx.save_snapshot("procurement:B", 2, {"state": "b"}, 6)   # other code
        tx.save_snapshot("procurement:C", 2, {"state": "c"})      # unknown (NULL)
        tx.save_snapshot("procurement:D", 1, {"state": "d"}, 7)   # behind the head
        tx.save_snapshot("project:P", 1, {"id": "P"})              # not a fold: not listed
    with store.reading() as tx:
        assert tx.stamped_snapshot("procurement:A") == Snapshot(2, {"state": "a"}, 7)
        assert tx.stamped_snapshot("procurement:C").fold_version is None  # type: ignore[union-attr]
        assert tx.snapshot("procurement:B") == (2, {"state": "b"})  # as before: no stamp
        assert tx.stale_snapshots("procurement:", 7) == [
            "procurement:B", "procurement:C", "procurement:D"]
        assert tx.stamped_snapshot("procurement:Z") is None


def test_every_write_stamps_the_snapshot(registered: Any) -> None:
    _opened(registered)
    snap = _stored(registered.store)
    assert snap.fold_version == fold_version.FOLD_VERSION
    assert snap.version == 2 and snap.state == _replayed(registered.store)


@pytest.mark.parametrize("stamp", [None, fold_version.FOLD_VERSION - 1,
                                   fold_version.FOLD_VERSION + 1],
                         ids=["null", "older", "newer"])
def test_a_snapshot_of_other_code_is_not_trusted(registered: Any, invoke: Any,
                                                 stamp: int | None) -> None:
    store = registered.store
    _opened(registered)
    truth = _replayed(store)
    assert truth["state"] == "method_approved"
    _plant(store, stamp)

    # a read shows the state rebuilt from the events, and writes nothing
    assert registered.status(PID)["state"] == "method_approved"
    assert registered.state(PID) == truth
    assert _stored(store).fold_version == stamp and _stored(store).state["state"] == "awarded"

    # init rebuilds the snapshot and the read model row
    r = _init(store.url)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines == [f"database {store.url} at revision {head_revision()}",
                     "rebuilt 1 stale procurement snapshot from the events"]
    snap = _stored(store)
    assert (snap.version, snap.state, snap.fold_version) == (2, truth,
                                                               fold_version.FOLD_VERSION)
    assert _row(store).state == "method_approved"
    assert _init(store.url).output.splitlines() == lines[:1]  # nothing stale: one line

    # the next write replaces a stale snapshot too (and decides on the rebuilt state)
    _plant(store, stamp)
    registered.fire(PID, "form_group", {"members": [
        {"name": "刘专家", "role": "expert"}, {"name": "周专家", "role": "expert"},
        {"name": "采购人代表张", "role": "purchaser_representative"}]}, "staff:wang",
        at("2023-03-02T10:00+08:00"))
    snap = _stored(store)
    assert snap.fold_version == fold_version.FOLD_VERSION and snap.version == 3
    assert snap.state == _replayed(store) and "folded_by" not in snap.state
    assert _row(store).state == snap.state["state"] != "awarded"


def test_a_refused_write_keeps_nothing_but_still_decides_on_the_events(registered: Any
                                                                       ) -> None:
    from tenderflow.errors import TenderflowError

    _opened(registered)
    _plant(registered.store, None)
    with pytest.raises(TenderflowError):  # method_approved has no 'approve_method' any more
        registered.fire(PID, "approve_method", {"ground": "urgent", "justification": "x"},
                        "staff:wang", at("2023-03-01T11:00+08:00"))
    assert _stored(registered.store).fold_version is None  # rolled back with the refusal
    assert registered.status(PID)["state"] == "method_approved"


def test_changing_the_fold_version_rebuilds_with_the_new_code(registered: Any,
                                                              monkeypatch: Any) -> None:
    """What a release that changes an applier does: bump FOLD_VERSION; every snapshot the
    old code folded is rebuilt with the new fold, on read and by init."""
    store = registered.store
    _opened(registered)
    old = _stored(store)
    assert "new_field" not in old.state
    original = fold_module.fold_all

    def new_fold(pid: str, events: Any) -> dict[str, Any]:
        return {**original(pid, events), "new_field": "folded by the new code"}

    monkeypatch.setattr(fold_module, "fold_all", new_fold)
    monkeypatch.setattr(fold_version, "FOLD_VERSION", old.fold_version + 1)

    assert registered.state(PID)["new_field"] == "folded by the new code"
    assert _stored(store) == old  # a read writes nothing
    r = _init(store.url)
    assert r.exit_code == 0 and "rebuilt 1 stale procurement snapshot" in r.output, r.output
    snap = _stored(store)
    assert snap.fold_version == old.fold_version + 1
    assert snap.state == {**old.state, "new_field": "folded by the new code"}
    assert "rebuilt" not in _init(store.url).output

    monkeypatch.undo()  # back to the old code: the new snapshot is not trusted either
    assert "new_field" not in registered.state(PID)


def test_events_this_code_cannot_fold_are_reported_by_init(registered: Any) -> None:
    """A stream whose events do not fold keeps its snapshot; init says so and goes on."""
    from tests.store.test_store_suite import ev

    store = registered.store
    _opened(registered)
    _plant(store, None)
    with store.transaction() as tx:  # a stream without ProcurementCreated: no mode to fold
        tx.append("procurement:BROKEN", 0, [ev()], "2023-03-01T09:00:00+08:00")
        tx.save_snapshot("procurement:BROKEN", 1, {"state": "x"})
    r = _init(store.url)
    assert r.exit_code == 0, r.output
    assert "rebuilt 1 stale procurement snapshot" in r.stdout
    assert "BROKEN" in r.stderr and "do not fold" in r.stderr
    assert _stored(store).fold_version == fold_version.FOLD_VERSION


# --- a database from the previous migration head ----------------------------------------

def _alembic(url: str, target: str, downgrade: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    store = EventStore(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if downgrade else command.upgrade)(cfg, target)
    store.dispose()


_EMPTY = itertools.count(1)


@pytest.fixture
def empty_url(backend: str, request: Any, tmp_path: Path) -> str:
    """An empty database (no schema at all) on the backend under test."""
    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        name = f"tf_empty_{os.getpid()}_{next(_EMPTY)}"
        server.execute(f"CREATE DATABASE {name}")
        return str(server.url(name))
    return f"sqlite:///{tmp_path / 'old.db'}"


def test_a_database_of_the_previous_revision_upgrades_and_replays_clean(empty_url: str
                                                                        ) -> None:
    """Built at revision 0003 for real: the schema of before, then the examples recorded,
    then the snapshots' new column taken away again by the migration's own downgrade —
    what a database written by the code before this change looks like."""
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.cli import cli

    _alembic(empty_url, PREVIOUS)
    store = EventStore(empty_url)
    assert store.revision() == PREVIOUS
    with store.engine.connect() as conn:
        assert "fold_version" not in {c["name"] for c in inspect(conn).get_columns("snapshots")}
    _alembic(empty_url, "head")
    for scenario in ("negotiation_award.yaml", "tender_failed.yaml"):
        report = run_scenario(Services(store, entry=HISTORIC), examples_dir() / scenario)
        assert report.ok, [r.text for r in report.results if not r.ok]
    with store.reading() as tx:
        procurements = tx.stream_ids("procurement:")
        states = {p: tx.snapshot(p) for p in procurements}
    _alembic(empty_url, PREVIOUS, downgrade=True)
    assert store.revision() == PREVIOUS
    with store.engine.connect() as conn:
        assert "fold_version" not in {c["name"] for c in inspect(conn).get_columns("snapshots")}

    def run(*args: str) -> Any:
        return CliRunner().invoke(cli, ["--db", empty_url, *args], catch_exceptions=False,
                                  env=HISTORIC_ENV)

    r = run("list")
    assert r.exit_code == 2 and "run 'tenderflow init' to upgrade" in r.stderr
    r = run("init")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        f"database {store.url} at revision {head_revision()}",
        f"rebuilt {len(procurements)} stale procurement snapshots from the events"]
    with store.reading() as tx:
        for p in procurements:
            snap = tx.stamped_snapshot(p)
            assert snap is not None and snap.fold_version == fold_version.FOLD_VERSION
            assert (snap.version, snap.state) == states[p]
        assert tx.stale_snapshots("procurement:", fold_version.FOLD_VERSION) == []
    for p in procurements:
        r = run("status", p.split(":", 1)[1])
        assert r.exit_code == 0, r.output
    r = run("audit", "verify")
    assert r.exit_code == 0, r.output
    r = run("audit", "replay", "--all")
    assert r.exit_code == 0, r.output
    assert "rebuilt" not in run("init").output
    store.dispose()
