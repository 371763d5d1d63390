"""Encryption at rest: the database key, its wraps in the key file, the recovery key, keyed connections.

The key hierarchy (docs/security.md, "Encryption at rest"):

- **Database key**: 32 random bytes, given to SQLCipher as a raw key (``PRAGMA key = "x'…'"``: no
  SQLCipher key derivation on each connection). It never changes and is never written in clear.
- **Key file** ``<database>.keys`` (JSON, 0600, written atomically) next to the database: the database key
  wrapped with AES-256-GCM once per active staff account and once under the recovery key. It must be
  readable before the database can be opened, so it cannot live inside it.
- **Account wraps**: the wrapping key is HKDF-SHA256 of the account's argon2id password hash (the raw
  32-byte output stored in ``staff.password_hash``, inside the encrypted database). The key file keeps
  only the argon2id parameters and salt; signing in recomputes the raw hash from the typed password
  (the same work as checking the password) and unwraps. So the wraps can be rebuilt from the staff table
  whenever the database is open — after a password change or reset, a sync that brought one, an
  account disabled — without knowing anybody's password, and a stolen key file only allows guessing
  passwords offline at argon2id's cost. Accounts are listed under a salted hash of their login.
- **Recovery wrap**: the wrapping key is HKDF-SHA256 of the 160-bit recovery key (printed once, 8 groups
  of 4 characters + 1 check character).

Which key opens which file is remembered per file (device and inode, found with ``os.stat``, never by
opening the file), so that raw connections (sync, backups, checks) key themselves like the engine.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
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
KEY_FILE_SUFFIX = ".keys"
KEY_FILE_FORMAT = "carerounds-keys"
KEY_FILE_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
RECOVERY_GROUPS, RECOVERY_DATA_CHARS = 8, 4  # 8 × 4 × 5 bits = 160 bits; each group + 1 check character
_WRAP_INFO = b"carerounds database key wrap v1"
_RECOVERY_INFO = b"carerounds recovery wrap v1"


class CipherError(DomainError):
    """An encrypted database cannot be opened as asked (each subclass says why; nothing was changed)."""


class DatabaseLocked(CipherError):
    """The database is encrypted and no credentials (or no key in memory) were given."""


class WrongPassword(CipherError):
    """The login and password do not open the key (never says which of the two is wrong)."""


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
    path: Path | str, *, key: bytes | None = AUTO, mode: str | None = None, **kwargs: Any
) -> sqlite3.Connection:
    """Connect to the database file ``path`` (SQLCipher), keyed when it is encrypted.

    Args:
        key: the database key; None for a plain file; AUTO (default): see :func:`key_for`.
        mode: ``ro`` / ``rw`` / ``rwc``: opened through a ``file:`` URI with this mode.
        kwargs: passed to ``sqlite3.connect`` (``isolation_level``, ``timeout``, ``check_same_thread``).

    An encrypted file no key in memory opens is connected without a key: its first read fails with
    "file is not a database", as for any file that is not one.
    """
    path = Path(path)
    if key is AUTO:
        key = key_for(path)
    connection: sqlite3.Connection
    if mode is not None:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, **kwargs)
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
    """Whether ``key`` opens the encrypted file ``path`` (reads its first page)."""
    try:
        connection = connect(path, key=key, mode="ro")
    except sqlite3.Error:
        return False
    try:
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


# --- the recovery key ----------------------------------------------------------------------------


def _check_char(values: list[int], group: int) -> int:
    """Luhn mod 32 over the group's values (and its position: a group typed in the wrong place is caught)."""
    factor, total = 2, group
    for value in reversed(values):
        addend = factor * value
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return (32 - total % 32) % 32


def new_recovery_key() -> tuple[str, bytes]:
    """Return a new recovery key as printed (``XXXXC-XXXXC-…``, 8 groups) and its 20 secret bytes."""
    secret = secrets.token_bytes(RECOVERY_GROUPS * RECOVERY_DATA_CHARS * 5 // 8)
    return format_recovery_key(secret), secret


def format_recovery_key(secret: bytes) -> str:
    number = int.from_bytes(secret, "big")
    count = RECOVERY_GROUPS * RECOVERY_DATA_CHARS
    values = [(number >> (5 * (count - 1 - i))) & 31 for i in range(count)]
    groups = []
    for g in range(RECOVERY_GROUPS):
        data = values[g * RECOVERY_DATA_CHARS : (g + 1) * RECOVERY_DATA_CHARS]
        chars = "".join(RECOVERY_ALPHABET[v] for v in data) + RECOVERY_ALPHABET[_check_char(data, g)]
        groups.append(chars)
    return "-".join(groups)


def parse_recovery_key(text: str) -> bytes:
    """Return the secret of a recovery key as typed (spaces, dashes and case do not matter; O→0, I/L→1).

    Raises:
        RecoveryKeyTypo: the wrong number of characters, a character not in the alphabet, or a group whose
            check character does not match (the message names the group).
    """
    cleaned = "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-_")
    cleaned = cleaned.translate(str.maketrans("OILU", "011V"))
    size = RECOVERY_DATA_CHARS + 1
    if len(cleaned) != RECOVERY_GROUPS * size:
        raise RecoveryKeyTypo("cipher.recovery_length", count=len(cleaned))
    values: list[int] = []
    for g in range(RECOVERY_GROUPS):
        group = cleaned[g * size : (g + 1) * size]
        if any(ch not in RECOVERY_ALPHABET for ch in group):
            raise RecoveryKeyTypo("cipher.recovery_typo", group=g + 1, text=group)
        data = [RECOVERY_ALPHABET.index(ch) for ch in group[:-1]]
        if RECOVERY_ALPHABET.index(group[-1]) != _check_char(data, g):
            raise RecoveryKeyTypo("cipher.recovery_typo", group=g + 1, text=group)
        values += data
    number = 0
    for value in values:
        number = (number << 5) | value
    return number.to_bytes(RECOVERY_GROUPS * RECOVERY_DATA_CHARS * 5 // 8, "big")


# --- wrapping -------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _hkdf(material: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


def _seal(wrapping_key: bytes, key: bytes, aad: bytes) -> dict[str, str]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    return {"nonce": _b64(nonce), "data": _b64(AESGCM(wrapping_key).encrypt(nonce, key, aad))}


def _open_seal(wrapping_key: bytes, sealed: dict[str, Any], aad: bytes) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(wrapping_key).decrypt(_unb64(sealed["nonce"]), _unb64(sealed["data"]), aad)
    except (InvalidTag, KeyError, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class _Argon2Hash:
    """An argon2id hash string split into its parameters and its raw output."""

    prefix: str  # "$argon2id$v=19$m=65536,t=3,p=4$<salt>"
    version: int
    memory: int
    time: int
    parallel: int
    salt: bytes
    raw: bytes

    @classmethod
    def parse(cls, text: str) -> _Argon2Hash | None:
        parts = text.split("$")
        if len(parts) != 6 or parts[1] != "argon2id":
            return None
        try:
            version = int(parts[2].removeprefix("v="))
            params = dict(item.split("=", 1) for item in parts[3].split(","))
            salt = base64.b64decode(parts[4] + "=" * (-len(parts[4]) % 4))
            raw = base64.b64decode(parts[5] + "=" * (-len(parts[5]) % 4))
            return cls("$".join(parts[:5]), version, int(params["m"]), int(params["t"]), int(params["p"]), salt, raw)
        except (ValueError, KeyError):
            return None


def _account_id(salt: bytes, login: str) -> str:
    return hmac.new(salt, login.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _raw_argon2(password: str, prefix: str, length: int) -> bytes | None:
    from argon2.low_level import Type, hash_secret_raw

    parsed = _Argon2Hash.parse(prefix + "$" + "A" * 43)
    if parsed is None:
        return None
    return hash_secret_raw(
        password.encode("utf-8"),
        parsed.salt,
        time_cost=parsed.time,
        memory_cost=parsed.memory,
        parallelism=parsed.parallel,
        hash_len=length,
        type=Type.ID,
        version=parsed.version,
    )


def key_file_path(database: Path) -> Path:
    database = Path(database)
    return database.with_name(database.name + KEY_FILE_SUFFIX)


@dataclass
class KeyFile:
    """The wraps of one database's key (the content of ``<database>.keys``)."""

    salt: bytes
    recovery: dict[str, str] | None
    accounts: dict[str, dict[str, Any]]
    digest: str = ""
    """A keyed digest of the accounts last wrapped: rewrapping is skipped when they did not change."""

    @classmethod
    def read(cls, database: Path) -> KeyFile:
        """Read the key file of ``database``.

        Raises:
            KeyFileProblem: it is missing, unreadable or not a key file.
        """
        path = key_file_path(database)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyFileProblem("cipher.no_key_file", path=database, keys=path) from None
        except (OSError, ValueError):
            raise KeyFileProblem("cipher.bad_key_file", keys=path) from None
        try:
            if data["format"] != KEY_FILE_FORMAT or int(data["version"]) != KEY_FILE_VERSION:
                raise KeyError("format")
            accounts = {str(k): dict(v) for k, v in dict(data["accounts"]).items()}
            recovery = data.get("recovery")
            digest = str(data.get("digest", ""))
            return cls(_unb64(data["salt"]), dict(recovery) if recovery else None, accounts, digest)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise KeyFileProblem("cipher.bad_key_file", keys=path) from None

    def write(self, database: Path) -> Path:
        """Write the key file atomically (temporary file, fsync, rename, folder fsync), owner-only."""
        path = key_file_path(database)
        text = json.dumps(
            {
                "format": KEY_FILE_FORMAT,
                "version": KEY_FILE_VERSION,
                "note": "CareRounds: the database key, wrapped; useless without a password or the recovery key",
                "salt": _b64(self.salt),
                "recovery": self.recovery,
                "accounts": self.accounts,
                "digest": self.digest,
            },
            indent=1,
            sort_keys=True,
        )
        descriptor, temporary = tempfile.mkstemp(prefix="." + path.name + ".", dir=path.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_folder(path.parent)
        return path

    def unwrap_with_password(self, login: str, password: str) -> bytes | None:
        entry = self.accounts.get(_account_id(self.salt, login))
        if entry is None:
            return None
        raw = _raw_argon2(password, str(entry.get("argon2", "")), int(entry.get("length", 32)))
        if raw is None:
            return None
        return _open_seal(_hkdf(raw, _WRAP_INFO), entry, _account_id(self.salt, login).encode())

    def unwrap_with_recovery(self, secret: bytes) -> bytes | None:
        if self.recovery is None:
            return None
        return _open_seal(_hkdf(secret, _RECOVERY_INFO), self.recovery, b"recovery")

    def set_recovery(self, key: bytes, secret: bytes) -> None:
        self.recovery = _seal(_hkdf(secret, _RECOVERY_INFO), key, b"recovery")

    def set_accounts(self, key: bytes, accounts: list[tuple[str, str]]) -> None:
        """Wrap ``key`` for each (login, argon2id password hash); accounts not listed lose their wrap."""
        wraps: dict[str, dict[str, Any]] = {}
        for login, password_hash in accounts:
            parsed = _Argon2Hash.parse(password_hash)
            if parsed is None:
                continue
            account = _account_id(self.salt, login)
            sealed = _seal(_hkdf(parsed.raw, _WRAP_INFO), key, account.encode())
            wraps[account] = {"argon2": parsed.prefix, "length": len(parsed.raw), **sealed}
        self.accounts = wraps


def new_key_file() -> KeyFile:
    return KeyFile(secrets.token_bytes(16), None, {})


def unwrap(database: Path, credentials: Credentials) -> bytes:
    """Return the database key of ``database`` that ``credentials`` unwrap (and check that it opens the file).

    Raises:
        KeyFileProblem: the key file is missing or damaged, or its key does not open the file.
        WrongPassword: the login and password open no wrap.
        RecoveryKeyTypo, WrongRecoveryKey: the recovery key is mistyped, or opens no wrap.
    """
    keys = KeyFile.read(database)
    if credentials.recovery_key is not None:
        key = keys.unwrap_with_recovery(parse_recovery_key(credentials.recovery_key))
        if key is None:
            raise WrongRecoveryKey("cipher.wrong_recovery_key")
    else:
        key = keys.unwrap_with_password(credentials.login, credentials.password or "")
        if key is None:
            raise WrongPassword("cipher.wrong_password")
    if not opens(database, key):
        raise KeyFileProblem("cipher.key_does_not_open", keys=key_file_path(database), path=database)
    return key


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def owner_only_key_file(database: Path) -> None:
    path = key_file_path(database)
    if os.name == "posix" and path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)
