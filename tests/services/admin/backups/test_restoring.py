"""Restoring a backup: checked in a copy first, refused with its reason, the open window keeps working."""

from __future__ import annotations

import os
import shutil
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from backups_world import (
    MONDAY,
    PASSWORD,
    REFUSALS,
    center_name,
    digest,
    refused_candidate,
    rename_center,
    staff_id,
)

from app.bootstrap import AppContext, open_context
from app.services.admin.backups import (
    BackupFailed,
    backup_to_file,
    check_integrity,
    create_backup,
)
from app.services.admin.center import set_up_center
from app.services.admin.restore import BackupUnusable, restore_backup, restore_file
from app.services.authz import PermissionDenied
from app.store import migrations
from app.store.backup import integrity_problems
from app.store.database import make_engine
from app.store.sqlite import sqlite3


def test_a_restore_brings_back_the_backup_and_saves_the_current_state(db: Path, folder: Path) -> None:
    backup = create_backup(db, folder=folder, now=MONDAY)
    rename_center(db, "改过的名字")
    report = restore_file(db, backup.path, folder=folder)
    assert center_name(db) == "康宁街道社区卫生服务中心"
    assert report.safety_backup is not None and center_name(report.safety_backup) == "改过的名字"
    assert report.method == "sqlite-backup"
    assert integrity_problems(db) == []
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT action FROM auditentry ORDER BY updated_at DESC").fetchone() == (
            "database_restored",
        )


def test_the_open_window_keeps_working_on_the_restored_database(context: AppContext, folder: Path) -> None:
    db = context.database.path
    backup = create_backup(db, folder=folder, now=MONDAY)
    rename_center(db, "改过的名字")
    context.actor_id = staff_id(db, "nurse")
    with pytest.raises(PermissionDenied):
        restore_backup(context.uow(), backup=backup.path, folder=folder)
    context.actor_id = staff_id(db, "admin")
    report = restore_backup(context.uow(), backup=backup.path, folder=folder)
    with context.uow() as uow:
        assert uow.rows("SELECT name FROM center")[0][0] == "康宁街道社区卫生服务中心"
        entry = uow.rows("SELECT action, staff_name FROM auditentry ORDER BY updated_at DESC LIMIT 1")[0]
    assert tuple(entry) == ("database_restored", "王管理")
    assert report.safety_backup is not None


def test_a_damaged_database_is_replaced_and_kept_byte_for_byte(db: Path, folder: Path) -> None:
    backup = create_backup(db, folder=folder, now=MONDAY)
    db.write_bytes(b"\0" * 4096 + b"scrambled" * 5000)
    report = restore_file(db, backup.path, folder=folder)
    assert report.method == "file-replace"
    assert check_integrity(db).ok and center_name(db) == "康宁街道社区卫生服务中心"
    assert report.safety_backup is not None and b"scrambled" in report.safety_backup.read_bytes()


def test_a_stale_log_is_not_replayed_over_the_restored_file(db: Path, folder: Path, tmp_path: Path) -> None:
    backup = create_backup(db, folder=folder, now=MONDAY)
    (db.parent / (db.name + "-wal")).write_bytes(b"\0" * 10_000)  # a damaged file with a leftover log
    db.write_bytes(b"garbage" * 5000)
    restore_file(db, backup.path, folder=folder)
    assert check_integrity(db).ok and center_name(db) == "康宁街道社区卫生服务中心"


def test_restoring_onto_a_new_computer_needs_no_current_database(db: Path, folder: Path, tmp_path: Path) -> None:
    backup = create_backup(db, folder=folder, now=MONDAY)
    target = tmp_path / "new-computer" / "center.sqlite"
    report = restore_file(target, backup.path, folder=tmp_path / "new-backups")
    assert report.safety_backup is None and center_name(target) == "康宁街道社区卫生服务中心"


def test_an_older_backup_is_upgraded_in_a_copy_and_restored(tmp_path: Path, folder: Path) -> None:
    old = tmp_path / "old.sqlite"
    engine = make_engine(old)
    migrations.upgrade(engine, "0001")
    engine.dispose()
    chosen = digest(old)
    target = tmp_path / "center.sqlite"
    report = restore_file(target, old, folder=folder)
    assert report.upgraded_from == "0001"
    assert migrations.current_revision(make_engine(target)) == migrations.head_revision()
    assert digest(old) == chosen  # the chosen file is only read: it stays the state before the upgrade
    assert integrity_problems(target) == []


def test_the_open_window_restores_an_older_backup_upgraded(context: AppContext, folder: Path, tmp_path: Path) -> None:
    db = context.database.path
    old = tmp_path / "old.sqlite"
    shutil.copyfile(db, old)
    engine = make_engine(old)
    from alembic import command

    command.downgrade(migrations.alembic_config(engine), "0006")  # the same center and device, older schema
    engine.dispose()
    rename_center(old, "旧的名字")
    context.actor_id = staff_id(db, "admin")
    report = restore_backup(context.uow(), backup=old, folder=folder)
    assert report.upgraded_from == "0006"
    with context.uow() as uow:
        assert uow.rows("SELECT name FROM center")[0][0] == "旧的名字"
        assert uow.rows("SELECT version_num FROM alembic_version")[0][0] == migrations.head_revision()
        assert uow.rows("SELECT name FROM sqlite_master WHERE name = 'ix_resident_bed'")


@pytest.mark.parametrize("problem", sorted(REFUSALS))
def test_an_unusable_backup_is_refused_with_its_reason_and_nothing_changes(
    db: Path, folder: Path, tmp_path: Path, template: Path, problem: str, english: None
) -> None:
    candidate = refused_candidate(problem, db, template, tmp_path)
    chosen = digest(candidate) if candidate.exists() else None
    before = digest(db)
    with pytest.raises(BackupUnusable) as refused:
        restore_file(db, candidate, folder=folder)
    assert REFUSALS[problem] in str(refused.value)
    assert digest(db) == before
    assert not folder.exists() or not list(folder.iterdir())  # not even the backup before a restore
    assert [p.name for p in db.parent.iterdir() if p.name.startswith(".restore-")] == []  # the checked copy
    assert (digest(candidate) if candidate.exists() else None) == chosen  # the chosen file is only read


def test_a_refused_backup_leaves_the_open_window_working(
    context: AppContext, folder: Path, tmp_path: Path, template: Path, english: None
) -> None:
    db = context.database.path
    candidate = refused_candidate("other_center_device_blanked", db, template, tmp_path)
    context.actor_id = staff_id(db, "admin")
    with pytest.raises(BackupUnusable, match="another center"):
        restore_backup(context.uow(), backup=candidate, folder=folder)
    with context.uow() as uow:
        assert uow.rows("SELECT name FROM center")[0][0] == "康宁街道社区卫生服务中心"
    assert not folder.exists() or not list(folder.iterdir())


def test_a_refusal_speaks_chinese(db: Path, folder: Path, tmp_path: Path, template: Path) -> None:
    from app.domain.i18n import set_language

    set_language("zh_CN")
    candidate = refused_candidate("empty_alembic_version", db, template, tmp_path)
    with pytest.raises(BackupUnusable) as refused:
        restore_file(db, candidate, folder=folder)
    assert "不是可用的医养巡诊备份：缺少数据库结构版本" in str(refused.value)


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads /proc/locks (Linux)")
def test_the_databases_own_log_files_are_refused_without_opening_them(context: AppContext, folder: Path) -> None:
    """Restoring from the database's own ``-shm`` (or ``-wal``) in the window must not drop our locks.

    The candidate was read with a plain ``open()`` in the window's process; closing it released every
    ``fcntl`` lock the process held on the ``-shm`` (SQLite's shared-memory locks), as issue 12 part 1.
    """
    from tests.store.test_backup_locks import posix_locks

    db = context.database.path
    context.actor_id = staff_id(db, "admin")
    with context.uow() as uow:
        uow.rows("SELECT COUNT(*) FROM staff")  # a pooled connection keeps the shared memory open and locked
    shm = db.with_name(db.name + "-shm")

    def locks() -> list[str]:  # without /proc/locks' ordinal, which changes as other locks come and go
        return sorted(line.split(":", 1)[1] for line in posix_locks(os.getpid(), shm.stat().st_ino))

    held = locks()
    assert held
    hard = folder / "restore-me.sqlite"
    folder.mkdir()
    os.link(shm, hard)
    for chosen in (shm, db.with_name(db.name + "-wal"), hard):
        with pytest.raises(BackupUnusable) as refused:
            restore_backup(context.uow(), backup=chosen, folder=folder)
        assert locks() == held, chosen
        assert refused.value.key == "backup.same_file"


def test_a_backup_of_a_center_set_up_again_under_the_same_name_says_so(
    db: Path, folder: Path, tmp_path: Path, english: None
) -> None:
    """A center set up anew has a new id and the same name: 'another center (X) than this database (“X”)' puzzled."""
    again = tmp_path / "again" / "center.sqlite"
    ctx = open_context(again)
    try:
        set_up_center(
            ctx.uow(),
            name=center_name(db),
            code="KN01",
            admin_name="王管理",
            admin_login="admin",
            admin_password=PASSWORD,
        )
    finally:
        ctx.close()
    with sqlite3.connect(again) as raw:
        found_id = str(raw.execute("SELECT id FROM center").fetchone()[0])
    raw.close()
    with sqlite3.connect(db) as raw:
        current_id = str(raw.execute("SELECT id FROM center").fetchone()[0])
    raw.close()
    with pytest.raises(BackupUnusable) as refused:
        restore_file(db, again, folder=folder)
    message = str(refused.value)
    assert "another center with the same name" in message
    assert found_id[-8:] in message and current_id[-8:] in message and found_id[-8:] != current_id[-8:]


def test_a_visit_committed_while_a_restore_waits_is_in_the_pre_restore_backup(
    db: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state before a restore is saved under the same write lock as the restore itself.

    Before, the pre-restore backup was made first and the restore then waited for another connection's
    write (a second window, an import): what that writer committed meanwhile was in neither the
    pre-restore backup nor the restored database — a saved change lost, and the restore not undoable.
    """
    import threading

    from app.services.admin import restore as service

    backup = create_backup(db, folder=folder, now=MONDAY)
    checked = threading.Event()
    real_check = service.check_restorable

    def check_then_signal(*args: object, **kwargs: object) -> object:
        candidate = real_check(*args, **kwargs)  # type: ignore[arg-type]
        checked.set()
        return candidate

    monkeypatch.setattr(service, "check_restorable", check_then_signal)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE center SET name = 'saved while the restore waited'")
    done: list[object] = []
    restoring = threading.Thread(
        target=lambda: done.append(restore_file(db, backup.path, folder=folder, now=MONDAY + timedelta(hours=1)))
    )
    restoring.start()
    assert checked.wait(30)
    deadline = time.monotonic() + 1.0  # the old code made its pre-restore backup at once; the new one waits
    while time.monotonic() < deadline and not list(folder.glob("*-pre-restore.sqlite")):
        time.sleep(0.01)
    writer.execute("COMMIT")
    writer.close()
    restoring.join(60)
    assert done, "the restore did not finish"
    report = done[0]
    assert isinstance(report, service.RestoreReport) and report.safety_backup is not None
    assert center_name(report.safety_backup) == "saved while the restore waited"
    assert center_name(db) == "康宁街道社区卫生服务中心"


def test_a_restore_waits_for_another_writer_within_bounds_then_changes_nothing(
    db: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, english: None
) -> None:
    """Python's backup API retried a busy target for ever: the restore hung as long as another writer did."""
    from app.store import restore_copy

    backup = create_backup(db, folder=folder, now=MONDAY)
    monkeypatch.setattr(restore_copy, "RESTORE_WAIT_S", 0.3)
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE center SET name = 'still being written'")
        with pytest.raises(BackupFailed) as refused:
            restore_file(db, backup.path, folder=folder, now=MONDAY + timedelta(hours=1))
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert refused.value.key == "backup.busy" and "Nothing was changed" in str(refused.value)
    assert not list(folder.glob("*pre-restore*"))
    assert center_name(db) == "still being written"


def test_a_backup_into_a_folder_it_cannot_write_says_so(
    db: Path, tmp_path: Path, english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said 'Cannot read the database <the backup's name>': the database was fine, the folder was not.

    (Seen with ``backup --out`` into a read-only folder; played here by refusing the ``.partial``, as
    a read-only folder does for anyone but root.)
    """
    from app.store import private_files

    def read_only_folder(partial: Path) -> int:
        raise PermissionError(13, "Permission denied", str(partial))

    monkeypatch.setattr(private_files, "create_locked", read_only_folder)
    out = tmp_path / "stick" / "copy.sqlite"
    with pytest.raises(BackupFailed) as refused:
        backup_to_file(db, out)
    assert str(refused.value).startswith(f"Cannot write the backup {out}: permission denied")


@pytest.mark.parametrize(
    ("below", "reason"),
    [("copy.sqlite", "已存在同名文件"), ("sub/copy.sqlite", "路径中有一部分不是文件夹")],
)
def test_a_backup_folder_that_is_a_file_is_the_backups_fault_said_in_the_users_language(
    db: Path, tmp_path: Path, below: str, reason: str
) -> None:
    """A file where the backup's folder should be (on a stick) was said 'Cannot read the database <the
    backup>: File exists' — the database blamed, the system's English in a Chinese sentence."""
    from app.domain.i18n import set_language

    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("a file where the backups' folder should be")
    set_language("zh_CN")
    with pytest.raises(BackupFailed) as refused:
        backup_to_file(db, not_a_folder / below)
    message = str(refused.value)
    assert message.startswith(f"无法写入备份 {not_a_folder / below}：{reason}"), message


def test_a_full_stick_is_the_backups_fault_not_the_databases(
    db: Path, tmp_path: Path, english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said 'Cannot read the database center.sqlite: the disk is full' (found by review, with a 1 MB stick):
    the copying child reports no file name, and that was taken for the database's side."""
    from app.store import private_files

    def full_stick(source: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")  # as copy_in_child raises the child's errno: no name

    monkeypatch.setattr(private_files, "copy_in_child", full_stick)
    out = tmp_path / "stick" / "copy.sqlite"
    with pytest.raises(BackupFailed) as refused:
        backup_to_file(db, out)
    assert str(refused.value).startswith(f"Cannot write the backup {out}: the disk is full"), str(refused.value)


def test_a_backup_folder_named_like_the_database_is_still_the_backups(db: Path, english: None) -> None:
    """A file 'center.sqlite-backups' where the backup's folder should be blamed the database (its name begins
    with the database's)."""
    blocker = db.with_name(db.name + "-backups")
    blocker.write_text("not a folder")
    with pytest.raises(BackupFailed) as refused:
        backup_to_file(db, blocker / "today.sqlite")
    assert str(refused.value).startswith(f"Cannot write the backup {blocker / 'today.sqlite'}"), str(refused.value)


def test_a_restore_short_of_room_beside_the_database_does_not_call_the_backup_damaged(
    db: Path, folder: Path, english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said '<backup> is not a usable CareRounds backup: the file is damaged (the disk is full)' — staff
    might throw a good backup away; the database's disk was full."""
    from app.store import restore_check

    backup = create_backup(db, folder=folder)

    def full_disk(source: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(restore_check, "copy_private", full_disk)
    before = center_name(db)
    with pytest.raises(BackupFailed) as refused:
        restore_file(db, backup.path, folder=folder)
    message = str(refused.value)
    assert message.startswith(f"Cannot prepare the restore in the database's folder {db.parent}: the disk is full")
    assert "The backup itself is fine" in message and "damaged" not in message
    assert center_name(db) == before and integrity_problems(db) == []


def test_the_backup_before_a_restore_copies_the_file_not_page_by_page(
    db: Path, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taken under the restore's own write lock, it first waited PIN_PATIENCE_S (0.5 s) for that lock,
    then fell back to SQLite's backup API (about three times slower): 0.58 s of a 200-resident restore."""
    from app.store import backup as store
    from app.store.private_files import can_copy_in_child

    if not can_copy_in_child():
        pytest.skip("no child copy here: the backup API is the only way")
    copy = tmp_path / "chosen.sqlite"
    shutil.copyfile(db, copy)
    made: list[store.PendingBackup] = []
    real = store.start_backup

    def spy(*args: Any, **kwargs: Any) -> store.PendingBackup:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(store, "start_backup", spy)
    report = restore_file(db, copy, folder=folder)
    assert report.safety_backup is not None and report.safety_backup.is_file()
    assert [pending.method for pending in made] == ["file-copy"]
    assert integrity_problems(report.safety_backup) == []
