"""The visit page (app.ui.visits.page): round sheet, keyboard flow, checks as typed, finding a resident, languages,
which round it opens on, the layout, save and next, the follow-up per disease. Corrections and drafts:
``test_visit_page_corrections.py``, ``test_visit_page_drafts.py``; the world: ``visit_page_world.py``."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select
from visit_page_world import (
    NAMES,
    TODAY,
    WAIT_MS,
    Answers,
    assert_every_glyph_in_the_cjk_font,
    ctrl_enter,
    next_focus,
    open_page,
    stored_visits,
    type_into,
)

from app.domain.follow_up import Disease
from app.services.records.load import save_condition
from app.services.visits.drafts import DraftStore
from app.store.models import Round, Staff, Team
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import run_sync_for_tests

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


# --- the sheet and the keyboard flow --------------------------------------------------------------------------------


def test_the_page_shows_the_rounds_due_residents_in_round_sheet_order(qtbot: QtBot, world: dict[str, Any]) -> None:
    page = open_page(qtbot, world)
    assert page.round_combo.currentData() == world["round"]
    assert page.round_combo.currentText().startswith("today · 康宁养老院")
    assert [r.name for r in page.model.rows()] == list(NAMES)
    assert page.editor.info is not None and page.editor.info.name == "张红丽"  # the first not yet recorded
    assert "Due:" in page.editor.detail_label.text()
    assert page.count_label.text().startswith("0 of 4 recorded")


def test_tab_moves_field_to_field_and_ctrl_enter_saves_and_opens_the_next_resident(
    qtbot: QtBot, world: dict[str, Any]
) -> None:
    page = open_page(qtbot, world)
    form = page.editor.form
    form.focus_first()
    assert form.outcome_combo.hasFocus()
    typed = {"sbp": "152", "dbp": "94", "pulse": "76", "temperature": "36.8", "spo2": "97", "glucose": "6.2"}
    qtbot.keyClick(form.outcome_combo, Qt.Key.Key_Tab)
    for name, text in typed.items():
        assert form.vital_edits[name].hasFocus(), f"{name} should have the focus"
        qtbot.keyClicks(form.vital_edits[name], text)
        qtbot.keyClick(form.vital_edits[name], Qt.Key.Key_Tab)
    assert form.fasting_check.hasFocus()
    qtbot.keyClick(form.fasting_check, Qt.Key.Key_Space)
    qtbot.keyClick(form.fasting_check, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.vital_edits["weight"], "61.5")
    qtbot.keyClick(form.vital_edits["weight"], Qt.Key.Key_Tab)
    # the classification next, as on screen right under the vitals; then the follow-up form's fields
    assert form.chronic_combo.hasFocus()
    for widget in [w for w in form.follow_up.fields if w.isVisibleTo(form)]:
        assert widget.hasFocus(), widget.objectName()
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    findings = form.text_edits["findings"]
    assert findings.hasFocus()
    qtbot.keyClicks(findings, "dizzy")  # QTest types ASCII only; Chinese comes from the input method
    findings.insertPlainText(" 头晕")
    qtbot.keyClick(findings, Qt.Key.Key_Tab)  # Tab leaves the text box instead of typing a tab
    assert form.text_edits["actions"].hasFocus() and findings.toPlainText() == "dizzy 头晕"
    # the order the whole way through
    widgets = form.tab_order
    for first, second in itertools.pairwise(widgets):
        assert first.nextInFocusChain() is second or next_focus(first) is second
    # hypertension: not controlled is suggested from 152/94
    assert form.chronic_combo.currentData() == "not_controlled"
    ctrl_enter(qtbot, form.text_edits["actions"])
    qtbot.waitUntil(lambda: page.editor.info is not None and page.editor.info.name == "李建国", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.editor.form.outcome_combo.hasFocus(), timeout=WAIT_MS)
    assert page.editor.form.vital_edits["sbp"].text() == ""
    [visit] = stored_visits(world)
    assert (visit.sbp, visit.dbp, visit.glucose, visit.glucose_fasting, visit.weight) == (152, 94, 6.2, True, 61.5)
    assert (visit.findings, visit.chronic_class, visit.recorded_by) == ("dizzy 头晕", "not_controlled", world["nurse"])
    assert page.model.data(page.model.index(0, 4)) == "▲ Seen"
    assert page.count_label.text().startswith("1 of 4 recorded")


# --- checks as typed --------------------------------------------------------------------------------------------------


def test_a_value_outside_the_range_is_refused_with_the_range_beside_it_and_on_save(
    qtbot: QtBot, world: dict[str, Any]
) -> None:
    page = open_page(qtbot, world)
    form = page.editor.form
    type_into(qtbot, page, "sbp", "350")
    assert form.vital_flags["sbp"].text() == "⚠ outside the accepted range 50–300 mmHg; check for a typing error"
    assert form.vital_edits["sbp"].property("flag") == "error"
    ctrl_enter(qtbot, form.vital_edits["sbp"])
    assert "outside the accepted range 50–300 mmHg" in page.editor.error_label.text()
    assert form.vital_edits["sbp"].hasFocus()
    assert stored_visits(world) == []


def test_abnormal_values_are_accepted_and_highlighted(qtbot: QtBot, world: dict[str, Any]) -> None:
    page = open_page(qtbot, world)
    form = page.editor.form
    type_into(qtbot, page, "temperature", "37.5")
    type_into(qtbot, page, "spo2", "92")
    assert form.vital_edits["temperature"].property("flag") == "abnormal"
    assert form.vital_flags["temperature"].text().startswith("▲ temperature ≥ 37.3")
    assert form.vital_flags["spo2"].text() == "▲ SpO2 < 93%: low"
    assert form.urgent_banner.isHidden()
    ctrl_enter(qtbot, form.vital_edits["spo2"])
    qtbot.waitUntil(lambda: len(stored_visits(world)) == 1, timeout=WAIT_MS)


def test_urgent_values_show_an_alert_and_saving_without_a_referral_is_questioned(
    qtbot: QtBot, world: dict[str, Any]
) -> None:
    answers = Answers(urgent=False)
    page = open_page(qtbot, world, answers)
    form = page.editor.form
    type_into(qtbot, page, "sbp", "186")
    type_into(qtbot, page, "dbp", "112")
    assert form.vital_edits["sbp"].property("flag") == "urgent"
    assert form.urgent_banner.isVisible()
    assert "Urgent: systolic ≥ 180 mmHg: act today" in form.urgent_label.text()
    assert "consider a referral" in form.urgent_label.text() and form.add_referral_button.isVisible()
    ctrl_enter(qtbot, form.vital_edits["dbp"])
    assert answers.asked and answers.asked[0].startswith("urgent: ")
    assert stored_visits(world) == [] and form.referral_destination.hasFocus()
    form.referral_destination.insert("示范区中心医院")
    assert "A referral is entered" in form.urgent_label.text()
    ctrl_enter(qtbot, form.referral_destination)
    qtbot.waitUntil(lambda: len(stored_visits(world)) == 1, timeout=WAIT_MS)
    assert len(answers.asked) == 1  # not asked again once referred
    assert "Triage suggestion" in page.editor.result_label.text()


# --- finding any resident ---------------------------------------------------------------------------------------------


def test_ctrl_f_finds_any_resident_for_an_unplanned_visit(qtbot: QtBot, world: dict[str, Any]) -> None:
    page = open_page(qtbot, world)
    with run_sync_for_tests():
        qtbot.keyClick(page.editor.form.outcome_combo, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    finder = page.finder
    assert finder.isVisible()
    with run_sync_for_tests():
        qtbot.keyClicks(finder.search_edit, "sunli")  # pinyin
        qtbot.waitUntil(lambda: not finder.is_searching() and finder.model.rowCount() == 1, timeout=WAIT_MS)
        qtbot.keyClick(finder.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.editor.info is not None and page.editor.info.name == "孙丽", timeout=WAIT_MS)
    assert page.model.rows()[-1].name == "孙丽" and not page.model.rows()[-1].planned
    assert page.editor.round_id is None  # another home's resident: a visit outside this round
    assert "not at this round's institution" in page.editor.notice_label.text()
    page.activateWindow()  # the offscreen platform does not give activation back when the finder closes
    qtbot.waitUntil(page.isActiveWindow, timeout=WAIT_MS)
    type_into(qtbot, page, "pulse", "70")
    ctrl_enter(qtbot, page.editor.form.vital_edits["pulse"])
    qtbot.waitUntil(lambda: len(stored_visits(world)) == 1, timeout=WAIT_MS)
    [visit] = stored_visits(world)
    assert (visit.resident_id, visit.round_id, visit.visit_date) == (world["孙丽"], None, TODAY)


# --- languages --------------------------------------------------------------------------------------------------------


def test_the_page_speaks_chinese(qtbot: QtBot, qapp: QApplication, world: dict[str, Any]) -> None:
    install_translators(qapp, "zh_CN")
    try:
        page = open_page(qtbot, world)
        form = page.editor.form
        assert page.find_button.text() == "查找居民…（Ctrl+F）"
        heading = page.findChildren(QLabel)[0]
        assert heading.text() == "巡诊记录"  # the navigation's name for the page
        assert page.legend_label.text() == "✓ 已记录，数值正常 · ▲ 有异常值 · ‼ 危急值 · ✎ 尚未保存 · ☆ 计划外"
        assert page.model.headerData(2, Qt.Orientation.Horizontal) == "姓名"
        assert form.outcome_combo.currentText() == "已巡诊"
        type_into(qtbot, page, "sbp", "350")
        assert form.vital_flags["sbp"].text() == "⚠ 超出可录入范围 50–300 mmHg，请检查是否输错"
        assert page.editor.save_button.text().startswith("保存并下一位")
    finally:
        install_translators(qapp, "en")


# --- which round the page opens on; what the sheet's marks mean; the layout ------------------------------------------


def _team_round(world: dict[str, Any], day: date) -> tuple[str, str]:
    """Give today's round at 康宁养老院 to a second team and add a round of the nurse's team on ``day``."""
    with world["context"].uow() as uow:
        other = Team(name="第二家庭医生团队")
        uow.session.add(other)
        uow.session.flush()
        today_round = uow.session.get(Round, world["round"])
        today_round.team_id = other.id
        uow.session.add(today_round)
        nurse_team = uow.session.get(Staff, world["nurse"]).team_id
        own = Round(institution_id=world["other_home"], round_date=day, status="planned", team_id=nurse_team)
        uow.session.add(own)
        uow.commit()
        return own.id, other.name


@pytest.mark.parametrize(
    ("offset", "caption"),
    [
        (0, "Your team's round today"),
        (2, "No round of your team today: its next round, on 2026-11-18"),
        (-3, "No round of your team today or to come: its most recent round, on 2026-11-13"),
    ],
)
def test_the_page_opens_on_the_signed_in_users_teams_round(
    qtbot: QtBot, world: dict[str, Any], offset: int, caption: str
) -> None:
    own, other_team = _team_round(world, TODAY + timedelta(days=offset))
    page = open_page(qtbot, world)
    assert page.sheet is not None and page.sheet.round_id == own
    assert page.round_combo.currentData() == own
    assert page.round_caption.text() == caption
    # the other team's round of today is still there to choose, and choosing it says no more "your team's"
    index = page.round_combo.findData(world["round"])
    assert index >= 0 and other_team in page.round_combo.itemText(index)
    with run_sync_for_tests():
        page.round_combo.setCurrentIndex(index)
        page.round_combo.activated.emit(index)
    qtbot.waitUntil(lambda: page.sheet is not None and page.sheet.round_id == world["round"], timeout=WAIT_MS)
    assert page.round_caption.text() == ""


def test_without_a_team_round_the_page_opens_on_todays_round(qtbot: QtBot, world: dict[str, Any]) -> None:
    page = open_page(qtbot, world)  # the world's rounds belong to no team
    assert page.sheet is not None and page.sheet.round_id == world["round"]
    assert page.round_caption.text() == "Today's round"


def test_every_mark_of_the_recorded_column_is_explained(qtbot: QtBot, world: dict[str, Any]) -> None:
    page = open_page(qtbot, world)
    legend = page.legend_label.text()
    assert page.legend_label.isVisible()
    for mark in ("✓", "▲", "‼", "✎", "☆"):
        assert mark in legend, mark
    assert page.count_label.text() == "0 of 4 recorded"
    assert_every_glyph_in_the_cjk_font(legend)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_glucose_unit_keeps_its_width_and_the_fasting_box_sits_under_the_glucose(
    qtbot: QtBot, qapp: QApplication, world: dict[str, Any], language: str
) -> None:
    install_translators(qapp, language)
    try:
        page = open_page(qtbot, world)
        form = page.editor.form
        unit, fasting = form.unit_labels["glucose"], form.fasting_check
        assert unit.width() >= unit.fontMetrics().horizontalAdvance("mmol/L")
        # the box sits under the glucose box (two measures a row, each caption left of its box: the vitals and the
        # classes fit a 1280×720 laptop at 125 %), clear of the unit and of the caption
        glucose = form.vital_edits["glucose"]
        caption = next(label for label in form.findChildren(QLabel) if label.buddy() is glucose)

        def place(widget: QWidget) -> Any:
            return QRect(widget.mapTo(form, QPoint(0, 0)), widget.size())

        assert place(caption).right() < place(glucose).left() and place(glucose).right() < place(unit).left()
        assert place(fasting).top() > place(glucose).bottom()
        assert abs(place(fasting).left() - place(glucose).left()) <= 8
        assert not place(fasting).intersects(place(unit)) and not place(fasting).intersects(place(caption))
    finally:
        install_translators(qapp, "en")


# --- issue 14, item 2: the save button does what Ctrl+Enter does -------------------------------------------------


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_save_and_next_by_mouse_or_keyboard_saves_once_and_opens_the_next_resident(
    qtbot: QtBot, world: dict[str, Any], how: str
) -> None:
    # a mouse click on 保存并下一位 saved, stayed on the same resident and reopened the typing as a correction
    page = open_page(qtbot, world)
    form = page.editor.form
    with qtbot.waitSignal(page.editor.draft_written, timeout=WAIT_MS):  # a draft is on disk when the save starts
        type_into(qtbot, page, "sbp", "132")
        type_into(qtbot, page, "dbp", "84")
    if how == "mouse":
        qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(form.vital_edits["dbp"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.editor.info is not None and page.editor.info.name == "李建国", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.editor.isEnabled() and form.outcome_combo.hasFocus(), timeout=WAIT_MS)
    assert not form.locked and not page.editor.correcting and page.editor.notice_label.isHidden()
    assert [(v.sbp, v.dbp, v.version) for v in stored_visits(world)] == [(132, 84, 1)]
    assert page.table.currentIndex().row() == 1
    qtbot.waitUntil(lambda: DraftStore(world["path"]).load(world["张红丽"], world["round"]) is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.model.data(page.model.index(0, 4)) == "✓ Seen", timeout=WAIT_MS)  # ✎ gone too


# --- issue #16: a classification per disease, the follow-up form, referrals --------------------------------------


def test_each_disease_is_classified_from_the_values_with_the_age_target_and_a_referral_closes(
    qtbot: QtBot, world: dict[str, Any]
) -> None:
    context = world["context"]
    context.actor_id = world["doctor"]
    save_condition(context.uow(), resident_id=world["张红丽"], code="diabetes_t2", today=TODAY)
    context.actor_id = world["nurse"]
    with context.uow() as uow:  # an open referral of two weeks ago
        from app.store.models import Referral

        uow.session.add(
            Referral(resident_id=world["张红丽"], destination="示范区中心医院", opened_on=TODAY - timedelta(days=14))
        )
        uow.commit()
    page = open_page(qtbot, world)
    form = page.editor.form
    assert page.editor.info is not None and page.editor.info.name == "张红丽"
    combos = form.follow_up_combos
    assert all(combo.isVisibleTo(form) for combo in combos.values()) and form.foot_pulse_combo.isVisibleTo(form)
    type_into(qtbot, page, "sbp", "145")
    type_into(qtbot, page, "dbp", "85")
    assert combos[Disease.HYPERTENSION].currentData() == "controlled"  # 145/85 at 86 years old: below 150/90
    assert "150/90" in form.follow_up_suggestions[Disease.HYPERTENSION].text()
    type_into(qtbot, page, "glucose", "8.1")
    form.fasting_check.setChecked(True)
    assert combos[Disease.DIABETES].currentData() == "not_controlled"
    assert not form.referral_proposal.isVisibleTo(form)
    combos[Disease.DIABETES].setCurrentIndex(combos[Disease.DIABETES].findData("complication"))
    combos[Disease.DIABETES].activated.emit(combos[Disease.DIABETES].currentIndex())
    assert form.referral_proposal.isVisibleTo(form) and "diabetes" in form.referral_proposal.text()
    form.height_edit.setText("158")
    type_into(qtbot, page, "weight", "55")
    assert form.bmi_label.text() == "BMI 22.0"
    form.adherence_combo.setCurrentIndex(form.adherence_combo.findData("regular"))
    assert form.open_referral_label.isVisibleTo(form) and "示范区中心医院" in form.open_referral_label.text()
    form.referral_outcome_combo.setCurrentIndex(form.referral_outcome_combo.findData("returned"))
    ctrl_enter(qtbot, form.vital_edits["sbp"])
    qtbot.waitUntil(lambda: page.editor.info is not None and page.editor.info.name != "张红丽", timeout=WAIT_MS)
    [visit] = stored_visits(world)
    assert (visit.hypertension_class, visit.diabetes_class, visit.chronic_class) == (
        "controlled", "complication", "complication",
    )  # fmt: skip
    assert (visit.adherence, visit.height) == ("regular", 158.0)
    with context.uow() as uow:
        from app.store.models import Referral

        [referral] = uow.session.exec(select(Referral)).all()
        assert (referral.outcome, referral.closed_on) == ("returned", TODAY)
