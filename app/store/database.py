"""The database file: open (create, upgrade with a backup, or refuse), pragmas, the device's clock."""

from __future__ import annotations

import logging
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from app.store import migrations
from app.store.backup import backup_database, timestamped_name
from app.store.models import DeviceState
from app.sync.clock import HybridLogicalClock

log = logging.getLogger(__name__)


def _set_pragmas(dbapi_connection: sqlite3.Connection, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # lists of 100 000 residents read many pages: a 64 MiB page cache and memory-mapped reads keep them fast
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """Create an engine on the SQLite file ``path`` with WAL mode and foreign keys on."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _set_pragmas)
    return engine


@dataclass
class OpenReport:
    """What opening the file did: created it, upgraded it (and where the backup went), or nothing."""

    created: bool = False
    upgraded_from: str | None = None
    backup: Path | None = None


class Database:
    """An open CareRounds database: engine, this device's id and hybrid logical clock.

    Use :func:`open_database` to get one.
    """

    def __init__(self, path: Path, engine: Engine, device_id: str, clock: HybridLogicalClock) -> None:
        self.path = path
        self.engine = engine
        self.device_id = device_id
        self.clock = clock

    def session(self) -> Session:
        from app.store.stamping import CLOCK_KEY

        session = Session(self.engine, expire_on_commit=False)
        session.info[CLOCK_KEY] = self.clock
        return session

    def persist_clock(self, session: Session) -> None:
        session.execute(
            text("UPDATE device_state SET last_clock = :c WHERE device_id = :d"),
            {"c": self.clock.last, "d": self.device_id},
        )

    def close(self) -> None:
        self.engine.dispose()


def backups_dir_for(path: Path) -> Path:
    return path.parent / "backups"


def open_database(
    path: Path, *, device_name: str = "", backups_dir: Path | None = None, create: bool = True
) -> tuple[Database, OpenReport]:
    """Open or create the database at ``path``, migrating an older file after a backup.

    Args:
        create: make a new, empty database when ``path`` does not exist (False: refuse).

    Raises:
        DatabaseMissing: ``path`` does not exist and ``create`` is False.
        DatabaseTooNew: the file was written by a newer version of the app.
        NotOurDatabase: the file is a folder, not SQLite, or holds other tables and no CareRounds schema.
    """
    path = Path(path)
    if path.is_dir():
        raise migrations.NotOurDatabase("db.is_folder", path=path)
    if not create and not path.exists():
        raise migrations.DatabaseMissing("db.missing", path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    report = OpenReport()
    engine = make_engine(path)
    try:
        try:
            revision = migrations.current_revision(engine)
        except DatabaseError as error:  # not SQLite at all ("file is not a database"), or unreadable
            if isinstance(error.orig, sqlite3.DatabaseError) and "not a database" in str(error.orig):
                raise migrations.NotOurDatabase("db.not_ours", path=path) from error
            raise migrations.DatabaseUnreadable("db.unreadable", path=path, reason=error.orig) from error
        head = migrations.head_revision()
        if revision is None:
            if migrations.has_tables(engine):
                raise migrations.NotOurDatabase("db.not_ours", path=path)
            migrations.upgrade(engine)
            report.created = True
        elif revision != head:
            if revision not in migrations.known_revisions():
                raise migrations.DatabaseTooNew("db.too_new", found=revision, known=head)
            target = (backups_dir or backups_dir_for(path)) / timestamped_name(path, f"before-upgrade-{revision}")
            report.backup = backup_database(path, target)
            log.info("backed up %s to %s before upgrading from %s", path, target, revision)
            migrations.upgrade(engine)
            report.upgraded_from = revision
        device_id, clock = _load_device(engine, device_name)
    except BaseException:
        engine.dispose()
        raise
    return Database(path, engine, device_id, clock), report


def _load_device(engine: Engine, device_name: str) -> tuple[str, HybridLogicalClock]:
    with Session(engine) as session:
        state = session.get(DeviceState, _first_device_id(session))
        if state is None:
            state = DeviceState(device_id=str(uuid.uuid4()), name=device_name)
            session.add(state)
            session.commit()
        return state.device_id, HybridLogicalClock(state.device_id, last=state.last_clock)


def _first_device_id(session: Session) -> str:
    row = session.execute(text("SELECT device_id FROM device_state LIMIT 1")).first()
    return row[0] if row else ""
