"""Queries of the audit trail (审计日志): search it, and walk its hash chains in a database or a file.

Writing entries is the unit of work's job (:mod:`app.store.audit`); these functions read them. Search
functions take an open unit of work and plain values and return plain rows; the chain walks return the
:class:`~app.store.audit.ChainsReport` of :func:`app.store.audit.verify_chains`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from app.store.audit import LAST_ENTRIES_SQL, VERIFY_SQL, AuditAction, ChainsReport, check_chain_ends, verify_chains
from app.store.backup import connect_existing
from app.store.sqlite import sqlite3
from app.store.uow import UnitOfWork

Row = tuple[Any, ...]

# --- searching -----------------------------------------------------------------------------------------


def staff_for_filter(uow: UnitOfWork) -> list[tuple[str, str, str, bool]]:
    """Return ``(id, name, role, active)`` of every staff member not deleted, active ones first, by name."""
    rows = uow.rows("SELECT id, name, role, active FROM staff WHERE deleted = 0 ORDER BY active DESC, name")
    return [(row[0], row[1], row[2], bool(row[3])) for row in rows]


@dataclass(frozen=True)
class EntryFilter:
    """Which audit entries a search wants; None or "" for no condition.

    Args:
        staff_id: entries by this staff member.
        resident_id: entries about this resident.
        resident_query: entries about residents whose search text contains this (normalized) text, or whose
            ID number is this text.
        start: entries at this moment or later (aware).
        end: entries before this moment (aware).
    """

    staff_id: str | None = None
    resident_id: str | None = None
    resident_query: str = ""
    start: datetime | None = None
    end: datetime | None = None


def _stored_time(moment: datetime) -> str:
    """Return a moment as ``at`` is stored: UTC text."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def _where(wanted: EntryFilter) -> tuple[str, dict[str, object]]:
    where: list[str] = []
    params: dict[str, object] = {}
    if wanted.staff_id:
        where.append("a.staff_id = :staff_id")
        params["staff_id"] = wanted.staff_id
    if wanted.resident_id:
        where.append("a.resident_id = :resident_id")
        params["resident_id"] = wanted.resident_id
    if wanted.resident_query:
        query = wanted.resident_query
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(
            "a.resident_id IN (SELECT id FROM resident WHERE search_text LIKE :q ESCAPE '\\' OR id_number = :exact)"
        )
        params["q"] = f"%{escaped}%"
        params["exact"] = query.upper()
    if wanted.start is not None:
        where.append("a.at >= :start")
        params["start"] = _stored_time(wanted.start)
    if wanted.end is not None:
        where.append("a.at < :end")
        params["end"] = _stored_time(wanted.end)
    return (f"WHERE {' AND '.join(where)}" if where else ""), params


def newest_entries(uow: UnitOfWork, wanted: EntryFilter, *, limit: int) -> list[Row]:
    """Return the newest ``limit`` entries matching ``wanted``, newest first.

    Each row: ``(id, at, staff_id, staff_name, action, entity, entity_id, resident_id, resident's name or "",
    changes as stored JSON, origin_device, the account "name (login)", institution or team the entry is
    about, or "")``; ``at`` is the stored UTC text.
    """
    condition, params = _where(wanted)
    sql = (
        "SELECT a.id, a.at, a.staff_id, a.staff_name, a.action, a.entity, a.entity_id, a.resident_id, "
        "COALESCE(r.name, ''), a.changes, a.origin_device, "
        "COALESCE(s.name || ' (' || s.login || ')', i.name, tm.name, '') FROM auditentry a "
        "LEFT JOIN resident r ON r.id = a.resident_id "
        "LEFT JOIN staff s ON a.entity = 'staff' AND s.id = a.entity_id "
        "LEFT JOIN institution i ON a.entity = 'institution' AND i.id = a.entity_id "
        "LEFT JOIN team tm ON a.entity = 'team' AND tm.id = a.entity_id "
        f"{condition} ORDER BY a.at DESC, a.updated_at DESC LIMIT :limit"
    )
    return uow.fast_rows(sql, {**params, "limit": limit})


def count_entries(uow: UnitOfWork, wanted: EntryFilter) -> int:
    """Return how many entries match ``wanted``."""
    condition, params = _where(wanted)
    return int(uow.fast_rows(f"SELECT COUNT(*) FROM auditentry a {condition}", params)[0][0])


# --- walking the hash chains ---------------------------------------------------------------------------

RESTORES_SQL = f"SELECT hash FROM auditentry WHERE action = '{AuditAction.DATABASE_RESTORED.value}' AND deleted = 0"
"""The restores' entries (the action a constant of the code, not a parameter: the same text on both drivers)."""
CENTER_SQL = "SELECT id, name FROM center WHERE deleted = 0 ORDER BY created_at LIMIT 1"
TABLES_SQL = "SELECT name FROM sqlite_master WHERE type = 'table'"


def verify_open_database(uow: UnitOfWork, *, anchors: Sequence[Path] | None) -> ChainsReport:
    """Walk the hash chains of the unit of work's database, in its (read) transaction.

    Args:
        anchors: backups to compare the chains' ends with (see :func:`verify_file`); None: do not compare.
    """
    driver = uow.session.connection().connection.driver_connection
    assert driver is not None
    report = _verify_on(driver)
    if anchors is not None:
        _compare_with_a_backup(driver, report, anchors)
    return report


def verify_file(path: Path, *, anchors: Sequence[Path]) -> ChainsReport | None:
    """Walk the hash chains of the database file ``path``, read-only; None if it has no audit trail.

    Args:
        anchors: backups of this database, newest first; the first one made since the last restore is
            compared with the database, to find entries cut from the end of a chain (which the chain alone
            cannot show). Unreadable backups are skipped.

    Raises:
        sqlite3.DatabaseError: the file cannot be opened or read as a database.
    """
    connection = connect_existing(path, read_only=True)
    try:
        if "auditentry" not in _tables(connection):
            return None
        report = _verify_on(connection)
        _compare_with_a_backup(connection, report, anchors)
        return report
    finally:
        connection.close()


def center_of_file(path: Path) -> tuple[str, str] | None:
    """Return (center id, name) of a CareRounds database file, None when it has no audit trail or center.

    Raises:
        sqlite3.DatabaseError: the file cannot be opened or read as a database.
    """
    connection = connect_existing(path, read_only=True)
    try:
        if not {"auditentry", "center"} <= _tables(connection):
            return None
        row = connection.execute(CENTER_SQL).fetchone()
        return (str(row[0]), str(row[1])) if row else None
    finally:
        connection.close()


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute(TABLES_SQL)}


def _compare_with_a_backup(connection: Any, report: ChainsReport, anchors: Sequence[Path]) -> None:
    report.anchor = ""  # compared with nothing yet: "no backup to compare with" unless one below is usable
    if not anchors:
        return
    restores = {row[0] for row in connection.execute(RESTORES_SQL)}
    for anchor in anchors:
        try:
            backup = connect_existing(anchor, read_only=True)
        except (sqlite3.DatabaseError, OSError):
            continue
        try:
            if restores and not restores <= _hashes_in(backup, restores):
                continue  # made before a restore: the database legitimately went back past it
            last_entries = backup.execute(LAST_ENTRIES_SQL).fetchall()
        except sqlite3.DatabaseError:
            continue
        finally:
            backup.close()
        check_chain_ends(report, last_entries, lambda hashes: _hashes_in(connection, hashes), anchor=anchor.name)
        return


def _hashes_in(connection: Any, hashes: set[str]) -> set[str]:
    """Return which of ``hashes`` the audit trail holds, through ``connection`` (sqlite3, or psycopg's)."""
    found: set[str] = set()
    wanted = sorted(hashes)
    mark = "?" if isinstance(connection, sqlite3.Connection) else "%s"  # the drivers' own placeholders
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join([mark] * len(chunk))
        rows = connection.execute(f"SELECT hash FROM auditentry WHERE hash IN ({marks})", chunk)
        found.update(row[0] for row in rows)
    return found


def _verify_on(connection: Any) -> ChainsReport:
    def rows() -> Iterator[tuple[Any, ...]]:
        cursor = connection.execute(VERIFY_SQL)
        while batch := cursor.fetchmany(5000):
            yield from batch

    return verify_chains(rows(), lambda hashes: _hashes_in(connection, hashes))
