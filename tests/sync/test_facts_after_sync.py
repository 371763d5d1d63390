"""A sync import writes through the same triggers: the receiving device's planning facts are right at once."""

from __future__ import annotations

from sync_world import Device, add_resident, add_visit

from app.services.sync.exchange import export_package, import_package
from app.store.resident_facts import stale_facts
from app.store.sqlite import sqlite3


def _facts(device: Device, resident_id: str) -> tuple[object, ...]:
    connection = sqlite3.connect(device.path)
    try:
        assert stale_facts(connection) == []
        return connection.execute(
            "SELECT seen_day, checked_day, followed_day, condition_codes, birth_day, since_day FROM resident_facts "
            "WHERE resident_id = ?",
            (resident_id,),
        ).fetchone()
    finally:
        connection.close()


def test_visits_and_corrections_imported_from_a_laptop_give_the_same_facts(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    resident_id = add_resident(laptop)
    first = add_visit(laptop, resident_id, findings="血压偏高")
    add_visit(laptop, resident_id, findings="复测正常", corrects=first)
    on_laptop = _facts(laptop, resident_id)
    assert on_laptop[4] is not None  # the birth day came with the resident

    package = laptop.path.parent / "week.crsync"
    export_package(laptop.context.uow(), out=package)
    import_package(workstation.context.uow(), path=package, backup=False)

    assert _facts(workstation, resident_id) == on_laptop
