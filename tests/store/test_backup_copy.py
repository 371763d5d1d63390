"""Backups by file copy under a pinned read transaction: consistent whatever other connections do meanwhile.

SQLite only: copies of the file (a server is backed up by pg_dump).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from app.store import backup as backup_module
from app.store import file_copy, private_files
from app.store.backup import _pin_file_state, backup_database, integrity_problems, start_backup
from app.store.sqlite import sqlite3


def make_ledger(path: Path, rows: int = 1500) -> None:
    """A WAL database with an invariant: ``total`` holds the count and the sum of ``ledger``."""
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, pad BLOB)")
        raw.execute("CREATE TABLE total (n INTEGER NOT NULL, s INTEGER NOT NULL)")
        raw.executemany("INSERT INTO ledger (amount, pad) VALUES (1, randomblob(3000))", [()] * rows)
        raw.execute("INSERT INTO total VALUES (?, ?)", (rows, rows))
    raw.close()


def ledger_state(path: Path) -> tuple[int, int]:
    """Return ``(n, s)`` after checking that the copy is sound and keeps the invariant."""
    assert integrity_problems(path) == [], path
    with sqlite3.connect(path) as raw:
        counted = raw.execute("SELECT COUNT(*), SUM(amount) FROM ledger").fetchone()
        total = raw.execute("SELECT n, s FROM total").fetchone()
        mode = raw.execute("PRAGMA journal_mode").fetchone()[0]
    raw.close()
    assert counted == total, (path, counted, total)
    assert mode == "delete"  # a single file: no log to go with it
    return int(total[0]), int(total[1])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Writer(threading.Thread):
    """Commits small transactions as fast as it can (and checkpoints often) until stopped."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.writing = threading.Event()  # set after the first few commits
        self.commits = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA wal_autocheckpoint=20")
            while not self.stop.is_set():
                amount = self.commits % 7 + 1
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("INSERT INTO ledger (amount, pad) VALUES (?, randomblob(3000))", (amount,))
                connection.execute("UPDATE total SET n = n + 1, s = s + ?", (amount,))
                connection.execute("COMMIT")
                self.commits += 1
                if self.commits == 5:
                    self.writing.set()
                if self.commits % 25 == 0:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            connection.close()
        except BaseException as error:  # reported by the test
            self.error = error


def test_backups_taken_while_another_connection_writes_are_whole_consistent_states(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite"
    make_ledger(db)
    writer = Writer(db)
    writer.start()
    seen, methods = [], set()
    try:
        assert writer.writing.wait(20) or writer.error is not None, "the writer did not start writing"
        for number in range(12):
            commits_before = writer.commits
            pending = start_backup(db, tmp_path / "backups" / f"copy-{number}.sqlite", background=number % 2 == 0)
            copy = pending.finish()
            methods.add(pending.method)
            seen.append(ledger_state(copy))
            assert writer.commits >= commits_before
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert writer.commits > 12, "the writer did not write while the backups were taken"
    assert len(set(seen)) > 1 and seen == sorted(seen)  # each copy a later state than the one before
    assert "file-copy" in methods  # the fast way, while the writer wrote
    assert not list((tmp_path / "backups").glob("*.partial*"))
    assert ledger_state_live(db) >= seen[-1]


def ledger_state_live(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as raw:
        n, s = raw.execute("SELECT n, s FROM total").fetchone()
    raw.close()
    return int(n), int(s)


def test_while_pinned_the_database_file_does_not_change_whatever_others_commit(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite"
    make_ledger(db, rows=200)
    reader, file_alone = _pin_file_state(db)
    assert file_alone
    try:
        before = digest(db)
        other = sqlite3.connect(db, isolation_level=None)
        for _ in range(50):
            other.execute("INSERT INTO ledger (amount, pad) VALUES (1, randomblob(3000))")
            other.execute("UPDATE total SET n = n + 1, s = s + 1")
        _busy, in_log, moved = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert in_log > 0 and moved == 0  # the changes wait in the log: nothing may go into the file
        other.close()
        assert digest(db) == before
    finally:
        reader.close()
    # once the reader is gone the log is moved into the file as usual
    assert ledger_state_live(db) == (250, 250)


def test_the_copy_is_the_state_when_it_was_started_not_when_it_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed = threading.Event()
    real_copy = private_files.copy_in_child

    def copy_after_the_commit(source: Path, target: Path) -> None:
        assert committed.wait(10)
        real_copy(source, target)

    monkeypatch.setattr(private_files, "copy_in_child", copy_after_the_commit)
    db = tmp_path / "live.sqlite"
    make_ledger(db, rows=2000)
    pending = start_backup(db, tmp_path / "b" / "before.sqlite")  # copies on a thread of its own
    try:
        with sqlite3.connect(db) as other:  # a change committed (and checkpointed) before the copy begins
            other.execute("UPDATE total SET n = n + 1000, s = s + 1000")
            other.executemany("INSERT INTO ledger (amount, pad) VALUES (1, NULL)", [()] * 1000)
        busy, in_log, moved = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert (busy, moved) == (0, 0) and in_log > 0  # the pinned file is left alone
        other.close()
    finally:
        committed.set()
    copy = pending.finish()
    assert pending.method == "file-copy"
    assert ledger_state(copy) == (2000, 2000)
    assert ledger_state_live(db) == (3000, 3000)


def test_when_a_long_reader_holds_the_log_back_the_copy_goes_through_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite"
    make_ledger(db, rows=100)
    with sqlite3.connect(db) as other:
        other.execute("UPDATE total SET n = n + 1, s = s + 5")
        other.execute("INSERT INTO ledger (amount) VALUES (5)")
    other.close()
    long_reader = sqlite3.connect(db, isolation_level=None)
    long_reader.execute("BEGIN")
    long_reader.execute("SELECT COUNT(*) FROM ledger").fetchone()  # holds a read mark inside the log
    try:
        with sqlite3.connect(db) as other:
            other.execute("UPDATE total SET n = n + 1, s = s + 7")
            other.execute("INSERT INTO ledger (amount) VALUES (7)")
        other.close()
        pending = start_backup(db, tmp_path / "b" / "copy.sqlite", background=False)
        copy = pending.finish()
    finally:
        long_reader.close()
    assert pending.method == "sqlite-backup"
    assert ledger_state(copy) == (102, 112)


def test_through_sqlite_too_the_copy_is_the_state_when_it_was_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed = threading.Event()
    real_copy = backup_module._copy_through_backup_api

    def copy_after_the_commit(reader: sqlite3.Connection, target: Path) -> None:
        assert committed.wait(10)
        real_copy(reader, target)

    monkeypatch.setattr(backup_module, "_copy_through_backup_api", copy_after_the_commit)
    db = tmp_path / "live.sqlite"
    make_ledger(db, rows=3000)
    with sqlite3.connect(db) as other:
        other.execute("UPDATE total SET n = n + 1, s = s + 5")
        other.execute("INSERT INTO ledger (amount) VALUES (5)")
    other.close()
    long_reader = sqlite3.connect(db, isolation_level=None)
    long_reader.execute("BEGIN")
    long_reader.execute("SELECT COUNT(*) FROM ledger").fetchone()
    with sqlite3.connect(db) as other:
        other.execute("UPDATE total SET n = n + 1, s = s + 7")
        other.execute("INSERT INTO ledger (amount) VALUES (7)")
    other.close()
    try:
        pending = start_backup(db, tmp_path / "b" / "copy.sqlite")  # on its own thread
        with sqlite3.connect(db) as other:  # committed after the call, maybe while the copy is written
            other.execute("UPDATE total SET n = n + 1000, s = s + 1000")
            other.executemany("INSERT INTO ledger (amount, pad) VALUES (1, NULL)", [()] * 1000)
        other.close()
        committed.set()  # only now does the copy begin
        copy = pending.finish()
    finally:
        committed.set()
        long_reader.close()
    assert pending.method == "sqlite-backup"
    assert ledger_state(copy) == (3002, 3012)
    assert ledger_state_live(db) == (4002, 4012)


def test_a_failed_or_abandoned_copy_leaves_nothing_behind(tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_bytes(b"just some text, not SQLite" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        backup_database(not_a_database, tmp_path / "b" / "copy.sqlite")
    assert list((tmp_path / "b").iterdir()) == []
    db = tmp_path / "live.sqlite"
    make_ledger(db, rows=100)
    pending = start_backup(db, tmp_path / "b" / "copy.sqlite")
    pending.abandon()
    assert list((tmp_path / "b").iterdir()) == []


def test_a_long_write_elsewhere_does_not_stop_the_backup(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite"
    make_ledger(db, rows=100)
    busy_writer = sqlite3.connect(db, isolation_level=None)
    busy_writer.execute("BEGIN IMMEDIATE")
    busy_writer.execute("UPDATE total SET n = n + 1, s = s + 1")  # not committed while the backup runs
    try:
        pending = start_backup(db, tmp_path / "b" / "copy.sqlite", background=False)
        copy = pending.finish()
    finally:
        busy_writer.execute("ROLLBACK")
        busy_writer.close()
    assert pending.method == "sqlite-backup"
    assert ledger_state(copy) == (100, 100)


def test_without_copy_file_range_nor_pread_as_on_windows_the_file_copy_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "ledger.sqlite"
    make_ledger(source)
    monkeypatch.delattr(os, "copy_file_range", raising=False)
    monkeypatch.delattr(os, "pread", raising=False)
    monkeypatch.delattr(os, "posix_fadvise", raising=False)
    copy = tmp_path / "copy.sqlite"
    copy.touch()
    assert file_copy.copy_file(str(source), str(copy), chunk=4096) == source.stat().st_size  # many chunks
    assert digest(copy) == digest(source)


def test_where_no_child_process_can_copy_the_backup_goes_through_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows and frozen bundles: the backup API copies, never a file copy in this process."""
    monkeypatch.setattr(private_files, "can_copy_in_child", lambda: False)

    def no_file_copy(source: Path, target: Path) -> None:
        raise AssertionError("the live file was copied as a file")

    monkeypatch.setattr(private_files, "copy_in_child", no_file_copy)
    db = tmp_path / "live.sqlite"
    make_ledger(db, rows=300)
    previous = os.umask(0o022)
    try:
        pending = start_backup(db, tmp_path / "b" / "copy.sqlite", background=False)
        copy = pending.finish()
    finally:
        os.umask(previous)
    assert pending.method == "sqlite-backup"
    assert ledger_state(copy) == (300, 300)
    if os.name == "posix":
        assert copy.stat().st_mode & 0o777 == 0o600


def test_a_byte_for_byte_copy_takes_the_log_and_is_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite"
    make_ledger(db, rows=100)
    keeper = sqlite3.connect(db)  # keeps the log: a last close would move it into the file
    keeper.execute("UPDATE total SET n = n + 1")
    keeper.commit()
    previous = os.umask(0o022)
    try:
        copy = private_files.copy_files(db, tmp_path / "raw" / "copy.sqlite")
    finally:
        os.umask(previous)
        keeper.close()
    log = copy.with_name(copy.name + "-wal")
    assert log.exists()
    if os.name == "posix":
        assert {copy.stat().st_mode & 0o777, log.stat().st_mode & 0o777} == {0o600}
    with sqlite3.connect(copy) as raw:  # the change still in the log came along
        assert raw.execute("SELECT n FROM total").fetchone() == (101,)
    raw.close()


def test_a_failing_child_copy_raises_its_error(tmp_path: Path) -> None:
    import errno

    target = tmp_path / "copy.sqlite"
    target.touch()
    with pytest.raises(OSError) as raised:
        private_files.copy_in_child(tmp_path / "no-such.sqlite", target)
    assert raised.value.errno == errno.ENOENT


def test_under_the_callers_own_write_lock_the_backup_copies_the_file_at_once(tmp_path: Path) -> None:
    """The pre-restore backup is taken under the restore's write lock: it waited PIN_PATIENCE_S for that
    lock (its own caller's) and then fell back to the backup API. With ``write_locked`` it checkpoints
    without the lock (nobody else can commit) and the child copies the file."""
    if not private_files.can_copy_in_child():
        pytest.skip("no child copy here")
    db = tmp_path / "live.sqlite"
    make_ledger(db, rows=100)
    committed = sqlite3.connect(db, isolation_level=None)  # leaves a committed change in the log
    committed.execute("PRAGMA wal_autocheckpoint=0")
    committed.execute("UPDATE total SET n = n + 1, s = s + 1; ")
    committed.execute("INSERT INTO ledger (amount) VALUES (1)")
    locker = sqlite3.connect(db, isolation_level=None)  # plays the restore's connection, holding the write lock
    locker.execute("BEGIN IMMEDIATE")
    locker.execute("UPDATE total SET n = n + 1000, s = s + 1000")  # not committed
    try:
        pending = start_backup(db, tmp_path / "b" / "copy.sqlite", background=False, write_locked=True)
        copy = pending.finish()
    finally:
        locker.execute("ROLLBACK")
        locker.close()
        committed.close()
    assert pending.method == "file-copy"
    assert ledger_state(copy) == (101, 101)  # the committed change, not the held write's
