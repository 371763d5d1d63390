"""The window on a database this user may not write (issue 12 §6): a plain banner, the record opens for viewing.

Tests run as root, for whom every file is writable: the permission check (``os.access``) is simulated.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain import i18n
from app.services.accounts import sign_in as accounts
from app.services.demo import DEMO_PASSWORD
from app.settings import Settings
from app.store import cipher
from app.store.encrypt import encrypt_database
from app.ui.record.dialog import ResidentRecordDialog
from app.ui.shell.i18n import install_translators
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import database_pool

WAIT_MS = 15_000
TODAY = date(2026, 11, 16)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(params=["plain", "encrypted"])
def center(
    request: pytest.FixtureRequest, demo_center: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    path = tmp_path / "data" / "center.sqlite"
    path.parent.mkdir()
    shutil.copyfile(demo_center(residents=15, seed=4, today=TODAY), path)
    if request.param == "encrypted":
        encrypt_database(path)
        cipher.forget(path)
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    real = os.access
    denied = {str(path)}  # the file 0444 (its folder denied works the same: tests/store/test_read_only.py)

    def access(target: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and os.fspath(target) in denied:  # type: ignore[arg-type]
            return False
        return real(target, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    return path


@pytest.fixture
def language(request: pytest.FixtureRequest, qapp: QApplication) -> str:
    name = str(getattr(request, "param", "en"))
    install_translators(qapp, name)
    request.addfinalizer(lambda: (install_translators(qapp, "en"), i18n.set_language("en")))
    return name


def open_window(qtbot: QtBot, path: Path, tmp_path: Path) -> MainWindow:
    window = MainWindow(database_path=path, settings=Settings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
    return window


def sign_in(qtbot: QtBot, window: MainWindow, login: str = "doctor1") -> None:
    panel = window.sign_in_panel
    panel.login_edit.clear()
    qtbot.keyClicks(panel.login_edit, login)
    qtbot.keyClicks(panel.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_a_read_only_database_says_so_at_start_and_the_record_opens_for_viewing(
    qtbot: QtBot, center: Path, language: str, tmp_path: Path
) -> None:
    """It was refused at start in a box ("CareRounds cannot use it"): no record could even be looked at."""
    window = open_window(qtbot, center, tmp_path)
    banner = window.read_only_banner
    words = {"en": "Read-only", "zh_CN": "只读"}[language]
    nothing_saved = {"en": "no change can be saved", "zh_CN": "任何修改都无法保存"}[language]
    assert banner.isVisible() and words in banner.text() and nothing_saved in banner.text()
    assert str(center) in banner.text() and window.failure_box is None
    assert window.sign_in_panel.sign_in_button.isEnabled()  # before sign-in, encrypted or not

    sign_in(qtbot, window)
    assert window.workspace is not None and banner.isVisible()
    assert window.context is not None and window.context.database.read_only
    assert not window.change_password_action.isEnabled() and not window.backup_action.isEnabled()

    with window.context.uow().reading() as uow:
        resident_id, opened_before = uow.rows(
            "SELECT (SELECT id FROM resident ORDER BY name LIMIT 1), COUNT(*) FROM auditentry WHERE action = 'open'"
        )[0]
    with qtbot.waitSignal(window.workspace.pages.currentChanged, timeout=WAIT_MS, raising=False):
        window.workspace.open_resident(resident_id)
    dialog = window.findChild(ResidentRecordDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=WAIT_MS)
    assert dialog.record.resident.id == resident_id  # type: ignore[union-attr]
    assert not dialog.may_edit and not dialog.may_assess and dialog.read_only_label.isVisible()
    note = {"en": "database file may not be written", "zh_CN": "数据库文件不可写入"}[language]
    assert note in dialog.read_only_label.text()
    database_pool().waitForDone(WAIT_MS)
    with window.context.uow().reading() as uow:  # nothing written: not even the record's "opened" entry
        assert uow.rows("SELECT COUNT(*) FROM auditentry WHERE action = 'open'")[0][0] == opened_before
    dialog.close()
    window.close()
