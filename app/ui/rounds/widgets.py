"""Pieces of the Rounds page: the due-residents table model, a round's button, the day and cancel dialogs,
and how teams sort (一组 before 二组 before 10组)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.domain.residents import Sex
from app.services.rounds.plan import (
    DueResident,
    PlannedRound,
)
from app.ui.widgets.badges import colour_qcolor

if TYPE_CHECKING:
    pass

ModelIndex = QModelIndex | QPersistentModelIndex

_CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_TEAM_NUMBER = re.compile(r"\d+|[零〇一二两三四五六七八九十百]+")


def _chinese_number(text: str) -> int:
    """Read a Chinese numeral below 1000 (一, 十, 十一, 二十三, 一百零五)."""
    total, digit = 0, 0
    for char in text:
        if char == "百":
            total += (digit or 1) * 100
            digit = 0
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _CHINESE_DIGITS[char]
    return total + digit


def team_sort_key(name: str) -> tuple[int, int, str]:
    """Order teams by their number (第一, 第二, 第三, … 第十; Team 2 before Team 12), then by name.

    Names without a number come after the numbered ones.
    """
    match = _TEAM_NUMBER.search(name)
    if match is None:
        return (1, 0, name)
    number = match.group()
    return (0, int(number) if number.isdigit() else _chinese_number(number), name)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DueModel(QAbstractTableModel):
    """The residents due at a round: number, bed, name, sex, age, colour, last seen, why due."""

    COLOUR = 5

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DueResident] = []
        self._day = date.today()
        self._reasons: dict[int, str] = {}

    def set_round(self, planned: PlannedRound | None) -> None:
        self.beginResetModel()
        self._rows = list(planned.due) if planned else []
        self._day = planned.day if planned else date.today()
        self._reasons.clear()
        self.endResetModel()

    def row_at(self, row: int) -> DueResident:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 8

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return (
            self.tr("No."),
            self.tr("Bed"),
            self.tr("Name"),
            self.tr("Sex"),
            self.tr("Age"),
            self.tr("Colour"),
            self.tr("Last seen"),
            self.tr("Why due"),
        )[section]

    def _why(self, row: int) -> str:
        text = self._reasons.get(row)
        if text is None:  # reasons are worked out for the rows on screen only
            text = self._reasons[row] = "；".join(r.text(self._day) for r in self._rows[row].reasons)
        return text

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        resident = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(index.row() + 1)
            if column == 1:
                return resident.bed_label
            if column == 2:
                return resident.name
            if column == 3:
                try:
                    return Sex(resident.sex).label
                except ValueError:
                    return resident.sex
            if column == 4:
                return str(resident.age_on(self._day))
            if column == 5:
                return resident.colour.badge
            if column == 6:
                seen = resident.last_seen
                return seen.isoformat() if seen else self.tr("never")
            return self._why(index.row())
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COLOUR:
            return colour_qcolor(resident.colour)
        if role == Qt.ItemDataRole.ToolTipRole and column == 7:
            return self._why(index.row())
        return None


class RoundButton(QToolButton):
    """One round in the week grid: institution, and residents due or seen."""

    def __init__(self, planned: PlannedRound, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.planned = planned
        self.setObjectName(f"round-{planned.id}")
        self.setCheckable(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setText(self.summary())
        counts = planned.due_by_colour
        self.setToolTip("  ".join(f"{colour.badge} {counts[colour]}" for colour in TriageColour))
        if planned.cancelled:
            font = self.font()
            font.setStrikeOut(True)
            self.setFont(font)

    def summary(self) -> str:
        planned = self.planned
        lines = [planned.institution]
        if planned.cancelled:
            lines.append(self.tr("Cancelled"))
        elif planned.past:
            lines.append(self.tr("{count} seen").format(count=planned.seen))
        else:
            red = planned.due_by_colour[TriageColour.RED]
            lines.append(
                self.tr("{count} due · {symbol} {red}").format(
                    count=len(planned.due), red=red, symbol=TriageColour.RED.badge
                )
            )
        if planned.moved_from is not None:
            lines.append(self.tr("moved from {day}").format(day=planned.moved_from.strftime("%m-%d")))
        return "\n".join(lines)


class DayDialog(QDialog):
    """Ask for a day (moving or adding a round), and for adding, an institution.

    Args:
        title: the window title.
        day: the day to start from.
        institutions: (id, name) choices; None asks for the day only.
        parent: the owning widget.
    """

    def __init__(
        self, title: str, day: date, institutions: Sequence[tuple[str, str]] | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dayDialog")
        self.setWindowTitle(title)
        self.date_edit = QDateEdit(_qdate(day), self)
        self.date_edit.setObjectName("roundDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd ddd")
        # only when adding: made for the day alone (moving), an unplaced combo box showed over the day
        self.institution_combo: QComboBox | None = None
        form = QFormLayout()
        if institutions is not None:
            self.institution_combo = QComboBox(self)
            self.institution_combo.setObjectName("roundInstitution")
            for institution_id, name in institutions:
                self.institution_combo.addItem(name, institution_id)
            form.addRow(self.tr("&Institution:"), self.institution_combo)
        form.addRow(self.tr("&Day:"), self.date_edit)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)

    def day(self) -> date:
        return _date(self.date_edit.date())

    def institution_id(self) -> str | None:
        value = self.institution_combo.currentData() if self.institution_combo is not None else None
        return str(value) if value else None


class CancelDialog(QDialog):
    """Ask why a round is cancelled (required)."""

    def __init__(self, planned: PlannedRound, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelDialog")
        self.setWindowTitle(self.tr("Cancel a round"))
        intro = QLabel(
            self.tr(
                "Cancel the round at {institution} on {day}? The agreement asks for at least one round a week."
            ).format(institution=planned.institution, day=planned.day.isoformat()),
            self,
        )
        intro.setWordWrap(True)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("cancelReason")
        self.reason_edit.setMaxLength(200)
        label = QLabel(self.tr("&Reason (required):"), self)
        label.setBuddy(self.reason_edit)
        # the buttons say what they do: "OK / Cancel" on a dialog that cancels read as the opposite
        self.box = QDialogButtonBox(self)
        self.cancel_round_button = self.box.addButton(self.tr("Cancel round"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_round_button.setObjectName("confirmCancelRound")
        self.back_button = self.box.addButton(self.tr("Back"), QDialogButtonBox.ButtonRole.RejectRole)
        self.back_button.setObjectName("keepRound")
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(lambda text: self.cancel_round_button.setEnabled(bool(text.strip())))
        self.cancel_round_button.setEnabled(False)
        self.cancel_round_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.box)

    def reason(self) -> str:
        return self.reason_edit.text()
