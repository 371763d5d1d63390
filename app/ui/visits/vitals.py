"""The vital signs of the visit form — 生命体征: a box per measure, its unit, and its flag as typed.

:class:`VitalsSection` lays the seven measures out and shows what :mod:`app.domain.vitals` found for each
(:meth:`VitalsSection.show_flag`): outside the accepted range ⚠ (outlined), abnormal ▲ (tinted), urgent ‼
(tinted red). It knows nothing of the rest of the form; :class:`~app.ui.visits.form.VisitForm` checks the
values and asks it to show the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from app.domain.errors import DomainError, ValidationError
from app.domain.visits import VITAL_FIELDS, parse_vital
from app.domain.vitals import FlagLevel, VitalFlag, VitalsAssessment, validate_vital_values, validate_vitals

ABNORMAL_STYLE = "QLineEdit { background: #fff3cd; color: #3d2c00; border: 2px solid #b8860b; }"
URGENT_STYLE = "QLineEdit { background: #fde0e0; color: #5c0000; border: 2px solid #c62828; font-weight: bold; }"
ERROR_STYLE = "QLineEdit { border: 2px dashed #c62828; }"

PLACEHOLDERS = {
    "sbp": "50–300",
    "dbp": "20–200",
    "pulse": "20–250",
    "temperature": "30.0–45.0",
    "spo2": "50–100",
    "glucose": "1.0–40.0",
    "weight": "20–250",
}


class VitalsSection(QWidget):
    """The seven vital signs' boxes, units and flags, and the fasting box of the glucose.

    Args:
        parent: the form.

    Attributes:
        edits: the box of each measure, by field name (:data:`~app.domain.visits.VITAL_FIELDS`).
        flags: the label under each box saying what is wrong with its value (hidden when nothing is).
        units: the unit beside each box.
        fasting_check: the glucose was measured fasting.
        errors: after :meth:`check`, what is wrong with each box that is not a number in its range.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vitalsGroup")
        self.edits: dict[str, QLineEdit] = {}
        self.flags: dict[str, QLabel] = {}
        self.units: dict[str, QLabel] = {}
        self.errors: dict[str, str] = {}
        unit_texts = {
            "sbp": "mmHg",
            "dbp": "mmHg",
            "pulse": self.tr("/min"),
            "temperature": "°C",
            "spo2": "%",
            "glucose": "mmol/L",
            "weight": "kg",
        }
        for name in VITAL_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(name)
            edit.setMaxLength(8)
            edit.setPlaceholderText(PLACEHOLDERS[name])
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("30.0–45.0") + 16)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.edits[name] = edit
            flag = QLabel(self)
            flag.setObjectName(f"{name}Flag")
            flag.setWordWrap(True)
            flag.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.flags[name] = flag
        self.fasting_check = QCheckBox(self.tr("Fasting"), self)  # no Alt+F: the File menu's; Tab from glucose
        self.fasting_check.setObjectName("glucose_fasting")
        self.fasting_check.setToolTip(self.tr("Measured fasting (空腹); otherwise a random glucose"))

        # two measures a row, each caption left of its box, the unit after it (SBP | DBP, pulse | temperature,
        # SpO₂ | glucose, weight | ☐ fasting under the glucose): the seven vitals and the classification under them
        # fit a 1280×720 laptop at 125 % beside the round sheet, without scrolling. A measure's flag shows on a line
        # of its own under the row, across both halves, only when there is one.
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(1)
        labels = {
            "sbp": self.tr("S&BP"),
            "dbp": self.tr("&DBP"),
            "pulse": self.tr("&Pulse"),
            "temperature": self.tr("&Temp."),
            "spo2": self.tr("SpO₂"),
            "glucose": self.tr("&Glucose"),
            "weight": self.tr("&Weight"),
        }
        places = {  # (pair, half): read left to right, top to bottom, in the Tab order
            "sbp": (0, 0),
            "dbp": (0, 1),
            "pulse": (1, 0),
            "temperature": (1, 1),
            "spo2": (2, 0),
            "glucose": (2, 1),
            "weight": (3, 0),
        }
        self.captions: dict[str, QLabel] = {}
        for name in VITAL_FIELDS:
            pair, half = places[name]
            row, column = pair * 3, half * 4
            caption = QLabel(labels[name], self)
            caption.setBuddy(self.edits[name])
            self.captions[name] = caption
            grid.addWidget(caption, row, column)
            grid.addWidget(self.edits[name], row, column + 1)
            unit = QLabel(unit_texts[name], self)
            unit.setObjectName(f"{name}Unit")
            unit.setMinimumWidth(unit.sizeHint().width())  # the unit keeps its whole width
            self.units[name] = unit
            grid.addWidget(unit, row + 0, column + 2)
            flag = self.flags[name]
            flag.hide()
            grid.addWidget(flag, row + 1 + half, 0, 1, 8)  # a line under the row: the left measure's, then the right's
        # the fasting box under the glucose box, on the weight's row (Tab: glucose, fasting, weight)
        grid.addWidget(self.fasting_check, places["weight"][0] * 3, 5, 1, 2)
        grid.setColumnMinimumWidth(3, 10)  # the gap between the halves
        grid.setColumnStretch(7, 1)  # the room left after them

    def check(self, *, seen: bool, previous_weight: float | None, diabetic: bool) -> VitalsAssessment:
        """Check each box on its own (range, number), then flag the good ones together; show the result on each."""
        self.errors = {}
        good: dict[str, float] = {}
        for name in VITAL_FIELDS:
            try:
                value = parse_vital(name, self.edits[name].text())
                if value is not None:
                    validate_vital_values({name: value})  # its range; fasting moves no range
                    good[name] = value
            except ValidationError as error:
                self.errors[name] = error.reason
        if "sbp" in good and "dbp" in good and good["sbp"] <= good["dbp"]:
            try:
                validate_vitals(sbp=good["sbp"], dbp=good["dbp"])
            except ValidationError as error:
                self.errors["sbp"] = error.reason
                good.pop("sbp")
        try:
            assessment = (
                validate_vital_values(
                    good,
                    glucose_fasting=self.fasting_check.isChecked(),
                    previous_weight=previous_weight,
                    diabetic=diabetic,
                )
                if seen
                else VitalsAssessment(())
            )
        except (DomainError, ValueError):
            assessment = VitalsAssessment(())
        for name in VITAL_FIELDS:
            self.show_flag(name, error=self.errors.get(name) if seen else None, flag=assessment.flag(name))
        return assessment

    def numbers(self, seen: bool) -> dict[str, float | None]:
        """Return each measure typed as a number (None: empty, or the resident was not seen).

        Raises:
            ValidationError: on the first box that is not a number.
        """
        return {name: parse_vital(name, self.edits[name].text()) if seen else None for name in VITAL_FIELDS}

    def values(self) -> dict[str, Any]:
        """Return the boxes as typed, and the fasting box (for drafts)."""
        values: dict[str, Any] = {name: self.edits[name].text() for name in VITAL_FIELDS}
        values["glucose_fasting"] = self.fasting_check.isChecked()
        return values

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the boxes given in ``values`` (as :meth:`values` returns them); the others are left as they are."""
        for name in VITAL_FIELDS:
            if name in values:
                self.edits[name].setText(str(values[name] or ""))
        if "glucose_fasting" in values:
            self.fasting_check.setChecked(bool(values["glucose_fasting"]))

    def clear(self) -> None:
        for edit in self.edits.values():
            edit.clear()
        self.fasting_check.setChecked(False)

    def set_editable(self, editable: bool) -> None:
        """Make the boxes read only (a locked visit) or editable again."""
        for edit in self.edits.values():
            edit.setReadOnly(not editable)
            edit.style().unpolish(edit)  # the style sheet's [readOnly] selector is read when polished
            edit.style().polish(edit)
        self.fasting_check.setEnabled(editable)

    def set_seen(self, seen: bool, *, editable: bool) -> None:
        """Grey the boxes out when the resident was not seen (no vital signs)."""
        for edit in self.edits.values():
            edit.setEnabled(seen)
        self.fasting_check.setEnabled(seen and editable)

    def show_flag(self, name: str, *, error: str | None, flag: VitalFlag | None) -> None:
        """Show on ``name``'s box what is wrong with it: ``error`` (not a number, out of range) first, else ``flag``.

        An urgent flag's line stays hidden (its text kept): the form's urgent banner says it, naming the measure.
        """
        edit = self.edits[name]
        label = self.flags[name]
        urgent = False
        if error is not None:
            edit.setStyleSheet(ERROR_STYLE)
            label.setText(f"⚠ {error}")
            label.setStyleSheet("color: #c62828;")
            edit.setToolTip(error)
        elif flag is not None and flag.level is FlagLevel.URGENT:
            edit.setStyleSheet(URGENT_STYLE)
            label.setText(f"‼ {flag.reason}")
            label.setStyleSheet("color: #b71c1c; font-weight: bold;")
            edit.setToolTip(str(flag.reason))
            urgent = True
        elif flag is not None and flag.level is FlagLevel.ABNORMAL:
            edit.setStyleSheet(ABNORMAL_STYLE)
            label.setText(f"▲ {flag.reason}")
            label.setStyleSheet("color: #8a5a00;")
            edit.setToolTip(str(flag.reason))
        else:
            edit.setStyleSheet("")
            label.clear()
            label.setStyleSheet("")
            edit.setToolTip("")
        # an empty flag takes no line; an urgent one is said, naming the measure, by the red banner over the form
        # (a line less on a laptop), the box red and bold
        label.setVisible(bool(label.text()) and not urgent)
        edit.setProperty("flag", "error" if error else (flag.level.value if flag else ""))
