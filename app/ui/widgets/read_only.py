"""Showing a form read-only to a role that may look but not change: widgets that stay readable.

A disabled combo box or check box is drawn too faint to read in the themes, so for read-only users
:func:`set_locked` leaves it looking as usual but makes it ignore the mouse and the keyboard: clicks
pass through to what is under it (so the wheel still scrolls the form), it takes no focus, and an event
filter swallows any input that still reaches it. Line edits and spin boxes have ``setReadOnly`` instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

_FOCUS = "unlockedFocusPolicy"
_LOCKED = "locked"
_INPUT = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
    }
)


class _InputSwallower(QObject):
    """Eat mouse and key events of locked widgets."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return event.type() in _INPUT and bool(watched.property(_LOCKED))


_swallower: _InputSwallower | None = None


def _filter() -> _InputSwallower:
    global _swallower
    if _swallower is None:
        _swallower = _InputSwallower(QApplication.instance())
    return _swallower


def set_locked(widget: QWidget, locked: bool) -> None:
    """Make ``widget`` (a combo box, check box...) ignore mouse and keyboard, or listen again."""
    if locked and widget.property(_FOCUS) is None:
        widget.setProperty(_FOCUS, widget.focusPolicy().value)
        widget.installEventFilter(_filter())
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, locked)
    saved = widget.property(_FOCUS)
    if locked:
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    elif saved is not None:
        widget.setFocusPolicy(Qt.FocusPolicy(saved))
    widget.setProperty(_LOCKED, locked)


def is_locked(widget: QWidget) -> bool:
    """Return whether :func:`set_locked` locked ``widget``."""
    return bool(widget.property(_LOCKED))
