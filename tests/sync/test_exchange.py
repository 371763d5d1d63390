"""Export and import between devices: incremental, self-healing, relayed, per-field, append-only visits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlmodel import select
from sync_world import (
    SHARED_RESIDENTS,
    Device,
    add_resident,
    add_visit,
    content_digest,
    edit_resident,
    resident,
    rows,
    synced_content,
)

from app.bootstrap import open_context
from app.services.sync.exchange import export_package, import_package
from app.services.sync.overview import record_sync_states, sync_history, sync_overview
from app.store.backup import wait_for_pending_backups
from app.store.models import Resident, Visit
from app.store.move import copy_server_to_file
from app.store.sqlite import sqlite3


def send(source: Device, target: Device, name: str, *, full: bool = False, backup: bool = False):  # type: ignore[no-untyped-def]
    path = source.folder / f"{name}.crsync"
    export_package(source.context.uow(), out=path, full=full)
    return import_package(target.context.uow(), path=path, backup=backup)


def shared_resident(device: Device, index: int = 0) -> str:
    with device.context.uow() as uow:
        return uow.session.exec(select(Resident.id).where(Resident.id_number == SHARED_RESIDENTS[index][1])).one()


def test_edits_of_different_fields_on_two_devices_both_survive(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    rid = shared_resident(workstation)
    edit_resident(workstation, rid, phone="13800000001")
    edit_resident(laptop, rid, room="302")
    summary = send(laptop, workstation, "l1")
    assert (summary.updated, summary.conflicts) == (1, 0)
    send(workstation, laptop, "w1")
    for device in two_devices:
        assert (resident(device, rid).phone, resident(device, rid).room) == ("13800000001", "302")
    assert synced_content(workstation) == synced_content(laptop)


def test_the_same_field_edited_on_two_devices_keeps_the_later_value_and_records_the_other(
    two_devices: list[Device],
) -> None:
    workstation, laptop = two_devices
    rid = shared_resident(workstation)
    edit_resident(workstation, rid, phone="13800000001")
    edit_resident(laptop, rid, phone="13900000002")  # later: wins everywhere
    summary = send(laptop, workstation, "l1")
    assert summary.conflicts == 1
    send(workstation, laptop, "w1")
    assert resident(workstation, rid).phone == resident(laptop, rid).phone == "13900000002"
    ((kept, kept_device, other, other_device),) = rows(
        workstation, "SELECT kept_value, kept_device, other_value, other_device FROM sync_conflict"
    )
    assert (json.loads(kept), json.loads(other)) == ("13900000002", "13800000001")
    assert (kept_device, other_device) == (laptop.device_id, workstation.device_id)


def test_an_edit_that_knew_the_other_value_is_not_a_conflict(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    rid = shared_resident(workstation)
    edit_resident(workstation, rid, phone="13800000001")
    send(workstation, laptop, "w1")
    edit_resident(laptop, rid, phone="13900000002")  # the nurse corrects what she received
    assert send(laptop, workstation, "l1").conflicts == 0
    assert resident(workstation, rid).phone == "13900000002"


def test_only_changes_not_yet_acknowledged_travel(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    first = add_resident(laptop, name="新居民", id_number="310104195001010010")
    assert send(laptop, workstation, "l1").new >= 1
    send(workstation, laptop, "w1")  # carries the workstation's acknowledgement back
    add_visit(laptop, first)
    path = laptop.folder / "l2.crsync"
    summary = export_package(laptop.context.uow(), out=path)
    assert summary.counts.get("resident", 0) == 0
    assert summary.counts["visit"] == 1
    full = export_package(laptop.context.uow(), out=laptop.folder / "full.crsync", full=True)
    assert full.full and full.counts["resident"] == len(SHARED_RESIDENTS) + 1


def test_a_lost_file_heals_at_the_next_export(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    rid = add_resident(laptop, name="新居民", id_number="310104195001010010")
    export_package(laptop.context.uow(), out=laptop.folder / "lost.crsync")  # never arrives
    add_visit(laptop, rid)
    summary = send(laptop, workstation, "second")
    assert summary.rejected == 0
    with workstation.context.uow() as uow:
        assert uow.session.get(Resident, rid) is not None
        assert len(uow.session.exec(select(Visit).where(Visit.resident_id == rid)).all()) == 1


def test_a_file_with_a_gap_is_not_acknowledged_and_what_it_skipped_arrives_later(
    three_devices: list[Device],
) -> None:
    """Laptop B imports laptop A's file, which skips a change B never received (it went to the workstation)."""
    workstation, laptop_a, laptop_b = three_devices
    first = add_resident(laptop_a, name="甲居民", id_number="310104195001010010")
    send(laptop_a, workstation, "a1")
    send(workstation, laptop_a, "w1")  # the workstation acknowledged the first resident
    second = add_resident(laptop_a, name="乙居民", id_number="310104195101010017")
    summary = send(laptop_a, laptop_b, "a2")  # carries the second resident only
    assert not summary.complete and summary.rejected == 0
    send(laptop_b, workstation, "b1")  # B tells the workstation what it holds: not A's first resident
    send(workstation, laptop_b, "w2")
    with laptop_b.context.uow() as uow:
        assert uow.session.get(Resident, first) is not None
        assert uow.session.get(Resident, second) is not None


def test_records_that_refer_to_records_not_received_yet_wait_for_the_next_file(three_devices: list[Device]) -> None:
    workstation, laptop_a, laptop_b = three_devices
    first = add_resident(laptop_a, name="甲居民", id_number="310104195001010010")
    send(laptop_a, workstation, "a1")
    send(workstation, laptop_a, "w1")
    visit = add_visit(laptop_a, first)
    summary = send(laptop_a, laptop_b, "a2")  # the visit, not the resident it belongs to
    assert summary.rejected == 1 and summary.tables["auditentry"]["new"] >= 1
    with laptop_b.context.uow() as uow:
        assert uow.session.get(Visit, visit) is None
    connection = sqlite3.connect(laptop_b.path)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()
    assert rows(laptop_b, "SELECT result FROM sync_log WHERE direction = 'import'") == [("ok, 1 rejected",)]
    send(laptop_b, workstation, "b1")
    assert send(workstation, laptop_b, "w2").rejected == 0  # brings the resident
    assert send(laptop_a, laptop_b, "a3").rejected == 0  # A's next file carries the visit again
    with laptop_b.context.uow() as uow:
        assert uow.session.get(Resident, first) is not None
        assert uow.session.get(Visit, visit) is not None


def test_a_field_change_relayed_by_another_device_still_travels(three_devices: list[Device]) -> None:
    """Row newest clock acknowledged, older field clock not: the row must still go."""
    workstation, laptop_a, laptop_b = three_devices
    rid = shared_resident(workstation)
    edit_resident(laptop_b, rid, phone="13900000002")  # earlier, on B
    edit_resident(laptop_a, rid, room="302")  # later, on A
    send(laptop_a, workstation, "a1")
    send(workstation, laptop_b, "w1")  # B now holds both; the row's newest clock is A's
    send(workstation, laptop_a, "w1b")
    send(laptop_b, workstation, "b1")
    assert resident(workstation, rid).phone == "13900000002"
    send(workstation, laptop_a, "w2")
    assert (resident(laptop_a, rid).phone, resident(laptop_a, rid).room) == ("13900000002", "302")


def test_rows_from_a_third_device_are_relayed(three_devices: list[Device]) -> None:
    workstation, laptop_a, laptop_b = three_devices
    rid = add_resident(laptop_a, name="甲居民", id_number="310104195001010010")
    send(laptop_a, workstation, "a1")
    send(workstation, laptop_b, "w1")
    assert resident(laptop_b, rid).origin_device == laptop_a.device_id


def test_importing_a_file_twice_says_already_imported_and_changes_nothing(
    two_devices: list[Device],
) -> None:
    workstation, laptop = two_devices
    add_resident(laptop, name="新居民", id_number="310104195001010010")
    path = laptop.folder / "l1.crsync"
    export_package(laptop.context.uow(), out=path)
    first = import_package(workstation.context.uow(), path=path)
    assert first.new
    if workstation.on_server:  # a server is backed up by pg_dump (`backup create`), not before each import
        assert first.backup is None
    else:
        assert wait_for_pending_backups(30)  # the backup is renamed into place just after the import returns
        assert first.backup is not None and first.backup.exists()
    before = content_digest(workstation)
    again = import_package(workstation.context.uow(), path=path)
    assert again.already_imported and again.new == 0
    assert content_digest(workstation) == before


def test_files_in_any_order_end_in_the_same_state(two_devices: list[Device], tmp_path: Path) -> None:
    workstation, laptop = two_devices
    rid = shared_resident(laptop)
    files = []
    for number, phone in enumerate(("13800000001", "13800000002", "13800000003")):
        edit_resident(laptop, rid, phone=phone)
        add_visit(laptop, rid, findings=f"第{number}次")
        files.append(laptop.folder / f"f{number}.crsync")
        export_package(laptop.context.uow(), out=files[-1])
    copy = tmp_path / "copy.sqlite"
    if workstation.on_server:  # the center as it is now, in a file (what `center invite` sends a laptop)
        copy_server_to_file(workstation.context.database.engine, copy)
    else:
        shutil.copyfile(workstation.path, copy)
    other = Device("copy", copy, open_context(copy))
    try:
        for path in files:
            import_package(workstation.context.uow(), path=path, backup=False)
        for path in reversed(files):
            import_package(other.context.uow(), path=path, backup=False)
        mine, theirs = synced_content(workstation), synced_content(other)
        assert mine == theirs
        assert resident(other, rid).phone == "13800000003"
    finally:
        other.close()


def test_a_deletion_wins_over_an_older_edit_and_loses_to_a_newer_one(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    older, newer = shared_resident(workstation, 0), shared_resident(workstation, 1)
    edit_resident(laptop, older, phone="13900000002")
    edit_resident(workstation, older, deleted=True)  # deleted after the laptop's edit
    edit_resident(workstation, newer, deleted=True)
    edit_resident(laptop, newer, phone="13900000003")  # edited after the deletion, not knowing of it
    send(laptop, workstation, "l1")
    send(workstation, laptop, "w1")
    for device in two_devices:
        assert resident(device, older).deleted
        assert not resident(device, newer).deleted
        assert resident(device, newer).phone == "13900000003"
    assert synced_content(workstation) == synced_content(laptop)
    fields = [f for (f,) in rows(workstation, "SELECT field FROM sync_conflict")]
    assert fields.count("deleted") == 2


def test_two_corrections_of_one_visit_both_survive(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    rid = shared_resident(workstation)
    original = add_visit(workstation, rid, findings="血压偏高")
    send(workstation, laptop, "w1")
    mine = add_visit(workstation, rid, findings="复测血压正常", corrects=original)
    theirs = add_visit(laptop, rid, findings="补记：双下肢水肿", corrects=original)
    send(laptop, workstation, "l1")
    send(workstation, laptop, "w2")
    for device in two_devices:
        with device.context.uow() as uow:
            visits = {v.id: v for v in uow.session.exec(select(Visit).where(Visit.resident_id == rid))}
        assert set(visits) == {original, mine, theirs}
        assert visits[original].findings == "血压偏高"


def test_a_resident_created_on_two_devices_is_flagged_as_a_duplicate(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    here = add_resident(workstation, name="孙玉兰", id_number="310104193805060021")
    there = add_resident(laptop, name="孙玉兰", id_number="310104193805060021")
    summary = send(laptop, workstation, "l1")
    assert summary.duplicates == 1
    (row,) = rows(workstation, "SELECT entity, entity_id, field, kept_value, other_value FROM sync_conflict")
    assert row[0] == "resident" and row[2] == "id_number"
    assert {json.loads(row[3]), json.loads(row[4])} == {here, there}
    assert send(laptop, workstation, "l2").duplicates == 0  # flagged once


def test_the_sync_page_figures_and_record_states(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    rid = add_resident(laptop, name="新居民", id_number="310104195001010010")
    visit = add_visit(laptop, rid)
    overview = sync_overview(laptop.context.uow())
    assert overview.not_exported == {"resident": 1, "visit": 1, "auditentry": overview.not_exported["auditentry"]}
    assert record_sync_states(laptop.context.uow(), table="visit", ids=[visit]) == {visit: "not_exported"}
    path = laptop.folder / "l1.crsync"
    export_package(laptop.context.uow(), out=path)
    assert record_sync_states(laptop.context.uow(), table="visit", ids=[visit]) == {visit: "exported"}
    assert sync_overview(laptop.context.uow()).not_exported_total == 0
    import_package(workstation.context.uow(), path=path)
    send(workstation, laptop, "w1")
    assert record_sync_states(laptop.context.uow(), table="visit", ids=[visit]) == {visit: "acknowledged"}
    history = sync_history(laptop.context.uow())
    assert [h.direction for h in history][:2] == ["import", "export"]
    assert history[0].peer_name == "workstation"
    assert [d.name for d in sync_overview(workstation.context.uow()).devices if d.kind == "peer"] == ["laptop-1"]
