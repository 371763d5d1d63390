"""The database file: open (create, upgrade with a backup, or refuse), pragmas, the device's clock."""

from __future__ import annotations

import logging
import os
import stat
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from app.store import cipher, key_wraps, migrations, read_only, recovery_keys
from app.store import private_files as files
from app.store.backup import backup_database, timestamped_name
from app.store.errors import (
    DatabaseReadOnly,
    DatabaseVanished,
    DatabaseViewOnly,
    StoreError,
    store_error,
    translated,
)
from app.store.models import DeviceState
from app.store.sqlite import sqlite3
from app.sync.clock import HybridLogicalClock

log = logging.getLogger(__name__)


BUSY_TIMEOUT_MS = 10_000
"""How long a unit of work waits for another connection's write lock before "the database is busy"."""
WRITE_OPTION = "carerounds_write"
"""Execution option: True (default) begins transactions with ``BEGIN IMMEDIATE``, False with ``BEGIN``."""
FILE_MODE = 0o600
"""The database and its ``-wal`` / ``-shm`` files: owner only (health records)."""


def _set_pragmas(dbapi_connection: sqlite3.Connection, connection_record: Any) -> None:
    # pysqlite would BEGIN (deferred) by itself just before the first INSERT/UPDATE/DELETE, after the unit of
    # work's reads: no transaction of its own, the "begin" listener below starts every one (SQLAlchemy's recipe)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # lists of 100 000 residents read many pages: a 64 MiB page cache and memory-mapped reads keep them fast
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()
    connection_record.info["query_only"] = False


def _set_reading_pragmas(dbapi_connection: sqlite3.Connection, connection_record: Any) -> None:
    """The pragmas of a read-only database's connections: nothing that writes (not even the journal mode)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.execute("PRAGMA query_only=1")
    cursor.close()
    connection_record.info["query_only"] = True


def _begin(connection: Any) -> None:
    """Start a transaction: ``BEGIN IMMEDIATE`` (the write lock first) unless the work only reads.

    A writing unit of work reads what it changes (the row, its per-field clocks, the audit chain's head)
    under the write lock, so two writers (two windows, the GUI and a command) queue instead of
    overwriting each other's changes. A reading one (``UnitOfWork(..., write=False)``) begins deferred —
    it never waits for a writer in WAL mode — and runs with ``PRAGMA query_only`` so a write in it fails.
    """
    write = bool(connection.get_execution_options().get(WRITE_OPTION, True))
    info = connection.connection.info
    if info.get("query_only", False) == write:  # the pooled connection is in the other mode: switch it
        connection.exec_driver_sql(f"PRAGMA query_only={0 if write else 1}")
        info["query_only"] = not write
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


KeySource = Callable[[], "bytes | None"]


def make_engine(path: Path, key: bytes | KeySource | None = cipher.AUTO, *, reading_only: bool = False) -> Engine:
    """Create an engine on the SQLite file ``path``: WAL, foreign keys, transactions that lock first.

    Args:
        key: the SQLCipher key, None for a plain file, a function returning it when a connection is made
            (an open :class:`Database`'s: it raises once the key was dropped by a lock), or AUTO (the key
            this process remembers for the file, see :func:`app.store.cipher.key_for`).
        reading_only: connect with ``mode=ro`` and ``query_only`` (a read-only database); every
            transaction begins deferred.
    """

    def creator() -> sqlite3.Connection:
        current = key() if callable(key) and key is not cipher.AUTO else key
        return cipher.connect(path, key=current, mode="ro" if reading_only else None, check_same_thread=False)

    engine = create_engine(f"sqlite:///{path}", creator=creator, module=sqlite3)
    event.listen(engine, "connect", _set_reading_pragmas if reading_only else _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine.execution_options(**{WRITE_OPTION: False}) if reading_only else engine


def _file_identity(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_dev, info.st_ino


def owner_only(path: Path) -> None:
    """Make the database and its ``-wal`` / ``-shm`` files readable by their owner only (POSIX; by path).

    Only the group's and others' permissions are taken away: a file its owner made read-only (0444) stays
    read-only (0400) and is opened for viewing.
    """
    if sys.platform == "win32":
        for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if name.exists():
                files.restrict_to_owner(name)  # a user-only ACL
        return
    if os.name != "posix":
        return
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = stat.S_IMODE(name.stat().st_mode)
            if mode & 0o077:
                os.chmod(name, mode & ~0o077 & 0o7777)
        except FileNotFoundError:
            continue
        except PermissionError:  # another user's file: opening it is refused or read-only later
            log.warning("cannot make %s owner-only", name)


@dataclass
class OpenReport:
    """What opening the file did: created it, upgraded it (and where the backup went), or nothing."""

    created: bool = False
    upgraded_from: str | None = None
    backup: Path | None = None
    recovery_key: str | None = None
    """The recovery key of a database created encrypted just now: show it once, never store it."""


class Database:
    """An open CareRounds database: engine, this device's id and hybrid logical clock.

    Use :func:`open_database` to get one.

    Attributes:
        read_only: the file or its folder may not be written: opened for viewing, every writing session
            is refused (:class:`~app.store.errors.DatabaseViewOnly`).
    """

    read_only: bool = False
    _view_copy: Path | None = None

    def __init__(
        self,
        path: Path,
        engine: Engine,
        device_id: str,
        clock: HybridLogicalClock,
        holder: cipher.KeyHolder | None = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self._holder = holder or cipher.KeyHolder(path, None)
        self.device_id = device_id
        self.clock = clock
        self.vanished = False
        self._identity = _file_identity(path)
        self._reading = engine.execution_options(**{WRITE_OPTION: False})

    def session(self, *, write: bool = True) -> Session:
        """Return a new session; its transactions begin with ``BEGIN IMMEDIATE`` unless ``write`` is False.

        Raises:
            DatabaseViewOnly: ``write`` on a database opened read-only (nothing is begun).
        """
        from app.store.stamping import CLOCK_KEY, WRITE_KEY

        if write and self.read_only:
            raise DatabaseViewOnly(path=self.path)

        bind = self.engine if write else self._reading
        session = Session(bind, expire_on_commit=False)
        session.info[CLOCK_KEY] = self.clock
        session.info[WRITE_KEY] = write
        return session

    def persist_clock(self, session: Session) -> None:
        """Store the clock's last value (never lowering it: another process of this device may be ahead)."""
        session.execute(
            text("UPDATE device_state SET last_clock = :c WHERE device_id = :d AND last_clock < :c"),
            {"c": self.clock.last, "d": self.device_id},
        )

    def persist_clock_on(self, connection: sqlite3.Connection, device_id: str) -> None:
        """:meth:`persist_clock` on a driver connection inside its own transaction (sync's export and import)."""
        connection.execute(
            "UPDATE device_state SET last_clock = ?1 WHERE device_id = ?2 AND last_clock < ?1",
            (self.clock.last, device_id),
        )

    def catch_up_clock_on(self, connection: sqlite3.Connection, device_id: str) -> None:
        """Move the clock past the value stored for ``device_id`` (another process of this device may be ahead).

        Call under the write lock, so that nobody stores a later value in between.
        """
        stored = connection.execute("SELECT last_clock FROM device_state WHERE device_id = ?", (device_id,)).fetchone()
        if stored and stored[0]:
            self.clock.observe(stored[0])

    def check_file(self, *, what: str = "") -> None:
        """Refuse to go on writing when the file was deleted or replaced since it was opened.

        SQLite keeps writing to a deleted file's inode, and a commit "succeeds" into a file nobody will
        open again. Called before every commit (a ``stat`` of the path: no file is opened).

        Raises:
            DatabaseVanished: the path is gone or is another file now; nothing more is written.
        """
        if not self.vanished:
            try:
                self.vanished = _file_identity(self.path) != self._identity
            except OSError:
                self.vanished = True
        if self.vanished:
            raise DatabaseVanished("store.vanished", path=self.path, what=what)

    def file_replaced(self) -> None:
        """Accept the file now at the path as this database's (after a restore replaced it on purpose).

        Call it with the engine's connections closed (``engine.dispose()``), once the new file is in place.
        """
        self._identity = _file_identity(self.path)
        self.vanished = False
        owner_only(self.path)
        cipher.remember(self.path, self._holder.key)  # a new inode: the same key (backups share it)

    @property
    def encrypted(self) -> bool:
        return self._holder.key is not None or self._holder.locked

    @property
    def locked(self) -> bool:
        return self._holder.locked

    @property
    def key(self) -> bytes | None:
        """The database key (None: a plain file).

        Raises:
            DatabaseLocked: the key was dropped (:meth:`lock`) and not given back yet.
        """
        return self._holder.get()

    def lock(self) -> None:
        """Drop the key from memory and close every connection (auto-lock, sign-out); :meth:`unlock` reopens.

        A plain database has no key: nothing to drop, it stays usable.
        """
        holder = self._holder
        if holder.key is None:
            return
        key, holder.key, holder.locked = holder.key, None, True
        self.engine.dispose()
        cipher.forget_key(key)
        key_wraps.forget_unwrap()

    def unlock(self, credentials: cipher.Credentials) -> None:
        """Take the key back from ``credentials`` (nothing to do for a plain or unlocked database).

        Raises:
            WrongPassword, WrongRecoveryKey, RecoveryKeyTypo, KeyFileProblem: the database stays locked.
        """
        if not self._holder.locked:
            return
        key = key_wraps.unwrap(self.path, credentials)
        self._holder.key, self._holder.locked = key, False
        cipher.remember(self.path, key)

    def adopt_key(self, key: bytes) -> None:
        """The file at the path is now encrypted with ``key`` (after ``center encrypt`` swapped it in)."""
        self.engine.dispose()
        self._holder.key, self._holder.locked = key, False
        cipher.remember(self.path, key)
        self.file_replaced()

    def refresh_key_file(self, *, session: Session | None = None) -> bool:
        """Rewrap the database key for the active accounts as they are now; True if the key file changed.

        Called after every commit that changed an account (password set, reset or changed, an account
        added, disabled or removed, also by sync), and on opening. Nothing to do for a plain database.
        """
        key = self._holder.key
        if key is None or self.read_only:
            return False
        if session is None:
            with Session(self._reading) as own:
                return self.refresh_key_file(session=own)
        rows = session.execute(
            text("SELECT login, password_hash FROM staff WHERE active = 1 AND deleted = 0 ORDER BY login")
        ).all()
        accounts = [(str(login), str(password_hash)) for login, password_hash in rows]
        return write_key_file(self.path, key, accounts)

    @property
    def is_server(self) -> bool:
        """True for a database on a PostgreSQL server (:class:`app.store.server.ServerDatabase`), False for a file."""
        return False

    def close(self) -> None:
        """Close every connection. An encrypted database's key stays known to this process (its raw
        connections: the command line signs in, closes, then backs up or restores the file); :meth:`lock`
        drops it (auto-lock, sign-out). A process that ends drops it anyway. A read-only database's private
        copy, if it was read from one, is removed."""
        self.engine.dispose()
        read_only.remove_copy(self.path, self._view_copy)
        self._view_copy = None


def backups_dir_for(path: Path) -> Path:
    return path.parent / "backups"


def open_database(
    path: Path,
    *,
    device_name: str = "",
    backups_dir: Path | None = None,
    create: bool = True,
    credentials: cipher.Credentials | None = None,
    key: bytes | None = None,
    encrypt_new: bool = False,
) -> tuple[Database, OpenReport]:
    """Open or create the database at ``path``, migrating an older file after a backup.

    A new file is created owner-only (0600, and so are its ``-wal`` and ``-shm``); an existing one is
    made owner-only if it was not.

    Args:
        create: make a new, empty database when ``path`` does not exist (False: refuse).
        credentials: who opens an encrypted file (its key is unwrapped from the key file); ignored for a
            plain file.
        key: the key of an encrypted file, when the caller has it already (tests, ``center encrypt``).
        encrypt_new: a new database is created encrypted, with a new key and recovery key (in the report).

    Raises:
        DatabaseMissing: ``path`` does not exist and ``create`` is False.
        DatabaseTooNew: the file was written by a newer version of the app.
        NotOurDatabase: the file is a folder, empty (0 bytes), not SQLite, or holds other tables and no
            CareRounds schema (an encrypted file without its key file is not recognisable either).
        DatabaseLocked: the file is encrypted and neither credentials nor key were given.
        WrongPassword, WrongRecoveryKey, RecoveryKeyTypo, KeyFileProblem: the credentials do not open it.
        DatabaseReadOnly: a new file cannot be created (its folder may not be written).
        DatabaseViewOnly: the file may not be written and must first be upgraded (an older version's).
        StoreError: SQLite failed while opening (disk full, I/O error, busy).

    A file this user may not write (or in a folder they may not write) is opened for viewing:
    ``database.read_only`` is True and every writing session is refused (:mod:`app.store.read_only`).
    """
    path = Path(path)
    if path.is_dir():
        raise migrations.NotOurDatabase("db.is_folder", path=path)
    exists = path.exists()
    if not create and not exists:
        raise migrations.DatabaseMissing("db.missing", path=path)
    if exists and path.stat().st_size == 0:
        # an empty file is what a failed copy or a mistyped --db leaves; SQLite would make it a new database
        raise migrations.NotOurDatabase("db.not_ours", path=path)
    report = OpenReport()
    viewing = False
    if exists:
        key = _key_of_existing(path, credentials, key)
        viewing = not read_only.may_write(path)
        owner_only(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_read_only(path)
        _create_owner_only(path)
        if encrypt_new:
            key = key or cipher.new_key()
            report.recovery_key = start_key_file(path, key)
    # remembered for plain files too: raw connections (backups, sync) then never read the live file's header
    # to find out (opening and closing a descriptor of it would drop this process's SQLite locks)
    cipher.remember(path, key)
    if key is not None:
        key_wraps.owner_only_key_file(path)
    holder = cipher.KeyHolder(path, key)
    if viewing:
        return _open_for_viewing(path, holder, report)
    engine = make_engine(path, holder.get)
    try:
        with translated(path):
            _open(engine, path, backups_dir, report)
            device_id, clock = _load_device(engine, device_name)
        database = Database(path, engine, device_id, clock, holder)
        database.refresh_key_file()
    except BaseException:
        engine.dispose()
        if key is not None:
            cipher.forget(path)
        if report.recovery_key is not None:  # created just now: leave no key file behind
            key_wraps.key_file_path(path).unlink(missing_ok=True)
        raise
    return database, report


def _open_for_viewing(path: Path, holder: cipher.KeyHolder, report: OpenReport) -> tuple[Database, OpenReport]:
    """Open the existing file ``path``, which this user may not write, for reading only (see :mod:`read_only`)."""
    try:
        with translated(path):
            source, copy = read_only.reading_source(path, holder.key)
    except BaseException:
        cipher.forget(path)
        raise
    engine = make_engine(source, holder.get, reading_only=True)
    try:
        with translated(path):
            reading = engine.execution_options(**{WRITE_OPTION: False})
            try:
                revision = migrations.current_revision(reading)
            except DatabaseError as error:
                if isinstance(error.orig, sqlite3.DatabaseError) and "not a database" in str(error.orig):
                    raise migrations.NotOurDatabase("db.not_ours", path=path) from error
                raise
            if revision is None:
                raise migrations.NotOurDatabase("db.not_ours", path=path)
            if revision != migrations.head_revision():
                if revision not in migrations.known_revisions():
                    raise migrations.DatabaseTooNew("db.too_new", found=revision, known=migrations.head_revision())
                raise DatabaseViewOnly("db.view_only_old", path=path)
            with Session(reading) as session:
                device_id = _first_device_id(session)
                stored = session.get(DeviceState, device_id) if device_id else None
            clock = HybridLogicalClock(device_id or "view-only", last=stored.last_clock if stored else "")
    except BaseException:
        engine.dispose()
        read_only.remove_copy(path, copy)
        cipher.forget(path)
        raise
    database = Database(path, engine, device_id, clock, holder)
    database.read_only, database._view_copy = True, copy
    log.info("%s may not be written: opened for viewing only", path)
    return database, report


def _key_of_existing(path: Path, credentials: cipher.Credentials | None, key: bytes | None) -> bytes | None:
    """The key that opens the existing file ``path`` (None: plain), checked before anything is written."""
    known, remembered = cipher.known_key(path)
    if known and remembered is not None and not cipher.opens(path, remembered):
        # a stale memory: files are remembered by device and inode, and a file this process once opened was
        # deleted and its inode given to this one (seen: a plain copy taken for an encrypted one, "not ours")
        cipher.forget(path)
        known, remembered = False, None
    if known and remembered is None and not key_wraps.key_file_path(path).exists():
        return None
    if known and remembered is not None and credentials is None and key is None:
        return remembered  # opened again by this process (the window after a restore, tests)
    if not known and cipher.file_is_plain(path):
        return None
    if key is not None:
        if not cipher.opens(path, key):
            raise cipher.KeyFileProblem("cipher.key_does_not_open", keys=key_wraps.key_file_path(path), path=path)
        return key
    if not key_wraps.key_file_path(path).exists():  # not SQLite, and no key file: not ours (or its key file lost)
        raise migrations.NotOurDatabase("db.not_ours", path=path)
    if credentials is None:
        raise cipher.DatabaseLocked("cipher.locked", path=path)
    return key_wraps.unwrap(path, credentials)


def start_key_file(path: Path, key: bytes) -> str:
    """Write a new key file for ``path`` with a new recovery key; return the recovery key as printed."""
    printed, secret = recovery_keys.new_recovery_key()
    keys = key_wraps.new_key_file()
    keys.set_recovery(key, secret)
    keys.write(path)
    return printed


def write_key_file(path: Path, key: bytes, accounts: list[tuple[str, str]]) -> bool:
    """Wrap ``key`` for ``accounts`` (login, password hash) in the key file of ``path``; False if unchanged."""
    import hashlib
    import hmac

    digest = hmac.new(key, repr(accounts).encode("utf-8"), hashlib.sha256).hexdigest()
    keys = key_wraps.KeyFile.read(path)
    if keys.digest == digest:
        return False
    keys.set_accounts(key, accounts)
    keys.digest = digest
    keys.write(path)
    return True


def _open(engine: Engine, path: Path, backups_dir: Path | None, report: OpenReport) -> None:
    reading = engine.execution_options(**{WRITE_OPTION: False})
    try:
        revision = migrations.current_revision(reading)
    except DatabaseError as error:  # not SQLite at all ("file is not a database"), or unreadable
        if isinstance(error.orig, sqlite3.DatabaseError) and "not a database" in str(error.orig):
            raise migrations.NotOurDatabase("db.not_ours", path=path) from error
        mapped = store_error(error, path=path)
        if mapped is not None and type(mapped) is not StoreError:  # busy, read-only, I/O error: said plainly
            raise mapped from error
        raise migrations.DatabaseUnreadable("db.unreadable", path=path, reason=error.orig) from error
    head = migrations.head_revision()
    if revision is None:
        if migrations.has_tables(reading):
            raise migrations.NotOurDatabase("db.not_ours", path=path)
        migrations.upgrade(engine)
        report.created = True
    elif revision != head:
        if revision not in migrations.known_revisions():
            raise migrations.DatabaseTooNew("db.too_new", found=revision, known=head)
        report.backup = _backup_before_upgrade(path, backups_dir, head)
        if report.backup is None:  # another window or command upgraded it meanwhile
            return
        # the migrations begin with BEGIN IMMEDIATE and read the revision under it: a second upgrader runs none
        migrations.upgrade(engine)
        report.upgraded_from = revision


def _backup_before_upgrade(path: Path, backups_dir: Path | None, head: str) -> Path | None:
    """Back up ``path`` before its upgrade, under its write lock; None if it is at ``head`` by then.

    Two windows (or a window and a command) started together on a file to upgrade both took this backup at
    once, under the same name (to the second): each removed the other's ``.partial``, and both failed to
    open ("… .partial is not a database file" / "No such file or directory"). Under the write lock the
    second waits for the first's backup, then finds the revision it will upgrade from (or none left).
    """
    locker = cipher.connect(path, isolation_level=None)
    try:
        locker.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        locker.execute("BEGIN IMMEDIATE")
        try:
            row = locker.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else ""
            if revision == head:
                return None
            target = (backups_dir or backups_dir_for(path)) / timestamped_name(path, f"before-upgrade-{revision}")
            backup = backup_database(path, target, write_locked=True)
        finally:
            locker.execute("ROLLBACK")
    finally:
        locker.close()
    log.info("backed up %s to %s before upgrading from %s", path, backup, revision)
    return backup


def _refuse_read_only(path: Path) -> None:
    """Refuse a file (or, for WAL's ``-wal`` / ``-shm`` files, a folder) this user may not write.

    Raises:
        DatabaseReadOnly: with the reason in the user's language.
    """
    folder = path.parent
    if (path.exists() and not os.access(path, os.W_OK)) or not os.access(folder, os.W_OK):
        raise DatabaseReadOnly("db.read_only", path=path)


def _create_owner_only(path: Path) -> None:
    """Create the empty file 0600 before SQLite does (it gives ``-wal`` / ``-shm`` the same mode).

    No connection to the file exists yet, so opening it here cannot drop SQLite's locks.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:  # made meanwhile by someone else: SQLite opens it as it is
        return
    os.close(descriptor)
    files.restrict_to_owner(path)  # Windows: a user-only ACL (the mode above is POSIX's)


def _load_device(engine: Engine, device_name: str) -> tuple[str, HybridLogicalClock]:
    with Session(engine) as session:  # BEGIN IMMEDIATE: two first starts make one device row
        state = session.get(DeviceState, _first_device_id(session))
        if state is None:
            state = DeviceState(device_id=str(uuid.uuid4()), name=device_name)
            session.add(state)
            session.commit()
        return state.device_id, HybridLogicalClock(state.device_id, last=state.last_clock)


def _first_device_id(session: Session) -> str:
    row = session.execute(text("SELECT device_id FROM device_state LIMIT 1")).first()
    return row[0] if row else ""
