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
        "cli.backup.server_done": {
            "zh_CN": "已用 pg_dump 将 {db} 备份到 {file}（{size}；已在临时数据库中试恢复并检查通过，"
            "结构版本 {revision}）。",
            "en": "Backed up {db} to {file} with pg_dump ({size}; a trial restore into a scratch database passed its "
            "checks, schema {revision}).",
        },
        "cli.backup.listed": {
            "zh_CN": "{path}  {kind}  {size}{weekly}",
            "en": "{path}  {kind}  {size}{weekly}",
        },
        "cli.backup.weekly": {"zh_CN": "（每周保留）", "en": " (kept as the week's)"},
        "cli.backup.none": {"zh_CN": "{folder} 中还没有备份。", "en": "No backups in {folder} yet."},
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
    backup.add_argument("--list", action="store_true", help="list the backups in the backup folder, newest first")
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser("restore", help="restore the database from a backup (backs up the current state)")
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    add_common(restore)
    restore.set_defaults(handler=_restore)


def _folder(db: Path) -> Path:
    from app.services.admin.backups import backup_folder
    from app.settings import Settings

    if is_server_url(db):  # a server's: the backup_dir setting, else this computer's user data (docs/postgresql.md)
        from app.services.admin.server_backups import server_backup_folder
        from app.settings import default_database_path

        return server_backup_folder(db, default_database_path().parent, Settings().get("backup_dir"))  # type: ignore[arg-type]
    return backup_folder(db, Settings().get("backup_dir"))


def is_server_url(db: object) -> bool:
    from app.store.engines import is_server_url as server

    return server(db)


def _backup(args: argparse.Namespace) -> int:
    from app.services.admin.backups import backup_to_file, check_out_copy, create_backup

    if args.list:
        return _list(args)
    if is_server_url(args.db):
        return _backup_server(args)
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


def _backup_server(args: argparse.Namespace) -> int:
    """``backup --db postgresql://…``: a pg_dump archive checked by a trial restore (services.admin.server_backups)."""
    from app.services.admin.server_backups import create_server_backup
    from app.store.pg_backup import tool

    tool("pg_dump"), tool("pg_restore")  # the missing one named before anybody signs in
    if args.out is not None:
        check_out(args.out, kind="backup", db=None, force=args.force)
    signed_in_person(args, Action.BACKUP_RESTORE)
    made = create_server_backup(args.db, folder=_folder(args.db), destination=args.out, prune=args.out is None)
    info, shown = made.info, args.db.shown
    emit(
        args,
        t("cli.backup.server_done", db=shown, file=info.path, size=human_size(info.size), revision=made.revision),
        {"db": shown, "backup": str(info.path), "bytes": info.size, "kind": info.kind.value, "restore_check": "ok",
         "revision": made.revision},
    )  # fmt: skip
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    """``backup --list``: the backups the retention keeps for this database, newest first."""
    from app.services.admin.backups import list_backups

    signed_in_person(args, Action.BACKUP_RESTORE)
    folder = _folder(args.db)
    if is_server_url(args.db):
        from app.services.admin.server_backups import list_server_backups

        found = list_server_backups(args.db, folder)
    else:
        found = list_backups(args.db, folder=folder)
    weekly = t("cli.backup.weekly")
    lines = [
        t("cli.backup.listed", path=b.path, kind=b.label, size=human_size(b.size), weekly=weekly if b.weekly else "")
        for b in found
    ]
    emit(
        args,
        "\n".join(lines) or t("cli.backup.none", folder=folder),
        [{"path": str(b.path), "kind": b.label, "created": b.created.isoformat(), "bytes": b.size,
          "weekly": b.weekly} for b in found],
    )  # fmt: skip
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    import sys

    from app.services.admin.restore import restore_file
    from app.store.errors import DatabaseDamaged
    from app.store.migrations import DatabaseMissing, DatabaseUnreadable

    if is_server_url(args.db):
        return _restore_server(args)

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


def _restore_server(args: argparse.Namespace) -> int:
    """``restore ARCHIVE --db postgresql://…``: checked, the current state archived first, pg_restore in one go."""
    from app.bootstrap import open_context
    from app.services.admin.server_backups import restore_server_backup
    from app.store.pg_backup import tool

    tool("pg_dump"), tool("pg_restore")
    person = signed_in_person(args, Action.BACKUP_RESTORE)
    context = open_context(args.db, create=False)
    try:
        report = restore_server_backup(
            context.database, args.db, args.file, folder=_folder(args.db), actor_id=person.staff_id,
            actor_name=person.name,
        )  # fmt: skip
    finally:
        context.close()
    shown = args.db.shown
    lines = [t("cli.restore.done", db=shown, file=args.file), t("cli.restore.safety", file=report.safety_backup)]
    emit(
        args,
        "\n".join(lines),
        {"db": shown, "restored_from": str(report.restored_from), "safety_backup": str(report.safety_backup),
         "method": report.method, "upgraded_from": None},
    )  # fmt: skip
    return EXIT_OK


def human_size(size: int) -> str:
    """Return a byte count as ``812 KB`` / ``12.3 MB``."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
