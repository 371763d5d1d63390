"""Consistent online backups of the database file.

**Never open the live file in this process.** On POSIX, closing *any* descriptor of a file releases every
``fcntl`` lock this process holds on it, SQLite's included (SQLite's "How To Corrupt An SQLite Database
File", §2.2): after a plain ``open()``/``close()`` of the database, the next process that opens and closes
it believes it is alone, checkpoints and deletes the ``-wal`` under our connections, and what we commit
next is lost. So this module reads the live database only through SQLite, or in a *child process*
(:func:`app.store.private_files.copy_in_child`), which holds no SQLite lock and so releases nothing of ours.
The files it opens itself are its own: the ``.partial`` being written, a backup being checked.

A backup is a kernel copy of the database file made by a child process while a read transaction of ours
pins it (see :func:`start_backup`; SQLite's backup API when the file cannot be pinned or no child can be
started), written to ``<name>.partial`` (created owner-only, ``0600``) and renamed into place after an
fsync, so a crash or a kill mid-backup never leaves a half-written file under the final name; the source
is only read. Two steps, which a caller may separate (:class:`PendingBackup`): *copied* (every byte in the
``.partial``) and *durable* (fsync, rename, fsync of the folder). The import makes its backup durable on a
background thread after it commits (:meth:`PendingBackup.finish_later`); :func:`wait_for_pending_backups`
waits for those before the process exits. The owner-only files, their ``.partial`` locks and the cleanup of
a crash's leftovers are in :mod:`app.store.private_files`; restoring a backup is :mod:`app.store.restore_copy`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.store import cipher, key_wraps
from app.store import private_files as files
from app.store.sqlite import sqlite3

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
PIN_PATIENCE_S = 0.5
"""How long to wait for another connection's write, a running checkpoint or a reader inside the log
before copying through SQLite's backup API instead."""
SQLITE_MAGIC = b"SQLite format 3\x00"


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
    destination.parent.mkdir(parents=True, exist_ok=True, mode=files.FOLDER_MODE)
    files.remove_stale_partials(destination.parent, source.stem)
    partial = destination.with_name(destination.name + files.PARTIAL_SUFFIX)
    files.clear_partial(partial)
    lock = files.create_locked(partial)
    try:
        if files.can_copy_in_child():
            reader, file_alone = _pin_file_state(source, write_locked=write_locked)
        else:
            reader, file_alone = _pin_snapshot(source), False
    except BaseException:
        files.remove_with_sidecars(partial)
        files.unlock(lock, partial)
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
        self._encrypted = False

    def run(self) -> None:
        """Write the copy (on the copying thread); errors are kept for :meth:`wait_copied`."""
        try:
            assert self._reader is not None, "run() once"
            key = cipher.key_for(self.source)  # an encrypted database's copy is encrypted with its key
            if key is not None:
                cipher.remember(self.partial, key)  # found again by inode after the rename
                self._encrypted = True
            try:
                if self.method == "file-copy":
                    files.copy_in_child(self.source, self.partial)
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
            files.fsync_file(self.partial, drop_cache=drop_cache)
            if self._encrypted:
                self._write_key_file()
            os.replace(self.partial, self.destination)
        except BaseException:
            self._discard()
            raise
        files.unlock(self._lock, self.partial)
        self._lock = None
        files.fsync_directory(self.destination.parent)
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

    def _write_key_file(self) -> None:
        """An encrypted backup travels with its key file: ``<backup>.keys``, a copy of the database's, written
        (atomically, owner-only) before the backup gets its name. Without it a backup that left the computer
        opens with nothing — not even the recovery key, whose wrap is in the key file. The database key never
        changes, so any version of the key file opens the backup: with the passwords of its time, or the
        recovery key (docs/security.md, "Backups of an encrypted database").

        A failure is logged, not raised: the backup still opens with the database's own key file.
        """
        try:
            key_wraps.KeyFile.read(self.source).write(self.destination)
        except (OSError, cipher.KeyFileProblem) as error:
            log.error("the key file of the backup %s could not be written: %s", self.destination, error)

    def _discard(self) -> None:
        files.remove_with_sidecars(self.partial)
        files.unlock(self._lock, self.partial)
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


def timestamped_name(database: Path, label: str, *, now: datetime | None = None) -> str:
    """Return a backup file name such as ``center-20261122-143000-daily.sqlite``."""
    moment = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{database.stem}-{moment}-{label}.sqlite"
