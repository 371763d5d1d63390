"""Convert a plain database into an encrypted one, in place and safely (``center encrypt``).

1. The plain file's log is moved into it; a second connection holds the write lock to the end, so
   nobody writes while it is copied.
2. ``sqlcipher_export`` writes an encrypted copy into a new owner-only file next to it (with
   ``user_version``, which the export leaves out).
3. The copy is verified: ``integrity_check``, the same schema (tables, indexes, triggers), and for every
   table the same row count and the same SHA-256 digest of its rows in rowid order.
4. The key file is written (recovery wrap and one wrap per active account, from their password hashes)
   *before* the swap, so an encrypted file never exists without its key file.
5. The copy is renamed over the database (atomic), the folder synced; then the plain content, kept
   under a temporary hard link until now, is overwritten with zeros, synced and removed, and the plain
   ``-wal`` / ``-shm`` with it.

On any failure before the rename nothing has changed (the new file and a new key file are removed).
Overwriting is a best effort: on SSDs and copy-on-write file systems the old blocks may survive until
reused (docs/security.md says so, and recommends full-disk encryption as well).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.store import cipher, key_wraps
from app.store.database import start_key_file, write_key_file
from app.store.migrations import DatabaseMissing, NotOurDatabase
from app.store.private_files import restrict_to_owner
from app.store.sqlite import sqlite3

WIPE_CHUNK = 1 << 20
LEAVE_WAL_WAIT_S = 10.0
"""How long the conversion waits for the other connections to the database to close."""


@dataclass(frozen=True)
class EncryptReport:
    """What ``encrypt_database`` did: the key (keep it only in memory), the recovery key to print, counts."""

    key: bytes
    recovery_key: str
    tables: int
    rows: int
    digest: str


class EncryptionFailed(cipher.CipherError):
    """The encrypted copy did not verify (nothing was changed)."""


def encrypt_database(path: Path, *, release: Callable[[], None] | None = None) -> EncryptReport:
    """Encrypt the plain CareRounds database ``path`` in place; no other program may be writing to it.

    Raises:
        DatabaseMissing: there is no file at ``path``.
        AlreadyEncrypted: it is encrypted already (its key file is next to it).
        NotOurDatabase: it is not SQLite (and no key file says it is encrypted), or empty, or a folder.
        EncryptionFailed: the copy did not verify; nothing was changed.
        sqlite3.Error, OSError: reading or writing failed; nothing was changed.
    """
    path = Path(path)
    if path.is_dir():
        raise NotOurDatabase("db.is_folder", path=path)
    plain = cipher.file_is_plain(path)
    if plain is None:
        if not path.exists():
            raise DatabaseMissing("db.missing", path=path)
        raise NotOurDatabase("db.not_ours", path=path)
    if not plain:
        if key_wraps.key_file_path(path).exists():
            raise cipher.AlreadyEncrypted("cipher.already_encrypted", path=path)
        raise NotOurDatabase("db.not_ours", path=path)
    key = cipher.new_key()
    descriptor, name = tempfile.mkstemp(prefix="." + path.name + ".encrypting-", dir=path.parent)
    os.close(descriptor)
    target = Path(name)
    keep = path.with_name(f".{path.name}.plain-{os.getpid()}")
    keys = key_wraps.key_file_path(path)
    old_keys = keys.read_bytes() if keys.exists() else None  # a stray one (an interrupted earlier run)
    guard = cipher.connect(path, key=None, mode="rw", isolation_level=None)
    reader: sqlite3.Connection | None = None
    swapped = False
    try:
        guard.execute("PRAGMA busy_timeout=2000")
        # leaving WAL needs the only connection: refused while another program has the database open (its
        # log would otherwise be replayed over the encrypted file); the log is moved in and removed. This
        # process's own idle connections are closed by ``release`` (the engine's), for up to 10 s
        _leave_wal(guard, path, release)
        guard.execute("BEGIN IMMEDIATE")  # nobody writes from here to the swap
        reader = cipher.connect(path, key=None, mode="ro", isolation_level=None)
        tables = [
            row[0]
            for row in reader.execute(
                # a virtual table's rows are in its shadow tables (an FTS5 index's _data, _content…): those count
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
            )
        ]
        if "alembic_version" not in tables:
            raise NotOurDatabase("db.not_ours", path=path)
        reader.execute(f"ATTACH DATABASE ? AS enc KEY \"x'{key.hex()}'\"", (str(target),))
        reader.execute("BEGIN")
        reader.execute("SELECT sqlcipher_export('enc')").fetchone()
        version = reader.execute("PRAGMA main.user_version").fetchone()[0]
        reader.execute("COMMIT")
        reader.execute(f"PRAGMA enc.user_version = {int(version)}")
        reader.execute("BEGIN")
        plain_digest, rows = _digest(reader, "main", tables)
        copy_digest, copy_rows = _digest(reader, "enc", tables)
        same_schema = _schema(reader, "main") == _schema(reader, "enc")
        sound = reader.execute("PRAGMA enc.integrity_check").fetchall() == [("ok",)]
        reader.execute("COMMIT")
        if not (plain_digest == copy_digest and rows == copy_rows and same_schema and sound):
            raise EncryptionFailed("cipher.encrypt_failed", path=path)
        staff = active_accounts(reader)
        reader.execute("DETACH DATABASE enc")
        with cipher.connect(target, key=key, isolation_level=None) as finish:
            finish.execute("PRAGMA journal_mode=WAL").fetchone()
        finish.close()
        _fsync(target)
        recovery = start_key_file(path, key)
        write_key_file(path, key, staff)
        restrict_to_owner(target)  # Windows: a user-only ACL
        os.link(path, keep)  # a name for the plain content, to overwrite it after the swap
        os.replace(target, path)
        swapped = True
        _fsync_folder(path.parent)
    except BaseException:
        target.unlink(missing_ok=True)
        if not swapped:
            keep.unlink(missing_ok=True)
            if old_keys is None:
                keys.unlink(missing_ok=True)
            else:
                keys.write_bytes(old_keys)
        raise
    finally:
        if reader is not None:
            reader.close()
        if guard.in_transaction:
            guard.execute("ROLLBACK")
        guard.close()
    cipher.remember(path, key)
    _wipe(keep)
    return EncryptReport(key, recovery, len(tables), rows, plain_digest)


def _leave_wal(guard: sqlite3.Connection, path: Path, release: Callable[[], None] | None) -> None:
    deadline = time.monotonic() + LEAVE_WAL_WAIT_S
    while True:
        if release is not None:
            release()
        try:
            if guard.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete":
                return
        except sqlite3.OperationalError:  # locked: a reader of this process or another program
            pass
        if time.monotonic() > deadline:
            raise cipher.DatabaseInUse("cipher.in_use", path=path)
        time.sleep(0.1)


def _digest(connection: sqlite3.Connection, schema: str, tables: list[str]) -> tuple[str, int]:
    digest, total = hashlib.sha256(), 0
    for table in tables:
        digest.update(table.encode() + b"\x00")
        width = len(connection.execute(f'PRAGMA {schema}.table_info("{table}")').fetchall())
        order = ", ".join(str(n) for n in range(1, width + 1))  # every column: WITHOUT ROWID tables too
        for row in connection.execute(f'SELECT * FROM {schema}."{table}" ORDER BY {order}'):
            digest.update(repr(row).encode("utf-8"))
            total += 1
    return digest.hexdigest(), total


def _schema(connection: sqlite3.Connection, schema: str) -> list[tuple[str, str, str]]:
    return connection.execute(
        f"SELECT type, name, sql FROM {schema}.sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()


def _wipe(path: Path) -> None:
    """Overwrite ``path`` with zeros, sync, and remove it (best effort on SSDs; see the module's docstring)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            zeros = bytes(min(WIPE_CHUNK, max(size, 1)))
            written = 0
            while written < size:
                written += handle.write(zeros[: min(len(zeros), size - written)])
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return
    path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- join packages ---------------------------------------------------------------------------------


def database_key_for_package(path: Path, key: bytes | None) -> dict[str, object]:
    """What a join package carries so the new device can open the encrypted copy: the key, the recovery wrap."""
    if key is None:
        return {}
    return {"database_key": key.hex(), "recovery_wrap": key_wraps.KeyFile.read(path).recovery}


def key_from_package(copy: Path, meta: dict[str, object]) -> bytes | None:
    """The key of the database copy a join package carried (remembered for ``copy``); None if it is plain.

    Raises:
        KeyFileProblem: the key does not open the copy.
    """
    text = meta.get("database_key")
    if not isinstance(text, str):
        return None
    key = bytes.fromhex(text)
    if not cipher.opens(copy, key):
        raise cipher.KeyFileProblem("cipher.key_does_not_open", keys="(join package)", path=copy)
    cipher.remember(copy, key)
    return key


def install_key_file(copy: Path, database: Path, key: bytes | None, meta: dict[str, object]) -> None:
    """Write ``database``'s key file for the joined, encrypted ``copy`` (renamed to ``database`` next).

    The copy of an encrypted center is encrypted with the center's key; its recovery wrap came in the
    package (the center's recovery key opens every device's database), the accounts' wraps are made here
    from the copy's staff table. A plain center's copy (``key`` None) stays plain like its inviter: the
    window offers to encrypt it, like any plain database, when an administrator signs in.
    """
    if key is None:
        return
    keys = key_wraps.new_key_file()
    wrap = meta.get("recovery_wrap")
    keys.recovery = {str(k): str(v) for k, v in dict(wrap).items()} if isinstance(wrap, dict) else None
    keys.write(database)
    reader = cipher.connect(copy, key=key, mode="ro")
    try:
        staff = active_accounts(reader)
    finally:
        reader.close()
    write_key_file(database, key, staff)


def active_accounts(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """(login, password hash) of every active account: the ones the key is wrapped for."""
    rows = connection.execute(
        "SELECT login, password_hash FROM staff WHERE active = 1 AND deleted = 0 ORDER BY login"
    ).fetchall()
    return [(str(login), str(password_hash)) for login, password_hash in rows]
