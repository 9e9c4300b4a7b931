"""Where a household's or venue's point came from: typed by a person, or found from its address.

A point found by the offline geocoder is the representative point of a town (or koaza, postal
area, municipality), not of the building: distances are shown with that precision, and a point
from a postal area or a municipality is marked as approximate. Points that already exist were
typed or imported as coordinates, so they are "manual".

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 16:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("household", "venue")


def upgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("location_precision", sa.String(length=16), nullable=False,
                          server_default="")
            )  # fmt: skip
        op.execute(
            sa.text(f"UPDATE {name} SET location_precision = 'manual' WHERE latitude IS NOT NULL")
        )


def downgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column("location_precision")
