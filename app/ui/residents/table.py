"""Read-only tables of residents — one row per resident (or per colour decision), with colour badge columns.

The overdue list and the triage review (and its colour history) show the same kind of table: rows fetched
on the database thread and handed over whole, translated titles, colours shown as symbol, word and colour
(:class:`~app.ui.residents.page.ColourBadgeDelegate`), whole rows selected, nothing edited in place.
:class:`ResidentTableModel` holds the rows and answers Qt's questions; a subclass says what each column
shows. :func:`make_resident_table` sets up the view, :func:`fit_to_rows` sizes its columns, and
:func:`list_toolbar` builds the bar over such a list (title, institution filter, count, refresh).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QWidget

from app.domain.colours import TriageColour
from app.ui.residents.page import ColourBadgeDelegate
from app.ui.widgets.badges import colour_qcolor, set_text_scale
from app.ui.widgets.institution_filter import InstitutionFilter
from app.ui.widgets.tables import read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext

ModelIndex = QModelIndex | QPersistentModelIndex
MAX_COLUMN_WIDTH = 420


class ResidentTableModel(QAbstractTableModel):
    """Rows shown one per line, with colour columns and right-aligned numbers.

    A subclass sets :attr:`COLUMNS` (one name per column), :attr:`COLOUR_COLUMNS` and :attr:`NUMBER_COLUMNS`,
    and overrides :meth:`titles` (with ``self.tr`` and literal strings, so the titles keep the subclass's
    translation context); :meth:`display`, :meth:`colour` and :meth:`tooltip` read the row's attribute named
    like the column unless overridden.
    """

    COLUMNS: tuple[str, ...] = ()
    COLOUR_COLUMNS: tuple[int, ...] = ()
    NUMBER_COLUMNS: tuple[int, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show ``rows`` instead of the current ones."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        """Return the row shown on line ``row``."""
        return self._rows[row]

    def titles(self) -> tuple[str, ...]:
        """Return the column titles; subclasses return ``self.tr`` literals (the column names by default)."""
        return self.COLUMNS

    def display(self, row: Any, column: int) -> str:
        """Return the text of ``column`` for ``row``: by default the row's attribute named like the column."""
        value = getattr(row, self.COLUMNS[column], "")
        return value.badge if isinstance(value, TriageColour) else str(value if value is not None else "")

    def colour(self, row: Any, column: int) -> TriageColour:
        """Return the colour shown in the colour column ``column``: by default the attribute named like it."""
        return TriageColour(getattr(row, self.COLUMNS[column]))

    def tooltip(self, row: Any, column: int) -> str | None:
        """Return the tooltip of ``column`` for ``row`` (none by default)."""
        return None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.titles()[section]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column in self.COLOUR_COLUMNS:
            return colour_qcolor(self.colour(row, column))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        return None


def make_resident_table(parent: QWidget, model: ResidentTableModel, object_name: str) -> QTableView:
    """Return a read-only view of ``model``: whole rows selected, colour columns drawn as badges.

    Several rows may be selected (Shift / Ctrl), for deciding about many residents at once.

    Args:
        parent: the owning widget.
        model: the rows to show.
        object_name: the view's object name (tests and style sheets find it by that).
    """
    table = read_only_table(parent, model, object_name, several=True)
    set_badge_columns(table, model.COLOUR_COLUMNS)
    return table


def set_badge_columns(table: QTableView, columns: Sequence[int]) -> None:
    """Draw ``columns`` of ``table`` as colour badges (symbol, word and colour)."""
    for column in columns:
        table.setItemDelegateForColumn(column, ColourBadgeDelegate(table))


def fit_to_rows(table: QTableView, *, rows: int = 60) -> None:
    """Size a table's columns to their titles as the theme shows them (capitals, padding) and to the first rows.

    Only the first ``rows`` rows are measured, so a list of 100 000 costs no more than one of 60. The last
    column is not measured: it stretches over the room left and long texts end in "…" (full in the tooltip).
    """
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    model = table.model()
    count = min(rows, model.rowCount())
    last = model.columnCount() - 1
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        if column == last:  # the last column takes the room left and elides (its title stays in view)
            header.resizeSection(column, metrics.horizontalAdvance(title.upper()) + 56)
            continue
        widest = max(
            (
                metrics.horizontalAdvance(str(model.index(row, column).data() or "").split("\n")[0])
                for row in range(count)
            ),
            default=0,
        )
        width = max(metrics.horizontalAdvance(title.upper()) + 56, widest + 28, 48)
        header.resizeSection(column, min(width, MAX_COLUMN_WIDTH))
    header.setStretchLastSection(True)
    table.verticalHeader().setDefaultSectionSize(max(30, metrics.height() + 12))


@dataclass(frozen=True)
class ListToolbar:
    """The bar over a list of residents, as :func:`list_toolbar` builds it; the page fills and connects it."""

    layout: QHBoxLayout
    institution_combo: InstitutionFilter
    count_label: QLabel
    refresh_button: QPushButton


def list_toolbar(
    page: QWidget,
    context: AppContext,
    *,
    title: str,
    institution_label: str,
    refresh_text: str,
    combo_name: str,
    count_name: str,
) -> ListToolbar:
    """Return the bar over a list of residents: title, institution filter, count, refresh button (F5).

    The page passes its texts already translated (``self.tr`` with literal strings, in its own context),
    adds its own buttons to the end of :attr:`ListToolbar.layout`, sets the count and connects the signals.

    Args:
        page: the page the bar is on (the widgets' parent).
        context: the open database (the institution filter reads the institutions from it).
        title: the page's title, shown large on the left.
        institution_label: the label of the institution filter, with its mnemonic ("&Institution:").
        refresh_text: the refresh button's text.
        combo_name: the institution filter's object name.
        count_name: the count label's object name.
    """
    heading = QLabel(title, page)
    set_text_scale(heading, 1.5)
    combo = InstitutionFilter(context, combo_name, page)
    label = QLabel(institution_label, page)
    label.setBuddy(combo)
    count = QLabel(page)
    count.setObjectName(count_name)
    refresh = QPushButton(refresh_text, page)
    refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
    layout = QHBoxLayout()
    layout.addWidget(heading)
    layout.addSpacing(16)
    layout.addWidget(label)
    layout.addWidget(combo)
    layout.addStretch(1)
    layout.addWidget(count)
    layout.addWidget(refresh)
    return ListToolbar(layout, combo, count, refresh)
