"""The same tables as :mod:`app.printing.workbook`, as a PDF: A4 landscape, the documents' CJK font.

Each table starts on a new page under its title; a long table repeats its header rows on every page; pages
are numbered "第 x 页 / 共 y 页". Numbers are formatted as in the workbook (thousands, one-decimal percent).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.printing.layout import GREY, LIGHT_GREY, font_name, numbered_canvas, page_label, styles
from app.printing.workbook import SheetTable

MARGIN = 12 * mm


def cell_text(value: Any, kind: str) -> str:
    """A value as printed: ``12,345``, ``45.6%``, ``2026-11-30``, or "—" when there is none."""
    if value is None or value == "":
        return "—" if kind in ("int", "number", "percent") else ""
    if kind == "percent" and isinstance(value, (int, float)):
        return f"{100 * value:.1f}%"
    if kind == "int" and isinstance(value, (int, float)):
        return f"{int(value):,}"
    if kind == "number" and isinstance(value, (int, float)):
        return f"{value:,.1f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def build_tables_pdf(
    tables: Sequence[SheetTable], out: str | Path | IO[bytes], *, title: str, running: str, printed_at: datetime
) -> int:
    """Write ``tables`` as a PDF to ``out``; return the number of pages."""
    font = font_name()
    style = styles(cell_size=7.5)
    page = landscape(A4)
    usable = page[0] - 2 * MARGIN
    story: list[Any] = []
    for number, table in enumerate(tables):
        if number:
            story.append(PageBreak())
        story.append(Paragraph(escape(table.title), style.title))
        if table.subtitle:
            story.append(Paragraph(escape(table.subtitle), style.body))
        story.append(Spacer(1, 3 * mm))
        story.append(_table(table, style.cell, font, usable))
        for line in table.notes:
            story.append(Paragraph(escape(line), style.small))
    doc = SimpleDocTemplate(
        out if not isinstance(out, Path) else str(out),
        pagesize=page,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author=running,
        creator="CareRounds",
    )
    pages = 0

    def draw(canvas: Canvas, number: int, total: int) -> None:
        nonlocal pages
        pages = total
        canvas.setFillColor("black")
        canvas.setFont(font, 8)
        canvas.drawString(MARGIN, page[1] - 8 * mm, running)
        canvas.drawRightString(page[0] - MARGIN, page[1] - 8 * mm, page_label(number, total))
        canvas.drawRightString(page[0] - MARGIN, 7 * mm, printed_at.strftime("%Y-%m-%d %H:%M"))

    doc.build(story, canvasmaker=numbered_canvas(draw))
    return pages


def _table(table: SheetTable, cell: Any, font: str, usable: float) -> Table:
    width = len(table.headers)
    kinds = [table.formats[i] if i < len(table.formats) else "text" for i in range(width)]
    header_rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    if table.groups:
        row: list[Any] = []
        column = 0
        for text, span in table.groups:
            row += [Paragraph(escape(text), cell)] + [""] * (span - 1)
            if span > 1:
                commands.append(("SPAN", (column, 0), (column + span - 1, 0)))
            column += span
        header_rows.append(row)
    header_rows.append([Paragraph(escape(str(header)), cell) for header in table.headers])
    body = [
        [
            Paragraph(escape(cell_text(value, kinds[i])), cell) if kinds[i] == "text" else cell_text(value, kinds[i])
            for i, value in enumerate(values)
        ]
        for values in table.rows
    ]
    first = [max(len(str(r[0])) for r in [table.headers, *table.rows]) if table.rows else 6]
    name_width = min(usable * 0.22, max(30 * mm, first[0] * 3.2 * mm))
    rest = (usable - name_width) / max(1, width - 1)
    widths = [name_width] + [rest] * (width - 1) if width > 1 else [usable]
    result = Table(header_rows + body, colWidths=widths, repeatRows=len(header_rows))
    heads = len(header_rows)
    commands += [
        ("FONT", (0, 0), (-1, -1), font, 7.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, heads - 1), GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, heads), (-1, -1), "RIGHT"),
    ]
    for i, kind in enumerate(kinds):
        if kind == "text":
            commands.append(("ALIGN", (i, heads), (i, -1), "LEFT"))
    if table.total_rows:
        commands.append(("BACKGROUND", (0, -table.total_rows), (-1, -1), LIGHT_GREY))
    result.setStyle(TableStyle(commands))
    return result
