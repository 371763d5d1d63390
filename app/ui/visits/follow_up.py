"""The chronic-disease follow-up of the visit form — 慢病随访 (issue #16).

:class:`FollowUpSection`: each disease the resident has (hypertension, diabetes) gets its own classification,
proposed from the values — the BP target is 150/90 mmHg from age 65 — until the nurse or doctor chooses one;
two "not controlled" in a row for a disease, or a complication, propose a referral. The follow-up form's
other fields: medication adherence, lifestyle advice, height (the BMI is shown) and, for diabetes, the foot
pulses. Parts of a disease the resident does not have are hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.domain.errors import ValidationError
from app.domain.follow_up import Adherence, ChronicClass, Disease, FootPulse, bmi, proposed_referral, suggest_follow_up
from app.domain.visits import parse_vital


class FollowUpSection(QWidget):
    """A classification per disease, adherence, height and BMI, foot pulses, lifestyle advice.

    Args:
        parent: the form.

    Attributes:
        combos: each disease's classification ("" data: not classified).
        suggestions: beside each classification, what the values propose and why.
        captions: each classification's caption.
        touched: the diseases whose classification was chosen by hand (no longer proposed).

    Signals:
        class_chosen: a classification was chosen by hand.
    """

    class_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpSection")
        self.combos: dict[Disease, QComboBox] = {}
        self.suggestions: dict[Disease, QLabel] = {}
        self.captions: dict[Disease, QLabel] = {}
        self.touched: set[Disease] = set()
        self.chronic_touched = False  # any classification chosen by hand (drafts of before #16 kept only this)
        self.previous: dict[Disease, ChronicClass] = {}
        self.has: dict[Disease, bool] = dict.fromkeys(Disease, False)
        captions = {Disease.HYPERTENSION: self.tr("&Hypertension:"), Disease.DIABETES: self.tr("Diabetes:")}
        for disease in Disease:
            combo = QComboBox(self)
            combo.setObjectName(f"follow_up_{disease.value}")
            combo.addItem(self.tr("— not classified"), "")
            for value in ChronicClass:
                combo.addItem(value.label, value.value)
            combo.activated.connect(lambda _index, which=disease: self._chosen(which))
            self.combos[disease] = combo
            suggestion = QLabel(self)
            suggestion.setObjectName(f"followUpSuggestion_{disease.value}")
            suggestion.setWordWrap(True)
            self.suggestions[disease] = suggestion
            caption = QLabel(captions[disease], self)
            caption.setBuddy(combo)
            self.captions[disease] = caption
        self.adherence_combo = QComboBox(self)
        self.adherence_combo.setObjectName("adherence")
        self.adherence_combo.addItem(self.tr("— adherence"), "")
        for adherence in Adherence:
            self.adherence_combo.addItem(adherence.label, adherence.value)
        self.height_edit = QLineEdit(self)
        self.height_edit.setObjectName("height")
        self.height_edit.setPlaceholderText(self.tr("height cm"))
        self.height_edit.setMaxLength(6)
        self.height_edit.setFixedWidth(self.height_edit.fontMetrics().horizontalAdvance("height cm") + 24)
        self.bmi_label = QLabel(self)
        self.bmi_label.setObjectName("bmi")
        self.foot_pulse_combo = QComboBox(self)
        self.foot_pulse_combo.setObjectName("foot_pulse")
        self.foot_pulse_combo.addItem(self.tr("— foot pulses"), "")
        for pulse in FootPulse:
            self.foot_pulse_combo.addItem(pulse.label, pulse.value)
        self.advice_edit = QLineEdit(self)
        self.advice_edit.setObjectName("lifestyle_advice")
        self.advice_edit.setMaxLength(300)
        self.advice_edit.setPlaceholderText(self.tr("Lifestyle advice: salt, diet, exercise, smoking, alcohol"))
        self.form_caption = QLabel(self.tr("Follow-up form:"), self)
        self.form_caption.setBuddy(self.adherence_combo)
        self.referral_proposal = QLabel(self)
        self.referral_proposal.setObjectName("referralProposal")
        self.referral_proposal.setWordWrap(True)
        self.referral_proposal.setStyleSheet("color: #b71c1c; font-weight: bold;")

        # right under the vital signs: a line per disease (caption, class, what the values propose), then adherence,
        # height and BMI, then the foot pulses (diabetes) and the lifestyle advice: narrow enough for a laptop
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        for row, disease in enumerate(Disease):
            grid.addWidget(self.captions[disease], row, 0)
            grid.addWidget(self.combos[disease], row, 1)
            grid.addWidget(self.suggestions[disease], row, 2)
        row = len(Disease)
        grid.addWidget(self.form_caption, row, 0)
        form_row = QHBoxLayout()
        form_row.addWidget(self.adherence_combo)
        form_row.addWidget(self.height_edit)
        form_row.addWidget(self.bmi_label)
        form_row.addStretch(1)
        grid.addLayout(form_row, row, 1, 1, 2)
        advice_row = QHBoxLayout()
        advice_row.addWidget(self.foot_pulse_combo)
        advice_row.addWidget(self.advice_edit, 1)
        grid.addLayout(advice_row, row + 1, 1, 1, 2)
        grid.addWidget(self.referral_proposal, row + 2, 1, 1, 2)
        grid.setColumnStretch(2, 1)

    @property
    def fields(self) -> list[QWidget]:
        """The section's fields in Tab order."""
        return [*self.combos.values(), self.adherence_combo, self.height_edit, self.foot_pulse_combo, self.advice_edit]

    def set_diseases(self, *, hypertension: bool, diabetes: bool, previous: Mapping[str, str], editable: bool) -> None:
        """Show each disease's parts only for a resident with it; ``previous``: the last visit's classes by disease."""
        self.has = {Disease.HYPERTENSION: hypertension, Disease.DIABETES: diabetes}
        self.previous = {
            Disease(name): ChronicClass(value)
            for name, value in previous.items()
            if name in set(Disease) and value in set(ChronicClass)
        }
        for disease, visible in self.has.items():
            for widget in (self.captions[disease], self.combos[disease], self.suggestions[disease]):
                widget.setVisible(visible)
            self.combos[disease].setEnabled(visible and editable)
        any_disease = hypertension or diabetes
        for part in (self.form_caption, self.adherence_combo, self.advice_edit, self.height_edit, self.bmi_label):
            part.setVisible(any_disease)
        self.foot_pulse_combo.setVisible(diabetes)

    def set_editable(self, editable: bool) -> None:
        for widget in (self.adherence_combo, self.foot_pulse_combo):
            widget.setEnabled(editable)
        for edit in (self.height_edit, self.advice_edit):
            edit.setReadOnly(not editable)
            edit.style().unpolish(edit)  # the style sheet's [readOnly] selector is read when polished
            edit.style().polish(edit)
        self.enable_classes(editable)

    def enable_classes(self, editable: bool) -> None:
        """Let the classifications of the resident's diseases be chosen (or not: locked, or not seen)."""
        for disease, combo in self.combos.items():
            combo.setEnabled(editable and self.has[disease])

    def clear(self) -> None:
        for combo in (*self.combos.values(), self.adherence_combo, self.foot_pulse_combo):
            combo.setCurrentIndex(0)
        self.touched = set()
        self.chronic_touched = False
        self.height_edit.clear()
        self.advice_edit.clear()

    def propose(
        self,
        *,
        age: int | None,
        values: Mapping[str, float | None],
        fasting: bool,
        seen: bool,
        locked: bool,
        weight_text: str,
    ) -> None:
        """Propose each disease's classification from ``values`` (sbp, dbp, glucose; DOMAIN §4) until chosen by hand,
        the referral two "not controlled" in a row or a complication propose, and the BMI from ``weight_text``."""
        proposals: list[str] = []
        for disease, label in self.suggestions.items():
            if not self.has[disease]:
                label.clear()
                continue
            suggestion = (
                suggest_follow_up(
                    disease,
                    age=age,
                    sbp=values.get("sbp"),
                    dbp=values.get("dbp"),
                    glucose=values.get("glucose"),
                    glucose_fasting=fasting,
                )
                if seen
                else None
            )
            if suggestion is None:
                label.setText(
                    self.tr("Choose after measuring (target below 140/90 mmHg, 150/90 from 65)")
                    if disease is Disease.HYPERTENSION
                    else self.tr("Choose after measuring (fasting glucose below 7.0 mmol/L)")
                )
            else:
                combo = self.combos[disease]
                if disease not in self.touched and not locked:
                    combo.setCurrentIndex(combo.findData(suggestion.chronic_class.value))
                # the class chosen is the one proposed: only why (short, beside it on a small screen)
                label.setText(
                    self.tr("Why: {why}").format(why=suggestion.text)
                    if combo.currentData() == suggestion.chronic_class.value
                    else self.tr("Suggested: {choice} — {why}").format(
                        choice=suggestion.chronic_class.label, why=suggestion.text
                    )
                )
            chosen = self.combos[disease].currentData()
            current = ChronicClass(chosen) if chosen else None
            proposal = proposed_referral(disease, current, self.previous.get(disease))
            if proposal:
                proposals.append(proposal)
        self.referral_proposal.setText("‼ " + "；".join(proposals) if proposals else "")
        self.referral_proposal.setVisible(bool(proposals))
        try:
            height = parse_vital("height", self.height_edit.text())
            weight = parse_vital("weight", weight_text)
        except ValidationError:
            height = weight = None
        found = bmi(weight, height) if height and 100 <= height <= 220 else None
        self.bmi_label.setText(self.tr("BMI {value}").format(value=found) if found is not None else "")

    def classes(self, seen: bool) -> tuple[tuple[str, str], ...]:
        """Return the (disease, class) pairs chosen for the resident's diseases (none when not seen)."""
        return tuple(
            (disease.value, str(combo.currentData()))
            for disease, combo in self.combos.items()
            if seen and combo.isVisibleTo(self) and combo.currentData()
        )

    def _chosen(self, disease: Disease) -> None:
        self.touched.add(disease)
        self.chronic_touched = True
        self.class_chosen.emit()

    def values(self) -> dict[str, Any]:
        """Return the choices and texts as they are (for drafts)."""
        return {
            "follow_ups": {disease.value: combo.currentData() for disease, combo in self.combos.items()},
            "follow_ups_touched": sorted(disease.value for disease in self.touched),
            "chronic_touched": self.chronic_touched,
            "adherence": self.adherence_combo.currentData(),
            "foot_pulse": self.foot_pulse_combo.currentData(),
            "lifestyle_advice": self.advice_edit.text(),
            "height": self.height_edit.text(),
        }

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill what ``values`` gives (as :meth:`values` returns it, or a visit's single ``chronic_class``)."""
        for name, edit in (("lifestyle_advice", self.advice_edit), ("height", self.height_edit)):
            if name in values:
                edit.setText(str(values[name] or ""))
        follow_ups = values.get("follow_ups")
        if isinstance(follow_ups, Mapping):
            for disease, combo in self.combos.items():
                combo.setCurrentIndex(max(0, combo.findData(str(follow_ups.get(disease.value, "")))))
            touched = values.get("follow_ups_touched")
            self.touched = (
                {Disease(name) for name in touched if name in set(Disease)}
                if isinstance(touched, list)
                else {Disease(name) for name in follow_ups if name in set(Disease)}
            )
        elif "chronic_class" in values:  # a draft or visit of before the per-disease forms: one class for all
            for combo in self.combos.values():
                combo.setCurrentIndex(max(0, combo.findData(str(values["chronic_class"]))))
            if values.get("chronic_touched"):
                self.touched = set(Disease)
        for name, combo in (("adherence", self.adherence_combo), ("foot_pulse", self.foot_pulse_combo)):
            if name in values:
                combo.setCurrentIndex(max(0, combo.findData(str(values[name] or ""))))
        self.chronic_touched = bool(values.get("chronic_touched", self.chronic_touched))
