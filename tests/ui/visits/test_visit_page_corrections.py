"""The visit page (app.ui.visits.page): a saved visit locked, corrections as new versions, a visit recorded
meanwhile, the residence status from the outcome and its undoing, late entries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from visit_page_world import (
    TODAY,
    WAIT_MS,
    Answers,
    assert_every_glyph_in_the_cjk_font,
    ctrl_enter,
    looks_read_only,
    open_page,
    stored_visits,
    type_into,
)

from app.domain.visits import VisitEntry
from app.services.visits.save import record_visit
from app.store.models import Resident
from app.ui.shell.tasks import run_sync_for_tests

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


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
