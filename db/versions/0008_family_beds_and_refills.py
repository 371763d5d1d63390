"""Family sickbeds (family_bed, bed_order, bed_check) and proxy refills (medication_dispense, medication's
daily quantity and unit) — 家庭病床 and 代配药, DOMAIN §8. All four tables sync like the others.

``medication`` gains its columns by a plain ADD COLUMN: a batch operation would copy the table and DROP the
old one, which rows referring to it forbid while foreign keys are on.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "family_bed",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("origin_device", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_clocks", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("resident_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("indication", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("doctor_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("care_plan", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("family_bed", schema=None) as batch_op:
        batch_op.create_index(
            "ix_family_bed_open",
            ["resident_id"],
            unique=False,
            sqlite_where=sa.text("closed_on IS NULL AND deleted = 0"),
            postgresql_where=sa.text("closed_on IS NULL AND deleted = 0"),
        )
        batch_op.create_index(batch_op.f("ix_family_bed_resident_id"), ["resident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_family_bed_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "bed_check",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("origin_device", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_clocks", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("bed_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("staff_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("findings", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("orders_done", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["bed_id"],
            ["family_bed.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bed_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bed_check_bed_id"), ["bed_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bed_check_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "bed_order",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("origin_device", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_clocks", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("bed_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("stop", sa.Date(), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["bed_id"],
            ["family_bed.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bed_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bed_order_bed_id"), ["bed_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bed_order_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "medication_dispense",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("origin_device", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_clocks", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("medication_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("resident_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dispensed_on", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("collected_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["medication_id"],
            ["medication.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("medication_dispense", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_medication_dispense_medication_id"), ["medication_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_medication_dispense_resident_id"), ["resident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_medication_dispense_updated_at"), ["updated_at"], unique=False)

    op.add_column("medication", sa.Column("daily_quantity", sa.Float(), nullable=True))
    op.add_column(
        "medication",
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=sa.text("''")),
    )


def downgrade() -> None:
    op.drop_column("medication", "unit")  # SQLite 3.35+: ALTER TABLE ... DROP COLUMN, no copy
    op.drop_column("medication", "daily_quantity")

    with op.batch_alter_table("medication_dispense", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_dispense_updated_at"))
        batch_op.drop_index(batch_op.f("ix_medication_dispense_resident_id"))
        batch_op.drop_index(batch_op.f("ix_medication_dispense_medication_id"))

    op.drop_table("medication_dispense")
    with op.batch_alter_table("bed_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bed_order_updated_at"))
        batch_op.drop_index(batch_op.f("ix_bed_order_bed_id"))

    op.drop_table("bed_order")
    with op.batch_alter_table("bed_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bed_check_updated_at"))
        batch_op.drop_index(batch_op.f("ix_bed_check_bed_id"))

    op.drop_table("bed_check")
    with op.batch_alter_table("family_bed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_bed_updated_at"))
        batch_op.drop_index(batch_op.f("ix_family_bed_resident_id"))
        batch_op.drop_index("ix_family_bed_open", sqlite_where=sa.text("closed_on IS NULL AND deleted = 0"))

    op.drop_table("family_bed")
