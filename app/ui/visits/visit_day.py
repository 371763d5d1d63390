"""The first line of the visit form: the outcome (seen, absent, …), the visit's day, and why it is entered late.

:class:`VisitDayRow` checks the day as it is typed (a date, not after today) and shows the late-entry reason
only for a day long enough ago (:func:`app.domain.visits.is_late`), filled with "typed from the paper round
sheet" until the nurse writes another.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from app.domain.errors import ValidationError
from app.domain.validation import parse_date
from app.domain.visits import VisitOutcome, is_late


class VisitDayRow(QWidget):
    """Outcome, visit date (its error beside it), and the late entry's reason.

    Args:
        parent: the form.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome_combo = QComboBox(self)
        self.outcome_combo.setObjectName("outcome")
        for outcome in VisitOutcome:
            self.outcome_combo.addItem(outcome.label, outcome.value)
        self.date_edit = QLineEdit(self)
        self.date_edit.setObjectName("visit_date")
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.date_edit.setMaxLength(20)
        self.date_edit.setFixedWidth(self.date_edit.fontMetrics().horizontalAdvance("2026-12-31") + 36)
        self.late_reason = QLineEdit(self)
        self.late_reason.setObjectName("late_reason")
        self.late_reason.setMaxLength(200)
        self.late_reason.setPlaceholderText(self.tr("Why it is entered only now"))
        self.late_caption = QLabel(self.tr("&Late entry, reason:"), self)
        self.late_caption.setBuddy(self.late_reason)
        self.date_error = QLabel(self)
        self.date_error.setObjectName("visit_dateFlag")

        top = QGridLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        outcome_caption = QLabel(self.tr("&Outcome:"), self)
        outcome_caption.setBuddy(self.outcome_combo)
        date_caption = QLabel(self.tr("&Visit date:"), self)
        date_caption.setBuddy(self.date_edit)
        top.addWidget(outcome_caption, 0, 0)
        top.addWidget(self.outcome_combo, 0, 1)
        top.addWidget(date_caption, 0, 2, Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.date_edit, 0, 3)
        top.addWidget(self.date_error, 0, 4)
        top.addWidget(self.late_caption, 0, 5, Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.late_reason, 0, 6)
        top.setColumnStretch(6, 1)

    def outcome(self) -> VisitOutcome:
        return VisitOutcome(self.outcome_combo.currentData())

    def visit_date(self) -> date:
        """Return the day typed.

        Raises:
            ValidationError: on ``visit_date`` when it is not a date.
        """
        return parse_date(self.date_edit.text(), field="visit_date")

    def late_reason_text(self) -> str:
        return self.late_reason.text() if self.late_reason.isVisible() or self.late_reason.text() else ""

    def update_late(self, today: date, *, fill_default: bool, locked: bool) -> None:
        """Check the day typed against ``today``; show the late reason for a late entry (``fill_default``: with the
        usual reason when it is empty and the visit not ``locked``)."""
        try:
            day = self.visit_date()
        except ValidationError as error:
            self.date_error.setText(f"⚠ {error.reason}")
            self.date_error.setStyleSheet("color: #c62828;")
            late = False
        else:
            if day > today:
                self.date_error.setText("⚠ " + self.tr("later than today"))
                self.date_error.setStyleSheet("color: #c62828;")
            else:
                self.date_error.clear()
            late = is_late(day, today)
        self.late_caption.setVisible(late)
        self.late_reason.setVisible(late)
        if late and fill_default and not self.late_reason.text() and not locked:
            self.late_reason.setText(self.tr("Typed from the paper round sheet"))
