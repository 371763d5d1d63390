"""The keyboard-first visit form — 巡诊记录表 — for one resident.

Outcome, vital signs, findings, actions, medication changes, chronic-disease classification, referral,
next-visit note, and the visit's day with the reason for a late entry. Tab moves field to field in that
order. Each vital sign is checked as it is typed with :mod:`app.domain.vitals`:

- outside the accepted range: the box is outlined and the message beside it gives the range (⚠);
- abnormal: the box is tinted and marked ▲ with the reason;
- urgent: tinted and marked ‼, and a red banner at the top of the form says what is urgent and asks
  for a referral and a colour review.

Each disease the resident has (hypertension, diabetes) has its own classification (issue #16), proposed from
the values — the BP target is 150/90 mmHg from age 65 — until the nurse or doctor chooses one; two "not
controlled" in a row for a disease, or a complication, propose a referral. The follow-up form's other fields:
medication adherence, lifestyle advice, height (the BMI is shown) and, for diabetes, the foot pulses. A referral
goes to the home's green-channel hospital by default. The form
is plain: it knows nothing of the database; :mod:`app.ui.visits.page` loads, saves and keeps drafts.
A saved visit is shown *locked* (read only); a correction unlocks it as a new version.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationError
from app.domain.follow_up import Adherence, ChronicClass, Disease, FootPulse, bmi, proposed_referral, suggest_follow_up
from app.domain.referrals import ReferralOutcome
from app.domain.residents import age_in_years
from app.domain.validation import parse_date
from app.domain.visits import VITAL_FIELDS, ReferralEntry, VisitEntry, VisitOutcome, is_late, parse_vital
from app.domain.vitals import FlagLevel, VitalsAssessment, urgent_advice, validate_vital_values, validate_vitals

ABNORMAL_STYLE = "QLineEdit { background: #fff3cd; color: #3d2c00; border: 2px solid #b8860b; }"
URGENT_STYLE = "QLineEdit { background: #fde0e0; color: #5c0000; border: 2px solid #c62828; font-weight: bold; }"
ERROR_STYLE = "QLineEdit { border: 2px dashed #c62828; }"
URGENT_BANNER_STYLE = (
    "QFrame#urgentBanner { background: #b71c1c; border-radius: 4px; } "
    "QFrame#urgentBanner QLabel { color: white; font-weight: bold; }"
)
# a locked (saved) visit's fields take the window's colour, so they do not look like boxes to type into
READ_ONLY_STYLE = (
    'QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"], QAbstractSpinBox[readOnly="true"] '
    "{ background: palette(window); }"
)
LOCK_BANNER_STYLE = "QLabel { background: #e3f2fd; color: #0d2b4e; padding: 6px; border-radius: 4px; }"
CORRECTION_BANNER_STYLE = "QLabel { background: #fff8e1; color: #3d2c00; padding: 6px; border-radius: 4px; }"

TEXT_FIELDS = ("findings", "actions", "medication_changes")
LINE_FIELDS = ("referral_destination", "referral_reason", "next_visit_note", "late_reason", "visit_date")
CHECK_FIELDS = ("glucose_fasting", "referral_urgent", "referral_green_channel")


class VisitForm(QWidget):
    """The fields of one visit.

    Args:
        parent: the owning widget.
        today: returns the day the visit is entered on (tests fix it).

    Signals:
        edited: the user changed something (for the draft timer).
        assessment_changed(object): the :class:`~app.domain.vitals.VitalsAssessment` of the values typed.
        correct_requested: the user asked to correct the locked visit.
    """

    edited = Signal()
    assessment_changed = Signal(object)
    correct_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.setObjectName("visitForm")
        self._today = today
        self._loading = False
        self._locked = False
        self.setStyleSheet(READ_ONLY_STYLE)
        self._chronic_touched = False
        self._hypertension = False
        self._diabetes = False
        self._previous_weight: float | None = None
        self.assessment = VitalsAssessment(())
        self.field_errors: dict[str, str] = {}

        self.urgent_banner = QFrame(self)
        self.urgent_banner.setObjectName("urgentBanner")
        self.urgent_banner.setStyleSheet(URGENT_BANNER_STYLE)
        self.urgent_label = QLabel(self.urgent_banner)
        self.urgent_label.setObjectName("urgentText")
        self.urgent_label.setWordWrap(True)
        font = self.urgent_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.urgent_label.setFont(font)
        self.add_referral_button = QPushButton(self.tr("Add a referral"), self.urgent_banner)
        self.add_referral_button.setObjectName("addReferral")
        self.add_referral_button.clicked.connect(self.focus_referral)
        banner_layout = QHBoxLayout(self.urgent_banner)
        banner_layout.setContentsMargins(10, 8, 10, 8)
        banner_layout.addWidget(self.urgent_label, 1)
        banner_layout.addWidget(self.add_referral_button)
        self.urgent_banner.hide()

        self.lock_label = QLabel(self)
        self.lock_label.setObjectName("lockBanner")
        self.lock_label.setWordWrap(True)
        self.correct_button = QPushButton(self.tr("&Correct…"), self)
        self.correct_button.setObjectName("correctVisit")
        self.correct_button.setToolTip(self.tr("Correct this visit: saving makes a new version (Ctrl+E)"))
        self.correct_button.clicked.connect(self.correct_requested)
        lock_row = QHBoxLayout()
        lock_row.addWidget(self.lock_label, 1)
        lock_row.addWidget(self.correct_button)
        self.lock_label.hide()
        self.correct_button.hide()

        # --- outcome and vitals
        self.outcome_combo = QComboBox(self)
        self.outcome_combo.setObjectName("outcome")
        for outcome in VisitOutcome:
            self.outcome_combo.addItem(outcome.label, outcome.value)
        self.outcome_combo.currentIndexChanged.connect(self._outcome_changed)

        self.vital_edits: dict[str, QLineEdit] = {}
        self.vital_flags: dict[str, QLabel] = {}
        self.unit_labels: dict[str, QLabel] = {}
        units = {
            "sbp": "mmHg",
            "dbp": "mmHg",
            "pulse": self.tr("/min"),
            "temperature": "°C",
            "spo2": "%",
            "glucose": "mmol/L",
            "weight": "kg",
        }
        placeholders = {
            "sbp": "50–300",
            "dbp": "20–200",
            "pulse": "20–250",
            "temperature": "30.0–45.0",
            "spo2": "50–100",
            "glucose": "1.0–40.0",
            "weight": "20–250",
        }
        for name in VITAL_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(name)
            edit.setMaxLength(8)
            edit.setPlaceholderText(placeholders[name])
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("30.0–45.0") + 24)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.textEdited.connect(self._vitals_edited)
            self.vital_edits[name] = edit
            flag = QLabel(self)
            flag.setObjectName(f"{name}Flag")
            flag.setWordWrap(True)
            flag.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.vital_flags[name] = flag
        self.fasting_check = QCheckBox(self.tr("Fasting"), self)  # no Alt+F: the File menu's; Tab from glucose
        self.fasting_check.setObjectName("glucose_fasting")
        self.fasting_check.setToolTip(self.tr("Measured fasting (空腹); otherwise a random glucose"))
        self.fasting_check.toggled.connect(self._vitals_edited)
        self._units = units

        # two measures a row, each caption above its box (SBP | DBP, pulse | temperature, SpO₂ | glucose, weight):
        # the seven vitals fit a 1280×720 laptop at 125 % beside the round sheet, without scrolling either way; a
        # measure's flag shows on the line under it, only when there is one
        self.vitals_group = QWidget(self)
        self.vitals_group.setObjectName("vitalsGroup")
        vitals = QGridLayout(self.vitals_group)
        vitals.setContentsMargins(0, 0, 0, 0)
        vitals.setHorizontalSpacing(6)
        vitals.setVerticalSpacing(1)
        labels = {
            "sbp": self.tr("S&BP"),
            "dbp": self.tr("&DBP"),
            "pulse": self.tr("&Pulse"),
            "temperature": self.tr("&Temperature"),
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
        for name in VITAL_FIELDS:
            pair, half = places[name]
            row, column = pair * 3, half * 4
            caption = QLabel(labels[name], self.vitals_group)
            caption.setBuddy(self.vital_edits[name])
            if name == "glucose":  # 血糖(G) ☐ 空腹: the fasting box beside its caption, out of the boxes' width
                caption_box = QHBoxLayout()
                caption_box.setSpacing(12)
                caption_box.addWidget(caption)
                caption_box.addWidget(self.fasting_check)
                caption_box.addStretch(1)
                vitals.addLayout(caption_box, row, column, 1, 3)
            else:
                vitals.addWidget(caption, row, column, 1, 3)
            vitals.addWidget(self.vital_edits[name], row + 1, column)
            unit = QLabel(units[name], self.vitals_group)
            unit.setObjectName(f"{name}Unit")
            unit.setMinimumWidth(unit.sizeHint().width())  # the unit keeps its whole width
            self.unit_labels[name] = unit
            vitals.addWidget(unit, row + 1, column + 1)
            flag = self.vital_flags[name]
            flag.setParent(self.vitals_group)
            flag.hide()
            vitals.addWidget(flag, row + 2, column, 1, 3)
        vitals.setColumnStretch(6, 1)  # the two halves side by side, the room left after them
        vitals.setColumnMinimumWidth(3, 32)

        # --- findings, actions, medication changes
        self.text_edits: dict[str, QPlainTextEdit] = {}
        for name in TEXT_FIELDS:
            text = QPlainTextEdit(self)
            text.setObjectName(name)
            text.setTabChangesFocus(True)
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 2 + 16)
            text.textChanged.connect(self._text_edited)
            self.text_edits[name] = text
        self.text_edits["findings"].setPlaceholderText(self.tr("Symptoms and findings, e.g. dizziness, oedema"))
        self.text_edits["actions"].setPlaceholderText(self.tr("What was done or advised"))
        self.text_edits["medication_changes"].setPlaceholderText(self.tr("Started, stopped or changed doses"))

        # --- chronic follow-up: one classification per disease, and the form's other fields
        self.follow_up_combos: dict[Disease, QComboBox] = {}
        self.follow_up_suggestions: dict[Disease, QLabel] = {}
        self.follow_up_captions: dict[Disease, QLabel] = {}
        self._follow_up_touched: set[Disease] = set()
        self._previous_classes: dict[Disease, ChronicClass] = {}
        self._birth_date: date | None = None
        disease_captions = {Disease.HYPERTENSION: self.tr("&Hypertension:"), Disease.DIABETES: self.tr("Diabetes:")}
        for disease in Disease:
            combo = QComboBox(self)
            combo.setObjectName(f"follow_up_{disease.value}")
            combo.addItem(self.tr("— not classified"), "")
            for value in ChronicClass:
                combo.addItem(value.label, value.value)
            combo.activated.connect(lambda _index, which=disease: self._follow_up_chosen(which))
            self.follow_up_combos[disease] = combo
            suggestion = QLabel(self)
            suggestion.setObjectName(f"followUpSuggestion_{disease.value}")
            suggestion.setWordWrap(True)
            self.follow_up_suggestions[disease] = suggestion
            disease_caption = QLabel(disease_captions[disease], self)
            disease_caption.setBuddy(combo)
            self.follow_up_captions[disease] = disease_caption
        self.chronic_combo = self.follow_up_combos[Disease.HYPERTENSION]  # the first, as older code knew it
        self.chronic_suggestion = self.follow_up_suggestions[Disease.HYPERTENSION]
        self.adherence_combo = QComboBox(self)
        self.adherence_combo.setObjectName("adherence")
        self.adherence_combo.addItem(self.tr("— adherence"), "")
        for adherence in Adherence:
            self.adherence_combo.addItem(adherence.label, adherence.value)
        self.adherence_combo.activated.connect(self._line_edited)
        self.height_edit = QLineEdit(self)
        self.height_edit.setObjectName("height")
        self.height_edit.setPlaceholderText(self.tr("height cm"))
        self.height_edit.setMaxLength(6)
        self.height_edit.setFixedWidth(self.height_edit.fontMetrics().horizontalAdvance("height cm") + 24)
        self.height_edit.textEdited.connect(self._vitals_edited)
        self.bmi_label = QLabel(self)
        self.bmi_label.setObjectName("bmi")
        self.foot_pulse_combo = QComboBox(self)
        self.foot_pulse_combo.setObjectName("foot_pulse")
        self.foot_pulse_combo.addItem(self.tr("— foot pulses"), "")
        for pulse in FootPulse:
            self.foot_pulse_combo.addItem(pulse.label, pulse.value)
        self.foot_pulse_combo.activated.connect(self._line_edited)
        self.advice_edit = QLineEdit(self)
        self.advice_edit.setObjectName("lifestyle_advice")
        self.advice_edit.setMaxLength(300)
        self.advice_edit.setPlaceholderText(self.tr("Lifestyle advice: salt, diet, exercise, smoking, alcohol"))
        self.advice_edit.textEdited.connect(self._line_edited)
        self.chronic_caption = QLabel(self.tr("Follow-up form:"), self)
        self.chronic_caption.setBuddy(self.adherence_combo)
        self.referral_proposal = QLabel(self)
        self.referral_proposal.setObjectName("referralProposal")
        self.referral_proposal.setWordWrap(True)
        self.referral_proposal.setStyleSheet("color: #b71c1c; font-weight: bold;")
        # the resident's open referral: its outcome can be recorded with this visit
        self.open_referral_label = QLabel(self)
        self.open_referral_label.setObjectName("openReferral")
        self.open_referral_label.setWordWrap(True)
        self.referral_outcome_combo = QComboBox(self)
        self.referral_outcome_combo.setObjectName("referral_outcome")
        self.referral_outcome_combo.addItem(self.tr("— still open"), "")
        for ending in ReferralOutcome:
            self.referral_outcome_combo.addItem(ending.label, ending.value)
        self.referral_outcome_combo.activated.connect(self._line_edited)
        self._open_referral_id: str | None = None
        self._green_channel = ""

        # --- referral
        self.referral_destination = QLineEdit(self)
        self.referral_destination.setObjectName("referral_destination")
        self.referral_destination.setMaxLength(60)
        self.referral_reason = QLineEdit(self)
        self.referral_reason.setObjectName("referral_reason")
        self.referral_reason.setMaxLength(300)
        self.referral_reason.setPlaceholderText(self.tr("Why"))
        self.referral_urgent = QCheckBox(self.tr("&Urgent"), self)
        self.referral_urgent.setObjectName("referral_urgent")
        self.referral_green = QCheckBox(self.tr("Green channel"), self)
        self.referral_green.setObjectName("referral_green_channel")
        for widget in (self.referral_destination, self.referral_reason):
            widget.textEdited.connect(self._line_edited)
        for check in (self.referral_urgent, self.referral_green):
            check.toggled.connect(self._line_edited)

        self.next_note = QLineEdit(self)
        self.next_note.setObjectName("next_visit_note")
        self.next_note.setMaxLength(300)
        self.next_note.setPlaceholderText(self.tr("What to check next time"))
        self.next_note.textEdited.connect(self._line_edited)

        # --- day and late entry
        self.date_edit = QLineEdit(self)
        self.date_edit.setObjectName("visit_date")
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.date_edit.setMaxLength(20)
        self.date_edit.setFixedWidth(self.date_edit.fontMetrics().horizontalAdvance("2026-12-31") + 36)
        self.date_edit.textEdited.connect(self._date_edited)
        self.late_reason = QLineEdit(self)
        self.late_reason.setObjectName("late_reason")
        self.late_reason.setMaxLength(200)
        self.late_reason.setPlaceholderText(self.tr("Why it is entered only now"))
        self.late_reason.textEdited.connect(self._line_edited)
        self.late_caption = QLabel(self.tr("&Late entry, reason:"), self)
        self.late_caption.setBuddy(self.late_reason)
        self.date_error = QLabel(self)
        self.date_error.setObjectName("visit_dateFlag")

        # --- layout
        top = QGridLayout()
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

        texts = QGridLayout()
        captions = {
            "findings": self.tr("F&indings:"),
            "actions": self.tr("&Actions:"),
            "medication_changes": self.tr("&Medication changes:"),
        }
        for row, name in enumerate(TEXT_FIELDS):
            caption = QLabel(captions[name], self)
            caption.setBuddy(self.text_edits[name])
            texts.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            texts.addWidget(self.text_edits[name], row, 1)
        row = len(TEXT_FIELDS)
        for disease in Disease:
            texts.addWidget(self.follow_up_captions[disease], row, 0)
            disease_row = QHBoxLayout()
            disease_row.addWidget(self.follow_up_combos[disease])
            disease_row.addWidget(self.follow_up_suggestions[disease], 1)
            texts.addLayout(disease_row, row, 1)
            row += 1
        texts.addWidget(self.chronic_caption, row, 0)
        form_row = QHBoxLayout()
        form_row.addWidget(self.adherence_combo)
        form_row.addWidget(self.height_edit)
        form_row.addWidget(self.bmi_label)
        form_row.addWidget(self.foot_pulse_combo)
        form_row.addWidget(self.advice_edit, 1)
        texts.addLayout(form_row, row, 1)
        row += 1
        texts.addWidget(self.referral_proposal, row, 1)
        row += 1
        referral_caption = QLabel(self.tr("&Referral to:"), self)
        referral_caption.setBuddy(self.referral_destination)
        texts.addWidget(referral_caption, row, 0)
        referral_row = QHBoxLayout()
        referral_row.addWidget(self.referral_destination, 2)
        referral_row.addWidget(self.referral_reason, 3)
        referral_row.addWidget(self.referral_urgent)
        referral_row.addWidget(self.referral_green)
        texts.addLayout(referral_row, row, 1)
        row += 1
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_referral_label, 1)
        open_row.addWidget(self.referral_outcome_combo)
        texts.addLayout(open_row, row, 1)
        row += 1
        note_caption = QLabel(self.tr("Ne&xt visit:"), self)
        note_caption.setBuddy(self.next_note)
        texts.addWidget(note_caption, row, 0)
        texts.addWidget(self.next_note, row, 1)
        texts.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.urgent_banner)  # the editor moves it above its scroll area
        layout.addLayout(lock_row)
        layout.addLayout(top)
        layout.addWidget(self.vitals_group)
        layout.addLayout(texts)
        layout.addStretch(1)

        order: list[QWidget] = [
            self.outcome_combo,
            *(self.vital_edits[name] for name in VITAL_FIELDS[:6]),
            self.fasting_check,
            self.vital_edits["weight"],
            *(self.text_edits[name] for name in TEXT_FIELDS),
            *self.follow_up_combos.values(),
            self.adherence_combo,
            self.height_edit,
            self.foot_pulse_combo,
            self.advice_edit,
            self.referral_destination,
            self.referral_reason,
            self.referral_urgent,
            self.referral_green,
            self.referral_outcome_combo,
            self.next_note,
            self.date_edit,
            self.late_reason,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        self._tab_order = order
        self.set_chronic(hypertension=False, diabetes=False)
        self.set_open_referral(None)
        self._update_late()

    @property
    def tab_order(self) -> list[QWidget]:
        """The fields in the order Tab moves through them (those shown for this resident)."""
        return [widget for widget in self._tab_order if widget.isVisibleTo(self)]

    # --- what the page sets -----------------------------------------------------------------------------

    def reset(self, *, visit_date: date, previous_weight: float | None = None, green_channel: str = "") -> None:
        """Empty the form for a new visit on ``visit_date``."""
        self._loading = True
        try:
            self._locked = False
            self.outcome_combo.setCurrentIndex(0)
            for edit in self.vital_edits.values():
                edit.clear()
            self.fasting_check.setChecked(False)
            for text in self.text_edits.values():
                text.clear()
            for combo in (
                *self.follow_up_combos.values(), self.adherence_combo, self.foot_pulse_combo,
                self.referral_outcome_combo,
            ):  # fmt: skip
                combo.setCurrentIndex(0)
            self._chronic_touched = False
            self._follow_up_touched = set()
            for edit in (
                self.referral_destination, self.referral_reason, self.next_note, self.late_reason, self.height_edit,
                self.advice_edit,
            ):  # fmt: skip
                edit.clear()
            self._green_channel = green_channel
            self.referral_urgent.setChecked(False)
            self.referral_green.setChecked(False)
            self.referral_destination.setPlaceholderText(
                self.tr("e.g. {hospital} (green channel)").format(hospital=green_channel)
                if green_channel
                else self.tr("Hospital or department")
            )
            self._previous_weight = previous_weight
            self.date_edit.setText(visit_date.isoformat())
            self.lock_label.hide()
            self.correct_button.hide()
            self._set_editable(True)
        finally:
            self._loading = False
        self._refresh()
        self._update_late(fill_default=True)

    def set_chronic(
        self,
        *,
        hypertension: bool,
        diabetes: bool,
        birth_date: date | None = None,
        previous: Mapping[str, str] | None = None,
    ) -> None:
        """Show each disease's classification only for residents with it; ``previous``: the last visit's classes
        by disease (two "not controlled" in a row propose a referral); ``birth_date``: for the BP target."""
        self._hypertension = hypertension
        self._diabetes = diabetes
        self._birth_date = birth_date
        self._previous_classes = {
            Disease(name): ChronicClass(value)
            for name, value in (previous or {}).items()
            if name in set(Disease) and value in set(ChronicClass)
        }
        shown = {Disease.HYPERTENSION: hypertension, Disease.DIABETES: diabetes}
        for disease, visible in shown.items():
            for widget in (
                self.follow_up_captions[disease],
                self.follow_up_combos[disease],
                self.follow_up_suggestions[disease],
            ):
                widget.setVisible(visible)
            self.follow_up_combos[disease].setEnabled(visible and not self._locked)
        any_disease = hypertension or diabetes
        for part in (self.chronic_caption, self.adherence_combo, self.advice_edit, self.height_edit, self.bmi_label):
            part.setVisible(any_disease)
        self.foot_pulse_combo.setVisible(diabetes)
        self._suggest_chronic()

    def set_open_referral(self, referral: tuple[str, date, str] | None) -> None:
        """Show the resident's open referral (id, opened on, destination), whose outcome the visit may record."""
        self._open_referral_id = referral[0] if referral else None
        self.referral_outcome_combo.setCurrentIndex(0)
        if referral is None:
            self.open_referral_label.clear()
        else:
            self.open_referral_label.setText(
                self.tr("Open referral of {date} to {destination}: its outcome").format(
                    date=referral[1].isoformat(), destination=referral[2]
                )
            )
        for widget in (self.open_referral_label, self.referral_outcome_combo):
            widget.setVisible(referral is not None)

    def referral_outcome(self) -> tuple[str, str] | None:
        """Return (referral id, outcome) when the visit records the outcome of the open referral, else None."""
        outcome = self.referral_outcome_combo.currentData()
        if self._open_referral_id is None or not outcome:
            return None
        return self._open_referral_id, str(outcome)

    def set_entry(self, entry: VisitEntry, *, visit_date: date, late_reason: str = "") -> None:
        """Fill the form with a saved visit's values."""
        values: dict[str, Any] = {
            "outcome": entry.outcome,
            "visit_date": visit_date.isoformat(),
            "late_reason": late_reason,
            "glucose_fasting": entry.glucose_fasting,
            "chronic_class": entry.chronic_class,
            "chronic_touched": True,
            "follow_ups": dict(entry.follow_ups),
            "adherence": entry.adherence,
            "lifestyle_advice": entry.lifestyle_advice,
            "height": "" if entry.height is None else f"{entry.height:g}",
            "foot_pulse": entry.foot_pulse,
            "next_visit_note": entry.next_visit_note,
        }
        for name in VITAL_FIELDS:
            value = getattr(entry, name)
            values[name] = "" if value is None else f"{value:g}"
        for name in TEXT_FIELDS:
            values[name] = getattr(entry, name)
        referral = entry.referral
        values.update(
            referral_destination=referral.destination if referral else "",
            referral_reason=referral.reason if referral else "",
            referral_urgent=bool(referral and referral.urgent),
            referral_green_channel=bool(referral and referral.green_channel),
        )
        self.set_values(values)

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the form from :meth:`values` (a draft); unknown keys are ignored, missing ones left as they are."""
        self._loading = True
        try:
            if "outcome" in values:
                self.outcome_combo.setCurrentIndex(max(0, self.outcome_combo.findData(str(values["outcome"]))))
            for name in VITAL_FIELDS:
                if name in values:
                    self.vital_edits[name].setText(str(values[name] or ""))
            for name in TEXT_FIELDS:
                if name in values:
                    self.text_edits[name].setPlainText(str(values[name] or ""))
            line_edits = {
                "referral_destination": self.referral_destination,
                "referral_reason": self.referral_reason,
                "next_visit_note": self.next_note,
                "late_reason": self.late_reason,
                "visit_date": self.date_edit,
                "lifestyle_advice": self.advice_edit,
                "height": self.height_edit,
            }
            for name, edit in line_edits.items():
                if name in values:
                    edit.setText(str(values[name] or ""))
            checks = {
                "glucose_fasting": self.fasting_check,
                "referral_urgent": self.referral_urgent,
                "referral_green_channel": self.referral_green,
            }
            for name, check in checks.items():
                if name in values:
                    check.setChecked(bool(values[name]))
            follow_ups = values.get("follow_ups")
            if isinstance(follow_ups, Mapping):
                for disease, combo in self.follow_up_combos.items():
                    combo.setCurrentIndex(max(0, combo.findData(str(follow_ups.get(disease.value, "")))))
                touched = values.get("follow_ups_touched")
                self._follow_up_touched = (
                    {Disease(name) for name in touched if name in set(Disease)}
                    if isinstance(touched, list)
                    else {Disease(name) for name in follow_ups if name in set(Disease)}
                )
            elif "chronic_class" in values:  # a draft or visit of before the per-disease forms: one class for all
                for combo in self.follow_up_combos.values():
                    combo.setCurrentIndex(max(0, combo.findData(str(values["chronic_class"]))))
                if values.get("chronic_touched"):
                    self._follow_up_touched = set(Disease)
            for name, combo in (("adherence", self.adherence_combo), ("foot_pulse", self.foot_pulse_combo)):
                if name in values:
                    combo.setCurrentIndex(max(0, combo.findData(str(values[name] or ""))))
            self._chronic_touched = bool(values.get("chronic_touched", self._chronic_touched))
        finally:
            self._loading = False
        self._refresh()

    def values(self) -> dict[str, Any]:
        """Return every field as typed (for drafts): texts, check boxes, choices."""
        values: dict[str, Any] = {
            "outcome": self.outcome_combo.currentData(),
            "follow_ups": {disease.value: combo.currentData() for disease, combo in self.follow_up_combos.items()},
            "follow_ups_touched": sorted(disease.value for disease in self._follow_up_touched),
            "chronic_touched": self._chronic_touched,
            "adherence": self.adherence_combo.currentData(),
            "foot_pulse": self.foot_pulse_combo.currentData(),
            "lifestyle_advice": self.advice_edit.text(),
            "height": self.height_edit.text(),
            "glucose_fasting": self.fasting_check.isChecked(),
            "referral_urgent": self.referral_urgent.isChecked(),
            "referral_green_channel": self.referral_green.isChecked(),
            "referral_destination": self.referral_destination.text(),
            "referral_reason": self.referral_reason.text(),
            "next_visit_note": self.next_note.text(),
            "late_reason": self.late_reason.text(),
            "visit_date": self.date_edit.text(),
        }
        for name in VITAL_FIELDS:
            values[name] = self.vital_edits[name].text()
        for name in TEXT_FIELDS:
            values[name] = self.text_edits[name].toPlainText()
        return values

    def lock(self, text: str) -> None:
        """Show the form read only with ``text`` above it (a saved visit) and the Correct button."""
        self._locked = True
        self._set_editable(False)
        self.lock_label.setText(text)
        self.lock_label.setStyleSheet(LOCK_BANNER_STYLE)
        self.lock_label.show()
        self.correct_button.show()

    def unlock_for_correction(self, text: str) -> None:
        """Make the locked visit editable as a correction, ``text`` explaining what saving does."""
        self._locked = False
        self._set_editable(True)
        self.lock_label.setText(text)
        self.lock_label.setStyleSheet(CORRECTION_BANNER_STYLE)
        self.lock_label.show()
        self.correct_button.hide()

    @property
    def locked(self) -> bool:
        return self._locked

    def _set_editable(self, editable: bool) -> None:
        fields: list[QLineEdit | QPlainTextEdit] = [
            *self.vital_edits.values(),
            self.referral_destination,
            self.referral_reason,
            self.next_note,
            self.date_edit,
            self.late_reason,
            self.height_edit,
            self.advice_edit,
            *self.text_edits.values(),
        ]
        for field in fields:
            field.setReadOnly(not editable)
            field.style().unpolish(field)  # the style sheet's [readOnly] selector is read when polished
            field.style().polish(field)
        for widget in (
            self.outcome_combo, self.fasting_check, self.referral_urgent, self.referral_green, self.adherence_combo,
            self.foot_pulse_combo, self.referral_outcome_combo,
        ):  # fmt: skip
            widget.setEnabled(editable)
        has = {Disease.HYPERTENSION: self._hypertension, Disease.DIABETES: self._diabetes}
        for disease, combo in self.follow_up_combos.items():
            combo.setEnabled(editable and has[disease])
        self.add_referral_button.setVisible(editable)

    # --- reading what was typed ----------------------------------------------------------------------------

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

    def entry(self) -> VisitEntry:
        """Return the visit typed, numbers parsed (the service checks ranges and the rest).

        Raises:
            ValidationError: on the first vital sign that is not a number.
        """
        seen = self.outcome() is VisitOutcome.SEEN
        # a resident not seen has no vital signs: boxes greyed out by another outcome are left out
        numbers = {name: parse_vital(name, self.vital_edits[name].text()) if seen else None for name in VITAL_FIELDS}
        destination = self.referral_destination.text()
        reason = self.referral_reason.text()
        urgent, green = self.referral_urgent.isChecked(), self.referral_green.isChecked()
        referral = (
            ReferralEntry(destination, reason, urgent, green)
            if (destination.strip() or reason.strip() or urgent or green)
            else None
        )
        return VisitEntry(
            outcome=self.outcome().value,
            sbp=numbers.get("sbp"),
            dbp=numbers.get("dbp"),
            pulse=numbers.get("pulse"),
            temperature=numbers.get("temperature"),
            spo2=numbers.get("spo2"),
            glucose=numbers.get("glucose"),
            weight=numbers.get("weight"),
            glucose_fasting=self.fasting_check.isChecked(),
            findings=self.text_edits["findings"].toPlainText(),
            actions=self.text_edits["actions"].toPlainText(),
            medication_changes=self.text_edits["medication_changes"].toPlainText(),
            referral=referral,
            next_visit_note=self.next_note.text(),
            follow_ups=tuple(
                (disease.value, str(combo.currentData()))
                for disease, combo in self.follow_up_combos.items()
                if seen and combo.isVisibleTo(self) and combo.currentData()
            ),
            adherence=str(self.adherence_combo.currentData() or "") if seen else "",
            lifestyle_advice=self.advice_edit.text() if seen else "",
            height=parse_vital("height", self.height_edit.text()) if seen else None,
            foot_pulse=str(self.foot_pulse_combo.currentData() or "") if seen and self._diabetes else "",
        )

    def has_referral(self) -> bool:
        return bool(self.referral_destination.text().strip())

    def widget_for(self, field: str) -> QWidget | None:
        """Return the widget of a field named in a validation error."""
        widgets: dict[str, QWidget] = {
            **self.vital_edits,
            **self.text_edits,
            "outcome": self.outcome_combo,
            "chronic_class": self.chronic_combo,
            "follow_up": self.chronic_combo,
            "adherence": self.adherence_combo,
            "height": self.height_edit,
            "foot_pulse": self.foot_pulse_combo,
            "lifestyle_advice": self.advice_edit,
            "referral_outcome": self.referral_outcome_combo,
            "closed_on": self.referral_outcome_combo,
            "referral_destination": self.referral_destination,
            "referral_reason": self.referral_reason,
            "next_visit_note": self.next_note,
            "visit_date": self.date_edit,
            "late_reason": self.late_reason,
        }
        return widgets.get(field)

    def focus_field(self, field: str) -> None:
        widget = self.widget_for(field)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def focus_first(self) -> None:
        self.outcome_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_vitals(self) -> None:
        """Put the focus in the first vital sign (SBP), ready for the digits a nurse types first."""
        edit = self.vital_edits["sbp"]
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        edit.selectAll()

    @Slot()
    def focus_referral(self) -> None:
        """Go to the referral, filled with the home's green-channel hospital when it is still empty."""
        if not self.referral_destination.text().strip() and self._green_channel and not self._locked:
            self.referral_destination.setText(self._green_channel)
            self.referral_green.setChecked(True)
            self._line_edited()
        self.referral_destination.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- live checks ---------------------------------------------------------------------------------------

    def _user_edit(self) -> None:
        if not self._loading:
            self.edited.emit()

    @Slot()
    def _vitals_edited(self) -> None:
        self._refresh()
        self._user_edit()

    @Slot()
    def _text_edited(self) -> None:
        self._user_edit()

    @Slot()
    def _line_edited(self) -> None:
        self._refresh_banner()
        self._user_edit()

    @Slot()
    def _date_edited(self) -> None:
        self._update_late(fill_default=True)
        self._user_edit()

    @Slot(int)
    def _outcome_changed(self, _index: int) -> None:
        seen = self.outcome() is VisitOutcome.SEEN
        for edit in self.vital_edits.values():
            edit.setEnabled(seen)
        self.fasting_check.setEnabled(seen and not self._locked)
        has = {Disease.HYPERTENSION: self._hypertension, Disease.DIABETES: self._diabetes}
        for disease, combo in self.follow_up_combos.items():
            combo.setEnabled(seen and not self._locked and has[disease])
        self._refresh()
        self._user_edit()

    @Slot(int)
    def _chronic_chosen(self, _index: int) -> None:
        self._chronic_touched = True
        self._suggest_chronic()
        self._user_edit()

    def refresh(self) -> None:
        """Check the values again (flags, banner, suggestion), e.g. after a change made by the program."""
        self._refresh()

    def _refresh(self) -> None:
        self._check_vitals()
        self._suggest_chronic()
        self._update_late()
        self._refresh_banner()

    def _check_vitals(self) -> None:
        """Check each box on its own (range, number), then flag the good ones together."""
        self.field_errors = {}
        good: dict[str, float] = {}
        seen = self.outcome() is VisitOutcome.SEEN
        for name in VITAL_FIELDS:
            text = self.vital_edits[name].text()
            try:
                value = parse_vital(name, text)
                if value is not None:
                    validate_vital_values({name: value})  # its range; fasting moves no range
                    good[name] = value
            except ValidationError as error:
                self.field_errors[name] = error.reason
        if "sbp" in good and "dbp" in good and good["sbp"] <= good["dbp"]:
            try:
                validate_vitals(sbp=good["sbp"], dbp=good["dbp"])
            except ValidationError as error:
                self.field_errors["sbp"] = error.reason
                good.pop("sbp")
        try:
            self.assessment = (
                validate_vital_values(
                    good,
                    glucose_fasting=self.fasting_check.isChecked(),
                    previous_weight=self._previous_weight,
                    diabetic=self._diabetes,
                )
                if seen
                else VitalsAssessment(())
            )
        except (DomainError, ValueError):
            self.assessment = VitalsAssessment(())
        for name in VITAL_FIELDS:
            self._show_flag(name, seen)
        self.assessment_changed.emit(self.assessment)

    def _show_flag(self, name: str, seen: bool) -> None:
        edit = self.vital_edits[name]
        label = self.vital_flags[name]
        error = self.field_errors.get(name)
        flag = self.assessment.flag(name)
        if error is not None and seen:
            edit.setStyleSheet(ERROR_STYLE)
            label.setText(f"⚠ {error}")
            label.setStyleSheet("color: #c62828;")
            edit.setToolTip(error)
        elif flag is not None and flag.level is FlagLevel.URGENT:
            edit.setStyleSheet(URGENT_STYLE)
            label.setText(f"‼ {flag.reason}")
            label.setStyleSheet("color: #b71c1c; font-weight: bold;")
            edit.setToolTip(str(flag.reason))
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
        label.setVisible(bool(label.text()))  # an empty flag takes no line
        edit.setProperty("flag", "error" if error and seen else (flag.level.value if flag else ""))

    def _suggest_chronic(self) -> None:
        """Propose each disease's classification from the values (DOMAIN §4), until it is chosen by hand."""
        numbers = {name: self.assessment.flag(name) is not None for name in ("sbp", "dbp", "glucose")}
        values = {
            name: _number(name, self.vital_edits[name].text()) if numbers[name] else None
            for name in ("sbp", "dbp", "glucose")
        }
        try:
            day = self.visit_date()
        except ValidationError:
            day = self._today()
        age = age_in_years(self._birth_date, day) if self._birth_date is not None else None
        has = {Disease.HYPERTENSION: self._hypertension, Disease.DIABETES: self._diabetes}
        proposals: list[str] = []
        for disease, label in self.follow_up_suggestions.items():
            if not has[disease]:
                label.clear()
                continue
            suggestion = (
                suggest_follow_up(
                    disease,
                    age=age,
                    sbp=values["sbp"],
                    dbp=values["dbp"],
                    glucose=values["glucose"],
                    glucose_fasting=self.fasting_check.isChecked(),
                )
                if self.outcome() is VisitOutcome.SEEN
                else None
            )
            if suggestion is None:
                label.setText(
                    self.tr("Choose after measuring (target below 140/90 mmHg, 150/90 from 65)")
                    if disease is Disease.HYPERTENSION
                    else self.tr("Choose after measuring (fasting glucose below 7.0 mmol/L)")
                )
            else:
                label.setText(
                    self.tr("Suggested: {choice} — {why}").format(
                        choice=suggestion.chronic_class.label, why=suggestion.text
                    )
                )
                combo = self.follow_up_combos[disease]
                if disease not in self._follow_up_touched and not self._locked:
                    combo.setCurrentIndex(combo.findData(suggestion.chronic_class.value))
            chosen = self.follow_up_combos[disease].currentData()
            current = ChronicClass(chosen) if chosen else None
            proposal = proposed_referral(disease, current, self._previous_classes.get(disease))
            if proposal:
                proposals.append(proposal)
        self.referral_proposal.setText("‼ " + "；".join(proposals) if proposals else "")
        self.referral_proposal.setVisible(bool(proposals))
        try:
            height = parse_vital("height", self.height_edit.text())
            weight = parse_vital("weight", self.vital_edits["weight"].text())
        except ValidationError:
            height = weight = None
        found = bmi(weight, height) if height and 100 <= height <= 220 else None
        self.bmi_label.setText(self.tr("BMI {value}").format(value=found) if found is not None else "")

    def _follow_up_chosen(self, disease: Disease) -> None:
        self._follow_up_touched.add(disease)
        self._chronic_touched = True
        self._suggest_chronic()
        self._user_edit()

    def _update_late(self, *, fill_default: bool = False) -> None:
        try:
            day = self.visit_date()
        except ValidationError as error:
            self.date_error.setText(f"⚠ {error.reason}")
            self.date_error.setStyleSheet("color: #c62828;")
            late = False
        else:
            today = self._today()
            if day > today:
                self.date_error.setText("⚠ " + self.tr("later than today"))
                self.date_error.setStyleSheet("color: #c62828;")
            else:
                self.date_error.clear()
            late = is_late(day, today)
        self.late_caption.setVisible(late)
        self.late_reason.setVisible(late)
        if late and fill_default and not self.late_reason.text() and not self._locked:
            self.late_reason.setText(self.tr("Typed from the paper round sheet"))

    def _refresh_banner(self) -> None:
        lines = urgent_advice(self.assessment, referred=self.has_referral())
        if lines:
            self.urgent_label.setText("‼ " + "\n".join(lines))
            self.urgent_banner.show()
            self.add_referral_button.setVisible(not self.has_referral() and not self._locked)
        else:
            self.urgent_banner.hide()


def _number(field: str, text: str) -> float | None:
    try:
        return parse_vital(field, text)
    except ValidationError:
        return None
