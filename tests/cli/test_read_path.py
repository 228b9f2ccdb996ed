"""``status``, ``next`` and ``list`` on SQLite read through sqlite3 (tenderflow.store.lite,
issue 17): the same bytes out, the same errors and exit codes, as through SQLAlchemy.

The SQLAlchemy path is forced by making the sqlite3 reader decline
(``tenderflow.store.lite.open_reader`` returning None, as it does for a PostgreSQL URL); every
comparison also checks that the sqlite3 path was the one taken the other time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tenderflow.paths import examples_dir
from tests.calendar.conftest import NOTICES
from tests.conftest import HISTORIC, HISTORIC_ENV, ROOT

# one scenario of each kind of stream status shows: negotiation, tender (failed: a re-opened
# id), delegation, a project's intake, a PPP tender and the contract after it
SCENARIOS = ("negotiation_award.yaml", "tender_failed.yaml", "delegation_award.yaml",
             "project_jinsong.yaml")
AT = "2024-06-01T09:00+08:00"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: Any) -> Path:
    """The scenarios recorded in one database, with a calendar notice imported (so that the
    merged calendar reads ``calendar:*`` streams and their events)."""
    from tenderflow.app.calendar import import_notice
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.domain.timeutil import parse_time
    from tenderflow.store.eventstore import EventStore

    path = tmp_path_factory.mktemp("readpath") / "recorded.db"
    store = EventStore(f"sqlite:///{path}")
    store.migrate()
    services = Services(store, entry=HISTORIC)
    for name in SCENARIOS:
        report = run_scenario(services, examples_dir() / name)
        assert report.ok, (name, report.to_dict())
    notice = NOTICES / "2025.txt"
    import_notice(services, notice.read_text(encoding="utf-8"), str(notice), "staff:test",
                  parse_time("2024-11-12T09:00+08:00"))
    store.dispose()
    return path


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ``--at`` the commands judge at the wall clock: one fixed instant for both ways."""
    from tenderflow import clock
    from tenderflow.domain.timeutil import parse_time

    monkeypatch.setattr(clock, "now", lambda: parse_time("2026-12-06T10:00:07+08:00"))


@pytest.fixture
def lite_used(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The URLs the sqlite3 reader opened, in order."""
    from tenderflow.store import lite

    opened: list[str] = []
    real = lite.open_reader

    def spy(url: str) -> Any:
        found = real(url)
        if found is not None:
            opened.append(url)
        return found

    monkeypatch.setattr(lite, "open_reader", spy)
    yield opened


def run(db: str, *args: str) -> tuple[int, str, str]:
    from tenderflow.cli import cli

    r = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False, env=HISTORIC_ENV)
    return r.exit_code, r.stdout, r.stderr


def both_ways(monkeypatch: pytest.MonkeyPatch, lite_used: list[str], db: str,
              *args: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """The command's (exit code, stdout, stderr) through sqlite3, then through SQLAlchemy."""
    from tenderflow.store import lite

    light = run(db, *args)
    with monkeypatch.context() as m:
        m.setattr(lite, "open_reader", lambda url: None)
        heavy = run(db, *args)
    return light, heavy


def ids(db: str) -> list[str]:
    code, out, _ = run(db, "--json", "list")
    assert code == 0
    return [r["id"] for r in json.loads(out)]


def test_same_output_both_ways(recorded: Path, monkeypatch: pytest.MonkeyPatch,
                               lite_used: list[str]) -> None:
    db = f"sqlite:///{recorded}"
    procurements = ids(db)
    assert len(procurements) >= 5
    names = [*procurements, "BJ-JS-PJ", "project:BJ-JS-PJ", "contract:PPP-JS-001"]
    commands: list[tuple[str, ...]] = [("list",)]
    commands += [(c, i) for i in names for c in ("status", "next")]
    commands += [(c, i, "--at", AT) for i in names for c in ("status", "next")]
    compared = 0
    for lang in ("zh", "en"):
        for fmt in ((), ("--json",)):
            for cmd in commands:
                args = ("--lang", lang, *fmt, *cmd)
                opened = len(lite_used)
                light, heavy = both_ways(monkeypatch, lite_used, db, *args)
                assert len(lite_used) > opened, args  # the sqlite3 path was taken
                assert light == heavy, args
                assert light[0] == 0 and light[1].strip(), (args, light)
                compared += 1
    assert compared == 4 * len(commands)


def test_stale_snapshot_folded_again_both_ways(recorded: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               lite_used: list[str]) -> None:
    """A snapshot folded by other code is folded again from the events (read_stream through
    sqlite3: bodies inflated, payloads upcast) and not saved by a read."""
    copy = tmp_path / "stale.db"
    with sqlite3.connect(recorded) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE snapshots SET fold_version = -1 WHERE stream_id LIKE 'procurement:%'")
    conn.close()
    db = f"sqlite:///{copy}"
    for args in (("status", "CN-2023-001"), ("--json", "next", "CN-2023-001", "--at", AT),
                 ("--lang", "zh", "status", "contract:PPP-JS-001")):
        light, heavy = both_ways(monkeypatch, lite_used, db, *args)
        assert light == heavy and light[0] == 0, args
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM snapshots WHERE fold_version = -1"
                            ).fetchone()[0] > 0  # a read saves nothing
    conn.close()


def _at_revision(path: Path, revision: str | None) -> None:
    with sqlite3.connect(path) as conn:
        if revision is None:
            conn.execute("DELETE FROM alembic_version")
        else:
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


def test_same_errors_both_ways(recorded: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch, lite_used: list[str]) -> None:
    old = tmp_path / "old.db"
    no_revision = tmp_path / "norev.db"
    for target in (old, no_revision):
        with sqlite3.connect(recorded) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()
    _at_revision(old, "0003")
    _at_revision(no_revision, None)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database, it is a text file " * 200)
    cases = {
        "missing": (f"sqlite:///{tmp_path / 'absent.db'}", 2, "no database at"),
        "bare path": (str(tmp_path / "absent.db"), 2, "no database at"),
        "empty file": (f"sqlite:///{empty}", 2, "is not initialised"),
        "no revision": (f"sqlite:///{no_revision}", 2, "is not initialised"),
        "old revision": (f"sqlite:///{old}", 2, "to upgrade"),
        "unknown id": (f"sqlite:///{recorded}", 2, "NOPE"),
    }
    for name, (db, code, words) in cases.items():
        for cmd in (("status", "NOPE"), ("next", "NOPE"), ("list",)):
            if name == "unknown id" and cmd == ("list",):
                continue
            for fmt in ((), ("--json",)):
                args = ("--lang", "en", *fmt, *cmd)
                light, heavy = both_ways(monkeypatch, lite_used, db, *args)
                assert light == heavy, (name, args)
                assert light[0] == code and words in light[2], (name, args, light)
    assert not (tmp_path / "absent.db").exists()  # neither way created the file
    # a file sqlite3 cannot read as a database: the reader declines and SQLAlchemy says it
    opened = len(lite_used)
    light, heavy = both_ways(monkeypatch, lite_used, f"sqlite:///{garbage}", "status", "X")
    assert light == heavy and light[0] != 0 and len(lite_used) == opened


def test_reader_declines_other_urls() -> None:
    from tenderflow.store.lite import open_reader, sqlite_file

    for url in ("postgresql+psycopg://u@h/db", "sqlite://", "sqlite:///:memory:",
                "sqlite:///x.db?mode=ro", "sqlite:///a%20b.db"):
        assert sqlite_file(url) is None and open_reader(url) is None, url
    assert sqlite_file("sqlite:////abs/t.db") == Path("/abs/t.db")
    assert sqlite_file("rel/t.db") == Path("rel/t.db")


@pytest.mark.parametrize("command", [["list"], ["status", "CN-2023-001"],
                                     ["next", "CN-2023-001", "--at", AT]])
def test_commands_do_not_import_sqlalchemy(recorded: Path, command: list[str]) -> None:
    """The point of the path: the real command, started afresh, never imports SQLAlchemy."""
    probe = ("import sys\nfrom tenderflow.cli import main\nsys.argv = ['tenderflow', *sys.argv[1:]]\n"
             "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
             "heavy = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy')\n"
             "print('SQLALCHEMY', heavy[:3], code, file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TENDERFLOW_DB": f"sqlite:///{recorded}"}
    r = subprocess.run([sys.executable, "-c", probe, *command], env=env, cwd=ROOT, check=False,
                       capture_output=True, text=True, timeout=120)
    assert "SQLALCHEMY [] 0" in r.stderr, r.stderr[-2000:]
    assert r.stdout.strip()


@pytest.mark.parametrize("command", [["list"], ["status", "CN-2023-001"],
                                     ["next", "CN-2023-001", "--at", AT],
                                     ["status", "BJ-JS-PJ"], ["next", "contract:PPP-JS-001"]])
def test_commands_do_not_import_the_whole_domain_nor_pyyaml(recorded: Path, tmp_path: Path,
                                                            command: list[str]) -> None:
    """Started afresh with the per-user cache filled (the guard index, the parsed policy YAML:
    tenderflow.workflow.guards, tenderflow.workflow.definitions.load_yaml), the read commands
    import neither tenderflow.domain.state (every mode's guards and appliers) nor PyYAML; the
    guards they evaluate come from their own modules, and the output is the same as the first
    run's, which filled the cache."""
    probe = ("import sys\nfrom tenderflow.cli import main\nsys.argv = ['tenderflow', *sys.argv[1:]]\n"
             "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
             "heavy = sorted(m for m in sys.modules if m == 'tenderflow.domain.state'"
             " or m.split('.')[0] == 'yaml')\n"
             "print('HEAVY', heavy[:3], code, file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TENDERFLOW_DB": f"sqlite:///{recorded}",
           "TENDERFLOW_CACHE_DIR": str(tmp_path / "cache"), "TENDERFLOW_LANG": "en"}
    runs = [subprocess.run([sys.executable, "-c", probe, *command], env=env, cwd=ROOT,
                           check=False, capture_output=True, text=True, timeout=120)
            for _ in range(2)]
    assert "HEAVY [] 0" in runs[1].stderr, runs[1].stderr[-2000:]
    assert runs[1].stdout == runs[0].stdout and runs[1].stdout.strip()
    assert list((tmp_path / "cache" / "guards").iterdir())


def test_a_final_state_is_shown_the_same_without_the_calendar(
        recorded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """status and next of a procurement in a final state judge no step, and load no
    working-day calendar (tenderflow.app.procurement.Services._judging): the same bytes as with
    the calendar loaded, for every stream of the recorded database."""
    from tenderflow.app import procurement

    db = f"sqlite:///{recorded}"
    names = [*ids(db), "BJ-JS-PJ", "contract:PPP-JS-001"]
    loads: list[str] = []
    real = procurement.load_calendar

    def counted(tx: Any = None) -> Any:
        loads.append("calendar")
        return real(tx)

    monkeypatch.setattr(procurement, "load_calendar", counted)
    without_calendar = 0
    for name in names:
        for args in (("status", name, "--at", AT), ("--json", "next", name, "--at", AT),
                     ("--lang", "zh", "next", name)):
            before = len(loads)
            light = run(db, *args)
            without_calendar += len(loads) == before
            with monkeypatch.context() as m:  # the calendar loaded whatever the state
                m.setattr(procurement.Services, "_judging",
                          lambda self, tx, state: self.definitions(state["mode"], tx=tx))
                assert run(db, *args) == light, args
            assert light[0] == 0, (args, light)
    assert 0 < without_calendar < 3 * len(names)  # some final, some not
