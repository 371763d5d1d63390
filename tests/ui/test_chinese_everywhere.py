"""Issue 14 §7: no English inside the Chinese user interface — Qt's own dialogs, and every page on a demo center."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import open_context
from app.domain import i18n
from app.domain.colours import TriageColour
from app.domain.idcard import make_id_number
from app.domain.residents import PeriodReason, ResidentStatus
from app.domain.visits import VisitOutcome
from app.services.demo.center import create_demo_center
from app.services.records.roster import import_roster, read_roster
from app.services.rounds.plan import cancel_round
from app.settings import Settings
from app.store.models import Institution, Round, Staff
from app.ui.shell.i18n import install_translators
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import database_pool

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    install_translators(qapp, "zh_CN")
    yield
    install_translators(qapp, "en")


@pytest.mark.parametrize("mode", [QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave])
def test_qts_file_dialog_speaks_chinese(qtbot: QtBot, chinese: None, mode: QFileDialog.AcceptMode, tmp_path) -> None:
    dialog = QFileDialog(None, "导入名单", str(tmp_path), "Excel (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own widgets, as on Linux desktops without a portal
    dialog.setAcceptMode(mode)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = sorted(label.text() for label in dialog.findChildren(QLabel) if label.text())
    assert labels == ["文件名称(&N)：", "文件类型(&T)：", "查找范围(&L)："]


# --- every page of the workspace, in Chinese, on a demo center -------------------------------------------------

IDENTIFIER = re.compile(
    r"(?<![\w./\\-])("
    r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+"  # snake_case: glucose_fasting, roster_import
    r"|[a-z][a-z0-9]*(?:\.[a-z][a-z0-9_]*)+"  # dotted keys: audit.action.open, round.status.planned
    r")(?![\w/\\-])"
)
FILE_NAME = re.compile(r"\.(sqlite|crsync|pdf|xlsx|csv|json|png|qm|db|bak|log)$")
CODE_WORDS = {"planned", "done", "cancelled", "moved", "seen", "absent", "hospitalized", "refused", "deceased"} | {
    member.value for kind in (ResidentStatus, PeriodReason, TriageColour, VisitOutcome) for member in kind
}
"""Codes stored in the database that must be shown in words (a round's "planned → cancelled")."""
WORD = re.compile(r"(?<![\w./\\-])[a-z]+(?![\w/\\-])")


def identifiers_in(text: str) -> list[str]:
    """Return the ASCII identifiers and stored codes in ``text`` (file names such as demo.sqlite are not)."""
    found = [(m.start(), m.group(1)) for m in IDENTIFIER.finditer(text or "") if not FILE_NAME.search(m.group(1))]
    found += [(m.start(), m.group()) for m in WORD.finditer(text or "") if m.group() in CODE_WORDS]
    return [word for _start, word in sorted(found)]


def _model_texts(view: QAbstractItemView, rows: int = 60) -> Iterator[tuple[str, str]]:
    model = view.model()
    if model is None:
        return
    name = view.objectName() or type(view).__name__
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for orientation in (Qt.Orientation.Horizontal,):
        for section in range(columns):
            yield f"{name} header", str(model.headerData(section, orientation) or "")

    tree = not isinstance(model, QAbstractTableModel | QAbstractListModel)

    def walk(parent: QModelIndex, depth: int) -> Iterator[tuple[str, str]]:
        for row in range(min(model.rowCount(parent), rows)):
            for column in range(columns):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        yield f"{name} cell {row},{column}", value
                if column == 0 and depth < 2 and tree and model.rowCount(index) > 0:
                    yield from walk(index, depth + 1)

    yield from walk(QModelIndex(), 0)


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every text the user can see or hover in ``root``'s shown widgets."""
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root.window()) and widget is not root:
            continue
        where = f"{type(widget).__name__} {widget.objectName()}".strip()
        yield where + " tooltip", widget.toolTip()
        if widget.isWindow():
            yield where + " title", widget.windowTitle()
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        if isinstance(widget, QLineEdit):
            yield where + " placeholder", widget.placeholderText()
        if isinstance(widget, QGroupBox):
            yield where, widget.title()
        if isinstance(widget, QTextEdit):
            yield where, widget.toPlainText()
        if isinstance(widget, QComboBox):
            for item in range(widget.count()):
                yield where + f" item {item}", widget.itemText(item)
        if isinstance(widget, QTabWidget):
            for tab in range(widget.count()):
                yield where + f" tab {tab}", widget.tabText(tab)
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QComboBox):
            yield from _model_texts(widget)


def english_identifiers(root: QWidget) -> list[tuple[str, str]]:
    """Return (identifier, where and in what text) for each one shown in ``root``."""
    texts = visible_texts(root)
    return [(found, f"{where}: {text[:120]!r}") for where, text in texts for found in identifiers_in(text)]


def test_the_identifier_check_finds_what_it_must_and_only_that() -> None:
    assert identifiers_in("血糖：glucose_fasting 否 → 是") == ["glucose_fasting"]
    assert identifiers_in("audit.action.open") == ["audit.action.open"]
    assert identifiers_in("planned → cancelled；roster_import") == ["planned", "cancelled", "roster_import"]
    assert identifiers_in("数据库 demo.sqlite，文件 join.crsync，1.5 mmol/L，v2.1，C:\\data\\x_y") == []
    assert identifiers_in("第 4 行：出生日期：不一致") == []


DEMO_TODAY = date(2026, 11, 16)
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def busy_center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo center where, besides the demo's days, a round was cancelled and a roster imported."""
    folder = tmp_path_factory.mktemp("chinese")
    path = folder / "demo.sqlite"
    context = open_context(path)
    try:
        create_demo_center(context.database, residents=40, seed=3, today=DEMO_TODAY)
        with context.uow() as uow:
            context.actor_id = uow.session.exec(select(Staff).where(Staff.login == "admin")).one().id
            planned = uow.session.exec(select(Round).where(Round.status == "planned")).first()
            home = uow.session.exec(select(Institution)).first()
            assert planned is not None and home is not None
            round_id, home_id = planned.id, home.id
        cancel_round(context.uow(), round_id=round_id, reason="护士请假")
        roster = folder / "名单.csv"
        number = make_id_number("310104", date(1941, 3, 2), 31, "F")
        roster.write_text(f"姓名,身份证号,床位\n周桂兰,{number},A-301-1\n", encoding="utf-8")
        import_roster(context.uow(), roster=read_roster(roster), institution_id=home_id, today=DEMO_TODAY)
    finally:
        context.close()
    return path


def test_no_page_shows_an_identifier_in_chinese(
    qtbot: QtBot, qapp: QApplication, busy_center: Path, tmp_path: Path, chinese: None
) -> None:
    i18n.set_language("zh_CN")
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(busy_center, path)
    window = MainWindow(database_path=path, settings=Settings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
    panel = window.sign_in_panel
    qtbot.keyClicks(panel.login_edit, "admin")
    qtbot.keyClicks(panel.password_edit, "demo1234")
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)
    workspace = window.workspace
    assert workspace is not None
    found: list[str] = []
    for key in workspace.keys():  # noqa: SIM118 (not a dict)
        workspace.show_page(key)
        qtbot.waitUntil(lambda: database_pool().activeThreadCount() == 0, timeout=WAIT_MS)
        QApplication.processEvents()
        qtbot.waitUntil(lambda: database_pool().activeThreadCount() == 0, timeout=WAIT_MS)
        found += [(key, *hit) for hit in english_identifiers(workspace.page(key))]
    found += [("window", *hit) for hit in english_identifiers(window)]
    first: dict[tuple[str, str], str] = {}
    for page, word, line in found:
        first.setdefault((page, word), line)  # one example of each identifier on each page
    assert not first, "\n".join(f"{page}: {word!r}: {line}" for (page, word), line in first.items())
    database_pool().waitForDone(WAIT_MS)
