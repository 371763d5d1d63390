"""Backups — 备份: daily and manual backups with a retention, and integrity checks.

Backups are consistent online copies (:mod:`app.store.backup`: a child process copies the pinned file, or
SQLite's backup API copies it; never a plain ``open()`` of the live file in this process), owner-only, named
``<database stem>-YYYYMMDD-HHMMSS-<kind>.sqlite`` (local time) in the backup folder: the ``backup_dir``
setting, or ``backups/`` next to the database. Kinds: ``daily`` (the first start of each day),
``manual``, ``pre-restore``, ``pre-import`` (before a sync import), ``before-upgrade-<rev>`` (before a
migration, written by :func:`app.store.database.open_database`). Restoring one is
:mod:`app.services.admin.restore`'s job.

Retention (:func:`retention_plan`), applied after every backup made here:

- daily backups: the newest of each of the last :data:`KEEP_DAILY` days that have one, and the newest
  of each of the last :data:`KEEP_WEEKLY` ISO weeks that have one (as restic's
  ``--keep-daily 7 --keep-weekly 4``); other daily backups are deleted;
- every other kind is kept for :data:`SAFETY_DAYS` days whatever happens; after that the newest
  :data:`KEEP_SAFETY` of each kind stay and older ones are deleted;
- files the app did not name this way, other databases' backups and ``--out`` copies are never touched
  (an ``--out`` copy named this way in the backup folder is refused: :func:`check_out_copy`);
  ``.partial`` leftovers of a killed backup are removed after an hour.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from app.domain.errors import DomainError, no_room_to_write, os_reason
from app.domain.i18n import register
from app.domain.permissions import Action
from app.services.authz import require
from app.store.backup import backup_database, integrity_problems, timestamped_name
from app.store.database import backups_dir_for
from app.store.errors import DriverError
from app.store.private_files import PARTIAL_SUFFIX
from app.store.uow import UnitOfWork

log = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
SAFETY_DAYS = 30
KEEP_SAFETY = 3
PARTIAL_MAX_AGE = timedelta(hours=1)

register(
    {
        "backup.no_database": {"zh_CN": "找不到数据库文件 {path}", "en": "There is no database file {path}"},
        "backup.unreadable": {
            "zh_CN": "无法读取数据库 {path}：{reason}",
            "en": "Cannot read the database {path}: {reason}",
        },
        "backup.out_in_backup_folder": {
            "zh_CN": "{path} 在备份文件夹里且名称与软件自己的备份相同，会被备份保留规则删除；"
            "要在那里做一份带日期的备份，请不加 --out 运行 backup，否则请换一个文件名或文件夹",
            "en": "{path} is named like one of the app's own backups in its backup folder, where the retention "
            "would delete it; to make a dated backup there, run backup without --out; otherwise choose "
            "another name or folder",
        },
        "backup.cannot_write": {
            "zh_CN": "无法写入备份 {path}：{reason}",
            "en": "Cannot write the backup {path}: {reason}",
        },
        "backup.damaged": {
            "zh_CN": "数据库 {path} 已损坏：{detail}。请从备份恢复。",
            "en": "The database {path} is damaged: {detail}. Please restore it from a backup.",
        },
    }
)


class BackupFailed(DomainError):
    """A backup or restore could not be made; the message says why."""


class DatabaseDamaged(DomainError):
    """The database failed SQLite's integrity check; offer to restore a backup.

    Attributes:
        report: the :class:`IntegrityReport`.
    """

    def __init__(self, report: IntegrityReport) -> None:
        super().__init__("backup.damaged", path=report.path, detail="; ".join(report.problems[:3]))
        self.report = report


class BackupKind(StrEnum):
    DAILY = "daily"
    MANUAL = "manual"
    PRE_RESTORE = "pre-restore"
    PRE_IMPORT = "pre-import"
    BEFORE_UPGRADE = "before-upgrade"
    OTHER = "other"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file.

    Args:
        path: the file.
        created: when it was made (local time, from its name).
        kind: what made it.
        label: the kind as written in the name (``before-upgrade-0002``...).
        size: bytes.
        weekly: a daily backup kept as its week's backup (beyond the last 7 days).
    """

    path: Path
    created: datetime
    kind: BackupKind
    label: str
    size: int
    weekly: bool = False


@dataclass(frozen=True)
class IntegrityReport:
    path: Path
    ok: bool
    exists: bool
    problems: list[str] = field(default_factory=list)

    def raise_if_damaged(self) -> None:
        """Raise :class:`DatabaseDamaged` unless the file is sound (or does not exist yet)."""
        if not self.ok:
            raise DatabaseDamaged(self)


@dataclass(frozen=True)
class RetentionPlan:
    keep: list[BackupInfo]
    delete: list[BackupInfo]


# --- naming and listing --------------------------------------------------------------------------------


def backup_folder(database_path: Path, configured: str | Path | None = None) -> Path:
    """Return the backup folder: the configured one (``backup_dir`` setting), else ``backups/`` by the database."""
    if configured:
        return Path(configured).expanduser()
    return backups_dir_for(Path(database_path))


def kind_of(label: str) -> BackupKind:
    """Return the kind of backup a name's label says (``before-import-<package>`` is a pre-import one)."""
    if label.startswith(BackupKind.BEFORE_UPGRADE.value):
        return BackupKind.BEFORE_UPGRADE
    if label.startswith(("before-import", BackupKind.PRE_IMPORT.value)):
        return BackupKind.PRE_IMPORT
    if label.startswith(BackupKind.PRE_RESTORE.value):  # pre-restore-raw: a damaged file copied byte for byte
        return BackupKind.PRE_RESTORE
    try:
        return BackupKind(label)
    except ValueError:
        return BackupKind.OTHER


def _name_pattern(database_path: Path, suffix: str = ".sqlite") -> re.Pattern[str]:
    """``suffix``: ``.sqlite`` for a file's backups, ``.dump`` for a server's (:mod:`.server_backups`)."""
    stem = re.escape(Path(database_path).stem)
    ending = re.escape(suffix)
    return re.compile(rf"^{stem}-(?P<day>\d{{8}})-(?P<clock>\d{{6}})-(?P<label>[a-z0-9][a-z0-9_.-]*){ending}$")


def list_backups(database_path: Path, *, folder: Path | None = None, suffix: str = ".sqlite") -> list[BackupInfo]:
    """Return the backups of ``database_path`` in ``folder``, newest first, each marked if kept as weekly."""
    found = _scan(Path(database_path), folder or backup_folder(database_path), suffix)
    weekly = _weekly_keepers(found) - _dailies(found)
    return [BackupInfo(b.path, b.created, b.kind, b.label, b.size, weekly=b.path in weekly) for b in found]


def _scan(database_path: Path, folder: Path, suffix: str = ".sqlite") -> list[BackupInfo]:
    if not folder.is_dir():
        return []
    pattern = _name_pattern(database_path, suffix)
    found = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            created = datetime.strptime(match["day"] + match["clock"], "%Y%m%d%H%M%S")
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(path, created, kind_of(match["label"]), match["label"], size))
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


# --- retention ---------------------------------------------------------------------------------------


def _newest_per_bucket(backups: Sequence[BackupInfo], bucket: Callable[[datetime], object], count: int) -> set[Path]:
    """Return the newest backup of each of the ``count`` newest buckets (``backups`` newest first)."""
    kept: dict[object, Path] = {}
    for backup in backups:
        key = bucket(backup.created)
        if key not in kept:
            if len(kept) == count:
                break
            kept[key] = backup.path
    return set(kept.values())


def _dailies(backups: Sequence[BackupInfo]) -> set[Path]:
    daily = [b for b in backups if b.kind is BackupKind.DAILY]
    return _newest_per_bucket(daily, lambda moment: moment.date(), KEEP_DAILY)


def _weekly_keepers(backups: Sequence[BackupInfo]) -> set[Path]:
    daily = [b for b in backups if b.kind is BackupKind.DAILY]
    return _newest_per_bucket(daily, lambda moment: moment.isocalendar()[:2], KEEP_WEEKLY)


def retention_plan(backups: Sequence[BackupInfo], *, now: datetime) -> RetentionPlan:
    """Decide which backups to keep and which to delete (see the module's docstring).

    Args:
        backups: one database's backups, in any order.
        now: the current local time.
    """
    ordered = sorted(backups, key=lambda b: (b.created, b.path.name), reverse=True)
    keep = _dailies(ordered) | _weekly_keepers(ordered)
    by_kind: dict[str, list[BackupInfo]] = {}
    for backup in ordered:
        if backup.kind is not BackupKind.DAILY:
            by_kind.setdefault(backup.kind.value, []).append(backup)
    for same_kind in by_kind.values():
        for rank, backup in enumerate(same_kind):
            if rank < KEEP_SAFETY or now - backup.created < timedelta(days=SAFETY_DAYS):
                keep.add(backup.path)
    return RetentionPlan(
        keep=[b for b in ordered if b.path in keep],
        delete=[b for b in ordered if b.path not in keep],
    )


def prune_backups(
    database_path: Path, *, folder: Path | None = None, now: datetime | None = None, suffix: str = ".sqlite"
) -> list[Path]:
    """Delete the backups the retention does not keep, and stale ``.partial`` files; return what was deleted."""
    folder = folder or backup_folder(database_path)
    now = now or datetime.now()
    deleted = []
    for backup in retention_plan(_scan(Path(database_path), folder, suffix), now=now).delete:
        try:
            backup.path.unlink()
            deleted.append(backup.path)
            backup.path.with_name(backup.path.name + "-wal").unlink(missing_ok=True)  # of a byte-for-byte copy
            backup.path.with_name(backup.path.name + ".keys").unlink(missing_ok=True)  # of an encrypted one
        except OSError as error:
            log.warning("cannot delete old backup %s: %s", backup.path, error)
    stem = Path(database_path).stem
    if folder.is_dir():
        for partial in folder.glob(f"{glob_escape(stem)}-*{PARTIAL_SUFFIX}"):
            try:
                if now.timestamp() - partial.stat().st_mtime > PARTIAL_MAX_AGE.total_seconds():
                    partial.unlink()
                    deleted.append(partial)
            except OSError:
                continue
    return deleted


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


# --- making backups ------------------------------------------------------------------------------------


def create_backup(
    database_path: Path,
    *,
    folder: Path | None = None,
    label: str = BackupKind.MANUAL.value,
    now: datetime | None = None,
    verify: bool = False,
    prune: bool = True,
    write_locked: bool = False,
) -> BackupInfo:
    """Back up ``database_path`` into the backup folder, then apply the retention.

    For the command line and start-up; the window calls :func:`backup_now`, which checks the role.

    Args:
        label: the kind written into the name (``manual``, ``daily``, ``pre-import``, ...).
        verify: run SQLite's integrity check on the copy.
        prune: apply the retention afterwards (never deleting the copy just made).
        write_locked: a connection of the caller's holds the database's write lock (the backup before a
            restore); see :func:`app.store.backup.start_backup`.

    Raises:
        BackupFailed: no such database, it cannot be read, the copy is damaged or cannot be written.
    """
    database_path = Path(database_path)
    folder = folder or backup_folder(database_path)
    now = now or datetime.now()
    destination = folder / timestamped_name(database_path, label, now=now)
    # two backups within a second (two windows started together: their daily backups): the second a second later
    while destination.exists() or destination.with_name(destination.name + PARTIAL_SUFFIX).exists():
        now += timedelta(seconds=1)
        destination = folder / timestamped_name(database_path, label, now=now)
    info = backup_to_file(
        database_path, destination, verify=verify, label=label, created=now, write_locked=write_locked
    )
    if prune:
        prune_backups(database_path, folder=folder, now=now)
    return info


def check_out_copy(database_path: Path, destination: Path, *, folder: Path | None = None) -> Path:
    """Refuse a ``backup --out`` copy the retention would take for one of the app's own backups.

    ``--out`` copies are never deleted; the retention only looks at names ``<stem>-YYYYMMDD-HHMMSS-<kind>
    .sqlite`` in the backup folder. Such a name in ``folder`` (the ``backup_dir`` setting) or in the
    default ``backups/`` next to the database is refused (any other name there, or that name elsewhere,
    is an ordinary ``--out`` copy). Returns ``destination`` unchanged.

    Raises:
        OutputRefused: the name and folder are the retention's; the message suggests plain ``backup``.
    """
    from app.services.output_files import OutputRefused

    destination = Path(destination)
    if not _name_pattern(database_path).match(destination.name):
        return destination
    place = _resolved_folder(destination.parent)
    folders = {_resolved_folder(backup_folder(database_path, folder)), _resolved_folder(backup_folder(database_path))}
    if place in folders:
        raise OutputRefused("backup.out_in_backup_folder", path=destination)
    return destination


def _resolved_folder(folder: Path) -> Path:
    try:
        return Path(folder).expanduser().resolve()
    except (OSError, RuntimeError):  # a symbolic link loop
        return Path(folder).expanduser().absolute()


def _about_the_database(error: OSError, database_path: Path) -> bool:
    """Whether a failed copy failed on the database's side (its file, journal or keys), not the backup's.

    A full, read-only or pulled stick is the backup's, and so is a failure the copying child reports without a
    file name (it is nearly always the place written to); a backup folder that cannot be made (a file of its
    name on the stick) is the backup's wherever it is, even named like the database (``center.sqlite-backups``).
    """
    if error.filename is None or no_room_to_write(error):
        return False
    failed = Path(error.filename)
    own = {database_path.name + suffix for suffix in ("", "-wal", "-shm", "-journal", ".keys")}
    return failed.parent == database_path.parent and failed.name in own


def backup_to_file(
    database_path: Path,
    destination: Path,
    *,
    verify: bool = False,
    label: str = BackupKind.MANUAL.value,
    created: datetime | None = None,
    write_locked: bool = False,
) -> BackupInfo:
    """Back up ``database_path`` to exactly ``destination`` (``backup --out``), replacing that file.

    Raises:
        BackupFailed: no such database, it cannot be read, the copy is damaged or cannot be written.
    """
    database_path = Path(database_path)
    if not database_path.is_file():
        raise BackupFailed("backup.no_database", path=database_path)
    try:
        backup_database(database_path, Path(destination), write_locked=write_locked)
        problems = integrity_problems(Path(destination)) if verify else []
    except DriverError as error:
        raise BackupFailed("backup.unreadable", path=database_path, reason=error) from error
    except OSError as error:
        if _about_the_database(error, database_path):
            raise BackupFailed("backup.unreadable", path=database_path, reason=os_reason(error)) from error
        raise BackupFailed("backup.cannot_write", path=destination, reason=os_reason(error)) from error
    if problems:
        raise BackupFailed("backup.unreadable", path=database_path, reason="; ".join(problems[:3]))
    return BackupInfo(
        Path(destination), created or datetime.now(), kind_of(label), label, Path(destination).stat().st_size
    )


def daily_backup_if_due(
    database_path: Path, *, folder: Path | None = None, now: datetime | None = None
) -> BackupInfo | None:
    """Make today's daily backup unless there is one already (call at every start); None if not due.

    Raises:
        BackupFailed: the backup could not be made (the caller logs it and carries on).
    """
    database_path = Path(database_path)
    now = now or datetime.now()
    if not database_path.is_file():
        return None
    folder = folder or backup_folder(database_path)
    if any(b.kind is BackupKind.DAILY and b.created.date() == now.date() for b in _scan(database_path, folder)):
        return None
    return create_backup(database_path, folder=folder, label=BackupKind.DAILY.value, now=now)


def safety_backup(
    database_path: Path, *, label: str = BackupKind.PRE_IMPORT.value, folder: Path | None = None
) -> BackupInfo:
    """Back up before a risky change (``pre-import`` before a sync import); kept at least 30 days.

    Raises:
        BackupFailed: the backup could not be made; the risky change should not go ahead.
    """
    return create_backup(database_path, folder=folder, label=label)


def backup_now(uow: UnitOfWork, *, folder: Path | None = None) -> BackupInfo:
    """Back up the open database now, on the signed-in administrator's request.

    Raises:
        PermissionDenied: the role may not back up and restore.
        BackupFailed: the backup could not be made.
    """
    with uow.reading() as uow:
        require(uow, Action.BACKUP_RESTORE)
    return create_backup(uow.database.path, folder=folder, verify=True)


# --- checking ------------------------------------------------------------------------------------------


def check_integrity(path: Path, *, quick: bool = False) -> IntegrityReport:
    """Run SQLite's integrity check on the database file (a missing file is fine: it will be created).

    Uses its own connection, so it may run on any thread while the app works (WAL readers do not block).
    The full check reads every page and index: about 3.6 s for 300 MB (20 000 residents) on the
    development machine; ``quick`` (SQLite's quick check: no index-versus-table cross-check) about 0.9 s.
    """
    path = Path(path)
    if not path.exists():
        return IntegrityReport(path, ok=True, exists=False)
    try:
        problems = integrity_problems(path, quick=quick)
    except DriverError as error:
        problems = [str(error)]
    return IntegrityReport(path, ok=not problems, exists=True, problems=problems)
