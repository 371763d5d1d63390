"""The overdue page (app.ui.rounds.overdue_page): the center's overdue residents, filter, print."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.rounds.plan import overdue_residents
from app.ui.rounds.overdue_page import OverdueModel, OverduePage
from app.ui.shell.i18n import install_translators
from app.ui.widgets.pdf_preview import PdfPreviewDialog

TODAY = date(2026, 11, 18)
WAIT_MS = 20_000

pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"), pytest.mark.usefixtures("english")]


@pytest.fixture
def context(demo_center: Callable[..., Path], open_copy: Callable[..., AppContext]) -> AppContext:
    return open_copy(demo_center(residents=300, seed=6, today=TODAY))


def open_page(qtbot: QtBot, context: AppContext) -> OverduePage:
    page = OverduePage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()
    qtbot.waitUntil(lambda: page.institution_combo.count() > 1, timeout=WAIT_MS)
    return page


def test_every_overdue_resident_most_days_first(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    expected = overdue_residents(context.uow(), today=TODAY)
    model = page.model
    assert model.rowCount() == len(expected) > 0
    assert [model.row_at(n).resident_id for n in range(model.rowCount())] == [r.resident_id for r in expected]
    first = expected[0]
    assert model.index(0, 0).data() == str(first.days)
    assert model.index(0, OverdueModel.COLOUR).data() == first.colour.badge
    colour = model.index(0, OverdueModel.COLOUR).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(colour, QColor) and colour.name() == first.colour.rgb
    assert model.index(0, 7).data() == first.phone
    assert page.count_label.text().startswith(f"{len(expected)} overdue: ● Red ")


def test_filtering_by_institution(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    index = page.institution_combo.findText("康宁养老院")
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS) as shown:
        page.institution_combo.setCurrentIndex(index)
    rows = [page.model.row_at(n) for n in range(page.model.rowCount())]
    assert shown.args[0] == len(rows) and {r.institution for r in rows} <= {"康宁养老院"}


def test_printing_the_list(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    page.print_list()
    qtbot.waitUntil(lambda: bool(page.window().findChildren(PdfPreviewDialog)), timeout=WAIT_MS)
    preview = page.window().findChildren(PdfPreviewDialog)[-1]
    qtbot.waitUntil(preview.print_button.isEnabled, timeout=WAIT_MS)
    assert preview.windowTitle() == "Overdue residents"
    # the page count, whether the pages were drawn by QtPdf (when PySide6-Addons is installed) or pdftoppm
    assert re.match(r"[1-9]\d* page\(s\)", preview.status_label.text())
    preview.close()


def test_the_page_in_chinese(qtbot: QtBot, qapp: QApplication, context: AppContext) -> None:
    install_translators(qapp, "zh_CN")
    page = open_page(qtbot, context)
    assert page.count_label.text().startswith("逾期 ")
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "逾期天数"
    assert page.print_button.text() == "打印名单(&P)…"
