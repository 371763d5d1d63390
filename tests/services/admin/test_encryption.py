"""Encryption at rest (issue 15): the file shows nothing, the key opens only with a password or the recovery key."""

from __future__ import annotations

import json
import sqlite3 as stdlib_sqlite3  # what the sqlite3 tool would do: plain SQLite, no key
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from app.bootstrap import AppContext, open_context
from app.services.accounts import sign_in as accounts
from app.services.accounts import users
from app.services.admin.backups import backup_now, daily_backup_if_due
from app.services.demo import DEMO_PASSWORD, create_demo_center
from app.store import cipher, key_wraps, recovery_keys
from app.store.cipher import Credentials

TODAY = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@dataclass
class Secrets:
    """What must never be readable in a file: a resident's name, ID number, a diagnosis, the key."""

    name: str
    id_number: str
    diagnosis: str
    key: bytes
    recovery_key: str

    def found_in(self, path: Path) -> list[str]:
        data = path.read_bytes()
        found = [
            label
            for label, needle in (
                ("name", self.name.encode()),
                ("id_number", self.id_number.encode()),
                ("diagnosis", self.diagnosis.encode()),
                ("key", self.key),
                ("key hex", self.key.hex().encode()),
                ("key HEX", self.key.hex().upper().encode()),
            )
            if needle in data
        ]
        return found + (["SQLite header"] if data.startswith(b"SQLite format 3") else [])


@pytest.fixture
def encrypted(tmp_path: Path) -> Iterator[tuple[AppContext, Secrets]]:
    ctx = open_context(tmp_path / "center.sqlite", encrypt_new=True)
    create_demo_center(ctx.database, residents=12, seed=3, today=TODAY)
    with ctx.uow().reading() as uow:
        name, id_number = uow.rows("SELECT name, id_number FROM resident ORDER BY name LIMIT 1")[0]
        (diagnosis,) = uow.rows("SELECT name FROM condition WHERE name <> '' LIMIT 1")[0]
    assert ctx.report.recovery_key is not None and ctx.database.key is not None
    yield ctx, Secrets(name, id_number, diagnosis, ctx.database.key, ctx.report.recovery_key)
    ctx.close()


def admin_signs_in(ctx: AppContext) -> None:
    ctx.actor_id = accounts.sign_in(ctx.uow(), login="admin", password=DEMO_PASSWORD).staff_id


def test_the_database_file_and_its_log_show_no_name_id_number_diagnosis_or_key(
    encrypted: tuple[AppContext, Secrets],
) -> None:
    ctx, secrets = encrypted
    path = ctx.database.path
    for kind in (path, path.with_name(path.name + "-wal"), key_wraps.key_file_path(path)):
        if kind.exists():
            assert secrets.found_in(kind) == [], kind
    ctx.close()
    with stdlib_sqlite3.connect(path) as plain, pytest.raises(stdlib_sqlite3.DatabaseError, match="not a database"):
        plain.execute("SELECT name FROM resident").fetchall()
    assert secrets.found_in(path) == []


def test_every_kind_of_backup_is_an_encrypted_copy(encrypted: tuple[AppContext, Secrets], tmp_path: Path) -> None:
    ctx, secrets = encrypted
    admin_signs_in(ctx)
    manual = backup_now(ctx.uow(), folder=tmp_path / "manual")
    daily = daily_backup_if_due(ctx.database.path, folder=tmp_path / "daily")
    assert daily is not None
    copies = [manual.path, daily.path]
    for copy in copies:
        assert secrets.found_in(copy) == [], copy
        with stdlib_sqlite3.connect(copy) as plain, pytest.raises(stdlib_sqlite3.DatabaseError):
            plain.execute("SELECT COUNT(*) FROM resident").fetchall()
        reader = cipher.connect(copy, key=secrets.key)  # and it is a whole copy, with the same key
        assert reader.execute("SELECT COUNT(*) FROM resident").fetchone()[0] == 12
        reader.close()


def test_without_credentials_or_with_wrong_ones_nothing_opens_and_nothing_changes(
    encrypted: tuple[AppContext, Secrets],
) -> None:
    ctx, secrets = encrypted
    path = ctx.database.path
    ctx.database.lock()  # the key dropped, as after a sign-out or in a new process
    ctx.close()
    before = (path.read_bytes(), key_wraps.key_file_path(path).read_bytes())
    wrong_recovery = recovery_keys.format_recovery_key(bytes(20))
    typo = secrets.recovery_key[:2] + ("Z" if secrets.recovery_key[2] != "Z" else "Y") + secrets.recovery_key[3:]
    for credentials, error, words in (
        (None, cipher.DatabaseLocked, "encrypted"),
        (Credentials("admin", "wrong password"), cipher.WrongPassword, "Wrong login or password"),
        (Credentials("nobody", DEMO_PASSWORD), cipher.WrongPassword, "Wrong login or password"),
        (Credentials(recovery_key=wrong_recovery), cipher.WrongRecoveryKey, "does not open"),
        (Credentials(recovery_key=typo), cipher.RecoveryKeyTypo, "Group 1"),
        (Credentials(recovery_key="ABCD"), cipher.RecoveryKeyTypo, "8 groups"),
    ):
        from app.domain import i18n

        i18n.set_language("en")
        with pytest.raises(error) as refused:
            open_context(path, create=False, credentials=credentials)
        assert words in str(refused.value)
    assert (path.read_bytes(), key_wraps.key_file_path(path).read_bytes()) == before


def test_lost_every_password_recover_with_the_key_reset_and_sign_in(encrypted: tuple[AppContext, Secrets]) -> None:
    ctx, secrets = encrypted
    path = ctx.database.path
    ctx.close()
    # nobody remembers a password: the recovery key, typed in lower case with spaces, opens the database
    typed = secrets.recovery_key.lower().replace("-", " ")
    rescue = open_context(path, create=False, credentials=Credentials(recovery_key=typed))
    with rescue.uow().reading() as uow:
        admin_id = uow.rows("SELECT id FROM staff WHERE login = 'admin'")[0][0]
    rescue.actor_id = admin_id  # the recovery key stands for the administrator (the database is the center's)
    users.reset_password(rescue.uow(), staff_id=admin_id, new_password="a new password 1")
    rescue.close()
    with pytest.raises(cipher.WrongPassword):
        open_context(path, create=False, credentials=Credentials("admin", DEMO_PASSWORD))
    again = open_context(path, create=False, credentials=Credentials("admin", "a new password 1"))
    signed = accounts.sign_in(again.uow(), login="admin", password="a new password 1")
    assert signed.must_change_password is False  # the administrator reset their own account
    again.close()


def test_changing_resetting_and_disabling_rewrap_the_key(encrypted: tuple[AppContext, Secrets]) -> None:
    ctx, _secrets = encrypted
    path = ctx.database.path
    admin_signs_in(ctx)
    nurse = next(r for r in users.list_staff(ctx.uow()) if r.login == "nurse1")
    doctor = next(r for r in users.list_staff(ctx.uow()) if r.login == "doctor1")

    def opens(login: str, password: str) -> bool:
        try:
            key_wraps.unwrap(path, Credentials(login, password))
        except cipher.WrongPassword:
            return False
        return True

    assert opens("nurse1", DEMO_PASSWORD) and opens("doctor1", DEMO_PASSWORD)
    users.reset_password(ctx.uow(), staff_id=nurse.id, new_password="given by admin 1")
    assert opens("nurse1", "given by admin 1") and not opens("nurse1", DEMO_PASSWORD)
    ctx.actor_id = nurse.id
    accounts.change_own_password(ctx.uow(), current_password="given by admin 1", new_password="only mine 22")
    assert opens("nurse1", "only mine 22") and not opens("nurse1", "given by admin 1")
    admin_signs_in(ctx)
    users.set_staff_active(ctx.uow(), staff_id=doctor.id, active=False)
    assert not opens("doctor1", DEMO_PASSWORD)
    users.set_staff_active(ctx.uow(), staff_id=doctor.id, active=True)
    assert opens("doctor1", DEMO_PASSWORD)
    keys = json.loads(key_wraps.key_file_path(path).read_text())
    assert "nurse1" not in json.dumps(keys) and "admin" not in json.dumps(keys["accounts"])  # logins not listed


def test_locking_drops_the_key_and_closes_the_connections_unlocking_reopens(
    encrypted: tuple[AppContext, Secrets],
) -> None:
    ctx, secrets = encrypted
    ctx.database.lock()
    assert ctx.database.locked and ctx.database.engine.pool.checkedin() == 0
    assert secrets.key not in [k for k in cipher._known.values()]
    with pytest.raises(cipher.DatabaseLocked), ctx.uow().reading() as uow:
        uow.rows("SELECT 1")
    with pytest.raises(cipher.WrongPassword):
        ctx.database.unlock(Credentials("admin", "not it"))
    assert ctx.database.locked
    ctx.database.unlock(Credentials("admin", DEMO_PASSWORD))
    with ctx.uow().reading() as uow:
        assert uow.rows("SELECT COUNT(*) FROM resident")[0][0] == 12


def test_the_recovery_key_is_printable_and_catches_typos() -> None:
    printed, secret = recovery_keys.new_recovery_key()
    groups = printed.split("-")
    assert len(groups) == 8 and all(len(g) == 5 for g in groups) and len(secret) == 20
    assert set(printed.replace("-", "")) <= set(recovery_keys.RECOVERY_ALPHABET)
    assert recovery_keys.parse_recovery_key(printed.lower()) == secret
    assert recovery_keys.parse_recovery_key(printed.replace("0", "O").replace("1", "I")) == secret
    for position in range(len(printed)):  # every single mistyped character is caught, naming its group
        if printed[position] == "-":
            continue
        for other in "07KZ":
            if other != printed[position]:
                wrong = printed[:position] + other + printed[position + 1 :]
                with pytest.raises(cipher.RecoveryKeyTypo):
                    recovery_keys.parse_recovery_key(wrong)
    swapped = "-".join([groups[1], groups[0], *groups[2:]])  # two groups swapped: caught too
    with pytest.raises(cipher.RecoveryKeyTypo):
        recovery_keys.parse_recovery_key(swapped)


def test_a_plain_database_still_opens_without_credentials(tmp_path: Path) -> None:
    ctx = open_context(tmp_path / "plain.sqlite")
    assert not ctx.database.encrypted and ctx.database.key is None
    assert not key_wraps.key_file_path(ctx.database.path).exists()
    ctx.database.lock()  # nothing to drop: it stays usable
    with ctx.uow().reading() as uow:
        assert uow.rows("SELECT 1") == [(1,)]
    ctx.close()
    assert (tmp_path / "plain.sqlite").read_bytes().startswith(b"SQLite format 3\x00")


def test_an_encrypted_backup_restores_and_a_plain_one_is_refused(
    encrypted: tuple[AppContext, Secrets], tmp_path: Path
) -> None:
    from app.services.admin.restore import BackupUnusable, restore_backup

    ctx, secrets = encrypted
    admin_signs_in(ctx)
    backup = backup_now(ctx.uow(), folder=tmp_path / "b").path
    with ctx.uow() as uow:
        uow.session.execute(text("UPDATE resident SET name = '改过的名字'"))
        uow.commit()
    report = restore_backup(ctx.uow(), backup=backup, folder=tmp_path / "b")
    assert report.restored_from == backup
    with ctx.uow().reading() as uow:
        assert secrets.name in [row[0] for row in uow.rows("SELECT name FROM resident")]
    assert secrets.found_in(ctx.database.path) == []
    # a plain copy of the same center would put the records back in clear: refused, nothing changed
    plain = tmp_path / "plain.sqlite"
    reader = cipher.connect(ctx.database.path)
    reader.execute(f"ATTACH DATABASE '{plain}' AS p KEY ''")
    reader.execute("SELECT sqlcipher_export('p')").fetchone()
    reader.execute("DETACH DATABASE p")
    reader.close()
    before = ctx.database.path.read_bytes()
    with pytest.raises(BackupUnusable, match="plain"):
        restore_backup(ctx.uow(), backup=plain, folder=tmp_path / "b")
    assert ctx.database.path.read_bytes() == before


def test_an_encrypted_backup_and_a_key_file_are_never_written_over(
    encrypted: tuple[AppContext, Secrets], tmp_path: Path
) -> None:
    from app.services.output_files import OutputKind, OutputRefused, check_output

    ctx, _secrets = encrypted
    admin_signs_in(ctx)
    backup = backup_now(ctx.uow(), folder=tmp_path / "b").path
    keys = key_wraps.key_file_path(ctx.database.path)
    for target in (backup, keys, ctx.database.path):
        with pytest.raises(OutputRefused):
            check_output(target, kind=OutputKind.PDF, database=ctx.database.path, force=True)


def test_restoring_a_closed_encrypted_database_takes_its_key_from_the_credentials(
    encrypted: tuple[AppContext, Secrets], tmp_path: Path
) -> None:
    from app.services.admin.restore import restore_file

    ctx, secrets = encrypted
    admin_signs_in(ctx)
    backup = backup_now(ctx.uow(), folder=tmp_path / "b").path
    path = ctx.database.path
    ctx.close()  # as on the command line: nothing open, no key in memory
    with pytest.raises(cipher.WrongPassword):
        restore_file(path, backup, folder=tmp_path / "b", credentials=Credentials("admin", "wrong"))
    report = restore_file(path, backup, folder=tmp_path / "b", credentials=Credentials("admin", DEMO_PASSWORD))
    assert report.restored_from == backup
    assert secrets.found_in(path) == []
    cipher.forget(path)
    again = open_context(path, create=False, credentials=Credentials("admin", DEMO_PASSWORD))
    with again.uow().reading() as uow:
        assert uow.rows("SELECT action FROM auditentry ORDER BY rowid DESC LIMIT 1")[0][0] == "database_restored"
    again.close()


def test_an_encrypted_database_keeps_wal_foreign_keys_and_triggers(encrypted: tuple[AppContext, Secrets]) -> None:
    ctx, _secrets = encrypted
    with ctx.uow().reading() as uow:
        assert uow.rows("PRAGMA journal_mode")[0][0] == "wal"
        assert uow.rows("PRAGMA foreign_keys")[0][0] == 1
        assert uow.rows("PRAGMA busy_timeout")[0][0] == 10_000
        assert uow.rows("PRAGMA cipher_version")[0][0]  # SQLCipher, keyed
        triggers = uow.rows("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'")[0][0]
    assert triggers > 0  # the planning facts' triggers, as in a plain database
    assert ctx.database.path.with_name(ctx.database.path.name + "-wal").exists()


def test_a_wrong_key_is_not_logged_by_sqlcipher(
    encrypted: tuple[AppContext, Secrets], capfd: pytest.CaptureFixture[str]
) -> None:
    ctx, _secrets = encrypted
    assert not cipher.opens(ctx.database.path, bytes(32))
    with pytest.raises(cipher.WrongRecoveryKey):
        key_wraps.unwrap(ctx.database.path, Credentials(recovery_key=recovery_keys.format_recovery_key(bytes(20))))
    assert "hmac" not in capfd.readouterr().err  # SQLCipher's own log ("hmac check failed") is off


def test_a_plain_file_on_an_inode_this_process_knew_encrypted_opens_as_plain(tmp_path: Path) -> None:
    # Files are remembered by device and inode, and a closed database's key stays known: once that file is
    # deleted, a new one can get its inode. A plain copy was then tried with the old key and refused as "not
    # a CareRounds database" (seen in CI: tests/cli/test_visit_cli.py, exit 2, once in 3 000 tests).
    path = tmp_path / "plain.sqlite"
    context = open_context(path)  # plain: no credentials, a new file
    context.close()
    cipher.remember(path, bytes(32))  # what the reused inode looks like: known, with another file's key
    reopened = open_context(path)
    try:
        assert not reopened.database.encrypted
        with reopened.uow() as uow:
            assert uow.fast_rows("SELECT COUNT(*) FROM device_state")[0][0] == 1
    finally:
        reopened.close()
    assert cipher.known_key(path) == (True, None) or cipher.known_key(path)[0] is False
    cipher.remember(path, bytes(32))
    assert cipher.key_for(path) is None  # raw connections (sync, backups) too


def test_a_backup_travels_with_its_key_file_and_opens_on_another_computer(
    encrypted: tuple[AppContext, Secrets], tmp_path: Path
) -> None:
    """A backup of an encrypted database was written without any key file: once the computer (and the
    database's ``.keys`` next to the database) was lost, the backup on a USB stick opened with nothing — not
    even the recovery key, whose wrap is in the key file. Each backup now has ``<backup>.keys`` (0600)."""
    import os
    import shutil
    import stat

    from app.services.accounts.sign_in import sign_in
    from app.services.admin.backups import prune_backups
    from app.services.admin.restore import restore_file

    ctx, secrets = encrypted
    admin_signs_in(ctx)
    backup = backup_now(ctx.uow(), folder=tmp_path / "b").path
    keys = key_wraps.key_file_path(backup)
    assert keys.is_file() and stat.S_IMODE(os.stat(keys).st_mode) == 0o600
    assert secrets.found_in(keys) == []
    ctx.close()
    cipher.forget_key(secrets.key)  # another computer: no key in memory

    elsewhere = tmp_path / "another computer"
    elsewhere.mkdir()
    for source in (backup, keys):
        shutil.copyfile(source, elsewhere / source.name)
    copy = elsewhere / backup.name
    for credentials in (Credentials("admin", DEMO_PASSWORD), Credentials(recovery_key=secrets.recovery_key)):
        opened = open_context(copy, create=False, credentials=credentials)
        try:
            with opened.uow().reading() as uow:
                assert secrets.name in [row[0] for row in uow.rows("SELECT name FROM resident")]
            if credentials.password is not None:
                assert sign_in(opened.uow(), login="admin", password=DEMO_PASSWORD).login == "admin"
        finally:
            opened.close()
        cipher.forget_key(secrets.key)

    # restored over the live database (its own key file in place), then signed in: as before
    restore_file(ctx.database.path, backup, folder=tmp_path / "b", credentials=Credentials("admin", DEMO_PASSWORD))
    cipher.forget_key(secrets.key)
    again = open_context(ctx.database.path, create=False, credentials=Credentials("admin", DEMO_PASSWORD))
    try:
        assert sign_in(again.uow(), login="admin", password=DEMO_PASSWORD).login == "admin"
    finally:
        again.close()
    # a backup deleted by the retention goes with its key file
    prune_backups(ctx.database.path, folder=tmp_path / "b", now=datetime(2030, 1, 1))
    assert sorted(p.name for p in (tmp_path / "b").iterdir() if p.name.endswith(".keys")) == sorted(
        p.name + ".keys" for p in (tmp_path / "b").iterdir() if p.name.endswith(".sqlite")
    )
