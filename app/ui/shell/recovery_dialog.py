"""The recovery key at the sign-in panel: every administrator password lost (issue 15).

The administrator types the printed recovery key, their login and a new password twice; the key opens the
encrypted database on the database thread (:func:`app.ui.shell.startup.recover_with_key`), the password is
reset, and the key is dropped again: they then sign in as usual. A mistyped or wrong key, a login that is no
administrator, a password that is not acceptable: said in the dialog, which stays open; nothing changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class RecoveryKeyDialog(QDialog):
    """Reset an administrator's password with the recovery key."""

    def __init__(self, context: AppContext | None, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle(self.tr("Use the recovery key"))
        self._context, self._path = context, Path(path)
        self.reset_login = ""
        note = QLabel(
            self.tr(
                "If every administrator password is lost: type the recovery key printed when the center was "
                "set up or encrypted, the administrator's login and a new password for it."
            ),
            self,
        )
        note.setWordWrap(True)
        self.key_edit = QLineEdit(self)
        self.key_edit.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.login_edit = QLineEdit(self)
        self.new_edit = QLineEdit(self)
        self.new_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Recovery key"), self.key_edit)
        form.addRow(self.tr("Administrator's login"), self.login_edit)
        form.addRow(self.tr("New password"), self.new_edit)
        form.addRow(self.tr("New password again"), self.repeat_edit)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Reset the password"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    @property
    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    @Slot()
    def submit(self) -> None:
        """Check the fields, then reset the password on the database thread."""
        from app.ui.shell.tasks import Op

        key, login = self.key_edit.text().strip(), self.login_edit.text().strip()
        new, repeat = self.new_edit.text(), self.repeat_edit.text()
        if not key or not login or not new:
            self._show_error(self.tr("Fill in the recovery key, the login and the new password."))
            return
        if new != repeat:
            self._show_error(self.tr("The two new passwords differ."))
            return
        self.ok_button.setEnabled(False)
        context, path = self._context, self._path

        def work() -> None:
            from app.ui.shell.startup import recover_with_key

            recover_with_key(context, path, key, login, new)

        Op(self, work).success(lambda _none: self._done(login)).failure(self._failed).run()

    def _done(self, login: str) -> None:
        self.reset_login = login.lower()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        from app.domain.errors import DomainError

        self.ok_button.setEnabled(True)
        if isinstance(error, DomainError):
            self._show_error(str(error))
        else:
            from app.ui.shell.tasks import show_error

            show_error(self, error)
