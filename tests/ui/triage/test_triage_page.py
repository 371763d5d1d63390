"""The triage review page (app.ui.triage.page) and the rules editor (app.ui.triage.rules)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from widget_lifetime import keep

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.services.triage import load_rules, resident_triage, triage_review
from app.ui.shell.i18n import install_translators
from app.ui.triage.page import OverrideDialog, ReviewModel, TriagePage
from app.ui.triage.rules import TriageRulesEditor
from app.ui.widgets.pdf_preview import PdfPreviewDialog

TODAY = date(2026, 11, 18)
WAIT_MS = 20_000

pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"), pytest.mark.usefixtures("english")]


@pytest.fixture
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=200, seed=9, today=TODAY)


@pytest.fixture
def doctor(demo_file: Path, open_copy: Callable[..., AppContext]) -> AppContext:
    return open_copy(demo_file, "doctor1")


@pytest.fixture
def nurse(demo_file: Path, open_copy: Callable[..., AppContext]) -> AppContext:
    return open_copy(demo_file, "nurse1")


def preview_of(page: TriagePage) -> PdfPreviewDialog | None:
    """Return the preview the page opened over its window, if any."""
    found = page.window().findChildren(PdfPreviewDialog)
    return found[-1] if found else None


def open_page(qtbot: QtBot, context: AppContext) -> TriagePage:
    page = TriagePage(context, today=lambda: TODAY)
    qtbot.addWidget(keep(page))  # released once the database thread is idle (widget_lifetime)
    page.resize(1200, 720)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()
    qtbot.waitUntil(lambda: page.institution_combo.count() > 1, timeout=WAIT_MS)
    return page


def test_the_page_lists_every_difference_with_colours_as_symbol_word_and_colour(
    qtbot: QtBot, doctor: AppContext
) -> None:
    page = open_page(qtbot, doctor)
    expected = triage_review(doctor.uow(), today=TODAY)
    assert page.model.rowCount() == len(expected) > 0
    assert page.count_label.text() == f"{len(expected)} to review"
    first = expected[0]
    index = page.model.index(0, ReviewModel.SUGGESTED)
    assert index.data() == first.suggested.badge
    foreground = index.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(foreground, QColor) and foreground.name() == first.suggested.rgb
    assert page.model.index(0, 6).data() == first.suggestion.text
    assert page.confirm_button.isEnabled() and page.override_button.isEnabled()
    assert not page.role_label.isVisible()
    qtbot.waitUntil(lambda: page.history_panel.triage is not None, timeout=WAIT_MS)
    assert page.history_panel.triage.resident_id == first.resident_id
    assert first.reasons[0].text in page.history_panel.suggestion_label.text()


def test_a_doctor_confirms_several_at_once(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    before = page.model.rowCount()
    page.table.selectRow(0)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    page.table.selectionModel().select(page.model.index(1, 0), flags)
    chosen = page.selected_rows()
    assert len(chosen) == 2
    assert page.confirm_button.text() == "C&onfirm 2 suggestions"  # the button says how many it decides for
    assert page.override_button.text() == "Set &another colour for 2…"
    with (
        qtbot.waitSignal(page.decided, timeout=WAIT_MS) as decided,
        qtbot.waitSignal(page.refreshed, timeout=WAIT_MS),
    ):
        qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert set(decided.args[0].decided) == {row.resident_id for row in chosen}
    assert page.model.rowCount() == before - 2
    assert "Colours updated for 2 resident(s)." in page.status_label.text()
    page.table.selectRow(0)
    assert page.confirm_button.text() == "C&onfirm suggestion"
    triage = resident_triage(doctor.uow(), resident_id=chosen[0].resident_id, today=TODAY)
    assert triage.colour is chosen[0].suggested and triage.history[0].decided_by == "周海燕"


def test_a_doctor_overrides_with_a_reason(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    page.table.selectRow(0)
    row = page.selected_rows()[0]
    page.override_selected()
    dialog = page.findChild(OverrideDialog)
    assert dialog is not None
    ok = dialog.box.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no reason yet
    dialog.colour_buttons[TriageColour.GREEN].setChecked(True)
    qtbot.keyClicks(dialog.reason_edit, "x")  # typing works; Chinese text is set directly (IME input)
    dialog.reason_edit.setText("家属每日陪护，病情稳定")
    assert ok.isEnabled()
    with qtbot.waitSignal(page.decided, timeout=WAIT_MS), qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert row.resident_id not in {page.model.row_at(n).resident_id for n in range(page.model.rowCount())}
    entry = resident_triage(doctor.uow(), resident_id=row.resident_id, today=TODAY).history[0]
    assert entry.colour is TriageColour.GREEN and entry.override_reason == "家属每日陪护，病情稳定"


def test_a_nurse_sees_the_list_but_cannot_decide(qtbot: QtBot, nurse: AppContext) -> None:
    page = open_page(qtbot, nurse)
    assert page.model.rowCount() > 0
    page.table.selectRow(0)
    assert not page.confirm_button.isEnabled() and not page.override_button.isEnabled()
    assert page.role_label.isVisible() and "only a doctor or an administrator" in page.role_label.text()
    assert page.confirm_button.toolTip() == "Only a doctor or an administrator can confirm colours"


def test_filtering_by_institution_and_printing_its_triage_list(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    assert not page.print_button.isEnabled()
    page.institution_combo.setCurrentIndex(1)
    institution = page.institution_combo.currentData()
    assert all(page.model.row_at(n).resident.institution_id == institution for n in range(page.model.rowCount()))
    assert page.print_button.isEnabled()
    page.print_list()
    qtbot.waitUntil(lambda: preview_of(page) is not None, timeout=WAIT_MS)
    preview = preview_of(page)
    assert preview is not None
    qtbot.waitUntil(preview.print_button.isEnabled, timeout=WAIT_MS)
    assert preview.windowTitle().startswith("Triage list — ")
    preview.close()


def test_the_page_in_chinese(qtbot: QtBot, qapp: QApplication, nurse: AppContext) -> None:
    install_translators(qapp, "zh_CN")
    page = open_page(qtbot, nurse)
    assert page.count_label.text().startswith("待审核 ")
    assert page.confirm_button.text() == "确认建议(&O)"
    assert page.model.headerData(ReviewModel.SUGGESTED, Qt.Orientation.Horizontal) == "建议"
    assert page.model.index(0, ReviewModel.SUGGESTED).data() in {c.badge for c in TriageColour}
    assert "只有医生或管理员" in page.role_label.text()


def test_the_rules_editor_saves_and_refuses_contradictions(qtbot: QtBot, doctor: AppContext) -> None:
    editor = TriageRulesEditor(doctor)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        editor.show()
    assert editor.save_button.isEnabled()
    assert editor.document()["red"]["sbp_min"] == 180
    editor.editors["rules.red.sbp_min"].setValue(170)  # type: ignore[attr-defined]
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.save()
    assert load_rules(doctor.uow()).rules.red.sbp_min == 170
    editor.editors["rules.yellow.self_care_min"].setValue(25)  # type: ignore[attr-defined]
    editor.save()
    qtbot.waitUntil(lambda: bool(editor.error_label.text()), timeout=WAIT_MS)
    assert "must be below the red threshold 19" in editor.error_label.text()
    assert editor.editors["rules.yellow.self_care_min"].styleSheet()
    assert load_rules(doctor.uow()).rules.yellow.self_care_min == 4


def test_a_nurse_cannot_save_rules(qtbot: QtBot, nurse: AppContext) -> None:
    editor = TriageRulesEditor(nurse)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        editor.show()
    assert not editor.save_button.isEnabled() and not editor.defaults_button.isEnabled()


def test_a_resident_from_a_roster_waits_on_the_page_and_a_click_confirms_it(
    qtbot: QtBot, doctor: AppContext, tmp_path: Path
) -> None:
    """Issue 14 §10: imported residents wait for the doctor's review, shown as not confirmed yet."""
    from app.domain.idcard import make_id_number
    from app.services.institutions import list_institutions
    from app.services.records.roster import import_roster, read_roster

    home = list_institutions(doctor.uow())[0].id
    roster = tmp_path / "名单.csv"
    number = make_id_number("310104", date(1950, 3, 2), 77, "F")
    roster.write_text(f"姓名,身份证号,床位\n周桂兰,{number},Z-901-1\n", encoding="utf-8")
    (imported,) = import_roster(doctor.uow(), roster=read_roster(roster), institution_id=home, today=TODAY).resident_ids
    page = open_page(qtbot, doctor)
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    row = next(r for r, entry in enumerate(rows) if entry.resident_id == imported)
    assert page.model.index(row, ReviewModel.COLOUR).data() == "— not confirmed yet"
    assert page.model.index(row, ReviewModel.SUGGESTED).data() == TriageColour.GREEN.badge
    page.table.selectRow(row)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert imported not in {page.model.row_at(r).resident_id for r in range(page.model.rowCount())}
    assert resident_triage(doctor.uow(), resident_id=imported, today=TODAY).history[0].decided_by == "周海燕"
