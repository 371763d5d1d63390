"""The visit page (app.ui.visits.page): round sheet, keyboard flow, checks as typed, locks, corrections, drafts."""

from __future__ import annotations

import ctypes
import itertools
import os
import queue
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import PySide6
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain.follow_up import Disease
from app.domain.idcard import make_id_number
from app.domain.visits import VisitEntry, VisitOutcome
from app.services.institutions import save_institution
from app.services.records.load import save_condition
from app.services.records.residents import create_resident
from app.services.visits.drafts import Draft, DraftStore
from app.services.visits.save import record_visit
from app.store.models import Resident, Round, Staff, Team, Visit
from app.ui.shell import tasks
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import run_sync_for_tests
from app.ui.visits import drafts as visit_drafts
from app.ui.visits import editor as visit_editor
from app.ui.visits.page import VisitPage

TODAY = date(2026, 11, 16)
ROOT = Path(__file__).resolve().parents[3]
WAIT_MS = 10_000

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def keep_singletons_alive() -> None:
    """Work around PySide6 6.12.0 on CPython 3.11, which drops a reference to None on every call of a void Qt
    method (and to True on every ``emit()``): give None, True and False the extra references they lose, as
    CPython 3.12 does by making them immortal, so the test process does not abort with "none_dealloc".
    """
    if sys.version_info < (3, 12) and tuple(PySide6.__version_info__[:2]) == (6, 12):
        for singleton in (None, True, False):
            ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 30


keep_singletons_alive()

NAMES = ("张红丽", "李建国", "王秀英", "赵伟")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A home with a round today and last week, four residents due (张红丽 has hypertension), one elsewhere."""
    path = tmp_path_factory.mktemp("visit-page") / "center.sqlite"
    context = open_context(path)
    try:
        ids = build_world(context)
    finally:
        context.close()
    return path, ids


def build_world(context: AppContext) -> dict[str, str]:
    with context.uow() as uow:
        team = Team(name="第一家庭医生团队")
        uow.session.add(team)
        uow.session.flush()
        nurse = Staff(name="陈立群", role="nurse", login="nurse1", password_hash="x", team_id=team.id)
        doctor = Staff(name="周海燕", role="doctor", login="doctor1", password_hash="x", team_id=team.id)
        uow.session.add_all([nurse, doctor])
        uow.commit()
        ids = {"nurse": nurse.id, "doctor": doctor.id}
    ids["home"] = save_institution(
        context.uow(), name="康宁养老院", kind="nursing_home", beds=200, green_channel_hospital="示范区中心医院"
    )
    ids["other_home"] = save_institution(context.uow(), name="枫林敬老院", kind="nursing_home", beds=80)
    for seq, name in enumerate(NAMES):
        ids[name] = create_resident(
            context.uow(),
            name=name,
            id_number=make_id_number("310104", date(1940, 3, 1 + seq), seq, "MF"[seq % 2]),
            institution_id=ids["home"],
            building="A",
            room=str(101 + seq),
            bed="1",
            admission_date=date(2020, 1, 5),
            today=TODAY,
        ).resident_id
    ids["孙丽"] = create_resident(
        context.uow(),
        name="孙丽",
        id_number=make_id_number("310104", date(1938, 5, 5), 9, "F"),
        institution_id=ids["other_home"],
        building="B",
        room="1",
        bed="1",
        admission_date=date(2021, 1, 1),
        today=TODAY,
    ).resident_id
    context.actor_id = ids["doctor"]
    save_condition(context.uow(), resident_id=ids["张红丽"], code="hypertension", today=TODAY)
    context.actor_id = None
    with context.uow() as uow:
        today_round = Round(institution_id=ids["home"], round_date=TODAY, status="planned")
        past_round = Round(institution_id=ids["home"], round_date=TODAY - timedelta(days=7), status="done")
        uow.session.add_all([today_round, past_round])
        uow.commit()
        ids.update(round=today_round.id, past_round=past_round.id)
    return ids


@pytest.fixture
def world(template: tuple[Path, dict[str, str]], tmp_path: Path, qapp: QApplication) -> Iterator[dict[str, Any]]:
    install_translators(qapp, "en")
    path = tmp_path / "center.sqlite"
    shutil.copyfile(template[0], path)
    context = open_context(path)
    context.actor_id = template[1]["nurse"]
    yield {**template[1], "context": context, "path": path}
    context.close()


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """Fail on an error the screens would show in a message box (a box would wait for a click, a hang)."""
    shown: list[BaseException] = []
    monkeypatch.setattr(tasks, "show_error", lambda parent, error: shown.append(error))
    monkeypatch.setattr(visit_editor, "show_error", lambda parent, error: shown.append(error))
    yield shown
    assert not shown, f"errors shown to the user: {shown!r}"


class Answers:
    """The questions of the page, answered as the test says; each question asked is remembered."""

    def __init__(
        self, *, urgent: bool = True, status: bool | None = True, duplicate: bool = True, drafts: str = "later"
    ) -> None:
        self.urgent, self.status, self.duplicate, self.drafts = urgent, status, duplicate, drafts
        self.asked: list[str] = []

    def save_urgent_without_referral(self, lines: Sequence[str]) -> bool:
        self.asked.append("urgent: " + " / ".join(lines))
        return self.urgent

    def change_status(self, name: str, outcome: VisitOutcome, day: date) -> bool | None:
        self.asked.append(f"status: {name} {outcome.value} {day}")
        return self.status

    def correct_duplicate(self, message: str) -> bool:
        self.asked.append("duplicate: " + message)
        return self.duplicate

    def offer_drafts(self, drafts: Sequence[Draft]) -> str:
        self.asked.append("drafts: " + ", ".join(d.resident_name for d in drafts))
        return self.drafts


def open_page(qtbot: QtBot, world: dict[str, Any], answers: Answers | None = None) -> VisitPage:
    page = VisitPage(world["context"], today=lambda: TODAY, questions=answers or Answers())  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1200, 800)
    with run_sync_for_tests():
        page.show()
        qtbot.waitUntil(lambda: page.sheet is not None and page.editor.isEnabled(), timeout=WAIT_MS)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=WAIT_MS)  # shortcuts and focus need the active window
    return page


def type_into(qtbot: QtBot, page: VisitPage, name: str, text: str) -> None:
    edit = page.editor.form.vital_edits[name]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def stored_visits(world: dict[str, Any]) -> list[Visit]:
    with world["context"].uow() as uow:
        return list(uow.session.exec(select(Visit)))


def ctrl_enter(qtbot: QtBot, widget: QWidget) -> None:
    with run_sync_for_tests():
        qtbot.keyClick(widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def assert_every_glyph_in_the_cjk_font(text: str) -> None:
    """Every character of ``text`` has a glyph in the UI font backed by the CJK family (as the app installs it)."""
    from PySide6.QtGui import QFont, QFontMetrics

    from app.ui.shell.fonts import find_cjk_family

    family = find_cjk_family()
    if family is None:
        pytest.skip("no CJK font on this machine")
    font = QFont()
    font.setFamilies([QApplication.font().family(), family])
    metrics = QFontMetrics(font)
    missing = {char for char in text if not char.isspace() and not metrics.inFontUcs4(ord(char))}
    assert not missing, f"no glyph for {missing} in {text!r}"


def looks_read_only(widget: QWidget) -> bool:
    """The field's inside is painted in the window's colour rather than the white of a field to type into."""
    from PySide6.QtGui import QPalette

    image = widget.grab().toImage()
    inside = image.pixelColor(5, image.height() // 2)
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert window != base
    return inside == window


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
        assert first.nextInFocusChain() is second or _next_focus(first) is second
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


def _next_focus(widget: QWidget) -> QWidget:
    following = widget.nextInFocusChain()
    while not following.isVisible() or following.focusPolicy() == Qt.FocusPolicy.NoFocus:
        following = following.nextInFocusChain()
    return following


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


# --- locks, corrections, duplicates -----------------------------------------------------------------------------------


def test_a_saved_visit_is_locked_and_a_correction_is_saved_as_version_2(qtbot: QtBot, world: dict[str, Any]) -> None:
    first = record_visit(
        world["context"].uow(),
        resident_id=world["张红丽"],
        round_id=world["round"],
        visit_date=TODAY,
        entry=VisitEntry(sbp=150, dbp=90),
        today=TODAY,
    )
    page = open_page(qtbot, world)
    with run_sync_for_tests():
        page.table.selectRow(0)
    form = page.editor.form
    assert form.locked and form.vital_edits["sbp"].isReadOnly() and form.vital_edits["sbp"].text() == "150"
    assert "Saved visit, version 1" in form.lock_label.text()
    assert_every_glyph_in_the_cjk_font(form.lock_label.text())  # no empty box where an emoji was
    assert looks_read_only(form.vital_edits["pulse"]) and looks_read_only(form.text_edits["findings"])
    assert page.model.data(page.model.index(0, 4)) == "▲ Seen"
    ctrl_enter(qtbot, form.vital_edits["sbp"])  # on a locked visit Ctrl+Enter only moves on
    assert len(stored_visits(world)) == 1
    with run_sync_for_tests():
        page.table.selectRow(0)
    with run_sync_for_tests():
        qtbot.keyClick(form.vital_edits["sbp"], Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert not form.locked and "Correcting version 1: saving makes version 2" in form.lock_label.text()
    assert not looks_read_only(form.vital_edits["pulse"]) and not looks_read_only(form.text_edits["findings"])
    type_into(qtbot, page, "sbp", "135")
    ctrl_enter(qtbot, form.vital_edits["sbp"])
    qtbot.waitUntil(lambda: len(stored_visits(world)) == 2, timeout=WAIT_MS)
    new = next(v for v in stored_visits(world) if v.version == 2)
    assert (new.sbp, new.dbp, new.corrects_id) == (135, 90, first.visit_id)
    assert page.model.row_at(0).visit is not None and page.model.row_at(0).visit.version == 2


def test_a_visit_recorded_meanwhile_is_not_duplicated_the_user_is_offered_to_correct_it(
    qtbot: QtBot, world: dict[str, Any]
) -> None:
    answers = Answers(duplicate=True)
    page = open_page(qtbot, world, answers)
    type_into(qtbot, page, "pulse", "66")
    # another device's visit arrives by sync while the nurse is typing
    record_visit(
        world["context"].uow(),
        resident_id=world["张红丽"],
        round_id=world["round"],
        visit_date=TODAY,
        entry=VisitEntry(pulse=80),
        today=TODAY,
    )
    ctrl_enter(qtbot, page.editor.form.vital_edits["pulse"])
    qtbot.waitUntil(lambda: len(stored_visits(world)) == 2, timeout=WAIT_MS)
    assert answers.asked[0].startswith("duplicate: 张红丽 already has a visit at this round")
    versions = sorted((v.version, v.pulse) for v in stored_visits(world))
    assert versions == [(1, 80), (2, 66)]


def test_hospitalized_asks_before_changing_the_residence_status(qtbot: QtBot, world: dict[str, Any]) -> None:
    answers = Answers(status=True)
    page = open_page(qtbot, world, answers)
    form = page.editor.form
    form.outcome_combo.setCurrentIndex(form.outcome_combo.findData("hospitalized"))
    assert not form.vital_edits["sbp"].isEnabled()  # no vitals for a resident not seen
    ctrl_enter(qtbot, form.outcome_combo)
    qtbot.waitUntil(lambda: len(stored_visits(world)) == 1, timeout=WAIT_MS)
    assert answers.asked == [f"status: 张红丽 hospitalized {TODAY}"]
    with world["context"].uow() as uow:
        resident = uow.session.get(Resident, world["张红丽"])
        assert resident is not None and resident.status == "hospitalized"


def test_a_visit_at_last_weeks_round_is_a_late_entry_with_a_reason(qtbot: QtBot, world: dict[str, Any]) -> None:
    page = open_page(qtbot, world)
    with run_sync_for_tests():
        page.open_round(world["past_round"])
    form = page.editor.form
    assert form.date_edit.text() == (TODAY - timedelta(days=7)).isoformat()
    assert form.late_reason.isVisible() and form.late_reason.text() == "Typed from the paper round sheet"
    type_into(qtbot, page, "pulse", "70")
    ctrl_enter(qtbot, form.vital_edits["pulse"])
    qtbot.waitUntil(lambda: len(stored_visits(world)) == 1, timeout=WAIT_MS)
    [visit] = stored_visits(world)
    assert (visit.visit_date, visit.late_reason, visit.round_id) == (
        TODAY - timedelta(days=7),
        "Typed from the paper round sheet",
        world["past_round"],
    )


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


# --- drafts -----------------------------------------------------------------------------------------------------------


def test_typing_writes_a_draft_that_is_offered_back_and_removed_once_saved(qtbot: QtBot, world: dict[str, Any]) -> None:
    page = open_page(qtbot, world)
    store = DraftStore(world["path"])
    with qtbot.waitSignal(page.editor.draft_written, timeout=WAIT_MS):
        type_into(qtbot, page, "sbp", "148")
        page.editor.form.text_edits["findings"].setPlainText("夜间咳嗽")
    draft = store.load(world["张红丽"], world["round"])
    assert draft is not None and draft.values["sbp"] == "148" and draft.values["findings"] == "夜间咳嗽"
    assert page.model.data(page.model.index(0, 4)) == "✎ unsaved"
    page.close()

    answers = Answers(drafts="open")
    again = open_page(qtbot, world, answers)
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=WAIT_MS)
    assert answers.asked == ["drafts: 张红丽"]
    qtbot.waitUntil(lambda: again.editor.form.vital_edits["sbp"].text() == "148", timeout=WAIT_MS)
    assert again.editor.form.text_edits["findings"].toPlainText() == "夜间咳嗽"
    assert "Restored an unsaved entry" in again.editor.notice_label.text()
    type_into(qtbot, again, "dbp", "88")
    ctrl_enter(qtbot, again.editor.form.vital_edits["dbp"])
    qtbot.waitUntil(lambda: store.load(world["张红丽"], world["round"]) is None, timeout=WAIT_MS)
    assert store.load(world["张红丽"], world["round"]) is None
    assert [(v.sbp, v.dbp) for v in stored_visits(world)] == [(148, 88)]


def test_a_draft_is_offered_to_its_author_and_not_to_the_next_person_who_signs_in(
    qtbot: QtBot, world: dict[str, Any]
) -> None:
    page = open_page(qtbot, world)  # nurse1 types
    with qtbot.waitSignal(page.editor.draft_written, timeout=WAIT_MS):
        type_into(qtbot, page, "sbp", "151")
    page.close()

    world["context"].actor_id = world["doctor"]  # the doctor signs in on the same computer
    answers = Answers(drafts="open")
    doctor_page = VisitPage(world["context"], today=lambda: TODAY, questions=answers)  # type: ignore[arg-type]
    qtbot.addWidget(doctor_page)
    with qtbot.waitSignal(doctor_page.drafts_checked, timeout=WAIT_MS) as checked:
        doctor_page.show()
    qtbot.waitUntil(lambda: doctor_page.sheet is not None and doctor_page.editor.isEnabled(), timeout=WAIT_MS)
    assert checked.args == [[]] and answers.asked == []
    assert doctor_page.editor.form.vital_edits["sbp"].text() == ""  # the nurse's typing is not put in the form
    assert doctor_page.model.data(doctor_page.model.index(0, 4)) != "✎ unsaved"
    doctor_page.close()

    world["context"].actor_id = world["nurse"]  # nurse1 again: offered back
    answers = Answers(drafts="open")
    again = open_page(qtbot, world, answers)
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=WAIT_MS)
    assert answers.asked == ["drafts: 张红丽"]
    qtbot.waitUntil(lambda: again.editor.form.vital_edits["sbp"].text() == "151", timeout=WAIT_MS)


TYPIST = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from datetime import date
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    import ctypes
    import PySide6
    if sys.version_info < (3, 12) and tuple(PySide6.__version_info__[:2]) == (6, 12):
        for singleton in (None, True, False):  # see keep_singletons_alive()
            ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 30
    from app.bootstrap import open_context
    from app.ui.shell import tasks
    from app.ui.visits.page import VisitPage

    def fail(parent, error):  # a message box would wait for a click nobody makes: say why and stop
        print(f"error: {error!r}", file=sys.stderr, flush=True)
        os._exit(3)

    tasks.show_error = fail

    class Later:
        def offer_drafts(self, drafts):
            return "later"

    context = open_context(sys.argv[1])
    context.actor_id = sys.argv[2]
    page = VisitPage(context, today=lambda: date(2026, 11, 16), questions=Later())
    form = page.editor.form

    def loaded(_info):
        page.editor.loaded.disconnect(loaded)
        QTest.keyClicks(form.vital_edits["sbp"], "163")
        form.text_edits["findings"].insertPlainText("胸闷")

    def written(_path):
        print("typed", flush=True)
        QTest.keyClicks(form.vital_edits["pulse"], "8")  # still typing when the kill comes

    page.editor.loaded.connect(loaded)
    page.editor.draft_written.connect(written)
    page.show()
    app.exec()
    """
)


def first_line(process: subprocess.Popen[str], *, timeout: float) -> str:
    """Return the first line the process prints, or "" if it prints none within ``timeout`` seconds."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout).strip()
    except queue.Empty:
        return ""


def test_a_form_being_typed_survives_a_kill_and_is_offered_on_the_next_start(
    qtbot: QtBot, world: dict[str, Any]
) -> None:
    world["context"].close()  # the other process owns the file while it runs
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    errors = world["path"].with_name("typist.err")
    with errors.open("w", encoding="utf-8") as stderr:
        typist = subprocess.Popen(
            [sys.executable, "-c", TYPIST, str(world["path"]), world["nurse"]],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            line = first_line(typist, timeout=60)
        finally:
            typist.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
            typist.wait(timeout=20)
    assert line == "typed", errors.read_text(encoding="utf-8")[-3000:]
    world["context"] = open_context(world["path"])
    world["context"].actor_id = world["nurse"]
    answers = Answers(drafts="open")
    page = open_page(qtbot, world, answers)
    qtbot.waitUntil(lambda: page.editor.form.vital_edits["sbp"].text() == "163", timeout=WAIT_MS)
    assert answers.asked == ["drafts: 张红丽"]
    assert page.editor.form.text_edits["findings"].toPlainText() == "胸闷"
    assert stored_visits(world) == []  # nothing was saved: the draft is all there is, and it is whole


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


class UndoAnswers(Answers):
    """Answers that also say whether a correction undoes the status its visit set."""

    def __init__(self, *, undo: bool | None) -> None:
        super().__init__()
        self.undo = undo

    def undo_status(self, name: str, found: Any) -> bool | None:
        self.asked.append(f"undo: {name} {found.status.value} {found.on_date} → {found.restores.value}")
        return self.undo


def test_correcting_a_death_to_seen_asks_and_undoes_the_status(qtbot: QtBot, world: dict[str, Any]) -> None:
    record_visit(
        world["context"].uow(),
        resident_id=world["张红丽"],
        round_id=world["round"],
        visit_date=TODAY,
        entry=VisitEntry(outcome="deceased"),
        update_status=True,
        today=TODAY,
    )
    answers = UndoAnswers(undo=True)
    page = open_page(qtbot, world, answers)
    with run_sync_for_tests():
        page.table.selectRow(0)
    form = page.editor.form
    assert page.editor.info is not None and page.editor.info.name == "张红丽" and form.locked
    with run_sync_for_tests():
        qtbot.keyClick(form.vital_edits["sbp"], Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    form.outcome_combo.setCurrentIndex(form.outcome_combo.findData("seen"))
    type_into(qtbot, page, "sbp", "120")
    type_into(qtbot, page, "dbp", "80")
    ctrl_enter(qtbot, form.vital_edits["dbp"])
    qtbot.waitUntil(lambda: len(stored_visits(world)) == 2, timeout=WAIT_MS)
    assert answers.asked == [f"undo: 张红丽 deceased {TODAY} → in_residence"]
    qtbot.waitUntil(lambda: "Status back to: In residence" in page.editor.result_label.text(), timeout=WAIT_MS)
    with world["context"].uow() as uow:
        resident = uow.session.get(Resident, world["张红丽"])
        assert resident is not None and resident.status == "in_residence"


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


def test_a_save_that_stays_on_the_resident_never_reopens_its_own_draft_as_a_correction(
    qtbot: QtBot, world: dict[str, Any]
) -> None:
    # the editor alone (as in the record's correction dialog) reloads after a save; the draft file was still
    # there while the reload read it (removed on the drafts thread, read on the database thread)
    page = open_page(qtbot, world)
    editor = page.editor
    with qtbot.waitSignal(editor.draft_written, timeout=WAIT_MS):
        type_into(qtbot, page, "pulse", "72")
    release = threading.Event()
    visit_drafts.drafts_pool().start(lambda: release.wait(WAIT_MS / 1000))  # the drafts thread is busy
    try:
        with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
            editor.save()
        # the reload may not wait for the drafts thread to come back: it reads the database only
        qtbot.waitUntil(lambda: editor.isEnabled() and editor.shown is not None, timeout=WAIT_MS)
    finally:
        release.set()
    qtbot.waitUntil(lambda: DraftStore(world["path"]).load(world["张红丽"], world["round"]) is None, timeout=WAIT_MS)
    assert editor.form.locked
    assert not editor.correcting and editor.notice_label.isHidden()
    assert [v.pulse for v in stored_visits(world)] == [72]


def test_discarding_the_drafts_also_clears_the_form_showing_one(qtbot: QtBot, world: dict[str, Any]) -> None:
    """Issue 14 §10: "全部放弃" deleted the drafts but left their values in the form (and dirty, to be saved)."""
    page = open_page(qtbot, world)
    store = DraftStore(world["path"])
    with qtbot.waitSignal(page.editor.draft_written, timeout=WAIT_MS):
        type_into(qtbot, page, "sbp", "148")
    page.close()

    answers = Answers(drafts="discard")
    again = open_page(qtbot, world, answers)
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=WAIT_MS)
    assert answers.asked == ["drafts: 张红丽"]
    qtbot.waitUntil(lambda: store.load(world["张红丽"], world["round"]) is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: again.editor.form.vital_edits["sbp"].text() == "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: again.editor.isEnabled(), timeout=WAIT_MS)
    assert not again.editor.is_dirty() and again.editor.notice_label.isHidden()
    assert again.editor.info is not None and again.editor.info.resident_id == world["张红丽"]
    assert not again.drafts_button.isVisible()
    assert store.load(world["张红丽"], world["round"]) is None


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
