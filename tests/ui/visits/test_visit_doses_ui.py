"""Dose changes in the visit form (issue 18): a doctor changes or stops long-term medications with the keyboard
and the mouse; saving the visit changes them in the record (the refill list follows); a nurse is not offered it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlmodel import select
from visit_page_world import TODAY, WAIT_MS, ctrl_enter, open_page, stored_visits

from app.services.records.sections import save_medication
from app.store.models import Medication

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _medicate(world: dict[str, Any]) -> None:
    """张红丽 (the first on the sheet) takes two long-term medications and one not followed for refills."""
    context = world["context"]
    nurse, context.actor_id = context.actor_id, world["doctor"]
    for name, daily in (("氨氯地平片", Decimal(2)), ("二甲双胍片", Decimal(1)), ("维生素D", None)):
        save_medication(
            context.uow(),
            resident_id=world["张红丽"],
            name=name,
            start_date=date(2026, 1, 1),
            daily_quantity=daily,
            unit="片",
            today=TODAY,
        )
    context.actor_id = nurse


def _medications(world: dict[str, Any]) -> dict[str, tuple[float | None, date | None]]:
    with world["context"].uow() as uow:
        return {m.name: (m.daily_quantity, m.stop_date) for m in uow.session.exec(select(Medication))}


def test_a_doctor_changes_and_stops_doses_with_keyboard_and_mouse(qtbot: QtBot, world: dict[str, Any]) -> None:
    _medicate(world)
    world["context"].actor_id = world["doctor"]
    page = open_page(qtbot, world)
    form = page.editor.form
    doses = form.doses
    assert doses.isVisible()
    assert [m.name for m in doses.medications] == ["二甲双胍片", "氨氯地平片"]  # the followed ones, by name
    metformin, amlodipine = (m.id for m in doses.medications)
    notes = form.text_edits["medication_changes"]
    notes.setFocus()
    notes.insertPlainText("血压平稳")  # QTest types no Chinese: the input method would
    qtbot.keyClick(notes, Qt.Key.Key_Tab)
    assert doses.edits[metformin].hasFocus()  # right after 用药调整
    qtbot.keyClicks(doses.edits[metformin], "x")
    before = _medications(world)
    ctrl_enter(qtbot, doses.edits[metformin])
    assert "daily quantity" in page.editor.error_label.text()
    assert doses.edits[metformin].hasFocus()  # the bad box
    assert stored_visits(world) == [] and _medications(world) == before

    doses.edits[metformin].selectAll()
    qtbot.keyClicks(doses.edits[metformin], "1.5")
    qtbot.keyClick(doses.edits[metformin], Qt.Key.Key_Tab)
    assert doses.stops[metformin].hasFocus()
    qtbot.keyClick(doses.stops[metformin], Qt.Key.Key_Tab)
    assert doses.edits[amlodipine].hasFocus()
    qtbot.mouseClick(doses.stops[amlodipine], Qt.MouseButton.LeftButton)  # stop it by mouse
    assert doses.stops[amlodipine].isChecked() and not doses.edits[amlodipine].isEnabled()
    ctrl_enter(qtbot, doses.stops[amlodipine])
    qtbot.waitUntil(lambda: len(stored_visits(world)) == 1, timeout=WAIT_MS)
    after = _medications(world)
    assert after["二甲双胍片"] == (1.5, None)
    assert after["氨氯地平片"] == (0, TODAY - timedelta(days=1))
    assert after["维生素D"] == before["维生素D"]
    (visit,) = stored_visits(world)
    assert visit.medication_changes.splitlines() == [
        "血压平稳",
        "二甲双胍片: daily quantity 1 → 1.5 片",
        "Stopped 氨氯地平片 (was 2 片 a day)",
    ]


def test_a_nurse_is_not_offered_dose_changes(qtbot: QtBot, world: dict[str, Any]) -> None:
    _medicate(world)
    page = open_page(qtbot, world)  # the nurse of the world
    assert not page.editor.form.doses.isVisible()
    assert page.editor.form.doses.fields == []
