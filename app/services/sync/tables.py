"""What sync moves: the synced tables, their columns, and a connection of its own for bulk work.

Exports and imports read and write up to millions of rows, so they work on a plain ``sqlite3``
connection with explicit transactions (``BEGIN`` … ``COMMIT``) rather than through ORM objects, and
never through the stamping hook: rows keep the clocks they were made with.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from app.store.models import SYNCED_TABLES

REQUIRED_COLUMNS = ("id", "created_at", "updated_at", "origin_device", "deleted", "field_clocks")


@dataclass(frozen=True)
class TableSpec:
    """A synced table as sync sees it.

    Attributes:
        name: the SQL table name.
        columns: every column, in table order.
        defaults: the value for a column a package from an older schema does not carry.
    """

    name: str
    columns: tuple[str, ...]
    defaults: dict[str, Any]

    def select_list(self, columns: tuple[str, ...] | None = None) -> str:
        return ", ".join(f'"{c}"' for c in (columns or self.columns))


@cache
def table_specs() -> tuple[TableSpec, ...]:
    """Return the synced tables in dependency order (parents before children)."""
    specs = []
    for model in SYNCED_TABLES:
        table = model.__table__  # type: ignore[attr-defined]
        defaults: dict[str, Any] = {}
        for column in table.columns:
            default = column.default
            if default is not None and getattr(default, "is_scalar", False):
                defaults[column.name] = default.arg
            else:
                defaults[column.name] = None
        specs.append(TableSpec(table.name, tuple(c.name for c in table.columns), defaults))
    return tuple(specs)


def spec_by_name() -> dict[str, TableSpec]:
    return {spec.name: spec for spec in table_specs()}


def connect(path: Path) -> sqlite3.Connection:
    """Open a connection for sync work: autocommit mode (transactions are explicit), WAL, foreign keys on."""
    connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA busy_timeout=30000")
    connection.execute("PRAGMA cache_size=-131072")
    connection.execute("PRAGMA temp_store=MEMORY")
    return connection


@contextmanager
def connection_for(path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(path)
    try:
        yield connection
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        connection.close()
