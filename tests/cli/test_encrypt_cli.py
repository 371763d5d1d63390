"""``center encrypt --db PATH`` (issue 15): a plain database encrypted in place, its recovery key printed once."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3 as stdlib_sqlite3  # the sqlite3 tool of someone who copied the file
from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import open_context
from app.cli.main import main
from app.services.demo import DEMO_PASSWORD, create_demo_center
from app.store import cipher, key_wraps
from app.store.cipher import Credentials

KEY = re.compile(r"(?:[0-9A-Z]{5}-){7}[0-9A-Z]{5}")


@pytest.fixture(scope="module")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain database as older versions made them (the demo is encrypted now)."""
    path = tmp_path_factory.mktemp("plain") / "center.sqlite"
    context = open_context(path)
    try:
        create_demo_center(context.database, residents=15, seed=4, today=date(2026, 11, 16))
    finally:
        context.close()
    return path


@pytest.fixture
def db(plain_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "center.sqlite"
    shutil.copyfile(plain_template, copy)
    return copy


def test_encrypt_converts_prints_the_recovery_key_and_leaves_no_plain_file(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with stdlib_sqlite3.connect(db) as plain:
        names = [row[0] for row in plain.execute("SELECT name FROM resident")]
        rows = plain.execute("SELECT COUNT(*) FROM visit").fetchone()[0]
    plain.close()
    assert main(["--lang", "en", "center", "encrypt", "--db", str(db), "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert KEY.fullmatch(said["recovery_key"]) and said["rows"] > rows
    data = db.read_bytes()
    assert not data.startswith(b"SQLite format 3") and not any(name.encode() in data for name in names)
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith((db.name, "." + db.name))) == [
        db.name,
        db.name + ".keys",
    ]  # no plain copy, -wal or temporary file left
    cipher.forget(db)
    for credentials in (Credentials("admin", DEMO_PASSWORD), Credentials(recovery_key=said["recovery_key"])):
        context = open_context(db, create=False, credentials=credentials)
        with context.uow().reading() as uow:
            assert sorted(row[0] for row in uow.rows("SELECT name FROM resident")) == sorted(names)
            assert uow.rows("SELECT COUNT(*) FROM visit")[0][0] == rows
            assert uow.rows("SELECT action FROM auditentry ORDER BY rowid DESC LIMIT 1")[0][0] == "database_encrypted"
        context.close()


def test_encrypt_prints_the_recovery_key_in_words(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "center", "encrypt", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Recovery key" in out and "safe" in out and KEY.search(out)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("twice", "is already encrypted"),
        ("garbage", "is not a CareRounds database"),
        ("missing", "There is no database file"),
    ],
)
def test_encrypt_refuses_with_exit_2_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, message: str
) -> None:
    target = db
    if case == "twice":
        assert main(["center", "encrypt", "--db", str(db)]) == 0
        cipher.forget(db)
    elif case == "garbage":
        target = tmp_path / "notes.sqlite"
        target.write_bytes(b"not a database at all " * 200)
    else:
        target = tmp_path / "nowhere.sqlite"
    capsys.readouterr()
    before = target.read_bytes() if target.exists() else None
    assert main(["--lang", "en", "center", "encrypt", "--db", str(target)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert (target.read_bytes() if target.exists() else None) == before


def test_the_demo_is_encrypted_and_its_printed_password_opens_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = tmp_path / "demo.sqlite"
    assert main(["--lang", "en", "demo", "--db", str(demo), "--residents", "8", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "The database is encrypted (the password opens it)" in out and KEY.search(out)
    assert "export CARE_USER=admin CARE_PASSWORD=demo1234" in out
    assert not demo.read_bytes().startswith(b"SQLite format 3") and key_wraps.key_file_path(demo).is_file()
    cipher.forget(demo)  # as a new process would
    monkeypatch.setenv("CARE_USER", "admin")
    monkeypatch.setenv("CARE_PASSWORD", DEMO_PASSWORD)
    assert main(["resident", "list", "--db", str(demo), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 8
    cipher.forget(demo)
    monkeypatch.setenv("CARE_PASSWORD", "not the password")
    assert main(["--lang", "en", "resident", "list", "--db", str(demo)]) == 2
    captured = capsys.readouterr()
    assert "Wrong login or password." in captured.err and "Traceback" not in captured.err
