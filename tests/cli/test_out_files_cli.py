"""Issue 12 §3 and §8: every command that writes a file (``--out``) never overwrites the database, any other
database, a backup or a file of another kind (without ``--force``), writes atomically and 0600.

Before the fix ``sync export --out X.sqlite --db X.sqlite`` replaced the database with the package and exited
0, ``center invite --out`` did the same, and both overwrote any other database silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import struct
from pathlib import Path

import pytest

from app.cli.main import main
from app.store import cipher

PASSPHRASE = "Ward-7 round sheet"


@pytest.fixture
def other_db(template: Path, tmp_path: Path) -> Path:
    other = tmp_path / "other.sqlite"
    shutil.copyfile(template, other)
    return other


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARE_SYNC_PASSPHRASE", PASSPHRASE)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_sound_database(path: Path) -> bool:
    connection = cipher.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and bool(
            connection.execute("SELECT COUNT(*) FROM resident").fetchone()[0]
        )
    finally:
        connection.close()


def foreign_package(path: Path, *, kind: str = "sync", center_id: str = "another-center") -> Path:
    """A file with a package's clear header of another center (the tag is not checked by the rule)."""
    header = json.dumps(
        {"kind": kind, "schema": "0007", "center_id": center_id, "source_device": "d", "package_id": "p"}
    ).encode()
    path.write_bytes(b"CRSYNC\r\n" + struct.pack(">I", len(header)) + header + bytes(28))
    return path


def sync_export(db: Path, out: Path, *extra: str) -> list[str]:
    return ["sync", "export", "--out", str(out), "--db", str(db), *extra]


def center_invite(db: Path, out: Path, *extra: str) -> list[str]:
    return ["center", "invite", "--out", str(out), "--db", str(db), *extra]


def print_triage(db: Path, out: Path, *extra: str) -> list[str]:
    return [
        "print",
        "triage",
        "--institution",
        "康宁",
        "--out",
        str(out),
        "--db",
        str(db),
        "--today",
        "2026-11-16",
        *extra,
    ]


def backup_out(db: Path, out: Path, *extra: str) -> list[str]:
    return ["backup", "--out", str(out), "--db", str(db), *extra]


WRITERS = {"sync export": sync_export, "center invite": center_invite, "backup": backup_out}


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("force", [False, True])
def test_the_database_itself_is_never_the_output(
    command: str, force: bool, db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = db_file  # file-only: --out over the database file
    before = digest(db)
    code, out, err = run(capsys, *WRITERS[command](db, db, *(["--force"] if force else [])))
    assert code == 2 and str(db) in err and "database in use" in err and "Safe to unplug" not in out
    assert digest(db) == before and is_sound_database(db)


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_another_name_of_the_database_is_refused_too(
    command: str, db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = db_file  # file-only: --out over a link to the database file
    link, hard, relative = tmp_path / "link.crsync", tmp_path / "hard.crsync", Path(os.path.relpath(db))
    link.symlink_to(db)
    os.link(db, hard)
    before = digest(db)
    for target in (link, hard, relative, db.with_name(db.name + "-wal"), tmp_path / "." / db.name):
        code, _, err = run(capsys, *WRITERS[command](db, target, "--force"))
        assert code == 2 and str(target) in err, target
    assert digest(db) == before and is_sound_database(db) and link.is_symlink()


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("force", [False, True])
def test_any_other_database_is_never_overwritten(
    command: str, force: bool, db: Path, other_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(other_db)
    code, _, err = run(capsys, *WRITERS[command](db, other_db, *(["--force"] if force else [])))
    assert code == 2 and str(other_db) in err and "database file (SQLite)" in err
    assert digest(other_db) == before


def test_print_refuses_a_database_named_pdf(db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = db_file  # file-only: --out over a copy of or a link to the database file
    disguised = tmp_path / "copy.pdf"
    shutil.copyfile(db, disguised)
    link = tmp_path / "link.pdf"
    link.symlink_to(db)
    for target in (disguised, link):
        code, _, err = run(capsys, *print_triage(db, target, "--force"))
        assert code == 2 and str(target) in err
    assert digest(disguised) == digest(db) and is_sound_database(db)


def test_an_older_sync_file_of_this_center_is_replaced(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "weekly.crsync"
    assert run(capsys, *sync_export(db, out))[0] == 0
    first = digest(out)
    code, text, _ = run(capsys, *sync_export(db, out, "--full"))
    assert code == 0 and "Safe to unplug" in text and digest(out) != first


def test_another_centers_package_or_another_file_needs_force(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = foreign_package(tmp_path / "theirs.crsync")
    notes = tmp_path / "notes.crsync"
    notes.write_text("my notes", encoding="utf-8")
    empty = tmp_path / "empty.crsync"
    empty.touch()
    join = foreign_package(tmp_path / "join.crsync", kind="join")
    for target, found in ((theirs, "of another center"), (notes, "another kind"), (empty, "empty"), (join, "join")):
        before = digest(target)
        code, _, err = run(capsys, *sync_export(db, target))
        assert code == 2 and str(target) in err and found in err and "--force" in err, target
        assert digest(target) == before
        assert run(capsys, *sync_export(db, target, "--force"))[0] == 0
        assert target.read_bytes().startswith(b"CRSYNC") and digest(target) != before


def test_center_invite_replaces_only_its_own_join_package(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "join.crsync"
    assert run(capsys, *center_invite(db, out))[0] == 0
    assert run(capsys, *center_invite(db, out))[0] == 0  # an older invitation of this center
    sync = tmp_path / "sync.crsync"
    assert run(capsys, *sync_export(db, sync))[0] == 0
    before = digest(sync)
    code, _, err = run(capsys, *center_invite(db, sync))
    assert code == 2 and "a sync file" in err and digest(sync) == before
    assert run(capsys, *center_invite(db, sync, "--force"))[0] == 0


def test_print_replaces_a_pdf_but_not_another_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "triage.pdf"
    assert run(capsys, *print_triage(db, out))[0] == 0
    assert run(capsys, *print_triage(db, out))[0] == 0  # a PDF over a PDF
    text = tmp_path / "letter.pdf"
    text.write_text("not a pdf", encoding="utf-8")
    code, _, err = run(capsys, *print_triage(db, text))
    assert code == 2 and str(text) in err and text.read_text(encoding="utf-8") == "not a pdf"
    assert run(capsys, *print_triage(db, text, "--force"))[0] == 0
    assert text.read_bytes().startswith(b"%PDF-")


def test_a_backup_is_never_replaced_even_with_force(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "copy.sqlite"
    assert run(capsys, *backup_out(db, out))[0] == 0
    before = digest(out)
    for extra in ([], ["--force"]):  # a file's copy, or a server's pg_dump archive: a backup all the same
        code, _, err = run(capsys, *backup_out(db, out, *extra))
        assert code == 2 and str(out) in err and "never overwrites" in err and digest(out) == before


def test_help_documents_force(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["sync", "export"],
        ["center", "invite"],
        ["print", "rounds"],
        ["print", "triage"],
        ["print", "overdue"],
        ["backup"],
    ):
        assert main([*argv, "--help"]) == 0
        assert "--force" in capsys.readouterr().out, argv


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_packages_and_pdfs_are_written_owner_only(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = os.umask(0o022)
    try:
        outputs = {
            "sync": (tmp_path / "s.crsync", sync_export),
            "join": (tmp_path / "j.crsync", center_invite),
            "pdf": (tmp_path / "t.pdf", print_triage),
        }
        for out, command in outputs.values():
            assert run(capsys, *command(db, out))[0] == 0
            assert stat.S_IMODE(out.stat().st_mode) == 0o600, out
        # a replaced file is 0600 afterwards too, whatever it was
        out = outputs["pdf"][0]
        out.chmod(0o644)
        assert run(capsys, *print_triage(db, out))[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize("command", ["sync export", "print triage"])
def test_a_folder_that_cannot_be_written_is_reported_under_the_target_name(
    command: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said 'permission denied: <folder>/.weekly.crsync.k3j9x2.partial' — a name the user never chose.

    (A read-only folder refuses the temporary file for anyone but root; the suite runs as root, so the
    refusal is played by ``mkstemp`` raising what it raises there: the error names the temporary file.)
    """
    import tempfile

    stick = tmp_path / "stick"
    stick.mkdir()
    real = tempfile.mkstemp

    def read_only_folder(*args: object, **kwargs: object) -> tuple[int, str]:
        folder = kwargs.get("dir")
        if folder is not None and Path(str(folder)) == stick:
            name = f"{kwargs.get('prefix', '')}k3j9x2{kwargs.get('suffix', '')}"
            raise PermissionError(13, "Permission denied", os.path.join(str(folder), name))
        return real(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", read_only_folder)
    writer = {"sync export": sync_export, "print triage": print_triage}[command]
    out = stick / ("weekly.crsync" if command == "sync export" else "triage.pdf")
    code, _, err = run(capsys, *writer(db, out))
    assert code == 2 and str(out) in err
    assert ".partial" not in err
    assert not list(stick.iterdir())


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_another_databases_log_file_is_never_overwritten_even_with_force(
    command: str, suffix: str, db: Path, other_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A -shm has no magic bytes: it was replaced with --force, under another database's feet."""
    log = other_db.with_name(other_db.name + suffix)
    log.write_bytes(bytes(range(256)) * 128)  # what a -shm looks like: no recognisable header
    before = digest(log)
    code, _, err = run(capsys, *WRITERS[command](db, log, "--force"))
    assert code == 2 and str(log) in err and str(other_db) in err and "log file" in err
    assert digest(log) == before


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_rollback_journal_is_recognised_by_its_first_bytes(
    command: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "renamed.crsync"  # a hot journal, whatever its name: it is what a crashed writer needs
    journal.write_bytes(JOURNAL_MAGIC + bytes(504))
    code, _, err = run(capsys, *WRITERS[command](db, journal, "--force"))
    assert code == 2 and str(journal) in err and "database file (SQLite)" in err
    assert journal.read_bytes() == JOURNAL_MAGIC + bytes(504)
