"""Who is acting on the command line: a login and a password, then the database opened as that person.

Every command that opens a database (all but ``--version``, ``demo`` and ``center join``) signs in, in
one step (:func:`open_signed_in`): the credentials are read (:func:`read_credentials`: ``--user`` or
``$CARE_USER``; the password from ``--password-file``, ``$CARE_PASSWORD`` or a prompt on a terminal, never
from the command line), the database is opened for that person (:func:`open_database_as`), the password is
checked by :func:`app.services.accounts.sign_in.sign_in` exactly as at the window's sign-in page (failures
counted towards the same lockout, audited), an account that must first choose its own password is
refused, and the command's permission is checked with :func:`app.services.authz.require`. Every unit of
work of the returned context then acts, and is audited, as that person.
"""

from __future__ import annotations

import argparse
import getpass
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.errors import DomainError
from app.domain.i18n import register, t

if TYPE_CHECKING:
    from app.bootstrap import AppContext
    from app.domain.permissions import Action
    from app.services.accounts.sign_in import SignedIn

USER_ENV = "CARE_USER"
PASSWORD_ENV = "CARE_PASSWORD"
MAX_SECRET_FILE_BYTES = 1024
"""A password or recovery-key file holds one line; a larger file is not one (and is not read whole)."""

SIGNED_IN_FLAG = "_signed_in"
"""Set on the parsed arguments once the command has signed in (``main`` checks every command did)."""

register(
    {
        "cli.signin.no_user": {
            "zh_CN": "请用 --user 用户名（或环境变量 CARE_USER）说明由谁操作",
            "en": "say who is acting: --user LOGIN (or the CARE_USER environment variable)",
        },
        "cli.signin.no_password": {
            "zh_CN": "缺少 {login} 的密码：请设置环境变量 CARE_PASSWORD、使用 --password-file 文件，"
            "或在终端中运行以输入密码",
            "en": "no password for {login}: set CARE_PASSWORD, give --password-file FILE, or run in a terminal "
            "to be asked for it",
        },
        "cli.signin.password_argument": {
            "zh_CN": "密码不能写在命令行上：请用环境变量 CARE_PASSWORD、--password-file 文件，或在终端中输入",
            "en": "the password is never given on the command line: use CARE_PASSWORD, --password-file FILE "
            "or the prompt on a terminal",
        },
        "cli.signin.prompt_user": {"zh_CN": "用户名：", "en": "Login: "},
        "cli.signin.prompt_password": {"zh_CN": "{login} 的密码：", "en": "Password for {login}: "},
        "cli.signin.must_change": {
            "zh_CN": "账号 {login} 须先在程序窗口中登录并设置本人密码，之后才能使用命令行。",
            "en": "The account {login} must first sign in at the app's window and choose its own password "
            "before using the command line.",
        },
        "cli.secret.too_large": {
            "zh_CN": "{what}文件 {path} 超过 {limit} 字节（第一行应为{what}）",
            "en": "the {what} file {path} is larger than {limit} bytes; its first line should be the {what}",
        },
        "cli.secret.not_text": {
            "zh_CN": "{what}文件 {path} 不是 UTF-8 文本（第一行应为{what}）",
            "en": "the {what} file {path} is not UTF-8 text; its first line should be the {what}",
        },
        "cli.secret.control": {
            "zh_CN": "{what}文件 {path} 的第一行含有控制字符",
            "en": "the first line of the {what} file {path} holds a control character",
        },
        "cli.secret.empty": {
            "zh_CN": "{what}文件 {path} 的第一行是空的",
            "en": "the first line of the {what} file {path} is empty",
        },
        "cli.secret.shared": {
            "zh_CN": "{what}文件 {path} 其他用户也能读取，已拒绝；请先执行 chmod 600 {path}",
            "en": "the {what} file {path} can be read by other users and is refused; run chmod 600 {path} first",
        },
        "cli.secret.password": {"zh_CN": "密码", "en": "password"},
        "cli.recover.plain": {
            "zh_CN": "数据库 {path} 未加密，没有恢复密钥。",
            "en": "The database {path} is not encrypted; it has no recovery key.",
        },
        "cli.secret.recovery_key": {"zh_CN": "恢复密钥", "en": "recovery key"},
    }
)


class SignInRefused(DomainError):
    """No login or password given, an unusable password file, or an account that may not use the CLI yet."""


@dataclass(frozen=True)
class Credentials:
    """Who says they are acting, and what proves it (never printed: the secrets are left out of ``repr``)."""

    login: str
    password: str | None = field(default=None, repr=False)
    recovery_key: str | None = field(default=None, repr=False)


class _PasswordOnTheCommandLine(argparse.Action):
    """``--password``: refused, without echoing it (other users see a process's arguments, shells keep them)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option: Any = None) -> None:
        parser.error(t("cli.signin.password_argument"))


def add_signin_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--user`` and ``--password-file`` (a command that signs in; ``add_common`` calls this).

    ``--password`` exists only to be refused with a clear message: otherwise argparse would take
    ``--password SECRET`` for an abbreviation of ``--password-file`` and name the secret as a missing file.
    """
    group = parser.add_argument_group("signing in (the password never on the command line)")
    group.add_argument("--user", metavar="LOGIN", help=f"who is acting (else ${USER_ENV})")
    refuse_password_argument(group, "--password")
    group.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help=f"the password on the file's first line; the file must be readable by its owner only "
        f"(else ${PASSWORD_ENV}, else a prompt on a terminal)",
    )


def refuse_password_argument(parser: Any, *options: str) -> None:
    """Add ``options`` (``--password``) only to refuse them, never echoing the value given."""
    parser.add_argument(*options, nargs="?", action=_PasswordOnTheCommandLine, help=argparse.SUPPRESS)


def add_recovery_key_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--recovery-key-file`` to a recovery command (the center's recovery key instead of a password)."""
    parser.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="FILE",
        help="the center's recovery key on the file's first line (readable by its owner only)",
    )


def signs_in(args: argparse.Namespace) -> bool:
    """Return whether the parsed command is one that signs in (it has ``--user``)."""
    return hasattr(args, "user") and hasattr(args, "password_file")


def read_credentials(args: argparse.Namespace, *, stdin: Any = None) -> Credentials:
    """Return the login and password (or recovery key) for this command; no database is touched.

    The login comes from ``--user``, else ``$CARE_USER``, else a prompt on a terminal. The password from
    ``--password-file`` (its first line), else ``$CARE_PASSWORD``, else :func:`getpass.getpass` when
    standard input is a terminal. With ``--recovery-key-file`` (recovery commands) no password is needed.

    Raises:
        SignInRefused: no login, no password and no terminal to ask on, or an unusable file.
        OSError: a named file cannot be read.
    """
    stdin = stdin if stdin is not None else sys.stdin
    interactive = bool(getattr(stdin, "isatty", lambda: False)())
    login = (getattr(args, "user", None) or os.environ.get(USER_ENV, "")).strip()
    if not login and interactive:
        print(t("cli.signin.prompt_user"), end="", file=sys.stderr, flush=True)
        login = stdin.readline().strip()
    if not login:
        raise SignInRefused("cli.signin.no_user")
    login = login.lower()
    recovery_file: Path | None = getattr(args, "recovery_key_file", None)
    if recovery_file is not None:
        return Credentials(login, recovery_key=read_secret_file(recovery_file, what="recovery_key"))
    password_file: Path | None = getattr(args, "password_file", None)
    if password_file is not None:
        return Credentials(login, password=read_secret_file(password_file, what="password"))
    password = os.environ.get(PASSWORD_ENV, "")
    if not password and interactive:
        password = getpass.getpass(t("cli.signin.prompt_password", login=login))
    if not password:
        raise SignInRefused("cli.signin.no_password", login=login)
    return Credentials(login, password=password)


def read_secret_file(path: Path, *, what: str) -> str:
    """Return the first line of a password or recovery-key file (UTF-8, a BOM and the line end dropped).

    A regular file must be accessible by its owner only on POSIX (like ssh's private keys): a password
    others can read is no longer only its owner's. Pipes (``--password-file /dev/stdin``,
    ``<(pass show …)``) are read as they are.

    Raises:
        SignInRefused: the file is shared, too large, not UTF-8 text, or its first line is empty or holds
            a control character.
        OSError: the file cannot be read.
    """
    label = t(f"cli.secret.{what}")
    with open(path, "rb") as handle:
        status = os.fstat(handle.fileno())  # the file opened, not whatever the name points to later
        if os.name == "posix" and stat.S_ISREG(status.st_mode) and status.st_mode & 0o077:
            raise SignInRefused("cli.secret.shared", what=label, path=path)
        data = handle.read(MAX_SECRET_FILE_BYTES + 1)
    if len(data) > MAX_SECRET_FILE_BYTES:
        raise SignInRefused("cli.secret.too_large", what=label, path=path, limit=MAX_SECRET_FILE_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SignInRefused("cli.secret.not_text", what=label, path=path) from None
    first = text.split("\n", 1)[0].removesuffix("\r")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in first):
        raise SignInRefused("cli.secret.control", what=label, path=path)
    if not first:
        raise SignInRefused("cli.secret.empty", what=label, path=path)
    return first


def open_database_as(path: Path, credentials: Credentials, *, create: bool = False) -> AppContext:
    """Open the database at ``path`` for the person of ``credentials`` (nobody is signed in yet).

    This is where an encrypted database's key is unwrapped with the password or the recovery key.

    Raises:
        DatabaseMissing, NotOurDatabase, DatabaseUnreadable, DatabaseTooNew: the file cannot be used.
    """
    from app.bootstrap import Credentials as KeyCredentials
    from app.bootstrap import open_context

    # an encrypted database's key is unwrapped with the password (or the recovery key) before anything is
    # read: a wrong one raises WrongPassword ("Wrong login or password.", exit 2); a plain file ignores them
    key_credentials = KeyCredentials(credentials.login, credentials.password, credentials.recovery_key)
    return open_context(path, create=create, credentials=key_credentials)


def open_with_recovery_key(path: Path, credentials: Credentials) -> AppContext:
    """Open an encrypted database with the center's recovery key (nobody is signed in).

    Raises:
        SignInRefused: the database is not encrypted (it has no recovery key).
        WrongRecoveryKey, RecoveryKeyTypo, KeyFileProblem: the key does not open it.
    """
    context = open_database_as(path, credentials)
    if context.database.key is None:  # a plain file: the opener ignored the recovery key
        context.close()
        raise SignInRefused("cli.recover.plain", path=path)
    return context


def open_signed_in(args: argparse.Namespace, action: Action, *, credentials: Credentials | None = None) -> AppContext:
    """Sign in with this command's credentials and return the database opened as that person.

    The units of work of the returned context act as the signed-in person (their changes are audited
    under their name); the caller closes it.

    Raises:
        SignInRefused: no credentials, or the account must first choose its own password.
        SignInFailed: wrong login or password, a locked or disabled account (counted and audited as at
            the window's sign-in page).
        PermissionDenied: the person's role may not do ``action``.
        DatabaseMissing, NotOurDatabase, DatabaseUnreadable, DatabaseTooNew: the file cannot be used.
    """
    credentials = credentials if credentials is not None else read_credentials(args)
    context = open_database_as(args.db, credentials)
    try:
        signed = sign_in_on(context, credentials, command=command_name(args))
        context.actor_id = signed.staff_id
        require_action(context, action)
    except BaseException:
        context.close()
        raise
    setattr(args, SIGNED_IN_FLAG, True)
    return context


def signed_in_person(args: argparse.Namespace, action: Action) -> SignedIn:
    """Sign in as :func:`open_signed_in` does, close the database again and return who signed in.

    For the commands that work on the database file itself (``backup``, ``restore``, ``audit verify``).
    """
    credentials = read_credentials(args)
    context = open_database_as(args.db, credentials)
    try:
        signed = sign_in_on(context, credentials, command=command_name(args))
        context.actor_id = signed.staff_id
        require_action(context, action)
    finally:
        context.close()
    setattr(args, SIGNED_IN_FLAG, True)
    return signed


def signing_in_skipped(args: argparse.Namespace) -> None:
    """Say this command deliberately went on without a sign-in (``restore`` over a damaged database)."""
    setattr(args, SIGNED_IN_FLAG, True)


def command_name(args: argparse.Namespace) -> str:
    """The command as typed, without its values (``resident edit``, ``print rounds``, ``export audit``).

    For the audit trail's ``via`` and for "… was not saved" messages.
    """
    parts = [str(getattr(args, "command", "") or "")]
    for name in ("action", "audit_command", "document", "list"):
        value = getattr(args, name, None)
        if isinstance(value, str):
            parts.append(value)
            break
    return " ".join(part for part in parts if part)


def sign_in_on(context: AppContext, credentials: Credentials, *, command: str = "") -> SignedIn:
    """Check the password on the open database, as the window's sign-in page does.

    The sign-in (or the failed attempt) is audited with ``via`` ``cli:COMMAND``.

    Raises:
        SignInRefused: no password (a recovery key alone does not sign in), or the account must first
            choose its own password.
        SignInFailed: wrong login or password, a locked or disabled account.
    """
    from app.services.accounts.sign_in import sign_in

    if credentials.password is None:
        raise SignInRefused("cli.signin.no_password", login=credentials.login)
    signed = sign_in(context.uow(), login=credentials.login, password=credentials.password, via=f"cli:{command}")
    if signed.must_change_password:
        raise SignInRefused("cli.signin.must_change", login=signed.login)
    return signed


def require_action(context: AppContext, action: Action) -> None:
    """Refuse unless the person acting in ``context`` may do ``action`` (the window's own check).

    Raises:
        PermissionDenied: nobody signed in, or the role may not.
    """
    from app.services.authz import require

    with context.uow().reading() as uow:
        require(uow, action)
