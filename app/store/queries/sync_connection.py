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
from app.store.queries.sync_base import SyncConnection
from app.store.sqlite import sqlite3

log = logging.getLogger(__name__)


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
