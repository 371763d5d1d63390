"""Laptops sync by file with a center on a PostgreSQL server exactly as with a SQLite one (#20).

Each test runs with the center in a SQLite file, then on the server (``$CARE_TEST_PG_URL``): a laptop joins it
from an invitation the center writes, both edit the same resident, packages go both ways, the conflict is
recorded, and in the end the synced tables hold the same content on both sides (a content digest that does not
depend on the engine) and both audit trails verify. The server's runs are marked ``postgres``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select
from sync_world import FAST_SCRYPT, PASSPHRASE, SHARED_RESIDENTS, add_resident, add_visit, edit_resident, resident

from app.bootstrap import AppContext, open_context
from app.services.admin.audit_verify import verify_audit_trail
from app.services.admin.center import set_up_center
from app.services.sync.conflicts import list_conflicts
from app.services.sync.exchange import export_package, import_package
from app.services.sync.join import invite_device, join_center
from app.store.models import SYNCED_TABLES, Institution, Resident, Staff, Visit
from app.store.move import table_digests


@dataclass
class Device:
    """What sync_world's helpers need of a device: a name, a folder for its packages, the open context."""

    name: str
    path: Path
    context: AppContext


@pytest.fixture
def server_and_laptop(db_target: str | Path, tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    """The center on each engine in turn (the same assertions hold on both), and a laptop joined to it."""
    server = open_context(db_target, device_name="center server")
    set_up_center(
        server.uow(),
        name="测试社区卫生服务中心",
        code="TEST01",
        admin_name="管理员",
        admin_login="admin",
        admin_password="secret-123",
    )
    with server.uow() as uow:
        home = Institution(name="康宁养老院", kind="nursing_home")
        uow.session.add(home)
        uow.session.flush()
        for number, (name, id_number) in enumerate(SHARED_RESIDENTS):
            sex = "F" if number % 2 else "M"
            born = date(1940 + number, 1, 1)
            uow.session.add(Resident(name=name, sex=sex, birth_date=born, id_number=id_number, institution_id=home.id))
        uow.commit()
    invitation = tmp_path / "join.crsync"
    invite_device(server.uow(), out=invitation, passphrase=PASSPHRASE, device_label="laptop 1", scrypt_n=FAST_SCRYPT)
    joined = join_center(package=invitation, db_path=tmp_path / "laptop.sqlite", passphrase=PASSPHRASE)
    laptop = open_context(joined.path)
    devices = (Device("server", tmp_path / "packages" / "x", server), Device("laptop", joined.path, laptop))
    devices[0].path.parent.mkdir()
    yield devices
    laptop.close()
    server.close()


def send(source: Device, target: Device, name: str):  # type: ignore[no-untyped-def]
    package = source.path.parent / f"{name}.crsync"
    export_package(source.context.uow(), out=package)
    return import_package(target.context.uow(), path=package)


def synced_digests(engine: Engine) -> dict[str, tuple[int, str]]:
    """Rows and content digest of each synced table (an engine-independent form: app.store.move)."""
    names = {model.__tablename__ for model in SYNCED_TABLES}  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return {name: found for name, found in table_digests(connection).items() if name in names}


def shared(device: Device, index: int = 0) -> str:
    with device.context.uow() as uow:
        wanted = SHARED_RESIDENTS[index][1]
        return uow.session.exec(select(Resident.id).where(Resident.id_number == wanted)).one()


def audit_ok(device: Device) -> bool:
    with device.context.uow() as uow:
        device.context.actor_id = uow.session.exec(select(Staff.id).where(Staff.login == "admin")).one()
    report = verify_audit_trail(device.context.uow())
    return report.ok and report.entries > 0


def test_a_laptop_joins_a_server_center_and_syncs_both_ways_with_a_conflict(
    server_and_laptop: tuple[Device, Device],
) -> None:
    server, laptop = server_and_laptop
    server_engine, laptop_engine = server.context.database.engine, laptop.context.database.engine
    assert not laptop.context.database.is_server
    # a laptop's copy is encrypted: as its center is (a file), or with a key of its own (a server's, #20)
    assert laptop.context.database.encrypted == server.context.database.is_server
    assert synced_digests(laptop_engine) == synced_digests(server_engine)  # the invitation's copy is the center

    rid = shared(server)
    edit_resident(server, rid, phone="13800000001")  # the same field on both sides: a conflict
    edit_resident(laptop, rid, phone="13900000002", room="302")  # later: wins; room: no conflict
    on_laptop = add_resident(laptop, name="张桂英", id_number="310104194403150026")
    add_visit(laptop, on_laptop, findings="血压偏高")
    on_server = add_resident(server, name="刘淑珍", id_number="310104194505050023")
    add_visit(server, shared(server, 1), findings="精神可")

    into_server = send(laptop, server, "l1")
    assert (into_server.conflicts, into_server.rejected) == (1, 0)
    assert into_server.tables == {
        "resident": {"new": 1, "updated": 1}, "visit": {"new": 1, "updated": 0}, "auditentry": {"new": 3, "updated": 0},
    }  # fmt: skip
    # a server is backed up by pg_dump (`backup create`), not by a copy of a file before each import
    assert (into_server.backup is None) == server.context.database.is_server
    again = import_package(server.context.uow(), path=laptop.path.parent / "l1.crsync")
    assert again.already_imported
    into_laptop = send(server, laptop, "s1")
    assert into_laptop.rejected == 0

    for device in (server, laptop):
        found = resident(device, rid)
        assert (found.phone, found.room) == ("13900000002", "302")
        assert resident(device, on_laptop).name == "张桂英" and resident(device, on_server).name == "刘淑珍"
        assert audit_ok(device)
    (conflict,) = list_conflicts(server.context.uow())  # recorded where both values met
    assert (conflict.field, conflict.kept_value, conflict.other_value) == ("phone", "13900000002", "13800000001")
    assert list_conflicts(laptop.context.uow()) == []  # the laptop's value won: nothing for its user to review
    assert synced_digests(laptop_engine) == synced_digests(server_engine)


def test_a_package_referring_to_a_record_the_server_lacks_sets_that_row_aside(
    server_and_laptop: tuple[Device, Device],
) -> None:
    """Deferred foreign keys (the server's are DEFERRABLE from 0012): an orphan is taken back at the commit."""
    server, laptop = server_and_laptop
    rid = add_resident(laptop, name="张桂英", id_number="310104194403150026")
    send(laptop, server, "l1")
    send(server, laptop, "s1")  # the laptop learns the server holds the resident: not sent again
    visit = add_visit(laptop, rid, findings="复诊")
    with server.context.database.engine.begin() as connection:  # the server loses the resident (a hard delete)
        connection.execute(text("DELETE FROM resident_facts WHERE resident_id = :r"), {"r": rid})
        connection.execute(text("DELETE FROM resident WHERE id = :r"), {"r": rid})
    summary = send(laptop, server, "l2")
    assert summary.rejected >= 1 and not summary.complete
    with server.context.uow() as uow:
        assert uow.session.get(Resident, rid) is None
        assert uow.session.get(Visit, visit) is None  # taken back at the commit: its resident is not here
