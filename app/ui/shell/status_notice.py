"""Notices in the main window's status bar: a short sentence that fits, the whole reason one click away.

A temporary status-bar message is one line: a reason such as ``pg_dump``'s or a long path made it longer than the
space left of the permanent widgets (the account, the server), and the end was drawn under them. A
:class:`StatusNotice` is a flat button among the status bar's normal widgets: a short text ("The daily backup
failed — details…") that stays until its details were read. Clicking it (or Space when it has the focus: it is in
the tab chain) opens a message box, not modal for the application, whose text can be selected and copied, with
the server's own words, if any, under "Show Details…". A notice steps aside while a temporary message is shown
and comes back after it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QPushButton, QStatusBar

STYLE = (
    "QPushButton { background: #fff4ce; color: #5c4200; border: none; padding: 2px 10px; text-transform: none; "
    "font-weight: normal; }"
)
"""The read-only banner's colours (:mod:`app.ui.shell.main_window`): a warning, readable on both themes."""


class StatusNotice(QPushButton):
    """A short warning in ``bar`` with its details on demand (``name``: its object name, one per kind of notice)."""

    def __init__(self, bar: QStatusBar, name: str) -> None:
        super().__init__(bar)
        self.setObjectName(name)
        self.setStyleSheet(STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.full_text = ""
        self._hint = QSize()
        self.title = ""
        self.details = ""
        self.raw = ""
        self.sticky = False
        self.box: QMessageBox | None = None
        self.clicked.connect(self.show_details)
        bar.messageChanged.connect(self._message_changed)
        bar.addWidget(self)
        self.hide()

    def say(self, text: str, *, title: str, details: str, raw: str = "", sticky: bool = False) -> None:
        """Show ``text`` (short: it must fit) until the details were read (``sticky``: until :meth:`clear`).

        ``details`` is the whole sentence in the user's language; ``raw`` a program's or server's own words, shown
        only under "Show Details…"."""
        self.full_text = text
        self.ensurePolished()
        self.setText(text)
        self._hint = super().sizeHint()  # the whole text's: eliding it (too little room) does not shrink the hint
        self.updateGeometry()
        self.setToolTip(details)
        self.setAccessibleDescription(details)
        self.title, self.details, self.raw, self.sticky = title, details, raw, sticky
        bar = self.parentWidget()
        self.setVisible(not (isinstance(bar, QStatusBar) and bar.currentMessage()))
        self._elide()  # a width the bar keeps (no resize to come) may be too narrow for a new text

    @property
    def shown(self) -> bool:
        """Whether the notice is standing (visible now, or behind a temporary message)."""
        return bool(self.full_text)

    def sizeHint(self) -> QSize:
        return QSize(self._hint) if self.full_text else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        """Room for a few words: with two notices and a long server name the text is elided, never overlapped."""
        hint = self.sizeHint()
        return QSize(min(hint.width(), 12 * self.fontMetrics().averageCharWidth()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        """The whole text if it fits the width the status bar gave, else its beginning and "…"."""
        if not self.full_text:
            return
        shown = self.full_text
        if self.isVisible() and self.width() < self._hint.width():
            chrome = self._hint.width() - self.fontMetrics().horizontalAdvance(self.full_text)
            room = max(0, self.width() - chrome)
            shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, room)
        if shown != self.text():
            self.setText(shown)

    @Slot()
    def clear(self) -> None:
        """Take the notice away (what it said is over, or was read)."""
        self.full_text = ""
        self.setText("")
        self.setToolTip("")
        self.hide()

    @Slot()
    def show_details(self) -> QMessageBox:
        """The whole reason in a message box (its text selectable); a notice that is not sticky goes once read."""
        if self.box is not None:
            if not self.box.isVisible():  # hidden by a lock of the window: shown again, not raised unseen
                self.box.open()
            self.box.raise_()
            self.box.activateWindow()
            return self.box
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.title, self.details, QMessageBox.StandardButton.Ok, self.window()
        )
        box.setObjectName("noticeDetails")
        box.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        if self.raw:
            box.setDetailedText(self.raw)
        box.finished.connect(self._read)
        self.box = box
        box.open()
        return box

    @Slot(int)
    def _read(self, _result: int) -> None:
        box, self.box = self.box, None
        if box is not None:
            box.deleteLater()
        if not self.sticky:
            self.clear()

    def put_away(self) -> None:
        """Close the details' box without counting them read (sign-out: the next person sees the notice)."""
        box, self.box = self.box, None
        if box is not None:
            box.finished.disconnect(self._read)
            box.close()
            box.deleteLater()

    @Slot(str)
    def _message_changed(self, message: str) -> None:
        if self.shown:
            self.setVisible(not message)


def notice(window: QMainWindow, name: str) -> StatusNotice:
    """The notice called ``name`` in ``window``'s status bar, made the first time it is needed."""
    bar = window.statusBar()
    found = bar.findChild(StatusNotice, name, Qt.FindChildOption.FindDirectChildrenOnly)
    return found if found is not None else StatusNotice(bar, name)


def put_away_details(window: QMainWindow) -> None:
    """Close every notice's open details box in ``window`` (at sign-out: none stays over the sign-in panel)."""
    for found in window.statusBar().findChildren(StatusNotice, options=Qt.FindChildOption.FindDirectChildrenOnly):
        found.put_away()


def say_failure(window: QMainWindow, name: str, error: BaseException, *, short: str, title: str, sentence: str) -> None:
    """Say in the notice ``name`` that something failed with ``error``: ``short`` in the bar, ``sentence`` (with
    ``{reason}``: the error's message) when clicked, a program's or server's own words under "Show Details…"."""
    reason = str(error) or type(error).__name__
    notice(window, name).say(short, title=title, details=sentence.format(reason=reason), raw=raw_detail(error))


def raw_detail(error: BaseException) -> str:
    """A server's or a program's own words kept by ``error`` (a domain error's ``detail`` parameter), or ""."""
    params = getattr(error, "params", None)
    return str(params.get("detail", "")) if isinstance(params, dict) else ""
