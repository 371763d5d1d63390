"""The command line: exit codes, text and JSON output, the demo command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def test_version_through_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"CareRounds {__version__}"


def test_demo_prints_logins_and_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--lang", "en", "demo", "--db", str(tmp_path / "d.sqlite"), "--residents", "40", "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Created the demo center" in out
    assert "doctor1" in out and "nurse1" in out and "demo1234" in out
    assert "resident 40" in out


def test_demo_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", str(tmp_path / "d.sqlite"), "--residents", "20", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["counts"]["resident"] == 20
    assert {login["role"] for login in payload["logins"]} == {"admin", "doctor", "nurse", "assistant"}


def test_demo_on_an_existing_center_is_refused_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "d.sqlite")
    assert main(["demo", "--db", db, "--residents", "10"]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "demo", "--db", db, "--residents", "10"]) == 2
    err = capsys.readouterr().err
    assert "already holds a center" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv", [["demo"], ["demo", "--db"], ["nonsense"], ["demo", "--db", "x", "--residents", "many"]]
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage" in capsys.readouterr().err


def test_bad_resident_count_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh_CN", "demo", "--db", str(tmp_path / "d.sqlite"), "--residents", "0"]) == 2
    assert "居民人数" in capsys.readouterr().err


def test_a_newer_database_is_refused_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    db = tmp_path / "d.sqlite"
    assert main(["demo", "--db", str(db), "--residents", "5"]) == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    capsys.readouterr()
    assert main(["--lang", "en", "demo", "--db", str(db)]) == 2
    assert "newer CareRounds" in capsys.readouterr().err
