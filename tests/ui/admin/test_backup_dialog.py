"""The backup dialog (app.ui.admin.backup_dialog): list, back up now, restore after a confirmation, recovery."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from widget_lifetime import keep, settle

from app.bootstrap import AppContext, open_context
from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts.sign_in import create_staff
from app.services.admin.backups import create_backup
from app.services.admin.center import set_up_center
from app.store.sqlite import sqlite3
from app.ui.admin.backup_dialog import BackupDialog
from app.ui.shell.i18n import install_translators

WAIT_MS = 10_000

pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"), pytest.mark.usefixtures("english")]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "center.sqlite"
    real, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    ctx = open_context(path)
    try:
        set_up_center(
            ctx.uow(),
            name="康宁街道社区卫生服务中心",
            code="KN01",
            admin_name="王管理",
            admin_login="admin",
            admin_password="s3cret-pass",
        )
        with ctx.uow() as uow:
            create_staff(uow, name="张护士", role=Role.NURSE, login="nurse", password="s3cret-pass")
            uow.commit()
    finally:
        ctx.close()
        accounts._hasher = real
    return path


@pytest.fixture
def db(template: Path, db_path: Path) -> Path:
    shutil.copyfile(template, db_path)
    return db_path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def context(db: Path) -> Iterator[AppContext]:
    ctx = open_context(db)
    ctx.actor_id = staff_id(db, "admin")
    yield ctx
    settle()
    ctx.close()


def staff_id(db: Path, login: str) -> str:
    with sqlite3.connect(db) as raw:
        return str(raw.execute("SELECT id FROM staff WHERE login = ?", (login,)).fetchone()[0])


def center_name(db: Path) -> str:
    with sqlite3.connect(db) as raw:
        return str(raw.execute("SELECT name FROM center").fetchone()[0])


def open_dialog(qtbot: QtBot, db: Path, folder: Path, context: AppContext | None, damaged: str = "") -> BackupDialog:
    dialog = BackupDialog(db, folder, context=context, damaged=damaged)
    qtbot.addWidget(keep(dialog))
    with qtbot.waitSignal(dialog.listed, timeout=WAIT_MS):
        dialog.show()
    return dialog


def answer_restore(monkeypatch: pytest.MonkeyPatch, *, restore: bool) -> list[str]:
    """Answer the confirmation box at once instead of showing it; return the questions asked."""
    asked: list[str] = []

    def fake_open(box: QMessageBox) -> None:
        asked.append(box.text() + "\n" + box.informativeText())
        wanted = "Restore" if restore else "Cancel"
        button = next(b for b in box.buttons() if b.text() == wanted)
        button.click()

    monkeypatch.setattr(QMessageBox, "open", fake_open)
    return asked


def test_the_backups_are_listed_newest_first(qtbot: QtBot, db: Path, folder: Path, context: AppContext) -> None:
    create_backup(db, folder=folder, label="daily", now=datetime(2026, 11, 16, 8, 0))
    create_backup(db, folder=folder, now=datetime(2026, 11, 17, 9, 30))
    dialog = open_dialog(qtbot, db, folder, context)
    assert [dialog.model.index(r, 0).data() for r in range(2)] == ["2026-11-17 09:30:00", "2026-11-16 08:00:00"]
    assert [dialog.model.index(r, 1).data() for r in range(2)] == ["Made by hand", "Daily"]
    assert dialog.backup_button.isEnabled() and dialog.restore_button.isEnabled()
    assert str(folder) in dialog.folder_label.text()


def test_backing_up_now(qtbot: QtBot, db: Path, folder: Path, context: AppContext) -> None:
    dialog = open_dialog(qtbot, db, folder, context)
    assert dialog.model.rowCount() == 0 and "no backup" in dialog.status_label.text()
    with qtbot.waitSignals([dialog.backedUp, dialog.listed], timeout=WAIT_MS):
        dialog.back_up_now()
    assert dialog.model.rowCount() == 1 and dialog.status_label.text().startswith("Backed up to center-")


def test_a_restore_asks_first_and_cancel_changes_nothing(
    qtbot: QtBot, db: Path, folder: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_backup(db, folder=folder, now=datetime(2026, 11, 17, 9, 30))
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE center SET name = '改过的名字'")
    asked = answer_restore(monkeypatch, restore=False)
    dialog = open_dialog(qtbot, db, folder, context)
    dialog.restore_selected()
    assert len(asked) == 1 and "2026-11-17 09:30" in asked[0] and "backed up first" in asked[0]
    assert center_name(db) == "改过的名字"


def test_a_confirmed_restore_puts_the_backup_back(
    qtbot: QtBot, db: Path, folder: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_backup(db, folder=folder, now=datetime(2026, 11, 17, 9, 30))
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE center SET name = '改过的名字'")
    answer_restore(monkeypatch, restore=True)
    dialog = open_dialog(qtbot, db, folder, context)
    with qtbot.waitSignal(dialog.restored, timeout=WAIT_MS) as restored:
        dialog.restore_selected()
    report = restored.args[0]
    assert center_name(db) == "康宁街道社区卫生服务中心"
    assert center_name(report.safety_backup) == "改过的名字"
    assert "The state before the restore is saved as" in dialog.status_label.text()


def test_only_the_administrator_may_back_up_and_restore(
    qtbot: QtBot, db: Path, folder: Path, context: AppContext
) -> None:
    create_backup(db, folder=folder)
    context.actor_id = staff_id(db, "nurse")
    dialog = open_dialog(qtbot, db, folder, context)
    assert not dialog.backup_button.isEnabled() and not dialog.restore_button.isEnabled()
    assert not dialog.file_button.isEnabled() and "administrator" in dialog.status_label.text()


def test_recovery_mode_restores_a_damaged_database_without_sign_in(
    qtbot: QtBot, db: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_backup(db, folder=folder, now=datetime(2026, 11, 17, 9, 30))
    db.write_bytes(b"\0" * 4096 + b"damaged" * 4000)
    answer_restore(monkeypatch, restore=True)
    dialog = open_dialog(qtbot, db, folder, None, damaged="The database is damaged.")
    assert not dialog.damaged_label.isHidden() and not dialog.backup_button.isEnabled()
    with qtbot.waitSignal(dialog.restored, timeout=WAIT_MS) as restored:
        dialog.restore_selected()
    assert restored.args[0].method == "file-replace"
    assert center_name(db) == "康宁街道社区卫生服务中心"


def test_a_bad_file_is_reported_and_changes_nothing(
    qtbot: QtBot, db: Path, folder: Path, tmp_path: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a: shown.append(text))
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"garbage" * 1000)
    dialog = open_dialog(qtbot, db, folder, context)
    dialog.restore(garbage)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert "not a usable CareRounds backup" in shown[0]
    assert dialog.close_button.isEnabled()
    assert center_name(db) == "康宁街道社区卫生服务中心"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DELETE FROM alembic_version", "its schema version is missing"),
        ("DROP TABLE auditentry", "tables are missing: auditentry"),
        ("UPDATE center SET id = 'another-center-id', name = '另一个中心'", "belongs to another center (另一个中心)"),
    ],
)
def test_a_file_the_restore_refuses_is_explained_in_a_dialog(
    qtbot: QtBot,
    db: Path,
    folder: Path,
    tmp_path: Path,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    sql: str,
    message: str,
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a: shown.append(text))
    candidate = tmp_path / "candidate.sqlite"
    shutil.copyfile(db, candidate)
    with sqlite3.connect(candidate) as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute(sql)
        raw.execute("DELETE FROM device_state")  # blanked: the center id decides
    raw.close()
    before = content(db)  # through SQLite: this process holds connections to the file
    dialog = open_dialog(qtbot, db, folder, context)
    dialog.restore(candidate)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert message in shown[0] and "Traceback" not in shown[0]
    assert dialog.close_button.isEnabled()
    assert content(db) == before and center_name(db) == "康宁街道社区卫生服务中心"
    assert not folder.exists() or not list(folder.iterdir())


def content(path: Path) -> list[str]:
    """Every table's schema and rows, as text (SQLCipher's sqlite3 has no ``iterdump``)."""
    raw = sqlite3.connect(path)
    try:
        tables = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
        lines = [str(sql) for _name, sql in tables]
        for name, _sql in tables:
            lines += sorted(repr(row) for row in raw.execute(f'SELECT * FROM "{name}"'))
        return lines
    finally:
        raw.close()


def test_the_dialog_speaks_chinese(
    qtbot: QtBot, db: Path, folder: Path, context: AppContext, qapp: QApplication
) -> None:
    install_translators(qapp, "zh_CN")
    create_backup(db, folder=folder, label="daily")
    dialog = open_dialog(qtbot, db, folder, context)
    assert dialog.windowTitle() == "备份与恢复"
    assert dialog.model.index(0, 1).data() == "每日备份"


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads /proc/locks (Linux)")
def test_choosing_the_databases_own_shm_is_refused_and_the_window_keeps_its_locks(
    qtbot: QtBot, db: Path, folder: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Restore from a file…' with the database's -shm chosen: refused before the file is opened (#12 part 1)."""
    from tests.store.test_backup_locks import posix_locks

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a: shown.append(text))
    with context.uow() as uow:
        uow.rows("SELECT COUNT(*) FROM staff")
    shm = db.with_name(db.name + "-shm")

    def locks() -> list[str]:
        return sorted(line.split(":", 1)[1] for line in posix_locks(os.getpid(), shm.stat().st_ino))

    held = locks()
    assert held
    dialog = open_dialog(qtbot, db, folder, context)
    dialog.restore(shm)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert "restored from itself" in shown[0]
    assert locks() == held
