"""The audit page — 审计日志: who did what to which record and when, filtered by person, resident and date.

Shows the newest entries (at most :data:`~app.services.admin.audit.DEFAULT_LIMIT`) matching the filters;
the selected entry's changed fields appear below the table as "field: old → new". "Verify" walks the
hash chains and says whether any entry was edited, removed or reordered. Only roles allowed to view
the audit trail (the administrator) see entries; the service refuses everyone else.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.i18n import t
from app.domain.search import MAX_QUERY_CHARS
from app.services.admin.audit import (
    AuditPerson,
    AuditResults,
    AuditRow,
    action_label,
    audit_people,
    describe_changes,
    record_label,
    search_audit,
)
from app.services.admin.audit_verify import describe_verification, verify_audit_trail
from app.services.reports.exports import ListFilters, ListKind
from app.ui.reports.export_action import ExcelExport
from app.ui.shell.tasks import Op, show_error
from app.ui.widgets.badges import set_text_scale
from app.ui.widgets.tables import fit_columns, read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext

SEARCH_DELAY_MS = 250


class AuditTableModel(QAbstractTableModel):
    """Audit entries as a table: time, person, action, record, resident, changes."""

    TIME, PERSON, ACTION, RECORD, RESIDENT, CHANGES = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []
        self._locale = QLocale()

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._locale = QLocale()
        self.endResetModel()

    def row_at(self, row: int) -> AuditRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("Time"), self.tr("Person"), self.tr("Action"), self.tr("Record"), self.tr("Resident"),
            self.tr("Changes"),
        )  # fmt: skip
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if column == self.TIME:
            return entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if column == self.PERSON:
            return entry.staff_name or t("audit.nobody")
        if column == self.ACTION:
            return action_label(entry.action)
        if column == self.RECORD:
            return record_label(entry)
        if column == self.RESIDENT:
            return entry.resident_name
        if column == self.CHANGES:
            if role == Qt.ItemDataRole.ToolTipRole:
                return describe_changes(entry.changes, entity=entry.entity)
            return describe_changes(entry.changes, entity=entry.entity, limit=160)
        return None


class AuditPage(QWidget):
    """Read the audit trail and verify its hash chains.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.
        today: the day the date filter starts from (today by default; tests fix it).

    Signals:
        searched(object): the :class:`~app.services.admin.audit.AuditResults` now shown.
        verified(object): the :class:`~app.store.audit.ChainsReport` of a verification.
    """

    searched = Signal(object)
    verified = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self._context = context
        self._people_loaded = False
        self._searching = False
        today = today or date.today()

        heading = QLabel(self.tr("Audit trail"), self)
        set_text_scale(heading, 1.5)

        self.person_combo = QComboBox(self)
        self.person_combo.setObjectName("auditPerson")
        self.person_combo.addItem(self.tr("Everyone"), None)
        self.person_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.person_combo.setMinimumContentsLength(8)
        person_label = QLabel(self.tr("&Person:"), self)
        person_label.setBuddy(self.person_combo)

        self.resident_edit = QLineEdit(self)
        self.resident_edit.setObjectName("auditResident")
        self.resident_edit.setMaxLength(MAX_QUERY_CHARS)
        self.resident_edit.setPlaceholderText(self.tr("Name, pinyin initials or ID number"))
        self.resident_edit.setClearButtonEnabled(True)
        self.resident_edit.setMinimumWidth(200)
        resident_label = QLabel(self.tr("&Resident:"), self)
        resident_label.setBuddy(self.resident_edit)

        self.dates_check = QCheckBox(self.tr("Fro&m"), self)
        self.dates_check.setObjectName("auditDates")
        self.from_edit = QDateEdit(QDate(today.year, today.month, today.day).addDays(-30), self)
        self.from_edit.setObjectName("auditFrom")
        self.to_edit = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.to_edit.setObjectName("auditTo")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        to_label = QLabel(self.tr("to"), self)

        self.verify_button = QPushButton(self.tr("&Verify…"), self)
        self.verify_button.setObjectName("verifyAudit")
        self.verify_button.setToolTip(self.tr("Check that no entry was changed, removed or reordered"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("auditCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.note_label = QLabel(self)
        self.note_label.setObjectName("auditNote")
        self.note_label.setWordWrap(True)
        self.note_label.hide()

        self.model = AuditTableModel(self)
        self.table = read_only_table(self, self.model, "auditTable", grid=False)

        self.details = QPlainTextEdit(self)
        self.details.setObjectName("auditDetails")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(self.tr("Select an entry to see every field it changed."))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        filters = QHBoxLayout()
        filters.addWidget(person_label)
        filters.addWidget(self.person_combo, 1)
        filters.addSpacing(12)
        filters.addWidget(resident_label)
        filters.addWidget(self.resident_edit, 2)
        filters.addSpacing(12)
        filters.addWidget(self.dates_check)
        filters.addWidget(self.from_edit)
        filters.addWidget(to_label)
        filters.addWidget(self.to_edit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.verify_button)

        def audit_filters() -> ListFilters:
            values = self.filters()
            return ListFilters(
                text=values["resident_text"],
                audit_staff_id=values["staff_id"],
                audit_from=values.get("date_from"),
                audit_to=values.get("date_to"),
            )

        self.excel = ExcelExport(
            self, context, ListKind.AUDIT, filters=audit_filters, today=date.today, file_name=lambda: self.tr("audit")
        )
        bottom.addWidget(self.excel.button)
        bottom.addStretch(1)
        bottom.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(heading)
        layout.addWidget(self.note_label)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.search)
        self.resident_edit.textChanged.connect(self._debounce.start)
        self.resident_edit.returnPressed.connect(self.search)
        self.person_combo.currentIndexChanged.connect(self.search)
        self.dates_check.toggled.connect(self._dates_toggled)
        self.from_edit.dateChanged.connect(self._debounce.start)
        self.to_edit.dateChanged.connect(self._debounce.start)
        self.verify_button.clicked.connect(self.verify)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.search)
        self._fit_columns()

    # --- searching ----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if event.spontaneous():
            return
        if not self._people_loaded:
            self._load_people()
        self.search()

    def is_searching(self) -> bool:
        return self._searching

    def _load_people(self) -> None:
        context = self._context
        Op(self, lambda: audit_people(context.uow())).success(self._show_people).failure(lambda _e: None).run()

    def _show_people(self, people: list[AuditPerson]) -> None:
        self._people_loaded = True
        current = self.person_combo.currentData()
        self.person_combo.blockSignals(True)
        while self.person_combo.count() > 1:
            self.person_combo.removeItem(1)
        for person in people:
            suffix = "" if person.active else self.tr(" (disabled)")
            self.person_combo.addItem(f"{person.name}{suffix}", person.id)
        self.person_combo.setCurrentIndex(max(0, self.person_combo.findData(current)))
        self.person_combo.blockSignals(False)

    def filters(self) -> dict[str, Any]:
        """Return the search's filters as :func:`~app.services.admin.audit.search_audit` takes them."""
        values: dict[str, Any] = {
            "staff_id": self.person_combo.currentData(),
            "resident_text": self.resident_edit.text(),
        }
        if self.dates_check.isChecked():
            values["date_from"] = self.from_edit.date().toPython()
            values["date_to"] = self.to_edit.date().toPython()
        return values

    @Slot()
    def search(self) -> None:
        """Search the audit trail with the current filters on the database thread."""
        self._debounce.stop()
        context = self._context
        filters = self.filters()
        self._searching = True
        Op(self, lambda: search_audit(context.uow(), **filters)).latest_only("audit-search").success(
            self._show
        ).failure(self._failed).run()

    def _show(self, result: AuditResults) -> None:
        self._searching = False
        self.note_label.hide()
        self.model.set_rows(result.rows)
        self.details.clear()
        if result.total > len(result.rows):
            text = self.tr("The newest {shown} of {total} entries").format(shown=len(result.rows), total=result.total)
        else:
            text = self.tr("{count} entries").format(count=result.total)
        self.count_label.setText(text)
        self.searched.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._searching = False
        self.model.set_rows([])
        self.count_label.clear()
        self.note_label.setText(str(error))
        self.note_label.show()

    @Slot(bool)
    def _dates_toggled(self, on: bool) -> None:
        self.from_edit.setEnabled(on)
        self.to_edit.setEnabled(on)
        self.search()

    @Slot(QModelIndex, QModelIndex)
    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.details.clear()
            return
        entry = self.model.row_at(current.row())
        lines = [
            f"{entry.at.astimezone():%Y-%m-%d %H:%M:%S}  {entry.staff_name or t('audit.nobody')}  "
            f"{action_label(entry.action)} {record_label(entry)}",
            self.tr("Record id: {id}").format(id=entry.entity_id) if entry.entity_id else "",
        ]
        if entry.resident_name:
            lines.append(self.tr("Resident: {name}").format(name=entry.resident_name))
        if entry.changes:
            lines.append(describe_changes(entry.changes, entity=entry.entity))
        self.details.setPlainText("\n".join(line for line in lines if line))

    def _fit_columns(self) -> None:
        samples = {
            AuditTableModel.TIME: "2026-11-22 14:30:00",
            AuditTableModel.PERSON: "欧阳秀英英",
            AuditTableModel.ACTION: "opened record",
            AuditTableModel.RECORD: "account 欧阳秀英 (assistant2)",
            AuditTableModel.RESIDENT: "欧阳秀英英",
        }
        fit_columns(self.table, samples, sample_padding=28, row_height=(30, 12))

    # --- verifying ----------------------------------------------------------------------------------

    @Slot()
    def verify(self) -> None:
        """Verify the hash chains and show the result."""
        context = self._context
        settings = getattr(self.window(), "settings", None)  # the main window's; absent in a bare page
        configured = settings.get("backup_dir") if settings is not None else None
        self.verify_button.setEnabled(False)

        def verify_against_backups() -> Any:
            from app.services.admin.backups import backup_folder, list_backups

            path = context.database.path
            anchors = [backup.path for backup in list_backups(path, folder=backup_folder(path, configured))]
            return verify_audit_trail(context.uow(), anchors=anchors)

        Op(self, verify_against_backups).with_progress(self.tr("Checking the audit trail…")).success(
            self._show_verification
        ).failure(self._verify_failed).run()

    def _show_verification(self, report: Any) -> None:
        self.verify_button.setEnabled(True)
        lines = describe_verification(report)
        self.verified.emit(report)
        box = QMessageBox(
            QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Warning,
            self.tr("Audit trail"),
            lines[0],
            QMessageBox.StandardButton.Ok,
            self.window(),
        )
        box.setObjectName("verifyResult")
        if len(lines) > 1:
            box.setDetailedText("\n".join(lines[1:]))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _verify_failed(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        show_error(self.window(), error)
