"""Dose changes at a visit — 剂量调整: a new daily quantity or a stop for each long-term medication (issue 18).

:class:`DoseChangesSection` shows one compact line per long-term medication of the resident (followed for
proxy refills): its name and daily quantity now, a box for the new daily quantity and a Stop check box,
one a line; a long name is cut rather than widening the form (a laptop at 125 % leaves it under 400
pixels), whole in its tooltip. Saving the visit applies the changes (:mod:`app.services.visits.doses`) in the
visit's transaction; the refill list follows. Shown only for a new visit by someone who may change the record
(doctors), and only when the resident has such medications.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.domain.errors import ValidationError
from app.domain.refills import parse_daily_quantity
from app.services.visits.doses import DoseChange, LongTermMedication


class DoseChangesSection(QWidget):
    """The long-term medications' new daily quantities.

    Signals:
        edited: the user changed something.

    Attributes:
        caption: the caption (lined up with the form's other captions).
        edits, stops: the new-quantity box and the Stop check box of each medication, by id.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doseChanges")
        self.caption = QLabel(self.tr("Do&se changes:"), self)
        self.caption.setToolTip(
            self.tr("A new daily quantity, or Stop: applied when the visit is saved; the refill list follows")
        )
        self._cells = QGridLayout()
        self._cells.setContentsMargins(0, 0, 0, 0)
        self._cells.setHorizontalSpacing(6)
        self._cells.setColumnStretch(3, 1)
        self._cells.setVerticalSpacing(2)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.caption, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(self._cells, 1)
        self.medications: list[LongTermMedication] = []
        self.edits: dict[str, QLineEdit] = {}
        self.stops: dict[str, QCheckBox] = {}
        self._editable = True
        self.setVisible(False)

    @property
    def fields(self) -> list[QWidget]:
        """The boxes in the order Tab moves through them."""
        found: list[QWidget] = []
        for medication in self.medications:
            found += [self.edits[medication.id], self.stops[medication.id]]
        return found

    def set_medications(self, medications: Sequence[LongTermMedication]) -> None:
        """Show a line for each medication (none: the section is hidden)."""
        while self._cells.count():
            item = self._cells.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.medications = list(medications)
        self.edits, self.stops = {}, {}
        for index, medication in enumerate(self.medications):
            now = f"{medication.daily_quantity.normalize():f}"
            text = self.tr("{name} {quantity} {unit}/day →")
            name = QLabel(text.format(name=medication.name, quantity=now, unit=medication.unit), self)
            name.setToolTip(name.text())
            name.setMinimumWidth(1)  # may shrink below its text: the form's width is the window's
            edit = QLineEdit(self)
            edit.setObjectName(f"dose_{index}")
            edit.setMaxLength(6)
            edit.setPlaceholderText(now)
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("0000.00") + 12)
            edit.setAccessibleName(self.tr("New daily quantity of {name}").format(name=medication.name))
            name.setBuddy(edit)
            stop = QCheckBox(self.tr("Stop"), self)
            stop.setAccessibleName(self.tr("Stop {name}").format(name=medication.name))
            edit.textEdited.connect(self.edited)
            stop.toggled.connect(lambda checked, box=edit: self._stop_toggled(box, checked))
            # one line each, in columns: the boxes line up under each other
            self._cells.addWidget(name, index, 0)
            self._cells.addWidget(edit, index, 1)
            self._cells.addWidget(stop, index, 2)
            self.edits[medication.id], self.stops[medication.id] = edit, stop
        if self.medications:
            self.caption.setBuddy(self.edits[self.medications[0].id])  # Alt+S: the first box
        self.setVisible(bool(self.medications))
        self.set_editable(self._editable)

    def _stop_toggled(self, edit: QLineEdit, checked: bool) -> None:
        if checked:
            edit.clear()
        edit.setEnabled(self._editable and not checked)
        self.edited.emit()

    def changes(self) -> list[DoseChange]:
        """Return the changes typed (a quantity equal to today's is no change).

        Raises:
            ValidationError: on ``daily_quantity`` for a box that holds no number in (0, 100] (0 is Stop).
        """
        found = []
        for medication in self.medications:
            if not self.isEnabled():
                break
            if self.stops[medication.id].isChecked():
                found.append(DoseChange(medication.id, Decimal(0)))
                continue
            text = self.edits[medication.id].text().strip()
            if not text:
                continue
            quantity = parse_daily_quantity(text, stop=True)
            if quantity != medication.daily_quantity:
                found.append(DoseChange(medication.id, quantity))
        return found

    def invalid_edit(self) -> QLineEdit | None:
        """Return the first box whose text is not a daily quantity (for focusing after an error)."""
        for medication in self.medications:
            edit = self.edits[medication.id]
            try:
                if edit.text().strip():
                    parse_daily_quantity(edit.text(), stop=True)
            except ValidationError:
                return edit
        return next(iter(self.edits.values()), None)

    def clear(self) -> None:
        for medication in self.medications:
            self.stops[medication.id].setChecked(False)
            self.edits[medication.id].clear()

    def set_editable(self, editable: bool) -> None:
        """Enable the boxes for a new visit; a saved visit or a correction changes no medication."""
        self._editable = editable
        self.setEnabled(editable)
        for medication in self.medications:
            self.edits[medication.id].setEnabled(editable and not self.stops[medication.id].isChecked())
