"""Sync's own connection to the database, for bulk work, and its transactions.

Exports and imports read and write up to millions of rows, so they work on a plain ``sqlite3`` connection in
autocommit mode with explicit transactions (``BEGIN IMMEDIATE`` … ``COMMIT``) rather than through ORM objects,
and never through the stamping hook: rows keep the clocks they were made with. Services hold a
:class:`SyncConnection` and hand it to the functions of the ``sync_*`` query modules; they never see the driver.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from app.store import cipher
from app.store.database import Database
from app.store.sqlite import sqlite3

log = logging.getLogger(__name__)


class SyncConnection:
    """A connection for sync work; transactions begin and end only through its methods.

    Args:
        driver: the ``sqlite3`` connection, in autocommit mode (``isolation_level=None``). Only the
            ``app.store.queries.sync_*`` modules use it.
    """

    is_server = False
    """True on a PostgreSQL server (:class:`app.store.pg_sync.ServerSyncConnection`): the few statements whose
    shape differs choose their variant by it."""

    def __init__(self, driver: sqlite3.Connection) -> None:
        self.driver = driver

    # --- transactions ------------------------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self.driver.in_transaction

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Run the block in one write transaction (``BEGIN IMMEDIATE``): committed at its end, rolled back on any
        exception (which goes on)."""
        self.driver.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.driver.execute("COMMIT")
        except BaseException:
            self.driver.execute("ROLLBACK")
            raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Run the block in one read transaction: every read sees the database as it was at the first one."""
        self.driver.execute("BEGIN")
        try:
            yield
        finally:
            self.driver.execute("ROLLBACK")

    def begin_writing(self) -> None:
        """Take the write lock and begin a transaction (``BEGIN IMMEDIATE``); end it with :meth:`commit`,
        :meth:`try_commit` or :meth:`rollback`. For a transaction with several ways out (the import)."""
        self.driver.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.driver.execute("COMMIT")

    def try_commit(self) -> bool:
        """Commit; return False, the transaction still open, when a deferred foreign key is violated."""
        try:
            self.driver.execute("COMMIT")
        except sqlite3.IntegrityError:
            return False
        return True

    def rollback(self) -> None:
        self.driver.execute("ROLLBACK")

    def rollback_if_open(self) -> None:
        if self.driver.in_transaction:
            self.driver.execute("ROLLBACK")

    # --- settings ----------------------------------------------------------------------------------------

    def defer_foreign_keys(self) -> None:
        """Check foreign keys at the commit of the current transaction, not row by row (rows may come in any
        order within a package)."""
        self.driver.execute("PRAGMA defer_foreign_keys = ON")

    def defer_syncs(self) -> None:
        """Commit without syncing the log and without a checkpoint (until :meth:`restore_syncs`).

        The log is only appended to, with checksums, and nothing is written into the database file until a
        checkpoint that syncs first (:func:`checkpoint_quietly`), so a kill keeps what was committed and a
        power cut can only lose the last commit whole.
        """
        self.driver.execute("PRAGMA wal_autocheckpoint = 0")
        self.driver.execute("PRAGMA synchronous = OFF")

    def restore_syncs(self) -> None:
        """Back to the usual settings (closing the last connection checkpoints)."""
        self.driver.execute("PRAGMA synchronous = NORMAL")
        self.driver.execute("PRAGMA wal_autocheckpoint = 1000")

    def quick_check(self) -> bool:
        """Return whether SQLite's ``quick_check`` finds the file sound."""
        return bool(self.driver.execute("PRAGMA quick_check").fetchone()[0] == "ok")

    def use_wal(self) -> None:
        self.driver.execute("PRAGMA journal_mode=WAL")


def connect(where: Path | Database) -> SyncConnection:
    """Open a connection for sync work: autocommit mode (transactions are explicit), WAL, foreign keys on.

    ``where``: the database file, or an open database (a center on a PostgreSQL server gets a connection of
    :mod:`app.store.pg_sync`, which runs the same queries with the same values).
    """
    if isinstance(where, Database):
        if where.is_server:
            from app.store.pg_sync import connect_server

            return connect_server(where.engine)
        where = where.path
    from app.store.engines import refuse_server

    refuse_server(where, "sync")  # a server's shown URL is no file: the open database must be given
    driver = cipher.connect(where, isolation_level=None, check_same_thread=False, timeout=30)
    driver.execute("PRAGMA foreign_keys=ON")
    driver.execute("PRAGMA synchronous=NORMAL")
    driver.execute("PRAGMA busy_timeout=30000")
    driver.execute("PRAGMA cache_size=-131072")
    driver.execute("PRAGMA temp_store=MEMORY")
    return SyncConnection(driver)


@contextmanager
def sync_connection(where: Path | Database) -> Iterator[SyncConnection]:
    """Open a :func:`connect` connection to the database ``where`` (a file, or an open database, either
    engine); at the end, roll back what is still open and close it."""
    connection = connect(where)
    try:
        yield connection
    finally:
        if connection.in_transaction:
            connection.rollback()
        connection.driver.close()


@contextmanager
def unpacked_copy(path: Path) -> Iterator[SyncConnection]:
    """Open the database copy a join package carried (not in use by anyone), plain: autocommit, no pragmas."""
    connection = SyncConnection(cipher.connect(path, isolation_level=None))
    try:
        yield connection
    finally:
        connection.driver.close()


def checkpoint_quietly(path: Path) -> None:
    """Sync the log of the database at ``path`` and move it into the database file (skipped if busy)."""
    try:
        driver = cipher.connect(path, timeout=0)
        try:
            driver.execute("PRAGMA synchronous = NORMAL")  # sync the log first, the database file after
            driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            driver.close()
    except sqlite3.Error as error:  # a later commit checkpoints instead
        log.info("checkpoint after the import skipped: %s", error)


def utc_now_text() -> str:
    """Return the current UTC time as SQLAlchemy stores datetimes in SQLite."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
