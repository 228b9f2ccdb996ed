"""An attacker with write access to the SQLite file: drops the append-only triggers, as a
database administrator could, then edits rows with plain ``sqlite3`` — not through tenderflow."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tenderflow.events.catalogue import Catalogue
from tenderflow.store.bodies import deflate, inflate
from tenderflow.store.canonical import GENESIS, canonical_json, event_body, sha256_hex

# A row as the attacker writes it: every column the hash covers, named (the database fills
# the rest, e.g. the writing transaction's ``txid``, with its defaults).
INSERT_EVENT = ("INSERT INTO events (global_seq, stream_id, stream_seq, type, actor, hash, "
                "codec, deflated) VALUES (?,?,?,?,?,?,0,?)")
# The columns that are columns; every other field of an event lives in its stored body only.
COLUMNS = ("global_seq", "stream_id", "stream_seq", "type", "actor", "hash")
_RAW = "\x00raw\x00"  # a placeholder, replaced by raw JSON text in the body


def stored(body: str) -> bytes:
    """A body as the store keeps it with codec 0 (the empty dictionary)."""
    return deflate(body.encode("utf-8"), b"")


def insert_values(fields: dict[str, Any], digest: str | None = None) -> tuple[Any, ...]:
    """INSERT_EVENT's values for an event of ``fields`` (its hash unless ``digest``)."""
    body = event_body(fields)
    return (fields["global_seq"], fields["stream_id"], fields["stream_seq"], fields["type"],
            fields["actor"], digest or sha256_hex(body), stored(body))

TRIGGERS = ("events_no_update", "events_no_delete", "checkpoints_no_update",
            "checkpoints_no_delete")


class Attacker:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        return conn

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> int:
        """Drop the triggers and run one statement; returns the rows changed."""
        conn = self._connect()
        try:
            for name in TRIGGERS:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            return conn.execute(statement, params).rowcount
        finally:
            conn.close()

    def edit_snapshot(self, stream: str, old: str, new: str) -> int:
        """Replace ``old`` by ``new`` in the stream's snapshot as the state's JSON reads (a
        packed one unpacked, edited and packed again: tenderflow.store.snapshot_text)."""
        from tenderflow.store.snapshot_text import pack, unpack

        conn = self._connect()
        try:
            row = conn.execute("SELECT state FROM snapshots WHERE stream_id = ?",
                               (stream,)).fetchone()
            text = unpack(row["state"])
            assert old in text, f"{old!r} is not in the snapshot of {stream}"
            return conn.execute("UPDATE snapshots SET state = ? WHERE stream_id = ?",
                                (pack(text.replace(old, new)), stream)).rowcount
        finally:
            conn.close()

    def rows(self, stream: str) -> list[dict[str, Any]]:
        """The stream's rows, each with its body (text) and the body's fields as the columns
        of old (``payload`` and ``pins`` as canonical JSON text)."""
        conn = self._connect()
        try:
            codecs = dict(conn.execute("SELECT id, dictionary FROM body_codecs").fetchall())
            cur = conn.execute("SELECT * FROM events WHERE stream_id = ? ORDER BY stream_seq",
                               (stream,))
            out = []
            for r in cur:
                row = dict(r)
                body = inflate(row.pop("deflated"), codecs[row["codec"]]).decode("utf-8")
                row["body"] = body
                try:
                    fields = json.loads(body)
                    for k in ("schema_version", "occurred_at", "recorded_at", "prev_hash"):
                        row[k] = fields[k]
                    row["payload"] = canonical_json(fields["payload"])
                    row["pins"] = canonical_json(fields["pins"])
                except (ValueError, TypeError, KeyError):
                    pass  # a body the attacker broke: only the columns and the text
                out.append(row)
            return out
        finally:
            conn.close()

    def event(self, stream: str, seq: int) -> dict[str, Any]:
        [row] = [r for r in self.rows(stream) if r["stream_seq"] == seq]
        return row

    def set_column(self, stream: str, seq: int, column: str, value: Any) -> None:
        """Change a column; ``body`` (text) or a field kept only in the body (``payload``,
        ``pins`` as raw JSON text, the times …): the stored body, its hash left as it is."""
        if column in COLUMNS:
            changed = self.sql(f"UPDATE events SET {column} = ? WHERE stream_id = ? AND "
                               f"stream_seq = ?", (value, stream, seq))
        else:
            body = value
            if column != "body":
                fields = json.loads(self.event(stream, seq)["body"])
                raw = column in ("payload", "pins")
                fields[column] = _RAW if raw else value
                body = canonical_json(fields)
                if raw:
                    body = body.replace(canonical_json(_RAW), value)
            changed = self.sql("UPDATE events SET codec = 0, deflated = ? WHERE stream_id = ? "
                               "AND stream_seq = ?", (stored(body), stream, seq))
        assert changed == 1

    def rewrite(self, stream: str, seq: int, change: Any) -> None:
        """Change event ``seq`` (``change(fields)`` edits the field dict), then recompute
        every hash from there to the head and move the head: the chain is consistent again."""
        conn = self._connect()
        try:
            for name in TRIGGERS:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute("BEGIN")
            rows = self.rows(stream)
            prev = GENESIS
            for row in rows:
                fields = json.loads(row["body"])
                if row["stream_seq"] == seq:
                    change(fields)
                fields["prev_hash"] = prev
                body = event_body(fields)
                digest = sha256_hex(body)
                conn.execute(
                    "UPDATE events SET codec = 0, deflated = ?, hash = ?, actor = ?, type = ? "
                    "WHERE stream_id = ? AND stream_seq = ?",
                    (stored(body), digest, fields["actor"], fields["type"], stream,
                     row["stream_seq"]))
                prev = digest
            conn.execute("UPDATE streams SET head_hash = ? WHERE stream_id = ?", (prev, stream))
            conn.execute("COMMIT")
        finally:
            conn.close()

    def truncate(self, stream: str, keep: int, *, move_head: bool) -> None:
        """Delete the events after ``keep``; with ``move_head`` also set the head back."""
        self.sql("DELETE FROM events WHERE stream_id = ? AND stream_seq > ?", (stream, keep))
        if move_head:
            head = self.event(stream, keep)["hash"]
            self.sql("UPDATE streams SET version = ?, head_hash = ? WHERE stream_id = ?",
                     (keep, head, stream))

    def delete_stream(self, stream: str) -> None:
        """Remove every trace of a stream: events, head, snapshot, read model."""
        self.sql("DELETE FROM events WHERE stream_id = ?", (stream,))
        self.sql("DELETE FROM streams WHERE stream_id = ?", (stream,))
        self.sql("DELETE FROM snapshots WHERE stream_id = ?", (stream,))
        if stream.startswith("procurement:"):
            self.sql("DELETE FROM procurements WHERE id = ?", (stream.split(":", 1)[1],))

    def forge(self, store: Any, stream: str, keep: int, events: list[Any],
              recorded_at: str = "2023-06-01T09:00:00+08:00") -> None:
        """Cut the stream after ``keep`` and append ``events`` (NewEvent) through the store's
        own append: the forged events carry valid hashes and a consistent chain. The attacker's
        copy of the code checks no payload against the event catalogue."""
        from tenderflow.domain.state import fold_all

        self.truncate(stream, keep, move_head=True)
        own, store.events = store.events, unchecked(store.events)
        try:
            self._append(store, stream, keep, events, recorded_at, fold_all)
        finally:
            store.events = own

    def _append(self, store: Any, stream: str, keep: int, events: list[Any], recorded_at: str,
                fold_all: Any) -> None:
        with store.transaction() as tx:
            tx.append(stream, keep, events, recorded_at)
            # ... and the projections follow, as the attacker wants nothing to look odd
            pid = stream.split(":", 1)[1]
            try:
                state = fold_all(pid, tx.read_stream(stream))
            except (KeyError, TypeError, ValueError):
                return  # a forged event this code cannot even fold: leave the projections
            tx.save_snapshot(stream, state["version"], state)
            row = next(r for r in tx.procurement_rows() if r.id == pid)
            tx.save_procurement_row(pid, row.project, row.mode, state["state"],
                                    state["version"], row.next_due)

    def seq_of(self, stream: str, event_type: str) -> int:
        """The sequence number of the first event of that type in the stream."""
        return next(r["stream_seq"] for r in self.rows(stream) if r["type"] == event_type)

    def version(self, stream: str) -> int:
        return max(r["stream_seq"] for r in self.rows(stream))


def unchecked(events: Catalogue) -> Catalogue:
    """``events`` with every payload accepted (any type, the current version stamped)."""

    class Unchecked(Catalogue):
        def check(self, name: str, payload: Any, version: int | None = None) -> int:
            return self.get(name).version if name in self else version or 1

    return Unchecked(list(events))
