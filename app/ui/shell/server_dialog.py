"""Choosing a center's PostgreSQL server (#20): the connection dialog, opened from the File menu.

:class:`ServerDialog` asks host, port, database and user. The password is not kept in the URL nor in the
settings: it comes from ``~/.pgpass``, the OS keyring, or is typed here and kept in memory for this session (and
in the keyring if the user asks) — :mod:`app.services.admin.server_connection`. Once accepted, the window that
asked emits ``serverChosen(url)``, and :mod:`app.ui.shell.server_window` opens a window on that server in its
place (this module knows no main window: the main window imports it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.services.admin.server_connection import ServerChoice


class ServerDialog(QDialog):
    """Ask where the center's server database is; the password only if ``~/.pgpass`` or the keyring has none."""

    def __init__(self, parent: QWidget | None = None, *, choice: ServerChoice | None = None) -> None:
        from app.services.admin.server_connection import keyring_available

        super().__init__(parent)
        self.setObjectName("serverDialog")
        self.setWindowTitle(self.tr("Open a database on a server"))
        self.host_edit = QLineEdit(self)
        self.host_edit.setPlaceholderText("192.168.1.20")
        self.port_spin = QSpinBox(self)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(5432)
        self.database_edit = QLineEdit(self)
        self.database_edit.setText("carerounds")
        self.user_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("empty: from ~/.pgpass or the keyring"))
        self.save_check = QCheckBox(self.tr("Keep the password in this computer's keyring"), self)
        self.save_check.setEnabled(keyring_available())
        if not keyring_available():
            self.save_check.setToolTip(self.tr("No keyring here: put the password in ~/.pgpass instead"))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("serverError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        if choice is not None:
            self.host_edit.setText(choice.host)
            self.port_spin.setValue(choice.port)
            self.database_edit.setText(choice.database)
            self.user_edit.setText(choice.user)

        form = QFormLayout()
        form.addRow(self.tr("Server"), self.host_edit)
        form.addRow(self.tr("Port"), self.port_spin)
        form.addRow(self.tr("Database"), self.database_edit)
        form.addRow(self.tr("User"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow("", self.save_check)
        note = QLabel(
            self.tr(
                "The password is never written into the settings. Ask the center's IT staff for a line in "
                "~/.pgpass, or type it here for this session."
            ),
            self,
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.choice: ServerChoice | None = None

    @Slot()
    def submit(self) -> None:
        """Check the fields; keep a typed password in memory (and the keyring if asked); accept."""
        from app.domain.errors import ValidationError
        from app.services.admin.server_connection import choose_server, use_password

        try:
            choice = choose_server(
                host=self.host_edit.text(),
                port=self.port_spin.value(),
                database=self.database_edit.text(),
                user=self.user_edit.text(),
            )
        except ValidationError as error:
            self.error_label.setText(self._problem(error))
            self.error_label.show()
            return
        if self.password_edit.text():
            use_password(choice, self.password_edit.text(), save=self.save_check.isChecked())
            self.password_edit.clear()
        self.choice = choice
        self.accept()

    def _problem(self, error: Any) -> str:
        """What is wrong with a field, named as the form names it; an empty one said empty (not "(value: )")."""
        fields = {
            "server_host": (self.tr("Server"), self.host_edit),
            "server_database": (self.tr("Database"), self.database_edit),
            "server_user": (self.tr("User"), self.user_edit),
        }
        label, edit = fields.get(error.field, (error.field_label, None))
        if edit is None or str(error.value).strip():
            return str(error)
        edit.setFocus()
        return self.tr("The field “{field}” is empty: fill it in.").format(field=label)


def ask_for_server(window: Any) -> ServerDialog:
    """Show the server dialog over ``window`` (not modal for the application); once accepted, the window emits
    ``serverChosen`` with the server's URL (no password in it)."""
    from app.services.admin.server_connection import choice_from_url

    dialog = ServerDialog(window, choice=choice_from_url(window.settings.get("last_server")))

    def chosen() -> None:
        assert dialog.choice is not None
        window.serverChosen.emit(dialog.choice.url)

    dialog.accepted.connect(chosen)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
