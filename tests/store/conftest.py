"""Fixtures of the store tests: a store ``Database`` on each engine in turn (issue 20: the store suite runs on
both). What only a file has (backup copies, locks, file failures, two windows on one file, ACLs) is tested
with ``db_path`` and the file's own functions, and says so."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from store_engines import open_target

from app.store.database import Database


@pytest.fixture
def store_target(db_target: Path | str) -> Iterator[Callable[[], Database]]:
    """Return ``open_store()``: the database ``db_target`` (a file, then a server's) opened, closed after the test;
    it may be called again to open it anew (a restart)."""
    opened: list[Database] = []

    def open_store() -> Database:
        opened.append(open_target(db_target)[0])
        return opened[-1]

    yield open_store
    for database in opened:
        database.close()
