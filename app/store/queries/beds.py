"""Queries of family sickbeds (家庭病床) and proxy refills (代配药).

Functions take an open unit of work and plain values and return plain rows (tuples, dates as ISO text)
or models to change.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from app.store.models import BedCheck, BedOrder, FamilyBed, Medication, MedicationDispense
from app.store.uow import UnitOfWork

Row = tuple[Any, ...]


# --- family beds ------------------------------------------------------------------------------------------


def open_bed_of(uow: UnitOfWork, resident_id: str) -> FamilyBed | None:
    """Return the resident's open bed (closed_on empty, not removed), or None."""
    return uow.session.exec(
        select(FamilyBed).where(
            FamilyBed.resident_id == resident_id, col(FamilyBed.closed_on).is_(None), FamilyBed.deleted == False
        )
    ).first()


def open_beds_of(uow: UnitOfWork, resident_id: str) -> list[FamilyBed]:
    """Return all the resident's open beds (not removed): one, or more after two devices each opened one."""
    return list(
        uow.session.exec(
            select(FamilyBed).where(
                FamilyBed.resident_id == resident_id, col(FamilyBed.closed_on).is_(None), FamilyBed.deleted == False
            )
        ).all()
    )


def last_closed_on(uow: UnitOfWork, resident_id: str) -> str | None:
    """Return the latest closing day (ISO text) of the resident's closed beds (not removed), or None."""
    from sqlalchemy import func

    value = uow.session.exec(
        select(func.max(FamilyBed.closed_on)).where(
            FamilyBed.resident_id == resident_id, col(FamilyBed.closed_on).is_not(None), FamilyBed.deleted == False
        )
    ).first()
    return None if value is None else str(value)


def beds(uow: UnitOfWork, *, institution_id: str | None, open_only: bool, resident_id: str | None = None) -> list[Row]:
    """Return the beds (of the residents now in one institution, or of all), open ones first, by home and bed.

    Columns: ``(bed id, resident id, resident name, institution name, building, room, bed, indication,
    doctor name, opened_on, closed_on, close_reason, care_plan, summary)``.
    """
    where = ["f.deleted = 0"]
    params: dict[str, Any] = {}
    if institution_id:
        where.append("r.institution_id = :i")
        params["i"] = institution_id
    if open_only:
        where.append("f.closed_on IS NULL")
    if resident_id:
        where.append("f.resident_id = :r")
        params["r"] = resident_id
    return uow.fast_rows(
        "SELECT f.id, r.id, r.name, COALESCE(i.name, ''), r.building, r.room, r.bed, f.indication, "
        "COALESCE(s.name, ''), f.opened_on, f.closed_on, f.close_reason, f.care_plan, f.summary "
        "FROM family_bed f JOIN resident r ON r.id = f.resident_id "
        "LEFT JOIN institution i ON i.id = r.institution_id LEFT JOIN staff s ON s.id = f.doctor_id "
        f"WHERE {' AND '.join(where)} "
        "ORDER BY f.closed_on IS NOT NULL, COALESCE(i.name, ''), r.building, length(r.room), r.room, "
        "length(r.bed), r.bed, r.name, f.opened_on",
        params,
    )


def orders_of(uow: UnitOfWork, bed_ids: list[str]) -> list[Row]:
    """Return the live orders of these beds: ``(bed id, order id, kind, every_days, start, stop, detail)``."""
    if not bed_ids:
        return []
    marks = ", ".join(f":b{n}" for n in range(len(bed_ids)))
    return uow.fast_rows(
        "SELECT bed_id, id, kind, every_days, start, stop, detail FROM bed_order "
        f"WHERE deleted = 0 AND bed_id IN ({marks}) ORDER BY start, created_at, id",
        {f"b{n}": bed_id for n, bed_id in enumerate(bed_ids)},
    )


def checks_of(uow: UnitOfWork, bed_ids: list[str]) -> list[Row]:
    """Return the live checks of these beds: ``(bed id, check id, checked_on, staff name, findings,
    orders_done JSON)``, oldest first."""
    if not bed_ids:
        return []
    marks = ", ".join(f":b{n}" for n in range(len(bed_ids)))
    return uow.fast_rows(
        "SELECT c.bed_id, c.id, c.checked_on, COALESCE(s.name, ''), c.findings, c.orders_done FROM bed_check c "
        f"LEFT JOIN staff s ON s.id = c.staff_id WHERE c.deleted = 0 AND c.bed_id IN ({marks}) "
        "ORDER BY c.checked_on, c.created_at, c.id",
        {f"b{n}": bed_id for n, bed_id in enumerate(bed_ids)},
    )


def orders_by_id(uow: UnitOfWork, bed_id: str) -> dict[str, BedOrder]:
    """Return the bed's live orders as models, by id."""
    found = uow.session.exec(select(BedOrder).where(BedOrder.bed_id == bed_id, BedOrder.deleted == False)).all()
    return {order.id: order for order in found}


def checks_models(uow: UnitOfWork, bed_id: str) -> list[BedCheck]:
    """Return the bed's live checks as models."""
    return list(uow.session.exec(select(BedCheck).where(BedCheck.bed_id == bed_id, BedCheck.deleted == False)).all())


def check_days(uow: UnitOfWork, bed_id: str) -> list[str]:
    """Return the days (ISO text) the bed was checked."""
    return [
        row[0]
        for row in uow.fast_rows("SELECT checked_on FROM bed_check WHERE deleted = 0 AND bed_id = :b", {"b": bed_id})
    ]


def add(uow: UnitOfWork, *rows: FamilyBed | BedOrder | BedCheck | MedicationDispense) -> None:
    """Add new rows to the unit of work, written in this order (a parent before the rows that refer to it)."""
    for row in rows:
        uow.session.add(row)
        uow.session.flush()


# --- proxy refills ----------------------------------------------------------------------------------------


def long_term_medications(
    uow: UnitOfWork, *, institution_id: str | None, day: str, resident_id: str | None = None
) -> list[Row]:
    """Return the long-term medications (a daily quantity set) taken on ``day`` by residents in residence.

    Columns: ``(medication id, resident id, resident name, institution name, building, room, bed,
    medication name, dose, frequency, daily_quantity, unit)``, by home and bed.
    """
    where = [
        "m.deleted = 0",
        "m.daily_quantity IS NOT NULL",
        "(m.start_date IS NULL OR m.start_date <= :d)",
        "(m.stop_date IS NULL OR m.stop_date >= :d)",
        "r.deleted = 0",
        "r.status = 'in_residence'",
    ]
    params: dict[str, Any] = {"d": day}
    if institution_id:
        where.append("r.institution_id = :i")
        params["i"] = institution_id
    if resident_id:
        where.append("m.resident_id = :r")
        params["r"] = resident_id
    return uow.fast_rows(
        "SELECT m.id, r.id, r.name, COALESCE(i.name, ''), r.building, r.room, r.bed, m.name, m.dose, m.frequency, "
        "m.daily_quantity, m.unit FROM medication m JOIN resident r ON r.id = m.resident_id "
        f"LEFT JOIN institution i ON i.id = r.institution_id WHERE {' AND '.join(where)} "
        "ORDER BY COALESCE(i.name, ''), r.building, length(r.room), r.room, length(r.bed), r.bed, r.name, m.name",
        params,
    )


def dispensed(uow: UnitOfWork, medication_ids: list[str]) -> list[Row]:
    """Return the live dispensings of these medications: ``(medication id, dispensed_on, quantity,
    collected_by, recorded by name)``, oldest first."""
    if not medication_ids:
        return []
    found: list[Row] = []
    for start in range(0, len(medication_ids), 500):  # SQLite's bound parameters: stay well under the limit
        chunk = medication_ids[start : start + 500]
        marks = ", ".join(f":m{n}" for n in range(len(chunk)))
        found += uow.fast_rows(
            "SELECT d.medication_id, d.dispensed_on, d.quantity, d.collected_by, COALESCE(s.name, '') "
            f"FROM medication_dispense d LEFT JOIN staff s ON s.id = d.recorded_by "
            f"WHERE d.deleted = 0 AND d.medication_id IN ({marks}) ORDER BY d.dispensed_on, d.created_at",
            {f"m{n}": medication_id for n, medication_id in enumerate(chunk)},
        )
    return found


def medication(uow: UnitOfWork, medication_id: str) -> Medication | None:
    """Return the medication row (removed or not), or None."""
    return uow.session.get(Medication, medication_id)


def medications_of(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return the resident's live medications: ``(id, name, dose, frequency, start_date, stop_date,
    daily_quantity, unit)`` by name."""
    return uow.fast_rows(
        "SELECT id, name, dose, frequency, start_date, stop_date, daily_quantity, unit FROM medication "
        "WHERE deleted = 0 AND resident_id = :r ORDER BY name, id",
        {"r": resident_id},
    )


# --- what the round sheet prints for the homes' services ---------------------------------------------------


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def orders_at_round(uow: UnitOfWork, resident_ids: list[str], day: str) -> list[Row]:
    """Return the live orders, running on ``day``, of the beds open on ``day`` (opened on or before it, not
    closed before it) of these residents: ``(resident id, kind, every_days, start, stop, detail)``."""
    found: list[Row] = []
    for chunk in _chunks(resident_ids):
        marks = ", ".join(f":r{n}" for n in range(len(chunk)))
        params: dict[str, Any] = {f"r{n}": resident_id for n, resident_id in enumerate(chunk)}
        params["d"] = day
        found += uow.fast_rows(
            "SELECT f.resident_id, o.kind, o.every_days, o.start, o.stop, o.detail FROM family_bed f "
            "JOIN bed_order o ON o.bed_id = f.id AND o.deleted = 0 "
            f"WHERE f.deleted = 0 AND f.resident_id IN ({marks}) AND f.opened_on <= :d "
            "AND (f.closed_on IS NULL OR f.closed_on > :d) AND o.start <= :d AND (o.stop IS NULL OR o.stop >= :d) "
            "ORDER BY f.resident_id, o.start, o.created_at, o.id",
            params,
        )
    return found


def long_term_of(uow: UnitOfWork, resident_ids: list[str], day: str) -> list[Row]:
    """Return these residents' long-term medications (a daily quantity set) taken on ``day``:
    ``(medication id, resident id, name, daily_quantity)``, by resident and name."""
    found: list[Row] = []
    for chunk in _chunks(resident_ids):
        marks = ", ".join(f":r{n}" for n in range(len(chunk)))
        params: dict[str, Any] = {f"r{n}": resident_id for n, resident_id in enumerate(chunk)}
        params["d"] = day
        found += uow.fast_rows(
            "SELECT id, resident_id, name, daily_quantity FROM medication "
            f"WHERE deleted = 0 AND daily_quantity IS NOT NULL AND resident_id IN ({marks}) "
            "AND (start_date IS NULL OR start_date <= :d) AND (stop_date IS NULL OR stop_date >= :d) "
            "ORDER BY resident_id, name, id",
            params,
        )
    return found


def daily_quantity_changes(uow: UnitOfWork, resident_ids: list[str]) -> list[Row]:
    """Return the audit entries that set or changed a daily quantity of these residents' medications:
    ``(medication id, at, changes JSON)``, oldest first (the history of each medication's daily quantity)."""
    found: list[Row] = []
    for chunk in _chunks(sorted(set(resident_ids))):
        marks = ", ".join(f":r{n}" for n in range(len(chunk)))
        found += uow.fast_rows(
            "SELECT entity_id, at, changes FROM auditentry "
            f"WHERE resident_id IN ({marks}) AND entity = 'medication' AND changes LIKE :field "
            "ORDER BY at, updated_at, id",
            {f"r{n}": resident_id for n, resident_id in enumerate(chunk)} | {"field": '%"daily_quantity"%'},
        )
    return found
