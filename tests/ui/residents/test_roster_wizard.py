"""The roster import wizard: file and institution, a preview with every row's problems, the import."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain.idcard import make_id_number
from app.services.demo.center import create_demo_center
from app.services.institutions import find_institution
from app.services.records.residents import search_residents
from app.store.models import Staff
from app.ui.residents.roster_wizard import RosterImportWizard
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import run_sync_for_tests

TODAY = date(2026, 11, 16)
WANG = make_id_number("310104", date(1940, 5, 6), 11, "M")
LI = make_id_number("310104", date(1938, 1, 2), 12, "F")
SUN = make_id_number("310104", date(1950, 7, 7), 15, "F")

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roster") / "demo.sqlite"
    ctx = open_context(path)
    create_demo_center(ctx.database, residents=20, seed=8, today=TODAY)
    ctx.close()
    return path


@pytest.fixture
def context(template: Path, tmp_path: Path) -> Iterator[AppContext]:
    path = tmp_path / "demo.sqlite"
    shutil.copy(template, path)
    ctx = open_context(path)
    with ctx.uow() as uow:
        ctx.actor_id = uow.session.exec(select(Staff).where(Staff.login == "assistant1")).one().id
    yield ctx
    ctx.close()


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["枫林敬老院 2026 年 11 月入住老人名单"])
    sheet.merge_cells("A1:E1")
    sheet.append(["姓名", "身份证号码", "出生日期", "床号", "入院日期", "民族"])
    sheet.append(["王建国", WANG, datetime(1940, 5, 6), "A-101-1", datetime(2020, 1, 5), "汉"])
    sheet.append(["李秀英", LI, datetime(1938, 1, 3), "A-101-2", datetime(2021, 3, 4), "汉"])
    sheet.append(["孙兰", SUN, None, "B-201-1", None, "回"])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    return path


def open_wizard(qtbot: QtBot, context: AppContext, path: Path) -> RosterImportWizard:
    home = find_institution(context.uow(), name="枫林敬老院").id
    with run_sync_for_tests():
        wizard = RosterImportWizard(context, institution_id=home, path=path, today=lambda: TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def next_page(wizard: RosterImportWizard) -> None:
    with run_sync_for_tests():
        wizard.next()


def test_the_preview_shows_every_row_and_nothing_is_written_until_import(
    qtbot: QtBot, context: AppContext, workbook: Path, english: None
) -> None:
    wizard = open_wizard(qtbot, context, workbook)
    assert wizard.file_page.institution_combo.currentText() == "枫林敬老院"
    assert wizard.file_page.isComplete()
    before = len(search_residents(context.uow()))
    next_page(wizard)
    assert wizard.currentPage() is wizard.preview_page
    page = wizard.preview_page
    assert page.model.rowCount() == 3
    assert [page.model.data(page.model.index(r, 0)) for r in range(3)] == ["3", "4", "5"]
    assert page.model.data(page.model.index(1, 5)).startswith("✖ date of birth: does not match the birth date")
    assert page.model.data(page.model.index(0, 5)) == "✓ will be imported"
    summary = page.summary_label.text()
    assert "3 data rows" in summary and "2 can be imported" in summary and "Header in row 2" in summary
    assert "Columns ignored: 民族" in summary
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Import 2 resident(s)"
    page.only_problems.setChecked(True)
    assert page.proxy.rowCount() == 1
    assert len(search_residents(context.uow())) == before, "the preview writes nothing"

    with qtbot.waitSignal(wizard.imported) as imported:
        next_page(wizard)
    assert imported.args[1] == 2
    assert wizard.currentPage() is wizard.done_page
    assert wizard.done_page.result_label.text().startswith("Imported 2 resident(s) into 枫林敬老院.")
    assert wizard.done_page.report.toPlainText().startswith("row 4: birth_date:")
    assert len(search_residents(context.uow())) == before + 2


def test_a_gbk_csv_with_every_row_rejected_cannot_be_imported(
    qtbot: QtBot, context: AppContext, tmp_path: Path, english: None
) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(f"姓名,身份证号\r\n,{WANG}\r\n王建国,{WANG[:-1]}Y\r\n".encode("gbk"))
    wizard = open_wizard(qtbot, context, path)
    next_page(wizard)
    assert wizard.preview_page.model.rowCount() == 2
    assert "CSV (GBK/GB18030)" in wizard.preview_page.summary_label.text()
    assert not wizard.preview_page.isComplete()


def test_an_unreadable_file_keeps_the_first_page_with_the_reason(
    qtbot: QtBot, context: AppContext, tmp_path: Path, english: None
) -> None:
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    wizard = open_wizard(qtbot, context, path)
    next_page(wizard)
    assert wizard.currentPage() is wizard.file_page
    assert ".xls files are not supported" in wizard.file_page.banner.text()
    assert wizard.file_page.isEnabled()


def test_the_wizard_speaks_chinese(qtbot: QtBot, qapp: QApplication, context: AppContext, workbook: Path) -> None:
    install_translators(qapp, "zh_CN")
    try:
        wizard = open_wizard(qtbot, context, workbook)
        assert wizard.windowTitle() == "导入居民名单"
        next_page(wizard)
        assert wizard.preview_page.model.data(wizard.preview_page.model.index(0, 5)) == "✓ 将导入"
        next_page(wizard)
        # Issue 14 §7: the report reads 第 N 行：字段：原因 with the field's Chinese label, not "row 4: birth_date".
        report = wizard.done_page.report.toPlainText()
        assert report.startswith("第 4 行：出生日期：") and "（输入值：" in report
        assert "row" not in report and "birth_date" not in report
    finally:
        install_translators(qapp, "en")


def test_going_back_reads_the_file_again(
    qtbot: QtBot, context: AppContext, workbook: Path, tmp_path: Path, english: None
) -> None:
    wizard = open_wizard(qtbot, context, workbook)
    next_page(wizard)
    assert wizard.preview_page.model.rowCount() == 3
    wizard.back()
    other = tmp_path / "other.csv"
    other.write_text(f"姓名,身份证号\n王建国,{WANG}\n", encoding="utf-8")
    wizard.file_page.path_edit.setText(str(other))
    next_page(wizard)
    assert wizard.currentPage() is wizard.preview_page
    assert wizard.preview_page.model.rowCount() == 1
