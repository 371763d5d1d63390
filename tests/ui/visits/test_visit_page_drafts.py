"""The visit page (app.ui.visits.page): drafts — written as typed, offered back to their author, kept through a
kill, removed once saved, discarded with the form showing one."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from visit_page_world import (
    ROOT,
    TODAY,
    WAIT_MS,
    Answers,
    ctrl_enter,
    open_page,
    stored_visits,
    type_into,
)

from app.bootstrap import open_context
from app.services.visits.drafts import DraftStore
from app.ui.visits import drafts as visit_drafts
from app.ui.visits.page import VisitPage

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


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
