"""Reviewing conflicts: keep either value (everywhere), merge a resident recorded twice, permissions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select
from sync_world import Device, add_resident, add_visit, edit_resident, resident, synced_content
from test_exchange import send, shared_resident

from app.domain.errors import DomainError
from app.domain.roles import Role
from app.services.accounts.sign_in import create_staff
from app.services.sync.conflicts import dismiss_duplicate, list_conflicts, merge_duplicate, resolve_conflict
from app.store.models import Condition, Visit
from app.store.uow import UnitOfWork


def make_conflict(workstation: Device, laptop: Device) -> str:
    rid = shared_resident(workstation)
    edit_resident(workstation, rid, phone="13800000001")
    edit_resident(laptop, rid, phone="13900000002")
    send(laptop, workstation, "l1")
    send(workstation, laptop, "w1")
    return rid


def test_a_conflict_shows_both_values_devices_and_times(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    rid = make_conflict(workstation, laptop)
    (conflict,) = list_conflicts(workstation.context.uow())
    assert conflict.kind == "field" and conflict.entity == "resident" and conflict.field == "phone"
    assert conflict.record.startswith("王建国 · 康宁养老院")
    assert (conflict.kept_value, conflict.kept_device_name) == ("13900000002", "laptop-1")
    assert (conflict.other_value, conflict.other_device_name) == ("13800000001", "workstation")
    assert conflict.kept_at is not None and conflict.other_at is not None and conflict.kept_at >= conflict.other_at
    assert conflict.entity_id == rid


def test_keeping_the_other_value_applies_it_everywhere_and_closes_the_conflict(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    rid = make_conflict(workstation, laptop)
    (conflict,) = list_conflicts(workstation.context.uow())
    resolve_conflict(workstation.context.uow(), conflict_id=conflict.id, keep="other")
    assert resident(workstation, rid).phone == "13800000001"
    assert list_conflicts(workstation.context.uow()) == []
    (closed,) = list_conflicts(workstation.context.uow(), include_resolved=True)
    assert closed.resolution == "other" and closed.resolved_at
    send(workstation, laptop, "w2")
    assert resident(laptop, rid).phone == "13800000001"
    assert synced_content(workstation) == synced_content(laptop)


def test_keeping_the_applied_value_closes_the_same_conflict_on_other_devices(three_devices: list[Device]) -> None:
    workstation, laptop, other = three_devices
    rid = shared_resident(workstation)
    edit_resident(laptop, rid, phone="13900000002")
    edit_resident(other, rid, phone="13700000003")  # later: wins
    send(laptop, workstation, "l1")
    send(other, laptop, "o1")  # the laptop learns its value lost: it records the conflict
    send(other, workstation, "o2")  # and so does the workstation
    assert len(list_conflicts(laptop.context.uow())) == 1
    (conflict,) = list_conflicts(workstation.context.uow())
    resolve_conflict(workstation.context.uow(), conflict_id=conflict.id, keep="kept")
    send(workstation, laptop, "w2")
    assert list_conflicts(laptop.context.uow()) == []
    (superseded,) = list_conflicts(laptop.context.uow(), include_resolved=True)
    assert superseded.resolution == "superseded" and resident(laptop, rid).phone == "13700000003"


def test_merging_a_duplicate_moves_the_records_and_deletes_the_other(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    mine = add_resident(workstation, name="孙玉兰", id_number="310104193805060021")
    theirs = add_resident(laptop, name="孙玉兰", id_number="310104193805060021")
    visit = add_visit(laptop, theirs)
    with laptop.context.uow() as uow:
        uow.session.add(
            Condition(resident_id=theirs, name="高血压", code="hypertension", diagnosed_on=date(2020, 1, 1))
        )
        uow.commit()
    send(laptop, workstation, "l1")
    (conflict,) = list_conflicts(workstation.context.uow())
    assert conflict.kind == "duplicate" and {conflict.kept_value, conflict.other_value} == {mine, theirs}
    assert conflict.kept_summary.startswith("孙玉兰 · 康宁养老院")
    result = merge_duplicate(workstation.context.uow(), conflict_id=conflict.id, keep_resident_id=mine)
    assert result.moved == {"condition": 1, "visit": 1}
    assert resident(workstation, theirs).deleted and not resident(workstation, mine).deleted
    with workstation.context.uow() as uow:
        assert uow.session.get(Visit, visit).resident_id == mine  # type: ignore[union-attr]
        assert len(uow.session.exec(select(Condition).where(Condition.resident_id == mine)).all()) == 1
    send(workstation, laptop, "w1")
    assert resident(laptop, theirs).deleted
    assert synced_content(workstation) == synced_content(laptop)
    assert list_conflicts(workstation.context.uow()) == []


def test_two_different_people_can_be_kept_apart(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    add_resident(workstation, name="孙玉兰", id_number="310104193805060021")
    add_resident(laptop, name="孙玉芬", id_number="310104193805060021")
    send(laptop, workstation, "l1")
    (conflict,) = list_conflicts(workstation.context.uow())
    dismiss_duplicate(workstation.context.uow(), conflict_id=conflict.id)
    assert list_conflicts(workstation.context.uow()) == []
    assert send(laptop, workstation, "l2").duplicates == 0


def test_a_nurse_may_not_resolve_conflicts(two_devices: list[Device]) -> None:
    workstation, laptop = two_devices
    make_conflict(workstation, laptop)
    with workstation.context.uow() as uow:
        nurse = create_staff(uow, name="陈立群", role=Role.NURSE, login="nurse9", password="secret-123")
        uow.commit()
        nurse_id = nurse.id
    (conflict,) = list_conflicts(workstation.context.uow())
    with pytest.raises(DomainError) as refused:
        resolve_conflict(
            UnitOfWork(workstation.context.database, actor_id=nurse_id), conflict_id=conflict.id, keep="kept"
        )
    assert refused.value.key == "permission.denied"
    with pytest.raises(DomainError) as gone:
        resolve_conflict(workstation.context.uow(), conflict_id="no-such-id", keep="kept")
    assert gone.value.key == "conflict.not_found"


@pytest.mark.parametrize("role", [Role.NURSE, Role.ASSISTANT], ids=lambda role: role.value)
def test_roles_without_the_right_may_not_choose_anything(two_devices: list[Device], role: Role) -> None:
    workstation, laptop = two_devices
    rid = make_conflict(workstation, laptop)
    first = add_resident(workstation, name="孙玉兰", id_number="310104193805060021")
    second = add_resident(laptop, name="孙玉兰", id_number="310104193805060021")
    send(laptop, workstation, "l2")
    with workstation.context.uow() as uow:
        staff = create_staff(uow, name="陈立群", role=role, login="staff9", password="secret-123")
        uow.commit()
        staff_id = staff.id
    conflicts = {c.kind: c for c in list_conflicts(workstation.context.uow())}
    as_staff = lambda: UnitOfWork(workstation.context.database, actor_id=staff_id)  # noqa: E731
    attempts = [
        lambda: resolve_conflict(as_staff(), conflict_id=conflicts["field"].id, keep="other"),
        lambda: merge_duplicate(as_staff(), conflict_id=conflicts["duplicate"].id, keep_resident_id=first),
        lambda: dismiss_duplicate(as_staff(), conflict_id=conflicts["duplicate"].id),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.key == "permission.denied"
    assert {c.kind for c in list_conflicts(workstation.context.uow())} == {"field", "duplicate"}
    assert resident(workstation, rid).phone == "13900000002"
    assert not resident(workstation, first).deleted and not resident(workstation, second).deleted
