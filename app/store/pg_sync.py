"""Sync's own connection on a PostgreSQL server: the same ``sync_*`` queries, the same packages (issue #20).

Sync by file works on a driver connection with explicit transactions (:mod:`app.store.queries.sync_connection`).
On a server that connection is psycopg's, wrapped so the ``sync_*`` query modules run unchanged and read and
write the values exactly as a SQLite file gives and takes them — so a package exported from a server is the
package the same center would export from its file, and either imports the other's:

- parameters: SQLite's ``?``, ``?1`` and ``:name`` become psycopg's ``%s`` / ``%(name)s`` (literals untouched);
- values read: booleans as 0/1, dates as ``YYYY-MM-DD``, timestamps as SQLAlchemy writes them into SQLite
  (``YYYY-MM-DD HH:MM:SS.ffffff``), JSON as its text;
- values written: integers are sent untyped, so the server reads a package's 0/1 into a boolean column
  (and a number into an integer one) as SQLite would;
- transactions: a writer takes the center's advisory lock first (:data:`~app.store.engines.WRITE_LOCK_KEY`,
  the lock every workstation's writes take), a snapshot is ``REPEATABLE READ READ ONLY``;
- foreign keys checked at the commit (the import's rows come in any order): the server's are ``DEFERRABLE``
  (migration 0012), the import defers them, and :meth:`ServerSyncConnection.try_commit` checks them under a
  savepoint, so a violation leaves the transaction open to set the orphans aside, as on SQLite.

What is a file's only stays so: the log and checkpoint settings do nothing here, and a server is never
the unpacked copy of a join package.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, Table
from sqlmodel import SQLModel

import app.store.models  # noqa: F401  (registers the tables)
from app.store.engines import WRITE_LOCK_KEY, ServerURL, server_connect_options, server_password
from app.store.queries.sync_base import SyncConnection

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"])*\"|::|%|\?(\d*)|(?<![:\w]):([A-Za-z_]\w*)")


@functools.lru_cache(maxsize=512)
def _pyformat(sql: str) -> tuple[str, bool]:
    """SQLite's parameters as psycopg's; True when they are numbered (``?1``: the values become a mapping)."""
    numbered = False

    def replace(match: re.Match[str]) -> str:
        nonlocal numbered
        token = match.group(0)
        if token.startswith("?"):
            if match.group(1):
                numbered = True
                return f"%(p{match.group(1)})s"
            return "%s"
        if match.group(2):
            return f"%({match.group(2)})s"
        return token.replace("%", "%%")

    return _TOKEN.sub(replace, sql), numbered


def _parameters(params: Any, numbered: bool) -> Any:
    if numbered:
        return {f"p{number}": value for number, value in enumerate(params, start=1)}
    return params


class ServerDriver:
    """The few methods of a ``sqlite3.Connection`` the ``sync_*`` modules use, on a psycopg connection."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.connection.info.transaction_status != TransactionStatus.IDLE)

    def execute(self, sql: str, params: Any = ()) -> Any:
        text, numbered = _pyformat(sql)
        return self.connection.execute(text, _parameters(params, numbered) if params else None)

    def executemany(self, sql: str, rows: Any) -> Any:
        text, numbered = _pyformat(sql)
        cursor = self.connection.cursor()
        cursor.executemany(text, [_parameters(row, numbered) for row in rows])
        return cursor

    def close(self) -> None:
        self.connection.close()


class ServerSyncConnection(SyncConnection):
    """:class:`SyncConnection` on a server database: the same methods, PostgreSQL's transactions."""

    driver: ServerDriver  # type: ignore[assignment]

    is_server = True

    @property
    def in_transaction(self) -> bool:
        return self.driver.in_transaction

    def begin_writing(self) -> None:
        self.driver.execute("BEGIN")
        self.driver.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    @contextmanager
    def writing(self) -> Iterator[None]:
        self.begin_writing()
        try:
            yield
            self.commit()
        except BaseException:
            self.rollback_if_open()
            raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        self.driver.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            self.driver.execute("ROLLBACK")

    def try_commit(self) -> bool:
        """Commit; return False, the transaction still open, when a deferred foreign key is violated."""
        from psycopg import errors

        self.driver.execute("SAVEPOINT carerounds_foreign_keys")
        try:
            self.driver.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks what was deferred, now
        except errors.ForeignKeyViolation:
            self.driver.execute("ROLLBACK TO SAVEPOINT carerounds_foreign_keys")  # deferred again, still open
            return False
        self.commit()
        return True

    def rollback_if_open(self) -> None:
        if self.driver.in_transaction:
            self.driver.execute("ROLLBACK")

    def defer_foreign_keys(self) -> None:
        self.driver.execute("SET CONSTRAINTS ALL DEFERRED")

    def defer_syncs(self) -> None:
        """Nothing: the server's log is the server's (a file's log and checkpoints only)."""

    def restore_syncs(self) -> None:
        """Nothing (see :meth:`defer_syncs`)."""

    def quick_check(self) -> bool:
        return True  # a server database is never a join package's unpacked copy

    def use_wal(self) -> None:
        """Nothing: a file's journal mode."""


def connect_server(engine: Engine) -> ServerSyncConnection:
    """A new psycopg connection to the server database of ``engine``, in autocommit mode (explicit transactions),
    with the workstation's session settings, loading and sending values as a SQLite file does."""
    import psycopg

    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    options = server_connect_options()
    password = engine.url.password or server_password(ServerURL(url))
    if password:
        options["password"] = str(password)  # in memory only (server_password)
    connection = psycopg.connect(psycopg.conninfo.make_conninfo(url, **options), autocommit=True)
    _adapt_as_sqlite(connection)
    return ServerSyncConnection(ServerDriver(connection))  # type: ignore[arg-type]


def _adapt_as_sqlite(connection: Any) -> None:
    from psycopg.adapt import Dumper, Loader
    from psycopg.types.string import TextLoader

    class Untyped(Dumper):
        """An integer sent with no type: the column decides (0/1 into a boolean, as SQLite stores booleans)."""

        oid = 0

        def dump(self, obj: Any) -> bytes:
            return str(int(obj)).encode()

    class ZeroOne(Loader):
        def load(self, data: Any) -> int:
            return 1 if bytes(data) == b"t" else 0

    class SQLiteTimestamp(Loader):
        """``2026-11-16 08:00:00.5`` as SQLAlchemy stores it in SQLite: ``2026-11-16 08:00:00.500000``."""

        def load(self, data: Any) -> str:
            text = bytes(data).decode()
            if text[-3] in "+-":  # timestamptz: the session is UTC (engines.server_connect_options), "+00"
                text = text[:-3]
            whole, _, fraction = text.partition(".")
            return f"{whole}.{fraction.ljust(6, '0')}"

    connection.adapters.register_dumper(int, Untyped)
    connection.adapters.register_loader("bool", ZeroOne)
    connection.adapters.register_loader("timestamp", SQLiteTimestamp)
    connection.adapters.register_loader("timestamptz", SQLiteTimestamp)
    for name in ("date", "json", "jsonb"):
        connection.adapters.register_loader(name, TextLoader)


def foreign_key_violations(connection: SyncConnection) -> list[tuple[str, str | None]]:
    """``(table, id)`` of each row whose reference finds no record: PostgreSQL's ``PRAGMA foreign_key_check``."""
    found: list[tuple[str, str | None]] = []
    for table in SQLModel.metadata.sorted_tables:
        for sql in _orphan_queries(table):
            found += [(table.name, row[0]) for row in connection.driver.execute(sql).fetchall()]
    return found


def _orphan_queries(table: Table) -> Sequence[str]:
    key = 'c."id"' if "id" in table.columns else "NULL"
    return [
        f'SELECT {key} FROM "{table.name}" c WHERE c."{fk.parent.name}" IS NOT NULL AND NOT EXISTS '
        f'(SELECT 1 FROM "{fk.column.table.name}" p WHERE p."{fk.column.name}" = c."{fk.parent.name}")'
        for fk in table.foreign_keys
    ]
