"""The migrations and the models agree; older files are backed up and upgraded; newer ones refused.

What is not about the file runs on each engine in turn (``db_target``: a SQLite file, then a PostgreSQL database;
issue 20): created at head, the models' schema, a newer database refused, the device kept. The rest is SQLite's
(its pragmas, its ``sqlite_master``, the file backed up before an upgrade, a foreign SQLite file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel
from store_engines import open_target

from app.domain import i18n
from app.store import migrations
from app.store.database import make_engine, open_database
from app.store.migrations import DatabaseTooNew, NotOurDatabase
from app.store.sqlite import sqlite3


def test_new_database_is_created_at_head_by_the_migrations(db_target: Path | str) -> None:
    database, report = open_target(db_target)
    try:
        assert report.created
        assert migrations.current_revision(database.engine) == migrations.head_revision()
    finally:
        database.close()


def _derived(name: str | None, kind: str) -> bool:
    # SQLite: the FTS5 table of migration 0009 (and its shadow tables); the server: its pg_trgm index instead
    return (kind == "table" and (name or "").startswith("resident_search")) or (
        kind == "index" and name == "ix_resident_search_trgm"
    )


def _foreign_key(constraint: Any) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return (
        constraint.parent.name,
        tuple(sorted(constraint.column_keys)),
        tuple(sorted(element.target_fullname for element in constraint.elements)),
    )


def _but_deferrable(differences: list[Any]) -> list[Any]:
    """The differences left when the server's foreign keys, DEFERRABLE (0012: a sync import's rows may come in any
    order, checked at the commit), are taken as the models' (the same columns and targets)."""
    removed = [d[1] for d in differences if isinstance(d, tuple) and d[0] == "remove_fk" and d[1].deferrable]
    added = [d[1] for d in differences if isinstance(d, tuple) and d[0] == "add_fk"]
    if sorted(map(_foreign_key, removed)) != sorted(map(_foreign_key, added)):
        return differences
    return [d for d in differences if not (isinstance(d, tuple) and d[0] in ("remove_fk", "add_fk"))]


@pytest.mark.filterwarnings("ignore:.*expression-based index.*")  # compared below, by its definition
def test_autogenerate_finds_no_difference_between_migrations_and_models(db_target: Path | str) -> None:
    database, _ = open_target(db_target)
    try:
        with database.engine.connect() as connection:
            # the search index of migration 0009 is not a model
            opts = {"compare_type": True, "include_name": lambda name, kind, _parent: not _derived(name, kind)}
            context = MigrationContext.configure(connection, opts=opts)
            differences = compare_metadata(context, SQLModel.metadata)
        assert (_but_deferrable(differences) if database.is_server else differences) == []
    finally:
        database.close()


def test_the_expression_indexes_are_the_models(db_path: Path) -> None:
    """Alembic cannot compare indexes on expressions (bed order: ``length(room)``): compare their definitions."""
    from sqlalchemy.schema import CreateIndex

    database, _ = open_database(db_path)
    try:
        with database.engine.connect() as connection:
            stored = dict(connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all())
            for table in SQLModel.metadata.tables.values():
                for index in table.indexes:
                    if any(not hasattr(column, "name") for column in index.expressions):
                        wanted = str(CreateIndex(index).compile(dialect=connection.dialect))
                        assert " ".join(stored[index.name].split()) == " ".join(wanted.split()), index.name
    finally:
        database.close()


def test_wal_mode_and_foreign_keys_are_on(db_path: Path) -> None:
    database, _ = open_database(db_path)
    try:
        with database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        database.close()


def test_opening_an_older_database_backs_it_up_then_upgrades_it(db_path: Path, tmp_path: Path) -> None:
    engine = make_engine(db_path)
    migrations.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO center (id, created_at, updated_at, origin_device, deleted, name, code, district, phone) "
                "VALUES ('c1', '2026-01-01 00:00:00', '', '', 0, '旧中心', 'OLD01', '', '')"
            )
        )
    engine.dispose()

    database, report = open_database(db_path, backups_dir=tmp_path / "backups")
    try:
        assert report.upgraded_from == "0001"
        assert migrations.current_revision(database.engine) == migrations.head_revision()
        assert report.backup is not None and report.backup.exists()
        with sqlite3.connect(report.backup) as backup:
            assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
            assert backup.execute("SELECT name FROM center").fetchone() == ("旧中心",)
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM center")).scalar() == "旧中心"
            indexes = {row[1] for row in connection.execute(text("PRAGMA index_list('resident')"))}
        assert "ix_resident_institution_colour" in indexes
    finally:
        database.close()


def test_a_newer_database_is_refused_with_a_clear_message_and_left_alone(db_path: Path) -> None:
    database, _ = open_database(db_path)
    database.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = db_path.read_bytes()

    with pytest.raises(DatabaseTooNew) as refused:
        open_database(db_path)
    i18n.set_language("en")
    assert "newer CareRounds" in str(refused.value) and "9999_future" in str(refused.value)
    i18n.set_language("zh_CN")
    assert "更新版本" in str(refused.value)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999_future",)
    assert len(db_path.read_bytes()) == len(before)


@pytest.mark.postgres
def test_a_newer_server_database_is_refused_and_left_alone(pg_url: str) -> None:
    import psycopg

    open_target(pg_url)[0].close()
    with psycopg.connect(pg_url) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(DatabaseTooNew) as refused:
        open_target(pg_url)
    i18n.set_language("en")
    assert "newer CareRounds" in str(refused.value) and "9999_future" in str(refused.value)
    with psycopg.connect(pg_url) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999_future",)
        assert connection.execute("SELECT to_regclass('resident')").fetchone() != (None,)


def test_a_foreign_sqlite_file_is_refused(db_path: Path) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TABLE something (x INTEGER)")
    with pytest.raises(NotOurDatabase):
        open_database(db_path)


def test_reopening_keeps_the_device_id_and_clock(db_target: Path | str) -> None:
    database, _ = open_target(db_target)
    device = database.device_id
    database.close()
    again, report = open_target(db_target)
    try:
        assert again.device_id == device
        assert not report.created and report.upgraded_from is None
    finally:
        again.close()


def test_the_written_out_revisions_are_the_migration_scripts() -> None:
    """Opening a database reads the revisions from a constant (no Alembic import); it must match db/versions."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrations.alembic_config())
    scripts = [revision.revision for revision in script.walk_revisions()][::-1]  # oldest first
    assert list(migrations.KNOWN_REVISIONS) == scripts
    assert migrations.head_revision() == script.get_current_head()


def test_opening_an_up_to_date_database_imports_no_alembic(db_path: Path) -> None:
    import subprocess
    import sys

    open_database(db_path)[0].engine.dispose()
    code = (
        "import sys; from pathlib import Path; from app.store.database import open_database; "
        f"open_database(Path({str(db_path)!r}))[0].engine.dispose(); "
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_0006_adds_must_change_password_off_for_the_accounts_already_there(db_path: Path, tmp_path: Path) -> None:
    """Also with rows referring to the accounts: rebuilding ``staff`` (a batch copy) would break their keys."""
    from datetime import date

    from sqlmodel import Session

    from app.store.models import Institution, Resident

    engine = make_engine(db_path)
    migrations.upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO staff (id, created_at, updated_at, origin_device, deleted, name, role, login, "
                "password_hash, phone, practice_sites, active) VALUES ('s1', '2026-01-01 00:00:00', '', '', 0, "
                "'张护士', 'nurse', 'nurse', '$argon2id$x', '', '', 1)"
            )
        )
    with Session(engine) as session:  # the resident table is the same at 0005 and at 0006
        session.add(Institution(id="i1", name="康宁养老院", kind="nursing_home"))
        session.add(
            Resident(
                id="r1", name="王建国", sex="M", birth_date=date(1940, 1, 1), id_number="310104194001010013",
                institution_id="i1", signed_doctor_id="s1",
            )
        )  # fmt: skip
        session.commit()
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()

    database, report = open_database(db_path, backups_dir=tmp_path / "backups")
    try:
        assert report.upgraded_from == "0005"
        with database.engine.connect() as connection:
            row = connection.execute(text("SELECT login, password_hash, must_change_password FROM staff")).one()
            assert tuple(row) == ("nurse", "$argon2id$x", 0)
            assert connection.execute(text("SELECT signed_doctor_id FROM resident")).scalar() == "s1"
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
            # rows written without the column (the demo's bulk insert, older sync code) get the default
            connection.execute(
                text(
                    "INSERT INTO staff (id, created_at, updated_at, origin_device, deleted, name, role, login, "
                    "password_hash, phone, practice_sites, active) VALUES ('s2', '2026-01-01 00:00:00', '', '', 0, "
                    "'李医生', 'doctor', 'doctor', '$argon2id$y', '', '', 1)"
                )
            )
            assert connection.execute(text("SELECT must_change_password FROM staff WHERE id = 's2'")).scalar() == 0
    finally:
        database.close()
