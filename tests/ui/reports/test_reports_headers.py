"""The Reports page's column titles read whole at a laptop's 1280×720, in the theme the application draws."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.ui.reports.charts import ReportCharts
from app.ui.reports.page import ReportsPage
from app.ui.shell.i18n import install_translators

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "reports"))
from report_center import TODAY, build

WAIT_MS = 20_000
THEME_PADDING = 2 * 24 + 2
"""What the theme (qt-material, density 0) takes of a header section's width: 24 px padding each side, borders."""
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reports-headers") / "center.sqlite"
    context = open_context(path)
    build(context)
    context.close()
    return path


def _cut_titles(table: QTableWidget) -> list[tuple[str, int]]:
    """Return the titles of ``table`` that do not fit their section as the theme draws them (in capitals)."""
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    cut = []
    for column in range(table.columnCount()):
        item = table.horizontalHeaderItem(column)
        title = (item.text() if item is not None else "").upper()
        room = header.sectionSize(column) - THEME_PADDING
        if metrics.elidedText(title, Qt.TextElideMode.ElideRight, room) != title:
            cut.append((title, header.sectionSize(column)))
    return cut


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_column_title_reads_whole_at_1280_by_720(
    qtbot: QtBot,
    qapp: QApplication,
    english: None,
    themed: None,
    open_copy: Callable[..., AppContext],
    template: Path,
    language: str,
) -> None:
    # "TOTAL" lost its T and "PREVIOUS (2026-Q3)" both ends: the widths counted the titles as typed, not in the
    # theme's capitals with its 24 px padding each side
    install_translators(qapp, language)  # the english fixture puts English back afterwards
    context = open_copy(template)
    page = ReportsPage(context, today=lambda: TODAY)
    page.add_charts(ReportCharts(context, page))
    qtbot.addWidget(page)
    page.resize(1280, 720)
    with qtbot.waitSignal(page.computed, timeout=WAIT_MS):
        page.show()
    assert page.table.columnCount() == 6  # indicator, total, previous, change, the two homes
    assert _cut_titles(page.table) == []
    with qtbot.waitSignal(page.listed, timeout=WAIT_MS):
        page.show_behind("ht_managed")
    assert _cut_titles(page.behind_table) == []
