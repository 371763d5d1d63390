"""The server's SQLite-compatible functions (app/store/pg_compat.py) give SQLite's answers (#20), and SQLite-style
parameters become psycopg's without touching literals or casts."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from app.bootstrap import open_context
from app.store.engines import ServerURL, db_target, is_server_url, pyformat


def test_sqlite_parameters_become_psycopgs_and_literals_and_casts_stay() -> None:
    sql = "SELECT x::int, ':no', 'a%b' FROM t WHERE a = :n AND b=:m_2 AND c LIKE :q ESCAPE '\\' AND d % 2 = 0"
    assert pyformat(sql) == (
        "SELECT x::int, ':no', 'a%%b' FROM t WHERE a = %(n)s AND b=%(m_2)s AND c LIKE %(q)s ESCAPE '\\' AND d %% 2 = 0"
    )


def test_db_targets_are_files_or_server_urls() -> None:
    assert db_target("center.sqlite").__class__.__name__.endswith("Path")
    url = db_target("postgresql://nurse:secret@db.lan:5432/carerounds")
    assert isinstance(url, ServerURL) and is_server_url(url)
    assert url.shown == "postgresql://nurse:***@db.lan:5432/carerounds"  # never the password in a message
    with pytest.raises(ValueError):
        db_target("postgresql://nurse@db.lan/")


EXPRESSIONS = [
    "CAST(julianday('2026-11-16') - 1721424.5 AS INTEGER)",
    "CAST(julianday('2000-02-29') - 1721424.5 AS INTEGER)",
    "date('2020-02-29', '+65 years')",  # SQLite: 1 March in a year without 29 February
    "date('2020-02-29', '+4 years')",
    "date('1951-07-31', '+65 years')",
    "instr('|zhl|zhang|', '|zh')",
    "instr('|zhl|', 'x')",
    "json_extract('{\"active\": \"1796554713631-000000-dev\"}', '$.active')",
    "(SELECT group_concat(v, ',') FROM (SELECT 'a' AS v UNION ALL SELECT 'b' UNION ALL SELECT NULL) AS k)",
    '(SELECT COUNT(*) FROM json_each(\'["x", "y", "z"]\'))',
]


@pytest.mark.postgres
def test_the_servers_sqlite_functions_answer_as_sqlite_does(pg_url: str) -> None:
    context = open_context(pg_url)
    try:
        with context.uow().reading() as uow:
            served = [uow.fast_rows(f"SELECT {expression}")[0][0] for expression in EXPRESSIONS]
            flags = uow.fast_rows(
                "SELECT COUNT(*) FROM staff WHERE must_change_password = 0 AND NOT (must_change_password != 0)"
            )[0][0]
    finally:
        context.close()
    with sqlite3.connect(":memory:") as sqlite:
        expected = [sqlite.execute(f"SELECT {expression}").fetchone()[0] for expression in EXPRESSIONS]
    assert [str(value) for value in served] == [str(value) for value in expected]
    assert served[2] == date(2085, 3, 1).isoformat()
    assert flags == 0  # no staff yet: the boolean = integer comparisons parse and run


@pytest.mark.postgres
def test_the_schema_on_a_server_is_at_the_head_revision_with_its_triggers(pg_url: str) -> None:
    from app.store import migrations

    context = open_context(pg_url)
    try:
        assert context.report.created
        assert migrations.current_revision(context.database.engine) == migrations.head_revision()
        with context.uow().reading() as uow:
            triggers = {row[0] for row in uow.fast_rows("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
            indexes = {row[0] for row in uow.fast_rows("SELECT indexname FROM pg_indexes")}
    finally:
        context.close()
    assert {"tr_facts_visit_changed", "tr_facts_resident_added", "tr_facts_condition_changed"} <= triggers
    assert {"ix_visit_seen", "ix_resident_search_trgm", "ix_resident_list", "ix_family_bed_open"} <= indexes
    again = open_context(pg_url)  # opening an up-to-date server database changes nothing
    try:
        assert not again.report.created and again.report.upgraded_from is None
    finally:
        again.close()
