"""Proxy refills — 代配药: a home's refill list for a round, dispensing, each medication's daily quantity.

Pick the home and the round's day: the list shows whose long-term medications run out on or before the
home's next round, when, and how much to dispense; "Print refill list…" makes the 代配药清单 and "Export
Excel…" the same list as a workbook (the shared exporter, ``ListKind.REFILLS``). Select a line
to record what was dispensed (the run-out day moves on) or to change the medication's daily quantity.
Nurses and doctors record; everyone may read and print.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.domain.permissions import Action
from app.domain.refills import MAX_COLLECTOR, MAX_DISPENSE_QUANTITY, parse_daily_quantity
from app.services.authz import permitted_actions
from app.services.homecare.refills import (
    RefillList,
    SupplyLine,
    print_refill_list,
    record_dispense,
    refill_list,
    set_supply,
    usage_text,
)
from app.services.reports.exports import ListFilters, ListKind
from app.ui.homecare.dialogs import FormDialog, save_in_dialog
from app.ui.reports.export_action import ExcelExport
from app.ui.residents.table import ResidentTableModel, fit_to_rows, list_toolbar, make_resident_table
from app.ui.shell.tasks import Op
from app.ui.widgets.pdf_preview import preview_file, show_pdf_preview

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class RefillModel(ResidentTableModel):
    """Refill lines: bed, name, medication, how taken, runs out, to dispense, last dispensed."""

    COLUMNS = ("bed", "name", "medication", "usage", "runs_out", "quantity", "last")

    def titles(self) -> tuple[str, ...]:
        return (
            self.tr("Bed"),
            self.tr("Name"),
            self.tr("Medication"),
            self.tr("How taken"),
            self.tr("Runs out"),
            self.tr("To dispense"),
            self.tr("Last dispensed"),
        )

    def display(self, row: SupplyLine, column: int) -> str:
        if column == 4:
            if row.runs_out is None:
                return self.tr("never dispensed")
            text = row.runs_out.isoformat()
            return self.tr("{day} (ran out)").format(day=text) if row.ran_out else text
        values = (
            row.bed,
            row.resident_name,
            row.medication,
            usage_text(row),
            "",
            f"{row.quantity} {row.unit}".strip(),
            row.last_dispensed.isoformat() if row.last_dispensed else "—",
        )
        return values[column]

    def colour(self, row: SupplyLine, column: int) -> TriageColour:
        return TriageColour.RED if row.ran_out else TriageColour.YELLOW


class DispenseDialog(FormDialog):
    """Record a refill dispensed: the day, how many units, who collected it for the home."""

    def __init__(self, line: SupplyLine, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispenseDialog")
        self.setWindowTitle(self.tr("Record a refill — {name}").format(name=line.resident_name))
        self.dispensed_on = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.dispensed_on.setObjectName("dispensedOn")
        self.dispensed_on.setCalendarPopup(True)
        self.dispensed_on.setDisplayFormat("yyyy-MM-dd")
        self.dispensed_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.quantity = QSpinBox(self)
        self.quantity.setObjectName("dispenseQuantity")
        self.quantity.setRange(1, MAX_DISPENSE_QUANTITY)
        self.quantity.setValue(line.quantity)
        self.quantity.setSuffix(f" {line.unit}" if line.unit else "")
        self.collected_by = QLineEdit(self)
        self.collected_by.setObjectName("collectedBy")
        self.collected_by.setMaxLength(MAX_COLLECTOR)
        form = QFormLayout()
        form.addRow(self.tr("Medication:"), QLabel(f"{line.medication}　{usage_text(line)}", self))
        form.addRow(self.tr("Dispensed &on:"), self.dispensed_on)
        form.addRow(self.tr("&Quantity:"), self.quantity)
        form.addRow(self.tr("&Collected by:"), self.collected_by)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self._finish(layout)

    def values(self) -> dict[str, object]:
        day = self.dispensed_on.date()
        return {
            "dispensed_on": date(day.year(), day.month(), day.day()),
            "quantity": self.quantity.value(),
            "collected_by": self.collected_by.text(),
        }


class DailyQuantityDialog(FormDialog):
    """Change a medication's daily quantity (units a day) and unit."""

    def __init__(self, line: SupplyLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dailyQuantityDialog")
        self.setWindowTitle(self.tr("Daily quantity — {medication}").format(medication=line.medication))
        self.daily = QLineEdit(f"{line.daily_quantity.normalize():f}", self)
        self.daily.setObjectName("dailyQuantity")
        self.daily.setMaxLength(8)
        self.unit = QLineEdit(line.unit, self)
        self.unit.setObjectName("dailyUnit")
        self.unit.setMaxLength(10)
        form = QFormLayout()
        form.addRow(self.tr("Units a &day:"), self.daily)
        form.addRow(self.tr("&Unit:"), self.unit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self._finish(layout)

    def values(self) -> dict[str, str]:
        """The daily quantity and unit as typed (read on the GUI thread, parsed by the save)."""
        return {"daily": self.daily.text(), "unit": self.unit.text()}


class RefillsPage(QWidget):
    """A home's refill list for one round's day.

    Args:
        context: the open database.
        parent: the owning widget.
        today: returns the reference day (``date.today`` by default; tests fix it).

    Signals:
        refreshed(int): the list was fetched; the number of lines on it.
        saved(str): a dispensing or a daily quantity was saved (the medication's id).
    """

    refreshed = Signal(int)
    saved = Signal(str)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("refillsPage")
        self._context = context
        self._today = today
        self._actions: frozenset[Action] = frozenset()
        self._listed: RefillList | None = None

        top = list_toolbar(
            self,
            context,
            title=self.tr("Proxy refills"),
            institution_label=self.tr("&Institution:"),
            refresh_text=self.tr("&Refresh"),
            combo_name="refillsInstitution",
            count_name="refillsCount",
        )
        self.institution_combo = top.institution_combo
        self.count_label = top.count_label
        self.refresh_button = top.refresh_button
        day = today()
        self.day_edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.day_edit.setObjectName("refillsDay")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        day_label = QLabel(self.tr("Round &day:"), self)
        day_label.setBuddy(self.day_edit)
        self.dispense_button = QPushButton(self.tr("Record refi&ll…"), self)
        self.dispense_button.setObjectName("recordRefill")
        self.daily_button = QPushButton(self.tr("Daily &quantity…"), self)
        self.daily_button.setObjectName("dailyQuantityButton")
        self.print_button = QPushButton(self.tr("&Print refill list…"), self)
        self.print_button.setObjectName("printRefills")
        self.excel = ExcelExport(
            self,
            context,
            ListKind.REFILLS,
            filters=lambda: ListFilters(institution_id=self.institution_combo.currentData(), day=self.day()),
            today=self.day,
            file_name=lambda: f"refills-{self.day().isoformat()}",
        )
        widgets = (day_label, self.day_edit, self.dispense_button, self.daily_button, self.print_button)
        for widget in (*widgets, self.excel.button):
            top.layout.addWidget(widget)
        self.explanation = QLabel(self)
        self.explanation.setObjectName("refillsExplanation")
        self.explanation.setWordWrap(True)

        self.model = RefillModel(self)
        self.table = make_resident_table(self, self.model, "refillsTable")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top.layout)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.institution_combo.currentIndexChanged.connect(self.refresh)
        self.day_edit.dateChanged.connect(self.refresh)
        self.dispense_button.clicked.connect(self.record_refill)
        self.daily_button.clicked.connect(self.change_daily_quantity)
        self.print_button.clicked.connect(self.print_list)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        # the list is per home: once the institutions are there, choose the first rather than "All"
        self.institution_combo.model().rowsInserted.connect(lambda *_: QTimer.singleShot(0, self._choose_a_home))
        self._enable()

    def _choose_a_home(self) -> None:
        if self.institution_combo.currentData() is None and self.institution_combo.count() > 1:
            self.institution_combo.setCurrentIndex(1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.institution_combo.load_once()
            self.refresh()

    def day(self) -> date:
        value = self.day_edit.date()
        return date(value.year(), value.month(), value.day())

    @Slot()
    def refresh(self) -> None:
        """Fetch the refill list of the chosen home on the database thread (a home must be chosen)."""
        context, day = self._context, self.day()
        institution_id = self.institution_combo.currentData()
        if not institution_id:
            self.model.set_rows([])
            self._listed = None
            self.explanation.setText(self.tr("Choose an institution: the refill list is made per home and round."))
            self.count_label.setText("")
            self._enable()
            return

        def load() -> tuple[RefillList, frozenset[Action]]:
            return refill_list(context.uow(), institution_id=institution_id, day=day), permitted_actions(context.uow())

        self.refresh_button.setEnabled(False)
        Op(self, load).with_progress(self.tr("Making the refill list…")).latest_only("refills").success(
            self._show
        ).run()

    def _show(self, loaded: tuple[RefillList, frozenset[Action]]) -> None:
        self._listed, self._actions = loaded
        self.refresh_button.setEnabled(True)
        self.model.set_rows(self._listed.lines)
        fit_to_rows(self.table)
        self.explanation.setText(
            self.tr("Long-term medications that run out on or before the next round ({next}).").format(
                next=self._listed.next_round.isoformat()
            )
        )
        ran_out = sum(line.ran_out for line in self._listed.lines)
        self.count_label.setText(
            self.tr("{count} to refill, {ran_out} already ran out").format(
                count=len(self._listed.lines), ran_out=ran_out
            )
        )
        self._enable()
        self.refreshed.emit(len(self._listed.lines))

    def selected_line(self) -> SupplyLine | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _enable(self) -> None:
        may = Action.RECORD_REFILLS in self._actions and self.selected_line() is not None
        self.dispense_button.setEnabled(may)
        self.daily_button.setEnabled(may)
        self.print_button.setEnabled(self._listed is not None)
        self.excel.button.setEnabled(self._listed is not None)

    @Slot()
    def record_refill(self) -> None:
        """Record what was dispensed for the selected line."""
        line = self.selected_line()
        if line is None:
            return
        dialog = DispenseDialog(line, self._today(), self)
        context, today = self._context, self._today()

        def save(values: dict[str, Any]) -> str:
            record_dispense(context.uow(), medication_id=line.medication_id, today=today, **values)
            return line.medication_id

        dialog.submitted.connect(lambda: self._save(dialog, save))
        dialog.open()

    @Slot()
    def change_daily_quantity(self) -> None:
        """Change the selected medication's daily quantity and unit."""
        line = self.selected_line()
        if line is None:
            return
        dialog = DailyQuantityDialog(line, self)
        context = self._context

        def save(values: dict[str, Any]) -> str:
            daily: Decimal = parse_daily_quantity(values["daily"])
            set_supply(context.uow(), medication_id=line.medication_id, daily_quantity=daily, unit=values["unit"])
            return line.medication_id

        dialog.submitted.connect(lambda: self._save(dialog, save))
        dialog.open()

    def _save(self, dialog: Any, work: Callable[[dict[str, Any]], str]) -> None:
        def done(medication_id: str) -> None:
            self.saved.emit(medication_id)
            self.refresh()

        save_in_dialog(self, dialog, work, done)

    @Slot()
    def print_list(self) -> None:
        """Build the 代配药清单 of the chosen home and day and preview it."""
        institution_id = self.institution_combo.currentData()
        if not institution_id:
            return
        context, day = self._context, self.day()
        out = preview_file("refills.pdf")
        Op(
            self, lambda: print_refill_list(context.uow(), institution_id=institution_id, day=day, out=out)
        ).with_progress(self.tr("Preparing the refill list…")).success(
            lambda printed: show_pdf_preview(
                self,
                printed.path,
                title=self.tr("Proxy refill list"),
                file_name=f"refills-{day.isoformat()}.pdf",
                database=context.database.path,
            )
        ).run()

    def theme_changed(self) -> None:
        self.model.layoutChanged.emit()
