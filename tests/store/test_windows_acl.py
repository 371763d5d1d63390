"""Issue 12 §8 on Windows: the database, backups, key file and packages get a user-only ACL (``icacls``).

Simulated here (Linux): ``sys.platform`` is set to ``win32`` and ``subprocess.run`` is recorded; the
command line must be exact, and a failure must be a logged warning, never a crash.

SQLite only: the ACLs of the files.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.store import private_files

TODAY = date(2026, 11, 16)


class Icacls:
    """Records the commands run; answers with ``returncode`` (or raises ``error``)."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []
        self.returncode = 0
        self.error: OSError | None = None

    def __call__(self, command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        assert isinstance(command, list) and "shell" not in kwargs  # a list of arguments, no shell
        self.commands.append(command)
        if self.error is not None:
            raise self.error
        return subprocess.CompletedProcess(command, self.returncode, b"", b"Access is denied.\r\n")

    def paths(self) -> list[str]:
        return [command[1] for command in self.commands if command[0] == "icacls"]


@pytest.fixture
def icacls(monkeypatch: pytest.MonkeyPatch) -> Icacls:
    recorder = Icacls()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("USERNAME", "nurse li")
    monkeypatch.setenv("USERDOMAIN", "KANGNING-PC")
    monkeypatch.setattr(private_files.subprocess, "run", recorder)
    return recorder


def test_the_command_is_exact(icacls: Icacls, tmp_path: Path) -> None:
    path = tmp_path / "a folder" / "center.sqlite"
    private_files.restrict_to_owner(path)
    assert icacls.commands == [["icacls", str(path), "/inheritance:r", "/grant:r", "KANGNING-PC\\nurse li:F"]]


def test_without_a_domain_the_user_alone(icacls: Icacls, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("USERDOMAIN")
    private_files.restrict_to_owner(tmp_path / "x.sqlite")
    assert icacls.commands[0][-1] == "nurse li:F"


@pytest.mark.parametrize("failure", ["exit", "missing"])
def test_a_failure_is_a_warning_not_a_crash(
    icacls: Icacls, tmp_path: Path, failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    if failure == "exit":
        icacls.returncode = 5
    else:
        icacls.error = FileNotFoundError(2, "No such file or directory", "icacls")
    with caplog.at_level(logging.WARNING, logger="app.store.private_files"):
        private_files.restrict_to_owner(tmp_path / "x.sqlite")
    [record] = caplog.records
    assert record.levelno == logging.WARNING and "owner only" in record.getMessage()
    assert ("exit 5" in record.getMessage() and "Access is denied" in record.getMessage()) or failure == "missing"


def test_nothing_is_run_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Icacls()
    monkeypatch.setattr(private_files.subprocess, "run", recorder)
    private_files.restrict_to_owner(tmp_path / "x.sqlite")
    assert recorder.commands == []  # POSIX: the files are created 0600


def test_database_backup_key_file_and_package_each_get_it(icacls: Icacls, tmp_path: Path) -> None:
    """Every file of health data the app creates: the database, a backup, the key file, an output file."""
    from app.services.output_files import atomic_output
    from app.store.backup import backup_database
    from app.store.cipher import forget
    from app.store.database import open_database

    db = tmp_path / "center.sqlite"
    database, _report = open_database(db, encrypt_new=True)
    try:
        assert str(db) in icacls.paths()  # created: before SQLite opens it
        keys = [p for p in icacls.paths() if Path(p).name.startswith(".center.sqlite.keys.")]
        assert keys  # the key file's temporary file, before its rename
        backup = backup_database(db, tmp_path / "backups" / "center-20261116-120000-manual.sqlite")
        assert str(backup) + private_files.PARTIAL_SUFFIX in icacls.paths()
    finally:
        database.close()
        forget(db)
    with atomic_output(tmp_path / "round.pdf") as (handle, temporary):
        handle.write(b"%PDF-1.4")
    assert str(temporary) in icacls.paths()


def test_an_existing_database_gets_it_at_open(icacls: Icacls, tmp_path: Path) -> None:
    """As 0600 is put back on POSIX: a database copied in (with its folder's ACL) is made user-only at open."""
    from app.store.database import open_database

    db = tmp_path / "center.sqlite"
    database, _report = open_database(db)
    database.close()
    icacls.commands.clear()
    database, _report = open_database(db, create=False)
    database.close()
    assert str(db) in icacls.paths()
