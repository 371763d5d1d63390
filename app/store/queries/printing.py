"""Queries of the printed documents (打印): round sheets, triage lists and overdue lists.

Functions take an open unit of work and plain values and return plain rows (tuples, dates as ISO text).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from app.store.queries.rounds import had_condition_on
from app.store.uow import UnitOfWork

Row = tuple[Any, ...]


def center_name(uow: UnitOfWork) -> str:
    """Return the center's name, or "" before it has one."""
    rows = uow.fast_rows("SELECT name FROM center WHERE deleted = 0 LIMIT 1")
    return str(rows[0][0]) if rows else ""


def team_doctors_and_nurses(uow: UnitOfWork, team_id: str) -> list[Row]:
    """Return ``(role, name, phone)`` of the team's active doctors and nurses, by role and name."""
    return uow.fast_rows(
        "SELECT role, name, phone FROM staff WHERE team_id = :t AND deleted = 0 AND active = 1 "
        "AND role IN ('doctor', 'nurse') ORDER BY role, name",
        {"t": team_id},
    )


def recorded_at_round(uow: UnitOfWork, round_id: str) -> list[Row]:
    """Return the live visits recorded at a round, oldest version first.

    Columns: ``(resident_id, outcome, sbp, dbp, pulse, glucose, temperature, findings, actions)``.
    """
    return uow.fast_rows(
        "SELECT v.resident_id, v.outcome, v.sbp, v.dbp, v.pulse, v.glucose, v.temperature, "
        "v.findings, v.actions FROM visit v WHERE v.round_id = :round AND v.deleted = 0 "
        "AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0) "
        "ORDER BY v.version, v.created_at",
        {"round": round_id},
    )


_HAD_ON = had_condition_on("", ":before")
"""A condition the resident had on the day ``:before`` (see :func:`~app.store.queries.rounds.had_condition_on`)."""

_INSIDE = "resident_id IN (SELECT value FROM json_each(:ids))"


def _ids(resident_ids: Sequence[str], before: date | None) -> dict[str, Any]:
    return {"ids": json.dumps(list(resident_ids)), "before": (before or date.max).isoformat()}


def sheet_conditions(uow: UnitOfWork, resident_ids: Sequence[str], *, before: date | None) -> list[Row]:
    """Return ``(resident_id, code, name)``: the conditions the residents had on ``before``, else active now."""
    return uow.fast_rows(
        f"SELECT resident_id, code, name FROM condition WHERE deleted = 0 AND {_INSIDE} "
        f"AND {_HAD_ON if before is not None else 'active = 1'} ORDER BY resident_id, diagnosed_on, name",
        _ids(resident_ids, before),
    )


def sheet_allergies(uow: UnitOfWork, resident_ids: Sequence[str]) -> list[Row]:
    """Return ``(resident_id, substance)`` of the residents' allergies."""
    return uow.fast_rows(
        f"SELECT resident_id, substance FROM allergy WHERE deleted = 0 AND {_INSIDE}", _ids(resident_ids, None)
    )


def last_seen_before(uow: UnitOfWork, resident_ids: Sequence[str], *, before: date | None) -> list[Row]:
    """Return ``(resident_id, visit_date, sbp, dbp, glucose, glucose_fasting)`` of each resident's last
    "seen" visit before ``before`` (or at all)."""
    if uow.database.is_server:  # PostgreSQL has no SQLite's "bare columns of the MAX() row"
        return uow.fast_rows(
            "SELECT DISTINCT ON (resident_id) resident_id, visit_date, sbp, dbp, glucose, glucose_fasting FROM visit "
            f"WHERE outcome = 'seen' AND deleted = 0 AND visit_date < :before AND {_INSIDE} "
            "ORDER BY resident_id, visit_date DESC, created_at DESC",
            _ids(resident_ids, before),
        )
    return uow.fast_rows(
        "SELECT resident_id, MAX(visit_date), sbp, dbp, glucose, glucose_fasting FROM visit "
        f"WHERE outcome = 'seen' AND deleted = 0 AND visit_date < :before AND {_INSIDE} GROUP BY resident_id",
        _ids(resident_ids, before),
    )


def last_annual_checks(uow: UnitOfWork, resident_ids: Sequence[str], *, before: date | None) -> list[Row]:
    """Return ``(resident_id, assessed_on)`` of each resident's last annual health check before ``before`` (or
    at all)."""
    return uow.fast_rows(
        "SELECT resident_id, MAX(assessed_on) FROM assessment WHERE kind = 'annual_check' AND deleted = 0 "
        f"AND assessed_on < :before AND {_INSIDE} GROUP BY resident_id",
        _ids(resident_ids, before),
    )


def green_channel(uow: UnitOfWork, institution_id: str) -> Row | None:
    """Return the institution's ``(name, green_channel_hospital, green_channel_phone)``, or None."""
    rows = uow.fast_rows(
        "SELECT name, green_channel_hospital, green_channel_phone FROM institution WHERE id = :i",
        {"i": institution_id},
    )
    return rows[0] if rows else None


def agreement_team(uow: UnitOfWork, institution_id: str, today: date) -> Row | None:
    """Return ``(team_id, team name, team phone)`` of the institution's agreement started by ``today``,
    a current one first, else the latest; None without one."""
    rows = uow.fast_rows(
        "SELECT a.team_id, COALESCE(t.name, ''), COALESCE(t.phone, '') FROM agreement a "
        "LEFT JOIN team t ON t.id = a.team_id WHERE a.institution_id = :i AND a.deleted = 0 "
        "AND a.start_date <= :today ORDER BY (a.end_date IS NULL OR a.end_date >= :today) DESC, a.start_date DESC",
        {"i": institution_id, "today": today.isoformat()},
    )
    return rows[0] if rows else None
