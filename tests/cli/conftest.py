"""Shared set-up of the command-line tests: one small demo center per module, copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.cli.main import main

DEMO_DAY = "2026-11-16"
"""A Monday: the demo is made as on this day, whatever the real one (the demo depends on the day)."""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 15-resident demo center (seed 4), made once for the module."""
    path = tmp_path_factory.mktemp("cli-demo") / "center.sqlite"
    assert main(["demo", "--db", str(path), "--residents", "15", "--seed", "4", "--today", DEMO_DAY]) == 0
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A copy of :func:`template` of the test's own, with the demo's output already read."""
    copy = tmp_path / "center.sqlite"
    shutil.copyfile(template, copy)
    capsys.readouterr()
    return copy
