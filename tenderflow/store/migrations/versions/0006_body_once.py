"""Each event's canonical body stored once, deflated with a trained dictionary (issue 17).

Until now an event row held its canonical JSON (``body``, what the hash covers) and every field
again as a column (``payload`` and ``pins`` as JSON text, the times, ``prev_hash`` …): the
payload twice, ~7.3 kB a row for the generated mix. Now the body is the only copy, kept as
raw DEFLATE with a dictionary (tenderflow.store.bodies) in ``deflated``, naming its dictionary
in ``codec``; the columns kept are those the store looks events up by (``global_seq``,
``stream_id``, ``stream_seq``, ``type``), ``actor`` (checked by the PostgreSQL trigger of
0003), ``hash`` and ``txid``. Readers take every field from the body.

The upgrade keeps every byte the hashes cover: each stored body is deflated as it is (not
rebuilt from the columns), and ``audit verify`` checks the result as before. A row whose columns
disagree with its body (a tampered row) would lose the columns' version: the upgrade refuses to
run on such a database and names the first such row (``audit verify`` names them all). The
first dictionary is trained on the existing events, named by the last ``global_seq``.
``ix_events_type`` goes (no query uses it). The rows are converted in place, with the
append-only triggers lifted for the conversion and put back. On SQLite the file keeps its size
until ``VACUUM`` (freed pages are reused by later events).

Revision ID: 0006
Revises: 0005
"""

import json

import sqlalchemy as sa
from alembic import op

from tenderflow.store.bodies import deflate, inflate, train
from tenderflow.store.canonical import EVENT_FIELDS, canonical_json
from tenderflow.store.eventstore import StoreError

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DROPPED = ("schema_version", "occurred_at", "recorded_at", "pins", "payload", "prev_hash",
           "body")
KEPT = ("global_seq", "stream_id", "stream_seq", "type", "actor")
BATCH = 2000


def _triggers(bind: sa.engine.Connection, on: bool) -> None:
    if bind.dialect.name == "postgresql":
        op.execute(f"ALTER TABLE events {'ENABLE' if on else 'DISABLE'} TRIGGER "
                   f"events_append_only")
        return
    for action in ("UPDATE", "DELETE"):
        if on:
            op.execute(f"CREATE TRIGGER events_no_{action.lower()} BEFORE {action} ON events "
                       f"BEGIN SELECT RAISE(ABORT, 'events are append-only'); END")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS events_no_{action.lower()}")


def _checked(row: sa.engine.Row) -> bytes:
    """The stored body's bytes, after checking that the columns about to go say what the body
    says (else the upgrade would silently keep one of two disagreeing versions)."""
    where = f"{row.stream_id} #{row.stream_seq} (global {row.global_seq})"
    try:
        fields = json.loads(row.body)
    except ValueError:
        raise StoreError(f"migration 0006: {where}: the stored body is not JSON; run "
                         f"'tenderflow audit verify' and repair the database first") from None
    if not isinstance(fields, dict) or set(fields) != set(EVENT_FIELDS):
        raise StoreError(f"migration 0006: {where}: the stored body is not an event")
    for name in EVENT_FIELDS:
        column = getattr(row, name)
        value = (canonical_json(fields[name]) if name in ("pins", "payload")
                 else fields[name])
        if column != value:
            raise StoreError(f"migration 0006: {where}: column {name} differs from the "
                             f"stored body; run 'tenderflow audit verify' and repair first")
    return str(row.body).encode("utf-8")


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "body_codecs",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("dictionary", sa.LargeBinary, nullable=False),
    )
    events = sa.table("events", *[sa.column(c) for c in (*EVENT_FIELDS, "hash", "body",
                                                         "codec", "deflated")])
    codecs = sa.table("body_codecs", sa.column("id"), sa.column("dictionary"))
    last = bind.execute(sa.select(sa.func.max(events.c.global_seq))).scalar()
    codec = int(last or 0)
    recent = bind.execute(sa.select(events.c.type, events.c.body)
                          .order_by(events.c.global_seq.desc()).limit(2000)).all()
    dictionary = train((r.type, str(r.body).encode("utf-8")) for r in reversed(recent))
    bind.execute(codecs.insert().values(id=0, dictionary=b""))
    if codec:
        bind.execute(codecs.insert().values(id=codec, dictionary=dictionary))
    else:
        dictionary = b""
    op.add_column("events", sa.Column("codec", sa.BigInteger, nullable=False,
                                      server_default=sa.text("0")))
    # SQLite adds a NOT NULL column only with a default: an empty one, never used
    op.add_column("events", sa.Column("deflated", sa.LargeBinary,
                                      nullable=bind.dialect.name != "sqlite",
                                      server_default=(sa.text("x''") if bind.dialect.name
                                                      == "sqlite" else None)))
    _triggers(bind, on=False)
    after = None
    while True:
        q = sa.select(events).order_by(events.c.global_seq).limit(BATCH)
        if after is not None:
            q = q.where(events.c.global_seq > after)
        rows = bind.execute(q).all()
        if not rows:
            break
        for row in rows:
            bind.execute(events.update().where(events.c.global_seq == row.global_seq)
                         .values(codec=codec, deflated=deflate(_checked(row), dictionary)))
        after = rows[-1].global_seq
    op.drop_index("ix_events_type", table_name="events")
    if bind.dialect.name == "sqlite":
        for name in DROPPED:  # SQLite 3.35+: no table rebuild, the triggers stay defined
            op.execute(f"ALTER TABLE events DROP COLUMN {name}")
    else:
        for name in DROPPED:
            op.drop_column("events", name)
        op.alter_column("events", "deflated", nullable=False)
        op.alter_column("events", "codec", server_default=None)
    _triggers(bind, on=True)


def downgrade() -> None:
    """Back to the columns of 0005, filled from each body (inflated as written)."""
    bind = op.get_bind()
    text_columns = {"schema_version": sa.Integer, "occurred_at": sa.String(40),
                    "recorded_at": sa.String(40), "pins": sa.Text, "payload": sa.Text,
                    "prev_hash": sa.String(64), "body": sa.Text}
    for name, kind in text_columns.items():
        op.add_column("events", sa.Column(name, kind))
    events = sa.table("events", *[sa.column(c) for c in (*EVENT_FIELDS, "hash", "body",
                                                         "codec", "deflated")])
    dictionaries = dict(bind.execute(sa.text("SELECT id, dictionary FROM body_codecs")).all())
    _triggers(bind, on=False)
    rows = bind.execute(sa.select(events.c.global_seq, events.c.codec, events.c.deflated)
                        .order_by(events.c.global_seq)).all()
    for row in rows:
        body = inflate(bytes(row.deflated), bytes(dictionaries[row.codec])).decode("utf-8")
        fields = json.loads(body)
        bind.execute(events.update().where(events.c.global_seq == row.global_seq).values(
            body=body, pins=canonical_json(fields["pins"]),
            payload=canonical_json(fields["payload"]),
            **{k: fields[k] for k in ("schema_version", "occurred_at", "recorded_at",
                                      "prev_hash")}))
    if bind.dialect.name == "sqlite":
        for name in ("codec", "deflated"):
            op.execute(f"ALTER TABLE events DROP COLUMN {name}")
    else:
        for name in ("codec", "deflated"):
            op.drop_column("events", name)
        for name in text_columns:
            op.alter_column("events", name, nullable=False)
    op.create_index("ix_events_type", "events", ["type"])
    op.drop_table("body_codecs")
    _triggers(bind, on=True)
