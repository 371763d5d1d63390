"""The family beds and proxy refills pages (app.ui.homecare): open, check, close a bed; refill, print."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.homecare import beds, refills
from app.services.homecare.beds import OrderInput
from app.ui.homecare.beds_page import BedsPage
from app.ui.homecare.dialogs import CheckBedDialog, CloseBedDialog, OpenBedDialog
from app.ui.homecare.refills_page import DispenseDialog, RefillsPage
from app.ui.widgets.pdf_preview import PdfPreviewDialog
from app.ui.widgets.resident_finder import ResidentFinderDialog

TODAY = date(2026, 11, 16)
WAIT_MS = 20_000

pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"), pytest.mark.usefixtures("english")]


@pytest.fixture
def template(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=60, seed=1, today=TODAY)


def _open_page(qtbot: QtBot, page: BedsPage | RefillsPage) -> None:
    qtbot.addWidget(page)
    page.resize(1280, 720)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()


def _top(qapp: QApplication, kind: type) -> object:
    found = [w for w in qapp.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert found, f"no {kind.__name__} is open"
    return found[-1]


def test_a_doctor_opens_checks_and_closes_a_bed_with_the_mouse(
    qtbot: QtBot, qapp: QApplication, template: Path, open_copy: Callable[..., AppContext]
) -> None:
    context = open_copy(template, "doctor1")
    page = BedsPage(context, today=lambda: TODAY)
    _open_page(qtbot, page)
    demo_beds = page.model.rowCount()  # the demo's open beds
    assert page.open_button.isEnabled() and not page.check_button.isEnabled()

    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    finder = _top(qapp, ResidentFinderDialog)
    assert isinstance(finder, ResidentFinderDialog)
    finder.search_edit.setText("1")  # bed numbers
    qtbot.waitUntil(lambda: finder.model.rowCount() > 0, timeout=WAIT_MS)
    open_beds = {page.model.row_at(n).resident_id for n in range(page.model.rowCount())}
    row = next(n for n in range(finder.model.rowCount()) if finder.model.row_at(n).id not in open_beds)
    chosen = finder.model.row_at(row)
    finder.table.selectRow(row)
    finder.choose()
    dialog = _top(qapp, OpenBedDialog)
    assert isinstance(dialog, OpenBedDialog)
    dialog.ok_button.click()  # nothing typed: refused in the dialog, which stays open
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=WAIT_MS)
    assert "indication: required" in dialog.error_label.text() and dialog.isVisible()
    dialog.indication.setText("骶尾部压疮 II 期")
    dialog.kind.setCurrentIndex(dialog.kind.findData("dressing"))
    dialog.every.setValue(2)
    qtbot.mouseClick(dialog.findChild(type(dialog.ok_button), "addOrder"), Qt.MouseButton.LeftButton)
    assert dialog.orders.count() == 1
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        dialog.ok_button.click()
    assert not dialog.isVisible()
    assert page.model.rowCount() == demo_beds + 1
    mine = next(n for n in range(page.model.rowCount()) if page.model.row_at(n).resident_id == chosen.id)
    assert page.model.index(mine, 8).data() == "dressing change"  # due on its first day

    page.table.selectRow(mine)
    assert page.check_button.isEnabled() and page.close_button.isEnabled()
    assert "骶尾部压疮" in page.details.text()
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    check = _top(qapp, CheckBedDialog)
    assert isinstance(check, CheckBedDialog)
    assert [box.isChecked() for _, box in check.order_boxes] == [True]
    check.findings.setPlainText("创面清洁")
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        check.ok_button.click()
    mine = next(n for n in range(page.model.rowCount()) if page.model.row_at(n).resident_id == chosen.id)
    assert page.model.row_at(mine).last_check == TODAY

    page.table.selectRow(mine)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    closing = _top(qapp, CloseBedDialog)
    assert isinstance(closing, CloseBedDialog)
    closing.summary.setPlainText("创面愈合，撤床")
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        closing.ok_button.click()
    assert page.model.rowCount() == demo_beds
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.closed_box.setChecked(True)
    closed = [
        page.model.row_at(n) for n in range(page.model.rowCount()) if page.model.row_at(n).resident_id == chosen.id
    ]
    assert [bed.closed_on for bed in closed] == [TODAY]


def test_a_nurse_checks_but_cannot_open_or_close(
    qtbot: QtBot, template: Path, open_copy: Callable[..., AppContext]
) -> None:
    context = open_copy(template, "doctor1")
    with context.uow() as uow:
        resident_id = uow.fast_rows(
            "SELECT id FROM resident r WHERE status = 'in_residence' "
            "AND NOT EXISTS (SELECT 1 FROM family_bed f WHERE f.resident_id = r.id) ORDER BY id LIMIT 1"
        )[0][0]
    beds.open_bed(
        context.uow(),
        resident_id=resident_id,
        indication="留置导尿",
        opened_on=TODAY - timedelta(days=14),
        today=TODAY,
        orders=[OrderInput("catheter", 28, TODAY - timedelta(days=14))],
    )
    with context.uow() as uow:
        context.actor_id = uow.fast_rows("SELECT id FROM staff WHERE login = 'nurse1'")[0][0]
    page = BedsPage(context, today=lambda: TODAY)
    _open_page(qtbot, page)
    mine = next(n for n in range(page.model.rowCount()) if page.model.row_at(n).resident_id == resident_id)
    page.table.selectRow(mine)
    assert page.check_button.isEnabled()
    assert not page.open_button.isEnabled() and not page.close_button.isEnabled()
    assert page.model.index(mine, 7).data() == "2"  # two whole weeks without a check
    missed = sum(page.model.row_at(n).checks_missed > 0 for n in range(page.model.rowCount()))
    assert f"{missed} with checks missed" in page.count_label.text()


def test_the_refill_list_records_a_dispensing_and_prints(
    qtbot: QtBot, qapp: QApplication, template: Path, open_copy: Callable[..., AppContext]
) -> None:
    context = open_copy(template, "nurse1")
    with context.uow() as uow:
        medication_id, institution_id = uow.fast_rows(
            "SELECT m.id, r.institution_id FROM medication m JOIN resident r ON r.id = m.resident_id "
            "WHERE r.status = 'in_residence' AND m.deleted = 0 AND m.daily_quantity IS NULL ORDER BY m.id LIMIT 1"
        )[0]
    refills.set_supply(context.uow(), medication_id=medication_id, daily_quantity=Decimal(2), unit="片")
    page = RefillsPage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitUntil(lambda: page.institution_combo.count() > 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.institution_combo.currentData() is not None, timeout=WAIT_MS)  # a home is chosen
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        if page.institution_combo.currentData() == institution_id:
            page.refresh()
        else:
            page.institution_combo.setCurrentIndex(page.institution_combo.findData(institution_id))
    ids = [page.model.row_at(n).medication_id for n in range(page.model.rowCount())]
    assert medication_id in ids
    page.table.selectRow(ids.index(medication_id))
    assert page.dispense_button.isEnabled()
    qtbot.mouseClick(page.dispense_button, Qt.MouseButton.LeftButton)
    dialog = _top(qapp, DispenseDialog)
    assert isinstance(dialog, DispenseDialog)
    assert dialog.quantity.value() == 56  # 28 days at 2 a day
    dialog.collected_by.setText("王阿姨")
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        dialog.ok_button.click()
    assert medication_id not in [page.model.row_at(n).medication_id for n in range(page.model.rowCount())]
    (supply,) = [
        s
        for s in refills.supply_of(context.uow(), resident_id=refills_resident(context, medication_id), today=TODAY)
        if s.medication_id == medication_id
    ]
    assert supply.runs_out == TODAY + timedelta(days=28)

    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(page.window().findChildren(PdfPreviewDialog)), timeout=WAIT_MS)
    preview = page.window().findChildren(PdfPreviewDialog)[-1]
    qtbot.waitUntil(preview.print_button.isEnabled, timeout=WAIT_MS)
    assert preview.windowTitle() == "Proxy refill list"
    preview.close()


def refills_resident(context: AppContext, medication_id: str) -> str:
    with context.uow() as uow:
        return str(uow.fast_rows("SELECT resident_id FROM medication WHERE id = :m", {"m": medication_id})[0][0])


def test_what_the_dialog_holds_is_read_on_the_gui_thread(
    qtbot: QtBot, qapp: QApplication, template: Path, open_copy: Callable[..., AppContext]
) -> None:
    # the save read dialog.values() inside the database job, i.e. widgets read from another thread
    context = open_copy(template, "doctor1")
    with context.uow() as uow:
        resident_id = uow.fast_rows("SELECT id FROM resident WHERE status = 'in_residence' ORDER BY id LIMIT 1")[0][0]
    beds.open_bed(context.uow(), resident_id=resident_id, indication="留置导尿", opened_on=TODAY, today=TODAY)
    page = BedsPage(context, today=lambda: TODAY)
    _open_page(qtbot, page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # the keyboard selects a bed (which one: the demo's order)
    assert page.check_button.isEnabled()
    bed = page.selected_bed()
    assert bed is not None
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    dialog = _top(qapp, CheckBedDialog)
    assert isinstance(dialog, CheckBedDialog)
    read_on: list[bool] = []
    values = dialog.values

    def recording() -> dict[str, object]:
        read_on.append(QThread.currentThread() is qapp.thread())
        return values()

    dialog.values = recording  # type: ignore[method-assign]
    qtbot.keyClicks(dialog.findings, "clear urine, no fever")  # typed (QTest types no CJK)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert read_on == [True]
    checked = [page.model.row_at(row) for row in range(page.model.rowCount())]
    assert [view.last_check for view in checked if view.id == bed.id] == [TODAY]


def test_the_refill_list_exports_to_excel_with_the_page_s_numbers(
    qtbot: QtBot, qapp: QApplication, template: Path, open_copy: Callable[..., AppContext], tmp_path: Path
) -> None:
    """The "Export Excel…" action beside the print action writes the page's list (issue 18)."""
    from openpyxl import load_workbook

    context = open_copy(template, "nurse1")
    with context.uow() as uow:  # a home with a long-term medication on its list (the demo's first home has none)
        (institution_id,) = uow.fast_rows(
            "SELECT r.institution_id FROM medication m JOIN resident r ON r.id = m.resident_id "
            "WHERE r.status = 'in_residence' AND m.deleted = 0 AND m.daily_quantity IS NOT NULL "
            "GROUP BY r.institution_id ORDER BY COUNT(*) DESC LIMIT 1"
        )[0]
    page = RefillsPage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitUntil(lambda: page.institution_combo.currentData() is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        if page.institution_combo.currentData() == institution_id:
            page.refresh()
        else:
            page.institution_combo.setCurrentIndex(page.institution_combo.findData(institution_id))
    lines = [page.model.row_at(n) for n in range(page.model.rowCount())]
    assert lines and page.excel.button.isEnabled() and page.excel.button.parent() is page
    out = tmp_path / "refills.xlsx"
    with qtbot.waitSignal(page.excel.exported, timeout=WAIT_MS) as exported:
        page.excel.export_to(out)
    assert exported.args[0].rows == len(lines)
    rows = [row for row in load_workbook(out).worksheets[0].iter_rows(values_only=True) if row and row[0]]
    body = rows[rows.index(next(r for r in rows if r[0] == "Bed")) + 1 :][: len(lines)]
    assert [(r[0], r[1], r[2], r[5], r[10]) for r in body] == [
        (line.bed, line.resident_name, line.medication, float(line.daily_quantity), line.quantity) for line in lines
    ]
    assert [r[8].date() if r[8] else None for r in body] == [line.runs_out for line in lines]
