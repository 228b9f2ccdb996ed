"""The read path of ``status``, ``next`` and ``list`` on SQLite, over the standard library's
sqlite3 instead of SQLAlchemy (issue 17: importing SQLAlchemy with its SQLite dialect costs
about twelve times ``python -c pass``, more than the whole start-up budget of these commands).

:func:`open_reader` gives a :class:`LiteStore` for a plain ``sqlite:///FILE`` URL, after the
same checks as :meth:`tenderflow.store.eventstore.EventStore.require_schema` (the file exists,
the schema is at this tenderflow's head revision) with the same messages; None for any other
URL (PostgreSQL, a URL with query options, an in-memory database) or for a file sqlite3
cannot read as a database — the caller then opens the SQLAlchemy store, which says what is
wrong as it always has. :meth:`LiteStore.reading` yields a :class:`LiteTx` with exactly the
read methods these commands use (heads, snapshots, the procurements read model, a stream's
events), returning what :class:`tenderflow.store.eventstore.Tx` returns for them: rows parsed
by :func:`tenderflow.store.records.to_event`, bodies inflated by
:mod:`tenderflow.store.bodies`. tests/store/test_lite.py holds the two to the same answers;
tests/cli/test_read_path.py the commands' output, byte for byte.

Nothing here writes: a read is one deferred transaction (a consistent snapshot in WAL mode,
no write lock taken), and :attr:`LiteTx.writing` is False, so a stale snapshot is folded
again for the answer and not saved (as in a read through SQLAlchemy).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from tenderflow.store import snapshot_text
from tenderflow.store.bodies import BodyUnreadable, inflate
from tenderflow.store.canonical import GENESIS
from tenderflow.store.records import (
    RawEvent,
    Snapshot,
    StoredEvent,
    StoreError,
    check_revision,
    normalise_url,
    to_event,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tenderflow.events.catalogue import Catalogue

SQLITE_PREFIX = "sqlite:///"


class ProcurementRow(NamedTuple):
    """A row of the ``procurements`` read model, named as SQLAlchemy's rows are."""

    id: str
    project: str
    mode: str
    state: str
    version: int
    next_due: str | None


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///FILE`` URL (a bare path counts as one), None for any
    other URL: those keep the SQLAlchemy path."""
    url = normalise_url(url)
    if not url.startswith(SQLITE_PREFIX):
        return None
    rest = url[len(SQLITE_PREFIX):]
    if not rest or rest == ":memory:" or "?" in rest or "%" in rest or rest.startswith("file:"):
        return None
    return Path(rest)


def open_reader(url: str) -> LiteStore | None:
    """A read-only store over sqlite3 for a plain SQLite file at the head revision; a
    StoreError (the messages of ``require_schema``) when the file is missing, not initialised
    or at another revision; None when this path does not apply (see the module's note)."""
    path = sqlite_file(url)
    if path is None:
        return None
    url = normalise_url(url)
    if not path.exists():
        raise StoreError(f"no database at {path}: run 'tenderflow init' first")
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA busy_timeout=30000")
        has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                           "AND name='alembic_version'").fetchone()
        rev = (conn.execute("SELECT version_num FROM alembic_version").fetchone() or (None,)
               )[0] if has else None
    except sqlite3.OperationalError as exc:
        conn.close()
        raise StoreError(f"cannot open database {url}: {exc}") from None
    except sqlite3.Error:  # not a database: the SQLAlchemy path reports it as it always has
        conn.close()
        return None
    try:
        check_revision(url, rev)
    except BaseException:
        conn.close()
        raise
    return LiteStore(url, conn)


class LiteStore:
    """The read side of one SQLite database over one sqlite3 connection."""

    dialect = "sqlite"

    def __init__(self, url: str, conn: sqlite3.Connection) -> None:
        self.url = url
        self.conn = conn
        self._events: Catalogue | None = None
        self._dictionaries: dict[int, bytes] = {}

    @property
    def events(self) -> Catalogue:
        """The event catalogue a stream's events are upcast with (read when first needed)."""
        if self._events is None:
            from tenderflow.events.catalogue import catalogue

            self._events = catalogue()
        return self._events

    @contextmanager
    def reading(self) -> Iterator[LiteTx]:
        """One read transaction (deferred: a consistent snapshot, no lock held for writing)."""
        try:
            self.conn.execute("BEGIN")
            try:
                yield LiteTx(self)
            finally:
                self.conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"database error on {self.url}: {exc}") from None

    def dictionary(self, codec: int) -> bytes:
        """The ``body_codecs`` dictionary ``codec`` (read once: dictionaries never change)."""
        found = self._dictionaries.get(codec)
        if found is None:
            row = self.conn.execute("SELECT dictionary FROM body_codecs WHERE id = ?",
                                    (codec,)).fetchone()
            if row is None:
                raise BodyUnreadable(f"codec {codec} is not in the body_codecs table")
            found = self._dictionaries[codec] = bytes(row[0])
        return found

    def dispose(self) -> None:
        self.conn.close()


class LiteTx:
    """The reads of ``status``, ``next`` and ``list`` inside one read transaction, answering as
    :class:`tenderflow.store.eventstore.Tx` does."""

    writing = False
    dialect = "sqlite"

    def __init__(self, store: LiteStore) -> None:
        self.store = store
        self.conn = store.conn

    def head(self, stream_id: str) -> tuple[int, str]:
        row = self.conn.execute("SELECT version, head_hash FROM streams WHERE stream_id = ?",
                                (stream_id,)).fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def stream_heads(self, prefix: str) -> tuple[tuple[str, int, str], ...]:
        """(stream, version, head hash) of every stream whose id starts with ``prefix``."""
        rows = self.conn.execute(
            "SELECT stream_id, version, head_hash FROM streams WHERE substr(stream_id, 1, ?) = ? "
            "ORDER BY stream_id", (len(prefix), prefix))
        return tuple((str(r[0]), int(r[1]), str(r[2])) for r in rows)

    def stream_ids(self, prefix: str = "") -> list[str]:
        return [sid for sid, _version, _hash in self.stream_heads(prefix)]

    def stamped_snapshot(self, stream_id: str) -> Snapshot | None:
        row = self.conn.execute(
            "SELECT version, state, fold_version FROM snapshots WHERE stream_id = ?",
            (stream_id,)).fetchone()
        if row is None:
            return None
        state, size = snapshot_text.load(row[1])
        return Snapshot(row[0], state, row[2], size=size)

    def snapshot(self, stream_id: str) -> tuple[int, dict[str, Any]] | None:
        snap = self.stamped_snapshot(stream_id)
        return (snap.version, snap.state) if snap else None

    def procurement_rows(self) -> list[ProcurementRow]:
        return [ProcurementRow(*r) for r in self.conn.execute(
            "SELECT id, project, mode, state, version, next_due FROM procurements ORDER BY id")]

    def read_stream(self, stream_id: str, after: int = 0) -> Iterator[StoredEvent]:
        rows = self.conn.execute(
            "SELECT global_seq, stream_id, stream_seq, type, actor, hash, txid, codec, deflated "
            "FROM events WHERE stream_id = ? AND stream_seq > ? ORDER BY stream_seq",
            (stream_id, after)).fetchall()
        for row in rows:
            yield to_event(self._raw(row), self.store.events)

    def _raw(self, row: Any) -> RawEvent:
        """A row as :func:`tenderflow.store.rows.raw_event` gives it: the body inflated."""
        try:
            body = inflate(bytes(row[8]), self.store.dictionary(int(row[7]))).decode("utf-8")
            unreadable = None
        except BodyUnreadable as exc:
            body, unreadable = "", str(exc)
        except UnicodeDecodeError:
            body, unreadable = "", "the stored body is not UTF-8"
        return RawEvent(row[0], row[1], row[2], row[3], row[4], row[5], row[6], body,
                        unreadable)
