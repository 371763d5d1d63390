"""The main window's account menus by role: backup, triage rules, change my password (app.ui.shell.main_window)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import open_context
from app.domain import i18n
from app.services.demo.center import create_demo_center
from app.settings import Settings
from app.ui.admin.password_dialog import ChangePasswordDialog
from app.ui.shell.i18n import install_translators
from app.ui.shell.main_window import MainWindow
from app.ui.triage.rules import TriageRulesEditor

DEMO_TODAY = date(2026, 11, 16)
WAIT_MS = 15_000

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("accounts-demo") / "demo.sqlite"
    context = open_context(path)
    try:
        create_demo_center(context.database, residents=30, seed=3, today=DEMO_TODAY)
    finally:
        context.close()
    return path


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, demo_template: Path, tmp_path: Path) -> MainWindow:
    import shutil

    install_translators(qapp, "en")
    i18n.set_language("en")
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, path)
    settings = Settings(tmp_path / "settings.json")
    settings.set("backup_dir", str(tmp_path / "backups"))
    win = MainWindow(database_path=path, settings=settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.database_ready, timeout=WAIT_MS):
        win.open_database()
    return win


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(parent: QWidget | None, title: str, text: str, *args: object) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "warning", record)
    monkeypatch.setattr(QMessageBox, "critical", record)
    return shown


def sign_in(qtbot: QtBot, window: MainWindow, login: str, password: str = "demo1234") -> None:
    panel = window.sign_in_panel
    panel.login_edit.clear()
    panel.password_edit.clear()
    qtbot.keyClicks(panel.login_edit, login)
    qtbot.keyClicks(panel.password_edit, password)
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)


def open_rules(qtbot: QtBot, window: MainWindow) -> TriageRulesEditor:
    window.triage_rules_action.trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(TriageRulesEditor)), timeout=WAIT_MS)
    editor = window.findChildren(TriageRulesEditor)[-1]
    qtbot.waitUntil(lambda: editor.source_label.text() != "", timeout=WAIT_MS)
    return editor


def test_nothing_account_related_is_enabled_before_sign_in(window: MainWindow) -> None:
    for action in (
        window.backup_action,
        window.triage_rules_action,
        window.change_password_action,
        window.sign_out_action,
    ):
        assert not action.isEnabled(), action.text()
    assert window.preferences_action.isEnabled()


@pytest.mark.parametrize(
    ("login", "may_back_up", "may_edit_rules"),
    [("admin", True, True), ("doctor1", False, True), ("nurse1", False, False), ("assistant1", False, False)],
)
def test_menus_follow_the_role(
    qtbot: QtBot, window: MainWindow, login: str, may_back_up: bool, may_edit_rules: bool
) -> None:
    sign_in(qtbot, window, login)
    assert window.backup_action.isEnabled() is may_back_up
    assert window.triage_rules_action.isEnabled()  # everyone may read the rules
    assert window.change_password_action.isEnabled()
    editor = open_rules(qtbot, window)
    assert editor.may_edit is may_edit_rules
    assert editor.save_button.isVisible() is may_edit_rules
    assert editor.read_only_label.isVisible() is not may_edit_rules
    window.sign_out()
    assert not window.change_password_action.isEnabled() and not window.triage_rules_action.isEnabled()


def test_a_nurse_changes_her_password_from_the_file_menu(qtbot: QtBot, window: MainWindow, warnings: list[str]) -> None:
    sign_in(qtbot, window, "nurse1")
    window.change_password_action.trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(ChangePasswordDialog)), timeout=WAIT_MS)
    dialog = window.findChildren(ChangePasswordDialog)[-1]
    assert dialog.isVisible() and "nurse1" in dialog.note_label.text()

    qtbot.keyClicks(dialog.current_edit, "wrong-password")
    qtbot.keyClicks(dialog.new_edit, "ward7-nurse")
    qtbot.keyClicks(dialog.repeat_edit, "ward7-nurse")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error_text != "", timeout=WAIT_MS)
    assert dialog.error_text == "The current password is not correct." and dialog.isVisible()

    dialog.current_edit.setText("demo1234")
    dialog.new_edit.setText("ward7-nurse")
    dialog.repeat_edit.setText("ward7-nurse")
    with qtbot.waitSignal(dialog.changed, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Your password was changed."
    assert warnings == []

    window.sign_out()
    sign_in(qtbot, window, "nurse1", "ward7-nurse")
    assert window.signed is not None and window.signed.login == "nurse1"
