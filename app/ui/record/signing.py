"""The record's Signing tab: the family-doctor signing — 家庭医生签约 — its day, doctor and service package."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.services.records.load import (
    ResidentRecord,
    save_signing,
)
from app.ui.record.editor import RecordEditor
from app.ui.record.fields import (
    DateField,
    ErrorBanner,
    RecordSection,
    form_row,
    save_row,
)

SERVICE_PACKAGES = ("基础包", "老年人服务包", "慢病管理包", "失能老人服务包", "安宁疗护服务包")
"""Common service packages — 签约服务包 — offered in the list (any other text may be typed)."""


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
        layout.addLayout(save_row(self, self.save_button))
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
