"""Failed sign-ins counted where the database cannot hold them: ``<database>.signin`` next to the file.

A plain database counts failed sign-ins in its own ``signinstate`` table (five in a row lock the login for
five minutes). Two kinds of database cannot: an **encrypted** one whose key is not in memory yet — a wrong
password is found out when it unwraps no key (:func:`app.store.key_wraps.unwrap`), before anything of the
database can be read — and a **read-only** one, which can be read but not written. For those the count
lives in this small file next to the database, readable without any key (docs/security.md, "Wrong
passwords on an encrypted or read-only database"):

- JSON, owner-only (``0600``), written atomically (temporary file, fsync, rename); logins are not written
  in clear but as a hash (:func:`account_id`).
- Per login: ``failed`` (the count in a row), ``locked_until`` (ISO time, UTC) and ``failures`` (the
  times of the failed attempts not yet in the audit trail, at most :data:`KEPT_FAILURES`), which the next
  sign-in that opens and can write the database copies into the audit trail
  (:func:`app.services.accounts.sign_in.sign_in`).
- The same rule as the table's: :data:`MAX_FAILED_ATTEMPTS` failures in a row lock the login for
  :data:`LOCK_DURATION`; a locked login is refused before its password is even tried (no argon2 work);
  a password that opens resets the count.
- Where the file cannot be written (a folder that may not be written), the count is kept in this process's
  memory only.

Whoever may edit the files can reset the count, as they can edit a plain database's table: the count slows
guessing at the sign-in page and the command line; guessing offline against a copied key file costs argon2id
per guess (docs/security.md). Two processes failing at the same instant may count one failure once (no lock
across processes).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from app.store.private_files import restrict_to_owner

log = logging.getLogger(__name__)

MAX_FAILED_ATTEMPTS = 5
"""Failed sign-ins in a row that lock a login (the same rule as a plain database's)."""
LOCK_DURATION = timedelta(minutes=5)
SUFFIX = ".signin"
FORMAT = "carerounds-signin"
KEPT_FAILURES = 50
"""At most this many failure times are kept for the audit trail (the newest)."""

_memory: dict[str, dict[str, Any]] = {}
"""The counts of databases whose file could not be written, by database path."""
_lock = threading.Lock()


def throttle_path(database: Path) -> Path:
    database = Path(database)
    return database.with_name(database.name + SUFFIX)


def account_id(login: str) -> str:
    """The name a login is kept under (a hash: the file shows no login in clear)."""
    return hashlib.sha256(b"carerounds sign-in\0" + login.strip().lower().encode("utf-8")).hexdigest()[:32]


@dataclass
class Verdict:
    """What a failed attempt led to."""

    locked: bool
    locked_until: datetime | None = None
    failures: list[datetime] = field(default_factory=list)


def locked_minutes(database: Path, login: str, *, now: datetime | None = None) -> int | None:
    """Minutes until ``login`` may try again (None: not locked)."""
    now = now or datetime.now(timezone.utc)
    entry = _read(database).get(account_id(login), {})
    until = _when(entry.get("locked_until"))
    if until is None or until <= now:
        return None
    return max(1, int((until - now).total_seconds() // 60) + 1)


def record_failure(database: Path, login: str, *, now: datetime | None = None) -> Verdict:
    """Count a failed sign-in of ``login``; lock it after :data:`MAX_FAILED_ATTEMPTS` in a row."""
    now = now or datetime.now(timezone.utc)
    with _lock:
        accounts = _read(database)
        entry = accounts.setdefault(account_id(login), {"failed": 0, "locked_until": None, "failures": []})
        entry["failed"] = int(entry.get("failed", 0)) + 1
        entry["failures"] = [*list(entry.get("failures", [])), now.isoformat()][-KEPT_FAILURES:]
        verdict = Verdict(locked=False)
        if entry["failed"] >= MAX_FAILED_ATTEMPTS:
            until = now + LOCK_DURATION
            entry["locked_until"], entry["failed"] = until.isoformat(), 0
            verdict = Verdict(locked=True, locked_until=until)
        _write(database, accounts)
    return verdict


def record_success(database: Path, login: str) -> None:
    """A password of ``login`` opened: the count in a row starts again (the failure times stay for the audit)."""
    with _lock:
        accounts = _read(database)
        entry = accounts.get(account_id(login))
        if entry is None or not (entry.get("failed") or entry.get("locked_until")):
            return
        entry["failed"], entry["locked_until"] = 0, None
        _write(database, accounts)


def take_failures(database: Path, login: str) -> list[datetime]:
    """Return the failure times of ``login`` not yet in the audit trail, and forget them and the login's count."""
    with _lock:
        accounts = _read(database)
        entry = accounts.pop(account_id(login), None)
        if entry is None:
            return []
        _write(database, accounts)
    return [moment for moment in (_when(text) for text in entry.get("failures", [])) if moment is not None]


def _when(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _read(database: Path) -> dict[str, Any]:
    memory = _memory.get(str(database))
    if memory is not None:  # the file could not be written before: this process's count goes on
        return memory
    path = throttle_path(database)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("format")
        return {str(k): dict(v) for k, v in dict(data["accounts"]).items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("the failed sign-ins of %s could not be read (%s): counted again from zero", path, error)
        return {}


def _write(database: Path, accounts: dict[str, Any]) -> None:
    path = throttle_path(database)
    if str(database) in _memory:
        _memory[str(database)] = accounts
        return
    if not accounts and not path.exists():
        return
    text = json.dumps({"format": FORMAT, "version": 1, "accounts": accounts}, indent=1, sort_keys=True)
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(prefix="." + path.name + ".", dir=path.parent)  # 0600
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        restrict_to_owner(temporary)  # Windows: a user-only ACL
        os.replace(temporary, path)
    except OSError as error:  # a folder that may not be written (a read-only database): counted in memory
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        log.info("cannot write %s (%s): failed sign-ins counted in memory", path, error)
        _memory[str(database)] = accounts
