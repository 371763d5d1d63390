"""A backup in two steps — copied, then durable — and the ``.partial`` files a crash may leave behind.

SQLite only: the backup files of a file database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from app.store import private_files
from app.store.backup import backup_database, integrity_problems, start_backup, wait_for_pending_backups
from app.store.private_files import PARTIAL_SUFFIX, remove_stale_partials
from app.store.sqlite import sqlite3


def make_db(path: Path, rows: int = 200) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, pad BLOB)")
        raw.executemany("INSERT INTO t (pad) VALUES (randomblob(2000))", [()] * rows)
    raw.close()


def count(path: Path) -> int:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as raw:
        found = int(raw.execute("SELECT COUNT(*) FROM t").fetchone()[0])
    raw.close()
    return found


def test_copied_then_durable_in_two_steps(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite"
    make_db(db)
    target = tmp_path / "b" / "live-20261122-101500-manual.sqlite"
    pending = start_backup(db, target)
    partial = pending.wait_copied()
    assert partial == target.with_name(target.name + PARTIAL_SUFFIX) and not target.exists()
    assert integrity_problems(partial) == [] and count(partial) == 200
    assert pending.make_durable() == target
    assert target.is_file() and not partial.exists() and count(target) == 200


def test_finish_later_renames_in_the_background_and_runs_the_follow_up(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite"
    make_db(db)
    target = tmp_path / "b" / "live-20261122-101500-manual.sqlite"
    pending = start_backup(db, target)
    pending.wait_copied()
    seen: list[Path] = []
    handle = pending.finish_later(seen.append)
    assert handle.wait(30) == target
    assert handle.done and handle.error is None and seen == [target]
    assert wait_for_pending_backups(0)


def test_a_copy_error_is_raised_by_wait_copied_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "live.sqlite"
    make_db(db)

    def broken(source: Path, target: Path) -> None:
        target.write_bytes(b"half")
        raise OSError("disk gone")

    monkeypatch.setattr(private_files, "copy_in_child", broken)
    target = tmp_path / "b" / "live-20261122-101500-manual.sqlite"
    pending = start_backup(db, target)
    with pytest.raises(OSError, match="disk gone"):
        pending.wait_copied()
    assert list(target.parent.iterdir()) == []
    with pytest.raises(OSError, match="disk gone"):
        backup_database(db, target)
    assert list(target.parent.iterdir()) == []


def test_a_partial_being_written_is_kept_and_a_leftover_is_removed(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite"
    make_db(db)
    folder = tmp_path / "b"
    pending = start_backup(db, folder / "live-20261122-101500-before-import-aaaa.sqlite")
    pending.wait_copied()  # copied, not yet durable: its .partial is locked by this backup
    leftover = folder / f"live-20261121-090000-daily.sqlite{PARTIAL_SUFFIX}"
    leftover.write_bytes(b"cut short")
    other_database = folder / f"other-20261121-090000-daily.sqlite{PARTIAL_SUFFIX}"
    other_database.write_bytes(b"not ours")
    assert remove_stale_partials(folder, "live") == [leftover]
    assert pending.partial.exists() and other_database.exists() and not leftover.exists()
    assert pending.make_durable().is_file()


def test_the_next_backup_removes_a_crash_leftover(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite"
    make_db(db)
    folder = tmp_path / "b"
    folder.mkdir()
    leftover = folder / f"live-20261121-090000-before-import-0a1b2c3d.sqlite{PARTIAL_SUFFIX}"
    leftover.write_bytes(b"cut short")
    backup_database(db, folder / "live-20261122-101500-daily.sqlite")
    assert sorted(p.name for p in folder.iterdir()) == ["live-20261122-101500-daily.sqlite"]


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_partial_locked_by_another_process_is_not_touched(tmp_path: Path) -> None:
    import fcntl  # POSIX only

    folder = tmp_path / "b"
    folder.mkdir()
    busy = folder / f"live-20261122-101500-before-import-0a1b2c3d.sqlite{PARTIAL_SUFFIX}"
    busy.write_bytes(b"being written")
    fd = os.open(busy, os.O_RDONLY)  # another open file description: its lock counts as another process's
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert remove_stale_partials(folder, "live") == [] and busy.exists()
    finally:
        os.close(fd)
    assert remove_stale_partials(folder, "live") == [busy] and not busy.exists()


def test_without_locks_only_an_old_partial_is_taken_for_a_leftover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(private_files, "fcntl", None)  # as on Windows
    folder = tmp_path / "b"
    folder.mkdir()
    young = folder / f"live-20261122-101500-daily.sqlite{PARTIAL_SUFFIX}"
    old = folder / f"live-20261121-101500-daily.sqlite{PARTIAL_SUFFIX}"
    for path in (young, old):
        path.write_bytes(b"x")
    written = young.stat().st_mtime  # file times against file times: the process clock may be travelled
    hours_before = written - private_files.STALE_PARTIAL_AGE_S - 60
    os.utime(old, (hours_before, hours_before))
    assert remove_stale_partials(folder, "live", now=written) == [old] and young.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_file_system_without_locks_still_gets_its_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    class NoLocks:
        LOCK_EX, LOCK_NB = 2, 4

        @staticmethod
        def flock(fd: int, operation: int) -> None:
            raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(private_files, "fcntl", NoLocks)
    db = tmp_path / "live.sqlite"
    make_db(db)
    target = backup_database(db, tmp_path / "b" / "live-20261122-101500-manual.sqlite")
    assert count(target) == 200


@pytest.mark.skipif(sys.platform == "win32", reason="flock: POSIX only")
def test_a_partial_another_window_is_writing_is_neither_removed_nor_truncated(tmp_path: Path) -> None:
    """Two windows started together backed up under the same name (to the second): the second removed (and
    truncated) the first's ``.partial``, and both failed ("… .partial is not a database file", "No such
    file or directory"). Now the second is told the same backup is being made."""
    import fcntl

    db = tmp_path / "live.sqlite"
    make_db(db)
    target = tmp_path / "b" / "live-20261122-101500-daily.sqlite"
    target.parent.mkdir()
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    partial.write_bytes(b"being written by another window")
    other = os.open(partial, os.O_RDWR)  # its own open file: an flock of another process, as far as flock goes
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        inode = partial.stat().st_ino
        with pytest.raises(private_files.BackupInProgress):
            start_backup(db, target, background=False)
        assert partial.stat().st_ino == inode and partial.read_bytes() == b"being written by another window"
        assert not target.exists()
    finally:
        os.close(other)
    assert backup_database(db, target) == target and count(target) == 200  # the lock gone: a leftover, replaced


def test_a_backup_of_the_same_second_as_one_being_written_takes_the_next_second(tmp_path: Path) -> None:
    from datetime import datetime

    from app.services.admin.backups import create_backup

    db = tmp_path / "live.sqlite"
    make_db(db)
    folder = tmp_path / "b"
    folder.mkdir()
    now = datetime(2026, 11, 22, 10, 15, 0)
    (folder / f"live-20261122-101500-daily.sqlite{PARTIAL_SUFFIX}").write_bytes(b"another window's")
    made = create_backup(db, folder=folder, label="daily", now=now)
    assert made.path.name == "live-20261122-101501-daily.sqlite" and count(made.path) == 200
