"""``assessment add`` (评估; issue #16): record a self-care, AD8, care-level or annual-check form.

``assessment add --db PATH --resident ID --kind annual_check|self_care|ad8|care_level --date D --set FIELD=VALUE
...``: every field of the form is given with ``--set`` (``--help`` lists them); a field left out is an error,
never a silent 0. ``--set notes=...`` adds a note (for the annual check: ``--set summary=...``, required).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.main import EXIT_OK, add_common, emit
from app.cli.signin import open_signed_in
from app.cli.triage import parse_day
from app.domain.annual_check import ANNUAL_ITEMS
from app.domain.assessments import AD8_ITEMS, SELF_CARE_ITEMS
from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.records import assessment_result_label

register(
    {
        "cli.assessment.recorded": {
            "zh_CN": "已记录 {name} 的{kind}（{date}）：{result}",
            "en": "{kind} of {name} recorded ({date}): {result}",
        },
        "cli.assessment.set_format": {
            "zh_CN": "应写作 字段=值，如 eating=0",
            "en": "write FIELD=VALUE, e.g. eating=0",
        },
        "cli.assessment.unknown_field": {
            "zh_CN": "“{kind}”没有字段“{field}”；可用：{known}",
            "en": "“{kind}” has no field “{field}”; its fields: {known}",
        },
        "field.set": {"zh_CN": "字段（--set）", "en": "field (--set)"},
        "field.level": {"zh_CN": "照护等级", "en": "care level"},
    }
)

DATE = "YYYY-MM-DD"

FIELDS: dict[str, tuple[str, ...]] = {
    "self_care": tuple(item.key for item in SELF_CARE_ITEMS),
    "ad8": AD8_ITEMS,
    "care_level": ("level",),
    "annual_check": (*(item.key for item in ANNUAL_ITEMS), "summary"),
}
"""The fields of each form, as ``--set`` takes them (``notes`` is accepted by every form but the annual check)."""

_HELP = {
    "self_care": "0–3 each (0 可自理, 1 轻度依赖, 2 中度依赖, 3 不能自理)",
    "ad8": "yes, no or unknown each",
    "care_level": "0–6",
    "annual_check": "exam numbers; the screens and tests normal, abnormal or not_done; summary text",
}


def add_commands(commands: Any) -> None:
    assessment = commands.add_parser("assessment", help="assessments (评估): record one")
    actions = assessment.add_subparsers(dest="action", required=True, metavar="ACTION")
    fields_help = "; ".join(f"{kind}: {', '.join(keys)} ({_HELP[kind]})" for kind, keys in FIELDS.items())
    add = actions.add_parser(
        "add",
        help="record a self-care, AD8, care-level or annual-check form",
        description=f"Every field of the form is required. Fields — {fields_help}.",
    )
    add.add_argument("--resident", required=True, metavar="ID", help="resident id or ID card number")
    add.add_argument("--kind", required=True, choices=list(FIELDS), help="the form")
    add.add_argument("--date", required=True, metavar=DATE, help="the day it was assessed")
    add.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE", dest="values", help=f"a field. {fields_help}"
    )
    add_common(add)
    add.add_argument("--today", metavar=DATE, help="the day rules are checked against (default: today)")
    add.set_defaults(handler=_add)


def _values(kind: str, pairs: list[str]) -> dict[str, str]:
    known = FIELDS[kind]
    values: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip()
        if not equals or not name:
            raise ValidationError("set", pair, "cli.assessment.set_format")
        if name not in known and name != "notes":
            raise ValidationError(
                "set", pair, "cli.assessment.unknown_field", kind=kind, field=name, known=", ".join(known)
            )
        values[name] = value.strip()
    return values


def _whole(value: str) -> Any:
    """Return ``value`` as a whole number when it is one, else as typed (the domain refuses it, naming the item)."""
    text = value.strip()
    return int(text) if text.lstrip("-").isdigit() else text


def _add(args: argparse.Namespace) -> int:
    from app.services.records import assessments as service
    from app.services.records.load import load_record
    from app.services.records.search import resolve_resident

    day = parse_day(args.date, field="assessed_on")
    today = parse_day(args.today)
    values = _values(args.kind, args.values)
    notes = values.pop("notes", "")
    context = open_signed_in(args, Action.RECORD_VISITS)
    try:
        resident_id = resolve_resident(context.uow(), key=args.resident)
        uow = context.uow()
        if args.kind == "self_care":
            levels = {key: _whole(value) for key, value in values.items()}
            saved = service.record_self_care(
                uow, resident_id=resident_id, levels=levels, assessed_on=day, notes=notes, today=today
            )
        elif args.kind == "ad8":
            saved = service.record_ad8(
                uow, resident_id=resident_id, answers=values, assessed_on=day, notes=notes, today=today
            )
        elif args.kind == "care_level":
            if "level" not in values:
                raise ValidationError("level", "", "care_level.range")
            level = _whole(values["level"])
            saved = service.record_care_level(
                uow, resident_id=resident_id, level=level, assessed_on=day, notes=notes, today=today
            )
        else:
            summary = values.pop("summary", "")
            saved = service.record_annual_check(
                uow, resident_id=resident_id, values=values, summary=summary, checked_on=day, today=today
            )
        record = load_record(context.uow(), resident_id=resident_id)
    finally:
        context.close()
    row = next(item for item in record.assessments if item.id == saved.entry_id)
    result = assessment_result_label(row.kind, row.result, row.score)
    kind_label = t(f"assessment.kind.{args.kind}")
    text = t("cli.assessment.recorded", name=record.resident.name, kind=kind_label, date=day.isoformat(), result=result)
    payload = {
        "ok": True,
        "assessment_id": row.id,
        "resident_id": resident_id,
        "kind": row.kind,
        "assessed_on": row.assessed_on.isoformat(),
        "score": row.score,
        "result": row.result,
        "items": row.items,
    }
    emit(args, text, payload)
    return EXIT_OK
