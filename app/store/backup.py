"""Consistent online backups of the database file, and restoring one.

**Never open the live file in this process.** On POSIX, closing *any* descriptor of a file releases every
``fcntl`` lock this process holds on it, SQLite's included (SQLite's "How To Corrupt An SQLite Database
File", §2.2): after a plain ``open()``/``close()`` of the database, the next process that opens and closes
it believes it is alone, checkpoints and deletes the ``-wal`` under our connections, and what we commit
next is lost. So this module reads the live database only through SQLite, or in a *child process*
(:mod:`app.store.file_copy`), which holds no SQLite lock and so releases nothing of ours. The files it
opens itself are its own: the ``.partial`` being written, a backup being restored, a temporary copy.

A backup is a kernel copy of the database file made by a child process while a read transaction of ours
pins it (see :func:`start_backup`; SQLite's backup API when the file cannot be pinned or no child can be
started), written to ``<name>.partial`` (created owner-only, ``0600``) and renamed into place after an
fsync, so a crash or a kill mid-backup never leaves a half-written file under the final name; the source
is only read. Two steps, which a caller may separate (:class:`PendingBackup`): *copied* (every byte in the
``.partial``) and *durable* (fsync, rename, fsync of the folder). The import makes its backup durable on a
background thread after it commits (:meth:`PendingBackup.finish_later`); :func:`wait_for_pending_backups`
waits for those before the process exits. A ``.partial`` is locked by the process making it (``flock``),
so one left by a crash is recognised and removed when the next backup is started
(:func:`remove_stale_partials`). A restore copies the backup *into* the live file through SQLite (one
write transaction, so a kill leaves the old content), and falls back to replacing the file when SQLite
cannot write into it (a damaged file), removing its ``-wal``/``-shm`` first so no stale log is replayed
over the new file — only when this process holds no connection to it (see :func:`restore_into`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.store import cipher, file_copy
from app.store.sqlite import sqlite3

try:
    import fcntl
except ImportError:  # Windows: no flock; stale partials are recognised by their age instead
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"
FILE_MODE = 0o600
"""Backups and every copy of the database are readable by their owner only (POSIX)."""
FOLDER_MODE = 0o700
"""A folder made for backups is its owner's only (POSIX): under a permissive umask (000) it was world-writable,
so any local user could delete the backups."""
BUSY_TIMEOUT_MS = 10_000
PIN_PATIENCE_S = 0.5
"""How long to wait for another connection's write, a running checkpoint or a reader inside the log
before copying through SQLite's backup API instead."""
SQLITE_MAGIC = b"SQLite format 3\x00"
STALE_PARTIAL_AGE_S = 3600
"""Where a ``.partial`` cannot be locked (Windows), one this old is taken for a crash's leftover."""
CHILD_COPY_SCRIPT = Path(__file__).with_name("file_copy.py")
"""The script a child process runs to copy a live database file byte for byte (see the module's docstring)."""


def connect_existing(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open the SQLite file ``path`` without ever creating it.

    Raises:
        sqlite3.OperationalError: the file does not exist or cannot be opened.
    """
    return cipher.connect(path, mode="ro" if read_only else "rw")


def _connect_explicit(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """Open the existing file ``path`` in autocommit mode (transactions only where begun explicitly)."""
    return cipher.connect(path, mode="rw", isolation_level=None, check_same_thread=check_same_thread)


def backup_database(source: Path, destination: Path, *, write_locked: bool = False) -> Path:
    """Copy the live database ``source`` to ``destination`` consistently, even while it is in use.

    The copy is written to a temporary file, flushed to disk and renamed into place, so a crash or a
    kill mid-backup never leaves a half-written file under the final name. See :func:`start_backup`.

    Returns:
        The destination path.

    Raises:
        sqlite3.Error: the source is missing or not a database.
        OSError: the destination cannot be written.
    """
    return start_backup(source, destination, background=False, write_locked=write_locked).finish()


def start_backup(
    source: Path, destination: Path, *, background: bool = True, write_locked: bool = False
) -> PendingBackup:
    """Pin the current state of ``source`` and start copying it to ``destination``; return at once.

    A center on a PostgreSQL server is refused (:class:`~app.store.engines.FileOnly`): its backups are pg_dump's.

    The state is the one at the moment of the call: changes committed afterwards (by this process or
    another) are not in the copy, so a caller may start changing the database while the copy is still
    being written — :meth:`PendingBackup.wait_copied` then waits for it. Two ways to copy:

    - **file copy by a child process** (the usual case on POSIX): in WAL mode, a passive checkpoint is
      run while a write lock keeps other writers out for that instant; if it moved the whole log into
      the file, a read transaction is opened before the write lock goes. That reader holds WAL read-mark
      0 ("the file alone is my snapshot"), and SQLite lets no checkpoint write into the file while such a
      reader lives (a checkpoint needs read-lock 0 exclusively), so the file stays byte for byte the
      pinned state while a child process copies it in the kernel (``copy_file_range``; see
      :mod:`app.store.file_copy` for why never this process), whatever others commit meanwhile (their
      changes wait in the log). In rollback-journal mode the reader's shared lock keeps writers out.
    - **SQLite's backup API** (page by page, about three times slower), when the log could not be moved
      into the file completely (a long reader elsewhere holds it back, another checkpoint was running, or
      another connection is in a long write), or no child process can copy (:func:`can_copy_in_child`):
      the same kind of reader is opened, reading through the log, and the backup API copies what that
      open read transaction sees — the same pinned state.

    The copy goes to ``<destination>.partial``, locked by this process until it is renamed or removed;
    ``.partial`` files of the same database left in that folder by a crash are removed first.

    Args:
        background: copy on a thread of its own (the caller goes on); False copies before returning.
        write_locked: a connection of the caller's holds ``source``'s write lock (the backup before a
            restore, under the restore's transaction): nobody else can commit, so the log is moved into the
            file without first taking that lock — which would wait :data:`PIN_PATIENCE_S` for the caller
            itself and then fall back to the slower backup API.

    Raises:
        sqlite3.Error: the source is missing or not a database.
        OSError: the destination cannot be written.
    """
    from app.store.engines import refuse_server

    refuse_server(source, "backup")
    source, destination = Path(source), Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    remove_stale_partials(destination.parent, source.stem)
    partial = destination.with_name(destination.name + PARTIAL_SUFFIX)
    _remove_with_sidecars(partial)
    lock = _create_locked(partial)
    try:
        if can_copy_in_child():
            reader, file_alone = _pin_file_state(source, write_locked=write_locked)
        else:
            reader, file_alone = _pin_snapshot(source), False
    except BaseException:
        _remove_with_sidecars(partial)
        _unlock(lock, partial)
        raise
    method = "file-copy" if file_alone else "sqlite-backup"
    pending = PendingBackup(source, destination, partial, reader, method, lock=lock)
    if background:
        pending.thread = threading.Thread(target=pending.run, name="backup-copy", daemon=True)
        pending.thread.start()
    else:
        pending.run()
    return pending


class PendingBackup:
    """A consistent copy of a database being written (see :func:`start_backup`).

    Two steps: :meth:`wait_copied` (every byte is in ``partial``, a complete database file any process
    can read: a kill of this process after that loses nothing) and :meth:`make_durable` (fsync, rename to
    ``destination``, fsync of the folder: a power cut after that loses nothing). :meth:`finish` does both;
    :meth:`finish_later` does the second on a background thread.

    Attributes:
        destination: where the copy is once it is durable.
        partial: where it is written until then.
        method: ``"file-copy"`` or ``"sqlite-backup"`` (how the copy is made).
    """

    def __init__(
        self,
        source: Path,
        destination: Path,
        partial: Path,
        reader: sqlite3.Connection,
        method: str,
        *,
        lock: int | None = None,
    ) -> None:
        self.source = source
        self.destination = destination
        self.partial = partial
        self.method = method
        self.thread: threading.Thread | None = None
        self._reader: sqlite3.Connection | None = reader
        self._error: BaseException | None = None
        self._lock = lock  # a descriptor of the .partial holding its flock, until renamed or removed
        self._copied = False

    def run(self) -> None:
        """Write the copy (on the copying thread); errors are kept for :meth:`wait_copied`."""
        try:
            assert self._reader is not None, "run() once"
            key = cipher.key_for(self.source)  # an encrypted database's copy is encrypted with its key
            if key is not None:
                cipher.remember(self.partial, key)  # found again by inode after the rename
            try:
                if self.method == "file-copy":
                    _copy_file(self.source, self.partial)
                else:
                    _copy_through_backup_api(self._reader, self.partial)
            finally:
                self._reader.close()  # ends the read transaction: checkpoints may go on
                self._reader = None
            if self.method == "file-copy" and key is None:
                _mark_rollback_journal(self.partial)
            else:  # an encrypted header cannot be edited in place: SQLite (keyed) switches the mode
                _make_standalone(self.partial)
        except BaseException as error:  # handed to wait_copied() on the caller's thread
            self._error = error

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def wait_copied(self) -> Path:
        """Wait until every byte is in :attr:`partial` (a whole database file, not yet flushed nor renamed).

        Returns:
            The ``.partial`` path.

        Raises:
            sqlite3.Error, OSError: the copy could not be made (the ``.partial`` is removed).
        """
        self.wait()
        if self._error is not None:
            self._discard()
            raise self._error
        self._copied = True
        return self.partial

    def make_durable(self, *, drop_cache: bool = False) -> Path:
        """Flush the copied file to disk, rename it to :attr:`destination` and flush the folder.

        Args:
            drop_cache: then let the copy's pages go from the page cache (nobody reads it soon; the next
                gigabyte-sized copy then finds free memory instead of waiting for the kernel to reclaim it).

        Returns:
            The destination path.

        Raises:
            sqlite3.Error, OSError: the copy failed, or it could not be flushed or renamed (the ``.partial``
            is removed; nothing is left under either name).
        """
        if not self._copied:
            self.wait_copied()
        try:
            _fsync_file(self.partial, drop_cache=drop_cache)
            os.replace(self.partial, self.destination)
        except BaseException:
            self._discard()
            raise
        _unlock(self._lock, self.partial)
        self._lock = None
        _fsync_directory(self.destination.parent)
        return self.destination

    def finish(self) -> Path:
        """Wait for the copy, then make it durable under its final name (:meth:`wait_copied` + :meth:`make_durable`).

        Returns:
            The destination path.

        Raises:
            sqlite3.Error, OSError: the copy could not be made (no file is left under either name).
        """
        self.wait_copied()
        return self.make_durable()

    def finish_later(self, then: Callable[[Path], None] | None = None) -> DurableBackup:
        """Make the copy durable on a background (non-daemon) thread; call ``then(destination)`` after it.

        The copy's pages are dropped from the page cache once flushed (see :meth:`make_durable`).

        Call after :meth:`wait_copied`. Errors are logged and kept on the returned handle; the process
        should call :func:`wait_for_pending_backups` before it exits.
        """
        handle = DurableBackup(self, then)
        handle.start()
        return handle

    def abandon(self) -> None:
        """Wait for the copy and delete it (the change it was taken for did not happen)."""
        self.wait()
        self._discard()

    def _discard(self) -> None:
        _remove_with_sidecars(self.partial)
        _unlock(self._lock, self.partial)
        self._lock = None


class DurableBackup:
    """A copied backup being made durable on a background thread (see :meth:`PendingBackup.finish_later`).

    Attributes:
        destination: where the backup is once :meth:`wait` returns it.
        error: what went wrong, once done (the backup is then lost; the database is not affected).
    """

    def __init__(self, pending: PendingBackup, then: Callable[[Path], None] | None) -> None:
        self.pending = pending
        self.destination = pending.destination
        self.error: BaseException | None = None
        self._then = then
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="backup-durable", daemon=False)

    def start(self) -> None:
        with _PENDING_LOCK:
            _PENDING.add(self)
        self._thread.start()

    def _run(self) -> None:
        try:
            try:
                destination = self.pending.make_durable(drop_cache=True)
            except BaseException as error:  # no caller on this thread: log it and keep it for wait()
                self.error = error
                log.error("the backup %s could not be saved: %s", self.destination, error)
                return
            if self._then is not None:
                try:
                    self._then(destination)
                except Exception:  # the backup is saved; what follows (pruning, ...) is not essential
                    log.exception("after saving the backup %s", destination)
        finally:
            with _PENDING_LOCK:
                _PENDING.discard(self)
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> Path | None:
        """Wait until the backup is durable; return its path, or None if it failed or is not done in time."""
        if not self._done.wait(timeout):
            return None
        return None if self.error is not None else self.destination


_PENDING: set[DurableBackup] = set()
_PENDING_LOCK = threading.Lock()


def wait_for_pending_backups(timeout: float | None = None) -> bool:
    """Wait until every backup this process is making durable is done (call before exiting).

    Returns:
        True if none is left, False if ``timeout`` seconds passed first.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with _PENDING_LOCK:
            handles = list(_PENDING)
        if not handles:
            return True
        for handle in handles:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not handle._done.wait(left):
                return False


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
        _remove_with_sidecars(path)
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
            _remove_with_sidecars(path)
        return still_there
    finally:
        os.close(fd)


def _create_locked(partial: Path) -> int | None:
    """Create the empty ``partial`` owner-only (``0600``) and lock it while this backup is made (POSIX only).

    Windows keeps no descriptor open: a file open there could not be renamed.
    """
    with _OURS_LOCK:
        _OURS.add(partial)
    if fcntl is None:
        _create_private(partial)
        return None
    fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # whatever the umask or an older file of the same name said
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # the same backup being made by another process right now
        os.close(fd)
        with _OURS_LOCK:
            _OURS.discard(partial)
        raise
    except OSError:  # a file system without locks (some network shares): unlocked, left to the hourly cleanup
        log.info("cannot lock %s; a leftover would be removed by age only", partial)
    return fd


def _unlock(fd: int | None, partial: Path) -> None:
    with _OURS_LOCK:
        _OURS.discard(partial)
    if fd is not None:
        os.close(fd)  # closing releases the flock


_OURS: set[Path] = set()
"""The ``.partial`` files this process is writing: :func:`remove_stale_partials` does not even open them
(another thread may be writing one through SQLite, whose locks a close here would release)."""
_OURS_LOCK = threading.Lock()


def _create_private(path: Path) -> None:
    """Create the empty file ``path`` (replacing one) readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def _pin_file_state(source: Path, *, write_locked: bool = False) -> tuple[sqlite3.Connection, bool]:
    """Return a connection holding a read transaction on the current state, and whether the file alone holds it.

    False means part of the state is still in the log and could not be moved into the file soon; the
    caller then copies what the reader sees through SQLite's backup API.
    """
    reader = _connect_explicit(source, check_same_thread=False)
    try:
        reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if str(reader.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            _begin_read(reader)  # a shared lock: no writer can change the file until it is released
            return reader, True
        if write_locked:  # the caller's own connection keeps every other writer out already
            file_alone = _log_moved_into_file(reader)
            _begin_read(reader)
            return reader, file_alone
        writer = _connect_explicit(source)
        try:
            writer.execute(f"PRAGMA busy_timeout = {int(PIN_PATIENCE_S * 1000)}")
            try:
                writer.execute("BEGIN IMMEDIATE")  # nobody commits between the checkpoint and the read below
            except sqlite3.OperationalError:  # another connection is in the middle of a long write
                _begin_read(reader)
                return reader, False
            try:
                file_alone = _log_moved_into_file(reader)
                _begin_read(reader)  # the log all in the file: this reader takes read-mark 0
            finally:
                writer.execute("ROLLBACK")
        finally:
            writer.close()
    except BaseException:
        reader.close()
        raise
    return reader, file_alone


def _pin_snapshot(source: Path) -> sqlite3.Connection:
    """Return a connection holding a read transaction on the current state (log included)."""
    reader = _connect_explicit(source, check_same_thread=False)
    try:
        reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _begin_read(reader)
    except BaseException:
        reader.close()
        raise
    return reader


def _log_moved_into_file(connection: sqlite3.Connection) -> bool:
    """Checkpoint (passively) until the whole log is in the database file; False if it cannot be soon.

    Called while new commits are kept out, so only a checkpoint already running (busy) or a reader
    still inside the log can hold it back; both usually end within milliseconds.
    """
    deadline = time.monotonic() + PIN_PATIENCE_S
    while True:
        busy, in_log, moved = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if not busy and in_log == moved:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)


def _begin_read(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN")
    connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the read transaction starts here


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


def _copy_file(source: Path, target: Path) -> None:
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


def _copy_through_backup_api(reader: sqlite3.Connection, target: Path) -> None:
    """Copy what ``reader``'s open read transaction sees (the backup API uses it rather than start its own).

    The copy is written in one step without a journal nor syncs (a failed copy is deleted whole; the
    ``.partial`` is flushed before it is renamed): about a third faster than with SQLite's defaults.
    """
    dst = cipher.connect(target, isolation_level=None)
    try:
        dst.execute("PRAGMA journal_mode=OFF").fetchone()
        dst.execute("PRAGMA synchronous=OFF")
        reader.backup(dst)
    finally:
        dst.close()


def _mark_rollback_journal(path: Path) -> None:
    """Set the copy's header to rollback-journal mode, as ``PRAGMA journal_mode=DELETE`` would.

    Bytes 18 and 19 of the header are the file format write and read versions: 2 means WAL, 1 legacy.
    The copy is a whole database file (its log was empty), so it needs no ``-wal`` and opens alone.

    Raises:
        sqlite3.DatabaseError: the copy does not start like a database file.
    """
    with open(path, "r+b") as handle:
        header = handle.read(20)
        if len(header) < 20 or not header.startswith(SQLITE_MAGIC):
            raise sqlite3.DatabaseError(f"{path} is not a database file")
        if header[18:20] != b"\x01\x01":
            handle.seek(18)
            handle.write(b"\x01\x01")


def _make_standalone(path: Path) -> None:
    """Make the copy a single self-contained file in rollback-journal mode (no ``-wal`` to go with it)."""
    connection = cipher.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        connection.close()


def _remove_with_sidecars(path: Path) -> None:
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
            _create_private(partial)
            if in_child:
                _copy_file(src, partial)
            else:
                file_copy.copy_file(str(src), str(partial), advise_dontneed=False)
            _fsync_file(partial)
            os.replace(partial, dst)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    _fsync_directory(destination.parent)
    return destination


def copy_private(source: Path, target: Path) -> Path:
    """Copy ``source`` to a new owner-only file ``target`` in this process (not flushed).

    Only for files this process holds no SQLite connection to: a backup being checked or restored,
    never the live database (see the module's docstring).
    """
    _create_private(target)
    try:
        file_copy.copy_file(str(source), str(target), advise_dontneed=False)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


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
        copy_private(backup, partial)
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


def _fsync_file(path: Path, *, drop_cache: bool = False) -> None:
    """Flush ``path`` to disk; with ``drop_cache``, then let its (now clean) pages go from the page cache.

    A backup is not read again soon: dropping its gigabyte at once spares the next copy (and the live
    database's cached pages) the kernel's reclaim.
    """
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
        if drop_cache and hasattr(os, "posix_fadvise"):
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened, e.g. Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
