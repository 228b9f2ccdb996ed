"""Events say which transaction wrote them: a ``txid`` column, for reading in commit order.

On PostgreSQL ``global_seq`` is drawn from a sequence under READ COMMITTED, so a transaction
can commit a number lower than one a reader has already seen; a reader that resumes after the
last ``global_seq`` it saw would miss it for good. The column holds the writing transaction's
id (``pg_current_xact_id()``, a column default evaluated inside the inserting transaction, so
no code path can forget it). A reader orders by ``(txid, global_seq)`` and reads only
transactions older than the oldest one still running (``pg_snapshot_xmin``): that set is
closed — every transaction still running or yet to start has a larger id — so resuming after
the last ``(txid, global_seq)`` seen never misses a late commit, and no writer waits for
another (tenderflow.store.position). Rows written before this migration get 0: they were all
committed long ago, and among them ``global_seq`` order stands. SQLite has one writer at a
time, so commit order is ``global_seq`` order and ``txid`` stays 0 there.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("txid", sa.BigInteger, nullable=False,
                                      server_default=sa.text("0")))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE events ALTER COLUMN txid "
                   "SET DEFAULT (pg_current_xact_id()::text)::bigint")
    op.create_index("ix_events_commit_order", "events", ["txid", "global_seq"])


def downgrade() -> None:
    op.drop_index("ix_events_commit_order", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("txid")
