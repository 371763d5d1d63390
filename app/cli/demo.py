"""``demo``: create a realistic demo center."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.main import EXIT_OK, add_common, emit
from app.domain.i18n import register, t

register(
    {
        "cli.demo.done": {
            "zh_CN": "已创建演示中心“{center}”：{path}",
            "en": "Created the demo center “{center}” in {path}",
        },
        "cli.demo.counts": {"zh_CN": "写入记录：{counts}", "en": "Rows written: {counts}"},
        "cli.demo.signin": {
            "zh_CN": "命令行以某个账号操作，例如：export CARE_USER=admin CARE_PASSWORD={password}",
            "en": "The command line acts as one of them, e.g.: export CARE_USER=admin CARE_PASSWORD={password}",
        },
        "cli.demo.logins": {
            "zh_CN": "演示账号（密码均为 {password}）：",
            "en": "Demo logins (password {password} for all):",
        },
    }
)


def add_commands(commands: Any) -> None:
    demo = commands.add_parser("demo", help="create a realistic demo center")
    add_common(demo, signs_in=False)  # makes a new database and its logins
    demo.add_argument("--residents", type=int, default=600, help="number of residents (default 600)")
    demo.add_argument("--seed", type=int, default=1, help="random seed; the same seed and day give the same data")
    demo.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the day the demo's history ends and its plans start (default: today)"
    )
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from app.bootstrap import open_context
    from app.cli.triage import parse_day
    from app.services.demo.center import create_demo_center

    today = parse_day(args.today)  # before the file is made: a bad day leaves nothing behind
    context = open_context(args.db, device_name="demo")
    try:
        summary = create_demo_center(context.database, residents=args.residents, seed=args.seed, today=today)
    finally:
        context.close()
    lines = [
        t("cli.demo.done", center=summary.center, path=args.db),
        t("cli.demo.counts", counts=", ".join(f"{k} {v}" for k, v in summary.counts.items())),
        t("cli.demo.logins", password=summary.logins[0].password),
    ]
    lines += [f"  {login.login:<12} {login.role.label:<8} {login.name} {login.team}" for login in summary.logins]
    lines.append(t("cli.demo.signin", password=summary.logins[0].password))
    emit(
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
