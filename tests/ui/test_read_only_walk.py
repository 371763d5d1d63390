"""A day on a read-only database (issue 12 §6): every page, button and menu action, as each role.

The role walk of ``test_role_walk`` on a copy this user "may not write" (``os.access`` simulated: the tests
run as root). Whatever a button or a menu tries to change is disabled or refused with the read-only message,
in Chinese, naming the file — never SQLite's or SQLAlchemy's words, never an error logged.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from test_chinese_everywhere import busy_center  # noqa: F401  (a fixture)
from test_role_walk import SKIPPED_TEXTS, Dialogs, buttons_of, chinese, close_new_windows, dialogs, settle  # noqa: F401

from app.settings import Settings
from app.ui.shell.main_window import MainWindow

WAIT_MS = 30_000
RAW = ("OperationalError", "sqlalche.me", "readonly database", "attempt to write", "Traceback")

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("login", ["admin", "doctor1"])
def test_a_day_on_a_read_only_database_every_change_refused_in_words(
    qtbot: QtBot,
    busy_center: Path,  # noqa: F811
    tmp_path: Path,
    chinese: None,  # noqa: F811
    dialogs: Dialogs,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    login: str,
) -> None:
    path = tmp_path / "data" / "demo.sqlite"
    path.parent.mkdir()
    shutil.copyfile(busy_center, path)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, m, *a, **k: False if m & os.W_OK and os.fspath(p) == str(path) else real(p, m, *a, **k)
    )
    before = path.read_bytes()
    settings = Settings(tmp_path / "settings.json")
    settings.set("backup_dir", str(tmp_path / "backups"))
    window = MainWindow(database_path=path, settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
    panel = window.sign_in_panel
    qtbot.keyClicks(panel.login_edit, login)
    qtbot.keyClicks(panel.password_edit, "demo1234")
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)
    workspace = window.workspace
    assert workspace is not None and window.read_only_banner.isVisible()
    settle(qtbot)
    close_new_windows(qtbot, window, dialogs)
    pressed: list[str] = []
    for key in workspace.keys():  # noqa: SIM118 (not a dict)
        workspace.show_page(key)
        settle(qtbot)
        page = workspace.page(key)
        for button in buttons_of(page):
            if not shiboken6.isValid(button) or not (button.isVisible() and button.isEnabled()):
                continue
            pressed.append(f"{key}: {button.text() or button.toolTip()}")
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            settle(qtbot)
            close_new_windows(qtbot, window, dialogs)
            if workspace.page(key) is not page or window.workspace is not workspace:
                break
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if isinstance(action, QAction) and action.isEnabled() and not action.isSeparator():
                if any(text in action.text() for text in SKIPPED_TEXTS):
                    continue
                pressed.append(f"menu: {action.text()}")
                action.trigger()
                settle(qtbot)
                close_new_windows(qtbot, window, dialogs)
    assert len(pressed) > 10, pressed
    raw = [text for text in dialogs.seen if any(word in text for word in RAW)]
    assert not raw, raw
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors
    window.sign_out()
    settle(qtbot)
    window.close()
    assert path.read_bytes() == before
