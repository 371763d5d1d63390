"""A connection to the center's server that fails is said plainly, in the user's language (#20 tried as a user).

Before: the message was libpq's English line as psycopg wraps it ("connection failed: connection to server at
… failed: fe_sendauth: no password supplied"), in an English or a Chinese sentence alike. The texts below are
libpq 15's, as psycopg 3 gives them (captured on a cluster with scram-sha-256 password authentication).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.cli.main import main
from app.domain import i18n
from app.store import migrations
from app.store.engines import ServerURL
from app.store.server import open_server_database
from app.store.server_errors import connection_failure

URL = ServerURL("postgresql://nurse@db.center.lan:5432/carerounds")
LIBPQ = 'connection failed: connection to server at "10.0.0.5", port 5432 failed: '
RAW = ("connection failed", "fe_sendauth", "FATAL", "psycopg", "connection to server")


@pytest.mark.parametrize(
    ("libpq", "english", "chinese"),
    [
        (LIBPQ + "fe_sendauth: no password supplied\n", "asks for user nurse's password", "没有找到密码"),
        (
            LIBPQ + 'FATAL:  password authentication failed for user "nurse"\n',
            "refused user nurse's password",
            "拒绝了用户 nurse 的密码",
        ),
        (LIBPQ + 'FATAL:  database "carerounds" does not exist\n', "has no database named carerounds", "没有名为"),
        (
            LIBPQ + 'FATAL:  no pg_hba.conf entry for host "10.0.0.7", user "nurse", database "carerounds", '
            "no encryption\n",
            "does not accept this computer",
            "pg_hba.conf",
        ),
        (
            LIBPQ + "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n",
            "cannot be reached",
            "连接不上数据库服务器",
        ),
        ("permission denied for table alembic_version", "not use the center's tables", "不允许使用中心的数据表"),
        ("failed to resolve host 'db.center.lan': [Errno -2] Name or service not known", "No server named", "找不到"),
        (
            "pg_dump: error: " + LIBPQ[len("connection failed: ") :] + "fe_sendauth: no password supplied",
            "~/.pgpass",
            "~/.pgpass",
        ),
    ],
)
def test_each_kind_of_failure_is_said_plainly_in_both_languages(libpq: str, english: str, chinese: str) -> None:
    i18n.set_language("en")
    said = connection_failure(URL, libpq)
    assert english in said and "db.center.lan" in said, said
    assert not any(raw in said for raw in RAW), said
    i18n.set_language("zh_CN")
    said = connection_failure(URL, libpq)
    assert chinese in said and not any(raw in said for raw in RAW), said


def test_an_unknown_failure_gives_the_servers_reason_without_the_librarys_wrapping() -> None:
    i18n.set_language("en")
    said = connection_failure(URL, LIBPQ + "FATAL:  sorry, too many clients already\n")
    assert said == (
        "The database server db.center.lan:5432 refused the connection. Tell the center's IT staff its reason: "
        "sorry, too many clients already"
    )


def test_a_server_that_is_not_running_is_said_so_when_opening(tmp_path: Path) -> None:
    """A Unix socket folder with no server behind it: no server needed for this test."""
    i18n.set_language("zh_CN")
    with pytest.raises(migrations.DatabaseUnreadable) as raised:
        open_server_database(ServerURL(f"postgresql://nurse@/carerounds?host={tmp_path}"))
    said = str(raised.value)
    assert "连接不上数据库服务器" in said and not any(raw in said for raw in RAW), said


def test_the_command_line_says_it_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARE_USER", "admin")
    monkeypatch.setenv("CARE_PASSWORD", "demo1234")
    code = main(["--lang", "en", "resident", "list", "--db", f"postgresql://nurse@/carerounds?host={tmp_path}"])
    _out, err = capsys.readouterr()
    assert code == 2
    assert "cannot be reached" in err and "Traceback" not in err and not any(raw in err for raw in RAW), err


@pytest.mark.postgres
def test_a_database_the_server_does_not_have_is_named(pg_database: Callable[[Path | None], str]) -> None:
    missing = make_url(pg_database(None)).set(database="no_such_center_db").render_as_string(hide_password=False)
    i18n.set_language("en")
    with pytest.raises(migrations.DatabaseUnreadable) as raised:
        open_server_database(ServerURL(missing))
    said = str(raised.value)
    assert "has no database named no_such_center_db" in said and not any(raw in said for raw in RAW), said


@pytest.mark.postgres
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_an_empty_server_database_says_how_to_put_a_center_on_it_not_file_words(
    pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Before: "There is no database file postgresql://… Check the path (… center join)"."""
    monkeypatch.setenv("CARE_USER", "admin")
    monkeypatch.setenv("CARE_PASSWORD", "demo1234")
    code = main(["--lang", lang, "resident", "list", "--db", pg_url])
    _out, err = capsys.readouterr()
    assert code == 2 and "center move-to" in err and "center create" in err, err
    assert "file" not in err and "文件 postgresql" not in err and "center join" not in err, err


@pytest.mark.postgres
def test_a_server_database_of_something_else_is_not_called_a_file(pg_url: str) -> None:
    """Before: "The file postgresql://… is not a CareRounds database"."""
    import psycopg

    with psycopg.connect(make_url(pg_url).render_as_string(hide_password=False), autocommit=True) as server:
        server.execute("CREATE TABLE invoices (id integer)")
    i18n.set_language("en")
    with pytest.raises(migrations.NotOurDatabase) as raised:
        open_server_database(ServerURL(pg_url), create=False)
    said = str(raised.value)
    assert said.startswith("The server database postgresql://") and "not a CareRounds database" in said, said
    assert "invoices" in said, said
