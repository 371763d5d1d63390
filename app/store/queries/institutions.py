"""Queries of the institutions capability (签约机构): institutions and their agreements.

Functions take an open unit of work and plain values and return plain rows (tuples, dates as ISO text)
or models to change.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from app.store.models import Agreement, Institution
from app.store.uow import UnitOfWork

Row = tuple[Any, ...]


def institutions(uow: UnitOfWork) -> list[Any]:
    """Return ``(id, name, kind)`` of every institution not removed, by name."""
    return uow.rows("SELECT id, name, kind FROM institution WHERE deleted = 0 ORDER BY name")


def all_names(uow: UnitOfWork) -> dict[str, str]:
    """Return ``{id: name}`` of every institution, removed ones too."""
    return dict(uow.fast_rows("SELECT id, name FROM institution"))


def live_names(uow: UnitOfWork) -> dict[str, str]:
    """Return ``{id: name}`` of the institutions not removed."""
    return dict(uow.fast_rows("SELECT id, name FROM institution WHERE deleted = 0"))


def name_of(uow: UnitOfWork, institution_id: str) -> str | None:
    """Return the institution's name (removed or not), or None when there is no such institution."""
    rows = uow.fast_rows("SELECT name FROM institution WHERE id = :i", {"i": institution_id})
    return str(rows[0][0]) if rows else None


def agreements(uow: UnitOfWork, institution_id: str | None = None) -> list[Row]:
    """Return the live agreements (of one institution, or all), newest start first.

    Columns: ``(id, institution_id, start_date, end_date, services, round_weekdays, min_rounds_per_week,
    team_id, team name, updated by)``.
    """
    where = "a.deleted = 0" + (" AND a.institution_id = :i" if institution_id else "")
    return uow.fast_rows(
        "SELECT a.id, a.institution_id, a.start_date, a.end_date, a.services, a.round_weekdays, "
        "a.min_rounds_per_week, a.team_id, COALESCE(t.name, ''), COALESCE(s.name, '') FROM agreement a "
        "LEFT JOIN team t ON t.id = a.team_id LEFT JOIN staff s ON s.id = a.updated_by "
        f"WHERE {where} ORDER BY a.start_date DESC",
        {"i": institution_id} if institution_id else {},
    )


def live_agreements_of(uow: UnitOfWork, institution_id: str) -> list[Agreement]:
    """Return the institution's live agreements as models."""
    return list(
        uow.session.exec(
            select(Agreement).where(Agreement.institution_id == institution_id, Agreement.deleted == False)
        )
    )


def overview_rows(uow: UnitOfWork) -> list[Row]:
    """Return ``(id, name, kind, beds, medical_unit)`` of every institution not removed, by name."""
    return uow.fast_rows("SELECT id, name, kind, beds, medical_unit FROM institution WHERE deleted = 0 ORDER BY name")


def residents_in_residence(uow: UnitOfWork) -> dict[str, tuple[int, int]]:
    """Return ``{institution_id: (residents in residence, of whom signed)}``."""
    return {
        row[0]: (row[1], row[2])
        for row in uow.fast_rows(
            "SELECT institution_id, COUNT(*), COUNT(signed_on) FROM resident "
            "WHERE deleted = 0 AND status = 'in_residence' GROUP BY institution_id"
        )
    }


def details(uow: UnitOfWork, institution_id: str) -> Row | None:
    """Return the live institution's fields and who changed it last, or None.

    Columns: ``(id, name, kind, address, beds, medical_unit, contact_person, contact_phone,
    green_channel_hospital, green_channel_phone, updated by)``.
    """
    rows = uow.fast_rows(
        "SELECT i.id, i.name, i.kind, i.address, i.beds, i.medical_unit, i.contact_person, i.contact_phone, "
        "i.green_channel_hospital, i.green_channel_phone, COALESCE(s.name, '') FROM institution i "
        "LEFT JOIN staff s ON s.id = i.updated_by WHERE i.id = :i AND i.deleted = 0",
        {"i": institution_id},
    )
    return rows[0] if rows else None


def live_by_name(uow: UnitOfWork, name: str) -> Institution | None:
    """Return the first live institution called exactly ``name``, or None."""
    return uow.session.exec(select(Institution).where(Institution.name == name, Institution.deleted == False)).first()
