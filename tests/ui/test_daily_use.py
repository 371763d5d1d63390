"""Issue 14 (daily use): keyboard mnemonics against the menu bar, focus when a round is opened, 1280×720."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QGroupBox, QLabel, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import open_context
from app.domain import i18n
from app.services.accounts import sign_in as accounts
from app.services.demo.center import create_demo_center
from app.settings import Settings
from app.ui.shell.i18n import install_translators
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import database_pool
from app.ui.shell.workspace import Workspace

DEMO_TODAY = date(2026, 11, 16)
ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 20_000

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

_MNEMONIC = re.compile(r"&(?!&)(.)")


def mnemonic(text: str) -> str | None:
    """Return the letter Alt+ reaches in ``text`` ("保存(&S)" → "S"), None without one ("&&" is a literal &)."""
    match = _MNEMONIC.search(text.replace("&&", ""))
    return match.group(1).upper() if match else None


def page_mnemonics(page: QWidget) -> dict[str, list[str]]:
    """Return the mnemonics of the widgets of ``page`` (shown now or in another state): letter → their texts."""
    found: dict[str, list[str]] = {}

    def add(text: str) -> None:
        letter = mnemonic(text)
        if letter:
            found.setdefault(letter, []).append(text)

    for widget in page.findChildren(QWidget):
        if widget.window() is not page.window():
            continue  # a dialog of the page: a window of its own
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            add(widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget.title())
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                add(widget.tabText(index))
    return found


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("daily-demo") / "demo.sqlite"
    context = open_context(path)
    try:
        create_demo_center(context.database, residents=40, seed=3, today=DEMO_TODAY)
    finally:
        context.close()
    return path


def open_window(qtbot: QtBot, qapp: QApplication, template: Path, tmp_path: Path, language: str) -> MainWindow:
    install_translators(qapp, language)
    i18n.set_language(language)
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(template, path)
    settings = Settings(tmp_path / "settings.json")
    settings.set("backup_dir", str(tmp_path / "backups"))
    window = MainWindow(database_path=path, settings=settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
    return window


def sign_in(qtbot: QtBot, window: MainWindow, login: str) -> Workspace:
    panel = window.sign_in_panel
    panel.login_edit.clear()
    panel.password_edit.clear()
    qtbot.keyClicks(panel.login_edit, login)
    qtbot.keyClicks(panel.password_edit, "demo1234")
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)
    assert window.workspace is not None
    return window.workspace


@pytest.fixture
def language_restored(qapp: QApplication) -> Iterator[None]:
    yield
    database_pool().waitForDone(WAIT_MS)
    install_translators(qapp, "en")
    i18n.set_language("en")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_no_page_uses_a_mnemonic_of_the_menu_bar(
    qtbot: QtBot, qapp: QApplication, demo_template: Path, tmp_path: Path, language: str, language_restored: None
) -> None:
    # Alt+S opened the 设置(S) menu instead of going to 收缩压(S) on the visit page
    window = open_window(qtbot, qapp, demo_template, tmp_path, language)
    menus = {mnemonic(action.text()): action.text() for action in window.menuBar().actions()}
    menus.pop(None, None)
    assert set(menus) >= {"F", "S"} or language != "en"
    workspace = sign_in(qtbot, window, "admin")  # every page
    clashes = []
    for key in workspace.keys():  # noqa: SIM118 (not a dict)
        workspace.show_page(key)
        page = workspace.page(key)
        qtbot.waitUntil(lambda: database_pool().activeThreadCount() == 0, timeout=WAIT_MS)
        for letter, texts in page_mnemonics(page).items():
            if letter in menus:
                clashes.append(f"{key}: {texts} vs menu {menus[letter]!r}")
    assert not clashes, "\n".join(clashes)


# --- opening today's round from the dashboard puts the focus in the form -------------------------------------


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the workspace's dated pages with DEMO_TODAY as today (the demo's rounds are around it)."""
    from app.ui.dashboard import DashboardPage
    from app.ui.rounds.page import RoundsPage
    from app.ui.shell import workspace as workspace_module
    from app.ui.visits.page import VisitPage

    builders = {
        "dashboard": lambda context, parent: DashboardPage(context, parent, today=lambda: DEMO_TODAY),
        "rounds": lambda context, parent: RoundsPage(context, parent, today=lambda: DEMO_TODAY),
        "visits": lambda context, parent: VisitPage(context, parent, today=lambda: DEMO_TODAY, find_shortcut=False),
    }
    pages = tuple(
        replace(spec, build=builders[spec.key]) if spec.key in builders else spec for spec in workspace_module.PAGES
    )
    monkeypatch.setattr(workspace_module, "PAGES", pages)


def signed_workspace(qtbot: QtBot, template: Path, tmp_path: Path, login: str) -> Workspace:
    path = tmp_path / "ws.sqlite"
    shutil.copyfile(template, path)
    context = open_context(path)
    signed = accounts.sign_in(context.uow(), login=login, password="demo1234")
    context.actor_id = signed.staff_id
    workspace = Workspace(context, signed=signed, center=None)
    qtbot.addWidget(workspace)
    workspace.resize(1280, 720)
    workspace.show()
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow, timeout=WAIT_MS)
    return workspace


@pytest.mark.parametrize("how", ["keyboard", "mouse"])
def test_opening_todays_round_from_the_dashboard_puts_the_focus_in_the_first_vital(
    qtbot: QtBot, demo_template: Path, tmp_path: Path, fixed_today: None, english: None, how: str
) -> None:
    # Alt+V on the dashboard left the focus in a list: typed digits moved the selection or were lost
    workspace = signed_workspace(qtbot, demo_template, tmp_path, "nurse1")
    workspace.show_page("dashboard")
    dashboard = workspace.page("dashboard")
    button = dashboard.open_round_button  # type: ignore[attr-defined]
    assert not button.isEnabled() or dashboard.figures is not None  # type: ignore[attr-defined]  # not before
    qtbot.waitUntil(lambda: dashboard.figures is not None and button.isEnabled(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert button.isVisible() and dashboard.selected_round_id() is not None  # type: ignore[attr-defined]
    if how == "keyboard":
        today_list = dashboard.today_list  # type: ignore[attr-defined]
        workspace.activateWindow()
        today_list.setFocus()  # where the dashboard's Enter works
        qtbot.waitUntil(lambda: workspace.isActiveWindow() and today_list.hasFocus(), timeout=WAIT_MS)
        qtbot.keyClick(today_list, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    else:
        qtbot.mouseClick(dashboard.open_round_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "visits" in workspace._built, timeout=WAIT_MS)  # a mnemonic clicks after a moment
    page = workspace.page("visits")
    assert workspace.current_page() is page
    sbp = page.editor.form.vital_edits["sbp"]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: sbp.hasFocus(), timeout=WAIT_MS)
    first = page.model.row_at(page.table.currentIndex().row())  # type: ignore[attr-defined]
    assert first.visit is None and page.editor.info.resident_id == first.resident_id  # type: ignore[attr-defined]
    assert first is next(r for r in page.model.rows() if r.visit is None)  # type: ignore[attr-defined]
    qtbot.keyClicks(QApplication.focusWidget(), "135")
    assert sbp.text() == "135"
    assert page.table.currentIndex().row() == page.model.index_of(first.resident_id)  # type: ignore[attr-defined]
    database_pool().waitForDone(WAIT_MS)
    workspace.context.close()


# --- a nurse's laptop: 1280×720, at 100 % and 125 % -------------------------------------------------------------


@pytest.mark.parametrize("scale", ["1", "1.25"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_on_a_1280x720_laptop_names_are_whole_and_the_vitals_fit_without_scrolling(
    demo_template: Path, tmp_path: Path, scale: str, language: str
) -> None:
    # the Visits list showed "…" for every name and the form needed scrolling
    database = tmp_path / "laptop.sqlite"
    shutil.copyfile(demo_template, database)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale, "PYTHONPATH": str(ROOT)}
    script = Path(__file__).with_name("laptop_screen.py")
    done = subprocess.run(
        [sys.executable, str(script), str(database), "1280", "720", language],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    shown = [round(side * float(scale)) for side in measured["window"]]
    assert shown[0] <= 1280 and shown[1] <= 720, measured  # the window fits the screen (its least size too)
    assert measured["names"] > 3 and measured["cut"] == [], measured
    left, top, right, bottom = measured["vitals"]
    width, height = measured["viewport"]
    assert left >= 0 and top >= 0 and right < width and bottom < height, measured  # all seven in view, none cut


# --- printing from the preview's button reaches the printer with every page -------------------------------------


def printed_pages(path: Path) -> int:
    """Count the pages of a PDF Qt's printer wrote (QtPdf when installed, else the page objects)."""
    from app.ui.widgets.pdf_preview import qtpdf_available

    if qtpdf_available():
        from PySide6.QtPdf import QPdfDocument

        document = QPdfDocument()
        assert document.load(str(path)) == QPdfDocument.Error.None_
        try:
            return document.pageCount()
        finally:
            document.close()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_the_print_button_prints_every_page_through_the_printer_dialog(qtbot: QtBot, tmp_path: Path, how: str) -> None:
    # issue 14, item 1: 打印(P)… did nothing; the printer must get every page (three here, not "at least two")
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    from app.printing.fonts import pdf_font
    from app.ui.widgets.pdf_preview import PdfPreviewDialog

    source = tmp_path / "sheet.pdf"
    document = canvas.Canvas(str(source), pagesize=landscape(A4))
    for number in range(1, 4):
        document.setFont(pdf_font().name, 20)
        document.drawString(72, 480, f"巡诊单 第 {number} 页 / 共 3 页")
        document.showPage()
    document.save()
    preview = PdfPreviewDialog(source, title="巡诊单", file_name="sheet.pdf")
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitUntil(preview.print_button.isEnabled, timeout=WAIT_MS)
    if how == "mouse":
        qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    else:
        preview.activateWindow()
        qtbot.waitUntil(preview.isActiveWindow, timeout=WAIT_MS)
        qtbot.keyClick(preview.print_button, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: preview.findChild(QPrintDialog) is not None, timeout=WAIT_MS)
    chooser = preview.findChild(QPrintDialog)
    assert chooser is not None and chooser.isVisible()
    out = tmp_path / "printed.pdf"
    chooser.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # the "printer" the person chose
    chooser.printer().setOutputFileName(str(out))
    with qtbot.waitSignal(preview.printed, timeout=WAIT_MS):
        chooser.done(QDialog.DialogCode.Accepted)
    assert printed_pages(out) == 3
