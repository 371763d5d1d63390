"""First-start page: joining an existing center from a join package (app.ui.shell.setup, main_window)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import open_context
from app.domain import i18n
from app.domain.roles import Role
from app.services.admin.center import center_info, needs_setup, set_up_center
from app.services.sync.join import invite_device
from app.settings import Settings
from app.store.models import Staff
from app.ui.shell.main_window import MainWindow
from app.ui.sync.dialogs import JoinCenterDialog

WAIT_MS = 15_000
PASSPHRASE = "Ward-7 round sheet"

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A join package of a center named 康宁 whose administrator is admin / s3cret-pass."""
    context = open_context(tmp_path / "center" / "workstation.sqlite")
    try:
        set_up_center(
            context.uow(),
            name="康宁街道社区卫生服务中心",
            code="KN01",
            admin_name="王管理",
            admin_login="admin",
            admin_password="s3cret-pass",
        )
        with context.uow() as uow:
            context.actor_id = uow.session.exec(select(Staff)).one().id
        out = tmp_path / "join.crsync"
        invite_device(context.uow(), out=out, passphrase=PASSPHRASE, scrypt_n=1 << 10)
    finally:
        context.close()
    return out


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(parent: QWidget | None, title: str, text: str, *args: object) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "warning", record)
    monkeypatch.setattr(QMessageBox, "critical", record)
    return shown


def open_fresh_window(qtbot: QtBot, path: Path, tmp_path: Path) -> MainWindow:
    i18n.set_language("en")
    window = MainWindow(database_path=path, settings=Settings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
    assert window.setup_page is not None and window.stack.currentWidget() is window.setup_page
    return window


def join_dialog(qtbot: QtBot, window: MainWindow) -> JoinCenterDialog:
    assert window.setup_page is not None
    qtbot.mouseClick(window.setup_page.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.join_dialog is not None and window.join_dialog.isVisible(), timeout=WAIT_MS)
    assert isinstance(window.join_dialog, JoinCenterDialog)
    assert window.context is None  # the empty database is closed while the file is replaced
    return window.join_dialog


def test_the_first_start_page_offers_to_join_a_center(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_fresh_window(qtbot, tmp_path / "laptop.sqlite", tmp_path)
    page = window.setup_page
    assert page is not None
    assert page.join_button.isVisible() and page.join_button.isEnabled()
    assert page.join_button.text() == "&Join a center from a join package…"
    with qtbot.waitSignal(page.join_requested, timeout=1000):
        qtbot.mouseClick(page.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.join_dialog is not None, timeout=WAIT_MS)
    assert window.join_dialog is not None
    window.join_dialog.reject()
    qtbot.waitUntil(lambda: window.setup_page is not None and window.context is not None, timeout=WAIT_MS)


def test_joining_opens_the_joined_center_and_its_staff_sign_in(
    qtbot: QtBot, tmp_path: Path, package: Path, warnings: list[str]
) -> None:
    path = tmp_path / "laptop.sqlite"
    window = open_fresh_window(qtbot, path, tmp_path)
    dialog = join_dialog(qtbot, window)
    dialog.file_edit.setText(str(package))
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(dialog.name_edit, "nurse laptop")
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        dialog.join()
    assert warnings == []
    assert window.setup_page is None and window.stack.currentWidget() is window.sign_in_panel
    assert window.context is not None and not needs_setup(window.context.uow())
    info = center_info(window.context.uow())
    assert info is not None and info.name == "康宁街道社区卫生服务中心"
    panel = window.sign_in_panel
    assert panel.center_label.text() == "康宁街道社区卫生服务中心" and panel.sign_in_button.isEnabled()
    assert "joined 康宁街道社区卫生服务中心" in window.statusBar().currentMessage()
    assert "nurse laptop" in window.statusBar().currentMessage()

    qtbot.keyClicks(panel.login_edit, "admin")
    qtbot.keyClicks(panel.password_edit, "s3cret-pass")
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS) as signed:
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)
    assert signed.args[0].role is Role.ADMIN and window.workspace is not None


def test_a_wrong_passphrase_keeps_the_dialog_and_cancelling_returns_to_set_up(
    qtbot: QtBot, tmp_path: Path, package: Path, warnings: list[str]
) -> None:
    path = tmp_path / "laptop.sqlite"
    window = open_fresh_window(qtbot, path, tmp_path)
    dialog = join_dialog(qtbot, window)
    dialog.file_edit.setText(str(package))
    qtbot.keyClicks(dialog.passphrase_edit, "not the passphrase")
    dialog.join()
    qtbot.waitUntil(lambda: bool(warnings), timeout=WAIT_MS)
    assert "passphrase" in warnings[0].lower()
    assert dialog.isVisible() and window.context is None
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        dialog.reject()
    # back on a fresh set-up page over the same, still empty database
    assert window.setup_page is not None and window.stack.currentWidget() is window.setup_page
    assert window.context is not None and needs_setup(window.context.uow())
    assert window.setup_page.join_button.isEnabled() and window.setup_page.create_button.isEnabled()
