"""The demo center the round services' tests change: a fresh copy for each test, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rounds_world import (
    TODAY,
)

from app.bootstrap import AppContext


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=300, seed=5, today=TODAY)


@pytest.fixture
def ctx(demo_file: Path, engine_copy: Callable[[Path], AppContext]) -> AppContext:
    """A fresh copy of the demo center for each test (tests write), on SQLite and on PostgreSQL (#20)."""
    return engine_copy(demo_file)


@pytest.fixture
def sqlite_ctx(demo_file: Path, template_copy: Callable[[Path], AppContext]) -> AppContext:
    """A copy of the demo on SQLite only: for the tests of SQLite's own plans and rowids."""
    return template_copy(demo_file)
