"""Choosing one's own password after an administrator set it: the forced dialog at sign-in and the users page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from widget_lifetime import keep

from app.bootstrap import AppContext, open_context
from app.domain import i18n
from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts import users
from app.services.accounts.sign_in import create_staff, sign_in
from app.services.admin.center import set_up_center
from app.settings import Settings
from app.ui.admin.password_dialog import ChangePasswordDialog
from app.ui.admin.users_page import PasswordDialog, StaffDialog, UsersPage
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import run_sync_for_tests

WAIT_MS = 15_000
PASSWORD = "s3cret-pass"
GIVEN = "from-admin-1"  # the password the administrator set

pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"), pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(autouse=True)
def english_messages() -> None:
    i18n.set_language("en")  # tests/conftest.py puts the language back afterwards


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A center with an administrator and a nurse whose password the administrator has just reset."""
    path = tmp_path_factory.mktemp("template") / "center.sqlite"
    real, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    ctx = open_context(path)
    try:
        set_up_center(
            ctx.uow(), name="康宁街道社区卫生服务中心", code="KN01", admin_name="王管理", admin_login="admin",
            admin_password=PASSWORD,
        )  # fmt: skip
        with ctx.uow() as uow:
            create_staff(uow, name="张护士", role=Role.NURSE, login="nurse", password=PASSWORD)
            uow.commit()
        ctx.actor_id = staff_id(ctx, "admin")
        users.reset_password(ctx.uow(), staff_id=staff_id(ctx, "nurse"), new_password=GIVEN)
    finally:
        ctx.close()
        accounts._hasher = real
    return path


@pytest.fixture
def context(template: Path, db_path: Path) -> Iterator[AppContext]:
    shutil.copyfile(template, db_path)
    ctx = open_context(db_path)
    yield ctx
    ctx.close()


def staff_id(context: AppContext, login: str) -> str:
    with context.uow() as uow:
        return str(uow.rows("SELECT id FROM staff WHERE login = :l", {"l": login})[0][0])


def must_change(context: AppContext, login: str) -> bool:
    with context.uow() as uow:
        return bool(uow.rows("SELECT must_change_password FROM staff WHERE login = :l", {"l": login})[0][0])


# --- the dialog in forced mode ----------------------------------------------------------------------------


@pytest.fixture
def forced(qtbot: QtBot, context: AppContext) -> ChangePasswordDialog:
    context.actor_id = sign_in(context.uow(), login="nurse", password=GIVEN).staff_id
    dialog = ChangePasswordDialog(context, "nurse", current_password=GIVEN)
    qtbot.addWidget(keep(dialog))
    dialog.show()
    return dialog


def test_the_forced_dialog_asks_only_for_the_new_password_and_offers_signing_out(
    forced: ChangePasswordDialog,
) -> None:
    assert forced.forced and forced.windowTitle() == "Choose your own password"
    assert forced.current_edit.isHidden() and not forced.new_edit.isHidden()
    assert "nurse" in forced.note_label.text() and "administrator" in forced.note_label.text()
    assert forced.cancel_button.text() == "Sign out"


def test_the_given_password_is_not_a_choice_of_ones_own(forced: ChangePasswordDialog, context: AppContext) -> None:
    forced.new_edit.setText(GIVEN)
    forced.repeat_edit.setText(GIVEN)
    with run_sync_for_tests():
        forced.submit()
    assert "the new password must differ from the current one" in forced.error_text and forced.isVisible()
    assert must_change(context, "nurse")
    QApplication.processEvents()
    # the two-line message makes the dialog taller instead of squeezing the wrapped note above it
    note = forced.note_label
    assert note.height() >= note.heightForWidth(note.width())


def test_choosing_a_password_clears_the_flag(qtbot: QtBot, forced: ChangePasswordDialog, context: AppContext) -> None:
    forced.new_edit.setText("nurse-own-1")
    forced.repeat_edit.setText("nurse-own-1")
    with qtbot.waitSignal(forced.accepted, timeout=WAIT_MS), run_sync_for_tests():
        forced.submit()
    assert not must_change(context, "nurse")
    assert sign_in(context.uow(), login="nurse", password="nurse-own-1").must_change_password is False


# --- signing in through the window ------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, context: AppContext, tmp_path: Path) -> Iterator[MainWindow]:
    path = context.database.path
    context.close()
    settings = Settings(tmp_path / "settings.json")
    settings.set("backup_dir", str(tmp_path / "backups"))
    win = MainWindow(database_path=path, settings=settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.database_ready, timeout=WAIT_MS):
        win.open_database()
    yield win
    win.sign_out()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(parent: QWidget | None, title: str, text: str, *args: object) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "warning", record)
    monkeypatch.setattr(QMessageBox, "critical", record)
    return shown


def type_sign_in(qtbot: QtBot, window: MainWindow, login: str, password: str) -> None:
    panel = window.sign_in_panel
    panel.login_edit.clear()
    panel.password_edit.clear()
    qtbot.keyClicks(panel.login_edit, login)
    qtbot.keyClicks(panel.password_edit, password)
    qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)


def forced_dialog(qtbot: QtBot, window: MainWindow) -> ChangePasswordDialog:
    qtbot.waitUntil(lambda: window.sign_in_panel.password_dialog is not None, timeout=WAIT_MS)
    dialog = window.sign_in_panel.password_dialog
    assert isinstance(dialog, ChangePasswordDialog) and dialog.forced
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def test_signing_in_with_the_given_password_asks_for_an_own_one_before_the_workspace(
    qtbot: QtBot, window: MainWindow, warnings: list[str]
) -> None:
    signed: list[object] = []
    window.signed_in.connect(signed.append)
    type_sign_in(qtbot, window, "nurse", GIVEN)
    dialog = forced_dialog(qtbot, window)
    assert dialog.isModal() and "nurse" in dialog.note_label.text()
    # nothing of the workspace until the password is chosen
    assert signed == [] and window.workspace is None and window.signed is None
    assert window.stack.currentWidget() is window.sign_in_panel
    assert not window.change_password_action.isEnabled() and not window.sign_out_action.isEnabled()

    qtbot.keyClicks(dialog.new_edit, "nurse-own-1")
    qtbot.keyClicks(dialog.repeat_edit, "nurse-own-1")
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.workspace is not None and window.stack.currentWidget() is window.workspace
    assert window.signed.login == "nurse" and window.signed.must_change_password is False
    assert window.context is not None and window.context.actor_id == window.signed.staff_id
    qtbot.waitUntil(lambda: window.sign_in_panel.password_dialog is None, timeout=WAIT_MS)
    assert warnings == []

    window.sign_out()  # the next sign-in is an ordinary one
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        type_sign_in(qtbot, window, "nurse", "nurse-own-1")
    assert window.sign_in_panel.password_dialog is None and window.workspace is not None


def test_sign_out_in_the_forced_dialog_leaves_nobody_signed_in(qtbot: QtBot, window: MainWindow) -> None:
    type_sign_in(qtbot, window, "nurse", GIVEN)
    dialog = forced_dialog(qtbot, window)
    assert window.context is not None and window.context.actor_id is not None  # acting only for the change
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sign_in_panel.password_dialog is None, timeout=WAIT_MS)
    assert window.context.actor_id is None and window.signed is None and window.workspace is None
    panel = window.sign_in_panel
    assert window.stack.currentWidget() is panel and panel.password_edit.text() == ""
    assert panel.login_edit.text() == "nurse" and panel.sign_in_button.isEnabled()
    with window.context.uow() as uow:
        assert uow.rows("SELECT must_change_password FROM staff WHERE login = 'nurse'")[0][0]

    # Escape is the same as "Sign out"; the prompt comes back at every sign-in until a password is chosen
    type_sign_in(qtbot, window, "nurse", GIVEN)
    again = forced_dialog(qtbot, window)
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.sign_in_panel.password_dialog is None, timeout=WAIT_MS)
    assert window.context.actor_id is None and window.workspace is None


def test_a_reset_while_the_screen_was_locked_asks_before_the_workspace_comes_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        type_sign_in(qtbot, window, "admin", PASSWORD)
    workspace = window.workspace
    window.lock()
    assert window.workspace is workspace and window.stack.currentWidget() is window.sign_in_panel
    assert window.context is not None
    # a second administrator resets this one's password meanwhile (here, or elsewhere and synced in)
    other = AppContext(window.context.database, window.context.report, actor_id=staff_id(window.context, "admin"))
    users.add_staff(other.uow(), name="钱管理", role=Role.ADMIN, login="admin2", password="second-admin")
    other.actor_id = staff_id(window.context, "admin2")
    users.reset_password(other.uow(), staff_id=staff_id(window.context, "admin"), new_password=GIVEN)

    type_sign_in(qtbot, window, "admin", GIVEN)
    dialog = forced_dialog(qtbot, window)
    assert window.stack.currentWidget() is window.sign_in_panel  # still locked
    qtbot.keyClicks(dialog.new_edit, "admin-own-2")
    qtbot.keyClicks(dialog.repeat_edit, "admin-own-2")
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.workspace is workspace and window.stack.currentWidget() is workspace  # as it was left


def test_accounts_without_the_flag_sign_in_directly(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        type_sign_in(qtbot, window, "admin", PASSWORD)
    assert window.sign_in_panel.password_dialog is None and window.workspace is not None


# --- the users page ------------------------------------------------------------------------------------


def open_page(qtbot: QtBot, context: AppContext) -> UsersPage:
    context.actor_id = staff_id(context, "admin")
    page = UsersPage(context)
    qtbot.addWidget(keep(page))
    page.resize(1000, 640)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show()
    return page


def status(page: UsersPage, context: AppContext, login: str) -> str:
    return str(page.model.index(page.model.row_of(staff_id(context, login)), page.model.STATUS).data())


@pytest.mark.parametrize("tick", [True, False])
def test_a_new_account_must_choose_its_password_unless_unticked(qtbot: QtBot, context: AppContext, tick: bool) -> None:
    page = open_page(qtbot, context)
    page.add_staff()
    dialog = page.current_dialog
    assert isinstance(dialog, StaffDialog)
    assert dialog.must_change_check.isChecked() and dialog.must_change_check.isVisible()  # on by default
    dialog.name_edit.setText("赵医生")
    qtbot.keyClicks(dialog.login_edit, "zhao")
    qtbot.keyClicks(dialog.password_edit, "another-pass")
    qtbot.keyClicks(dialog.repeat_edit, "another-pass")
    if not tick:
        qtbot.mouseClick(dialog.must_change_check, Qt.MouseButton.LeftButton)
    with qtbot.waitSignals([dialog.accepted, page.loaded], timeout=WAIT_MS):
        dialog.submit()
    assert must_change(context, "zhao") is tick
    assert status(page, context, "zhao") == ("✓ Active, must change password" if tick else "✓ Active")


def test_the_list_shows_who_must_change_and_the_reset_dialog_says_so(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    assert status(page, context, "nurse") == "✓ Active, must change password"
    tip = page.model.index(page.model.row_of(staff_id(context, "nurse")), page.model.STATUS).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert "next sign-in" in tip
    assert status(page, context, "admin") == "✓ Active"

    page.select_login("nurse")
    page.reset_selected_password()
    dialog = page.current_dialog
    assert isinstance(dialog, PasswordDialog) and "next sign-in" in dialog.note_label.text()
    dialog.reject()
    page.select_login("admin")  # their own: nobody will be asked to change it
    page.reset_selected_password()
    own = page.current_dialog
    assert isinstance(own, PasswordDialog) and own is not dialog and "next sign-in" not in own.note_label.text()
    own.reject()
