"""On PostgreSQL the actor of an event is the database user (README: Running against
PostgreSQL). The setup SQL is taken from the README and run as written, so the documentation
is what is tested."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tenderflow.cli import cli
from tenderflow.paths import examples_dir
from tests.pg import PgServer
from tests.reliability import integrity
from tests.reliability.reference import reference

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def readme_sql() -> list[list[str]]:
    """The SQL blocks of the README's PostgreSQL section, as lists of statements."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Running against PostgreSQL", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 2, "the README's PostgreSQL section has its two SQL blocks"
    return [[s.strip() for s in b.split(";") if s.strip()] for b in blocks]


def tf(server: PgServer, user: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", server.url("tenderflow", user), *args])


def events_by(server: PgServer) -> list[tuple[str, str, str]]:
    rows = server.execute("SELECT stream_id, type, actor FROM events ORDER BY global_seq",
                          database="tenderflow")
    return [tuple(r) for r in rows]


def test_the_actor_is_the_database_user(pg_server: PgServer, tmp_path: Path) -> None:
    roles, grants = readme_sql()
    for statement in roles:
        if statement.startswith("CREATE ROLE"):
            pg_server.execute(statement)
    pg_server.execute("CREATE DATABASE tenderflow OWNER tenderflow_owner")
    r = tf(pg_server, "tenderflow_owner", "init")
    assert r.exit_code == 0, r.stderr
    with pg_server.connect("tenderflow") as conn:
        for statement in grants:
            conn.execute(statement)
    data = examples_dir() / "data"

    # No --as: wang acts as staff:wang.
    r = tf(pg_server, "wang", "register", "projects", str(data / "projects.yaml"))
    assert r.exit_code == 0, r.stderr
    r = tf(pg_server, "wang", "--as", "staff:wang", "register", "suppliers",
           str(data / "suppliers.yaml"))
    assert r.exit_code == 0, r.stderr
    r = tf(pg_server, "wang", "open", "CN-1", "--project", "CD-HH-2023", "--mode",
           "competitive_negotiation", "--at", "2023-03-01T09:00+08:00")
    assert r.exit_code == 0, r.stderr
    assert {a for _, _, a in events_by(pg_server)} == {"staff:wang"}

    # Another's name is refused by the database: exit 1, nothing written.
    before = events_by(pg_server)
    r = tf(pg_server, "wang", "--as", "staff:li", "open", "CN-2", "--project", "CD-HH-2023",
           "--mode", "competitive_negotiation")
    assert r.exit_code == 1, r.output
    assert "database user wang may not record events as staff:li" in r.stderr
    assert "Traceback" not in r.output and events_by(pg_server) == before
    r = tf(pg_server, "li", "--json", "list")
    assert r.exit_code == 0 and [p["id"] for p in json.loads(r.stdout)] == ["CN-1"]

    # Granted li's role, wang may record for li; another role part is wang's to choose.
    pg_server.execute("GRANT li TO wang")
    r = tf(pg_server, "wang", "--as", "staff:li", "open", "CN-2", "--project", "CD-HH-2023",
           "--mode", "competitive_negotiation")
    assert r.exit_code == 0, r.stderr
    assert events_by(pg_server)[-1] == ("procurement:CN-2", "ProcurementCreated", "staff:li")

    # Below the command line too: the database refuses a forged actor.
    import psycopg

    with pg_server.connect("tenderflow", "li") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="may not record"):
            conn.execute(
                "INSERT INTO events (global_seq, stream_id, stream_seq, type, actor, hash, "
                "codec, deflated) VALUES (nextval('events_global_seq_seq'), 'procurement:X', "
                "1, 'T', 'staff:wang', '', 0, '')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE events SET actor = 'staff:li'")

    # Timers fired by an officer's tick are recorded as system:<user>.
    ref = reference()
    pid = next(p for p in sorted(ref.steps) if any(
        s["as"].startswith("system:") for s in ref.steps[p]))
    o = ref.opened[pid]
    r = tf(pg_server, "wang", "open", "T-1", "--project", o["project"], "--mode", o["mode"],
           "--at", o["at"])
    assert r.exit_code == 0, r.stderr
    for i, step in enumerate(ref.steps[pid]):
        if step["as"].startswith("system:"):
            due = step["at"]
            break
        role = step["as"].split(":", 1)[0]
        if step["trigger"] in ("check_eligibility", "decide_entrustment"):  # fail closed:
            r = tf(pg_server, "wang", "--as", "staff:wang", "credit", "import",  # lists of the day
                   str(examples_dir() / "data" / "credit_lists.csv"), "--at", step["at"],
                   "--list", "失信被执行人", "--list", "重大税收违法", "--list", "政府采购严重违法失信")
            assert r.exit_code == 0, r.output
        args = ["--as", f"{role}:wang", "fire", "T-1", step["trigger"], "--at", step["at"]]
        if step["data"]:
            path = tmp_path / f"{i}.json"
            path.write_text(json.dumps(step["data"], ensure_ascii=False), encoding="utf-8")
            args += ["--data", str(path)]
        r = tf(pg_server, "wang", *args)
        assert r.exit_code in (0, 1), r.stderr  # a supplier's step needs the supplier's user
    r = tf(pg_server, "wang", "--json", "tick", "--at", due)
    assert r.exit_code == 0, r.stderr
    fired = json.loads(r.stdout)["fired"]
    assert fired and all("version" in f for f in fired if f["procurement"] == "T-1")
    assert events_by(pg_server)[-1][2] == "system:wang"

    # A replay of a whole record in many names: the proxy account.
    r = tf(pg_server, "scenario_runner", "run", str(examples_dir() / "negotiation_award.yaml"))
    assert r.exit_code == 0, r.stderr
    assert len({a for _, _, a in events_by(pg_server)}) > 4

    # A database user who is not an officer is told what is missing, exit 2.
    pg_server.execute("CREATE ROLE tf_stranger LOGIN")
    r = tf(pg_server, "tf_stranger", "list")
    assert r.exit_code == 2, r.output
    assert "tenderflow_officer" in r.stderr and "Traceback" not in r.output

    assert integrity.problems(pg_server.url("tenderflow")) == []
