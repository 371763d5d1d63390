"""``staff.must_change_password``: after an administrator sets someone's password, they choose their own.

Set by ``users.reset_password`` (and, when the administrator ticks it, by ``users.add_staff``), cleared by
``accounts.change_own_password``; the sign-in page then asks for a new password before the workspace opens.
The column is synced like the rest of ``staff``; existing accounts start with it off.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: a batch operation would copy the table and DROP the old one, which the rows
    # referring to staff (visits, rounds, ...) forbid while foreign keys are on
    default = "false" if op.get_bind().dialect.name == "postgresql" else "0"  # a real boolean there
    op.add_column(
        "staff", sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.text(default))
    )


def downgrade() -> None:
    op.drop_column("staff", "must_change_password")  # SQLite 3.35+: ALTER TABLE ... DROP COLUMN, no copy
