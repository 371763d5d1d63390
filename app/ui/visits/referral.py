"""The referral of the visit form — 转诊 — and the outcome of the resident's open referral (issue #16).

:class:`ReferralSection`: where to, why, urgent, green channel; *Add a referral* fills the home's green-channel
hospital. When the resident has an open referral, its outcome (admitted, treated and returned, …) can be
recorded with the visit, which closes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.domain.referrals import ReferralOutcome
from app.domain.visits import ReferralEntry


class ReferralSection(QWidget):
    """A referral made at the visit, and the outcome of the open one.

    Args:
        parent: the form.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralSection")
        self.open_referral_label = QLabel(self)
        self.open_referral_label.setObjectName("openReferral")
        self.open_referral_label.setWordWrap(True)
        self.outcome_combo = QComboBox(self)
        self.outcome_combo.setObjectName("referral_outcome")
        self.outcome_combo.addItem(self.tr("— still open"), "")
        for ending in ReferralOutcome:
            self.outcome_combo.addItem(ending.label, ending.value)
        self._open_referral_id: str | None = None
        self.green_channel = ""

        self.destination = QLineEdit(self)
        self.destination.setObjectName("referral_destination")
        self.destination.setMaxLength(60)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("referral_reason")
        self.reason.setMaxLength(300)
        self.reason.setPlaceholderText(self.tr("Why"))
        self.urgent = QCheckBox(self.tr("&Urgent"), self)
        self.urgent.setObjectName("referral_urgent")
        self.green = QCheckBox(self.tr("Green channel"), self)
        self.green.setObjectName("referral_green_channel")

        self.caption = QLabel(self.tr("&Referral to:"), self)
        self.caption.setBuddy(self.destination)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.caption, 0, 0)
        referral_row = QHBoxLayout()
        referral_row.addWidget(self.destination, 2)
        referral_row.addWidget(self.reason, 3)
        grid.addLayout(referral_row, 0, 1)
        marks_row = QHBoxLayout()  # on a line of their own: the form stays narrow enough for a laptop
        marks_row.addWidget(self.urgent)
        marks_row.addWidget(self.green)
        marks_row.addStretch(1)
        grid.addLayout(marks_row, 1, 1)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_referral_label, 1)
        open_row.addWidget(self.outcome_combo)
        grid.addLayout(open_row, 2, 1)
        grid.setColumnStretch(1, 1)

    @property
    def fields(self) -> list[QWidget]:
        """The section's fields in Tab order."""
        return [self.destination, self.reason, self.urgent, self.green, self.outcome_combo]

    def clear(self, *, green_channel: str) -> None:
        """Empty the referral for a new visit; ``green_channel``: the home's hospital, proposed as the destination."""
        self.destination.clear()
        self.reason.clear()
        self.urgent.setChecked(False)
        self.green.setChecked(False)
        self.outcome_combo.setCurrentIndex(0)
        self.green_channel = green_channel
        self.destination.setPlaceholderText(
            self.tr("e.g. {hospital} (green channel)").format(hospital=green_channel)
            if green_channel
            else self.tr("Hospital or department")
        )

    def set_open_referral(self, referral: tuple[str, date, str] | None) -> None:
        """Show the resident's open referral (id, opened on, destination), whose outcome the visit may record."""
        self._open_referral_id = referral[0] if referral else None
        self.outcome_combo.setCurrentIndex(0)
        if referral is None:
            self.open_referral_label.clear()
        else:
            self.open_referral_label.setText(
                self.tr("Open referral of {date} to {destination}: its outcome").format(
                    date=referral[1].isoformat(), destination=referral[2]
                )
            )
        for widget in (self.open_referral_label, self.outcome_combo):
            widget.setVisible(referral is not None)

    def outcome(self) -> tuple[str, str] | None:
        """Return (referral id, outcome) when the visit records the outcome of the open referral, else None."""
        outcome = self.outcome_combo.currentData()
        if self._open_referral_id is None or not outcome:
            return None
        return self._open_referral_id, str(outcome)

    def entry(self) -> ReferralEntry | None:
        """Return the referral typed, or None when nothing of it is."""
        destination, reason = self.destination.text(), self.reason.text()
        urgent, green = self.urgent.isChecked(), self.green.isChecked()
        if destination.strip() or reason.strip() or urgent or green:
            return ReferralEntry(destination, reason, urgent, green)
        return None

    def fill_green_channel(self) -> bool:
        """Fill the home's green-channel hospital when the destination is empty; True when it did."""
        if self.destination.text().strip() or not self.green_channel:
            return False
        self.destination.setText(self.green_channel)
        self.green.setChecked(True)
        return True

    def set_editable(self, editable: bool) -> None:
        for edit in (self.destination, self.reason):
            edit.setReadOnly(not editable)
            edit.style().unpolish(edit)  # the style sheet's [readOnly] selector is read when polished
            edit.style().polish(edit)
        for widget in (self.urgent, self.green, self.outcome_combo):
            widget.setEnabled(editable)

    def values(self) -> dict[str, Any]:
        """Return the referral as typed (for drafts)."""
        return {
            "referral_urgent": self.urgent.isChecked(),
            "referral_green_channel": self.green.isChecked(),
            "referral_destination": self.destination.text(),
            "referral_reason": self.reason.text(),
        }

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill what ``values`` gives (as :meth:`values` returns it)."""
        for name, edit in (("referral_destination", self.destination), ("referral_reason", self.reason)):
            if name in values:
                edit.setText(str(values[name] or ""))
        for name, check in (("referral_urgent", self.urgent), ("referral_green_channel", self.green)):
            if name in values:
                check.setChecked(bool(values[name]))
