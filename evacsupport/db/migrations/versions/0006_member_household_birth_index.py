"""Covering index for members per household and the youngest's birth date.

The monthly report finds the older people living alone (one live member, born on or before a
date) for the households active at month end; the household list counts members the same way.
With ``deleted_at`` and ``birth_date`` in the index, that grouping never reads the member table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 19:00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(
            "ix_member_household_live_birth",
            ["household_id", "deleted_at", "birth_date"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index("ix_member_household_live_birth")
