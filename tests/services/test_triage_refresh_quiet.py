"""Refreshing triage suggestions is bookkeeping: no audit entry in anybody's name, nothing to sync.

A new-user review found that opening the triage review as a nurse wrote hundreds of audited "resident changed"
entries in her name, and that ``triage suggest`` did the same; those rows then travelled in the next sync file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import AppContext, open_context
from app.services.accounts.sign_in import sign_in
from app.services.demo.center import create_demo_center
from app.services.triage import refresh_suggestions, triage_review
from app.store.sqlite import sqlite3

TODAY = date(2026, 11, 16)


@pytest.fixture
def center(tmp_path: Path) -> Iterator[AppContext]:
    context = open_context(tmp_path / "demo.sqlite")
    create_demo_center(context.database, residents=120, seed=5, today=TODAY)
    with sqlite3.connect(context.database.path) as raw:  # suggestions out of date, as after new visits
        raw.execute("UPDATE resident SET suggested_colour = 'green'")
    yield context
    context.close()


def snapshot(path: Path) -> tuple[int, list[tuple[str, str, str]]]:
    with sqlite3.connect(path) as raw:
        audits = raw.execute("SELECT COUNT(*) FROM auditentry").fetchone()[0]
        stamps = raw.execute("SELECT id, updated_at, COALESCE(field_clocks, '') FROM resident ORDER BY id").fetchall()
    return audits, stamps


def test_a_nurse_refreshing_suggestions_writes_no_audit_entry_and_no_sync_stamp(center: AppContext) -> None:
    center.actor_id = sign_in(center.uow(), login="nurse1", password="demo1234").staff_id
    audits, stamps = snapshot(center.database.path)
    result = refresh_suggestions(center.uow(), today=TODAY)
    assert result.changed > 0  # the suggestions were stored ...
    assert snapshot(center.database.path) == (audits, stamps)  # ... as bookkeeping: not audited, not to sync
    with sqlite3.connect(center.database.path) as raw:
        stored = raw.execute("SELECT COUNT(*) FROM resident WHERE suggested_colour != 'green'").fetchone()[0]
    assert stored > 0
    assert {row.resident.id for row in triage_review(center.uow(), today=TODAY)}  # the review still sees them


def test_refreshing_twice_changes_nothing_the_second_time(center: AppContext) -> None:
    refresh_suggestions(center.uow(), today=TODAY)
    assert refresh_suggestions(center.uow(), today=TODAY).changed == 0
