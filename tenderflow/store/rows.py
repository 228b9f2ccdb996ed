"""Event rows as stored: the body inflated with its codec (tenderflow.store.bodies), the
looked-up columns beside it. The store's readers parse the body; ``audit verify`` and the
export take these rows as they are."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from tenderflow.store import models as m
from tenderflow.store.bodies import (
    TRAINING_WINDOW,
    BodyUnreadable,
    deflate,
    inflate,
    train,
)
from tenderflow.store.records import RawEvent

# The columns an event row is read with (``deflated`` inflated into ``body``).
EVENT_COLUMNS = (m.events.c.global_seq, m.events.c.stream_id, m.events.c.stream_seq,
                 m.events.c.type, m.events.c.actor, m.events.c.hash, m.events.c.txid,
                 m.events.c.codec, m.events.c.deflated)
# The same as a named row, and as SQL (the driver's cursor, tenderflow.store.driver).
EventRow = namedtuple("EventRow", [c.name for c in EVENT_COLUMNS])  # type: ignore[misc]
EVENT_SQL = ", ".join(f"events.{c.name}" for c in EVENT_COLUMNS)
# The columns that repeat a field of the body (``audit verify`` checks each equals it).
INDEXED_FIELDS = ("global_seq", "stream_id", "stream_seq", "type", "actor")


class Codecs:
    """The dictionaries of one database, read once each (they never change)."""

    def __init__(self) -> None:
        self._known: dict[int, bytes] = {}

    def dictionary(self, conn: Connection, codec: int) -> bytes:
        found = self._known.get(codec)
        if found is None:
            found = conn.execute(select(m.body_codecs.c.dictionary)
                                 .where(m.body_codecs.c.id == codec)).scalar()
            if found is None:
                raise BodyUnreadable(f"codec {codec} is not in the body_codecs table")
            found = self._known[codec] = bytes(found)
        return found

    def body(self, conn: Connection, codec: Any, stored: Any) -> bytes:
        return inflate(bytes(stored), self.dictionary(conn, int(codec)))

    def deflate(self, conn: Connection, codec: int, body: bytes) -> bytes:
        return deflate(body, self.dictionary(conn, codec))

    def train(self, conn: Connection, codec: int) -> bool:
        """Store dictionary ``codec`` trained on the last events (bodies readable now); False
        when the database user may not add one (PostgreSQL without INSERT on body_codecs:
        the events are then deflated with the latest dictionary there is, nothing else
        changes — README: Running against PostgreSQL grants it)."""
        rows = conn.execute(select(m.events.c.type, m.events.c.codec, m.events.c.deflated)
                            .order_by(m.events.c.global_seq.desc())
                            .limit(TRAINING_WINDOW)).all()
        samples = []
        for row in reversed(rows):
            try:
                samples.append((row.type, self.body(conn, row.codec, row.deflated)))
            except BodyUnreadable:
                continue  # a damaged row teaches nothing; audit verify reports it
        dictionary = train(samples)
        if conn.dialect.name == "postgresql":
            try:
                with conn.begin_nested():  # a refusal must not abort the transaction
                    conn.execute(insert(m.body_codecs).values(id=codec, dictionary=dictionary))
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
                    raise
                return False
        else:
            conn.execute(insert(m.body_codecs).values(id=codec, dictionary=dictionary))
        self._known[codec] = dictionary
        return True


def raw_event(conn: Connection, codecs: Codecs, row: Any) -> RawEvent:
    """A row of :data:`EVENT_COLUMNS` as a :class:`RawEvent`."""
    try:
        body = codecs.body(conn, row.codec, row.deflated).decode("utf-8")
        unreadable = None
    except BodyUnreadable as exc:
        body, unreadable = "", str(exc)
    except UnicodeDecodeError:
        body, unreadable = "", "the stored body is not UTF-8"
    return RawEvent(row.global_seq, row.stream_id, row.stream_seq, row.type, row.actor,
                    row.hash, row.txid, body, unreadable)
