"""The Reports page's charts (QtCharts): where people would rather look than read.

- **Weekly rounds**: a week-by-home grid — held (✓), missed (✗), cancelled (⊘) — from the figures shown.
- **Colour mix**: residents in residence by confirmed colour at the end of each of the last 12 months
  (stacked bars; the legend gives symbol and word, so it reads in grayscale too).
- **Control rates**: blood pressure and fasting glucose control by quarter, the last four quarters.
- **Overdue by week**: residents overdue at the end of each week of the period that has ended (the overdue
  list's rule on the facts of that day, DOMAIN §6).

The series are computed on the database thread when the figures change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.services.reports.charts import ChartSeries, chart_series
from app.services.reports.figures import Report
from app.ui.shell.tasks import CancelToken, Op

if TYPE_CHECKING:
    from app.bootstrap import AppContext

HELD, MISSED, CANCELLED = "#2e7d32", "#c62828", "#9e9e9e"


class _CellDelegate(QStyledItemDelegate):
    """Paints a cell's own background (the theme's style sheet would paint over it) and its text centred."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        brush = index.data(Qt.ItemDataRole.BackgroundRole)
        if isinstance(brush, QBrush):
            painter.fillRect(option.rect.adjusted(1, 1, -1, -1), brush)
        painter.setPen(QColor("white"))
        painter.drawText(option.rect, Qt.AlignmentFlag.AlignCenter, str(index.data() or ""))


class ReportCharts(QWidget):
    """The charts of a report.

    Signals:
        drawn(object): the :class:`~app.services.reports.charts.ChartSeries` now drawn.
    """

    drawn = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportCharts")
        self._context = context
        self.series: ChartSeries | None = None

        self.weeks = QTableWidget(self)
        self.weeks.setObjectName("weekGrid")
        self.weeks.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.weeks.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.weeks.setMinimumHeight(150)
        self.weeks.setItemDelegate(_CellDelegate(self.weeks))
        self.week_legend = QLabel(self)
        self.week_legend.setObjectName("weekLegend")

        self.colour_view = _chart_view(self, "colourChart")
        self.control_view = _chart_view(self, "controlChart")
        self.overdue_view = _chart_view(self, "overdueChart")

        weeks_box = QGroupBox(self.tr("Weekly rounds per home"), self)
        weeks_layout = QVBoxLayout(weeks_box)
        weeks_layout.addWidget(self.weeks)
        weeks_layout.addWidget(self.week_legend)
        colour_box = QGroupBox(self.tr("Colour mix at each month end"), self)
        QVBoxLayout(colour_box).addWidget(self.colour_view)
        control_box = QGroupBox(self.tr("BP and glucose control by quarter"), self)
        QVBoxLayout(control_box).addWidget(self.control_view)
        overdue_box = QGroupBox(self.tr("Residents overdue at the end of each week"), self)
        QVBoxLayout(overdue_box).addWidget(self.overdue_view)

        content = QWidget(self)
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(weeks_box, 0, 0, 1, 2)
        grid.addWidget(colour_box, 1, 0)
        grid.addWidget(control_box, 1, 1)
        grid.addWidget(overdue_box, 2, 0, 1, 2)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(2, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def set_report(self, report: Report) -> None:
        """Draw the week grid of ``report`` now and compute the other series on the database thread."""
        self._fill_weeks(report)
        uow = self._context.uow()
        period, today, institution_id = report.period, report.today, report.institution_id

        def work(token: CancelToken) -> ChartSeries:
            return chart_series(uow, period=period, today=today, institution_id=institution_id, progress=token.report)

        Op.with_token(self, work).with_progress(self.tr("Drawing the charts…")).success(self.draw).run()

    def _fill_weeks(self, report: Report) -> None:
        figures = report.figures
        mondays = sorted({cell.monday for cell in figures.weeks})
        homes = [
            (iid, name) for iid, name in figures.institutions if any(c.institution_id == iid for c in figures.weeks)
        ]
        self.weeks.clear()
        self.weeks.setRowCount(len(homes))
        self.weeks.setColumnCount(len(mondays))
        self.weeks.setHorizontalHeaderLabels([f"{monday.month}/{monday.day}" for monday in mondays])
        header = self.weeks.horizontalHeader()
        header.setMinimumSectionSize(60)
        header.setStyleSheet("QHeaderView::section { padding: 0px; }")  # the theme's padding cuts "12/28"
        self.weeks.setVerticalHeaderLabels([name for _, name in homes])
        rows = {iid: number for number, (iid, _) in enumerate(homes)}
        columns = {monday: number for number, monday in enumerate(mondays)}
        for cell in figures.weeks:
            if cell.compliant:
                text, colour = f"✓ {cell.held}/{cell.agreed}", HELD
            elif cell.cancelled:
                text, colour = f"⊘ {cell.held}/{cell.agreed}", CANCELLED
            else:
                text, colour = f"✗ {cell.held}/{cell.agreed}", MISSED
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setBackground(QBrush(QColor(colour)))
            item.setForeground(QBrush(QColor("white")))
            item.setToolTip(
                self.tr("Week of %1: %2 held of %3 agreed, %4 cancelled")
                .replace("%1", cell.monday.isoformat())
                .replace("%2", str(cell.held))
                .replace("%3", str(cell.agreed))
                .replace("%4", str(cell.cancelled))
            )
            self.weeks.setItem(rows[cell.institution_id], columns[cell.monday], item)
        for column in range(len(mondays)):
            self.weeks.setColumnWidth(column, 64)
        self.week_legend.setText(
            self.tr("✓ held as agreed   ✗ missed   ⊘ missed, a round cancelled   (rounds held / agreed that week)")
        )

    def draw(self, series: ChartSeries) -> None:
        """Draw the colour mix and the control rates."""
        self.series = series
        months = [f"{end.year % 100:02d}-{end.month:02d}" for end in series.months]  # short: 12 fit under the bars
        stacked = QStackedBarSeries()
        for key, colour in (("red", TriageColour.RED), ("yellow", TriageColour.YELLOW), ("green", TriageColour.GREEN)):
            bars = QBarSet(colour.badge)
            bars.setColor(QColor(colour.rgb))
            bars.append([float(values.get(key, 0)) for values in series.colours])
            stacked.append(bars)
        unconfirmed = QBarSet(self.tr("○ not confirmed"))
        unconfirmed.setColor(QColor("#bdbdbd"))
        unconfirmed.append([float(values.get("", 0)) for values in series.colours])
        stacked.append(unconfirmed)
        peak = max((sum(values.values()) for values in series.colours), default=0)
        _set_chart(self.colour_view, stacked, months, self.tr("Residents"), max(1.0, peak * 1.1))

        rates = QBarSeries()
        for title, values, ink in (
            (self.tr("BP controlled %"), series.bp_control, "#1565c0"),
            (self.tr("Glucose controlled %"), series.glucose_control, "#ef6c00"),
        ):
            bars = QBarSet(title)
            bars.setColor(QColor(ink))
            bars.append([float(value) if value is not None else 0.0 for value in values])
            rates.append(bars)
        rates.setLabelsVisible(True)
        rates.setLabelsFormat("@value")
        _set_chart(self.control_view, rates, series.quarters, "%", 100.0)

        overdue = QBarSeries()
        bars = QBarSet(self.tr("Overdue residents"))
        bars.setColor(QColor(MISSED))
        bars.append([float(count) for _, count in series.overdue])
        overdue.append(bars)
        overdue.setLabelsVisible(True)
        overdue.setLabelsFormat("@value")
        overdue.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)  # dark on the page
        weeks = [f"{sunday.month}/{sunday.day}" for sunday, _ in series.overdue]  # each week by its last day
        peak = max((count for _, count in series.overdue), default=0)
        _set_chart(self.overdue_view, overdue, weeks, self.tr("Residents"), max(1.0, peak * 1.15))
        self.drawn.emit(series)


def _chart_view(parent: QWidget, name: str) -> QChartView:
    chart = QChart()
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart, parent)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(300)
    return view


def _set_chart(
    view: QChartView, series: QBarSeries | QStackedBarSeries, categories: list[str], unit: str, top: float
) -> None:
    chart = view.chart()
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    chart.addSeries(series)
    x = QBarCategoryAxis()
    x.append(categories)
    if len(categories) > 6:  # twelve months fit under the bars at a laptop's width
        small = x.labelsFont()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        x.setLabelsFont(small)
        x.setLabelsAngle(-90)
    y = QValueAxis()
    y.setRange(0, top)
    y.setTitleText(unit)
    y.setLabelFormat("%d")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    chart.legend().setVisible(True)
