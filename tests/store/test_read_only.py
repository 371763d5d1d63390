"""A database file this user may not write (issue 12 §6): opened for viewing, every write refused in words.

Tests run as root, for whom every file is writable: the permission check (``os.access``) is what is
simulated; SQLite itself could still write, so what is checked is that nothing of ours does (the file's bytes,
no ``-wal``/``-shm`` left next to it). A run as an ordinary user (0444 file, 0555 folder; plain and encrypted)
is described in docs/security.md, "A read-only database".

SQLite only: a file this user may not write (a server role's rights are the server's: docs/postgresql.md).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain import i18n
from app.services.demo import DEMO_PASSWORD
from app.store import cipher
from app.store.cipher import Credentials
from app.store.database import Database, open_database
from app.store.encrypt import encrypt_database
from app.store.errors import DatabaseViewOnly
from app.store.uow import UnitOfWork

TODAY = date(2026, 11, 16)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def neighbours(path: Path) -> list[str]:
    """Files next to the database that start with its name (``-wal``, ``-shm``, ``.signin``, temporary ones)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith((path.name, "." + path.name)))


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder private copies go to (checked empty after each test)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def deny_writes(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Return ``deny(path)``: from now on this user "may not write" ``path`` (a file or a folder)."""
    denied: set[str] = set()
    real = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and os.fspath(path) in denied:  # type: ignore[arg-type]
            return False
        return real(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    return lambda path: denied.add(str(path))


@pytest.fixture(params=["plain", "encrypted"])
def center(request: pytest.FixtureRequest, demo_center: Callable[..., Path], tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data" / "center.sqlite"
    path.parent.mkdir()
    shutil.copyfile(demo_center(residents=15, seed=4, today=TODAY), path)
    if request.param == "encrypted":
        encrypt_database(path)
        cipher.forget(path)  # as after a restart: the password opens it
    yield path
    cipher.forget(path)


def credentials(path: Path) -> Credentials | None:
    return Credentials("admin", DEMO_PASSWORD) if path.with_name(path.name + ".keys").exists() else None


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_database_that_may_not_be_written_opens_for_viewing_and_refuses_every_change(
    center: Path, what: str, deny_writes: Callable[[Path], None], temporary: Path
) -> None:
    """It was refused at start ("CareRounds cannot use it"): nothing could even be looked at."""
    deny_writes(center if what == "file" else center.parent)
    before, files = digest(center), neighbours(center)
    database, _report = open_database(center, create=False, credentials=credentials(center))
    try:
        assert database.read_only
        with UnitOfWork(database).reading() as uow:
            assert uow.rows("SELECT COUNT(*) FROM resident")[0][0] == 15
        for language, words in (("en", "is read-only"), ("zh_CN", "只读")):
            i18n.set_language(language)
            with pytest.raises(DatabaseViewOnly) as refused, UnitOfWork(database) as uow:
                uow.rows("UPDATE center SET name = 'changed'")
            assert words in str(refused.value) and str(center) in str(refused.value)
            assert "sqlalche.me" not in str(refused.value) and "OperationalError" not in str(refused.value)
        assert not database.refresh_key_file()  # nor its key file
    finally:
        database.close()
    assert digest(center) == before
    assert neighbours(center) == files  # no -wal, -shm nor .signin left next to it
    assert list(temporary.iterdir()) == []  # the private copy is gone with the database


def test_a_file_in_use_is_read_in_place_and_a_writer_elsewhere_is_seen(
    center: Path, deny_writes: Callable[[Path], None], temporary: Path
) -> None:
    """Its -wal and -shm exist (a writer has it open): read with mode=ro, SQLite's own locks, no copy."""
    writer, _report = open_database(center, create=False, credentials=credentials(center))
    try:
        with UnitOfWork(writer) as uow:
            uow.rows("SELECT COUNT(*) FROM center")  # the writer's connection: -wal and -shm exist now
        deny_writes(center)
        viewer, _report = open_database(center, create=False, credentials=credentials(center))
        try:
            assert viewer.read_only and viewer._view_copy is None and list(temporary.iterdir()) == []
            with UnitOfWork(writer) as uow:
                uow.session.execute(text("UPDATE center SET name = 'renamed meanwhile'"))
                uow.commit()
            with UnitOfWork(viewer).reading() as uow:
                assert uow.rows("SELECT name FROM center")[0][0] == "renamed meanwhile"
        finally:
            viewer.close()
    finally:
        writer.close()


def test_raw_connections_read_the_private_copy_while_the_database_is_viewed(
    center: Path, deny_writes: Callable[[Path], None], temporary: Path
) -> None:
    """The audit check, sync's state, an integrity check connect to the path: never to the live file then."""
    deny_writes(center.parent)
    database, _report = open_database(center, create=False, credentials=credentials(center))
    try:
        assert database._view_copy is not None
        raw = cipher.connect(center)
        try:
            assert raw.execute("SELECT COUNT(*) FROM resident").fetchone()[0] == 15
            with pytest.raises(cipher.sqlite3.OperationalError, match="readonly"):
                raw.execute("UPDATE center SET name = 'changed'")
        finally:
            raw.close()
    finally:
        database.close()
    assert neighbours(center) == sorted(p for p in neighbours(center) if not p.endswith(("-wal", "-shm")))
    assert Database.read_only is False  # a class default, for databases opened writable (and servers)
