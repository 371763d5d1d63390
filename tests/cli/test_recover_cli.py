"""``center recover``: every administrator password lost — the recovery key sets a new one, end to end."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from center_sql import connect

from app.cli.main import main
from app.services.demo import DEMO_PASSWORD
from app.store import key_wraps, recovery_keys

NEW = "a brand-new pass 1"


@pytest.fixture
def db(db_file: Path) -> Path:
    """File-only: the recovery key unwraps a database file's encryption key (a server database has none)."""
    return db_file


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def recover(db: Path, key_file: Path, login: str = "admin") -> list[str]:
    return ["center", "recover", "--db", str(db), "--user", login, "--recovery-key-file", str(key_file)]


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with connect(db) as raw:
        return list(raw.execute(sql).fetchall())


@pytest.fixture
def encrypted(db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[Path, Path]:
    """The demo copy encrypted by its administrator; the recovery key in an owner-only file."""
    code, out, _ = run(capsys, "center", "encrypt", "--db", str(db), "--json")
    assert code == 0
    key_file = tmp_path / "recovery.txt"
    key_file.write_text(json.loads(out)["recovery_key"] + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    return db, key_file


def test_lose_every_password_recover_with_the_key_and_sign_in_with_the_new_one(
    encrypted: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, key_file = encrypted
    monkeypatch.delenv("CARE_PASSWORD")  # nobody knows it any more
    monkeypatch.setenv("CARE_NEW_PASSWORD", NEW)
    code, out, _ = run(capsys, *recover(db, key_file))
    assert code == 0 and "The recovery key reset the password of admin" in out
    monkeypatch.setenv("CARE_PASSWORD", DEMO_PASSWORD)  # the old one opens nothing now
    assert run(capsys, "resident", "list", "--db", str(db)) == (2, "", "Error: Wrong login or password.\n")
    monkeypatch.setenv("CARE_PASSWORD", NEW)
    assert run(capsys, "resident", "list", "--db", str(db))[0] == 0
    monkeypatch.setenv("CARE_USER", "nurse1")  # the other accounts keep their passwords
    monkeypatch.setenv("CARE_PASSWORD", DEMO_PASSWORD)
    assert run(capsys, "plan", "--week", "2026-W47", "--db", str(db))[0] == 0
    audit = query(db, "SELECT action, staff_name, changes FROM auditentry WHERE entity = 'staff' ORDER BY updated_at")
    recovered = [row for row in audit if row[0] == "sign_in" and "recovery_key" in (row[2] or "")]
    assert len(recovered) == 1 and recovered[0][1] == "管理员"
    assert json.loads(recovered[0][2]) == {"via": [None, "cli:center recover"], "recovery_key": [None, True]}
    assert any(row[0] == "update" and row[1] == "管理员" and "password_hash" in row[2] for row in audit)


def test_the_new_password_is_asked_twice_on_a_terminal(
    encrypted: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, key_file = encrypted
    answers = iter([NEW, NEW + "x"])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    argv = recover(db, key_file)
    code, _, err = run(capsys, *argv)
    assert code == 2 and "The two new passwords differ; nothing changed." in err
    answers = iter([NEW, NEW])
    assert run(capsys, *argv)[0] == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("nurse", "“nurse1” is not an active administrator account. The recovery key resets an administrator's"),
        ("no key file", "give the center's recovery key with --recovery-key-file FILE"),
        ("no user", "say whose password to reset: --user LOGIN of an administrator"),
        ("no new password", "no new password: give --new-password-file FILE, set CARE_NEW_PASSWORD"),
        ("short", "the password needs at least 8 characters"),
        ("shared key file", "can be read by other users and is refused"),
        ("--password", "the password is never given on the command line"),
    ],
)
def test_a_recovery_is_refused_with_one_message_and_changes_nothing(
    encrypted: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    said: str,
) -> None:
    db, key_file = encrypted
    monkeypatch.setenv("CARE_NEW_PASSWORD", "short" if case == "short" else NEW)
    argv = ["center", "recover", "--db", str(db), "--user", "nurse1" if case == "nurse" else "admin"]
    argv += [] if case == "no key file" else ["--recovery-key-file", str(key_file)]
    if case == "no user":
        argv.remove("--user")
        argv.remove("admin")
        monkeypatch.delenv("CARE_USER")
    if case == "no new password":
        monkeypatch.delenv("CARE_NEW_PASSWORD")
    if case == "shared key file":
        key_file.chmod(0o644)
    if case == "--password":
        argv += ["--new-password", NEW]
    before = (db.read_bytes(), key_wraps.key_file_path(db).read_bytes())
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and said in err, err
    assert NEW not in err
    assert (db.read_bytes(), key_wraps.key_file_path(db).read_bytes()) == before


def test_a_wrong_or_mistyped_recovery_key_is_refused(
    encrypted: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, key_file = encrypted
    monkeypatch.setenv("CARE_NEW_PASSWORD", NEW)
    printed = key_file.read_text(encoding="utf-8").strip()
    other = tmp_path / "other.txt"
    typo = printed[:2] + ("Z" if printed[2] != "Z" else "Y") + printed[3:]
    for text in (recovery_keys.format_recovery_key(bytes(20)), typo):
        other.write_text(text + "\n", encoding="utf-8")
        other.chmod(0o600)
        code, out, err = run(capsys, *recover(db, other))
        assert code == 2 and out == "" and err.startswith("Error: "), err


def test_a_plain_database_has_no_recovery_key(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "recovery.txt"
    key_file.write_text(recovery_keys.format_recovery_key(bytes(20)) + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    monkeypatch.setenv("CARE_NEW_PASSWORD", NEW)
    before = db.read_bytes()
    code, _, err = run(capsys, *recover(db, key_file))
    assert code == 2 and "is not encrypted; it has no recovery key" in err
    assert db.read_bytes() == before
