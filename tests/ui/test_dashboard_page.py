"""The dashboard page (app.ui.dashboard): figures as cards, colours as symbol + word + number."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.domain.colours import TriageColour
from app.domain.institutions import InstitutionKind
from app.services.dashboard import dashboard_figures
from app.services.demo.center import create_demo_center
from app.settings import Settings
from app.ui.dashboard import DashboardPage
from app.ui.shell.i18n import install_translators
from app.ui.shell.main_window import MainWindow

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
    assert rounds.value_label.text() == str(figures.rounds_this_week)
    assert rounds.caption_label.text() == "rounds this week (cancelled ones not counted)"
    # the parts add up to the big number, and the cancelled ones say they are outside it
    to_come = figures.rounds_this_week - figures.rounds_done_this_week
    assert plain(rounds.detail_text("done")) == f"of which held: {figures.rounds_done_this_week}"
    assert plain(rounds.detail_text("to_come")) == f"of which still to come: {to_come}"
    assert plain(rounds.detail_text("cancelled")) == (
        f"cancelled (not counted above): {figures.rounds_cancelled_this_week}"
    )
    assert rounds.detail_text("planned") == ""
    agreements = page.agreements_card
    flagged = figures.agreements_expiring + figures.agreements_expired
    assert agreements.value_label.text() == str(flagged)
    assert agreements.caption_label.text() == "institutions whose agreement needs renewing"
    assert plain(agreements.detail_text("expiring")) == f"ends within 60 days: {figures.agreements_expiring}"
    assert plain(agreements.detail_text("expired")) == f"has ended: {figures.agreements_expired}"
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


def sign_in_as(context: AppContext, login: str) -> None:
    from sqlmodel import select

    from app.store.models import Staff

    with context.uow() as uow:
        context.actor_id = uow.session.exec(select(Staff).where(Staff.login == login)).one().id


@pytest.mark.parametrize(("login", "may_record"), [("nurse1", True), ("doctor1", True), ("assistant1", False)])
def test_todays_rounds_open_on_the_visit_page_for_roles_that_record_visits(
    qtbot: QtBot, qapp: QApplication, context: AppContext, login: str, may_record: bool
) -> None:
    install_translators(qapp, "en")
    sign_in_as(context, login)
    page = DashboardPage(context, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS) as shown:
        page.show()
    rounds = shown.args[0].today_rounds
    assert rounds, "the demo plans rounds on its 'today'"
    assert page.today_card.value_label.text() == str(len(rounds))
    assert page.today_list.count() == len(rounds)
    first = rounds[0]
    status = "✓ done" if first.status == "done" else "○ planned"
    assert page.today_list.item(0).text() == (
        f"{first.institution_name} · {first.team_name or '—'} — {status}, {first.visits_recorded} visit(s) recorded"
    )
    assert page.open_round_button.isEnabled() == may_record
    opened: list[str] = []
    page.open_round_requested.connect(opened.append)
    page.today_list.setCurrentRow(len(rounds) - 1)
    page.today_list.setFocus()
    qtbot.keyClick(page.today_list, Qt.Key.Key_Return)
    qtbot.mouseClick(page.open_round_button, Qt.MouseButton.LeftButton)
    assert opened == ([rounds[-1].round_id] * 2 if may_record else [])
    if not may_record:
        assert page.today_card.caption_label.text() == "Recording visits is for doctors and nurses."


def test_a_round_opened_from_the_dashboard_shows_on_the_visit_page(qtbot: QtBot, context: AppContext) -> None:
    from app.services.accounts.sign_in import sign_in
    from app.ui.shell.workspace import Workspace

    signed = sign_in(context.uow(), login="nurse1", password="demo1234")
    context.actor_id = signed.staff_id
    workspace = Workspace(context, signed=signed, center=None)
    qtbot.addWidget(workspace)
    opened: list[tuple[str, bool]] = []
    visits = workspace.page("visits")
    visits.open_round = lambda round_id, focus=False: opened.append((round_id, focus))  # type: ignore[method-assign]
    page = workspace.dashboard
    page.open_round_requested.emit("round-1")
    assert opened == [("round-1", True)] and workspace.current_page() is visits  # the form takes the focus


def test_the_overdue_card_counts_what_the_overdue_page_lists_and_says_so(qtbot: QtBot, context: AppContext) -> None:
    from app.ui.rounds.overdue_page import OverduePage

    # the demo's "today" plus three weeks: annual checks and follow-ups fall overdue as well as colour intervals
    later = date(2026, 12, 7)
    page = DashboardPage(context, today=lambda: later)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()
    overdue = OverduePage(context, today=lambda: later)
    qtbot.addWidget(overdue)
    with qtbot.waitSignal(overdue.refreshed, timeout=WAIT_MS) as listed:
        overdue.show()
    assert listed.args[0] > 0
    assert page.overdue_card.value_label.text() == str(listed.args[0])
    caption = page.overdue_card.caption_label.text()
    assert (
        caption == "as on the Overdue page: due at an earlier round (visit interval, yearly check or follow-up) "
        "and not seen since"
    )
    assert "colour's interval" not in caption
