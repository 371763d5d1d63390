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
        "cli.demo.recovery": {
            "zh_CN": "数据库已加密（密码即可打开）；恢复密钥：{key}",
            "en": "The database is encrypted (the password opens it); recovery key: {key}",
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
    demo.add_argument(
        "--plain",
        action="store_true",
        help="make an unencrypted database (for tools and tests that read the file directly); "
        "by default the demo is encrypted like every center and its password opens it",
    )
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from app.bootstrap import open_context
    from app.cli.triage import parse_day
    from app.services.demo.center import create_demo_center

    today = parse_day(args.today)  # before the file is made: a bad day leaves nothing behind
    # encrypted like every center (SQLCipher); the demo password opens it (issue 15)
    context = open_context(args.db, device_name="demo", encrypt_new=not args.plain and not args.db.exists())
    recovery_key = context.report.recovery_key
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
    if recovery_key is not None:
        lines.append(t("cli.demo.recovery", key=recovery_key))
    emit(
        args,
        "\n".join(lines),
        {
            "center": summary.center,
            "db": str(args.db),
            "counts": summary.counts,
            "logins": [{"login": x.login, "password": x.password, "role": x.role.value} for x in summary.logins],
            "encrypted": recovery_key is not None,
            "recovery_key": recovery_key,
        },
    )
    return EXIT_OK
