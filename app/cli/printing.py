"""``print rounds`` / ``print triage`` / ``print overdue``: round sheets and lists as PDF files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, add_common, add_force, check_out, emit
from app.cli.signin import open_signed_in
from app.cli.triage import parse_day
from app.domain.i18n import register, t
from app.domain.permissions import Action

register(
    {
        "cli.print.done": {
            "zh_CN": "已写入 {path}（{pages} 页，{count} 人）",
            "en": "Wrote {path} ({pages} page(s), {count} resident(s))",
        },
    }
)

OUT_HELP = "the PDF to write (never the database; see --force)"


def add_commands(commands: Any) -> None:
    printing = commands.add_parser("print", help="print round sheets, triage lists and overdue lists as PDF")
    documents = printing.add_subparsers(dest="document", required=True, metavar="DOCUMENT")

    rounds = documents.add_parser("rounds", help="the round sheet of an institution's round on a date")
    rounds.add_argument("--institution", required=True, metavar="NAME", help="full name or a unique part")
    rounds.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the day of the round")
    rounds.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help=OUT_HELP)
    add_common(rounds)
    rounds.add_argument("--today", metavar="YYYY-MM-DD", help="records as of this day (default: today)")
    add_force(rounds, "an existing PDF is replaced without it")
    rounds.set_defaults(handler=_rounds)

    triage = documents.add_parser("triage", help="the triage list of an institution, for its staff")
    triage.add_argument("--institution", required=True, metavar="NAME", help="full name or a unique part")
    triage.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help=OUT_HELP)
    add_common(triage)
    triage.add_argument("--today", metavar="YYYY-MM-DD", help="records as of this day (default: today)")
    add_force(triage, "an existing PDF is replaced without it")
    triage.set_defaults(handler=_triage)

    overdue = documents.add_parser("overdue", help="the residents overdue for a visit")
    overdue.add_argument("--institution", metavar="NAME", help="only this institution")
    overdue.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help=OUT_HELP)
    add_common(overdue)
    overdue.add_argument("--today", metavar="YYYY-MM-DD", help="as of this day (default: today)")
    add_force(overdue, "an existing PDF is replaced without it")
    overdue.set_defaults(handler=_overdue)


def _report(args: argparse.Namespace, printed: Any) -> int:
    emit(
        args,
        t("cli.print.done", path=printed.path, pages=printed.pages, count=printed.residents),
        {"path": str(printed.path), "pages": printed.pages, "residents": printed.residents},
    )
    return EXIT_OK


def _rounds(args: argparse.Namespace) -> int:
    from app.services.institutions import find_institution
    from app.services.printing import print_round_sheet
    from app.services.rounds.plan import round_on

    day = parse_day(args.date, field="date")
    today = parse_day(args.today)
    check_out(args.out, suffix=".pdf", kind="pdf", db=args.db, force=args.force)
    context = open_signed_in(args, Action.PRINT)
    try:
        institution = find_institution(context.uow(), name=args.institution)
        round_id = round_on(context.uow(), institution_id=institution.id, day=day, today=today)
        printed = print_round_sheet(
            context.uow(), round_id=round_id, out=args.out, today=today, force=args.force, force_hint=True
        )
    finally:
        context.close()
    return _report(args, printed)


def _triage(args: argparse.Namespace) -> int:
    from app.services.institutions import find_institution
    from app.services.printing import print_triage_list

    today = parse_day(args.today)
    check_out(args.out, suffix=".pdf", kind="pdf", db=args.db, force=args.force)
    context = open_signed_in(args, Action.PRINT)
    try:
        institution = find_institution(context.uow(), name=args.institution)
        printed = print_triage_list(
            context.uow(),
            institution_id=institution.id,
            out=args.out,
            today=today,
            force=args.force,
            force_hint=True,
        )
    finally:
        context.close()
    return _report(args, printed)


def _overdue(args: argparse.Namespace) -> int:
    from app.services.institutions import find_institution
    from app.services.printing import print_overdue_list

    today = parse_day(args.today)
    check_out(args.out, suffix=".pdf", kind="pdf", db=args.db, force=args.force)
    context = open_signed_in(args, Action.PRINT)
    try:
        institution_id = find_institution(context.uow(), name=args.institution).id if args.institution else None
        printed = print_overdue_list(
            context.uow(),
            out=args.out,
            today=today,
            institution_id=institution_id,
            force=args.force,
            force_hint=True,
        )
    finally:
        context.close()
    return _report(args, printed)
