"""``backup`` and ``restore`` on the command line: exit codes, text and JSON, never a traceback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from center_sql import connect

from app.bootstrap import open_context
from app.cli.main import main
from app.services.accounts import sign_in as accounts
from app.services.admin.center import set_up_center
from app.settings import Settings
from app.store import cipher

Content = Callable[[Path], dict[str, list[tuple[object, ...]]]]


@pytest.fixture
def db(db_file: Path) -> Path:
    """File-only: backups and restores of a database file (a server's: pg_dump, test_postgres_backup_cli.py)."""
    return db_file


@pytest.fixture(autouse=True)
def _signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARE_PASSWORD", "s3cret-pass")  # these centers' administrator (conftest: CARE_USER=admin)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
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
    finally:
        ctx.close()
        accounts._hasher = real
    return path


def center_name(path: Path) -> str:
    with cipher.connect(path) as raw:
        return str(raw.execute("SELECT name FROM center").fetchone()[0])


def test_backup_writes_a_dated_copy_next_to_the_database(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "backup", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    [copy] = (db.parent / "backups").glob("center-*-manual.sqlite")
    assert f"Backed up {db} to {copy}" in out and "integrity check passed" in out
    assert center_name(copy) == "康宁街道社区卫生服务中心"


def test_backup_uses_the_backup_folder_setting(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Settings().set("backup_dir", str(tmp_path / "elsewhere"))
    assert main(["backup", "--db", str(db), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert Path(payload["backup"]).parent == tmp_path / "elsewhere"
    assert payload["integrity"] == "ok" and payload["kind"] == "manual" and payload["bytes"] > 0


def test_backup_to_a_chosen_file(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "usb" / "copy.sqlite"
    assert main(["backup", "--db", str(db), "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["backup"] == str(out)
    assert center_name(out) == "康宁街道社区卫生服务中心"


def test_restore_backs_up_the_current_state_first(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.sqlite"
    assert main(["backup", "--db", str(db), "--out", str(copy)]) == 0
    with connect(db) as raw:
        raw.execute("UPDATE center SET name = '改过的名字'")
    capsys.readouterr()
    assert main(["--lang", "en", "restore", str(copy), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"Restored {db} from {copy}." in out and "The state before the restore is saved in" in out
    assert center_name(db) == "康宁街道社区卫生服务中心"
    [safety] = (db.parent / "backups").glob("center-*-pre-restore.sqlite")
    assert center_name(safety) == "改过的名字"


def test_restore_json(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.sqlite"
    main(["backup", "--db", str(db), "--out", str(copy)])
    capsys.readouterr()
    assert main(["restore", str(copy), "--db", str(db), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["restored_from"] == str(copy) and payload["method"] == "sqlite-backup"
    assert payload["safety_backup"].endswith("-pre-restore.sqlite")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["backup", "--db", "{tmp}/missing.sqlite"], "There is no database file"),
        (["backup", "--db", "{tmp}/garbage.sqlite"], "is not a CareRounds database"),  # found signing in
        (["restore", "{tmp}/missing.sqlite", "--db", "{db}"], "the file does not exist"),
        (["restore", "{tmp}/garbage.sqlite", "--db", "{db}"], "it is not a database file"),
    ],
)
def test_unreadable_input_exits_2_with_a_message(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
    unchanged_but_sign_ins: Content,
) -> None:
    (tmp_path / "garbage.sqlite").write_bytes(b"garbage" * 1000)
    before = unchanged_but_sign_ins(db)
    args = [a.format(tmp=tmp_path, db=db) for a in argv]
    assert main(["--lang", "en", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert unchanged_but_sign_ins(db) == before
    assert not (tmp_path / "missing.sqlite").exists()


@pytest.mark.parametrize("argv", [["backup"], ["restore", "--db", "x.sqlite"], ["restore"], ["backup", "--db"]])
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage" in capsys.readouterr().err


@pytest.fixture(scope="module")
def other_center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("other") / "center.sqlite"
    real, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    ctx = open_context(path)
    try:
        set_up_center(
            ctx.uow(),
            name="另一个社区卫生服务中心",
            code="LY02",
            admin_name="李管理",
            admin_login="admin",
            admin_password="s3cret-pass",
        )
    finally:
        ctx.close()
        accounts._hasher = real
    return path


RESTORE_REFUSALS = [
    # (candidate: made from, SQL run on the copy), what the message says
    ("empty", "the file is empty (0 bytes)"),
    ("garbage", "it is not a database file"),
    ("server archive", "it is a server database's archive (pg_dump)"),
    ("UPDATE alembic_version SET version_num = '0001'", "its schema (version 0001) cannot be upgraded"),
    ("UPDATE alembic_version SET version_num = '0000'", "its schema version 0000 is unknown"),
    ("UPDATE alembic_version SET version_num = '9999'", "written by a newer version of the app (schema 9999)"),
    ("DELETE FROM alembic_version", "its schema version is missing"),
    ("DROP TABLE auditentry", "tables are missing: auditentry"),
    ("DROP TABLE resident", "tables are missing: resident"),
    ("other center: DELETE FROM device_state", "This backup belongs to another center (另一个社区卫生服务中心)"),
]


@pytest.mark.parametrize(("made", "message"), RESTORE_REFUSALS)
def test_restore_refuses_an_unusable_file_with_exit_2_and_changes_nothing(
    db: Path,
    other_center: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    made: str,
    message: str,
    unchanged_but_sign_ins: Content,
) -> None:
    candidate = tmp_path / "candidate.sqlite"
    if made == "empty":
        candidate.write_bytes(b"")
    elif made == "garbage":
        candidate.write_bytes(b"garbage" * 1000)
    elif made == "server archive":  # a server center's backup (pg_dump's custom format starts so)
        candidate.write_bytes(b"PGDMP\x01\x0f\x00\x04\x08\x01\x01\x01" + bytes(200))
    else:
        source, _, sql = made.rpartition(": ")
        shutil.copyfile(other_center if source == "other center" else db, candidate)
        with cipher.connect(candidate) as raw:
            raw.execute(sql)
        raw.close()
    before = unchanged_but_sign_ins(db)
    assert main(["--lang", "en", "restore", str(candidate), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err + captured.out
    assert unchanged_but_sign_ins(db) == before  # the administrator signed in (audited), nothing else
    assert not (db.parent / "backups").exists()


def test_restore_from_a_folder_says_it_is_a_folder(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], unchanged_but_sign_ins: Content
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    before = unchanged_but_sign_ins(db)
    assert main(["--lang", "en", "restore", str(folder), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"{folder} is not a usable CareRounds backup: it is a folder, not a file" in err
    assert "does not exist" not in err and "Traceback" not in err
    assert unchanged_but_sign_ins(db) == before


@pytest.mark.parametrize("configured", [False, True])
def test_an_out_copy_named_like_a_dated_backup_in_the_backup_folder_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], configured: bool
) -> None:
    """Retention deleted it: '--out copies are never deleted' was not true for such a name in that folder."""
    folder = tmp_path / "elsewhere" if configured else db.parent / "backups"
    if configured:
        Settings().set("backup_dir", str(folder))
    out = folder / "center-20200101-000000-daily.sqlite"
    assert main(["--lang", "en", "backup", "--db", str(db), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "retention" in err and "without --out" in err and "Traceback" not in err
    assert not out.exists()
    # another name in that folder, or that name elsewhere, is an --out copy like any other
    for fine in (folder / "before-the-move.sqlite", tmp_path / "usb" / out.name):
        assert main(["backup", "--db", str(db), "--out", str(fine)]) == 0
        assert main(["backup", "--db", str(db)]) == 0  # its retention leaves the copy alone
        assert fine.is_file()
