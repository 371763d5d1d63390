"""Raw SQL on a command-line test's center, on either engine (issue 20): what the tests used sqlite3 for.

``with connect(db) as raw: raw.execute("SELECT … WHERE id = ?", (x,)).fetchall()`` — ``db`` a SQLite file's
path or a ``postgresql://`` URL; ``?`` parameters on both engines; the statements of one ``with`` are one
transaction, committed at its end. The connection is the store's own (``make_engine`` for a file,
``make_server_engine`` for a server): the same pragmas, time zone and write lock as the commands'.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, inspect

from app.store.database import make_engine
from app.store.engines import ServerURL, is_server_url, make_server_engine


class Raw:
    """One transaction on the center: ``execute`` with SQLite's ``?`` parameters, whatever the engine."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        if self.dialect == "postgresql":  # psycopg's placeholders are %s, and it reads every %
            sql = sql.replace("%", "%%").replace("?", "%s")
        return self.connection.exec_driver_sql(sql, tuple(params))

    def tables(self) -> list[str]:
        return sorted(inspect(self.connection).get_table_names())


@contextmanager
def connect(db: Path | str) -> Iterator[Raw]:
    """A transaction on the center at ``db`` (a file or a server URL), committed when the block ends."""
    engine = make_server_engine(ServerURL(str(db))) if is_server_url(str(db)) else make_engine(Path(db))
    try:
        with engine.begin() as connection:
            yield Raw(connection)
    finally:
        engine.dispose()


def on_server(db: Path | str) -> bool:
    """True when ``db`` is a center on the PostgreSQL server (the test's ``postgresql`` run)."""
    return is_server_url(str(db))


def everything(db: Path | str) -> object:
    """All the center holds, to show a refused command did not even sign in: the file's bytes, or every row of
    every table on the server (where no byte of a file can be compared)."""
    if not on_server(db):
        return Path(db).read_bytes()
    with connect(db) as raw:
        return {
            table: sorted((tuple(row) for row in raw.execute(f'SELECT * FROM "{table}"')), key=repr)
            for table in raw.tables()
        }
