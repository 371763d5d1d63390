"""Indexes for planning a week and for triage: each resident's facts by a seek in a narrow index.

- ``ix_resident_due`` covers every resident column planning reads, so the wide resident rows are not read;
- ``ix_assessment_live`` (not deleted) gives the last annual check without reading assessment rows;
- ``ix_visit_follow_up`` (visits with a chronic classification) gives the last chronic follow-up;
- ``ix_condition_active`` (active conditions by code) gives who needs chronic follow-up;
- ``ix_visit_corrects`` finds a visit's corrections, so triage can leave corrected versions out per resident.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RESIDENT_DUE_COLUMNS = [
    "deleted", "status", "institution_id", "id", "colour", "birth_date", "admission_date", "signed_on",
    "name", "sex", "building", "room", "bed",
]  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.create_index("ix_resident_due", RESIDENT_DUE_COLUMNS, unique=False)
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessment_live",
            ["resident_id", "kind", "assessed_on"],
            unique=False,
            sqlite_where=sa.text("deleted = 0"),
            postgresql_where=sa.text("deleted = 0"),
        )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visit_follow_up",
            ["resident_id", "visit_date"],
            unique=False,
            sqlite_where=sa.text("chronic_class != '' AND deleted = 0"),
            postgresql_where=sa.text("chronic_class != '' AND deleted = 0"),
        )
        batch_op.create_index(
            "ix_visit_corrects",
            ["corrects_id"],
            unique=False,
            sqlite_where=sa.text("corrects_id IS NOT NULL"),
            postgresql_where=sa.text("corrects_id IS NOT NULL"),
        )
    with op.batch_alter_table("condition", schema=None) as batch_op:
        batch_op.create_index(
            "ix_condition_active",
            ["code", "resident_id"],
            unique=False,
            sqlite_where=sa.text("active = 1 AND deleted = 0"),
            postgresql_where=sa.text("active = 1 AND deleted = 0"),
        )


def downgrade() -> None:
    with op.batch_alter_table("condition", schema=None) as batch_op:
        batch_op.drop_index("ix_condition_active")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_corrects")
        batch_op.drop_index("ix_visit_follow_up")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_live")
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_index("ix_resident_due")
