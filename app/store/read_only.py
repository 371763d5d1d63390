"""A database file this user may not write: opened for viewing only, safely (docs/security.md, "A read-only database").

Two ways to read it, never ``immutable`` on the live file (an ``immutable`` reader takes no lock and trusts
the file not to change: another process writing meanwhile — the owner after a ``chmod``, root, another user
allowed to write — would show it torn pages):

- **the file itself, ``mode=ro``**, when its ``-wal`` and ``-shm`` exist already (a writer has it open, or
  left them): such a reader takes SQLite's ordinary read locks through them and sees a writer elsewhere
  commit by commit, as any WAL reader does.
- **a private copy** otherwise. A reader with ``mode=ro`` would *create* the ``-wal`` and ``-shm`` next to the
  file (where the folder may be written), with the read-only file's mode, and could not remove them: once
  the file was made writable again, those leftovers kept every writer out ("attempt to write a readonly
  database" — seen). And where the folder may not be written SQLite cannot read the file at all. With no
  ``-wal``/``-shm``, no connection has the file open, so nobody is writing it at this moment. The database
  (and its ``-wal``, if any) is copied into a new owner-only temporary folder (by this process: it holds no
  connection to the file yet, so closing its descriptors releases no lock of its own), opened from there, and
  removed when the database is closed. What is shown is then the state at the moment it was opened. While
  it is open, every connection this process makes to the file reads the copy instead
  (:func:`app.store.cipher.view_through`: the audit chain's check, sync's state, integrity checks).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from app.store import cipher
from app.store import private_files as files
from app.store.sqlite import sqlite3

log = logging.getLogger(__name__)

COPY_PREFIX = "carerounds-view-"


def may_write(path: Path) -> bool:
    """Whether this user may write ``path`` and its folder (SQLite's ``-wal``/``-shm`` go there)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def reading_source(path: Path, key: bytes | None) -> tuple[Path, Path | None]:
    """Return the file to read ``path`` from, and the temporary folder of a private copy (None: the file itself).

    Call it while this process holds no connection to ``path`` (the copy may open it).

    Raises:
        OSError: the private copy could not be made (no room in the temporary folder).
    """
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    if all(sidecar.exists() for sidecar in sidecars) and _opens_read_only(path, key):
        return path, None
    folder = Path(tempfile.mkdtemp(prefix=COPY_PREFIX))  # 0700, this user's own
    copy = folder / path.name
    try:
        for suffix in ("", "-wal"):
            source = path.with_name(path.name + suffix)
            if suffix and not source.exists():
                continue
            files.copy_private(source, copy.with_name(copy.name + suffix))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    cipher.remember(copy, key)
    cipher.view_through(path, copy)
    log.info("%s is read-only in a folder that may not be written: viewing a private copy in %s", path, folder)
    return copy, folder


def remove_copy(path: Path, folder: Path | None) -> None:
    """Remove the private copy of ``path`` made by :func:`reading_source` (its connections closed first)."""
    if folder is None:
        return
    cipher.view_through(path, None)
    for copy in folder.iterdir():
        cipher.forget(copy)
    shutil.rmtree(folder, ignore_errors=True)


def _opens_read_only(path: Path, key: bytes | None) -> bool:
    """Whether SQLite can read ``path`` with ``mode=ro`` (False: it cannot make the ``-shm`` it needs)."""
    try:
        connection = cipher.connect(path, key=key, mode="ro")
    except sqlite3.OperationalError:
        return False
    try:
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.OperationalError as error:
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in (cipher.SQLITE_READONLY, cipher.SQLITE_CANTOPEN):
            return False
        raise
    finally:
        connection.close()
