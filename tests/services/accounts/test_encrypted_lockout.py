"""Wrong passwords on an encrypted database are counted and locked out like on a plain one (issue 15).

They were not counted at all: the password is tried on the key file before the database can be read, so
the ``signinstate`` table never saw them, and the sign-in page and the command line allowed guessing without
end. The count now lives in ``<db>.signin`` next to the database (app/store/sign_in_throttle.py).
"""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from app.bootstrap import open_context
from app.cli.main import main
from app.services.accounts import sign_in as accounts
from app.services.accounts import users
from app.services.accounts.sign_in import MAX_FAILED_ATTEMPTS, sign_in
from app.store import key_wraps, sign_in_throttle
from app.store.cipher import Credentials, SignInLocked, WrongPassword

PASSWORD = "s3cret-pass"
T0 = datetime(2026, 11, 16, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def attempt(db: Path, password: str, now: datetime, login: str = "admin") -> bytes:
    return key_wraps.unwrap(db, Credentials(login, password), now=now)


def test_the_fifth_wrong_password_in_a_row_locks_the_login_for_five_minutes(db: Path) -> None:
    for n in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(WrongPassword):
            attempt(db, "wrong-pass", T0 + timedelta(seconds=n))
    assert attempt(db, PASSWORD, T0 + timedelta(seconds=10))  # 4 in a row: not locked; a success resets
    for n in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(WrongPassword):
            attempt(db, "wrong-pass", T0 + timedelta(seconds=20 + n))
    with pytest.raises(SignInLocked) as locked:  # the 5th in a row
        attempt(db, "wrong-pass", T0 + timedelta(seconds=30))
    assert "5" in str(locked.value)
    with pytest.raises(SignInLocked):  # the right password too, until the five minutes are over
        attempt(db, PASSWORD, T0 + timedelta(seconds=30, minutes=5) - timedelta(seconds=1))
    with pytest.raises(WrongPassword):  # another login is not locked
        attempt(db, "wrong-pass", T0 + timedelta(seconds=31), login="doctor")
    assert attempt(db, PASSWORD, T0 + timedelta(seconds=30, minutes=5))


def test_the_count_file_is_owner_only_and_names_no_login(db: Path) -> None:
    with pytest.raises(WrongPassword):
        attempt(db, "wrong-pass", T0)
    path = sign_in_throttle.throttle_path(db)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "admin" not in text and json.loads(text)["format"] == "carerounds-signin"


def test_the_failures_reach_the_audit_trail_at_the_next_sign_in(db: Path) -> None:
    for n in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises((WrongPassword, SignInLocked)):
            attempt(db, "wrong-pass", T0 + timedelta(seconds=n))
    context = open_context(db, create=False, credentials=Credentials("admin", PASSWORD))  # now: long after T0
    try:
        signed = sign_in(context.uow(), login="admin", password=PASSWORD)
        with context.uow().reading() as uow:
            failed = uow.rows("SELECT staff_id, changes FROM auditentry WHERE action = 'sign_in_failed'")
        assert len(failed) == MAX_FAILED_ATTEMPTS and all(row[0] is None for row in failed)
        assert all("password" in row[1] for row in failed)
        assert sign_in_throttle.take_failures(db, "admin") == []  # copied once
        assert signed.login == "admin"
    finally:
        context.close()


def test_an_administrator_unlocking_the_account_lifts_the_lock(db: Path) -> None:
    now = datetime.now(timezone.utc)
    for n in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises((WrongPassword, SignInLocked)):
            attempt(db, "wrong-pass", now + timedelta(seconds=n), login="doctor")
    assert sign_in_throttle.locked_minutes(db, "doctor") is not None
    context = open_context(db, create=False, credentials=Credentials("admin", PASSWORD))
    try:
        context.actor_id = sign_in(context.uow(), login="admin", password=PASSWORD).staff_id
        admin_id = context.actor_id
        users.unlock_account(context.uow(), staff_id=admin_id)  # any account: the file's lock of that login goes
        assert sign_in_throttle.locked_minutes(db, "admin") is None
    finally:
        context.close()


def test_the_command_line_counts_them_too(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARE_USER", "admin")
    monkeypatch.setenv("CARE_PASSWORD", "wrong-pass")
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        assert main(["--lang", "en", "resident", "list", "--db", str(db)]) == 2
        assert "Wrong login or password" in capsys.readouterr().err
    assert main(["--lang", "en", "resident", "list", "--db", str(db)]) == 2
    assert "locked after repeated failed sign-ins" in capsys.readouterr().err
    monkeypatch.setenv("CARE_PASSWORD", PASSWORD)
    assert main(["--lang", "en", "resident", "list", "--db", str(db)]) == 2  # the right one too, for 5 minutes
    assert "try again in 5 min" in capsys.readouterr().err
