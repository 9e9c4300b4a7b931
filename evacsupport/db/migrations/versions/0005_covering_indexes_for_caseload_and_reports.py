"""Covering indexes for the household list's meal facts and the monthly report's aggregates.

The household list reads each household's last meal and its recent meal count; with
``deleted_at`` in the index that is one index-only pass instead of a table lookup per meal. The
monthly figures group one month's meals by venue and meal type, summing people: every column
they read is in the month index, so the table itself is never touched.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 18:00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meal_log", schema=None) as batch_op:
        batch_op.drop_index("ix_meal_log_household_date")
        batch_op.create_index(
            "ix_meal_log_household_date_live",
            ["household_id", "served_on", "deleted_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_meal_log_month_cover",
            [
                "served_on",
                "venue_id",
                "meal_type",
                "household_id",
                "adults",
                "children",
                "deleted_at",
            ],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("meal_log", schema=None) as batch_op:
        batch_op.drop_index("ix_meal_log_month_cover")
        batch_op.drop_index("ix_meal_log_household_date_live")
        batch_op.create_index(
            "ix_meal_log_household_date", ["household_id", "served_on"], unique=False
        )
