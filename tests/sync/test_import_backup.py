"""The backup taken before an import: the state before it, complete before the import commits, gone if it fails.

It is made durable (fsync, rename, fsync of the folder) right after the commit on a background thread; until
then it is a complete ``.partial`` that any process can read.
"""

from __future__ import annotations

import errno
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_world import Device, add_resident, content_digest

from app.services.admin.backups import list_backups
from app.services.sync.exchange import KEEP_IMPORT_BACKUPS, export_package, import_package
from app.store import private_files
from app.store.backup import integrity_problems, wait_for_pending_backups
from app.store.private_files import PARTIAL_SUFFIX
from app.store.sqlite import sqlite3


@pytest.fixture
def hub() -> str:
    """SQLite only: the backup before an import is a copy of the center's file (a server center has pg_dump's)."""
    return "sqlite"


class Cancelled(Exception):
    pass


class CancelHalfway:
    """A progress token that cancels once the merge has started (noting the copy being written then)."""

    def __init__(self, backups: Path) -> None:
        self.backups = backups
        self.copies_in_progress: list[Path] = []

    def report(self, done: int, total: int) -> None:
        pass

    def raise_if_cancelled(self) -> None:
        self.copies_in_progress = list(self.backups.glob("*.partial"))
        raise Cancelled


def resident_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as raw:
        names = {row[0] for row in raw.execute("SELECT name FROM resident WHERE deleted = 0")}
    raw.close()
    return names


@pytest.fixture
def package(two_devices: list[Device]) -> Path:
    """A laptop's package with a new resident, for the workstation."""
    _, laptop = two_devices
    add_resident(laptop, name="新居民", id_number="310104195001010010")
    path = laptop.path.parent / "l1.crsync"
    export_package(laptop.context.uow(), out=path)
    return path


@pytest.fixture
def held_flush(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Make the flush of a backup's copy wait until the test sets the returned event."""
    release, real_fsync = threading.Event(), private_files.fsync_file

    def fsync_when_released(path: Path, **options: bool) -> None:
        assert release.wait(30), "the test never released the flush"
        real_fsync(path, **options)

    monkeypatch.setattr(private_files, "fsync_file", fsync_when_released)
    yield release
    release.set()
    wait_for_pending_backups(30)


def test_the_backup_holds_the_state_before_the_import(two_devices: list[Device], package: Path) -> None:
    workstation, _ = two_devices
    before = content_digest(workstation.path)
    done = import_package(workstation.context.uow(), path=package)
    assert wait_for_pending_backups(30)
    assert done.backup is not None and done.backup.exists()
    assert integrity_problems(done.backup) == []
    assert content_digest(done.backup) == before != content_digest(workstation.path)
    assert "新居民" in resident_names(workstation.path) and "新居民" not in resident_names(done.backup)
    assert not list(done.backup.parent.glob("*.partial*"))


def test_the_import_returns_with_the_copy_complete_and_makes_it_durable_afterwards(
    two_devices: list[Device], package: Path, held_flush: threading.Event
) -> None:
    workstation, _ = two_devices
    before = content_digest(workstation.path)
    done = import_package(workstation.context.uow(), path=package)  # returns while the flush is held
    assert done.new and done.backup is not None
    partial = done.backup.with_name(done.backup.name + PARTIAL_SUFFIX)
    assert not done.backup.exists() and partial.is_file()
    assert integrity_problems(partial) == []  # every byte copied: a whole database, readable by anyone
    assert content_digest(partial) == before != content_digest(workstation.path)
    assert list_backups(workstation.path) == []  # not a backup yet
    assert not wait_for_pending_backups(0.2)  # still being made durable
    held_flush.set()
    assert wait_for_pending_backups(30)
    assert done.backup.is_file() and not partial.exists()
    assert content_digest(done.backup) == before
    assert [b.path for b in list_backups(workstation.path)] == [done.backup]


def test_a_failed_copy_refuses_the_import_and_changes_nothing(
    two_devices: list[Device], package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workstation, _ = two_devices

    def disk_full(source: Path, target: Path) -> None:
        target.write_bytes(b"SQLite format 3\x00 half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(private_files, "copy_in_child", disk_full)
    before = content_digest(workstation.path)
    with pytest.raises(OSError, match="No space left"):
        import_package(workstation.context.uow(), path=package)
    assert content_digest(workstation.path) == before
    assert list((workstation.path.parent / "backups").iterdir()) == []
    monkeypatch.undo()
    done = import_package(workstation.context.uow(), path=package)  # once the disk has room, it imports
    assert done.new and wait_for_pending_backups(30) and done.backup is not None and done.backup.is_file()


def test_a_failure_after_the_commit_loses_the_backup_not_the_import(
    two_devices: list[Device], package: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    workstation, _ = two_devices

    def failing_fsync(path: Path, **options: bool) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(private_files, "fsync_file", failing_fsync)
    with caplog.at_level(logging.ERROR, logger="app.store.backup"):
        done = import_package(workstation.context.uow(), path=package)
        assert wait_for_pending_backups(30)
    assert done.new and "新居民" in resident_names(workstation.path)
    assert done.backup is not None and not done.backup.exists()
    assert list((workstation.path.parent / "backups").iterdir()) == []  # the .partial is removed too
    assert any(
        "could not be saved" in r.getMessage() and "Input/output error" in r.getMessage() for r in caplog.records
    )


def test_a_stale_partial_is_never_listed_and_is_removed_by_the_next_import(
    two_devices: list[Device], package: Path
) -> None:
    workstation, _ = two_devices
    backups = workstation.path.parent / "backups"
    backups.mkdir(exist_ok=True)
    stale = backups / f"{workstation.path.stem}-20261120-101500-before-import-0a1b2c3d.sqlite{PARTIAL_SUFFIX}"
    stale.write_bytes(workstation.path.read_bytes()[:8192])  # a crash's leftover, cut short
    unrelated = backups / "notes.sqlite.partial"  # not a name the app gives: never touched
    unrelated.write_bytes(b"x")
    assert list_backups(workstation.path) == []
    done = import_package(workstation.context.uow(), path=package)
    assert wait_for_pending_backups(30)
    assert not stale.exists() and unrelated.exists()
    assert [b.path for b in list_backups(workstation.path)] == [done.backup]


def test_only_the_newest_import_backups_are_kept(three_devices: list[Device]) -> None:
    workstation, laptop, other = three_devices
    backups = []
    for number in range(KEEP_IMPORT_BACKUPS + 1):
        sender = laptop if number % 2 == 0 else other
        add_resident(sender, name=f"居民{number}", id_number=f"31010419500101{number:03d}1"[:18])
        path = sender.path.parent / f"p{number}.crsync"
        export_package(sender.context.uow(), out=path)
        done = import_package(workstation.context.uow(), path=path)
        assert wait_for_pending_backups(30) and done.backup is not None
        backups.append(done.backup)
    kept = sorted(p.name for p in (workstation.path.parent / "backups").iterdir())
    assert kept == sorted(p.name for p in backups[-KEEP_IMPORT_BACKUPS:])


def test_a_cancelled_import_changes_nothing_and_leaves_no_backup(two_devices: list[Device], package: Path) -> None:
    workstation, _ = two_devices
    before = content_digest(workstation.path)
    backups = workstation.path.parent / "backups"
    token = CancelHalfway(backups)
    with pytest.raises(Cancelled):
        import_package(workstation.context.uow(), path=package, token=token)
    assert token.copies_in_progress  # the backup had been started when the import was cancelled
    assert content_digest(workstation.path) == before
    assert list(backups.iterdir()) == []
    done = import_package(workstation.context.uow(), path=package)  # and the file still imports afterwards
    assert done.new and wait_for_pending_backups(30) and done.backup is not None and done.backup.exists()
