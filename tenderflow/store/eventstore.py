"""The event store: append with an expected version, and read (upcast) or raw (as stored).

With :mod:`tenderflow.store.projections` (snapshots, read models, definitions, checkpoints)
the only code that knows SQL. There is no update or delete path for events; the database
refuses them too (triggers created by the initial migration). Every event appended is checked
against the event catalogue (:mod:`tenderflow.events`) and stamped with its type's current
``schema_version``; every event read is upcast to that version, never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from tenderflow.errors import (
    ConcurrencyConflict,
    RoleNotAllowed,
    TenderflowError,
)
from tenderflow.events.catalogue import Catalogue, catalogue
from tenderflow.store import models as m
from tenderflow.store.bodies import trains_at
from tenderflow.store.business_time import check_business_times
from tenderflow.store.canonical import GENESIS, event_body, sha256_hex
from tenderflow.store.position import START, Position, read_committed
from tenderflow.store.projections import Projections
from tenderflow.store.records import (  # the store's names, as before
    MIGRATIONS,
    NewEvent,
    RawEvent,
    StoredEvent,
    StoreError,
    check_revision,
    head_revision,
    normalise_url,
    to_event,
)
from tenderflow.store.rows import EVENT_COLUMNS, EVENT_SQL, Codecs, EventRow, raw_event

__all__ = [
    "MIGRATIONS",
    "ActorNotPermitted",
    "EventStore",
    "NewEvent",
    "RawEvent",
    "StoreError",
    "StoredEvent",
    "Tx",
    "head_revision",
    "make_engine",
    "normalise_url",
]


class ActorNotPermitted(RoleNotAllowed):
    """Raised when the PostgreSQL user may not record events in the actor's name."""


# streams whose last business time a store keeps (Tx.append)
LAST_TIMES_KEPT = 1024
# SQLSTATEs of a lost race or a busy database: serialization failure, deadlock, lock timeout.
CONFLICT_STATES = ("40001", "40P01", "55P03")
# The message of the PostgreSQL trigger that checks the actor (migration 0003).
ACTOR_REFUSED = "may not record events as"


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """The engine of a store. ``read_only`` (SQLite): connections that cannot write and
    transactions that begin deferred — a snapshot of the log read beside other readers (the
    audit's worker processes), where a store's transactions take the write lock."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            if read_only:
                cur.execute("PRAGMA query_only=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            # Writers take the write lock up front, so a decision is made on the latest state;
            # a read that writes nothing (a read-only engine, or ``reading(shared=True)``)
            # takes none, so that several can run at once (audit verify/replay --jobs) beside
            # writers (WAL).
            shared = read_only or conn.get_execution_options().get("tenderflow_shared_read")
            conn.exec_driver_sql("BEGIN DEFERRED" if shared else "BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True)


class EventStore:
    """Append-only event streams with heads, snapshots and read models, over SQLAlchemy;
    ``events`` is the catalogue appends are checked against (default: tenderflow's)."""

    def __init__(self, url: str, engine: Engine | None = None, *,
                 events: Catalogue | None = None) -> None:
        self.events = events or catalogue()
        self.url = normalise_url(url)
        self.engine = engine or make_engine(self.url)
        self.dialect = self.engine.dialect.name
        self._session_user: str | None = None
        self.codecs = Codecs()
        # stream → (version, head hash, business time of the event at that head), written
        # by this store's appends (see Tx.append)
        self.last_times: dict[str, tuple[int, str, str]] = {}

    # --- schema -------------------------------------------------------------------------
    def sqlite_path(self) -> Path | None:
        if self.dialect != "sqlite":
            return None
        db = self.engine.url.database
        return Path(db) if db and db != ":memory:" else None

    def revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except OperationalError as exc:
            raise StoreError(f"cannot open database {self.url}: {exc.orig}") from None
        except DBAPIError as exc:
            raise self._translate(exc) from None

    def migrate(self) -> str:
        """Create or upgrade the schema with Alembic; returns the revision reached."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return head_revision()

    def require_schema(self) -> None:
        path = self.sqlite_path()
        if path is not None and not path.exists():
            raise StoreError(f"no database at {path}: run 'tenderflow init' first")
        check_revision(self.url, self.revision())

    # --- transactions -------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One unit of work: everything written inside commits together or not at all."""
        try:
            with self.engine.begin() as conn:
                yield Tx(conn, self.dialect, self.events, writing=True, codecs=self.codecs,
                         last_times=self.last_times)
        except IntegrityError as exc:
            raise ConcurrencyConflict(
                f"another writer changed the store first ({_first_line(exc)}); retry") from None
        except DBAPIError as exc:
            raise self._translate(exc) from None

    def _translate(self, exc: DBAPIError) -> TenderflowError:
        """A database error as tenderflow's: a lost race or a busy database is a conflict
        (exit 3, retry); recording in someone else's name is refused (exit 1); the rest says
        what the database said (exit 2)."""
        state = getattr(exc.orig, "sqlstate", None)
        text = str(exc.orig)
        if state in CONFLICT_STATES or "locked" in text or "could not serialize" in text:
            return ConcurrencyConflict(f"a concurrent change won or the database is busy "
                                       f"({_first_line(exc)}); retry")
        if state == "42501" and ACTOR_REFUSED in text:
            return ActorNotPermitted(_first_line(exc))
        if state == "42501":
            return StoreError(f"{_first_line(exc)}: the database user needs the privileges "
                              f"of the role tenderflow_officer (README: Running against "
                              f"PostgreSQL)")
        if isinstance(exc, (OperationalError, DataError)):
            return StoreError(f"database error on {self.url}: {_first_line(exc)}")
        raise exc

    def session_user(self) -> str | None:
        """The database user this store is connected as (PostgreSQL), None on SQLite."""
        if self.dialect != "postgresql":
            return None
        if self._session_user is None:
            try:
                with self.engine.connect() as conn:
                    self._session_user = str(conn.exec_driver_sql(
                        "SELECT current_user").scalar())
            except DBAPIError as exc:
                raise StoreError(f"cannot open database {self.url}: "
                                 f"{_first_line(exc)}") from None
        return self._session_user

    def default_actor(self, role: str = "staff") -> str | None:
        """Who acts when no ``--as`` is given: on PostgreSQL the session user in ``role``
        (the database records events only in its own name, see migration 0003)."""
        user = self.session_user()
        return f"{role}:{user}" if user else None

    @contextmanager
    def reading(self, *, shared: bool = False) -> Iterator[Tx]:
        """A read. ``shared``: one that writes nothing, which on SQLite then takes no write
        lock (a snapshot of the log as of its first read)."""
        try:
            with self.engine.connect() as conn:
                if shared:
                    conn.execution_options(tenderflow_shared_read=True)
                yield Tx(conn, self.dialect, self.events, codecs=self.codecs)
        except DBAPIError as exc:
            raise self._translate(exc) from None

    def dispose(self) -> None:
        self.engine.dispose()


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).splitlines()[0]


class Tx(Projections):
    """Operations on one connection inside one transaction."""

    def __init__(self, conn: Connection, dialect: str, events: Catalogue | None = None, *,
                 writing: bool = False, codecs: Codecs | None = None,
                 last_times: dict[str, tuple[int, str, str]] | None = None) -> None:
        self.conn = conn
        self.codecs = codecs or Codecs()
        self.last_times = {} if last_times is None else last_times
        self.dialect = dialect
        self.events = events or catalogue()
        # a unit of work that commits (EventStore.transaction), not a read (reading)
        self.writing = writing

    # --- events -------------------------------------------------------------------------
    def head(self, stream_id: str) -> tuple[int, str]:
        row = self._sql("SELECT version, head_hash FROM streams WHERE stream_id = ?",
                        (stream_id,)).fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def last_occurred_at(self, stream_id: str) -> str | None:
        """The business time of the stream's last event (None for a new stream)."""
        row = self._sql(
            "SELECT " + EVENT_SQL + " FROM events JOIN streams ON streams.stream_id ="
            " events.stream_id AND streams.version = events.stream_seq"
            " WHERE streams.stream_id = ?", (stream_id,)).fetchone()
        return self._event(EventRow(*row)).occurred_at if row else None

    def _event(self, row: Any) -> StoredEvent:
        return to_event(raw_event(self.conn, self.codecs, row), self.events)

    def _next_global_seq(self) -> int:
        if self.dialect == "postgresql":
            return int(self.conn.exec_driver_sql("SELECT nextval('events_global_seq_seq')").scalar())
        return int(self._sql("SELECT max(global_seq) FROM events").fetchone()[0] or 0) + 1

    def append(self, stream_id: str, expected_version: int, new: list[NewEvent],
               recorded_at: str) -> list[StoredEvent]:
        """Append events after ``expected_version``; ConcurrencyConflict if the head moved."""
        version, prev = self.head(stream_id)
        if version != expected_version:
            raise ConcurrencyConflict(
                f"{stream_id} is at version {version}, expected {expected_version}: "
                f"someone else acted first; look again and retry",
                stream=stream_id, version=version, expected=expected_version)
        # The last event's business time, without reading it back, when this store appended
        # it: the head (version and hash, which covers the time) is the one it left.
        known = self.last_times.get(stream_id)
        last = (known[2] if known is not None and known[:2] == (version, prev)
                else self.last_occurred_at(stream_id))
        check_business_times(stream_id, version, last, new, recorded_at)
        # every event checked before any is written: a refusal writes nothing
        versions = [self.events.check(ev.type, ev.payload, ev.schema_version) for ev in new]
        stored: list[StoredEvent] = []
        codec = int(self._sql("SELECT max(id) FROM body_codecs").fetchone()[0] or 0)
        for ev, schema_version in zip(new, versions, strict=True):
            version += 1
            fields = {
                "global_seq": self._next_global_seq(), "stream_id": stream_id,
                "stream_seq": version, "type": ev.type, "schema_version": schema_version,
                "occurred_at": ev.occurred_at, "recorded_at": recorded_at, "actor": ev.actor,
                "pins": ev.pins, "payload": ev.payload, "prev_hash": prev,
            }
            body = event_body(fields)
            data = body.encode("utf-8")
            digest = sha256_hex(data)
            if trains_at(fields["global_seq"]) and self.codecs.train(self.conn,
                                                                     fields["global_seq"]):
                codec = fields["global_seq"]
            self._sql("INSERT INTO events (global_seq, stream_id, stream_seq, type, actor, hash,"
                      " codec, deflated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      (fields["global_seq"], stream_id, version, ev.type, ev.actor, digest,
                       codec, self.codecs.deflate(self.conn, codec, data)))
            stored.append(StoredEvent(body=body, hash=digest, **fields))  # type: ignore[arg-type]
            prev = digest
        if expected_version == 0:
            self._sql("INSERT INTO streams (stream_id, version, head_hash) VALUES (?, ?, ?)",
                      (stream_id, version, prev))
        else:
            moved = self._sql("UPDATE streams SET version = ?, head_hash = ?"
                              " WHERE stream_id = ? AND version = ?",
                              (version, prev, stream_id, expected_version)).rowcount
            if moved != 1:
                raise ConcurrencyConflict(
                    f"{stream_id} moved past version {expected_version} while deciding; retry",
                    stream=stream_id, expected=expected_version)
        if new:
            if len(self.last_times) >= LAST_TIMES_KEPT:
                self.last_times.pop(next(iter(self.last_times)), None)
            self.last_times[stream_id] = (version, prev, new[-1].occurred_at)
        return stored

    def read_stream(self, stream_id: str, after: int = 0) -> Iterator[StoredEvent]:
        rows = self.conn.execute(
            select(*EVENT_COLUMNS).where(m.events.c.stream_id == stream_id,
                                         m.events.c.stream_seq > after)
            .order_by(m.events.c.stream_seq))
        for row in rows:
            yield self._event(row)

    def read_all(self, after_global: int = 0, batch: int = 1000) -> Iterator[StoredEvent]:
        """Every event in global order, fetched in batches (bounded memory). On PostgreSQL a
        later commit can take a lower number, so a reader that resumes after the last
        ``global_seq`` it saw uses :meth:`read_committed` instead."""
        last = after_global
        while True:
            rows = self.conn.execute(
                select(*EVENT_COLUMNS).where(m.events.c.global_seq > last)
                .order_by(m.events.c.global_seq).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield self._event(row)
            last = rows[-1].global_seq

    def read_committed(self, after: Position = START, batch: int = 1000
                       ) -> Iterator[tuple[Position, StoredEvent]]:
        """Every event committed after the reader's ``after`` position, with its position, so
        that a reader resuming after the last one it saw never misses a late commit
        (tenderflow.store.position). ``read_all`` is for one complete read; a reader that
        resumes uses this."""
        for position, row in read_committed(self.conn, self.dialect, after, batch):
            yield position, self._event(row)

    def raw_events(self, stream_id: str | None = None, batch: int = 1000, *,
                   after: int | None = None) -> Iterator[RawEvent]:
        """Rows as stored (for verification: no upcasting, no parsing; the body inflated), in
        global order; every row (whatever its ``global_seq``), or those after ``after``."""
        last = after
        while True:
            q = select(*EVENT_COLUMNS)
            if last is not None:
                q = q.where(m.events.c.global_seq > last)
            if stream_id is not None:
                q = q.where(m.events.c.stream_id == stream_id)
            rows = self.conn.execute(q.order_by(m.events.c.global_seq).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield raw_event(self.conn, self.codecs, row)
            last = rows[-1].global_seq

    def stored_rows(self, batch: int = 1000,
                    streams: tuple[str | None, str | None] = (None, None)) -> Any:
        """Every row in global order for ``audit verify``, as stored, a batch at a time
        (memory bounded by the batch), with what it takes to inflate the bodies
        (:class:`tenderflow.store.verifying.StoredRows`); with ``streams`` = (first, stop)
        only the streams in that range."""
        from tenderflow.store.verifying import StoredRows

        return StoredRows(self.conn, self.codecs, batch, streams)

    def stream_ids(self, prefix: str = "") -> list[str]:
        where, params = self._prefixed(prefix)
        return [sid for (sid,) in self._sql("SELECT stream_id FROM streams" + where
                                            + " ORDER BY stream_id", params).fetchall()]

    def heads(self) -> dict[str, tuple[int, str]]:
        rows = self.conn.execute(select(m.streams))
        return {r.stream_id: (r.version, r.head_hash) for r in rows}

    def count_events(self, upto_global: int | None = None) -> int:
        """How many events are stored (with ``global_seq`` ≤ ``upto_global`` if given)."""
        q = select(func.count()).select_from(m.events)
        if upto_global is not None:
            q = q.where(m.events.c.global_seq <= upto_global)
        return int(self.conn.execute(q).scalar() or 0)

    def max_global_seq(self) -> int:
        return int(self.conn.execute(select(func.max(m.events.c.global_seq))).scalar() or 0)

    def event_hash_at(self, stream_id: str, stream_seq: int) -> str | None:
        """The stored hash of one event, or None if there is no such row."""
        return self.conn.execute(
            select(m.events.c.hash).where(m.events.c.stream_id == stream_id,
                                          m.events.c.stream_seq == stream_seq)).scalar()

    def stream_length(self, stream_id: str) -> int:
        """The highest ``stream_seq`` stored for a stream (0 if it has no events)."""
        return int(self.conn.execute(
            select(func.max(m.events.c.stream_seq))
            .where(m.events.c.stream_id == stream_id)).scalar() or 0)
