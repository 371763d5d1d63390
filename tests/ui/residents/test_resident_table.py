"""The shared resident table (app.ui.residents.table): rows, titles, colour badges, read-only view, top bar."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import open_context
from app.domain.colours import TriageColour
from app.ui.residents.page import ColourBadgeDelegate
from app.ui.residents.table import ResidentTableModel, fit_to_rows, list_toolbar, make_resident_table


@dataclass(frozen=True)
class Bed:
    name: str
    days: int
    colour: TriageColour
    note: str


class BedModel(ResidentTableModel):
    COLUMNS = ("name", "days", "colour")
    COLOUR_COLUMNS = (2,)
    NUMBER_COLUMNS = (1,)

    def titles(self) -> tuple[str, ...]:
        return ("Name", "Days", "Colour")

    def display(self, row: Bed, column: int) -> str:
        return (row.name, str(row.days), row.colour.badge)[column]

    def colour(self, row: Bed, column: int) -> TriageColour:
        return row.colour

    def tooltip(self, row: Bed, column: int) -> str | None:
        return row.note if column == 0 else None


ROWS = [Bed("张红丽", 12, TriageColour.RED, "年度体检到期"), Bed("李建国", 3, TriageColour.GREEN, "")]


def model_with_rows() -> BedModel:
    model = BedModel()
    model.set_rows(ROWS)
    return model


def test_the_model_answers_for_its_rows_and_columns() -> None:
    model = model_with_rows()
    assert (model.rowCount(), model.columnCount()) == (2, 3)
    assert model.row_at(1) is ROWS[1]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Name", "Days", "Colour"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.index(0, 2).data() == TriageColour.RED.badge
    colour = model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(colour, QColor) and colour.name() == TriageColour.RED.rgb
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None, "only colour columns are coloured"
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "年度体检到期"
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) is None


def test_new_rows_replace_the_old_ones_with_one_reset() -> None:
    model = model_with_rows()
    resets: list[Any] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.set_rows(ROWS[:1])
    assert model.rowCount() == 1 and resets == [True]


def test_the_view_is_read_only_selects_rows_and_draws_badges(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    model = model_with_rows()
    table = make_resident_table(parent, model, "bedTable")
    assert table.objectName() == "bedTable" and table.model() is model
    assert table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert table.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    table.selectRow(0)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    table.selectionModel().select(model.index(1, 0), flags)
    assert sorted({index.row() for index in table.selectionModel().selectedRows()}) == [0, 1]
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not table.verticalHeader().isVisible() and table.horizontalHeader().stretchLastSection()
    assert isinstance(table.itemDelegateForColumn(2), ColourBadgeDelegate)
    assert not isinstance(table.itemDelegateForColumn(0), ColourBadgeDelegate)


def test_columns_fit_their_longest_text(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    model = BedModel()
    model.set_rows([Bed("欧阳" * 20, 1, TriageColour.YELLOW, "")])
    table = make_resident_table(parent, model, "bedTable")
    fit_to_rows(table)
    assert table.columnWidth(0) > table.columnWidth(1) >= 48
    assert table.columnWidth(0) <= 420, "capped, so one long name does not push the rest off screen"


def test_a_model_that_only_names_its_columns_shows_the_rows_attributes(qtbot: QtBot) -> None:
    class PlainModel(ResidentTableModel):
        COLUMNS = ("name", "days", "colour")
        COLOUR_COLUMNS = (2,)

    model = PlainModel()
    model.set_rows([Bed("王芳", 12, TriageColour.RED, "")])
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["name", "days", "colour"]
    assert [model.index(0, c).data() for c in range(3)] == ["王芳", "12", TriageColour.RED.badge]
    assert isinstance(model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole), QColor)


def test_the_top_bar_has_the_title_the_institution_filter_the_count_and_refresh(qtbot: QtBot, tmp_path: Path) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    context = open_context(tmp_path / "center.sqlite")
    try:
        bar = list_toolbar(
            page,
            context,
            title="Overdue residents",
            institution_label="&Institution:",
            refresh_text="&Refresh",
            combo_name="overdueInstitution",
            count_name="overdueCount",
        )
        items = [bar.layout.itemAt(i) for i in range(bar.layout.count())]
        widgets = [item.widget() for item in items if item.widget() is not None]
        heading, label = widgets[0], widgets[1]
        assert widgets == [heading, label, bar.institution_combo, bar.count_label, bar.refresh_button]
        assert all(widget.parent() is page for widget in widgets)
        assert isinstance(heading, QLabel) and heading.text() == "Overdue residents"
        assert isinstance(label, QLabel) and label.text() == "&Institution:" and label.buddy() is bar.institution_combo
        assert bar.institution_combo.objectName() == "overdueInstitution"
        assert bar.institution_combo.currentData() is None  # all institutions until the page loads them
        assert bar.count_label.objectName() == "overdueCount" and bar.count_label.text() == ""
        assert bar.refresh_button.text() == "&Refresh"
        assert bar.refresh_button.shortcut() == QKeySequence(QKeySequence.StandardKey.Refresh)
        # title, a gap, the filter; the count and the buttons sit right, after the room left
        kinds = ["widget" if item.widget() is not None else "space" for item in items]
        assert kinds == ["widget", "space", "widget", "widget", "space", "widget", "widget"]
    finally:
        context.close()
