"""Backups: daily and manual, retention, integrity checks, restore, and surviving kill -9."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from app.bootstrap import AppContext, open_context
from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts.sign_in import create_staff
from app.services.admin.backups import (
    KEEP_DAILY,
    KEEP_SAFETY,
    SAFETY_DAYS,
    BackupFailed,
    BackupInfo,
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
from app.services.admin.center import set_up_center
from app.services.admin.restore import BackupUnusable, restore_backup, restore_file
from app.services.authz import PermissionDenied
from app.store import migrations
from app.store.backup import integrity_problems
from app.store.database import make_engine, open_database
from app.store.sqlite import sqlite3

PASSWORD = "s3cret-pass"
MONDAY = datetime(2026, 11, 16, 8, 30)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A center with an administrator and a nurse, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "center.sqlite"
    real, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    ctx = open_context(path)
    try:
        set_up_center(
            ctx.uow(),
            name="康宁街道社区卫生服务中心",
            code="KN01",
            admin_name="王管理",
            admin_login="admin",
            admin_password=PASSWORD,
        )
        with ctx.uow() as uow:
            create_staff(uow, name="张护士", role=Role.NURSE, login="nurse", password=PASSWORD)
            uow.commit()
    finally:
        ctx.close()
        accounts._hasher = real
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "center.sqlite"
    shutil.copyfile(template, path)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def context(db: Path) -> Iterator[AppContext]:
    ctx = open_context(db)
    yield ctx
    ctx.close()


def center_name(path: Path) -> str:
    with sqlite3.connect(path) as raw:
        return str(raw.execute("SELECT name FROM center").fetchone()[0])


def rename_center(path: Path, name: str) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE center SET name = ?", (name,))


def staff_id(path: Path, login: str) -> str:
    with sqlite3.connect(path) as raw:
        return str(raw.execute("SELECT id FROM staff WHERE login = ?", (login,)).fetchone()[0])


# --- making backups ------------------------------------------------------------------------------------


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


# --- owner-only files ----------------------------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask of a desktop session: files readable by anyone unless created otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


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


# --- retention ---------------------------------------------------------------------------------------


def fake(day: datetime, kind: str = "daily") -> BackupInfo:
    label = kind
    return BackupInfo(Path(f"center-{day:%Y%m%d-%H%M%S}-{label}.sqlite"), day, BackupKind(kind), label, 1)


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


# --- integrity ---------------------------------------------------------------------------------------


def test_a_sound_database_passes_the_integrity_check(db: Path, tmp_path: Path) -> None:
    assert check_integrity(db).ok
    missing = check_integrity(tmp_path / "new.sqlite")
    assert missing.ok and not missing.exists


def corrupt(path: Path) -> None:
    """Scribble over the middle of the file, as a failing disk would."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2)
        handle.write(random.Random(3).randbytes(8192))


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


# --- restoring ---------------------------------------------------------------------------------------


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


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def other_center(tmp_path: Path) -> Path:
    """A database of another center, set up the same way (its own center id)."""
    path = tmp_path / "other-center" / "center.sqlite"
    ctx = open_context(path)
    try:
        set_up_center(
            ctx.uow(),
            name="另一个社区卫生服务中心",
            code="LY02",
            admin_name="李管理",
            admin_login="admin",
            admin_password=PASSWORD,
        )
    finally:
        ctx.close()
    return path


def edited_copy(template: Path, target: Path, *sql: str) -> Path:
    shutil.copyfile(template, target)
    raw = sqlite3.connect(target)
    try:
        for statement in sql:
            raw.execute(statement)
        raw.commit()
    finally:
        raw.close()
    return target


@pytest.fixture
def english() -> None:
    from app.domain.i18n import set_language

    set_language("en")


REFUSALS = {  # what is wrong with the chosen file: what the message says
    "missing": "the file does not exist",
    "empty": "the file is empty (0 bytes)",
    "not_sqlite": "it is not a database file",
    "not_ours": "it is not a CareRounds database",
    "too_new": "written by a newer version of the app (schema 9999)",
    "unknown_version": "its schema version 0000 is unknown",
    "lowered_version": "its schema (version 0001) cannot be upgraded to this version's",
    "empty_alembic_version": "its schema version is missing",
    "no_auditentry": "tables are missing: auditentry",
    "no_resident": "tables are missing: resident",
    "no_column": "columns are missing: visit.findings",
    "other_center_device_blanked": "belongs to another center (另一个社区卫生服务中心)",
    "other_center": "belongs to another center (另一个社区卫生服务中心)",
    "no_center": "holds no center",
    "device_blanked": "has no device identity",
    "other_device": "comes from another device",
    "same_file": "cannot be restored from itself",
    "hard_link": "cannot be restored from itself",
}


def refused_candidate(problem: str, db: Path, template: Path, tmp_path: Path) -> Path:
    """Make the file ``problem`` names (see :data:`REFUSALS`)."""
    candidate = tmp_path / "candidate.sqlite"
    edits = {
        "too_new": ["UPDATE alembic_version SET version_num = '9999'"],
        "unknown_version": ["UPDATE alembic_version SET version_num = '0000'"],
        "lowered_version": ["UPDATE alembic_version SET version_num = '0001'"],
        "empty_alembic_version": ["DELETE FROM alembic_version"],
        "no_auditentry": ["DROP TABLE auditentry"],
        "no_resident": ["DROP TABLE resident"],
        "no_column": ["ALTER TABLE visit DROP COLUMN findings"],
        "no_center": ["DELETE FROM center"],
        "device_blanked": ["DELETE FROM device_state"],
        "other_device": ["UPDATE device_state SET device_id = 'another-laptop'"],
    }
    if problem in edits:
        edited_copy(template, candidate, *edits[problem])
    elif problem == "empty":
        candidate.write_bytes(b"")
    elif problem == "not_sqlite":
        candidate.write_bytes(b"garbage" * 1000)
    elif problem == "not_ours":
        with sqlite3.connect(candidate) as raw:
            raw.execute("CREATE TABLE things (x)")
        raw.close()
    elif problem == "other_center_device_blanked":
        edited_copy(other_center(tmp_path), candidate, "DELETE FROM device_state")
    elif problem == "other_center":
        edited_copy(other_center(tmp_path), candidate)
    elif problem == "same_file":
        candidate = db
    elif problem == "hard_link":
        os.link(db, candidate)
    return candidate


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


# --- kill -9 -------------------------------------------------------------------------------------------

KILL_ROUNDS = 6


def make_big_database(path: Path, rows: int = 3000) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)")
        raw.executemany("INSERT INTO t (b) VALUES (randomblob(4000))", [()] * rows)


def fingerprint(path: Path) -> tuple[int, str]:
    with sqlite3.connect(path) as raw:
        count, total = raw.execute("SELECT COUNT(*), TOTAL(LENGTH(b)) FROM t").fetchone()
        first = raw.execute("SELECT hex(b) FROM t ORDER BY id LIMIT 1").fetchone()[0]
    return int(count), f"{total}:{first[:32]}"


def run_and_kill(code: str, rng: random.Random, *, min_s: float, max_s: float) -> None:
    """Start ``code`` in a fresh interpreter, wait until it says it is working, then kill -9 it."""
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"working", child.stderr.read() if child.stderr else b""
        time.sleep(rng.uniform(min_s, max_s))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL  # it was still working: the kill landed mid-way


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_kill_9_during_backups_leaves_the_database_and_earlier_backups_intact(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite"
    folder = tmp_path / "backups"
    make_big_database(db)
    before = fingerprint(db)
    earlier = [create_backup(db, folder=folder, now=MONDAY + timedelta(days=n)).path for n in range(2)]
    earlier_digests = [digest(path) for path in earlier]
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from app.store.backup import backup_database
        n = 0
        print("working", flush=True)
        while True:
            n += 1
            backup_database(Path({str(db)!r}), Path({str(folder)!r}) / f"big-{{n}}-loop.sqlite")
        """
    )
    rng = random.Random(9)
    for _ in range(KILL_ROUNDS):
        run_and_kill(code, rng, min_s=0.05, max_s=0.5)
        assert integrity_problems(db) == [] and fingerprint(db) == before
        assert [digest(path) for path in earlier] == earlier_digests
        for backup in folder.glob("*.sqlite"):  # whatever carries a final name is a whole, sound copy
            assert integrity_problems(backup) == [], backup
            assert fingerprint(backup) == before
    assert list(folder.glob("*.partial")), "no kill landed while a copy was being written"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_kill_9_during_a_restore_leaves_either_the_old_or_the_new_content(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite"
    make_big_database(db, rows=2000)
    state_a = tmp_path / "a.sqlite"
    shutil.copyfile(db, state_a)
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE t SET b = randomblob(4000)")
    state_b = tmp_path / "b.sqlite"
    create_b = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from pathlib import Path; from app.store.backup import backup_database; "
            f"backup_database(Path({str(db)!r}), Path({str(state_b)!r}))",
        ],
        check=True,
    )
    assert create_b.returncode == 0
    allowed = {fingerprint(state_a), fingerprint(state_b)}
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from app.store.restore_copy import restore_into
        print("working", flush=True)
        while True:
            for source in ({str(state_a)!r}, {str(state_b)!r}):
                restore_into(Path(source), Path({str(db)!r}))
        """
    )
    rng = random.Random(11)
    for _ in range(KILL_ROUNDS):
        run_and_kill(code, rng, min_s=0.02, max_s=0.4)
        assert integrity_problems(db) == []
        assert fingerprint(db) in allowed


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
    assert str(refused.value).startswith(f"Cannot write the backup {out}: Permission denied")


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
