"""What the backup tests share: a password, a Monday, readers of a backup's center, damaged and foreign candidates."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from app.bootstrap import open_context
from app.services.admin.backups import (
    BackupInfo,
    BackupKind,
)
from app.services.admin.center import set_up_center
from app.store.sqlite import sqlite3

PASSWORD = "s3cret-pass"


MONDAY = datetime(2026, 11, 16, 8, 30)


def center_name(path: Path) -> str:
    with sqlite3.connect(path) as raw:
        return str(raw.execute("SELECT name FROM center").fetchone()[0])


def rename_center(path: Path, name: str) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE center SET name = ?", (name,))


def staff_id(path: Path, login: str) -> str:
    with sqlite3.connect(path) as raw:
        return str(raw.execute("SELECT id FROM staff WHERE login = ?", (login,)).fetchone()[0])


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def fake(day: datetime, kind: str = "daily") -> BackupInfo:
    label = kind
    return BackupInfo(Path(f"center-{day:%Y%m%d-%H%M%S}-{label}.sqlite"), day, BackupKind(kind), label, 1)


def corrupt(path: Path) -> None:
    """Scribble over the middle of the file, as a failing disk would."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2)
        handle.write(random.Random(3).randbytes(8192))


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
