"""Unit of work: one session, one transaction per user action; rolls back unless committed.

A writing unit of work (the default) begins with ``BEGIN IMMEDIATE``: it holds the database's write
lock from its first statement on, so everything it reads — the row it changes, the row's per-field
clocks, the audit chain's head — is what it then writes against, even with a second window or a
command writing the same file. Another writer waits for the lock at most
:data:`~app.store.database.BUSY_TIMEOUT_MS`; past that the unit of work fails with
:class:`~app.store.errors.DatabaseBusy` and nothing of it is saved.

A reading unit of work (``write=False``: lists, reports, figures) begins a deferred transaction, so it
never waits for a writer (WAL readers see the last commit), and runs under ``PRAGMA query_only``: an
attempt to write in it fails instead of writing outside the lock.

Database failures (busy, disk full, I/O error, read-only, a vanished file) leave the block as
:class:`~app.store.errors.StoreError` with a translated message, never as driver exceptions.

Units of work do not nest on one thread: a writing one started while another writing one of the same
database is open on the thread would wait for the outer one's write lock, which the thread itself holds,
and fail as "busy" after the whole wait. It fails at once with :class:`NestedUnitOfWork` instead (a
programming error); so does entering a unit of work that is already open. A reading one inside a writing
one is allowed (it does not wait) but sees only what was committed before.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.domain.errors import DomainError
from app.store.database import Database
from app.store.errors import store_error
from app.store.sqlite import sqlite3


class ReadOnlyUnitOfWork(RuntimeError):
    """``commit()`` was called on a unit of work opened with ``write=False`` (a programming error)."""


class NestedUnitOfWork(RuntimeError):
    """A writing unit of work was started inside another on the same thread and database (a programming error)."""


_open_on_thread = threading.local()


log = logging.getLogger(__name__)

ACCOUNTS_CHANGED = "carerounds_accounts_changed"
"""Session info key: a staff row was written in this transaction (the key file is rewrapped after commit)."""


@event.listens_for(Session, "before_flush")
def _note_account_changes(session: Session, flush_context: object, instances: object) -> None:
    from app.store.models import Staff

    if any(isinstance(row, Staff) for row in (*session.new, *session.dirty, *session.deleted)):
        session.info[ACCOUNTS_CHANGED] = True


def _open_units() -> list[UnitOfWork]:
    units: list[UnitOfWork] | None = getattr(_open_on_thread, "units", None)
    if units is None:
        units = _open_on_thread.units = []
    return units


class UnitOfWork:
    """A transaction on the database, used as ``with uow: ...; uow.commit()``.

    Args:
        database: the open database.
        actor_id: the signed-in staff member's id, for permissions and the audit trail.
        write: take the write lock at the first statement (``BEGIN IMMEDIATE``); False for work that
            only reads, which then never waits for writers and may not write.
    """

    session: Session

    def __init__(self, database: Database, *, actor_id: str | None = None, write: bool = True) -> None:
        self.database = database
        self.actor_id = actor_id
        self.write = write
        self._committed = False

    def reading(self) -> UnitOfWork:
        """Return a reading unit of work (``write=False``) for the same database and actor.

        Every service that only reads uses one (lists, searches, records, plans, reports, figures):
        ``with uow.reading() as uow: ...`` — see "Reads use reading units of work" in docs/security.md.
        """
        return UnitOfWork(self.database, actor_id=self.actor_id, write=False)

    def __enter__(self) -> UnitOfWork:
        units = _open_units()
        if any(unit is self for unit in units):
            raise NestedUnitOfWork("this unit of work is already open: open a new one (or read with reading())")
        if self.write and any(unit.write and unit.database is self.database for unit in units):
            raise NestedUnitOfWork(
                "a writing unit of work inside another on the same thread would wait for its own write lock: "
                "finish the outer one first, or read with reading()"
            )
        self.session = self.database.session(write=self.write)
        units.append(self)
        self.session.info["actor_id"] = self.actor_id
        self._committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        units = _open_units()
        for index in range(len(units) - 1, -1, -1):
            if units[index] is self:
                del units[index]
                break
        # close() rolls back whatever was not committed and detaches the loaded objects without
        # expiring them, so plain reads stay usable after the block
        try:
            self.session.close()
        except (DBAPIError, sqlite3.Error) as error:  # the rollback itself failed (the file is gone, the disk failed)
            if exc is None:
                mapped = store_error(error, path=self.database.path)
                if mapped is None:
                    raise
                raise mapped from error
        if isinstance(exc, DBAPIError | sqlite3.Error):
            mapped = store_error(exc, path=self.database.path)
            if mapped is not None:
                raise mapped from exc

    def commit(self) -> None:
        """Write everything of this unit of work in one transaction.

        Raises:
            DatabaseVanished: the file was deleted or replaced since it was opened (nothing is written).
            StoreError: the database is busy, the disk is full, ... (nothing is written).
            ReadOnlyUnitOfWork: this unit of work was opened with ``write=False``.
        """
        if not self.write:
            raise ReadOnlyUnitOfWork("commit() in a unit of work opened with write=False")
        try:
            self.session.flush()
            self.database.persist_clock(self.session)
            self.database.check_file()
            self.session.commit()
        except (DBAPIError, sqlite3.Error) as error:
            mapped = store_error(error, path=self.database.path)
            if mapped is None:
                raise
            raise mapped from error
        self._committed = True
        if self.session.info.pop(ACCOUNTS_CHANGED, False):
            self._rewrap()

    def _rewrap(self) -> None:
        """An account changed (password, active): rewrap the database key for the accounts as they are now."""
        try:
            self.database.refresh_key_file()
        except (OSError, DomainError) as error:  # kept: the next opening rewraps; the old wraps still open it
            log.error("cannot rewrap the database key in %s: %s", self.database.path, error)

    def rollback(self) -> None:
        self.session.rollback()

    def fast_rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a read-only SQL query on the driver's cursor and return plain tuples.

        For lists of many thousand rows, where building ORM or SQLAlchemy row objects would cost more
        than the query itself. Values come back as SQLite stores them (dates as ISO text).
        """
        driver = self.session.connection().connection.driver_connection
        assert driver is not None
        if self.database.is_server:  # psycopg: its own parameter style, dates loaded as text (app.store.engines)
            from app.store.engines import fast_rows_on_server

            return fast_rows_on_server(driver, sql, params or {})
        return driver.execute(sql, params or {}).fetchall()  # type: ignore[no-any-return]

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
        """Run a read-only SQL query and return its rows (for fast lists and figures)."""
        return list(self.session.execute(text(sql), params or {}).all())
