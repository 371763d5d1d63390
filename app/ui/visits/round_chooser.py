"""The round chooser of the visit page: today's and the last two weeks' rounds, and why one was opened.

:class:`RoundChooser` lists the rounds as "today · 康宁养老院 · 第一家庭医生团队" and says beside the list why
the page opened on the round it shows (the signed-in user's team's round today, its next one, …).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.services.visits.entry_round import RoundToOpen, Why
from app.services.visits.save import RoundChoice, RoundSheet


class RoundChooser(QWidget):
    """The caption, the list of rounds, and the note on the round opened by default.

    Args:
        parent: the page.
        today: returns the day visits are entered on ("today" in the list).
    """

    def __init__(self, parent: QWidget | None = None, *, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._today = today
        self.combo = QComboBox(self)
        self.combo.setObjectName("roundChooser")
        self.combo.setMinimumContentsLength(22)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        label = QLabel(self.tr("Round:"), self)
        label.setBuddy(self.combo)
        self.caption = QLabel(self)  # why the page opened on this round (the user's team's, …)
        self.caption.setObjectName("roundCaption")
        self.caption.setWordWrap(True)  # two lines rather than cut on a small screen
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.caption, 1)

    def fill(self, rounds: Sequence[RoundChoice], current: str | None, sheet: RoundSheet | None) -> None:
        """List ``rounds`` with ``current`` chosen (kept in the list if it is ``sheet``'s), else the first."""
        self.combo.blockSignals(True)
        self.combo.clear()
        for choice in rounds:
            self.combo.addItem(self.round_text(choice), choice.id)
        if current and self.combo.findData(current) < 0 and sheet and sheet.round_id == current:
            self.combo.addItem(self.sheet_text(sheet), current)
        index = self.combo.findData(current) if current else -1
        self.combo.setCurrentIndex(index if index >= 0 else (0 if rounds else -1))
        self.combo.blockSignals(False)

    def select_sheet(self, sheet: RoundSheet) -> None:
        """Choose the round of ``sheet`` (added to the list when it is not in it, e.g. an older round)."""
        if self.combo.findData(sheet.round_id) < 0:
            self.combo.addItem(self.sheet_text(sheet), sheet.round_id)
        self.combo.setCurrentIndex(self.combo.findData(sheet.round_id))

    def set_caption(self, start: RoundToOpen | None) -> None:
        """Say why ``start`` was opened; None: a round was chosen, nothing to explain."""
        if start is None:
            self.caption.clear()
            return
        day = start.day.isoformat()
        texts = {
            Why.TEAM_TODAY: self.tr("Your team's round today"),
            Why.TEAM_NEXT: self.tr("No round of your team today: its next round, on {day}"),
            Why.TEAM_RECENT: self.tr("No round of your team today or to come: its most recent round, on {day}"),
            Why.ANY_TODAY: self.tr("Today's round"),
            Why.ANY_RECENT: self.tr("No round today: the most recent round, on {day}"),
        }
        self.caption.setText(texts[start.why].format(day=day))
        self.caption.setToolTip(self.tr("Other teams' rounds can be chosen in the list"))

    def round_text(self, choice: RoundChoice) -> str:
        when = self.tr("today") if choice.day == self._today() else choice.day.isoformat()
        return f"{when} · {choice.institution}" + (f" · {choice.team}" if choice.team else "")

    def sheet_text(self, sheet: RoundSheet) -> str:
        when = self.tr("today") if sheet.day == self._today() else sheet.day.isoformat()
        return f"{when} · {sheet.institution}" + (f" · {sheet.team}" if sheet.team else "")
