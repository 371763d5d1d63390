"""``backup --db postgresql://…`` as a center's IT person first meets it (#20 tried by hand).

Before: a password in the URL was put on ``pg_dump``'s and ``pg_restore``'s command lines
(``--dbname=postgresql://user:PASSWORD@…``), where any user of the computer sees it (``ps``); a tool that could not
connect said so in libpq's English; a ``~/.pgpass`` line naming the center's database only (as docs/postgresql.md
wrote it) made ``pg_restore`` into the check's scratch database ask "Password:" on the terminal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain import i18n
from app.store.engines import ServerURL
from app.store.pg_backup import ToolFailed, _conninfo, dump

pytestmark = pytest.mark.postgres


def test_the_tools_command_line_never_holds_the_password() -> None:
    url = ServerURL("postgresql://nurse:s3cret-Ward7@db.center.lan:5432/carerounds")
    assert "s3cret" not in _conninfo(url) and "s3cret" not in _conninfo(url, "carerounds_check_1")
    assert _conninfo(url, "other") == "postgresql://nurse@db.center.lan:5432/other"


@pytest.mark.parametrize(("lang", "words"), [("en", "cannot be reached"), ("zh_CN", "连接不上数据库服务器")])
def test_pg_dump_that_cannot_reach_the_server_says_so_plainly(tmp_path: Path, lang: str, words: str) -> None:
    """Before: "pg_dump did not finish: pg_dump: error: connection to server on socket … failed: …" (libpq's)."""
    i18n.set_language(lang)
    with pytest.raises(ToolFailed) as failed:
        dump(ServerURL(f"postgresql://nurse@/carerounds?host={tmp_path}"), tmp_path / "x.dump")
    said = str(failed.value)
    assert said.startswith("pg_dump") and words in said and "error: connection to server" not in said, said
    assert list(tmp_path.glob("x.dump*")) == []
