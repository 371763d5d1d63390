""" "导出 Excel" beside the lists: the workbook holds the rows the page shows, with the page's filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from widget_lifetime import keep

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.ui.residents.page import ResidentsPage
from app.ui.rounds.overdue_page import OverduePage
from app.ui.rounds.page import RoundsPage
from app.ui.triage.page import TriagePage

TODAY = date(2026, 11, 18)
WAIT_MS = 20_000
pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"), pytest.mark.usefixtures("english")]


@pytest.fixture
def context(demo_center: Callable[..., Path], open_copy: Callable[..., AppContext]) -> AppContext:
    return open_copy(demo_center(residents=120, seed=6, today=TODAY))


def _names(path: Path, column: int) -> list[object]:
    return [row[column].value for row in load_workbook(path).worksheets[0].iter_rows(min_row=4)]


def test_the_overdue_list(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    page = OverduePage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()
    assert page.excel.button.text() == "Export E&xcel…"
    out = tmp_path / "overdue.xlsx"
    with qtbot.waitSignal(page.excel.exported, timeout=WAIT_MS) as exported:
        page.excel.export_to(out)
    shown = [page.model.index(row, 1).data() for row in range(page.model.rowCount())]
    assert exported.args[0].rows == len(shown) > 0
    assert _names(out, 1) == shown


def test_the_residents_with_the_colour_filter(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    page = ResidentsPage(context, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    page.colour_combo.setCurrentIndex(page.colour_combo.findData(TriageColour.RED.value))
    out = tmp_path / "residents.xlsx"
    with qtbot.waitSignal(page.excel.exported, timeout=WAIT_MS):
        page.excel.export_to(out)
    colours = _names(out, 6)
    assert colours and set(colours) == {TriageColour.RED.badge}


def test_the_triage_list_and_the_week_plan(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    triage = TriagePage(context, today=lambda: TODAY)
    rounds = RoundsPage(context, today=lambda: TODAY)
    qtbot.addWidget(keep(triage))  # released once the database thread is idle (widget_lifetime)
    qtbot.addWidget(keep(rounds))
    for page, name in ((triage, "triage.xlsx"), (rounds, "plan.xlsx")):
        out = tmp_path / name
        with qtbot.waitSignal(page.excel.exported, timeout=WAIT_MS) as exported:
            page.excel.export_to(out)
        assert exported.args[0].path == out and out.exists()
    assert len(load_workbook(tmp_path / "plan.xlsx").worksheets) == 2  # the rounds, the residents due
    assert "2026-W47" in str(load_workbook(tmp_path / "plan.xlsx").worksheets[0]["A1"].value)
