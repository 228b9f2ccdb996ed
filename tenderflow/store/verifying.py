"""The rows ``audit verify`` reads: only what the chain check needs — the sequence numbers,
the columns that repeat a field of the body, the stored hash, and the body as its canonical
bytes (inflated, never decoded or re-serialised) — streamed in global order, one batch at a
time, optionally only the streams of one range (``audit verify --jobs``)."""

from __future__ import annotations

from collections.abc import Iterator
from zlib import decompressobj
from zlib import error as zlib_error
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.engine import Connection

from tenderflow.store import models as m
from tenderflow.store.bodies import BodyUnreadable
from tenderflow.store.rows import EVENT_COLUMNS, Codecs


class VerifyRow(NamedTuple):
    """An event row for the verifier: ``data`` is the body's bytes as written (None when they
    cannot be read back, ``unreadable`` saying why)."""

    global_seq: Any
    stream_id: Any
    stream_seq: Any
    type: Any
    actor: Any
    hash: Any
    data: bytes | None
    unreadable: str | None = None


def verify_rows(conn: Connection, codecs: Codecs, batch: int,
                streams: tuple[str | None, str | None] = (None, None)) -> Iterator[tuple[Any, ...]]:
    """Every row in global order (memory bounded by the batch), as the fields of a
    :class:`VerifyRow` (a plain tuple: millions are made); with ``streams`` = (first, stop)
    only the streams with ``first <= stream_id < stop`` (None: unbounded)."""
    cols = [c for c in EVENT_COLUMNS if c.name != "txid"]
    first, stop = streams
    base = select(*cols)
    if first is not None:
        base = base.where(m.events.c.stream_id >= first)
    if stop is not None:
        base = base.where(m.events.c.stream_id < stop)
    base = base.order_by(m.events.c.global_seq).limit(batch)
    known: dict[Any, bytes] = {}
    for gs, sid, seq, type_, actor, digest, codec, stored in _rows(conn, base, batch):
        # inflate (tenderflow.store.bodies.inflate, inline: once per event)
        try:
            dictionary = known.get(codec)
            if dictionary is None:
                dictionary = known[codec] = codecs.dictionary(conn, int(codec))
            z = decompressobj(-15, dictionary) if dictionary else decompressobj(-15)
            data: bytes | None = z.decompress(stored)
            why = None
            if not z.eof or z.unused_data:
                data, why = None, "the stored body is not one complete DEFLATE stream"
        except (BodyUnreadable, zlib_error, TypeError, ValueError) as exc:
            data, why = None, f"the stored body does not inflate ({exc})"
        yield (gs, sid, seq, type_, actor, digest, data, why)


def _rows(conn: Connection, base: Any, batch: int) -> Iterator[Any]:
    """The rows of ``base`` (ordered by ``global_seq``, LIMITed to ``batch``), all of them.
    SQLite: one statement stepped through by the driver's own cursor (it reads as it goes,
    so memory stays bounded without LIMIT), plain tuples. Elsewhere: one LIMITed batch
    after another."""
    if conn.dialect.name == "sqlite":
        stmt = base.limit(None).compile(conn)
        params = [stmt.params[k] for k in stmt.positiontup or ()]
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.arraysize = batch
            cursor.execute(str(stmt), params)
            while rows := cursor.fetchmany():
                yield from rows
        finally:
            cursor.close()
        return
    last: Any = None
    while True:
        q = base if last is None else base.where(m.events.c.global_seq > last)
        rows = conn.execute(q).all()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]

