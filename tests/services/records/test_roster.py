"""Roster import end to end: files built here (GBK, BOM, xlsx with a title row), preview, one transaction."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.idcard import make_id_number
from app.domain.roster_files import RosterUnreadable
from app.services.institutions import save_institution
from app.services.records.load import load_record
from app.services.records.residents import create_resident
from app.services.records.roster import import_roster, preview_roster, read_roster
from app.store.models import ResidencePeriod, Resident

TODAY = date(2026, 11, 16)
WANG = make_id_number("310104", date(1940, 5, 6), 11, "M")
LI = make_id_number("310104", date(1938, 1, 2), 12, "F")
ZHAO = make_id_number("310104", date(1945, 3, 3), 13, "F")
SUN = make_id_number("310104", date(1950, 7, 7), 15, "F")
BAD = WANG[:-1] + ("0" if WANG[-1] != "0" else "1")

HEADER = ["序号", "姓名", "身份证号码", "性别", "床号", "入住日期", "联系电话", "备注"]
ROWS = [
    ["1", "王建国", WANG, "男", "A-101-1", "2020-01-05", "13812345678", ""],
    ["2", "李秀英", LI, "女", "A-101-2", "2021/3/4", "", "糖尿病"],
    ["3", "", ZHAO, "女", "A-102-1", "2022-05-06", "", ""],
    ["4", "赵四", BAD, "男", "A-102-2", "2022-05-06", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    path.write_bytes(("\r\n".join(",".join(row) for row in rows) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def home(context: AppContext) -> str:
    return save_institution(context.uow(), name="康宁养老院", kind="nursing_home")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_or_utf8_with_or_without_bom(context: AppContext, home: str, tmp_path: Path, encoding: str) -> None:
    roster = read_roster(write_csv(tmp_path / "名单.csv", [["康宁养老院老人名单"], HEADER, *ROWS], encoding))
    result = import_roster(context.uow(), roster=roster, institution_id=home, today=TODAY)
    assert [(p.row, p.field) for p in result.problems] == [(5, "name"), (6, "id_number")]
    assert [str(p).split("：")[:2] for p in result.problems] == [["第 5 行", "姓名"], ["第 6 行", "身份证号"]]
    assert result.imported == 2 and result.rejected == 2
    assert result.check.layout.ignored == ("序号", "备注")
    with context.uow() as uow:
        residents = {r.name: r for r in uow.session.exec(select(Resident)).all()}
        assert set(residents) == {"王建国", "李秀英"}
        assert residents["李秀英"].admission_date == date(2021, 3, 4)
        assert residents["王建国"].phone == "13812345678"
        periods = uow.session.exec(select(ResidencePeriod)).all()
        assert {(p.start_date, p.reason) for p in periods} == {
            (date(2020, 1, 5), "roster_import"),
            (date(2021, 3, 4), "roster_import"),
        }


def test_xlsx_with_a_title_row_merged_cells_and_typed_cells(context: AppContext, home: str, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["康宁养老院 2026 年 11 月入住老人名单"])
    sheet.merge_cells("A1:F1")
    sheet.append(["Name", "ID card number", "Date of birth", "Building", "Room", "Bed", "Admission date"])
    sheet.append(["王建国", WANG, datetime(1940, 5, 6), "A", 101, 1, datetime(2020, 1, 5)])
    sheet.append(["李秀英", LI, datetime(1938, 1, 3), "A", 101, 2, datetime(2021, 3, 4)])
    sheet.append([None] * 7)
    sheet.append(["孙兰", SUN, None, "B", 201, 1, datetime(2030, 1, 1)])
    path = tmp_path / "roster.xlsx"
    book.save(path)

    result = preview_roster(context.uow(), roster=read_roster(path), institution_id=home, today=TODAY)
    assert result.check.layout.header_row == 2
    assert [(p.row, p.field, p.error.reason_key) for p in result.problems] == [
        (4, "birth_date", "id.birth_mismatch"),
        (6, "admission_date", "date.future"),
    ]
    assert result.imported == 0 and result.dry_run
    with context.uow() as uow:
        assert uow.session.exec(select(Resident)).all() == [], "the preview writes nothing"
    result = import_roster(context.uow(), roster=read_roster(path), institution_id=home, today=TODAY)
    assert result.imported == 1
    record = load_record(context.uow(), resident_id=result.resident_ids[0])
    assert (record.resident.building, record.resident.room, record.resident.bed) == ("A", "101", "1")


def test_id_numbers_already_in_the_center_are_rejected_naming_the_resident(
    context: AppContext, home: str, tmp_path: Path
) -> None:
    create_resident(context.uow(), name="王建国", id_number=WANG, institution_id=home, bed="9", today=TODAY)
    roster = read_roster(write_csv(tmp_path / "r.csv", [HEADER, ROWS[0], ROWS[1], ROWS[1]], "utf-8"))
    result = import_roster(context.uow(), roster=roster, institution_id=home, today=TODAY)
    assert result.imported == 0
    lines = [str(p) for p in result.problems]
    assert lines[0].startswith("第 2 行：身份证号：") and "王建国" in lines[0] and "康宁养老院" in lines[0]
    assert [p.row for p in result.problems] == [2, 3, 4]


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("r.xls", b"\xd0\xcf\x11\xe0", "roster.unsupported"),
        ("r.xlsx", b"not a zip", "roster.bad_xlsx"),
        ("r.csv", b"", "roster.empty"),
        ("r.csv", b"\xff\xfe\x00\xd8", "roster.encoding"),
        ("r.csv", "说明\n姓名\n王\n".encode("gbk"), "roster.no_header"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    context: AppContext, home: str, tmp_path: Path, name: str, content: bytes, key: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RosterUnreadable) as refused:
        roster = read_roster(path)
        preview_roster(context.uow(), roster=roster, institution_id=home, today=TODAY)
    assert refused.value.key == key
