"""A small chart of blood pressure and glucose over time — 血压血糖趋势图, drawn with QPainter.

PySide6-Essentials has no QtCharts, so this widget draws its own: dated points on a time axis, SBP and
DBP against the left axis (mmHg), glucose against the right axis (mmol/L), dashed reference lines at
140 and 90 mmHg. Each series has its own line style *and* marker (▲ SBP, ▼ DBP, ● fasting / ○ random
glucose) and the legend shows both, so the chart reads without colour and in grayscale print.
Hovering over a point shows its values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

SBP_COLOUR = QColor("#c62828")
DBP_COLOUR = QColor("#1565c0")
GLUCOSE_COLOUR = QColor("#6a1b9a")
REFERENCE_COLOUR = QColor("#9e9e9e")
CHART_BACKGROUND = QColor("#ffffff")

Scale = Callable[[float], float]

MARKER = 4.5
"""Half the size of a point's marker, in pixels."""


@dataclass(frozen=True)
class ChartPoint:
    """One visit's values (any may be missing)."""

    day: date
    sbp: int | None = None
    dbp: int | None = None
    glucose: float | None = None
    glucose_fasting: bool = False


class VitalsChart(QWidget):
    """BP (left axis) and glucose (right axis) by date.

    Args:
        parent: the owning widget.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vitalsChart")
        self.setMinimumSize(360, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._points: list[ChartPoint] = []
        self._hits: list[tuple[QPointF, str]] = []
        self.setAccessibleName(self.tr("Blood pressure and glucose over time"))

    def sizeHint(self) -> QSize:
        return QSize(640, 260)

    # --- data -----------------------------------------------------------------------------------------

    def set_points(self, points: Sequence[object]) -> None:
        """Show ``points`` (anything with ``day``, ``sbp``, ``dbp``, ``glucose``, ``glucose_fasting``)."""
        self._points = sorted(
            (
                ChartPoint(
                    getattr(p, "day"),  # noqa: B009 (points are any object with these attributes)
                    getattr(p, "sbp", None),
                    getattr(p, "dbp", None),
                    getattr(p, "glucose", None),
                    bool(getattr(p, "glucose_fasting", False)),
                )
                for p in points
            ),
            key=lambda p: p.day,
        )
        self.setAccessibleDescription(self.summary())
        self.update()

    def points(self) -> list[ChartPoint]:
        return list(self._points)

    def summary(self) -> str:
        """Return the chart in words (for screen readers and tests)."""
        if not self._points:
            return self.tr("No blood pressure or glucose recorded yet.")
        bp = [p for p in self._points if p.sbp is not None and p.dbp is not None]
        glucose = [p for p in self._points if p.glucose is not None]
        parts = [
            self.tr("%n visit(s) from {first} to {last}", "", len(self._points)).format(
                first=self._points[0].day.isoformat(), last=self._points[-1].day.isoformat()
            )
        ]
        if bp:
            parts.append(self.tr("last BP {sbp}/{dbp} mmHg").format(sbp=bp[-1].sbp, dbp=bp[-1].dbp))
        if glucose:
            parts.append(self.tr("last glucose {value} mmol/L").format(value=f"{glucose[-1].glucose:g}"))
        return "; ".join(parts)

    # --- drawing ----------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # a light chart on every theme: the series colours are chosen for white paper
        text_colour = QColor("#212121")
        painter.fillRect(self.rect(), CHART_BACKGROUND)
        metrics = QFontMetrics(self.font())
        self._hits = []
        legend_height = metrics.height() + 10
        left = metrics.horizontalAdvance("300") + 16
        right = metrics.horizontalAdvance("30.0") + 16
        bottom = metrics.height() + 12
        plot = QRectF(left, legend_height + 8, max(10, self.width() - left - right), 0)
        plot.setBottom(max(plot.top() + 10, self.height() - bottom - 4))
        self._draw_legend(painter, metrics, text_colour)
        if not self._points:
            painter.setPen(text_colour)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No blood pressure or glucose recorded yet."))
            painter.end()
            return
        bp_low, bp_high = self._bp_range()
        gl_low, gl_high = self._glucose_range()
        first, last = self._points[0].day.toordinal(), self._points[-1].day.toordinal()
        span = max(1, last - first)

        def x_of(day: date) -> float:
            if first == last:
                return plot.center().x()
            return plot.left() + 8 + (day.toordinal() - first) / span * (plot.width() - 16)

        def y_bp(value: float) -> float:
            return plot.bottom() - (value - bp_low) / (bp_high - bp_low) * plot.height()

        def y_gl(value: float) -> float:
            return plot.bottom() - (value - gl_low) / (gl_high - gl_low) * plot.height()

        self._draw_axes(painter, metrics, plot, text_colour, (bp_low, bp_high, y_bp), (gl_low, gl_high, y_gl))
        self._draw_dates(painter, metrics, plot, text_colour, x_of)
        for value in (140, 90):
            if bp_low < value < bp_high:
                pen = QPen(REFERENCE_COLOUR, 1, Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawLine(QPointF(plot.left(), y_bp(value)), QPointF(plot.right(), y_bp(value)))
        sbp = [(QPointF(x_of(p.day), y_bp(p.sbp)), p) for p in self._points if p.sbp is not None]
        dbp = [(QPointF(x_of(p.day), y_bp(p.dbp)), p) for p in self._points if p.dbp is not None]
        glucose = [(QPointF(x_of(p.day), y_gl(p.glucose)), p) for p in self._points if p.glucose is not None]
        self._draw_series(painter, [pt for pt, _ in sbp], SBP_COLOUR, Qt.PenStyle.SolidLine, "up", [True] * len(sbp))
        self._draw_series(painter, [pt for pt, _ in dbp], DBP_COLOUR, Qt.PenStyle.SolidLine, "down", [True] * len(dbp))
        self._draw_series(
            painter,
            [pt for pt, _ in glucose],
            GLUCOSE_COLOUR,
            Qt.PenStyle.DashLine,
            "circle",
            [p.glucose_fasting for _, p in glucose],
        )
        for point, p in sbp + dbp + glucose:
            self._hits.append((point, self._tooltip(p)))
        painter.end()

    def _bp_range(self) -> tuple[float, float]:
        values = [v for p in self._points for v in (p.sbp, p.dbp) if v is not None]
        low = min([60.0, *values])
        high = max([180.0, *values])
        return math.floor(low / 20) * 20, math.ceil(high / 20) * 20

    def _glucose_range(self) -> tuple[float, float]:
        values = [p.glucose for p in self._points if p.glucose is not None]
        high = max([15.0, *values])
        return 0.0, math.ceil(high / 5) * 5

    def _draw_legend(self, painter: QPainter, metrics: QFontMetrics, text_colour: QColor) -> None:
        entries = (
            (self.tr("SBP (mmHg)"), SBP_COLOUR, Qt.PenStyle.SolidLine, "up", True),
            (self.tr("DBP (mmHg)"), DBP_COLOUR, Qt.PenStyle.SolidLine, "down", True),
            (self.tr("Glucose (mmol/L): ● fasting, ○ random"), GLUCOSE_COLOUR, Qt.PenStyle.DashLine, "circle", True),
        )
        x = 8.0
        y = 6 + metrics.height() / 2
        for text, colour, style, marker, filled in entries:
            painter.setPen(QPen(colour, 2, style))
            painter.drawLine(QPointF(x, y), QPointF(x + 26, y))
            self._marker(painter, QPointF(x + 13, y), colour, marker, filled)
            painter.setPen(text_colour)
            painter.drawText(QPointF(x + 32, y + metrics.ascent() / 2 - 1), text)
            x += 32 + metrics.horizontalAdvance(text) + 18

    def _draw_axes(
        self,
        painter: QPainter,
        metrics: QFontMetrics,
        plot: QRectF,
        text_colour: QColor,
        bp: tuple[float, float, Scale],
        glucose: tuple[float, float, Scale],
    ) -> None:
        grid = QColor(text_colour)
        grid.setAlpha(40)
        painter.setPen(QPen(text_colour, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot)
        bp_low, bp_high, y_bp = bp
        step = 20 if bp_high - bp_low <= 160 else 40
        value = bp_low
        while value <= bp_high:
            y = y_bp(value)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_colour)
            label = f"{value:.0f}"
            painter.drawText(
                QPointF(plot.left() - 6 - metrics.horizontalAdvance(label), y + metrics.ascent() / 2 - 1), label
            )
            value += step
        gl_low, gl_high, y_gl = glucose
        value = gl_low
        while value <= gl_high:
            y = y_gl(value)
            painter.setPen(GLUCOSE_COLOUR)
            painter.drawText(QPointF(plot.right() + 6, y + metrics.ascent() / 2 - 1), f"{value:.0f}")
            value += 5

    def _draw_dates(
        self, painter: QPainter, metrics: QFontMetrics, plot: QRectF, text_colour: QColor, x_of: Callable[[date], float]
    ) -> None:
        days = sorted({p.day for p in self._points})
        label_width = metrics.horizontalAdvance("2026-12-31") + 12
        # greedily from the left, then make room for the last day so the newest visit is always labelled
        chosen: list[date] = []
        for day in days:
            if not chosen or x_of(day) - x_of(chosen[-1]) >= label_width:
                chosen.append(day)
        if chosen[-1] != days[-1]:
            while chosen and x_of(days[-1]) - x_of(chosen[-1]) < label_width:
                chosen.pop()
            chosen.append(days[-1])
        painter.setPen(text_colour)
        for day in chosen:
            x = x_of(day)
            label = day.isoformat()
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            width = metrics.horizontalAdvance(label)
            left = min(max(x - width / 2, 0), self.width() - width)
            painter.drawText(QPointF(left, plot.bottom() + 6 + metrics.ascent()), label)

    def _draw_series(
        self,
        painter: QPainter,
        points: list[QPointF],
        colour: QColor,
        style: Qt.PenStyle,
        marker: str,
        filled: list[bool],
    ) -> None:
        if not points:
            return
        if len(points) > 1:
            path = QPainterPath(points[0])
            for point in points[1:]:
                path.lineTo(point)
            painter.setPen(QPen(colour, 2, style))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        for point, full in zip(points, filled, strict=True):
            self._marker(painter, point, colour, marker, full)

    def _marker(self, painter: QPainter, at: QPointF, colour: QColor, kind: str, filled: bool) -> None:
        painter.setPen(QPen(colour, 1.5))
        painter.setBrush(colour if filled else CHART_BACKGROUND)
        s = MARKER
        if kind == "up":
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(at.x(), at.y() - s - 1),
                        QPointF(at.x() - s - 1, at.y() + s),
                        QPointF(at.x() + s + 1, at.y() + s),
                    ]
                )
            )
        elif kind == "down":
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(at.x(), at.y() + s + 1),
                        QPointF(at.x() - s - 1, at.y() - s),
                        QPointF(at.x() + s + 1, at.y() - s),
                    ]
                )
            )
        else:
            painter.drawEllipse(at, s, s)

    def _tooltip(self, point: ChartPoint) -> str:
        lines = [point.day.isoformat()]
        if point.sbp is not None or point.dbp is not None:
            lines.append(self.tr("BP {sbp}/{dbp} mmHg").format(sbp=point.sbp or "–", dbp=point.dbp or "–"))
        if point.glucose is not None:
            kind = self.tr("fasting") if point.glucose_fasting else self.tr("random")
            lines.append(self.tr("Glucose {value} mmol/L ({kind})").format(value=f"{point.glucose:g}", kind=kind))
        return "\n".join(lines)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        near = [(abs(p.x() - position.x()) + abs(p.y() - position.y()), text) for p, text in self._hits]
        near = [item for item in near if item[0] <= 10]
        if near:
            QToolTip.showText(event.globalPosition().toPoint(), min(near)[1], self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)
