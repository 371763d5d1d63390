"""Adding a device: the workstation writes a join package, a fresh install becomes a full copy of the center."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sync_world import PASSPHRASE, Device, add_resident, rows, synced_content

from app.bootstrap import open_context
from app.domain.errors import ValidationError
from app.services.admin.center import center_info
from app.services.sync.exchange import export_package, import_package
from app.services.sync.join import invite_device, join_center, read_join_header
from app.services.sync.overview import sync_history, sync_overview
from app.sync.errors import PackageRefused


@pytest.fixture
def workstation(center_copy: Callable[[int], list[Device]]) -> Device:
    """The center's workstation alone (a file, then a server database: ``hub``), no invitation pending."""
    return center_copy(1)[0]


def test_a_new_device_becomes_a_full_copy_with_its_own_device_id(workstation: Device, tmp_path: Path) -> None:
    add_resident(workstation, name="孙玉兰", id_number="310104193805060021")
    package = tmp_path / "join.crsync"
    invite = invite_device(
        workstation.context.uow(), out=package, passphrase=PASSPHRASE, device_label="护士站笔记本", scrypt_n=1 << 10
    )
    assert invite.counts["resident"] == 5 and invite.expires > datetime.now(timezone.utc) + timedelta(days=6)
    header = read_join_header(package)
    assert header.kind == "join" and header.center_name == "测试社区卫生服务中心" and header.kdf["name"] == "scrypt"
    joined = join_center(package=package, db_path=tmp_path / "laptop.sqlite", passphrase=PASSPHRASE, device_name="L1")
    laptop = Device("laptop", joined.path, open_context(joined.path))
    try:
        assert laptop.device_id == joined.device_id != workstation.device_id
        assert synced_content(laptop) == synced_content(workstation)
        assert center_info(laptop.context.uow()).code == "TEST01"  # type: ignore[union-attr]
        # a laptop's file is encrypted when its center is on a server (a key of its own): read it through the app
        assert rows(laptop, "SELECT COUNT(*) FROM sync_conflict") == [(0,)]
        assert rows(laptop, "PRAGMA journal_mode") == [("wal",)]
        assert rows(laptop, "SELECT center_key FROM device_state")[0][0]
        assert [h.direction for h in sync_history(laptop.context.uow())] == ["join"]
        # the workstation waits for the invited device until its first file arrives
        assert [d.kind for d in sync_overview(workstation.context.uow()).devices] == ["invitation"]
        nothing = export_package(workstation.context.uow(), out=tmp_path / "w0.crsync")
        assert nothing.total == 0  # the copy already holds everything
        add_resident(laptop, name="新居民", id_number="310104195001010010")
        export_package(laptop.context.uow(), out=tmp_path / "l1.crsync")
        assert import_package(workstation.context.uow(), path=tmp_path / "l1.crsync").new >= 1
        devices = sync_overview(workstation.context.uow()).devices
        assert [(d.kind, d.name) for d in devices] == [("peer", "L1")]
    finally:
        laptop.close()


def test_a_weak_or_mistyped_passphrase_writes_no_join_package(workstation: Device, tmp_path: Path) -> None:
    package = tmp_path / "join.crsync"
    with pytest.raises(ValidationError):
        invite_device(workstation.context.uow(), out=package, passphrase="1234567890")
    with pytest.raises(ValidationError):
        invite_device(workstation.context.uow(), out=package, passphrase=PASSPHRASE, confirmation=PASSPHRASE + "x")
    assert not package.exists()


def test_joining_refuses_to_overwrite_a_database_with_a_center(
    center_copy: Callable[[int], list[Device]], tmp_path: Path
) -> None:
    workstation, laptop = center_copy(2)
    package = tmp_path / "join.crsync"
    invite_device(workstation.context.uow(), out=package, passphrase=PASSPHRASE, scrypt_n=1 << 10)
    # a laptop that joined already, and a file center's own file (a server center has none)
    for device in (laptop,) if workstation.on_server else (laptop, workstation):
        with pytest.raises(PackageRefused) as caught:
            join_center(package=package, db_path=device.path, passphrase=PASSPHRASE)
        assert caught.value.key == "sync.join_target_exists"


def test_a_fresh_empty_database_may_be_replaced_by_joining(workstation: Device, tmp_path: Path) -> None:
    package = tmp_path / "join.crsync"
    invite_device(workstation.context.uow(), out=package, passphrase=PASSPHRASE, scrypt_n=1 << 10)
    fresh = tmp_path / "fresh.sqlite"
    open_context(fresh).close()  # the app made an empty database on first start
    joined = join_center(package=package, db_path=fresh, passphrase=PASSPHRASE)
    assert joined.counts["center"] == 1


def test_an_expired_join_package_is_refused(workstation: Device, tmp_path: Path) -> None:
    package = tmp_path / "join.crsync"
    invite_device(workstation.context.uow(), out=package, passphrase=PASSPHRASE, scrypt_n=1 << 10)
    later = datetime.now(timezone.utc) + timedelta(days=8)
    with pytest.raises(PackageRefused) as caught:
        join_center(package=package, db_path=tmp_path / "late.sqlite", passphrase=PASSPHRASE, now=later)
    assert caught.value.key == "sync.invite_expired"


def test_a_join_package_changed_anywhere_is_refused(workstation: Device, tmp_path: Path) -> None:
    package = tmp_path / "join.crsync"
    invite_device(workstation.context.uow(), out=package, passphrase=PASSPHRASE, scrypt_n=1 << 10)
    data = package.read_bytes()
    for position in (0, 20, 200, len(data) // 2, len(data) - 1):
        changed = bytearray(data)
        changed[position] ^= 0x01
        bad = tmp_path / f"bad{position}.crsync"
        bad.write_bytes(bytes(changed))
        with pytest.raises(PackageRefused):
            join_center(package=bad, db_path=tmp_path / f"l{position}.sqlite", passphrase=PASSPHRASE)
        assert not (tmp_path / f"l{position}.sqlite").exists()
