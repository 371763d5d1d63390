"""Covering indexes for the resident record (issue #15): each section read from one index range, no row.

Opening a record ran small queries that found their rows through a narrow index and then read each row from
its table page: about 24 pages not yet in SQLite's cache per record at 100 000 residents (more on a real center,
whose entries of one resident were written months apart and lie on as many table pages). An encrypted file
pays 7–8 µs to read, decrypt and check each page, a plain one ≈ 1 µs (docs/security.md "Measured cost"). These
indexes hold every column a section shows, by resident and in its display order, for live rows only:
``ix_assessment_record``, ``ix_condition_record``, ``ix_medication_record``, ``ix_residenceperiod_record``.
(The record no longer reads the visits — its Visits tab reads their history itself — so no visit index.)

On a PostgreSQL server the same names are empty indexes (``WHERE false``): a btree entry there may not
exceed 2 704 bytes, and an assessment's items and notes are free text (``app.store.models.RECORD_WHERE_SERVER``).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# the columns as they are today (app.store.models.RECORD_*), written out: a migration does not follow the models
INDEXES = {
    "ix_residenceperiod_record": (
        "residenceperiod",
        ["resident_id", "start_date", "created_at", "id", "institution_id", "building", "room", "bed", "end_date",
         "reason", "deleted"],
    ),
    "ix_condition_record": (
        "condition", ["resident_id", "active", "diagnosed_on", "name", "id", "code", "icd10", "deleted"]
    ),
    "ix_medication_record": (
        "medication",
        ["resident_id", "stop_date", "name", "id", "dose", "frequency", "start_date", "daily_quantity", "unit",
         "deleted"],
    ),
    "ix_assessment_record": (
        "assessment",
        ["resident_id", "assessed_on", "kind", "id", "assessed_by", "score", "result", "items", "notes", "deleted"],
    ),
}  # fmt: skip
WHERE = "deleted = 0"
SERVER_WHERE = "false"


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                name,
                columns,
                unique=False,
                sqlite_where=sa.text(WHERE),
                postgresql_where=sa.text(SERVER_WHERE),
            )


def downgrade() -> None:
    for name, (table, _columns) in reversed(INDEXES.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
