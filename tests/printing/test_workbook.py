"""The shared Excel writer: what it lays out, that text never becomes a formula, and that LibreOffice opens it."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.printing.workbook import SheetTable, read_metadata, write_workbook


def _table(**values: object) -> SheetTable:
    defaults: dict[str, object] = {
        "name": "名单",
        "title": "居民名单",
        "headers": ["姓名", "出生日期", "人次", "比率"],
        "rows": [["张一", date(1950, 3, 1), 12345, 0.456], ['=HYPERLINK("x")', None, 0, None], ["合计", None, 3, 0.5]],
        "formats": ["text", "date", "int", "percent"],
        "subtitle": "截至 2026-12-31",
        "total_rows": 1,
    }
    defaults.update(values)
    return SheetTable(**defaults)  # type: ignore[arg-type]


def test_layout_of_a_sheet(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    write_workbook(out, [_table(groups=[("", 1), ("基本信息", 3)])], metadata={"kind": "test"})
    sheet = load_workbook(out)["名单"]
    assert sheet["A1"].value == "居民名单" and sheet["A2"].value == "截至 2026-12-31"
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:D1", "A2:D2", "B3:D3", "A3:A4"}
    assert [c.value for c in sheet[4]] == [None, "出生日期", "人次", "比率"] and sheet["A3"].value == "姓名"
    assert sheet["B5"].value.date() == date(1950, 3, 1) and sheet["B5"].number_format == "yyyy-mm-dd"
    assert sheet["C5"].number_format == "#,##0" and sheet["D5"].number_format == "0.0%"
    assert sheet.freeze_panes == "B5" and sheet.print_title_rows == "$3:$4"
    assert sheet["A7"].font.b and not sheet["A5"].font.b
    assert read_metadata(out) == {"kind": "test"}


def test_text_is_never_a_formula(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    write_workbook(out, [_table()])
    cell = load_workbook(out)["名单"]["A5"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_sheet_names_are_cleaned_and_unique(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    write_workbook(out, [_table(name="a/b:c" * 10), _table(name="a/b:c" * 10)])
    names = load_workbook(out).sheetnames
    assert len(names) == 2 and len(set(names)) == 2 and all(len(n) <= 31 and "/" not in n for n in names)


def test_no_metadata_in_a_file_that_is_no_workbook(tmp_path: Path) -> None:
    stranger = tmp_path / "x.xlsx"
    stranger.write_bytes(b"PK\x03\x04 not really")
    assert read_metadata(stranger) is None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) is not installed")
def test_libreoffice_opens_it_and_shows_the_numbers(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    write_workbook(out, [_table(), _table(name="第二张", title="第二张表")])
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(out),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    pdf = tmp_path / "pdf" / "t.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "居民名单" in text and "第二张表" in text
    assert "12,345" in text and "45.6%" in text and "1950-03-01" in text
