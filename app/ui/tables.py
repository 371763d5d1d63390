"""read_only_table — the one way a list of records is shown: whole rows selected, nothing edited in place."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def read_only_table(
    parent: QWidget, model: QAbstractItemModel, object_name: str, *, several: bool = False
) -> QTableView:
    """Return a read-only view of ``model``: rows selected whole, alternate shading, no row numbers.

    Args:
        parent: the owning widget.
        model: the rows to show.
        object_name: the view's object name (tests and style sheets find it by that).
        several: let Shift / Ctrl select several rows (for deciding about many at once).
    """
    table = QTableView(parent)
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    table.setSelectionMode(mode.ExtendedSelection if several else mode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    return table
