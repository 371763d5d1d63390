"""A server that stops answering while the app runs, or a writer kept waiting, is said as the file's failures are.

Before (#20 tried by hand): with the window signed in on a server, stopping PostgreSQL and pressing Refresh showed
"Unexpected error: OperationalError: (psycopg.OperationalError) connection failed: connection to server at …
(Background on this error at: https://sqlalche.me/e/…)"; a writer past the 10 s lock timeout the same way, though
docs/postgresql.md says it fails as "busy". :func:`app.store.errors.store_error` knew SQLite's errors only.
The errors below are psycopg's own classes with libpq's and the server's texts, wrapped as SQLAlchemy wraps them.
"""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from app.domain import i18n
from app.store.errors import DatabaseBusy, StoreError, store_error

REFUSED = (
    'connection failed: connection to server at "10.0.0.5", port 5432 failed: Connection refused\n'
    "\tIs the server running on that host and accepting TCP/IP connections?"
)


def wrapped(error: Exception) -> OperationalError:
    return OperationalError("SELECT 1", {}, error)


@pytest.mark.parametrize(
    "driver_error",
    [
        psycopg.OperationalError(REFUSED),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"),
    ],
)
@pytest.mark.parametrize(("lang", "words"), [("en", "lost"), ("zh_CN", "断开")])
def test_a_server_that_stopped_answering_is_a_store_error_in_plain_words(
    driver_error: Exception, lang: str, words: str
) -> None:
    i18n.set_language(lang)
    mapped = store_error(wrapped(driver_error), path="postgresql://nurse@10.0.0.5/carerounds")
    assert isinstance(mapped, StoreError)
    said = str(mapped.not_saved("x"))
    assert words in said and "sqlalche.me" not in said and "psycopg" not in said and "Connection refused" not in said


def test_a_writer_past_the_lock_timeout_is_busy() -> None:
    i18n.set_language("en")
    mapped = store_error(wrapped(psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")))
    assert isinstance(mapped, DatabaseBusy) and "busy" in str(mapped)


def test_a_servers_bug_class_errors_are_left_alone() -> None:
    assert store_error(wrapped(psycopg.errors.UndefinedColumn('column "x" does not exist'))) is None
