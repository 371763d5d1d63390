"""``triage suggest``: the rule suggestions that differ from the confirmed colours."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.cli.main import EXIT_OK, add_common, emit
from app.cli.signin import open_signed_in
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.validation import parse_date

register(
    {
        "cli.triage.none": {
            "zh_CN": "所有在住居民的建议分类与已确认分类一致（共 {total} 人）",
            "en": "Every resident's suggested colour matches the confirmed one ({total} residents)",
        },
        "cli.triage.count": {
            "zh_CN": "{count} 人的建议分类与已确认分类不同（共 {total} 人在住），请医生审核确认",
            "en": "{count} of {total} residents have a suggestion that differs from their colour; "
            "a doctor reviews them",
        },
        "field.today": {"zh_CN": "参考日期（--today）", "en": "reference day (--today)"},
        "cli.triage.line": {
            "zh_CN": "{institution}  {bed}  {name}  {current} → {suggested}",
            "en": "{institution}  {bed}  {name}  {current} → {suggested}",
        },
    }
)


def parse_day(text: str | None, field: str = "today") -> date:
    """Return the date written as 2026-11-16 (or 2026/11/16, 20261116, 2026年11月16日); today when None.

    Raises:
        ValidationError: on ``field`` for anything else.
    """
    if text is None:
        return date.today()
    return parse_date(text, field=field)


def add_commands(commands: Any) -> None:
    triage = commands.add_parser("triage", help="triage colours: suggestions by the rules")
    actions = triage.add_subparsers(dest="action", required=True, metavar="ACTION")
    suggest = actions.add_parser("suggest", help="rule suggestions that differ from the confirmed colours")
    add_common(suggest)
    suggest.add_argument("--institution", metavar="NAME", help="only this institution (full name or a unique part)")
    suggest.add_argument("--today", metavar="YYYY-MM-DD", help="apply the rules as on this day (default: today)")
    suggest.set_defaults(handler=_suggest)


def _suggest(args: argparse.Namespace) -> int:
    from app.services.institutions import find_institution
    from app.services.triage import refresh_suggestions, triage_review

    today = parse_day(args.today)
    context = open_signed_in(args, Action.VIEW_TRIAGE)
    try:
        institution_id = find_institution(context.uow(), name=args.institution).id if args.institution else None
        refreshed = refresh_suggestions(context.uow(), today=today, institution_id=institution_id)
        rows = triage_review(context.uow(), today=today, institution_id=institution_id)
    finally:
        context.close()
    if rows:
        lines = [t("cli.triage.count", count=len(rows), total=refreshed.residents)]
        for row in rows:
            lines.append(
                t(
                    "cli.triage.line",
                    institution=row.institution,
                    bed=row.resident.bed_label,
                    name=row.resident.name,
                    current=row.colour.badge,
                    suggested=row.suggested.badge,
                )
            )
            lines += [f"    - {reason.text}" for reason in row.reasons]
    else:
        lines = [t("cli.triage.none", total=refreshed.residents)]
    payload = {
        "today": today.isoformat(),
        "residents": refreshed.residents,
        "differing": len(rows),
        "suggestions": [
            {
                "resident_id": row.resident_id,
                "name": row.resident.name,
                "institution": row.institution,
                "bed": row.resident.bed_label,
                "current": row.colour.value,
                "suggested": row.suggested.value,
                "reasons": [
                    {
                        "colour": reason.colour.value,
                        "rule": reason.code,
                        "text": reason.text,
                        "params": dict(reason.params),
                    }
                    for reason in row.reasons
                ],
            }
            for row in rows
        ],
    }
    emit(args, "\n".join(lines), payload)
    return EXIT_OK
