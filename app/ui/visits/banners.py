"""The banners above the visit form: the red urgent alert, and the saved (locked) or corrected visit's note.

:class:`UrgentBanner` says what is urgent and offers *Add a referral*; it stays above the form's scrolling
fields (the editor places it), so an urgent alert is never out of view. :class:`LockBanner` says a saved
visit is locked, with *Correct…*, or what saving the correction does.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.services.visits.save import VisitRecord

URGENT_BANNER_STYLE = (
    "QFrame#urgentBanner { background: #b71c1c; border-radius: 4px; } "
    "QFrame#urgentBanner QLabel { color: white; font-weight: bold; }"
)
LOCK_BANNER_STYLE = "QLabel { background: #e3f2fd; color: #0d2b4e; padding: 6px; border-radius: 4px; }"
CORRECTION_BANNER_STYLE = "QLabel { background: #fff8e1; color: #3d2c00; padding: 6px; border-radius: 4px; }"


class UrgentBanner(QFrame):
    """The red alert of urgent values, with the button that goes to the referral.

    Bold white on red at the text's own size: a larger font took a line of the form on a 1280×720 laptop at 125 %.

    Args:
        parent: the form.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urgentBanner")
        self.setStyleSheet(URGENT_BANNER_STYLE)
        self.label = QLabel(self)
        self.label.setObjectName("urgentText")
        self.label.setWordWrap(True)
        self.add_referral_button = QPushButton(self.tr("Add a referral"), self)
        self.add_referral_button.setObjectName("addReferral")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.add_referral_button)
        self.hide()

    def show_advice(self, lines: Sequence[str], *, offer_referral: bool) -> None:
        """Show ``lines`` (hidden when there are none); ``offer_referral``: show *Add a referral*."""
        if lines:
            self.label.setText("‼ " + "\n".join(lines))
            self.show()
            self.add_referral_button.setVisible(offer_referral)
        else:
            self.hide()


class LockBanner(QWidget):
    """The note over a saved visit (locked, with *Correct…*) or over its correction.

    Args:
        parent: the form.

    Signals:
        correct_requested: *Correct…* was clicked.
    """

    correct_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("lockBanner")
        self.label.setWordWrap(True)
        self.correct_button = QPushButton(self.tr("&Correct…"), self)
        self.correct_button.setObjectName("correctVisit")
        self.correct_button.setToolTip(self.tr("Correct this visit: saving makes a new version (Ctrl+E)"))
        self.correct_button.clicked.connect(self.correct_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.correct_button)
        self.clear()

    def saved_text(self, record: VisitRecord) -> str:
        """Return the note over a saved visit: its version, who recorded it when, and how to correct it."""
        who = record.recorded_by_name or self.tr("the command line")
        when = record.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        text = self.tr("Saved visit, version {version}, recorded by {who} on {when}.").format(
            version=record.version, who=who, when=when
        )
        if record.version > 1:
            text += " " + self.tr("It corrects version {previous}.").format(previous=record.version - 1)
        return (
            "■ "
            + text
            + " "
            + self.tr(
                "A saved visit is locked: a correction is saved as a new version and "
                "the old one stays in the history (Ctrl+E)."
            )
        )

    def show_locked(self, text: str) -> None:
        self.label.setText(text)
        self.label.setStyleSheet(LOCK_BANNER_STYLE)
        self.label.show()
        self.correct_button.show()
        self.show()

    def show_correcting(self, text: str) -> None:
        self.label.setText(text)
        self.label.setStyleSheet(CORRECTION_BANNER_STYLE)
        self.label.show()
        self.correct_button.hide()
        self.show()

    def clear(self) -> None:
        self.label.hide()
        self.correct_button.hide()
        self.hide()  # no empty line above the form
