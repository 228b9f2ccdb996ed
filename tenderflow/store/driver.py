"""The statements every command runs, on the driver's own cursor (issue 17).

The profiler showed a ``fire`` spending about half its time in SQLAlchemy around 17 small
statements: building the ``select(...)`` each time, computing its cache key, wrapping the
result. The same statement on the driver's cursor (sqlite3 or psycopg) costs a thirtieth of
that (measured: 115–180 µs against 3–5 µs a keyed read on SQLite). So the hot statements — a
stream's head, the last event's time, the next number, the insert of an event and the moves
of its head, the snapshots, the read-model row and the pinned-definition check — are plain SQL
here, with ``?`` placeholders (``%s`` on PostgreSQL), run on the connection of the store's
transaction: same transaction, same locks, same rows as the SQLAlchemy statements they
replace. Everything else (migrations, the audit's reads, rare writes) stays SQLAlchemy.

A driver error is raised as SQLAlchemy's (``DBAPIError.instance``, as SQLAlchemy itself does),
so the store's translation — a lost race is a conflict, a busy database a retry, the
PostgreSQL actor check a refusal — is the same whichever path ran the statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

# statement with ``?`` → the same with ``%s`` (drivers whose paramstyle is not qmark)
_FORMAT: dict[str, str] = {}


class Driver:
    """The driver connection under one SQLAlchemy ``Connection``, inside its transaction."""

    __slots__ = ("_conn", "_error", "_format", "_raw")

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._raw: Any = None
        dialect = conn.dialect
        self._format = dialect.paramstyle != "qmark"
        self._error = dialect.loaded_dbapi.Error

    def run(self, statement: str, params: Sequence[Any] = ()) -> Any:
        """Execute ``statement`` with ``params``; the driver's cursor (``fetchone``,
        ``fetchall``, ``rowcount``)."""
        raw = self._raw
        if raw is None:
            if not self._conn.in_transaction():
                # what SQLAlchemy's autobegin does: the store's BEGIN (DEFERRED for a read,
                # IMMEDIATE for a write on SQLite), so that every statement of a read sees
                # one snapshot of the log
                self._conn.begin()
            raw = self._raw = self._conn.connection.driver_connection
        if self._format:
            statement = _FORMAT.get(statement) or _FORMAT.setdefault(
                statement, statement.replace("?", "%s"))
        cur = raw.cursor()
        try:
            cur.execute(statement, params)
        except self._error as exc:
            raise DBAPIError.instance(statement, params, exc, self._error,
                                      dialect=self._conn.dialect) from exc
        return cur
