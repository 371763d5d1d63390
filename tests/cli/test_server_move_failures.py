"""``center move-to`` a server that cannot be reached is said plainly (#20 tried as a center's IT person).

Before: a server down, a database name the server has not, or a refused password each ended ``center move-to`` in a
traceback (sqlalchemy.exc.OperationalError) — the first command the IT staff type. No server is needed here: a
Unix socket folder with none behind it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main


@pytest.mark.parametrize(("lang", "words"), [("en", "cannot be reached"), ("zh_CN", "连接不上数据库服务器")])
def test_moving_onto_a_server_that_is_not_running_says_so(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    db = db_file  # the SQLite center to move (file-only: move-to's source is a file)
    target = f"postgresql://carerounds@/carerounds?host={tmp_path}"
    code = main(["--lang", lang, "center", "move-to", target, "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and words in err, err
    assert "Traceback" not in err and "OperationalError" not in err and "connection failed" not in err, err


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "postgresql://user@host/dbname"), ("zh_CN", "postgresql://用户@主机/数据库名")]
)
@pytest.mark.parametrize("argv", [["resident", "list"], ["export", "residents", "--out", "x.xlsx"]])
def test_a_server_url_without_a_database_name_says_what_is_wanted(
    capsys: pytest.CaptureFixture[str], lang: str, words: str, argv: list[str]
) -> None:
    """Before: argparse's "argument --db: invalid db_target value: 'postgresql://db.center.lan'" (English only)."""
    code = main(["--lang", lang, *argv, "--db", "postgresql://db.center.lan"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and words in err and "db_target" not in err, err
