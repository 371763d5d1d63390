"""Change my password — the dialog on its own (app.ui.admin.password_dialog)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain import i18n
from app.services.accounts.sign_in import SignInFailed, sign_in
from app.services.admin.center import set_up_center
from app.store.models import SignInState, Staff
from app.ui.admin.password_dialog import ChangePasswordDialog
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import run_sync_for_tests

PASSWORD = "s3cret-pass"

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    ctx = open_context(tmp_path / "center.sqlite")
    set_up_center(
        ctx.uow(), name="康宁中心", code="KN01", admin_name="王管理", admin_login="wang", admin_password=PASSWORD
    )
    with ctx.uow() as uow:
        ctx.actor_id = uow.session.exec(select(Staff)).one().id
    yield ctx
    ctx.close()


@pytest.fixture
def dialog(qtbot: QtBot, qapp: QApplication, context: AppContext) -> ChangePasswordDialog:
    install_translators(qapp, "en")
    i18n.set_language("en")
    widget = ChangePasswordDialog(context, "wang")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def fill(dialog: ChangePasswordDialog, current: str, new: str, repeat: str | None = None) -> None:
    dialog.current_edit.setText(current)
    dialog.new_edit.setText(new)
    dialog.repeat_edit.setText(new if repeat is None else repeat)
    with run_sync_for_tests():
        dialog.submit()


def failed_attempts(context: AppContext) -> int:
    with context.uow() as uow:
        state = uow.session.get(SignInState, "wang")
        return state.failed_attempts if state else 0


def test_the_fields_hide_what_is_typed(dialog: ChangePasswordDialog) -> None:
    from PySide6.QtWidgets import QLineEdit

    for edit in (dialog.current_edit, dialog.new_edit, dialog.repeat_edit):
        assert edit.echoMode() is QLineEdit.EchoMode.Password
    assert "wang" in dialog.note_label.text() and "8 characters" in dialog.note_label.text()
    assert dialog.current_edit.hasFocus() or not dialog.isActiveWindow()


@pytest.mark.parametrize(
    ("current", "new", "repeat", "message"),
    [
        ("", "n3w-password", None, "Enter your current password."),
        (PASSWORD, "", None, "Enter the new password."),
        (PASSWORD, "n3w-password", "n3w-passw0rd", "The two new passwords are not the same."),
    ],
)
def test_missing_or_mismatched_fields_are_refused_without_asking_the_database(
    dialog: ChangePasswordDialog, context: AppContext, current: str, new: str, repeat: str | None, message: str
) -> None:
    fill(dialog, current, new, repeat)
    assert dialog.error_text == message and dialog.isVisible()
    assert failed_attempts(context) == 0


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short", "at least 8 characters"),
        ("WANG", "at least 8 characters"),
        (PASSWORD, "must differ from the current one"),
    ],
)
def test_the_services_rules_are_shown_in_the_dialog(
    dialog: ChangePasswordDialog, context: AppContext, new: str, message: str
) -> None:
    fill(dialog, PASSWORD, new)
    assert message in dialog.error_text and dialog.isVisible()
    assert dialog.repeat_edit.text() == ""  # typed again after a refusal
    assert sign_in(context.uow(), login="wang", password=PASSWORD).login == "wang"


def test_a_wrong_current_password_is_refused_and_counted(dialog: ChangePasswordDialog, context: AppContext) -> None:
    fill(dialog, "not-my-password", "n3w-password")
    assert dialog.error_text == "The current password is not correct." and dialog.isVisible()
    assert failed_attempts(context) == 1
    with pytest.raises(SignInFailed):
        sign_in(context.uow(), login="wang", password="n3w-password")


def test_the_password_is_changed_and_the_dialog_closes(
    qtbot: QtBot, dialog: ChangePasswordDialog, context: AppContext
) -> None:
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        fill(dialog, PASSWORD, "n3w-password")
    assert not dialog.isVisible()
    assert not dialog.current_edit.text() and not dialog.new_edit.text()
    assert sign_in(context.uow(), login="wang", password="n3w-password").login == "wang"


def test_the_dialog_speaks_chinese(qtbot: QtBot, qapp: QApplication, context: AppContext) -> None:
    install_translators(qapp, "zh_CN")
    i18n.set_language("zh_CN")
    try:
        widget = ChangePasswordDialog(context, "wang")
        qtbot.addWidget(widget)
        assert widget.windowTitle() == "修改我的密码"
        assert widget.save_button.text() == "修改密码"
        fill(widget, "not-my-password", "n3w-password")
        assert widget.error_text == "当前密码不正确。"
    finally:
        install_translators(qapp, "en")
        i18n.set_language("en")
