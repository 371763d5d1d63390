"""Issue 14, "a guard for the future": sign in as a role, open every page, press every button and menu action.

Real widgets, offscreen, in Chinese. Modal dialogs are not run: ``exec()`` records the dialog's texts and
answers Cancel; dialogs opened with ``open()`` are read, then closed; file choosers answer "cancelled"
(nothing from outside is needed). The walk fails on a traceback (pytest-qt fails the test on an exception in
a slot), on any Qt warning (``qt_log_level_fail = WARNING``), on an error logged, and on any identifier
(snake_case or a dotted key) or stored code shown in a page or a dialog.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from test_chinese_everywhere import busy_center, english_identifiers, identifiers_in  # noqa: F401  (a fixture)

from app.domain import i18n
from app.settings import Settings
from app.ui.record.dialog import ResidentRecordDialog
from app.ui.shell.i18n import install_translators
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import database_pool

WAIT_MS = 30_000

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

SKIPPED_TEXTS = ("退出", "注销")
"""Buttons and actions the walk leaves for the end (quit, sign out)."""


class Dialogs:
    """What the walk's dialogs showed: (where, identifier, text) for each identifier found."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.problems: list[tuple[str, str, str]] = []

    def read(self, dialog: QWidget) -> None:
        title = dialog.windowTitle() or type(dialog).__name__
        self.seen.append(title)
        self.problems += [(f"dialog {title}", word, where) for word, where in english_identifiers(dialog)]


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Dialogs:
    found = Dialogs()

    def exec_(self: QDialog) -> int:
        found.read(self)
        return int(QDialog.DialogCode.Rejected)

    def box(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        found.seen.append(" / ".join(str(a) for a in args[1:3]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QDialog, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "exec", exec_)
    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(box))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))

    def asked(cancelled: object) -> object:
        def ask(*args: object, **_kwargs: object) -> object:
            found.seen.append(" / ".join(str(a) for a in args[1:3]))  # its title and label, read like a box's
            found.problems += [("input dialog", word, "") for text in args[1:3] for word in identifiers_in(str(text))]
            return cancelled

        return staticmethod(ask)

    for name, cancelled in (("getText", ("", False)), ("getMultiLineText", ("", False)), ("getItem", ("", False))):
        monkeypatch.setattr(QInputDialog, name, asked(cancelled))
    monkeypatch.setattr(QInputDialog, "getInt", asked((0, False)))
    monkeypatch.setattr(QInputDialog, "getDouble", asked((0.0, False)))
    return found


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    install_translators(qapp, "zh_CN")
    i18n.set_language("zh_CN")
    yield
    database_pool().waitForDone(WAIT_MS)
    install_translators(qapp, "en")
    i18n.set_language("en")


def settle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: database_pool().activeThreadCount() == 0, timeout=WAIT_MS)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: database_pool().activeThreadCount() == 0, timeout=WAIT_MS)


def close_new_windows(qtbot: QtBot, window: MainWindow, dialogs: Dialogs) -> None:
    """Read and close every window that opened over the main window (open() dialogs, previews)."""
    for _ in range(5):
        opened = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
        if not opened:
            return
        for widget in opened:
            dialogs.read(widget)
            if isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()
        settle(qtbot)


def buttons_of(page: QWidget) -> list[QAbstractButton]:
    return [
        button
        for button in page.findChildren(QAbstractButton)
        if button.isVisible()
        and button.isEnabled()
        and button.window() is page.window()
        and not any(text in button.text() for text in SKIPPED_TEXTS)
    ]


@pytest.mark.parametrize("login", ["admin", "doctor1", "nurse1", "assistant1"])
def test_a_day_of_a_role_every_page_button_and_menu(
    qtbot: QtBot,
    busy_center: Path,  # noqa: F811
    tmp_path: Path,
    chinese: None,
    dialogs: Dialogs,
    caplog: pytest.LogCaptureFixture,
    login: str,
) -> None:
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(busy_center, path)
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
    assert workspace is not None
    settle(qtbot)
    close_new_windows(qtbot, window, dialogs)

    problems: list[tuple[str, str, str]] = []
    pressed: list[str] = []
    for key in workspace.keys():  # noqa: SIM118 (not a dict)
        workspace.show_page(key)
        settle(qtbot)
        page = workspace.page(key)
        problems += [(key, word, where) for word, where in english_identifiers(page)]
        for button in buttons_of(page):
            if not shiboken6.isValid(button) or not (button.isVisible() and button.isEnabled()):
                continue  # an earlier button changed the page
            pressed.append(f"{key}: {button.text() or button.toolTip()}")
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            settle(qtbot)
            close_new_windows(qtbot, window, dialogs)
            if workspace.page(key) is not page or window.workspace is not workspace:
                break
    # a resident's record, opened from the search box with Enter, every tab read
    workspace.show_page("residents")
    residents = workspace.page("residents")
    settle(qtbot)
    residents.search_edit.setFocus()
    residents.search_edit.setText("周桂兰")  # (QTest cannot type Chinese characters)
    qtbot.keyClick(residents.search_edit, Qt.Key.Key_Return)
    settle(qtbot)
    records = [w for w in QApplication.topLevelWidgets() if isinstance(w, ResidentRecordDialog) and w.isVisible()]
    assert len(records) == 1
    for index in range(records[0].tabs.count()):
        records[0].tabs.setCurrentIndex(index)
        settle(qtbot)
        dialogs.read(records[0])
    close_new_windows(qtbot, window, dialogs)

    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if isinstance(action, QAction) and action.isEnabled() and not action.isSeparator():
                if any(text in action.text() for text in SKIPPED_TEXTS):
                    continue
                pressed.append(f"menu: {action.text()}")
                action.trigger()
                settle(qtbot)
                close_new_windows(qtbot, window, dialogs)

    problems += dialogs.problems
    assert len(pressed) > 20, pressed  # the walk did press things
    assert not problems, "\n".join(f"{where}: {word!r}: {text}" for where, word, text in problems[:40])
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors
    window.sign_out()
    settle(qtbot)
