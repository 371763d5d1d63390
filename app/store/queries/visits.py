"""Queries of the visits capability (巡诊记录): visits and their versions, referrals, the status a visit set,
and the rounds visits are entered at.

Functions take an open unit of work and plain values and return plain rows (tuples, dates as ISO text)
or models to change. A visit's *latest version* is one no live visit corrects.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import select

from app.store.models import Referral
from app.store.uow import UnitOfWork

Row = tuple[Any, ...]

_LATEST = "NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0)"

# --- checks before a save ----------------------------------------------------------------------------------


def first_period_start(uow: UnitOfWork, resident_id: str) -> str | None:
    """Return the start (ISO) of the resident's first live residence period, or None."""
    rows = uow.fast_rows(
        "SELECT MIN(start_date) FROM residenceperiod WHERE resident_id = :id AND deleted = 0", {"id": resident_id}
    )
    return rows[0][0] if rows else None


def weights_up_to(uow: UnitOfWork, resident_id: str, day: date) -> list[Row]:
    """Return ``(visit_id, weight)`` of the latest versions with a weight up to ``day``, newest first."""
    return uow.fast_rows(
        "SELECT v.id, v.weight FROM visit v WHERE v.resident_id = :id AND v.deleted = 0 AND v.weight IS NOT NULL "
        f"AND v.visit_date <= :day AND {_LATEST} "
        "ORDER BY v.visit_date DESC, v.created_at DESC",
        {"id": resident_id, "day": day.isoformat()},
    )


def active_condition_codes(uow: UnitOfWork, resident_id: str) -> list[str]:
    """Return the codes of the resident's active coded conditions."""
    return [
        row[0]
        for row in uow.fast_rows(
            "SELECT code FROM condition WHERE resident_id = :id AND deleted = 0 AND active = 1 AND code != ''",
            {"id": resident_id},
        )
    ]


def latest_visit_key(uow: UnitOfWork, resident_id: str, round_id: str | None, day: date) -> Row | None:
    """Return ``(id, version, visit_date)`` of the latest version of the resident's visit at the round
    (``round_id`` None: outside rounds on ``day``), or None."""
    if round_id is not None:
        where, params = "v.round_id = :round", {"round": round_id}
    else:
        where, params = "v.round_id IS NULL AND v.visit_date = :day", {"day": day.isoformat()}
    rows = uow.fast_rows(
        f"SELECT v.id, v.version, v.visit_date FROM visit v WHERE v.resident_id = :resident AND v.deleted = 0 "
        f"AND {where} AND {_LATEST} "
        "ORDER BY v.version DESC, v.created_at DESC LIMIT 1",
        {"resident": resident_id, **params},
    )
    return rows[0] if rows else None


def resident_for_visit(uow: UnitOfWork, resident_id: str) -> Row | None:
    """Return the live resident as the visit form shows them, or None.

    Columns: ``(id, name, sex, birth_date, institution_id, institution, building, room, bed, status, colour,
    green_channel_hospital, admission_date)``.
    """
    rows = uow.fast_rows(
        "SELECT r.id, r.name, r.sex, r.birth_date, r.institution_id, i.name, r.building, r.room, r.bed, "
        "r.status, r.colour, i.green_channel_hospital, r.admission_date FROM resident r "
        "JOIN institution i ON i.id = r.institution_id WHERE r.id = :id AND r.deleted = 0",
        {"id": resident_id},
    )
    return rows[0] if rows else None


# --- history -----------------------------------------------------------------------------------------------

VISIT_COLUMNS = (
    "v.id, v.resident_id, v.round_id, r.round_date, v.visit_date, v.outcome, v.sbp, v.dbp, v.pulse, "
    "v.temperature, v.spo2, v.glucose, v.glucose_fasting, v.weight, v.findings, v.actions, "
    "v.medication_changes, v.chronic_class, v.next_visit_note, v.late_reason, v.version, v.corrects_id, "
    "v.recorded_by, COALESCE(s.name, ''), v.created_at, v.hypertension_class, v.diabetes_class, v.adherence, "
    "v.lifestyle_advice, v.height, v.foot_pulse"
)
"""The columns :func:`visits_of` returns, in order."""

_VISIT_FROM = "FROM visit v LEFT JOIN round r ON r.id = v.round_id LEFT JOIN staff s ON s.id = v.recorded_by"


def visits_of(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return every live version of the resident's visits (the columns of :data:`VISIT_COLUMNS`)."""
    return uow.fast_rows(
        f"SELECT {VISIT_COLUMNS} {_VISIT_FROM} WHERE v.resident_id = :id AND v.deleted = 0", {"id": resident_id}
    )


def visit_referrals(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return the resident's live referrals made at a visit, oldest first.

    Columns: ``(id, visit_id, destination, reason, urgent, green_channel, opened_on, closed_on)``.
    """
    return uow.fast_rows(
        "SELECT id, visit_id, destination, reason, urgent, green_channel, opened_on, closed_on FROM referral "
        "WHERE resident_id = :id AND deleted = 0 AND visit_id IS NOT NULL ORDER BY created_at",
        {"id": resident_id},
    )


def resident_of_visit(uow: UnitOfWork, visit_id: str) -> str | None:
    """Return the resident of the live visit ``visit_id``, or None."""
    rows = uow.fast_rows("SELECT resident_id FROM visit WHERE id = :id AND deleted = 0", {"id": visit_id})
    return rows[0][0] if rows else None


def first_referral(uow: UnitOfWork, visit_ids: Sequence[str]) -> Referral | None:
    """Return the oldest live referral made at one of ``visit_ids`` (to change), or None."""
    return uow.session.exec(
        select(Referral)
        .where(Referral.visit_id.in_(list(visit_ids)), Referral.deleted == False)  # type: ignore[union-attr]
        .order_by(Referral.created_at)  # type: ignore[arg-type]
    ).first()


# --- saving and correcting ---------------------------------------------------------------------------------


def latest_correction_version(uow: UnitOfWork, visit_id: str) -> int | None:
    """Return the highest version of the live visits correcting ``visit_id``, or None."""
    value: int | None = uow.fast_rows(
        "SELECT MAX(version) FROM visit WHERE corrects_id = :id AND deleted = 0", {"id": visit_id}
    )[0][0]
    return value


def correction_links(uow: UnitOfWork, resident_id: str) -> dict[str, Any]:
    """Return ``{visit id: id of the version it corrects}`` of the resident's live visits."""
    return dict(
        uow.fast_rows("SELECT id, corrects_id FROM visit WHERE resident_id = :id AND deleted = 0", {"id": resident_id})
    )


def suggestion_and_status(uow: UnitOfWork, resident_id: str) -> Row | None:
    """Return the resident's ``(suggested_colour, status)``, or None."""
    rows = uow.fast_rows("SELECT suggested_colour, status FROM resident WHERE id = :id", {"id": resident_id})
    return rows[0] if rows else None


# --- the status a visit set --------------------------------------------------------------------------------


def last_status_changes(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return ``(id, status, on_date)`` of the resident's two latest live status changes, newest first."""
    return uow.fast_rows(
        "SELECT id, status, on_date FROM statuschange WHERE resident_id = :id AND deleted = 0 "
        "ORDER BY on_date DESC, created_at DESC LIMIT 2",
        {"id": resident_id},
    )


def visits_on(uow: UnitOfWork, resident_id: str, day: date) -> list[Row]:
    """Return ``(id, outcome)`` of every live version of the resident's visits on ``day``."""
    return uow.fast_rows(
        "SELECT id, outcome FROM visit WHERE resident_id = :id AND visit_date = :day AND deleted = 0",
        {"id": resident_id, "day": day.isoformat()},
    )


def residence_periods(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return ``(id, start_date, end_date)`` of the resident's live residence periods, newest first."""
    return uow.fast_rows(
        "SELECT id, start_date, end_date FROM residenceperiod WHERE resident_id = :id AND deleted = 0 "
        "ORDER BY start_date DESC, created_at DESC",
        {"id": resident_id},
    )


# --- rounds for visit entry --------------------------------------------------------------------------------

_ROUND = (
    "SELECT r.id, r.round_date, COALESCE(t.name, '') FROM round r LEFT JOIN team t ON t.id = r.team_id "
    "WHERE r.deleted = 0 AND r.status != 'cancelled' "
)
"""Rounds not cancelled as ``(id, round_date, team name)``."""


def team_of(uow: UnitOfWork, staff_id: str) -> str | None:
    """Return the team of the staff member, or None."""
    found = uow.fast_rows("SELECT team_id FROM staff WHERE id = :id", {"id": staff_id})
    return found[0][0] if found else None


def team_rounds_on(uow: UnitOfWork, team_id: str, day: date) -> list[Row]:
    """Return the team's rounds on ``day`` as ``(id, round_date, team)``, oldest entered first."""
    return uow.fast_rows(
        _ROUND + "AND r.team_id = :team AND r.round_date = :today ORDER BY r.created_at",
        {"team": team_id, "today": day.isoformat()},
    )


def next_team_round(uow: UnitOfWork, team_id: str, day: date) -> Row | None:
    """Return the team's first round after ``day`` as ``(id, round_date, team)``, or None."""
    rows = uow.fast_rows(
        _ROUND + "AND r.team_id = :team AND r.round_date > :today ORDER BY r.round_date, r.created_at LIMIT 1",
        {"team": team_id, "today": day.isoformat()},
    )
    return rows[0] if rows else None


def recent_team_rounds(uow: UnitOfWork, team_id: str, start: date, day: date) -> list[Row]:
    """Return the team's rounds from ``start`` to ``day`` as ``(id, round_date, team)``, latest first."""
    return uow.fast_rows(
        _ROUND + "AND r.team_id = :team AND r.round_date BETWEEN :start AND :today "
        "ORDER BY r.round_date DESC, r.created_at",
        {"team": team_id, "today": day.isoformat(), "start": start.isoformat()},
    )


def recent_rounds(uow: UnitOfWork, start: date, day: date) -> list[Row]:
    """Return every round from ``start`` to ``day`` as ``(id, round_date, team)``, latest first, then by
    institution name."""
    return uow.fast_rows(
        _ROUND + "AND r.round_date BETWEEN :start AND :today "
        "ORDER BY r.round_date DESC, (SELECT name FROM institution WHERE id = r.institution_id)",
        {"start": start.isoformat(), "today": day.isoformat()},
    )


def rounds_for_entry(uow: UnitOfWork, start: date, day: date) -> list[Row]:
    """Return the rounds not cancelled from ``start`` to ``day``, latest first, then by institution.

    Columns: ``(id, institution_id, institution, round_date, status, team)``.
    """
    return uow.fast_rows(
        "SELECT r.id, r.institution_id, i.name, r.round_date, r.status, COALESCE(t.name, '') FROM round r "
        "JOIN institution i ON i.id = r.institution_id LEFT JOIN team t ON t.id = r.team_id "
        "WHERE r.deleted = 0 AND r.status != 'cancelled' AND r.round_date BETWEEN :a AND :b "
        "ORDER BY r.round_date DESC, i.name",
        {"a": start.isoformat(), "b": day.isoformat()},
    )


def round_of_resident_on(uow: UnitOfWork, resident_id: str, day: date) -> str | None:
    """Return the first round (not cancelled) of the resident's institution on ``day``, or None."""
    rows = uow.fast_rows(
        "SELECT r.id FROM round r JOIN resident p ON p.institution_id = r.institution_id "
        "WHERE p.id = :id AND r.deleted = 0 AND r.status != 'cancelled' AND r.round_date = :day "
        "ORDER BY r.created_at LIMIT 1",
        {"id": resident_id, "day": day.isoformat()},
    )
    return str(rows[0][0]) if rows else None


def visits_at_round(uow: UnitOfWork, round_id: str) -> list[Row]:
    """Return the latest versions of the visits at a round with their residents, oldest version first.

    Columns: ``(id, resident_id, version, outcome, sbp, dbp, pulse, temperature, spo2, glucose,
    glucose_fasting, name, sex, birth_date, building, room, bed, colour)``.
    """
    return uow.fast_rows(
        "SELECT v.id, v.resident_id, v.version, v.outcome, v.sbp, v.dbp, v.pulse, v.temperature, v.spo2, "
        "v.glucose, v.glucose_fasting, p.name, p.sex, p.birth_date, p.building, p.room, p.bed, p.colour "
        f"FROM visit v JOIN resident p ON p.id = v.resident_id WHERE v.round_id = :round AND v.deleted = 0 "
        f"AND {_LATEST} "
        "ORDER BY v.version, v.created_at",
        {"round": round_id},
    )
