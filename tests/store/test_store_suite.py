"""The event store's suite, written once and run on SQLite and on a real PostgreSQL server.

Every test here takes ``store`` (or ``services`` / ``invoke``), which tests/store/conftest.py
parametrizes over both backends: whatever holds on one must hold on the other.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import DBAPIError

from tenderflow.domain.timeutil import parse_time
from tenderflow.errors import ConcurrencyConflict
from tenderflow.paths import examples_dir
from tenderflow.store.canonical import GENESIS, canonical_json, sha256_hex
from tenderflow.store.eventstore import (
    MIGRATIONS,
    EventStore,
    NewEvent,
    StoreError,
    head_revision,
)
from tests.conftest import HISTORIC, with_generic_events
from tests.reliability import integrity

T = "2023-03-01T09:00:00+08:00"
PINS = {"workflow": "ab" * 32, "parameters": "cd" * 32, "calendar": "ef" * 32}


@pytest.fixture
def store(store: Any) -> Any:
    """The store of tests/conftest.py, also accepting the generic event types written here."""
    return with_generic_events(store)


def ev(kind: str = "Thing", actor: str = "staff:wang", **payload: Any) -> NewEvent:
    return NewEvent(kind, payload or {"n": 1}, T, actor, PINS)


def test_head_revision_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_schema_is_at_head_and_migrating_again_changes_nothing(store: EventStore) -> None:
    assert store.revision() == head_revision()
    store.require_schema()
    assert store.migrate() == head_revision()
    with store.reading() as tx:
        assert tx.count_events() == 0 and tx.heads() == {}


def test_append_read_and_chain(store: EventStore) -> None:
    with store.transaction() as tx:
        a = tx.append("procurement:A", 0, [ev(amount="40000000.00", 名称="浣花小区"), ev("Two")],
                      T)
        b = tx.append("procurement:B", 0, [ev()], T)
    with store.transaction() as tx:
        c = tx.append("procurement:A", 2, [ev("Three")], T)
    assert [e.stream_seq for e in a + c] == [1, 2, 3]
    globals_ = [e.global_seq for e in a + b + c]
    assert globals_ == sorted(globals_) and len(set(globals_)) == 4
    with store.reading() as tx:
        stored = list(tx.read_stream("procurement:A"))
        assert [e.type for e in stored] == ["Thing", "Two", "Three"]
        assert stored[0].payload == {"amount": "40000000.00", "名称": "浣花小区"}
        assert stored[0].pins == PINS
        assert [e.body for e in stored] == [e.body for e in a + c]  # bytes as written
        assert [e.stream_seq for e in tx.read_stream("procurement:A", after=1)] == [2, 3]
        assert tx.heads() == {"procurement:A": (3, c[0].hash), "procurement:B": (1, b[0].hash)}
        assert tx.stream_ids("procurement:") == ["procurement:A", "procurement:B"]
    prev = GENESIS
    for e in stored:
        assert e.prev_hash == prev and sha256_hex(e.body) == e.hash
        assert json.loads(e.body)["payload"] == e.payload
        assert e.body == canonical_json(json.loads(e.body))
        prev = e.hash


def test_stale_expected_version_is_a_conflict_and_writes_nothing(store: EventStore) -> None:
    with store.transaction() as tx:
        tx.append("procurement:A", 0, [ev()], T)
    for expected in (0, 2, 7):
        with pytest.raises(ConcurrencyConflict) as err:
            with store.transaction() as tx:
                tx.append("procurement:B", 0, [ev()], T)  # written, then rolled back
                tx.append("procurement:A", expected, [ev()], T)
        assert err.value.exit_code == 3
    with store.reading() as tx:
        assert tx.count_events() == 1
        assert set(tx.heads()) == {"procurement:A"}


def test_a_failed_unit_of_work_leaves_nothing(store: EventStore) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.append("procurement:A", 0, [ev(), ev()], T)
        tx.save_snapshot("procurement:A", 2, {"state": "x"})
        tx.save_procurement_row("A", "P", "m", "x", 2, None)
        tx.pin_definition("00" * 32, "workflow", "m", "{}")
        raise RuntimeError("crash before commit")
    with store.reading() as tx:
        assert tx.count_events() == 0 and tx.heads() == {}
        assert tx.snapshot("procurement:A") is None and tx.procurement_rows() == []
        assert tx.definition("00" * 32) is None


def test_the_database_refuses_to_change_or_delete_events(store: EventStore) -> None:
    with store.transaction() as tx:
        tx.append("procurement:A", 0, [ev()], T)
    for sql in ("UPDATE events SET deflated = NULL", "DELETE FROM events",
                "UPDATE events SET actor = 'staff:li' WHERE stream_seq = 1"):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.exec_driver_sql(sql)
    assert integrity.problems(store.url, projections=False) == []


def test_global_order_reads_in_batches(store: EventStore) -> None:
    with store.transaction() as tx:
        for i in range(11):
            tx.append(f"procurement:P{i % 4}", i // 4, [ev(i=i)], T)
    with store.reading() as tx:
        events = list(tx.read_all(batch=3))
        raw = list(tx.raw_events(batch=4))
        only = list(tx.raw_events("procurement:P1", batch=2))
        assert tx.count_events() == 11
    assert [e.payload["i"] for e in events] == list(range(11))
    assert [r.global_seq for r in raw] == [e.global_seq for e in events]
    assert [r.stream_seq for r in only] == [1, 2, 3]
    with store.reading() as tx:
        assert [e.payload["i"] for e in tx.read_all(after_global=events[8].global_seq)] == \
            [9, 10]


def test_snapshots_read_models_and_pinned_definitions(store: EventStore) -> None:
    with store.transaction() as tx:
        tx.save_snapshot("procurement:A", 1, {"state": "created", "名称": "浣花"})
        tx.save_procurement_row("A", "CD-HH", "competitive_negotiation", "created", 1, None)
        tx.pin_definition("11" * 32, "workflow", "competitive_negotiation", '{"a":1}')
    with store.transaction() as tx:
        tx.save_snapshot("procurement:A", 2, {"state": "invited"})
        tx.save_procurement_row("A", "CD-HH", "competitive_negotiation", "invited", 2,
                                "2023-03-08T09:30:00+08:00")
        tx.pin_definition("11" * 32, "workflow", "competitive_negotiation", '{"a":1}')
    with store.reading() as tx:
        assert tx.snapshot("procurement:A") == (2, {"state": "invited"})
        [row] = tx.procurement_rows()
        assert (row.state, row.version, row.next_due) == ("invited", 2,
                                                          "2023-03-08T09:30:00+08:00")
        assert tx.definition("11" * 32) == ("workflow", "competitive_negotiation", '{"a":1}')


def test_large_and_unicode_payloads_keep_their_bytes(store: EventStore) -> None:
    payload = {"text": "谈判" * 20000, "nested": {"a": [1, 2, {"b": "𠀀😀"}]},
               "amount": "99999999999.99", "zero": 0, "none": None}
    with store.transaction() as tx:
        [written] = tx.append("procurement:A", 0, [NewEvent("Big", payload, T, "evaluator:刘专家",
                                                            PINS)], T)
    with store.reading() as tx:
        [read] = list(tx.read_stream("procurement:A"))
    assert read.payload == payload and read.body == written.body
    assert read.actor == "evaluator:刘专家" and sha256_hex(read.body) == read.hash


def test_a_scenario_records_the_same_events_on_every_backend(services: Any,
                                                            tmp_path: Path) -> None:
    """The example scenario, run through the services, leaves a sound log whose content
    (everything but the wall-clock fields) equals a fresh SQLite run's."""
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario

    scenario = examples_dir() / "negotiation_award.yaml"
    report = run_scenario(services, scenario)
    assert report.ok, [r.text for r in report.results if not r.ok]
    assert report.states == {"CN-2023-001": "awarded"}
    assert integrity.problems(services.store.url) == []
    reference = EventStore(f"sqlite:///{tmp_path}/reference.db")
    reference.migrate()
    assert run_scenario(Services(reference, entry=HISTORIC), scenario).ok
    reference.dispose()
    assert integrity.events(services.store.url) == integrity.events(reference.url)


def test_the_cli_works_through_the_url(invoke: Any, tmp_path: Path) -> None:
    data = examples_dir() / "data"
    assert invoke("init").exit_code == 0
    r = invoke("register", "projects", str(data / "projects.yaml"))
    assert r.exit_code == 0, r.output
    r = invoke("register", "suppliers", str(data / "suppliers.yaml"))
    assert r.exit_code == 0, r.output
    r = invoke("open", "CN-1", "--project", "CD-HH-2023", "--mode", "competitive_negotiation",
               "--at", "2023-03-01T09:00+08:00")
    assert r.exit_code == 0, r.output
    bad = tmp_path / "approve.yaml"
    bad.write_text("ground: because\njustification: x\n", encoding="utf-8")
    r = invoke("fire", "CN-1", "approve_method", "--data", str(bad), "--at",
               "2023-03-01T10:00+08:00")
    assert r.exit_code == 2 and "ground" in r.stderr
    good = tmp_path / "ok.yaml"
    good.write_text("ground: urgent\njustification: 汛期前必须完工\n", encoding="utf-8")
    r = invoke("fire", "CN-1", "approve_method", "--data", str(good), "--at",
               "2023-03-01T10:00+08:00", "--if-version", "1")
    assert r.exit_code == 0, r.stderr
    r = invoke("fire", "CN-1", "cancel", "--data", str(good), "--if-version", "1")
    assert r.exit_code == 3, r.stderr  # someone (we) acted since version 1
    r = invoke("--json", "status", "CN-1")
    assert r.exit_code == 0 and json.loads(r.stdout)["state"] == "method_approved"


def test_an_unreachable_database_is_a_clear_error(backend: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tenderflow.cli import cli

    url = (f"sqlite:///{tmp_path}/missing.db" if backend == "sqlite" else
           f"postgresql+psycopg://nobody@/nowhere?host={tmp_path}&port=1")
    r = CliRunner().invoke(cli, ["--db", url, "list"])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and ("init" in r.stderr or "cannot open" in r.stderr)
    with pytest.raises(StoreError):
        EventStore(url).require_schema()


def test_business_time_round_trips(services: Any, registered: Any) -> None:
    r = registered.open_procurement("CN-T", "CD-HH-2023", "competitive_negotiation",
                                    "staff:wang", parse_time("2023-03-01T09:00+08:00"))
    with services.store.reading() as tx:
        [e] = list(tx.read_stream("procurement:CN-T"))
    assert e.occurred_at == "2023-03-01T09:00:00+08:00" and e.global_seq == r.global_seq


# --- the statements run on the driver's cursor (tenderflow.store.driver, issue 17) ---------
def test_stream_prefixes_are_exact(store: EventStore) -> None:
    """``stream_ids`` / ``stream_heads`` select the ids that start with the prefix, as
    written: no wildcard in it (``_``, ``%``), no case folding, nothing after the range."""
    names = ["credit:a", "credit:b_1", "credit_x:a", "Credit:c", "creditz", "credit;",
             "credit:%", "credit:\u4e2d"]
    with store.transaction() as tx:
        for name in names:
            tx.append(name, 0, [ev()], T)
    with store.reading() as tx:
        assert tx.stream_ids("credit:") == sorted(["credit:a", "credit:b_1", "credit:%",
                                                   "credit:\u4e2d"])
        assert tx.stream_ids("credit:b_") == ["credit:b_1"]
        assert tx.stream_ids("credit:%") == ["credit:%"]
        assert [h[0] for h in tx.stream_heads("credit_")] == ["credit_x:a"]
        assert tx.stream_ids("Credit") == ["Credit:c"]
        assert len(tx.stream_ids()) == len(names)
        assert [h[1] for h in tx.stream_heads("credit:a")] == [1]


def test_business_time_order_holds_after_a_rollback_and_another_writer(
        store: EventStore) -> None:
    """The store remembers the time of the last event it appended; a rolled-back append or
    another writer's append moves the head away from what it remembers, and the check reads
    the stored event instead."""
    def at(hour: int) -> NewEvent:
        return NewEvent("Thing", {"n": hour}, f"2023-03-01T{hour:02d}:00:00+08:00",
                        "staff:wang", PINS)

    from tenderflow.errors import BusinessTimeError

    LATER = "2023-03-02T09:00:00+08:00"  # recorded the next day

    with store.transaction() as tx:
        tx.append("procurement:A", 0, [at(9)], LATER)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.append("procurement:A", 1, [at(15)], LATER)
        raise RuntimeError("rolled back after a later step")
    with store.transaction() as tx:  # 11:00 is after the last stored event (09:00)
        tx.append("procurement:A", 1, [at(11)], LATER)
    other = with_generic_events(EventStore(store.url))
    try:
        with other.transaction() as tx:
            tx.append("procurement:A", 2, [at(14)], LATER)
    finally:
        other.dispose()
    with pytest.raises(BusinessTimeError, match="before the stream's last event"), \
            store.transaction() as tx:  # the other writer's 14:00 is the last now
        tx.append("procurement:A", 3, [at(12)], LATER)
    with store.reading() as tx:
        assert [e.occurred_at[11:16] for e in tx.read_stream("procurement:A")] == \
            ["09:00", "11:00", "14:00"]


def test_a_driver_error_is_the_stores_error(store: EventStore) -> None:
    """A constraint the database enforces under a driver-cursor statement comes out as the
    store's conflict, and the transaction leaves nothing."""
    with store.transaction() as tx:
        tx.append("procurement:A", 0, [ev()], T)
    with pytest.raises(ConcurrencyConflict) as err, store.transaction() as tx:
        tx.append("procurement:B", 0, [ev()], T)
        tx._sql("INSERT INTO streams (stream_id, version, head_hash) VALUES (?, ?, ?)",
                ("procurement:A", 1, GENESIS))  # the primary key: a lost race
    assert err.value.exit_code == 3
    with store.reading() as tx:
        assert set(tx.heads()) == {"procurement:A"} and tx.count_events() == 1


def test_a_large_snapshot_is_stored_packed_and_read_whole(store: EventStore) -> None:
    """A state over PACK_FROM characters of JSON is kept packed in the text column; a row
    written as JSON (as before) reads as it is; both say how long their JSON is."""
    from sqlalchemy import text

    big = {"state": "invited", "checks": [{"rule": f"r{i}", "名称": "浣花小区"} for i in range(300)]}
    small = {"state": "created"}
    with store.transaction() as tx:
        assert tx.save_snapshot("procurement:A", 1, big, 7) == len(canonical_json(big))
        tx.save_snapshot("procurement:B", 1, small, 7)
    with store.engine.begin() as conn:
        stored = dict(conn.execute(text("SELECT stream_id, state FROM snapshots")).all())
        conn.execute(text("INSERT INTO snapshots (stream_id, version, state, fold_version) "
                          "VALUES ('procurement:C', 2, :s, NULL)"), {"s": canonical_json(big)})
    assert stored["procurement:A"].startswith("z1:")
    assert len(stored["procurement:A"]) < len(canonical_json(big)) / 4
    assert stored["procurement:B"] == canonical_json(small)
    with store.reading() as tx:
        a, b, c = (tx.stamped_snapshot(f"procurement:{x}") for x in "ABC")
    assert (a.state, a.size, a.fold_version) == (big, len(canonical_json(big)), 7)
    assert (b.state, c.state, c.size) == (small, big, len(canonical_json(big)))


def test_read_model_questions_are_answered_by_their_indexes(store: EventStore) -> None:
    """tick's "which have a timer pending" and a re-opening's "which does this project have"
    (migration 0007): the right rows, by id, and on SQLite read through the indexes rather
    than the whole table (each took ~40 ms over a national year's 51,189 rows)."""
    from sqlalchemy import inspect

    with store.transaction() as tx:
        for n, (project, due) in enumerate([("P1", None), ("P2", "2023-03-08T09:30:00+08:00"),
                                            ("P1", "2023-03-02T09:00:00+08:00"),
                                            ("P3", None), ("P1", None)]):
            tx.save_procurement_row(f"X-{5 - n}", project, "open_tender", "created", 1, due)
    with store.reading() as tx:
        assert tx.pending_timers() == [("X-3", "2023-03-02T09:00:00+08:00"),
                                       ("X-4", "2023-03-08T09:30:00+08:00")]
        assert tx.procurement_ids_of_project("P1") == ["X-1", "X-3", "X-5"]
        assert tx.procurement_ids_of_project("P9") == []
    with store.engine.connect() as conn:
        indexes = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("procurements")}
    assert indexes["ix_procurements_project"] == ["project"]
    assert indexes["ix_procurements_next_due"] == ["next_due"]
    if store.dialect != "sqlite":
        return
    with store.reading() as tx:  # the statements the store runs, as SQLite plans them
        raw = tx.conn.connection.dbapi_connection
        ran: list[str] = []
        raw.set_trace_callback(ran.append)
        try:
            tx.pending_timers()
            tx.procurement_ids_of_project("P1")
        finally:
            raw.set_trace_callback(None)
        plans = {sql: " ".join(r[-1] for r in raw.execute("EXPLAIN QUERY PLAN " + sql))
                 for sql in ran if "FROM procurements" in sql}
    assert len(plans) == 2, ran
    assert all("SEARCH procurements USING INDEX ix_procurements_" in p for p in plans.values()), \
        plans
