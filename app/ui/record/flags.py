"""The record's Flags tab: the family bed (家庭病床) — the open bed's indication, doctor, bed-days, last check
and orders — hospice (安宁疗护), long-term-care insurance (长护险) and care level.

The open bed is shown, not edited, here: doctors open, change and close beds on the Family beds page, and
the flag and its dates follow (app.services.homecare.beds).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.services.homecare.beds import BedView, OrderView
from app.services.records.load import (
    ResidentRecord,
    save_flags,
)
from app.ui.record.editor import RecordEditor
from app.ui.record.fields import (
    Column,
    DateField,
    ErrorBanner,
    RecordSection,
    RowsModel,
    date_text,
    form_row,
    make_table,
    save_row,
)
from app.ui.widgets.tables import fit_columns


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

        self.bed_group = QGroupBox(self.tr("Open family bed"), self)
        self.bed_summary = QLabel(self.bed_group)
        self.bed_summary.setObjectName("bedSummary")
        self.bed_summary.setWordWrap(True)
        self.bed_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.orders_model = RowsModel([], self)
        self.orders_table = make_table(self.orders_model, self.bed_group, "bedOrders")
        self.orders_model.set_columns(
            [
                Column(self.tr("Order"), lambda o: o.label),
                Column(self.tr("Every"), lambda o: self.tr("{days} d").format(days=o.order.every_days)),
                Column(self.tr("From"), lambda o: date_text(o.order.start)),
                Column(self.tr("Until"), lambda o: date_text(o.order.stop)),
                Column(self.tr("Due today"), lambda o: "✓" if o.order.due_on(self.editor.today()) else ""),
            ]
        )
        fit_columns(self.orders_table, ["更换导尿管（16F 硅胶导尿管）", "90 d", "2026-12-31", "2026-12-31", "✓"])
        header = self.orders_table.horizontalHeader()  # the order's text takes the room, not the tick
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        bed_layout = QVBoxLayout(self.bed_group)
        bed_layout.addWidget(self.bed_summary)
        bed_layout.addWidget(self.orders_table, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.bed_group, 1)
        layout.addLayout(save_row(self, self.save_button))
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
        homecare = self.editor.homecare
        self.show_bed(homecare.bed if homecare is not None else None)

    def show_bed(self, bed: BedView | None) -> None:
        """Show the open bed: indication, doctor, since, bed-days, last check, the orders (or that there is none)."""
        orders: list[OrderView] = []
        if bed is None:
            self.bed_summary.setText(
                self.tr("No open family bed. Doctors open, change and close beds on the Family beds page.")
            )
        else:
            today = self.editor.today()
            last = bed.last_check.isoformat() if bed.last_check else self.tr("not checked yet")
            lines = [
                self.tr("{indication} — doctor {doctor}").format(
                    indication=bed.indication, doctor=bed.doctor or self.tr("none named")
                ),
                self.tr("Open since {since}, {days} bed-days; last check {last}, next due by {due}").format(
                    since=bed.opened_on.isoformat(),
                    days=bed.bed_days,
                    last=last,
                    due=bed.next_check_due.isoformat() if bed.next_check_due else "—",
                ),
            ]
            if bed.checks_missed:
                lines.append(self.tr("⚠ {weeks} weeks without a check").format(weeks=bed.checks_missed))
            if bed.care_plan:
                lines.append(self.tr("Care plan: {plan}").format(plan=bed.care_plan))
            self.bed_summary.setText("\n".join(lines))
            orders = [o for o in bed.orders if o.order.stop is None or o.order.stop >= today]
        self.orders_model.set_rows(orders)
        self.orders_table.setVisible(bool(orders))

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
