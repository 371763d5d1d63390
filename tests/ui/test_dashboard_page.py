"""The dashboard page (app.ui.dashboard): figures as cards, colours as symbol + word + number."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.domain.colours import TriageColour
from app.domain.institutions import InstitutionKind
from app.services.dashboard import dashboard_figures
from app.services.demo import create_demo_center
from app.settings import Settings
from app.ui.dashboard import DashboardPage
from app.ui.main_window import MainWindow

DEMO_TODAY = date(2026, 11, 16)
WAIT_MS = 10_000

# The offscreen platform warns whenever a shown top-level page's minimum size changes with its content.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    context = open_context(path)
    try:
        create_demo_center(context.database, residents=200, seed=1, today=DEMO_TODAY)
    finally:
        context.close()
    return path


@pytest.fixture
def context(demo_db: Path) -> AppContext:
    ctx = open_context(demo_db)
    yield ctx
    ctx.close()


def plain(rich_text: str) -> str:
    document = QTextDocument()
    document.setHtml(rich_text)
    return document.toPlainText().replace("\xa0", " ")


def test_signing_in_as_a_doctor_shows_the_dashboard_with_the_colour_counts(
    qtbot: QtBot, demo_db: Path, tmp_path: Path
) -> None:
    window = MainWindow(database_path=demo_db, settings=Settings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
    panel = window.sign_in_panel
    qtbot.keyClicks(panel.login_edit, "doctor1")
    qtbot.keyClicks(panel.password_edit, "demo1234")
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)

    workspace = window.workspace
    assert workspace is not None and workspace.current_page() is workspace.dashboard
    page = workspace.dashboard
    qtbot.waitUntil(lambda: page.figures is not None, timeout=WAIT_MS)
    assert window.context is not None
    expected = dashboard_figures(window.context.uow(), today=date.today())
    assert page.figures == expected
    assert page.residents_card.value_label.text() == str(expected.residents_in_residence)
    for colour in TriageColour:
        count = expected.residents_by_colour[colour]
        assert plain(page.residents_card.detail_text(colour.value)) == f"{colour.symbol} {colour.word} {count}"
        assert colour.rgb in page.residents_card.detail_text(colour.value)  # coloured as well as labelled
    assert sum(expected.residents_by_colour.values()) > 0


def test_cards_show_every_figure(qtbot: QtBot, context: AppContext) -> None:
    page = DashboardPage(context, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS) as shown:
        page.show()
    figures = shown.args[0]
    assert figures == dashboard_figures(context.uow(), today=DEMO_TODAY)

    assert page.institutions_card.value_label.text() == str(figures.institutions)
    for kind, count in figures.institutions_by_kind.items():
        assert plain(page.institutions_card.detail_text(kind)) == f"{InstitutionKind(kind).label} {count}"
    for colour in TriageColour:
        assert plain(page.overdue_card.detail_text(colour.value)) == (
            f"{colour.symbol} {colour.word} {figures.overdue_by_colour[colour]}"
        )
    assert page.overdue_card.value_label.text() == str(figures.overdue)
    rounds = page.rounds_card
    assert plain(rounds.detail_text("planned")) == f"Planned {figures.rounds_this_week}"
    assert plain(rounds.detail_text("done")) == f"Done {figures.rounds_done_this_week}"
    assert plain(rounds.detail_text("cancelled")) == f"Cancelled {figures.rounds_cancelled_this_week}"
    agreements = page.agreements_card
    assert plain(agreements.detail_text("expiring")) == f"Expiring soon {figures.agreements_expiring}"
    assert plain(agreements.detail_text("expired")) == f"Expired {figures.agreements_expired}"
    assert page.date_label.text() == "Figures for 2026-11-16"


def test_refresh_fetches_the_figures_again(qtbot: QtBot, context: AppContext) -> None:
    page = DashboardPage(context, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    assert page.refresh_button.isEnabled()
    page.hide()
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()  # showing the page again refreshes it
