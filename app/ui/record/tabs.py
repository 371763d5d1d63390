"""The form sections of the resident record: identity, residence and status, signing, flags.

Each tab shows the record it is given, and its Save button sends the whole section as one service
call through :meth:`RecordEditor.submit`. A tab's ``fields`` maps the domain's field names to
its widgets, so a refusal puts the cursor where the problem is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.records import check_id_number
from app.domain.residents import ResidentStatus, period_reason_label
from app.domain.validation import age_on
from app.services.records.load import (
    ResidentRecord,
    save_flags,
    save_signing,
)
from app.services.records.residents import change_status, save_residence, update_identity
from app.ui.record.editor import RecordEditor
from app.ui.record.fields import (
    Column,
    DateField,
    ErrorBanner,
    RecordSection,
    RowsModel,
    date_text,
    form_row,
    heading,
    make_table,
)
from app.ui.widgets.tables import fit_columns

SERVICE_PACKAGES = ("基础包", "老年人服务包", "慢病管理包", "失能老人服务包", "安宁疗护服务包")
"""Common service packages — 签约服务包 — offered in the list (any other text may be typed)."""


def _line(parent: QWidget, name: str, max_length: int) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setMaxLength(max_length)
    return edit


def _save_row(tab: QWidget, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    return row


class RecordIdentityTab(RecordSection):
    """Name, ID card number (checked as typed; birth date and sex follow it), insurance, guardian."""

    def __init__(self, editor: RecordEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.banner = ErrorBanner(self)
        self.name_edit = _line(self, "name", 30)
        self.id_edit = _line(self, "id_number", 22)
        self.id_edit.setPlaceholderText(self.tr("18 characters; a final x is fine"))
        self.id_status = QLabel(self)
        self.id_status.setObjectName("idStatus")
        self.id_status.setWordWrap(True)
        self.notes_label = QLabel(self)  # the record's notes, e.g. an ID number converted from 15 digits
        self.notes_label.setObjectName("recordNotes")
        self.notes_label.setWordWrap(True)
        self.birth_edit = DateField("birth_date", self)
        self.sex_combo = QComboBox(self)
        self.sex_combo.setObjectName("sex")
        self.insurance_edit = _line(self, "insurance_number", 30)
        self.phone_edit = _line(self, "phone", 20)
        self.record_number_edit = _line(self, "record_number", 30)
        self.guardian_edit = _line(self, "guardian_name", 30)
        self.relation_edit = _line(self, "guardian_relation", 20)
        self.guardian_phone_edit = _line(self, "guardian_phone", 20)
        self.save_button = QPushButton(self.tr("&Save identity"), self)
        self.save_button.setObjectName("saveIdentity")
        self.save_button.clicked.connect(self.save)

        form = QFormLayout()
        form_row(form, self.tr("&Name:"), self.name_edit)
        form_row(form, self.tr("I&D card number:"), self.id_edit)
        form.addRow("", self.id_status)
        form.addRow("", self.notes_label)
        form_row(form, self.tr("&Birth date:"), self.birth_edit)
        form_row(form, self.tr("Se&x:"), self.sex_combo)
        form_row(form, self.tr("Insurance n&umber:"), self.insurance_edit)
        form_row(form, self.tr("&Phone:"), self.phone_edit)
        form_row(form, self.tr("Health &record number:"), self.record_number_edit)
        guardian_group = QGroupBox(self.tr("Guardian or contact"), self)
        guardian_form = QFormLayout(guardian_group)
        form_row(guardian_form, self.tr("&Guardian:"), self.guardian_edit)
        form_row(guardian_form, self.tr("Re&lationship:"), self.relation_edit)
        form_row(guardian_form, self.tr("Guardian's p&hone:"), self.guardian_phone_edit)
        guardian_column = QVBoxLayout()
        guardian_column.addWidget(guardian_group)
        guardian_column.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        columns.addSpacing(16)
        columns.addLayout(guardian_column, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addLayout(_save_row(self, self.save_button))

        self.fields: dict[str, QWidget] = {
            "name": self.name_edit,
            "id_number": self.id_edit,
            "birth_date": self.birth_edit,
            "sex": self.sex_combo,
            "insurance_number": self.insurance_edit,
            "phone": self.phone_edit,
            "record_number": self.record_number_edit,
            "guardian_name": self.guardian_edit,
            "guardian_relation": self.relation_edit,
            "guardian_phone": self.guardian_phone_edit,
        }
        self._fill_sex()
        self.id_edit.textChanged.connect(self.check_id_number)

    def _fill_sex(self) -> None:
        self.sex_combo.clear()
        self.sex_combo.addItem(self.tr("(from the ID number)"), "")
        self.sex_combo.addItem(self.tr("Male"), "M")
        self.sex_combo.addItem(self.tr("Female"), "F")

    def show_record(self, record: ResidentRecord | None) -> None:
        self.save_button.setVisible(record is not None)
        if record is None:
            return
        r = record.resident
        self.name_edit.setText(r.name)
        self.id_edit.setText(r.id_number)
        self.birth_edit.set_value(r.birth_date)
        self.sex_combo.setCurrentIndex(max(0, self.sex_combo.findData(r.sex)))
        self.insurance_edit.setText(r.insurance_number)
        self.phone_edit.setText(r.phone)
        self.record_number_edit.setText(r.record_number)
        self.guardian_edit.setText(r.guardian_name)
        self.relation_edit.setText(r.guardian_relation)
        self.guardian_phone_edit.setText(r.guardian_phone)
        self.notes_label.setText(r.notes)
        self.notes_label.setVisible(bool(r.notes))
        self.check_id_number()

    @Slot()
    def check_id_number(self) -> None:
        """Check the ID number as it is typed; when complete and valid, fill in birth date and sex."""
        text = "".join(self.id_edit.text().split())
        if not text:
            self.id_status.clear()
            return
        old_number = len(text) == 15 and text.isascii() and text.isdigit()
        if len(text) < 18 and not old_number:
            self.id_status.setText(self.tr("{n} more character(s) to go").format(n=18 - len(text)))
            return
        today = self.editor.today()
        try:
            info = check_id_number(text, today=today)
        except ValidationError as error:
            self.id_status.setText(f"✗ {error.reason}")
            return
        self.birth_edit.set_value(info.birth_date)
        self.sex_combo.setCurrentIndex(max(0, self.sex_combo.findData(info.sex)))
        sex = self.tr("male") if info.sex == "M" else self.tr("female")
        status = self.tr("✓ valid: {sex}, born {birth}, {age} years old").format(
            sex=sex, birth=info.birth_date.isoformat(), age=age_on(info.birth_date, today)
        )
        if info.converted_from:
            status += "\n" + self.tr("An old 15-digit number: it is saved as {number}, with a note.").format(
                number=info.number
            )
        self.id_status.setText(status)

    def values(self) -> dict[str, Any]:
        """Return the section's values for the identity services.

        Raises:
            ValidationError: the birth date is not a date.
        """
        return {
            "name": self.name_edit.text(),
            "id_number": self.id_edit.text(),
            "birth_date": self.birth_edit.value(),
            "sex": self.sex_combo.currentData() or None,
            "insurance_number": self.insurance_edit.text(),
            "phone": self.phone_edit.text(),
            "guardian_name": self.guardian_edit.text(),
            "guardian_relation": self.relation_edit.text(),
            "guardian_phone": self.guardian_phone_edit.text(),
            "record_number": self.record_number_edit.text(),
        }

    @Slot()
    def save(self) -> None:
        """Save the identity section (one action)."""
        try:
            values = self.values()
        except ValidationError as error:
            self.banner.show_error(error)
            return
        resident_id, today = self.editor.existing_id(), self.editor.today()
        self.editor.submit(self, lambda uow: update_identity(uow, resident_id=resident_id, today=today, **values))


class RecordResidenceTab(RecordSection):
    """Institution and bed (a change is a move kept in the history), admission, status and its history."""

    def __init__(self, editor: RecordEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.banner = ErrorBanner(self)
        self.institution_combo = QComboBox(self)
        self.institution_combo.setObjectName("institution")
        self.building_edit = _line(self, "building", 20)
        self.room_edit = _line(self, "room", 20)
        self.bed_edit = _line(self, "bed", 20)
        self.admission_edit = DateField("admission_date", self)
        self.move_edit = DateField("move_date", self)
        self.move_edit.setToolTip(
            self.tr("A new bed or institution is a move on this date; the previous bed stays in the history.")
        )
        self.save_button = QPushButton(self.tr("&Save residence"), self)
        self.save_button.setObjectName("saveResidence")
        self.save_button.clicked.connect(self.save)

        bed_row = QHBoxLayout()
        for caption, edit in (
            (self.tr("Buildin&g"), self.building_edit),
            (self.tr("R&oom"), self.room_edit),
            (self.tr("B&ed"), self.bed_edit),
        ):
            label = QLabel(caption, self)
            label.setBuddy(edit)
            bed_row.addWidget(label)
            bed_row.addWidget(edit, 1)
        form = QFormLayout()
        form_row(form, self.tr("&Institution:"), self.institution_combo)
        form.addRow(self.tr("Bed:"), bed_row)
        form_row(form, self.tr("A&dmission date:"), self.admission_edit)
        self.move_label = form_row(form, self.tr("&Move date:"), self.move_edit)

        self.status_group = QGroupBox(self.tr("Status"), self)
        self.status_label = QLabel(self.status_group)
        self.status_label.setObjectName("currentStatus")
        self.status_combo = QComboBox(self.status_group)
        self.status_combo.setObjectName("status")
        self.status_date_edit = DateField("status_date", self.status_group)
        self.status_note_edit = _line(self.status_group, "notes", 200)
        self.status_button = QPushButton(self.tr("&Change status"), self.status_group)
        self.status_button.setObjectName("changeStatus")
        self.status_button.clicked.connect(self.change_status)
        status_form = QFormLayout(self.status_group)
        status_form.addRow(self.tr("Now:"), self.status_label)
        form_row(status_form, self.tr("New s&tatus:"), self.status_combo)
        form_row(status_form, self.tr("Da&te:"), self.status_date_edit)
        form_row(status_form, self.tr("N&ote:"), self.status_note_edit)
        status_form.addRow("", self.status_button)

        self.periods_model = RowsModel([], self)
        self.periods_table = make_table(self.periods_model, self, "periods")
        self.statuses_model = RowsModel([], self)
        self.statuses_table = make_table(self.statuses_model, self, "statuses")
        self._set_columns()

        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(_save_row(self, self.save_button))
        left.addWidget(self.status_group)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(heading(self.tr("Beds and institutions"), self))
        right.addWidget(self.periods_table, 2)
        right.addWidget(heading(self.tr("Status history"), self))
        right.addWidget(self.statuses_table, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)

        self.fields: dict[str, QWidget] = {
            "institution": self.institution_combo,
            "building": self.building_edit,
            "room": self.room_edit,
            "bed": self.bed_edit,
            "admission_date": self.admission_edit,
            "move_date": self.move_edit,
            "residence_status": self.status_combo,
            "status_date": self.status_date_edit,
            "status_note": self.status_note_edit,
        }

    def _set_columns(self) -> None:
        self.periods_model.set_columns(
            [
                Column(self.tr("From"), lambda p: date_text(p.start_date)),
                Column(self.tr("Until"), lambda p: date_text(p.end_date) or self.tr("now")),
                Column(self.tr("Institution"), lambda p: p.institution_name),
                Column(self.tr("Bed"), lambda p: "-".join(x for x in (p.building, p.room, p.bed) if x)),
                Column(self.tr("Why"), lambda p: period_reason_label(p.reason)),
            ]
        )
        self.statuses_model.set_columns(
            [
                Column(self.tr("Date"), lambda s: date_text(s.on_date)),
                Column(self.tr("Status"), lambda s: _status_label(s.status)),
                Column(self.tr("Note"), lambda s: s.note),
            ]
        )
        fit_columns(self.periods_table, ["2026-12-31", "2026-12-31", "漕溪长者照护之家", "A-1201-12"])
        fit_columns(self.statuses_table, ["2026-12-31", "Hospitalized"])

    def show_record(self, record: ResidentRecord | None) -> None:
        current = self.institution_combo.currentData()
        self.institution_combo.clear()
        for institution in self.editor.institutions:
            self.institution_combo.addItem(institution.name, institution.id)
        new = record is None
        self.save_button.setVisible(not new)
        self.move_edit.setVisible(not new)
        self.move_label.setVisible(not new)
        self.status_group.setVisible(not new)
        today = self.editor.today()
        if record is None:
            wanted = current or self.editor.initial_institution_id
            self.institution_combo.setCurrentIndex(max(0, self.institution_combo.findData(wanted)))
            self.periods_model.set_rows([])
            self.statuses_model.set_rows([])
            return
        r = record.resident
        self.institution_combo.setCurrentIndex(max(0, self.institution_combo.findData(r.institution_id)))
        self.building_edit.setText(r.building)
        self.room_edit.setText(r.room)
        self.bed_edit.setText(r.bed)
        self.admission_edit.set_value(r.admission_date)
        self.move_edit.set_value(today)
        since = f" ({r.status_date.isoformat()})" if r.status_date else ""
        self.status_label.setText(_status_label(r.status) + since)
        self.status_combo.clear()
        for status in ResidentStatus:
            if status.value != r.status:
                self.status_combo.addItem(status.label, status.value)
        self.status_date_edit.set_value(today)
        self.status_note_edit.clear()
        self.periods_model.set_rows(record.periods)
        self.statuses_model.set_rows(record.statuses)

    def values(self) -> dict[str, Any]:
        """Return institution, bed and admission date.

        Raises:
            ValidationError: the admission date is not a date, or no institution exists yet.
        """
        institution_id = self.institution_combo.currentData()
        if not institution_id:
            raise ValidationError("institution", "", "institution.unknown")
        return {
            "institution_id": institution_id,
            "building": self.building_edit.text(),
            "room": self.room_edit.text(),
            "bed": self.bed_edit.text(),
            "admission_date": self.admission_edit.value(),
        }

    @Slot()
    def save(self) -> None:
        """Save institution, bed and admission date; a new bed or institution is a move (one action)."""
        try:
            values = self.values()
            move_date = self.move_edit.value()
        except ValidationError as error:
            self.banner.show_error(error)
            return
        resident_id, today = self.editor.existing_id(), self.editor.today()
        self.editor.submit(
            self,
            lambda uow: save_residence(uow, resident_id=resident_id, move_date=move_date, today=today, **values),
        )

    @Slot()
    def change_status(self) -> None:
        """Change the status (discharge and death are confirmed first) as one action."""
        value = self.status_combo.currentData()
        if not value:
            return
        status = ResidentStatus(value)
        try:
            on_date = self.status_date_edit.value() or self.editor.today()
        except ValidationError as error:
            self.banner.show_error(error)
            return
        if status in (ResidentStatus.DISCHARGED, ResidentStatus.TRANSFERRED, ResidentStatus.DECEASED):
            name = self.editor.record.resident.name if self.editor.record else ""
            answer = QMessageBox.question(
                self.window(),
                self.tr("Change status"),
                self.tr("Record that {name} is “{status}” as of {date}? The current stay ends on that day.").format(
                    name=name, status=status.label, date=on_date.isoformat()
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        resident_id, today, note = self.editor.existing_id(), self.editor.today(), self.status_note_edit.text()
        self.editor.submit(
            self,
            lambda uow: change_status(
                uow, resident_id=resident_id, status=status, on_date=on_date, note=note, today=today
            ),
        )


class RecordSigningTab(RecordSection):
    """The family-doctor signing — 签约: date, doctor, service package."""

    def __init__(self, editor: RecordEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.banner = ErrorBanner(self)
        self.signed_edit = DateField("signed_on", self)
        self.doctor_combo = QComboBox(self)
        self.doctor_combo.setObjectName("signed_doctor")
        self.package_combo = QComboBox(self)
        self.package_combo.setObjectName("service_package")
        self.package_combo.setEditable(True)
        self.package_combo.addItems(["", *SERVICE_PACKAGES])
        self.save_button = QPushButton(self.tr("&Save signing"), self)
        self.save_button.setObjectName("saveSigning")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form_row(form, self.tr("Si&gned on:"), self.signed_edit)
        form_row(form, self.tr("Family &doctor:"), self.doctor_combo)
        form_row(form, self.tr("Service &package:"), self.package_combo)
        hint = QLabel(self.tr("Leave everything empty if the resident has not signed with a family doctor."), self)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch(1)
        layout.addLayout(_save_row(self, self.save_button))
        self.fields: dict[str, QWidget] = {
            "signed_on": self.signed_edit,
            "signed_doctor": self.doctor_combo,
            "service_package": self.package_combo,
        }

    def show_record(self, record: ResidentRecord | None) -> None:
        self.doctor_combo.clear()
        self.doctor_combo.addItem(self.tr("(none)"), None)
        for doctor in self.editor.doctors:
            self.doctor_combo.addItem(f"{doctor.name}  {doctor.team}".strip(), doctor.id)
        if record is None:
            return
        r = record.resident
        self.signed_edit.set_value(r.signed_on)
        index = self.doctor_combo.findData(r.signed_doctor_id)
        if index < 0 and r.signed_doctor_id:
            self.doctor_combo.addItem(r.signed_doctor_name, r.signed_doctor_id)
            index = self.doctor_combo.count() - 1
        self.doctor_combo.setCurrentIndex(max(0, index))
        self.package_combo.setCurrentText(r.service_package)

    @Slot()
    def save(self) -> None:
        try:
            signed_on = self.signed_edit.value()
        except ValidationError as error:
            self.banner.show_error(error)
            return
        doctor_id = self.doctor_combo.currentData()
        package = self.package_combo.currentText()
        resident_id, today = self.editor.existing_id(), self.editor.today()
        self.editor.submit(
            self,
            lambda uow: save_signing(
                uow,
                resident_id=resident_id,
                signed_on=signed_on,
                doctor_id=doctor_id,
                service_package=package,
                today=today,
            ),
        )


class RecordFlagsTab(RecordSection):
    """Family bed (家庭病床) with dates, hospice (安宁疗护), long-term-care insurance (长护险) and care level."""

    def __init__(self, editor: RecordEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.banner = ErrorBanner(self)
        self.family_bed_check = QCheckBox(self.tr("&Family bed (ordered by a doctor)"), self)
        self.family_bed_check.setObjectName("family_bed")
        self.family_start_edit = DateField("family_bed_start", self)
        self.family_end_edit = DateField("family_bed_end", self)
        self.hospice_check = QCheckBox(self.tr("&Hospice care"), self)
        self.hospice_check.setObjectName("hospice")
        self.ltc_check = QCheckBox(self.tr("&Long-term-care insurance"), self)
        self.ltc_check.setObjectName("ltc_insurance")
        self.care_level_combo = QComboBox(self)
        self.care_level_combo.setObjectName("care_level")
        self.save_button = QPushButton(self.tr("&Save flags"), self)
        self.save_button.setObjectName("saveFlags")
        self.save_button.clicked.connect(self.save)

        form = QFormLayout()
        form.addRow(self.family_bed_check)
        form_row(form, self.tr("    &Start:"), self.family_start_edit)
        form_row(form, self.tr("    &End:"), self.family_end_edit)
        form.addRow(self.hospice_check)
        form.addRow(self.ltc_check)
        form_row(form, self.tr("Care le&vel:"), self.care_level_combo)
        hint = QLabel(
            self.tr("Levels 2–6 qualify for long-term-care insurance. A new care-level assessment sets the level."),
            self,
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch(1)
        layout.addLayout(_save_row(self, self.save_button))
        self.fields: dict[str, QWidget] = {
            "family_bed": self.family_bed_check,
            "family_bed_start": self.family_start_edit,
            "family_bed_end": self.family_end_edit,
            "hospice": self.hospice_check,
            "ltc_insurance": self.ltc_check,
            "care_level": self.care_level_combo,
        }
        self.care_level_combo.addItem(self.tr("Not assessed"), None)
        for level in range(7):
            self.care_level_combo.addItem(self.tr("Level {level}").format(level=level), level)
        self.family_bed_check.toggled.connect(self._family_bed_toggled)

    def _family_bed_toggled(self, on: bool) -> None:
        if on and not self.family_start_edit.text():
            self.family_start_edit.set_value(self.editor.today())

    def show_record(self, record: ResidentRecord | None) -> None:
        if record is None:
            return
        r = record.resident
        self.family_bed_check.blockSignals(True)
        self.family_bed_check.setChecked(r.family_bed)
        self.family_bed_check.blockSignals(False)
        self.family_start_edit.set_value(r.family_bed_start)
        self.family_end_edit.set_value(r.family_bed_end)
        self.hospice_check.setChecked(r.hospice)
        self.ltc_check.setChecked(r.ltc_insurance)
        self.care_level_combo.setCurrentIndex(max(0, self.care_level_combo.findData(r.care_level)))

    @Slot()
    def save(self) -> None:
        try:
            start, end = self.family_start_edit.value(), self.family_end_edit.value()
        except ValidationError as error:
            self.banner.show_error(error)
            return
        values = {
            "family_bed": self.family_bed_check.isChecked(),
            "family_bed_start": start,
            "family_bed_end": end,
            "hospice": self.hospice_check.isChecked(),
            "ltc_insurance": self.ltc_check.isChecked(),
            "care_level": self.care_level_combo.currentData(),
        }
        resident_id, today = self.editor.existing_id(), self.editor.today()
        self.editor.submit(self, lambda uow: save_flags(uow, resident_id=resident_id, today=today, **values))


def _status_label(value: str) -> str:
    try:
        return ResidentStatus(value).label
    except ValueError:
        return value
