"""Backups: complete dated copies, the daily one, owner-only files, retention, the integrity check."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from backups_world import (
    MONDAY,
    center_name,
    corrupt,
    fake,
    mode,
    staff_id,
)

from app.bootstrap import AppContext
from app.services.admin.backups import (
    KEEP_DAILY,
    KEEP_SAFETY,
    SAFETY_DAYS,
    BackupFailed,
    BackupKind,
    DatabaseDamaged,
    backup_now,
    backup_to_file,
    check_integrity,
    create_backup,
    daily_backup_if_due,
    list_backups,
    prune_backups,
    retention_plan,
)
from app.services.admin.restore import restore_backup, restore_file
from app.services.authz import PermissionDenied
from app.store import migrations
from app.store.backup import integrity_problems
from app.store.database import make_engine, open_database


def test_a_backup_is_a_complete_dated_copy_in_the_backup_folder(db: Path, folder: Path) -> None:
    info = create_backup(db, folder=folder, now=MONDAY, verify=True)
    assert info.path == folder / "center-20261116-083000-manual.sqlite"
    assert (info.kind, info.created, info.size) == (BackupKind.MANUAL, MONDAY, info.path.stat().st_size)
    assert integrity_problems(info.path) == []
    assert center_name(info.path) == "康宁街道社区卫生服务中心"
    assert not list(folder.glob("*.partial"))


def test_the_default_folder_is_next_to_the_database(db: Path) -> None:
    info = create_backup(db, now=MONDAY)
    assert info.path.parent == db.parent / "backups"


def test_two_backups_in_one_second_keep_both(db: Path, folder: Path) -> None:
    first = create_backup(db, folder=folder, now=MONDAY)
    second = create_backup(db, folder=folder, now=MONDAY)
    assert first.path != second.path and first.path.exists() and second.path.exists()


def test_backing_up_a_missing_or_foreign_file_is_refused(tmp_path: Path, folder: Path) -> None:
    with pytest.raises(BackupFailed):
        create_backup(tmp_path / "missing.sqlite", folder=folder)
    assert not (tmp_path / "missing.sqlite").exists()
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database" * 200)
    with pytest.raises(BackupFailed):
        create_backup(garbage, folder=folder)
    assert not list(folder.glob("*")) if folder.exists() else True


def test_a_backup_to_a_given_file_replaces_it(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "copy.sqlite"
    out.parent.mkdir()
    out.write_text("old content")
    info = backup_to_file(db, out, verify=True)
    assert info.path == out and center_name(out) == "康宁街道社区卫生服务中心"


def test_the_daily_backup_is_made_once_a_day(db: Path, folder: Path) -> None:
    first = daily_backup_if_due(db, folder=folder, now=MONDAY)
    assert first is not None and first.kind is BackupKind.DAILY
    assert daily_backup_if_due(db, folder=folder, now=MONDAY + timedelta(hours=9)) is None
    create_backup(db, folder=folder, now=MONDAY + timedelta(hours=20))  # a manual one does not count
    assert daily_backup_if_due(db, folder=folder, now=MONDAY + timedelta(days=1)) is not None
    assert [b.kind for b in list_backups(db, folder=folder)] == [BackupKind.DAILY, BackupKind.MANUAL, BackupKind.DAILY]


def test_no_daily_backup_before_the_database_exists(tmp_path: Path) -> None:
    assert daily_backup_if_due(tmp_path / "new.sqlite", now=MONDAY) is None


def test_only_this_databases_backups_are_listed(db: Path, folder: Path) -> None:
    create_backup(db, folder=folder, now=MONDAY)
    (folder / "demo-20261116-083000-daily.sqlite").write_bytes(b"x")
    (folder / "notes.txt").write_text("mine")
    (folder / "center-copy.sqlite").write_bytes(b"x")
    assert [b.path.name for b in list_backups(db, folder=folder)] == ["center-20261116-083000-manual.sqlite"]


def test_backups_made_by_other_parts_of_the_app_are_recognised(db: Path, folder: Path) -> None:
    for label in ("before-upgrade-0002", "before-import-1a2b3c4d", "pre-restore-raw"):
        create_backup(db, folder=folder, label=label, now=MONDAY)
    kinds = {b.label: b.kind for b in list_backups(db, folder=folder)}
    assert kinds == {
        "before-upgrade-0002": BackupKind.BEFORE_UPGRADE,
        "before-import-1a2b3c4d": BackupKind.PRE_IMPORT,
        "pre-restore-raw": BackupKind.PRE_RESTORE,
    }


def test_backup_now_is_for_the_administrator(context: AppContext, folder: Path) -> None:
    context.actor_id = staff_id(context.database.path, "nurse")
    with pytest.raises(PermissionDenied):
        backup_now(context.uow(), folder=folder)
    context.actor_id = staff_id(context.database.path, "admin")
    assert backup_now(context.uow(), folder=folder).path.exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_every_kind_of_backup_is_readable_by_its_owner_only(
    context: AppContext, db: Path, folder: Path, tmp_path: Path, open_umask: None
) -> None:
    from app.services.sync.exchange import _start_backup_before_import

    made = {
        "daily": daily_backup_if_due(db, folder=folder, now=MONDAY),
        "manual": create_backup(db, folder=folder, now=MONDAY),
        "--out": backup_to_file(db, tmp_path / "usb" / "copy.sqlite"),
    }
    assert all(info is not None for info in made.values())
    files = {kind: info.path for kind, info in made.items() if info is not None}
    files["pre-import"] = _start_backup_before_import(context.database, "1a2b3c4d5e").finish()
    context.actor_id = staff_id(db, "admin")
    report = restore_backup(context.uow(), backup=files["manual"], folder=folder, now=MONDAY + timedelta(hours=1))
    assert report.safety_backup is not None
    files["pre-restore"] = report.safety_backup
    context.close()

    old = tmp_path / "old" / "center.sqlite"  # an older database: opening it makes a backup before upgrading
    old.parent.mkdir()
    engine = make_engine(old)
    migrations.upgrade(engine, "0001")
    engine.dispose()
    database, opened = open_database(old, backups_dir=folder)
    database.close()
    assert opened.backup is not None
    files["before-upgrade"] = opened.backup

    db.write_bytes(b"\0" * 4096 + b"scrambled" * 5000)  # damaged: kept byte for byte before the restore
    raw = restore_file(db, files["manual"], folder=folder, now=MONDAY + timedelta(hours=2))
    assert raw.safety_backup is not None and raw.safety_backup.name.endswith("pre-restore-raw.sqlite")
    files["pre-restore-raw"] = raw.safety_backup

    assert {kind: oct(mode(path)) for kind, path in files.items()} == {kind: "0o600" for kind in files}


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_new_backup_folder_is_its_owners_only_whatever_the_umask(db: Path, tmp_path: Path) -> None:
    """Under umask 000 the backup folder was made 0777: any local user could delete every backup."""
    previous = os.umask(0)
    try:
        create_backup(db, now=MONDAY)
        backup_to_file(db, tmp_path / "usb" / "copy.sqlite")
    finally:
        os.umask(previous)
    assert oct(mode(db.parent / "backups")) == "0o700"
    assert oct(mode(tmp_path / "usb")) == "0o700"


def test_retention_keeps_seven_days_and_four_weeks_of_daily_backups() -> None:
    now = datetime(2026, 11, 22, 9, 0)  # a Sunday
    daily = [fake(now - timedelta(days=n)) for n in range(60)]
    plan = retention_plan(daily, now=now)
    kept = sorted(b.created.date() for b in plan.keep)
    last_seven = sorted((now - timedelta(days=n)).date() for n in range(KEEP_DAILY))
    assert set(last_seven) <= set(kept)
    weeks = {b.created.isocalendar()[:2] for b in plan.keep}
    assert len(weeks) == 4  # the current ISO week and the three before it
    assert len(plan.keep) == KEEP_DAILY + 3  # the newest of each of the three earlier weeks
    assert len(plan.keep) + len(plan.delete) == 60


def test_retention_keeps_safety_backups_for_thirty_days_then_the_newest_three() -> None:
    now = datetime(2026, 11, 22, 9, 0)
    restores = [fake(now - timedelta(days=n * 10), "pre-restore") for n in range(8)]  # 0, 10, ... 70 days old
    plan = retention_plan(restores, now=now)
    ages = sorted((now - b.created).days for b in plan.keep)
    assert ages == [0, 10, 20]  # three newest (also all the ones under 30 days)
    young = [fake(now - timedelta(days=n), "pre-import") for n in range(SAFETY_DAYS - 1)]
    assert retention_plan(young, now=now).delete == []  # however many, under 30 days all stay
    assert KEEP_SAFETY == 3


def test_pruning_deletes_what_the_retention_drops_and_nothing_else(db: Path, folder: Path) -> None:
    for n in range(12):
        daily_backup_if_due(db, folder=folder, now=MONDAY + timedelta(days=n))
    names = {p.name for p in folder.iterdir()}
    assert len([n for n in names if n.endswith("-daily.sqlite")]) <= KEEP_DAILY + 2
    assert "center-20261127-083000-daily.sqlite" in names  # the newest
    (folder / "unrelated.sqlite").write_bytes(b"x")
    now = MONDAY + timedelta(days=11, minutes=5)  # the pruning's clock; the file times are set on it
    stale = folder / "center-20261101-000000-daily.sqlite.partial"
    stale.write_bytes(b"half")
    os.utime(stale, (now.timestamp() - 7200, now.timestamp() - 7200))
    fresh = folder / "center-20261127-000000-manual.sqlite.partial"
    fresh.write_bytes(b"being written")
    os.utime(fresh, (now.timestamp() - 60, now.timestamp() - 60))
    deleted = prune_backups(db, folder=folder, now=now)
    assert stale in deleted and not stale.exists()
    assert fresh.exists() and (folder / "unrelated.sqlite").exists()


def test_old_daily_backups_are_shown_as_weekly(db: Path, folder: Path) -> None:
    for n in range(0, 30, 2):
        daily_backup_if_due(db, folder=folder, now=MONDAY + timedelta(days=n))
    listed = list_backups(db, folder=folder)
    assert [b.weekly for b in listed[:KEEP_DAILY]] == [False] * KEEP_DAILY
    assert any(b.weekly for b in listed[KEEP_DAILY:])


def test_a_sound_database_passes_the_integrity_check(db: Path, tmp_path: Path) -> None:
    assert check_integrity(db).ok
    missing = check_integrity(tmp_path / "new.sqlite")
    assert missing.ok and not missing.exists


def test_a_damaged_database_fails_the_check_with_a_clear_message(db: Path, tmp_path: Path) -> None:
    corrupt(db)
    report = check_integrity(db)
    assert not report.ok and report.problems
    assert not check_integrity(db, quick=True).ok
    with pytest.raises(DatabaseDamaged) as damaged:
        report.raise_if_damaged()
    assert str(db) in str(damaged.value)
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"\0" * 100 + b"garbage" * 1000)
    assert not check_integrity(garbage).ok
