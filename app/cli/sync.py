"""``sync export`` and ``sync import``: sync packages between the devices of a center (DESIGN §6)."""

from __future__ import annotations

import argparse
import os
import unicodedata
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, EXIT_REJECTED, add_common, add_force, check_out, emit
from app.cli.signin import open_signed_in
from app.domain.i18n import register, t
from app.domain.permissions import Action

PASSPHRASE_ENV = "CARE_SYNC_PASSPHRASE"
MAX_PASSPHRASE_FILE_BYTES = 1024
"""A passphrase file holds one line; a larger file is not one (and is not read whole)."""

register(
    {
        "cli.sync.exported": {
            "zh_CN": "已导出并校验：{path}（{kind}，{rows} 条记录，{size} KB）。可以拔出U盘。",
            "en": "Exported and verified: {path} ({kind}, {rows} records, {size} KB). Safe to unplug.",
        },
        "cli.sync.kind_full": {"zh_CN": "全量", "en": "full"},
        "cli.sync.kind_incremental": {"zh_CN": "增量", "en": "incremental"},
        "cli.sync.tables": {"zh_CN": "  {table}：{n}", "en": "  {table}: {n}"},
        "cli.sync.already": {
            "zh_CN": "该文件已导入过（{package}），数据库未改变。",
            "en": "Already imported ({package}); the database is unchanged.",
        },
        "cli.sync.imported": {
            "zh_CN": "已导入 {source} 的同步文件：新增 {new}，更新 {updated}，冲突 {conflicts}，"
            "疑似重复居民 {duplicates}。",
            "en": "Imported the file from {source}: {new} new, {updated} updated, {conflicts} conflicts, "
            "{duplicates} possible duplicate residents.",
        },
        "cli.sync.rejected": {
            "zh_CN": "{n} 条记录引用了本机尚未收到的记录，暂未导入；对方下次导出时会再带上。",
            "en": "{n} records refer to records this device has not received yet and were left out; "
            "the sender's next file carries them again.",
        },
        "cli.sync.review": {
            "zh_CN": "请在“同步冲突”页面查看冲突和疑似重复的居民。",
            "en": "Review the conflicts and possible duplicates on the Conflicts page.",
        },
        "cli.passphrase.too_large": {
            "zh_CN": "口令文件 {path} 超过 {limit} 字节，不像口令文件（只应写一行口令）",
            "en": "the passphrase file {path} is larger than {limit} bytes; it should hold the passphrase on one line",
        },
        "cli.passphrase.not_text": {
            "zh_CN": "口令文件 {path} 不是 UTF-8 文本（只应写一行口令）",
            "en": "the passphrase file {path} is not UTF-8 text; it should hold the passphrase on one line",
        },
        "cli.passphrase.not_one_line": {
            "zh_CN": "口令文件 {path} 含有控制字符或多于一行（只应写一行口令）",
            "en": "the passphrase file {path} holds a control character or more than one line; it should hold "
            "the passphrase on one line",
        },
        "cli.sync.backup": {"zh_CN": "导入前的备份：{path}", "en": "Backup taken before the import: {path}"},
        "cli.sync.backup_lost": {
            "zh_CN": "导入已完成，但导入前的备份未能保存（{path}）。数据库不受影响；每日备份仍在。",
            "en": "The import is done, but the backup taken before it could not be saved ({path}). "
            "The database is not affected; the daily backups remain.",
        },
    }
)


def add_commands(commands: Any) -> None:
    sync = commands.add_parser("sync", help="exchange sync files with the other devices of the center")
    actions = sync.add_subparsers(dest="action", required=True, metavar="ACTION")

    export = actions.add_parser("export", help="write a sync file of the changes others have not acknowledged")
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.crsync",
        help="file or folder to write (never the database; see --force)",
    )
    add_common(export)
    export.add_argument("--full", action="store_true", help="carry every record, not only the changes")
    add_force(export, "an older sync file of this center is replaced without it")
    export.set_defaults(handler=_export)

    do_import = actions.add_parser("import", help="import a sync file from another device")
    do_import.add_argument("file", type=Path, metavar="FILE.crsync")
    add_common(do_import)
    do_import.set_defaults(handler=_import)


def read_passphrase(args: argparse.Namespace) -> str:
    """Return the passphrase from ``--passphrase-file`` or ``CARE_SYNC_PASSPHRASE`` (never the command line).

    Raises:
        PackageRefused: neither is given.
        DomainError: the file is larger than :data:`MAX_PASSPHRASE_FILE_BYTES` or not UTF-8 text.
        OSError: the file cannot be read.
    """
    from app.sync.errors import PackageRefused

    file: Path | None = getattr(args, "passphrase_file", None)
    if file is not None:
        return _passphrase_from(file)
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    raise PackageRefused("sync.passphrase_required")


def _passphrase_from(file: Path) -> str:
    """Return the first line of a passphrase file (UTF-8, a BOM and the line end dropped)."""
    from app.domain.errors import DomainError

    with open(file, "rb") as handle:
        data = handle.read(MAX_PASSPHRASE_FILE_BYTES + 1)
    if len(data) > MAX_PASSPHRASE_FILE_BYTES:
        raise DomainError("cli.passphrase.too_large", path=file, limit=MAX_PASSPHRASE_FILE_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("cli.passphrase.not_text", path=file) from None
    text = text.rstrip("\r\n")
    if any(unicodedata.category(char) == "Cc" for char in text):  # NUL, ESC, a second line...
        raise DomainError("cli.passphrase.not_one_line", path=file)
    return text


def _export(args: argparse.Namespace) -> int:
    from app.services.sync.exchange import export_package

    check_out(args.out, kind="sync", db=args.db, force=args.force, folder_ok=True)
    context = open_signed_in(args, Action.SYNC)
    try:
        summary = export_package(context.uow(), out=args.out, full=args.full, force=args.force, force_hint=True)
    finally:
        context.close()
    kind = t("cli.sync.kind_full") if summary.full else t("cli.sync.kind_incremental")
    lines = [
        t("cli.sync.exported", path=summary.path, kind=kind, rows=summary.total, size=max(1, summary.size // 1024))
    ]
    lines += [t("cli.sync.tables", table=name, n=n) for name, n in summary.counts.items()]
    emit(
        args,
        "\n".join(lines),
        {
            "path": str(summary.path),
            "package_id": summary.package_id,
            "full": summary.full,
            "counts": summary.counts,
            "bytes": summary.size,
            "verified": True,
        },
    )
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from app.cli.main import say_error
    from app.services.sync.apply import AuditHistoryRefused
    from app.services.sync.exchange import import_package
    from app.store.backup import wait_for_pending_backups

    context = open_signed_in(args, Action.SYNC)
    try:
        summary = import_package(context.uow(), path=args.file)
    except AuditHistoryRefused as refused:  # a valid package whose content is refused: exit 1, like rejected rows
        say_error(args, str(refused))
        return EXIT_REJECTED
    finally:
        context.close()
        wait_for_pending_backups()  # the backup is flushed and renamed after the commit: say so only once it is
    backup_saved = summary.backup is not None and summary.backup.is_file()
    payload = {
        "package_id": summary.package_id,
        "source_device": summary.source_device,
        "source_name": summary.source_name,
        "already_imported": summary.already_imported,
        "new": summary.new,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "conflicts": summary.conflicts,
        "duplicates": summary.duplicates,
        "rejected": summary.rejected,
        "complete": summary.complete,
        "tables": summary.tables,
        "backup": str(summary.backup) if backup_saved else None,
    }
    if summary.already_imported:
        emit(args, t("cli.sync.already", package=summary.package_id), payload)
        return EXIT_OK
    source = summary.source_name or summary.source_device[:8]
    lines = [
        t(
            "cli.sync.imported",
            source=source,
            new=summary.new,
            updated=summary.updated,
            conflicts=summary.conflicts,
            duplicates=summary.duplicates,
        )
    ]
    lines += [t("cli.sync.tables", table=name, n=f"+{c['new']} ~{c['updated']}") for name, c in summary.tables.items()]
    if summary.rejected:
        lines.append(t("cli.sync.rejected", n=summary.rejected))
    if summary.conflicts or summary.duplicates:
        lines.append(t("cli.sync.review"))
    if backup_saved:
        lines.append(t("cli.sync.backup", path=summary.backup))
    elif summary.backup is not None:
        lines.append(t("cli.sync.backup_lost", path=summary.backup))
    emit(args, "\n".join(lines), payload)
    return EXIT_REJECTED if summary.rejected else EXIT_OK
