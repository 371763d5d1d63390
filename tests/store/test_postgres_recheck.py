"""The 2-week recheck's fact (``resident_facts.followed_severity``, #16) is kept on a PostgreSQL server (#20).

Migration 0012 remakes the server's visit function and fills the column of a server database already at 0010
(whose column 0010 left empty). Marked ``postgres``: skipped only when ``$CARE_TEST_PG_URL`` is unset.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app.bootstrap import open_context
from app.store import migrations
from app.store.resident_facts import stale_facts

pytestmark = pytest.mark.postgres

DEMO_DAY = date(2026, 11, 16)


def _stale(context: object) -> list[object]:
    """The residents whose stored facts differ from their records, on the server (psycopg runs the same SQL)."""
    with context.uow().reading() as uow:  # type: ignore[attr-defined]
        driver = uow.session.connection().connection.driver_connection
        return list(stale_facts(driver))


def _severities(context: object) -> dict[str, int | None]:
    with context.uow().reading() as uow:  # type: ignore[attr-defined]
        return dict(uow.fast_rows("SELECT resident_id, followed_severity FROM resident_facts"))  # type: ignore[arg-type]


def test_a_server_database_at_0010_gets_its_severities_and_keeps_them_on_each_visit_written(
    pg_database: Callable[[Path | None], str], demo_center: Callable[..., Path]
) -> None:
    url = pg_database(demo_center(residents=60, seed=3, today=DEMO_DAY))
    context = open_context(url)
    try:
        engine = context.database.engine
        config = migrations.alembic_config(engine)
        command.downgrade(config, "0010")  # a server database as 0010 left it: no severity kept
        assert set(_severities(context).values()) == {None}
        assert _stale(context)  # every followed resident's severity is missing

        command.upgrade(config, "head")  # 0012: filled from the records
        assert migrations.current_revision(engine) == migrations.head_revision()
        assert _stale(context) == []
        assert {0, 1} <= set(_severities(context).values())  # the demo has controlled and not-controlled follow-ups

        with context.uow().reading() as uow:
            resident, day = uow.fast_rows(
                "SELECT resident_id, followed_day FROM resident_facts WHERE followed_severity = 0 "
                "ORDER BY resident_id LIMIT 1"
            )[0]
        with engine.begin() as connection:  # a write recounts: the trigger's function keeps the severity now
            connection.execute(
                text(
                    "UPDATE visit SET chronic_class = 'complication' WHERE resident_id = :r AND visit_date = :d "
                    "AND chronic_class = 'controlled'"
                ),
                {"r": resident, "d": date.fromordinal(day)},
            )
        assert _severities(context)[resident] == 3
        assert _stale(context) == []

        command.downgrade(config, "0010")  # and back down: the function of 0005 again, the column emptied
        assert set(_severities(context).values()) == {None}
    finally:
        context.close()
