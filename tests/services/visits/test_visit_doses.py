"""Dose changes made at a visit reach the refill list (issue 18): app.services.visits.doses through record_visit.

The change day is the local day the change is saved (the audit trail's moment), so the visit is dated the day
the test runs: ``_today`` reads it from the clock, and each test checks the audit entry landed on that day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.errors import ValidationError
from app.domain.visits import VisitEntry
from app.services.authz import PermissionDenied
from app.services.homecare import refills
from app.services.homecare.supply import change_day
from app.services.visits.doses import DoseChange, long_term_medications, parse_dose_options
from app.services.visits.save import record_visit
from app.store.models import Medication, Resident, Staff, Visit

DEMO_DAY = date(2026, 11, 16)
SEEN = VisitEntry(outcome="seen", sbp=128, dbp=78, pulse=72, medication_changes="继续降压治疗")


@pytest.fixture
def center(demo_center: Callable[..., Path], engine_copy: Callable[[Path], AppContext]) -> AppContext:
    """The demo on each engine (the dose history is read from the audit trail on PostgreSQL too)."""
    context = engine_copy(demo_center(residents=60, seed=1, today=DEMO_DAY))
    context.actor_id = _staff(context, "doctor")
    return context


def _staff(context: AppContext, role: str) -> str:
    with context.uow() as uow:
        return uow.session.exec(select(Staff.id).where(Staff.role == role, Staff.active == True)).first()  # type: ignore[return-value]


def _today() -> date:
    return change_day(datetime.now(timezone.utc))


def _resident(context: AppContext) -> Resident:
    """A resident in residence who takes no medication yet."""
    with context.uow() as uow:
        taking = {row[0] for row in uow.fast_rows("SELECT resident_id FROM medication")}
        found = [
            resident
            for resident in uow.session.exec(
                select(Resident).where(Resident.status == "in_residence", Resident.deleted == False)
            ).all()
            if resident.id not in taking
        ]
        assert found
        return found[0]


def _medication(context: AppContext, resident_id: str, daily: int, *, start: date | None = None) -> str:
    with context.uow() as uow:
        medication = Medication(resident_id=resident_id, name="氨氯地平片", dose="5mg", start_date=start)
        uow.session.add(medication)
        uow.commit()
        medication_id = medication.id
    refills.set_supply(context.uow(), medication_id=medication_id, daily_quantity=Decimal(daily), unit="片")
    return medication_id


def _change_days(context: AppContext, medication_id: str) -> list[date]:
    with context.uow() as uow:
        sql = "SELECT at FROM auditentry WHERE entity_id = :m AND changes LIKE '%daily_quantity%' ORDER BY at"
        return [change_day(row[0]) for row in uow.fast_rows(sql, {"m": medication_id})]


def _listed(context: AppContext, resident: Resident, day: date) -> list[str]:
    assert resident.institution_id is not None
    found = refills.refill_list(context.uow(), institution_id=resident.institution_id, day=day)
    return [line.medication_id for line in found.lines]


def _row(context: AppContext, medication_id: str) -> Medication:
    with context.uow() as uow:
        row = uow.session.get(Medication, medication_id)
        assert row is not None
        uow.session.expunge(row)
        return row


def _visits(context: AppContext, resident_id: str) -> list[Visit]:
    """The resident's visits on the day the test runs (the demo's are earlier)."""
    with context.uow() as uow:
        query = select(Visit).where(Visit.resident_id == resident_id, Visit.visit_date == _today())
        return list(uow.session.exec(query).all())


def test_a_visit_that_stops_a_medication_takes_it_off_the_refill_list(center: AppContext) -> None:
    today = _today()
    resident = _resident(center)
    medication_id = _medication(center, resident.id, 1, start=today - timedelta(days=60))
    assert medication_id in _listed(center, resident, today)  # followed, never dispensed: listed
    assert [m.id for m in long_term_medications(center.uow(), resident_id=resident.id, day=today)] == [medication_id]

    saved = record_visit(
        center.uow(),
        resident_id=resident.id,
        visit_date=today,
        entry=SEEN,
        today=today,
        dose_changes=[DoseChange(medication_id, Decimal(0))],
    )
    assert _change_days(center, medication_id)[-1] == today
    assert medication_id not in _listed(center, resident, today)
    row = _row(center, medication_id)
    assert row.daily_quantity == 0 and row.stop_date == today - timedelta(days=1)  # as the record's editor does
    assert saved.checked.entry.medication_changes == "继续降压治疗\n停用 氨氯地平片 (原每日 1 片)"
    (visit,) = _visits(center, resident.id)
    assert visit.medication_changes == saved.checked.entry.medication_changes
    assert long_term_medications(center.uow(), resident_id=resident.id, day=today) == []


def test_a_dose_changed_at_a_visit_moves_the_run_out_day_from_the_visit_day(center: AppContext) -> None:
    today = _today()
    resident = _resident(center)
    medication_id = _medication(center, resident.id, 2)
    given = today - timedelta(days=10)
    refills.record_dispense(center.uow(), medication_id=medication_id, quantity=40, dispensed_on=given, today=today)

    def runs_out() -> date | None:
        lines = refills.supply_of(center.uow(), resident_id=resident.id, today=today)
        (line,) = [line for line in lines if line.medication_id == medication_id]
        return line.runs_out

    assert runs_out() == today + timedelta(days=10)  # 20 left at 2 a day
    saved = record_visit(
        center.uow(),
        resident_id=resident.id,
        visit_date=today,
        entry=replace(SEEN, medication_changes=""),
        today=today,
        dose_changes=[DoseChange(medication_id, Decimal(1))],
    )
    assert _change_days(center, medication_id)[-1] == today
    assert runs_out() == today + timedelta(days=20)  # 20 left at 1 a day from the visit
    assert saved.checked.entry.medication_changes == "氨氯地平片 每日用量 2 → 1 片"
    assert _row(center, medication_id).stop_date is None


@pytest.mark.parametrize("refusal", ["vital sign", "nurse", "stop before taken"])
def test_a_refused_visit_changes_no_medication(center: AppContext, refusal: str) -> None:
    today = _today()
    resident = _resident(center)
    medication_id = _medication(center, resident.id, 2)
    other_id = _medication(center, resident.id, 1, start=today)  # starts today: 0 is refused for it
    before = (_change_days(center, medication_id), _row(center, medication_id).daily_quantity)
    entry = SEEN
    changes = [DoseChange(medication_id, Decimal(0)), DoseChange(other_id, Decimal(3))]
    expected: type[Exception] = ValidationError
    if refusal == "vital sign":
        entry = replace(SEEN, sbp=999)
    elif refusal == "nurse":
        center.actor_id = _staff(center, "nurse")  # doctors change doses
        expected = PermissionDenied
    else:
        changes = [DoseChange(medication_id, Decimal(1)), DoseChange(other_id, Decimal(0))]
    with pytest.raises(expected):
        record_visit(
            center.uow(), resident_id=resident.id, visit_date=today, entry=entry, today=today, dose_changes=changes
        )
    assert (_change_days(center, medication_id), _row(center, medication_id).daily_quantity) == before
    assert _row(center, medication_id).stop_date is None and _row(center, other_id).daily_quantity == 1
    assert _visits(center, resident.id) == []
    assert medication_id in _listed(center, resident, today)


def test_a_medication_not_of_the_resident_or_given_twice_is_refused(center: AppContext) -> None:
    today = _today()
    resident = _resident(center)
    medication_id = _medication(center, resident.id, 2)
    for changes in (
        [DoseChange("no-such-medication", Decimal(1))],
        [DoseChange(medication_id, Decimal(1)), DoseChange(medication_id, Decimal(0))],
        [DoseChange(medication_id, Decimal(-1))],
    ):
        with pytest.raises(ValidationError):
            record_visit(
                center.uow(), resident_id=resident.id, visit_date=today, entry=SEEN, today=today, dose_changes=changes
            )
    assert _visits(center, resident.id) == []


def test_command_line_options_name_the_medication_and_the_quantity(center: AppContext) -> None:
    today = _today()
    resident = _resident(center)
    medication_id = _medication(center, resident.id, 2)
    uow = center.uow()
    assert parse_dose_options(uow, resident_id=resident.id, options=["氨氯地平=0"], day=today) == [
        DoseChange(medication_id, Decimal(0))
    ]
    bad = (("阿司匹林=1", "medication"), ("氨氯地平=-1", "daily_quantity"), ("氨氯地平=两片", "daily_quantity"))
    for option, field in (*bad, ("氨氯地平", "medication")):
        with pytest.raises(ValidationError) as raised:
            parse_dose_options(uow, resident_id=resident.id, options=[option], day=today)
        assert raised.value.field == field
