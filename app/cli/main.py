"""``python -m app COMMAND ...``: parse, run a service, print text or JSON, exit 0 / 1 / 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.domain.errors import DomainError
from app.domain.i18n import register, set_language, t

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

register(
    {
        "cli.demo.done": {
            "zh_CN": "已创建演示中心“{center}”：{path}",
            "en": "Created the demo center “{center}” in {path}",
        },
        "cli.demo.counts": {"zh_CN": "写入记录：{counts}", "en": "Rows written: {counts}"},
        "cli.demo.logins": {
            "zh_CN": "演示账号（密码均为 {password}）：",
            "en": "Demo logins (password {password} for all):",
        },
        "cli.error": {"zh_CN": "错误：{message}", "en": "Error: {message}"},
        "cli.db_required": {"zh_CN": "请用 --db 指定数据库文件", "en": "--db PATH is required"},
    }
)

Handler = Callable[[argparse.Namespace], int]


def _add_common(parser: argparse.ArgumentParser, *, db_required: bool = True) -> None:
    parser.add_argument("--db", type=Path, required=db_required, help="database file")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carerounds", description="CareRounds (医养巡诊) command line")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None, help="language of messages")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="create a realistic demo center")
    _add_common(demo)
    demo.add_argument("--residents", type=int, default=600, help="number of residents (default 600)")
    demo.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same data")
    demo.set_defaults(handler=_demo)
    return parser


def _print(args: argparse.Namespace, text: str, payload: Any) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def _demo(args: argparse.Namespace) -> int:
    from app.bootstrap import open_context
    from app.services.demo import create_demo_center

    context = open_context(args.db, device_name="demo")
    try:
        summary = create_demo_center(context.database, residents=args.residents, seed=args.seed)
    finally:
        context.close()
    lines = [
        t("cli.demo.done", center=summary.center, path=args.db),
        t("cli.demo.counts", counts=", ".join(f"{k} {v}" for k, v in summary.counts.items())),
        t("cli.demo.logins", password=summary.logins[0].password),
    ]
    lines += [f"  {login.login:<12} {login.role.label:<8} {login.name} {login.team}" for login in summary.logins]
    _print(
        args,
        "\n".join(lines),
        {
            "center": summary.center,
            "db": str(args.db),
            "counts": summary.counts,
            "logins": [{"login": x.login, "password": x.password, "role": x.role.value} for x in summary.logins],
        },
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse prints usage and exits 2 on bad usage
        return int(stop.code or 0)
    if args.lang:
        set_language(args.lang)
    handler: Handler = args.handler
    try:
        return handler(args)
    except DomainError as error:
        print(t("cli.error", message=error), file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(t("cli.error", message=error), file=sys.stderr)
        return EXIT_USAGE
