"""Account dialogs of the users page — 账号对话框: add or edit an account, set a new password.

The administrator opens them from :class:`~app.ui.admin.users_page.UsersPage`; each calls the service it is
given on the database thread and shows the service's refusal inside the dialog, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.domain.errors import DomainError
from app.domain.roles import Role
from app.services.accounts.users import ROLE_ORDER, StaffRow, TeamChoice
from app.ui.shell.tasks import Op, show_error
from app.ui.widgets.badges import colour_rgb


class StaffDialog(QDialog):
    """Add an account (with its first password) or edit one (name, role, team, phone, practice sites).

    The service checks every field; its message is shown in the dialog, which stays open.

    Args:
        teams: the teams to choose from.
        submit: called on the database thread with the field values; returns the saved
            :class:`~app.services.accounts.users.StaffRow` or raises a domain error.
        staff: the account to edit, or None to add one.
        parent: the owning widget.

    Signals:
        saved(object): the saved :class:`~app.services.accounts.users.StaffRow`.
    """

    saved = Signal(object)

    def __init__(
        self,
        teams: list[TeamChoice],
        submit: Callable[[dict[str, Any]], StaffRow],
        *,
        staff: StaffRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self._submit = submit
        self._editing = staff is not None
        self._busy = False
        self.setWindowTitle(self.tr("Edit account") if staff else self.tr("Add an account"))
        self.setMinimumWidth(440)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("staffName")
        self.name_edit.setMaxLength(60)
        self.login_edit = QLineEdit(self)
        self.login_edit.setObjectName("staffLogin")
        self.login_edit.setMaxLength(32)
        self.login_edit.setPlaceholderText(self.tr("letters, digits, . _ -"))
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("staffRole")
        for role in ROLE_ORDER:
            self.role_combo.addItem(role.label, role.value)
        self.team_combo = QComboBox(self)
        self.team_combo.setObjectName("staffTeam")
        self.team_combo.addItem(self.tr("(no team)"), None)
        for team in teams:
            self.team_combo.addItem(team.name, team.id)
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setObjectName("staffPhone")
        self.phone_edit.setMaxLength(30)
        self.sites_edit = QLineEdit(self)
        self.sites_edit.setObjectName("staffSites")
        self.sites_edit.setMaxLength(200)
        self.sites_edit.setPlaceholderText(self.tr("other registered practice sites, if any"))
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("staffPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("at least 8 characters, not the login"))
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setObjectName("staffRepeat")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.must_change_check = QCheckBox(self.tr("&Must choose their own password at the first sign-in"), self)
        self.must_change_check.setObjectName("staffMustChange")
        self.must_change_check.setChecked(True)
        self.must_change_check.setToolTip(
            self.tr("You know this first password; they replace it with one only they know.")
        )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        rows: list[tuple[str, QWidget]] = [
            (self.tr("&Name:"), self.name_edit),
            (self.tr("&Login:"), self.login_edit),
            (self.tr("&Role:"), self.role_combo),
            (self.tr("&Team:"), self.team_combo),
            (self.tr("P&hone:"), self.phone_edit),
            (self.tr("Practice &sites:"), self.sites_edit),
        ]
        if not self._editing:
            rows += [(self.tr("&Password:"), self.password_edit), (self.tr("R&epeat password:"), self.repeat_edit)]
        else:
            self.password_edit.hide()
            self.repeat_edit.hide()
        for combo in (self.role_combo, self.team_combo):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for text, widget in rows:
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        if not self._editing:
            form.addRow("", self.must_change_check)
        else:
            self.must_change_check.hide()

        self.error_label = QLabel(self)
        self.error_label.setObjectName("staffError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {colour_rgb(TriageColour.RED)};")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        if staff is not None:
            self.name_edit.setText(staff.name)
            self.login_edit.setText(staff.login)
            self.login_edit.setReadOnly(True)
            self.login_edit.setToolTip(self.tr("A login cannot be changed; the audit trail refers to it."))
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(staff.role.value)))
            self.team_combo.setCurrentIndex(max(0, self.team_combo.findData(staff.team_id)))
            self.phone_edit.setText(staff.phone)
            self.sites_edit.setText(staff.practice_sites)
        self.name_edit.setFocus()

    def values(self) -> dict[str, Any]:
        """Return the fields as typed (the passwords only when adding)."""
        values: dict[str, Any] = {
            "name": self.name_edit.text(),
            "role": Role(self.role_combo.currentData()),
            "team_id": self.team_combo.currentData(),
            "phone": self.phone_edit.text(),
            "practice_sites": self.sites_edit.text(),
        }
        if not self._editing:
            values["login"] = self.login_edit.text()
            values["password"] = self.password_edit.text()
            values["must_change_password"] = self.must_change_check.isChecked()
        return values

    @Slot()
    def submit(self) -> None:
        """Check the passwords match, then save on the database thread."""
        if self._busy:
            return
        if not self._editing and self.password_edit.text() != self.repeat_edit.text():
            self.show_error(self.tr("The two passwords are not the same."))
            self.repeat_edit.selectAll()
            self.repeat_edit.setFocus()
            return
        values = self.values()
        submit = self._submit
        self._set_busy(True)
        Op(self, lambda: submit(values)).success(self._saved).failure(self._failed).run()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    @property
    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def _saved(self, row: StaffRow) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.repeat_edit.clear()
        self.saved.emit(row)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, DomainError):
            self.show_error(str(error))
        else:
            show_error(self, error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)


class PasswordDialog(QDialog):
    """Set a new password for an account (twice, to catch typos).

    Args:
        name: whose password it is, for the title.
        submit: called on the database thread with the new password; raises a domain error if refused.
        parent: the owning widget.
        own: the administrator is setting their own password (nobody is asked to change it afterwards).

    Signals:
        saved: the password was changed.
    """

    saved = Signal()

    def __init__(
        self, name: str, submit: Callable[[str], object], parent: QWidget | None = None, *, own: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(self.tr("New password for {name}").format(name=name))
        self.setMinimumWidth(400)
        self._submit = submit
        self._busy = False
        if own:
            text = self.tr("At least 8 characters, not the same as the login.")
        else:
            text = self.tr(
                "At least 8 characters, not the same as the login. Tell it to {name} in person: at the next "
                "sign-in they must replace it with a password of their own."
            ).format(name=name)
        note = QLabel(text, self)
        note.setObjectName("passwordNote")
        note.setWordWrap(True)
        self.note_label = note
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("newPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setObjectName("repeatPassword")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        for text, edit in ((self.tr("&New password:"), self.password_edit), (self.tr("&Repeat:"), self.repeat_edit)):
            label = QLabel(text, self)
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("passwordError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {colour_rgb(TriageColour.RED)};")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Set password"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.password_edit.setFocus()

    @Slot()
    def submit(self) -> None:
        if self._busy:
            return
        password = self.password_edit.text()
        if password != self.repeat_edit.text():
            self._show_error(self.tr("The two passwords are not the same."))
            self.repeat_edit.selectAll()
            self.repeat_edit.setFocus()
            return
        submit = self._submit
        self._busy = True
        self.buttons.setEnabled(False)
        Op(self, lambda: submit(password)).success(self._saved).failure(self._failed).run()

    @property
    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _saved(self, _result: object) -> None:
        self._busy = False
        self.password_edit.clear()
        self.repeat_edit.clear()
        self.saved.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.buttons.setEnabled(True)
        if isinstance(error, DomainError):
            self._show_error(str(error))
        else:
            show_error(self, error)
