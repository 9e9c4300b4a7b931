"""The audit trail becomes a hash chain per origin (issue #19): each entry gets its origin (the
sync site id), its number in that origin's chain, the digest of its changes as written, the
previous link's hash and its own; ``audit_head`` holds each chain's last link.

Migrations never import the app, so this one only adds the columns and the table;
``db.migrate.upgrade`` then chains the entries already there, in the order (at, id), with the
app's own hashing (``db.audit_chain.chain_existing``). Those entries are vouched for from then
on only: the chain proves they were not changed after the upgrade, not before.

Revision ID: 0010
Revises: 0009
Create Date: 2027-01-11 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("digest", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_audit_entry_chain", ["origin", "seq"], unique=True)
    op.create_table(
        "audit_head",
        sa.Column("origin", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("origin", name=op.f("pk_audit_head")),
    )


def downgrade() -> None:
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_chain")
        for name in ("hash", "prev_hash", "digest", "seq", "origin"):
            batch_op.drop_column(name)
