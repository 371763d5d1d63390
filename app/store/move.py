"""Moving a center from its SQLite file onto a PostgreSQL server (``center move-to``), verified.

Everything is copied — every table of the schema, the device's own state and the audit chain included —
into an EMPTY server database that gets the same schema revision first. The copy is one server transaction:
a failure leaves the server database as empty as it was. Then both sides are read again and compared: the
row count of each table and a SHA-256 digest of each table's content (every row, every column, in a form
that does not depend on the engine: dates as ISO text, booleans as 0/1, the rows' texts sorted in Python,
since the two engines may collate text differently). The SQLite file is not changed: it is the
backup of the moment of the move (the server database continues it with the same device id, so the file
must not be opened as a workstation again — docs/postgresql.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, inspect, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import app.store.models  # noqa: F401  (registers the tables)
from app.domain.errors import DomainError
from app.domain.i18n import register
from app.store import migrations
from app.store.database import make_engine
from app.store.engines import WRITE_OPTION, ServerURL, make_server_engine
from app.store.errors import StoreError
from app.store.server_errors import connection_failure

register(
    {
        "move.target_not_empty": {
            "zh_CN": "服务器数据库 {url} 不是空的（已有 {what}）。只能迁移到新建的空数据库，请让管理员新建一个。",
            "en": "The server database {url} is not empty (it holds {what}). A center can only be moved into a "
            "new, empty database: ask the administrator for one.",
        },
        "move.source_not_current": {
            "zh_CN": "数据库文件 {path} 的结构版本是 {found}，需先用本程序打开一次（升级到 {head}）再迁移。",
            "en": "The database file {path} has schema {found}: open it once with this version (upgrading it "
            "to {head}) before moving it.",
        },
        "move.source_tables": {
            "zh_CN": "数据库文件 {path} 含有本程序不认识的表（{tables}），未迁移。",
            "en": "The database file {path} holds tables this version does not know ({tables}); nothing was moved.",
        },
        "move.mismatch": {
            "zh_CN": "迁移后核对不一致（表 {table}：文件 {source} 行，服务器 {target} 行，摘要{digest}）。"
            "服务器上的副本已删除，数据库文件未改动。",
            "en": "The check after the move failed (table {table}: {source} rows in the file, {target} on the "
            "server, digest {digest}). The server copy was removed; the database file is unchanged.",
        },
    }
)


class MoveRefused(DomainError):
    """The move cannot start (a non-empty target, an old or foreign source); nothing was written."""


class MoveMismatch(StoreError):
    """The copy on the server differs from the file: it was removed again."""


DERIVED_TABLES = ("resident_facts",)
"""Tables triggers keep from the others: copied as they are with the triggers off, then checked like the rest."""

SQLITE_ONLY_PREFIXES = ("resident_search",)
"""Tables of a SQLite file that are SQLite's own indexes (not copied: the server's schema has its own)."""

_TRIGGER_TABLES = ("resident", "visit", "assessment", "condition")
_CHUNK = 2_000


@dataclass
class MoveSummary:
    """What was moved: rows per table, the content digest both sides agree on."""

    counts: dict[str, int] = field(default_factory=dict)
    digest: str = ""

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def tables() -> list[Table]:
    """The schema's tables, parents first (the order a copy can insert them in)."""
    return list(SQLModel.metadata.sorted_tables)


def move_to_server(source: Path, url: ServerURL) -> MoveSummary:
    """Copy the center in the SQLite file ``source`` into the empty server database ``url`` and verify it.

    Raises:
        MoveRefused: the target is not empty, or the source is not at this version's schema / has unknown tables.
        MoveMismatch: counts or digests differ after the copy (the server copy is dropped again).
        DatabaseUnreadable: the server cannot be reached.
    """
    source_engine = make_engine(source).execution_options(**{WRITE_OPTION: False})
    target_engine = make_server_engine(url)
    try:
        _check_source(source_engine, source)
        _check_target_empty(target_engine, url)
        migrations.upgrade(target_engine)
        with source_engine.connect() as reading, target_engine.begin() as writing:
            _copy(reading, writing)
        with source_engine.connect() as reading:
            expected = table_digests(reading)
        with target_engine.execution_options(**{WRITE_OPTION: False}).connect() as reading:
            found = table_digests(reading)
        for name, (count, digest) in expected.items():
            if found.get(name) != (count, digest):
                _empty(target_engine)
                other = found.get(name, (0, ""))
                raise MoveMismatch(
                    "move.mismatch", table=name, source=count, target=other[0], digest=f"{digest[:12]}≠{other[1][:12]}"
                )
        with target_engine.connect() as connection:  # the planner's statistics now, not at autovacuum's leisure
            # the schema's own tables: a bare ANALYZE warns for each shared catalog a non-superuser may not analyze
            connection.exec_driver_sql("ANALYZE " + ", ".join(f'"{table.name}"' for table in tables()))
            connection.commit()
        counts = {name: count for name, (count, _) in expected.items()}
        return MoveSummary(counts=counts, digest=center_digest(expected))
    finally:
        source_engine.dispose()
        target_engine.dispose()


def copy_server_to_file(engine: Engine, target: Path) -> MoveSummary:
    """Copy the server database of ``engine`` into a new, plain SQLite file ``target`` (a join package's snapshot).

    The reverse of :func:`move_to_server`, for ``center invite`` on a server center: the laptop gets the SQLite
    copy a file center's invitation carries. Read in one ``REPEATABLE READ`` transaction (a consistent view
    while the workstations go on writing), written in one SQLite transaction, then both sides compared like a
    move (counts and content digest per table).

    Raises:
        MoveMismatch: the file differs from the server (it is removed again).
    """
    file_engine = make_engine(target, key=None)
    try:
        migrations.upgrade(file_engine)
        server = engine.execution_options(**{WRITE_OPTION: False}, isolation_level="REPEATABLE READ")
        with server.connect() as reading:
            with file_engine.begin() as writing:
                _copy(reading, writing, into_file=True)
            expected = table_digests(reading)
        with file_engine.connect() as reading:
            found = table_digests(reading)
        for name, (count, digest) in expected.items():
            if found.get(name) != (count, digest):
                other = found.get(name, (0, ""))
                raise MoveMismatch(
                    "move.mismatch", table=name, source=count, target=other[0], digest=f"{digest[:12]}≠{other[1][:12]}"
                )
        counts = {name: count for name, (count, _) in expected.items()}
        return MoveSummary(counts=counts, digest=center_digest(expected))
    except BaseException:
        file_engine.dispose()
        target.unlink(missing_ok=True)
        raise
    finally:
        file_engine.dispose()


def _check_source(engine: Engine, path: Path) -> None:
    found = migrations.current_revision(engine)
    if found != migrations.head_revision():
        raise MoveRefused("move.source_not_current", path=path, found=found, head=migrations.head_revision())
    known = {table.name for table in tables()} | {"alembic_version"}
    names = inspect(engine).get_table_names()
    # SQLite's own search index (FTS5, migration 0009) and its shadow tables: the server has pg_trgm's instead
    extra = sorted(name for name in set(names) - known if not name.startswith(SQLITE_ONLY_PREFIXES))
    if extra:
        raise MoveRefused("move.source_tables", path=path, tables=", ".join(extra))


def _check_target_empty(engine: Engine, url: ServerURL) -> None:
    """The first contact with the server: one that cannot be reached (or refuses us) is said plainly."""
    try:
        names = inspect(engine).get_table_names()
    except DBAPIError as error:
        reason = connection_failure(url, str(error.orig))
        raise migrations.DatabaseUnreadable("db.unreadable", path=url.shown, reason=reason) from error
    if names:
        shown = ", ".join(sorted(names)[:5]) + ("…" if len(names) > 5 else "")
        raise MoveRefused("move.target_not_empty", url=url.shown, what=shown)


def _copy(reading: Connection, writing: Connection, *, into_file: bool = False) -> None:
    """Insert every row of every table, the derived ones' triggers off for the copy (the same transaction).

    ``into_file``: the target is a SQLite file, whose triggers cannot be switched off: they fill the derived
    tables as the rows arrive, which are then emptied and copied as they are, last.
    """
    if not into_file:
        for name in _TRIGGER_TABLES:
            writing.exec_driver_sql(f'ALTER TABLE "{name}" DISABLE TRIGGER USER')
    writing.exec_driver_sql("DELETE FROM device_state")  # the new schema has none: the source's moves over
    ordered = tables()
    if into_file:
        ordered.sort(key=lambda table: table.name in DERIVED_TABLES)  # stable: parents still first
    for table in ordered:
        if into_file and table.name in DERIVED_TABLES:
            writing.exec_driver_sql(f'DELETE FROM "{table.name}"')
        batch: list[dict[str, Any]] = []
        for row in reading.execute(select(table)).mappings():
            batch.append(dict(row))
            if len(batch) >= _CHUNK:
                writing.execute(table.insert(), batch)
                batch = []
        if batch:
            writing.execute(table.insert(), batch)
    if not into_file:
        for name in _TRIGGER_TABLES:
            writing.exec_driver_sql(f'ALTER TABLE "{name}" ENABLE TRIGGER USER')


def _empty(engine: Engine) -> None:
    """Drop what the move made on the server (after a failed check): back to an empty database."""
    with engine.begin() as connection:
        for name in [*reversed([table.name for table in tables()]), "alembic_version"]:
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}" CASCADE')


def _canonical(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _rows(connection: Connection, table: Table) -> Iterator[str]:
    for row in connection.execute(select(table)):
        yield json.dumps([_canonical(value) for value in row], ensure_ascii=False, default=str)


def table_digests(connection: Connection) -> dict[str, tuple[int, str]]:
    """Return ``{table: (rows, sha256 of its content)}`` — the same on both engines for the same center."""
    found: dict[str, tuple[int, str]] = {}
    for table in tables():
        rows = sorted(_rows(connection, table))
        digest = hashlib.sha256()
        for row in rows:
            digest.update(row.encode("utf-8"))
            digest.update(b"\n")
        found[table.name] = (len(rows), digest.hexdigest())
    return found


def center_digest(digests: dict[str, tuple[int, str]]) -> str:
    """One digest of the whole center from :func:`table_digests`."""
    whole = hashlib.sha256()
    for name in sorted(digests):
        count, digest = digests[name]
        whole.update(f"{name}:{count}:{digest}\n".encode())
    return whole.hexdigest()


def database_digest(engine: Engine) -> tuple[dict[str, int], str]:
    """Row counts and the content digest of the database behind ``engine`` (either engine)."""
    with engine.execution_options(**{WRITE_OPTION: False}).connect() as connection:
        digests = table_digests(connection)
    return {name: count for name, (count, _) in digests.items()}, center_digest(digests)
