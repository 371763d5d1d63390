"""Factories for service tests: a fresh database, a center with staff, a small demo center."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import AppContext, open_context
from app.services.demo.center import create_demo_center

DEMO_TODAY = date(2026, 11, 16)


@pytest.fixture
def context(db_target: Path | str) -> Iterator[AppContext]:
    """A new database on each engine in turn (``db_target``): a SQLite file, then a PostgreSQL database (marked
    ``postgres``; issue 20: the services suite runs on both). What only a file has (backups by file copy,
    encryption, locks) is tested with ``db_path`` and ``open_context`` directly."""
    ctx = open_context(db_target)
    yield ctx
    ctx.close()


@pytest.fixture
def engine_context(context: AppContext) -> AppContext:
    """The same as :func:`context` (the name the first tests on both engines used)."""
    return context


@pytest.fixture(scope="module")
def demo_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    ctx = open_context(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    create_demo_center(ctx.database, residents=300, seed=7, today=DEMO_TODAY)
    yield ctx
    ctx.close()
