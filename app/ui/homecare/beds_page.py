"""Family beds — 家庭病床: the open beds of a home or the center, their checks and orders; open, check, close.

The list shows, per bed, the home, bed, resident, indication, opening day, bed-days, last check, weeks missed
(a whole 7-day period without a check) and the orders due today; the selected bed's plan, orders and checks
are shown below. Doctors open and close beds; nurses and doctors record checks (the buttons follow the role).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.colours import TriageColour
from app.domain.permissions import Action
from app.services.authz import permitted_actions
from app.services.homecare.beds import BedView, check_bed, close_bed, list_beds, open_bed, print_beds_list
from app.ui.homecare.dialogs import CheckBedDialog, CloseBedDialog, OpenBedDialog, save_in_dialog
from app.ui.residents.table import ResidentTableModel, fit_to_rows, list_toolbar, make_resident_table
from app.ui.shell.tasks import Op
from app.ui.widgets.pdf_preview import preview_file, show_pdf_preview
from app.ui.widgets.resident_finder import ResidentFinderDialog

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class BedsModel(ResidentTableModel):
    """Beds: home, bed, name, indication, opened, bed-days, last check, weeks missed, orders due today."""

    COLUMNS = ("institution", "bed", "name", "indication", "opened", "days", "last_check", "missed", "due")
    NUMBER_COLUMNS = (5, 7)

    def __init__(self, parent: Any = None, *, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._today = today

    def titles(self) -> tuple[str, ...]:
        return (
            self.tr("Institution"),
            self.tr("Bed"),
            self.tr("Name"),
            self.tr("Indication"),
            self.tr("Opened"),
            self.tr("Bed-days"),
            self.tr("Last check"),
            self.tr("Weeks missed"),
            self.tr("Orders due today"),
        )

    def display(self, row: BedView, column: int) -> str:
        values = (
            row.institution,
            row.bed,
            row.resident_name,
            row.indication,
            row.opened_on.isoformat(),
            str(row.bed_days),
            row.last_check.isoformat() if row.last_check else self.tr("none yet"),
            str(row.checks_missed),
            "、".join(view.label for view in row.orders_due(self._today()))
            if row.closed_on is None
            else self.tr("closed {day}").format(day=row.closed_on.isoformat()),
        )
        return values[column]

    def colour(self, row: BedView, column: int) -> TriageColour:
        return TriageColour.RED

    def tooltip(self, row: BedView, column: int) -> str | None:
        if column == 7 and row.checks_missed:
            return self.tr("A bed is checked at least once in every 7 days from its opening.")
        return None


class BedsPage(QWidget):
    """The family beds of the center or one home.

    Args:
        context: the open database.
        parent: the owning widget.
        today: returns the reference day (``date.today`` by default; tests fix it).

    Signals:
        refreshed(int): the list was fetched; the number of beds on it.
        saved(str): a bed was opened, checked or closed (the bed's id).
    """

    refreshed = Signal(int)
    saved = Signal(str)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bedsPage")
        self._context = context
        self._today = today
        self._actions: frozenset[Action] = frozenset()

        top = list_toolbar(
            self,
            context,
            title=self.tr("Family beds"),
            institution_label=self.tr("&Institution:"),
            refresh_text=self.tr("&Refresh"),
            combo_name="bedsInstitution",
            count_name="bedsCount",
        )
        self.institution_combo = top.institution_combo
        self.count_label = top.count_label
        self.refresh_button = top.refresh_button
        self.closed_box = QCheckBox(self.tr("Show &closed beds"), self)
        self.closed_box.setObjectName("bedsShowClosed")
        self.open_button = QPushButton(self.tr("&Open bed…"), self)
        self.open_button.setObjectName("openBed")
        self.check_button = QPushButton(self.tr("Record c&heck…"), self)
        self.check_button.setObjectName("checkBed")
        self.close_button = QPushButton(self.tr("Clos&e bed…"), self)
        self.close_button.setObjectName("closeBed")
        self.print_button = QPushButton(self.tr("&Print list…"), self)
        self.print_button.setObjectName("printBeds")
        for widget in (self.closed_box, self.open_button, self.check_button, self.close_button, self.print_button):
            top.layout.addWidget(widget)

        self.model = BedsModel(self, today=today)
        self.table = make_resident_table(self, self.model, "bedsTable")
        self.details = QLabel(self)
        self.details.setObjectName("bedDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(self.details.textFormat().PlainText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top.layout)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)

        self.refresh_button.clicked.connect(self.refresh)
        self.institution_combo.currentIndexChanged.connect(self.refresh)
        self.closed_box.toggled.connect(self.refresh)
        self.open_button.clicked.connect(self.open_bed)
        self.check_button.clicked.connect(self.check_bed)
        self.close_button.clicked.connect(self.close_bed)
        self.print_button.clicked.connect(self.print_list)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self._selection_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.institution_combo.load_once()
            self.refresh()

    # --- the list ---------------------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Fetch the beds (and what the signed-in person may do) on the database thread."""
        context, today = self._context, self._today()
        institution_id = self.institution_combo.currentData()
        open_only = not self.closed_box.isChecked()

        def load() -> tuple[list[BedView], frozenset[Action]]:
            beds = list_beds(context.uow(), today=today, institution_id=institution_id, open_only=open_only)
            return beds, permitted_actions(context.uow())

        self.refresh_button.setEnabled(False)
        Op(self, load).with_progress(self.tr("Loading family beds…")).latest_only("beds").success(self._show).run()

    def _show(self, loaded: tuple[list[BedView], frozenset[Action]]) -> None:
        beds, self._actions = loaded
        self.refresh_button.setEnabled(True)
        self.model.set_rows(beds)
        fit_to_rows(self.table)
        open_beds = sum(bed.closed_on is None for bed in beds)
        missed = sum(bed.checks_missed > 0 for bed in beds if bed.closed_on is None)
        self.count_label.setText(
            self.tr("{count} open, {missed} with checks missed").format(count=open_beds, missed=missed)
        )
        self.print_button.setEnabled(open_beds > 0)
        self._selection_changed()
        self.refreshed.emit(len(beds))

    def selected_bed(self) -> BedView | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _selection_changed(self) -> None:
        bed = self.selected_bed()
        is_open = bed is not None and bed.closed_on is None
        self.open_button.setEnabled(Action.MANAGE_BEDS in self._actions)
        self.check_button.setEnabled(is_open and Action.CHECK_BEDS in self._actions)
        self.close_button.setEnabled(is_open and Action.MANAGE_BEDS in self._actions)
        self.details.setText(self._describe(bed) if bed is not None else "")

    def _describe(self, bed: BedView) -> str:
        lines = [
            self.tr("{name}, {home} {bed} — {indication}; doctor: {doctor}").format(
                name=bed.resident_name,
                home=bed.institution,
                bed=bed.bed,
                indication=bed.indication,
                doctor=bed.doctor or "—",
            )
        ]
        if bed.care_plan:
            lines.append(self.tr("Care plan: {plan}").format(plan=bed.care_plan))
        if bed.orders:
            orders = "；".join(
                self.tr("{order} every {days} days").format(order=view.label, days=view.order.every_days)
                for view in bed.orders
            )
            lines.append(self.tr("Orders: {orders}").format(orders=orders))
        for check in bed.checks[-3:]:
            lines.append(
                self.tr("Checked {day} by {who}: {findings}").format(
                    day=check.checked_on.isoformat(), who=check.staff_name or "—", findings=check.findings
                )
            )
        if bed.next_check_due is not None:
            lines.append(self.tr("Next check due by {day}.").format(day=bed.next_check_due.isoformat()))
        if bed.closed_on is not None:
            lines.append(self.tr("Closed {day}: {summary}").format(day=bed.closed_on.isoformat(), summary=bed.summary))
        return "\n".join(lines)

    # --- open, check, close -----------------------------------------------------------------------------------

    @Slot()
    def open_bed(self) -> None:
        """Choose a resident, then type the bed's indication, plan and orders."""
        finder = ResidentFinderDialog(self._context, self)
        finder.setWindowTitle(self.tr("Open a family bed: choose the resident"))
        finder.resident_chosen.connect(self._open_for)
        finder.open()

    def _open_for(self, resident: Any) -> None:
        dialog = OpenBedDialog(resident.name, self._today(), self)
        context, today = self._context, self._today()

        def save(values: dict[str, Any]) -> str:
            return open_bed(context.uow(), resident_id=resident.id, today=today, **values)

        dialog.submitted.connect(lambda: self._save(dialog, save))
        dialog.open()

    @Slot()
    def check_bed(self) -> None:
        """Record a check of the selected bed."""
        bed = self.selected_bed()
        if bed is None or bed.closed_on is not None:
            return
        dialog = CheckBedDialog(bed, self._today(), self)
        context, today = self._context, self._today()
        dialog.submitted.connect(
            lambda: self._save(dialog, lambda values: check_bed(context.uow(), bed_id=bed.id, today=today, **values))
        )
        dialog.open()

    @Slot()
    def close_bed(self) -> None:
        """Close the selected bed with the reason and the discharge summary."""
        bed = self.selected_bed()
        if bed is None or bed.closed_on is not None:
            return
        dialog = CloseBedDialog(bed, self._today(), self)
        context, today = self._context, self._today()

        def save(values: dict[str, Any]) -> str:
            close_bed(context.uow(), bed_id=bed.id, today=today, **values)
            return bed.id

        dialog.submitted.connect(lambda: self._save(dialog, save))
        dialog.open()

    def _save(self, dialog: Any, work: Callable[[dict[str, Any]], str]) -> None:
        def done(bed_id: str) -> None:
            self.saved.emit(bed_id)
            self.refresh()

        save_in_dialog(self, dialog, work, done)

    # --- printing ---------------------------------------------------------------------------------------------

    @Slot()
    def print_list(self) -> None:
        """Build the open beds list (all or the chosen home) and preview it."""
        context, today = self._context, self._today()
        institution_id = self.institution_combo.currentData()
        out = preview_file("beds.pdf")
        Op(
            self, lambda: print_beds_list(context.uow(), out=out, today=today, institution_id=institution_id)
        ).with_progress(self.tr("Preparing the family beds list…")).success(
            lambda printed: show_pdf_preview(
                self,
                printed.path,
                title=self.tr("Family beds"),
                file_name=f"family-beds-{today.isoformat()}.pdf",
                database=context.database.path,
            )
        ).run()

    def theme_changed(self) -> None:
        self.model.layoutChanged.emit()
