"""A record opens at once while another window or command writes; its "opened" audit entry follows.

The database work of the window runs on one thread. Recording the opening is a write: it waits for the
write lock. It must not hold up the record's own (reading) load queued behind it on that thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.services.accounts.sign_in import sign_in
from app.services.demo.center import create_demo_center
from app.store import database as database_module
from app.store.sqlite import sqlite3
from app.ui.record.dialog import ResidentRecordDialog
from app.ui.shell.tasks import database_pool
from app.ui.shell.workspace import Workspace

WAIT_MS = 4_000


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", WAIT_MS)
    context = open_context(tmp_path / "demo.sqlite")
    create_demo_center(context.database, residents=20, seed=4, today=date(2026, 11, 16))
    yield context
    database_pool().waitForDone(2 * WAIT_MS)
    QThreadPool.globalInstance().waitForDone(2 * WAIT_MS)
    context.close()


def _opened_entries(path: Path, resident_id: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(
            connection.execute(
                "SELECT COUNT(*) FROM auditentry WHERE action = 'open' AND resident_id = ?", (resident_id,)
            ).fetchone()[0]
        )
    finally:
        connection.close()


def test_a_record_shows_at_once_while_another_connection_holds_the_write_lock(qtbot: QtBot, demo: AppContext) -> None:
    signed = sign_in(demo.uow(), login="nurse1", password="demo1234")
    demo.actor_id = signed.staff_id
    workspace = Workspace(demo, signed=signed, center=None)
    qtbot.addWidget(workspace)
    qtbot.waitUntil(lambda: database_pool().activeThreadCount() == 0, timeout=20_000)
    path = demo.database.path
    connection = sqlite3.connect(path)
    resident_id, name = connection.execute(
        "SELECT id, name FROM resident WHERE deleted = 0 ORDER BY id LIMIT 1"
    ).fetchone()
    connection.close()

    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a sync import, say, in another process
    try:
        workspace.open_resident(resident_id)
        dialogs = workspace.findChildren(ResidentRecordDialog)
        assert len(dialogs) == 1
        dialog = dialogs[0]
        # well before the writer's lock could be waited out
        qtbot.waitUntil(lambda: dialog.record is not None, timeout=WAIT_MS // 2)
        assert dialog.record is not None and dialog.record.resident.name == name
        assert _opened_entries(path, resident_id) == 0  # the opening waits for the lock
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    qtbot.waitUntil(lambda: _opened_entries(path, resident_id) == 1, timeout=WAIT_MS)  # and then is recorded
    dialog.close()
