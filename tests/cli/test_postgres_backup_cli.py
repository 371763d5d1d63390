"""``backup`` and ``restore`` of a center on a PostgreSQL server (#20): pg_dump archives, checked by a trial restore.

Marked ``postgres``: they run on the server ``$CARE_TEST_PG_URL`` names (.ci/run starts one) and are skipped
only when it is unset.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.cli.main import main

pytestmark = pytest.mark.postgres

NAME = re.compile(r"^t_[0-9a-f]{16}-\d{8}-\d{6}-(?P<kind>[a-z-]+)\.dump$")


@pytest.fixture
def db(db_file: Path) -> Path:
    """File-only: the SQLite center these tests move onto their own server database (pg_url)."""
    return db_file


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def phone_of(pg_url: str, resident_id: str) -> str:
    with psycopg.connect(make_url(pg_url).render_as_string(hide_password=False)) as server:
        found = server.execute("SELECT phone FROM resident WHERE id = %s", (resident_id,)).fetchone()
    assert found is not None
    return str(found[0])


def test_a_server_center_is_backed_up_with_pg_dump_listed_and_restored(
    db: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "center", "move-to", pg_url, "--db", str(db))[0] == 0
    code, out, _err = run(capsys, "resident", "list", "--db", pg_url, "--json")
    someone = json.loads(out)[0]["id"]
    before = phone_of(pg_url, someone)

    code, out, err = run(capsys, "backup", "--db", pg_url, "--json")
    assert (code, err) == (0, ""), err
    made = json.loads(out)
    archive = Path(made["backup"])
    assert NAME.match(archive.name) and NAME.match(archive.name)["kind"] == "manual"  # type: ignore[index]
    assert made["restore_check"] == "ok" and made["revision"] and made["bytes"] == archive.stat().st_size
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # health records: the owner's only
    assert archive.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert "postgresql://" in made["db"] and "password" not in made["db"]

    code, out, err = run(capsys, "backup", "--list", "--db", pg_url, "--json")
    assert (code, err) == (0, "")
    assert [entry["path"] for entry in json.loads(out)] == [str(archive)]

    assert run(capsys, "resident", "edit", someone, "--db", pg_url, "--set", "phone=13800000009")[0] == 0
    assert phone_of(pg_url, someone) == "13800000009"
    code, out, err = run(capsys, "restore", str(archive), "--db", pg_url, "--json")
    assert (code, err) == (0, ""), err
    restored = json.loads(out)
    assert restored["method"] == "pg_restore" and NAME.match(Path(restored["safety_backup"]).name)
    assert phone_of(pg_url, someone) == before  # the archive's content is back
    code, out, err = run(capsys, "audit", "verify", "--db", pg_url, "--json")
    assert (code, err) == (0, "") and json.loads(out)["ok"]
    with psycopg.connect(make_url(pg_url).render_as_string(hide_password=False)) as server:
        (restores,) = server.execute("SELECT COUNT(*) FROM auditentry WHERE action = 'database_restored'").fetchone()
    assert restores == 1


def test_a_file_that_is_no_archive_of_this_center_is_not_restored(
    db: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "center", "move-to", pg_url, "--db", str(db))[0] == 0
    bogus = tmp_path / "carerounds-20261206-120000-manual.dump"
    bogus.write_bytes(b"not an archive")
    code, _out, err = run(capsys, "restore", str(bogus), "--db", pg_url)
    assert code == 2 and "not an archive made by pg_dump" in err and "Traceback" not in err
    assert "pg_restore: error" not in err  # the tool's own English line is not the message
    assert main(["--lang", "zh_CN", "restore", str(bogus), "--db", pg_url]) == 2  # in Chinese too
    err = capsys.readouterr().err
    assert "不是 pg_dump 制作的备份" in err and "pg_restore: error" not in err
    code, out, _err = run(capsys, "resident", "list", "--db", pg_url, "--json")
    assert code == 0 and len(json.loads(out)) == 15  # nothing changed


def test_without_pg_dump_the_message_names_the_tool_to_install(
    db: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "center", "move-to", pg_url, "--db", str(db))[0] == 0
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no PostgreSQL client programs
    code, _out, err = run(capsys, "backup", "--db", pg_url)
    assert code == 2 and "Traceback" not in err
    assert "pg_dump" in err and "postgresql-client" in err and "PATH" in err
    code, _out, err = run(capsys, "restore", str(tmp_path / "x.dump"), "--db", pg_url)
    assert code == 2 and "pg_dump" in err
