"""The resident record dialog: every tab shows the record and saves its section as one action."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain import i18n
from app.services.demo.center import create_demo_center
from app.services.records.load import load_record
from app.services.records.residents import search_residents
from app.services.visits.history import visit_history
from app.store.models import Staff
from app.ui.record.dialog import ResidentRecordDialog
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import run_sync_for_tests

TODAY = date(2026, 11, 16)
NEW_NUMBER = "11010519491231002X"

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("record") / "demo.sqlite"
    ctx = open_context(path)
    create_demo_center(ctx.database, residents=40, seed=4, today=TODAY)
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
def resident_id(context: AppContext) -> str:
    return search_residents(context.uow(), text="张红丽")[0].id


def open_dialog(qtbot: QtBot, context: AppContext, resident_id: str | None) -> ResidentRecordDialog:
    with run_sync_for_tests():
        dialog = ResidentRecordDialog(context, resident_id, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_record_opens_with_every_section_filled(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    dialog = open_dialog(qtbot, context, resident_id)
    record = load_record(context.uow(), resident_id=resident_id)
    assert dialog.title_label.text() == "张红丽"
    assert "康宁养老院" in dialog.summary_label.text()
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "&Identity",
        "&Residence",
        "&Signing",
        "&Conditions",
        "&Medications && allergies",
        "&Flags",
        "&Assessments",
        "&Visits",
    ]
    assert all(dialog.tabs.isTabEnabled(i) for i in range(dialog.tabs.count()))
    assert dialog.identity_tab.id_edit.text() == record.resident.id_number
    assert dialog.identity_tab.id_status.text().startswith("✓ valid: female")
    assert dialog.residence_tab.periods_model.rowCount() == len(record.periods) >= 1
    assert dialog.conditions_tab.model.rowCount() == len(record.conditions)
    assert dialog.assessments_tab.model.rowCount() == len(record.assessments) > 0
    history = dialog.visits_tab.history
    assert history.resident_id == resident_id and history.history is not None
    visits = len(visit_history(context.uow(), resident_id=resident_id).chains)  # the record leaves them to the tab
    assert history.model.rowCount() == visits > 0
    assert history.count_label.text().startswith(f"{visits} visit(s), newest first")
    assert len(history.chart.points()) > 0
    assert not dialog.create_button.isVisible()


def test_the_id_number_is_checked_as_it_is_typed(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    tab = open_dialog(qtbot, context, resident_id).identity_tab
    tab.id_edit.clear()
    qtbot.keyClicks(tab.id_edit, "1101051949123100")
    assert tab.id_status.text() == "2 more character(s) to go"
    qtbot.keyClicks(tab.id_edit, "21")
    assert tab.id_status.text().startswith("✗ check character is wrong; it should be X")
    tab.id_edit.backspace()
    qtbot.keyClicks(tab.id_edit, "x")
    assert tab.id_status.text() == "✓ valid: female, born 1949-12-31, 76 years old"
    assert tab.birth_edit.text() == "1949-12-31" and tab.sex_combo.currentData() == "F"
    tab.id_edit.setText("110105491231002")  # issue #16: an old 15-digit number is converted
    assert tab.id_status.text() == (
        "✓ valid: female, born 1949-12-31, 76 years old\n"
        "An old 15-digit number: it is saved as 11010519491231002X, with a note."
    )


def test_a_refused_save_names_the_problem_focuses_the_field_and_changes_nothing(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    dialog = open_dialog(qtbot, context, resident_id)
    tab = dialog.identity_tab
    before = load_record(context.uow(), resident_id=resident_id).resident
    tab.sex_combo.setCurrentIndex(tab.sex_combo.findData("M"))
    tab.name_edit.setText("张红莉")
    with run_sync_for_tests():
        qtbot.mouseClick(tab.save_button, qtbot_left())
    assert tab.banner.isVisible()
    assert tab.banner.text().lower() == "⚠ sex: does not match the sex in the id card number (female) (value: m)"
    assert dialog.focusWidget() is tab.sex_combo
    assert load_record(context.uow(), resident_id=resident_id).resident == before


def on_tab(dialog: ResidentRecordDialog, tab: object) -> object:
    """Bring ``tab`` to the front, as a user would before typing in it, and return it."""
    dialog.tabs.setCurrentWidget(tab)  # type: ignore[arg-type]
    return tab


def qtbot_left() -> object:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_saving_identity_reloads_and_says_who_changed_it(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    dialog = open_dialog(qtbot, context, resident_id)
    tab = dialog.identity_tab
    tab.name_edit.setText("张红莉")
    tab.phone_edit.setText("138 1234 5678")
    with run_sync_for_tests(), qtbot.waitSignal(dialog.residentChanged) as changed:
        qtbot.mouseClick(tab.save_button, qtbot_left())
    assert changed.args == [resident_id]
    assert not tab.banner.isVisible()
    assert dialog.title_label.text() == "张红莉"
    assert tab.phone_edit.text() == "13812345678"
    assert dialog.changed_label.text().startswith("Last changed by 周海燕")


def test_a_bed_move_and_a_discharge_keep_their_history(
    qtbot: QtBot, context: AppContext, resident_id: str, monkeypatch: pytest.MonkeyPatch, english: None
) -> None:
    dialog = open_dialog(qtbot, context, resident_id)
    tab = on_tab(dialog, dialog.residence_tab)
    periods = tab.periods_model.rowCount()
    tab.bed_edit.setText("3")
    tab.move_edit.setText("2026-11-01")
    with run_sync_for_tests():
        qtbot.mouseClick(tab.save_button, qtbot_left())
    assert not tab.banner.isVisible(), tab.banner.text()
    assert tab.periods_model.rowCount() == periods + 1
    assert tab.periods_model.data(tab.periods_model.index(0, 4)) == "Moved bed"

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Yes)
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("discharged"))
    tab.status_date_edit.setText("2026/11/10")
    tab.status_note_edit.setText("回家休养")
    with run_sync_for_tests():
        qtbot.mouseClick(tab.status_button, qtbot_left())
    assert asked and "张红丽" in asked[0]
    assert tab.status_label.text() == "Discharged (2026-11-10)"
    assert tab.statuses_model.data(tab.statuses_model.index(0, 2)) == "回家休养"
    assert load_record(context.uow(), resident_id=resident_id).periods[0].end_date == date(2026, 11, 10)


def test_conditions_medications_and_allergies_are_added_and_removed(
    qtbot: QtBot, context: AppContext, resident_id: str, monkeypatch: pytest.MonkeyPatch, english: None
) -> None:
    dialog = open_dialog(qtbot, context, resident_id)
    conditions = on_tab(dialog, dialog.conditions_tab)
    count = conditions.model.rowCount()
    conditions.condition_combo.setCurrentIndex(conditions.condition_combo.findData("parkinson"))
    conditions._code_chosen(conditions.condition_combo.currentIndex())
    assert conditions.icd_edit.text() == "G20"
    with run_sync_for_tests():
        qtbot.mouseClick(conditions.save_button, qtbot_left())
    conditions.condition_combo.setEditText("腰椎间盘突出")
    conditions.icd_edit.setText("m51")
    with run_sync_for_tests():
        qtbot.mouseClick(conditions.save_button, qtbot_left())
    names = {conditions.model.data(conditions.model.index(r, 0)) for r in range(conditions.model.rowCount())}
    assert conditions.model.rowCount() == count + 2 and {"Parkinson's disease", "腰椎间盘突出"} <= names

    conditions.condition_combo.setEditText("")
    with run_sync_for_tests():
        qtbot.mouseClick(conditions.save_button, qtbot_left())
    assert "choose a condition from the list" in conditions.banner.text()

    medications = on_tab(dialog, dialog.medications_tab)
    medications.name_edit.setText("阿司匹林肠溶片")
    medications.dose_edit.setText("100mg")
    medications.start_edit.setText("2026-11-02")
    medications.stop_edit.setText("2026-11-01")
    with run_sync_for_tests():
        qtbot.mouseClick(medications.save_medication, qtbot_left())
    assert "stop date" in medications.banner.text()
    medications.stop_edit.clear()
    with run_sync_for_tests():
        qtbot.mouseClick(medications.save_medication, qtbot_left())
    assert "阿司匹林肠溶片" in [m.name for m in medications.medications_model.rows()]
    before = [(a.substance, a.reaction) for a in medications.allergies_model.rows()]  # the demo's, if any
    medications.substance_edit.setText("青霉素")
    medications.reaction_edit.setText("皮疹")
    with run_sync_for_tests():
        qtbot.mouseClick(medications.save_allergy, qtbot_left())
    after = [(a.substance, a.reaction) for a in medications.allergies_model.rows()]
    assert sorted(after) == sorted([*before, ("青霉素", "皮疹")])

    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    medications.allergies_table.selectRow(after.index(("青霉素", "皮疹")))
    assert medications.remove_allergy.isEnabled() and medications.substance_edit.text() == "青霉素"
    with run_sync_for_tests():
        qtbot.mouseClick(medications.remove_allergy, qtbot_left())
    assert [(a.substance, a.reaction) for a in medications.allergies_model.rows()] == before


def test_flags_are_checked_together(qtbot: QtBot, context: AppContext, resident_id: str, english: None) -> None:
    dialog = open_dialog(qtbot, context, resident_id)
    tab = on_tab(dialog, dialog.flags_tab)
    tab.ltc_check.setChecked(True)
    tab.care_level_combo.setCurrentIndex(tab.care_level_combo.findData(1))
    with run_sync_for_tests():
        qtbot.mouseClick(tab.save_button, qtbot_left())
    assert "long-term-care insurance needs care level 2–6 (now 1)" in tab.banner.text()
    tab.care_level_combo.setCurrentIndex(tab.care_level_combo.findData(3))
    assert not tab.family_bed_check.isChecked() and tab.family_start_edit.text() == ""
    tab.family_bed_check.setChecked(True)
    assert tab.family_start_edit.value() == TODAY  # ticking fills in the dialog's day, not the real one
    tab.family_start_edit.setText("2026-11-01")
    with run_sync_for_tests():
        qtbot.mouseClick(tab.save_button, qtbot_left())
    assert not tab.banner.isVisible()
    details = load_record(context.uow(), resident_id=resident_id).resident
    assert (details.ltc_insurance, details.care_level, details.family_bed) == (True, 3, True)
    assert "family bed" in dialog.summary_label.text()


def test_assessments_score_as_they_are_filled_in_and_are_recorded(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    dialog = open_dialog(qtbot, context, resident_id)
    tab = on_tab(dialog, dialog.assessments_tab)
    count = tab.model.rowCount()
    # issue #16: nothing is preselected; an item left unassessed is refused, never saved as 0
    assert tab.score_label.text() == "5 item(s) not assessed yet: no score"
    with run_sync_for_tests():
        qtbot.mouseClick(tab.record_button, qtbot_left())
    assert "some items are not assessed yet: eating" in tab.banner.text()
    assert tab.model.rowCount() == count
    assert tab.self_care_combos["eating"].itemText(2) == "mildly dependent (0 points)"  # the table scores it 0
    assert tab.self_care_combos["grooming"].itemText(2) == "mildly dependent (1 points)"
    for key, level in {"eating": 2, "grooming": 3, "dressing": 1, "toileting": 2, "moving": 1}.items():
        tab.self_care_combos[key].setCurrentIndex(tab.self_care_combos[key].findData(level))
    assert tab.score_label.text() == "Score 16: moderately dependent"
    with run_sync_for_tests():
        qtbot.mouseClick(tab.record_button, qtbot_left())
    assert tab.model.rowCount() == count + 1
    newest = tab.model.row_at(0)
    assert (newest.kind, newest.score, newest.assessed_on, newest.assessed_by_name) == (
        "self_care",
        16,
        TODAY,
        "周海燕",
    )

    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("ad8"))
    with run_sync_for_tests():
        qtbot.mouseClick(tab.record_button, qtbot_left())
    assert "some items are not answered yet: 1、2、3" in tab.banner.text() or "1, 2, 3" in tab.banner.text()
    for number, combo in enumerate(tab.ad8_combos.values()):
        combo.setCurrentIndex(combo.findData("yes" if number < 2 else "no"))
    assert tab.score_label.text() == (
        "Score 2: positive: cognitive impairment suspected — refer for a diagnosis unless one is recorded"
    )
    with run_sync_for_tests():
        qtbot.mouseClick(tab.record_button, qtbot_left())
    assert tab.model.row_at(0).kind == "ad8" and tab.model.row_at(0).result == "positive"

    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("care_level"))
    tab.care_level_combo.setCurrentIndex(5)
    tab.date_edit.setText("2026-11-17")
    with run_sync_for_tests():
        qtbot.mouseClick(tab.record_button, qtbot_left())
    assert "cannot be later than today (2026-11-16)" in tab.banner.text()
    assert dialog.focusWidget() is tab.date_edit


def test_a_new_resident_is_added_and_a_duplicate_id_number_refused(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    dialog = open_dialog(qtbot, context, None)
    assert dialog.create_button.isVisible()
    assert [dialog.tabs.isTabEnabled(i) for i in range(dialog.tabs.count())] == [True, True] + [False] * 6
    existing = load_record(context.uow(), resident_id=resident_id).resident
    dialog.identity_tab.name_edit.setText("王秀英")
    dialog.identity_tab.id_edit.setText(existing.id_number)
    dialog.residence_tab.bed_edit.setText("9")
    with run_sync_for_tests():
        qtbot.mouseClick(dialog.create_button, qtbot_left())
    assert "already in the center: 张红丽 (康宁养老院 A-101-1" in dialog.create_banner.text()
    assert dialog.is_new

    dialog.identity_tab.id_edit.setText(NEW_NUMBER)
    with run_sync_for_tests(), qtbot.waitSignal(dialog.residentChanged) as added:
        qtbot.mouseClick(dialog.create_button, qtbot_left())
    assert not dialog.is_new and added.args == [dialog.resident_id]
    assert all(dialog.tabs.isTabEnabled(i) for i in range(dialog.tabs.count()))
    assert not dialog.create_button.isVisible()
    assert dialog.title_label.text() == "王秀英"
    assert load_record(context.uow(), resident_id=dialog.resident_id or "").resident.birth_date == date(1949, 12, 31)


def test_the_record_speaks_chinese(qtbot: QtBot, qapp: QApplication, context: AppContext, resident_id: str) -> None:
    install_translators(qapp, "zh_CN")
    try:
        dialog = open_dialog(qtbot, context, resident_id)
        titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        assert titles[0] == "身份信息(&I)" and titles[-1] == "巡诊记录(&V)"
        assert dialog.identity_tab.id_status.text().startswith("✓ 有效：女")
        assert dialog.assessments_tab.record_button.text() == "记录评估(&R)"
        assert i18n.current_language() == "zh_CN"
    finally:
        install_translators(qapp, "en")


def sign_in_as(context: AppContext, login: str) -> None:
    with context.uow() as uow:
        context.actor_id = uow.session.exec(select(Staff).where(Staff.login == login)).one().id


EDITING_TABS = ("identity_tab", "residence_tab", "signing_tab", "conditions_tab", "medications_tab", "flags_tab")


def editable_widgets(tab: QWidget) -> list[QWidget]:
    """The editors and buttons of a tab a user could type into or press."""

    def open_to_the_user(widget: QWidget) -> bool:
        if isinstance(widget, QLineEdit):
            return not widget.isReadOnly()
        if isinstance(widget, (QComboBox, QCheckBox)):
            return widget.isEnabled()
        return isinstance(widget, QPushButton) and not widget.isHidden()

    return [widget for widget in tab.findChildren(QWidget) if open_to_the_user(widget)]


@pytest.mark.parametrize(
    ("login", "may_edit", "may_assess"),
    [("doctor1", True, True), ("nurse1", False, True), ("assistant1", True, False), ("admin", True, True)],
)
def test_each_role_may_change_only_what_it_is_allowed_to(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None, login: str, may_edit: bool, may_assess: bool
) -> None:
    sign_in_as(context, login)
    dialog = open_dialog(qtbot, context, resident_id)
    for name in EDITING_TABS:
        tab = getattr(dialog, name)
        dialog.tabs.setCurrentWidget(tab)
        assert bool(editable_widgets(tab)) == may_edit, (login, name, editable_widgets(tab))
    dialog.tabs.setCurrentWidget(dialog.assessments_tab)
    assert bool(editable_widgets(dialog.assessments_tab)) == may_assess
    assert dialog.assessments_tab.record_button.isVisible() == may_assess
    assert dialog.identity_tab.save_button.isHidden() != may_edit
    assert dialog.residence_tab.status_button.isHidden() != may_edit  # discharge, death
    # what stays: reading every tab, choosing entries in the lists, the visit history
    assert all(dialog.tabs.isTabEnabled(i) for i in range(dialog.tabs.count()))
    assert dialog.conditions_tab.table.isEnabled() and dialog.visits_tab.history.model.rowCount() > 0
    note = dialog.read_only_label
    assert note.isVisible() == (not may_edit or not may_assess)
    if not may_edit and may_assess:  # a nurse reads what she can do, not only what she cannot
        assert note.text() == (
            "You can record assessments (Assessments tab) and visits. Identity, residence, signing, conditions, "
            "medications and flags are changed by doctors and assistants."
        )
        assert "Read-only" not in note.text()
    if not may_assess:
        assert note.text() == "Assessments are recorded by doctors and nurses."


def test_a_nurse_cannot_add_a_resident_and_sees_why(qtbot: QtBot, context: AppContext, english: None) -> None:
    sign_in_as(context, "nurse1")
    dialog = open_dialog(qtbot, context, None)
    assert not dialog.create_button.isVisible()
    assert dialog.identity_tab.name_edit.isReadOnly() and not dialog.residence_tab.institution_combo.isEnabled()
    assert dialog.read_only_label.isVisible()


def test_the_record_locks_until_it_knows_the_role(qtbot: QtBot, context: AppContext, resident_id: str) -> None:
    sign_in_as(context, "nurse1")
    dialog = ResidentRecordDialog(context, resident_id, today=lambda: TODAY)  # loads on the database thread
    qtbot.addWidget(dialog)
    assert not dialog.tabs.isEnabled()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    assert dialog.tabs.isEnabled() and dialog.identity_tab.name_edit.isReadOnly()


def test_the_visits_tab_shows_the_history_chart_and_sync_state_and_corrects_as_a_version(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    sign_in_as(context, "nurse1")
    dialog = open_dialog(qtbot, context, resident_id)
    history = on_tab(dialog, dialog.visits_tab).history  # type: ignore[attr-defined]
    assert history.model.rowCount() == len(visit_history(context.uow(), resident_id=resident_id).chains)
    assert history.chart.summary().startswith(f"{len([p for p in history.chart.points()])} visit(s) from")
    sync = history.model.COLUMNS.index("sync")
    assert {history.model.data(history.model.index(r, sync)) for r in range(history.model.rowCount())} == {
        "○ not yet exported"
    }
    first_version = history.selected_row().record
    changed: list[str] = []
    dialog.residentChanged.connect(changed.append)
    with run_sync_for_tests():
        history.correct_selected()
    editor = history.dialog.editor
    assert editor.correcting
    editor.form.vital_edits["pulse"].setText("77")
    with run_sync_for_tests():
        history.dialog.save()
    latest = history.history.chains[0].latest
    assert latest.version == first_version.version + 1 and latest.corrects_id == first_version.id
    assert history.model.data(history.model.index(0, 9)) == f"v{latest.version}, corrects v{first_version.version}"
    assert changed == [resident_id]


def test_closing_the_record_keeps_an_open_correction_as_a_draft_and_leaves_nothing_running(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    """Opened as the workspace does (ops on the database thread), then closed while a correction is typed."""
    from app.ui.shell.tasks import database_pool
    from app.ui.visits.drafts import drafts_pool

    sign_in_as(context, "nurse1")
    dialog = ResidentRecordDialog(context, resident_id, today=lambda: TODAY)
    dialog.finished.connect(dialog.deleteLater)  # as the workspace does
    history = dialog.visits_tab.history
    with qtbot.waitSignal(history.loaded, timeout=10_000):
        dialog.show()
    history.correct_selected()
    correction = history.dialog
    qtbot.waitUntil(lambda: correction.editor.correcting, timeout=10_000)
    correction.editor.form.vital_edits["pulse"].selectAll()
    qtbot.keyClicks(correction.editor.form.vital_edits["pulse"], "81")
    store = correction.editor.drafts
    visit = history.selected_row().record
    with qtbot.waitSignal(dialog.destroyed, timeout=10_000):
        dialog.reject()
    qtbot.waitUntil(lambda: store.load(resident_id, visit.round_id) is not None, timeout=10_000)
    assert store.load(resident_id, visit.round_id).values["pulse"] == "81"  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: database_pool().activeThreadCount() == 0 and drafts_pool().activeThreadCount() == 0, timeout=10_000
    )


def test_an_ad8_with_four_dont_know_reads_not_interpretable_and_the_annual_check_is_recorded(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    """Issue #16 items 7 and 8."""
    dialog = open_dialog(qtbot, context, resident_id)
    tab = on_tab(dialog, dialog.assessments_tab)
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("ad8"))
    for number, combo in enumerate(tab.ad8_combos.values()):
        combo.setCurrentIndex(combo.findData("unknown" if number < 4 else "yes"))
    assert tab.score_label.text() == "Score 4: not interpretable (4 or more “don't know”)"
    tab.ad8_combos["judgement"].setCurrentIndex(tab.ad8_combos["judgement"].findData("no"))
    assert tab.score_label.text().startswith("Score 4: positive")

    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("annual_check"))
    assert not tab.notes_edit.isVisibleTo(tab)
    count = tab.model.rowCount()
    with run_sync_for_tests():
        qtbot.mouseClick(tab.record_button, qtbot_left())
    assert "some items are not filled in: temperature (°C)" in tab.banner.text()
    assert tab.model.rowCount() == count
    numbers = {
        "temperature": "36.5", "pulse": "70", "respiration": "16", "sbp_left": "138", "dbp_left": "80",
        "sbp_right": "136", "dbp_right": "78", "height": "158", "weight": "55", "waist": "80",
        "self_care_score": "0", "fasting_glucose": "5.6",
    }  # fmt: skip
    for key, text in numbers.items():
        tab.annual_edits[key].setText(text)
    for combo in tab.annual_combos.values():
        combo.setCurrentIndex(combo.findData("normal"))
    tab.annual_summary.setText("No abnormal finding; keep walking daily")
    with run_sync_for_tests():
        qtbot.mouseClick(tab.record_button, qtbot_left())
    newest = tab.model.row_at(0)
    assert (newest.kind, newest.result) == ("annual_check", "done")
    assert newest.notes == "No abnormal finding; keep walking daily"
    assert newest.items["bmi"] == 22.0


def test_a_referrals_outcome_is_recorded_from_the_record(
    qtbot: QtBot, context: AppContext, resident_id: str, english: None
) -> None:
    """Issue #16 item 6: the Visits tab lists the referrals; recording an outcome closes one."""
    from app.store.models import Referral

    with context.uow() as uow:
        uow.session.add(Referral(resident_id=resident_id, destination="示范区中心医院", reason="胸痛",
                                 urgent=True, opened_on=date(2026, 11, 1)))  # fmt: skip
        uow.commit()
    dialog = open_dialog(qtbot, context, resident_id)
    tab = on_tab(dialog, dialog.visits_tab)
    assert tab.referrals_group.isVisibleTo(tab) and tab.referral_model.rowCount() == 1
    assert tab.referral_model.data(tab.referral_model.index(0, 3)) == "open over 14 days: follow up"
    tab.outcome_combo.setCurrentIndex(tab.outcome_combo.findData("admitted"))
    tab.closed_on_edit.setText("2026-10-30")
    with run_sync_for_tests():
        qtbot.mouseClick(tab.close_button, qtbot_left())
    assert "cannot be earlier than the referral (2026-11-01)" in tab.banner.text()
    tab.closed_on_edit.setText("2026-11-03")
    with run_sync_for_tests():
        qtbot.mouseClick(tab.close_button, qtbot_left())
    assert tab.referral_model.data(tab.referral_model.index(0, 3)) == "closed 2026-11-03: admitted"
    assert not tab.close_button.isEnabled()
