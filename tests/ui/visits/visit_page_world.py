"""The small world of the visit page's tests (``test_visit_page*.py``): a home with a round today and last week,
four residents due, one elsewhere; the page's questions answered as a test says; helpers to type and save.

The fixtures (``template``, ``world``, ``no_message_boxes``) are in this folder's ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.idcard import make_id_number
from app.domain.visits import VisitOutcome
from app.services.institutions import save_institution
from app.services.records.load import save_condition
from app.services.records.residents import create_resident
from app.services.visits.drafts import Draft
from app.store.models import Round, Staff, Team, Visit
from app.ui.shell.tasks import run_sync_for_tests
from app.ui.visits.page import VisitPage

TODAY = date(2026, 11, 16)
ROOT = Path(__file__).resolve().parents[3]
WAIT_MS = 10_000

NAMES = ("张红丽", "李建国", "王秀英", "赵伟")


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


def next_focus(widget: QWidget) -> QWidget:
    following = widget.nextInFocusChain()
    while not following.isVisible() or following.focusPolicy() == Qt.FocusPolicy.NoFocus:
        following = following.nextInFocusChain()
    return following
