"""An encrypted center's laptop (issue 15): joined encrypted, and a stolen laptop plus a sync package give nothing.

SQLite only: encrypted laptop files.
"""

from __future__ import annotations

import base64
import sqlite3 as stdlib_sqlite3  # the sqlite3 tool of someone who found the laptop
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from app.bootstrap import AppContext, open_context
from app.services.accounts import sign_in as accounts
from app.services.demo import DEMO_PASSWORD, create_demo_center
from app.services.sync.exchange import export_package, import_package
from app.services.sync.join import invite_device, join_center
from app.store import cipher, key_wraps
from app.store.backup import wait_for_pending_backups
from app.store.cipher import Credentials
from app.sync.package import open_package

PASSPHRASE = "correct horse battery staple 7"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def workstation(tmp_path: Path) -> Iterator[AppContext]:
    ctx = open_context(tmp_path / "ws" / "center.sqlite", encrypt_new=True)
    create_demo_center(ctx.database, residents=10, seed=5, today=date(2026, 11, 16))
    ctx.actor_id = accounts.sign_in(ctx.uow(), login="admin", password=DEMO_PASSWORD).staff_id
    yield ctx
    ctx.close()


def secrets_of(ctx: AppContext) -> dict[str, bytes]:
    with ctx.uow().reading() as uow:
        name, id_number = uow.rows("SELECT name, id_number FROM resident ORDER BY id_number LIMIT 1")[0]
        (diagnosis,) = uow.rows("SELECT name FROM condition WHERE name <> '' LIMIT 1")[0]
        (sync_key,) = uow.rows("SELECT center_key FROM device_state")[0]
    key = ctx.database.key
    assert key is not None and sync_key
    return {
        "name": name.encode(),
        "id_number": id_number.encode(),
        "diagnosis": diagnosis.encode(),
        "database key": key,
        "database key hex": key.hex().encode(),
        "sync key (base64)": sync_key.encode(),
        "sync key": base64.b64decode(sync_key),
    }


def readable(path: Path, secrets: dict[str, bytes]) -> list[str]:
    data = path.read_bytes()
    return [label for label, needle in secrets.items() if needle in data]


def test_a_laptop_joins_encrypted_and_its_files_show_nothing(workstation: AppContext, tmp_path: Path) -> None:
    package = tmp_path / "join.crsync"
    invite_device(workstation.uow(), out=package, passphrase=PASSPHRASE, scrypt_n=1 << 10)
    secrets = secrets_of(workstation)  # the sync key is made by the first invitation
    assert readable(package, secrets) == []
    laptop_path = tmp_path / "laptop" / "laptop.sqlite"
    joined = join_center(package=package, db_path=laptop_path, passphrase=PASSPHRASE, device_name="L1")
    cipher.forget(laptop_path)  # as on the laptop itself: nothing in memory
    for path in (laptop_path, key_wraps.key_file_path(laptop_path)):
        assert readable(path, secrets) == [], path
    with stdlib_sqlite3.connect(laptop_path) as plain, pytest.raises(stdlib_sqlite3.DatabaseError):
        plain.execute("SELECT COUNT(*) FROM resident").fetchall()
    with pytest.raises(cipher.DatabaseLocked):
        open_context(laptop_path, create=False)
    # everyone signs in with their usual password; the center's recovery key opens the laptop too
    laptop = open_context(laptop_path, create=False, credentials=Credentials("nurse1", DEMO_PASSWORD))
    assert laptop.database.device_id == joined.device_id
    laptop.close()
    recovery = workstation.report.recovery_key
    assert recovery is not None
    laptop = open_context(laptop_path, create=False, credentials=Credentials(recovery_key=recovery))
    laptop.actor_id = accounts.sign_in(laptop.uow(), login="nurse1", password=DEMO_PASSWORD).staff_id
    # the weekly sync: the workstation's package imported on the laptop, after a pre-import backup
    export_package(workstation.uow(), out=tmp_path / "w1.crsync", full=True)
    summary = import_package(laptop.uow(), path=tmp_path / "w1.crsync")
    assert summary.backup is not None
    assert wait_for_pending_backups(timeout=60)  # the pre-import backup is made durable after the import
    laptop.close()
    assert readable(summary.backup, secrets) == []
    assert readable(laptop_path, secrets) == []


def test_a_stolen_laptop_and_a_sync_package_give_nothing(workstation: AppContext, tmp_path: Path) -> None:
    invite_device(workstation.uow(), out=tmp_path / "join.crsync", passphrase=PASSPHRASE, scrypt_n=1 << 10)
    secrets = secrets_of(workstation)
    laptop_path = tmp_path / "laptop.sqlite"
    join_center(package=tmp_path / "join.crsync", db_path=laptop_path, passphrase=PASSPHRASE)
    export = export_package(workstation.uow(), out=tmp_path / "weekly.crsync", full=True)
    cipher.forget(laptop_path)
    stolen = [laptop_path, key_wraps.key_file_path(laptop_path), export.path]
    for path in stolen:
        assert readable(path, secrets) == [], path
    # the package's header is readable without a key (which center, which device), its rows are not: they
    # need the center's sync key, which is only inside the encrypted databases
    opened = open_package(export.path)
    assert opened.header.center_id
    with pytest.raises(cipher.CipherError):
        open_context(laptop_path, create=False)
    for guess in ("admin", "demo", "password", "12345678"):
        with pytest.raises(cipher.WrongPassword):
            open_context(laptop_path, create=False, credentials=Credentials("admin", guess))
