"""Restoring a backup into the live database file (see :func:`restore_into`).

A restore copies the backup *into* the live file through SQLite (one write transaction, so a kill leaves the
old content), and falls back to replacing the file when SQLite cannot write into it (a damaged file),
removing its ``-wal``/``-shm`` first so no stale log is replayed over the new file — only when this process
holds no connection to it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from app.store import private_files as files
from app.store.backup import connect_existing
from app.store.sqlite import sqlite3

RESTORE_WAIT_S = 30.0
"""How long a restore waits for another connection's write to end before it gives up (nothing changed)."""


class TargetBusy(sqlite3.OperationalError):
    """Another connection kept writing to the database for longer than :data:`RESTORE_WAIT_S`."""


def restore_into(backup: Path, target: Path, *, before_write: Callable[[], None] | None = None) -> str:
    """Make ``target`` a copy of ``backup``; nobody else may be using ``target`` meanwhile.

    Through SQLite's backup API into the existing file (one write transaction; safe while this process
    holds other connections to ``target``). ``before_write`` (the backup of the current state) is called
    once the write lock on ``target`` is held and before anything is written, so what another connection
    commits while the restore waits for the lock is in that backup, and nobody can commit between it and
    the restore. Only when SQLite cannot write into ``target`` (a damaged file) is the file replaced (after
    ``before_write``): ``backup`` copied to ``<target>.restoring`` and renamed over it after its
    ``-wal``/``-shm`` are removed. That path never opens ``target`` itself, but removing the log under a
    live connection would lose its data: callers release every connection of this process to ``target``
    first (the window's restore disposes its engine; the command line has none open).

    Returns:
        How: ``"sqlite-backup"`` (copied through SQLite, atomically) or ``"file-replace"``.

    Raises:
        TargetBusy: another connection kept its write transaction open too long (nothing was changed).
        sqlite3.Error, OSError: the backup cannot be read or the target cannot be written; or raised
            by ``before_write`` (nothing was changed).
    """
    called: list[bool] = []

    def before_write_once() -> None:
        if before_write is not None and not called:
            called.append(True)
            before_write()

    if target.exists():
        try:
            _copy_through_sqlite(backup, target, before_write_once)
            return "sqlite-backup"
        except TargetBusy:
            raise
        except sqlite3.DatabaseError:
            if called:
                raise  # the state was saved under the lock, then the copy failed: not a damaged target
            # a damaged target, or a different page size: replace the file instead
    before_write_once()
    _replace_file(backup, target)
    return "file-replace"


def _copy_through_sqlite(backup: Path, target: Path, before_write: Callable[[], None]) -> None:
    """Copy ``backup`` into ``target`` in one write transaction, calling ``before_write`` once it holds the lock.

    The backup API copies a page at a time: after the first page the destination's write transaction
    is open (its lock held until the copy is committed), nothing is visible to other connections yet,
    and the current state can still be read by them — the moment for ``before_write``.
    """
    src = connect_existing(backup, read_only=True)
    try:
        dst = connect_existing(target)
        try:
            dst.execute("PRAGMA busy_timeout=1000")
            started = time.monotonic()

            def progress(status: int, remaining: int, total: int) -> None:
                if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                    if time.monotonic() - started > RESTORE_WAIT_S:
                        raise TargetBusy("database is locked")
                    return
                if status == sqlite3.SQLITE_OK:  # (an error is raised after this call; DONE never comes first)
                    before_write()  # the first pages are written into the open transaction, not committed

            pages = int(src.execute("PRAGMA page_count").fetchone()[0])
            if pages < 2:  # copied in one step, with no call in between (no checked candidate is this small)
                before_write()
            # a tenth at a time: each step after the first goes on in the same write transaction
            src.backup(dst, pages=max(1, pages // 10), progress=progress)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()


def _replace_file(backup: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    try:
        files.copy_private(backup, partial)
        files.fsync_file(partial)
        # a -wal left next to the new file would be replayed over it: remove the old log first
        for suffix in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    files.fsync_directory(target.parent)
