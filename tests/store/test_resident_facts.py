"""The triggers of migration 0005 keep ``resident_facts`` equal to the records, whatever writes them.

On each engine in turn (#20): SQLite's triggers, and the server's PL/pgSQL ones, written to by plain SQL on the
driver's connection (the same statements: ``?`` parameters become psycopg's ``%s``; booleans written as
booleans, which SQLite keeps as 0/1). What is about SQLite's triggers themselves (a bulk load leaves them
out) is tested on the file only.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import open_context
from app.store import migrations
from app.store.resident_facts import facts_rebuilt_after, rebuild_facts, stale_facts
from app.store.sqlite import sqlite3

TODAY = date(2026, 11, 16)


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=80, seed=11, today=TODAY)


class Raw:
    """A driver's connection (sqlite3 or psycopg) taking the tests' SQLite-style statements."""

    def __init__(self, driver: Any, server: bool) -> None:
        self.driver, self.server = driver, server

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> Any:
        if self.server and parameters:
            sql = sql.replace("?", "%s")  # no literal of these statements holds a ?
        return self.driver.execute(sql, parameters)

    def commit(self) -> None:
        self.driver.commit()

    def defer_foreign_keys(self) -> None:
        """Let rows refer to rows not there (yet): off on SQLite, checked at the commit on the server."""
        self.execute("SET CONSTRAINTS ALL DEFERRED" if self.server else "PRAGMA foreign_keys = OFF")


def _file_copy(demo_file: Path, tmp_path: Path) -> sqlite3.Connection:
    copy = tmp_path / "center.sqlite"
    source = sqlite3.connect(demo_file)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.execute("PRAGMA foreign_keys = ON")
    return target


@pytest.fixture
def file_connection(demo_file: Path, tmp_path: Path) -> sqlite3.Connection:
    return _file_copy(demo_file, tmp_path)


@pytest.fixture
def connection(engine: str, request: pytest.FixtureRequest, demo_file: Path, tmp_path: Path) -> Iterator[Raw]:
    """A copy of the demo on each engine in turn: the file, then a server database (``pg_database``)."""
    if engine == "sqlite":
        yield Raw(_file_copy(demo_file, tmp_path), server=False)
        return
    import psycopg

    driver = psycopg.connect(request.getfixturevalue("pg_database")(demo_file))
    try:
        yield Raw(driver, server=True)
    finally:
        driver.close()


def _day(offset: int) -> str:
    return (TODAY - timedelta(days=offset)).isoformat()


def _ids(connection: Raw, sql: str) -> list[str]:
    return [row[0] for row in connection.execute(sql)]


def _add_visit(
    connection: Raw,
    resident: str,
    day: str,
    outcome: str,
    chronic_class: str = "",
    corrects: str | None = None,
    deleted: int = 0,
) -> str:
    visit_id = str(uuid.uuid4())
    connection.execute(
        "INSERT INTO visit (id, created_at, updated_at, origin_device, deleted, resident_id, visit_date, outcome, "
        "glucose_fasting, findings, actions, medication_changes, chronic_class, next_visit_note, late_reason, "
        "corrects_id, version) "
        "VALUES (?, '2026-11-16 08:00:00', '', '', ?, ?, ?, ?, FALSE, '', '', '', ?, '', '', ?, ?)",
        (visit_id, bool(deleted), resident, day, outcome, chronic_class, corrects, 2 if corrects else 1),
    )
    return visit_id


def _add_assessment(connection: Raw, resident: str, day: str, kind: str = "annual_check") -> str:
    assessment_id = str(uuid.uuid4())
    connection.execute(
        "INSERT INTO assessment (id, created_at, updated_at, origin_device, deleted, resident_id, kind, assessed_on, "
        "result, items, notes) VALUES (?, '2026-11-16 08:00:00', '', '', FALSE, ?, ?, ?, '', '{}', '')",
        (assessment_id, resident, kind, day),
    )
    return assessment_id


def _add_condition(connection: Raw, resident: str, code: str, active: int = 1) -> str:
    condition_id = str(uuid.uuid4())
    connection.execute(
        "INSERT INTO condition (id, created_at, updated_at, origin_device, deleted, resident_id, code, icd10, name, "
        "active) VALUES (?, '2026-11-16 08:00:00', '', '', FALSE, ?, ?, '', ?, ?)",
        (condition_id, resident, code, code, bool(active)),
    )
    return condition_id


def test_a_demo_centre_has_every_fact_right(connection: Raw) -> None:
    assert stale_facts(connection) == []
    residents = connection.execute("SELECT COUNT(*) FROM resident").fetchone()[0]
    assert connection.execute("SELECT COUNT(*) FROM resident_facts").fetchone()[0] == residents
    assert connection.execute("SELECT COUNT(seen_day), COUNT(birth_day) FROM resident_facts").fetchone() == (
        residents,
        residents,
    )


def test_a_correction_takes_the_seen_visit_it_replaces_out(connection: Raw) -> None:
    resident = _ids(connection, "SELECT id FROM resident ORDER BY id LIMIT 1")[0]
    seen = _add_visit(connection, resident, _day(-1), "seen")  # tomorrow: newer than any demo visit
    tomorrow = (TODAY + timedelta(days=1)).toordinal()
    assert connection.execute("SELECT seen_day FROM resident_facts WHERE resident_id = ?", (resident,)).fetchone() == (
        tomorrow,
    )
    _add_visit(connection, resident, _day(-1), "absent", corrects=seen)
    seen_day = connection.execute("SELECT seen_day FROM resident_facts WHERE resident_id = ?", (resident,)).fetchone()
    assert seen_day[0] is not None and seen_day[0] < tomorrow
    assert stale_facts(connection) == []


def test_a_version_that_arrives_after_its_correction_does_not_count(connection: Raw) -> None:
    """Sync applies rows in any order: the corrected version may come second."""
    resident = _ids(connection, "SELECT id FROM resident ORDER BY id LIMIT 1 OFFSET 1")[0]
    original = str(uuid.uuid4())
    connection.defer_foreign_keys()
    _add_visit(connection, resident, _day(-2), "absent", corrects=original)
    connection.execute(
        "INSERT INTO visit (id, created_at, updated_at, origin_device, deleted, resident_id, visit_date, outcome, "
        "glucose_fasting, findings, actions, medication_changes, chronic_class, next_visit_note, late_reason, "
        "version) VALUES (?, '2026-11-16 08:00:00', '', '', FALSE, ?, ?, 'seen', FALSE, '', '', '', 'controlled', '', "
        "'', 1)",
        (original, resident, _day(-2)),
    )
    row = connection.execute(
        "SELECT seen_day, followed_day FROM resident_facts WHERE resident_id = ?", (resident,)
    ).fetchone()
    assert (TODAY + timedelta(days=2)).toordinal() not in row
    assert stale_facts(connection) == []


def test_random_writes_of_every_kind_keep_the_facts_right(connection: Raw) -> None:
    rng = random.Random(20261122)
    residents = _ids(connection, "SELECT id FROM resident")
    codes = ["hypertension", "diabetes_t2", "copd", "dementia"]
    outcomes = ["seen", "seen", "absent", "hospitalized", "refused"]
    for step in range(400):
        resident = rng.choice(residents)
        action = rng.randrange(12)
        visits = _ids(connection, f"SELECT id FROM visit WHERE resident_id = '{resident}'")
        if action == 0 or not visits:
            _add_visit(
                connection, resident, _day(rng.randrange(-10, 400)), rng.choice(outcomes),
                rng.choice(["", "", "controlled", "not_controlled", "adverse_reaction", "complication"]),
            )  # fmt: skip
        elif action == 1:
            _add_visit(connection, resident, _day(rng.randrange(0, 60)), rng.choice(outcomes), "", rng.choice(visits))
        elif action == 2:
            connection.execute("UPDATE visit SET deleted = NOT deleted WHERE id = ?", (rng.choice(visits),))
        elif action == 3:
            moved = _day(rng.randrange(0, 500))
            connection.execute("UPDATE visit SET visit_date = ? WHERE id = ?", (moved, rng.choice(visits)))
        elif action == 4:
            connection.execute("UPDATE visit SET outcome = ?, chronic_class = ? WHERE id = ?",
                               (rng.choice(outcomes), rng.choice(["", "controlled", "not_controlled"]),
                                rng.choice(visits)))  # fmt: skip
        elif action == 5:
            other = rng.choice(residents)
            connection.execute("UPDATE visit SET resident_id = ? WHERE id = ?", (other, rng.choice(visits)))
        elif action == 6:
            victim = rng.choice(visits)
            connection.execute("UPDATE visit SET corrects_id = NULL WHERE corrects_id = ?", (victim,))
            connection.execute("DELETE FROM visit WHERE id = ?", (victim,))
        elif action == 7:
            _add_assessment(connection, resident, _day(rng.randrange(0, 800)), rng.choice(["annual_check", "adl"]))
        elif action == 8:
            checks = _ids(connection, f"SELECT id FROM assessment WHERE resident_id = '{resident}'")
            if checks:
                target = rng.choice(checks)
                change = rng.choice(
                    ["UPDATE assessment SET deleted = NOT deleted WHERE id = ?",
                     f"UPDATE assessment SET assessed_on = '{_day(rng.randrange(0, 800))}' WHERE id = ?",
                     "UPDATE assessment SET kind = 'annual_check' WHERE id = ?",
                     "DELETE FROM assessment WHERE id = ?"]
                )  # fmt: skip
                connection.execute(change, (target,))
        elif action == 9:
            _add_condition(connection, resident, rng.choice(codes), rng.choice([0, 1, 1]))
        elif action == 10:
            conditions = _ids(connection, f"SELECT id FROM condition WHERE resident_id = '{resident}'")
            if conditions:
                change = rng.choice(
                    ["UPDATE condition SET active = NOT active WHERE id = ?",
                     "UPDATE condition SET deleted = NOT deleted WHERE id = ?",
                     f"UPDATE condition SET code = '{rng.choice(codes)}' WHERE id = ?",
                     "DELETE FROM condition WHERE id = ?"]
                )  # fmt: skip
                connection.execute(change, (rng.choice(conditions),))
        else:
            connection.execute(
                "UPDATE resident SET birth_date = ?, admission_date = ? WHERE id = ?",
                (_day(rng.randrange(20_000, 36_000)), rng.choice([None, _day(rng.randrange(0, 3000))]), resident),
            )
        if step % 50 == 49:
            assert stale_facts(connection) == [], f"after step {step}"
    connection.commit()
    assert stale_facts(connection) == []


def test_a_resident_removed_takes_their_facts_row(connection: Raw) -> None:
    connection.defer_foreign_keys()
    resident = _ids(connection, "SELECT id FROM resident ORDER BY id LIMIT 1 OFFSET 2")[0]
    connection.execute("DELETE FROM resident WHERE id = ?", (resident,))
    assert connection.execute("SELECT 1 FROM resident_facts WHERE resident_id = ?", (resident,)).fetchone() is None


def test_a_stale_row_is_reported(connection: Raw) -> None:
    resident = _ids(connection, "SELECT id FROM resident ORDER BY id LIMIT 1")[0]
    connection.execute("UPDATE resident_facts SET seen_day = 1 WHERE resident_id = ?", (resident,))
    [stale] = stale_facts(connection)
    assert stale.resident_id == resident and stale.stored[0] == 1 and stale.expected[0] != 1


def test_the_upgrade_fills_the_facts_of_an_older_database(demo_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "older.sqlite"
    source, target = sqlite3.connect(demo_file), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    context = open_context(copy)
    engine = context.database.engine
    migrations.upgrade(engine, "head")
    from alembic import command

    command.downgrade(migrations.alembic_config(engine), "0004")
    context.close()
    connection = sqlite3.connect(copy)
    assert connection.execute("SELECT name FROM sqlite_master WHERE name = 'resident_facts'").fetchone() is None
    assert connection.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'").fetchone() == (0,)
    connection.close()
    open_context(copy).close()  # upgrades to head
    connection = sqlite3.connect(copy)
    assert stale_facts(connection) == []
    assert connection.execute("SELECT COUNT(*) FROM resident_facts").fetchone()[0] == 80


@pytest.mark.postgres
def test_the_upgrade_fills_the_facts_of_an_older_server_database(
    demo_file: Path, pg_database: Callable[[Path | None], str]
) -> None:
    """The same on the server: down to 0004 (no table, no trigger function) and up again (0005's PL/pgSQL)."""
    import psycopg
    from alembic import command

    url = pg_database(demo_file)
    context = open_context(url)
    command.downgrade(migrations.alembic_config(context.database.engine), "0004")
    context.close()
    with psycopg.connect(url) as driver:
        assert driver.execute("SELECT to_regclass('resident_facts')").fetchone() == (None,)
        assert driver.execute("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal").fetchone() == (0,)
    open_context(url).close()  # upgrades to head
    with psycopg.connect(url) as driver:
        assert stale_facts(driver) == []
        assert driver.execute("SELECT COUNT(*) FROM resident_facts").fetchone()[0] == 80


def _rows(connection: Raw) -> list[tuple[object, ...]]:
    return connection.execute("SELECT * FROM resident_facts ORDER BY resident_id").fetchall()


def test_a_rebuild_gives_the_rows_the_triggers_keep(connection: Raw) -> None:
    resident = _ids(connection, "SELECT id FROM resident ORDER BY id LIMIT 1")[0]
    first = _add_visit(connection, resident, _day(-3), "seen", "controlled")
    _add_visit(connection, resident, _day(-3), "refused", corrects=first)
    _add_condition(connection, resident, "copd")
    kept = _rows(connection)
    assert rebuild_facts(connection) == 80
    assert _rows(connection) == kept


def test_a_bulk_load_without_the_triggers_rebuilds_after_and_a_failed_one_keeps_them(
    file_connection: sqlite3.Connection,
) -> None:
    """SQLite only: facts_rebuilt_after drops and makes again SQLite's own triggers (for the demo's bulk load)."""
    connection = file_connection

    def triggers() -> int:
        # the facts' own triggers (those of the search index, migration 0009, stay through a bulk load)
        return connection.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tr\\_facts\\_%' ESCAPE '\\'"
        ).fetchone()[0]

    count = triggers()
    resident = _ids(connection, "SELECT id FROM resident ORDER BY id LIMIT 1")[0]
    connection.isolation_level = None
    connection.execute("BEGIN")
    with facts_rebuilt_after(connection):
        assert triggers() == 0
        _add_visit(connection, resident, _day(-5), "seen")
    connection.execute("COMMIT")
    assert triggers() == count
    assert stale_facts(connection) == []

    connection.execute("BEGIN")
    with pytest.raises(RuntimeError), facts_rebuilt_after(connection):
        raise RuntimeError("the load failed")
    connection.execute("ROLLBACK")
    assert triggers() == count


def test_the_most_severe_classification_of_the_last_follow_up_day_is_kept(connection: Raw) -> None:
    """Migration 0010: a follow-up not controlled (or worse) makes the next one a 2-week recheck (issue #16)."""
    resident = _ids(connection, "SELECT id FROM resident ORDER BY id LIMIT 1 OFFSET 2")[0]

    def severity() -> int | None:
        row = connection.execute(
            "SELECT followed_severity FROM resident_facts WHERE resident_id = ?", (resident,)
        ).fetchone()
        return None if row is None else row[0]

    _add_visit(connection, resident, _day(-10), "seen", "complication")  # after the demo's visits
    assert severity() == 3
    later = _add_visit(connection, resident, _day(-20), "seen", "controlled")
    assert severity() == 0
    _add_visit(connection, resident, _day(-20), "seen", "not_controlled")  # same day: the most severe
    assert severity() == 1
    _add_visit(connection, resident, _day(-15), "seen", "adverse_reaction")  # earlier: changes nothing
    assert severity() == 1
    connection.execute("UPDATE visit SET deleted = TRUE WHERE id = ?", (later,))
    assert severity() == 1
    assert stale_facts(connection) == []
