"""Per-household activity facts kept current (issue #18): last meal, last contact, the recent
meal dates, the members' latest scores and the open follow-ups, one row a household, so the
household list, the dashboard and the risk counts no longer aggregate the whole history.

The table is derived data. Migrations never import the app, so this one only creates it;
``db.migrate.upgrade`` fills it in the same transaction, right after upgrading a database from
before this revision, with the app's own recompute (``db.facts.rebuild_facts``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 15:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "household_facts",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("last_meal", sa.Date(), nullable=True),
        sa.Column("recent_meals", sa.JSON(), nullable=False),
        sa.Column("last_contact", sa.Date(), nullable=True),
        sa.Column("latest_k6", sa.Integer(), nullable=True),
        sa.Column("latest_loneliness", sa.Integer(), nullable=True),
        sa.Column("latest_ucla3", sa.Integer(), nullable=True),
        sa.Column("member_scores", sa.JSON(), nullable=False),
        sa.Column("open_followups", sa.Integer(), nullable=False),
        sa.Column("open_due", sa.JSON(), nullable=False),
        sa.Column("horizon", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_household_facts_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_household_facts")),
    )
    with op.batch_alter_table("household_facts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_facts_horizon"), ["horizon"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("household_facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_facts_horizon"))
    op.drop_table("household_facts")
