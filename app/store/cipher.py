"""Encryption at rest: the database key, its wraps in the key file, the recovery key, keyed connections.

The key hierarchy (docs/security.md, "Encryption at rest"):

- **Database key**: 32 random bytes, given to SQLCipher as a raw key (``PRAGMA key = "x'…'"``: no
  SQLCipher key derivation on each connection). It never changes and is never written in clear.
- **Key file** ``<database>.keys``: the database key wrapped once per active staff account and once under
  the recovery key (:mod:`app.store.key_wraps`; the recovery key itself: :mod:`app.store.recovery_keys`).

Which key opens which file is remembered per file (device and inode, found with ``os.stat``, never by
opening the file), so that raw connections (sync, backups, checks) key themselves like the engine.
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import DomainError
from app.domain.i18n import register
from app.store.sqlite import sqlite3

register(
    {
        "cipher.locked": {
            "zh_CN": "数据库 {path} 已加密：请先登录（命令行用 --user，或 --recovery-key-file）。",
            "en": "The database {path} is encrypted: sign in first (on the command line --user, or "
            "--recovery-key-file).",
        },
        "cipher.wrong_password": {
            "zh_CN": "用户名或密码不正确。",
            "en": "Wrong login or password.",
        },
        "cipher.signin_locked": {
            "zh_CN": "该账号因多次登录失败已锁定，请于 {minutes} 分钟后再试。",
            "en": "This account is locked after repeated failed sign-ins; try again in {minutes} min.",
        },
        "cipher.wrong_recovery_key": {
            "zh_CN": "恢复密钥不能打开这个数据库（它属于另一个中心，或已换过）。",
            "en": "This recovery key does not open this database (it belongs to another center, or was replaced).",
        },
        "cipher.recovery_typo": {
            "zh_CN": "恢复密钥第 {group} 组“{text}”有输入错误，请对照打印件检查。",
            "en": "Group {group} of the recovery key (“{text}”) is mistyped; check it against the printed sheet.",
        },
        "cipher.recovery_length": {
            "zh_CN": "恢复密钥应有 8 组、每组 5 个字符（共 40 个），这里有 {count} 个。",
            "en": "A recovery key has 8 groups of 5 characters (40 in all); this one has {count}.",
        },
        "cipher.no_key_file": {
            "zh_CN": "数据库 {path} 已加密，但旁边缺少密钥文件 {keys}。请从备份处取回该文件。",
            "en": "The database {path} is encrypted but its key file {keys} is missing next to it. "
            "Put the key file back from where it was kept.",
        },
        "cipher.bad_key_file": {
            "zh_CN": "密钥文件 {keys} 已损坏或不是医养巡诊的密钥文件。",
            "en": "The key file {keys} is damaged or not a CareRounds key file.",
        },
        "cipher.key_does_not_open": {
            "zh_CN": "密钥文件 {keys} 不属于数据库 {path}。",
            "en": "The key file {keys} does not belong to the database {path}.",
        },
        "cipher.already_encrypted": {
            "zh_CN": "数据库 {path} 已经加密。",
            "en": "The database {path} is already encrypted.",
        },
        "cipher.in_use": {
            "zh_CN": "数据库 {path} 正被另一个程序使用。请先关闭医养巡诊的其他窗口和命令，再加密。",
            "en": "The database {path} is in use by another program. Close the other CareRounds windows and "
            "commands first, then encrypt.",
        },
        "cipher.encrypt_failed": {
            "zh_CN": "加密副本与原数据库不一致，已放弃；数据库 {path} 未改动。",
            "en": "The encrypted copy did not match the database; nothing was changed in {path}.",
        },
        "cipher.plain_expected_encrypted": {
            "zh_CN": "{path} 是未加密的数据库，这里需要加密的数据库（恢复密钥只用于加密的数据库）。",
            "en": "{path} is a plain (unencrypted) database; an encrypted one is expected here (a recovery key "
            "opens only an encrypted database).",
        },
    }
)


def _quiet_sqlcipher() -> None:
    """SQLCipher logs every failed decryption to stderr ("hmac check failed"); a wrong key is an expected
    answer here (a wrong password, a file tried with the keys in memory) and is reported in words instead."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("PRAGMA cipher_log_level = NONE").fetchall()
    except sqlite3.Error:  # not SQLCipher (type checking runs the standard library's)
        pass
    finally:
        connection.close()


_quiet_sqlcipher()

KEY_BYTES = 32
"""The database key: 256 bits."""
SQLITE_MAGIC = b"SQLite format 3\x00"


class CipherError(DomainError):
    """An encrypted database cannot be opened as asked (each subclass says why; nothing was changed)."""


class DatabaseLocked(CipherError):
    """The database is encrypted and no credentials (or no key in memory) were given."""


class WrongPassword(CipherError):
    """The login and password do not open the key (never says which of the two is wrong)."""


class SignInLocked(CipherError):
    """The login is locked after repeated wrong passwords (counted before the key is unwrapped)."""


class WrongRecoveryKey(CipherError):
    """A well-formed recovery key that does not open this database's key."""


class RecoveryKeyTypo(CipherError):
    """The recovery key as typed fails its check characters (or has the wrong length)."""


class KeyFileProblem(CipherError):
    """The key file is missing, damaged or belongs to another database."""


class AlreadyEncrypted(CipherError):
    """``center encrypt`` on an encrypted database."""


class DatabaseInUse(CipherError):
    """Another program has the database open (``center encrypt`` needs it alone)."""


class NotEncrypted(CipherError):
    """A plain database where an encrypted one is expected."""


@dataclass(frozen=True)
class Credentials:
    """Who opens an encrypted database: a login and password, or the recovery key (login may be empty)."""

    login: str = ""
    password: str | None = None
    recovery_key: str | None = None

    def __repr__(self) -> str:  # never in logs or tracebacks
        return f"Credentials(login={self.login!r}, password=***, recovery_key=***)"


class KeyHolder:
    """The key of one open database, read by its engine each time it makes a connection."""

    def __init__(self, path: Path, key: bytes | None) -> None:
        self.path = path
        self.key = key
        self.locked = False

    def get(self) -> bytes | None:
        """Return the key (None: a plain file).

        Raises:
            DatabaseLocked: the key was dropped (auto-lock, sign-out).
        """
        if self.locked:
            raise DatabaseLocked("cipher.locked", path=self.path)
        return self.key


# --- which key opens which file ------------------------------------------------------------------

_known: dict[tuple[int, int], bytes | None] = {}
_lock = threading.Lock()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def remember(path: Path, key: bytes | None) -> None:
    """Remember that ``key`` (None: no key, a plain file) opens ``path`` (found again by device and inode)."""
    identity = _identity(path)
    if identity is not None:
        with _lock:
            _known[identity] = key


def forget(path: Path) -> None:
    """Drop the key of ``path`` from memory (sign-out, auto-lock, close)."""
    identity = _identity(path)
    if identity is not None:
        with _lock:
            _known.pop(identity, None)


def forget_key(key: bytes) -> None:
    """Drop every file opened by ``key``."""
    with _lock:
        for identity in [i for i, k in _known.items() if k == key]:
            del _known[identity]


_viewed_through: dict[tuple[int, int], Path] = {}
"""Read-only databases read from a private copy (:mod:`app.store.read_only`), by the original's identity."""


def view_through(path: Path, copy: Path | None) -> None:
    """Make every connection to ``path`` read ``copy`` instead, read-only (None: ``path`` itself again).

    For a database this user may not write, viewed through a private copy: a raw connection of this
    process (the audit chain's check, sync's state, an integrity check) then never opens the live file,
    where a reader would leave ``-wal``/``-shm`` files that keep writers out later, and a write through
    one fails as on a read-only file.
    """
    identity = _identity(path)
    if identity is None:
        return
    with _lock:
        if copy is None:
            _viewed_through.pop(identity, None)
        else:
            _viewed_through[identity] = copy


class _Auto:
    pass


AUTO: Any = _Auto()
"""``connect(key=AUTO)``: the remembered key of the file, else found by trying the keys in memory."""


def file_is_plain(path: Path) -> bool | None:
    """True: a plain SQLite file; False: anything else with content (encrypted, or not a database);
    None: missing or empty. Opens the file: never call it on a database this process holds connections to
    (use :func:`known_key` first)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except (FileNotFoundError, IsADirectoryError):
        return None
    if not head:
        return None
    return head == SQLITE_MAGIC


def known_key(path: Path) -> tuple[bool, bytes | None]:
    """Return (known, key): whether this process knows the file ``path``, and its key (None: plain)."""
    identity = _identity(path)
    with _lock:
        if identity is not None and identity in _known:
            return True, _known[identity]
    return False, None


def key_for(path: Path) -> bytes | None:
    """The key that opens ``path``: remembered, else tried (the keys in memory), else None.

    None is also the answer for a file no key in memory opens (encrypted with another key, or not a
    database at all): SQLite then says "file is not a database", as for any file that is not one.
    """
    known, key = known_key(path)
    if known and (key is None or opens(path, key)):
        return key
    if known:  # a stale memory: the file once known by this device and inode was deleted, its inode reused
        forget(path)
    plain = file_is_plain(path)
    if plain is None or plain:
        return None
    with _lock:
        candidates = list(dict.fromkeys(k for k in _known.values() if k is not None))
    for candidate in candidates:
        if opens(path, candidate):
            remember(path, candidate)
            return candidate
    return None


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(
    path: Path | str, *, key: bytes | None = AUTO, mode: str | None = None, immutable: bool = False, **kwargs: Any
) -> sqlite3.Connection:
    """Connect to the database file ``path`` (SQLCipher), keyed when it is encrypted.

    Args:
        key: the database key; None for a plain file; AUTO (default): see :func:`key_for`.
        mode: ``ro`` / ``rw`` / ``rwc``: opened through a ``file:`` URI with this mode.
        immutable: with ``mode``, open as a file nobody changes (no locks, no ``-shm``): only for a
            one-off read of a file that cannot be opened otherwise (:func:`opens`).
        kwargs: passed to ``sqlite3.connect`` (``isolation_level``, ``timeout``, ``check_same_thread``).

    An encrypted file no key in memory opens is connected without a key: its first read fails with
    "file is not a database", as for any file that is not one.
    """
    path = Path(path)
    if _viewed_through:
        identity = _identity(path)
        with _lock:
            copy = _viewed_through.get(identity) if identity is not None else None
        if copy is not None:
            path, mode, immutable = copy, "ro", False
    if key is AUTO:
        key = key_for(path)
    connection: sqlite3.Connection
    if mode is not None:
        flags = "&immutable=1" if immutable else ""
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}{flags}", uri=True, **kwargs)
    else:
        connection = sqlite3.connect(str(path), **kwargs)
    if key is not None:
        try:
            connection.execute(key_pragma(key))
        except BaseException:
            connection.close()
            raise
    return connection


def opens(path: Path, key: bytes) -> bool:
    """Whether ``key`` opens the encrypted file ``path`` (reads its first page).

    A file this user may not write is read as it is (``immutable``: no locks, no ``-shm``) unless its ``-wal``
    and ``-shm`` exist: a ``mode=ro`` reader would create them next to it with the file's read-only mode, and
    those leftovers would keep every writer out once the file was made writable again; and in a folder that
    may not be written SQLite cannot make the ``-shm`` at all. Without a ``-wal`` nobody is writing the file
    (a writer would have made one), and this is one read of the schema; nothing is ever written
    (docs/security.md, "A read-only database").
    """
    path = Path(path)
    quiet = not all(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm"))
    if quiet and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        try:
            return _reads_schema(path, key, immutable=True)
        except sqlite3.Error:
            return False
    try:
        return _reads_schema(path, key, immutable=False)
    except sqlite3.OperationalError as error:
        if _primary_code(error) not in (SQLITE_READONLY, SQLITE_CANTOPEN):
            return False
    try:
        return _reads_schema(path, key, immutable=True)
    except sqlite3.Error:
        return False


SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_NOTADB = 8, 14, 26


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _reads_schema(path: Path, key: bytes, *, immutable: bool) -> bool:
    """Read ``path``'s schema with ``key``: True if it opens, False if the key is not its key.

    Raises:
        sqlite3.OperationalError: the file cannot be opened or read this way (missing, or read-only).
    """
    connection = connect(path, key=key, mode="ro", immutable=immutable)
    try:
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.OperationalError as error:
        if _primary_code(error) in (SQLITE_READONLY, SQLITE_CANTOPEN):
            raise
        return False
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)
