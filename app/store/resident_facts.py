"""Each resident's due facts, kept by SQLite triggers (migration 0005), and a check that they are right.

``resident_facts`` has one narrow row per resident: the day (``date.toordinal()``) of the last live visit
with outcome "seen" (``seen_day``), of the last annual check (``checked_day``) and of the last chronic-disease
follow-up (``followed_day``) and the most severe classification that day (``followed_severity``, 0–3: from 1 the
next follow-up is a 2-week recheck); the codes of the active conditions (``condition_codes``, ``,code,code,``
sorted); and the birth day and admission day (else signing day) from ``resident``. A visit is *live* when no
correction (a later version, ``corrects_id``) replaced it. Planning reads these rows instead of looking each
fact up in the visits and assessments (see :mod:`app.services.rounds.due`).

The triggers run inside every write to ``resident``, ``visit``, ``assessment`` and ``condition``, by whatever
path, so the table is right by construction; :func:`stale_facts` recomputes everything from the records, for
tests and for looking into a suspicious database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from app.store.sqlite import sqlite3

DAY_SQL = "CAST(julianday({}) - 1721424.5 AS INTEGER)"
"""SQL for a date as ``date.toordinal()``."""

SEVERITY_SQL = (
    "CASE {} WHEN 'complication' THEN 3 WHEN 'adverse_reaction' THEN 2 WHEN 'not_controlled' THEN 1 ELSE 0 END"
)
"""SQL: a classification's severity (the order of ``ChronicClass``; migration 0010)."""

LIVE_VISIT = "NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0)"
"""SQL: visit ``v`` is the version in force (no live correction replaced it)."""

_FROM_RECORDS = f"""
WITH seen AS (
    SELECT v.resident_id AS id, {DAY_SQL.format("MAX(v.visit_date)")} AS day FROM visit v
    WHERE v.outcome = 'seen' AND v.deleted = 0 AND {LIVE_VISIT} GROUP BY v.resident_id
), followed AS (
    SELECT v.resident_id AS id, {DAY_SQL.format("MAX(v.visit_date)")} AS day FROM visit v
    WHERE v.chronic_class != '' AND v.deleted = 0 AND {LIVE_VISIT} GROUP BY v.resident_id
), severity AS (
    SELECT v.resident_id AS id, MAX({SEVERITY_SQL.format("v.chronic_class")}) AS value FROM visit v
    JOIN followed f ON f.id = v.resident_id AND {DAY_SQL.format("v.visit_date")} = f.day
    WHERE v.chronic_class != '' AND v.deleted = 0 AND {LIVE_VISIT} GROUP BY v.resident_id
), checked AS (
    SELECT a.resident_id AS id, {DAY_SQL.format("MAX(a.assessed_on)")} AS day FROM assessment a
    WHERE a.kind = 'annual_check' AND a.deleted = 0 GROUP BY a.resident_id
), codes AS (
    SELECT id, ',' || group_concat(code, ',') || ',' AS codes FROM (
        SELECT DISTINCT resident_id AS id, code FROM condition
        WHERE active = 1 AND deleted = 0 AND code != '' ORDER BY resident_id, code
    ) AS distinct_codes GROUP BY id
), everyone AS (
    SELECT id FROM resident {{also}}
)
SELECT e.id, s.day, c.day, f.day, k.codes, {DAY_SQL.format("r.birth_date")},
    {DAY_SQL.format("COALESCE(r.admission_date, r.signed_on)")}, v.value FROM everyone e
LEFT JOIN seen s ON s.id = e.id LEFT JOIN checked c ON c.id = e.id LEFT JOIN followed f ON f.id = e.id
LEFT JOIN codes k ON k.id = e.id LEFT JOIN resident r ON r.id = e.id LEFT JOIN severity v ON v.id = e.id
"""
"""Every resident's facts worked out from the records in one pass (``{also}``: more ids to include)."""

_EXPECTED = _FROM_RECORDS.replace("{also}", "UNION SELECT resident_id FROM resident_facts")
_COLUMNS = "resident_id, seen_day, checked_day, followed_day, condition_codes, birth_day, since_day, followed_severity"

Facts = tuple[int | None, int | None, int | None, str | None, int | None, int | None, int | None]
"""seen, checked, followed (day ordinals), the active condition codes (``,code,code,``), birth and since days,
the most severe classification on the last follow-up day (0–3)."""


class StaleFacts(NamedTuple):
    """A resident whose stored facts differ from the records: stored and expected."""

    resident_id: str
    stored: Facts
    expected: Facts


def stale_facts(connection: sqlite3.Connection) -> list[StaleFacts]:
    """Return the residents whose ``resident_facts`` row does not match their visits and assessments.

    Every resident has a row (made when the resident is); a missing one counts as no facts at all, which
    differs for any resident. Empty: the table is right.
    """
    stored = {
        row[0]: (row[1], row[2], row[3], row[4], row[5], row[6], row[7])
        for row in connection.execute(f"SELECT {_COLUMNS} FROM resident_facts")
    }
    found: list[StaleFacts] = []
    for resident_id, seen, checked, followed, codes, birth, since, severity in connection.execute(_EXPECTED):
        wanted: Facts = (seen, checked, followed, codes, birth, since, severity)
        have = stored.get(resident_id, (None, None, None, None, None, None, None))
        if have != wanted:
            found.append(StaleFacts(resident_id, have, wanted))
    return found


def rebuild_facts(connection: sqlite3.Connection) -> int:
    """Work every resident's facts out again from the records (inside the caller's transaction).

    Returns:
        How many residents have a row.
    """
    connection.execute("DELETE FROM resident_facts")
    connection.execute(f"INSERT INTO resident_facts ({_COLUMNS}) {_FROM_RECORDS.replace('{also}', '')}")
    return int(connection.execute("SELECT COUNT(*) FROM resident_facts").fetchone()[0])


@contextmanager
def facts_rebuilt_after(connection: sqlite3.Connection) -> Iterator[None]:
    """Leave the facts triggers out of a bulk load, and rebuild the whole table once after it.

    For loads that defer the indexes the triggers' lookups need (the demo): row by row, each trigger would
    then scan the visits. Inside the load's transaction: if the load fails, its rollback puts the triggers
    back as they were.
    """
    triggers = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tr\\_facts\\_%' ESCAPE '\\'"
    ).fetchall()
    for name, _sql in triggers:
        connection.execute(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in triggers:
        connection.execute(sql)
    rebuild_facts(connection)
