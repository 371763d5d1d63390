"""Restoring a backup — 恢复: check it completely in a copy, save the current state, put it in place, record it.

The checks and the copy are the store's (:mod:`app.store.restore_check`, :mod:`app.store.backup`); this
module decides whether a backup may replace the database (its center and device), backs up the state
before a restore (``pre-restore``, kept at least :data:`~app.services.admin.backups.SAFETY_DAYS` days)
and records the restore in the audit trail.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.domain.errors import DomainError, os_reason
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.services.admin.backups import BackupFailed, BackupKind, backup_folder, create_backup, prune_backups
from app.services.authz import require
from app.services.output_files import is_database_file
from app.store import cipher, key_wraps, migrations
from app.store.audit import AuditAction
from app.store.backup import integrity_problems, timestamped_name
from app.store.database import Database, open_database
from app.store.errors import DriverError
from app.store.models import AuditEntry
from app.store.private_files import copy_files
from app.store.restore_check import Candidate, CandidateRefused, prepare_candidate, read_identity
from app.store.restore_copy import RESTORE_WAIT_S, TargetBusy, restore_into
from app.store.uow import UnitOfWork

register(
    {
        "backup.not_a_backup": {
            "zh_CN": "{path} 不是可用的医养巡诊备份：{reason}",
            "en": "{path} is not a usable CareRounds backup: {reason}",
        },
        "backup.reason.missing": {"zh_CN": "文件不存在", "en": "the file does not exist"},
        "backup.reason.folder": {"zh_CN": "这是一个文件夹，不是文件", "en": "it is a folder, not a file"},
        "backup.reason.server_archive": {
            "zh_CN": "这是服务器数据库的备份（pg_dump 格式），不能恢复到数据库文件；"
            "请用 --db postgresql://… 恢复到服务器",
            "en": "it is a server database's archive (pg_dump), which cannot be restored into a database file; "
            "restore it onto the server with --db postgresql://…",
        },
        "backup.reason.not_sqlite": {
            "zh_CN": "不是数据库文件，或是用另一个密钥加密的数据库",
            "en": "it is not a database file, or one encrypted with another key",
        },
        "backup.reason.plain_into_encrypted": {
            "zh_CN": "这是未加密的备份，而当前数据库已加密：恢复它会让健康数据变回明文",
            "en": "it is a plain (unencrypted) backup and this database is encrypted: restoring it would leave "
            "the health data in clear",
        },
        "restore.no_room": {
            "zh_CN": "无法在数据库所在的文件夹 {folder} 中准备恢复：{reason}。"
            "备份文件本身没有问题；数据库未作任何更改。",
            "en": "Cannot prepare the restore in the database's folder {folder}: {reason}. The backup itself is "
            "fine; nothing was changed.",
        },
        "backup.reason.damaged": {"zh_CN": "文件已损坏（{detail}）", "en": "the file is damaged ({detail})"},
        "backup.reason.not_ours": {"zh_CN": "不是医养巡诊的数据库", "en": "it is not a CareRounds database"},
        "backup.reason.too_new": {
            "zh_CN": "由更新版本的程序创建（结构版本 {found}）",
            "en": "it was written by a newer version of the app (schema {found})",
        },
        "backup.reason.empty": {"zh_CN": "文件是空的（0 字节）", "en": "the file is empty (0 bytes)"},
        "backup.reason.no_version": {
            "zh_CN": "缺少数据库结构版本",
            "en": "its schema version is missing",
        },
        "backup.reason.unknown_version": {
            "zh_CN": "结构版本 {found} 无法识别",
            "en": "its schema version {found} is unknown",
        },
        "backup.reason.missing_tables": {
            "zh_CN": "缺少数据表：{names}",
            "en": "tables are missing: {names}",
        },
        "backup.reason.missing_columns": {
            "zh_CN": "数据表缺少字段：{names}",
            "en": "columns are missing: {names}",
        },
        "backup.reason.cannot_migrate": {
            "zh_CN": "其结构（版本 {found}）无法升级到本程序的版本 {head}",
            "en": "its schema (version {found}) cannot be upgraded to this version's ({head})",
        },
        "backup.other_center": {
            "zh_CN": "该备份属于另一个中心（{found}），而当前数据库属于“{current}”，因此已拒绝恢复。",
            "en": "This backup belongs to another center ({found}) than this database (“{current}”), so it "
            "was refused.",
        },
        "backup.other_center_same_name": {
            "zh_CN": "该备份属于另一个同名的中心“{name}”（中心编号 {found}，当前数据库的是 {current}），"
            "通常是重新建立过的中心，因此已拒绝恢复。",
            "en": "This backup belongs to another center with the same name, “{name}” (center {found}; this "
            "database's is {current}), usually a center set up anew, so it was refused.",
        },
        "backup.no_center": {
            "zh_CN": "该备份中没有任何中心，而当前数据库属于“{current}”，因此已拒绝恢复。",
            "en": "This backup holds no center, while this database belongs to “{current}”, so it was refused.",
        },
        "backup.no_device": {
            "zh_CN": "该备份没有设备身份（device_state 为空）；恢复后本设备将失去身份，同步会出错，因此已拒绝。",
            "en": "This backup has no device identity (device_state is empty); restoring it would lose this "
            "device's identity and break sync, so it was refused.",
        },
        "backup.same_file": {
            "zh_CN": "不能用数据库文件自身（或它的日志文件）来恢复。",
            "en": "A database cannot be restored from itself (or from its own log files).",
        },
        "backup.other_device": {
            "zh_CN": "该备份来自另一台设备（{found}），而当前数据库属于本设备（{current}）。"
            "恢复后两台设备会使用同一身份，同步将出错，因此已拒绝。",
            "en": "This backup comes from another device ({found}) than this database ({current}); restoring it "
            "would give two devices one identity and break sync, so it was refused.",
        },
        "backup.restore_failed": {
            "zh_CN": "恢复后的数据库未通过完整性检查：{detail}。恢复前的状态已保存在 {safety}。",
            "en": "The restored database failed its integrity check: {detail}. The state before the restore "
            "is in {safety}.",
        },
        "backup.busy": {
            "zh_CN": "另一个窗口或程序正在修改数据库，恢复等待了 {seconds} 秒仍未能进行。"
            "数据库未作任何改变，请稍后再试。",
            "en": "Another window or program is changing the database; the restore waited {seconds} s and was not "
            "made. Nothing was changed; please try again.",
        },
    }
)


class BackupUnusable(DomainError):
    """The chosen file cannot be restored: missing, not a database, damaged, not ours, too new."""


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did."""

    database: Path
    restored_from: Path
    safety_backup: Path | None  # the state before the restore; None if there was no database
    method: str  # "sqlite-backup" or "file-replace"
    upgraded_from: str | None = None


def restore_file(
    database_path: Path,
    backup: Path,
    *,
    folder: Path | None = None,
    now: datetime | None = None,
    actor_id: str | None = None,
    actor_name: str = "",
    credentials: cipher.Credentials | None = None,
) -> RestoreReport:
    """Restore ``database_path`` from ``backup`` (command line, or start-up recovery of a damaged file).

    Nothing in this process may have the database open. The backup is checked completely in a temporary
    copy, migrated there if it is older than this version (:func:`app.store.restore_check.prepare_candidate`);
    the current state is backed up first (``pre-restore``); the restore is recorded in the audit trail,
    under ``actor_id`` / ``actor_name`` (the administrator the command line signed in; none when a
    damaged database was restored without a sign-in).

    Raises:
        BackupUnusable: the backup cannot be restored (nothing was changed).
        BackupFailed: the current state could not be saved first, or the restore failed.
    """
    database_path = Path(database_path)
    if credentials is not None and key_wraps.key_file_path(database_path).is_file():
        cipher.remember(database_path, key_wraps.unwrap(database_path, credentials))  # backups share its key
    report = _restore(database_path, Path(backup), folder=folder, now=now, release=None)
    database, _opened = open_database(
        database_path, backups_dir=folder or backup_folder(database_path), credentials=credentials
    )
    try:
        record_restore(database, report, actor_id=actor_id, actor_name=actor_name)
    finally:
        database.close()
    return report


def restore_backup(
    uow: UnitOfWork, *, backup: Path, folder: Path | None = None, now: datetime | None = None
) -> RestoreReport:
    """Restore the open database from ``backup`` on the signed-in administrator's request.

    Call it on the database thread with no other unit of work open. The backup is checked (and migrated)
    in a temporary copy first; then the engine's connections are closed, the file is restored, and the
    same :class:`~app.store.database.Database` keeps working on the restored content. Accounts may differ
    afterwards: the window should sign out.

    Raises:
        PermissionDenied: the role may not back up and restore.
        BackupUnusable: the backup cannot be restored (nothing was changed).
        BackupFailed: the current state could not be saved first, or the restore failed.
    """
    with uow.reading() as uow:
        actor = require(uow, Action.BACKUP_RESTORE)
    database = uow.database
    report = _restore(database.path, Path(backup), folder=folder, now=now, release=database.engine.dispose)
    database.file_replaced()  # the restore may have put a new file in place: it is this database's now
    record_restore(database, report, actor_id=actor.staff_id, actor_name=actor.name)
    return report


def check_restorable(database_path: Path, backup: Path, workdir: Path) -> Candidate:
    """Check ``backup`` completely in a copy in ``workdir``, and that it may replace ``database_path``.

    The copy is checked and migrated (:func:`~app.store.restore_check.prepare_candidate`); then it must be
    of this database's center (its ``center`` id, which travels with sync, not the ``device_state`` row
    that can be blanked) and of this device. A current database that cannot be read (damaged) is not
    compared: any sound backup may replace it.

    Returns:
        The checked candidate; its ``path`` (in ``workdir``) is what to restore.

    Raises:
        BackupUnusable: the backup cannot replace the database; nothing was changed.
    """
    database_path, backup = Path(database_path), Path(backup)
    if backup.exists() and is_database_file(backup, database_path):
        # recognised with os.stat only: a descriptor of the live file (or of its -shm) opened and closed
        # in this process would release every SQLite lock the process holds on it
        raise BackupUnusable("backup.same_file")
    try:
        candidate = prepare_candidate(backup, workdir)
    except CandidateRefused as refused:
        details = dict(refused.details)
        if refused.reason == "no_room":  # the database's disk, not the backup: said so (a good backup kept)
            raise BackupFailed("restore.no_room", folder=database_path.parent, reason=details["detail"]) from refused
        if refused.reason == "cannot_migrate":
            details["head"] = migrations.head_revision()
        raise BackupUnusable("backup.not_a_backup", path=backup, reason=_reason(refused.reason, **details)) from refused
    known, live_key = cipher.known_key(database_path)
    if known and live_key is not None and not candidate.encrypted:
        # restoring it would leave the health data in clear (and SQLCipher cannot copy it into the key's file)
        raise BackupUnusable("backup.not_a_backup", path=backup, reason=_reason("plain_into_encrypted"))
    current = read_identity(database_path) if database_path.exists() else None
    if current is not None:
        found = candidate.identity
        if current.center_ids and not current.center_ids & found.center_ids:
            if not found.center_ids:
                raise BackupUnusable("backup.no_center", current=current.center_name)
            if found.center_name == current.center_name:  # set up anew: the name alone would not tell them apart
                raise BackupUnusable(
                    "backup.other_center_same_name",
                    name=current.center_name,
                    found=min(found.center_ids)[-8:],  # the random end: a UUIDv7 begins with its time
                    current=min(current.center_ids)[-8:],
                )
            raise BackupUnusable("backup.other_center", found=found.center_name, current=current.center_name)
        if current.device_id and not found.device_id:
            raise BackupUnusable("backup.no_device")
        if current.device_id and found.device_id != current.device_id:
            raise BackupUnusable("backup.other_device", found=found.device_id[:8], current=current.device_id[:8])
    return candidate


def _reason(key: str, **params: object) -> str:
    return t(f"backup.reason.{key}", **params)


def _restore(
    database_path: Path,
    backup: Path,
    *,
    folder: Path | None,
    now: datetime | None,
    release: Callable[[], None] | None,
) -> RestoreReport:
    folder = folder or backup_folder(database_path)
    database_path.parent.mkdir(parents=True, exist_ok=True)
    # the checked copy is made next to the database: the same disk, which must hold the restored file anyway
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=database_path.parent) as work:
        candidate = check_restorable(database_path, backup, Path(work))
        saved: list[Path] = []

        def save_current_state() -> None:
            # called by restore_into once it holds the write lock: nothing committed by another connection
            # while the restore waited is lost, and nothing can be committed between this backup and the restore
            if database_path.exists():
                saved.append(_save_current_state(database_path, folder, now, release))

        if release is not None:
            release()
        try:
            method = restore_into(candidate.path, database_path, before_write=save_current_state)
            problems = integrity_problems(database_path)
        except TargetBusy as error:
            raise BackupFailed("backup.busy", seconds=int(RESTORE_WAIT_S)) from error
        except (DriverError, OSError) as error:
            raise BackupFailed("backup.restore_failed", detail=error, safety=saved[0] if saved else None) from error
        safety = saved[0] if saved else None
    if problems:
        raise BackupFailed("backup.restore_failed", detail="; ".join(problems[:3]), safety=safety)
    prune_backups(database_path, folder=folder, now=now)
    upgraded_from = candidate.revision if candidate.revision != migrations.head_revision() else None
    return RestoreReport(database_path, backup, safety, method, upgraded_from)


def _save_current_state(
    database_path: Path, folder: Path, now: datetime | None, release: Callable[[], None] | None
) -> Path:
    """Back up the database about to be replaced; byte for byte if SQLite cannot read it any more.

    The byte-for-byte copy is made only after this process's connections are released (``release``):
    where no child process can copy (:func:`app.store.backup.can_copy_in_child`) it is made here, and a
    descriptor of the live file closed here would drop their locks.
    """
    try:
        return create_backup(  # under the restore's write lock (restore_into's before_write)
            database_path, folder=folder, label=BackupKind.PRE_RESTORE.value, now=now, prune=False, write_locked=True
        ).path
    except BackupFailed:
        if release is not None:
            release()
        moment = now or datetime.now()
        target = folder / timestamped_name(database_path, f"{BackupKind.PRE_RESTORE.value}-raw", now=moment)
        try:
            return copy_files(database_path, target)
        except OSError as error:
            raise BackupFailed("backup.unreadable", path=database_path, reason=os_reason(error)) from error


def record_restore(database: Database, report: RestoreReport, *, actor_id: str | None, actor_name: str) -> None:
    changes = {
        "backup": [None, report.restored_from.name],
        "safety_backup": [None, report.safety_backup.name if report.safety_backup else None],
    }
    with UnitOfWork(database, actor_id=None) as uow:
        uow.session.add(
            AuditEntry(
                action=AuditAction.DATABASE_RESTORED.value,
                entity="database",
                entity_id=database.device_id,
                staff_id=actor_id,
                staff_name=actor_name,
                changes=json.dumps(changes, ensure_ascii=False),
            )
        )
        uow.commit()
