"""The visit editor asks, when a correction changes only the day of a visit that set the residence status,
whether to move the status date too (app.ui.visits.editor), like it asks whether to undo it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from one_home import one_home
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import open_context
from app.domain.visits import VisitEntry, VisitOutcome
from app.services.visits.save import VisitStatus, record_visit
from app.store.models import Resident
from app.ui.shell import tasks
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import run_sync_for_tests
from app.ui.visits import editor as visit_editor
from app.ui.visits.editor import VisitEditor

TODAY = date(2026, 11, 16)
DIED_ON = date(2026, 11, 15)  # as first entered
REALLY = date(2026, 11, 14)  # as corrected
WAIT_MS = 10_000

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """王秀英, recorded deceased from a visit outside a round on DIED_ON (the status set from it)."""
    path = tmp_path_factory.mktemp("visit-status-date") / "center.sqlite"
    context = open_context(path)
    try:
        ids = one_home(context, name="王秀英", born=date(1940, 3, 3), sequence=2, room="103", today=TODAY)
        ids["visit"] = record_visit(
            context.uow(),
            resident_id=ids["resident"],
            visit_date=DIED_ON,
            entry=VisitEntry(outcome="deceased"),
            late_reason="补录",
            update_status=True,
            today=TODAY,
        ).visit_id
    finally:
        context.close()
    return path, ids


@pytest.fixture
def world(template: tuple[Path, dict[str, str]], tmp_path: Path, qapp: QApplication) -> Iterator[dict[str, Any]]:
    install_translators(qapp, "en")
    path = tmp_path / "center.sqlite"
    shutil.copyfile(template[0], path)
    context = open_context(path)
    context.actor_id = template[1]["nurse"]
    yield {**template[1], "context": context}
    context.close()
    install_translators(qapp, "en")


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    shown: list[BaseException] = []
    monkeypatch.setattr(tasks, "show_error", lambda parent, error: shown.append(error))
    monkeypatch.setattr(visit_editor, "show_error", lambda parent, error: shown.append(error))
    yield shown
    assert not shown, f"errors shown to the user: {shown!r}"


class Answers:
    """The editor's questions, answered as the test says; each question asked is remembered."""

    def __init__(self, *, move: bool | None) -> None:
        self.move = move
        self.asked: list[str] = []

    def save_urgent_without_referral(self, lines: Sequence[str]) -> bool:
        self.asked.append("urgent")
        return True

    def change_status(self, name: str, outcome: VisitOutcome, day: date) -> bool | None:
        self.asked.append(f"status: {name} {outcome.value} {day}")
        return True

    def undo_status(self, name: str, found: VisitStatus) -> bool | None:
        self.asked.append(f"undo: {name}")
        return True

    def move_status_date(self, name: str, found: VisitStatus, day: date) -> bool | None:
        self.asked.append(f"move: {name} {found.status.value} {found.on_date} → {day}")
        return self.move

    def correct_duplicate(self, message: str) -> bool:
        self.asked.append("duplicate")
        return False


def correct_the_day(qtbot: QtBot, world: dict[str, Any], answers: Answers, day: date) -> VisitEditor:
    """Open the death's visit for a correction, type ``day`` and save."""
    editor = VisitEditor(world["context"], today=lambda: TODAY, questions=answers)  # type: ignore[arg-type]
    qtbot.addWidget(editor)
    editor.resize(900, 700)
    with run_sync_for_tests():
        editor.show()
        editor.open_resident(
            world["resident"], round_id=None, visit_date=DIED_ON, visit_id=world["visit"], correct=True
        )
    qtbot.waitUntil(lambda: editor.isEnabled() and editor.correcting, timeout=WAIT_MS)
    editor.form.date_edit.setText(day.isoformat())
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS), run_sync_for_tests():
        editor.save()
    return editor


def resident(world: dict[str, Any]) -> Resident:
    with world["context"].uow() as uow:
        row = uow.session.get(Resident, world["resident"])
        assert row is not None
        return row


def test_correcting_the_day_asks_and_moves_the_status_date(qtbot: QtBot, world: dict[str, Any]) -> None:
    answers = Answers(move=True)
    editor = correct_the_day(qtbot, world, answers, REALLY)
    assert answers.asked == [f"move: 王秀英 deceased {DIED_ON} → {REALLY}"]
    assert (resident(world).status, resident(world).status_date) == ("deceased", REALLY)
    text = editor.result_label.text()
    assert f"Status “Deceased” now dated {REALLY} (was {DIED_ON})." in text


def test_saving_the_visit_only_keeps_the_status_date_and_says_so(qtbot: QtBot, world: dict[str, Any]) -> None:
    answers = Answers(move=False)
    editor = correct_the_day(qtbot, world, answers, REALLY)
    assert answers.asked == [f"move: 王秀英 deceased {DIED_ON} → {REALLY}"]
    assert resident(world).status_date == DIED_ON
    assert f"Status “Deceased” still dated {DIED_ON} (recorded from this visit)." in editor.result_label.text()


def test_cancel_saves_nothing(qtbot: QtBot, world: dict[str, Any]) -> None:
    answers = Answers(move=None)
    editor = VisitEditor(world["context"], today=lambda: TODAY, questions=answers)  # type: ignore[arg-type]
    qtbot.addWidget(editor)
    with run_sync_for_tests():
        editor.show()
        editor.open_resident(
            world["resident"], round_id=None, visit_date=DIED_ON, visit_id=world["visit"], correct=True
        )
    qtbot.waitUntil(lambda: editor.isEnabled() and editor.correcting, timeout=WAIT_MS)
    editor.form.date_edit.setText(REALLY.isoformat())
    with run_sync_for_tests():
        editor.save()
    assert answers.asked == [f"move: 王秀英 deceased {DIED_ON} → {REALLY}"]
    assert editor.correcting and resident(world).status_date == DIED_ON


def test_a_correction_keeping_the_day_asks_nothing(qtbot: QtBot, world: dict[str, Any]) -> None:
    answers = Answers(move=True)
    correct_the_day(qtbot, world, answers, DIED_ON)
    assert answers.asked == [] and resident(world).status_date == DIED_ON
