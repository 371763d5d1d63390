"""Clinical rules of the national specification (issue #16): per-disease follow-up, referral outcomes, rechecks.

- ``visit`` gains the follow-up form's fields: one classification per disease (``hypertension_class``,
  ``diabetes_class``; ``chronic_class`` stays the visit's most severe one, which planning and older devices
  read), medication adherence, lifestyle advice, height (for the BMI) and the diabetic foot pulses. Visits
  saved before are given their per-disease classification from ``chronic_class`` for each disease the resident
  has (an older visit's one classification stood for both).
- ``referral`` gains ``outcome`` (admitted, returned, declined, not_needed): recording it closes the referral
  (``closed_on``).
- ``resident_facts`` gains ``followed_severity``: the most severe classification (0 controlled … 3
  complication) of the live follow-ups on the last follow-up day. From 1 (not controlled) up, the next follow-up
  is a recheck within ``recheck_days`` (14) instead of 90 days (DOMAIN §4). The visit triggers of 0005 are
  made again to keep it.

The annual health check needs no table: it is an ``assessment`` of kind ``annual_check`` (items as JSON).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_DAY = "CAST(julianday({}) - 1721424.5 AS INTEGER)"
_LIVE = "NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0)"
SEVERITY = "CASE {} WHEN 'complication' THEN 3 WHEN 'adverse_reaction' THEN 2 WHEN 'not_controlled' THEN 1 ELSE 0 END"
"""SQL: a classification's severity (the order of ``ChronicClass``)."""


def _seen(resident: str) -> str:
    return (
        f"(SELECT {_DAY.format('MAX(v.visit_date)')} FROM visit v WHERE v.resident_id = {resident} "
        f"AND v.outcome = 'seen' AND v.deleted = 0 AND {_LIVE})"
    )


def _followed(resident: str) -> str:
    return (
        f"(SELECT {_DAY.format('MAX(v.visit_date)')} FROM visit v WHERE v.resident_id = {resident} "
        f"AND v.chronic_class != '' AND v.deleted = 0 AND {_LIVE})"
    )


def _severity(resident: str) -> str:
    return (
        f"(SELECT MAX({SEVERITY.format('v.chronic_class')}) FROM visit v WHERE v.resident_id = {resident} "
        f"AND v.chronic_class != '' AND v.deleted = 0 AND {_LIVE} "
        f"AND v.visit_date = (SELECT MAX(w.visit_date) FROM visit w WHERE w.resident_id = {resident} "
        f"AND w.chronic_class != '' AND w.deleted = 0 "
        "AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = w.id AND c.deleted = 0)))"
    )


def _visits_of(resident: str) -> str:
    return (
        f"INSERT OR IGNORE INTO resident_facts (resident_id) VALUES ({resident}); "
        f"UPDATE resident_facts SET seen_day = {_seen(resident)}, followed_day = {_followed(resident)}, "
        f"followed_severity = {_severity(resident)} WHERE resident_id = {resident};"
    )


_NEW_DAY = _DAY.format("NEW.visit_date")
_NEW_SEVERITY = SEVERITY.format("NEW.chronic_class")

VISIT_TRIGGERS = (
    # a new live version only moves a fact later: no need to look at the resident's other visits
    "CREATE TRIGGER tr_facts_visit_added AFTER INSERT ON visit "
    "WHEN NEW.deleted = 0 AND NEW.corrects_id IS NULL AND (NEW.outcome = 'seen' OR NEW.chronic_class != '') "
    "AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = NEW.id AND c.deleted = 0) BEGIN "
    "INSERT OR IGNORE INTO resident_facts (resident_id) VALUES (NEW.resident_id); "
    "UPDATE resident_facts SET "
    f"seen_day = CASE WHEN NEW.outcome = 'seen' THEN MAX(COALESCE(seen_day, {_NEW_DAY}), {_NEW_DAY}) "
    "ELSE seen_day END, "
    f"followed_day = CASE WHEN NEW.chronic_class != '' THEN MAX(COALESCE(followed_day, {_NEW_DAY}), {_NEW_DAY}) "
    "ELSE followed_day END, "
    "followed_severity = CASE WHEN NEW.chronic_class = '' THEN followed_severity "
    f"WHEN followed_day IS NULL OR {_NEW_DAY} > followed_day THEN {_NEW_SEVERITY} "
    f"WHEN {_NEW_DAY} = followed_day THEN MAX(COALESCE(followed_severity, 0), {_NEW_SEVERITY}) "
    "ELSE followed_severity END "
    "WHERE resident_id = NEW.resident_id; END",
    # a correction takes the version it corrects out: look again
    "CREATE TRIGGER tr_facts_visit_corrected AFTER INSERT ON visit WHEN NEW.corrects_id IS NOT NULL BEGIN "
    f"{_visits_of('NEW.resident_id')} END",
    "CREATE TRIGGER tr_facts_visit_changed AFTER UPDATE OF resident_id, visit_date, outcome, chronic_class, "
    "deleted, corrects_id ON visit BEGIN "
    f"{_visits_of('OLD.resident_id')} {_visits_of('NEW.resident_id')} END",
    f"CREATE TRIGGER tr_facts_visit_removed AFTER DELETE ON visit BEGIN {_visits_of('OLD.resident_id')} END",
)
VISIT_TRIGGER_NAMES = (
    "tr_facts_visit_added",
    "tr_facts_visit_corrected",
    "tr_facts_visit_changed",
    "tr_facts_visit_removed",
)

_VISIT_COLUMNS = (
    ("hypertension_class", sqlmodel.sql.sqltypes.AutoString(), "''"),
    ("diabetes_class", sqlmodel.sql.sqltypes.AutoString(), "''"),
    ("adherence", sqlmodel.sql.sqltypes.AutoString(), "''"),
    ("lifestyle_advice", sqlmodel.sql.sqltypes.AutoString(), "''"),
    ("foot_pulse", sqlmodel.sql.sqltypes.AutoString(), "''"),
)


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN (no batch copy): the visit table keeps its triggers and is not rewritten
    for name, kind, default in _VISIT_COLUMNS:
        op.add_column("visit", sa.Column(name, kind, nullable=False, server_default=sa.text(default)))
    op.add_column("visit", sa.Column("height", sa.Float(), nullable=True))
    op.add_column(
        "referral",
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=sa.text("''")),
    )
    op.add_column("resident_facts", sa.Column("followed_severity", sa.Integer(), nullable=True))
    for disease, code in (("hypertension", "hypertension"), ("diabetes", "diabetes_t2")):
        op.execute(
            f"UPDATE visit SET {disease}_class = chronic_class WHERE chronic_class != '' AND EXISTS ("
            f"SELECT 1 FROM condition c WHERE c.resident_id = visit.resident_id AND c.code = '{code}' "
            "AND c.deleted = 0)"
        )
    if op.get_bind().dialect.name == "postgresql":
        # A server center keeps the visit triggers of 0005 (its own PL/pgSQL functions): followed_severity stays
        # empty there, so a server plans no 2-week recheck yet (docs/triage.md, "The 2-week recheck").
        return
    for name in VISIT_TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for trigger in VISIT_TRIGGERS:
        op.execute(trigger)
    op.execute(f"UPDATE resident_facts SET followed_severity = {_severity('resident_facts.resident_id')}")


def downgrade() -> None:
    spec = importlib.util.spec_from_file_location("_revision_0005", Path(__file__).with_name("0005_resident_facts.py"))
    assert spec is not None and spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in () if postgresql else VISIT_TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for trigger in () if postgresql else previous.TRIGGERS:
        if any(f"TRIGGER {name} " in trigger for name in VISIT_TRIGGER_NAMES):
            op.execute(trigger)
    op.drop_column("resident_facts", "followed_severity")
    op.drop_column("referral", "outcome")
    for name, _kind, _default in _VISIT_COLUMNS:
        op.drop_column("visit", name)
    op.drop_column("visit", "height")
