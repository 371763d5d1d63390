"""Unit of work: one session, one transaction per user action; rolls back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.store.database import Database


class UnitOfWork:
    """A transaction on the database, used as ``with uow: ...; uow.commit()``.

    Args:
        database: the open database.
        actor_id: the signed-in staff member's id, for permissions and the audit trail.
    """

    session: Session

    def __init__(self, database: Database, *, actor_id: str | None = None) -> None:
        self.database = database
        self.actor_id = actor_id
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.session = self.database.session()
        self.session.info["actor_id"] = self.actor_id
        self._committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the loaded objects without
        # expiring them, so plain reads stay usable after the block
        self.session.close()

    def commit(self) -> None:
        """Write everything of this unit of work in one transaction."""
        self.session.flush()
        self.database.persist_clock(self.session)
        self.session.commit()
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def fast_rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a read-only SQL query on the driver's cursor and return plain tuples.

        For lists of many thousand rows, where building ORM or SQLAlchemy row objects would cost more
        than the query itself. Values come back as SQLite stores them (dates as ISO text).
        """
        driver = self.session.connection().connection.driver_connection
        assert driver is not None
        return driver.execute(sql, params or {}).fetchall()  # type: ignore[no-any-return]

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
        """Run a read-only SQL query and return its rows (for fast lists and figures)."""
        return list(self.session.execute(text(sql), params or {}).all())
