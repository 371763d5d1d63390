"""A database that vanishes, is read-only, fills the disk or stays busy: a plain message, nothing reported saved.

Also: a 0-byte file is refused like any file that is not a CareRounds database, database files are owner-only,
and a reading unit of work neither waits for a writer nor writes.

SQLite only: the file's failures (a server's: test_server_connection_failures.py, test_server_lost.py).
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import event
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.cli.main import main
from app.domain import i18n
from app.domain.roles import Role
from app.domain.visits import VisitEntry
from app.services.accounts import sign_in as accounts
from app.services.visits.save import record_visit
from app.store import database as database_module
from app.store.database import open_database
from app.store.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseReadOnly,
    DatabaseVanished,
    DatabaseViewOnly,
    DiskFull,
    DiskIOError,
    StoreError,
    store_error,
)
from app.store.migrations import NotOurDatabase
from app.store.models import Institution, Resident
from app.store.sqlite import sqlite3
from app.store.uow import ReadOnlyUnitOfWork, UnitOfWork

TODAY = date(2026, 11, 20)
SEEN = VisitEntry(sbp=128, dbp=78, pulse=72, findings="精神可")
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def context(db_path: Path) -> Iterator[AppContext]:
    ctx = open_context(db_path)
    with ctx.uow() as uow:
        home = Institution(name="康宁养老院", kind="nursing_home")
        uow.session.add(home)
        uow.session.flush()
        uow.session.add(
            Resident(name="王建国", sex="M", birth_date=date(1940, 1, 1), id_number="310104194001010013",
                     institution_id=home.id)
        )  # fmt: skip
        uow.commit()
    yield ctx
    ctx.close()


def resident_id(context: AppContext) -> str:
    with context.uow() as uow:
        return uow.session.exec(select(Resident.id)).one()


def save_visit(context: AppContext) -> object:
    return record_visit(context.uow(), resident_id=resident_id(context), visit_date=TODAY, entry=SEEN, today=TODAY)


def visits(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT COUNT(*) FROM visit").fetchone()[0])
    finally:
        connection.close()


# --- the file deleted or replaced while open --------------------------------------------------------------


def test_a_visit_saved_after_the_database_file_was_deleted_is_refused_and_says_how_to_restore(
    context: AppContext, db_path: Path
) -> None:
    rid = resident_id(context)
    db_path.unlink()  # SQLite would go on writing to the deleted inode, and "save" into nothing
    i18n.set_language("en")
    with pytest.raises(DatabaseVanished) as refused:
        record_visit(context.uow(), resident_id=rid, visit_date=TODAY, entry=SEEN, today=TODAY)
    message = str(refused.value)
    assert str(db_path) in message and "deleted or replaced" in message and "restore the newest backup" in message
    assert "were not saved" in message
    with pytest.raises(DatabaseVanished):  # and it stays stopped
        record_visit(context.uow(), resident_id=rid, visit_date=TODAY, entry=SEEN, today=TODAY)
    i18n.set_language("zh_CN")
    assert "被删除或替换" in str(refused.value)


def test_a_database_file_replaced_by_another_is_not_written(context: AppContext, db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    open_context(other).close()
    os.replace(other, db_path)
    with pytest.raises(DatabaseVanished):
        save_visit(context)
    assert visits(db_path) == 0


# --- busy, disk full, read-only, I/O error, damaged: one message each --------------------------------------


def test_a_writer_waits_a_bounded_time_for_the_lock_then_says_the_database_is_busy(
    context: AppContext, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)
    context.database.engine.dispose()  # new connections get the short wait
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another window or command is writing
    try:
        i18n.set_language("en")
        with pytest.raises(DatabaseBusy, match="busy") as busy:
            save_visit(context)
        assert "another window or command is writing" in str(busy.value)
        # a reading unit of work does not wait for the writer
        with UnitOfWork(context.database, write=False) as uow:
            assert uow.session.exec(select(Resident.name)).one() == "王建国"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert visits(db_path) == 0
    save_visit(context)
    assert visits(db_path) == 1


def test_the_command_line_says_busy_names_the_command_and_exits_1(
    context: AppContext, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = resident_id(context)
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    with context.uow() as uow:
        accounts.create_staff(uow, name="王医生", role=Role.DOCTOR, login="doctor", password="s3cret-pass")
        uow.commit()
    monkeypatch.setenv("CARE_USER", "doctor")
    monkeypatch.setenv("CARE_PASSWORD", "s3cret-pass")
    context.close()
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code = main(["--lang", "en", "resident", "edit", rid, "--set", "bed=3", "--db", str(db_path)])
    finally:
        other.execute("ROLLBACK")
        other.close()
    err = capsys.readouterr().err
    assert code == 1
    assert "The database is busy" in err and "“resident edit”" in err
    assert "sqlalche.me" not in err and "OperationalError" not in err


def test_a_full_disk_is_said_plainly_and_nothing_is_saved(context: AppContext, db_path: Path) -> None:
    pages = sqlite3.connect(db_path).execute("PRAGMA page_count").fetchone()[0]

    def tiny(dbapi_connection: sqlite3.Connection, record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLITE_FULL once it must grow more

    context.database.engine.dispose()
    event.listen(context.database.engine, "connect", tiny)
    i18n.set_language("en")
    saved = 0
    with pytest.raises(DiskFull) as full:
        for number in range(50):
            with context.uow() as uow:
                uow.session.add(Institution(name=f"{number}" + "院" * 3000, kind="nursing_home"))
                uow.commit()
            saved += 1
    assert "disk is full" in str(full.value) and "were not saved" in str(full.value)
    assert "sqlite" not in str(full.value).lower()
    connection = sqlite3.connect(db_path)
    assert connection.execute("SELECT COUNT(*) FROM institution").fetchone()[0] == 1 + saved
    connection.close()


def test_a_reading_unit_of_work_cannot_write(context: AppContext) -> None:
    with UnitOfWork(context.database, write=False) as uow:
        uow.session.add(Institution(name="另一家", kind="nursing_home"))
        with pytest.raises(ReadOnlyUnitOfWork):
            uow.commit()
    with pytest.raises(DatabaseReadOnly), UnitOfWork(context.database, write=False) as uow:
        uow.session.add(Institution(name="另一家", kind="nursing_home"))
        uow.session.flush()  # query_only: SQLite refuses the write itself


@pytest.mark.parametrize(
    ("code", "text", "kind", "english"),
    [
        (5, "database is locked", DatabaseBusy, "busy"),
        (13, "database or disk is full", DiskFull, "disk is full"),
        (8, "attempt to write a readonly database", DatabaseReadOnly, "read-only"),
        (10, "disk I/O error", DiskIOError, "failed"),
        (11, "database disk image is malformed", DatabaseDamaged, "damaged"),
    ],
)
def test_each_sqlite_failure_has_its_own_translated_message(
    code: int, text: str, kind: type[StoreError], english: str
) -> None:
    error = sqlite3.OperationalError(text)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    mapped = store_error(error, path="/data/center.sqlite", what="the visit")
    assert type(mapped) is kind
    i18n.set_language("en")
    assert english in str(mapped) and "the visit" in str(mapped) and text not in str(mapped)
    i18n.set_language("zh_CN")
    assert "未保存" in str(mapped)
    assert store_error(sqlite3.IntegrityError("UNIQUE constraint failed")) is None  # a bug, not a failure


def test_a_read_only_database_opens_for_viewing_and_a_change_is_refused_in_words(
    context: AppContext, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was refused at start; now it is looked at, and a change is refused naming the file (exit 2).

    More in tests/store/test_read_only.py and tests/cli/test_read_only_cli.py.
    """
    context.close()
    real_access = os.access
    # tests run as root, for whom every file is writable: the permission check is what is simulated
    monkeypatch.setattr(os, "access", lambda path, mode: False if mode == os.W_OK else real_access(path, mode))
    i18n.set_language("en")
    database, _report = open_database(db_path)
    try:
        assert database.read_only
        with pytest.raises(DatabaseViewOnly, match="read-only"), UnitOfWork(database) as uow:
            uow.session.add(Institution(name="另一家", kind="nursing_home"))
            uow.commit()
    finally:
        database.close()


# --- a 0-byte file --------------------------------------------------------------------------------------


def test_an_empty_file_is_refused_like_any_file_that_is_not_ours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARE_USER", "doctor")  # refused when the file is opened, before anybody signs in
    monkeypatch.setenv("CARE_PASSWORD", "s3cret-pass")
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with pytest.raises(NotOurDatabase):
        open_database(empty)
    assert empty.stat().st_size == 0  # not initialised
    assert main(["--lang", "en", "resident", "list", "--db", str(empty)]) == 2
    assert "is not a CareRounds database" in capsys.readouterr().err
    fresh = tmp_path / "new" / "fresh.sqlite"
    database, report = open_database(fresh)  # a path that does not exist is still created
    database.close()
    assert report.created


# --- owner-only files ----------------------------------------------------------------------------------------


@posix_only
def test_a_new_database_and_its_wal_and_shm_are_owner_only(context: AppContext, db_path: Path) -> None:
    save_visit(context)  # the -wal and -shm exist while connections are open
    for name in (db_path, db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm")):
        assert stat.S_IMODE(name.stat().st_mode) == 0o600, name


@posix_only
def test_an_existing_database_readable_by_others_is_made_owner_only_at_open(
    context: AppContext, db_path: Path, tmp_path: Path
) -> None:
    context.close()
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(db_path, copy)
    os.chmod(copy, 0o644)
    database, _ = open_database(copy)
    database.close()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip(reason="POSIX semantics of deleting an open file")


def test_after_a_restore_that_replaced_the_file_the_open_database_keeps_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.admin.backups import create_backup
    from app.services.admin.center import set_up_center
    from app.services.admin.restore import restore_backup
    from app.store import restore_copy
    from app.store.models import Staff

    ctx = open_context(tmp_path / "center.sqlite")
    try:
        set_up_center(ctx.uow(), name="测试中心", code="T01", admin_name="管理员", admin_login="admin",
                      admin_password="secret-123")  # fmt: skip
        with ctx.uow() as uow:
            ctx.actor_id = uow.session.exec(select(Staff.id)).one()
        backup = create_backup(ctx.database.path, folder=tmp_path / "backups")

        def refuse(*args: object) -> None:
            raise sqlite3.DatabaseError("a different page size")

        monkeypatch.setattr(restore_copy, "_copy_through_sqlite", refuse)  # restore by replacing the file
        report = restore_backup(ctx.uow(), backup=backup.path, folder=tmp_path / "backups")
        assert report.method == "file-replace"
        with ctx.uow() as uow:  # replaced on purpose: not "deleted or replaced while running"
            uow.session.add(Institution(name="康宁养老院", kind="nursing_home"))
            uow.commit()
    finally:
        ctx.close()
