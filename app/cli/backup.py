"""``backup`` and ``restore``: consistent online backups of the database, and restoring one.

Both sign in as an administrator (``BACKUP_RESTORE``), like the window's backup dialog. A database that
SQLite finds damaged or cannot read, or that is gone, cannot check anybody's password: ``restore`` then
goes on without a sign-in, like the window's recovery mode, says so, and keeps the damaged file as the
``pre-restore`` copy. A file that is not a CareRounds database at all is refused (as opening it is).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, add_common, add_force, check_out, emit, printable
from app.cli.signin import signed_in_person, signing_in_skipped
from app.domain.i18n import register, t
from app.domain.permissions import Action

register(
    {
        "cli.backup.done": {
            "zh_CN": "已将 {db} 备份到 {file}（{size}，完整性检查通过）。",
            "en": "Backed up {db} to {file} ({size}, integrity check passed).",
        },
        "cli.restore.done": {"zh_CN": "已从 {file} 恢复 {db}。", "en": "Restored {db} from {file}."},
        "cli.restore.safety": {
            "zh_CN": "恢复前的状态已保存到 {file}。",
            "en": "The state before the restore is saved in {file}.",
        },
        "cli.restore.unsigned": {
            "zh_CN": "无法读取当前数据库（{reason}），无法核对任何人的密码：按恢复模式不登录恢复，"
            "损坏的文件保存为恢复前的备份。",
            "en": "The current database cannot be read ({reason}), so nobody's password can be checked: restoring "
            "without a sign-in (recovery), the damaged file kept as the pre-restore backup.",
        },
        "cli.restore.upgraded": {
            "zh_CN": "备份来自旧版本（结构版本 {revision}），已升级。",
            "en": "The backup was from an older version (schema {revision}) and was upgraded.",
        },
    }
)


def add_commands(commands: Any) -> None:
    backup = commands.add_parser("backup", help="consistent online backup of the database")
    add_common(backup)
    backup.add_argument(
        "--out",
        type=Path,
        default=None,
        help="backup file to write (default: a dated file in the backup folder); never the database "
        "or any existing database or backup",
    )
    add_force(backup, "an existing backup or database is never replaced, even with it")
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser("restore", help="restore the database from a backup (backs up the current state)")
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    add_common(restore)
    restore.set_defaults(handler=_restore)


def _folder(db: Path) -> Path:
    from app.services.admin.backups import backup_folder
    from app.settings import Settings

    return backup_folder(db, Settings().get("backup_dir"))


def _backup(args: argparse.Namespace) -> int:
    from app.services.admin.backups import backup_to_file, check_out_copy, create_backup
    from app.store.engines import refuse_server

    refuse_server(args.db, "backup")  # a server center is backed up by pg_dump (docs/postgresql.md)
    if args.out is not None:
        check_out(args.out, kind="backup", db=args.db, force=args.force)
        check_out_copy(args.db, args.out, folder=_folder(args.db))
    signed_in_person(args, Action.BACKUP_RESTORE)
    if args.out is not None:
        info = backup_to_file(args.db, args.out, verify=True)
    else:
        info = create_backup(args.db, folder=_folder(args.db), verify=True)
    emit(
        args,
        t("cli.backup.done", db=args.db, file=info.path, size=human_size(info.size)),
        {"db": str(args.db), "backup": str(info.path), "bytes": info.size, "kind": info.kind.value, "integrity": "ok"},
    )
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    import sys

    from app.services.admin.restore import restore_file
    from app.store.engines import refuse_server
    from app.store.errors import DatabaseDamaged
    from app.store.migrations import DatabaseMissing, DatabaseUnreadable

    refuse_server(args.db, "backup")  # pg_restore's job on a server (docs/postgresql.md)

    try:
        person = signed_in_person(args, Action.BACKUP_RESTORE)
        actor_id, actor_name = person.staff_id, person.name
    except (DatabaseDamaged, DatabaseUnreadable, DatabaseMissing) as unreadable:  # nothing can check a password
        signing_in_skipped(args)
        actor_id, actor_name = None, ""
        print(printable(t("cli.restore.unsigned", reason=unreadable)), file=sys.stderr)
    report = restore_file(args.db, args.file, folder=_folder(args.db), actor_id=actor_id, actor_name=actor_name)
    lines = [t("cli.restore.done", db=args.db, file=args.file)]
    if report.safety_backup is not None:
        lines.append(t("cli.restore.safety", file=report.safety_backup))
    if report.upgraded_from:
        lines.append(t("cli.restore.upgraded", revision=report.upgraded_from))
    emit(
        args,
        "\n".join(lines),
        {
            "db": str(args.db),
            "restored_from": str(report.restored_from),
            "safety_backup": str(report.safety_backup) if report.safety_backup else None,
            "method": report.method,
            "upgraded_from": report.upgraded_from,
        },
    )
    return EXIT_OK


def human_size(size: int) -> str:
    """Return a byte count as ``812 KB`` / ``12.3 MB``."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
