"""The one read-only table set-up (app.ui.widgets.tables.read_only_table): its defaults, and how a view may differ."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QWidget
from pytestqt.qtbot import QtBot

from app.ui.widgets.tables import read_only_table

Mode = QHeaderView.ResizeMode


def four_columns(rows: int = 3) -> QStandardItemModel:
    model = QStandardItemModel(rows, 4)
    model.setHorizontalHeaderLabels(["When", "Who", "What", "Why"])
    return model


def test_by_default_one_whole_row_is_selected_and_nothing_is_edited(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    table = read_only_table(parent, four_columns(), "records")
    assert table.objectName() == "records" and table.parent() is parent
    assert table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert table.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert table.alternatingRowColors() and table.showGrid() and not table.wordWrap()
    assert not table.tabKeyNavigation()  # Tab leaves the table
    vertical, header = table.verticalHeader(), table.horizontalHeader()
    assert vertical.isHidden() and vertical.sectionResizeMode(0) == Mode.Fixed
    assert [header.sectionResizeMode(column) for column in range(4)] == [Mode.Interactive] * 4
    assert header.stretchLastSection() and not header.highlightSections()


def test_a_view_may_select_several_rows_unshaded_without_grid_sized_to_contents(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    table = read_only_table(parent, four_columns(), "sync", several=True, shaded=False, grid=False, fit_contents=True)
    assert table.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    assert not table.alternatingRowColors() and not table.showGrid()
    header = table.horizontalHeader()
    assert [header.sectionResizeMode(column) for column in range(4)] == [Mode.ResizeToContents] * 4
    assert header.stretchLastSection()
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers  # still read-only


def test_chosen_columns_share_the_room_left_instead_of_the_last(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    table = read_only_table(parent, four_columns(), "conflicts", stretch=(1, 2))
    header = table.horizontalHeader()
    assert not header.stretchLastSection()
    assert [header.sectionResizeMode(column) for column in range(4)] == [
        Mode.Interactive,
        Mode.Stretch,
        Mode.Stretch,
        Mode.Interactive,
    ]
    parent.resize(800, 300)
    table.resize(800, 300)
    parent.show()
    qtbot.waitExposed(parent)
    assert abs(header.sectionSize(1) - header.sectionSize(2)) <= 1
    assert min(header.sectionSize(1), header.sectionSize(2)) > header.sectionSize(3)
