"""The rows ``audit verify`` reads: only what the chain check needs — the sequence numbers,
the columns that repeat a field of the body, the stored hash, and the body as its canonical
bytes (inflated, never decoded or re-serialised) — streamed in global order, one batch at a
time, optionally only the streams of one range (``audit verify --jobs``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.engine import Connection

from tenderflow.store import models as m
from tenderflow.store.bodies import BodyUnreadable, inflate
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
                streams: tuple[str | None, str | None] = (None, None)) -> Iterator[VerifyRow]:
    """Every row in global order (memory bounded by the batch); with ``streams`` = (first,
    stop) only the streams with ``first <= stream_id < stop`` (None: unbounded)."""
    cols = [c for c in EVENT_COLUMNS if c.name != "txid"]
    first, stop = streams
    base = select(*cols)
    if first is not None:
        base = base.where(m.events.c.stream_id >= first)
    if stop is not None:
        base = base.where(m.events.c.stream_id < stop)
    base = base.order_by(m.events.c.global_seq).limit(batch)
    known: dict[Any, bytes] = {}
    last: Any = None
    while True:
        q = base if last is None else base.where(m.events.c.global_seq > last)
        rows = conn.execute(q).all()
        if not rows:
            return
        for gs, sid, seq, type_, actor, digest, codec, stored in rows:
            try:
                dictionary = known.get(codec)
                if dictionary is None:
                    dictionary = known[codec] = codecs.dictionary(conn, int(codec))
                data: bytes | None = inflate(bytes(stored), dictionary)
                why = None
            except (BodyUnreadable, TypeError, ValueError) as exc:
                data, why = None, str(exc)
            yield VerifyRow(gs, sid, seq, type_, actor, digest, data, why)
        last = rows[-1][0]

