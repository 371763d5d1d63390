"""Sync's own connection: its transactions end the way the import and export rely on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from app.store.queries import sync_rows
from app.store.queries.sync_base import SyncConnection
from app.store.queries.sync_connection import sync_connection

TODAY = date(2026, 11, 16)


@pytest.fixture
def connection(demo_center: Callable[..., Path], tmp_path: Path) -> Iterator[SyncConnection]:
    copy = tmp_path / "center.sqlite"
    copy.write_bytes(demo_center(residents=6, seed=3, today=TODAY).read_bytes())
    with sync_connection(copy) as connection:
        yield connection


def _visit(connection: SyncConnection) -> tuple[str, str]:
    return connection.driver.execute("SELECT id, resident_id FROM visit ORDER BY id LIMIT 1").fetchone()


def _resident_of(connection: SyncConnection, visit_id: str) -> str:
    return connection.driver.execute("SELECT resident_id FROM visit WHERE id = ?", (visit_id,)).fetchone()[0]


def _findings(connection: SyncConnection, visit_id: str) -> str:
    return connection.driver.execute("SELECT findings FROM visit WHERE id = ?", (visit_id,)).fetchone()[0]


def test_writing_commits_at_the_end_and_rolls_back_on_any_exception(connection: SyncConnection) -> None:
    visit_id, _ = _visit(connection)
    before = _findings(connection, visit_id)
    with pytest.raises(KeyboardInterrupt), connection.writing():
        connection.driver.execute("UPDATE visit SET findings = 'rolled back' WHERE id = ?", (visit_id,))
        raise KeyboardInterrupt
    assert not connection.in_transaction
    assert _findings(connection, visit_id) == before
    with connection.writing():
        connection.driver.execute("UPDATE visit SET findings = 'kept' WHERE id = ?", (visit_id,))
    connection.rollback_if_open()  # nothing open: nothing to undo
    assert _findings(connection, visit_id) == "kept"


def test_try_commit_reports_a_deferred_foreign_key_and_keeps_the_transaction_open(
    connection: SyncConnection,
) -> None:
    visit_id, resident_id = _visit(connection)
    connection.begin_writing()
    connection.defer_foreign_keys()
    connection.driver.execute("UPDATE visit SET resident_id = 'nobody' WHERE id = ?", (visit_id,))
    assert connection.try_commit() is False
    assert connection.in_transaction
    assert sync_rows.foreign_key_violations(connection) == [("visit", visit_id)]
    connection.driver.execute("UPDATE visit SET resident_id = ? WHERE id = ?", (resident_id, visit_id))
    assert connection.try_commit() is True
    assert not connection.in_transaction and _resident_of(connection, visit_id) == resident_id


def test_a_transaction_left_open_is_rolled_back_when_the_connection_closes(tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    with sync_connection(copy) as connection:
        connection.driver.execute("CREATE TABLE note (text TEXT)")
        connection.begin_writing()
        connection.driver.execute("INSERT INTO note VALUES ('lost')")
    with sync_connection(copy) as connection:
        assert sync_rows.count_rows(connection, "note") == 0
