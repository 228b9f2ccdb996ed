"""What the store keeps beside the events: snapshots (stamped with the fold version), the
procurements read model, pinned definitions and signed checkpoints. A mixin of
:class:`tenderflow.store.eventstore.Tx` (one connection, one transaction); events themselves
are appended and read in :mod:`tenderflow.store.eventstore`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from tenderflow.store import models as m
from tenderflow.store import snapshot_text
from tenderflow.store.canonical import canonical_json
from tenderflow.store.driver import Driver
from tenderflow.store.records import Snapshot


class Projections:
    """Snapshots, read models, definitions and checkpoints on ``self.conn``."""

    conn: Connection
    dialect: str
    _driver: Driver | None = None

    def _sql(self, statement: str, params: tuple[Any, ...] = ()) -> Any:
        """A statement every command runs, on the driver's cursor (tenderflow.store.driver)."""
        driver = self._driver
        if driver is None:
            driver = self._driver = Driver(self.conn)
        return driver.run(statement, params)

    def _prefixed(self, prefix: str) -> tuple[str, tuple[Any, ...]]:
        """``WHERE`` for the stream ids that start with ``prefix`` (case and all): on SQLite a
        range of the primary key (its index, in byte order, which is code-point order), on
        PostgreSQL the first characters (its collation may not sort by code point)."""
        if not prefix:
            return "", ()
        if self.dialect == "sqlite":
            return (" WHERE stream_id >= ? AND stream_id < ?",
                    (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)))
        return " WHERE substr(stream_id, 1, CAST(? AS INTEGER)) = ?", (len(prefix), prefix)

    # --- snapshots and read models ------------------------------------------------------
    def snapshot(self, stream_id: str) -> tuple[int, dict[str, Any]] | None:
        """The stored ``(version, state)``, whatever code folded it (see
        :meth:`stamped_snapshot` for a procurement's fold, which must check the stamp)."""
        snap = self.stamped_snapshot(stream_id)
        return (snap.version, snap.state) if snap else None

    def stream_heads(self, prefix: str) -> tuple[tuple[str, int, str], ...]:
        """(stream, version, head hash) of every stream whose id starts with ``prefix``, by
        stream id, in one query."""
        where, params = self._prefixed(prefix)
        rows = self._sql("SELECT stream_id, version, head_hash FROM streams" + where
                         + " ORDER BY stream_id", params).fetchall()
        return tuple((sid, int(version), str(head)) for sid, version, head in rows)

    def stamped_snapshot(self, stream_id: str) -> Snapshot | None:
        row = self._sql("SELECT version, state, fold_version FROM snapshots WHERE stream_id = ?",
                        (stream_id,)).fetchone()
        if row is None:
            return None
        version, stored, fold_version = row
        state, size = snapshot_text.load(stored)
        return Snapshot(version, state, fold_version, size)

    def save_snapshot(self, stream_id: str, version: int, state: dict[str, Any],
                      fold_version: int | None = None) -> int:
        """Store the state at ``version``, stamped with the ``fold_version`` of the code that
        folded it (None for snapshots that are not a fold, or whose code is unknown); returns
        the stored JSON's length."""
        text = canonical_json(state)
        values = (version, snapshot_text.pack(text), fold_version, stream_id)
        if not self._sql("UPDATE snapshots SET version = ?, state = ?, fold_version = ?"
                         " WHERE stream_id = ?", values).rowcount:
            self._sql("INSERT INTO snapshots (version, state, fold_version, stream_id)"
                      " VALUES (?, ?, ?, ?)", values)
        return len(text)

    def stale_snapshots(self, prefix: str, fold_version: int) -> list[str]:
        """The streams starting with ``prefix`` whose snapshot was folded by other code
        (stamp not ``fold_version``, or NULL) or lags the stream's head, by stream id.
        (A snapshot without a stream, or a stream without a snapshot, is not stale but
        damaged: ``audit replay`` reports it, nothing here rebuilds it.)"""
        s, h = m.snapshots, m.streams
        q = (select(s.c.stream_id)
             .join(h, h.c.stream_id == s.c.stream_id)
             .where(s.c.stream_id.startswith(prefix))
             .where(s.c.fold_version.is_(None) | (s.c.fold_version != fold_version)
                    | (h.c.version != s.c.version))
             .order_by(s.c.stream_id))
        return list(self.conn.execute(q).scalars())

    def save_procurement_row(self, pid: str, project: str, mode: str, state: str, version: int,
                             next_due: str | None) -> None:
        values = (project, mode, state, version, next_due, pid)
        if not self._sql("UPDATE procurements SET project = ?, mode = ?, state = ?, version = ?,"
                         " next_due = ? WHERE id = ?", values).rowcount:
            self._sql("INSERT INTO procurements (project, mode, state, version, next_due, id)"
                      " VALUES (?, ?, ?, ?, ?, ?)", values)

    def procurement_rows(self) -> list[Any]:
        return list(self.conn.execute(select(m.procurements).order_by(m.procurements.c.id)))

    def procurement_ids_of_project(self, project: str) -> list[str]:
        """The ids of the project's procurements in the read model, by id."""
        return [pid for (pid,) in self._sql(
            "SELECT id FROM procurements WHERE project = ? ORDER BY id", (project,)).fetchall()]

    def pending_timers(self) -> list[tuple[str, str]]:
        """``(id, next_due)`` of every procurement with a timer pending, by id. Sorted here:
        with ``ORDER BY id`` SQLite walks the whole table in key order rather than read the
        few rows of the partial index ``ix_procurements_next_due`` (migration 0007)."""
        return sorted((pid, due) for pid, due in self._sql(
            "SELECT id, next_due FROM procurements WHERE next_due IS NOT NULL").fetchall())

    def procurement_row(self, pid: str) -> Any:
        """One procurement's row of the read model, or None."""
        return self.conn.execute(
            select(m.procurements).where(m.procurements.c.id == pid)).first()

    # --- pinned definitions -------------------------------------------------------------
    def pin_definition(self, digest: str, kind: str, name: str, body: str) -> None:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        self.conn.execute(dialect_insert(m.definitions).values(
            hash=digest, kind=kind, name=name, body=body).on_conflict_do_nothing())

    def pin_definitions(self, rows: list[tuple[str, str, str, str]]) -> None:
        """Store each ``(hash, kind, name, body)`` whose hash is not in the table yet: one
        keyed read, and a write only for a definition never pinned before."""
        if not rows:
            return
        stored = {digest for (digest,) in self._sql(
            "SELECT hash FROM definitions WHERE hash IN (" + ", ".join("?" * len(rows)) + ")",
            tuple(r[0] for r in rows)).fetchall()}
        for digest, kind, name, body in rows:
            if digest not in stored:
                self.pin_definition(digest, kind, name, body)
                stored.add(digest)

    def definition(self, digest: str) -> tuple[str, str, str] | None:
        row = self.conn.execute(
            select(m.definitions).where(m.definitions.c.hash == digest)).first()
        return (row.kind, row.name, row.body) if row else None

    def definitions(self) -> Iterator[Any]:
        """Every pinned definition row (hash, kind, name, body), by hash."""
        yield from self.conn.execute(select(m.definitions).order_by(m.definitions.c.hash))

    # --- checkpoints (audit seal) -------------------------------------------------------
    def add_checkpoint(self, *, digest: str, sealed_at: str, sealed_by: str,
                       last_global_seq: int, streams: int, events: int, merkle_root: str,
                       key_id: str, document: str) -> int:
        """Record a signed checkpoint (append-only); returns its number."""
        result = self.conn.execute(insert(m.checkpoints).values(
            digest=digest, sealed_at=sealed_at, sealed_by=sealed_by,
            last_global_seq=last_global_seq, streams=streams, events=events,
            merkle_root=merkle_root, key_id=key_id, document=document))
        return int(result.inserted_primary_key[0])

    def checkpoints(self) -> list[Any]:
        """Every recorded checkpoint, oldest first."""
        return list(self.conn.execute(select(m.checkpoints).order_by(m.checkpoints.c.number)))

    def checkpoint(self, digest: str) -> Any | None:
        return self.conn.execute(
            select(m.checkpoints).where(m.checkpoints.c.digest == digest)).first()
