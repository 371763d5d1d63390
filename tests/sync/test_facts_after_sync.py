"""A sync import writes through the same triggers: the receiving device's planning facts are right at once (on a
server center too: its triggers are PL/pgSQL)."""

from __future__ import annotations

from sync_world import Device, add_resident, add_visit, rows, stale

from app.services.sync.exchange import export_package, import_package


def _facts(device: Device, resident_id: str) -> tuple[object, ...]:
    assert stale(device) == []
    (found,) = rows(
        device,
        "SELECT seen_day, checked_day, followed_day, condition_codes, birth_day, since_day FROM resident_facts "
        "WHERE resident_id = :r",
        r=resident_id,
    )
    return found


def test_visits_and_corrections_imported_from_a_laptop_give_the_same_facts(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    resident_id = add_resident(laptop)
    first = add_visit(laptop, resident_id, findings="血压偏高")
    add_visit(laptop, resident_id, findings="复测正常", corrects=first)
    on_laptop = _facts(laptop, resident_id)
    assert on_laptop[4] is not None  # the birth day came with the resident

    package = laptop.folder / "week.crsync"
    export_package(laptop.context.uow(), out=package)
    import_package(workstation.context.uow(), path=package, backup=False)

    assert _facts(workstation, resident_id) == on_laptop
