"""Queries of referrals (转诊): the list per home or center, one referral to close, the home's green channel.

Functions take an open unit of work and plain values and return plain rows (tuples, dates as ISO text)
or models to change.
"""

from __future__ import annotations

from typing import Any

from app.store.models import Referral
from app.store.uow import UnitOfWork

Row = tuple[Any, ...]


def referrals(
    uow: UnitOfWork, *, institution_id: str | None, open_only: bool, resident_id: str | None = None
) -> list[Row]:
    """Return the live referrals (of the residents now in one institution, of one resident, or all), open ones
    first, then oldest first.

    Columns: ``(referral id, resident id, resident name, institution name, building, room, bed, destination,
    reason, urgent, green_channel, opened_on, closed_on, outcome, visit id)``.
    """
    # one resident's (the record): its row by the primary key, whose pages the record's header has just read;
    # ``r.deleted = 0`` would seek the reports' (deleted, id) index instead, two more pages a record
    where = ["f.deleted = 0", "NOT r.deleted" if resident_id else "r.deleted = 0"]
    params: dict[str, Any] = {}
    if institution_id:
        where.append("r.institution_id = :i")
        params["i"] = institution_id
    if resident_id:
        where.append("f.resident_id = :r")
        params["r"] = resident_id
    if open_only:
        where.append("f.closed_on IS NULL")
    return uow.fast_rows(
        "SELECT f.id, f.resident_id, r.name, i.name, r.building, r.room, r.bed, f.destination, f.reason, f.urgent, "
        "f.green_channel, f.opened_on, f.closed_on, f.outcome, f.visit_id "
        "FROM referral f JOIN resident r ON r.id = f.resident_id JOIN institution i ON i.id = r.institution_id "
        f"WHERE {' AND '.join(where)} "
        "ORDER BY f.closed_on IS NOT NULL, f.opened_on, i.name, r.building, length(r.room), r.room, r.name, f.id",
        params,
    )


def referral(uow: UnitOfWork, referral_id: str) -> Referral | None:
    """Return the live referral ``referral_id`` (an id or its first characters, if unique), or None."""
    found = uow.session.get(Referral, referral_id)
    if found is not None:
        return None if found.deleted else found
    rows = uow.fast_rows(
        "SELECT id FROM referral WHERE deleted = 0 AND id LIKE :prefix || '%' LIMIT 2", {"prefix": referral_id}
    )
    if len(rows) != 1 or len(referral_id) < 6:
        return None
    return uow.session.get(Referral, rows[0][0])


def green_channel_of_resident(uow: UnitOfWork, resident_id: str) -> str:
    """Return the green-channel hospital of the resident's institution ("" when none is named)."""
    rows = uow.fast_rows(
        "SELECT i.green_channel_hospital FROM resident r JOIN institution i ON i.id = r.institution_id WHERE r.id = :r",
        {"r": resident_id},
    )
    return str(rows[0][0] or "") if rows else ""


def returned_referral_day(uow: UnitOfWork, resident_id: str) -> str | None:
    """Return the latest day a referral of the resident closed with "treated and returned" (ISO), or None."""
    rows = uow.fast_rows(
        "SELECT MAX(closed_on) FROM referral WHERE resident_id = :r AND deleted = 0 AND outcome = 'returned'",
        {"r": resident_id},
    )
    return rows[0][0] if rows and rows[0][0] else None
