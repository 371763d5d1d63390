"""Auto-lock — 自动锁屏: ask for the window to be locked after a time without keyboard or mouse use.

:class:`AutoLock` watches the whole application's input through an event filter and emits
``lockRequested`` once the user has been idle for the configured minutes. It does not lock anything
itself: the main window hides its data and shows the sign-in panel (where the same or another user
signs in). Idle time is measured on the wall clock and checked every few seconds, so a laptop that
slept with its lid closed locks as soon as it wakes if the time has passed (a plain QTimer would not
count the sleep).

Wiring (in the main window)::

    self.autolock = AutoLock(self, minutes=auto_lock_minutes)   # app.services.accounts.users.auto_lock_minutes
    self.autolock.lockRequested.connect(self.lock)              # hide data, show the sign-in panel
    # on sign-in:   self.autolock.set_minutes(minutes); self.autolock.start()
    # on lock/sign-out: self.autolock.stop()

and in ``lock()``, hide secondary windows first: ``hidden = hide_windows_for_lock(self)``; show them
again if the same person signs back in, close them otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

CHECK_INTERVAL_MS = 5_000
"""How often idleness is checked (at most); a lock comes at most this much after the idle time."""

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.HoverMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)
"""Input that counts as use of the application."""


class AutoLock(QObject):
    """Emit ``lockRequested`` after ``minutes`` without keyboard, mouse or touch input anywhere in the app.

    Installs itself as an event filter on the running QApplication; it only observes events, never
    consumes them. Stopped until :meth:`start` is called (after a sign-in).

    Args:
        parent: the owner (the main window).
        minutes: idle minutes before locking; 0 turns auto-lock off.
        clock: returns the current time in seconds (wall clock by default; tests pass a fake).

    Signals:
        lockRequested: the idle time has passed; lock the window. Emitted once, then the watch stops
            until :meth:`start` is called again.
    """

    lockRequested = Signal()

    def __init__(
        self, parent: QObject | None = None, *, minutes: int = 10, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._timeout_s = 0.0
        self._last_input = clock()
        self._active = False
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.check)
        self.set_minutes(minutes)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # --- configuration ----------------------------------------------------------------------------------

    def set_minutes(self, minutes: int) -> None:
        """Lock after ``minutes`` idle minutes (0: never); takes effect at once."""
        self.set_timeout(max(0, int(minutes)) * 60.0)

    def set_timeout(self, seconds: float) -> None:
        """Lock after ``seconds`` idle seconds (0: never). Tests use short times."""
        self._timeout_s = max(0.0, float(seconds))
        self._timer.setInterval(max(1, min(CHECK_INTERVAL_MS, int(self._timeout_s * 1000) or CHECK_INTERVAL_MS)))
        self._update_timer()

    @property
    def timeout(self) -> float:
        """The idle time in seconds (0: auto-lock off)."""
        return self._timeout_s

    @property
    def active(self) -> bool:
        """Whether idleness is being watched (between :meth:`start` and :meth:`stop` or the lock)."""
        return self._active

    # --- watching ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start watching for idleness, counting from now (call after a sign-in)."""
        self._active = True
        self._last_input = self._clock()
        self._update_timer()

    def stop(self) -> None:
        """Stop watching (call when the window is locked or nobody is signed in)."""
        self._active = False
        self._update_timer()

    def idle_seconds(self) -> float:
        """Return the seconds since the last input."""
        return max(0.0, self._clock() - self._last_input)

    def note_activity(self) -> None:
        """Count now as use of the application (input events do this automatically)."""
        self._last_input = self._clock()

    def check(self) -> bool:
        """Emit ``lockRequested`` if watching and idle for the configured time; return whether it did."""
        if not self._active or self._timeout_s <= 0:
            return False
        if self.idle_seconds() < self._timeout_s:
            return False
        self.stop()
        self.lockRequested.emit()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # called for every event of the application: keep it cheap
        kind = event.type()
        if kind in ACTIVITY_EVENTS:
            if self._active:
                if self.check():
                    # the first input after an overdue idle time (a laptop waking up) locks, and is
                    # swallowed so that it cannot act on the data being hidden
                    return True
                self._last_input = self._clock()
        elif kind == QEvent.Type.ApplicationStateChange and self._active:
            self.check()  # back from sleep or another application: lock now if the time has passed
        return False

    def _update_timer(self) -> None:
        if self._active and self._timeout_s > 0:
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()


def hide_windows_for_lock(main: QWidget) -> list[QWidget]:
    """Hide every visible top-level window except ``main`` (dialogs with data in them) for a lock.

    Returns:
        The windows hidden, to show again if the same person signs back in (or to close if another does).
    """
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return []
    hidden = []
    for widget in app.topLevelWidgets():
        if widget is main or not widget.isVisible() or widget.windowType() == Qt.WindowType.ToolTip:
            continue
        widget.hide()
        hidden.append(widget)
    return hidden


def close_hidden_windows(windows: list[QWidget]) -> None:
    """Close the windows :func:`hide_windows_for_lock` hid (another person signed in): dialogs are rejected."""
    for widget in windows:
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()
