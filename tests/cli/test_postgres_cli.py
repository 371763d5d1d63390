"""The commands on a PostgreSQL center (#20): center create, center move-to (verified, refusals), and the daily
commands — resident list/edit, visit add, plan, triage suggest, audit verify — with ``--db postgresql://…``.

Marked ``postgres``: they run on the server ``$CARE_TEST_PG_URL`` names (.ci/run starts one) and are skipped
only when it is unset.
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from app.cli.main import main
from app.cli.signin import PASSWORD_ENV
from app.store.database import make_engine
from app.store.move import database_digest, table_digests

pytestmark = pytest.mark.postgres


@pytest.fixture
def db(db_file: Path) -> Path:
    """File-only: the SQLite center these tests move onto their own server database (pg_url)."""
    return db_file


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_new_center_is_created_on_an_empty_server_database_once(
    pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "A-good-password-2026")
    code, out, err = run(
        capsys, "center", "create", "--db", pg_url, "--name", "示范中心", "--code", "SH01", "--user", "chief"
    )
    assert (code, err) == (0, "")
    assert "Center “示范中心” (SH01) created" in out and "Administrator account: chief" in out
    assert "postgresql://" in out
    code, out, err = run(
        capsys, "center", "create", "--db", pg_url, "--name", "再来", "--code", "SH02", "--user", "chief"
    )
    assert code == 2 and "already" in err.lower()
    code, out, err = run(capsys, "resident", "list", "--db", pg_url, "--user", "chief", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_move_to_copies_everything_verified_and_keeps_the_file(
    db: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "center", "move-to", pg_url, "--db", str(db), "--json")
    assert (code, err) == (0, "")
    moved = json.loads(out)
    # the file after the move (its sign-in was audited in it first) holds exactly what the server got
    engine = make_engine(db)
    try:
        counts, digest = database_digest(engine)
    finally:
        engine.dispose()
    assert moved["counts"] == counts and moved["digest"] == digest
    assert moved["counts"]["resident"] == 15 and moved["counts"]["visit"] > 0

    # the server's own digest, read again from the server
    from app.store.engines import ServerURL, make_server_engine

    server = make_server_engine(ServerURL(pg_url))
    try:
        assert database_digest(server) == (counts, digest)
    finally:
        server.dispose()

    with psycopg.connect(make_url(pg_url).render_as_string(hide_password=False)) as moved_to:  # planner statistics
        statistics = "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'resident'"
        (analyzed,) = moved_to.execute(statistics).fetchone()
    assert analyzed is not None

    # a second move into the same (now not empty) database is refused, nothing changed
    code, _out, err = run(capsys, "center", "move-to", pg_url, "--db", str(db))
    assert code == 2 and "not empty" in err


def test_move_to_refuses_a_target_that_is_no_server_url(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for target in ("other.sqlite", "postgresql://nurse@host/"):
        code, _out, err = run(capsys, "center", "move-to", target, "--db", str(db))
        assert code == 2 and "postgresql://user@host/dbname" in err, target
        assert "Traceback" not in err


def test_move_to_refuses_a_server_database_holding_other_tables(
    db: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(make_url(pg_url).render_as_string(hide_password=False)) as other:
        other.execute("CREATE TABLE patients (id integer)")
    code, _out, err = run(capsys, "center", "move-to", pg_url, "--db", str(db))
    assert code == 2 and "not empty" in err and "patients" in err


def test_the_daily_commands_on_a_moved_center(db: Path, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "center", "move-to", pg_url, "--db", str(db))[0] == 0
    code, out, err = run(capsys, "resident", "list", "--db", pg_url, "--json")
    assert (code, err) == (0, "")
    residents = json.loads(out)
    assert len(residents) == 15
    someone = residents[0]
    code, out, err = run(capsys, "resident", "edit", someone["id"], "--db", pg_url, "--set", "phone=13800138000")
    assert (code, err) == (0, "")
    code, out, err = run(
        capsys, "visit", "add", "--db", pg_url, "--resident", someone["id"], "--date", "2026-11-16",
        "--sbp", "152", "--dbp", "94", "--pulse", "76", "--outcome", "seen", "--json",
    )  # fmt: skip
    assert (code, err) == (0, ""), out
    assert json.loads(out)["resident_id"] == someone["id"]
    code, out, err = run(capsys, "plan", "--week", "2026-W48", "--db", pg_url, "--json")
    assert (code, err) == (0, "") and json.loads(out)["rounds"]
    code, out, err = run(capsys, "triage", "suggest", "--db", pg_url, "--json")
    assert (code, err) == (0, "")
    code, out, err = run(capsys, "audit", "verify", "--db", pg_url, "--json")
    assert (code, err) == (0, "")
    verified = json.loads(out)
    assert verified["ok"] and verified["entries"] > 0 and verified["problems"] == []


def test_a_laptop_syncs_by_file_with_a_server_center_both_ways(
    db: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """center invite on the server, center join on a laptop, a conflicting edit on both, sync export/import both
    ways: the same content on both engines, the conflict recorded, both audit trails clean."""
    assert run(capsys, "center", "move-to", pg_url, "--db", str(db))[0] == 0
    monkeypatch.setenv("CARE_SYNC_PASSPHRASE", "Ward-7 round sheet")
    invitation, laptop = tmp_path / "join.crsync", tmp_path / "laptop.sqlite"
    code, out, err = run(capsys, "center", "invite", "--db", pg_url, "--out", str(invitation), "--json")
    assert (code, err) == (0, ""), err
    assert json.loads(out)["counts"]["resident"] == 15
    assert len(json.loads(out)["recovery_key"]) > 20  # the laptop's copy is encrypted with a key of its own
    code, _out, err = run(capsys, "center", "join", str(invitation), "--db", str(laptop))
    assert (code, err) == (0, ""), err
    code, _out, err = run(capsys, "center", "join", str(invitation), "--db", pg_url)
    assert code == 2 and "works on a database file only" in err and "Traceback" not in err

    code, out, _err = run(capsys, "resident", "list", "--db", pg_url, "--json")
    someone = json.loads(out)[0]["id"]
    for where, phone in ((pg_url, "13800000001"), (str(laptop), "13900000002")):  # the laptop's edit is later
        code, _out, err = run(capsys, "resident", "edit", someone, "--db", where, "--set", f"phone={phone}")
        assert (code, err) == (0, ""), err

    code, _out, err = run(capsys, "sync", "export", "--db", str(laptop), "--out", str(tmp_path / "l1.crsync"))
    assert (code, err) == (0, ""), err
    code, out, err = run(capsys, "sync", "import", str(tmp_path / "l1.crsync"), "--db", pg_url, "--json")
    assert (code, err) == (0, ""), err
    assert json.loads(out)["conflicts"] == 1
    code, _out, err = run(capsys, "sync", "export", "--db", pg_url, "--out", str(tmp_path / "s1.crsync"))
    assert (code, err) == (0, ""), err
    code, out, err = run(capsys, "sync", "import", str(tmp_path / "s1.crsync"), "--db", str(laptop), "--json")
    assert (code, err) == (0, ""), err

    for where in (pg_url, str(laptop)):
        code, out, err = run(capsys, "audit", "verify", "--db", where, "--json")
        assert (code, err) == (0, "") and json.loads(out)["ok"], where
    from app.store.engines import ServerURL, make_server_engine
    from app.store.models import SYNCED_TABLES

    # every synced table alike on both engines; the audit trail too but for the sign-ins of the last commands
    synced = {model.__tablename__ for model in SYNCED_TABLES} - {"auditentry"}  # type: ignore[attr-defined]
    engines = (make_engine(laptop), make_server_engine(ServerURL(pg_url)))
    try:
        laptop_tables, server_tables = (synced_digests(engine, synced) for engine in engines)
        laptop_audit, server_audit = (audit_ids_but_sign_ins(engine) for engine in engines)
    finally:
        for engine in engines:
            engine.dispose()
    assert laptop_tables == server_tables
    assert laptop_audit == server_audit and len(server_audit) == 2  # the two edits (the demo is not audited)
    with psycopg.connect(make_url(pg_url).render_as_string(hide_password=False)) as server:
        phone = server.execute("SELECT phone FROM resident WHERE id = %s", (someone,)).fetchone()
        conflicts = server.execute("SELECT field FROM sync_conflict WHERE resolved_at IS NULL").fetchall()
    assert phone == ("13900000002",) and conflicts == [("phone",)]


def synced_digests(engine: Engine, names: set[str]) -> dict[str, tuple[int, str]]:
    with engine.connect() as connection:
        return {name: found for name, found in table_digests(connection).items() if name in names}


def audit_ids_but_sign_ins(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id FROM auditentry WHERE action NOT IN ('sign_in', 'sign_in_failed', 'account_locked')"
        )
        return {row[0] for row in rows}


def test_the_report_and_exports_of_a_server_center(
    db: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "center", "move-to", pg_url, "--db", str(db))[0] == 0
    code, out, err = run(capsys, "report", "--db", pg_url, "--period", "2026-11", "--json")
    assert (code, err) == (0, ""), err
    on_file = run(capsys, "report", "--db", str(db), "--period", "2026-11", "--json")
    assert on_file[0] == 0
    assert json.loads(out)["indicators"]
    assert json.loads(out) == json.loads(on_file[1])  # the same center: the same figures on both engines
    code, out, err = run(capsys, "export", "residents", "--db", pg_url, "--out", str(tmp_path / "residents.xlsx"))
    assert (code, err) == (0, "") and (tmp_path / "residents.xlsx").is_file()
