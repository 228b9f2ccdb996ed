"""Checkpoints: signed seals of every stream head (``tenderflow audit seal``), append-only.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkpoints",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("sealed_at", sa.String(40), nullable=False),
        sa.Column("sealed_by", sa.String(200), nullable=False),
        sa.Column("last_global_seq", sa.BigInteger, nullable=False),
        sa.Column("streams", sa.Integer, nullable=False),
        sa.Column("events", sa.BigInteger, nullable=False),
        sa.Column("merkle_root", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER checkpoints_no_{action.lower()} BEFORE {action} ON checkpoints "
                f"BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END"
            )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'checkpoints are append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints "
            "FOR EACH ROW EXECUTE FUNCTION checkpoints_append_only()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS checkpoints_append_only ON checkpoints")
        op.execute("DROP FUNCTION IF EXISTS checkpoints_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_update")
        op.execute("DROP TRIGGER IF EXISTS checkpoints_no_delete")
    op.drop_table("checkpoints")
