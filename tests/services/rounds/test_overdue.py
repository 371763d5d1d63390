"""Round services: the overdue list (the past only), per institution, and the dashboard's count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rounds_world import (
    TODAY,
    acting,
    all_rounds,
    overdue_list,
)
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.domain.follow_up import ChronicClass
from app.domain.scheduling import (
    DueFacts,
    DueKind,
    overdue_on,
)
from app.services.dashboard import dashboard_figures
from app.services.rounds.plan import (
    add_round,
    cancel_round,
    generate_rounds,
    move_round,
    overdue_by_colour,
    overdue_residents,
    plan_week,
)
from app.store.models import (
    Resident,
    Visit,
)


def test_overdue_residents_match_a_resident_by_resident_check(ctx: AppContext) -> None:
    today = TODAY + timedelta(days=1)
    found = overdue_residents(ctx.uow(), today=today)
    assert found and all(r.days > 0 for r in found)
    assert [r.days for r in found] == sorted((r.days for r in found), reverse=True)
    by_id = {r.resident_id: r for r in found}
    rounds: dict[str, list[date]] = {}
    for r in all_rounds(ctx):
        if r.status != "cancelled":
            rounds.setdefault(r.institution_id, []).append(r.round_date)
    with ctx.uow() as uow:
        people = uow.session.exec(select(Resident).where(Resident.status == "in_residence")).all()
        checked = 0
        for resident in people[:120]:
            seen = uow.fast_rows(
                "SELECT MAX(visit_date) FROM visit WHERE resident_id = :r AND outcome = 'seen'", {"r": resident.id}
            )[0][0]
            check = uow.fast_rows(
                "SELECT MAX(assessed_on) FROM assessment WHERE resident_id = :r AND kind = 'annual_check'",
                {"r": resident.id},
            )[0][0]
            chronic = uow.fast_rows(
                "SELECT COUNT(*) FROM condition WHERE resident_id = :r AND code IN ('hypertension', 'diabetes_t2')",
                {"r": resident.id},
            )[0][0]
            follow_up = uow.fast_rows(
                "SELECT MAX(visit_date) FROM visit WHERE resident_id = :r AND chronic_class != ''", {"r": resident.id}
            )[0][0]
            classes = uow.fast_rows(
                "SELECT chronic_class FROM visit WHERE resident_id = :r AND chronic_class != '' AND visit_date = :d",
                {"r": resident.id, "d": follow_up},
            )
            worst = max((ChronicClass(row[0]) for row in classes), key=lambda c: c.severity, default=None)
            facts = DueFacts(
                TriageColour(resident.colour),
                resident.birth_date,
                date.fromisoformat(seen) if seen else None,
                resident.admission_date or resident.signed_on,
                date.fromisoformat(check) if check else None,
                bool(chronic),
                date.fromisoformat(follow_up) if follow_up else None,
                worst.value if worst else "",  # not controlled or worse: a 2-week recheck (issue #16)
            )
            expected = overdue_on(facts, sorted(rounds.get(resident.institution_id, [])), today)
            got = by_id.get(resident.id)
            assert (got.overdue if got else None) == expected, resident.name
            checked += expected is not None
    assert checked > 0


def test_the_dashboard_counts_the_same_overdue_residents(ctx: AppContext) -> None:
    found = overdue_residents(ctx.uow(), today=TODAY)
    figures = dashboard_figures(ctx.uow(), today=TODAY)
    assert figures.overdue == len(found) > 0
    assert figures.overdue_by_colour == {c: sum(r.colour is c for r in found) for c in TriageColour}
    with ctx.uow() as uow:
        assert overdue_by_colour(uow, today=TODAY) == figures.overdue_by_colour


def test_overdue_for_one_institution_has_phone_and_reasons(ctx: AppContext) -> None:
    found = overdue_residents(ctx.uow(), today=TODAY + timedelta(days=3))
    institution = found[0].institution_id
    only = overdue_residents(ctx.uow(), today=TODAY + timedelta(days=3), institution_id=institution)
    assert [r.resident_id for r in only] == [r.resident_id for r in found if r.institution_id == institution]
    assert all(r.overdue.reasons and r.phone for r in only)


@pytest.mark.parametrize("today", [TODAY - timedelta(days=1), TODAY + timedelta(days=2)], ids=["sunday", "wednesday"])
def test_planning_moving_adding_or_cancelling_rounds_to_come_never_changes_the_overdue_list(
    ctx: AppContext, today: date
) -> None:
    assert TODAY.weekday() == 0 and (TODAY - timedelta(days=1)).weekday() == 6
    before = overdue_list(ctx, today)
    assert before
    figures = dashboard_figures(ctx.uow(), today=today)
    doctor = lambda: acting(ctx, "doctor1")  # noqa: E731
    coming = [r for r in all_rounds(ctx) if r.round_date >= today and r.status == "planned"]
    moved = coming[0]  # e.g. next Monday's round moved to Friday (the issue's case)
    move_round(doctor(), round_id=moved.id, to=moved.round_date + timedelta(days=4))
    assert overdue_list(ctx, today) == before
    cancel_round(doctor(), round_id=coming[1].id, reason="机构封闭管理")
    assert overdue_list(ctx, today) == before
    add_round(doctor(), institution_id=coming[2].institution_id, day=today + timedelta(days=20))
    generate_rounds(ctx.uow(), week=today + timedelta(weeks=3))
    assert overdue_list(ctx, today) == before
    assert dashboard_figures(ctx.uow(), today=today).overdue == figures.overdue == len(before)


def test_the_issues_case_a_red_resident_seen_six_days_ago_is_not_overdue_when_mondays_round_moves(
    ctx: AppContext,
) -> None:
    sunday = TODAY + timedelta(days=6)
    plan = plan_week(ctx.uow(), week=sunday + timedelta(days=1), today=sunday)
    monday = next(r for r in plan.rounds if r.day == sunday + timedelta(days=1))
    # a red resident due by colour only (an annual check or a chronic follow-up due is not the issue's case)
    overdue = overdue_residents(ctx.uow(), today=sunday)
    other_reasons = {r.resident_id for r in overdue if any(x.kind is not DueKind.COLOUR for x in r.overdue.reasons)}
    with ctx.uow() as uow:
        resident = next(
            rid
            for (rid,) in uow.fast_rows(
                "SELECT id FROM resident WHERE institution_id = :i AND status = 'in_residence' AND colour = 'red' "
                "ORDER BY id",
                {"i": monday.institution_id},
            )
            if rid not in other_reasons
        )
        row = uow.session.get(Resident, resident)
        assert row is not None
        uow.session.add(Visit(resident_id=resident, visit_date=sunday - timedelta(days=6), outcome="seen"))
        uow.commit()
    assert resident not in {r[0] for r in overdue_list(ctx, sunday)}
    move_round(acting(ctx, "doctor1"), round_id=monday.id, to=monday.day + timedelta(days=4))
    assert resident not in {r[0] for r in overdue_list(ctx, sunday)}
