"""A held round's sheet lists the conditions the resident had on that day; an upcoming round's, today's."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from app.bootstrap import AppContext
from app.services.printing import round_sheet
from app.services.records.sections import save_allergy, save_condition
from app.services.rounds.plan import plan_week
from app.store.sqlite import sqlite3

TODAY = date(2026, 11, 16)
HELD = date(2026, 11, 9)  # a round day of the week before
NOW = datetime(2026, 11, 16, 8, 30)


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=150, seed=4, today=TODAY)


@pytest.fixture
def ctx(demo_file: Path, template_copy: Callable[[Path], AppContext]) -> AppContext:
    return template_copy(demo_file)


def _clock(day: date) -> str:
    """Return a clock value (HLC) at noon UTC of ``day``: the same local day in any time zone of China's side."""
    wall = int(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc).timestamp() * 1000)
    return f"{wall:013d}-000000-test-device"


def _resolve(ctx: AppContext, resident_id: str, condition_id: str, name: str, diagnosed: date | None, on: date) -> None:
    """Mark a condition resolved through the record service, then date that change ``on`` (the service stamps
    the real clock, which a test cannot fix)."""
    save_condition(
        ctx.uow(),
        resident_id=resident_id,
        condition_id=condition_id,
        name=name,
        diagnosed_on=diagnosed,
        active=False,
        today=TODAY,
    )
    with sqlite3.connect(ctx.database.path) as connection:
        [(clocks,)] = connection.execute("SELECT field_clocks FROM condition WHERE id = ?", (condition_id,))
        stamps = json.loads(clocks)
        assert "active" in stamps  # the service stamps when "active" changed: the rule relies on it
        stamps["active"] = _clock(on)
        connection.execute("UPDATE condition SET field_clocks = ? WHERE id = ?", (json.dumps(stamps), condition_id))


def give_conditions(ctx: AppContext, resident_id: str) -> None:
    """Replace the resident's conditions and allergies with known ones around the round of ``HELD``."""
    with sqlite3.connect(ctx.database.path) as connection:
        connection.execute("UPDATE condition SET deleted = 1 WHERE resident_id = ?", (resident_id,))
        connection.execute("UPDATE allergy SET deleted = 1 WHERE resident_id = ?", (resident_id,))

    def add(name: str, diagnosed: date | None, active: bool = True) -> str:
        saved = save_condition(
            ctx.uow(), resident_id=resident_id, name=name, diagnosed_on=diagnosed, active=active, today=TODAY
        )
        assert saved.entry_id is not None
        return saved.entry_id

    add("甲病", date(2026, 11, 12))  # diagnosed after the round: not a problem that day
    add("乙病", None)  # no diagnosis date: counts as known
    add("丙病", date(2024, 3, 1))  # active all along
    _resolve(ctx, resident_id, add("丁病", date(2025, 6, 1)), "丁病", date(2025, 6, 1), date(2026, 11, 12))
    _resolve(ctx, resident_id, add("戊病", date(2025, 6, 1)), "戊病", date(2025, 6, 1), date(2026, 10, 1))
    _resolve(ctx, resident_id, add("己病", date(2025, 6, 1)), "己病", date(2025, 6, 1), HELD)  # resolved that day
    # entered already resolved: it ended no later than it was entered
    early, late = add("庚病", date(2020, 1, 1), active=False), add("辛病", date(2020, 1, 1), active=False)
    with sqlite3.connect(ctx.database.path) as connection:
        connection.execute("UPDATE condition SET created_at = '2026-10-01 04:00:00.000000' WHERE id = ?", (early,))
        connection.execute("UPDATE condition SET created_at = '2026-11-12 04:00:00.000000' WHERE id = ?", (late,))
    save_allergy(ctx.uow(), resident_id=resident_id, substance="青霉素")


HELD_PROBLEMS = ["乙病", "丙病", "丁病", "己病", "辛病"]  # as they were on the round's day
NOW_PROBLEMS = ["甲病", "乙病", "丙病"]  # active today


def _visited_at_held_round(ctx: AppContext) -> tuple[str, str, str, str]:
    """Return (round id, institution, resident id, resident name) of a resident seen at a round of ``HELD``."""
    with sqlite3.connect(ctx.database.path) as connection:
        row = connection.execute(
            "SELECT r.id, i.name, v.resident_id, p.name FROM round r JOIN institution i ON i.id = r.institution_id "
            "JOIN visit v ON v.round_id = r.id AND v.deleted = 0 JOIN resident p ON p.id = v.resident_id "
            "WHERE r.round_date = ? AND r.deleted = 0 ORDER BY p.name LIMIT 1",
            (HELD.isoformat(),),
        ).fetchone()
    assert row is not None
    return row


def _problems(problems: str) -> list[str]:
    return [name for name in ("甲病", "乙病", "丙病", "丁病", "戊病", "己病", "庚病", "辛病") if name in problems]


def test_a_held_rounds_sheet_lists_the_conditions_of_that_day(ctx: AppContext) -> None:
    round_id, _institution, resident_id, name = _visited_at_held_round(ctx)
    give_conditions(ctx, resident_id)
    sheet = round_sheet(ctx.uow(), round_id=round_id, today=TODAY, now=NOW)
    assert sheet.held
    [row] = [r for r in sheet.residents if r.name == name]
    assert _problems(row.problems) == HELD_PROBLEMS
    assert "青霉素" in row.problems  # allergies have no dates: as recorded now


def test_an_upcoming_rounds_sheet_keeps_todays_conditions(ctx: AppContext) -> None:
    planned = max(plan_week(ctx.uow(), week=TODAY, today=TODAY).rounds, key=lambda r: len(r.due))
    resident = planned.due[0]
    give_conditions(ctx, resident.resident_id)
    sheet = round_sheet(ctx.uow(), round_id=planned.id, today=TODAY, now=NOW)
    assert not sheet.held
    [row] = [r for r in sheet.residents if r.name == resident.name]
    assert _problems(row.problems) == NOW_PROBLEMS
