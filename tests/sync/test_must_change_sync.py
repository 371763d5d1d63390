"""The "must change the password at next sign-in" flag travels with the password it belongs to."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sync_world import Device, rows

from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts import users
from app.services.accounts.sign_in import change_own_password, sign_in
from app.services.sync.conflicts import list_conflicts
from app.services.sync.exchange import export_package, import_package

ADMIN_PASSWORD = "secret-123"  # sync_world's administrator


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def send(source: Device, target: Device, name: str) -> None:
    path = source.folder / f"{name}.crsync"
    export_package(source.context.uow(), out=path)
    import_package(target.context.uow(), path=path, backup=False)


def as_admin(device: Device) -> None:
    device.context.actor_id = sign_in(device.context.uow(), login="admin", password=ADMIN_PASSWORD).staff_id


def add_nurse(workstation: Device, laptop: Device) -> str:
    """Add a nurse who chose her password already, known to both devices."""
    as_admin(workstation)
    row = users.add_staff(
        workstation.context.uow(),
        name="张护士",
        role=Role.NURSE,
        login="nurse",
        password="nurse-own-1",
        must_change_password=False,
    )
    send(workstation, laptop, "w0")
    return row.id


def nurse_state(device: Device) -> tuple[bool, bool]:
    """Return (must change, which password works: True for the administrator's) on ``device``."""
    with device.context.uow() as uow:
        flag = bool(uow.rows("SELECT must_change_password FROM staff WHERE login = 'nurse'")[0][0])
    try:
        sign_in(device.context.uow(), login="nurse", password="from-admin-1")
        admins = True
    except accounts.SignInFailed:
        admins = False
    return flag, admins


def test_a_reset_on_the_workstation_reaches_the_laptop_and_the_change_comes_back(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    nurse = add_nurse(workstation, laptop)
    users.reset_password(workstation.context.uow(), staff_id=nurse, new_password="from-admin-1")
    send(workstation, laptop, "w1")
    signed = sign_in(laptop.context.uow(), login="nurse", password="from-admin-1")
    assert signed.must_change_password

    laptop.context.actor_id = signed.staff_id
    change_own_password(laptop.context.uow(), current_password="from-admin-1", new_password="nurse-own-2")
    send(laptop, workstation, "l1")
    assert sign_in(workstation.context.uow(), login="nurse", password="nurse-own-2").must_change_password is False


@pytest.mark.parametrize("reset_last", [False, True])
def test_a_reset_and_a_change_of_ones_own_on_two_devices_end_as_a_consistent_pair(
    two_devices: list[Device], reset_last: bool
) -> None:
    """Whichever is later wins both the password and the flag: never the administrator's password unflagged."""
    workstation, laptop = two_devices
    nurse = add_nurse(workstation, laptop)
    users.reset_password(workstation.context.uow(), staff_id=nurse, new_password="from-admin-0")
    send(workstation, laptop, "w1")  # both devices: the nurse must change her password

    def reset() -> None:
        users.reset_password(workstation.context.uow(), staff_id=nurse, new_password="from-admin-1")

    def change() -> None:
        laptop.context.actor_id = nurse
        change_own_password(laptop.context.uow(), current_password="from-admin-0", new_password="nurse-own-2")

    for step in (change, reset) if reset_last else (reset, change):
        step()
    send(laptop, workstation, "l1")
    send(workstation, laptop, "w2")
    expected = (True, True) if reset_last else (False, False)
    assert nurse_state(workstation) == nurse_state(laptop) == expected
    # the losing edit is kept for review, as a pair too
    fields = sorted(rows(workstation, "SELECT field FROM sync_conflict WHERE entity = 'staff'"))
    assert fields == [("must_change_password",), ("password_hash",)]


def test_a_password_conflict_never_shows_the_hashes(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    nurse = add_nurse(workstation, laptop)
    users.reset_password(workstation.context.uow(), staff_id=nurse, new_password="from-admin-0")
    send(workstation, laptop, "w1")
    users.reset_password(workstation.context.uow(), staff_id=nurse, new_password="from-admin-1")
    laptop.context.actor_id = nurse
    change_own_password(laptop.context.uow(), current_password="from-admin-0", new_password="nurse-own-2")
    send(laptop, workstation, "l1")
    as_admin(workstation)
    shown = [c for c in list_conflicts(workstation.context.uow()) if c.field == "password_hash"]
    assert shown and all(c.kept_value == c.other_value == "***" for c in shown)
