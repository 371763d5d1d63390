"""Reading a roster file — 名单文件: its text encoding, CSV rows, and the limits that keep a bad file harmless.

Rosters arrive as CSV in UTF-8 or GBK, or as .xlsx (read by the service). This module decodes CSV bytes,
splits them into numbered rows, and bounds every file while it is read (rows, cell size, columns; issue 12
§7) so a huge or broken file is refused with a message naming the limit before it can fill the memory.
:mod:`app.domain.roster` then finds the header and checks each row.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from app.domain.errors import DomainError
from app.domain.i18n import register

register(
    {
        "roster.encoding": {
            "zh_CN": "无法识别文件 {path} 的文字编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件",
            "en": "cannot tell the text encoding of {path}: save it as CSV in UTF-8 or GBK, or as .xlsx",
        },
        "roster.binary": {
            "zh_CN": "文件 {path} 不是文本 CSV 文件：请另存为 .xlsx 或 CSV",
            "en": "{path} is not a text CSV file: save it as .xlsx or CSV",
        },
        "roster.unsupported": {
            "zh_CN": "不支持 {suffix} 文件：请在表格软件中另存为 .xlsx 或 .csv",
            "en": "{suffix} files are not supported: save the sheet as .xlsx or .csv",
        },
        "roster.bad_xlsx": {
            "zh_CN": "无法读取 Excel 文件 {path}：{reason}",
            "en": "cannot read the Excel file {path}: {reason}",
        },
        "roster.empty": {"zh_CN": "文件 {path} 中没有任何内容", "en": "{path} is empty"},
        "roster.too_many_rows": {
            "zh_CN": "名单超过 {limit} 行（每次最多导入 {limit} 位居民）；请按机构拆分后分别导入",
            "en": "the roster has more than {limit} rows (at most {limit} residents per import); "
            "split it by institution and import the parts",
        },
        "roster.sheet_too_long": {
            "zh_CN": "表格超过第 {limit} 行（下面的行可能看似为空，但带有格式）；请删除名单下方的多余行后再导入",
            "en": "the sheet goes on past row {limit} (the rows below may look empty but are formatted); "
            "delete the rows below the roster and import again",
        },
        "roster.cell_too_long": {
            "zh_CN": "文件 {path} 第 {row} 行 {column} 列的内容超过 {limit} 个字符，不是名单内容；请检查该单元格",
            "en": "{path}: row {row}, column {column} holds more than {limit} characters, which no roster cell "
            "needs; check that cell",
        },
        "roster.csv_cell_too_long": {
            "zh_CN": "文件 {path} 第 {row} 行有单元格超过 {limit} 个字符，不是名单内容；请检查该行",
            "en": "{path}: row {row} holds a cell of more than {limit} characters, which no roster cell needs; "
            "check that row",
        },
        "roster.bad_csv": {
            "zh_CN": "无法读取 CSV 文件 {path}（第 {row} 行附近）；请在表格软件中另存为 .xlsx 或 CSV",
            "en": "cannot read the CSV file {path} (near row {row}); save it again as .xlsx or CSV",
        },
    }
)

RowValues = Sequence[object]
NumberedRow = tuple[int, RowValues]

MAX_TITLE_ROWS = 5
"""How many rows above the header may hold a title or notes."""
MAX_DATA_ROWS = 20_000
"""A roster has at most this many residents (rows below the header); a longer file is refused while it is
read, before it can fill the memory (issue 12 §7). Split larger lists by institution."""
MAX_ROWS = MAX_DATA_ROWS + MAX_TITLE_ROWS + 1
"""Non-empty rows read at most: the data rows plus the header and the title rows above it."""
MAX_CELL_CHARS = 32_767
"""The longest cell: Excel's own limit. A longer one is not a spreadsheet cell; the file is refused."""
MAX_SHEET_ROWS = 100_000
"""Reading stops at this row number even if the rows look empty (a workbook can hold a million formatted
empty rows, which take minutes to read); a sheet that goes on is refused."""
MAX_COLUMNS = 64
"""Only the first 64 columns are read (a roster uses about 15); a sheet that claims 16 384 columns (a
formatted whole row) would otherwise make every row 16 384 cells long."""


class RosterUnreadable(DomainError):
    """The file cannot be read as a roster at all (encoding, format, no header, missing columns)."""


# --- reading text -----------------------------------------------------------------------------------------


def decode_csv_bytes(data: bytes, *, path: str = "") -> tuple[str, str]:
    """Return the text of a CSV file and the encoding it was in.

    UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode text"), then GB18030
    (a superset of GBK and GB2312, what Chinese Excel writes by default).

    Raises:
        RosterUnreadable: the bytes are none of these, or not text at all.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data[3:], "utf-8")]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", data, "utf-16")]
    else:
        candidates = [("utf-8", data, "utf-8"), ("gb18030", data, "gb18030")]
    for name, payload, codec in candidates:
        try:
            text = payload.decode(codec)
        except UnicodeDecodeError:
            continue
        encoding = name
        break
    else:
        raise RosterUnreadable("roster.encoding", path=path)
    if "\x00" in text:
        raise RosterUnreadable("roster.binary", path=path)
    return text, encoding


FILE_FORMATS = {
    "xlsx": "Excel (.xlsx)",
    "utf-8": "CSV (UTF-8)",
    "utf-8-sig": "CSV (UTF-8, BOM)",
    "gb18030": "CSV (GBK/GB18030)",
    "utf-16": "CSV (UTF-16)",
}


def describe_format(encoding: str) -> str:
    """Return how a roster file was read, for reports: ``CSV (GBK/GB18030)``, ``Excel (.xlsx)``."""
    return FILE_FORMATS.get(encoding, encoding)


def parse_csv_text(text: str, *, path: str = "") -> list[NumberedRow]:
    """Split CSV text into numbered rows; a quoted cell may span lines and still counts as one row.

    The delimiter is the one of comma, tab and semicolon that occurs most in the first lines. The rows
    are read one at a time and bounded like a workbook's (:func:`bounded_rows`).

    Raises:
        RosterUnreadable: too many rows, a cell too long, or text the CSV reader cannot split.
    """
    sample = list(itertools.islice(_lines(text), 20))
    counts = {delimiter: sum(line.count(delimiter) for line in sample) for delimiter in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    reader = csv.reader(_lines(text), delimiter=delimiter)

    def rows() -> Iterator[NumberedRow]:
        number = 0
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                if "field limit" in str(error):  # "field larger than field limit (131072)": far over ours
                    raise RosterUnreadable(
                        "roster.csv_cell_too_long", path=path, row=number, limit=MAX_CELL_CHARS
                    ) from None
                raise RosterUnreadable("roster.bad_csv", path=path, row=number) from None
            yield number, cells

    return bounded_rows(rows(), path=path)


def _lines(text: str) -> Iterator[str]:
    """Yield the lines of ``text`` with their line ends, without copying the whole text again."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def bounded_rows(rows: Iterable[NumberedRow], *, path: object = "") -> list[NumberedRow]:
    """Collect ``rows`` (read lazily from a file) within the input limits; stop reading at the first excess.

    Each row is cut to :data:`MAX_COLUMNS` cells; empty rows are left out (the others keep their numbers).

    Raises:
        RosterUnreadable: more than :data:`MAX_ROWS` non-empty rows, a row past :data:`MAX_SHEET_ROWS`, or a
            cell over :data:`MAX_CELL_CHARS` characters; the message names the limit.
    """
    collected: list[NumberedRow] = []
    filled = 0
    for number, cells in rows:
        if number > MAX_SHEET_ROWS:
            raise RosterUnreadable("roster.sheet_too_long", limit=MAX_SHEET_ROWS)
        cells = list(cells[:MAX_COLUMNS])
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise RosterUnreadable(
                    "roster.cell_too_long", path=path, row=number, column=column_letter(index), limit=MAX_CELL_CHARS
                )
        if any(is_filled(cell) for cell in cells):  # empty rows are dropped; the numbers stay the sheet's
            filled += 1
            if filled > MAX_ROWS:
                raise RosterUnreadable("roster.too_many_rows", limit=MAX_DATA_ROWS)
            collected.append((number, cells))
    return collected


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def is_filled(value: object) -> bool:
    return cell_text(value) != ""


def cell_text(value: object) -> str:
    """Return a cell as text: numbers without a trailing .0, dates as ISO, strings stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value) if abs(value) >= 1e15 else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
