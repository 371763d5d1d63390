"""Refusals: a file that must not be imported is refused with a clear message and the database is unchanged.

Wrong passphrase, truncated, any changed byte, another center's file, a newer format or schema, a file
over the size limit, and a file that is not a sync package at all.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_world import (
    PASSPHRASE,
    Device,
    add_resident,
    add_visit,
    build_center,
    content_digest,
    edit_resident,
    open_devices,
)

from app.domain import i18n
from app.services.sync import exchange as sync_service
from app.services.sync.exchange import export_package, import_package
from app.services.sync.join import join_center
from app.sync import package as package_format
from app.sync.errors import PackageRefused


@pytest.fixture
def center(two_devices: list[Device]) -> Iterator[tuple[Device, Device, Path]]:
    """A workstation, a laptop, and a small package from the laptop for the workstation."""
    workstation, laptop = two_devices
    add_resident(laptop, name="新居民", id_number="310104195001010010")
    package = laptop.folder / "laptop.crsync"
    export_package(laptop.context.uow(), out=package)
    yield workstation, laptop, package


def refused(device: Device, path: Path) -> PackageRefused:
    """Import ``path`` into ``device``; return the refusal after checking nothing changed."""
    before = content_digest(device)
    with pytest.raises(PackageRefused) as caught:
        import_package(device.context.uow(), path=path)
    assert content_digest(device) == before
    return caught.value


def test_every_changed_byte_of_a_package_is_refused(center: tuple[Device, Device, Path]) -> None:
    workstation, _, package = center
    original = package.read_bytes()
    assert len(original) < 4096
    before = content_digest(workstation)
    tampered = package.with_name("tampered.crsync")
    reasons: set[str] = set()
    for position in range(len(original)):
        data = bytearray(original)
        data[position] ^= 0x5A
        tampered.write_bytes(bytes(data))
        with pytest.raises(PackageRefused) as caught:
            import_package(workstation.context.uow(), path=tampered, backup=False)
        reasons.add(caught.value.key)
    assert content_digest(workstation) == before
    assert reasons <= {"sync.damaged", "sync.truncated", "sync.not_a_package", "sync.newer_format", "sync.other_center"}
    assert "sync.damaged" in reasons
    assert import_package(workstation.context.uow(), path=package).new  # the untouched file still imports


@pytest.mark.parametrize("keep", [0, 5, 8, 11, 40, -200, -17, -1])
def test_a_truncated_file_is_refused(center: tuple[Device, Device, Path], keep: int) -> None:
    workstation, _, package = center
    data = package.read_bytes()
    short = package.with_name("short.crsync")
    short.write_bytes(data[:keep])
    reason = refused(workstation, short)
    assert reason.key in {"sync.truncated", "sync.not_a_package", "sync.damaged"}
    if keep in (5, -200, -17, -1):
        assert reason.key == "sync.truncated"


def test_a_file_of_another_center_is_refused(center: tuple[Device, Device, Path], tmp_path: Path) -> None:
    workstation, _, _ = center
    other = open_devices(build_center(tmp_path / "other", 1))[0]
    try:
        package = tmp_path / "other.crsync"
        export_package(other.context.uow(), out=package)
    finally:
        other.close()
    i18n.set_language("en")
    reason = refused(workstation, package)
    assert reason.key == "sync.other_center" and "another center" in str(reason)


def test_a_newer_format_is_refused(center: tuple[Device, Device, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    workstation, laptop, _ = center
    real_header = package_format.Header

    def newer(**values: object) -> package_format.Header:
        header = real_header(**values)  # type: ignore[arg-type]
        header.format, header.min_reader = 2, 2
        return header

    monkeypatch.setattr(sync_service, "Header", newer)
    monkeypatch.setattr(sync_service, "verify_written", lambda *args: None)  # this reader cannot read it back
    package = laptop.folder / "newer.crsync"
    export_package(laptop.context.uow(), out=package)
    i18n.set_language("en")
    reason = refused(workstation, package)
    assert reason.key == "sync.newer_format" and "update the app" in str(reason)


def test_a_newer_schema_is_refused(center: tuple[Device, Device, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    workstation, laptop, _ = center
    head, known = sync_service.schema_revisions()
    monkeypatch.setattr(sync_service, "schema_revisions", lambda: ("9999_future", known | {"9999_future"}))
    package = laptop.folder / "future.crsync"
    export_package(laptop.context.uow(), out=package)
    monkeypatch.setattr(sync_service, "schema_revisions", lambda: (head, known))
    assert refused(workstation, package).key == "sync.newer_schema"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(center: tuple[Device, Device, Path]) -> None:
    workstation, _, package = center
    huge = package.with_name("huge.crsync")
    shutil.copyfile(package, huge)
    with open(huge, "r+b") as handle:
        handle.truncate(package_format.MAX_PACKAGE_BYTES + 1)  # sparse: costs no disk
    i18n.set_language("en")
    reason = refused(workstation, huge)
    assert reason.key == "sync.too_large" and "2048 MB" in str(reason)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"PK\x03\x04" + bytes(40),
        "同步文件".encode(),
        b"CRSYNC\r\n\xff\xff\xff\xff",
    ],
)
def test_a_file_that_is_not_a_sync_package_is_refused(center: tuple[Device, Device, Path], content: bytes) -> None:
    workstation, _, package = center
    stranger = package.with_name("stranger.crsync")
    stranger.write_bytes(content)
    assert refused(workstation, stranger).key in {"sync.not_a_package", "sync.truncated", "sync.damaged"}


def test_a_database_file_is_not_a_package(center: tuple[Device, Device, Path]) -> None:
    workstation, laptop, _ = center
    i18n.set_language("zh_CN")
    reason = refused(workstation, laptop.path)
    assert reason.key == "sync.not_a_package" and "不是医养巡诊同步文件" in str(reason)


def test_a_package_of_this_device_and_a_join_package_are_refused(center: tuple[Device, Device, Path]) -> None:
    workstation, laptop, package = center
    assert refused(laptop, package).key == "sync.own_package"
    join_file = workstation.folder.parent / "join.crsync"
    from app.services.sync.join import invite_device

    invite_device(workstation.context.uow(), out=join_file, passphrase=PASSPHRASE, scrypt_n=1 << 10)
    assert refused(laptop, join_file).key == "sync.is_join_package"


def test_a_wrong_passphrase_is_refused_and_nothing_is_created(center: tuple[Device, Device, Path]) -> None:
    workstation, _, package = center
    from app.services.sync.join import invite_device

    join_file = workstation.folder / "join.crsync"
    invite_device(workstation.context.uow(), out=join_file, passphrase=PASSPHRASE, scrypt_n=1 << 10)
    target = workstation.folder / "new-laptop.sqlite"
    i18n.set_language("en")
    with pytest.raises(PackageRefused) as caught:
        join_center(package=join_file, db_path=target, passphrase="Ward-7 round sheeT")
    assert caught.value.key == "sync.wrong_passphrase" and str(caught.value) == "The passphrase is wrong."
    assert not target.exists() and not list(target.parent.glob("new-laptop*"))
    with pytest.raises(PackageRefused) as sync_file:
        join_center(package=package, db_path=target, passphrase=PASSPHRASE)
    assert sync_file.value.key == "sync.is_sync_package"


@pytest.mark.parametrize("text", ["张\x1b[2J桂英", "张桂英\u202e", "张\x00桂英", "张\x85桂英"])
def test_a_package_with_a_control_character_in_a_text_is_refused_naming_the_row(
    two_devices: list[Device], text: str
) -> None:
    # every input strips them; one in a package was written around the app (a forged file, a tampered device)
    workstation, laptop = two_devices
    resident_id = add_resident(laptop, name="新居民", id_number="310104195001010010")
    edit_resident(laptop, resident_id, name=text)  # straight into the table, as a tampered device could
    package = laptop.folder / "forged.crsync"
    export_package(laptop.context.uow(), out=package)
    reason = refused(workstation, package)
    assert reason.key == "sync.unsafe_text"
    assert (
        reason.params["row"] == resident_id
        and reason.params["field"] == "name"
        and reason.params["table"] == "resident"
    )


def test_tabs_and_line_ends_in_a_text_still_import(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    resident_id = add_resident(laptop, name="新居民", id_number="310104195001010010")
    add_visit(laptop, resident_id, findings="精神可\n血压偏高\t复测后正常\r\n")
    package = laptop.folder / "plain.crsync"
    export_package(laptop.context.uow(), out=package)
    assert import_package(workstation.context.uow(), path=package).new
