"""The Sync page — 数据同步: export to a USB stick, import from one, add a device, and the history.

What a nurse needs at a glance: how many changes on this laptop are not exported yet (and which visits),
when the last export and import were, and a history of every sync. Export and import run as
cancellable operations with a progress dialog; an import ends with a summary (new, updated, conflicts,
possible duplicates) and a button to the Conflicts page. :class:`JoinCenterDialog` sets up a fresh
install from a join package (for the first-start page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.sync.exchange import ExportSummary, ImportSummary, export_package, import_package
from app.services.sync.join import InviteSummary, invite_device
from app.services.sync.overview import (
    HistoryRow,
    PendingRecord,
    SyncOverview,
    not_exported_records,
    sync_history,
    sync_overview,
)
from app.ui.shell.tasks import Op, show_error
from app.ui.sync.dialogs import FILE_FILTER, AddDeviceDialog
from app.ui.widgets.badges import set_text_scale
from app.ui.widgets.tables import read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext

ModelIndex = QModelIndex | QPersistentModelIndex
QUIET_TABLES = frozenset({"auditentry"})


def records_counted(counts: dict[str, Any]) -> int:
    """Return how many records ``{table: count}`` holds as the page counts them (audit entries left out)."""
    return sum(int(n) for table, n in counts.items() if table not in QUIET_TABLES)


def local_time(value: datetime | str | None) -> str:
    """Show a UTC time (datetime or SQLite text) in local time, to the minute; "" for nothing."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def table_name(table: str, count: int) -> str:
    """Say "3 visits" for a table and a count, in the interface language."""
    return _named_table(table, count) or QCoreApplication.translate("SyncPage", "%n other record(s)", "", count)


def counts_text(counts: dict[str, int]) -> str:
    """Say "3 visits, 1 resident, 5 other records": named tables by count, then every other table in one sum."""
    named = sorted(((t, n) for t, n in counts.items() if _named_table(t, n)), key=lambda item: -item[1])
    others = sum(n for t, n in counts.items() if not _named_table(t, n))
    parts = [table_name(t, n) for t, n in named]
    if others:
        parts.append(QCoreApplication.translate("SyncPage", "%n other record(s)", "", others))
    return QCoreApplication.translate("SyncPage", ", ").join(parts)


def _named_table(table: str, count: int) -> str | None:
    translate = QCoreApplication.translate
    names = {
        "visit": translate("SyncPage", "%n visit(s)", "", count),
        "resident": translate("SyncPage", "%n resident(s)", "", count),
        "condition": translate("SyncPage", "%n condition(s)", "", count),
        "medication": translate("SyncPage", "%n medication(s)", "", count),
        "assessment": translate("SyncPage", "%n assessment(s)", "", count),
        "triagedecision": translate("SyncPage", "%n triage decision(s)", "", count),
        "round": translate("SyncPage", "%n round(s)", "", count),
        "referral": translate("SyncPage", "%n referral(s)", "", count),
    }
    return names.get(table)


class RowsModel(QAbstractTableModel):
    """A small read-only table of already formatted text rows (history, devices, records not exported).

    Args:
        headers: returns the column titles (called again when the language changes).
        parent: the owning object.
    """

    def __init__(self, headers: Callable[[], Sequence[str]], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self._rows: list[Sequence[str]] = []
        self._tips: list[str] = []

    def set_rows(self, rows: list[Sequence[str]], tips: list[str] | None = None) -> None:
        self.beginResetModel()
        self._rows = rows
        self._tips = tips or []
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers())

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.row() < len(self._tips):
            return self._tips[index.row()] or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers()[section]
        return None


class SyncPage(QWidget):
    """Export, import, add a device; what is not exported yet; every sync so far.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.

    Signals:
        conflicts_requested(): the user asked to review conflicts (show the Conflicts page).
        data_changed(): an import changed records (other pages may refresh).
        refreshed(object): the :class:`~app.services.sync.exchange.SyncOverview` now shown.
    """

    conflicts_requested = Signal()
    data_changed = Signal()
    refreshed = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPage")
        self._context = context
        self.overview: SyncOverview | None = None
        self.last_result: object = None

        self.heading = QLabel(self)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refreshSync")
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.refresh_button)

        self.device_label = QLabel(self)
        self.device_label.setObjectName("syncDevice")
        self.device_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pending_label = QLabel(self)
        self.pending_label.setObjectName("syncPending")
        self.pending_label.setWordWrap(True)
        self.last_label = QLabel(self)
        self.last_label.setObjectName("syncLast")

        self.export_button = QPushButton(self)
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export_to_folder)
        self.full_check = QCheckBox(self)
        self.full_check.setObjectName("fullExport")
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.import_file)
        self.add_device_button = QPushButton(self)
        self.add_device_button.setObjectName("addDeviceButton")
        self.add_device_button.clicked.connect(self.add_device)
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.full_check)
        actions.addSpacing(18)
        actions.addWidget(self.import_button)
        actions.addStretch(1)
        actions.addWidget(self.add_device_button)

        card = QFrame(self)
        card.setObjectName("syncStatusCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(16, 12, 16, 12)
        card_layout.addWidget(self.pending_label)
        card_layout.addWidget(self.last_label)
        card_layout.addSpacing(6)
        card_layout.addLayout(actions)

        self.result_label = QLabel(self)
        self.result_label.setObjectName("syncResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_button = QPushButton(self)
        self.review_button.setObjectName("reviewConflicts")
        self.review_button.clicked.connect(self.conflicts_requested)
        self.review_button.hide()
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignTop)

        self.history_model = RowsModel(self._history_headers, self)
        self.pending_model = RowsModel(self._pending_headers, self)
        self.devices_model = RowsModel(self._device_headers, self)
        self.history_view = read_only_table(self, self.history_model, "syncHistory", several=True, fit_contents=True)
        self.pending_view = read_only_table(self, self.pending_model, "notExported", several=True, fit_contents=True)
        self.devices_view = read_only_table(self, self.devices_model, "syncDevices", several=True, fit_contents=True)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("syncTabs")
        self.tabs.addTab(self.history_view, "")
        self.tabs.addTab(self.pending_view, "")
        self.tabs.addTab(self.devices_view, "")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.device_label)
        layout.addWidget(card)
        layout.addLayout(result_row)
        layout.addWidget(self.tabs, 1)
        self.theme_changed()
        self.retranslate()

    def theme_changed(self) -> None:
        """Size the heading and the status line again after the theme (and its font size) changed."""
        set_text_scale(self.heading, 1.5)
        set_text_scale(self.pending_label, 1.1)

    # --- texts ----------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the interface language (again, after a language change)."""
        self.heading.setText(self.tr("Sync"))
        self.refresh_button.setText(self.tr("&Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the sync state again (F5)"))
        self.export_button.setText(self.tr("&Export to folder or USB stick…"))
        self.export_button.setToolTip(self.tr("Write a sync file with the changes the other devices do not have"))
        self.full_check.setText(self.tr("E&verything (full export)"))
        self.full_check.setToolTip(self.tr("Carry every record, not only the changes; for a device that lost files"))
        self.import_button.setText(self.tr("&Import a sync file…"))
        self.add_device_button.setText(self.tr("&Add a device…"))
        self.add_device_button.setToolTip(self.tr("Write a join package for a new laptop, protected by a passphrase"))
        self.review_button.setText(self.tr("Review &conflicts"))
        self.tabs.setTabText(0, self.tr("History"))
        self.tabs.setTabText(1, self.tr("Not yet exported"))
        self.tabs.setTabText(2, self.tr("Devices"))
        for model in (self.history_model, self.pending_model, self.devices_model):
            model.retranslate()
        if self.overview is not None:
            self._show_overview(self.overview)

    def _history_headers(self) -> list[str]:
        return [
            self.tr("When"),
            self.tr("What"),
            self.tr("Device"),
            self.tr("Records"),
            self.tr("Result"),
            self.tr("File"),
        ]

    def _pending_headers(self) -> list[str]:
        return [self.tr("Changed"), self.tr("Kind"), self.tr("Record"), self.tr("Sync state")]

    def _device_headers(self) -> list[str]:
        return [self.tr("Device"), self.tr("Status"), self.tr("Last file imported from it"), self.tr("Device id")]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- reading --------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the sync state, the records not exported yet and the history on the database thread."""
        context = self._context

        def read() -> tuple[SyncOverview, list[PendingRecord], list[HistoryRow]]:
            return (
                sync_overview(context.uow()),
                not_exported_records(context.uow()),
                sync_history(context.uow()),
            )

        Op(self, read).latest_only("sync-page").success(self._show).run()

    def _show(self, result: tuple[SyncOverview, list[PendingRecord], list[HistoryRow]]) -> None:
        overview, pending, history = result
        self._show_overview(overview)
        kinds = {"visit": self.tr("Visit"), "resident": self.tr("Resident")}
        self.pending_model.set_rows(
            [
                (local_time(r.changed_at), kinds.get(r.table, r.table), r.label, self.tr("Not yet exported"))
                for r in pending
            ]
        )
        self.history_model.set_rows([self._history_row(h) for h in history], [h.path for h in history])
        self.refreshed.emit(overview)

    def _show_overview(self, overview: SyncOverview) -> None:
        self.overview = overview
        self.device_label.setText(
            self.tr("This device: {name} (id {id}) · {center}").format(
                name=overview.device_name or self.tr("unnamed"), id=overview.device_id[:8], center=overview.center_name
            )
        )
        # audit entries travel too, but they are bookkeeping: the nurse counts records
        pending = {t: n for t, n in overview.not_exported.items() if t not in QUIET_TABLES}
        if pending:
            self.pending_label.setText("⚠ " + self.tr("Not yet exported: {parts}").format(parts=counts_text(pending)))
        else:
            self.pending_label.setText("✓ " + self.tr("Every change on this device has been exported."))
        self.last_label.setText(
            self.tr("Last export: {export}    Last import: {imported}    Open conflicts: {conflicts}").format(
                export=local_time(overview.last_export_at) or self.tr("never"),
                imported=local_time(overview.last_import_at) or self.tr("never"),
                conflicts=overview.open_conflicts,
            )
        )
        status = {
            "peer": self.tr("syncs with this device"),
            "invitation": self.tr("invited, not joined yet"),
            "known": self.tr("known through other devices"),
        }
        self.devices_model.set_rows(
            [
                (d.name or d.device_id[:8], status[d.kind], local_time(d.last_seen), d.device_id)
                for d in overview.devices
            ]
        )

    def _history_row(self, row: HistoryRow) -> tuple[str, ...]:
        what = {
            "export": self.tr("Export"),
            "import": self.tr("Import"),
            "invite": self.tr("Join package"),
            "join": self.tr("Joined the center"),
        }.get(row.direction, row.direction)
        counts = row.counts
        if row.direction == "import":
            records = self.tr("new {new} · updated {updated} · conflicts {conflicts} · duplicates {duplicates}").format(
                new=counts.get("new", 0),
                updated=counts.get("updated", 0),
                conflicts=counts.get("conflicts", 0),
                duplicates=counts.get("duplicates", 0),
            )
        else:
            tables = counts.get("tables", {}) if isinstance(counts.get("tables"), dict) else {}
            records = self.tr("{n} records").format(n=records_counted(tables))
            if counts.get("full"):
                records += " · " + self.tr("full")
        result = self.tr("OK") if row.result == "ok" else row.result
        device = row.peer_name or row.peer_device[:8] or "—"
        return (local_time(row.at), what, device, records, result, Path(row.path).name)

    # --- actions ---------------------------------------------------------------------------------------

    def choose_export_folder(self) -> str:
        """Ask for the folder (a USB stick) to write the sync file into; "" if cancelled."""
        return QFileDialog.getExistingDirectory(self, self.tr("Export to folder or USB stick"))

    def choose_import_file(self) -> str:
        """Ask for the sync file to import; "" if cancelled."""
        return QFileDialog.getOpenFileName(self, self.tr("Import a sync file"), "", FILE_FILTER)[0]

    def choose_join_package_path(self) -> str:
        """Ask where to write a join package; "" if cancelled."""
        return QFileDialog.getSaveFileName(self, self.tr("Save the join package"), "join.crsync", FILE_FILTER)[0]

    @Slot()
    def export_to_folder(self) -> None:
        folder = self.choose_export_folder()
        if not folder:
            return
        context, full = self._context, self.full_check.isChecked()
        Op(self, lambda token: export_package(context.uow(), out=Path(folder), full=full, token=token)).with_progress(
            self.tr("Writing and checking the sync file…")
        ).cancellable().success(self._exported).run()

    def _exported(self, summary: ExportSummary) -> None:
        self.last_result = summary
        self.review_button.hide()
        self.result_label.setText(
            self.tr("Written and checked: {file} ({n} records). It is safe to unplug the USB stick.").format(
                file=summary.path, n=records_counted(summary.counts)
            )
        )
        self.full_check.setChecked(False)
        self.refresh()

    @Slot()
    def import_file(self) -> None:
        path = self.choose_import_file()
        if not path:
            return
        context = self._context
        Op(self, lambda token: import_package(context.uow(), path=Path(path), token=token)).with_progress(
            self.tr("Checking and importing the sync file…")
        ).cancellable().success(self._imported).failure(self._import_failed).run()

    def _imported(self, summary: ImportSummary) -> None:
        self.last_result = summary
        if summary.already_imported:
            self.result_label.setText(self.tr("This file was imported before; nothing changed."))
            self.review_button.hide()
            return
        text = self.tr(
            "Imported the file from {device}: {new} new, {updated} updated, {conflicts} conflicts, "
            "{duplicates} possible duplicate residents."
        ).format(
            device=summary.source_name or summary.source_device[:8],
            new=summary.new,
            updated=summary.updated,
            conflicts=summary.conflicts,
            duplicates=summary.duplicates,
        )
        if summary.rejected:
            text += " " + self.tr(
                "{n} records refer to records this device has not received yet; they come again with the "
                "sender's next file."
            ).format(n=summary.rejected)
        self.result_label.setText(text)
        self.review_button.setVisible(bool(summary.conflicts or summary.duplicates))
        self.data_changed.emit()
        self.refresh()

    def _import_failed(self, error: BaseException) -> None:
        self.result_label.setText("✗ " + self.tr("Not imported: {reason}").format(reason=error))
        self.review_button.hide()
        show_error(self.window(), error)

    @Slot()
    def add_device(self) -> None:
        dialog = AddDeviceDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        path = self.choose_join_package_path()
        if not path:
            return
        context = self._context
        label, passphrase, confirmation = dialog.values()
        Op(
            self,
            lambda token: invite_device(
                context.uow(),
                out=Path(path),
                passphrase=passphrase,
                confirmation=confirmation,
                device_label=label,
                token=token,
            ),
        ).with_progress(self.tr("Writing the join package…")).cancellable().success(self._invited).run()

    def _invited(self, summary: InviteSummary) -> None:
        self.last_result = summary
        self.review_button.hide()
        text = self.tr(
            "Join package written and checked: {file}, valid until {until}. Tell the passphrase to the "
            "person setting up the new device separately; never write it on the USB stick."
        ).format(file=summary.path, until=local_time(summary.expires))
        if summary.recovery_key:  # a server center's: the new device's copy was encrypted with a key of its own
            text += "\n" + self.tr(
                "The new device's database is encrypted. Its recovery key (shown only this once: write it down "
                "and keep it apart from the device): {key}"
            ).format(key=summary.recovery_key)
        self.result_label.setText(text)
        self.refresh()
