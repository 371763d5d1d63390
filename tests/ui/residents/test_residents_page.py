"""The resident list (app.ui.residents.page, app.ui.residents.model): search as you type, filters, masking."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.domain.colours import TriageColour
from app.services.demo.center import create_demo_center
from app.services.institutions import list_institutions
from app.services.records.residents import ResidentRow, search_residents
from app.ui.residents.model import Column, ResidentTableModel, mask_id_number
from app.ui.residents.page import ResidentsPage
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import database_pool

DEMO_TODAY = date(2026, 11, 16)
WAIT_MS = 10_000

# The offscreen platform warns whenever a shown top-level page's minimum size changes with its content.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    ctx = open_context(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    create_demo_center(ctx.database, residents=200, seed=1, today=DEMO_TODAY)
    yield ctx
    ctx.close()


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> ResidentsPage:
    page = ResidentsPage(context, today=DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS):
        page.show()
    qtbot.waitUntil(lambda: page.institution_combo.count() > 1, timeout=WAIT_MS)
    return page


def wait_for_search(qtbot: QtBot, page: ResidentsPage) -> None:
    qtbot.waitUntil(lambda: not page.is_searching(), timeout=WAIT_MS)


def shown_rows(page: ResidentsPage) -> list[ResidentRow]:
    return [page.model.row_at(row) for row in range(page.model.rowCount())]


def make_row(number: int, *, colour: str = "red", birth_date: str = "1940-05-17") -> ResidentRow:
    return ResidentRow(
        id=f"id-{number}",
        name=f"居民{number}",
        sex="F" if number % 2 else "M",
        birth_date=birth_date,
        institution="康宁养老院",
        building="A",
        room=str(100 + number % 50),
        bed=str(1 + number % 3),
        colour=colour,
        status="in_residence",
        id_number=f"31010419400517{number % 10000:04d}",
    )


# --- the model ----------------------------------------------------------------------------------------


def test_id_numbers_are_masked_except_the_last_four() -> None:
    assert mask_id_number("31010419400517002X") == "**************002X"
    assert mask_id_number("002X") == "002X"
    assert mask_id_number("") == ""


def test_the_model_formats_each_column(qtbot: QtBot) -> None:
    model = ResidentTableModel(today=DEMO_TODAY)
    model.set_rows([make_row(7, colour="yellow")])
    assert model.rowCount() == 1 and model.columnCount() == len(Column)

    def cell(column: Column) -> object:
        return model.data(model.index(0, column))

    assert cell(Column.NAME) == "居民7"
    assert cell(Column.SEX) == "女"
    assert cell(Column.AGE) == 86
    assert cell(Column.INSTITUTION) == "康宁养老院"
    assert cell(Column.BED) == "A-107-2"
    assert cell(Column.COLOUR) == "▲ 黄"
    assert cell(Column.STATUS) == "在住"
    assert cell(Column.ID_NUMBER) == "**************0007"
    foreground = model.data(model.index(0, Column.COLOUR), Qt.ItemDataRole.ForegroundRole)
    assert isinstance(foreground, QColor) and foreground.name() == TriageColour.YELLOW.rgb
    assert model.data(model.index(0, Column.NAME), Qt.ItemDataRole.ForegroundRole) is None


def test_a_hundred_thousand_rows_load_and_show_without_work_per_row(qtbot: QtBot) -> None:
    rows = [make_row(n, colour=("red", "yellow", "green")[n % 3]) for n in range(100_000)]
    model = ResidentTableModel(today=DEMO_TODAY)
    started = time.perf_counter()
    model.set_rows(rows)
    assert time.perf_counter() - started < 0.25
    assert model._ages.count(None) == 100_000  # ages are worked out only when shown
    started = time.perf_counter()
    for row in range(0, 100_000, 997):
        for column in Column:
            model.data(model.index(row, column))
    assert time.perf_counter() - started < 0.5
    assert model._ages.count(None) == 100_000 - len(range(0, 100_000, 997))


def test_headers_follow_the_installed_language(qapp: QApplication) -> None:
    model = ResidentTableModel(today=DEMO_TODAY)

    def headers() -> list[str]:
        return [model.headerData(column, Qt.Orientation.Horizontal) for column in Column]

    locale = QLocale()
    try:
        install_translators(qapp, "en")
        assert headers() == ["Name", "Sex", "Age", "Institution", "Bed", "Colour", "Status", "ID number"]
        install_translators(qapp, "zh_CN")
        assert headers() == ["姓名", "性别", "年龄", "机构", "床位", "分类", "状态", "身份证号"]
    finally:
        install_translators(qapp, "en")
        QLocale.setDefault(locale)


def test_the_page_is_translated_in_both_languages(qtbot: QtBot, qapp: QApplication, context: AppContext) -> None:
    locale = QLocale()
    try:
        install_translators(qapp, "zh_CN")
        page = ResidentsPage(context, today=DEMO_TODAY)
        qtbot.addWidget(page)
        assert page.search_edit.placeholderText() == "姓名、拼音首字母、床位或身份证后几位"
        assert page.colour_combo.itemText(0) == "全部分类"
        assert page.colour_combo.itemText(1).startswith("● 红")
        page._show_rows([make_row(1)])
        assert page.count_label.text() == "共 1 人"
        install_translators(qapp, "en")
        page = ResidentsPage(context, today=DEMO_TODAY)
        qtbot.addWidget(page)
        assert page.search_edit.placeholderText() == "Name, pinyin initials, bed or last digits of the ID number"
        assert page.colour_combo.itemText(1).startswith("● Red")
        page._show_rows([make_row(1), make_row(2)])
        assert page.count_label.text() == "2 residents"
    finally:
        install_translators(qapp, "en")
        QLocale.setDefault(locale)


# --- the page -----------------------------------------------------------------------------------------


def test_the_list_shows_every_current_resident(page: ResidentsPage, context: AppContext) -> None:
    expected = search_residents(context.uow())
    assert page.model.rowCount() == len(expected) > 150
    assert shown_rows(page) == expected
    assert page.count_label.text() == f"{len(expected)} residents"
    first = expected[0]
    assert page.model.data(page.model.index(0, Column.ID_NUMBER)) == "*" * 14 + first.id_number[-4:]


def test_typing_pinyin_initials_finds_zhang_hongli(qtbot: QtBot, page: ResidentsPage, context: AppContext) -> None:
    qtbot.keyClicks(page.search_edit, "zhl")
    assert page.is_searching()  # debounced: nothing ran yet
    wait_for_search(qtbot, page)
    rows = shown_rows(page)
    assert "张红丽" in [row.name for row in rows]
    assert rows == search_residents(context.uow(), text="zhl")
    assert page.model.rowCount() < 20

    page.search_edit.clear()
    wait_for_search(qtbot, page)
    assert page.model.rowCount() == len(search_residents(context.uow()))


def test_the_institution_filter_narrows_the_list(qtbot: QtBot, page: ResidentsPage, context: AppContext) -> None:
    institutions = list_institutions(context.uow())
    assert page.institution_combo.count() == len(institutions) + 1
    chosen = institutions[0]
    page.institution_combo.setCurrentIndex(page.institution_combo.findData(chosen.id))
    wait_for_search(qtbot, page)
    rows = shown_rows(page)
    assert rows and {row.institution for row in rows} == {chosen.name}
    assert rows == search_residents(context.uow(), institution_id=chosen.id)


def test_the_colour_filter_narrows_the_list(qtbot: QtBot, page: ResidentsPage, context: AppContext) -> None:
    assert [page.colour_combo.itemText(i)[:1] for i in range(1, 4)] == ["●", "▲", "○"]
    page.colour_combo.setCurrentIndex(page.colour_combo.findData("red"))
    wait_for_search(qtbot, page)
    rows = shown_rows(page)
    assert rows and {row.colour for row in rows} == {"red"}
    assert len(rows) == len(search_residents(context.uow(), colour=TriageColour.RED))
    assert page.model.data(page.model.index(0, Column.COLOUR)) == "● 红"

    page.institution_combo.setCurrentIndex(1)
    wait_for_search(qtbot, page)
    both = search_residents(context.uow(), colour=TriageColour.RED, institution_id=page.institution_combo.currentData())
    assert shown_rows(page) == both


def test_only_the_latest_search_is_shown(qtbot: QtBot, page: ResidentsPage, context: AppContext) -> None:
    for text in ("z", "zh", "zhl"):
        page.search_edit.setText(text)
        page.search()
    wait_for_search(qtbot, page)
    assert shown_rows(page) == search_residents(context.uow(), text="zhl")


def test_the_search_box_takes_at_most_the_search_limit(qtbot: QtBot, page: ResidentsPage) -> None:
    """Issue 12 §7: a pasted 50 000-character text is cut at the limit the service enforces, never an error."""
    from app.domain.search import MAX_QUERY_CHARS

    assert page.search_edit.maxLength() == MAX_QUERY_CHARS
    page.search_edit.setText("张" * 50_000)
    assert len(page.search_edit.text()) == MAX_QUERY_CHARS
    wait_for_search(qtbot, page)
    assert page.model.rowCount() == 0


def test_enter_in_the_search_box_opens_the_first_resident_found(qtbot: QtBot, page: ResidentsPage) -> None:
    """Issue 14 §8: typed text then Enter opens the record, without waiting for the search by hand."""
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "zhl")
    assert page.is_searching()
    with qtbot.waitSignal(page.open_resident_requested, timeout=WAIT_MS) as opened:
        qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert opened.args == [shown_rows(page)[0].id]


def test_down_moves_into_the_list_and_enter_opens_the_row_chosen(qtbot: QtBot, page: ResidentsPage) -> None:
    """Issue 14 §8: Down from the search box selects the first row; Down again the next; Enter opens it."""
    page.activateWindow()
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "zh")
    wait_for_search(qtbot, page)
    assert page.model.rowCount() > 2
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    assert page.table.hasFocus() or QApplication.focusWidget() is page.table
    assert page.table.currentIndex().row() == 0
    assert page.table.selectionModel().isRowSelected(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.table.currentIndex().row() == 1
    with qtbot.waitSignal(page.open_resident_requested, timeout=WAIT_MS) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [shown_rows(page)[1].id]
    # Back in the search box, Enter opens the row chosen, not the first.
    page.search_edit.setFocus()
    with qtbot.waitSignal(page.open_resident_requested, timeout=WAIT_MS) as opened:
        qtbot.keyClick(page.search_edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert opened.args == [shown_rows(page)[1].id]


def test_enter_with_nothing_found_opens_nothing(qtbot: QtBot, page: ResidentsPage) -> None:
    opened: list[str] = []
    page.open_resident_requested.connect(opened.append)
    qtbot.keyClicks(page.search_edit, "qqqqq")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    wait_for_search(qtbot, page)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert page.model.rowCount() == 0 and opened == []


# --- a long list, a page at a time (issue 19) --------------------------------------------------------------


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("app.ui.residents.page.PAGE", 20)
    return 20


def test_a_long_list_shows_its_first_page_counts_them_all_and_reads_more_as_it_scrolls(
    qtbot: QtBot, context: AppContext, small_pages: int
) -> None:
    expected = search_residents(context.uow())
    page = ResidentsPage(context, today=DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    seen: list[tuple[str, int]] = []
    page.searched.connect(lambda shown: seen.append(("searched", shown)))
    page.counted.connect(lambda counted: seen.append(("counted", counted)))
    with qtbot.waitSignal(page.counted, timeout=WAIT_MS):
        page.show()
    assert seen == [("searched", small_pages), ("counted", len(expected))]  # the first page, then the count
    wait_for_search(qtbot, page)
    assert page.count_label.text() == f"{len(expected)} residents"
    assert shown_rows(page) == expected[: page.model.rowCount()]
    while page.model.rowCount() < len(expected):
        held = page.model.rowCount()
        page.table.scrollToBottom()
        qtbot.waitUntil(lambda held=held: page.model.rowCount() > held, timeout=WAIT_MS)
    assert shown_rows(page) == expected
    assert not page.model.canFetchMore(QModelIndex()) and not page.model.has_more()


def test_a_full_first_page_says_more_until_counted(qtbot: QtBot, page: ResidentsPage, small_pages: int) -> None:
    page._show_rows([make_row(n) for n in range(small_pages)])
    assert page.count_label.text() == f"{small_pages}+ residents"
    assert page.model.has_more()
    wait_for_search(qtbot, page)
    assert page.count_label.text() == f"{len(search_residents(page._context.uow()))} residents"


def test_a_page_of_an_older_search_is_dropped(
    qtbot: QtBot, page: ResidentsPage, context: AppContext, small_pages: int
) -> None:
    """The list scrolled (a next page is being read), then the user typed: the late page must not be added."""
    page.search_edit.setText("")
    page.search()
    wait_for_search(qtbot, page)
    page._fetch_more(small_pages)  # reading the second page of the whole list …
    found = search_residents(context.uow(), text="zhl")
    page._show_rows(found)  # … when a newer search's rows are shown
    assert database_pool().waitForDone(WAIT_MS)
    QApplication.processEvents()
    wait_for_search(qtbot, page)
    assert shown_rows(page) == found
