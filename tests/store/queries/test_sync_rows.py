"""The synced tables' rows in bulk: lookups in batches, the export's batches, whole-row writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from app.store.queries import sync_rows
from app.store.queries.sync_base import SyncConnection
from app.store.queries.sync_connection import sync_connection

TODAY = date(2026, 11, 16)
COLUMNS = ("id", "name", "updated_at")


@pytest.fixture
def connection(demo_center: Callable[..., Path], tmp_path: Path) -> Iterator[SyncConnection]:
    copy = tmp_path / "center.sqlite"
    copy.write_bytes(demo_center(residents=6, seed=3, today=TODAY).read_bytes())
    with sync_connection(copy) as connection:
        yield connection


def _residents(connection: SyncConnection) -> list[tuple[str, str, str]]:
    return connection.driver.execute("SELECT id, name, updated_at FROM resident ORDER BY id").fetchall()


def test_lookups_by_id_find_every_row_across_batches(connection: SyncConnection) -> None:
    residents = _residents(connection)
    unknown = [f"unknown-{n:04}" for n in range(sync_rows.LOOKUP_BATCH + 100)]
    ids = [*unknown, *(r[0] for r in residents)]  # the known ids come in the second batch
    assert sync_rows.rows_by_id(connection, "resident", COLUMNS, ids) == {r[0]: r for r in residents}
    clocks = sync_rows.row_clocks(connection, "resident", ids)
    assert sorted(row_id for row_id, _, _ in clocks) == [r[0] for r in residents]


def test_the_export_reads_changed_rows_in_batches_of_at_most_the_size(connection: SyncConnection) -> None:
    residents = _residents(connection)
    floor = sorted(r[2] for r in residents)[1]  # all but the two oldest changes
    later = [r for r in residents if r[2] > floor]
    with connection.snapshot():
        batches = list(sync_rows.row_batches(connection, "resident", COLUMNS, changed_after=floor, size=2))
        everything = list(sync_rows.row_batches(connection, "resident", COLUMNS, changed_after=None, size=100))
    assert all(1 <= len(batch) <= 2 for batch in batches)
    assert sorted(row for batch in batches for row in batch) == later
    assert sync_rows.count_rows(connection, "resident", changed_after=floor) == len(later)
    assert sorted(everything[0]) == residents and len(everything) == 1


def test_whole_rows_are_inserted_and_overwritten_as_given(connection: SyncConnection) -> None:
    table, columns, _ = next(layout for layout in sync_rows.synced_table_layouts() if layout[0] == "team")
    (row_id,) = connection.driver.execute(f'SELECT id FROM "{table}" LIMIT 1').fetchone()
    original = sync_rows.rows_by_id(connection, table, columns, [row_id])[row_id]
    copy = (f"{row_id}-copy", *original[1:])
    with connection.writing():
        sync_rows.insert_rows(connection, table, columns, [copy])
        changed = list(original)
        changed[columns.index("updated_at")] = "9" * 16
        sync_rows.update_rows(connection, table, columns, [(*changed[1:], row_id)])
    found = sync_rows.rows_by_id(connection, table, columns, [row_id, copy[0]])
    assert found == {row_id: tuple(changed), copy[0]: copy}  # clocks and all, untouched by any hook
