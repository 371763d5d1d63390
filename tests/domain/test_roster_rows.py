"""Roster rows: headers and synonyms, title rows, encodings, and every row's problems."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain import i18n
from app.domain.idcard import make_id_number
from app.domain.roster import check_roster, find_layout, fold_header, header_field
from app.domain.roster_files import RosterUnreadable, column_letter, decode_csv_bytes, parse_csv_text

TODAY = date(2026, 11, 16)
WANG = make_id_number("310104", date(1940, 5, 6), 11, "M")
LI = make_id_number("310104", date(1938, 1, 2), 12, "F")
ZHAO = make_id_number("310104", date(1945, 3, 3), 13, "F")


def numbered(*rows: list[object]) -> list[tuple[int, list[object]]]:
    return [(n, list(row)) for n, row in enumerate(rows, start=1)]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("姓名", "name"),
        ("名字", "name"),
        ("Name", "name"),
        (" 姓 名 ", "name"),
        ("姓名*", "name"),
        ("身份证号", "id_number"),
        ("身份证号码", "id_number"),
        ("证件号码", "id_number"),
        ("身份证号（18位）", "id_number"),
        ("ID card number", "id_number"),
        ("ＩＤ Number", "id_number"),
        ("床位", "bed"),
        ("床号", "bed"),
        ("入住日期", "admission_date"),
        ("入院日期", "admission_date"),
        ("Date of birth", "birth_date"),
        ("性别", "sex"),
        ("Gender", "sex"),
        ("医保卡号", "insurance_number"),
        ("家属联系电话", "guardian_phone"),
        ("监护人", "guardian_name"),
        ("楼栋", "building"),
        ("房间号", "room"),
    ],
)
def test_headers_and_their_synonyms_map_to_fields(header: str, field: str) -> None:
    assert header_field(header) == field


@pytest.mark.parametrize("header", ["序号", "备注", "民族", "", None, "ID"])
def test_other_headers_are_not_fields(header: object) -> None:
    assert header_field(header) is None


def test_fold_header_drops_width_case_marks_and_notes() -> None:
    assert fold_header("Ｉｄ  Card-Number：(required)") == "idcardnumber"


def test_column_letters_like_a_spreadsheet() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]


def test_header_in_row_1_with_columns_in_any_order_and_unknown_ones_named() -> None:
    layout = find_layout(numbered(["备注", "身份证号", "序号", "姓名", "床号"], ["", WANG, "1", "王建国", "1"]))
    assert layout.header_row == 1
    assert layout.columns == {"id_number": 1, "name": 3, "bed": 4}
    assert layout.ignored == ("备注", "序号")


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_their_numbers() -> None:
    check = check_roster(
        numbered(["康宁养老院入住老人名单", None, None], ["姓名", "身份证号", "床位"], ["王建国", WANG, "A-1"]),
        today=TODAY,
    )
    assert check.layout.header_row == 2
    assert [row.row for row in check.rows] == [3]
    assert check.entries[0].identity.name == "王建国"


def test_a_headerless_column_with_data_is_named_by_its_letter() -> None:
    i18n.set_language("en")
    layout = find_layout(numbered(["姓名", "身份证号", None], ["王建国", WANG, "x"]))
    assert layout.ignored == ("column C (no header)",)


@pytest.mark.parametrize(
    ("rows", "key"),
    [
        (numbered(["名单"], ["a", "b"], ["c", "d"]), "roster.no_header"),
        (numbered(["姓名", "床位"], ["王建国", "1"]), "roster.missing_columns"),
        (numbered(["姓名", "身份证号", "名字"], ["王建国", WANG, "王"]), "roster.duplicate_column"),
    ],
)
def test_a_roster_without_a_usable_header_is_unreadable(rows: list[tuple[int, list[object]]], key: str) -> None:
    with pytest.raises(RosterUnreadable) as refused:
        find_layout(rows)
    assert refused.value.key == key


def test_missing_columns_are_named_in_the_message() -> None:
    i18n.set_language("zh_CN")
    with pytest.raises(RosterUnreadable) as refused:
        find_layout(numbered(["姓名", "床位"], ["王建国", "1"]))
    assert "身份证号" in str(refused.value) and "第 1 行" in str(refused.value)


# --- encodings ----------------------------------------------------------------------------------------------

TEXT = "姓名,身份证号\r\n王建国,11010519491231002X\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_csv_bytes_in_utf8_with_or_without_bom_gbk_and_utf16_decode(data: bytes, encoding: str) -> None:
    text, found = decode_csv_bytes(data)
    assert found == encoding
    assert text.startswith("姓名")  # no BOM left in the first header


def test_bytes_that_are_no_text_are_refused() -> None:
    with pytest.raises(RosterUnreadable):
        decode_csv_bytes(b"\x00\x01\x02PK\x03\x04" + bytes(range(128, 256)))


def test_csv_rows_keep_spreadsheet_numbers_with_blank_lines_and_quoted_newlines() -> None:
    rows = parse_csv_text('姓名,备注\r\n"王建国","两行\r\n备注"\r\n\r\n李秀英,x\r\n')
    # blank rows are left out (a sheet may have a million formatted empty rows); the others keep their numbers
    assert [(n, r[0] if r else "") for n, r in rows] == [(1, "姓名"), (2, "王建国"), (4, "李秀英")]


def test_semicolon_and_tab_separated_files_are_split() -> None:
    assert parse_csv_text("姓名;身份证号\n王;1\n")[1][1] == ["王", "1"]
    assert parse_csv_text("姓名\t身份证号\n王\t1\n")[1][1] == ["王", "1"]


# --- rows -----------------------------------------------------------------------------------------------------

HEADER = ["姓名", "身份证号", "性别", "出生日期", "入住日期", "床位"]


def problems(*rows: list[object]) -> dict[int, list[tuple[str, str]]]:
    check = check_roster(numbered(HEADER, *rows), today=TODAY)
    found: dict[int, list[tuple[str, str]]] = {}
    for problem in check.problems:
        found.setdefault(problem.row, []).append((problem.field, problem.error.reason_key))
    return found


def test_a_valid_row_becomes_an_entry_with_birth_date_and_sex_from_the_number() -> None:
    check = check_roster(
        numbered(HEADER, ["王建国", WANG.lower(), "男", "1940-05-06", "2020/1/5", "A-101-1"]), today=TODAY
    )
    assert check.problems == []
    entry = check.entries[0]
    assert entry.row == 2
    assert (entry.identity.id_number, entry.identity.sex, entry.identity.birth_date) == (WANG, "M", date(1940, 5, 6))
    assert entry.admission_date == date(2020, 1, 5)
    assert entry.bed.bed == "A-101-1"


def test_each_rejection_the_issue_names() -> None:
    bad_check = WANG[:-1] + ("0" if WANG[-1] != "0" else "1")
    very_old = make_id_number("310104", date(1901, 1, 1), 14, "M")
    found = problems(
        ["王建国", bad_check, "", "", "", ""],  # row 2: bad check character
        ["李秀英", LI, "", "1938-02-01", "", ""],  # row 3: birth date disagrees
        ["赵兰", ZHAO, "男", "", "", ""],  # row 4: sex disagrees
        ["", make_id_number("310104", date(1950, 1, 1), 1, "F"), "", "", "", ""],  # row 5: no name
        ["孙六", make_id_number("310104", date(1950, 1, 1), 2, "F"), "", "", "2026-11-17", ""],  # row 6: future
        ["周七", very_old, "", "", "", ""],  # row 7: over 120
    )
    assert found == {
        2: [("id_number", "id.checksum")],
        3: [("birth_date", "id.birth_mismatch")],
        4: [("sex", "id.sex_mismatch")],
        5: [("name", "name.required")],
        6: [("admission_date", "date.future")],
        7: [("birth_date", "birth.too_old")],
    }


def test_an_id_number_twice_in_the_file_rejects_every_row_that_has_it() -> None:
    found = problems(
        ["王建国", WANG, "", "", "", ""], ["李秀英", LI, "", "", "", ""], ["王建国", WANG.lower(), "", "", "", ""]
    )
    assert found == {2: [("id_number", "roster.duplicate_in_file")], 4: [("id_number", "roster.duplicate_in_file")]}


def test_every_problem_of_a_row_is_reported_not_only_the_first() -> None:
    found = problems(["", ZHAO, "男", "1999-01-01", "2030-01-01", ""])
    assert [field for field, _ in found[2]] == ["name", "sex", "birth_date", "admission_date"]


def test_problem_lines_read_row_field_reason_in_both_languages() -> None:
    check = check_roster(numbered(["名单"], HEADER, ["", WANG, "", "", "", ""]), today=TODAY)
    i18n.set_language("en")
    assert str(check.problems[0]) == "row 3: name: a name is required"
    i18n.set_language("zh_CN")
    assert str(check.problems[0]) == "第 3 行：姓名：请填写姓名"  # DESIGN §7, the field's Chinese label


def test_empty_rows_are_skipped_and_not_counted() -> None:
    check = check_roster(
        numbered(HEADER, [None] * 6, ["王建国", WANG, "", "", "", ""], ["", "", "", "", "", ""]), today=TODAY
    )
    assert [row.row for row in check.rows] == [3]


def test_spreadsheet_cell_types_are_understood() -> None:
    check = check_roster(
        numbered(
            ["姓名", "身份证号", "出生日期", "入住日期", "房间", "床位"],
            ["王建国", WANG, datetime(1940, 5, 6), date(2020, 1, 5), 201.0, 3],
            ["李秀英", LI, "1938-01-02 00:00:00", "2021年3月4日", "", ""],
        ),
        today=TODAY,
    )
    assert check.problems == []
    first, second = check.entries
    assert (first.bed.room, first.bed.bed, first.admission_date) == ("201", "3", date(2020, 1, 5))
    assert second.admission_date == date(2021, 3, 4)


def test_an_id_number_stored_as_a_spreadsheet_number_is_refused_with_advice() -> None:
    found = problems(["王建国", float(WANG[:-1] + "0") if WANG[-1] != "X" else 1.1e17, "", "", "", ""])
    assert found == {2: [("id_number", "roster.id_numeric")]}


def test_existing_residents_are_rejected_with_their_description() -> None:
    check = check_roster(
        numbered(HEADER, ["王建国", WANG, "", "", "", ""], ["李秀英", LI, "", "", "", ""]), today=TODAY
    )
    checked = check.reject_existing({LI: "李秀英（康宁养老院 A-101-2，在住）"})
    assert [entry.row for entry in checked.entries] == [2]
    assert checked.rejected_rows == [3]
    i18n.set_language("zh_CN")
    assert "中心已有此人：李秀英（康宁养老院 A-101-2，在住）" in str(checked.problems[0])


def test_a_15_digit_number_in_the_roster_is_converted_and_a_bad_province_refused() -> None:
    """Issue #16 item 9: the roster import converts first-generation numbers like the form does."""
    check = check_roster(numbered(HEADER, ["张红丽", "110105491231002", "", "", "", ""]), today=TODAY)
    assert check.problems == []
    identity = check.entries[0].identity
    assert (identity.id_number, identity.id_converted_from) == ("11010519491231002X", "110105491231002")
    bad = make_id_number("990105", date(1950, 1, 1), 1, "F")
    assert problems(["李四", bad, "", "", "", ""]) == {2: [("id_number", "id.province")]}
