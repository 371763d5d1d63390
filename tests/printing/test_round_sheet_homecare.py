"""The round sheet prints the family-bed orders due that day and the medications run out (issue 18)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from app.bootstrap import AppContext
from app.services.homecare import beds, refills
from app.services.homecare.beds import OrderInput
from app.services.printing import print_round_sheet, round_sheet
from app.services.rounds.plan import plan_week
from app.store.models import Medication, Staff

TODAY = date(2026, 11, 16)
NOW = datetime(2026, 11, 16, 8, 30)


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=200, seed=5, today=TODAY)


@pytest.fixture
def ctx(demo_file: Path, engine_copy: Callable[[Path], AppContext]) -> AppContext:
    """The demo on each engine: the new queries run on PostgreSQL too."""
    return engine_copy(demo_file)


def _as(context: AppContext, role: str) -> None:
    with context.uow() as uow:
        context.actor_id = uow.session.exec(select(Staff.id).where(Staff.role == role, Staff.active == True)).first()


def _medication(context: AppContext, resident_id: str, name: str) -> str:
    with context.uow() as uow:
        medication = Medication(resident_id=resident_id, name=name, dose="5mg", frequency="qd", daily_quantity=1.0)
        uow.session.add(medication)
        uow.commit()
        return medication.id


def test_the_sheet_prints_the_orders_due_that_day_and_flags_a_medication_run_out(
    ctx: AppContext, tmp_path: Path
) -> None:
    planned = max(plan_week(ctx.uow(), week=TODAY, today=TODAY).rounds, key=lambda r: len(r.due))
    day = planned.day
    with ctx.uow() as uow:
        bedded = {row[0] for row in uow.fast_rows("SELECT resident_id FROM family_bed")}
        medicated = {row[0] for row in uow.fast_rows("SELECT resident_id FROM medication WHERE daily_quantity > 0")}
    resident = next(r for r in planned.due if r.resident_id not in bedded | medicated)
    _as(ctx, "doctor")
    beds.open_bed(
        ctx.uow(),
        resident_id=resident.resident_id,
        indication="骶尾部压疮",
        opened_on=TODAY - timedelta(days=10),
        today=TODAY,
        orders=[
            OrderInput("dressing", 2, day - timedelta(days=4)),  # due: the round is its 3rd due day
            OrderInput("catheter", 28, day - timedelta(days=3)),  # not due that day
            OrderInput("infusion", 1, day - timedelta(days=9), stop=day - timedelta(days=1)),  # stopped the day before
            OrderInput("blood_draw", 1, day + timedelta(days=1)),  # starts the day after
            OrderInput("observation", 1, day, stop=day),  # its only day
        ],
    )
    _as(ctx, "nurse")
    gone = _medication(ctx, resident.resident_id, "氨氯地平片")
    kept = _medication(ctx, resident.resident_id, "二甲双胍片")
    _medication(ctx, resident.resident_id, "阿司匹林肠溶片")  # never dispensed: on the refill list, not flagged here
    given = TODAY - timedelta(days=10)
    refills.record_dispense(ctx.uow(), medication_id=gone, quantity=5, dispensed_on=given, today=TODAY)
    refills.record_dispense(ctx.uow(), medication_id=kept, quantity=60, dispensed_on=given, today=TODAY)

    sheet = round_sheet(ctx.uow(), round_id=planned.id, today=TODAY, now=NOW)
    (row,) = [r for r in sheet.residents if r.name == resident.name]
    ran_out_on = TODAY - timedelta(days=5)  # 5 units at 1 a day from the 10th day before
    assert row.homecare == (f"家床医嘱：□换药、□病情观察\n已断药：氨氯地平片（{ran_out_on.isoformat()} 起）"), (
        row.homecare
    )
    others = [r for r in sheet.residents if r.name != resident.name and r.homecare]
    assert all("家床医嘱" in r.homecare or "已断药" in r.homecare for r in others)

    printed = print_round_sheet(ctx.uow(), round_id=planned.id, out=tmp_path / "r.pdf", today=TODAY, now=NOW)
    text = "".join(subprocess.run(["pdftotext", str(printed.path), "-"], capture_output=True, text=True).stdout.split())
    assert "家床医嘱：□换药、□病情观察" in text and f"已断药：氨氯地平片（{ran_out_on.isoformat()}起）" in text


def test_a_resident_without_a_bed_or_a_run_out_medication_prints_nothing_more(ctx: AppContext) -> None:
    planned = max(plan_week(ctx.uow(), week=TODAY, today=TODAY).rounds, key=lambda r: len(r.due))
    sheet = round_sheet(ctx.uow(), round_id=planned.id, today=TODAY, now=NOW)
    with ctx.uow() as uow:
        sql = "SELECT r.name FROM family_bed f JOIN resident r ON r.id = f.resident_id"
        bedded = {row[0] for row in uow.fast_rows(sql)}
    plain = [r for r in sheet.residents if r.name not in bedded]
    assert plain and any(not r.homecare for r in plain)
