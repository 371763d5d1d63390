"""``report``: the center's figures for a period, the monitoring return (.xlsx/.pdf), and a district's merge.

report --db PATH --period 2026-Q4|2026-11|2026 [--institution NAME] [--json] [--out FILE.xlsx|.pdf]
report merge A.xlsx B.xlsx ... --out DISTRICT.xlsx
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, EXIT_USAGE, add_force, db_option, emit, say_error
from app.cli.signin import add_signin_options, open_signed_in, signing_in_skipped
from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.report_indicators import BY_KEY
from app.domain.report_layout import parse_layout
from app.domain.report_periods import check_period, in_progress, parse_period, period_title
from app.domain.reports import TOTAL, Figures

register(
    {
        "cli.report.header": {
            "zh_CN": "{center}　统计期 {period}（{start} 至 {end}），上期 {previous}",
            "en": "{center} — period {period} ({start} to {end}), previous {previous}",
        },
        "cli.report.columns": {"zh_CN": "合计　上期", "en": "total  previous"},
        "cli.report.written": {
            "zh_CN": "已写入 {path}（{tables} 张表）",
            "en": "Wrote {path} ({tables} tables)",
        },
        "cli.report.merged": {
            "zh_CN": "已汇总 {count} 个中心的 {period} 报表：{path}",
            "en": "Added up the {period} returns of {count} centers: {path}",
        },
        "cli.report.usage_merge": {
            "zh_CN": "用法：report merge A.xlsx B.xlsx ... --out DISTRICT.xlsx",
            "en": "usage: report merge A.xlsx B.xlsx ... --out DISTRICT.xlsx",
        },
        "cli.report.usage": {
            "zh_CN": "请给出 --db 和 --period（或 report merge 文件 ... --out 文件）",
            "en": "give --db and --period (or report merge FILE ... --out FILE)",
        },
        "cli.report.none": {"zh_CN": "—", "en": "—"},
        "cli.export.done": {"zh_CN": "已写入 {path}（{count} 行）", "en": "Wrote {path} ({count} rows)"},
    }
)


def add_commands(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="figures for a period, the monitoring return (.xlsx/.pdf); 'report merge' adds up centers' returns",
        description="report --db PATH --period 2026-Q4|2026-11|2026 [--institution NAME] [--json] "
        "[--out FILE.xlsx|.pdf]\nreport merge A.xlsx B.xlsx ... --out DISTRICT.xlsx",
    )
    report.add_argument("words", nargs="*", metavar="merge FILE", help="'merge' and the returns to add up")
    report.add_argument("--db", type=db_option, help="database file, or postgresql://user@host/dbname (a server)")
    report.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_signin_options(report)  # a report reads the database as a signed-in person; 'merge' reads no database
    report.add_argument(
        "--period", metavar="PERIOD", help="2026-Q4 (quarter), 2026-11 (month), 2026 (year) or 2026-10-01..2026-12-31"
    )
    report.add_argument("--institution", metavar="NAME", help="only this institution (full name or a unique part)")
    report.add_argument("--out", type=Path, metavar="FILE", help="write the return: .xlsx or .pdf")
    report.add_argument("--layout", type=Path, metavar="FILE", help="the return's tables and columns (JSON)")
    report.add_argument("--today", metavar="YYYY-MM-DD", help="the day the report is made (weeks ended before it)")
    add_force(report, "an Excel workbook or a PDF")
    report.set_defaults(handler=_report)

    export = commands.add_parser(
        "export",
        help="a list out to Excel: residents, overdue, triage, plan (--week), referrals (open), audit",
    )
    export.add_argument(
        "list",
        choices=("residents", "overdue", "triage", "plan", "referrals", "audit"),
        metavar="LIST",
        help="residents | overdue | triage | plan | referrals | audit",
    )
    export.add_argument(
        "--db", type=db_option, required=True, help="database file, or postgresql://user@host/dbname (a server)"
    )
    export.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_signin_options(export)  # the audit trail needs an administrator; the other lists, anyone signed in
    export.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="the workbook to write")
    export.add_argument("--institution", metavar="NAME", help="only this institution (full name or a unique part)")
    export.add_argument("--colour", choices=("red", "yellow", "green"), help="residents: only this colour")
    export.add_argument("--search", metavar="TEXT", default="", help="residents, audit: name, pinyin, bed or ID digits")
    export.add_argument("--week", metavar="YYYY-Www", help="plan: the ISO week (default: this week)")
    export.add_argument("--today", metavar="YYYY-MM-DD", help="the reference day (default: today)")
    add_force(export, "an Excel workbook")
    export.set_defaults(handler=_export)


def _number(value: int | float | None, is_rate: bool) -> str:
    if value is None:
        return t("cli.report.none")
    return f"{value:.1f}%" if is_rate else f"{value:,}"


def _payload(report: Any) -> dict[str, Any]:
    figures: Figures = report.figures
    previous: Figures | None = report.previous
    return {
        "center": report.center,
        "period": figures.period.label,
        "to_date": in_progress(figures.period, report.today),
        "start": figures.period.start.isoformat(),
        "end": figures.period.end.isoformat(),
        "previous_period": previous.period.label if previous else None,
        "institutions": [name for _, name in figures.institutions],
        "indicators": [
            {
                "key": column.key,
                "title": column.title(),
                "rate": BY_KEY[column.key].is_rate,
                "total": figures.value(column.key),
                "previous": previous.value(column.key) if previous else None,
                "by_institution": {name: figures.value(column.key, iid) for iid, name in figures.institutions},
            }
            for table in report.layout.tables
            for column in table.columns
        ],
    }


def _text(report: Any) -> str:
    figures: Figures = report.figures
    previous: Figures | None = report.previous
    lines = [
        t(
            "cli.report.header",
            center=report.center,
            period=period_title(figures.period, report.today),
            start=figures.period.start.isoformat(),
            end=figures.period.end.isoformat(),
            previous=previous.period.label if previous else "—",
        )
    ]
    names = [name for _, name in figures.institutions]
    width = max([len(column.title()) for table in report.layout.tables for column in table.columns] + [8])
    for table in report.layout.tables:
        lines += ["", table.title(), "  " + " " * width + "  " + "  ".join([t("cli.report.columns"), *names])]
        for column in table.columns:
            is_rate = BY_KEY[column.key].is_rate
            cells = [_number(figures.value(column.key, TOTAL), is_rate)]
            cells.append(_number(previous.value(column.key, TOTAL), is_rate) if previous else "—")
            cells += [_number(figures.value(column.key, iid), is_rate) for iid, _ in figures.institutions]
            title = column.title()
            pad = width - len(title) - sum(1 for char in title if ord(char) > 0x2E80)
            lines.append(f"  {title}{' ' * max(1, pad)}  " + "  ".join(cells))
    return "\n".join(lines)


def _report(args: argparse.Namespace) -> int:
    if args.words:
        if args.words[0] != "merge" or len(args.words) < 2 or args.out is None:
            say_error(args, t("cli.report.usage_merge"))
            return EXIT_USAGE
        return _merge(args, [Path(word) for word in args.words[1:]])
    if args.db is None or args.period is None:
        say_error(args, t("cli.report.usage"))
        return EXIT_USAGE
    from app.cli.main import check_out
    from app.cli.triage import parse_day
    from app.services.institutions import find_institution
    from app.services.reports.figures import compute_report
    from app.services.reports.returns import write_return

    period = parse_period(args.period)
    today = parse_day(args.today)
    check_period(period, today)  # a period not begun: exit 2, before the database is opened
    layout = None
    if args.layout is not None:
        layout = parse_layout(args.layout.read_text(encoding="utf-8"))
    if args.out is not None:
        check_out(args.out)
        if args.out.suffix.lower() not in (".xlsx", ".pdf"):
            raise ValidationError("out", args.out, "return.not_xlsx_or_pdf")
    context = open_signed_in(args, Action.VIEW_RECORDS)
    try:
        institution_id = find_institution(context.uow(), name=args.institution).id if args.institution else None
        options: dict[str, Any] = {"layout": layout} if layout is not None else {}
        report = compute_report(context.uow(), period=period, today=today, institution_id=institution_id, **options)
        written = None
        if args.out is not None:
            written = write_return(report, args.out, database=context.database.path, force=args.force, force_hint=True)
    finally:
        context.close()
    payload = _payload(report)
    text = _text(report)
    if written is not None:
        payload["out"] = str(written.path)
        text += "\n\n" + t("cli.report.written", path=written.path, tables=written.tables)
    emit(args, text, payload)
    return EXIT_OK


def _merge(args: argparse.Namespace, files: list[Path]) -> int:
    from app.cli.main import check_out
    from app.services.reports.returns import merge_returns

    check_out(args.out)
    signing_in_skipped(args)  # adds up returns (files); there is no database to sign in to
    merged = merge_returns(files, args.out, force=args.force, force_hint=True)
    emit(
        args,
        t("cli.report.merged", count=len(merged.centers), period=merged.period, path=merged.path),
        {"out": str(merged.path), "period": merged.period, "centers": merged.centers, "total": merged.total},
    )
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from app.cli.main import check_out
    from app.cli.triage import parse_day
    from app.domain.colours import TriageColour
    from app.domain.scheduling import parse_week
    from app.services.institutions import find_institution
    from app.services.reports.exports import ListFilters, ListKind, export_list

    today = parse_day(args.today)
    week = parse_week(args.week) if args.week else None
    check_out(args.out)
    if args.out.suffix.lower() != ".xlsx":
        raise ValidationError("out", args.out, "export.not_xlsx")
    context = open_signed_in(args, Action.VIEW_AUDIT if args.list == "audit" else Action.VIEW_RECORDS)
    try:
        institution_id = find_institution(context.uow(), name=args.institution).id if args.institution else None
        filters = ListFilters(
            institution_id=institution_id,
            colour=TriageColour(args.colour) if args.colour else None,
            text=args.search,
            week=week,
        )
        exported = export_list(
            context.uow(),
            ListKind(args.list),
            args.out,
            today=today,
            filters=filters,
            force=args.force,
            force_hint=True,
        )
    finally:
        context.close()
    emit(
        args,
        t("cli.export.done", path=exported.path, count=exported.rows),
        {"out": str(exported.path), "list": args.list, "rows": exported.rows},
    )
    return EXIT_OK
