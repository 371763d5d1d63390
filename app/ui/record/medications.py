"""The record's Medications tab: medications — 用药 — with the daily quantity followed for proxy refills
(代配药) and the day each runs out (a medication run out without a refill flagged), and allergies — 过敏史."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QItemSelection, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.refills import MAX_UNIT, parse_daily_quantity
from app.services.homecare.refills import SupplyLine
from app.services.records.load import MedicationItem, ResidentRecord, remove_entry, save_allergy, save_medication
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
from app.ui.widgets.tables import fit_columns

RAN_OUT = QColor("#c62828")
"""The run-out day of a medication that ran out without a refill (已断药)."""


class RecordMedicationsTab(RecordSection):
    """Medications — 用药 (name, dose, frequency, start, stop) and allergies — 过敏史."""

    def __init__(self, editor: RecordEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.banner = ErrorBanner(self)
        self.medication_id: str | None = None
        self._supply: dict[str, SupplyLine] = {}
        self.allergy_id: str | None = None

        self.medications_model = RowsModel([], self)
        self.medications_table = make_table(self.medications_model, self, "medications")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("medication")
        self.name_edit.setMaxLength(60)
        self.dose_edit = QLineEdit(self)
        self.dose_edit.setObjectName("dose")
        self.dose_edit.setMaxLength(20)
        self.dose_edit.setPlaceholderText(self.tr("e.g. 5mg"))
        self.frequency_edit = QLineEdit(self)
        self.frequency_edit.setObjectName("frequency")
        self.frequency_edit.setMaxLength(20)
        self.frequency_edit.setPlaceholderText(self.tr("e.g. 每日1次"))
        self.start_edit = DateField("medication_start", self)
        self.stop_edit = DateField("medication_stop", self)
        self.daily_edit = QLineEdit(self)
        self.daily_edit.setObjectName("daily_quantity")
        self.daily_edit.setMaxLength(8)
        self.daily_edit.setPlaceholderText(self.tr("units a day, e.g. 2 or 0.5"))
        self.daily_edit.setToolTip(
            self.tr(
                "For proxy refills: the units taken a day. A change applies from today to what is left; "
                "0 stops the medication from today; empty: not followed for refills."
            )
        )
        self.unit_edit = QLineEdit(self)
        self.unit_edit.setObjectName("unit")
        self.unit_edit.setMaxLength(MAX_UNIT)
        self.unit_edit.setPlaceholderText(self.tr("片, 粒, 支…"))
        self.supply_label = QLabel(self)
        self.supply_label.setObjectName("medicationSupply")
        self.new_medication, self.save_medication, self.remove_medication, medication_buttons = entry_buttons(
            self, "Medication"
        )
        medication_group = QGroupBox(self.tr("Medications"), self)
        medication_form = QFormLayout()
        form_row(medication_form, self.tr("Medi&cation:"), self.name_edit)
        dose_row = QHBoxLayout()
        dose_row.addWidget(self.dose_edit)
        frequency_label = QLabel(self.tr("&Frequency:"), self)
        frequency_label.setBuddy(self.frequency_edit)
        dose_row.addWidget(frequency_label)
        dose_row.addWidget(self.frequency_edit)
        dose_label = QLabel(self.tr("&Dose:"), self)
        dose_label.setBuddy(self.dose_edit)
        medication_form.addRow(dose_label, dose_row)
        dates_row = QHBoxLayout()
        dates_row.addWidget(self.start_edit)
        stop_label = QLabel(self.tr("S&topped:"), self)
        stop_label.setBuddy(self.stop_edit)
        dates_row.addWidget(stop_label)
        dates_row.addWidget(self.stop_edit)
        start_label = QLabel(self.tr("Sta&rted:"), self)
        start_label.setBuddy(self.start_edit)
        medication_form.addRow(start_label, dates_row)
        daily_row = QHBoxLayout()
        daily_row.addWidget(self.daily_edit)
        unit_label = QLabel(self.tr("&Unit:"), self)
        unit_label.setBuddy(self.unit_edit)
        daily_row.addWidget(unit_label)
        daily_row.addWidget(self.unit_edit)
        daily_row.addWidget(self.supply_label, 1)
        daily_label = QLabel(self.tr("Daily &quantity:"), self)
        daily_label.setBuddy(self.daily_edit)
        medication_form.addRow(daily_label, daily_row)
        medication_form.addRow(medication_buttons)
        medication_layout = QVBoxLayout(medication_group)
        medication_layout.addWidget(self.medications_table, 1)
        medication_layout.addLayout(medication_form)

        self.allergies_model = RowsModel([], self)
        self.allergies_table = make_table(self.allergies_model, self, "allergies")
        self.substance_edit = QLineEdit(self)
        self.substance_edit.setObjectName("substance")
        self.substance_edit.setMaxLength(60)
        self.reaction_edit = QLineEdit(self)
        self.reaction_edit.setObjectName("reaction")
        self.reaction_edit.setMaxLength(60)
        self.new_allergy, self.save_allergy, self.remove_allergy, allergy_buttons = entry_buttons(self, "Allergy")
        allergy_group = QGroupBox(self.tr("Allergies"), self)
        allergy_form = QFormLayout()
        form_row(allergy_form, self.tr("A&llergen:"), self.substance_edit)
        form_row(allergy_form, self.tr("Reactio&n:"), self.reaction_edit)
        allergy_form.addRow(allergy_buttons)
        allergy_layout = QVBoxLayout(allergy_group)
        allergy_layout.addWidget(self.allergies_table, 1)
        allergy_layout.addLayout(allergy_form)

        columns = QHBoxLayout()
        columns.addWidget(medication_group, 5)
        columns.addWidget(allergy_group, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)
        self.fields: dict[str, QWidget] = {
            "medication": self.name_edit,
            "dose": self.dose_edit,
            "frequency": self.frequency_edit,
            "medication_start": self.start_edit,
            "medication_stop": self.stop_edit,
            "daily_quantity": self.daily_edit,
            "unit": self.unit_edit,
            "substance": self.substance_edit,
            "reaction": self.reaction_edit,
        }
        today = editor.today
        self.medications_model.set_columns(
            [
                Column(
                    self.tr("Medication"), lambda m: m.name, colour=lambda m: None if m.current_on(today()) else GREY
                ),
                Column(self.tr("Dose"), lambda m: m.dose),
                Column(self.tr("Frequency"), lambda m: m.frequency),
                Column(self.tr("Started"), lambda m: date_text(m.start_date)),
                Column(self.tr("Stopped"), lambda m: date_text(m.stop_date)),
                Column(self.tr("A day"), self._daily_text, align_right=True),
                Column(self.tr("Runs out"), self._runs_out_text, colour=self._runs_out_colour),
            ]
        )
        fit_columns(
            self.medications_table,
            ["噻托溴铵吸入粉雾剂", "0.5g", "每日3次", "2026-12-31", "2026-12-31", "0.5 片", "2026-12-31 已断药"],
        )
        self.allergies_model.set_columns(
            [Column(self.tr("Allergen"), lambda a: a.substance), Column(self.tr("Reaction"), lambda a: a.reaction)]
        )
        fit_columns(self.allergies_table, ["头孢类抗生素"])
        self.medications_table.selectionModel().selectionChanged.connect(self._medication_chosen)
        self.allergies_table.selectionModel().selectionChanged.connect(self._allergy_chosen)
        self.new_medication.clicked.connect(self.clear_medication)
        self.save_medication.clicked.connect(self.save_medication_entry)
        self.remove_medication.clicked.connect(self.remove_medication_entry)
        self.new_allergy.clicked.connect(self.clear_allergy)
        self.save_allergy.clicked.connect(self.save_allergy_entry)
        self.remove_allergy.clicked.connect(self.remove_allergy_entry)
        self.clear_medication()
        self.clear_allergy()

    def show_record(self, record: ResidentRecord | None) -> None:
        homecare = self.editor.homecare
        self._supply = homecare.supply if homecare is not None else {}
        self.medications_model.set_rows(record.medications if record else [])
        self.allergies_model.set_rows(record.allergies if record else [])
        self.clear_medication()
        self.clear_allergy()

    # --- medications ---------------------------------------------------------------------------------------

    @Slot()
    def clear_medication(self) -> None:
        self.medication_id = None
        self.medications_table.clearSelection()
        for edit in (self.name_edit, self.dose_edit, self.frequency_edit, self.start_edit, self.stop_edit):
            edit.clear()
        self.daily_edit.clear()
        self.unit_edit.clear()
        self.supply_label.clear()
        self.remove_medication.setEnabled(False)
        self.save_medication.setText(self.tr("&Add medication"))

    def _medication_chosen(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        medication = selected_row(self.medications_table, self.medications_model)
        if medication is None:
            return
        self.medication_id = medication.id
        self.name_edit.setText(medication.name)
        self.dose_edit.setText(medication.dose)
        self.frequency_edit.setText(medication.frequency)
        self.start_edit.set_value(medication.start_date)
        self.stop_edit.set_value(medication.stop_date)
        daily = medication.daily_quantity
        self.daily_edit.setText(f"{daily.normalize():f}" if daily is not None else "")
        self.unit_edit.setText(medication.unit)
        self.supply_label.setText(self._supply_text(medication))
        self.remove_medication.setEnabled(True)
        self.save_medication.setText(self.tr("&Save medication"))

    @Slot()
    def save_medication_entry(self) -> None:
        try:
            start, stop = self.start_edit.value(), self.stop_edit.value()
            text = self.daily_edit.text().strip()
            daily = parse_daily_quantity(text, stop=True) if text else None
        except ValidationError as error:
            self.banner.show_error(error)
            return
        name, dose, frequency = self.name_edit.text(), self.dose_edit.text(), self.frequency_edit.text()
        unit, today = self.unit_edit.text(), self.editor.today()
        resident_id, medication_id = self.editor.existing_id(), self.medication_id
        self.editor.submit(
            self,
            lambda uow: save_medication(
                uow,
                resident_id=resident_id,
                medication_id=medication_id,
                name=name,
                dose=dose,
                frequency=frequency,
                start_date=start,
                stop_date=stop,
                daily_quantity=daily,
                unit=unit,
                today=today,
            ),
        )

    @Slot()
    def remove_medication_entry(self) -> None:
        medication = selected_row(self.medications_table, self.medications_model)
        if medication is None or not confirm_remove(self, medication.name):
            return
        resident_id = self.editor.existing_id()
        self.editor.submit(
            self, lambda uow: remove_entry(uow, resident_id=resident_id, kind="medication", entry_id=medication.id)
        )

    def _daily_text(self, medication: MedicationItem) -> str:
        daily = medication.daily_quantity
        return f"{daily.normalize():f} {medication.unit}".strip() if daily is not None else ""

    def _runs_out_text(self, medication: MedicationItem) -> str:
        line = self._supply.get(medication.id)
        if line is None:
            return ""
        if line.runs_out is None:
            return self.tr("never dispensed")
        if line.runs_out == date.max:
            return self.tr("not running out")
        day = line.runs_out.isoformat()
        return self.tr("ran out {day}").format(day=day) if line.ran_out else day

    def _runs_out_colour(self, medication: MedicationItem) -> QColor | None:
        line = self._supply.get(medication.id)
        return RAN_OUT if line is not None and line.ran_out else None

    def _supply_text(self, medication: MedicationItem) -> str:
        line = self._supply.get(medication.id)
        if line is None or line.runs_out is None or line.runs_out == date.max:
            return ""
        if line.ran_out:
            return self.tr("⚠ ran out on {day}: no refill since").format(day=line.runs_out.isoformat())
        return self.tr("lasts until {day}").format(day=(line.runs_out - timedelta(days=1)).isoformat())

    # --- allergies -------------------------------------------------------------------------------------------

    @Slot()
    def clear_allergy(self) -> None:
        self.allergy_id = None
        self.allergies_table.clearSelection()
        self.substance_edit.clear()
        self.reaction_edit.clear()
        self.remove_allergy.setEnabled(False)
        self.save_allergy.setText(self.tr("Add allerg&y"))

    def _allergy_chosen(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        allergy = selected_row(self.allergies_table, self.allergies_model)
        if allergy is None:
            return
        self.allergy_id = allergy.id
        self.substance_edit.setText(allergy.substance)
        self.reaction_edit.setText(allergy.reaction)
        self.remove_allergy.setEnabled(True)
        self.save_allergy.setText(self.tr("Save allerg&y"))

    @Slot()
    def save_allergy_entry(self) -> None:
        substance, reaction = self.substance_edit.text(), self.reaction_edit.text()
        resident_id, allergy_id = self.editor.existing_id(), self.allergy_id
        self.editor.submit(
            self,
            lambda uow: save_allergy(
                uow, resident_id=resident_id, allergy_id=allergy_id, substance=substance, reaction=reaction
            ),
        )

    @Slot()
    def remove_allergy_entry(self) -> None:
        allergy = selected_row(self.allergies_table, self.allergies_model)
        if allergy is None or not confirm_remove(self, allergy.substance):
            return
        resident_id = self.editor.existing_id()
        self.editor.submit(
            self, lambda uow: remove_entry(uow, resident_id=resident_id, kind="allergy", entry_id=allergy.id)
        )
