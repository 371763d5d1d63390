"""Tables out to Excel: one shared openpyxl writer for the monitoring return and for every list exported.

A :class:`SheetTable` is plain data (title, subtitle, optional merged group headers, column headers, rows,
a number format per column); :func:`write_workbook` lays each out on its own sheet the same way: the title
and subtitle merged across the table, bold headers with a fill and borders, column widths, number formats,
the header frozen, a total row in bold, and print setup A4 landscape, fitted to the page width, the header
rows repeated on every printed page. Text that Excel would run as a formula (starting with ``=``, ``+``,
``-``, ``@``) is written as text, never as a formula.

:func:`read_metadata` reads back the hidden sheet a writer was given (the return keeps its period, center and
counts there, for ``report merge``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

METADATA_SHEET = "_carerounds"

FORMATS = {
    "text": "@",
    "int": "#,##0",
    "number": "#,##0.0",
    "general": "General",  # a quantity as entered: 0.25 stays 0.25, 2 stays 2
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
"""The column kinds a table may use and their Excel number formats."""

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_FONT = "等线"  # Excel's default CJK font; LibreOffice substitutes its own


@dataclass(frozen=True)
class SheetTable:
    """One table on its own sheet."""

    name: str  # the sheet's tab (cut to 31 characters, made unique)
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    formats: Sequence[str] = ()  # a key of FORMATS per column; "text" when missing
    subtitle: str = ""
    groups: Sequence[tuple[str, int]] = ()  # a header row above: (text, columns spanned); "" leaves it empty
    widths: Sequence[float] = ()  # in characters; guessed from the content when missing
    total_rows: int = 0  # the last rows are totals (bold, shaded)
    notes: Sequence[str] = field(default_factory=tuple)  # lines under the table


def _width_of(value: Any) -> float:
    text = value if isinstance(value, str) else str(value) if value is not None else ""
    return sum(2.0 if ord(char) > 0x2E80 else 1.1 for char in text)


def write_workbook(
    out: str | Path | IO[bytes],
    tables: Sequence[SheetTable],
    *,
    metadata: Mapping[str, str] | None = None,
    title: str = "",
    author: str = "",
) -> None:
    """Write ``tables`` to a new .xlsx at ``out`` (a path or a binary handle)."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.creator = author or "CareRounds"
    used: set[str] = set()
    for table in tables:
        _sheet(book, table, used)
    if metadata is not None:
        sheet = book.create_sheet(METADATA_SHEET)
        for number, (key, value) in enumerate(metadata.items(), start=1):
            sheet.cell(number, 1, key).data_type = "s"
            cell = sheet.cell(number, 2, value)
            cell.data_type = "s"
        sheet.sheet_state = "hidden"
    book.save(out)


def _sheet(book: Workbook, table: SheetTable, used: set[str]) -> None:
    name = "".join(char for char in table.name if char not in "[]:*?/\\")[:31] or "Sheet"
    base, number = name, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    sheet = book.create_sheet(name)
    width = max(1, len(table.headers))
    formats = [table.formats[i] if i < len(table.formats) else "text" for i in range(width)]
    bold = Font(name=_FONT, bold=True)
    plain = Font(name=_FONT)
    row = 1
    sheet.cell(row, 1, table.title).font = Font(name=_FONT, bold=True, size=14)
    sheet.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[row].height = 24
    row += 1
    if table.subtitle:
        sheet.cell(row, 1, table.subtitle).font = plain
        sheet.cell(row, 1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    header_top = row
    grouped = bool(table.groups)
    if grouped:
        column = 1
        for text, span in table.groups:
            for offset in range(span):
                cell = sheet.cell(row, column + offset)
                cell.fill, cell.border, cell.font = _HEADER_FILL, _BORDER, bold
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if text:
                sheet.cell(row, column, text)
                if span > 1:
                    sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + span - 1)
            column += span
        row += 1
    for column, header in enumerate(table.headers, start=1):
        cell = sheet.cell(row, column, header)
        cell.fill, cell.border, cell.font = _HEADER_FILL, _BORDER, bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if grouped and not _group_text(table.groups, column):  # no group above: one cell over both rows
            sheet.cell(header_top, column, header)
            sheet.cell(row, column).value = None
            sheet.merge_cells(start_row=header_top, start_column=column, end_row=row, end_column=column)
    sheet.row_dimensions[row].height = 32
    header_bottom = row
    row += 1
    first_total = len(table.rows) - table.total_rows
    for index, values in enumerate(table.rows):
        total = index >= first_total
        for column, value in enumerate(values, start=1):
            kind = formats[column - 1] if column - 1 < len(formats) else "text"
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            cell = sheet.cell(row, column, value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.number_format = FORMATS.get(kind, "@") if value is not None else "General"
            cell.border = _BORDER
            cell.font = bold if total else plain
            if total:
                cell.fill = _TOTAL_FILL
            if kind in ("int", "number", "percent"):
                cell.alignment = Alignment(horizontal="right")
        row += 1
    for line in table.notes:
        row += 1
        sheet.cell(row, 1, line).font = Font(name=_FONT, size=9, italic=True)
    for column in range(1, width + 1):
        if column - 1 < len(table.widths):
            best = table.widths[column - 1]
        else:
            values = [r[column - 1] for r in table.rows[:500] if column - 1 < len(r)]
            title = _width_of(table.headers[column - 1]) + 2
            if formats[column - 1] in ("int", "number", "percent"):
                title = min(title, 12.0)  # a long title over numbers wraps onto a second line
            shown = [_shown(value, formats[column - 1]) for value in values]
            best = min(40.0, max(8.0, title, *(_width_of(value) + 2 for value in shown)))
            if formats[column - 1] == "date":
                best = max(best, 12.0)
        sheet.column_dimensions[get_column_letter(column)].width = best
    sheet.freeze_panes = sheet.cell(header_bottom + 1, 2 if width > 3 else 1)
    sheet.print_title_rows = f"{header_top}:{header_bottom}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "&P / &N"


def _shown(value: Any, kind: str) -> Any:
    """Roughly what a cell shows, for its width: ``12,345``, ``45.6%``, a date."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind == "percent":
            return f"{100 * value:.1f}%"
        return f"{value:,.1f}" if kind == "number" else f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
    return value


def _group_text(groups: Sequence[tuple[str, int]], column: int) -> str:
    position = 1
    for text, span in groups:
        if position <= column < position + span:
            return text
        position += span
    return ""


def read_metadata(path: Path) -> dict[str, str] | None:
    """The hidden metadata of a workbook this module wrote (None when it has none).

    Raises:
        OSError: the file cannot be read. Any file openpyxl cannot read as a workbook gives None.
    """
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception:  # not a workbook at all (zip or XML errors of every kind)
        return None
    try:
        if METADATA_SHEET not in book.sheetnames:
            return None
        sheet = book[METADATA_SHEET]
        return {str(key): str(value or "") for key, value, *_ in sheet.iter_rows(values_only=True) if key is not None}
    finally:
        book.close()


def as_cell(value: Any) -> Any:
    """A value as a cell takes it: dates stay dates, everything else unknown becomes text."""
    if value is None or isinstance(value, (int, float, str, date, datetime)):
        return value
    return str(value)
