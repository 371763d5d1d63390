"""Auto-lock (app.ui.shell.autolock): lock after idle minutes, input restarts the count, sleep counts too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.ui.shell.autolock import AutoLock, close_hidden_windows, hide_windows_for_lock


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def lock(qapp: QApplication, clock: FakeClock) -> Iterator[AutoLock]:
    autolock = AutoLock(minutes=10, clock=clock)
    yield autolock
    autolock.stop()
    qapp.removeEventFilter(autolock)
    autolock.deleteLater()


@pytest.fixture
def edit(qtbot: QtBot) -> QLineEdit:
    widget = QLineEdit()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_it_locks_after_the_idle_minutes_once(qtbot: QtBot, lock: AutoLock, clock: FakeClock) -> None:
    lock.start()
    clock.advance(9.9)
    assert lock.check() is False
    clock.advance(0.2)
    with qtbot.waitSignal(lock.lockRequested, timeout=1000):
        assert lock.check() is True
    assert not lock.active
    clock.advance(60)
    assert lock.check() is False  # stopped until the next sign-in


def test_keyboard_and_mouse_input_restart_the_count(
    qtbot: QtBot, lock: AutoLock, clock: FakeClock, edit: QLineEdit
) -> None:
    lock.start()
    for _ in range(5):
        clock.advance(8)
        qtbot.keyClick(edit, Qt.Key.Key_A)
    clock.advance(8)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    clock.advance(9)
    assert lock.check() is False
    assert lock.idle_seconds() == pytest.approx(9 * 60)
    assert edit.text() == "aaaaa"  # the filter only watches; input still arrives


def test_nothing_is_watched_before_start_or_when_turned_off(lock: AutoLock, clock: FakeClock) -> None:
    clock.advance(60)
    assert lock.check() is False
    lock.set_minutes(0)
    lock.start()
    clock.advance(24 * 60)
    assert lock.check() is False
    assert lock.timeout == 0


def test_changing_the_minutes_takes_effect_at_once(lock: AutoLock, clock: FakeClock) -> None:
    lock.start()
    clock.advance(4)
    lock.set_minutes(3)
    assert lock.check() is True


def test_the_first_input_after_a_long_sleep_locks_and_is_swallowed(
    qtbot: QtBot, lock: AutoLock, clock: FakeClock, edit: QLineEdit
) -> None:
    lock.start()
    clock.advance(45)  # the laptop slept with its lid closed
    with qtbot.waitSignal(lock.lockRequested, timeout=1000):
        qtbot.keyClick(edit, Qt.Key.Key_X)
    assert edit.text() == ""  # the key never reached the data being hidden


def test_waking_the_application_checks_at_once(qtbot: QtBot, lock: AutoLock, clock: FakeClock) -> None:
    lock.start()
    clock.advance(11)
    with qtbot.waitSignal(lock.lockRequested, timeout=1000):
        QApplication.sendEvent(QApplication.instance(), QEvent(QEvent.Type.ApplicationStateChange))


def test_the_real_timer_fires_when_idle_and_not_while_typing(qtbot: QtBot, qapp: QApplication, edit: QLineEdit) -> None:
    autolock = AutoLock()
    try:
        autolock.set_timeout(0.4)
        typed: list[bool] = []

        def type_a_key() -> None:
            QApplication.sendEvent(
                edit, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_B, Qt.KeyboardModifier.NoModifier, "b")
            )
            typed.append(autolock.active)

        typist = QTimer(interval=100)  # a key every 0.1 s: never 0.4 s apart
        typist.timeout.connect(type_a_key)
        autolock.start()
        typist.start()
        try:
            qtbot.waitUntil(lambda: len(typed) >= 6, timeout=3000)  # 0.6 s of typing
        finally:
            typist.stop()
        assert all(typed) and autolock.active
        with qtbot.waitSignal(autolock.lockRequested, timeout=3000):
            pass
    finally:
        autolock.stop()
        qapp.removeEventFilter(autolock)
        autolock.deleteLater()


def test_secondary_windows_are_hidden_for_the_lock_and_closed_for_someone_else(qtbot: QtBot) -> None:
    main = QWidget()
    qtbot.addWidget(main)
    main.show()
    dialog = QDialog(main)
    dialog.setWindowTitle("visit")
    dialog.show()
    hidden = hide_windows_for_lock(main)
    assert dialog in hidden and not dialog.isVisible() and main.isVisible()
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        close_hidden_windows(hidden)
