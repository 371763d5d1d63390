"""The users page (app.ui.admin.users_page): the administrator's accounts, dialogs and the auto-lock time."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from widget_lifetime import keep, settle

from app.bootstrap import AppContext, open_context
from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts import users
from app.services.accounts.sign_in import create_staff, sign_in
from app.services.admin.center import set_up_center
from app.store.models import Team
from app.ui.admin.users_page import PasswordDialog, StaffDialog, UsersPage
from app.ui.shell.i18n import install_translators

WAIT_MS = 10_000
PASSWORD = "s3cret-pass"

pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"), pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


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
            admin_password=PASSWORD,
        )
        with ctx.uow() as uow:
            uow.session.add(Team(name="第一家庭医生团队"))
            create_staff(uow, name="张护士", role=Role.NURSE, login="nurse", password=PASSWORD)
            uow.commit()
    finally:
        ctx.close()
        accounts._hasher = real
    return path


@pytest.fixture
def context(template: Path, db_path: Path) -> Iterator[AppContext]:
    shutil.copyfile(template, db_path)
    ctx = open_context(db_path)
    ctx.actor_id = staff_id(ctx, "admin")
    yield ctx
    settle()
    ctx.close()


def staff_id(context: AppContext, login: str) -> str:
    with context.uow() as uow:
        return str(uow.rows("SELECT id FROM staff WHERE login = :l", {"l": login})[0][0])


def open_page(qtbot: QtBot, context: AppContext) -> UsersPage:
    page = UsersPage(context)
    qtbot.addWidget(keep(page))
    page.resize(1000, 640)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show()
    return page


def logins(page: UsersPage) -> list[str]:
    return [page.model.row_at(row).login for row in range(page.model.rowCount())]


def test_the_administrator_sees_every_account(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    assert sorted(logins(page)) == ["admin", "nurse"]
    assert page.count_label.text() == "2 accounts"
    assert page.add_button.isEnabled() and not page.edit_button.isEnabled()
    assert page.select_login("nurse")
    assert page.edit_button.isEnabled() and page.password_button.isEnabled() and page.active_button.isEnabled()
    assert not page.unlock_button.isEnabled()
    status = page.model.index(page.model.row_of(staff_id(context, "nurse")), page.model.STATUS).data()
    assert status == "✓ Active"


def test_anyone_else_sees_a_note_and_no_buttons(qtbot: QtBot, context: AppContext) -> None:
    context.actor_id = staff_id(context, "nurse")
    page = open_page(qtbot, context)
    assert page.model.rowCount() == 0
    assert not page.note_label.isHidden() and "administrator" in page.note_label.text()
    assert not page.add_button.isEnabled() and not page.lock_apply.isEnabled()


def test_adding_an_account_through_the_dialog(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    qtbot.keyClick(page, Qt.Key.Key_Insert)
    dialog = page.current_dialog
    assert isinstance(dialog, StaffDialog) and dialog.isVisible()
    dialog.name_edit.setText("赵医生")  # QTest types ASCII only
    qtbot.keyClicks(dialog.login_edit, "zhao")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.DOCTOR.value))
    dialog.team_combo.setCurrentIndex(1)
    qtbot.keyClicks(dialog.password_edit, "another-pass")
    qtbot.keyClicks(dialog.repeat_edit, "another-pass")
    with qtbot.waitSignals([dialog.accepted, page.loaded], timeout=WAIT_MS):
        dialog.submit()
    assert "zhao" in logins(page)
    assert sign_in(context.uow(), login="zhao", password="another-pass").role is Role.DOCTOR


def test_a_refused_field_is_shown_in_the_dialog_which_stays_open(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    page.add_staff()
    dialog = page.current_dialog
    assert isinstance(dialog, StaffDialog)
    dialog.name_edit.setText("赵医生")  # QTest types ASCII only
    qtbot.keyClicks(dialog.login_edit, "zhao")
    qtbot.keyClicks(dialog.password_edit, "short")
    qtbot.keyClicks(dialog.repeat_edit, "shorter")
    dialog.submit()
    assert dialog.error_text == "The two passwords are not the same."
    dialog.repeat_edit.setText("short")
    dialog.submit()
    qtbot.waitUntil(lambda: "at least 8 characters" in dialog.error_text, timeout=WAIT_MS)
    assert dialog.isVisible() and "********" in dialog.error_text  # the password itself is never shown
    dialog.reject()


def test_editing_with_enter_on_the_selected_account(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    page.select_login("nurse")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.current_dialog
    assert isinstance(dialog, StaffDialog) and dialog.login_edit.isReadOnly()
    assert dialog.name_edit.text() == "张护士" and dialog.password_edit.isHidden()
    dialog.name_edit.setText("张护士长")
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        dialog.submit()
    row = page.model.row_at(page.model.row_of(staff_id(context, "nurse")))
    assert row.name == "张护士长"


def test_disabling_asks_first_then_enabling_does_not(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    page = open_page(qtbot, context)
    page.select_login("nurse")
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.toggle_selected_active()
    assert len(asked) == 1 and "张护士 (nurse)" in asked[0]
    nurse = page.model.row_at(page.model.row_of(staff_id(context, "nurse")))
    assert not nurse.active and page.active_button.text() == "En&able"
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.toggle_selected_active()
    assert len(asked) == 1
    assert page.model.row_at(page.model.row_of(staff_id(context, "nurse"))).active


def test_resetting_a_password_and_unlocking(qtbot: QtBot, context: AppContext) -> None:
    for _ in range(5):
        with pytest.raises(accounts.SignInFailed):
            sign_in(context.uow(), login="nurse", password="wrong-pass")
    page = open_page(qtbot, context)
    page.select_login("nurse")
    assert page.unlock_button.isEnabled()
    assert "Locked until" in page.model.index(page.table.currentIndex().row(), page.model.STATUS).data()
    page.reset_selected_password()
    dialog = page.current_dialog
    assert isinstance(dialog, PasswordDialog)
    qtbot.keyClicks(dialog.password_edit, "new-password-1")
    qtbot.keyClicks(dialog.repeat_edit, "new-password-1")
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        dialog.submit()
    assert not page.unlock_button.isEnabled()
    assert sign_in(context.uow(), login="nurse", password="new-password-1").login == "nurse"


def test_the_auto_lock_time_is_saved_for_the_center(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    assert page.lock_spin.value() == 10 and page.lock_spin.isEnabled()
    page.lock_spin.setValue(5)
    with qtbot.waitSignal(page.autoLockChanged, timeout=WAIT_MS) as saved:
        qtbot.mouseClick(page.lock_apply, Qt.MouseButton.LeftButton)
    assert saved.args == [5]
    assert users.auto_lock_minutes(context.uow()) == 5


def test_adding_a_team(qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *_args, **_kw: ("第二家庭医生团队", True))
    page = open_page(qtbot, context)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.add_team()
    assert assert_team_names(page) == ["第一家庭医生团队", "第二家庭医生团队"]


def assert_team_names(page: UsersPage) -> list[str]:
    assert page._data is not None
    return [team.name for team in page._data.teams]


def test_the_page_speaks_chinese(qtbot: QtBot, context: AppContext, qapp: QApplication) -> None:
    install_translators(qapp, "zh_CN")
    page = open_page(qtbot, context)
    assert page.add_button.text() == "添加账号(&A)…"
    assert page.model.headerData(page.model.ROLE, Qt.Orientation.Horizontal) == "角色"
    nurse = page.model.row_of(staff_id(context, "nurse"))
    assert page.model.index(nurse, page.model.ROLE).data() == "社区护士"
