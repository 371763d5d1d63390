"""The list sections of the resident record: conditions, medications and allergies, visits.

A list shows the entries; choosing one puts it in the form below, where it is changed or removed;
"New" empties the form for an entry to add. Each Save or Remove is one action. Visits are recorded on
rounds; the Visits tab shows their history (:class:`~app.ui.visits.history.VisitHistoryWidget`), where a
visit is corrected as a new version.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.conditions import CONDITIONS, condition_label
from app.domain.errors import ValidationError
from app.domain.referrals import ReferralOutcome, referral_state
from app.services.records.load import ResidentRecord, remove_entry, save_condition
from app.services.referrals import close_referral
from app.ui.record.editor import RecordEditor
from app.ui.record.fields import (
    GREY,
    Column,
    DateField,
    ErrorBanner,
    RecordSection,
    RowsModel,
    confirm_remove,
    date_text,
    entry_buttons,
    form_row,
    make_table,
    selected_row,
)
from app.ui.visits.history import VisitHistoryWidget
from app.ui.widgets.tables import fit_columns


class RecordConditionsTab(RecordSection):
    """Chronic conditions — 慢性病: from the coded list (with ICD-10) or free text."""

    def __init__(self, editor: RecordEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.banner = ErrorBanner(self)
        self.editing_id: str | None = None
        self.model = RowsModel([], self)
        self.table = make_table(self.model, self, "conditions")
        self.condition_combo = QComboBox(self)
        self.condition_combo.setObjectName("condition")
        self.condition_combo.setEditable(True)
        self.condition_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if (condition_line := self.condition_combo.lineEdit()) is not None:  # always: the combo is editable
            condition_line.setPlaceholderText(self.tr("Choose from the list or type a diagnosis"))
        self.icd_edit = QLineEdit(self)
        self.icd_edit.setObjectName("icd10")
        self.icd_edit.setMaxLength(8)
        self.diagnosed_edit = DateField("diagnosed_on", self)
        self.active_check = QCheckBox(self.tr("Current (uncheck when resolved)"), self)
        self.active_check.setChecked(True)
        self.new_button, self.save_button, self.remove_button, buttons = entry_buttons(self, "Condition")

        self.form_group = QGroupBox(self.tr("Condition"), self)
        form = QFormLayout(self.form_group)
        form_row(form, self.tr("&Condition:"), self.condition_combo)
        form_row(form, self.tr("&ICD-10 code:"), self.icd_edit)
        form_row(form, self.tr("&Diagnosed on:"), self.diagnosed_edit)
        form.addRow("", self.active_check)
        form.addRow(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.form_group)
        self.fields: dict[str, QWidget] = {
            "condition": self.condition_combo,
            "icd10": self.icd_edit,
            "diagnosed_on": self.diagnosed_edit,
        }
        self._fill_codes()
        self.model.set_columns(
            [
                Column(
                    self.tr("Condition"),
                    lambda c: condition_label(c.code, c.name),
                    colour=lambda c: None if c.active else GREY,
                ),
                Column(self.tr("ICD-10"), lambda c: c.icd10),
                Column(self.tr("Diagnosed"), lambda c: date_text(c.diagnosed_on)),
                Column(
                    self.tr("Status"),
                    lambda c: self.tr("current") if c.active else self.tr("resolved"),
                    colour=lambda c: None if c.active else GREY,
                ),
            ]
        )
        fit_columns(self.table, ["慢性阻塞性肺疾病 Coronary heart disease", "B18.1", "2026-12-31"])
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        self.condition_combo.activated.connect(self._code_chosen)
        self.new_button.clicked.connect(self.clear_form)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.clear_form()

    def _fill_codes(self) -> None:
        self.condition_combo.clear()
        self.condition_combo.addItem("", "")
        for condition in CONDITIONS:
            self.condition_combo.addItem(f"{condition.label} ({condition.icd10})", condition.code)

    def show_record(self, record: ResidentRecord | None) -> None:
        self.model.set_rows(record.conditions if record else [])
        self.clear_form()

    @Slot()
    def clear_form(self) -> None:
        """Empty the form for a new condition."""
        self.editing_id = None
        self.table.clearSelection()
        self.condition_combo.setCurrentIndex(0)
        self.icd_edit.clear()
        self.diagnosed_edit.clear()
        self.active_check.setChecked(True)
        self.remove_button.setEnabled(False)
        self.save_button.setText(self.tr("&Add condition"))

    def _chosen(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        condition = selected_row(self.table, self.model)
        if condition is None:
            return
        self.editing_id = condition.id
        index = self.condition_combo.findData(condition.code) if condition.code else -1
        if index > 0:
            self.condition_combo.setCurrentIndex(index)
        else:
            self.condition_combo.setCurrentIndex(-1)
            self.condition_combo.setEditText(condition.name)
        self.icd_edit.setText(condition.icd10)
        self.diagnosed_edit.set_value(condition.diagnosed_on)
        self.active_check.setChecked(condition.active)
        self.remove_button.setEnabled(True)
        self.save_button.setText(self.tr("&Save condition"))

    def _code_chosen(self, index: int) -> None:
        code = self.condition_combo.itemData(index)
        coded = next((c for c in CONDITIONS if c.code == code), None)
        self.icd_edit.setText(coded.icd10 if coded else "")

    def _choice(self) -> tuple[str, str]:
        """Return (code, free text): a code when the text is still the chosen list entry."""
        index = self.condition_combo.currentIndex()
        text = self.condition_combo.currentText().strip()
        if index > 0 and text == self.condition_combo.itemText(index):
            return str(self.condition_combo.itemData(index)), ""
        return "", text

    @Slot()
    def save(self) -> None:
        code, name = self._choice()
        icd = "" if code else self.icd_edit.text()
        try:
            diagnosed = self.diagnosed_edit.value()
        except ValidationError as error:
            self.banner.show_error(error)
            return
        active = self.active_check.isChecked()
        resident_id, today, condition_id = self.editor.existing_id(), self.editor.today(), self.editing_id
        self.editor.submit(
            self,
            lambda uow: save_condition(
                uow,
                resident_id=resident_id,
                condition_id=condition_id,
                code=code,
                name=name,
                icd10=icd,
                diagnosed_on=diagnosed,
                active=active,
                today=today,
            ),
        )

    @Slot()
    def remove(self) -> None:
        condition = selected_row(self.table, self.model)
        if condition is None or not confirm_remove(self, condition_label(condition.code, condition.name)):
            return
        resident_id = self.editor.existing_id()
        self.editor.submit(
            self, lambda uow: remove_entry(uow, resident_id=resident_id, kind="condition", entry_id=condition.id)
        )


class RecordVisitsTab(RecordSection):
    """The resident's visits — 巡诊记录: the history table (versions, sync state) under a BP / glucose chart.

    Visits are recorded on rounds; a correction is made from here (a new version, for roles that record
    visits). The history loads on the database thread each time the record is shown.
    """

    def __init__(self, editor: RecordEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.banner = ErrorBanner(self)
        self.history = VisitHistoryWidget(editor.context, self, today=editor.today)
        self.history.visit_corrected.connect(lambda _result: editor.visit_corrected())

        # referrals (issue #16): open ones first; the outcome of one is recorded here, which closes it
        self.referral_model = RowsModel([], self)
        self.referral_table = make_table(self.referral_model, self, "referrals")
        self.referral_model.set_columns(
            [
                Column(self.tr("Referred"), lambda r: date_text(r.opened_on)),
                Column(self.tr("To"), lambda r: r.destination + (" ‼" if r.urgent else "")),
                Column(self.tr("Why"), lambda r: r.reason),
                Column(self.tr("State"), self._state_text),
            ]
        )
        widest = ["2026-12-31", "示范区中心医院 ‼", "血压 186/96", "open over 14 days: follow up"]
        fit_columns(self.referral_table, widest)
        self.referral_table.setMaximumHeight(self.referral_table.fontMetrics().lineSpacing() * 7)
        self.outcome_combo = QComboBox(self)
        self.outcome_combo.setObjectName("referral_outcome")
        for outcome in ReferralOutcome:
            self.outcome_combo.addItem(outcome.label, outcome.value)
        self.closed_on_edit = DateField("closed_on", self)
        self.close_button = QPushButton(self.tr("Record the outcome (closes the referral)"), self)
        self.close_button.setObjectName("closeReferral")
        self.close_button.clicked.connect(self.close_referral)
        self.fields = {"referral_outcome": self.outcome_combo, "closed_on": self.closed_on_edit}
        referrals = QGroupBox(self.tr("Referrals"), self)
        referral_layout = QVBoxLayout(referrals)
        referral_layout.addWidget(self.referral_table)
        closing = QHBoxLayout()
        closing.addWidget(QLabel(self.tr("Outcome of the chosen referral:"), referrals))
        closing.addWidget(self.outcome_combo)
        closing.addWidget(QLabel(self.tr("on"), referrals))
        closing.addWidget(self.closed_on_edit)
        closing.addStretch(1)
        closing.addWidget(self.close_button)
        referral_layout.addLayout(closing)
        self.referrals_group = referrals

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.history, 1)
        layout.addWidget(referrals)

    def _state_text(self, view: Any) -> str:
        if view.closed_on is not None:
            outcome = ReferralOutcome(view.outcome).label if view.outcome in set(ReferralOutcome) else view.outcome
            return self.tr("closed {date}: {outcome}").format(date=date_text(view.closed_on), outcome=outcome)
        return referral_state(view.opened_on, None, self.editor.today()).label

    def show_record(self, record: ResidentRecord | None) -> None:
        # saving another section reloads the record; the visits did not change then, so load them once
        if record is not None and record.resident.id != self.history.resident_id:
            self.history.load(record.resident.id)
        views = record.referrals if record is not None else []
        self.referral_model.set_rows(views)
        self.referrals_group.setVisible(bool(views))
        self.closed_on_edit.set_value(self.editor.today())
        open_rows = [index for index, view in enumerate(views) if view.closed_on is None]
        if open_rows:
            self.referral_table.selectRow(open_rows[0])
        may = bool(getattr(self.editor, "may_assess", True)) and bool(open_rows)
        for widget in (self.outcome_combo, self.closed_on_edit, self.close_button):
            widget.setEnabled(may)

    @Slot()
    def close_referral(self) -> None:
        """Record the chosen referral's outcome on the day given (one action)."""
        rows = self.referral_table.selectionModel().selectedRows()
        if not rows:
            return
        view = self.referral_model.row_at(rows[0].row())
        try:
            on = self.closed_on_edit.value() or self.editor.today()
        except ValidationError as error:
            self.banner.show_error(error)
            return
        outcome, today = str(self.outcome_combo.currentData()), self.editor.today()
        self.editor.submit(
            self,
            lambda uow: close_referral(uow, referral_id=view.id, outcome=outcome, closed_on=on, today=today),
        )
