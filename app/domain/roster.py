"""Roster import — 名单导入: read an institution's resident list and check every row before writing.

Nursing homes keep their rosters in spreadsheets with headers in Chinese or English, in any order,
often under a title row ("康宁养老院入住老人名单"). This module finds the header row, maps the
headers it knows (with their common synonyms) to fields, and checks each row the way the resident
editor would, collecting *every* problem of a row so the preview can show them all. Rows are numbered
as the spreadsheet shows them (the header is row 1, or row 2 under a title row).

No I/O here: the caller reads the file (bytes for CSV, cell values for .xlsx) and the residents
already in the center.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar

from app.domain.errors import ValidationError
from app.domain.i18n import field_label, register, t
from app.domain.idcard import IdCardInfo, cross_check_id, parse_id_number
from app.domain.records import (
    SHORT_TEXT,
    Bed,
    Identity,
    check_code,
    check_person_name,
    check_phone,
    clean,
)
from app.domain.roster_files import (
    MAX_DATA_ROWS,
    MAX_TITLE_ROWS,
    NumberedRow,
    RosterUnreadable,
    RowValues,
    cell_text,
    column_letter,
    is_filled,
)
from app.domain.validation import (
    MessageRef,
    parse_date,
    validate_admission_date,
    validate_birth_date,
    validate_name,
    validate_sex,
)

T = TypeVar("T")

register(
    {
        # DESIGN §7: English names the field by its key (as `resident edit --set` does), Chinese by its label.
        "roster.problem": {"zh_CN": "第 {row} 行：{label}：{reason}", "en": "row {row}: {field}: {reason}"},
        "roster.problem_value": {
            "zh_CN": "第 {row} 行：{label}：{reason}（输入值：{value}）",
            "en": "row {row}: {field}: {reason} (value: {value})",
        },
        "roster.no_header": {
            "zh_CN": "前 {rows} 行中找不到表头：表头行应写明各列名称，如“姓名”“身份证号”“床位”",
            "en": "no header row in the first {rows} rows: the header names the columns, "
            "e.g. 姓名 (name), 身份证号 (ID number), 床位 (bed)",
        },
        "roster.missing_columns": {
            "zh_CN": "表头（第 {row} 行）缺少必需的列：{columns}",
            "en": "the header (row {row}) lacks required columns: {columns}",
        },
        "roster.duplicate_column": {
            "zh_CN": "表头（第 {row} 行）中“{first}”和“{second}”都表示{field}，请只保留一列",
            "en": "in the header (row {row}) both “{first}” and “{second}” mean {field}; keep only one",
        },
        "roster.unnamed_column": {"zh_CN": "第 {letter} 列（无表头）", "en": "column {letter} (no header)"},
        "roster.id_numeric": {
            "zh_CN": "身份证号被存成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写",
            "en": "the ID number was stored as a number and lost its last digits; "
            "format the column as text and enter it again",
        },
        "roster.duplicate_in_file": {
            "zh_CN": "该身份证号在本文件中出现 {count} 次（第 {rows} 行）",
            "en": "this ID number appears {count} times in this file (rows {rows})",
        },
        "roster.exists": {
            "zh_CN": "中心已有此人：{resident}",
            "en": "already in the center: {resident}",
        },
        "roster.required_missing": {"zh_CN": "缺少必需的列", "en": "a required column is missing"},
    }
)

# --- headers ----------------------------------------------------------------------------------------------

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "老人姓名", "居民姓名", "住户姓名", "name", "full name", "resident name", "resident"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "证件号码",
        "证件号",
        "身份证",
        "公民身份号码",
        "居民身份证号",
        "身份证件号码",
        "id number",
        "id card number",
        "id card",
        "id no",
        "idcard",
        "id_number",
        "national id",
    ),
    "sex": ("性别", "sex", "gender"),
    "birth_date": (
        "出生日期",
        "出生年月日",
        "出生年月",
        "生日",
        "birth date",
        "date of birth",
        "dob",
        "birthday",
        "birth_date",
    ),
    "building": ("楼栋", "楼号", "楼宇", "楼", "栋", "building", "block"),
    "room": ("房间", "房间号", "房号", "room", "room number", "room no"),
    "bed": ("床位", "床号", "床位号", "bed", "bed number", "bed no"),
    "admission_date": (
        "入住日期",
        "入院日期",
        "入住时间",
        "入院时间",
        "入住",
        "admission date",
        "admitted",
        "admission",
        "date admitted",
        "admission_date",
    ),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "本人电话", "phone", "telephone", "mobile", "tel"),
    "insurance_number": (
        "医保号",
        "医保卡号",
        "社保卡号",
        "医疗保险号",
        "医保编号",
        "社保号",
        "insurance number",
        "insurance no",
        "medical insurance number",
        "insurance",
        "insurance_number",
    ),
    "guardian_name": (
        "监护人",
        "监护人姓名",
        "联系人",
        "联系人姓名",
        "家属",
        "家属姓名",
        "紧急联系人",
        "guardian",
        "guardian name",
        "contact person",
        "emergency contact",
        "next of kin",
    ),
    "guardian_relation": ("关系", "与老人关系", "监护人关系", "与本人关系", "relation", "relationship"),
    "guardian_phone": (
        "监护人电话",
        "联系人电话",
        "家属电话",
        "家属联系电话",
        "紧急联系人电话",
        "监护人联系电话",
        "guardian phone",
        "contact phone",
        "emergency phone",
    ),
    "record_number": ("健康档案编号", "档案号", "档案编号", "健康档案号", "record number", "health record number"),
}
"""Each field the import knows and the header texts that mean it (compared after :func:`fold_header`)."""

REQUIRED_FIELDS = ("name", "id_number")

_PARENTHESES = re.compile(r"[(（\[【].*?[)）\]】]")


def fold_header(text: object) -> str:
    """Return a header text folded for comparison: width, case, spaces, marks and notes in brackets gone."""
    folded = unicodedata.normalize("NFKC", "" if text is None else str(text)).lower()
    folded = _PARENTHESES.sub("", folded)
    return "".join(ch for ch in folded if ch.isalnum())


_FIELD_BY_HEADER = {fold_header(synonym): name for name, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms}


def header_field(text: object) -> str | None:
    """Return the field a header names (``姓名`` → ``name``), or None for a header the import ignores."""
    return _FIELD_BY_HEADER.get(fold_header(text)) if fold_header(text) else None


@dataclass(frozen=True)
class RosterLayout:
    """Where the header is and which column holds which field."""

    header_row: int
    columns: dict[str, int]
    ignored: tuple[str, ...]
    headers: dict[str, str]  # field -> the header text as written


def find_layout(rows: Sequence[NumberedRow]) -> RosterLayout:
    """Find the header among the first rows and map its columns.

    The header is the first row naming at least two known fields; the rows above it are titles.

    Raises:
        RosterUnreadable: no header, a required column missing, or one field named by two columns.
    """
    leading = [row for row in rows if any(is_filled(cell) for cell in row[1])][: MAX_TITLE_ROWS + 1]
    for number, cells in leading:
        fields = [header_field(cell) for cell in cells]
        if sum(1 for name in set(fields) if name) >= 2:
            return _layout(number, cells, fields, rows)
    raise RosterUnreadable("roster.no_header", rows=MAX_TITLE_ROWS + 1)


def _layout(number: int, cells: RowValues, fields: list[str | None], rows: Sequence[NumberedRow]) -> RosterLayout:
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, (cell, name) in enumerate(zip(cells, fields, strict=True)):
        text = cell_text(cell)
        if name is None:
            if text:
                ignored.append(text)
            elif any(len(r) > index and is_filled(r[index]) for n, r in rows if n > number):
                ignored.append(t("roster.unnamed_column", letter=column_letter(index)))
            continue
        if name in columns:
            raise RosterUnreadable(
                "roster.duplicate_column",
                row=number,
                first=headers[name],
                second=text,
                field=MessageRef(f"field.{name}"),
            )
        columns[name] = index
        headers[name] = text
    missing = [name for name in REQUIRED_FIELDS if name not in columns]
    if missing:
        raise RosterUnreadable(
            "roster.missing_columns",
            row=number,
            columns=t("list.separator").join(f"{t(f'field.{name}')}" for name in missing),
        )
    return RosterLayout(number, columns, tuple(ignored), headers)


# --- checking rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterProblem:
    """One problem of one row, shown as ``row N: field: reason``."""

    row: int
    error: ValidationError

    @property
    def field(self) -> str:
        return self.error.field

    @property
    def reason(self) -> str:
        return self.error.reason

    @property
    def value(self) -> str:
        return "" if self.error.value in (None, "") else str(self.error.value)

    def __str__(self) -> str:
        label = field_label(self.field)
        if self.value:
            return t(
                "roster.problem_value",
                row=self.row,
                field=self.field,
                label=label,
                reason=self.reason,
                value=self.value,
            )
        return t("roster.problem", row=self.row, field=self.field, label=label, reason=self.reason)


@dataclass(frozen=True)
class RosterEntry:
    """A row that passed every check, ready to become a resident."""

    row: int
    identity: Identity
    bed: Bed
    admission_date: date | None


@dataclass(frozen=True)
class RosterRow:
    """One data row as read, for the preview: its cells by field and its problems (none if valid)."""

    row: int
    values: dict[str, str]
    problems: tuple[RosterProblem, ...]
    entry: RosterEntry | None


@dataclass(frozen=True)
class RosterCheck:
    """Every data row of a roster, checked."""

    layout: RosterLayout
    rows: tuple[RosterRow, ...]
    encoding: str = ""

    @property
    def entries(self) -> list[RosterEntry]:
        """The rows that can be imported."""
        return [row.entry for row in self.rows if row.entry is not None and not row.problems]

    @property
    def problems(self) -> list[RosterProblem]:
        return [problem for row in self.rows for problem in row.problems]

    @property
    def rejected_rows(self) -> list[int]:
        return [row.row for row in self.rows if row.problems]

    def reject_existing(self, existing: Mapping[str, str]) -> RosterCheck:
        """Return this check with rows whose ID number is already in the center rejected.

        Args:
            existing: ID card number → how to name the resident who has it (name, institution, bed).
        """
        rows = []
        for row in self.rows:
            if row.entry is not None and row.entry.identity.id_number in existing:
                number = row.entry.identity.id_number
                problem = RosterProblem(
                    row.row,
                    ValidationError("id_number", number, "roster.exists", resident=existing[number]),
                )
                row = replace(row, problems=(*row.problems, problem))
            rows.append(row)
        return replace(self, rows=tuple(rows))


def check_roster(rows: Sequence[NumberedRow], *, today: date, encoding: str = "") -> RosterCheck:
    """Check every data row below the header; ID numbers repeated in the file reject all their rows.

    Args:
        rows: (spreadsheet row number, cell values) for every row of the sheet, in order.
        today: admission dates must not be later, ages are counted on this day.
        encoding: the text encoding the rows were read in (reported, not used).

    Raises:
        RosterUnreadable: no usable header (see :func:`find_layout`).
    """
    layout = find_layout(rows)
    data_rows = sum(1 for number, cells in rows if number > layout.header_row and any(is_filled(c) for c in cells))
    if data_rows > MAX_DATA_ROWS:
        raise RosterUnreadable("roster.too_many_rows", limit=MAX_DATA_ROWS)
    checked = [
        _check_row(number, cells, layout, today)
        for number, cells in rows
        if number > layout.header_row and any(is_filled(cell) for cell in cells)
    ]
    by_number: dict[str, list[int]] = defaultdict(list)
    for row in checked:
        if row.entry is not None:
            by_number[row.entry.identity.id_number].append(row.row)
    result = []
    for row in checked:
        numbers = by_number.get(row.entry.identity.id_number, []) if row.entry is not None else []
        if len(numbers) > 1:
            assert row.entry is not None
            problem = RosterProblem(
                row.row,
                ValidationError(
                    "id_number",
                    row.entry.identity.id_number,
                    "roster.duplicate_in_file",
                    count=len(numbers),
                    rows=t("list.separator").join(map(str, numbers)),
                ),
            )
            row = replace(row, problems=(*row.problems, problem))
        result.append(row)
    return RosterCheck(layout, tuple(result), encoding)


def _check_row(number: int, cells: RowValues, layout: RosterLayout, today: date) -> RosterRow:
    raw = {name: (cells[index] if index < len(cells) else None) for name, index in layout.columns.items()}
    values = {name: cell_text(value) for name, value in raw.items()}
    problems: list[RosterProblem] = []

    def attempt(check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ValidationError as error:
            problems.append(RosterProblem(number, error))
            return None

    def text(name: str, maximum: int = SHORT_TEXT) -> str:
        return attempt(lambda: clean(values.get(name, ""), field=name, maximum=maximum)) or ""

    name = attempt(lambda: validate_name(values.get("name", "")))
    info = attempt(lambda: _id_info(raw.get("id_number"), today))
    sex = attempt(lambda: validate_sex(values["sex"])) if values.get("sex") else None
    birth = attempt(lambda: _date(raw.get("birth_date"), "birth_date")) if values.get("birth_date") else None
    if info is not None:
        if sex is not None:
            attempt(lambda: cross_check_id(info, birth_date=None, sex=values["sex"]))
        if birth is not None:
            attempt(lambda: cross_check_id(info, birth_date=birth, sex=None))
        attempt(lambda: validate_birth_date(info.birth_date, today=today))
    born = info.birth_date if info is not None else birth
    admission = (
        attempt(lambda: _date(raw.get("admission_date"), "admission_date")) if values.get("admission_date") else None
    )
    if admission is not None:
        attempt(lambda: validate_admission_date(admission, birth_date=born or date.min, today=today))
    bed = Bed(text("building"), text("room"), text("bed"))
    phone = attempt(lambda: check_phone(values.get("phone", ""))) or ""
    guardian_phone = attempt(lambda: check_phone(values.get("guardian_phone", ""), field="guardian_phone")) or ""
    guardian = attempt(lambda: check_person_name(values.get("guardian_name", ""), field="guardian_name")) or ""
    relation = text("guardian_relation")
    insurance = attempt(
        lambda: check_code(values.get("insurance_number", ""), field="insurance_number", reason="insurance.invalid")
    )
    record = attempt(
        lambda: check_code(values.get("record_number", ""), field="record_number", reason="record_number.invalid")
    )
    entry = None
    if name is not None and info is not None:
        identity = Identity(
            name=name,
            id_number=info.number,
            birth_date=info.birth_date,
            sex=info.sex,
            insurance_number=insurance or "",
            phone=phone,
            guardian_name=guardian,
            guardian_relation=relation,
            guardian_phone=guardian_phone,
            record_number=record or "",
            id_converted_from=info.converted_from,
        )
        entry = RosterEntry(number, identity, bed, admission)
    return RosterRow(number, values, tuple(problems), entry)


def _id_info(value: object, today: date) -> IdCardInfo:
    if isinstance(value, float):
        raise ValidationError("id_number", cell_text(value), "roster.id_numeric")
    if value is None or cell_text(value) == "":
        raise ValidationError("id_number", "", "id.empty")
    return parse_id_number(cell_text(value), today=today)


_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _date(value: object, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(_TIME_SUFFIX.sub("", cell_text(value)), field=field)


def known_headers() -> Iterable[tuple[str, tuple[str, ...]]]:
    """Yield each field and the header texts recognised for it (for help texts and docs)."""
    return HEADER_SYNONYMS.items()
