"""The form sections of the resident record: identity, residence and status (signing: signing.py; flags: flags.py).

Each tab shows the record it is given, and its Save button sends the whole section as one service
call through :meth:`RecordEditor.submit`. A tab's ``fields`` maps the domain's field names to
its widgets, so a refusal puts the cursor where the problem is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
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
    save_row,
)
from app.ui.widgets.tables import fit_columns


def _line(parent: QWidget, name: str, max_length: int) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setMaxLength(max_length)
    return edit


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
        layout.addLayout(save_row(self, self.save_button))

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
        left.addLayout(save_row(self, self.save_button))
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


def _status_label(value: str) -> str:
    try:
        return ResidentStatus(value).label
    except ValueError:
        return value
