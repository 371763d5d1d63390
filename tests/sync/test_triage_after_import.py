"""The incremental triage refresh (issue 19) after a sync import: a window that keeps its memory of the last
refresh while a package from a laptop is imported — by the window's sync page or by `sync import` in another
process, the same import_package — stores what a refresh from scratch stores."""

from __future__ import annotations

from datetime import date

from sync_world import Device
from test_exchange import send, shared_resident

from app.domain.triage import suggest_colour
from app.services.triage import Scope, incremental, load_facts, load_rules, refresh_suggestions
from app.store.models import Visit

DAY = date(2026, 11, 20)


def from_scratch(device: Device) -> dict[str, str]:
    rules = load_rules(device.context.uow()).rules
    with device.context.uow().reading() as uow:
        facts = load_facts(uow, scope=Scope(), today=DAY, rules=rules)
    found = {}
    for resident_id, (_info, resident_facts) in facts.items():
        suggestion = suggest_colour(resident_facts, rules, DAY)
        assert suggestion is not None
        found[resident_id] = suggestion.colour.value
    return found


def stored(device: Device) -> dict[str, str]:
    with device.context.uow().reading() as uow:
        rows = uow.fast_rows("SELECT id, suggested_colour FROM resident WHERE deleted = 0 AND status = 'in_residence'")
    return dict(rows)


def refresh(device: Device) -> None:
    refresh_suggestions(device.context.uow(), today=DAY)
    assert stored(device) == from_scratch(device)


def test_a_package_imported_while_the_window_remembers_its_last_refresh(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    incremental.forget()
    try:
        one, other = shared_resident(workstation, 0), shared_resident(workstation, 1)
        refresh(workstation)
        refresh(laptop)
        with laptop.context.uow() as uow:  # an urgent reading, and a visit moved to another resident
            urgent = Visit(resident_id=one, visit_date=DAY, spo2=84)
            moved = Visit(resident_id=one, visit_date=DAY, temperature=39.7)
            uow.session.add_all([urgent, moved])
            uow.commit()
        send(laptop, workstation, "l1")
        refresh(workstation)
        assert stored(workstation)[one] == "red"
        with laptop.context.uow() as uow:
            found = uow.session.get(Visit, urgent.id)
            assert found is not None
            found.deleted = True
            moving = uow.session.get(Visit, moved.id)
            assert moving is not None
            moving.resident_id = other
            uow.commit()
        send(laptop, workstation, "l2")
        refresh(workstation)
        assert (stored(workstation)[one], stored(workstation)[other]) == ("green", "red")
    finally:
        incremental.forget()
