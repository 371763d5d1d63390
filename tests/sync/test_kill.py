"""Atomic import: kill the importing process at random moments; the database is as before or as after.

The parent has imported every module already, so each trial forks (``multiprocessing``'s ``fork``) a child
that opens a fresh copy of the workstation's database and imports the same package, and the parent sends
SIGKILL after a random delay: during the backup, the merge, the commit, or after it (the trial files live on
/dev/shm when there is one: a killed process, unlike a power cut, does not depend on fsync). Every time, SQLite's
integrity check passes and the database holds exactly the state before the import, or exactly the state
after it — never a part. Killed after the commit while its backup is being made durable, the database holds
the import and the backup is a complete ``.partial``, never listed, and removed by the next backup.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sync_world import SHARED_RESIDENTS, Device, add_resident, add_visit, content_digest, edit_resident

from app.services.admin.backups import list_backups
from app.services.sync.exchange import export_package, import_package, schema_revisions
from app.store import private_files
from app.store.backup import backup_database
from app.store.database import Database, make_engine
from app.store.private_files import PARTIAL_SUFFIX
from app.store.sqlite import sqlite3
from app.store.uow import UnitOfWork
from app.sync.clock import HybridLogicalClock

TRIALS = 200

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


@pytest.fixture
def hub() -> str:
    """SQLite only: a process killed while it writes the center's file, and what the file holds afterwards."""
    return "sqlite"


STABLE = {
    "imported_package": "package_id, source_device",
    "sync_log": "direction, package_id, peer_device, counts, result",
    "sync_conflict": "entity, entity_id, field, kept_value, kept_clock, other_value, other_clock, resolution",
    "sync_peer": "device_id, name, sent_watermark, acked_watermark, received_watermark",
}


def state_digest(path: Path) -> str:
    """Digest of what an import may change: every synced row and the sync bookkeeping (no timestamps)."""
    from app.store.models import SYNCED_TABLES

    connection = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for model in SYNCED_TABLES:
            for row in connection.execute(f'SELECT * FROM "{model.__tablename__}" ORDER BY id'):
                digest.update(repr(row).encode())
        for table, columns in STABLE.items():
            for row in sorted(connection.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        connection.close()


def _import_in_child(db: str, package: str) -> None:
    """Open the database the quick way (no migration check: the parent made it) and import the package."""
    path = Path(db)
    with sqlite3.connect(path) as connection:
        device_id, last_clock = connection.execute("SELECT device_id, last_clock FROM device_state").fetchone()
    database = Database(path, make_engine(path), device_id, HybridLogicalClock(device_id, last=last_clock))
    import_package(UnitOfWork(database), path=Path(package))


@pytest.fixture
def prepared(two_devices: list[Device], tmp_path: Path) -> tuple[Path, Path]:
    """A closed workstation database and a laptop package of about 250 changes (and a conflict) for it."""
    workstation, laptop = two_devices
    for number in range(20):
        rid = add_resident(laptop, name=f"居民{number}", id_number=f"3101041950010{number:04d}1"[:18])
        for _ in range(5):
            add_visit(laptop, rid)
    edit_resident(workstation, _shared(workstation), phone="13800000001")
    edit_resident(laptop, _shared(laptop), phone="13900000002")
    package = tmp_path / "laptop.crsync"
    export_package(laptop.context.uow(), out=package)
    workstation.close()
    laptop.close()
    clean = tmp_path / "before.sqlite"
    connection = sqlite3.connect(workstation.path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    shutil.copyfile(workstation.path, clean)
    return clean, package


def _shared(device: Device) -> str:
    from sqlmodel import select

    from app.store.models import Resident

    with device.context.uow() as uow:
        return uow.session.exec(select(Resident.id).where(Resident.id_number == SHARED_RESIDENTS[0][1])).one()


def test_killing_the_import_at_any_moment_leaves_the_database_before_or_after(
    prepared: tuple[Path, Path], tmp_path: Path
) -> None:
    clean, package = prepared
    schema_revisions()  # read before forking, like everything else the child needs
    scratch = Path(tempfile.mkdtemp(prefix="kill-", dir="/dev/shm" if Path("/dev/shm").is_dir() else tmp_path))
    before_full, before = content_digest(clean), state_digest(clean)
    done = tmp_path / "after.sqlite"
    shutil.copyfile(clean, done)
    fork = multiprocessing.get_context("fork")

    def run(target: Path, kill_after: float | None) -> float:
        child = fork.Process(target=_import_in_child, args=(str(target), str(package)))
        start = time.perf_counter()
        child.start()
        if kill_after is not None:
            time.sleep(kill_after)
            if child.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGKILL)
        child.join()
        return time.perf_counter() - start

    durations = [run(done, None)]
    after = state_digest(done)
    assert after != before
    for _ in range(2):
        again = tmp_path / "timing.sqlite"
        shutil.copyfile(clean, again)
        durations.append(run(again, None))
    longest = max(durations)

    rng = random.Random(20261122)
    outcomes = {"before": 0, "after": 0}
    for trial in range(TRIALS):
        folder = scratch / f"t{trial % 4}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        target = folder / "center.sqlite"
        shutil.copyfile(clean, target)
        run(target, rng.uniform(0, longest * 1.15))
        connection = sqlite3.connect(target)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        connection.close()
        state = state_digest(target)
        assert state in (before, after), f"trial {trial}: the database is neither as before nor as after"
        if state == before:
            assert content_digest(target) == before_full, f"trial {trial}: something changed"
            outcomes["before"] += 1
        else:
            outcomes["after"] += 1
    shutil.rmtree(scratch, ignore_errors=True)
    assert outcomes["before"] >= 20 and outcomes["after"] >= 20, outcomes


def _import_then_hang_before_the_flush(db: str, package: str, marker: str, flushing: Any) -> None:
    """Import, and stop for good when the committed import's backup is about to be flushed and renamed."""

    def hang(path: Path, **options: bool) -> None:
        Path(marker).write_text(str(path))
        flushing.set()
        threading.Event().wait()  # until killed

    private_files.fsync_file = hang  # type: ignore[assignment]  # in this child only
    _import_in_child(db, package)


def test_killed_after_the_commit_before_the_backup_is_durable(prepared: tuple[Path, Path], tmp_path: Path) -> None:
    clean, package = prepared
    schema_revisions()
    before_full, before = content_digest(clean), state_digest(clean)
    target = tmp_path / "w" / "center.sqlite"
    target.parent.mkdir()
    shutil.copyfile(clean, target)
    marker = tmp_path / "flushing"
    fork = multiprocessing.get_context("fork")
    flushing = fork.Event()
    arguments = (str(target), str(package), str(marker), flushing)
    child = fork.Process(target=_import_then_hang_before_the_flush, args=arguments)
    child.start()
    assert flushing.wait(60) and marker.exists(), "the import never reached the flush of its backup"
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert state_digest(target) != before  # the import committed
    backups = target.parent / "backups"
    partial = Path(marker.read_text())
    assert partial.name.endswith(PARTIAL_SUFFIX) and [p.name for p in backups.iterdir()] == [partial.name]
    assert content_digest(partial) == before_full  # complete: the state before the import
    assert list_backups(target) == []  # but never offered as a backup
    backup_database(target, backups / "center-20261122-120000-manual.sqlite")  # the next backup cleans it up
    assert [p.name for p in backups.iterdir()] == ["center-20261122-120000-manual.sqlite"]
