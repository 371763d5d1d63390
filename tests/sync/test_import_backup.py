"""The backup taken before an import: the state before it, on disk before the import commits, gone if it fails."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sync_world import Device, add_resident, content_digest

from app.services.sync import export_package, import_package
from app.store.backup import integrity_problems


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


def test_the_backup_holds_the_state_before_the_import(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    add_resident(laptop, name="新居民", id_number="310104195001010010")
    path = laptop.path.parent / "l1.crsync"
    export_package(laptop.context.uow(), out=path)
    before = content_digest(workstation.path)
    done = import_package(workstation.context.uow(), path=path)
    assert done.backup is not None and done.backup.exists()
    assert integrity_problems(done.backup) == []
    assert content_digest(done.backup) == before != content_digest(workstation.path)
    assert "新居民" in resident_names(workstation.path) and "新居民" not in resident_names(done.backup)
    assert not list(done.backup.parent.glob("*.partial*"))


def test_a_cancelled_import_changes_nothing_and_leaves_no_backup(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    add_resident(laptop, name="新居民", id_number="310104195001010010")
    path = laptop.path.parent / "l1.crsync"
    export_package(laptop.context.uow(), out=path)
    before = content_digest(workstation.path)
    backups = workstation.path.parent / "backups"
    token = CancelHalfway(backups)
    with pytest.raises(Cancelled):
        import_package(workstation.context.uow(), path=path, token=token)
    assert token.copies_in_progress  # the backup had been started when the import was cancelled
    assert content_digest(workstation.path) == before
    assert list(backups.iterdir()) == []
    done = import_package(workstation.context.uow(), path=path)  # and the file still imports afterwards
    assert done.new and done.backup is not None and done.backup.exists()
