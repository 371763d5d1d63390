"""Backups of a center on a PostgreSQL server — 服务器数据库备份: ``pg_dump`` archives with the files' retention (#20).

A server center's backups are ``pg_dump -Fc`` archives (:mod:`app.store.pg_backup`), named like a file's backups
with the database's name as the stem and ``.dump`` as the ending (``carerounds-20261206-143000-manual.dump``) and
kept by the same retention (:func:`app.services.admin.backups.retention_plan`: 7 daily, 4 weekly, the other kinds
30 days and at least 3 of each). They go to the ``backup_dir`` setting, else to a folder of this computer's
user data named after the server and database (a workstation has no database file to put them beside).
The window makes a ``daily`` archive at the first start of each day (:func:`daily_server_backup_if_due`), as a
file's window does; ``backup --db postgresql://…`` makes ``manual`` ones.

Every archive is checked when it is made, and again before it is restored: ``pg_restore --list``, then a
restore into a scratch database of the same server with the checks a file backup gets (schema revision, every
table and column, the identity rows, an upgrade to the newest schema). A restore replaces the database's
content in one transaction (``pg_restore --clean --single-transaction``) after a ``pre-restore`` archive of
the current state, and is recorded in the audit trail, as a file's restore is.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.domain.i18n import register, t
from app.services.admin.backups import BackupInfo, BackupKind, kind_of, list_backups, prune_backups
from app.services.admin.restore import BackupUnusable, RestoreReport, record_restore
from app.store import migrations
from app.store.backup import timestamped_name
from app.store.database import Database
from app.store.engines import ServerURL
from app.store.pg_backup import DUMP_SUFFIX, ArchiveCheck, check_archive, dump, restore_into, tool
from app.store.restore_check import CandidateRefused

register(
    {
        "server_backup.other_center": {
            "zh_CN": "该备份属于另一个中心或另一个服务器数据库（设备 {found}），当前数据库是设备 {current}，已拒绝。",
            "en": "This backup is of another center or server database (device {found}) than this one (device "
            "{current}); it was refused.",
        },
    }
)


@dataclass(frozen=True)
class ServerBackup:
    """A backup made: the archive, and the schema revision its restore check found."""

    info: BackupInfo
    revision: str


def backup_stem(url: ServerURL) -> Path:
    """A stand-in "database path" whose stem is the database's name: the backups' names start with it."""
    name = str(url.sqlalchemy_url.database or "carerounds")
    return Path(re.sub(r"[^A-Za-z0-9_.-]", "_", name) + DUMP_SUFFIX)


def server_backup_folder(url: str, data_dir: Path, configured: str | Path | None = None) -> Path:
    """The ``backup_dir`` setting, else ``<data_dir>/server-backups/<host>-<port>-<database>``."""
    if configured:
        return Path(configured).expanduser()
    parsed = _server(url).sqlalchemy_url
    host = parsed.host or parsed.query.get("host") or "local"
    place = f"{host}-{parsed.port or 5432}-{parsed.database}"
    return Path(data_dir) / "server-backups" / re.sub(r"[^A-Za-z0-9_.-]", "_", str(place)).strip("_")


def list_server_backups(url: ServerURL, folder: Path) -> list[BackupInfo]:
    """The archives of the database at ``url`` in ``folder``, newest first (weekly keepers marked)."""
    return list_backups(backup_stem(url), folder=folder, suffix=DUMP_SUFFIX)


def create_server_backup(
    url: ServerURL,
    *,
    folder: Path,
    label: str = BackupKind.MANUAL.value,
    now: datetime | None = None,
    destination: Path | None = None,
    check: bool = True,
    prune: bool = True,
) -> ServerBackup:
    """Archive the database at ``url`` with ``pg_dump`` into ``folder`` (or exactly ``destination``), check it by
    a restore into a scratch database, then apply the retention.

    Raises:
        ToolMissing: pg_dump or pg_restore is not installed (the message names it).
        ToolFailed: the tool failed (the server's own reason).
        BackupUnusable: the archive does not pass its restore check (it is removed).
        CheckRefused: the server refused the check's scratch database (the archive stays, unchecked).
    """
    stem = backup_stem(url)
    now = now or datetime.now()
    if destination is None:
        destination = folder / _name(stem, label, now)
        while destination.exists():  # two backups within a second: the second one a second later
            now += timedelta(seconds=1)
            destination = folder / _name(stem, label, now)
    dump(url, destination)
    revision = migrations.head_revision()
    try:
        if check:
            try:
                revision = check_server_archive(url, destination).revision
            except BackupUnusable:
                destination.unlink(missing_ok=True)
                raise
    finally:  # an archive whose check could not run (no CREATEDB) stays, unchecked: the retention still applies
        if prune:
            prune_backups(stem, folder=folder, now=now, suffix=DUMP_SUFFIX)
    info = BackupInfo(destination, now, kind_of(label), label, destination.stat().st_size)
    return ServerBackup(info, revision)


def daily_server_backup_if_due(url: str, folder: Path, *, now: datetime | None = None) -> ServerBackup | None:
    """Make today's ``daily`` archive of the database at ``url`` in ``folder`` unless one is there already.

    Called by the window on a server after sign-in, at every start: the first start of each day makes it (checked
    by a trial restore, the retention applied), the others return None. Several workstations share a server: those
    whose ``backup_dir`` is the same folder make one archive a day between them; each other one keeps its own in
    its user data (:func:`server_backup_folder`).

    Raises:
        ToolMissing: pg_dump or pg_restore is not installed (named before anything is written).
        ToolFailed: the tool failed (the server refused, the disk is full…).
        BackupUnusable: the archive does not pass its restore check (it is removed).
        CheckRefused: the server refused the check's scratch database (the archive stays as the day's, unchecked).
    """
    server = _server(url)
    now = now or datetime.now()
    made = list_server_backups(server, Path(folder))
    if any(b.kind is BackupKind.DAILY and b.created.date() == now.date() for b in made):
        return None
    tool("pg_dump"), tool("pg_restore")  # the missing one named before a dump is left unchecked
    return create_server_backup(server, folder=Path(folder), label=BackupKind.DAILY.value, now=now)


def _server(url: str) -> ServerURL:
    return url if isinstance(url, ServerURL) else ServerURL(url)


def _name(stem: Path, label: str, now: datetime) -> str:
    """``carerounds-20261206-143000-manual.dump``: a file backup's name with the archive's ending."""
    return timestamped_name(stem, label, now=now).removesuffix(".sqlite") + DUMP_SUFFIX


def check_server_archive(url: ServerURL, archive: Path) -> ArchiveCheck:
    """Check ``archive`` by restoring it into a scratch database of the server: its schema revision and device.

    Raises:
        BackupUnusable: not an archive of a CareRounds center this version can use (the reason said).
        ToolMissing, ToolFailed: pg_restore is missing or failed.
        CheckRefused: the server refused the scratch database.
    """
    with tempfile.TemporaryDirectory(prefix="carerounds-check-") as workdir:
        try:
            return check_archive(Path(archive), url, Path(workdir))
        except CandidateRefused as refused:
            details = dict(refused.details)
            if refused.reason == "cannot_migrate":
                details["head"] = migrations.head_revision()
            reason = t(f"backup.reason.{refused.reason}", **details)
            raise BackupUnusable("backup.not_a_backup", path=archive, reason=reason) from refused


def restore_server_backup(
    database: Database,
    url: ServerURL,
    archive: Path,
    *,
    folder: Path,
    actor_id: str | None,
    actor_name: str,
    now: datetime | None = None,
) -> RestoreReport:
    """Replace the content of the open server ``database`` (at ``url``) with ``archive``'s, after checking it and
    archiving the current state (``pre-restore``); recorded in the audit trail.

    Raises:
        BackupUnusable: the archive fails its check or belongs to another server database (nothing changed).
        ToolMissing, ToolFailed: a tool is missing or failed (the current state is in the pre-restore archive).
    """
    archive = Path(archive)
    found = check_server_archive(url, archive).device_id
    if found != database.device_id:
        raise BackupUnusable("server_backup.other_center", found=found[:8], current=database.device_id[:8])
    safety = create_server_backup(url, folder=folder, label=BackupKind.PRE_RESTORE.value, now=now, prune=False)
    database.engine.dispose()  # this process's connections: the restore takes every table's lock
    restore_into(archive, url, clean=True)
    report = RestoreReport(database.path, archive, safety.info.path, "pg_restore")
    record_restore(database, report, actor_id=actor_id, actor_name=actor_name)
    return report
