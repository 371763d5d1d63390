"""The command line: exit codes, text and JSON output, the demo command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli.main import main
from app.store import cipher

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

    db = tmp_path / "d.sqlite"
    assert main(["demo", "--db", str(db), "--residents", "5"]) == 0
    with cipher.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    capsys.readouterr()
    assert main(["--lang", "en", "demo", "--db", str(db)]) == 2
    assert "newer CareRounds" in capsys.readouterr().err


# --- the database a command is pointed at: never created by mistake, never a traceback ----------------------

COMMANDS_ON_A_CENTER = [
    ["resident", "list"],
    ["resident", "edit", "11010519491231002X", "--set", "bed=2"],
    ["triage", "suggest"],
    ["plan", "--week", "2026-W47"],
    ["visit", "add", "--resident", "11010519491231002X", "--date", "2026-11-18", "--sbp", "140", "--dbp", "90"],
    ["print", "triage", "--institution", "康宁养老院", "--out", "x.pdf"],
    ["sync", "export", "--out", "x.crsync"],
]


@pytest.mark.parametrize("command", COMMANDS_ON_A_CENTER, ids=lambda c: " ".join(c[:2]))
def test_a_mistyped_database_path_is_refused_not_created(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder" / "center.sqlite"
    code = main(["--lang", "en", *command, "--db", str(missing)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"There is no database file {missing}" in err
    assert not missing.parent.exists()  # neither the folder nor an empty center was made


@pytest.mark.parametrize("command", COMMANDS_ON_A_CENTER, ids=lambda c: " ".join(c[:2]))
def test_a_file_that_is_not_a_database_is_refused_without_a_traceback(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "notes.sqlite"
    garbage.write_text("shopping list\n", encoding="utf-8")
    code = main(["--lang", "en", *command, "--db", str(garbage)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == f"Error: The file {garbage} is not a CareRounds database."
    assert garbage.read_text(encoding="utf-8") == "shopping list\n"


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--lang", "en", "resident", "list", "--db", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err.strip() == f"Error: {tmp_path} is a folder, not a database file."


def test_file_errors_are_said_in_the_users_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", str(tmp_path / "c.sqlite"), "--residents", "5"]) == 0
    capsys.readouterr()
    missing = tmp_path / "missing.crsync"
    code = main(["--lang", "zh_CN", "sync", "import", str(missing), "--db", str(tmp_path / "c.sqlite")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Errno" not in err and "No such file" not in err
    assert str(missing) in err


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    database = tmp_path / "c.sqlite"
    assert main(["demo", "--db", str(database), "--residents", "60"]) == 0
    command = f"{sys.executable} -m app resident list --db {database} | head -n 1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr


def test_errors_come_as_json_too_when_json_was_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--lang", "en", "resident", "list", "--db", str(tmp_path / "none.sqlite"), "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert json.loads(captured.out) == {
        "ok": False,
        "error": f"There is no database file {tmp_path / 'none.sqlite'}. "
        "Check the path (make a demo center with the demo command, set up a new "
        "device with center join).",
    }
    assert captured.err.startswith("Error: There is no database file")


@pytest.mark.parametrize("out", ["list.txt", "folder"])
def test_a_pdf_is_written_only_to_a_pdf_file_name(
    out: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = db  # a file, then a server center (#20)
    (tmp_path / "folder").mkdir()
    target = tmp_path / out
    code = main(["--lang", "en", "print", "overdue", "--out", str(target), "--db", str(database)])
    err = capsys.readouterr().err
    assert code == 2 and "output file (--out)" in err
    assert ("must be a .pdf file" in err) if out.endswith(".txt") else ("is a folder" in err)
    assert not (tmp_path / "list.txt").exists()


def test_a_backup_never_overwrites_a_file(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = db  # a file (a copy), then a server center (pg_dump) (#20)
    existing = tmp_path / "keep.sqlite"
    existing.write_bytes(b"precious")
    assert main(["--lang", "en", "backup", "--db", str(database), "--out", str(existing)]) == 2
    assert "is not overwritten" in capsys.readouterr().err
    assert existing.read_bytes() == b"precious"
