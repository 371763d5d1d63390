"""read_only_table — the one way a list of records is shown: whole rows selected, nothing edited in place."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def read_only_table(
    parent: QWidget,
    model: QAbstractItemModel,
    object_name: str,
    *,
    several: bool = False,
    shaded: bool = True,
    grid: bool = True,
    fit_contents: bool = False,
    stretch: Sequence[int] = (),
) -> QTableView:
    """Return a read-only view of ``model``: rows selected whole, alternate shading, no row numbers.

    Tab leaves the table (the arrows move in it); rows keep the one height the view gives them; the titles do
    not turn bold when a row is selected.

    Args:
        parent: the owning widget.
        model: the rows to show.
        object_name: the view's object name (tests and style sheets find it by that).
        several: let Shift / Ctrl select several rows (for deciding about many at once).
        shaded: shade every other row.
        grid: draw the grid between cells.
        fit_contents: columns always as wide as their contents (for short lists); else the user resizes them.
        stretch: the columns that share the room left; the last column by default.
    """
    table = QTableView(parent)
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    table.setSelectionMode(mode.ExtendedSelection if several else mode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(shaded)
    table.setShowGrid(grid)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    resize = QHeaderView.ResizeMode
    header.setSectionResizeMode(resize.ResizeToContents if fit_contents else resize.Interactive)
    header.setStretchLastSection(not stretch)
    for column in stretch:
        header.setSectionResizeMode(column, resize.Stretch)
    header.setHighlightSections(False)
    return table
