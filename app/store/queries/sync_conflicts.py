"""The ``sync_conflict`` table, and the residents that share an ID number (duplicates).

An import records and closes conflicts on its :class:`SyncConnection` (inside its transaction); the
Conflicts page reads them, and resolving one writes through a unit of work. What a row means (field,
deleted, duplicate) is the services' business (``app.services.sync.conflicts``); values arrive JSON-encoded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlmodel import col, select

from app.store.models import Synced, new_id
from app.store.queries.sync_base import SyncConnection
from app.store.queries.sync_connection import utc_now_text
from app.store.queries.sync_rows import LOOKUP_BATCH
from app.store.uow import UnitOfWork

Side = tuple[str, str, str]
"""One side of a conflict: ``(value as JSON, clock, device)``."""
ModelT = TypeVar("ModelT", bound=Synced)

# --- recorded by an import -------------------------------------------------------------------------------------


def open_conflict_keys(connection: SyncConnection) -> set[tuple[str, str]]:
    """Return ``(entity, entity_id)`` of every record with a conflict waiting for review."""
    rows = connection.driver.execute("SELECT entity, entity_id FROM sync_conflict WHERE resolved_at IS NULL")
    return {(entity, entity_id) for entity, entity_id in rows}


def conflict_recorded(
    connection: SyncConnection, *, entity_id: str, field: str, kept_clock: str, other_clock: str
) -> bool:
    """Return whether this conflict (the same field of a record, between the same two clocks) is recorded."""
    found = connection.driver.execute(
        "SELECT 1 FROM sync_conflict WHERE entity_id = ? AND field = ? AND kept_clock = ? AND other_clock = ?",
        (entity_id, field, kept_clock, other_clock),
    )
    return found.fetchone() is not None


def insert_conflict(
    connection: SyncConnection, *, entity: str, entity_id: str, field: str, kept: Side, other: Side, package_id: str
) -> None:
    """Record an open conflict found by the import of ``package_id``, detected now."""
    connection.driver.execute(
        "INSERT INTO sync_conflict (id, entity, entity_id, field, kept_value, kept_clock, kept_device, "
        "other_value, other_clock, other_device, package_id, detected_at, resolved_by, resolved_at, resolution) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, '')",
        (new_id(), entity, entity_id, field, *kept, *other, package_id, utc_now_text()),
    )


def supersede_older(connection: SyncConnection, *, entity: str, entity_id: str, field: str, clock: str) -> int:
    """Close as "superseded" the open conflicts on a field whose two clocks are both older than ``clock``;
    return how many."""
    cursor = connection.driver.execute(
        "UPDATE sync_conflict SET resolved_at = ?, resolution = 'superseded' WHERE entity = ? AND "
        "entity_id = ? AND field = ? AND resolved_at IS NULL AND kept_clock < ? AND other_clock < ?",
        (utc_now_text(), entity, entity_id, field, clock, clock),
    )
    return cursor.rowcount


def open_conflicts_on(connection: SyncConnection, *, entity: str, field: str) -> list[tuple[str, str, str, str]]:
    """Return ``(id, entity_id, kept_value, other_value)`` of the open conflicts on one field of a table."""
    return connection.driver.execute(
        "SELECT id, entity_id, kept_value, other_value FROM sync_conflict WHERE resolved_at IS NULL "
        "AND entity = ? AND field = ?",
        (entity, field),
    ).fetchall()


def close_superseded(connection: SyncConnection, conflict_id: str) -> None:
    connection.driver.execute(
        "UPDATE sync_conflict SET resolved_at = ?, resolution = 'superseded' WHERE id = ?",
        (utc_now_text(), conflict_id),
    )


def pair_recorded(
    connection: SyncConnection, *, entity: str, field: str, first: tuple[str, str], second: tuple[str, str]
) -> bool:
    """Return whether a conflict on ``field`` of ``entity`` is recorded, open or not, with ``(entity_id,
    kept_value)`` equal to ``first`` or to ``second``."""
    found = connection.driver.execute(
        "SELECT 1 FROM sync_conflict WHERE entity = ? AND field = ? AND "
        "((entity_id = ? AND kept_value = ?) OR (entity_id = ? AND kept_value = ?))",
        (entity, field, *first, *second),
    )
    return found.fetchone() is not None


def forget_conflicts_about(connection: SyncConnection, *, package_id: str, row_id: str, encoded_id: str) -> int:
    """Delete the conflicts the import of ``package_id`` recorded about a row (its id, or its id as a kept value,
    JSON-encoded in ``encoded_id``); return how many."""
    cursor = connection.driver.execute(
        "DELETE FROM sync_conflict WHERE package_id = ? AND (entity_id = ? OR kept_value = ?)",
        (package_id, row_id, encoded_id),
    )
    return cursor.rowcount


def open_count_on(connection: SyncConnection) -> int:
    """Return how many conflicts wait for review."""
    return int(connection.driver.execute("SELECT COUNT(*) FROM sync_conflict WHERE resolved_at IS NULL").fetchone()[0])


# --- residents sharing an ID number -----------------------------------------------------------------------------


def id_numbers_of(connection: SyncConnection, resident_ids: Sequence[str]) -> list[tuple[str | None, int]]:
    """Return ``(id_number, deleted)`` of the residents among ``resident_ids``."""
    found: list[tuple[str | None, int]] = []
    for start in range(0, len(resident_ids), LOOKUP_BATCH):
        part = resident_ids[start : start + LOOKUP_BATCH]
        marks = ", ".join("?" * len(part))
        found += connection.driver.execute(f"SELECT id_number, deleted FROM resident WHERE id IN ({marks})", part)
    return found


def _living(connection: SyncConnection) -> str:
    """SQL: the resident is not deleted (SQLite: ``+deleted`` keeps its planner off the list index)."""
    return "deleted = 0" if connection.is_server else "+deleted = 0"


def shared_id_numbers(connection: SyncConnection, numbers: Sequence[str]) -> list[str]:
    """Return those of ``numbers`` that more than one living resident has.

    ``+deleted`` keeps SQLite from choosing the list index on ``deleted`` over the ID-number index (a server has
    no unary plus on a boolean: :func:`_living`).
    """
    shared: list[str] = []
    for start in range(0, len(numbers), LOOKUP_BATCH):
        part = numbers[start : start + LOOKUP_BATCH]
        marks = ", ".join("?" * len(part))
        shared += [
            n
            for (n,) in connection.driver.execute(
                f"SELECT id_number FROM resident WHERE id_number IN ({marks}) AND {_living(connection)} "
                "GROUP BY id_number HAVING COUNT(*) > 1",
                part,
            )
        ]
    return shared


def living_with_id_number(connection: SyncConnection, number: str) -> list[tuple[str, str, str]]:
    """Return ``(id, updated_at, origin_device)`` of the living residents with ID number ``number``, oldest
    first."""
    return connection.driver.execute(
        f"SELECT id, updated_at, origin_device FROM resident WHERE id_number = ? AND {_living(connection)} "
        "ORDER BY created_at, id",
        (number,),
    ).fetchall()


def living_pair(connection: SyncConnection, first_id: str, second_id: str) -> tuple[int, int]:
    """Return how many of two residents are alive, and how many distinct ID numbers those have."""
    alive = connection.driver.execute(
        f"SELECT COUNT(*), COUNT(DISTINCT id_number) FROM resident WHERE id IN (?, ?) AND {_living(connection)}",
        (first_id, second_id),
    ).fetchone()
    return int(alive[0]), int(alive[1])


# --- two family beds open for one resident (opened apart on two devices) --------------------------------------


def residents_of_beds(connection: SyncConnection, bed_ids: Sequence[str]) -> list[str]:
    """Return the residents of these family beds."""
    found: set[str] = set()
    for start in range(0, len(bed_ids), LOOKUP_BATCH):
        part = list(bed_ids[start : start + LOOKUP_BATCH])
        marks = ", ".join("?" * len(part))
        rows = connection.driver.execute(f"SELECT resident_id FROM family_bed WHERE id IN ({marks})", part)
        found |= {resident_id for (resident_id,) in rows}
    return sorted(found)


def open_beds_of_residents(connection: SyncConnection, resident_ids: Sequence[str]) -> list[tuple[str, str, str, str]]:
    """Return ``(resident id, bed id, updated_at, origin_device)`` of the open (not closed, not removed) family
    beds of these residents that have more than one, by resident, the earliest opened first."""
    found: list[tuple[str, str, str, str]] = []
    for start in range(0, len(resident_ids), LOOKUP_BATCH):
        part = list(resident_ids[start : start + LOOKUP_BATCH])
        marks = ", ".join("?" * len(part))
        found += connection.driver.execute(
            "SELECT resident_id, id, updated_at, origin_device FROM family_bed "
            f"WHERE resident_id IN ({marks}) AND closed_on IS NULL AND deleted = 0 AND resident_id IN ("
            "SELECT resident_id FROM family_bed WHERE closed_on IS NULL AND deleted = 0 "
            "GROUP BY resident_id HAVING COUNT(*) > 1) ORDER BY resident_id, opened_on, created_at, id",
            part,
        ).fetchall()
    return found


def open_bed_count(connection: SyncConnection, bed_ids: Sequence[str]) -> int:
    """Return how many of these family beds are open (not closed, not removed)."""
    marks = ", ".join("?" * len(bed_ids))
    return int(
        connection.driver.execute(
            f"SELECT COUNT(*) FROM family_bed WHERE id IN ({marks}) AND closed_on IS NULL AND deleted = 0",
            list(bed_ids),
        ).fetchone()[0]
    )


def open_conflicts_about_bed(uow: UnitOfWork, *, field: str, encoded_id: str, bed_id: str) -> list[Any]:
    """Return the open conflicts on ``field`` of ``family_bed`` that name this bed (as the record, or as the kept
    value, JSON-encoded in ``encoded_id``), as models to close."""
    from app.store.models import SyncConflict

    return list(
        uow.session.exec(
            select(SyncConflict).where(
                SyncConflict.entity == "family_bed",
                SyncConflict.field == field,
                col(SyncConflict.resolved_at).is_(None),
                (SyncConflict.entity_id == bed_id) | (SyncConflict.kept_value == encoded_id),
            )
        ).all()
    )


def open_field_conflicts(uow: UnitOfWork, *, entity: str, entity_id: str, field: str) -> list[Any]:
    """Return the open conflicts on one field of one record, as models to close."""
    from app.store.models import SyncConflict

    return list(
        uow.session.exec(
            select(SyncConflict).where(
                SyncConflict.entity == entity,
                SyncConflict.entity_id == entity_id,
                SyncConflict.field == field,
                col(SyncConflict.resolved_at).is_(None),
            )
        ).all()
    )


def bed_label(uow: UnitOfWork, bed_id: str) -> tuple[Any, ...] | None:
    """Return ``(resident id, indication, opened_on, closed_on, deleted)`` of a family bed, or None."""
    found = uow.fast_rows(
        "SELECT resident_id, indication, opened_on, closed_on, deleted FROM family_bed WHERE id = :id", {"id": bed_id}
    )
    return found[0] if found else None


# --- the Conflicts page (through a unit of work) --------------------------------------------------------------


def conflict_rows(uow: UnitOfWork, *, include_resolved: bool) -> list[tuple[Any, ...]]:
    """Return the conflicts (open ones only unless ``include_resolved``), newest first, as ``(id, entity,
    entity_id, field, kept_value, kept_clock, kept_device, other_value, other_clock, other_device, detected_at,
    resolved_at, resolution)``."""
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    return uow.fast_rows(
        "SELECT id, entity, entity_id, field, kept_value, kept_clock, kept_device, other_value, other_clock, "
        f"other_device, detected_at, resolved_at, resolution FROM sync_conflict {where} "
        "ORDER BY detected_at DESC, id"
    )


def resident_label(uow: UnitOfWork, resident_id: str) -> tuple[Any, ...] | None:
    """Return ``(name, institution name, building, room, bed, birth_date)`` of a resident, or None."""
    found = uow.fast_rows(
        "SELECT r.name, i.name, r.building, r.room, r.bed, r.birth_date FROM resident r "
        "LEFT JOIN institution i ON i.id = r.institution_id WHERE r.id = :id",
        {"id": resident_id},
    )
    return found[0] if found else None


def visit_label(uow: UnitOfWork, visit_id: str) -> tuple[Any, ...] | None:
    """Return ``(resident name, visit_date)`` of a visit, or None."""
    found = uow.fast_rows(
        "SELECT r.name, v.visit_date FROM visit v JOIN resident r ON r.id = v.resident_id WHERE v.id = :id",
        {"id": visit_id},
    )
    return found[0] if found else None


def records_of_resident(uow: UnitOfWork, model: type[ModelT], resident_id: str) -> Sequence[ModelT]:
    """Return the records of ``model`` (a synced table with a ``resident_id``) that belong to a resident."""
    column = col(model.resident_id)  # type: ignore[attr-defined]
    return uow.session.exec(select(model).where(column == resident_id)).all()


def open_count(uow: UnitOfWork) -> int:
    """Return how many conflicts wait for review (inside the caller's reading unit of work)."""
    return int(uow.rows("SELECT COUNT(*) FROM sync_conflict WHERE resolved_at IS NULL")[0][0])
