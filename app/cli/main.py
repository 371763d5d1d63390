"""``python -m app COMMAND ...``: parse, run a service, print text or JSON, exit 0 / 1 / 2."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.errors import DomainError, os_reason
from app.domain.i18n import register, set_language, t

if TYPE_CHECKING:
    from app.store.engines import ServerURL

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

register(
    {
        "cli.error": {"zh_CN": "错误：{message}", "en": "Error: {message}"},
        "cli.db_required": {"zh_CN": "请用 --db 指定数据库文件", "en": "--db PATH is required"},
        "field.out": {"zh_CN": "输出文件（--out）", "en": "output file (--out)"},
        "cli.out.not_pdf": {"zh_CN": "应是 .pdf 文件", "en": "must be a .pdf file"},
        "cli.out.folder": {"zh_CN": "是文件夹，请给出文件名", "en": "is a folder; give a file name"},
        "cli.os.missing": {"zh_CN": "找不到文件 {path}", "en": "there is no file {path}"},
        "cli.os.folder": {
            "zh_CN": "{path} 是文件夹，这里需要一个文件",
            "en": "{path} is a folder; a file is needed here",
        },
        "cli.os.denied": {"zh_CN": "没有权限读写 {path}", "en": "no permission to read or write {path}"},
        "cli.os.other": {"zh_CN": "无法读写 {path}：{reason}", "en": "cannot read or write {path}: {reason}"},
        "cli.db.bad_server_url": {
            "zh_CN": "服务器数据库应写作 postgresql://用户@主机/数据库名（端口可选：主机:5432），而不是 {value}",
            "en": "a server database is written postgresql://user@host/dbname (a port if needed: host:5432), "
            "not {value}",
        },
    }
)

Handler = Callable[[argparse.Namespace], int]


COMMAND_MODULES = (
    "app.cli.demo",
    "app.cli.backup",
    "app.cli.audit",
    "app.cli.residents",
    "app.cli.roster",
    "app.cli.sync",
    "app.cli.center",
    "app.cli.visits",
    "app.cli.triage",
    "app.cli.plan",
    "app.cli.printing",
    "app.cli.reports",
    "app.cli.beds",
    "app.cli.referrals",
    "app.cli.assessments",
)
"""Each module has ``add_commands(commands)`` adding its sub-commands; handlers are ``fn(args) -> int``."""

COMMANDS = {
    "demo": "app.cli.demo",
    "backup": "app.cli.backup",
    "restore": "app.cli.backup",
    "audit": "app.cli.audit",
    "resident": "app.cli.residents",
    "roster": "app.cli.roster",
    "sync": "app.cli.sync",
    "center": "app.cli.center",
    "visit": "app.cli.visits",
    "triage": "app.cli.triage",
    "plan": "app.cli.plan",
    "print": "app.cli.printing",
    "report": "app.cli.reports",
    "export": "app.cli.reports",
    "bed": "app.cli.beds",
    "refill": "app.cli.beds",
    "referral": "app.cli.referrals",
    "assessment": "app.cli.assessments",
}
"""The module of each top-level command: a command line naming one imports only that module (``plan`` does not
import what ``report`` or ``demo`` need). ``tests/cli/test_cli_startup.py`` checks it against the modules."""


def db_option(text: str) -> Path | ServerURL:
    """``--db``'s type: a file path or a server URL; a malformed URL said in the user's language (argparse)."""
    from app.store.engines import db_target

    try:
        return db_target(text)
    except ValueError as error:  # argparse would say only "invalid db_target value"
        raise argparse.ArgumentTypeError(t("cli.db.bad_server_url", value=text)) from error


def add_common(parser: argparse.ArgumentParser, *, db_required: bool = True, signs_in: bool = True) -> None:
    """Add the options every command takes: ``--db``, ``--json`` and, to sign in, ``--user`` and ``--password-file``.

    Args:
        signs_in: the command acts as a signed-in person (all but ``demo`` and ``center join``, which make a
            database); its handler opens the database with :func:`app.cli.signin.open_signed_in` (or
            :func:`~app.cli.signin.signed_in_person`), and :func:`main` checks it did.
    """
    parser.add_argument(
        "--db", type=db_option, required=db_required, help="database file, or postgresql://user@host/dbname (a server)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    if signs_in:
        from app.cli.signin import add_signin_options

        add_signin_options(parser)


def add_force(parser: argparse.ArgumentParser, same_kind: str) -> None:
    """Add ``--force`` to a command that writes a file (``same_kind`` says what is replaced without it)."""
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"replace an existing file of another kind at --out ({same_kind}); never the database, "
        "any other SQLite database or a backup",
    )


def check_out(
    path: Path,
    *,
    suffix: str | None = None,
    kind: str | None = None,
    db: Path | None = None,
    force: bool = False,
    folder_ok: bool = False,
) -> Path:
    """Check an ``--out`` file name before any work is done.

    With ``kind`` (``sync``, ``join``, ``pdf``, ``backup``) the rule of
    :func:`app.services.output_files.check_output` applies: never the database ``db``, never any SQLite
    file, an existing file only of the same kind or with ``force``. The service checks again, with the
    center, when it writes.

    Raises:
        ValidationError: on ``out``: a folder (unless ``folder_ok``) or the wrong suffix.
        OutputRefused: the file may not be written over (exit code 2).
    """
    from app.domain.errors import ValidationError

    if path.is_dir():
        if folder_ok:
            return path
        raise ValidationError("out", path, "cli.out.folder")
    if suffix is not None and path.suffix.lower() != suffix:
        raise ValidationError("out", path, "cli.out.not_pdf")
    if kind is not None:
        from app.services.output_files import OutputKind, check_output

        # center_id unknown before the database is opened: an older package is let through here and
        # checked with its center by the service
        check_output(path, kind=OutputKind(kind), database=db, force=force or kind in ("sync", "join"), force_hint=True)
    return path


def printable(text: str) -> str:
    """Return ``text`` with control characters shown as escapes (``\\x1b``, ``\\u202e``), never raw.

    A name or a file name holding ESC, BEL or a bidi override must not drive the terminal or reorder what
    is shown; tab and line ends stay as they are.
    """
    from app.domain.validation import is_unsafe_control

    if not any(is_unsafe_control(char) for char in text):
        return text
    return "".join(
        (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}") if is_unsafe_control(char) else char
        for char in text
    )


INLINE_DEPTH = 4
"""JSON is indented down to this depth; a value nested deeper is written on one line (``plan --json``: one line
per due resident, with its reasons)."""


class EncodedItems(list[str]):
    """A JSON array whose items are already JSON text, each on one line: :func:`_json_text` writes them as they
    are, one item a line as it writes any array whose items are below :data:`INLINE_DEPTH`.

    For many items of one shape that a command writes faster than the encoder (``plan --json``'s due residents);
    the control characters in them are escaped with the rest of the text. Not inside a value written on one line
    by the encoder (a dict or list below :data:`INLINE_DEPTH`), nor with ``indent=None``: the encoder would write
    a list of strings.
    """


def _json_text(payload: Any, *, indent: int | None = 2) -> str:
    """JSON with every control character escaped (json escapes only U+0000–U+001F by itself).

    Indented as ``json.dumps(indent=2)`` down to :data:`INLINE_DEPTH`; deeper values are written by the json
    module's C encoder on one line (its indenting encoder is pure Python: 50 000 residents took seconds).
    """
    from app.domain.validation import UNSAFE_CONTROLS

    if indent is None:
        text = json.dumps(payload, ensure_ascii=False, default=str)
    else:
        parts: list[str] = []
        _indented(payload, " " * indent, 0, parts, json.JSONEncoder(ensure_ascii=False, default=str).encode)
        text = "".join(parts)
    return UNSAFE_CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _indented(value: Any, step: str, depth: int, parts: list[str], encode: Callable[[Any], str]) -> None:
    """Append ``value`` as indented JSON to ``parts`` (at ``depth`` levels of ``step``)."""
    if depth >= INLINE_DEPTH or not isinstance(value, dict | list | tuple) or not value:
        parts.append(_inline(value, encode))
        return
    inner = "\n" + step * (depth + 1)
    if isinstance(value, EncodedItems) or (depth + 1 >= INLINE_DEPTH and not isinstance(value, dict)):
        # items on one line each, joined at once (50 000 due residents)
        items = value if isinstance(value, EncodedItems) else [_inline(item, encode) for item in value]
        parts.append("[" + inner + ("," + inner).join(items) + "\n" + step * depth + "]")
        return
    if isinstance(value, dict):
        parts.append("{")
        for number, (key, item) in enumerate(value.items()):
            name = encode(key) if isinstance(key, str) else encode({key: 0})[1:-4]  # as json names 1, True, None
            parts.append(("," if number else "") + inner + name + ": ")
            _indented(item, step, depth + 1, parts, encode)
        parts.append("\n" + step * depth + "}")
    else:
        parts.append("[")
        for number, item in enumerate(value):
            parts.append(("," if number else "") + inner)
            _indented(item, step, depth + 1, parts, encode)
        parts.append("\n" + step * depth + "]")


def _inline(value: Any, encode: Callable[[Any], str]) -> str:
    """``value`` as JSON on one line."""
    return "[" + ", ".join(value) + "]" if isinstance(value, EncodedItems) else encode(value)


class _Parser(argparse.ArgumentParser):
    """argparse, whose usage errors echo the arguments given: shown through :func:`printable`."""

    def _print_message(self, message: str, file: Any = None) -> None:
        super()._print_message(printable(message) if message else message, file)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Return the parser of every command, or (given the command line ``argv`` naming a known command) the
    parser with that command's module only: starting a command imports no other command's dependencies."""
    parser = _Parser(prog="carerounds", description="CareRounds (医养巡诊) command line")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None, help="language of messages")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = _command_named(argv) if argv is not None else None
    for name in (COMMANDS[named],) if named is not None else COMMAND_MODULES:
        importlib.import_module(name).add_commands(commands)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """Return the top-level command ``argv`` names, or None (none, an unknown one, or help asked for first)."""
    words = list(argv)
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--lang":  # the only top-level option with a value
            index += 2
            continue
        if word.startswith("-"):
            if word in ("-h", "--help"):
                return None
            index += 1
            continue
        return word if word in COMMANDS else None
    return None


def emit(args: argparse.Namespace, text: str, payload: Any) -> None:
    """Print human text, or JSON when ``--json`` was given."""
    if getattr(args, "json", False):
        print(_json_text(payload))
    else:
        print(printable(text))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    parser = build_parser(list(sys.argv[1:] if argv is None else argv))
    early = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    early.add_argument("--lang", default=None)
    language = early.parse_known_args(argv)[0].lang  # argparse's own errors (--password) in that language too
    if language in ("zh_CN", "en"):  # anything else: the real parser says so
        set_language(language)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse prints usage and exits 2 on bad usage
        return int(stop.code or 0)
    if args.lang:
        set_language(args.lang)
    handler: Handler = args.handler
    try:
        code = handler(args)
    except DomainError as error:
        from app.services.failures import StoreError

        if isinstance(error, StoreError):  # busy, disk full, I/O error, read-only, the file gone: nothing saved
            _say_error(args, str(error.not_saved(t("store.what.command", command=_command_name(args)))))
            return EXIT_REJECTED
        _say_error(args, str(error))
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (``| head``): not an error of ours
        sys.stderr.close()
        return EXIT_OK
    except OSError as error:
        _say_error(args, os_error_text(error))
        return EXIT_USAGE
    except Exception as error:  # SQLite failed outside a unit of work (sync's own connection)?
        from app.services.failures import store_error

        mapped = store_error(error, path=getattr(args, "db", "") or "")
        if mapped is None:
            raise
        _say_error(args, str(mapped.not_saved(t("store.what.command", command=_command_name(args)))))
        return EXIT_REJECTED
    _check_signed_in(args, code)
    return code


def _check_signed_in(args: argparse.Namespace, code: int) -> None:
    """Fail loudly if a command that takes ``--user`` did its work without signing in (a programming error)."""
    from app.cli.signin import SIGNED_IN_FLAG, signs_in

    if code in (EXIT_OK, EXIT_REJECTED) and signs_in(args) and not getattr(args, SIGNED_IN_FLAG, False):
        raise RuntimeError(f"the command '{_command_name(args)}' did not sign in (app.cli.signin.open_signed_in)")


def _command_name(args: argparse.Namespace) -> str:
    """The command as typed, e.g. ``visit add`` (for "... was not saved")."""
    from app.cli.signin import command_name

    return command_name(args)


def _say_error(args: argparse.Namespace, message: str) -> None:
    """Print the error on stderr; with ``--json`` also as ``{"ok": false, "error": ...}`` on stdout for scripts."""
    print(printable(t("cli.error", message=message)), file=sys.stderr)
    if getattr(args, "json", False):
        print(_json_text({"ok": False, "error": message}, indent=None))


say_error = _say_error
"""For handlers that report an error and still choose their exit code (``sync import``: exit 1)."""


def os_error_text(error: OSError) -> str:
    """Say what went wrong with a file in the user's language, naming the file."""
    path = error.filename if error.filename is not None else ""
    if isinstance(error, FileNotFoundError):
        return t("cli.os.missing", path=path)
    if isinstance(error, IsADirectoryError):
        return t("cli.os.folder", path=path)
    if isinstance(error, PermissionError):
        return t("cli.os.denied", path=path)
    return t("cli.os.other", path=path, reason=os_reason(error))
