"""``roster import``: import an institution's resident roster from .xlsx or .csv."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, EXIT_REJECTED, add_common, emit
from app.cli.signin import open_signed_in
from app.domain.i18n import register, t
from app.domain.permissions import Action

register(
    {
        "cli.roster.imported": {
            "zh_CN": "已导入 {imported} 人到“{institution}”；{rejected} 行未导入（共 {rows} 行数据）",
            "en": "Imported {imported} resident(s) into {institution}; {rejected} row(s) rejected ({rows} data rows)",
        },
        "cli.roster.dry_run": {
            "zh_CN": "试运行，未写入任何数据：可导入 {valid} 人到“{institution}”；"
            "{rejected} 行有问题（共 {rows} 行数据）",
            "en": "Dry run, nothing written: {valid} resident(s) can be imported into {institution}; "
            "{rejected} row(s) rejected ({rows} data rows)",
        },
        "cli.roster.ignored": {"zh_CN": "已忽略的列：{columns}", "en": "Columns ignored: {columns}"},
        "cli.roster.header": {
            "zh_CN": "表头在第 {row} 行；文件格式：{format}",
            "en": "Header in row {row}; file read as {format}",
        },
        "cli.file_missing": {"zh_CN": "找不到文件 {path}", "en": "no such file: {path}"},
    }
)


def add_commands(commands: Any) -> None:
    roster = commands.add_parser("roster", help="import a resident roster")
    actions = roster.add_subparsers(dest="action", required=True, metavar="ACTION")
    importing = actions.add_parser(
        "import", help=".xlsx or .csv (UTF-8 or GBK); rows with problems are reported as 'row N: field: reason'"
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--institution", required=True, metavar="NAME", help="the institution they live in")
    importing.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
    add_common(importing)
    importing.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    from app.domain.errors import DomainError
    from app.domain.roster_files import describe_format
    from app.services.institutions import find_institution
    from app.services.records.roster import import_roster, read_roster

    if not args.file.is_file():
        raise DomainError("cli.file_missing", path=args.file)
    roster = read_roster(args.file)
    context = open_signed_in(args, Action.IMPORT_ROSTER)
    try:
        institution = find_institution(context.uow(), name=args.institution)
        result = import_roster(context.uow(), roster=roster, institution_id=institution.id, dry_run=args.dry_run)
    finally:
        context.close()
    check = result.check
    lines = [str(problem) for problem in result.problems]
    lines.append(t("cli.roster.header", row=check.layout.header_row, format=describe_format(roster.encoding)))
    if check.layout.ignored:
        lines.append(t("cli.roster.ignored", columns=t("list.separator").join(check.layout.ignored)))
    counts = {"institution": result.institution_name, "rejected": result.rejected, "rows": len(check.rows)}
    if result.dry_run:
        lines.append(t("cli.roster.dry_run", valid=len(check.entries), **counts))
    else:
        lines.append(t("cli.roster.imported", imported=result.imported, **counts))
    emit(
        args,
        "\n".join(lines),
        {
            "institution": result.institution_name,
            "dry_run": result.dry_run,
            "rows": len(check.rows),
            "valid": len(check.entries),
            "imported": result.imported,
            "rejected": result.rejected,
            "header_row": check.layout.header_row,
            "encoding": roster.encoding,
            "ignored_columns": list(check.layout.ignored),
            "problems": [
                {"row": p.row, "field": p.field, "reason": p.reason, "value": p.value, "message": str(p)}
                for p in result.problems
            ],
        },
    )
    return EXIT_REJECTED if result.rejected else EXIT_OK
