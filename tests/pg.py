"""A real PostgreSQL server for the tests, started from the installed binaries.

Loaded as a plugin by ``tests/conftest.py``. The server runs in a temporary folder, listens on
a unix socket only (no TCP port to collide with), with ``fsync=off`` (the tests kill clients,
never the server). PostgreSQL refuses to run as root, so when the tests run as root (CI) the
server's commands run as the ``postgres`` system user through ``runuser``.

Missing binaries are an error, never a skip: the tests say what to install. Set
``TENDERFLOW_TEST_PG_BINDIR`` to use binaries elsewhere.

Fixtures: ``pg_server`` (session), ``pg_url`` (a fresh migrated database per test, from a
template), ``backend`` / ``backend_url`` (parametrized: the same test on SQLite and
PostgreSQL).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

INSTALL_HINT = ("install the PostgreSQL server (Debian/Ubuntu: 'apt-get install postgresql', "
                "which 'make test' does when run as root), or point TENDERFLOW_TEST_PG_BINDIR "
                "at a folder holding initdb, pg_ctl and postgres")
TEMPLATE = "tf_template"


def find_bindir() -> Path:
    """The folder with initdb/pg_ctl: $TENDERFLOW_TEST_PG_BINDIR, pg_config, or the newest
    /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    env = os.environ.get("TENDERFLOW_TEST_PG_BINDIR")
    if env:
        candidates.append(Path(env))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                 check=True, timeout=30).stdout.strip()
            candidates.append(Path(out))
        except (subprocess.SubprocessError, OSError):
            pass
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
                      reverse=True)
    candidates += versions
    for c in candidates:
        if all((c / exe).is_file() for exe in ("initdb", "pg_ctl", "postgres")):
            return c
    raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found "
                       f"(looked in {', '.join(map(str, candidates)) or 'nothing'}): "
                       + INSTALL_HINT)


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    superuser: str = "postgres"

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def sockdir(self) -> Path:
        return self.root / "sock"

    def url(self, database: str, user: str | None = None) -> str:
        who = quote(user or self.superuser, safe="")
        return (f"postgresql+psycopg://{who}@/{database}"
                f"?host={self.sockdir}&port={self.port}")

    def connect(self, database: str = "postgres", user: str | None = None) -> Any:
        import psycopg

        return psycopg.connect(host=str(self.sockdir), port=self.port, dbname=database,
                               user=user or self.superuser, autocommit=True)

    def execute(self, sql: str, database: str = "postgres", params: Any = None) -> list[Any]:
        with self.connect(database) as conn:
            cur = conn.execute(sql, params)
            return cur.fetchall() if cur.description else []


def _as_server_user(cmd: list[str]) -> tuple[list[str], str | None]:
    """Run as the postgres system user when we are root (postgres refuses root)."""
    if os.geteuid() != 0:
        return cmd, None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("running as root and there is no 'postgres' system user to run "
                           "the test server as: " + INSTALL_HINT) from None
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *cmd], "postgres"
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(map(quote_sh, cmd))], "postgres"


def quote_sh(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def _run(cmd: list[str], timeout: int = 120) -> None:
    full, _ = _as_server_user(cmd)
    proc = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n"
                           f"{proc.stderr}")


def start_server() -> PgServer:
    bindir = find_bindir()
    root = Path(tempfile.mkdtemp(prefix="tf-pg-"))
    (root / "sock").mkdir()
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        for p in (root, root / "sock"):
            os.chown(p, pw.pw_uid, pw.pw_gid)
        root.chmod(0o755)
    server = PgServer(bindir=bindir, root=root, port=55432)
    _run([str(bindir / "initdb"), "-D", str(server.datadir), "-U", server.superuser,
          "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"])
    options = (f"-k {server.sockdir} -p {server.port} -c listen_addresses='' -c fsync=off "
               f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    _run([str(bindir / "pg_ctl"), "-D", str(server.datadir), "-o", options,
          "-l", str(root / "server.log"), "-w", "-t", "60", "start"])
    return server


def stop_server(server: PgServer) -> None:
    try:
        _run([str(server.bindir / "pg_ctl"), "-D", str(server.datadir), "-m", "immediate",
              "-w", "stop"], timeout=60)
    finally:
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = start_server()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        from tenderflow.store.eventstore import EventStore

        server.execute(f"CREATE DATABASE {TEMPLATE}")
        store = EventStore(server.url(TEMPLATE))
        store.migrate()
        store.dispose()
        yield server
    finally:
        stop_server(server)


_counter = itertools.count(1)


def fresh_database(server: PgServer) -> str:
    """A new database cloned from the migrated template; returns its name."""
    name = f"tf_{os.getpid()}_{next(_counter)}"
    server.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
    return name


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    return pg_server.url(fresh_database(pg_server))


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: Any) -> str:
    return str(request.param)


@pytest.fixture
def backend_url(backend: str, request: Any, tmp_path: Path) -> str:
    """A migrated, empty database on the backend under test."""
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    from tenderflow.store.eventstore import EventStore

    url = f"sqlite:///{tmp_path / 'tenderflow.db'}"
    store = EventStore(url)
    store.migrate()
    store.dispose()
    return url
