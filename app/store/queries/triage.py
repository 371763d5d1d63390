"""Queries of the triage capability (分类管理): the rule set, the facts the rules need in bulk, suggestions
stored as bookkeeping, decisions and their history.

Functions take an open unit of work and plain values (a :class:`Scope` for the bulk loads) and return plain
rows (tuples, dates as ISO text) or models to change. The bulk loads are a handful of statements for the
whole center (or one institution, or a list of residents), never one per resident.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import select

from app.store.models import Resident, TriageRuleSet
from app.store.uow import UnitOfWork

Row = tuple[Any, ...]

_CHUNK = 500

# --- the rule set ------------------------------------------------------------------------------------------


def active_rule_set(uow: UnitOfWork) -> TriageRuleSet | None:
    """Return the live active rule set with the newest clock, or None."""
    return uow.session.exec(
        select(TriageRuleSet)
        .where(TriageRuleSet.deleted == False, TriageRuleSet.active == True)
        .order_by(TriageRuleSet.updated_at.desc())  # type: ignore[attr-defined]
    ).first()


def other_active_rule_sets(uow: UnitOfWork, keep_id: str) -> list[TriageRuleSet]:
    """Return the active rule sets other than ``keep_id`` (to deactivate)."""
    return list(
        uow.session.exec(select(TriageRuleSet).where(TriageRuleSet.id != keep_id, TriageRuleSet.active == True))
    )


# --- facts in bulk -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which residents a bulk load covers: all in residence, one institution's, or a list."""

    institution_id: str | None = None
    resident_ids: tuple[str, ...] | None = None

    def resident_filter(self, alias: str = "r") -> tuple[str, dict[str, Any]]:
        """Return the SQL condition on the resident table and its parameters."""
        where = f"{alias}.deleted = 0 AND {alias}.status = 'in_residence'"
        params: dict[str, Any] = {}
        if self.institution_id is not None:
            where += f" AND {alias}.institution_id = :scope_institution"
            params["scope_institution"] = self.institution_id
        if self.resident_ids is not None:
            where += f" AND {alias}.id IN (SELECT value FROM json_each(:scope_ids))"
            params["scope_ids"] = json.dumps(list(self.resident_ids))
        return where, params

    def related_filter(self, column: str = "resident_id") -> tuple[str, dict[str, Any]]:
        """Return an SQL condition limiting a related table's ``resident_id`` to the scope ("" for all).

        For a list of residents it is the list itself: rows of a listed resident no longer in residence
        may come back, and the bulk loads ignore them (cheaper than finding the list's residents first).
        """
        if self.institution_id is None and self.resident_ids is None:
            return "", {}
        if self.institution_id is None and self.resident_ids is not None:
            return f" AND {column} IN (SELECT value FROM json_each(:scope_ids))", {
                "scope_ids": json.dumps(list(self.resident_ids))
            }
        where, params = self.resident_filter("s")
        return f" AND {column} IN (SELECT s.id FROM resident s WHERE {where})", params


def residents(uow: UnitOfWork, scope: Scope) -> list[Row]:
    """Return the residents in residence within ``scope``.

    Columns: ``(id, name, sex, birth_date, institution_id, building, room, bed, colour, suggested_colour,
    hospice, family_bed, family_bed_start, family_bed_end, care_level, phone (else the guardian's))``.
    """
    where, params = scope.resident_filter()
    return uow.fast_rows(
        "SELECT r.id, r.name, r.sex, r.birth_date, r.institution_id, r.building, r.room, r.bed, r.colour, "
        "r.suggested_colour, r.hospice, r.family_bed, r.family_bed_start, r.family_bed_end, r.care_level, "
        f"COALESCE(NULLIF(r.phone, ''), r.guardian_phone) FROM resident r WHERE {where}",
        params,
    )


def latest_assessments(uow: UnitOfWork, scope: Scope) -> list[Row]:
    """Return ``(resident_id, kind, assessed_on, score)`` of each resident's latest self-care, AD8 (interpretable)
    and fall assessment."""
    related, related_params = scope.related_filter()
    if uow.database.is_server:  # PostgreSQL has no SQLite's "bare column of the MAX() row"
        return uow.fast_rows(
            "SELECT DISTINCT ON (resident_id, kind) resident_id, kind, assessed_on, score FROM assessment "
            f"WHERE deleted = 0 AND kind IN ('self_care', 'ad8', 'fall'){related} "
            "ORDER BY resident_id, kind, assessed_on DESC, created_at DESC, id DESC",
            related_params,
        )
    return uow.fast_rows(
        # an AD8 that is not interpretable (≥ 4 "don't know") says nothing: the latest interpretable one counts
        "SELECT resident_id, kind, MAX(assessed_on), score FROM assessment "
        f"WHERE deleted = 0 AND kind IN ('self_care', 'ad8', 'fall'){related} "
        "AND NOT (kind = 'ad8' AND result = 'not_interpretable') GROUP BY resident_id, kind",
        related_params,
    )


def active_conditions(uow: UnitOfWork, scope: Scope) -> list[Row]:
    """Return ``(resident_id, code, name)`` of the active conditions, in the order they were recorded."""
    related, related_params = scope.related_filter()
    return uow.fast_rows(
        # in the order they were recorded (an index on code must not reorder a resident's conditions)
        f"SELECT resident_id, code, name FROM condition WHERE deleted = 0 AND active = 1{related} "
        # PostgreSQL has no rowid: the moment each was made, then its id
        + ("ORDER BY created_at, id" if uow.database.is_server else "ORDER BY rowid"),
        related_params,
    )


def open_referrals(uow: UnitOfWork, scope: Scope) -> list[Row]:
    """Return ``(resident_id, opened_on, destination)`` of the open referrals, oldest first."""
    related, related_params = scope.related_filter()
    return uow.fast_rows(
        "SELECT resident_id, opened_on, destination FROM referral "
        f"WHERE deleted = 0 AND closed_on IS NULL{related} ORDER BY opened_on",
        related_params,
    )


def referral_days(uow: UnitOfWork, scope: Scope) -> list[Row]:
    """Return ``(resident_id, last opened_on, last return)`` of the residents with live referrals: the day the
    latest referral was opened, and the latest day one closed with "treated and returned" (or None)."""
    related, related_params = scope.related_filter()
    return uow.fast_rows(
        "SELECT resident_id, MAX(opened_on), MAX(CASE WHEN outcome = 'returned' THEN closed_on END) FROM referral "
        f"WHERE deleted = 0{related} GROUP BY resident_id",
        related_params,
    )


def status_changes(uow: UnitOfWork, scope: Scope) -> list[Row]:
    """Return ``(resident_id, on_date, status)`` of the live status changes."""
    related, related_params = scope.related_filter()
    return uow.fast_rows(
        f"SELECT resident_id, on_date, status FROM statuschange WHERE deleted = 0{related}", related_params
    )


_UNCORRECTED = "NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0)"
"""A visit no later version corrects (``ix_visit_corrects`` finds the corrections)."""


def _classes(column: str) -> str:
    """SQL: the resident's last ``:classes`` values of ``column`` (a classification), newest first, "a,b"."""
    return f"""(SELECT group_concat(k.value, ',') FROM (
        SELECT v.{column} AS value FROM visit v
        WHERE v.resident_id = r.id AND v.chronic_class != '' AND v.{column} != '' AND v.deleted = 0
            AND {_UNCORRECTED}
        ORDER BY v.visit_date DESC, v.rowid DESC LIMIT :classes) k)"""


def _last(column: str) -> str:
    """SQL: ``(visit_date, value)`` of the resident's last visit that recorded ``column``, as "date|value"."""
    return f"""(SELECT CAST(v.visit_date AS TEXT) || '|' || CAST(v.{column} AS TEXT)
        FROM visit v INDEXED BY ix_visit_resident_date
        WHERE v.resident_id = r.id AND v.deleted = 0 AND v.{column} IS NOT NULL AND {_UNCORRECTED}
        ORDER BY v.visit_date DESC, v.rowid DESC LIMIT 1)"""


LATEST_VITALS = f"""
SELECT r.id, b.visit_date, b.sbp, b.dbp, g.visit_date, g.glucose,
    {_classes("chronic_class")}, {_classes("hypertension_class")}, {_classes("diabetes_class")},
    {_last("spo2")}, {_last("temperature")}, {_last("pulse")}
FROM resident r
LEFT JOIN visit b ON b.rowid = (
    SELECT v.rowid FROM visit v INDEXED BY ix_visit_resident_date
    WHERE v.resident_id = r.id AND v.deleted = 0 AND v.sbp IS NOT NULL AND v.dbp IS NOT NULL AND {_UNCORRECTED}
    ORDER BY v.visit_date DESC, v.rowid DESC LIMIT 1)
LEFT JOIN visit g ON g.rowid = (
    SELECT v.rowid FROM visit v INDEXED BY ix_visit_resident_date
    WHERE v.resident_id = r.id AND v.deleted = 0 AND v.glucose IS NOT NULL AND {_UNCORRECTED}
    ORDER BY v.visit_date DESC, v.rowid DESC LIMIT 1)
WHERE {{where}}
"""
_SERVER_ORDER = "v.visit_date DESC, v.created_at DESC, v.id DESC"
"""On PostgreSQL: no rowid (ties go by the moment the visit was made)."""


def _classes_server(column: str) -> str:
    return _classes(column).replace("v.visit_date DESC, v.rowid DESC", _SERVER_ORDER)


def _last_server(column: str) -> str:
    return (
        _last(column)
        .replace(" INDEXED BY ix_visit_resident_date", "")
        .replace("v.visit_date DESC, v.rowid DESC", _SERVER_ORDER)
    )


LATEST_VITALS_SERVER = f"""
SELECT r.id, b.visit_date, b.sbp, b.dbp, g.visit_date, g.glucose,
    {_classes_server("chronic_class")}, {_classes_server("hypertension_class")}, {_classes_server("diabetes_class")},
    {_last_server("spo2")}, {_last_server("temperature")}, {_last_server("pulse")}
FROM resident r
LEFT JOIN visit b ON b.id = (
    SELECT v.id FROM visit v
    WHERE v.resident_id = r.id AND v.deleted = 0 AND v.sbp IS NOT NULL AND v.dbp IS NOT NULL AND {_UNCORRECTED}
    ORDER BY {_SERVER_ORDER} LIMIT 1)
LEFT JOIN visit g ON g.id = (
    SELECT v.id FROM visit v
    WHERE v.resident_id = r.id AND v.deleted = 0 AND v.glucose IS NOT NULL AND {_UNCORRECTED}
    ORDER BY {_SERVER_ORDER} LIMIT 1)
WHERE {{where}}
"""
"""``LATEST_VITALS`` on PostgreSQL: no rowid (ties go by the moment the visit was made), no INDEXED BY."""


def latest_vitals(uow: UnitOfWork, scope: Scope, classes_wanted: int) -> list[Row]:
    """Return ``(resident_id, bp day, sbp, dbp, glucose day, glucose, classes "a,b,…" newest first, hypertension
    classes, diabetes classes, "day|SpO2", "day|temperature", "day|pulse")`` of the residents in residence within
    ``scope``.

    A few index seeks per resident, walking each one's visits backwards from the newest
    (``ix_visit_resident_date``, ``ix_visit_follow_up``): never the whole visit table.
    """
    where, params = scope.resident_filter()
    sql = LATEST_VITALS_SERVER if uow.database.is_server else LATEST_VITALS
    return uow.fast_rows(sql.format(where=where), {**params, "classes": classes_wanted})


# --- suggestions and decisions -----------------------------------------------------------------------------


def store_suggestions(uow: UnitOfWork, changed: Mapping[str, str]) -> None:
    """Store ``{resident id: suggested colour}`` with bulk updates, which bypass the flush listener that stamps
    clocks and audits: a suggestion is bookkeeping every device works out again, nobody's edit."""
    by_colour: dict[str, list[str]] = {}
    for resident_id, colour in changed.items():
        by_colour.setdefault(colour, []).append(resident_id)
    for colour, ids in by_colour.items():
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            uow.session.execute(
                update(Resident)
                .where(Resident.id.in_(chunk))  # type: ignore[attr-defined]
                .values(suggested_colour=colour)
                .execution_options(synchronize_session=False)
            )


def review_candidates(uow: UnitOfWork, scope: Scope) -> list[str]:
    """Return the residents within ``scope`` whose suggestion differs from their colour, or without any
    decision."""
    where, params = scope.resident_filter()
    return [
        row[0]
        for row in uow.fast_rows(
            f"SELECT r.id FROM resident r WHERE {where} AND (r.suggested_colour != r.colour "
            "OR NOT EXISTS (SELECT 1 FROM triagedecision d WHERE d.resident_id = r.id AND d.deleted = 0))",
            params,
        )
    ]


def latest_decisions(uow: UnitOfWork, resident_ids: Sequence[str]) -> list[Row]:
    """Return ``(resident_id, colour, suggested_colour, override_reason, decided_at)`` of each resident's
    latest decision."""
    if uow.database.is_server:  # no "bare column of the MAX() row" there
        return uow.fast_rows(
            "SELECT DISTINCT ON (resident_id) resident_id, colour, suggested_colour, override_reason, decided_at "
            "FROM triagedecision WHERE deleted = 0 AND resident_id IN (SELECT value FROM json_each(:ids)) "
            "ORDER BY resident_id, decided_at DESC",
            {"ids": json.dumps(list(resident_ids))},
        )
    return uow.fast_rows(
        "SELECT resident_id, colour, suggested_colour, override_reason, MAX(decided_at) FROM triagedecision "
        "WHERE deleted = 0 AND resident_id IN (SELECT value FROM json_each(:ids)) GROUP BY resident_id",
        {"ids": json.dumps(list(resident_ids))},
    )


def decision_history(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return the resident's decisions, newest first.

    Columns: ``(decided_at, colour, suggested_colour, reasons JSON, decided by, override_reason)``.
    """
    return uow.fast_rows(
        "SELECT d.decided_at, d.colour, d.suggested_colour, d.reasons, COALESCE(s.name, ''), d.override_reason "
        "FROM triagedecision d LEFT JOIN staff s ON s.id = d.confirmed_by "
        "WHERE d.resident_id = :id AND d.deleted = 0 ORDER BY d.decided_at DESC",
        {"id": resident_id},
    )


# --- what changed since the last refresh (the incremental refresh, SQLite) ---------------------------------


def suggestion_rows(uow: UnitOfWork, scope: Scope) -> list[Row]:
    """Return ``(id, colour, suggested_colour)`` of the residents in residence within ``scope``.

    On SQLite the table is read straight through (``NOT INDEXED``): nearly every resident is in residence, and
    finding them in ``ix_resident_bed`` first, then each row, took 3–4 times as long (100 000 residents).
    """
    where, params = scope.resident_filter()
    table = "resident r" if uow.database.is_server else "resident r NOT INDEXED"
    return uow.fast_rows(f"SELECT r.id, r.colour, r.suggested_colour FROM {table} WHERE {where}", params)


def audit_mark(uow: UnitOfWork) -> tuple[int, str]:
    """Return ``(rowid, id)`` of the audit entry added last (``(0, "")`` when there is none): SQLite only.

    The audit trail is append-only and SQLite gives each new row the next rowid, so every change committed
    after this one has a larger rowid, a sync import's entries included (they are added here, whatever their
    own clock says). One seek at the end of the table.
    """
    rows = uow.fast_rows("SELECT rowid, id FROM auditentry ORDER BY rowid DESC LIMIT 1")
    return (int(rows[0][0]), str(rows[0][1])) if rows else (0, "")


def audit_id_at(uow: UnitOfWork, rowid: int) -> str | None:
    """Return the id of the audit entry at ``rowid``, or None (SQLite only)."""
    rows = uow.fast_rows("SELECT id FROM auditentry WHERE rowid = :rowid", {"rowid": rowid})
    return str(rows[0][0]) if rows else None


def residents_changed_since(uow: UnitOfWork, rowid: int) -> set[str]:
    """Return the residents named by the audit entries after ``rowid`` (SQLite only): the resident a changed row
    belongs to, and the one it belonged to before when the change moved it (``resident_id`` changed); for a
    changed visit that corrects another (``corrects_id``), also the resident of the visit it corrects, now and
    before: a correction hides that visit whoever it belongs to, so adding, deleting or moving it changes their
    readings even when the two visits are no longer of the same resident (a correction moved, or merged)."""
    found: set[str] = set()
    corrected: set[str] = set()
    for resident_id, changes in uow.fast_rows(
        "SELECT resident_id, CASE WHEN changes LIKE '%\"resident\\_id\"%' ESCAPE '\\' "
        "OR changes LIKE '%\"corrects\\_id\"%' ESCAPE '\\' THEN changes END "
        "FROM auditentry WHERE rowid > :rowid",
        {"rowid": rowid},
    ):
        if resident_id:
            found.add(resident_id)
        if changes:
            found.update(_pair(changes, "resident_id"))
            corrected.update(_pair(changes, "corrects_id"))
    found.update(
        row[0]
        for row in uow.fast_rows(
            "SELECT o.resident_id FROM auditentry a JOIN visit v ON v.id = a.entity_id "
            "JOIN visit o ON o.id = v.corrects_id WHERE a.rowid > :rowid AND a.entity = 'visit'",
            {"rowid": rowid},
        )
    )
    if corrected:
        found.update(
            row[0]
            for row in uow.fast_rows(
                "SELECT resident_id FROM visit WHERE id IN (SELECT value FROM json_each(:ids))",
                {"ids": json.dumps(sorted(corrected))},
            )
        )
    return found


def _pair(changes: str, name: str) -> list[str]:
    """Return the values in an audit entry's ``{name: [old, new]}`` (nothing if unreadable)."""
    try:
        pair = json.loads(changes).get(name)
    except (TypeError, ValueError, AttributeError):
        return []
    values = pair if isinstance(pair, list) else [pair]
    return [value for value in values if isinstance(value, str) and value]


def imports_mark(uow: UnitOfWork) -> tuple[int, str]:
    """Return how many sync packages were imported and when the last one was (changes every import)."""
    rows = uow.fast_rows("SELECT COUNT(*), MAX(imported_at) FROM imported_package")
    return int(rows[0][0]), str(rows[0][1] or "")
