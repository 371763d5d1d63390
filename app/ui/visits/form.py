"""The keyboard-first visit form — 巡诊记录表 — for one resident.

Outcome, vital signs, the chronic-disease follow-up (a class per disease), findings, actions, medication
changes, referral, next-visit note, and the visit's day with the reason for a late entry. Tab moves field to
field in that order. Each vital sign is checked as it is typed with :mod:`app.domain.vitals`
(:class:`~app.ui.visits.vitals.VitalsSection` shows the result):

- outside the accepted range: the box is outlined and the message beside it gives the range (⚠);
- abnormal: the box is tinted and marked ▲ with the reason;
- urgent: tinted and marked ‼, and a red banner at the top of the form says what is urgent and asks
  for a referral and a colour review.

The follow-up per disease is :class:`~app.ui.visits.follow_up.FollowUpSection`, the referral and the open
referral's outcome :class:`~app.ui.visits.referral.ReferralSection`. The form is plain: it knows nothing of
the database; :mod:`app.ui.visits.page` loads, saves and keeps drafts. A saved visit is shown *locked*
(read only); a correction unlocks it as a new version.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.follow_up import Disease
from app.domain.residents import age_in_years
from app.domain.visits import VITAL_FIELDS, VisitEntry, VisitOutcome, parse_vital
from app.domain.vitals import VitalsAssessment, urgent_advice
from app.services.visits.doses import DoseChange, LongTermMedication
from app.ui.visits.banners import LockBanner, UrgentBanner
from app.ui.visits.dose_changes import DoseChangesSection
from app.ui.visits.drafts import entry_values
from app.ui.visits.follow_up import FollowUpSection
from app.ui.visits.notes import TEXT_FIELDS, NotesSection
from app.ui.visits.referral import ReferralSection
from app.ui.visits.visit_day import VisitDayRow
from app.ui.visits.vitals import VitalsSection

# a locked (saved) visit's fields take the window's colour, so they do not look like boxes to type into
READ_ONLY_STYLE = (
    'QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"], QAbstractSpinBox[readOnly="true"] '
    "{ background: palette(window); }"
)


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
        self._previous_weight: float | None = None
        self.assessment = VitalsAssessment(())

        self.urgent_banner = UrgentBanner(self)
        self.urgent_label = self.urgent_banner.label
        self.add_referral_button = self.urgent_banner.add_referral_button
        self.add_referral_button.clicked.connect(self.focus_referral)
        self.lock_banner = LockBanner(self)
        self.lock_label = self.lock_banner.label
        self.correct_button = self.lock_banner.correct_button
        self.lock_banner.correct_requested.connect(self.correct_requested)

        # --- outcome and vitals
        self.day_row = VisitDayRow(self)
        self.outcome_combo = self.day_row.outcome_combo
        self.date_edit = self.day_row.date_edit
        self.date_error = self.day_row.date_error
        self.late_caption = self.day_row.late_caption
        self.late_reason = self.day_row.late_reason
        self.outcome_combo.currentIndexChanged.connect(self._outcome_changed)
        self.date_edit.textEdited.connect(self._date_edited)
        self.late_reason.textEdited.connect(self._line_edited)

        self.vitals = VitalsSection(self)
        self.vital_edits = self.vitals.edits
        self.vital_flags = self.vitals.flags
        self.unit_labels = self.vitals.units
        self.fasting_check = self.vitals.fasting_check
        for edit in self.vital_edits.values():
            edit.textEdited.connect(self._vitals_edited)
        self.fasting_check.toggled.connect(self._vitals_edited)

        # --- findings, actions, medication changes
        self.notes = NotesSection(self)
        self.text_edits = self.notes.edits
        for text in self.text_edits.values():
            text.textChanged.connect(self._text_edited)
        self.doses = DoseChangesSection(self)  # a new daily quantity or a stop per long-term medication
        self.doses.edited.connect(self._line_edited)

        # --- chronic follow-up: one classification per disease, and the form's other fields
        self.follow_up = FollowUpSection(self)
        self.follow_up_combos = self.follow_up.combos
        self.follow_up_suggestions = self.follow_up.suggestions
        self.chronic_combo = self.follow_up_combos[Disease.HYPERTENSION]  # the first, as older code knew it
        self.adherence_combo = self.follow_up.adherence_combo
        self.height_edit = self.follow_up.height_edit
        self.bmi_label = self.follow_up.bmi_label
        self.foot_pulse_combo = self.follow_up.foot_pulse_combo
        self.advice_edit = self.follow_up.advice_edit
        self.referral_proposal = self.follow_up.referral_proposal
        self._birth_date: date | None = None
        self.follow_up.class_chosen.connect(self._follow_up_chosen)
        for combo in (self.adherence_combo, self.foot_pulse_combo):
            combo.activated.connect(self._line_edited)
        self.height_edit.textEdited.connect(self._vitals_edited)
        self.advice_edit.textEdited.connect(self._line_edited)

        # --- referral, and the outcome of the resident's open referral (recorded with this visit)
        self.referral = ReferralSection(self)
        self.referral_destination = self.referral.destination
        self.referral_reason = self.referral.reason
        self.open_referral_label = self.referral.open_referral_label
        self.referral_outcome_combo = self.referral.outcome_combo
        for widget in (self.referral_destination, self.referral_reason):
            widget.textEdited.connect(self._line_edited)
        for check in (self.referral.urgent, self.referral.green):
            check.toggled.connect(self._line_edited)
        self.referral_outcome_combo.activated.connect(self._line_edited)

        self.next_note = QLineEdit(self)
        self.next_note.setObjectName("next_visit_note")
        self.next_note.setMaxLength(300)
        self.next_note.setPlaceholderText(self.tr("What to check next time"))
        self.next_note.textEdited.connect(self._line_edited)

        # --- layout
        note_row = QHBoxLayout()
        note_caption = QLabel(self.tr("Ne&xt visit:"), self)
        note_caption.setBuddy(self.next_note)
        note_row.addWidget(note_caption)
        note_row.addWidget(self.next_note, 1)

        # the captions of the parts under the vitals share one width: their boxes line up
        captions = [
            *self.follow_up.captions.values(),
            self.follow_up.form_caption,
            *self.notes.captions.values(),
            self.doses.caption,
            self.referral.caption,
            note_caption,
        ]
        width = max(caption.sizeHint().width() for caption in captions)
        for caption in captions:
            caption.setMinimumWidth(width)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.urgent_banner)  # the editor moves it above its scroll area
        layout.addWidget(self.lock_banner)
        # what a nurse types at every bed first: outcome, vital signs, each disease's class (in view without
        # scrolling on a 1280×720 laptop at 125 %); then what was found and done, the referral, the next visit
        layout.setSpacing(3)
        layout.addWidget(self.day_row)
        layout.addWidget(self.vitals)
        layout.addWidget(self.follow_up)
        layout.addSpacing(4)
        layout.addWidget(self.notes)
        layout.addWidget(self.doses)
        layout.addWidget(self.referral)
        layout.addLayout(note_row)
        layout.addStretch(1)

        self._set_tab_order()
        self.set_chronic(hypertension=False, diabetes=False)
        self.set_open_referral(None)
        self._update_late()

    def _set_tab_order(self) -> None:
        order: list[QWidget] = [
            self.outcome_combo,
            *(self.vital_edits[name] for name in VITAL_FIELDS[:6]),
            self.fasting_check,
            self.vital_edits["weight"],
            *self.follow_up.fields,
            *(self.text_edits[name] for name in TEXT_FIELDS),
            *self.doses.fields,
            *self.referral.fields,
            self.next_note,
            self.date_edit,
            self.late_reason,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        self._tab_order = order

    def set_medications(self, medications: Sequence[LongTermMedication]) -> None:
        """Offer dose changes for these long-term medications (none: the section is hidden)."""
        self.doses.set_medications(medications)
        self.doses.set_editable(not self._locked)
        self._set_tab_order()

    def dose_changes(self) -> list[DoseChange]:
        """Return the dose changes typed (:meth:`DoseChangesSection.changes`; raises ValidationError)."""
        return self.doses.changes()

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
            self.vitals.clear()
            self.notes.clear()
            self.doses.clear()
            self.follow_up.clear()
            self.referral.clear(green_channel=green_channel)
            self.next_note.clear()
            self.late_reason.clear()
            self._previous_weight = previous_weight
            self.date_edit.setText(visit_date.isoformat())
            self.lock_banner.clear()
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
        self._birth_date = birth_date
        self.follow_up.set_diseases(
            hypertension=hypertension, diabetes=diabetes, previous=previous or {}, editable=not self._locked
        )
        self._suggest_chronic()

    def set_open_referral(self, referral: tuple[str, date, str] | None) -> None:
        """Show the resident's open referral (id, opened on, destination), whose outcome the visit may record."""
        self.referral.set_open_referral(referral)

    def referral_outcome(self) -> tuple[str, str] | None:
        """Return (referral id, outcome) when the visit records the outcome of the open referral, else None."""
        return self.referral.outcome()

    def set_entry(self, entry: VisitEntry, *, visit_date: date, late_reason: str = "") -> None:
        """Fill the form with a saved visit's values."""
        self.set_values(entry_values(entry, visit_date=visit_date, late_reason=late_reason))

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the form from :meth:`values` (a draft); unknown keys are ignored, missing ones left as they are."""
        self._loading = True
        try:
            if "outcome" in values:
                self.outcome_combo.setCurrentIndex(max(0, self.outcome_combo.findData(str(values["outcome"]))))
            lines = {"next_visit_note": self.next_note, "late_reason": self.late_reason, "visit_date": self.date_edit}
            for name, edit in lines.items():
                if name in values:
                    edit.setText(str(values[name] or ""))
            self.notes.set_values(values)
            self.vitals.set_values(values)
            self.referral.set_values(values)
            self.follow_up.set_values(values)
        finally:
            self._loading = False
        self._refresh()

    def values(self) -> dict[str, Any]:
        """Return every field as typed (for drafts): texts, check boxes, choices."""
        values: dict[str, Any] = {
            "outcome": self.outcome_combo.currentData(),
            **self.vitals.values(),
            **self.follow_up.values(),
            **self.referral.values(),
            "next_visit_note": self.next_note.text(),
            "late_reason": self.late_reason.text(),
            "visit_date": self.date_edit.text(),
        }
        values.update(self.notes.values())
        return values

    def lock(self, text: str) -> None:
        """Show the form read only with ``text`` above it (a saved visit) and the Correct button."""
        self._locked = True
        self._set_editable(False)
        self.lock_banner.show_locked(text)

    def unlock_for_correction(self, text: str) -> None:
        """Make the locked visit editable as a correction, ``text`` explaining what saving does."""
        self._locked = False
        self._set_editable(True)
        self.doses.set_editable(False)  # a correction changes no medication: the record's editor does
        self.lock_banner.show_correcting(text)

    @property
    def locked(self) -> bool:
        return self._locked

    def _set_editable(self, editable: bool) -> None:
        fields: list[QLineEdit | QPlainTextEdit] = [
            self.next_note,
            self.date_edit,
            self.late_reason,
        ]
        for field in fields:
            field.setReadOnly(not editable)
            field.style().unpolish(field)  # the style sheet's [readOnly] selector is read when polished
            field.style().polish(field)
        self.outcome_combo.setEnabled(editable)
        self.vitals.set_editable(editable)
        self.notes.set_editable(editable)
        self.doses.set_editable(editable)
        self.follow_up.set_editable(editable)
        self.referral.set_editable(editable)
        self.add_referral_button.setVisible(editable)

    # --- reading what was typed ----------------------------------------------------------------------------

    def outcome(self) -> VisitOutcome:
        return self.day_row.outcome()

    def visit_date(self) -> date:
        """Return the day typed.

        Raises:
            ValidationError: on ``visit_date`` when it is not a date.
        """
        return self.day_row.visit_date()

    def late_reason_text(self) -> str:
        return self.day_row.late_reason_text()

    def entry(self) -> VisitEntry:
        """Return the visit typed, numbers parsed (the service checks ranges and the rest).

        Raises:
            ValidationError: on the first vital sign that is not a number.
        """
        seen = self.outcome() is VisitOutcome.SEEN
        # a resident not seen has no vital signs: boxes greyed out by another outcome are left out
        numbers = self.vitals.numbers(seen)
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
            referral=self.referral.entry(),
            next_visit_note=self.next_note.text(),
            follow_ups=self.follow_up.classes(seen),
            adherence=str(self.adherence_combo.currentData() or "") if seen else "",
            lifestyle_advice=self.advice_edit.text() if seen else "",
            height=parse_vital("height", self.height_edit.text()) if seen else None,
            foot_pulse=str(self.foot_pulse_combo.currentData() or "") if seen and self._diabetic() else "",
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
        if field in ("daily_quantity", "medication") and self.doses.isVisibleTo(self):
            return self.doses.invalid_edit()
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
        if not self._locked and self.referral.fill_green_channel():
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
        self.vitals.set_seen(seen, editable=not self._locked)
        self.follow_up.enable_classes(seen and not self._locked)
        self._refresh()
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
        seen = self.outcome() is VisitOutcome.SEEN
        self.assessment = self.vitals.check(seen=seen, previous_weight=self._previous_weight, diabetic=self._diabetic())
        self.assessment_changed.emit(self.assessment)

    def _diabetic(self) -> bool:
        return self.follow_up.has[Disease.DIABETES]

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
        self.follow_up.propose(
            age=age_in_years(self._birth_date, day) if self._birth_date is not None else None,
            values=values,
            fasting=self.fasting_check.isChecked(),
            seen=self.outcome() is VisitOutcome.SEEN,
            locked=self._locked,
            weight_text=self.vital_edits["weight"].text(),
        )

    @Slot()
    def _follow_up_chosen(self) -> None:
        self._suggest_chronic()
        self._user_edit()

    def _update_late(self, *, fill_default: bool = False) -> None:
        self.day_row.update_late(self._today(), fill_default=fill_default, locked=self._locked)

    def _refresh_banner(self) -> None:
        lines = urgent_advice(self.assessment, referred=self.has_referral())
        self.urgent_banner.show_advice(lines, offer_referral=not self.has_referral() and not self._locked)


def _number(field: str, text: str) -> float | None:
    try:
        return parse_vital(field, text)
    except ValidationError:
        return None
