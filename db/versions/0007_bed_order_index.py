"""Residents of an institution in bed order from one covering index: planning sorts no residents.

``ix_resident_bed`` replaces ``ix_resident_due`` (migration 0004): the same columns, led by the institution
and then the bed order the round sheets use — building, room and bed, numbers by value ("2" before "10",
so by length first), name, id — so each round's due residents come out of the index already in order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BED_ORDER = (
    "deleted, status, institution_id, building, length(room), room, length(bed), bed, name, id, colour, sex, "
    "birth_date, admission_date, signed_on"
)
DUE = (
    "deleted, status, institution_id, id, colour, birth_date, admission_date, signed_on, name, sex, building, room, bed"
)


def upgrade() -> None:
    op.execute(f"CREATE INDEX ix_resident_bed ON resident ({BED_ORDER})")
    op.execute("DROP INDEX ix_resident_due")


def downgrade() -> None:
    op.execute(f"CREATE INDEX ix_resident_due ON resident ({DUE})")
    op.execute("DROP INDEX ix_resident_bed")
