"""Family beds and proxy refills travel between devices: the new tables sync, and a bed edited on two devices
shows as a conflict (issue #18)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import select
from sync_world import Device, resident, synced_content
from test_exchange import send, shared_resident
from test_postgres_sync import send as pg_send
from test_postgres_sync import server_and_laptop, shared  # noqa: F401 (a fixture)

from app.services.homecare import beds, refills
from app.services.sync.conflicts import keep_one_bed, list_conflicts
from app.store.models import AuditEntry, Medication

TODAY = date(2026, 11, 16)


def _medication(device: Device, resident_id: str) -> str:
    with device.context.uow() as uow:
        medication = Medication(resident_id=resident_id, name="氨氯地平片", dose="5mg", frequency="qd")
        uow.session.add(medication)
        uow.commit()
        return medication.id


def test_beds_checks_and_dispensings_reach_the_other_device(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    rid = shared_resident(workstation)
    bed_id = beds.open_bed(
        workstation.context.uow(),
        resident_id=rid,
        indication="压疮",
        opened_on=date(2026, 11, 2),
        today=TODAY,
        orders=[beds.OrderInput("dressing", 2, date(2026, 11, 2))],
    )
    medication_id = _medication(workstation, rid)
    refills.record_dispense(
        workstation.context.uow(),
        medication_id=medication_id,
        quantity=28,
        dispensed_on=date(2026, 11, 10),
        today=TODAY,
        daily_quantity=Decimal(1),
        unit="片",
    )
    send(workstation, laptop, "w1")
    beds.check_bed(laptop.context.uow(), bed_id=bed_id, checked_on=date(2026, 11, 9), today=TODAY, findings="好转")
    send(laptop, workstation, "l1")
    (seen,) = beds.list_beds(workstation.context.uow(), today=TODAY, resident_id=rid)
    assert seen.last_check == date(2026, 11, 9) and seen.checks_missed == 1 and len(seen.orders) == 1  # 2-8 missed
    (supply,) = refills.supply_of(laptop.context.uow(), resident_id=rid, today=TODAY)
    assert supply.runs_out == date(2026, 12, 8)
    assert synced_content(workstation) == synced_content(laptop)


def test_a_bed_closed_differently_on_two_devices_is_a_conflict(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    rid = shared_resident(workstation)
    bed_id = beds.open_bed(
        workstation.context.uow(), resident_id=rid, indication="压疮", opened_on=date(2026, 11, 2), today=TODAY
    )
    send(workstation, laptop, "w1")
    beds.close_bed(
        workstation.context.uow(),
        bed_id=bed_id,
        closed_on=date(2026, 11, 12),
        today=TODAY,
        reason="recovered",
        summary="创面愈合",
    )
    beds.close_bed(
        laptop.context.uow(),
        bed_id=bed_id,
        closed_on=date(2026, 11, 13),
        today=TODAY,
        reason="hospitalised",
        summary="转瑞金医院",
    )
    send(laptop, workstation, "l1")
    send(workstation, laptop, "w2")
    conflicts = list_conflicts(workstation.context.uow())
    assert {c.entity for c in conflicts} >= {"family_bed"}
    assert {c.field for c in conflicts if c.entity == "family_bed"} >= {"closed_on", "summary"}
    assert synced_content(workstation) == synced_content(laptop)


def test_closing_one_of_two_beds_opened_apart_keeps_the_resident_flagged(two_devices: list[Device]) -> None:
    """Each device allows one open bed; apart, each opens one, and after syncing the resident has two.

    Closing one of them cleared the resident's flag (triage's red reason "active family bed") while the other
    was still open; it now stays until the last open bed is closed.
    """
    workstation, laptop = two_devices
    rid = shared_resident(workstation)
    first = beds.open_bed(
        workstation.context.uow(), resident_id=rid, indication="压疮", opened_on=date(2026, 11, 2), today=TODAY
    )
    second = beds.open_bed(
        laptop.context.uow(), resident_id=rid, indication="导尿", opened_on=date(2026, 11, 3), today=TODAY
    )
    send(laptop, workstation, "l1")
    send(workstation, laptop, "w1")
    assert {b.id for b in beds.list_beds(workstation.context.uow(), today=TODAY, resident_id=rid)} == {first, second}
    assert "two_beds" in [c.kind for c in _open_conflicts(workstation)]
    beds.close_bed(
        workstation.context.uow(),
        bed_id=first,
        closed_on=date(2026, 11, 12),
        today=TODAY,
        reason="recovered",
        summary="愈合",
    )
    flagged = resident(workstation, rid)
    assert flagged.family_bed and flagged.family_bed_end is None and flagged.family_bed_start == date(2026, 11, 3)
    assert _two_beds(workstation) == []  # one open bed again: settled here, and on the laptop once synced
    send(workstation, laptop, "w2")
    assert _two_beds(laptop) == []
    beds.close_bed(
        workstation.context.uow(),
        bed_id=second,
        closed_on=date(2026, 11, 13),
        today=TODAY,
        reason="recovered",
        summary="拔管",
    )
    closed = resident(workstation, rid)
    assert not closed.family_bed and closed.family_bed_end == date(2026, 11, 13)


def _open_conflicts(device: Device) -> list:  # type: ignore[type-arg]
    return [c for c in list_conflicts(device.context.uow()) if c.resolved_at is None]


def _two_beds(device: Device) -> list:  # type: ignore[type-arg]
    return [c for c in _open_conflicts(device) if c.kind == "two_beds"]


def test_two_beds_opened_apart_show_as_a_conflict_and_keeping_one_keeps_what_was_recorded(
    two_devices: list[Device],
) -> None:
    """One open bed per resident: two beds opened on two devices apart were two open beds silently (issue 18).
    They show on the Conflicts page of both devices, once; keeping one moves the other's orders and checks."""
    workstation, laptop = two_devices
    rid = shared_resident(workstation)
    first = beds.open_bed(
        workstation.context.uow(),
        resident_id=rid,
        indication="压疮",
        opened_on=date(2026, 11, 2),
        today=TODAY,
        orders=[beds.OrderInput("dressing", 2, date(2026, 11, 2))],
    )
    second = beds.open_bed(
        laptop.context.uow(),
        resident_id=rid,
        indication="导尿",
        opened_on=date(2026, 11, 3),
        today=TODAY,
        orders=[beds.OrderInput("catheter", 28, date(2026, 11, 3))],
    )
    beds.check_bed(laptop.context.uow(), bed_id=second, checked_on=date(2026, 11, 9), today=TODAY, findings="通畅")
    send(laptop, workstation, "l1")
    send(workstation, laptop, "w1")
    for device in (workstation, laptop):
        (conflict,) = _two_beds(device)
        assert conflict.kind == "two_beds" and conflict.entity == "family_bed" and conflict.entity_id == second
        assert (conflict.kept_value, conflict.other_value) == (first, second)
        name = resident(device, rid).name
        assert conflict.record.startswith(name)
        assert "压疮" in conflict.kept_summary and "2026-11-02" in conflict.kept_summary
        assert "导尿" in conflict.other_summary
        assert conflict.kept_device_name != conflict.other_device_name
    send(laptop, workstation, "l2")  # again: still one conflict, not a second one
    send(workstation, laptop, "w2")
    assert len(_two_beds(workstation)) == len(_two_beds(laptop)) == 1
    # each device set the resident's family_bed_start when it opened its bed: a field conflict besides
    assert {c.field for c in _open_conflicts(workstation) if c.kind == "field"} <= {"family_bed_start"}

    (conflict,) = _two_beds(workstation)
    merged = keep_one_bed(workstation.context.uow(), conflict_id=conflict.id, keep_bed_id=first)
    assert (merged.removed_id, merged.orders, merged.checks) == (second, 1, 1)
    (kept,) = beds.list_beds(workstation.context.uow(), today=TODAY, resident_id=rid, open_only=False)
    assert kept.id == first and [o.order.kind.value for o in kept.orders] == ["dressing", "catheter"]
    assert kept.last_check == date(2026, 11, 9) and resident(workstation, rid).family_bed_start == date(2026, 11, 2)
    assert _open_conflicts(workstation) == []  # the flag's start was decided with the bed kept
    send(workstation, laptop, "w3")
    assert _open_conflicts(laptop) == []
    assert [b.id for b in beds.list_beds(laptop.context.uow(), today=TODAY, resident_id=rid)] == [first]
    assert synced_content(workstation) == synced_content(laptop)


def test_two_beds_opened_apart_are_a_conflict_on_a_server_center_too(
    server_and_laptop: tuple[Device, Device],  # noqa: F811
) -> None:
    """The two-beds check runs its queries on the import's connection: on PostgreSQL too (issue 20)."""
    server, laptop = server_and_laptop
    rid = shared(server)
    first = beds.open_bed(server.context.uow(), resident_id=rid, indication="压疮", opened_on=TODAY, today=TODAY)
    second = beds.open_bed(laptop.context.uow(), resident_id=rid, indication="导尿", opened_on=TODAY, today=TODAY)
    pg_send(laptop, server, "l1")
    (conflict,) = _two_beds(server)
    assert {conflict.kept_value, conflict.other_value} == {first, second}
    uow = server.context.uow()
    beds.close_bed(uow, bed_id=second, closed_on=TODAY, today=TODAY, reason="other", summary="重复建床")
    assert _two_beds(server) == []
    pg_send(server, laptop, "s1")
    assert _two_beds(laptop) == []


def test_keeping_the_bed_whose_opening_day_the_flag_already_has_still_sends_the_removal(
    two_devices: list[Device],
) -> None:
    """Keeping the bed whose opening day the resident's flag already holds re-stamps that field by hand (a flush
    with the sync stamping off): the other bed's removal and the orders and checks moved to the kept one were
    flushed with it, unstamped and unaudited, so the laptop kept both beds."""
    workstation, laptop = two_devices
    rid = shared_resident(workstation)
    first = beds.open_bed(
        workstation.context.uow(), resident_id=rid, indication="压疮", opened_on=date(2026, 11, 2), today=TODAY
    )
    second = beds.open_bed(
        laptop.context.uow(),
        resident_id=rid,
        indication="导尿",
        opened_on=date(2026, 11, 3),
        today=TODAY,
        orders=[beds.OrderInput("catheter", 28, date(2026, 11, 3))],
    )
    send(laptop, workstation, "l1")
    send(workstation, laptop, "w1")
    (conflict,) = _two_beds(workstation)
    flag_day = resident(workstation, rid).family_bed_start
    keep = first if flag_day == date(2026, 11, 2) else second
    removed = second if keep == first else first
    assert resident(workstation, rid).family_bed_start in (date(2026, 11, 2), date(2026, 11, 3))

    keep_one_bed(workstation.context.uow(), conflict_id=conflict.id, keep_bed_id=keep)

    with workstation.context.uow().reading() as uow:
        audited = {(e.entity_id, e.action) for e in uow.session.exec(select(AuditEntry))}
    assert (removed, "delete") in audited or (removed, "update") in audited
    send(workstation, laptop, "w2")
    assert [b.id for b in beds.list_beds(laptop.context.uow(), today=TODAY, resident_id=rid)] == [keep]
    assert synced_content(workstation) == synced_content(laptop)
