"""Factories for service tests: a fresh database, a center with staff, a small demo center."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import AppContext, open_context
from app.services.demo.center import create_demo_center

DEMO_TODAY = date(2026, 11, 16)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def context(request: pytest.FixtureRequest, db_path: Path) -> Iterator[AppContext]:
    """A new database on each engine in turn: a SQLite file, then a PostgreSQL database (marked ``postgres``;
    issue 20: the services suite runs on both). What only a file has (backups by file copy, encryption, locks)
    is tested with ``db_path`` and ``open_context`` directly."""
    target: Path | str = db_path if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
    ctx = open_context(target)
    yield ctx
    ctx.close()


@pytest.fixture
def engine_context(db_target: Path | str) -> Iterator[AppContext]:
    """:func:`context` on each engine in turn: a SQLite file, then a PostgreSQL database (marked ``postgres``)."""
    ctx = open_context(db_target)
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def demo_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    ctx = open_context(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    create_demo_center(ctx.database, residents=300, seed=7, today=DEMO_TODAY)
    yield ctx
    ctx.close()
