"""Reports — 统计报表: the figures of DOMAIN §9 for a period, per institution and for the center.

Pick a month, a quarter, a year or two dates, and an institution or all; the figures are computed on the
database thread (a progress bar if it takes long) with the previous period beside them. Each figure opens
the list behind it (residents, rounds or weeks) in the panel on the right: a number nobody can check is not
trusted. "Export Excel" and "Export PDF" write the monitoring return; the Charts tab draws the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.report_indicators import BY_KEY, Drill
from app.domain.report_periods import Period, check_period, in_progress, month, quarter, year
from app.domain.reports import TOTAL, Figures
from app.services.institutions import list_institutions
from app.services.reports.figures import BehindRow, Report, behind, compute_report
from app.services.reports.returns import Written, write_return
from app.ui.shell.tasks import CancelToken, Op
from app.ui.widgets.badges import set_text_scale

if TYPE_CHECKING:
    from app.bootstrap import AppContext

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
INSTITUTION_ROLE = Qt.ItemDataRole.UserRole + 2
TITLE_PADDING = 2 * 24 + 12
"""Room around a column title: the theme pads a header section 24 px each side (qt-material, density 0), plus
the section's border and a margin for the bold and wider capitals some fonts draw."""


def fit_titles(table: QTableWidget) -> None:
    """Widen each column of ``table`` whose title would be cut: the theme draws titles in capitals, padded, so
    Qt's own size (the title as typed) is too narrow ("TOTAL" lost its T at 1280×720)."""
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(table.columnCount()):
        item = table.horizontalHeaderItem(column)
        title = item.text() if item is not None else ""
        wanted = max(header.sectionSizeHint(column), metrics.horizontalAdvance(title.upper()) + TITLE_PADDING)
        if table.columnWidth(column) < wanted:
            table.setColumnWidth(column, wanted)


def number_text(value: int | float | None, is_rate: bool) -> str:
    """A figure as the page shows it: ``1,234``, ``45.6%``, or "—" when a rate has nobody to count."""
    if value is None:
        return "—"
    return f"{value:.1f}%" if is_rate else f"{value:,}"


class ReportsPage(QWidget):
    """The figures of a period, with the previous period beside and the lists behind each figure.

    Args:
        context: the open database.
        parent: the owning widget.
        today: returns the report day (``date.today`` by default; tests fix it).

    Signals:
        computed(object): the :class:`~app.services.reports.figures.Report` now shown.
        listed(int): the list behind a figure was shown; its number of lines.
    """

    computed = Signal(object)
    listed = Signal(int)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportsPage")
        self._context = context
        self._today = today
        self.report: Report | None = None
        self.behind_rows: list[BehindRow] = []
        self._loaded = False

        heading = QLabel(self.tr("Reports"), self)
        set_text_scale(heading, 1.5)
        self.kind = QComboBox(self)
        self.kind.setObjectName("periodKind")
        for key, text in (
            ("quarter", self.tr("Quarter")),
            ("month", self.tr("Month")),
            ("year", self.tr("Year")),
            ("range", self.tr("From … to")),
        ):
            self.kind.addItem(text, key)
        self.year = QSpinBox(self)
        self.year.setObjectName("periodYear")
        self.year.setRange(2000, 2100)
        self.number = QSpinBox(self)
        self.number.setObjectName("periodNumber")
        self.start = QDateEdit(self)
        self.start.setObjectName("periodStart")
        self.end = QDateEdit(self)
        self.end.setObjectName("periodEnd")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self._limit_to_today()  # a period not begun cannot be chosen (nothing in it has happened)
        self.year.valueChanged.connect(self._limit_number)
        self.institution = QComboBox(self)
        self.institution.setObjectName("reportInstitution")
        self.institution.addItem(self.tr("All institutions"), None)
        self.compute_button = QPushButton(self.tr("&Compute"), self)
        self.compute_button.setObjectName("computeReport")
        self.compute_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.compute_button.setToolTip(self.tr("Compute the figures of the period (F5)"))
        self.compute_button.clicked.connect(self.refresh)
        self.excel_button = QPushButton(self.tr("Export E&xcel"), self)
        self.excel_button.setObjectName("exportReturnExcel")
        self.excel_button.clicked.connect(lambda: self._ask_export(".xlsx"))
        self.pdf_button = QPushButton(self.tr("Export &PDF"), self)
        self.pdf_button.setObjectName("exportReturnPdf")
        self.pdf_button.clicked.connect(lambda: self._ask_export(".pdf"))
        self.kind.currentIndexChanged.connect(lambda _index: self._kind_changed())
        period_label = QLabel(self.tr("&Period:"), self)
        period_label.setBuddy(self.kind)
        institution_label = QLabel(self.tr("&Institution:"), self)
        institution_label.setBuddy(self.institution)

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        top.addWidget(period_label)
        for widget in (self.kind, self.year, self.number, self.start, self.end):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(institution_label)
        top.addWidget(self.institution, 1)
        top.addWidget(self.compute_button)
        top.addWidget(self.excel_button)
        top.addWidget(self.pdf_button)

        self.status = QLabel(self)
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)

        self.table = QTableWidget(self)
        self.table.setObjectName("reportTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.cellActivated.connect(self._cell_activated)
        self.table.cellDoubleClicked.connect(self._cell_activated)

        self.behind_title = QLabel(self.tr("Double-click a figure to see the residents, rounds or weeks behind it."))
        self.behind_title.setObjectName("behindTitle")
        self.behind_title.setWordWrap(True)
        self.behind_table = QTableWidget(self)
        self.behind_table.setObjectName("behindTable")
        self.behind_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.behind_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.behind_table.verticalHeader().setVisible(False)
        self.behind_table.setColumnCount(3)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.behind_title)
        side_layout.addWidget(self.behind_table, 1)

        splitter = QSplitter(self)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 400])

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("reportTabs")
        self.tabs.addTab(splitter, self.tr("Figures"))
        self.charts: Any = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self._set_default_period()

    # --- the period ----------------------------------------------------------------------------------------

    def _set_default_period(self) -> None:
        """The last quarter that has ended (the return people fill next)."""
        today = self._today()
        last = quarter(today.year, (today.month - 1) // 3 + 1).previous()
        self.set_period(last)

    def set_period(self, period: Period) -> None:
        """Show ``period`` in the pickers."""
        kind = period.kind.value
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.blockSignals(False)
        self.year.setValue(period.start.year)
        self._kind_changed()
        if kind == "month":
            self.number.setValue(period.start.month)
        elif kind == "quarter":
            self.number.setValue((period.start.month - 1) // 3 + 1)
        self.start.setDate(QDate(period.start.year, period.start.month, period.start.day))
        self.end.setDate(QDate(period.end.year, period.end.month, period.end.day))

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.year.setVisible(kind != "range")
        self.number.setVisible(kind in ("month", "quarter"))
        self.number.setPrefix("Q" if kind == "quarter" else "")
        self.start.setVisible(kind == "range")
        self.end.setVisible(kind == "range")
        self._limit_number()

    def _limit_to_today(self) -> None:
        today = self._today()
        self.year.setMaximum(today.year)
        for edit in (self.start, self.end):
            edit.setMaximumDate(QDate(today.year, today.month, today.day))

    @Slot()
    def _limit_number(self) -> None:
        """Months (quarters) of this year up to the current one: a period in progress is counted to date."""
        today = self._today()
        kind = self.kind.currentData()
        last = 12 if kind == "month" else 4
        if self.year.value() >= today.year:
            last = today.month if kind == "month" else (today.month - 1) // 3 + 1
        self.number.setRange(1, last)

    def period(self) -> Period:
        """The period the pickers show (two dates in the wrong order are swapped)."""
        kind = self.kind.currentData()
        if kind == "month":
            return month(self.year.value(), self.number.value())
        if kind == "quarter":
            return quarter(self.year.value(), self.number.value())
        if kind == "year":
            return year(self.year.value())
        first, last = self.start.date().toPython(), self.end.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return Period(min(first, last), max(first, last))

    # --- computing --------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self._load_institutions()
            self.refresh()

    def _load_institutions(self) -> None:
        def fill(choices: list[Any]) -> None:
            current = self.institution.currentData()
            self.institution.blockSignals(True)
            while self.institution.count() > 1:
                self.institution.removeItem(1)
            for choice in choices:
                self.institution.addItem(choice.name, choice.id)
            index = self.institution.findData(current)
            self.institution.setCurrentIndex(max(0, index))
            self.institution.blockSignals(False)

        Op(self, lambda: list_institutions(self._context.uow())).success(fill).run()

    @Slot()
    def refresh(self) -> None:
        """Compute the figures of the chosen period on the database thread."""
        period = self.period()
        institution_id = self.institution.currentData()
        today = self._today()
        try:
            check_period(period, today)
        except ValidationError as refused:  # the pickers stop at today; a date typed past it is refused here
            self.status.setText(str(refused))
            return
        uow = self._context.uow()
        self.compute_button.setEnabled(False)
        self.status.setText(self.tr("Computing the figures of %1…").replace("%1", period.label))

        def work(token: CancelToken) -> Report:
            return compute_report(uow, period=period, today=today, institution_id=institution_id, progress=token.report)

        def done(report: Report) -> None:
            self.compute_button.setEnabled(True)
            self.show_report(report)

        def failed(error: BaseException) -> None:
            self.compute_button.setEnabled(True)
            self.status.setText(str(error))

        Op.with_token(self, work).with_progress(self.tr("Computing the figures…")).success(done).failure(failed).run()

    def show_report(self, report: Report) -> None:
        """Fill the table with ``report``: a row per indicator; total, previous, change, then each institution."""
        self.report = report
        figures, previous = report.figures, report.previous
        institutions = figures.institutions if len(figures.institutions) > 1 or report.institution_id is None else []
        headers = [
            self.tr("Indicator"),
            self.tr("Total"),
            self.tr("Previous (%1)").replace("%1", previous.period.label if previous else "—"),
            self.tr("Change"),
        ]
        headers += [name for _, name in institutions]
        rows: list[tuple[str, str]] = []  # (kind, key): "table" headings and "indicator" rows
        for table in report.layout.tables:
            rows.append(("table", table.title()))
            rows += [("indicator", column.key) for column in table.columns]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(headers)
        titles = {column.key: column.title() for table in report.layout.tables for column in table.columns}
        bold = QFont(self.font())
        bold.setBold(True)
        for row, (kind, key) in enumerate(rows):
            if kind == "table":
                item = QTableWidgetItem(key)
                item.setFont(bold)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, 0, item)
                self.table.setSpan(row, 0, 1, len(headers))
                continue
            indicator = BY_KEY[key]
            self.table.setItem(row, 0, QTableWidgetItem(titles[key]))
            value = figures.value(key)
            before = previous.value(key) if previous else None
            cells: list[tuple[str, str | None]] = [
                (number_text(value, indicator.is_rate), TOTAL),
                (number_text(before, indicator.is_rate), None),
                (_change(value, before, indicator.is_rate), None),
            ]
            cells += [(number_text(figures.value(key, iid), indicator.is_rate), iid) for iid, _ in institutions]
            for column, (text, institution) in enumerate(cells, start=1):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if institution is not None and indicator.drill is not Drill.NONE:
                    item.setData(KEY_ROLE, key)
                    item.setData(INSTITUTION_ROLE, institution)
                    item.setToolTip(self.tr("Double-click to see the list behind this figure"))
                else:
                    item.setForeground(QBrush(QColor("#666666")))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        for column in range(1, len(headers)):  # the figures' columns alike, at least 80 px
            self.table.setColumnWidth(column, max(self.table.columnWidth(column), 80))
        fit_titles(self.table)  # a title wider than its numbers is not cut
        period = figures.period
        status = self.tr("%1 — %2 to %3; compared with %4. Weeks count once they have ended (report day %5).")
        if in_progress(period, report.today):
            status = self.tr(
                "%1 — %2 to %3, in progress: counted to date (%5); compared with %4. Weeks count once they have ended."
            )
        self.status.setText(
            status.replace("%1", report.center)
            .replace("%2", period.start.isoformat())
            .replace("%3", period.end.isoformat())
            .replace("%4", previous.period.label if previous else "—")
            .replace("%5", report.today.isoformat())
        )
        if self.charts is not None:
            self.charts.set_report(report)
        self.computed.emit(report)

    # --- the lists behind the figures ----------------------------------------------------------------------

    @Slot(int, int)
    def _cell_activated(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        if item is None or item.data(KEY_ROLE) is None:
            return
        self.show_behind(str(item.data(KEY_ROLE)), str(item.data(INSTITUTION_ROLE)))

    def show_behind(self, key: str, institution_id: str = TOTAL) -> None:
        """List the residents (rounds, weeks) behind figure ``key`` of ``institution_id`` ("" = center)."""
        if self.report is None:
            return
        figures: Figures = self.report.figures
        uow = self._context.uow()
        name = dict(figures.institutions).get(institution_id, self.tr("the center"))
        title = BY_KEY[key].title()

        def done(rows: list[BehindRow]) -> None:
            self.behind_rows = rows
            self.behind_title.setText(
                self.tr("%1 — %2: %3 lines").replace("%1", title).replace("%2", name).replace("%3", str(len(rows)))
            )
            kind = rows[0].kind if rows else Drill.RESIDENTS
            heads = {
                Drill.RESIDENTS: (self.tr("Institution"), self.tr("Name"), self.tr("Bed, sex, born")),
                Drill.ROUNDS: (self.tr("Institution"), self.tr("Date"), self.tr("Status")),
                Drill.WEEKS: (self.tr("Institution"), self.tr("Week of"), self.tr("Held / agreed")),
            }.get(kind, ("", "", ""))
            self.behind_table.clear()
            self.behind_table.setColumnCount(3)
            self.behind_table.setHorizontalHeaderLabels(list(heads))
            self.behind_table.setRowCount(len(rows))
            for number, line in enumerate(rows):
                for column, text in enumerate((line.institution, line.label, line.detail)):
                    self.behind_table.setItem(number, column, QTableWidgetItem(text))
            self.behind_table.resizeColumnsToContents()
            fit_titles(self.behind_table)
            self.behind_table.horizontalHeader().setStretchLastSection(True)
            self.listed.emit(len(rows))

        Op(self, lambda: behind(uow, figures, key, institution_id)).with_progress(self.tr("Listing…")).success(
            done
        ).run()

    # --- the return ---------------------------------------------------------------------------------------

    def _ask_export(self, suffix: str) -> None:
        if self.report is None:
            return
        name = f"{self.report.center}-{self.report.period.label}{suffix}"
        file_filter = self.tr("Excel workbook (*.xlsx)") if suffix == ".xlsx" else self.tr("PDF (*.pdf)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the return"), str(Path.home() / name), file_filter)
        if path:
            if not path.lower().endswith(suffix):
                path += suffix
            self.export_return(Path(path))

    def export_return(self, path: Path) -> None:
        """Write the return of the figures shown to ``path`` (.xlsx or .pdf) on the database thread."""
        report = self.report
        if report is None:
            return
        database = self._context.database.path

        def done(written: Written) -> None:
            self.status.setText(self.tr("Wrote %1").replace("%1", str(written.path)))

        Op(self, lambda: write_return(report, path, database=database)).with_progress(
            self.tr("Writing the return…")
        ).success(done).run()

    # --- charts -------------------------------------------------------------------------------------------

    def add_charts(self, charts: QWidget) -> None:
        """Add the Charts tab (a :class:`~app.ui.reports.charts.ReportCharts`)."""
        self.charts = charts
        self.tabs.addTab(charts, self.tr("Charts"))
        if self.report is not None:
            self.charts.set_report(self.report)


def _change(value: int | float | None, before: int | float | None, is_rate: bool) -> str:
    if value is None or before is None:
        return ""
    difference = value - before
    if is_rate:
        return f"{difference:+.1f}"
    return f"{int(difference):+,}"
