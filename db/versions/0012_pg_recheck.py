"""A PostgreSQL server's own catch-up: the 2-week recheck's fact (#16) kept there too, foreign keys deferrable.

Migration 0010 added ``followed_severity`` (the most severe classification of the live follow-ups on the last
follow-up day) and remade SQLite's visit triggers to keep it; a server's PL/pgSQL visit function of 0005 was
left as it was, so the column stayed empty there and a server center planned the 90-day follow-up only. This
revision remakes that function (``tr_facts_visits_of``: it recounts a resident's visit facts whenever one of
its visits is written) to count ``followed_severity`` as well, and fills the column from the records once.

It also makes the server's foreign keys ``DEFERRABLE INITIALLY IMMEDIATE``: checked at each statement as before,
unless a transaction defers them — as a sync import does (its rows come in any order; SQLite's
``PRAGMA defer_foreign_keys``), so a laptop's package imports into a server center (``app/store/pg_sync.py``).

A SQLite file has nothing to do here: 0010 did it. A separate revision rather than an edit of 0010, because a
server database already at 0010 would never run an edited 0010 again.

Revision ID: 0012
Revises: 0011 (written after 0010; 0011 was inserted before it when it landed)
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _revision(file_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_revision_{file_name[:4]}", Path(__file__).with_name(file_name))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _visits_function(assignments: str, refresh: ModuleType) -> str:
    """``tr_facts_visits_of(r_id)``: the PL/pgSQL function the visit trigger of 0005 calls per resident."""
    return (
        "CREATE OR REPLACE FUNCTION tr_facts_visits_of(r_id varchar) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
        f"{refresh._pg_refresh('r_id', assignments)} END $$"
    )


def _foreign_keys(deferrable: str) -> str:
    """Every foreign key of the schema made ``deferrable`` (``DEFERRABLE INITIALLY IMMEDIATE`` or ``NOT DEFERRABLE``)."""
    return (
        "DO $$ DECLARE r record; BEGIN FOR r IN SELECT conrelid::regclass AS t, conname FROM pg_constraint "
        "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace LOOP "
        f"EXECUTE format('ALTER TABLE %s ALTER CONSTRAINT %I {deferrable}', r.t, r.conname); END LOOP; END $$"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_foreign_keys("DEFERRABLE INITIALLY IMMEDIATE"))
    facts, rules = _revision("0005_resident_facts.py"), _revision("0010_clinical_rules.py")
    op.execute(_visits_function(f"{facts._PG_VISITS}, followed_severity = {rules._severity('r_id')}", facts))
    op.execute(f"UPDATE resident_facts SET followed_severity = {rules._severity('resident_facts.resident_id')}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_foreign_keys("NOT DEFERRABLE"))
    facts = _revision("0005_resident_facts.py")
    op.execute(_visits_function(facts._PG_VISITS, facts))
    op.execute("UPDATE resident_facts SET followed_severity = NULL")
