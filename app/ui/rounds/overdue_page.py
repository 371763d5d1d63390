"""Overdue — 逾期未访: residents due at an earlier round and not seen since, for the whole center.

Most days overdue first, with the institution, bed, colour (symbol, word and colour), last visit, what is
outstanding and a contact phone; filter by institution; print the list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.colours import TriageColour
from app.services.printing import print_overdue_list, short_reason
from app.services.reports.exports import ListFilters, ListKind
from app.services.rounds.plan import OverdueResident, overdue_residents
from app.ui.reports.export_action import ExcelExport
from app.ui.residents.table import ResidentTableModel, fit_to_rows, list_toolbar, make_resident_table
from app.ui.shell.tasks import Op
from app.ui.widgets.pdf_preview import preview_file, show_pdf_preview

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class OverdueModel(ResidentTableModel):
    """Overdue residents: days, name, institution, bed, colour, last visit, outstanding, phone."""

    COLUMNS = ("days", "name", "institution", "bed", "colour", "last_visit", "outstanding", "phone")
    COLOUR = 4
    COLOUR_COLUMNS = (COLOUR,)
    NUMBER_COLUMNS = (0,)

    def titles(self) -> tuple[str, ...]:
        return (
            self.tr("Days overdue"),
            self.tr("Name"),
            self.tr("Institution"),
            self.tr("Bed"),
            self.tr("Colour"),
            self.tr("Last visit"),
            self.tr("Outstanding"),
            self.tr("Contact phone"),
        )

    def display(self, row: OverdueResident, column: int) -> str:
        if column == 0:
            return str(row.days)
        if column == 1:
            return row.name
        if column == 2:
            return row.institution
        if column == 3:
            return row.bed_label
        if column == 4:
            return row.colour.badge
        if column == 5:
            return row.last_seen.isoformat() if row.last_seen else self.tr("never")
        if column == 6:
            return "；".join(short_reason(reason) for reason in row.overdue.reasons)
        return row.phone

    def colour(self, row: OverdueResident, column: int) -> TriageColour:
        return row.colour

    def tooltip(self, row: OverdueResident, column: int) -> str | None:
        if column == 6:
            return "\n".join(reason.text(row.overdue.since) for reason in row.overdue.reasons)
        return None


class OverduePage(QWidget):
    """The center's overdue residents.

    Args:
        context: the open database.
        parent: the owning widget.
        today: returns the reference day (``date.today`` by default; tests fix it).

    Signals:
        refreshed(int): the list was fetched; the number of residents on it.
    """

    refreshed = Signal(int)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overduePage")
        self._context = context
        self._today = today

        top = list_toolbar(
            self,
            context,
            title=self.tr("Overdue residents"),
            institution_label=self.tr("&Institution:"),
            refresh_text=self.tr("&Refresh"),
            combo_name="overdueInstitution",
            count_name="overdueCount",
        )
        self.institution_combo = top.institution_combo
        self.count_label = top.count_label
        self.refresh_button = top.refresh_button
        self.print_button = QPushButton(self.tr("&Print list…"), self)
        self.print_button.setObjectName("printOverdue")
        top.layout.addWidget(self.print_button)
        self.excel = ExcelExport(
            self,
            context,
            ListKind.OVERDUE,
            filters=lambda: ListFilters(institution_id=self.institution_combo.currentData()),
            today=self._today,
            file_name=lambda: self.tr("overdue"),
        )
        top.layout.addWidget(self.excel.button)
        self.explanation = QLabel(
            self.tr("Due at an earlier round and not seen since. Days count from that round."), self
        )
        self.explanation.setWordWrap(True)

        self.model = OverdueModel(self)
        self.table = make_resident_table(self, self.model, "overdueTable")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top.layout)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.institution_combo.currentIndexChanged.connect(self.refresh)
        self.print_button.clicked.connect(self.print_list)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.institution_combo.load_once()
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Fetch the overdue residents on the database thread."""
        context, today = self._context, self._today()
        institution_id = self.institution_combo.currentData()
        self.refresh_button.setEnabled(False)
        Op(self, lambda: overdue_residents(context.uow(), today=today, institution_id=institution_id)).with_progress(
            self.tr("Finding overdue residents…")
        ).latest_only("overdue").success(self._show).run()

    def _show(self, rows: list[OverdueResident]) -> None:
        self.refresh_button.setEnabled(True)
        self.model.set_rows(rows)
        fit_to_rows(self.table)
        counts = {colour: sum(r.colour is colour for r in rows) for colour in TriageColour}
        detail = "  ".join(f"{colour.badge} {counts[colour]}" for colour in TriageColour)
        self.count_label.setText(self.tr("{count} overdue: {detail}").format(count=len(rows), detail=detail))
        self.print_button.setEnabled(bool(rows))
        self.refreshed.emit(len(rows))

    @Slot()
    def print_list(self) -> None:
        """Build the overdue list (all or the chosen institution) and preview it."""
        context, today = self._context, self._today()
        institution_id = self.institution_combo.currentData()
        out = preview_file("overdue.pdf")
        Op(
            self, lambda: print_overdue_list(context.uow(), out=out, today=today, institution_id=institution_id)
        ).with_progress(self.tr("Preparing the overdue list…")).success(
            lambda printed: show_pdf_preview(
                self,
                printed.path,
                title=self.tr("Overdue residents"),
                file_name=f"overdue-{today.isoformat()}.pdf",
                database=context.database.path,
            )
        ).run()

    def theme_changed(self) -> None:
        self.model.layoutChanged.emit()
