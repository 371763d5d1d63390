"""Who changed a record last: ``updated_by`` on institutions, agreements and the health record tables.

The sync stamps (``updated_at``, ``origin_device``) say when and on which device a row changed; this
column says which staff member changed it (the unit of work's actor), so the resident record and the
institutions page can show "changed by … on …". A full audit trail is kept elsewhere.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = (
    "institution",
    "agreement",
    "resident",
    "residenceperiod",
    "statuschange",
    "condition",
    "medication",
    "allergy",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_by")
