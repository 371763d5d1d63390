"""Files only their owner may read, written so that a crash never leaves half of one under its final name.

Backups and every copy of the database are created owner-only (``0600``, :data:`FILE_MODE`; a folder made for
them ``0700``), written under a ``.partial`` name, flushed and renamed into place. A ``.partial`` is locked by
the process making it (``flock``), so one left by a crash is recognised and removed when the next backup is
started (:func:`remove_stale_partials`).

**Never open a live database file in a process that holds connections to it** (see :mod:`app.store.backup`):
a live file is copied by a child process (:func:`copy_in_child`, running :mod:`app.store.file_copy`), which
holds no SQLite lock and so releases nothing of ours. The files opened here are this process's own.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from app.store import file_copy

try:
    import fcntl
except ImportError:  # Windows: no flock; stale partials are recognised by their age instead
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"
FILE_MODE = 0o600
"""Backups and every copy of the database are readable by their owner only (POSIX; Windows:
:func:`restrict_to_owner`)."""
FOLDER_MODE = 0o700
"""A folder made for backups is its owner's only (POSIX): under a permissive umask (000) it was world-writable,
so any local user could delete the backups."""
STALE_PARTIAL_AGE_S = 3600
"""Where a ``.partial`` cannot be locked (Windows), one this old is taken for a crash's leftover."""
CHILD_COPY_SCRIPT = Path(__file__).with_name("file_copy.py")
"""The script a child process runs to copy a live database file byte for byte (see the module's docstring)."""


def remove_stale_partials(folder: Path, stem: str, *, now: float | None = None) -> list[Path]:
    """Remove the ``<stem>-YYYYMMDD-HHMMSS-<label>.sqlite.partial`` files no process is writing; return them.

    A backup being written holds a lock on its ``.partial`` (where locks exist; elsewhere one older than
    :data:`STALE_PARTIAL_AGE_S` is taken for a leftover), so only a crash's leftovers are removed. Such a
    file is never a backup: it may be incomplete, and it was never listed.
    """
    if not folder.is_dir():
        return []
    pattern = re.compile(
        rf"^{re.escape(stem)}-\d{{8}}-\d{{6}}-[a-z0-9][a-z0-9_.-]*\.sqlite{re.escape(PARTIAL_SUFFIX)}$"
    )
    removed = []
    for path in folder.iterdir():
        if not pattern.match(path.name):
            continue
        with _OURS_LOCK:
            if path in _OURS:
                continue  # being written by this process
        try:
            if _remove_if_unlocked(path, now=now):
                removed.append(path)
        except OSError as error:
            log.warning("cannot remove the unfinished backup %s: %s", path, error)
    return removed


def _remove_if_unlocked(path: Path, *, now: float | None = None) -> bool:
    if fcntl is None:
        # the age is file time against the wall clock (``now``, injectable so tests compare file times only)
        if (time.time() if now is None else now) - path.stat().st_mtime <= STALE_PARTIAL_AGE_S:
            return False
        remove_with_sidecars(path)
        return True
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # being written or made durable right now
        try:
            still_there = os.stat(path).st_ino == os.fstat(fd).st_ino  # not renamed nor replaced meanwhile
        except FileNotFoundError:
            return False
        if still_there:
            remove_with_sidecars(path)
        return still_there
    finally:
        os.close(fd)


def create_locked(partial: Path) -> int | None:
    """Create the empty ``partial`` owner-only (``0600``) and lock it while this backup is made (POSIX only).

    Windows keeps no descriptor open: a file open there could not be renamed.
    """
    with _OURS_LOCK:
        _OURS.add(partial)
    if fcntl is None:
        create_private(partial)
        return None
    # not truncated before it is locked: another process's backup of the same name would lose its bytes
    fd = os.open(partial, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as busy:  # the same backup being made by another process right now
        os.close(fd)
        with _OURS_LOCK:
            _OURS.discard(partial)
        raise BackupInProgress(errno.EAGAIN, IN_PROGRESS, str(partial)) from busy
    except OSError:  # a file system without locks (some network shares): unlocked, left to the hourly cleanup
        log.info("cannot lock %s; a leftover would be removed by age only", partial)
    os.ftruncate(fd, 0)
    os.fchmod(fd, FILE_MODE)  # whatever the umask or an older file of the same name said
    restrict_to_owner(partial)
    return fd


IN_PROGRESS = "the same backup is being made by another window or command"


class BackupInProgress(BlockingIOError):
    """The same backup (the same ``.partial``) is being written by another window or command right now."""


def clear_partial(partial: Path) -> None:
    """Remove a ``.partial`` of this name (and its sidecars) left by a crash, before writing a new one.

    Raises:
        BackupInProgress: another window or command is writing it right now (its lock is held): it was
            removed under it before, and both backups failed ("… .partial is not a database file").
    """
    if fcntl is None or not partial.exists():  # Windows: no locks to tell (a leftover is removed, as before)
        remove_with_sidecars(partial)
        return
    with _OURS_LOCK:
        ours = partial in _OURS
    if ours or not _remove_if_unlocked(partial):
        raise BackupInProgress(errno.EAGAIN, IN_PROGRESS, str(partial))


def unlock(fd: int | None, partial: Path) -> None:
    with _OURS_LOCK:
        _OURS.discard(partial)
    if fd is not None:
        os.close(fd)  # closing releases the flock


_OURS: set[Path] = set()
"""The ``.partial`` files this process is writing: :func:`remove_stale_partials` does not even open them
(another thread may be writing one through SQLite, whose locks a close here would release)."""
_OURS_LOCK = threading.Lock()


def create_private(path: Path) -> None:
    """Create the empty file ``path`` (replacing one) readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    restrict_to_owner(path)


def restrict_to_owner(path: Path | str) -> None:
    """On Windows, give ``path`` a user-only ACL: its owner has full control, nothing is inherited.

    POSIX needs nothing here (files are created ``0600``). Windows ignores those mode bits: a new file takes
    its folder's inherited ACL (often readable by every user of the computer). ``icacls PATH
    /inheritance:r /grant:r DOMAIN\\USER:F`` removes the inherited entries and leaves the current user's
    full control alone — run with a list of arguments (no shell), the path as one argument. A failure
    (no ``icacls``, a file system without ACLs) is logged as a warning: the file stays as Windows made it,
    the work goes on. Tested only by simulation (docs/security.md, "File permissions of the database").
    """
    if sys.platform != "win32":
        return
    user = os.environ.get("USERNAME", "")
    domain = os.environ.get("USERDOMAIN", "")
    if not user:
        log.warning("cannot make %s readable by its owner only: the user's name is not known", path)
        return
    account = f"{domain}\\{user}" if domain else user
    command = ["icacls", str(path), "/inheritance:r", "/grant:r", f"{account}:F"]
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except OSError as error:
        log.warning("cannot make %s readable by its owner only (icacls: %s)", path, error)
        return
    if done.returncode != 0:
        said = b" ".join(part.strip() for part in (done.stdout or b"", done.stderr or b"") if part.strip())
        text = said.decode("utf-8", "replace")
        log.warning("cannot make %s readable by its owner only (icacls exit %s: %s)", path, done.returncode, text)


def can_copy_in_child() -> bool:
    """Whether a live database can be copied by a child process here (else SQLite's backup API copies it).

    Not on Windows (there closing a handle releases no other handle's lock, but the file's locked bytes
    cannot be read by a plain copy either), not in a frozen bundle (no interpreter to start the script
    with), and not if the script or the interpreter cannot be found.
    """
    return (
        os.name == "posix"
        and not getattr(sys, "frozen", False)
        and bool(sys.executable)
        and CHILD_COPY_SCRIPT.is_file()
    )


def copy_in_child(source: Path, target: Path) -> None:
    """Copy ``source`` (a live database, never opened here) byte for byte into ``target``, in a child process.

    ``target`` must exist; the child truncates and writes it (:mod:`app.store.file_copy`). Descriptors of
    this process are not inherited.

    Raises:
        OSError: the child could not be started, or could not copy (its errno and message).
    """
    command = [sys.executable, "-I", "-S", str(CHILD_COPY_SCRIPT), str(source), str(target)]
    done = subprocess.run(  # our own interpreter and script, the paths as arguments (no shell)
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        close_fds=True,
        check=False,
    )
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        number, _, message = (said[-1] if said else "").partition(" ")
        code = int(number) if number.isdigit() else 0
        raise OSError(code, message or f"the copy of {source} failed (exit {done.returncode})")


def remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def copy_files(source: Path, destination: Path) -> Path:
    """Copy the database file and its ``-wal`` byte for byte (for a file SQLite can no longer read).

    The main file goes to ``destination`` and the log, if any, next to it as ``<destination>-wal``;
    both through ``.partial`` names (owner-only), so nothing half-written ends under a final name. The
    copy is made by a child process where one can be started (:func:`can_copy_in_child`), so this
    process may hold connections to ``source``; otherwise here, and then it must hold none (closing a
    descriptor of the file here would release their locks): :mod:`app.services.admin.restore` releases its
    connections before it falls back to this copy.
    """
    destination.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    pairs = [(source, destination)]
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        pairs.append((wal, destination.with_name(destination.name + "-wal")))
    in_child = can_copy_in_child()
    for src, dst in pairs:
        partial = dst.with_name(dst.name + PARTIAL_SUFFIX)
        try:
            create_private(partial)
            if in_child:
                copy_in_child(src, partial)
            else:
                file_copy.copy_file(str(src), str(partial), advise_dontneed=False)
            fsync_file(partial)
            os.replace(partial, dst)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    fsync_directory(destination.parent)
    return destination


def copy_private(source: Path, target: Path) -> Path:
    """Copy ``source`` to a new owner-only file ``target`` in this process (not flushed).

    Only for files this process holds no SQLite connection to: a backup being checked or restored,
    never the live database (see the module's docstring).
    """
    create_private(target)
    try:
        file_copy.copy_file(str(source), str(target), advise_dontneed=False)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def fsync_file(path: Path, *, drop_cache: bool = False) -> None:
    """Flush ``path`` to disk; with ``drop_cache``, then let its (now clean) pages go from the page cache.

    A backup is not read again soon: dropping its gigabyte at once spares the next copy (and the live
    database's cached pages) the kernel's reclaim.
    """
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
        if drop_cache and hasattr(os, "posix_fadvise"):
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened, e.g. Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
