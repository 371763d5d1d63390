"""The rows of the synced tables, read and written in bulk on a :class:`SyncConnection`.

Every function takes a table's plain description (its name and columns, in table order with ``id`` first, as
``app.services.sync.tables`` lists them) and returns plain tuples in the order of the columns asked for. Bulk
paths stream: a cursor read in batches, ``executemany`` for writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from app.store.models import SYNCED_TABLES
from app.store.queries.sync_base import SyncConnection

LOOKUP_BATCH = 500
"""Ids per ``WHERE id IN (...)`` lookup (well under SQLite's variable limit)."""


def synced_table_layouts() -> list[tuple[str, tuple[str, ...], dict[str, Any]]]:
    """Return ``(name, columns in table order, {column: default})`` of each synced table, parents before children.

    A column's default is its scalar default in the model (None if it has none, or a computed one): the value
    for a column a package from an older schema does not carry.
    """
    layouts = []
    for model in SYNCED_TABLES:
        table = model.__table__  # type: ignore[attr-defined]
        defaults: dict[str, Any] = {}
        for column in table.columns:
            default = column.default
            if default is not None and getattr(default, "is_scalar", False):
                defaults[column.name] = default.arg
            else:
                defaults[column.name] = None
        layouts.append((table.name, tuple(c.name for c in table.columns), defaults))
    return layouts


def column_list(columns: Sequence[str]) -> str:
    """Return ``"a", "b", ...``: the columns quoted for a statement."""
    return ", ".join(f'"{c}"' for c in columns)


def _batches(items: Sequence[Any], size: int = LOOKUP_BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def count_rows(connection: SyncConnection, table: str, *, changed_after: str | None = None) -> int:
    """Return how many rows ``table`` holds (only those with ``updated_at`` after ``changed_after``, if given)."""
    if changed_after is None:
        found = connection.driver.execute(f'SELECT COUNT(*) FROM "{table}"')
    else:
        found = connection.driver.execute(f'SELECT COUNT(*) FROM "{table}" WHERE updated_at > ?', (changed_after,))
    return int(found.fetchone()[0])


def row_batches(
    connection: SyncConnection, table: str, columns: Sequence[str], *, changed_after: str | None, size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Yield the rows of ``table`` (only those with ``updated_at`` after ``changed_after``, if given) in lists of
    at most ``size``, from one cursor (inside the caller's read transaction for a consistent view)."""
    if changed_after is None:
        cursor = connection.driver.execute(f'SELECT {column_list(columns)} FROM "{table}"')
    else:
        cursor = connection.driver.execute(
            f'SELECT {column_list(columns)} FROM "{table}" WHERE updated_at > ?', (changed_after,)
        )
    while batch := cursor.fetchmany(size):
        yield batch


def is_empty(connection: SyncConnection, table: str) -> bool:
    return connection.driver.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is None


def rows_by_id(
    connection: SyncConnection, table: str, columns: Sequence[str], ids: Sequence[str]
) -> dict[str, tuple[Any, ...]]:
    """Return ``{id: row}`` for the rows of ``table`` among ``ids`` (``columns[0]`` must be ``id``)."""
    assert columns[0] == "id"
    found: dict[str, tuple[Any, ...]] = {}
    select = f'SELECT {column_list(columns)} FROM "{table}" WHERE id IN '
    for part in _batches(ids):
        for row in connection.driver.execute(f"{select}({', '.join('?' * len(part))})", part):
            found[row[0]] = row
    return found


def insert_rows(connection: SyncConnection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (values in the order of ``columns``) as they are: clocks and all."""
    marks = ", ".join("?" * len(columns))
    connection.driver.executemany(f'INSERT INTO "{table}" ({column_list(columns)}) VALUES ({marks})', rows)


def update_rows(connection: SyncConnection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Overwrite whole rows by id: each of ``rows`` holds the values of ``columns[1:]``, then the id."""
    assert columns[0] == "id"
    assignments = ", ".join(f'"{c}" = ?' for c in columns[1:])
    connection.driver.executemany(f'UPDATE "{table}" SET {assignments} WHERE id = ?', rows)


def delete_row(connection: SyncConnection, table: str, row_id: str) -> None:
    connection.driver.execute(f'DELETE FROM "{table}" WHERE id = ?', (row_id,))


def foreign_key_violations(connection: SyncConnection) -> list[tuple[str, str | None]]:
    """Return ``(table, id)`` of each row whose reference finds no record (``id`` None if the row has none)."""
    if connection.is_server:
        from app.store.pg_sync import foreign_key_violations as on_server

        return on_server(connection)
    violations = []
    for table, rowid, _parent, _fk in connection.driver.execute("PRAGMA foreign_key_check").fetchall():
        row = connection.driver.execute(f'SELECT id FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
        violations.append((str(table), row[0] if row else None))
    return violations


def changed_here_count(connection: SyncConnection, table: str, *, after: str, device_id: str) -> int:
    """Return how many rows of ``table`` this device (``device_id``) changed after the clock ``after``."""
    found = connection.driver.execute(
        f'SELECT COUNT(*) FROM "{table}" WHERE updated_at > ? AND origin_device = ?', (after, device_id)
    )
    return int(found.fetchone()[0])


def row_clocks(connection: SyncConnection, table: str, ids: Sequence[str]) -> list[tuple[str, str, str]]:
    """Return ``(id, updated_at, origin_device)`` of the rows of ``table`` among ``ids``."""
    found: list[tuple[str, str, str]] = []
    for part in _batches(ids):
        marks = ", ".join("?" * len(part))
        found += connection.driver.execute(
            f'SELECT id, updated_at, origin_device FROM "{table}" WHERE id IN ({marks})', part
        ).fetchall()
    return found


_CHANGED_HERE_LABELS = {
    "visit": "SELECT v.id, r.name || ' · ' || v.visit_date, v.updated_at FROM visit v "
    "JOIN resident r ON r.id = v.resident_id WHERE v.updated_at > :since AND v.origin_device = :device",
    "resident": "SELECT id, name, updated_at FROM resident WHERE updated_at > :since AND origin_device = :device",
}


def changed_here_records(
    connection: SyncConnection, *, after: str, device_id: str, limit: int
) -> list[tuple[str, str, str, str]]:
    """Return ``(table, id, label, updated_at)`` of the visits and residents this device changed after ``after``:
    the newest ``limit`` of each table ("张桂英 · 2026-11-20" for a visit, the name for a resident)."""
    params = {"since": after, "device": device_id}
    records = []
    for table, sql in _CHANGED_HERE_LABELS.items():
        for row_id, label, clock in connection.driver.execute(f"{sql} ORDER BY 3 DESC LIMIT {int(limit)}", params):
            records.append((table, row_id, label, clock))
    return records
