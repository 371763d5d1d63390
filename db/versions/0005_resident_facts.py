"""Each resident's due facts kept up to date by triggers: planning a week reads one narrow row per resident.

``resident_facts`` holds, per resident, the day (``date.toordinal()``) of the last visit with outcome "seen",
of the last annual health check and of the last chronic-disease follow-up — the three dated facts due
depends on (DOMAIN §6) — the codes of the resident's active conditions (``,code,code,``; which codes need
chronic follow-up is a triage rule, so planning asks the codes), and the resident's birth day and the day
counting starts from (admission, else signing) as day numbers, so planning parses no dates. Only *live* visits count: a version a later
correction replaced does not (a visit corrected from "seen" to "absent" no longer counts as seen).

The table is derived: it is not synced and has no stamps. Triggers on ``resident``, ``visit``,
``assessment`` and ``condition`` keep it
right whatever writes them (the services, a sync import, the demo), so it never needs a rebuild; the
upgrade fills it from the records once. ``app.store.resident_facts`` checks it against the records.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_DAY = "CAST(julianday({}) - 1721424.5 AS INTEGER)"

_LIVE = "NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0)"


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


def _checked(resident: str) -> str:
    return (
        f"(SELECT {_DAY.format('MAX(a.assessed_on)')} FROM assessment a WHERE a.resident_id = {resident} "
        "AND a.kind = 'annual_check' AND a.deleted = 0)"
    )


def _refresh(resident: str, assignments: str) -> str:
    """Statements setting ``assignments`` on the row of ``resident`` (a row is made first if there is none)."""
    return (
        f"INSERT OR IGNORE INTO resident_facts (resident_id) VALUES ({resident}); "
        f"UPDATE resident_facts SET {assignments} WHERE resident_id = {resident};"
    )


def _visits_of(resident: str) -> str:
    return _refresh(resident, f"seen_day = {_seen(resident)}, followed_day = {_followed(resident)}")


def _checks_of(resident: str) -> str:
    return _refresh(resident, f"checked_day = {_checked(resident)}")


def _codes(resident: str, alias: str = "") -> str:
    """``alias``: PostgreSQL (before 16) wants one for the subquery in FROM; SQLite's trigger text stays as it was."""
    return (
        "(SELECT ',' || group_concat(code, ',') || ',' FROM (SELECT DISTINCT c.code FROM condition c "
        f"WHERE c.resident_id = {resident} AND c.active = 1 AND c.deleted = 0 AND c.code != '' ORDER BY c.code)"
        f"{alias})"
    )


def _conditions_of(resident: str) -> str:
    return _refresh(resident, f"condition_codes = {_codes(resident)}")


def _resident_days(row: str) -> str:
    return _refresh(
        f"{row}.id",
        f"birth_day = {_DAY.format(f'{row}.birth_date')}, "
        f"since_day = {_DAY.format(f'COALESCE({row}.admission_date, {row}.signed_on)')}",
    )


_NEW_DAY = _DAY.format("NEW.visit_date")

TRIGGERS = (
    f"CREATE TRIGGER tr_facts_resident_added AFTER INSERT ON resident BEGIN {_resident_days('NEW')} END",
    "CREATE TRIGGER tr_facts_resident_changed AFTER UPDATE OF birth_date, admission_date, signed_on ON resident "
    f"BEGIN {_resident_days('NEW')} END",
    "CREATE TRIGGER tr_facts_resident_removed AFTER DELETE ON resident BEGIN "
    "DELETE FROM resident_facts WHERE resident_id = OLD.id; END",
    # a new live version only moves a fact later: no need to look at the resident's other visits
    "CREATE TRIGGER tr_facts_visit_added AFTER INSERT ON visit "
    "WHEN NEW.deleted = 0 AND NEW.corrects_id IS NULL AND (NEW.outcome = 'seen' OR NEW.chronic_class != '') "
    "AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = NEW.id AND c.deleted = 0) BEGIN "
    "INSERT OR IGNORE INTO resident_facts (resident_id) VALUES (NEW.resident_id); "
    "UPDATE resident_facts SET "
    f"seen_day = CASE WHEN NEW.outcome = 'seen' THEN MAX(COALESCE(seen_day, {_NEW_DAY}), {_NEW_DAY}) "
    "ELSE seen_day END, "
    f"followed_day = CASE WHEN NEW.chronic_class != '' THEN MAX(COALESCE(followed_day, {_NEW_DAY}), {_NEW_DAY}) "
    "ELSE followed_day END "
    "WHERE resident_id = NEW.resident_id; END",
    # a correction takes the version it corrects out: look again
    "CREATE TRIGGER tr_facts_visit_corrected AFTER INSERT ON visit WHEN NEW.corrects_id IS NOT NULL BEGIN "
    f"{_visits_of('NEW.resident_id')} END",
    "CREATE TRIGGER tr_facts_visit_changed AFTER UPDATE OF resident_id, visit_date, outcome, chronic_class, "
    "deleted, corrects_id ON visit BEGIN "
    f"{_visits_of('OLD.resident_id')} {_visits_of('NEW.resident_id')} END",
    f"CREATE TRIGGER tr_facts_visit_removed AFTER DELETE ON visit BEGIN {_visits_of('OLD.resident_id')} END",
    "CREATE TRIGGER tr_facts_check_added AFTER INSERT ON assessment "
    f"WHEN NEW.kind = 'annual_check' AND NEW.deleted = 0 BEGIN {_checks_of('NEW.resident_id')} END",
    "CREATE TRIGGER tr_facts_check_changed AFTER UPDATE OF resident_id, kind, assessed_on, deleted ON assessment "
    f"BEGIN {_checks_of('OLD.resident_id')} {_checks_of('NEW.resident_id')} END",
    f"CREATE TRIGGER tr_facts_check_removed AFTER DELETE ON assessment BEGIN {_checks_of('OLD.resident_id')} END",
    "CREATE TRIGGER tr_facts_condition_added AFTER INSERT ON condition "
    f"WHEN NEW.active = 1 AND NEW.deleted = 0 BEGIN {_conditions_of('NEW.resident_id')} END",
    "CREATE TRIGGER tr_facts_condition_changed AFTER UPDATE OF resident_id, code, active, deleted ON condition "
    f"BEGIN {_conditions_of('OLD.resident_id')} {_conditions_of('NEW.resident_id')} END",
    "CREATE TRIGGER tr_facts_condition_removed AFTER DELETE ON condition "
    f"BEGIN {_conditions_of('OLD.resident_id')} END",
)

TRIGGER_NAMES = (
    "tr_facts_resident_added",
    "tr_facts_resident_changed",
    "tr_facts_resident_removed",
    "tr_facts_visit_added",
    "tr_facts_visit_corrected",
    "tr_facts_visit_changed",
    "tr_facts_visit_removed",
    "tr_facts_check_added",
    "tr_facts_check_changed",
    "tr_facts_check_removed",
    "tr_facts_condition_added",
    "tr_facts_condition_changed",
    "tr_facts_condition_removed",
)


def _pg_refresh(resident: str, assignments: str) -> str:
    """PL/pgSQL statements setting ``assignments`` on the row of ``resident`` (a row is made first if there is none)."""
    return (
        f"INSERT INTO resident_facts (resident_id) VALUES ({resident}) ON CONFLICT DO NOTHING; "
        f"UPDATE resident_facts SET {assignments} WHERE resident_id = {resident};"
    )


def _pg_function(name: str, body: str) -> str:
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"


# PostgreSQL: the same facts by PL/pgSQL row triggers, each recounting the resident's facts from the records
# (the SQLite triggers' incremental shortcut for a new visit is left out: the recount is a few index seeks).
# The subqueries are the SQLite ones: julianday(), group_concat() and 0/1 booleans exist there (app/store/pg_compat).
_PG_VISITS = f"seen_day = {_seen('r_id')}, followed_day = {_followed('r_id')}"
PG_FUNCTIONS = (
    _pg_function(
        "tr_facts_resident",
        "IF TG_OP = 'DELETE' THEN DELETE FROM resident_facts WHERE resident_id = OLD.id; RETURN NULL; END IF; "
        + _pg_refresh(
            "NEW.id",
            f"birth_day = {_DAY.format('NEW.birth_date')}, "
            f"since_day = {_DAY.format('COALESCE(NEW.admission_date, NEW.signed_on)')}",
        ),
    ),
    "CREATE FUNCTION tr_facts_visits_of(r_id varchar) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
    f"{_pg_refresh('r_id', _PG_VISITS)} END $$",
    "CREATE FUNCTION tr_facts_checks_of(r_id varchar) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
    + _pg_refresh("r_id", "checked_day = " + _checked("r_id"))
    + " END $$",
    "CREATE FUNCTION tr_facts_conditions_of(r_id varchar) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
    + _pg_refresh("r_id", "condition_codes = " + _codes("r_id", " AS codes"))
    + " END $$",
)


def _pg_each(table: str, refresh: str) -> str:
    """A trigger function calling ``refresh(resident)`` for the old and the new row's resident."""
    return _pg_function(
        f"tr_facts_{table}",
        f"IF TG_OP <> 'INSERT' THEN PERFORM {refresh}(OLD.resident_id); END IF; "
        f"IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.resident_id IS DISTINCT FROM OLD.resident_id) "
        f"THEN PERFORM {refresh}(NEW.resident_id); END IF;",
    )


PG_TRIGGERS = (
    _pg_each("visit", "tr_facts_visits_of"),
    _pg_each("assessment", "tr_facts_checks_of"),
    _pg_each("condition", "tr_facts_conditions_of"),
    "CREATE TRIGGER tr_facts_resident_added AFTER INSERT ON resident FOR EACH ROW EXECUTE FUNCTION tr_facts_resident()",
    "CREATE TRIGGER tr_facts_resident_changed AFTER UPDATE OF birth_date, admission_date, signed_on ON resident "
    "FOR EACH ROW EXECUTE FUNCTION tr_facts_resident()",
    "CREATE TRIGGER tr_facts_resident_removed AFTER DELETE ON resident FOR EACH ROW EXECUTE FUNCTION tr_facts_resident()",
    "CREATE TRIGGER tr_facts_visit_changed AFTER INSERT OR DELETE OR UPDATE OF resident_id, visit_date, outcome, "
    "chronic_class, deleted, corrects_id ON visit FOR EACH ROW EXECUTE FUNCTION tr_facts_visit()",
    "CREATE TRIGGER tr_facts_check_changed AFTER INSERT OR DELETE OR UPDATE OF resident_id, kind, assessed_on, deleted "
    "ON assessment FOR EACH ROW EXECUTE FUNCTION tr_facts_assessment()",
    "CREATE TRIGGER tr_facts_condition_changed AFTER INSERT OR DELETE OR UPDATE OF resident_id, code, active, deleted "
    "ON condition FOR EACH ROW EXECUTE FUNCTION tr_facts_condition()",
)
PG_TRIGGER_TABLES = (
    ("tr_facts_resident_added", "resident"),
    ("tr_facts_resident_changed", "resident"),
    ("tr_facts_resident_removed", "resident"),
    ("tr_facts_visit_changed", "visit"),
    ("tr_facts_check_changed", "assessment"),
    ("tr_facts_condition_changed", "condition"),
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "resident_facts",
        sa.Column("resident_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("seen_day", sa.Integer(), nullable=True),
        sa.Column("checked_day", sa.Integer(), nullable=True),
        sa.Column("followed_day", sa.Integer(), nullable=True),
        sa.Column("condition_codes", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("birth_day", sa.Integer(), nullable=True),
        sa.Column("since_day", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("resident_id"),
        sqlite_with_rowid=False,
    )
    for trigger in (*PG_FUNCTIONS, *PG_TRIGGERS) if postgresql else TRIGGERS:
        op.execute(trigger)
    op.execute(
        "INSERT INTO resident_facts "
        "(resident_id, seen_day, checked_day, followed_day, condition_codes, birth_day, since_day) "
        f"SELECT r.id, {_seen('r.id')}, {_checked('r.id')}, {_followed('r.id')}, "
        f"{_codes('r.id', ' AS codes' if postgresql else '')}, "
        f"{_DAY.format('r.birth_date')}, {_DAY.format('COALESCE(r.admission_date, r.signed_on)')} FROM resident r"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table in PG_TRIGGER_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in (
            "tr_facts_resident()",
            "tr_facts_visit()",
            "tr_facts_assessment()",
            "tr_facts_condition()",
            "tr_facts_visits_of(varchar)",
            "tr_facts_checks_of(varchar)",
            "tr_facts_conditions_of(varchar)",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
        op.drop_table("resident_facts")
        return
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("resident_facts")
