"""Online backups are consistent copies and never left half-written under their final name.

SQLite only: copies of the file (a server is backed up by pg_dump: tests/cli/test_postgres_backup_trial.py).
"""

from __future__ import annotations

from pathlib import Path

from app.store.backup import backup_database
from app.store.database import open_database
from app.store.models import Center
from app.store.sqlite import sqlite3
from app.store.uow import UnitOfWork


def test_backup_of_a_live_database_is_a_complete_copy(db_path: Path, tmp_path: Path) -> None:
    database, _ = open_database(db_path)
    try:
        with UnitOfWork(database) as uow:
            uow.session.add(Center(name="中心", code="C01"))
            uow.commit()
        target = backup_database(db_path, tmp_path / "b" / "copy.sqlite")
        with sqlite3.connect(target) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert copy.execute("SELECT name FROM center").fetchone() == ("中心",)
        assert not list((tmp_path / "b").glob("*.partial"))
    finally:
        database.close()
