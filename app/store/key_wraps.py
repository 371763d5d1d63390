"""The key file ``<database>.keys``: the database key wrapped once per staff account and once under the recovery key.

JSON, owner-only (``0600``), written atomically, next to the database: it must be readable before the
database can be opened, so it cannot live inside it (docs/security.md, "Encryption at rest").

- **Account wraps**: the wrapping key is HKDF-SHA256 of the account's argon2id password hash (the raw
  32-byte output stored in ``staff.password_hash``, inside the encrypted database). The key file keeps
  only the argon2id parameters and salt; signing in recomputes the raw hash from the typed password
  (the same work as checking the password) and unwraps. So the wraps can be rebuilt from the staff table
  whenever the database is open — after a password change or reset, a sync that brought one, an
  account disabled — without knowing anybody's password, and a stolen key file only allows guessing
  passwords offline at argon2id's cost. Accounts are listed under a salted hash of their login.
- **Recovery wrap**: the wrapping key is HKDF-SHA256 of the 160-bit recovery key
  (:mod:`app.store.recovery_keys`).
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
from datetime import datetime
from pathlib import Path
from typing import Any

from app.store import private_files, sign_in_throttle
from app.store.cipher import Credentials, KeyFileProblem, SignInLocked, WrongPassword, WrongRecoveryKey, opens
from app.store.recovery_keys import parse_recovery_key

KEY_FILE_SUFFIX = ".keys"
KEY_FILE_FORMAT = "carerounds-keys"
KEY_FILE_VERSION = 1
_WRAP_INFO = b"carerounds database key wrap v1"
_RECOVERY_INFO = b"carerounds recovery wrap v1"


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

    def encoded(self) -> str:
        """The hash as argon2 writes it (base64 without padding): a parsed hash that differs was not written so."""
        salt = base64.b64encode(self.salt).decode("ascii").rstrip("=")
        raw = base64.b64encode(self.raw).decode("ascii").rstrip("=")
        return f"$argon2id$v={self.version}$m={self.memory},t={self.time},p={self.parallel}${salt}${raw}"


def _account_id(salt: bytes, login: str) -> str:
    return hmac.new(salt, login.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _raw_argon2(password: str, prefix: str, length: int) -> bytes | None:
    from argon2.low_level import Type, hash_secret_raw

    parsed = _Argon2Hash.parse(prefix + "$" + "A" * 43)
    if parsed is None:
        return None
    raw = hash_secret_raw(
        password.encode("utf-8"),
        parsed.salt,
        time_cost=parsed.time,
        memory_cost=parsed.memory,
        parallelism=parsed.parallel,
        hash_len=length,
        type=Type.ID,
        version=parsed.version,
    )
    global _last_argon2
    with _last_argon2_lock:
        _last_argon2 = (prefix, _password_tag(password), raw)
    return raw


_last_argon2: tuple[str, bytes, bytes] | None = None
"""The last argon2id hash worked out to unwrap a key: (parameters and salt, :func:`_password_tag`, raw output)."""
_last_argon2_lock = threading.Lock()
_TAG_KEY = secrets.token_bytes(32)


def _password_tag(password: str) -> bytes:
    """Which password was hashed, without keeping it: HMAC-SHA256 under a key of this process's own."""
    return hmac.new(_TAG_KEY, password.encode("utf-8"), hashlib.sha256).digest()


def forget_unwrap() -> None:
    """Drop the hash remembered by the last unwrap, not taken by a check (a lock or sign-out drops the key: the
    hash would unwrap it again from the key file)."""
    global _last_argon2
    with _last_argon2_lock:
        _last_argon2 = None


def verified_by_unwrap(password_hash: str, password: str) -> bool | None:
    """Answer ``argon2``'s check of ``password`` against the account's ``password_hash`` from the hash this process
    just worked out to unwrap the database key, when that was of this very password with the same salt and
    parameters (the key file keeps the account's own; docs/security.md): the sign-in after opening an
    encrypted file then hashes the password once, not twice (0.2 s of every command, issue 19).

    Returns None, and the caller checks the password itself, for anything else: no unwrap before, another
    password or another salt (the account's password changed since its wrap), or a hash not written as
    argon2id writes one. The remembered hash is used once: taken by the first check after the unwrap.
    """
    global _last_argon2
    with _last_argon2_lock:
        remembered, _last_argon2 = _last_argon2, None
    parsed = _Argon2Hash.parse(password_hash)
    if remembered is None or parsed is None or parsed.encoded() != password_hash:
        return None
    prefix, tag, raw = remembered
    if prefix != parsed.prefix or len(raw) != len(parsed.raw) or not hmac.compare_digest(tag, _password_tag(password)):
        return None
    return hmac.compare_digest(raw, parsed.raw)


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
            private_files.restrict_to_owner(temporary)  # Windows: a user-only ACL (mkstemp's 0600 is POSIX's)
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


def unwrap(database: Path, credentials: Credentials, *, now: datetime | None = None) -> bytes:
    """Return the database key of ``database`` that ``credentials`` unwrap (and check that it opens the file).

    A password that unwraps no key is counted as a failed sign-in of that login in ``<database>.signin``
    (:mod:`app.store.sign_in_throttle`: the database cannot hold the count before it is opened); after five
    in a row the login is locked for five minutes, and refused before its password is tried.

    Raises:
        KeyFileProblem: the key file is missing or damaged, or its key does not open the file.
        WrongPassword: the login and password open no wrap.
        SignInLocked: the login is locked after repeated wrong passwords.
        RecoveryKeyTypo, WrongRecoveryKey: the recovery key is mistyped, or opens no wrap.
    """
    keys = KeyFile.read(database)
    if credentials.recovery_key is not None:  # 160 random bits: not guessed at a sign-in page
        key = keys.unwrap_with_recovery(parse_recovery_key(credentials.recovery_key))
        if key is None:
            raise WrongRecoveryKey("cipher.wrong_recovery_key")
    else:
        minutes = sign_in_throttle.locked_minutes(database, credentials.login, now=now)
        if minutes is not None:
            raise SignInLocked("cipher.signin_locked", minutes=minutes)
        key = keys.unwrap_with_password(credentials.login, credentials.password or "")
        if key is None:
            verdict = sign_in_throttle.record_failure(database, credentials.login, now=now)
            if verdict.locked:
                raise SignInLocked("cipher.signin_locked", minutes=int(sign_in_throttle.LOCK_DURATION.seconds // 60))
            raise WrongPassword("cipher.wrong_password")
        sign_in_throttle.record_success(database, credentials.login)
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


def unlock_copy(copy: Path, login: str, password: str) -> bool:
    """Make an encrypted copy of a center (a backup, the file a server center was moved from) readable in this
    process with the wrap of ``login``'s ``password`` in its key file; False if it has none that opens it.

    For a person already signed in elsewhere (a server center's ``audit verify --against``): nothing is written
    beside the copy (no sign-in count: a wrong password here is no sign-in), and the key stays in memory only.
    """
    from app.store import cipher

    try:
        key = KeyFile.read(copy).unwrap_with_password(login, password)
    except KeyFileProblem:
        return False
    if key is None or not cipher.opens(copy, key):
        return False
    cipher.remember(copy, key)
    return True
