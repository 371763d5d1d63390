"""The dialog guard (tests/ui/dialog_guard.py): no UI test can open a real modal dialog and sit idle."""

from __future__ import annotations

from dialog_guard import DialogGuard
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.ui.shell import tasks


def test_an_unexpected_box_is_answered_no_at_once_and_recorded(dialogs: DialogGuard, qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    answer = QMessageBox.question(parent, "Delete", "Delete 张红丽's draft?")
    tasks.show_error(parent, RuntimeError("the worker broke"))  # an unexpected error: a critical box
    assert answer == QMessageBox.StandardButton.No
    assert [(call.kind, call.expected) for call in dialogs.calls] == [("question", False), ("critical", False)]
    assert "the worker broke" in dialogs.calls[1].text and "Delete 张红丽's draft?" in dialogs.report()
    dialogs.calls.clear()  # this test wanted them; any other test fails at its end (see the conftest)


def test_an_expected_dialog_gets_the_tests_answer(dialogs: DialogGuard, qtbot: QtBot) -> None:
    dialogs.expect("question", QMessageBox.StandardButton.Yes, containing="Delete")
    dialogs.expect("exec", lambda dialog: int(QDialog.DialogCode.Accepted))
    dialogs.expect("getOpenFileName", ("/tmp/名单.xlsx", "*.xlsx"))
    assert QMessageBox.question(None, "Delete", "Delete the draft?") == QMessageBox.StandardButton.Yes
    dialog = QDialog()
    qtbot.addWidget(dialog)
    assert dialog.exec() == QDialog.DialogCode.Accepted
    assert QFileDialog.getOpenFileName(None, "Roster")[0] == "/tmp/名单.xlsx"
    assert dialogs.pending == [] and dialogs.unexpected == []


def test_a_message_box_run_with_exec_is_closed_not_left_open(dialogs: DialogGuard, qtbot: QtBot) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "Record visits", "Save without a referral?")
    qtbot.addWidget(box)
    assert box.exec() == QDialog.DialogCode.Rejected and not box.isVisible()
    assert [(call.kind, call.text) for call in dialogs.unexpected] == [("exec", "Save without a referral?")]
    dialogs.calls.clear()
