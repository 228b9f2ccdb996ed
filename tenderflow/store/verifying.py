"""The rows ``audit verify`` reads on SQLite: the database compares each stored body with the
canonical JSON of its columns, so a sound row brings only what the chain check needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from sqlalchemy import literal_column, select
from sqlalchemy.engine import Connection

from tenderflow.store import models as m


class VerifyRow(NamedTuple):
    """A row whose stored ``body`` the database found to be, byte for byte, the canonical JSON
    of its columns (:meth:`Tx.verify_rows`): only what the chain check needs, the body as
    its stored bytes."""

    global_seq: Any
    stream_id: Any
    stream_seq: Any
    pins: Any
    prev_hash: Any
    hash: Any
    body: bytes
    matches: bool = True


def _quoted(column: str) -> str:
    return f"json_quote({column})"


# The canonical body (DESIGN §4: sorted keys, no white space) built from the columns by SQLite:
# ``json_quote`` writes each value as JSON (escaping as canonical_json does; where it would
# write another spelling the row only takes the verifier's slower path); ``pins`` and
# ``payload`` are stored as canonical JSON text already.
_CANONICAL_FROM_COLUMNS = " || ".join([
    "'{\"actor\":'", _quoted("actor"), "',\"global_seq\":'", _quoted("global_seq"),
    "',\"occurred_at\":'", _quoted("occurred_at"), "',\"payload\":'", "payload",
    "',\"pins\":'", "pins", "',\"prev_hash\":'", _quoted("prev_hash"),
    "',\"recorded_at\":'", _quoted("recorded_at"), "',\"schema_version\":'",
    _quoted("schema_version"), "',\"stream_id\":'", _quoted("stream_id"),
    "',\"stream_seq\":'", _quoted("stream_seq"), "',\"type\":'", _quoted("type"), "'}'"])
# ``payload`` and ``pins`` are pasted in as text, so both must be valid JSON for the match to
# mean each column equals its field: a JSON text cannot hold an unescaped ``,"pins":``, so two
# valid JSON columns split the body in one place only; two invalid ones that shift text from
# one into the other take the slow path, which parses them and reports the column.
_VERIFY_SELECT = ("SELECT rowid, global_seq, stream_id, stream_seq, pins, prev_hash, hash, "
                  f"CAST(body AS BLOB), body = {_CANONICAL_FROM_COLUMNS} "
                  "AND json_valid(payload) AND json_valid(pins) FROM events ")
_VERIFY_ORDER = " ORDER BY events.global_seq LIMIT ?"


def sqlite_verify_rows(conn: Connection, batch: int) -> Iterator[Any]:
    """Every row in global order, one LIMITed batch at a time (memory bounded by the batch, as
    :meth:`~tenderflow.store.eventstore.Tx.raw_events`): a :class:`VerifyRow` when the body
    matches its columns, else the whole row as stored (read again by its rowid) for the
    verifier to say what differs."""
    last: Any = None
    while True:
        if last is None:
            rows = conn.exec_driver_sql(_VERIFY_SELECT + _VERIFY_ORDER, (batch,)).all()
        else:
            rows = conn.exec_driver_sql(_VERIFY_SELECT + "WHERE global_seq > ?" + _VERIFY_ORDER,
                                        (last, batch)).all()
        if not rows:
            return
        for rowid, *fields, matches in rows:
            if matches == 1:
                yield VerifyRow(*fields)
            else:
                yield conn.execute(
                    select(m.events).where(literal_column("rowid") == rowid)).one()
        last = rows[-1][1]
