"""``center recover``: every administrator password lost — the center's recovery key sets a new one.

The recovery key (printed once when the center was encrypted, kept in the center's safe) opens the
encrypted database instead of a password; the named administrator gets the new password, and signs in
with it from then on. Nobody else's password is reset this way: an administrator does that at the
Accounts page. Audited as that administrator's ``sign_in`` with ``recovery_key: true``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, add_common, emit
from app.cli.signin import (
    USER_ENV,
    Credentials,
    SignInRefused,
    add_recovery_key_option,
    open_with_recovery_key,
    read_secret_file,
    refuse_password_argument,
)
from app.domain.i18n import register, t

NEW_PASSWORD_ENV = "CARE_NEW_PASSWORD"

register(
    {
        "cli.recover.no_key": {
            "zh_CN": "请用 --recovery-key-file 文件给出中心的恢复密钥",
            "en": "give the center's recovery key with --recovery-key-file FILE",
        },
        "cli.recover.no_user": {
            "zh_CN": "请用 --user 用户名（或环境变量 CARE_USER）说明要重设哪个管理员的密码",
            "en": "say whose password to reset: --user LOGIN of an administrator (or CARE_USER)",
        },
        "cli.recover.no_password": {
            "zh_CN": "缺少新密码：请使用 --new-password-file 文件、环境变量 CARE_NEW_PASSWORD，或在终端中运行以输入",
            "en": "no new password: give --new-password-file FILE, set CARE_NEW_PASSWORD, or run in a terminal "
            "to be asked for it",
        },
        "cli.recover.prompt": {"zh_CN": "{login} 的新密码：", "en": "New password for {login}: "},
        "cli.recover.prompt_again": {"zh_CN": "再输入一次：", "en": "Once more: "},
        "cli.recover.differ": {
            "zh_CN": "两次输入的新密码不一致，未作任何修改。",
            "en": "The two new passwords differ; nothing changed.",
        },
        "cli.recover.done": {
            "zh_CN": "已用恢复密钥重设 {login} 的密码，此后请用新密码登录。请把恢复密钥放回保险柜。",
            "en": "The recovery key reset the password of {login}; sign in with the new one from now on. "
            "Put the recovery key back in the safe.",
        },
    }
)


def add_recover(actions: Any) -> None:
    """Add ``center recover`` to the ``center`` actions."""
    recover = actions.add_parser(
        "recover",
        help="every administrator password lost: set a new one with the center's recovery key",
        allow_abbrev=False,
    )
    add_common(recover, signs_in=False)  # the recovery key opens the database, not a password
    recover.add_argument(
        "--user", metavar="LOGIN", help=f"the administrator whose password is reset (else ${USER_ENV})"
    )
    add_recovery_key_option(recover)
    recover.add_argument(
        "--new-password-file",
        type=Path,
        metavar="FILE",
        help=f"the new password on the file's first line, readable by its owner only (else ${NEW_PASSWORD_ENV}, "
        "else asked twice on a terminal)",
    )
    refuse_password_argument(recover, "--password", "--new-password")
    recover.set_defaults(handler=_recover)


def _recover(args: argparse.Namespace) -> int:
    from app.services.accounts.recovery import reset_admin_password

    login = (args.user or os.environ.get(USER_ENV, "")).strip().lower()
    if not login:
        raise SignInRefused("cli.recover.no_user")
    if args.recovery_key_file is None:
        raise SignInRefused("cli.recover.no_key")
    recovery_key = read_secret_file(args.recovery_key_file, what="recovery_key")
    new_password = _new_password(args, login)
    context = open_with_recovery_key(args.db, Credentials(login, recovery_key=recovery_key))
    try:
        reset_admin_password(context.uow(), login=login, new_password=new_password, via="cli:center recover")
    finally:
        context.close()
    emit(
        args,
        t("cli.recover.done", login=login),
        {"db": str(args.db), "login": login, "recovered": True},
    )
    return EXIT_OK


def _new_password(args: argparse.Namespace, login: str, *, stdin: Any = None) -> str:
    """The new password: ``--new-password-file``, else ``$CARE_NEW_PASSWORD``, else asked twice on a terminal.

    Raises:
        SignInRefused: none given and no terminal, the two typed differ, or the file is unusable.
    """
    if args.new_password_file is not None:
        return read_secret_file(args.new_password_file, what="password")
    value = os.environ.get(NEW_PASSWORD_ENV, "")
    if value:
        return value
    stdin = stdin if stdin is not None else sys.stdin
    if not getattr(stdin, "isatty", lambda: False)():
        raise SignInRefused("cli.recover.no_password")
    first = getpass.getpass(t("cli.recover.prompt", login=login))
    if getpass.getpass(t("cli.recover.prompt_again")) != first:
        raise SignInRefused("cli.recover.differ")
    return first
