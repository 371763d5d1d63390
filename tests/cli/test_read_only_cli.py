"""The command line on a database this user may not write (issue 12 §6): reading works, a change exits 2.

Tests run as root, for whom every file is writable: the permission check (``os.access``) is simulated.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli.main import main
from app.store import cipher

WEEK = "2026-W47"


@pytest.fixture
def db(db_file: Path) -> Path:
    """File-only: a database file this user may not write (what an account may not do: test_signin_cli.py)."""
    return db_file


@pytest.fixture
def deny_writes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[Path], None]:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    denied: set[str] = set()
    real = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and os.fspath(path) in denied:  # type: ignore[arg-type]
            return False
        return real(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    return lambda path: denied.add(str(path))


@pytest.fixture(params=["plain", "encrypted"])
def center(request: pytest.FixtureRequest, db: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    if request.param == "encrypted":
        assert main(["center", "encrypt", "--db", str(db)]) == 0
        cipher.forget(db)
        capsys.readouterr()
    return db


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_commands_work_and_a_change_exits_2_naming_the_file(
    center: Path, what: str, deny_writes: Callable[[Path], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command was refused: "read-only ... CareRounds cannot use it" (exit 1), even a list."""
    deny_writes(center if what == "file" else center.parent)
    before = digest(center)
    files = sorted(p.name for p in center.parent.iterdir())

    assert main(["--lang", "en", "resident", "list", "--db", str(center), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    residents = listed["residents"] if isinstance(listed, dict) else listed
    assert len(residents) == 15
    # a week from "today" on: the plan would first write the rounds it misses (refused before: exit 2)
    coming = ["plan", "--week", "2026-W50", "--today", "2026-12-07", "--json"]
    assert main(["--lang", "en", *coming, "--db", str(center)]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "plan", "--week", WEEK, "--db", str(center), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["week"] == WEEK

    resident = residents[0]["id"]
    code = main(["--lang", "en", "resident", "edit", resident, "--set", "phone=13800000000", "--db", str(center)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"The database file {center} is read-only" in err and "no change can be saved" in err
    assert "OperationalError" not in err and "sqlalche.me" not in err
    code = main(["--lang", "zh_CN", "resident", "edit", resident, "--set", "phone=13800000000", "--db", str(center)])
    assert code == 2 and "只读" in capsys.readouterr().err

    assert digest(center) == before
    assert sorted(p.name for p in center.parent.iterdir()) == files  # no -wal/-shm/.signin left behind
    assert list(Path(tempfile.gettempdir()).iterdir()) == []  # the private copies are gone
