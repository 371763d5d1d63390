"""Windows that keep their size: the main window's geometry and the record window's size, in the settings file.

The values live in the app's settings registry (:mod:`app.settings`): ``main_window_geometry`` holds Qt's
``saveGeometry()`` bytes in base64 (position, size, maximized, screen), ``record_window_size`` a plain
``"WIDTHxHEIGHT"``. A value that cannot be read is ignored; a window saved on a screen since unplugged comes
back on a screen that is there (Qt's ``restoreGeometry`` moves and shrinks it), a size larger than the screen
is cut to it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.settings import Settings

log = logging.getLogger(__name__)


def settings_for(widget: QWidget) -> Settings:
    """Return the settings of the main window ``widget`` belongs to, or the user's settings file."""
    current: QWidget | None = widget
    while current is not None:
        found = getattr(current, "settings", None)
        if isinstance(found, Settings):
            return found
        current = current.parentWidget()
    return Settings()


def available_area(widget: QWidget) -> QRect:
    """Return the desktop area free for windows on the screen ``widget`` is on (or the primary screen)."""
    screen = widget.screen() if widget.screen() is not None else QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)


def _store(settings: Settings, name: str, value: str) -> None:
    if settings.get(name) == value:
        return
    try:
        settings.set(name, value)
    except OSError:  # a read-only settings file must not stop a window from closing
        log.warning("cannot save the %s setting", name, exc_info=True)


def save_main_geometry(window: QWidget, settings: Settings) -> None:
    """Remember where ``window`` is and how large (maximized included)."""
    _store(settings, "main_window_geometry", bytes(window.saveGeometry().toBase64().data()).decode("ascii"))


def restore_main_geometry(window: QWidget, settings: Settings) -> bool:
    """Put ``window`` where it was last closed; return whether a saved geometry was used."""
    text = settings.get("main_window_geometry")
    if not text:
        return False
    strict = QByteArray.Base64Option.AbortOnBase64DecodingErrors
    data = QByteArray.fromBase64(QByteArray(text.encode("ascii", "replace")), strict)
    return bool(data) and window.restoreGeometry(data)


def parse_size(text: str) -> QSize | None:
    """Return the size written ``"1200x800"``, or None if ``text`` is not one."""
    width, sep, height = text.partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        return None
    return QSize(int(width), int(height))


def save_window_size(window: QWidget, settings: Settings, name: str) -> None:
    """Remember the size of ``window`` (not maximized or full screen) under setting ``name``."""
    if window.isMaximized() or window.isFullScreen():
        size = window.normalGeometry().size()
    else:
        size = window.size()
    if size.isValid() and not size.isEmpty():
        _store(settings, name, f"{size.width()}x{size.height()}")


def restore_window_size(window: QWidget, settings: Settings, name: str) -> None:
    """Give ``window`` its remembered size, no larger than the screen and no smaller than its minimum."""
    size = parse_size(str(settings.get(name)))
    if size is None:
        return
    area = available_area(window)
    width = max(window.minimumWidth(), min(size.width(), area.width()))
    height = max(window.minimumHeight(), min(size.height(), area.height()))
    window.resize(width, height)
