"""The Reports page (app.ui.reports): pickers, figures beside the previous period, lists behind, charts, export."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.domain.report_periods import parse_period
from app.ui.reports.charts import ReportCharts
from app.ui.reports.page import ReportsPage

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "reports"))
from report_center import EXPECTED_Q4, TODAY, build

WAIT_MS = 20_000
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reports-page") / "center.sqlite"
    context = open_context(path)
    build(context)
    context.close()
    return path


def _page(qtbot: QtBot, context: AppContext) -> ReportsPage:
    page = ReportsPage(context, today=lambda: TODAY)
    page.add_charts(ReportCharts(context, page))
    qtbot.addWidget(page)
    page.resize(1280, 720)
    with qtbot.waitSignal(page.computed, timeout=WAIT_MS):
        page.show()
    return page


def _row(page: ReportsPage, title: str) -> list[str]:
    for row in range(page.table.rowCount()):
        item = page.table.item(row, 0)
        if item is not None and item.text() == title:
            return [
                page.table.item(row, c).text() if page.table.item(row, c) else ""
                for c in range(page.table.columnCount())
            ]
    raise AssertionError(title)


def test_the_last_ended_quarter_opens_with_the_previous_beside(
    qtbot: QtBot, english: None, open_copy: Callable[..., AppContext], template: Path
) -> None:
    page = _page(qtbot, open_copy(template))
    assert page.period() == parse_period("2026-Q4")  # 10 January 2027: the last quarter ended is 2026-Q4
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    assert headers[:4] == ["Indicator", "Total", "Previous (2026-Q3)", "Change"]
    assert headers[4:] == ["康宁养老院", "枫林敬老院"]
    assert _row(page, "Residents in residence")[1:] == ["6", "6", "+0", "3", "3"]
    assert _row(page, "BP control rate")[1] == "33.3%"
    assert _row(page, "Weekly round compliance")[1] == f"{EXPECTED_Q4['round_compliance']:.1f}%"


def test_a_figure_opens_the_residents_behind_it(
    qtbot: QtBot, english: None, open_copy: Callable[..., AppContext], template: Path
) -> None:
    page = _page(qtbot, open_copy(template))
    with qtbot.waitSignal(page.listed, timeout=WAIT_MS) as listed:
        page.show_behind("ht_managed")
    assert listed.args == [3]
    assert sorted(line.label for line in page.behind_rows) == ["吴八", "张一", "李二"]
    assert "3 lines" in page.behind_title.text()
    # double-clicking the cell of one home lists only its residents
    for row in range(page.table.rowCount()):
        if page.table.item(row, 0).text() == "Residents in residence":
            break
    with qtbot.waitSignal(page.listed, timeout=WAIT_MS) as listed:
        page.table.cellDoubleClicked.emit(row, 5)  # 枫林敬老院
    assert listed.args == [3] and {line.institution for line in page.behind_rows} == {"枫林敬老院"}


def test_another_period_and_one_institution(
    qtbot: QtBot, english: None, open_copy: Callable[..., AppContext], template: Path
) -> None:
    page = _page(qtbot, open_copy(template))
    page.set_period(parse_period("2026-11"))
    page.institution.setCurrentIndex(page.institution.findText("康宁养老院"))
    with qtbot.waitSignal(page.computed, timeout=WAIT_MS) as computed:
        page.refresh()
    report = computed.args[0]
    assert report.period.label == "2026-11" and report.previous.period.label == "2026-10"
    assert [name for _, name in report.figures.institutions] == ["康宁养老院"]
    assert page.table.columnCount() == 4  # one institution: its figures are the total
    page.kind.setCurrentIndex(page.kind.findData("range"))
    assert page.start.isVisible() and not page.number.isVisible()


def test_the_exported_workbook_holds_the_numbers_on_the_page(
    qtbot: QtBot, english: None, open_copy: Callable[..., AppContext], template: Path, tmp_path: Path
) -> None:
    page = _page(qtbot, open_copy(template))
    out = tmp_path / "return.xlsx"
    page.export_return(out)
    qtbot.waitUntil(lambda: out.exists() and "Wrote" in page.status.text(), timeout=WAIT_MS)
    book = load_workbook(out)
    shown = {}
    for row in range(page.table.rowCount()):
        if page.table.columnSpan(row, 0) == 1:
            shown[page.table.item(row, 0).text()] = page.table.item(row, 1).text()
    read = {}
    for sheet in book.worksheets:
        if sheet.title.startswith("_"):
            continue
        headers = [sheet["A3"].value] + [cell.value for cell in sheet[4][1:]]  # under the merged group titles
        last = [cell.value for cell in sheet[sheet.max_row - 2]]  # the total row, above the note
        assert last[0] == "Center total"
        for header, value, cell in zip(headers[1:], last[1:], sheet[sheet.max_row - 2][1:], strict=True):
            percent = cell.number_format == "0.0%"
            read[header] = "—" if value is None else (f"{100 * value:.1f}%" if percent else f"{value:,}")
    assert read == shown


def test_the_charts(qtbot: QtBot, english: None, open_copy: Callable[..., AppContext], template: Path) -> None:
    page = _page(qtbot, open_copy(template))
    charts = page.charts
    assert isinstance(charts, ReportCharts)
    qtbot.waitUntil(lambda: charts.series is not None, timeout=WAIT_MS)
    series = charts.series
    assert series is not None
    assert series.quarters == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert series.bp_control[-1] == 33.3 and series.glucose_control[-1] == 50.0
    assert [sunday.isoformat() for sunday, _ in series.overdue[:2]] == ["2026-10-04", "2026-10-11"]
    assert len(series.overdue) == 14 and charts.overdue_view.chart().series()
    december = series.colours[-1]
    assert (december["red"], december["yellow"], december["green"], december[""]) == (1, 1, 2, 2)
    grid = charts.weeks
    assert grid.rowCount() == 2 and grid.columnCount() == 14
    texts = {grid.item(r, c).text()[0] for r in range(2) for c in range(14)}
    assert texts <= {"✓", "✗", "⊘"} and "⊘" in texts
    assert grid.item(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_a_period_not_begun_cannot_be_chosen_and_one_in_progress_is_to_date(
    qtbot: QtBot, english: None, open_copy: Callable[..., AppContext], template: Path
) -> None:
    page = _page(qtbot, open_copy(template))  # today: 10 January 2027
    page.set_period(parse_period("2027-Q3"))
    assert page.period() == parse_period("2027-Q1")  # the pickers stop at the quarter in progress
    assert page.year.maximum() == 2027 and page.number.maximum() == 1
    page.kind.setCurrentIndex(page.kind.findData("month"))
    assert page.number.maximum() == 1  # January 2027 (in progress), no later month
    page.year.setValue(2026)
    assert page.number.maximum() == 12
    assert page.end.maximumDate().toPython() == TODAY
    page.set_period(parse_period("2027-01"))
    with qtbot.waitSignal(page.computed, timeout=WAIT_MS) as computed:
        page.refresh()
    assert computed.args[0].period.label == "2027-01"
    assert "in progress: counted to date (2027-01-10)" in page.status.text()
    page.kind.setCurrentIndex(page.kind.findData("range"))
    page.start.setMaximumDate(page.start.maximumDate().addYears(1))  # as if a date were typed past today
    page.start.setDate(page.start.date().addDays(30))
    page.end.setMaximumDate(page.end.maximumDate().addYears(1))
    page.end.setDate(page.start.date().addDays(10))
    page.refresh()
    assert "has not begun" in page.status.text() and page.compute_button.isEnabled()
