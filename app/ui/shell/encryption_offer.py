"""Encryption at rest in the main window (issue 15): the offer to encrypt a plain database, the recovery key.

An administrator signed in to a plain database sees "Not encrypted — Encrypt the database…" in the status
bar (not a dialog at each sign-in: the offer stays in sight until it is taken); the recovery key of a database
encrypted just now is shown once. The texts keep the main window's translation context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtWidgets import QMainWindow, QWidget

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class EncryptionOffer(QObject):
    """The main window's encryption offer and recovery-key box.

    Attributes:
        button: "Not encrypted — Encrypt…" in the status bar, once an administrator was offered it.
        box: the open question or the recovery key's box, while it is shown.
    """

    def __init__(self, window: QMainWindow, context: Callable[[], AppContext | None]) -> None:
        super().__init__(window)
        self.window = window
        self._context = context
        self.button: QWidget | None = None
        self.box: QWidget | None = None

    def offer(self, signed: Any, *, plain: bool) -> None:
        """Show the offer to an administrator while the database is plain; hide it otherwise."""
        from PySide6.QtWidgets import QPushButton

        admin = getattr(getattr(signed, "role", None), "value", "") == "admin"
        if self.button is None and admin and plain:
            button = QPushButton(
                QCoreApplication.translate("MainWindow", "Not encrypted — Encrypt the database…"), self.window
            )
            button.setObjectName("encryptButton")
            button.setToolTip(
                QCoreApplication.translate(
                    "MainWindow",
                    "Anyone who copies this database file can read every record. Encrypt it (administrator).",
                )
            )
            button.clicked.connect(self._confirm)
            self.window.statusBar().addPermanentWidget(button)
            self.button = button
        if self.button is not None:
            self.button.setVisible(admin and plain)

    @Slot()
    def _confirm(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("MainWindow", "Encrypt the database?"),
            QCoreApplication.translate(
                "MainWindow",
                "This database is not encrypted: anyone who copies the file can read every resident's record. "
                "Encrypt it now? It takes a moment; then a recovery key is shown once, to print and keep in "
                "the center's safe. Close other CareRounds windows on this computer first.",
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setObjectName("encryptOffer")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda result: self._answered(box, result))
        self.box = box
        box.open()

    def _answered(self, box: Any, result: int) -> None:
        from PySide6.QtWidgets import QMessageBox

        box.deleteLater()
        self.box = None
        if result == QMessageBox.StandardButton.Yes:
            self.encrypt()

    def encrypt(self) -> None:
        """Encrypt the open, plain database on the database thread, then show the recovery key."""
        from app.ui.shell.tasks import Op, show_error

        context = self._context()
        if context is None:
            return

        def encrypt() -> object:
            from app.services.admin.encryption import encrypt_open_database

            return encrypt_open_database(context.uow())

        Op(self.window, encrypt).success(self._encrypted).failure(lambda error: show_error(self.window, error)).run()

    def _encrypted(self, summary: Any) -> None:
        if self.button is not None:
            self.button.hide()
        self.show_recovery_key(summary)

    def show_recovery_key(self, summary: Any) -> None:
        """Show the recovery key once, selectable, with what to do with it."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("MainWindow", "Recovery key"),
            QCoreApplication.translate(
                "MainWindow",
                "The database is encrypted. This is its recovery key, shown only now:\n\n{key}\n\n"
                "Print it or copy it by hand and lock it in the center's safe, never with the computer. If "
                "every administrator password is lost, it opens the database to reset one.",
            ).format(key=summary.recovery_key),
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("recoveryKeyBox")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.finished.connect(box.deleteLater)
        self.box = box
        self.window.statusBar().showMessage(QCoreApplication.translate("MainWindow", "The database is encrypted."))
        box.open()
