"""The tables. Only the store package knows SQL; the events table is append-only."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    FetchedValue,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

events = Table(
    "events", metadata,
    Column("global_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("stream_id", String(200), nullable=False),
    Column("stream_seq", Integer, nullable=False),
    Column("type", String(100), nullable=False),
    # who recorded it: the PostgreSQL trigger of migration 0003 checks it on insert
    Column("actor", String(200), nullable=False),
    Column("hash", String(64), nullable=False),
    # The canonical JSON the hash covers, the event's only copy (migration 0006): deflated
    # with the dictionary of ``codec`` (tenderflow.store.bodies). Every other field of the
    # event (payload, pins, times, prev_hash …) is read from it; the columns above are its
    # fields copied for looking up, and ``audit verify`` checks that they equal the body's.
    Column("codec", BigInteger, nullable=False),
    Column("deflated", LargeBinary, nullable=False),
    # The writing transaction's id, set by the database (migration 0005; 0 on SQLite and for
    # rows older than the migration): readers resume in commit order (store.position).
    Column("txid", BigInteger, nullable=False, server_default=FetchedValue()),
    UniqueConstraint("stream_id", "stream_seq", name="uq_events_stream_seq"),
)
Index("ix_events_commit_order", events.c.txid, events.c.global_seq)

# The dictionaries event bodies are deflated with (tenderflow.store.bodies), named by the
# ``global_seq`` whose append trained them (0: the empty dictionary); never changed.
body_codecs = Table(
    "body_codecs", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("dictionary", LargeBinary, nullable=False),
)

# One row per stream: its head. Appending checks and moves the head (optimistic concurrency),
# so appending costs the same whatever the stream's length.
streams = Table(
    "streams", metadata,
    Column("stream_id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
)

# Snapshot of each stream's folded state at its head (a projection, rebuilt by replay).
# ``fold_version`` says which code folded it (tenderflow.domain.fold_version, migration 0004):
# a procurement snapshot with another stamp, or NULL, is stale and rebuilt from the events.
# Registry, credit and calendar snapshots (the latest profile, not a fold) keep NULL.
snapshots = Table(
    "snapshots", metadata,
    Column("stream_id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("fold_version", Integer),
)

# Read model for listing and ticking procurements.
procurements = Table(
    "procurements", metadata,
    Column("id", String(100), primary_key=True),
    Column("project", String(100), nullable=False),
    Column("mode", String(50), nullable=False),
    Column("state", String(50), nullable=False),
    Column("version", Integer, nullable=False),
    Column("next_due", String(40)),
)
# tick's "which have a timer pending" and a re-opening's "which does the project have"
# (migration 0007)
Index("ix_procurements_project", procurements.c.project)
Index("ix_procurements_next_due", procurements.c.next_due,
      sqlite_where=procurements.c.next_due.isnot(None),
      postgresql_where=procurements.c.next_due.isnot(None))

# Definitions pinned by events (workflow, parameters, ruleset, calendar), by content hash,
# so that replay uses exactly what decided, whatever later edits to workflows/.
definitions = Table(
    "definitions", metadata,
    Column("hash", String(64), primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("name", String(200), nullable=False),
    Column("body", Text, nullable=False),
)

# Signed checkpoints of every stream head (``audit seal``), append-only like events. The
# ``document`` is the checkpoint file's JSON as written; the auditor keeps a copy elsewhere.
checkpoints = Table(
    "checkpoints", metadata,
    Column("number", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("sealed_at", String(40), nullable=False),
    Column("sealed_by", String(200), nullable=False),
    Column("last_global_seq", BigInteger, nullable=False),
    Column("streams", Integer, nullable=False),
    Column("events", BigInteger, nullable=False),
    Column("merkle_root", String(64), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("document", Text, nullable=False),
)
