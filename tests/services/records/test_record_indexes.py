"""Opening a record reads each section from its covering index (migration 0013): the same record, fewer pages.

An encrypted file pays for every page read (docs/security.md "Measured cost"), so the record's queries must
find their rows without reading the wide table rows; and the indexes must change nothing in what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.bootstrap import AppContext
from app.services.editing import NotFound
from app.services.records.load import ResidentRecord, load_record
from app.services.records.sections import remove_entry
from app.store.uow import UnitOfWork

TODAY = date(2026, 11, 16)
RECORD_INDEXES = {
    "assessment": "ix_assessment_record",
    "condition": "ix_condition_record",
    "medication": "ix_medication_record",
    "residenceperiod": "ix_residenceperiod_record",
}


def _all_records(context: AppContext, ids: list[str]) -> list[ResidentRecord]:
    return [load_record(context.uow(), resident_id=resident_id) for resident_id in ids]


def _resident_ids(context: AppContext) -> list[str]:
    with context.uow().reading() as uow:
        return [row[0] for row in uow.fast_rows("SELECT id FROM resident WHERE deleted = 0 ORDER BY id")]


def _with_removed_entries(context: AppContext) -> None:
    """Give the center what the demo lacks: entries removed in error (tombstones, which the indexes leave out)."""
    with context.uow().reading() as uow:
        entries = {
            kind: uow.fast_rows(f"SELECT id, resident_id FROM {kind} WHERE deleted = 0 ORDER BY id LIMIT 2")
            for kind in ("condition", "medication", "assessment")
        }
    for kind, rows in entries.items():
        for entry_id, resident_id in rows:
            remove_entry(context.uow(), resident_id=resident_id, kind=kind, entry_id=entry_id)


def test_the_record_is_the_same_read_from_the_covering_indexes_or_from_the_rows(
    demo_center: Callable[..., Path], template_copy: Callable[[Path], AppContext]
) -> None:
    context = template_copy(demo_center(residents=40, seed=5, today=TODAY))
    ids = _resident_ids(context)
    _with_removed_entries(context)
    from_indexes = _all_records(context, ids)
    with context.uow() as uow:
        for index in RECORD_INDEXES.values():  # as before migration 0013: each row read from its table
            uow.session.execute(text(f"DROP INDEX {index}"))
        uow.commit()
    assert _all_records(context, ids) == from_indexes


def test_opening_a_record_reads_no_section_row_from_its_table(
    demo_center: Callable[..., Path], template_copy: Callable[[Path], AppContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    context = template_copy(demo_center(residents=40, seed=5, today=TODAY))
    resident_id = _resident_ids(context)[0]
    queries: list[tuple[str, dict[str, Any]]] = []
    fast_rows = UnitOfWork.fast_rows

    def recorded(uow: UnitOfWork, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        queries.append((sql, params or {}))
        return fast_rows(uow, sql, params)

    monkeypatch.setattr(UnitOfWork, "fast_rows", recorded)
    load_record(context.uow(), resident_id=resident_id)
    monkeypatch.setattr(UnitOfWork, "fast_rows", fast_rows)
    with context.uow().reading() as uow:
        steps = [row[3] for sql, params in queries for row in uow.fast_rows("EXPLAIN QUERY PLAN " + sql, params)]
    plan = " | ".join(steps)
    for index in RECORD_INDEXES.values():
        assert f"USING COVERING INDEX {index} (resident_id=?)" in plan, (index, steps)
    assert not any(step.startswith("SCAN") for step in steps), steps  # no section reads a whole table
    assert not any("FROM visit" in sql for sql, _ in queries), queries  # the Visits tab reads its history itself
    assert "SEARCH r USING INDEX sqlite_autoindex_resident_1 (id=?)" in steps, steps  # the resident by its key


def test_a_removed_resident_has_no_record(
    demo_center: Callable[..., Path], template_copy: Callable[[Path], AppContext]
) -> None:
    """The header is found by the resident's key alone; a tombstone is still "no such resident"."""
    context = template_copy(demo_center(residents=40, seed=5, today=TODAY))
    resident_id = _resident_ids(context)[0]
    with context.uow() as uow:
        uow.session.execute(text("UPDATE resident SET deleted = 1 WHERE id = :id"), {"id": resident_id})
        uow.commit()
    with pytest.raises(NotFound):
        load_record(context.uow(), resident_id=resident_id)
