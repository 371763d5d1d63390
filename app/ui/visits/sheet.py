"""The round sheet of the visit page — the list of the round's residents, in round-sheet order.

:class:`SheetModel` has a row per resident (number, bed, name, colour, what was recorded); :class:`SheetPanel`
shows it with the count and the legend of the marks. The columns keep their width, so a name is never cut
to "…" on a 1280×720 laptop at 125 %; the visit editor beside it takes the rest of the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.domain.colours import TriageColour
from app.services.visits.save import SheetResident
from app.ui.widgets.badges import colour_qcolor
from app.ui.widgets.tables import fit_columns, read_only_table

ModelIndex = QModelIndex | QPersistentModelIndex


class SheetModel(QAbstractTableModel):
    """The round's residents in round-sheet order, with what was recorded for each.

    Args:
        parent: the owning object.
    """

    COLUMNS = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SheetResident] = []
        self._drafts: set[str] = set()

    def set_rows(self, rows: Sequence[SheetResident]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_drafts(self, resident_ids: set[str]) -> None:
        """Mark the residents with an unsaved draft."""
        self._drafts = set(resident_ids)
        if self._rows:
            self.dataChanged.emit(self.index(0, 4), self.index(len(self._rows) - 1, 4))

    def rows(self) -> list[SheetResident]:
        return list(self._rows)

    def row_at(self, row: int) -> SheetResident:
        return self._rows[row]

    def index_of(self, resident_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.resident_id == resident_id), -1)

    def replace_row(self, row: int, resident: SheetResident) -> None:
        self._rows[row] = resident
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMNS - 1))

    def add_row(self, resident: SheetResident) -> int:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(resident)
        self.endInsertRows()
        return len(self._rows) - 1

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("#"), self.tr("Bed"), self.tr("Name"), self.tr("Colour"), self.tr("Recorded"))[section]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        resident = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), resident, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if resident.due:
                return "\n".join(resident.due)
            return self.tr("Not due at this round: an unplanned visit") if not resident.planned else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 3:
                return colour_qcolor(resident.colour)
            if column == 4 and resident.visit is not None and resident.visit.urgent:
                return QColor("#b71c1c")
        if role == Qt.ItemDataRole.UserRole:
            return resident
        return None

    def _text(self, row: int, resident: SheetResident, column: int) -> str:
        if column == 0:
            return str(row + 1)
        if column == 1:
            return resident.bed_label
        if column == 2:
            return resident.name if resident.planned else f"{resident.name} ☆"
        if column == 3:
            return resident.colour.badge
        return self._status(resident)

    def _status(self, resident: SheetResident) -> str:
        visit = resident.visit
        if visit is None:
            return "✎ " + self.tr("unsaved") if resident.resident_id in self._drafts else "—"
        text = visit.outcome.label
        if visit.urgent:
            text = "‼ " + text
        elif visit.abnormal:
            text = "▲ " + text
        else:
            text = "✓ " + text
        if visit.version > 1:
            text += " " + self.tr("v{version}").format(version=visit.version)
        if resident.resident_id in self._drafts:
            text += " ✎"
        return text

    @property
    def drafted(self) -> set[str]:
        """The residents marked with an unsaved draft."""
        return set(self._drafts)


def unplanned_row(found: Any) -> SheetResident:
    """Return a row for a resident found with Ctrl+F (a :class:`~app.ui.widgets.resident_finder` result), not due."""
    born = date.fromisoformat(found.birth_date) if isinstance(found.birth_date, str) else found.birth_date
    return SheetResident(
        found.id,
        found.name,
        found.sex,
        born,
        found.building,
        found.room,
        found.bed,
        TriageColour(found.colour),
        (),
        False,
    )


def placeholder_row(resident_id: str, name: str) -> SheetResident:
    """Return a row for a resident opened by id, filled in once the editor has loaded them (born ``date.min``)."""
    return SheetResident(resident_id, name, "", date.min, "", "", "", TriageColour.GREEN, (), False)


class SheetPanel(QWidget):
    """The round sheet's table, the count of recorded visits under it, and the legend of the marks.

    Args:
        parent: the page.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SheetModel(self)
        # the name takes what is left: no side scrolling
        self.table = read_only_table(self, self.model, "roundSheet", stretch=(2,))
        self.table.verticalHeader().setDefaultSectionSize(max(28, self.table.fontMetrics().height() + 10))
        header = self.table.horizontalHeader()
        header.setStyleSheet("QHeaderView::section { padding-left: 4px; padding-right: 4px; }")
        # a name of either script a roster may bring, unplanned (☆): whether the round has enough rows for a
        # scroll bar must not decide whether "John Williams ☆" is cut; the colour as this language shows it
        widest = self.table.fontMetrics().horizontalAdvance
        name = max(("欧阳秀英 ☆", "John Williams ☆"), key=widest)
        colour = max((colour.badge for colour in TriageColour), key=widest)
        self.column_widths = fit_columns(
            self.table, ("99", "A-1201-12", name, colour, "‼ Absent v2 ✎"), header_padding=24
        )
        self.count_label = QLabel(self)
        self.count_label.setObjectName("sheetCount")
        # what the marks of the Recorded column mean (the ones SheetModel._status and _text put there)
        self.legend_label = QLabel(
            self.tr("✓ recorded, values normal · ▲ an abnormal value · ‼ urgent · ✎ not saved yet · ☆ unplanned"),
            self,
        )
        self.legend_label.setObjectName("sheetLegend")
        self.legend_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.legend_label)
        # the sheet keeps the width of its columns, so a name is never cut to "…" (1280×720, 125 %)
        frame = 2 * self.table.frameWidth()
        self.natural_width = sum(self.column_widths) + self.table.verticalScrollBar().sizeHint().width() + frame + 2
        self.setMinimumWidth(self.natural_width)

    def update_count(self) -> None:
        rows = self.model.rows()
        done = sum(1 for r in rows if r.visit is not None)
        self.count_label.setText(self.tr("{done} of {total} recorded").format(done=done, total=len(rows)))
