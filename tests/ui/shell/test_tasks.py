"""Tests for the off-GUI-thread task runner (app.ui.shell.tasks)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import shiboken6
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.domain.errors import DomainError
from app.ui.shell import tasks
from app.ui.shell.tasks import CancelToken, Op, database_pool, run_sync_for_tests

WAIT_S = 5.0
"""Longest a worker ever blocks in these tests, so a failing test cannot hang the database thread."""


@dataclass
class FakeMessageBoxes:
    """Record QMessageBox.warning/critical calls instead of opening modal boxes."""

    shown: list[tuple[str, str]] = field(default_factory=list)

    def warning(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("warning", text))

    def critical(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("critical", text))


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> FakeMessageBoxes:
    fake = FakeMessageBoxes()
    monkeypatch.setattr(QMessageBox, "warning", fake.warning)
    monkeypatch.setattr(QMessageBox, "critical", fake.critical)
    return fake


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Hold a worker until the test sets the event (always set at teardown)."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture(autouse=True)
def drained(qtbot: QtBot) -> Iterator[None]:
    """Leave no op running or undelivered for the next test."""
    yield
    assert database_pool().waitForDone(int(WAIT_S * 1000))
    qtbot.waitUntil(lambda: not tasks._active, timeout=int(WAIT_S * 1000))


def visible_progress_dialogs() -> list[QWidget]:
    return [w for w in QApplication.allWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def wait_until_cancelled(token: CancelToken) -> None:
    token.wait_cancelled(WAIT_S)


def test_work_runs_on_a_worker_and_success_on_the_gui_thread(qtbot: QtBot, parent: QWidget) -> None:
    worker_threads: list[int] = []
    delivered: list[tuple[str, int]] = []

    def work() -> str:
        worker_threads.append(threading.get_ident())
        return "plan"

    op = Op(parent, work).success(lambda result: delivered.append((result, threading.get_ident())))
    with qtbot.waitSignal(op.finished, timeout=3000):
        op.run()

    gui_thread = threading.get_ident()
    assert len(worker_threads) == 1
    assert worker_threads[0] != gui_thread
    assert delivered == [("plan", gui_thread)]
    assert op.is_finished()


def test_database_pool_runs_one_op_at_a_time(qtbot: QtBot, parent: QWidget, gate: threading.Event) -> None:
    events: list[str] = []

    def first() -> None:
        events.append("first started")
        gate.wait(WAIT_S)
        events.append("first ended")

    Op(parent, first).run()
    second = Op(parent, lambda: events.append("second")).run()
    qtbot.waitUntil(lambda: events == ["first started"])
    assert database_pool().maxThreadCount() == 1
    assert "second" not in events

    gate.set()
    qtbot.waitUntil(second.is_finished)
    assert events == ["first started", "first ended", "second"]


def test_other_pools_can_be_chosen(qtbot: QtBot, parent: QWidget, gate: threading.Event) -> None:
    pool = QThreadPool()
    Op(parent, lambda: gate.wait(WAIT_S)).run()  # keeps the database thread busy
    results: list[int] = []

    op = Op(parent, lambda: 42, pool=pool).success(results.append)
    with qtbot.waitSignal(op.finished, timeout=3000):
        op.run()

    assert results == [42]
    gate.set()
    assert pool.waitForDone(3000)


def test_domain_error_without_failure_callback_shows_its_message(
    qtbot: QtBot, parent: QWidget, boxes: FakeMessageBoxes
) -> None:
    error = DomainError("error.field_value", field="身份证号", reason="校验位不对", value="110101")

    def work() -> None:
        raise error

    op = Op(parent, work).success(lambda _: pytest.fail("success must not run"))
    with qtbot.waitSignal(op.finished, timeout=3000):
        op.run()

    assert boxes.shown == [("warning", str(error))]


def test_unexpected_error_is_logged_with_traceback_and_shown(
    qtbot: QtBot, parent: QWidget, boxes: FakeMessageBoxes, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> None:
        raise ZeroDivisionError("division by zero in the report")

    op = Op(parent, work)
    with caplog.at_level(logging.ERROR, logger=tasks.__name__), qtbot.waitSignal(op.finished, timeout=3000):
        op.run()

    assert len(boxes.shown) == 1
    kind, text = boxes.shown[0]
    assert kind == "critical"
    assert "division by zero in the report" in text
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.exc_info is not None
    assert record.exc_info[0] is ZeroDivisionError


def test_failure_callback_replaces_the_default_dialog(qtbot: QtBot, parent: QWidget, boxes: FakeMessageBoxes) -> None:
    failures: list[BaseException] = []

    def work() -> None:
        raise DomainError("no.such.key")

    op = Op(parent, work).failure(failures.append)
    with qtbot.waitSignal(op.finished, timeout=3000):
        op.run()

    assert [type(e) for e in failures] == [DomainError]
    assert boxes.shown == []


def test_error_in_the_success_callback_is_shown_not_raised(
    qtbot: QtBot, parent: QWidget, boxes: FakeMessageBoxes
) -> None:
    def broken_callback(result: int) -> None:
        raise KeyError(f"column {result}")

    op = Op(parent, lambda: 7).success(broken_callback)
    with qtbot.waitSignal(op.finished, timeout=3000):
        op.run()

    assert len(boxes.shown) == 1
    assert "column 7" in boxes.shown[0][1]


def test_fast_work_never_shows_a_progress_dialog(qtbot: QtBot, parent: QWidget) -> None:
    op = Op(parent, lambda: "quick").with_progress("Saving…")
    with qtbot.waitSignal(op.finished, timeout=3000):
        op.run()

    timer = op._timer  # the delayed opening of the dialog: called off when the work finished
    assert timer is not None and not timer.isActive()
    timer.timeout.emit()  # and had it fired anyway, the finished op opens nothing
    assert op.progress_dialog is None
    assert visible_progress_dialogs() == []


def test_slow_work_shows_progress_after_the_delay(qtbot: QtBot, parent: QWidget, gate: threading.Event) -> None:
    results: list[str] = []

    def work(token: CancelToken) -> str:
        token.report(3, 10)
        gate.wait(WAIT_S)
        return "printed"

    op = Op.with_token(parent, work).with_progress("Printing…").success(results.append)
    started = time.monotonic()
    op.run()
    assert op.progress_dialog is None

    qtbot.waitUntil(lambda: visible_progress_dialogs() != [], timeout=3000)
    assert time.monotonic() - started >= tasks.PROGRESS_DELAY_MS / 1000 * 0.9
    dialog = op.progress_dialog
    assert dialog is not None
    assert dialog.labelText() == "Printing…"
    assert (dialog.value(), dialog.maximum()) == (3, 10)
    assert dialog.findChild(QPushButton) is None, "work that cannot be cancelled has no Cancel button"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible(), "Escape does not close work that cannot be cancelled"
    assert not op.token.cancelled

    gate.set()
    qtbot.waitUntil(op.is_finished, timeout=3000)
    assert results == ["printed"]
    assert op.progress_dialog is None
    assert visible_progress_dialogs() == []


def test_cancel_button_stops_the_work_and_drops_the_result(qtbot: QtBot, parent: QWidget) -> None:
    results: list[str] = []
    cancelled: list[bool] = []

    def work(*, token: CancelToken) -> str:
        token.report(1, 100)
        wait_until_cancelled(token)
        token.raise_if_cancelled()
        return "finished anyway"

    op = (
        Op(parent, work)
        .with_progress("Importing…")
        .cancellable()
        .success(results.append)
        .on_cancel(lambda: cancelled.append(True))
        .run()
    )
    qtbot.waitUntil(lambda: visible_progress_dialogs() != [], timeout=3000)
    dialog = op.progress_dialog
    assert dialog is not None
    button = dialog.findChild(QPushButton)
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(op.is_finished, timeout=3000)
    assert op.token.cancelled
    assert cancelled == [True]
    assert results == []


def test_cancel_drops_a_result_the_work_returned_anyway(qtbot: QtBot, parent: QWidget) -> None:
    results: list[int] = []
    cancelled: list[bool] = []

    def work(token: CancelToken) -> int:
        wait_until_cancelled(token)
        return 5

    op = Op.with_token(parent, work).success(results.append).on_cancel(lambda: cancelled.append(True)).run()
    op.cancel()
    qtbot.waitUntil(op.is_finished, timeout=3000)

    assert results == []
    assert cancelled == [True]


def test_latest_only_skips_older_queued_ops(qtbot: QtBot, parent: QWidget, gate: threading.Event) -> None:
    ran: list[str] = []
    delivered: list[str] = []

    def search(text: str) -> Callable[[], str]:
        def work() -> str:
            ran.append(text)
            return f"results for {text}"

        return work

    Op(parent, lambda: gate.wait(WAIT_S)).run()  # the database thread is busy
    ops = [
        Op(parent, search(text)).latest_only("resident-search").success(delivered.append).run()
        for text in ("张", "张三", "张三丰")
    ]
    gate.set()
    qtbot.waitUntil(lambda: all(op.is_finished() for op in ops), timeout=3000)

    assert ran == ["张三丰"]
    assert delivered == ["results for 张三丰"]


def test_latest_only_cancels_the_running_op_and_drops_its_result(
    qtbot: QtBot, parent: QWidget, boxes: FakeMessageBoxes
) -> None:
    delivered: list[str] = []
    cancelled: list[str] = []
    running = threading.Event()

    def slow_search(token: CancelToken) -> str:
        running.set()
        wait_until_cancelled(token)
        return "old"

    first = (
        Op.with_token(parent, slow_search)
        .latest_only("search")
        .success(delivered.append)
        .on_cancel(lambda: cancelled.append("first"))
        .run()
    )
    assert running.wait(WAIT_S)
    second = Op(parent, lambda: "new").latest_only("search").success(delivered.append).run()
    qtbot.waitUntil(lambda: first.is_finished() and second.is_finished(), timeout=3000)

    assert first.token.cancelled
    assert delivered == ["new"]
    assert cancelled == [], "a superseded op is silent"
    assert boxes.shown == []


def test_results_for_a_destroyed_parent_are_dropped(
    qtbot: QtBot, gate: threading.Event, boxes: FakeMessageBoxes
) -> None:
    doomed = QWidget()
    delivered: list[object] = []

    def fails() -> None:
        gate.wait(WAIT_S)
        raise DomainError("error.field_value", field="x", reason="y", value="z")

    succeeding = Op(doomed, lambda: gate.wait(WAIT_S)).with_progress("Loading…").success(delivered.append).run()
    failing = Op(doomed, fails).failure(delivered.append).run()
    shiboken6.delete(doomed)
    gate.set()
    qtbot.waitUntil(lambda: succeeding.is_finished() and failing.is_finished(), timeout=3000)

    assert delivered == []
    assert boxes.shown == []


def test_run_sync_for_tests_delivers_before_run_returns(parent: QWidget) -> None:
    delivered: list[tuple[str, int]] = []

    with run_sync_for_tests():
        op = Op(parent, lambda: "now").success(lambda r: delivered.append((r, threading.get_ident()))).run()
        assert delivered == [("now", threading.get_ident())]
        assert op.is_finished()
    assert not tasks._sync_mode


def test_an_op_runs_only_once(parent: QWidget) -> None:
    with run_sync_for_tests():
        op = Op(parent, lambda: None).run()
        with pytest.raises(RuntimeError):
            op.run()


def test_token_report_is_throttled_but_always_sends_the_last_step() -> None:
    token = CancelToken()
    sent: list[tuple[int, int]] = []
    token._on_report = lambda done, total: sent.append((done, total))

    for done in range(1, 1001):
        token.report(done, 1000)

    assert sent[0] == (1, 1000)
    assert sent[-1] == (1000, 1000)
    assert len(sent) < 50
