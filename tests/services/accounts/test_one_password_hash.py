"""Opening an encrypted database and signing in hash the password once, not twice (issue 19).

The key file's unwrap works out the account's argon2id hash of the typed password (its salt and parameters
are the account's own); the sign-in that follows checked the password by working it out again, 0.2 s more on
every command. It now takes the answer from the unwrap when that was of the very same password, salt and
parameters (``key_wraps.verified_by_unwrap``), once; anything else is checked by argon2 as before.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import argon2.low_level
import pytest
from argon2 import PasswordHasher

from app.bootstrap import open_context
from app.cli.signin import Credentials as CliCredentials
from app.cli.signin import open_signed_in
from app.domain.permissions import Action
from app.services.accounts import sign_in as accounts
from app.services.accounts.sign_in import SignInFailed, sign_in
from app.store import key_wraps
from app.store.cipher import Credentials

PASSWORD = "s3cret-pass"


class CountingHasher(PasswordHasher):
    """Cheap argon2id that counts the passwords it checks."""

    checks = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        CountingHasher.checks += 1
        return super().verify(hash, password)


@pytest.fixture(autouse=True)
def hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Cheap argon2 for the accounts; counts of the hashes worked out to unwrap (``raw``) and checked (``verify``)."""
    monkeypatch.setattr(accounts, "_hasher", CountingHasher(time_cost=1, memory_cost=8, parallelism=1))
    counts = {"raw": 0}
    real = argon2.low_level.hash_secret_raw

    def counting(*args: Any, **kwargs: Any) -> bytes:
        counts["raw"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(argon2.low_level, "hash_secret_raw", counting)
    CountingHasher.checks = 0
    key_wraps.verified_by_unwrap("", "")  # nothing remembered from another test
    yield counts


def test_a_command_on_an_encrypted_database_hashes_the_password_once(
    db: Path, hashing: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = argparse.Namespace(db=db, user="admin", password_file=None, command="plan")
    context = open_signed_in(args, Action.VIEW_RECORDS, credentials=CliCredentials("admin", PASSWORD))
    context.close()
    assert context.actor_id is not None
    assert (hashing["raw"], CountingHasher.checks) == (1, 0)  # was (1, 1): the same argon2id work twice


def test_the_unwrap_answers_one_check_of_the_same_password_only(db: Path, hashing: dict[str, int]) -> None:
    context = open_context(db, credentials=Credentials("admin", PASSWORD))
    try:
        with pytest.raises(SignInFailed):  # another password: checked by argon2, refused
            sign_in(context.uow(), login="admin", password="not-the-password")
        assert CountingHasher.checks == 1
        assert sign_in(context.uow(), login="admin", password=PASSWORD).login == "admin"
        assert CountingHasher.checks == 2  # the unwrap's answer was taken by the check before
    finally:
        context.close()


def keys_for(password_hash: str) -> key_wraps.KeyFile:
    keys = key_wraps.new_key_file()
    keys.set_accounts(b"k" * 32, [("admin", password_hash)])
    return keys


def test_only_the_same_password_salt_and_parameters_are_answered() -> None:
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    stored = hasher.hash(PASSWORD)
    keys = keys_for(stored)

    assert keys.unwrap_with_password("admin", PASSWORD) == b"k" * 32
    assert key_wraps.verified_by_unwrap(stored, PASSWORD) is True
    assert key_wraps.verified_by_unwrap(stored, PASSWORD) is None  # once

    keys.unwrap_with_password("admin", PASSWORD)
    assert key_wraps.verified_by_unwrap(stored, "another-pass") is None  # another password: argon2 decides

    keys.unwrap_with_password("admin", PASSWORD)
    assert key_wraps.verified_by_unwrap(hasher.hash(PASSWORD), PASSWORD) is None  # changed since: another salt

    keys.unwrap_with_password("admin", PASSWORD)
    assert key_wraps.verified_by_unwrap(stored + "=", PASSWORD) is None  # not as argon2 writes it

    prefix, raw = stored.rsplit("$", 1)
    other = ("B" if raw[0] != "B" else "C") + raw[1:]
    keys.unwrap_with_password("admin", PASSWORD)
    assert key_wraps.verified_by_unwrap(f"{prefix}${other}", PASSWORD) is False  # as argon2's verify would say
    with pytest.raises(argon2.exceptions.VerifyMismatchError):
        hasher.verify(f"{prefix}${other}", PASSWORD)


def test_a_lock_drops_the_hash_of_an_unwrap_no_check_took(db: Path) -> None:
    """The remembered hash unwraps the key again from the key file: a lock (auto-lock, sign-out) drops it with the
    key, even when no sign-in check took it (an unwrap not followed by a sign-in)."""
    from sqlmodel import select

    from app.store.models import Staff

    context = open_context(db, credentials=Credentials("admin", PASSWORD))  # unwraps; nothing checks the password
    try:
        with context.uow() as uow:
            stored = uow.session.exec(select(Staff.password_hash).where(Staff.login == "admin")).one()
        context.database.lock()
        assert key_wraps.verified_by_unwrap(stored, PASSWORD) is None  # was True: the lock left it in memory
    finally:
        context.close()
