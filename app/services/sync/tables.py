"""What sync moves: the synced tables and their columns, in dependency order.

The rows themselves are read and written in bulk by :mod:`app.store.queries.sync_rows`, on sync's own
connection (:mod:`app.store.queries.sync_connection`), given a spec's table name and columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from app.store.queries.sync_rows import synced_table_layouts

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


@cache
def table_specs() -> tuple[TableSpec, ...]:
    """Return the synced tables in dependency order (parents before children)."""
    return tuple(TableSpec(name, columns, defaults) for name, columns, defaults in synced_table_layouts())


def spec_by_name() -> dict[str, TableSpec]:
    return {spec.name: spec for spec in table_specs()}
