"""``center invite``, ``center join``, ``sync export``, ``sync import``: output, JSON and exit codes."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from center_sql import connect, on_server

from app.cli.main import main
from app.store import cipher

DEMO_DAY = "2026-11-16"  # a Monday; the demo is made as on this day, whatever the real one

PASSPHRASE = "Ward-7 round sheet"


@pytest.fixture
def workstation_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The center's workstation as an (encrypted) demo file."""
    db = tmp_path / "workstation.sqlite"
    assert main(["demo", "--db", str(db), "--residents", "15", "--seed", "4", "--today", DEMO_DAY]) == 0
    capsys.readouterr()
    return db


@pytest.fixture
def workstation(engine: str, request: pytest.FixtureRequest) -> Path:
    """The center's workstation: the demo file, then (#20) the same demo on the PostgreSQL server, which laptops
    join and sync with by file just the same (typed Path: the commands take either)."""
    return request.getfixturevalue("db" if engine == "postgresql" else "workstation_file")  # type: ignore[no-any-return]


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    file = tmp_path / "passphrase.txt"
    file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return file


def joined(workstation: Path, passphrase_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A laptop that joined ``workstation``'s center (its own database file)."""
    join_file, db = tmp_path / "join.crsync", tmp_path / "laptop.sqlite"
    invite = ["center", "invite", "--out", str(join_file), "--db", str(workstation)]
    assert main([*invite, "--passphrase-file", str(passphrase_file)]) == 0
    assert main(["center", "join", str(join_file), "--db", str(db), "--passphrase-file", str(passphrase_file)]) == 0
    capsys.readouterr()
    return db


@pytest.fixture
def laptop(workstation: Path, passphrase_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return joined(workstation, passphrase_file, tmp_path, capsys)


@pytest.fixture
def file_laptop(
    workstation_file: Path, passphrase_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    """:func:`laptop` of :func:`workstation_file`: for the tests of the file backup taken before an import."""
    return joined(workstation_file, passphrase_file, tmp_path, capsys)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_invite_and_join_make_a_copy_with_its_own_device(
    workstation: Path, passphrase_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    join_file, db = tmp_path / "join.crsync", tmp_path / "laptop.sqlite"
    code, out, _ = run(
        capsys,
        "center",
        "invite",
        "--out",
        str(join_file),
        "--db",
        str(workstation),
        "--passphrase-file",
        str(passphrase_file),
        "--name",
        "护士站笔记本",
    )
    assert code == 0 and "Join package written and verified" in out and "separately" in out
    code, out, _ = run(
        capsys,
        "center",
        "join",
        str(join_file),
        "--db",
        str(db),
        "--passphrase-file",
        str(passphrase_file),
        "--name",
        "laptop-1",
        "--json",
    )
    payload = json.loads(out)
    assert code == 0 and payload["center"] == "示范区康宁街道社区卫生服务中心" and payload["counts"]["resident"] == 15
    devices = set()
    for center in (workstation, db):
        with connect(center) as raw:
            devices.add(raw.execute("SELECT device_id FROM device_state").fetchone()[0])
    assert payload["device_id"] in devices and len(devices) == 2


def test_the_passphrase_may_come_from_the_environment(
    workstation: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CARE_SYNC_PASSPHRASE", PASSPHRASE)
    join_file = tmp_path / "join.crsync"
    assert run(capsys, "center", "invite", "--out", str(join_file), "--db", str(workstation))[0] == 0
    assert run(capsys, "center", "join", str(join_file), "--db", str(tmp_path / "l.sqlite"))[0] == 0


@pytest.mark.parametrize(
    ("passphrase", "message"), [(None, "CARE_SYNC_PASSPHRASE"), ("1234567890", "digits"), ("aaaaaaaaaaaa", "simple")]
)
def test_invite_without_a_good_passphrase_exits_2(
    workstation: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    passphrase: str | None,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CARE_SYNC_PASSPHRASE", raising=False)
    args = ["center", "invite", "--out", str(tmp_path / "j.crsync"), "--db", str(workstation)]
    if passphrase is not None:
        (tmp_path / "p.txt").write_text(passphrase, encoding="utf-8")
        args += ["--passphrase-file", str(tmp_path / "p.txt")]
    code, _, err = run(capsys, *args)
    assert code == 2 and message in err and not (tmp_path / "j.crsync").exists()


def test_the_passphrase_is_never_an_option(workstation: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["center", "invite", "--out", "x.crsync", "--db", str(workstation), "--passphrase", "x"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_join_with_the_wrong_passphrase_exits_2(
    laptop: Path, workstation: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("Ward-7 round sheeT", encoding="utf-8")
    code, _, err = run(
        capsys,
        "center",
        "join",
        str(tmp_path / "join.crsync"),
        "--db",
        str(tmp_path / "x.sqlite"),
        "--passphrase-file",
        str(wrong),
    )
    assert code == 2 and "The passphrase is wrong" in err and not (tmp_path / "x.sqlite").exists()


def test_export_then_import_then_already_imported(
    laptop: Path, workstation: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "resident", "edit", "1", "--db", str(laptop), "--set", "phone=139")
    assert code == 2 and "no resident “1”" in err  # refused, changing nothing: the package holds one edit
    connection = cipher.connect(laptop)
    rid = connection.execute("SELECT id FROM resident ORDER BY id LIMIT 1").fetchone()[0]
    connection.close()
    assert main(["resident", "edit", rid, "--db", str(laptop), "--set", "room=302"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "sync", "export", "--out", str(tmp_path), "--db", str(laptop), "--json")
    exported = json.loads(out)
    assert code == 0 and exported["verified"] and exported["counts"]["resident"] == 1 and not exported["full"]
    package = exported["path"]
    assert Path(package).parent == tmp_path and package.endswith(".crsync")
    code, out, _ = run(capsys, "sync", "import", package, "--db", str(workstation))
    assert code == 0 and "Imported the file from" in out and "resident: +0 ~1" in out
    # a file is copied before each import; a server center is backed up by pg_dump instead (docs/postgresql.md)
    assert ("Backup taken before the import" in out) == (not on_server(workstation))
    code, out, _ = run(capsys, "sync", "import", package, "--db", str(workstation), "--json")
    assert code == 0 and json.loads(out)["already_imported"] is True
    code, out, _ = run(capsys, "sync", "export", "--out", str(tmp_path / "full.crsync"), "--db", str(laptop), "--full")
    assert code == 0 and "full" in out and "Safe to unplug" in out


def test_import_refusals_exit_2_with_a_message(
    laptop: Path, workstation: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_package = tmp_path / "notes.crsync"
    not_a_package.write_text("hello", encoding="utf-8")
    code, _, err = run(capsys, "sync", "import", str(not_a_package), "--db", str(workstation))
    assert code == 2 and "not a CareRounds sync file" in err
    code, _, err = run(capsys, "sync", "import", str(tmp_path / "join.crsync"), "--db", str(laptop))
    assert code == 2 and "join package" in err
    code, _, err = run(capsys, "sync", "import", str(tmp_path / "missing.crsync"), "--db", str(workstation))
    assert code == 2 and "Error" in err
    code, _, err = run(capsys, "sync", "export", "--out", str(tmp_path / "x.crsync"), "--db", str(tmp_path / "no.db"))
    assert code == 2 and "There is no database file" in err and not (tmp_path / "no.db").exists()


def test_rows_left_out_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A laptop's file that refers to a resident another laptop never received: done, with rejected rows."""
    import sys

    monkeypatch.setenv("CARE_PASSWORD", "secret-123")  # sync_world's administrator
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
    from sync_world import add_resident, add_visit, build_center, open_devices

    from app.services.sync.exchange import export_package, import_package

    workstation, laptop_a, laptop_b = open_devices(build_center(tmp_path / "c", 3))
    try:
        first = add_resident(laptop_a, name="甲居民", id_number="310104195001010010")
        export_package(laptop_a.context.uow(), out=tmp_path / "a1.crsync")
        import_package(workstation.context.uow(), path=tmp_path / "a1.crsync")
        export_package(workstation.context.uow(), out=tmp_path / "w1.crsync")
        import_package(laptop_a.context.uow(), path=tmp_path / "w1.crsync")
        add_visit(laptop_a, first)
        export_package(laptop_a.context.uow(), out=tmp_path / "a2.crsync")
    finally:
        for device in (workstation, laptop_a, laptop_b):
            device.close()
    code, out, _ = run(capsys, "sync", "import", str(tmp_path / "a2.crsync"), "--db", str(laptop_b.path))
    assert code == 1 and "were left out" in out


def _laptop_package(laptop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    connection = cipher.connect(laptop)
    rid = connection.execute("SELECT id FROM resident ORDER BY id LIMIT 1").fetchone()[0]
    connection.close()
    assert main(["resident", "edit", rid, "--db", str(laptop), "--set", "room=302"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "sync", "export", "--out", str(tmp_path), "--db", str(laptop), "--json")
    assert code == 0
    return str(json.loads(out)["path"])


def test_import_names_the_backup_once_it_is_saved(
    file_laptop: Path,
    workstation_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laptop, workstation = file_laptop, workstation_file  # file-only: the copy of the file before an import
    from app.store import backup as backup_module
    from app.store import private_files

    real_fsync, real_wait = private_files.fsync_file, backup_module.wait_for_pending_backups
    waiting = threading.Event()

    def waited_for(timeout: float | None = None) -> bool:
        waiting.set()
        return real_wait(timeout)

    def slow_fsync(path: Path, **options: bool) -> None:
        # the flush after the commit is slow: it ends only once the command waits for it
        assert waiting.wait(30), "the command did not wait for the backup to be saved"
        real_fsync(path, **options)

    monkeypatch.setattr(private_files, "fsync_file", slow_fsync)
    monkeypatch.setattr(backup_module, "wait_for_pending_backups", waited_for)
    package = _laptop_package(laptop, tmp_path, capsys)
    code, out, _ = run(capsys, "sync", "import", package, "--db", str(workstation), "--json")
    saved = json.loads(out)["backup"]
    assert code == 0 and saved and Path(saved).is_file() and not Path(saved + ".partial").exists()


def test_a_backup_that_could_not_be_saved_is_said_and_the_import_stays(
    file_laptop: Path,
    workstation_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laptop, workstation = file_laptop, workstation_file  # file-only: the copy of the file before an import
    from app.store import private_files

    def failing_fsync(path: Path, **options: bool) -> None:
        raise OSError(5, "Input/output error")

    package = _laptop_package(laptop, tmp_path, capsys)
    monkeypatch.setattr(private_files, "fsync_file", failing_fsync)
    code, out, _ = run(capsys, "sync", "import", package, "--db", str(workstation))
    assert code == 0 and "Imported the file from" in out
    assert "could not be saved" in out and "Backup taken before the import" not in out
    assert not list((workstation.parent / "backups").glob("*before-import*"))
    code, out, _ = run(capsys, "sync", "import", package, "--db", str(workstation))
    assert code == 0 and "Already imported" in out
