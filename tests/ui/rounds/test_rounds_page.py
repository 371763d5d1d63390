"""The week view (app.ui.rounds.page) and the PDF preview (app.ui.widgets.pdf_preview)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.services.rounds.plan import cancel_round, plan_week
from app.store.uow import UnitOfWork
from app.ui.rounds.page import RoundsPage
from app.ui.rounds.widgets import CancelDialog, DayDialog, DueModel
from app.ui.shell.i18n import install_translators
from app.ui.widgets.pdf_preview import PdfPreviewDialog

TODAY = date(2026, 11, 18)  # a Wednesday: Monday's and Tuesday's rounds are held, the rest planned
WAIT_MS = 20_000

pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"), pytest.mark.usefixtures("english")]


@pytest.fixture
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=200, seed=8, today=TODAY)


@pytest.fixture
def doctor(demo_file: Path, open_copy: Callable[..., AppContext]) -> AppContext:
    return open_copy(demo_file, "doctor1")


def open_page(qtbot: QtBot, context: AppContext) -> RoundsPage:
    page = RoundsPage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        page.show()
    return page


def test_the_week_shows_every_round_in_its_team_and_day_with_residents_due(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    plan = plan_week(doctor.uow(), week=TODAY, today=TODAY)
    assert page.week_label.text() == "2026-W47 · 11-16 – 11-22"
    assert set(page.round_buttons) == {r.id for r in plan.rounds}
    for planned in plan.rounds:
        text = page.round_buttons[planned.id].text()
        assert text.startswith(planned.institution)
        if planned.past:
            assert f"{planned.seen} seen" in text
        else:
            assert f"{len(planned.due)} due · ● Red {planned.due_by_colour[TriageColour.RED]}" in text
    chosen = page.selected_round()
    assert chosen is not None and not chosen.past and chosen.day == TODAY
    assert page.due_model.rowCount() == len(chosen.due) > 0
    assert page.due_model.index(0, DueModel.COLOUR).data() == chosen.due[0].colour.badge
    assert page.due_model.index(0, 7).data() == chosen.due[0].reasons[0].text(TODAY)
    assert page.gaps_label.isHidden()


def test_choosing_a_held_round_shows_who_was_seen(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    held = next(r for r in page.plan.rounds if r.past)  # type: ignore[union-attr]
    qtbot.mouseClick(page.round_buttons[held.id], Qt.MouseButton.LeftButton)
    assert page.selected_round() == held
    assert f"held; {held.seen} seen" in page.detail_label.text()
    assert page.due_model.rowCount() == 0
    # no empty table under a "why due" header: the table's place says what happened and where to look
    assert page.due_table.isHidden() and page.due_note.isVisible()
    assert page.due_note.text() == (
        f"This round was held on {held.day.isoformat()}: {held.seen} resident(s) seen. Residents due are listed "
        "for rounds still to come; use Record visits to see who was seen and what was recorded."
    )
    assert not page.move_button.isEnabled() or held.status != "done"
    upcoming = next(r for r in page.plan.rounds if not r.past and not r.cancelled)  # type: ignore[union-attr]
    qtbot.mouseClick(page.round_buttons[upcoming.id], Qt.MouseButton.LeftButton)
    assert page.due_table.isVisible() and page.due_note.isHidden()


def test_week_navigation_generates_the_next_weeks(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    for _ in range(2):
        with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
            qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.plan is not None and page.plan.monday == date(2026, 11, 30) and page.plan.rounds
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        qtbot.mouseClick(page.this_week_button, Qt.MouseButton.LeftButton)
    assert page.plan.monday == date(2026, 11, 16)


def test_moving_a_round(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    chosen = page.selected_round()
    assert chosen is not None and page.move_button.isEnabled()
    page.move_selected()
    dialog = page.findChild(DayDialog)
    assert dialog is not None
    target = chosen.day + timedelta(days=2)
    dialog.date_edit.setDate(QDate(target.year, target.month, target.day))
    with qtbot.waitSignal(page.changed, timeout=WAIT_MS), qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        dialog.accept()
    moved = page.plan.round(chosen.id)  # type: ignore[union-attr]
    assert moved is not None and moved.day == target and moved.moved_from == chosen.day
    assert "moved from 11-18" in page.round_buttons[chosen.id].text()


def test_cancelling_a_round_needs_a_reason_and_shows_the_agreement_gap(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    plan = page.plan
    assert plan is not None
    once = next(
        r for r in plan.rounds if not r.past and sum(o.institution_id == r.institution_id for o in plan.rounds) == 1
    )
    qtbot.mouseClick(page.round_buttons[once.id], Qt.MouseButton.LeftButton)
    page.cancel_selected()
    dialog = page.findChild(CancelDialog)
    assert dialog is not None
    ok = dialog.cancel_round_button
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "home closed for flu")
    assert ok.isEnabled()
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert page.plan.round(once.id).cancelled  # type: ignore[union-attr]
    assert page.gaps_label.isVisible() and once.institution in page.gaps_label.text()
    assert "Cancelled" in page.round_buttons[once.id].text()


def test_adding_a_round(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    count = len(page.round_buttons)
    page.add_round()
    qtbot.waitUntil(lambda: page.findChild(DayDialog) is not None, timeout=WAIT_MS)
    dialog = page.findChild(DayDialog)
    assert dialog is not None and dialog.institution_combo.count() >= 10
    dialog.date_edit.setDate(QDate(2026, 11, 21))
    institution = dialog.institution_combo.currentText()
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        dialog.accept()
    assert len(page.round_buttons) == count + 1
    added = next(r for r in page.plan.rounds if r.day == date(2026, 11, 21))  # type: ignore[union-attr]
    assert added.institution == institution


def test_a_nurse_cannot_change_rounds_but_can_print(
    qtbot: QtBot, demo_file: Path, open_copy: Callable[..., AppContext]
) -> None:
    page = open_page(qtbot, open_copy(demo_file, "nurse1"))
    assert not page.move_button.isEnabled() and not page.cancel_button.isEnabled()
    assert not page.add_button.isEnabled() and page.print_button.isEnabled()
    assert page.move_button.toolTip() == "Only a doctor or an administrator can change rounds"


def test_printing_the_round_sheet_opens_a_preview_that_saves_and_prints(
    qtbot: QtBot, doctor: AppContext, tmp_path: Path
) -> None:
    page = open_page(qtbot, doctor)
    chosen = page.selected_round()
    assert chosen is not None
    page.print_selected()
    qtbot.waitUntil(lambda: bool(page.window().findChildren(PdfPreviewDialog)), timeout=WAIT_MS)
    preview = page.window().findChildren(PdfPreviewDialog)[-1]
    qtbot.waitUntil(preview.print_button.isEnabled, timeout=WAIT_MS)  # the pages are on screen
    pages = preview.page_count
    assert pages >= 1 and preview.status_label.text().startswith(f"{pages} page(s).")
    assert preview.windowTitle() == f"Round sheet — {chosen.institution} {chosen.day.isoformat()}"
    target = tmp_path / "saved.pdf"
    with qtbot.waitSignal(preview.saved, timeout=WAIT_MS):
        preview.save_to(str(target))
    assert target.read_bytes() == preview.pdf.read_bytes()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(preview.printed, timeout=WAIT_MS):
        preview.print_to(printer)
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    preview.close()


def test_the_week_in_chinese(qtbot: QtBot, qapp: QApplication, doctor: AppContext) -> None:
    install_translators(qapp, "zh_CN")
    page = open_page(qtbot, doctor)
    assert page.week_label.text() == "2026-W47 · 11-16 至 11-22"
    chosen = page.selected_round()
    assert chosen is not None
    assert f"应访 {len(chosen.due)} 人" in page.round_buttons[chosen.id].text()
    assert page.due_model.headerData(7, Qt.Orientation.Horizontal) == "应访原因"
    assert page.due_model.index(0, DueModel.COLOUR).data() in {"● 红", "▲ 黄", "○ 绿"}


def test_a_move_reads_the_dialog_before_it_is_deleted(
    qtbot: QtBot, doctor: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why test_moving_a_round hung now and then: the day was read from the dialog on the database thread.

    When the database thread was busy, the dialog was already deleted (finished → deleteLater) by then; the
    read failed and the failure opened a modal message box that nobody closed. Here the thread is held busy
    until the dialog is gone, so the old code fails every time.
    """
    import threading

    from app.ui.shell import tasks
    from app.ui.shell.tasks import Op

    shown: list[BaseException] = []
    monkeypatch.setattr(tasks, "show_error", lambda parent, error: shown.append(error))
    page = open_page(qtbot, doctor)
    chosen = page.selected_round()
    assert chosen is not None
    page.move_selected()
    dialog = page.findChild(DayDialog)
    assert dialog is not None
    target = chosen.day + timedelta(days=1)
    dialog.date_edit.setDate(QDate(target.year, target.month, target.day))
    release = threading.Event()
    Op(page, lambda: release.wait(WAIT_MS / 1000)).run()  # the database thread is busy
    gone: list[bool] = []
    dialog.destroyed.connect(lambda: gone.append(True))  # not waitSignal: it cannot disconnect from the dead
    dialog.accept()
    qtbot.waitUntil(lambda: bool(gone), timeout=WAIT_MS)
    release.set()
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        pass
    assert shown == []
    moved = page.plan.round(chosen.id)  # type: ignore[union-attr]
    assert moved is not None and moved.day == target


@pytest.mark.parametrize(("login", "may_record"), [("doctor1", True), ("nurse1", True), ("assistant1", False)])
def test_record_visits_opens_the_chosen_round_for_roles_that_record_visits(
    qtbot: QtBot, demo_file: Path, open_copy: Callable[..., AppContext], login: str, may_record: bool
) -> None:
    page = open_page(qtbot, open_copy(demo_file, login))
    chosen = page.selected_round()
    assert chosen is not None and not chosen.cancelled
    assert page.record_button.isEnabled() == may_record
    opened: list[str] = []
    page.open_round_requested.connect(opened.append)
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert opened == ([chosen.id] if may_record else [])
    if not may_record:
        assert page.record_button.toolTip() == "Only doctors and nurses record visits"


def test_at_the_weekend_the_page_opens_on_the_coming_week(qtbot: QtBot, doctor: AppContext) -> None:
    sunday = date(2026, 11, 22)
    page = RoundsPage(doctor, today=lambda: sunday)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        page.show()
    assert page.plan is not None and page.plan.monday == date(2026, 11, 23)
    chosen = page.selected_round()
    assert chosen is not None and not chosen.past and page.due_model.rowCount() == len(chosen.due) > 0
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        qtbot.mouseClick(page.this_week_button, Qt.MouseButton.LeftButton)
    assert page.plan.monday == date(2026, 11, 16)  # the finished week is still one click away


def test_team_rows_follow_the_team_number_not_the_character_code(qtbot: QtBot, doctor: AppContext) -> None:
    from app.ui.rounds.widgets import team_sort_key

    names = [
        "第一家庭医生团队",
        "第三家庭医生团队",
        "第二家庭医生团队",
        "第十一家庭医生团队",
        "第十家庭医生团队",
        "Team 12",
        "Team 4",
        "护理组",
    ]
    assert sorted(names, key=team_sort_key) == [
        "第一家庭医生团队",
        "第二家庭医生团队",
        "第三家庭医生团队",
        "Team 4",
        "第十家庭医生团队",
        "第十一家庭医生团队",
        "Team 12",
        "护理组",
    ]
    page = open_page(qtbot, doctor)
    titles = [
        page.grid.itemAtPosition(row, 0).widget().text()
        for row in range(1, page.grid.rowCount())
        if page.grid.itemAtPosition(row, 0) is not None
    ]
    assert titles[:3] == ["第一家庭医生团队", "第二家庭医生团队", "第三家庭医生团队"]


def round_count(context: AppContext) -> int:
    with context.uow() as uow:
        return int(uow.fast_rows("SELECT COUNT(*) FROM round")[0][0])


def test_going_back_shows_past_weeks_as_held_and_generates_nothing(qtbot: QtBot, doctor: AppContext) -> None:
    page = open_page(qtbot, doctor)
    before = round_count(doctor)
    for _ in range(2):
        with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
            qtbot.mouseClick(page.previous_button, Qt.MouseButton.LeftButton)
    plan = page.plan
    assert plan is not None and plan.monday == date(2026, 11, 2) and plan.rounds and plan.created == 0
    assert all(r.past for r in plan.rounds) and set(page.round_buttons) == {r.id for r in plan.rounds}
    held = next(r for r in plan.rounds if r.seen)
    qtbot.mouseClick(page.round_buttons[held.id], Qt.MouseButton.LeftButton)
    assert f"held; {held.seen} seen" in page.detail_label.text() and page.due_note.isVisible()
    assert page.generated_label.isHidden()
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        page.show_week(date(2025, 7, 23))  # before any data: an empty week, still nothing generated
    assert page.plan is not None and page.plan.rounds == () and page.plan.created == 0
    assert round_count(doctor) == before


def test_the_page_says_when_rounds_were_generated_and_names_ended_agreements(
    qtbot: QtBot, qapp: QApplication, doctor: AppContext
) -> None:
    page = open_page(qtbot, doctor)
    with doctor.uow() as uow:
        name, ended, residents = uow.fast_rows(
            "SELECT i.name, a.end_date, (SELECT COUNT(*) FROM resident r WHERE r.institution_id = i.id "
            "AND r.status = 'in_residence' AND r.deleted = 0) FROM agreement a "
            "JOIN institution i ON i.id = a.institution_id WHERE a.end_date < :d",
            {"d": TODAY.isoformat()},
        )[0]
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        page.show_week(TODAY + timedelta(weeks=4))
    plan = page.plan
    assert plan is not None and plan.created == len(plan.rounds) > 0
    assert page.generated_label.isVisible()
    assert page.generated_label.text() == f"Generated {plan.created} round(s) from the agreements."
    assert page.ended_label.isVisible()
    lines = page.ended_label.text().split("\n")
    assert f"⚠ {name}: agreement ended {ended} — {residents} residents not covered" in lines
    assert len(lines) == len(plan.ended)
    install_translators(qapp, "zh_CN")
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        page.refresh()  # nothing left to generate: the note goes
    assert page.generated_label.isHidden()
    assert f"⚠ {name}：协议于 {ended} 到期 — {residents} 名在住居民无人巡诊" in page.ended_label.text().split("\n")


# --- issue 14, item 6 -------------------------------------------------------------------------------------------


def cancel_by_dialog(qtbot: QtBot, page: RoundsPage, round_id: str) -> None:
    qtbot.mouseClick(page.round_buttons[round_id], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(CancelDialog)
    assert dialog is not None
    qtbot.keyClicks(dialog.reason_edit, "home closed for flu")
    with qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)  # the default button: Cancel round


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_cancel_dialogs_buttons_say_what_they_do(
    qtbot: QtBot, qapp: QApplication, doctor: AppContext, language: str
) -> None:
    install_translators(qapp, language)
    page = open_page(qtbot, doctor)
    chosen = page.selected_round()
    assert chosen is not None
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(CancelDialog)
    assert dialog is not None
    texts = sorted(button.text() for button in dialog.box.buttons())
    assert texts == (sorted(["取消巡诊", "返回"]) if language == "zh_CN" else ["Back", "Cancel round"])
    assert dialog.box.buttonRole(dialog.back_button) == QDialogButtonBox.ButtonRole.RejectRole
    qtbot.keyClicks(dialog.reason_edit, "x")
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)  # "Back" keeps the round
    assert dialog.result() == 0
    assert not plan_week(doctor.uow(), week=TODAY, today=TODAY).round(chosen.id).cancelled  # type: ignore[union-attr]


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_a_cancelled_round_is_restored(qtbot: QtBot, doctor: AppContext, how: str) -> None:
    page = open_page(qtbot, doctor)
    chosen = page.selected_round()
    assert chosen is not None and not chosen.cancelled
    cancel_by_dialog(qtbot, page, chosen.id)
    assert page.plan.round(chosen.id).cancelled  # type: ignore[union-attr]
    assert page.restore_button.isVisible() and page.restore_button.isEnabled() and page.cancel_button.isHidden()
    with qtbot.waitSignal(page.changed, timeout=WAIT_MS), qtbot.waitSignal(page.planned, timeout=WAIT_MS):
        if how == "mouse":
            qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
        else:  # Alt+E (恢复巡诊(&E)), from the round's button in the week
            page.activateWindow()
            page.round_buttons[chosen.id].setFocus()
            qtbot.waitUntil(lambda: page.isActiveWindow() and page.round_buttons[chosen.id].hasFocus(), timeout=WAIT_MS)
            qtbot.keyClick(page.round_buttons[chosen.id], Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    restored = page.plan.round(chosen.id)  # type: ignore[union-attr]
    assert restored is not None and restored.status == "planned" and not restored.cancel_reason
    assert [d.resident_id for d in restored.due] == [d.resident_id for d in chosen.due]
    assert "Cancelled" not in page.round_buttons[chosen.id].text()
    assert page.selected_round() == restored and page.cancel_button.isVisible() and page.restore_button.isHidden()


def test_a_nurse_sees_a_cancelled_round_but_cannot_restore_it(
    qtbot: QtBot, demo_file: Path, open_copy: Callable[..., AppContext]
) -> None:
    nurse = open_copy(demo_file, "nurse1")
    chosen = next(r for r in plan_week(nurse.uow(), week=TODAY, today=TODAY).rounds if not r.past)
    with nurse.uow() as uow:
        doctor_id = uow.fast_rows("SELECT id FROM staff WHERE login = 'doctor1'")[0][0]
    cancel_round(UnitOfWork(nurse.database, actor_id=doctor_id), round_id=chosen.id, reason="flu")
    page = open_page(qtbot, nurse)
    qtbot.mouseClick(page.round_buttons[chosen.id], Qt.MouseButton.LeftButton)
    assert page.selected_round().cancelled  # type: ignore[union-attr]
    assert page.restore_button.isVisible() and not page.restore_button.isEnabled()
    assert "doctor" in page.restore_button.toolTip()


def test_the_move_dialog_asks_for_the_day_only_with_no_stray_box(qtbot: QtBot, doctor: AppContext) -> None:
    # an empty combo box (the institution chooser, unused when moving) sat over 日期
    page = open_page(qtbot, doctor)
    qtbot.mouseClick(page.move_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(DayDialog)
    assert dialog is not None and dialog.isVisible()
    assert [w for w in dialog.findChildren(QComboBox) if w.isVisible()] == []
    assert dialog.institution_combo is None and dialog.institution_id() is None and dialog.date_edit.isVisible()
    dialog.reject()
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.findChild(DayDialog, "addRoundDialog") is not None, timeout=WAIT_MS)
    adding = page.findChild(DayDialog, "addRoundDialog")
    assert adding is not None and adding.institution_combo is not None and adding.institution_combo.isVisible()
    assert adding.institution_combo.geometry().bottom() < adding.date_edit.geometry().top()  # its own row, above
    adding.reject()


def test_an_ended_agreement_with_a_round_booked_asks_for_renewal_on_the_page(
    qtbot: QtBot, qapp: QApplication, doctor: AppContext
) -> None:
    from app.services.rounds.plan import add_round

    with doctor.uow() as uow:
        institution, name = uow.fast_rows(
            "SELECT a.institution_id, i.name FROM agreement a JOIN institution i ON i.id = a.institution_id "
            "WHERE a.end_date < :d",
            {"d": TODAY.isoformat()},
        )[0]
    add_round(doctor.uow(), institution_id=institution, day=TODAY + timedelta(days=1))
    install_translators(qapp, "zh_CN")
    page = open_page(qtbot, doctor)
    text = page.ended_label.text()
    booked = sum(r.institution_id == institution and not r.cancelled for r in page.plan.rounds)  # type: ignore[union-attr]
    assert booked >= 1 and name in text and f"本周仍安排了 {booked} 次巡诊" in text and "无人巡诊" not in text
