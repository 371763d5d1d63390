"""Keep a UI test's widgets alive until the database thread is idle (imported by the page tests).

An op's worker can drop the last reference to a finished op, and with it to a parentless widget, on the
worker thread (the widget would then be destroyed there: a crash). Holding the widgets until the database
pool is drained keeps their destruction on the GUI thread; ``tests/ui/conftest.py`` settles after each test.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QApplication, QWidget

from app.ui.shell.tasks import database_pool

WAIT_MS = 10_000
W = TypeVar("W", bound=QWidget)

_alive: list[QWidget] = []


def keep(widget: W) -> W:
    """Hold ``widget`` until the end of the test; return it."""
    _alive.append(widget)
    return widget


def settle() -> None:
    """Wait for the database thread to finish its work, then let the test's widgets go."""
    database_pool().waitForDone(WAIT_MS)
    QApplication.processEvents()
    _alive.clear()
