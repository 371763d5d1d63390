"""Change my password — 修改我的密码: any signed-in staff member, from File → Change my password….

The current password first, then the new one twice (to catch typos). The rules are the Users page's
(at least 8 characters, not the login; argon2id), checked by
:func:`app.services.accounts.sign_in.change_own_password`, which also refuses a wrong current password (counted
like a failed sign-in, so five lock the login for five minutes) and audits the change. Its messages are
shown inside the dialog, which stays open until the change is saved.

*Forced* mode (``current_password`` given): right after signing in with a password an administrator set,
the sign-in panel opens it to have the person choose their own before the workspace opens. The current
password is the one just typed, so its field is not shown, and the only way out is "Sign out".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.domain.errors import DomainError, ValidationError
from app.ui.shell.tasks import Op, show_error
from app.ui.widgets.badges import colour_rgb

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class ChangePasswordDialog(QDialog):
    """Ask for the current password and a new one (twice) and change the signed-in person's password.

    Args:
        context: the open database, acting for the signed-in staff member.
        login: the signed-in login, shown so nobody changes someone else's password by mistake.
        parent: the owning widget.
        current_password: the password just used to sign in, when an administrator set it and the person
            must now choose their own (forced mode: no current-password field, Cancel reads "Sign out").

    Signals:
        changed: the password was changed (the dialog then closes).
    """

    changed = Signal()

    def __init__(
        self, context: AppContext, login: str, parent: QWidget | None = None, *, current_password: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.forced = current_password is not None
        self.setWindowTitle(self.tr("Choose your own password") if self.forced else self.tr("Change my password"))
        self.setMinimumWidth(420)
        self._context = context
        self._current_password = current_password
        self._busy = False

        if self.forced:
            note = self.tr(
                "Signed in as {login} with a password an administrator set. Choose a password of your own "
                "before you go on: at least 8 characters, not the login and not the password you were given."
            )
        else:
            note = self.tr(
                "Signed in as {login}. The new password needs at least 8 characters and must differ from the login."
            )
        self.note_label = QLabel(note.format(login=login), self)
        self.note_label.setObjectName("changePasswordNote")
        self.note_label.setWordWrap(True)
        self.current_edit = self._password_edit("currentPassword")
        self.new_edit = self._password_edit("newPassword")
        self.repeat_edit = self._password_edit("repeatPassword")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        rows = (
            (self.tr("&Current password:"), self.current_edit),
            (self.tr("&New password:"), self.new_edit),
            (self.tr("&Repeat the new password:"), self.repeat_edit),
        )
        for text, edit in rows[1:] if self.forced else rows:
            label = QLabel(text, self)
            label.setBuddy(edit)
            form.addRow(label, edit)
        if self.forced:
            self.current_edit.hide()

        self.error_label = QLabel(self)
        self.error_label.setObjectName("changePasswordError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {colour_rgb(TriageColour.RED)};")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Change password"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Sign out") if self.forced else self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        for edit in (self.current_edit, self.new_edit, self.repeat_edit):
            edit.textEdited.connect(self._clear_error)
        (self.new_edit if self.forced else self.current_edit).setFocus()

    def _password_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(256)
        return edit

    @property
    def error_text(self) -> str:
        """The message shown in the dialog, or ``""``."""
        return self.error_label.text() if not self.error_label.isHidden() else ""

    @Slot()
    def submit(self) -> None:
        """Check the fields are filled and the new password typed the same twice, then change it."""
        if self._busy:
            return
        current = self._current_password if self._current_password is not None else self.current_edit.text()
        new = self.new_edit.text()
        if not current:
            self._refuse(self.tr("Enter your current password."), self.current_edit)
            return
        if not new:
            self._refuse(self.tr("Enter the new password."), self.new_edit)
            return
        if new != self.repeat_edit.text():
            self._refuse(self.tr("The two new passwords are not the same."), self.repeat_edit)
            return
        context = self._context

        def change() -> None:
            from app.services.accounts.sign_in import change_own_password

            change_own_password(context.uow(), current_password=current, new_password=new)

        self._set_busy(True)
        Op(self, change).success(self._changed).failure(self._failed).run()

    def _changed(self, _result: object) -> None:
        self._set_busy(False)
        for edit in (self.current_edit, self.new_edit, self.repeat_edit):
            edit.clear()
        self.changed.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, DomainError):
            show_error(self, error)
            return
        if isinstance(error, ValidationError):
            self.repeat_edit.clear()
            self._refuse(str(error), self.new_edit)
        else:  # wrong current password, locked, signed out
            self._refuse(str(error), self.new_edit if self.forced else self.current_edit)

    def _refuse(self, message: str, edit: QLineEdit) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        # a message of two lines needs room: grow rather than squeeze the wrapped note above it
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
        edit.selectAll()
        edit.setFocus()

    @Slot()
    def _clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)
