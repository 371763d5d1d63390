"""Issue 14 §9: the record window can be resized and reopens at its last size; the main window keeps its place."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.services.demo.center import create_demo_center
from app.services.records.residents import search_residents
from app.settings import Settings
from app.store.models import Staff
from app.ui.record.dialog import ResidentRecordDialog
from app.ui.shell import window_geometry
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import run_sync_for_tests

TODAY = date(2026, 11, 16)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("windows") / "demo.sqlite"
    ctx = open_context(path)
    create_demo_center(ctx.database, residents=20, seed=4, today=TODAY)
    ctx.close()
    return path


@pytest.fixture
def context(template: Path, tmp_path: Path) -> Iterator[AppContext]:
    path = tmp_path / "demo.sqlite"
    shutil.copy(template, path)
    ctx = open_context(path)
    with ctx.uow() as uow:
        ctx.actor_id = uow.session.exec(select(Staff).where(Staff.login == "doctor1")).one().id
    yield ctx
    ctx.close()


@pytest.fixture
def big_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The offscreen screen is 800×800; the record window is sized as on a 1920×1080 desktop."""
    monkeypatch.setattr(window_geometry, "available_area", lambda _widget: QRect(0, 0, 1920, 1040))


def open_record(qtbot: QtBot, context: AppContext) -> ResidentRecordDialog:
    resident = search_residents(context.uow())[0].id
    with run_sync_for_tests():
        dialog = ResidentRecordDialog(context, resident, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def close_with_the_button(qtbot: QtBot, dialog: ResidentRecordDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_the_record_window_can_be_resized_and_maximized(qtbot: QtBot, context: AppContext, big_screen: None) -> None:
    dialog = open_record(qtbot, context)
    assert dialog.windowFlags() & Qt.WindowType.WindowMaximizeButtonHint
    assert dialog.isSizeGripEnabled()
    assert dialog.maximumSize().width() > 4000 and dialog.maximumSize().height() > 4000
    dialog.resize(1500, 980)
    assert dialog.size() == QSize(1500, 980)


def test_the_record_window_reopens_at_its_last_size(qtbot: QtBot, context: AppContext, big_screen: None) -> None:
    first = open_record(qtbot, context)
    assert first.size() == QSize(1040, 720)  # the first time: the default
    first.resize(1500, 980)
    close_with_the_button(qtbot, first)
    assert Settings().get("record_window_size") == "1500x980"
    second = open_record(qtbot, context)
    assert second.size() == QSize(1500, 980)
    # Closed with Esc too.
    second.resize(1200, 800)
    qtbot.keyClick(second, Qt.Key.Key_Escape)
    assert open_record(qtbot, context).size() == QSize(1200, 800)


def test_the_visits_table_grows_with_the_window(qtbot: QtBot, context: AppContext, big_screen: None) -> None:
    dialog = open_record(qtbot, context)
    dialog.tabs.setCurrentWidget(dialog.visits_tab)
    table = dialog.visits_tab.history.table
    QApplication.processEvents()
    small = table.viewport().height()
    chart, rows, details = dialog.visits_tab.history.splitter.sizes()
    assert rows >= 1.5 * chart and rows >= 3 * details, (chart, rows, details)  # four rows at the first size before
    dialog.resize(1500, 1000)
    QApplication.processEvents()
    assert table.viewport().height() >= small + 120
    assert table.viewport().height() // table.verticalHeader().defaultSectionSize() >= 8


@pytest.mark.parametrize("saved", ["9000x9000", "garbage", "10x10", "-5x700"])
def test_a_strange_saved_size_opens_within_the_screen(
    qtbot: QtBot, context: AppContext, big_screen: None, saved: str
) -> None:
    Settings().set("record_window_size", saved)
    dialog = open_record(qtbot, context)
    size = dialog.size()
    assert dialog.minimumWidth() <= size.width() <= 1920 and dialog.minimumHeight() <= size.height() <= 1040


def test_the_main_window_reopens_where_it_was(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    first = MainWindow(database_path=tmp_path / "none.sqlite", settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(0, 70, 900, 650)  # the offscreen screen is 800×800: only the height and top fit on it
    wanted = first.geometry()
    assert wanted.height() == 650 and wanted.top() == 70
    first.close()
    assert settings.get("main_window_geometry")
    second = MainWindow(database_path=tmp_path / "none.sqlite", settings=Settings(tmp_path / "settings.json"))
    qtbot.addWidget(second)
    second.show()
    assert (second.geometry().top(), second.geometry().height()) == (70, 650)  # not the default 760


def test_a_main_window_saved_off_screen_opens_on_screen(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    first = MainWindow(database_path=tmp_path / "none.sqlite", settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.move(5000, 4000)  # a second monitor, since unplugged
    first.close()
    second = MainWindow(database_path=tmp_path / "none.sqlite", settings=Settings(tmp_path / "settings.json"))
    qtbot.addWidget(second)
    second.show()
    screen = QApplication.primaryScreen().availableGeometry()
    frame = second.frameGeometry()
    assert frame.top() >= screen.top() and screen.contains(frame.center().x(), frame.top() + 10)  # title bar shows


def test_a_broken_saved_main_geometry_is_ignored(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.set("main_window_geometry", "not base64 at all!")
    window = MainWindow(database_path=tmp_path / "none.sqlite", settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.size().width() >= window.minimumWidth()
