"""Consistent online backups of the database file with SQLite's backup API, and restoring one.

A backup is written to ``<name>.partial`` and renamed into place after an fsync, so a crash or a
kill mid-backup never leaves a half-written file under the final name; the source is only read.
A restore copies the backup *into* the live file through SQLite (one write transaction, so a kill
leaves the old content), and falls back to replacing the file when SQLite cannot write into it
(a damaged file), removing its ``-wal``/``-shm`` first so no stale log is replayed over the new file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

PARTIAL_SUFFIX = ".partial"


def connect_existing(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open the SQLite file ``path`` without ever creating it.

    Raises:
        sqlite3.OperationalError: the file does not exist or cannot be opened.
    """
    mode = "ro" if read_only else "rw"
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode={mode}", uri=True)


def backup_database(source: Path, destination: Path) -> Path:
    """Copy the live database ``source`` to ``destination`` consistently, even while it is in use.

    The copy is written to a temporary file and renamed into place, so a crash or a kill mid-backup
    never leaves a half-written file under the final name.

    Returns:
        The destination path.

    Raises:
        sqlite3.Error: the source is missing or not a database.
        OSError: the destination cannot be written.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + PARTIAL_SUFFIX)
    partial.unlink(missing_ok=True)
    try:
        src = connect_existing(source)
        try:
            dst = sqlite3.connect(str(partial))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        _fsync_file(partial)
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_directory(destination.parent)
    return destination


def copy_files(source: Path, destination: Path) -> Path:
    """Copy the database file and its ``-wal`` byte for byte (for a file SQLite can no longer read).

    The main file goes to ``destination`` and the log, if any, next to it as ``<destination>-wal``;
    both through ``.partial`` names, so nothing half-written ends under a final name.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    pairs = [(source, destination)]
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        pairs.append((wal, destination.with_name(destination.name + "-wal")))
    for src, dst in pairs:
        partial = dst.with_name(dst.name + PARTIAL_SUFFIX)
        try:
            shutil.copyfile(src, partial)
            _fsync_file(partial)
            os.replace(partial, dst)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    _fsync_directory(destination.parent)
    return destination


def integrity_problems(path: Path, *, limit: int = 20, quick: bool = False) -> list[str]:
    """Run ``PRAGMA integrity_check`` (or ``quick_check``) on ``path``; return its complaints (none: sound).

    Raises:
        sqlite3.Error: the file is missing, or not a database at all.
    """
    pragma = "quick_check" if quick else "integrity_check"
    connection = connect_existing(path)
    try:
        rows = connection.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
    finally:
        connection.close()
    lines = [str(row[0]) for row in rows]
    return [] if lines == ["ok"] else lines


def restore_into(backup: Path, target: Path) -> str:
    """Make ``target`` a copy of ``backup``; nobody else may be using ``target`` meanwhile.

    Returns:
        How: ``"sqlite-backup"`` (copied through SQLite, atomically) or ``"file-replace"``.

    Raises:
        sqlite3.Error, OSError: the backup cannot be read or the target cannot be written.
    """
    if target.exists():
        try:
            _copy_through_sqlite(backup, target)
            return "sqlite-backup"
        except sqlite3.DatabaseError:
            pass  # a damaged target, or a different page size: replace the file instead
    _replace_file(backup, target)
    return "file-replace"


def _copy_through_sqlite(backup: Path, target: Path) -> None:
    src = connect_existing(backup, read_only=True)
    try:
        dst = connect_existing(target)
        try:
            dst.execute("PRAGMA busy_timeout=10000")
            src.backup(dst)  # one step: a single write transaction on the target
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()


def _replace_file(backup: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    try:
        shutil.copyfile(backup, partial)
        _fsync_file(partial)
        # a -wal left next to the new file would be replayed over it: remove the old log first
        for suffix in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


def timestamped_name(database: Path, label: str, *, now: datetime | None = None) -> str:
    """Return a backup file name such as ``center-20261122-143000-daily.sqlite``."""
    moment = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{database.stem}-{moment}-{label}.sqlite"


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened, e.g. Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
