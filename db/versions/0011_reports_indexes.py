"""Covering indexes for the reports (issue #17): the quarter's return counted by seeks, no wide row read.

- ``ix_resident_report``: each resident's institution, dates and status (the stay at period end, age, signing);
- ``ix_residenceperiod_report``: the stays overlapping a period, and the last of them;
- ``ix_triage_report``: the last confirmed colour on or before a day (the colour read from the index);
- ``ix_visit_report`` (live chronic follow-ups seen): each disease's follow-ups of the year, the last BP and
  fasting glucose. The condition's columns are in the index too: SQLite reads them from the row otherwise.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

RESIDENT_COLUMNS = [
    "deleted", "id", "institution_id", "birth_date", "signed_on", "status", "status_date", "admission_date",
    "family_bed_start", "family_bed_end",
]  # fmt: skip
STAY_COLUMNS = ["resident_id", "start_date", "end_date", "institution_id", "id", "deleted"]
TRIAGE_COLUMNS = ["resident_id", "decided_at", "id", "colour", "deleted"]
VISIT_COLUMNS = [
    "resident_id", "visit_date", "visited_at", "id", "hypertension_class", "diabetes_class", "sbp", "dbp",
    "glucose", "glucose_fasting", "chronic_class", "outcome", "deleted",
]  # fmt: skip
VISIT_WHERE = "chronic_class != '' AND outcome = 'seen' AND deleted = 0"


def upgrade() -> None:
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.create_index("ix_resident_report", RESIDENT_COLUMNS, unique=False)
    with op.batch_alter_table("residenceperiod", schema=None) as batch_op:
        batch_op.create_index("ix_residenceperiod_report", STAY_COLUMNS, unique=False)
    with op.batch_alter_table("triagedecision", schema=None) as batch_op:
        batch_op.create_index("ix_triage_report", TRIAGE_COLUMNS, unique=False)
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visit_report",
            VISIT_COLUMNS,
            unique=False,
            sqlite_where=sa.text(VISIT_WHERE),
            postgresql_where=sa.text(VISIT_WHERE),
        )


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_report")
    with op.batch_alter_table("triagedecision", schema=None) as batch_op:
        batch_op.drop_index("ix_triage_report")
    with op.batch_alter_table("residenceperiod", schema=None) as batch_op:
        batch_op.drop_index("ix_residenceperiod_report")
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_index("ix_resident_report")
