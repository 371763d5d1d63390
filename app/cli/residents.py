"""``resident list`` and ``resident edit``: the resident list and changes to one resident, from scripts."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from app.cli.main import EXIT_OK, EXIT_USAGE, add_common, emit, printable
from app.cli.signin import open_signed_in
from app.domain.colours import TriageColour
from app.domain.i18n import field_label, register, t
from app.domain.permissions import Action

register(
    {
        "cli.resident.count": {"zh_CN": "共 {n} 人", "en": "{n} resident(s)"},
        "cli.resident.none": {"zh_CN": "没有符合条件的居民", "en": "No residents match"},
        "cli.resident.updated": {"zh_CN": "已修改 {name}（{id}）：", "en": "Updated {name} ({id}):"},
        "cli.resident.unchanged": {
            "zh_CN": "{name}（{id}）没有变化：新值与原值相同",
            "en": "Nothing changed for {name} ({id}): the new values are the current ones",
        },
        "cli.resident.change": {"zh_CN": "  {field}：{old} → {new}", "en": "  {field}: {old} → {new}"},
        "cli.bad_set": {
            "zh_CN": "--set 的写法应为 字段=值（输入值：{value}）",
            "en": "--set takes FIELD=VALUE (value: {value})",
        },
        "cli.col.name": {"zh_CN": "姓名", "en": "Name"},
        "cli.col.sex": {"zh_CN": "性别", "en": "Sex"},
        "cli.col.age": {"zh_CN": "年龄", "en": "Age"},
        "cli.col.institution": {"zh_CN": "机构", "en": "Institution"},
        "cli.col.bed": {"zh_CN": "床位", "en": "Bed"},
        "cli.col.colour": {"zh_CN": "分类", "en": "Colour"},
        "cli.col.status": {"zh_CN": "状态", "en": "Status"},
        "cli.col.id_number": {"zh_CN": "身份证号", "en": "ID number"},
        "cli.col.id": {"zh_CN": "居民编号", "en": "Resident id"},
    }
)


def add_commands(commands: Any) -> None:
    resident = commands.add_parser("resident", help="list residents or change one")
    actions = resident.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="residents in residence or in hospital, by institution and bed")
    add_common(listing)
    listing.add_argument("--institution", metavar="NAME", help="only this institution (full name or a unique part)")
    listing.add_argument("--colour", choices=[c.value for c in TriageColour], help="only this triage colour")
    listing.add_argument("--search", metavar="TEXT", default="", help="name, pinyin initials, bed or ID digits")
    listing.set_defaults(handler=_list)

    edit = actions.add_parser("edit", help="change fields of one resident (one transaction)")
    edit.add_argument("resident", metavar="ID_OR_NUMBER", help="the resident's id or ID card number")
    add_common(edit)
    edit.add_argument(
        "--set",
        dest="changes",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        required=True,
        help="fields: name, sex, birth_date, id_number, phone, building, room, bed, status, institution, "
        "family_bed, hospice, ltc_insurance, care_level (and status_date, family_bed_start, family_bed_end)",
    )
    edit.set_defaults(handler=_edit)


def _list(args: argparse.Namespace) -> int:
    from app.services.institutions import find_institution
    from app.services.records.residents import search_residents

    context = open_signed_in(args, Action.VIEW_RECORDS)
    try:
        institution_id = find_institution(context.uow(), name=args.institution).id if args.institution else None
        rows = search_residents(
            context.uow(),
            text=args.search,
            institution_id=institution_id,
            colour=TriageColour(args.colour) if args.colour else None,
        )
    finally:
        context.close()
    today = date.today()
    emit(args, _table(rows, today), [_json_row(row, today) for row in rows])
    return EXIT_OK


def _json_row(row: Any, today: date) -> dict[str, object]:
    return {
        "id": row.id,
        "name": row.name,
        "sex": row.sex,
        "birth_date": row.birth_date,
        "age": row.age_on(today),
        "institution": row.institution,
        "building": row.building,
        "room": row.room,
        "bed": row.bed,
        "colour": row.colour,
        "status": row.status,
        "id_number": row.id_number,
    }


def _table(rows: Sequence[Any], today: date) -> str:
    from app.domain.residents import ResidentStatus, Sex
    from app.domain.search import bed_label

    if not rows:
        return t("cli.resident.none")
    keys = ("name", "sex", "age", "institution", "bed", "colour", "status", "id_number", "id")
    lines = [[t(f"cli.col.{key}") for key in keys]]
    for row in rows:
        lines.append(
            [
                row.name,
                Sex(row.sex).label,
                str(row.age_on(today)),
                row.institution,
                bed_label(row.building, row.room, row.bed),
                TriageColour(row.colour).badge,
                ResidentStatus(row.status).label,
                "*" * 14 + row.id_number[-4:],
                row.id,
            ]
        )
    widths = [max(_width(line[i]) for line in lines) for i in range(len(keys))]
    text = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(line)).rstrip() for line in lines]
    return "\n".join([*text, t("cli.resident.count", n=len(rows))])


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _edit(args: argparse.Namespace) -> int:
    from app.services.records.residents import check_edit_fields, edit_resident

    values: dict[str, str] = {}
    for item in args.changes:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            print(printable(t("cli.error", message=t("cli.bad_set", value=item))), file=sys.stderr)
            return EXIT_USAGE
        values[name.strip()] = value.strip()
    check_edit_fields(values)
    context = open_signed_in(args, Action.EDIT_RESIDENTS)
    try:
        result = edit_resident(context.uow(), key=args.resident, values=values)
    finally:
        context.close()
    if result.changes:
        lines = [t("cli.resident.updated", name=result.name, id=result.resident_id)]
        lines += [
            t("cli.resident.change", field=field_label(f), old=old or "–", new=new or "–")
            for f, old, new in result.changes
        ]
    else:
        lines = [t("cli.resident.unchanged", name=result.name, id=result.resident_id)]
    emit(
        args,
        "\n".join(lines),
        {
            "id": result.resident_id,
            "name": result.name,
            "changes": [{"field": f, "old": old, "new": new} for f, old, new in result.changes],
        },
    )
    return EXIT_OK
