"""The Sync page's dialogs: add a device (write a join package) and join a center (read one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.sync.join import JoinSummary, join_center
from app.sync.passphrase import check_passphrase
from app.ui.shell.tasks import Op, show_error

if TYPE_CHECKING:
    pass


FILE_FILTER = "CareRounds sync (*.crsync)"


class AddDeviceDialog(QDialog):
    """Ask for the new device's name and a passphrase typed twice; refuse weak ones before closing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addDeviceDialog")
        self.setWindowTitle(self.tr("Add a device"))
        self.label_edit = QLineEdit(self)
        self.label_edit.setObjectName("deviceLabel")
        self.label_edit.setPlaceholderText(self.tr("for example: nurse station laptop"))
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setObjectName("passphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit(self)
        self.confirm_edit.setObjectName("passphraseAgain")
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel(
            self.tr(
                "The join package holds a full copy of the center's records. Choose a passphrase of at least "
                "10 characters that is not easy to guess, and tell it to the person setting up the laptop "
                "in person or by phone."
            ),
            self,
        )
        self.hint.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("passphraseError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e")
        form = QFormLayout()
        form.addRow(self.tr("New device:"), self.label_edit)
        form.addRow(self.tr("&Passphrase:"), self.passphrase_edit)
        form.addRow(self.tr("Passphrase a&gain:"), self.confirm_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Write join package…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def values(self) -> tuple[str, str, str]:
        return self.label_edit.text().strip(), self.passphrase_edit.text(), self.confirm_edit.text()

    def accept(self) -> None:
        _, passphrase, confirmation = self.values()
        try:
            check_passphrase(passphrase, confirmation)
        except Exception as error:  # a ValidationError: show why, keep the dialog open
            self.error_label.setText(str(error))
            self.passphrase_edit.setFocus()
            return
        super().accept()


class JoinCenterDialog(QDialog):
    """Set up this fresh install from a join package — 加入中心 (for the first-start page).

    Args:
        db_path: where the new database goes (must not hold a center yet).
        parent: the owning widget.

    Signals:
        joined(object): the :class:`~app.services.sync.join.JoinSummary`; open ``db_path`` next.
    """

    joined = Signal(object)

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinCenterDialog")
        self.setWindowTitle(self.tr("Join a center"))
        self._db_path = Path(db_path)
        self.summary: JoinSummary | None = None
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("joinFile")
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setObjectName("joinPassphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("joinDeviceName")
        self.name_edit.setPlaceholderText(self.tr("empty: the name given when the join package was made"))
        form = QFormLayout()
        form.addRow(self.tr("&Join package:"), file_row)
        form.addRow(self.tr("&Passphrase:"), self.passphrase_edit)
        form.addRow(self.tr("This device's &name:"), self.name_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Join"))
        self.buttons.accepted.connect(self.join)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Use the join package and passphrase made on the center's workstation."), self))
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _browse(self) -> None:
        path = QFileDialog.getOpenFileName(self, self.tr("Join package"), "", FILE_FILTER)[0]
        if path:
            self.file_edit.setText(path)

    @Slot()
    def join(self) -> None:
        """Join with what was entered, on a worker thread; close on success, explain on failure."""
        package, passphrase = Path(self.file_edit.text().strip()), self.passphrase_edit.text()
        name, target = self.name_edit.text().strip(), self._db_path
        if not self.file_edit.text().strip():
            QMessageBox.warning(self, self.windowTitle(), self.tr("Choose the join package first."))
            return
        self.buttons.setEnabled(False)
        Op(
            self,
            lambda token: join_center(
                package=package, db_path=target, passphrase=passphrase, device_name=name, token=token
            ),
        ).with_progress(self.tr("Setting up this device…")).success(self._joined).failure(self._failed).run()

    def _joined(self, summary: JoinSummary) -> None:
        self.summary = summary
        self.joined.emit(summary)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, error)
