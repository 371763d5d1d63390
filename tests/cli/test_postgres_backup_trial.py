"""``backup --db postgresql://…`` as a center's IT person first meets it (#20 tried by hand).

Before: a password in the URL was put on ``pg_dump``'s and ``pg_restore``'s command lines (``--dbname=postgresql://user:PASSWORD@…``),
where any user of the computer sees it (``ps``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.cli.main import main
from app.store.engines import ServerURL
from app.store.pg_backup import _conninfo

pytestmark = pytest.mark.postgres


def run(capsys: pytest.CaptureFixture[str], *argv: str, lang: str = "en") -> tuple[int, str, str]:
    code = main(["--lang", lang, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def as_superuser(pg_url: str, sql: str) -> None:
    """The throwaway cluster's superuser (``postgres``, trusted on its socket: tools/pg_cluster.sh)."""
    admin = make_url(pg_url).set(username="postgres", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


@pytest.fixture
def role_without_createdb(pg_url: str) -> Iterator[str]:
    """A login role like ``createuser carerounds`` makes: no CREATEDB; member of the test's role (its tables)."""
    role = f"desk_{uuid.uuid4().hex[:12]}"
    owner = make_url(pg_url).username
    as_superuser(pg_url, f'CREATE ROLE "{role}" LOGIN NOCREATEDB IN ROLE "{owner}"')
    yield role
    as_superuser(pg_url, f'DROP ROLE IF EXISTS "{role}"')


def test_the_tools_command_line_never_holds_the_password() -> None:
    url = ServerURL("postgresql://nurse:s3cret-Ward7@db.center.lan:5432/carerounds")
    assert "s3cret" not in _conninfo(url) and "s3cret" not in _conninfo(url, "carerounds_check_1")
    assert _conninfo(url, "other") == "postgresql://nurse@db.center.lan:5432/other"
