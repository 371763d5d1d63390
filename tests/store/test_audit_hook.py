"""The unit of work's flush appends a sealed audit entry for every create, change and delete (on each engine)."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from app.store.audit import (
    MASK,
    AuditTrailAppendOnly,
    canonical_content,
    chain_hash,
    entry_content,
)
from app.store.database import Database, open_database
from app.store.engines import ServerURL
from app.store.models import AuditEntry, Center, Institution, Medication, Resident, Staff
from app.store.server import open_server_database
from app.store.stamping import APPLYING_SYNC_KEY
from app.store.uow import UnitOfWork


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty database made once; each test works on a copy (migrating costs ~0.4 s)."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite"
    database, _ = open_database(path)
    database.close()
    return path


@pytest.fixture
def database(engine: str, request: pytest.FixtureRequest, empty_database: Path, db_path: Path) -> Iterator[Database]:
    """A copy of the empty database on each engine in turn: the file, then a server database (``pg_database``)."""
    if engine == "sqlite":
        shutil.copyfile(empty_database, db_path)
        database, _ = open_database(db_path)
    else:
        database, _ = open_server_database(ServerURL(request.getfixturevalue("pg_database")(empty_database)))
    yield database
    database.close()


def make_staff(database: Database, name: str = "王管理") -> str:
    with UnitOfWork(database) as uow:
        staff = Staff(name=name, role="admin", login=f"u{len(name)}{name.encode().hex()[:6]}", password_hash="$x$")
        uow.session.add(staff)
        uow.commit()
        return staff.id


def make_resident(database: Database, actor_id: str | None = None) -> tuple[str, str]:
    with UnitOfWork(database, actor_id=actor_id) as uow:
        institution = Institution(name="康宁养老院", kind="nursing_home")
        uow.session.add(institution)
        resident = Resident(
            name="张红丽",
            sex="F",
            birth_date=date(1940, 5, 17),
            id_number="310104194005170023",
            institution_id=institution.id,
            room="201",
        )
        uow.session.add(resident)
        uow.commit()
        return institution.id, resident.id


def entries(database: Database) -> list[AuditEntry]:
    with UnitOfWork(database) as uow:
        return list(uow.session.exec(select(AuditEntry).order_by(AuditEntry.updated_at)).all())


def test_creating_rows_records_who_and_every_value(database: Database) -> None:
    actor = make_staff(database)
    before = len(entries(database))
    institution_id, resident_id = make_resident(database, actor)
    created = entries(database)[before:]
    assert [(e.action, e.entity) for e in created] == [("create", "institution"), ("create", "resident")]
    resident_entry = created[1]
    assert resident_entry.staff_id == actor and resident_entry.staff_name == "王管理"
    assert resident_entry.entity_id == resident_id and resident_entry.resident_id == resident_id
    changes = json.loads(resident_entry.changes)
    assert changes["name"] == [None, "张红丽"]
    assert changes["birth_date"] == [None, "1940-05-17"]
    assert changes["institution_id"] == [None, institution_id]
    assert "updated_at" not in changes and "search_text" not in changes and "deleted" not in changes
    assert created[0].resident_id is None


def test_a_change_records_only_the_changed_fields_old_and_new(database: Database) -> None:
    actor = make_staff(database)
    _, resident_id = make_resident(database, actor)
    before = len(entries(database))
    with UnitOfWork(database, actor_id=actor) as uow:
        resident = uow.session.get(Resident, resident_id)
        assert resident is not None
        resident.room = "305"
        resident.bed = "2"
        resident.name = "张红丽"  # the same value: not a change
        uow.commit()
    [entry] = entries(database)[before:]
    assert (entry.action, entry.entity, entry.entity_id) == ("update", "resident", resident_id)
    assert json.loads(entry.changes) == {"room": ["201", "305"], "bed": ["", "2"]}


def test_assigning_the_same_values_records_nothing(database: Database) -> None:
    _, resident_id = make_resident(database)
    before = len(entries(database))
    with UnitOfWork(database) as uow:
        resident = uow.session.get(Resident, resident_id)
        assert resident is not None
        resident.room = "201"
        uow.commit()
    assert len(entries(database)) == before


def test_rows_about_a_resident_carry_the_resident(database: Database) -> None:
    _, resident_id = make_resident(database)
    with UnitOfWork(database) as uow:
        uow.session.add(Medication(resident_id=resident_id, name="苯磺酸氨氯地平片", dose="5mg"))
        uow.commit()
    last = entries(database)[-1]
    assert (last.entity, last.resident_id) == ("medication", resident_id)


def test_tombstoning_is_a_delete_and_bringing_back_a_restore(database: Database) -> None:
    _, resident_id = make_resident(database)
    for deleted in (True, False):
        with UnitOfWork(database) as uow:
            resident = uow.session.get(Resident, resident_id)
            assert resident is not None
            resident.deleted = deleted
            uow.commit()
    assert [e.action for e in entries(database)[-2:]] == ["delete", "restore"]


def test_a_hard_delete_is_recorded(database: Database) -> None:
    with UnitOfWork(database) as uow:
        center = Center(name="中心", code="C01")
        uow.session.add(center)
        uow.commit()
    with UnitOfWork(database) as uow:
        uow.session.delete(uow.session.get(Center, center.id))
        uow.commit()
    last = entries(database)[-1]
    assert (last.action, last.entity, last.entity_id) == ("delete", "center", center.id)


def test_password_hashes_never_reach_the_trail(database: Database) -> None:
    with UnitOfWork(database) as uow:
        staff = Staff(name="李医生", role="doctor", login="doctor1", password_hash="$argon2id$secret-one")
        uow.session.add(staff)
        uow.commit()
    with UnitOfWork(database) as uow:
        loaded = uow.session.get(Staff, staff.id)
        assert loaded is not None
        loaded.password_hash = "$argon2id$secret-two"
        uow.commit()
    created, changed = entries(database)[-2:]
    assert json.loads(created.changes)["password_hash"] == [None, MASK]
    assert json.loads(changed.changes) == {"password_hash": [MASK, MASK]}
    assert all("secret" not in e.changes for e in entries(database))


def test_entries_form_one_hash_chain_across_units_of_work(database: Database) -> None:
    make_resident(database)
    make_resident(database)
    chain = entries(database)
    assert len(chain) == 4
    assert chain[0].prev_hash == ""
    for previous, entry in itertools.pairwise(chain):
        assert entry.prev_hash == previous.hash
    for entry in chain:
        assert entry.origin_device == database.device_id
        assert entry.hash == chain_hash(entry.prev_hash, entry_content(entry))
        assert len(entry.hash) == 64


def test_the_canonical_content_is_stable_json() -> None:
    content = canonical_content(
        id="e1",
        device="d1",
        at="2026-11-22 01:02:03.000004",
        staff_id=None,
        staff_name="王",
        action="open",
        entity="resident",
        entity_id="r1",
        resident_id="r1",
        changes="",
        deleted=False,
    )
    assert content == (
        '{"action":"open","at":"2026-11-22T01:02:03.000004Z","changes":"","deleted":false,"device":"d1",'
        '"entity":"resident","entity_id":"r1","id":"e1","resident_id":"r1","staff_id":null,"staff_name":"王","v":1}'
    )


def test_an_entry_added_by_a_service_gets_the_actor_and_its_seal(database: Database) -> None:
    actor = make_staff(database, "赵医生")
    _, resident_id = make_resident(database)
    with UnitOfWork(database, actor_id=actor) as uow:
        uow.session.add(AuditEntry(action="open", entity="resident", entity_id=resident_id, resident_id=resident_id))
        uow.commit()
    opened = entries(database)[-1]
    assert (opened.action, opened.staff_id, opened.staff_name) == ("open", actor, "赵医生")
    assert opened.prev_hash == entries(database)[-2].hash
    assert opened.hash == chain_hash(opened.prev_hash, entry_content(opened))


def test_audit_entries_cannot_be_changed_or_deleted(database: Database) -> None:
    make_resident(database)
    first = entries(database)[0]
    with UnitOfWork(database) as uow:
        entry = uow.session.get(AuditEntry, first.id)
        assert entry is not None
        entry.staff_name = "别人"
        with pytest.raises(AuditTrailAppendOnly):
            uow.commit()
    with UnitOfWork(database) as uow:
        uow.session.delete(uow.session.get(AuditEntry, first.id))
        with pytest.raises(AuditTrailAppendOnly):
            uow.commit()
    assert entries(database)[0].staff_name == first.staff_name
    assert len(entries(database)) == 2


def test_nothing_is_recorded_while_a_sync_import_applies_remote_rows(database: Database) -> None:
    remote = AuditEntry(
        action="create",
        entity="center",
        entity_id="c9",
        staff_name="远端",
        origin_device="other-device",
        updated_at="0001763800000000-000001-other-device",
        prev_hash="",
        hash="f" * 64,
    )
    with UnitOfWork(database) as uow:
        uow.session.info[APPLYING_SYNC_KEY] = True
        uow.session.add(Center(id="c9", name="远端中心", code="R01", origin_device="other-device"))
        uow.session.add(remote)
        uow.commit()
    [stored] = entries(database)
    assert (stored.id, stored.origin_device, stored.hash, stored.staff_name) == (
        remote.id,
        "other-device",
        "f" * 64,
        "远端",
    )


def test_a_flush_of_many_rows_costs_a_fixed_number_of_queries(database: Database) -> None:
    actor = make_staff(database)
    institution_id, _ = make_resident(database, actor)
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "pg_advisory_xact_lock" not in statement:  # the server's write lock: SQLite's BEGIN IMMEDIATE
            statements.append(statement.lstrip().split()[0].upper())

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        with UnitOfWork(database, actor_id=actor) as uow:
            for n in range(200):
                uow.session.add(
                    Resident(
                        name=f"居民{n}",
                        sex="M",
                        birth_date=date(1940, 1, 1),
                        id_number=f"{n:018d}",
                        institution_id=institution_id,
                    )
                )
            uow.commit()
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert statements.count("SELECT") <= 3  # the device's stored clock, the chain head and the actor's name, once each
    assert len(entries(database)) == 1 + 2 + 200  # the staff member, institution and resident, 200 new rows


def test_the_entries_follow_the_clock_in_chain_order(database: Database) -> None:
    make_resident(database)
    chain = entries(database)
    assert [e.updated_at for e in chain] == sorted(e.updated_at for e in chain)
    assert len({e.updated_at for e in chain}) == len(chain)
