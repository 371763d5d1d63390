"""Overdue — 逾期未访: residents due at an earlier round and not seen since, for the whole center.

Most days overdue first, with the institution, bed, colour (symbol, word and colour), last visit, what is
outstanding and a contact phone; filter by institution; print the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.services.institutions import list_institutions
from app.services.printing import print_overdue_list, short_reason
from app.services.rounds import OverdueResident, overdue_residents
from app.ui.badges import colour_qcolor, set_text_scale
from app.ui.pdf_preview import preview_file, show_pdf_preview
from app.ui.residents import ColourBadgeDelegate
from app.ui.tasks import Op
from app.ui.triage_page import fit_columns

if TYPE_CHECKING:
    from app.bootstrap import AppContext

ModelIndex = QModelIndex | QPersistentModelIndex


class OverdueModel(QAbstractTableModel):
    """Overdue residents: days, name, institution, bed, colour, last visit, outstanding, phone."""

    COLOUR = 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[OverdueResident] = []

    def set_rows(self, rows: Sequence[OverdueResident]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> OverdueResident:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 8

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Days overdue"), self.tr("Name"), self.tr("Institution"), self.tr("Bed"), self.tr("Colour"),
            self.tr("Last visit"), self.tr("Outstanding"), self.tr("Contact phone"),
        )[section]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        resident = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(resident.days)
            if column == 1:
                return resident.name
            if column == 2:
                return resident.institution
            if column == 3:
                return resident.bed_label
            if column == 4:
                return resident.colour.badge
            if column == 5:
                return resident.last_seen.isoformat() if resident.last_seen else self.tr("never")
            if column == 6:
                return "；".join(short_reason(reason) for reason in resident.overdue.reasons)
            return resident.phone
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COLOUR:
            return colour_qcolor(resident.colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 6:
            return "\n".join(reason.text(resident.overdue.since) for reason in resident.overdue.reasons)
        return None


class OverduePage(QWidget):
    """The center's overdue residents.

    Args:
        context: the open database.
        parent: the owning widget.
        today: returns the reference day (``date.today`` by default; tests fix it).

    Signals:
        refreshed(int): the list was fetched; the number of residents on it.
    """

    refreshed = Signal(int)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overduePage")
        self._context = context
        self._today = today
        self._loaded_once = False

        heading = QLabel(self.tr("Overdue residents"), self)
        set_text_scale(heading, 1.5)
        self.institution_combo = QComboBox(self)
        self.institution_combo.setObjectName("overdueInstitution")
        self.institution_combo.addItem(self.tr("All institutions"), None)
        self.institution_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        institution_label = QLabel(self.tr("&Institution:"), self)
        institution_label.setBuddy(self.institution_combo)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("overdueCount")
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.print_button = QPushButton(self.tr("&Print list…"), self)
        self.print_button.setObjectName("printOverdue")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        top.addWidget(institution_label)
        top.addWidget(self.institution_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.refresh_button)
        top.addWidget(self.print_button)
        self.explanation = QLabel(
            self.tr("Due at an earlier round and not seen since. Days count from that round."), self
        )
        self.explanation.setWordWrap(True)

        self.model = OverdueModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("overdueTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setItemDelegateForColumn(OverdueModel.COLOUR, ColourBadgeDelegate(self.table))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.institution_combo.currentIndexChanged.connect(self.refresh)
        self.print_button.clicked.connect(self.print_list)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            if not self._loaded_once:
                self._loaded_once = True
                Op(self, lambda: list_institutions(self._context.uow())).success(self._show_institutions).run()
            self.refresh()

    def _show_institutions(self, institutions: list[Any]) -> None:
        self.institution_combo.blockSignals(True)
        for institution in institutions:
            self.institution_combo.addItem(institution.name, institution.id)
        self.institution_combo.blockSignals(False)

    @Slot()
    def refresh(self) -> None:
        """Fetch the overdue residents on the database thread."""
        context, today = self._context, self._today()
        institution_id = self.institution_combo.currentData()
        self.refresh_button.setEnabled(False)
        Op(self, lambda: overdue_residents(context.uow(), today=today, institution_id=institution_id)).with_progress(
            self.tr("Finding overdue residents…")
        ).latest_only("overdue").success(self._show).run()

    def _show(self, rows: list[OverdueResident]) -> None:
        self.refresh_button.setEnabled(True)
        self.model.set_rows(rows)
        fit_columns(self.table)
        counts = {colour: sum(r.colour is colour for r in rows) for colour in TriageColour}
        detail = "  ".join(f"{colour.badge} {counts[colour]}" for colour in TriageColour)
        self.count_label.setText(self.tr("{count} overdue: {detail}").format(count=len(rows), detail=detail))
        self.print_button.setEnabled(bool(rows))
        self.refreshed.emit(len(rows))

    @Slot()
    def print_list(self) -> None:
        """Build the overdue list (all or the chosen institution) and preview it."""
        context, today = self._context, self._today()
        institution_id = self.institution_combo.currentData()
        out = preview_file("overdue.pdf")
        Op(
            self, lambda: print_overdue_list(context.uow(), out=out, today=today, institution_id=institution_id)
        ).with_progress(self.tr("Preparing the overdue list…")).success(
            lambda printed: show_pdf_preview(
                self, printed.path, title=self.tr("Overdue residents"), file_name=f"overdue-{today.isoformat()}.pdf"
            )
        ).run()

    def theme_changed(self) -> None:
        self.model.layoutChanged.emit()
