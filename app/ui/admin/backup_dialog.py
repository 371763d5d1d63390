"""The backup dialog — 备份与恢复: list the backups, back up now, restore one after a confirmation.

Two modes:

- signed in (``context`` given): for roles allowed to back up and restore (the administrator), through
  :func:`~app.services.admin.backups.backup_now` and :func:`~app.services.admin.restore.restore_backup`;
- recovery (``context`` None): at start-up, when the database failed its integrity check and nobody can
  sign in to it, the dialog only restores (:func:`~app.services.admin.restore.restore_file`). The damaged
  file is kept as a ``pre-restore`` copy, so nothing is lost by restoring.

Either way the current state is backed up before it is replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.domain.permissions import Action
from app.services.admin import backups, restore
from app.services.admin.backups import BackupInfo, BackupKind
from app.services.admin.restore import RestoreReport
from app.services.authz import permitted_actions
from app.ui.shell.tasks import Op, show_error
from app.ui.widgets.badges import colour_rgb, set_text_scale
from app.ui.widgets.tables import read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext


def human_size(size: int) -> str:
    """Return a byte count as ``812 KB`` / ``12.3 MB``."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class BackupTableModel(QAbstractTableModel):
    """The backups as a table: when, kind, size."""

    WHEN, KIND, SIZE = range(3)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[BackupInfo] = []

    def set_rows(self, rows: list[BackupInfo]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> BackupInfo:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Made on"), self.tr("Kind"), self.tr("Size"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        backup = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.WHEN:
                return f"{backup.created:%Y-%m-%d %H:%M:%S}"
            if column == self.KIND:
                return self.kind_label(backup)
            if column == self.SIZE:
                return human_size(backup.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def kind_label(self, backup: BackupInfo) -> str:
        labels = {
            BackupKind.DAILY: self.tr("Weekly") if backup.weekly else self.tr("Daily"),
            BackupKind.MANUAL: self.tr("Made by hand"),
            BackupKind.PRE_RESTORE: self.tr("Before a restore"),
            BackupKind.PRE_IMPORT: self.tr("Before a sync import"),
            BackupKind.BEFORE_UPGRADE: self.tr("Before an upgrade"),
            BackupKind.OTHER: self.tr("Other"),
        }
        return labels[backup.kind]


class BackupDialog(QDialog):
    """List the backups of a database, make one now, or restore one.

    Args:
        database_path: the database file.
        folder: the backup folder (:func:`app.services.admin.backups.backup_folder`).
        context: the open database acting for the signed-in staff member, or None in recovery mode.
        damaged: in recovery mode, why the database cannot be used (shown at the top).
        parent: the owning window.

    Signals:
        backedUp(object): a :class:`~app.services.admin.backups.BackupInfo` just made.
        restored(object): the :class:`~app.services.admin.restore.RestoreReport` of a restore; the window should
            sign out (accounts may differ) — in recovery mode, open the database again.
        listed(int): the list was (re)loaded; the number of backups.
    """

    backedUp = Signal(object)
    restored = Signal(object)
    listed = Signal(int)

    def __init__(
        self,
        database_path: Path,
        folder: Path,
        *,
        context: AppContext | None = None,
        damaged: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle(self.tr("Backup and restore"))
        self.setMinimumSize(640, 460)
        self.database_path = Path(database_path)
        self.folder = Path(folder)
        self._context = context
        self._may_restore = context is None  # recovery mode; signed in: decided by the role, once loaded
        self._busy = False

        heading = QLabel(self.tr("Backups"), self)
        set_text_scale(heading, 1.4)
        self.damaged_label = QLabel(damaged, self)
        self.damaged_label.setObjectName("damagedNote")
        self.damaged_label.setWordWrap(True)
        self.damaged_label.setStyleSheet(f"color: {colour_rgb(TriageColour.RED)}; font-weight: bold;")
        self.damaged_label.setVisible(bool(damaged))
        self.folder_label = QLabel(self.tr("Kept in {folder}").format(folder=self.folder), self)
        self.folder_label.setObjectName("backupFolder")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        retention = QLabel(
            self.tr(
                "A backup is made at the first start of each day. The last 7 daily backups and one per week "
                "for 4 weeks are kept; backups made before a restore, a sync import or an upgrade are kept "
                "for at least 30 days."
            ),
            self,
        )
        retention.setWordWrap(True)

        self.model = BackupTableModel(self)
        self.table = read_only_table(self, self.model, "backupTable")
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)  # the kind column stretches instead
        header.setSectionResizeMode(BackupTableModel.KIND, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(max(30, metrics.height() + 12))
        for column, sample in ((BackupTableModel.WHEN, "2026-11-22 14:30:00"), (BackupTableModel.SIZE, "999.9 MB")):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal)).upper()
            header.resizeSection(
                column, max(metrics.horizontalAdvance(sample) + 32, metrics.horizontalAdvance(title) + 56)
            )

        self.status_label = QLabel(self)
        self.status_label.setObjectName("backupStatus")
        self.status_label.setWordWrap(True)

        self.backup_button = QPushButton(self.tr("&Back up now"), self)
        self.backup_button.setObjectName("backupNow")
        self.restore_button = QPushButton(self.tr("&Restore…"), self)
        self.restore_button.setObjectName("restoreSelected")
        self.restore_button.setToolTip(self.tr("Put the database back to the selected backup"))
        self.file_button = QPushButton(self.tr("From another &file…"), self)
        self.file_button.setObjectName("restoreFile")
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeBackups")
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.file_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.damaged_label)
        layout.addWidget(self.folder_label)
        layout.addWidget(retention)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button.clicked.connect(self.restore_other_file)
        self.close_button.clicked.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.activated.connect(lambda _index: self.restore_selected())
        self._update_buttons()

    # --- loading ------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    @Slot()
    def reload(self) -> None:
        """List the backups (and, signed in, what the role may do) on the database thread."""
        context, path, folder = self._context, self.database_path, self.folder

        def load() -> tuple[bool, list[BackupInfo]]:
            allowed = context is None or Action.BACKUP_RESTORE in permitted_actions(context.uow())
            return allowed, backups.list_backups(path, folder=folder)

        Op(self, load).success(self._show).run()

    def _show(self, loaded: tuple[bool, list[BackupInfo]]) -> None:
        allowed, found = loaded
        self._may_restore = allowed
        self.model.set_rows(found)
        if found and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        if not allowed:
            self.status_label.setText(self.tr("Only an administrator can back up and restore."))
        elif not found:
            self.status_label.setText(self.tr("There is no backup in this folder yet."))
        self._update_buttons()
        self.listed.emit(len(found))

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        idle = not self._busy
        self.backup_button.setEnabled(idle and self._context is not None and self._may_restore)
        self.restore_button.setEnabled(idle and self._may_restore and self.selected() is not None)
        self.file_button.setEnabled(idle and self._may_restore)
        self.close_button.setEnabled(idle)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        if text:
            self.status_label.setText(text)
        self._update_buttons()

    # --- backing up ---------------------------------------------------------------------------------

    @Slot()
    def back_up_now(self) -> None:
        """Make a backup now."""
        context, folder = self._context, self.folder
        if context is None or self._busy:
            return
        self._set_busy(True, self.tr("Backing up…"))
        Op(self, lambda: backups.backup_now(context.uow(), folder=folder)).with_progress(
            self.tr("Backing up…")
        ).success(self._backed_up).failure(self._failed).run()

    def _backed_up(self, info: BackupInfo) -> None:
        self._set_busy(
            False, self.tr("Backed up to {file} ({size}).").format(file=info.path.name, size=human_size(info.size))
        )
        self.backedUp.emit(info)
        self.reload()

    # --- restoring ----------------------------------------------------------------------------------

    @Slot()
    def restore_selected(self) -> None:
        """Restore the selected backup after a confirmation."""
        backup = self.selected()
        if backup is None or not self._may_restore or self._busy:
            return
        self.confirm_restore(backup.path, f"{backup.created:%Y-%m-%d %H:%M}")

    @Slot()
    def restore_other_file(self) -> None:
        """Choose a backup file anywhere (a USB stick) and restore it after a confirmation."""
        if not self._may_restore or self._busy:
            return
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Restore from a backup file"),
            str(self.folder),
            self.tr("CareRounds backups (*.sqlite *.db);;All files (*)"),
        )
        if name:
            self.confirm_restore(Path(name), Path(name).name)

    def confirm_restore(self, backup: Path, when: str) -> None:
        """Ask whether to restore ``backup`` (described as ``when``); restore if the answer is yes."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Restore the database"),
            self.tr("Put the database back to the backup of {when}?").format(when=when),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("confirmRestore")
        box.setInformativeText(
            self.tr(
                "Everything entered on this computer since then is replaced by the backup. The current state "
                "is backed up first, so the restore can be undone. Changes already sent to other computers "
                "come back with the next sync."
            )
        )
        restore = box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)

        def answered() -> None:
            if box.clickedButton() is restore:
                self.restore(backup)

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        box.open()

    def restore(self, backup: Path) -> None:
        """Restore ``backup`` now, without asking (the confirmation came before)."""
        context, path, folder = self._context, self.database_path, self.folder

        def work() -> RestoreReport:
            if context is None:
                return restore.restore_file(path, backup, folder=folder)
            return restore.restore_backup(context.uow(), backup=backup, folder=folder)

        self._set_busy(True, self.tr("Restoring…"))
        Op(self, work).with_progress(self.tr("Restoring the database…")).success(self._restored).failure(
            self._failed
        ).run()

    def _restored(self, report: RestoreReport) -> None:
        self._set_busy(False)
        safety = report.safety_backup.name if report.safety_backup else "—"
        self.status_label.setText(
            self.tr("Restored from {file}. The state before the restore is saved as {safety}.").format(
                file=report.restored_from.name, safety=safety
            )
        )
        self.restored.emit(report)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False, "")
        self.status_label.setText(str(error))
        show_error(self, error)
