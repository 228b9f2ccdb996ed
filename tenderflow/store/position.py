"""Reading the whole log after a position without ever missing a late commit (issue 13, item 6).

A reader that follows the store (an export, a projection, a mirror at the auditor's office)
remembers where it stopped and asks for what came after. ``global_seq`` alone cannot be that
position on PostgreSQL: numbers come from a sequence under READ COMMITTED, so a transaction
that drew 41 can commit after another drew and committed 42; a reader that saw 42 and resumes
"after 42" never sees 41.

The design, a transaction-id watermark: every event row carries the id of the transaction that
wrote it (``txid``, set by the column default ``pg_current_xact_id()``, migration 0005). A
reader's statement sees the oldest transaction still running, ``pg_snapshot_xmin``; every
transaction with a smaller id has ended (committed or rolled back), and every transaction still
running or yet to start has an id at least that large. So the events with ``txid < xmin`` form
a closed set that no later commit adds to. The reader reads only those, in ``(txid,
global_seq)`` order, and its :class:`Position` is the last such pair it saw: resuming after it
never misses a late commit and never yields an event twice. Writers take no lock for this —
procurements still do not wait for each other — and a long-running writer only delays
what readers see, never loses it.

SQLite allows one writer at a time (``BEGIN IMMEDIATE``), so commit order is ``global_seq``
order; ``txid`` is 0 there, and for rows written before migration 0005, which had all committed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, literal_column, or_, select

from tenderflow.errors import InputError
from tenderflow.store import models as m
from tenderflow.store.rows import EVENT_COLUMNS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

_TEXT = re.compile(r"^(\d+)\.(\d+)$")

# The oldest transaction still running, seen by the reading statement (PostgreSQL 13+).
_XMIN = literal_column("(pg_snapshot_xmin(pg_current_snapshot())::text)::bigint")


@dataclass(frozen=True, order=True)
class Position:
    """Where a reader stopped: the writing transaction and the event's ``global_seq``.
    Written as ``TXID.SEQ`` (e.g. ``0.205``, ``7713.412``); ``START`` is before everything."""

    txid: int = 0
    global_seq: int = 0

    def __str__(self) -> str:
        return f"{self.txid}.{self.global_seq}"

    @classmethod
    def parse(cls, text: str, *, field: str = "position") -> Position:
        match = _TEXT.match(text.strip())
        if not match:
            raise InputError(f"not a log position: {text!r}", field=field,
                             expected="TXID.SEQ as printed by the last read, e.g. 0.205")
        return cls(int(match.group(1)), int(match.group(2)))


START = Position()


def read_committed(conn: Connection, dialect: str, after: Position = START,
                   batch: int = 1000) -> Iterator[tuple[Position, Any]]:
    """Rows of events committed after ``after``, each with its position, in an order that no
    later commit can land before (transaction, then ``global_seq``).
    On PostgreSQL only transactions older than the oldest one still running are read (see the
    module docstring); what a running transaction writes comes in a later read."""
    last = after
    while True:
        q = select(*EVENT_COLUMNS).where(or_(
            m.events.c.txid > last.txid,
            and_(m.events.c.txid == last.txid, m.events.c.global_seq > last.global_seq)))
        if dialect == "postgresql":
            q = q.where(m.events.c.txid < _XMIN)
        rows = conn.execute(q.order_by(m.events.c.txid, m.events.c.global_seq)
                            .limit(batch)).all()
        for row in rows:
            last = Position(row.txid, row.global_seq)
            yield last, row
        if len(rows) < batch:
            return
