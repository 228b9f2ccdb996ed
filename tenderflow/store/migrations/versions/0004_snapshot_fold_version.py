"""Snapshots say which code folded them: a ``fold_version`` column on ``snapshots``.

A procurement snapshot is trusted only while its ``fold_version`` equals the running code's
``tenderflow.domain.fold_version.FOLD_VERSION``; existing rows get NULL (unknown, so stale):
``tenderflow init`` rebuilds them from the events right after this migration. Project,
supplier, credit and calendar snapshots (the latest profile or list, not a fold) keep NULL.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("snapshots", sa.Column("fold_version", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("fold_version")
