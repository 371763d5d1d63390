"""``audit verify`` on the command line: exit 0 when intact, 1 listing the breaks, 2 when unreadable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from center_sql import connect

from app.bootstrap import open_context
from app.cli.main import main
from app.services.accounts import sign_in as accounts
from app.services.accounts.sign_in import sign_in
from app.services.admin.center import set_up_center
from app.store import cipher


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A center whose administrator signed in three times: a few audit entries."""
    path = tmp_path_factory.mktemp("template") / "center.sqlite"
    real, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    ctx = open_context(path)
    try:
        set_up_center(
            ctx.uow(),
            name="康宁街道社区卫生服务中心",
            code="KN01",
            admin_name="王管理",
            admin_login="admin",
            admin_password="s3cret-pass",
        )
        for _ in range(3):
            sign_in(ctx.uow(), login="admin", password="s3cret-pass")
    finally:
        ctx.close()
        accounts._hasher = real
    return path


@pytest.fixture(autouse=True)
def _signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARE_PASSWORD", "s3cret-pass")  # this center's administrator (conftest: CARE_USER=admin)


def entry_ids(db: Path | str) -> list[str]:
    with connect(db) as raw:
        return [row[0] for row in raw.execute("SELECT id FROM auditentry ORDER BY updated_at")]


def test_an_intact_trail_exits_0(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "audit", "verify", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"The audit trail is intact: {len(entry_ids(db))} entries from 1 device(s)" in out


def test_an_intact_trail_as_json(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "--db", str(db), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True and payload["problems"] == []
    assert payload["entries"] == len(entry_ids(db)) == payload["devices"][0]["entries"]


def test_an_edited_and_a_deleted_entry_exit_1_naming_them(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    ids = entry_ids(db)
    with connect(db) as raw:
        raw.execute("UPDATE auditentry SET staff_name = '别人' WHERE id = ?", (ids[1],))
        raw.execute("DELETE FROM auditentry WHERE id = ?", (ids[3],))
    assert main(["--lang", "en", "audit", "verify", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "The audit trail has 2 problem(s)" in out
    assert "entry 2 (" in out and ids[1] in out and "changed after it was written" in out
    assert ids[4] in out and "removed or changed" in out


def test_problems_as_json(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    ids = entry_ids(db)
    with connect(db) as raw:
        raw.execute("DELETE FROM auditentry WHERE id = ?", (ids[2],))
    assert main(["audit", "verify", "--db", str(db), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert [(p["kind"], p["entry_id"], p["position"]) for p in payload["problems"]] == [("missing_before", ids[3], 3)]


def test_verify_changes_nothing_but_records_the_sign_in(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    with connect(db) as raw:
        before = [tuple(row) for row in raw.execute("SELECT action, staff_name FROM auditentry")]
    main(["audit", "verify", "--db", str(db)])
    with connect(db) as raw:
        after = [tuple(row) for row in raw.execute("SELECT action, staff_name FROM auditentry")]
    assert sorted(after) == sorted([*before, ("sign_in", "王管理")])


@pytest.mark.parametrize("name", ["missing.sqlite", "garbage.sqlite", "other.sqlite"])
def test_an_unreadable_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    (tmp_path / "garbage.sqlite").write_bytes(b"garbage" * 1000)
    with cipher.connect(tmp_path / "other.sqlite") as raw:
        raw.execute("CREATE TABLE things (x)")
    assert main(["--lang", "en", "audit", "verify", "--db", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    # signing in opens the database first: its message says what is wrong with the file
    said = "There is no database file" if name == "missing.sqlite" else "is not a CareRounds database"
    assert said in err and "Traceback" not in err
    assert not (tmp_path / "missing.sqlite").exists()


@pytest.mark.parametrize("argv", [["audit"], ["audit", "verify"], ["audit", "check", "--db", "x"]])
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage" in capsys.readouterr().err


# --- entries cut from the end of the trail: found by comparing with a backup -------------------------------


def test_entries_cut_from_the_end_are_found_with_a_backup(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = db_file  # file-only: compares with the file's backup copies (a server's backups are pg_dump archives)
    assert main(["backup", "--db", str(db)]) == 0
    ids = entry_ids(db)
    with connect(db) as raw:
        raw.execute("DELETE FROM auditentry WHERE id IN (?, ?)", (ids[-1], ids[-2]))
    capsys.readouterr()
    assert main(["--lang", "en", "audit", "verify", "--db", str(db), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert [(p["kind"], p["entry_id"], p["position"]) for p in payload["problems"]] == [("cut_off", ids[-1], len(ids))]
    assert payload["compared_with"].endswith(".sqlite")
    assert main(["--lang", "en", "audit", "verify", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "entries were cut from the end of the trail" in out and "Compared with the backup" in out


def test_without_a_backup_the_report_says_what_it_cannot_see(
    db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = entry_ids(db)
    with connect(db) as raw:
        raw.execute("DELETE FROM auditentry WHERE id = ?", (ids[-1],))
    assert main(["--lang", "en", "audit", "verify", "--db", str(db)]) == 0
    assert "No backup to compare with" in capsys.readouterr().out


def test_a_backup_given_with_against_is_used(
    db: Path | str, template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "elsewhere.sqlite"  # a file backup of the center: on a server, e.g. the file it was moved from
    shutil.copyfile(template, copy)
    ids = entry_ids(db)
    with connect(db) as raw:
        raw.execute("DELETE FROM auditentry WHERE id = ?", (ids[-1],))
    assert main(["audit", "verify", "--db", str(db), "--against", str(copy), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["compared_with"] == "elsewhere.sqlite"


def test_a_restore_is_not_taken_for_cut_entries(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "--db", str(db), "--json"]) == 0
    older = Path(json.loads(capsys.readouterr().out)["backup"])
    real, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    ctx = open_context(db)
    try:
        sign_in(ctx.uow(), login="admin", password="s3cret-pass")  # entries the restore takes back
    finally:
        ctx.close()
        accounts._hasher = real
    assert main(["restore", str(older), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "audit", "verify", "--db", str(db)]) == 0
    assert "The audit trail is intact" in capsys.readouterr().out


def test_against_a_file_that_is_not_sqlite_is_named_in_plain_words_exit_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "photo.jpg"
    garbage.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20)
    assert main(["--lang", "en", "audit", "verify", "--db", str(db), "--against", str(garbage)]) == 2
    err = capsys.readouterr().err
    assert f"Cannot compare the audit trail with {garbage} (--against): it is not a database file" in err
    assert "file is not a database" not in err and "Traceback" not in err


def test_against_a_folder_says_it_is_a_folder(
    db: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "backups-folder"
    folder.mkdir()
    assert main(["--lang", "en", "audit", "verify", "--db", str(db), "--against", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"Cannot compare the audit trail with {folder} (--against): it is a folder, not a file" in err
    assert "does not exist" not in err


def test_against_an_encrypted_backup_of_an_encrypted_center_is_compared_not_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said '… (--against): it is not a database file' for the center's own encrypted backup (found by review;
    the automatic comparison used the same backup): its key is the center's, unwrapped at sign-in."""
    from app.services.demo import DEMO_PASSWORD

    center = tmp_path / "encrypted.sqlite"
    assert main(["demo", "--db", str(center), "--residents", "5", "--seed", "4", "--today", "2026-11-16"]) == 0
    monkeypatch.setenv("CARE_PASSWORD", DEMO_PASSWORD)
    backup = tmp_path / "stick" / "copy.sqlite"
    assert main(["backup", "--db", str(center), "--out", str(backup)]) == 0
    assert not backup.read_bytes().startswith(b"SQLite format 3")  # an encrypted copy
    capsys.readouterr()
    assert main(["--lang", "en", "audit", "verify", "--db", str(center), "--against", str(backup), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["compared_with"] == "copy.sqlite"


@pytest.mark.postgres
def test_a_server_center_is_compared_with_the_encrypted_file_it_was_moved_from(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was refused as 'not a database file' (review): a server sign-in unwraps no file key. Now the person's own
    wrap in the file's key file opens it (one whose wrap is not there is refused, in accurate words)."""
    from app.services.demo import DEMO_PASSWORD

    center = tmp_path / "encrypted.sqlite"
    assert main(["demo", "--db", str(center), "--residents", "5", "--seed", "4", "--today", "2026-11-16"]) == 0
    monkeypatch.setenv("CARE_PASSWORD", DEMO_PASSWORD)
    assert main(["center", "move-to", pg_url, "--db", str(center)]) == 0
    capsys.readouterr()
    monkeypatch.setattr(cipher, "_known", {})  # a new command, a new process: no file key in memory
    assert main(["--lang", "en", "audit", "verify", "--db", pg_url, "--against", str(center), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["compared_with"] == "encrypted.sqlite"
