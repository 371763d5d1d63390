"""The connection sync works on — one ``sqlite3`` connection, or the server's (:mod:`app.store.pg_sync`).

Exports and imports read and write up to millions of rows, so they work on a driver connection rather than
the ORM; transactions begin and end only through :class:`SyncConnection`'s methods. Opened by
:func:`app.store.queries.sync_connection.connect`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.store.sqlite import sqlite3


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
