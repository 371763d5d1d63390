"""Indexes for the resident list filters and search as you type, and for planning rounds (due / overdue lists).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.create_index("ix_resident_institution_colour", ["institution_id", "colour"], unique=False)
        batch_op.create_index("ix_resident_status", ["status"], unique=False)
        batch_op.create_index("ix_resident_search", ["deleted", "status", "search_text"], unique=False)
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_resident_date", ["resident_id", "visit_date"], unique=False)
        batch_op.create_index(
            "ix_visit_seen",
            ["resident_id", "visit_date"],
            unique=False,
            sqlite_where=sa.text("outcome = 'seen' AND deleted = 0"),
            postgresql_where=sa.text("outcome = 'seen' AND deleted = 0"),
        )
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.create_index("ix_round_date_institution", ["round_date", "institution_id"], unique=False)
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_resident_kind_date", ["resident_id", "kind", "assessed_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_resident_kind_date")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_index("ix_round_date_institution")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_seen")
        batch_op.drop_index("ix_visit_resident_date")
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_index("ix_resident_search")
        batch_op.drop_index("ix_resident_status")
        batch_op.drop_index("ix_resident_institution_colour")
