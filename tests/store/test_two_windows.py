"""Two windows (or a window and a command) on the same database at once: allowed, and no warning (issue 14 §10).

Found while trying to reproduce "a second window on the same database gets a warning": two windows started
together on a file that needed an upgrade (after an update of the app) both failed to open it — each took
the backup before the upgrade under the same name (to the second) and removed the other's ``.partial``:
"… before-upgrade-0010.sqlite.partial is not a database file" in one, "No such file or directory" in the
other. Two processes are started together here (``spawn``, a barrier) with the backup's name fixed to one
second, as it happened.

SQLite only: one file opened (and upgraded) by two processes.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from app.store import database as database_module
from app.store import migrations
from app.store.backup import integrity_problems
from app.store.database import make_engine, open_database
from app.store.sqlite import sqlite3


def _same_second(db: Path, label: str, now: object = None) -> str:
    return f"{db.stem}-20261122-101500-{label}.sqlite"


def _open_in_child(path: str, barrier: Any, answers: Any) -> None:
    database_module.timestamped_name = _same_second  # a fresh process (spawn): the fixed name is set here
    barrier.wait(60)
    try:
        database, report = open_database(Path(path), create=False)
        database.close()
        answers.put(("opened", report.upgraded_from or "", str(report.backup or "")))
    except BaseException as error:  # reported to the parent, which fails the test with it
        answers.put(("failed", repr(error), ""))


def revision_of(path: Path) -> str:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as raw:
        found = str(raw.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    raw.close()
    return found


@pytest.mark.parametrize("trial", range(3))
def test_two_windows_started_together_on_a_file_to_upgrade_both_open_it(tmp_path: Path, trial: int) -> None:
    path = tmp_path / "center.sqlite"
    engine = make_engine(path, key=None)
    migrations.upgrade(engine, "0010")  # as an older version left it
    engine.dispose()
    # spawn, not fork: forked from a test run whose other threads (Qt's, a pool's) may hold a lock at that
    # moment, a child can hang on it for ever — a failure of this test seen once in a full run under load
    spawn = multiprocessing.get_context("spawn")
    barrier, answers = spawn.Barrier(2), spawn.Queue()
    children = [spawn.Process(target=_open_in_child, args=(str(path), barrier, answers)) for _ in range(2)]
    for child in children:
        child.start()
    said = sorted(answers.get(timeout=120) for _ in children)
    for child in children:
        child.join(60)
    assert [answer[0] for answer in said] == ["opened", "opened"], said
    assert "0010" in [answer[1] for answer in said]  # one of them upgraded (the other, perhaps, found it done)
    assert revision_of(path) == migrations.head_revision() and integrity_problems(path) == []
    backup = Path(next(answer[2] for answer in said if answer[1] == "0010"))
    assert backup.is_file() and revision_of(backup) == "0010" and integrity_problems(backup) == []
    assert not list(backup.parent.glob("*.partial*"))
