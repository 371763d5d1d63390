"""Family sickbeds and proxy refills through the services: rules, permissions, the resident's flag, lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.errors import ValidationError
from app.services.authz import PermissionDenied
from app.services.editing import NotFound
from app.services.homecare import beds, refills
from app.services.homecare.beds import BedRefused, OrderInput
from app.services.homecare.refills import RefillRefused
from app.store.models import Medication, Resident, Staff

TODAY = date(2026, 11, 16)  # the demo's day, a Monday


@pytest.fixture
def center(demo_center: Callable[..., Path], template_copy: Callable[[Path], AppContext]) -> AppContext:
    return template_copy(demo_center(residents=60, seed=1, today=TODAY))


@pytest.fixture
def engine_center(demo_center: Callable[..., Path], engine_copy: Callable[[Path], AppContext]) -> AppContext:
    """:func:`center` on each engine (the audit-trail history of a daily quantity is read on PostgreSQL too)."""
    return engine_copy(demo_center(residents=60, seed=1, today=TODAY))


def _staff(context: AppContext, role: str) -> str:
    with context.uow() as uow:
        return uow.session.exec(select(Staff.id).where(Staff.role == role, Staff.active == True)).first()  # type: ignore[return-value]


def _as(context: AppContext, role: str) -> AppContext:
    context.actor_id = _staff(context, role)
    return context


def _resident(context: AppContext, *, family_bed: bool = False) -> Resident:
    """A resident in residence who never had a bed (the demo gives some residents beds)."""
    with context.uow() as uow:
        with_beds = {row[0] for row in uow.fast_rows("SELECT resident_id FROM family_bed")}
        found = [
            resident
            for resident in uow.session.exec(
                select(Resident).where(
                    Resident.status == "in_residence", Resident.deleted == False, Resident.family_bed == family_bed
                )
            ).all()
            if resident.id not in with_beds
        ]
        assert found
        return found[0]


def _open(context: AppContext, resident_id: str, **extra: object) -> str:
    values: dict[str, object] = {
        "resident_id": resident_id,
        "indication": "骶尾部压疮 II 期",
        "opened_on": TODAY - timedelta(days=10),
        "today": TODAY,
        "care_plan": "每 2 日换药，每周查床",
        "orders": [OrderInput("dressing", 2, TODAY - timedelta(days=10), detail="碘伏消毒，无菌敷料")],
    }
    values.update(extra)
    return beds.open_bed(context.uow(), **values)  # type: ignore[arg-type]


def test_a_doctor_opens_a_bed_and_the_resident_is_flagged(center: AppContext) -> None:
    _as(center, "doctor")
    resident = _resident(center)
    bed_id = _open(center, resident.id)
    with center.uow() as uow:
        flagged = uow.session.get(Resident, resident.id)
        assert flagged is not None and flagged.family_bed and flagged.family_bed_start == TODAY - timedelta(days=10)
    (view,) = beds.list_beds(center.uow(), today=TODAY, resident_id=resident.id)
    assert view.id == bed_id and view.bed_days == 10 and view.checks_missed == 1  # days 0-6 had no check
    assert [o.order.kind.value for o in view.orders] == ["dressing"]
    assert view.orders_due(TODAY - timedelta(days=10)) and not view.orders_due(TODAY - timedelta(days=9))
    assert beds.bed_of_resident(center.uow(), resident_id=resident.id, today=TODAY) == view


def test_one_open_bed_per_resident(center: AppContext) -> None:
    _as(center, "doctor")
    resident = _resident(center)
    _open(center, resident.id)
    with pytest.raises(BedRefused, match="已有一张未撤的家庭病床"):
        _open(center, resident.id)


def test_a_nurse_checks_but_may_not_open_or_close(center: AppContext) -> None:
    _as(center, "doctor")
    resident = _resident(center)
    bed_id = _open(center, resident.id)
    (view,) = beds.list_beds(center.uow(), today=TODAY, resident_id=resident.id)
    _as(center, "nurse")
    with pytest.raises(PermissionDenied):
        _open(center, _resident(center).id)
    beds.check_bed(
        center.uow(), bed_id=bed_id, checked_on=TODAY, today=TODAY, findings="创面缩小", orders_done=[view.orders[0].id]
    )
    with pytest.raises(PermissionDenied):
        beds.close_bed(center.uow(), bed_id=bed_id, closed_on=TODAY, today=TODAY, reason="recovered", summary="愈合")
    (checked,) = beds.list_beds(center.uow(), today=TODAY, resident_id=resident.id)
    assert checked.last_check == TODAY and checked.checks[0].orders_done == (view.orders[0].id,)
    assert checked.next_check_due == TODAY + timedelta(days=7)


def test_an_assistant_may_not_check_a_bed(center: AppContext) -> None:
    _as(center, "doctor")
    bed_id = _open(center, _resident(center).id)
    _as(center, "assistant")
    with pytest.raises(PermissionDenied):
        beds.check_bed(center.uow(), bed_id=bed_id, checked_on=TODAY, today=TODAY, findings="好")


def test_a_check_refuses_a_day_before_opening_or_after_today_and_an_order_of_another_bed(center: AppContext) -> None:
    _as(center, "doctor")
    bed_id = _open(center, _resident(center).id)
    for day, field in ((TODAY - timedelta(days=11), "bed_checked_on"), (TODAY + timedelta(days=1), "bed_checked_on")):
        with pytest.raises(ValidationError) as raised:
            beds.check_bed(center.uow(), bed_id=bed_id, checked_on=day, today=TODAY, findings="好")
        assert raised.value.field == field
    with pytest.raises(ValidationError):
        beds.check_bed(center.uow(), bed_id=bed_id, checked_on=TODAY, today=TODAY, findings="好", orders_done=["x"])
    with pytest.raises(ValidationError):
        beds.check_bed(center.uow(), bed_id=bed_id, checked_on=TODAY, today=TODAY, findings="  ")


def test_closing_ends_the_flag_and_the_bed_takes_no_more_checks(center: AppContext) -> None:
    _as(center, "doctor")
    resident = _resident(center)
    bed_id = _open(center, resident.id)
    with pytest.raises(ValidationError) as raised:
        beds.close_bed(center.uow(), bed_id=bed_id, closed_on=TODAY, today=TODAY, reason="bored", summary="x")
    assert raised.value.field == "bed_close_reason"
    beds.close_bed(center.uow(), bed_id=bed_id, closed_on=TODAY, today=TODAY, reason="recovered", summary="创面愈合")
    with center.uow() as uow:
        closed = uow.session.get(Resident, resident.id)
        assert closed is not None and not closed.family_bed and closed.family_bed_end == TODAY
    with pytest.raises(BedRefused, match="撤床"):
        beds.check_bed(center.uow(), bed_id=bed_id, checked_on=TODAY, today=TODAY, findings="好")
    assert beds.list_beds(center.uow(), today=TODAY, resident_id=resident.id) == []
    (closed_view,) = beds.list_beds(
        center.uow(), today=TODAY + timedelta(days=30), resident_id=resident.id, open_only=False
    )
    assert closed_view.bed_days == 10 and closed_view.next_check_due is None and closed_view.orders_due(TODAY) == []
    _open(center, resident.id, opened_on=TODAY)  # a new bed after the old one closed


def test_an_unknown_bed_is_not_found(center: AppContext) -> None:
    _as(center, "doctor")
    with pytest.raises(NotFound):
        beds.check_bed(center.uow(), bed_id="nope", checked_on=TODAY, today=TODAY, findings="好")


def _medication(context: AppContext, resident_id: str, name: str = "氨氯地平片") -> str:
    with context.uow() as uow:
        medication = Medication(resident_id=resident_id, name=name, dose="5mg", frequency="qd")
        uow.session.add(medication)
        uow.commit()
        return medication.id


def test_a_refill_moves_the_run_out_day_and_leaves_the_list(center: AppContext) -> None:
    _as(center, "nurse")
    resident = _resident(center)
    medication_id = _medication(center, resident.id)
    with pytest.raises(RefillRefused, match="每日用量"):
        refills.record_dispense(center.uow(), medication_id=medication_id, quantity=28, dispensed_on=TODAY, today=TODAY)
    refills.set_supply(center.uow(), medication_id=medication_id, daily_quantity=Decimal(1), unit="片")
    institution_id = resident.institution_id
    assert institution_id is not None
    listed = refills.refill_list(center.uow(), institution_id=institution_id, day=TODAY)
    assert medication_id in [line.medication_id for line in listed.lines]  # never dispensed: listed
    assert listed.next_round > TODAY
    runs_out = refills.record_dispense(
        center.uow(), medication_id=medication_id, quantity=28, dispensed_on=TODAY, today=TODAY, collected_by="王阿姨"
    )
    assert runs_out == TODAY + timedelta(days=28)
    assert medication_id not in [
        line.medication_id for line in refills.refill_list(center.uow(), institution_id=institution_id, day=TODAY).lines
    ]
    late = refills.refill_list(center.uow(), institution_id=institution_id, day=TODAY + timedelta(days=27))
    (line,) = [line for line in late.lines if line.medication_id == medication_id]
    assert line.runs_out == TODAY + timedelta(days=28) and line.quantity == 28 and line.unit == "片"
    (supply,) = [
        s
        for s in refills.supply_of(center.uow(), resident_id=resident.id, today=TODAY + timedelta(days=28))
        if s.medication_id == medication_id
    ]
    assert supply.ran_out


def test_refills_are_refused_for_an_assistant_a_future_day_or_a_stopped_medication(center: AppContext) -> None:
    _as(center, "nurse")
    resident = _resident(center)
    medication_id = _medication(center, resident.id)
    refills.set_supply(center.uow(), medication_id=medication_id, daily_quantity=Decimal(2), unit="粒")
    with pytest.raises(ValidationError):
        refills.record_dispense(
            center.uow(), medication_id=medication_id, quantity=5, dispensed_on=TODAY + timedelta(days=1), today=TODAY
        )
    with pytest.raises(ValidationError):
        refills.record_dispense(center.uow(), medication_id=medication_id, quantity=0, dispensed_on=TODAY, today=TODAY)
    with center.uow() as uow:
        row = uow.session.get(Medication, medication_id)
        assert row is not None
        row.stop_date = TODAY - timedelta(days=1)
        uow.session.add(row)
        uow.commit()
    with pytest.raises(RefillRefused, match="停用"):
        refills.record_dispense(center.uow(), medication_id=medication_id, quantity=5, dispensed_on=TODAY, today=TODAY)
    assert resident.institution_id is not None
    assert medication_id not in [
        line.medication_id
        for line in refills.refill_list(center.uow(), institution_id=resident.institution_id, day=TODAY).lines
    ]
    _as(center, "assistant")
    with pytest.raises(PermissionDenied):
        refills.set_supply(center.uow(), medication_id=medication_id, daily_quantity=Decimal(1))


def test_a_medication_is_found_by_name_exactly_or_by_a_unique_part(center: AppContext) -> None:
    resident = _resident(center)
    first = _medication(center, resident.id, "二甲双胍缓释片")
    second = _medication(center, resident.id, "二甲双胍片")
    assert refills.find_medication(center.uow(), resident_id=resident.id, name="二甲双胍片") == second
    assert refills.find_medication(center.uow(), resident_id=resident.id, name="缓释") == first
    with pytest.raises(RefillRefused, match="多种"):
        refills.find_medication(center.uow(), resident_id=resident.id, name="二甲双胍")
    with pytest.raises(RefillRefused, match="没有名为"):
        refills.find_medication(center.uow(), resident_id=resident.id, name="并无此药")


def test_the_record_s_flag_cannot_be_cleared_while_a_bed_is_open(center: AppContext) -> None:
    from app.services.records.sections import save_flags

    _as(center, "doctor")
    resident = _resident(center)
    _open(center, resident.id)
    flags = {"hospice": False, "ltc_insurance": False, "care_level": None, "today": TODAY}
    opened = TODAY - timedelta(days=10)
    with pytest.raises(ValidationError) as raised:
        save_flags(
            center.uow(), resident_id=resident.id, family_bed=False, family_bed_start=None, family_bed_end=None, **flags
        )  # type: ignore[arg-type]
    assert raised.value.field == "family_bed" and "家庭病床" in str(raised.value)
    with pytest.raises(ValidationError):
        save_flags(
            center.uow(),
            resident_id=resident.id,
            family_bed=True,
            family_bed_start=opened,
            family_bed_end=TODAY,
            **flags,
        )  # type: ignore[arg-type]
    # the other flags still save while the bed is open
    saved = save_flags(
        center.uow(),
        resident_id=resident.id,
        family_bed=True,
        family_bed_start=opened,
        family_bed_end=None,
        **{**flags, "hospice": True},
    )  # type: ignore[arg-type]
    assert "hospice" in saved.changed and "family_bed" not in saved.changed


def test_a_new_bed_may_not_open_before_the_previous_one_closed(center: AppContext) -> None:
    # was accepted: the two beds overlapped and their bed-days were counted twice
    _as(center, "doctor")
    resident = _resident(center)
    bed_id = _open(center, resident.id, opened_on=TODAY - timedelta(days=15), orders=[])
    closed_on = TODAY - timedelta(days=6)
    beds.close_bed(center.uow(), bed_id=bed_id, closed_on=closed_on, today=TODAY, reason="recovered", summary="愈合")
    with pytest.raises(ValidationError) as raised:
        _open(center, resident.id, opened_on=closed_on - timedelta(days=1), orders=[])
    assert raised.value.field == "bed_opened_on" and closed_on.isoformat() in str(raised.value)
    with center.uow() as uow:
        flagged = uow.session.get(Resident, resident.id)
        assert flagged is not None and not flagged.family_bed  # nothing written
    _open(center, resident.id, opened_on=closed_on, orders=[])  # the closing day is not a bed-day: may reopen


def test_a_refused_dispensing_leaves_the_daily_quantity_unchanged(center: AppContext) -> None:
    # refill record --daily 3 --quantity 0 set the daily quantity, then refused the dispensing (half-written)
    _as(center, "nurse")
    resident = _resident(center)
    medication_id = _medication(center, resident.id)
    with pytest.raises(ValidationError):
        refills.record_dispense(
            center.uow(),
            medication_id=medication_id,
            quantity=0,
            dispensed_on=TODAY,
            today=TODAY,
            daily_quantity=Decimal(3),
            unit="粒",
        )
    with pytest.raises(RefillRefused):  # stopped before the day: refused after the quantity was checked
        with center.uow() as uow:
            stopped = uow.session.get(Medication, medication_id)
            assert stopped is not None
            stopped.stop_date = TODAY - timedelta(days=2)
            uow.session.add(stopped)
            uow.commit()
        refills.record_dispense(
            center.uow(),
            medication_id=medication_id,
            quantity=6,
            dispensed_on=TODAY,
            today=TODAY,
            daily_quantity=Decimal(3),
            unit="粒",
        )
    with center.uow() as uow:
        medication = uow.session.get(Medication, medication_id)
        assert medication is not None and medication.daily_quantity is None and medication.unit != "粒"


def test_a_resident_who_dies_has_the_bed_closed_and_no_refill_after(center: AppContext) -> None:
    # the bed stayed open after the death (bed-days and missed weeks ran on, reports counted them), and a
    # refill dated after the death was recorded
    from app.domain.residents import ResidentStatus
    from app.services.records.residence import change_status

    _as(center, "doctor")
    resident = _resident(center)
    bed_id = _open(center, resident.id, opened_on=TODAY - timedelta(days=20), orders=[])
    medication_id = _medication(center, resident.id)
    refills.set_supply(center.uow(), medication_id=medication_id, daily_quantity=Decimal(1), unit="片")
    died = TODAY - timedelta(days=5)
    change_status(center.uow(), resident_id=resident.id, status=ResidentStatus.DECEASED, on_date=died, today=TODAY)
    (closed,) = beds.list_beds(center.uow(), today=TODAY, resident_id=resident.id, open_only=False)
    assert closed.id == bed_id and closed.closed_on == died and closed.close_reason == "died"
    assert closed.bed_days == 15 and beds.list_beds(center.uow(), today=TODAY, resident_id=resident.id) == []
    _as(center, "nurse")
    with pytest.raises(RefillRefused, match=died.isoformat()):
        refills.record_dispense(center.uow(), medication_id=medication_id, quantity=28, dispensed_on=died, today=TODAY)
    assert (
        refills.record_dispense(  # the day before is still allowed (recorded late)
            center.uow(), medication_id=medication_id, quantity=28, dispensed_on=died - timedelta(days=1), today=TODAY
        )
        is not None
    )


def test_a_bed_may_not_close_before_its_last_check(center: AppContext) -> None:
    # was accepted: the bed closed on the 10th with a check on the 12th, the list showing both
    _as(center, "doctor")
    resident = _resident(center)
    bed_id = _open(center, resident.id, opened_on=TODAY - timedelta(days=15), orders=[])
    checked = TODAY - timedelta(days=4)
    beds.check_bed(center.uow(), bed_id=bed_id, checked_on=checked, today=TODAY, findings="好")
    with pytest.raises(ValidationError) as raised:
        beds.close_bed(
            center.uow(),
            bed_id=bed_id,
            closed_on=checked - timedelta(days=1),
            today=TODAY,
            reason="recovered",
            summary="愈合",
        )
    assert raised.value.field == "bed_closed_on" and checked.isoformat() in str(raised.value)
    beds.close_bed(center.uow(), bed_id=bed_id, closed_on=checked, today=TODAY, reason="recovered", summary="愈合")


def test_opening_and_closing_a_bed_update_the_triage_suggestion(center: AppContext) -> None:
    from app.services.triage import refresh_suggestions

    _as(center, "doctor")
    with center.uow() as uow:
        resident = uow.session.exec(
            select(Resident).where(
                Resident.status == "in_residence", Resident.deleted == False, Resident.suggested_colour != "red"
            )
        ).first()
        assert resident is not None
    bed_id = _open(center, resident.id)
    with center.uow() as uow:
        assert uow.session.get(Resident, resident.id).suggested_colour == "red"  # type: ignore[union-attr]
    beds.close_bed(center.uow(), bed_id=bed_id, closed_on=TODAY, today=TODAY, reason="recovered", summary="愈合")
    assert refresh_suggestions(center.uow(), today=TODAY, resident_ids=[resident.id]).changed == 0  # stored is current


def test_the_printed_list_of_all_beds_has_the_closed_ones_with_their_closing_day(
    center: AppContext, tmp_path: Path
) -> None:
    """``bed list --all --out`` printed the open beds only (issue 18): the closed ones are printed too."""
    import subprocess

    _as(center, "doctor")
    resident = _resident(center)
    bed_id = _open(center, resident.id)
    beds.close_bed(center.uow(), bed_id=bed_id, closed_on=TODAY, today=TODAY, reason="recovered", summary="创面愈合")
    out = tmp_path / "beds.pdf"
    printed = beds.print_beds_list(center.uow(), out=out, today=TODAY, open_only=False)
    every = beds.list_beds(center.uow(), today=TODAY, open_only=False)
    assert printed.residents == len(every) > len(beds.list_beds(center.uow(), today=TODAY))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert resident.name in text and "撤床" in text and TODAY.isoformat() in text
    opened_only = beds.print_beds_list(center.uow(), out=tmp_path / "open.pdf", today=TODAY)
    assert opened_only.residents == len(beds.list_beds(center.uow(), today=TODAY))


def test_a_dose_changed_in_the_record_moves_the_run_out_day_from_the_change_day(engine_center: AppContext) -> None:
    """A dose change made in the record kept the old daily quantity (issue 18): the run-out day follows the new
    one from the day the change is saved (the audit trail's day), counting the units left that day."""
    from app.services.homecare.supply import change_day
    from app.services.records.load import load_record, save_medication

    _as(engine_center, "doctor")
    resident = _resident(engine_center)
    medication_id = _medication(engine_center, resident.id)
    refills.set_supply(engine_center.uow(), medication_id=medication_id, daily_quantity=Decimal(2), unit="片")
    values = {"resident_id": resident.id, "medication_id": medication_id, "name": "氨氯地平片"}
    save_medication(engine_center.uow(), **values, dose="2.5mg", frequency="qd", daily_quantity=Decimal(1))  # type: ignore[arg-type]
    with engine_center.uow() as uow:  # the change's day: the local day it was saved (whenever the test runs)
        sql = "SELECT at FROM auditentry WHERE entity_id = :m AND changes LIKE '%daily_quantity%' ORDER BY at"
        today = change_day(uow.fast_rows(sql, {"m": medication_id})[-1][0])
    values["today"] = today

    def supply() -> list[refills.SupplyLine]:
        lines = refills.supply_of(engine_center.uow(), resident_id=resident.id, today=today)
        return [line for line in lines if line.medication_id == medication_id]

    # dispensed 10 days before the change: 2 a day until then, 20 left on the change day, at 1 a day
    given = today - timedelta(days=10)
    uow = engine_center.uow()
    refills.record_dispense(uow, medication_id=medication_id, quantity=40, dispensed_on=given, today=today)
    (after,) = supply()
    assert after.daily_quantity == 1 and after.runs_out == today + timedelta(days=20)  # was today + 30
    assert after.last_dispensed == today - timedelta(days=10)

    save_medication(engine_center.uow(), **values, dose="2.5mg", daily_quantity=None)  # type: ignore[arg-type]
    assert supply() == []  # not followed any more
    save_medication(engine_center.uow(), **values, dose="2.5mg", daily_quantity=Decimal(1))  # type: ignore[arg-type]
    save_medication(engine_center.uow(), **values, dose="2.5mg", frequency="qd")  # type: ignore[arg-type]  # kept
    (kept,) = supply()
    assert kept.daily_quantity == 1 and kept.runs_out == today + timedelta(days=20)

    save_medication(engine_center.uow(), **values, dose="2.5mg", daily_quantity=Decimal(0))  # type: ignore[arg-type]
    listed = load_record(engine_center.uow(), resident_id=resident.id).medications
    (medication,) = [m for m in listed if m.id == medication_id]
    assert medication.stop_date == today - timedelta(days=1) and medication.daily_quantity == 0
    assert supply() == []  # stopped: off the list
    institution_id = resident.institution_id
    assert institution_id is not None
    listed = refills.refill_list(engine_center.uow(), institution_id=institution_id, day=today)
    assert medication_id not in [line.medication_id for line in listed.lines]


def test_quantity_0_for_a_medication_starting_today_is_refused(center: AppContext) -> None:
    from app.services.records.load import save_medication

    _as(center, "doctor")
    resident = _resident(center)
    with pytest.raises(ValidationError) as raised:
        save_medication(
            center.uow(),
            resident_id=resident.id,
            name="阿司匹林",
            start_date=TODAY,
            daily_quantity=Decimal(0),
            today=TODAY,
        )
    assert raised.value.field == "daily_quantity"
