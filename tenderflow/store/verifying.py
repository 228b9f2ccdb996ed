"""The rows ``audit verify`` reads: only what the chain check needs — the sequence numbers,
the columns that repeat a field of the body, the stored hash, the codec and the deflated
bytes — streamed in global order, one batch (a list) at a time, optionally only the streams
of one range (``audit verify --jobs``), with what it takes to inflate each body into the
canonical bytes its hash covers (never decoded or re-serialised).

The verifier inflates the bodies in its own loop (one call per event less: the walk is a
few microseconds a row, issue 17) with :meth:`StoredRows.dictionary`, and asks
:meth:`StoredRows.inflate` why a body that did not inflate cleanly cannot be read."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from zlib import decompressobj
from zlib import error as zlib_error

from sqlalchemy import select
from sqlalchemy.engine import Connection

from tenderflow.store import models as m
from tenderflow.store.bodies import BodyUnreadable
from tenderflow.store.rows import EVENT_COLUMNS, Codecs

# What a row of StoredRows.batches holds, in this order.
STORED_COLUMNS = tuple(c for c in EVENT_COLUMNS if c.name != "txid")


class StoredRows:
    """Every event row in global order as stored — ``global_seq, stream_id, stream_seq,
    type, actor, hash, codec, deflated`` — a batch at a time (memory bounded by the batch);
    with ``streams`` = (first, stop) only the streams with ``first <= stream_id < stop``
    (None: unbounded)."""

    def __init__(self, conn: Connection, codecs: Codecs, batch: int,
                 streams: tuple[str | None, str | None] = (None, None)) -> None:
        self.conn, self.codecs, self.batch, self.streams = conn, codecs, batch, streams

    def batches(self) -> Iterator[Sequence[Any]]:
        first, stop = self.streams
        base = select(*STORED_COLUMNS)
        if first is not None:
            base = base.where(m.events.c.stream_id >= first)
        if stop is not None:
            base = base.where(m.events.c.stream_id < stop)
        return _batches(self.conn, base.order_by(m.events.c.global_seq).limit(self.batch),
                        self.batch)

    def dictionary(self, codec: Any) -> bytes | None:
        """The dictionary of ``codec`` (b"" for none), None when it cannot be had (the row's
        :meth:`inflate` then says why)."""
        try:
            return self.codecs.dictionary(self.conn, int(codec))
        except (BodyUnreadable, TypeError, ValueError):
            return None

    def inflate(self, codec: Any, stored: Any) -> tuple[bytes | None, str | None]:
        """The body's bytes as written, or None and why they cannot be read back."""
        try:
            dictionary = self.codecs.dictionary(self.conn, int(codec))
            z = decompressobj(-15, dictionary) if dictionary else decompressobj(-15)
            data = z.decompress(stored)
        except BodyUnreadable as exc:
            return None, str(exc)
        except (zlib_error, TypeError, ValueError) as exc:
            return None, f"the stored body does not inflate ({exc})"
        if not z.eof or z.unused_data:
            return None, "the stored body is not one complete DEFLATE stream"
        return data, None


def _batches(conn: Connection, base: Any, batch: int) -> Iterator[Sequence[Any]]:
    """The rows of ``base`` (ordered by ``global_seq``, LIMITed to ``batch``), all of them.
    SQLite: one statement stepped through by the driver's own cursor (it reads as it goes,
    so memory stays bounded without LIMIT), lists of plain tuples. Elsewhere: one LIMITed
    batch after another."""
    if conn.dialect.name == "sqlite":
        stmt = base.limit(None).compile(conn)
        params = [stmt.params[k] for k in stmt.positiontup or ()]
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.arraysize = batch
            cursor.execute(str(stmt), params)
            while rows := cursor.fetchmany():
                yield rows
        finally:
            cursor.close()
        return
    last: Any = None
    while True:
        q = base if last is None else base.where(m.events.c.global_seq > last)
        rows = conn.execute(q).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]
