"""Sync import never rewrites audit history: entries are only added, sealed, and continue their device's chain.

The forged packages are made as an attacker holding the center key would: from a copy of the laptop's
database whose audit entries were changed with plain SQL and sealed again (so the copy's own chain still
verifies), exported with the app's own code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sync_world import Device, add_resident, audit_problems, content_digest, edit_resident
from test_exchange import send

from app.cli.main import main
from app.services.admin.audit_verify import verify_audit_file
from app.services.sync.apply import AuditHistoryRefused
from app.services.sync.exchange import export_package, import_package
from app.store.audit import canonical_content, chain_hash
from app.store.database import open_database
from app.store.sqlite import sqlite3
from app.store.uow import UnitOfWork

FUTURE = "9999999999999-000000-forger"


def _reseal(connection: sqlite3.Connection, rows: list[tuple[str, ...]], prev: str) -> None:
    """Seal ``rows`` (VERIFY-like tuples, in chain order) again, from ``prev`` on."""
    for entry_id, device, at, staff_id, staff_name, action, entity, entity_id, resident_id, changes in rows:
        content = canonical_content(
            id=entry_id, device=device, at=at, staff_id=staff_id, staff_name=staff_name, action=action,
            entity=entity, entity_id=entity_id, resident_id=resident_id, changes=changes, deleted=False,
        )  # fmt: skip
        sealed = chain_hash(prev, content)
        connection.execute(
            "UPDATE auditentry SET staff_name = ?, changes = ?, prev_hash = ?, hash = ?, field_clocks = ? WHERE id = ?",
            (
                staff_name,
                changes,
                prev,
                sealed,
                json.dumps({name: FUTURE for name in ("staff_name", "changes", "prev_hash", "hash")}),
                entry_id,
            ),
        )
        prev = sealed


CHAIN_SQL = (
    "SELECT id, origin_device, at, staff_id, staff_name, action, entity, entity_id, resident_id, changes "
    "FROM auditentry WHERE origin_device = ? ORDER BY updated_at, id"
)


def _forged_copy(laptop: Device, folder: Path) -> Path:
    folder.mkdir()
    copy = folder / laptop.path.name
    source, target = sqlite3.connect(laptop.path), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return copy


def _export_full(path: Path, out: Path) -> Path:
    database, _ = open_database(path, create=False)
    try:
        export_package(UnitOfWork(database), out=out, full=True)
    finally:
        database.close()
    return out


@pytest.fixture
def synced(two_devices: list[Device]) -> tuple[Device, Device]:
    """The workstation made ten audited changes and the laptop received them."""
    workstation, laptop = two_devices
    resident_id = add_resident(workstation, name="孙玉兰", id_number="310104195001010010")
    for number in range(9):
        edit_resident(workstation, resident_id, room=f"{number + 1}01")
    send(workstation, laptop, "first")
    return workstation, laptop


def test_a_package_that_rewrites_existing_audit_entries_is_refused_whole(
    synced: tuple[Device, Device], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workstation, laptop = synced
    forged = _forged_copy(laptop, tmp_path / "forger")
    connection = sqlite3.connect(forged)
    with connection:
        chain = connection.execute(CHAIN_SQL, (workstation.device_id,)).fetchall()
        kept, rewritten = chain[:-6], [list(row) for row in chain[-6:]]
        for row in rewritten:
            row[4] = "某某"  # who did it
            row[9] = json.dumps({"room": ["101", "999"]})
        head = connection.execute("SELECT hash FROM auditentry WHERE id = ?", (kept[-1][0],)).fetchone()[0]
        _reseal(connection, [tuple(row) for row in rewritten], head)
    connection.close()
    assert verify_audit_file(forged).problems == []  # the forger's own copy still "verifies"
    package = _export_full(forged, tmp_path / "forged.crsync")

    before = content_digest(workstation)
    with pytest.raises(AuditHistoryRefused) as refused:
        import_package(workstation.context.uow(), path=package, backup=False)
    assert "rewrite an audit entry" in str(refused.value) or "改写" in str(refused.value)
    assert content_digest(workstation) == before
    assert audit_problems(workstation) == []

    workstation.close()
    monkeypatch.setenv("CARE_USER", "admin")  # sync_world's administrator
    monkeypatch.setenv("CARE_PASSWORD", "secret-123")
    assert main(["--lang", "en", "sync", "import", str(package), "--db", str(workstation.where)]) == 1


def test_a_new_entry_whose_seal_is_broken_is_refused(synced: tuple[Device, Device], tmp_path: Path) -> None:
    workstation, laptop = synced
    add_resident(laptop, name="周桂芳", id_number="310104195101010021")
    forged = _forged_copy(laptop, tmp_path / "forger")
    connection = sqlite3.connect(forged)
    with connection:  # the laptop's newest entry changed afterwards, not sealed again
        connection.execute(
            "UPDATE auditentry SET staff_name = '某某' WHERE id = (SELECT id FROM auditentry WHERE origin_device = ? "
            "ORDER BY updated_at DESC LIMIT 1)",
            (laptop.device_id,),
        )
    connection.close()
    package = _export_full(forged, tmp_path / "forged.crsync")
    before = content_digest(workstation)
    with pytest.raises(AuditHistoryRefused, match=r"seal|校验"):
        import_package(workstation.context.uow(), path=package, backup=False)
    assert content_digest(workstation) == before


def test_a_new_entry_that_does_not_continue_its_chain_is_refused(synced: tuple[Device, Device], tmp_path: Path) -> None:
    workstation, laptop = synced
    new_resident = add_resident(laptop, name="周桂芳", id_number="310104195101010021")
    edit_resident(laptop, new_resident, room="201")
    edit_resident(laptop, new_resident, room="202")
    forged = _forged_copy(laptop, tmp_path / "forger")
    connection = sqlite3.connect(forged)
    with connection:  # the laptop's newest entry re-linked to its first one (a fork), and sealed again
        chain = connection.execute(CHAIN_SQL, (laptop.device_id,)).fetchall()
        first = connection.execute("SELECT hash FROM auditentry WHERE id = ?", (chain[0][0],)).fetchone()[0]
        _reseal(connection, [chain[-1]], first)
    connection.close()
    package = _export_full(forged, tmp_path / "forged.crsync")
    before = content_digest(workstation)
    with pytest.raises(AuditHistoryRefused, match=r"continue|接不上"):
        import_package(workstation.context.uow(), path=package, backup=False)
    assert content_digest(workstation) == before


def test_a_gap_left_by_files_out_of_order_is_accepted(three_devices: list[Device]) -> None:
    """Laptop B gets laptop A's newer entries before the older ones (they went to the workstation first)."""
    workstation, laptop_a, laptop_b = three_devices
    first = add_resident(laptop_a, name="甲居民", id_number="310104195001010010")
    send(laptop_a, workstation, "a1")
    send(workstation, laptop_a, "w1")
    edit_resident(laptop_a, first, room="301")
    assert send(laptop_a, laptop_b, "a2").rejected == 0  # A's second entry, not its first: a gap
    send(laptop_b, workstation, "b1")
    send(workstation, laptop_b, "w2")  # the first entry fills the gap
    assert audit_problems(laptop_b) == []


def test_entries_already_held_and_new_linked_entries_are_accepted(synced: tuple[Device, Device]) -> None:
    workstation, laptop = synced
    add_resident(laptop, name="周桂芳", id_number="310104195101010021")
    summary = send(laptop, workstation, "back", full=True)
    assert summary.rejected == 0
    assert audit_problems(workstation) == []
