"""The resident list as a Qt item model — 居民名单.

Holds the :class:`~app.services.records.residents.ResidentRow` tuples a search returned and formats only
the cells a view asks for: ``data()`` is O(1) and computes nothing ahead, so 100 000 rows load
as fast as the list can be swapped and scroll smoothly. Ages are worked out when first shown and
kept per row.

A search may hand over its first page only (:meth:`ResidentTableModel.set_rows` with ``more=True``): when
the view scrolls near the end, Qt's ``fetchMore`` asks for the next page through :attr:`more_wanted`,
once, and whoever searched adds it with :meth:`ResidentTableModel.add_rows` (the view never waits).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from app.domain.colours import TriageColour
from app.domain.residents import ResidentStatus, Sex
from app.domain.search import bed_label
from app.ui.widgets.badges import colour_qcolor

ModelIndex = QModelIndex | QPersistentModelIndex

VISIBLE_ID_DIGITS = 4
"""How many trailing characters of an ID number the list shows; the rest is masked."""


class Column(IntEnum):
    """The columns of the resident list, in order."""

    NAME = 0
    SEX = 1
    AGE = 2
    INSTITUTION = 3
    BED = 4
    COLOUR = 5
    STATUS = 6
    ID_NUMBER = 7


COLUMN_SAMPLES: Mapping[int, str] = {
    Column.NAME: "欧阳秀英英",
    Column.SEX: "女 F",
    Column.AGE: "100",
    Column.INSTITUTION: "漕溪长者照护之家",
    Column.BED: "A-1201-12",
    Column.COLOUR: "▲ Yellow",
    Column.STATUS: "Hospitalized",
}
"""The widest text each column usually holds (the columns are sized to these, never to 100 000 rows)."""


def mask_id_number(id_number: str, visible: int = VISIBLE_ID_DIGITS) -> str:
    """Return ``id_number`` with all but its last ``visible`` characters replaced by ``*``."""
    if len(id_number) <= visible:
        return id_number
    return "*" * (len(id_number) - visible) + id_number[-visible:]


class ResidentTableModel(QAbstractTableModel):
    """Show resident rows; replace them all at once with :meth:`set_rows`, add a page with :meth:`add_rows`.

    Args:
        today: the day ages are counted on (today by default).
        parent: the owning object.

    Signals:
        more_wanted(int): the view wants more rows and more may follow; the number of rows held (where the
            next page starts). Emitted once until :meth:`add_rows` or :meth:`set_rows` answers.
    """

    more_wanted = Signal(int)

    def __init__(self, today: date | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._ages: list[int | None] = []
        self._more = False  # more rows may follow those held
        self._asked = False  # more_wanted was emitted and not answered yet
        self._today = today or date.today()
        self._labels: dict[tuple[Column, str], str] = {}
        self._colours: dict[str, QColor] = {}

    # --- contents -----------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any], *, more: bool = False) -> None:
        """Show ``rows`` (ResidentRow tuples) instead of the current ones.

        Args:
            more: these are a first page, more may follow (asked for through :attr:`more_wanted`).
        """
        self.beginResetModel()
        self._rows = list(rows)
        self._ages = [None] * len(self._rows)
        self._more, self._asked = more, False
        self._labels.clear()
        self._colours.clear()
        self.endResetModel()

    def add_rows(self, rows: Sequence[Any], *, more: bool) -> None:
        """Add the next page ``rows`` after those shown; ``more``: still more may follow."""
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._ages.extend([None] * len(rows))
            self.endInsertRows()
        self._more, self._asked = more, False

    def has_more(self) -> bool:
        """Return whether more rows may follow those held (the list is a first page or pages)."""
        return self._more

    def stop_fetching(self) -> None:
        """Ask for no more rows (the next page could not be read): the list shows what it holds."""
        self._more = self._asked = False

    def row_at(self, row: int) -> Any:
        """Return the ResidentRow shown on line ``row``."""
        return self._rows[row]

    def retranslate(self) -> None:
        """Show headers and labels in the language installed now."""
        self._labels.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1))

    def refresh_colours(self) -> None:
        """Repaint the colour column (after the theme changed)."""
        self._colours.clear()
        if self._rows:
            top = self.index(0, Column.COLOUR)
            bottom = self.index(len(self._rows) - 1, Column.COLOUR)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.ForegroundRole])

    # --- QAbstractTableModel -----------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and not self._asked

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._asked = True
            self.more_wanted.emit(len(self._rows))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header_text(section)
        return None

    def _header_text(self, section: int) -> str | None:
        # Translated at call time, so a language installed later shows at once.
        if section == Column.NAME:
            return self.tr("Name")
        if section == Column.SEX:
            return self.tr("Sex")
        if section == Column.AGE:
            return self.tr("Age")
        if section == Column.INSTITUTION:
            return self.tr("Institution")
        if section == Column.BED:
            return self.tr("Bed")
        if section == Column.COLOUR:
            return self.tr("Colour")
        if section == Column.STATUS:
            return self.tr("Status")
        if section == Column.ID_NUMBER:
            return self.tr("ID number")
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.COLOUR:
            return self._colour(self._rows[row].colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.AGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self._rows[row]
        return None

    def _display(self, row: int, column: int) -> Any:
        resident = self._rows[row]
        if column == Column.NAME:
            return resident.name
        if column == Column.SEX:
            return self._label(Column.SEX, resident.sex)
        if column == Column.AGE:
            age = self._ages[row]
            if age is None:
                age = self._ages[row] = resident.age_on(self._today)
            return age
        if column == Column.INSTITUTION:
            return resident.institution
        if column == Column.BED:
            return bed_label(resident.building, resident.room, resident.bed)
        if column == Column.COLOUR:
            return self._label(Column.COLOUR, resident.colour)
        if column == Column.STATUS:
            return self._label(Column.STATUS, resident.status)
        if column == Column.ID_NUMBER:
            return mask_id_number(resident.id_number)
        return None

    def _label(self, column: Column, value: str) -> str:
        key = (column, value)
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = _domain_label(column, value)
        return label

    def _colour(self, value: str) -> QColor | None:
        colour = self._colours.get(value)
        if colour is None:
            try:
                colour = self._colours[value] = colour_qcolor(TriageColour(value))
            except ValueError:
                return None
        return colour


def _domain_label(column: Column, value: str) -> str:
    try:
        if column == Column.SEX:
            return Sex(value).label
        if column == Column.COLOUR:
            return TriageColour(value).badge
        if column == Column.STATUS:
            return ResidentStatus(value).label
    except ValueError:
        pass
    return value
