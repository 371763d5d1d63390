"""Round services: generating a week's rounds from the agreements, moving, cancelling, restoring, adding."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from rounds_world import (
    NEXT_WEEK,
    TODAY,
    acting,
    all_rounds,
    count_rounds,
)
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.errors import ValidationError
from app.domain.i18n import set_language
from app.services.authz import PermissionDenied
from app.services.rounds.plan import (
    RoundNotFound,
    add_round,
    cancel_round,
    generate_rounds,
    move_round,
    plan_week,
    restore_round,
    round_id_for,
    round_on,
)
from app.store.models import (
    Agreement,
    AuditEntry,
    Round,
)


def test_planning_a_week_the_demo_already_has_adds_nothing(ctx: AppContext) -> None:
    before = len(all_rounds(ctx))
    for week in (TODAY - timedelta(weeks=3), TODAY, NEXT_WEEK):
        assert plan_week(ctx.uow(), week=week, today=TODAY).created == 0
    assert len(all_rounds(ctx)) == before


def test_a_new_week_is_generated_once_from_the_agreements(ctx: AppContext) -> None:
    week = TODAY + timedelta(weeks=2)
    with ctx.uow() as uow:
        agreements = uow.session.exec(select(Agreement)).all()
    expected = sum(
        len(a.round_weekdays.split(",")) for a in agreements if a.end_date is None or a.end_date >= week + timedelta(6)
    )
    assert generate_rounds(ctx.uow(), week=week + timedelta(days=3)) == expected > 0
    assert generate_rounds(ctx.uow(), week=week) == 0
    plan = plan_week(ctx.uow(), week=week, today=TODAY)
    assert plan.created == 0 and len(plan.rounds) == expected
    assert all(r.id == round_id_for(r.institution_id, r.day) for r in plan.rounds)
    assert all(r.status == "planned" and r.team for r in plan.rounds)
    assert {r.day.isoweekday() for r in plan.rounds} <= {1, 2, 3, 4, 5}


def test_an_expired_agreement_generates_no_rounds_and_is_not_a_gap(ctx: AppContext) -> None:
    plan = plan_week(ctx.uow(), week=TODAY + timedelta(weeks=2), today=TODAY)
    with ctx.uow() as uow:
        expired = uow.fast_rows("SELECT institution_id FROM agreement WHERE end_date < :d", {"d": TODAY.isoformat()})
    assert expired
    assert expired[0][0] not in {r.institution_id for r in plan.rounds}
    assert plan.gaps == ()


@pytest.mark.parametrize("week", [date(2026, 1, 28), date(2025, 7, 23), TODAY - timedelta(weeks=1)])
def test_a_past_week_is_shown_as_it_was_and_nothing_is_generated(ctx: AppContext, week: date) -> None:
    before = count_rounds(ctx)
    held = plan_week(ctx.uow(), week=week, today=TODAY)
    assert held.created == 0 and count_rounds(ctx) == before
    assert all(r.past for r in held.rounds)
    assert generate_rounds(ctx.uow(), week=week, today=TODAY) == 0 and count_rounds(ctx) == before
    with pytest.raises(RoundNotFound):  # printing a day of a past week finds what was held, invents nothing
        round_on(ctx.uow(), institution_id=all_rounds(ctx)[0].institution_id, day=date(2025, 7, 21), today=TODAY)
    assert count_rounds(ctx) == before


def test_planning_one_institution_generates_only_its_rounds(ctx: AppContext) -> None:
    week = TODAY + timedelta(weeks=3)
    whole = plan_week(ctx.uow(), week=week, today=TODAY, generate=False)
    assert whole.rounds == ()
    institution = next(r.institution_id for r in plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).rounds)
    only = plan_week(ctx.uow(), week=week, today=TODAY, institution_id=institution)
    assert only.created == len(only.rounds) > 0 and {r.institution_id for r in only.rounds} == {institution}
    assert {r.institution_id for r in plan_week(ctx.uow(), week=week, today=TODAY, generate=False).rounds} == {
        institution
    }
    rest = plan_week(ctx.uow(), week=week, today=TODAY)  # the whole center then generates the others
    assert rest.created == len(rest.rounds) - len(only.rounds) > 0


def test_an_ended_agreement_names_the_home_and_its_residents_left_without_rounds(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        institution, name, ended = uow.fast_rows(
            "SELECT a.institution_id, i.name, a.end_date FROM agreement a "
            "JOIN institution i ON i.id = a.institution_id WHERE a.end_date < :d",
            {"d": TODAY.isoformat()},
        )[0]
        residents = uow.fast_rows(
            "SELECT COUNT(*) FROM resident WHERE institution_id = :i AND status = 'in_residence' AND deleted = 0",
            {"i": institution},
        )[0][0]
    week = TODAY + timedelta(weeks=2)
    plan = plan_week(ctx.uow(), week=week, today=TODAY)
    assert [(e.institution, e.ended.isoformat(), e.residents) for e in plan.ended] == [(name, ended, residents)]
    assert residents > 0 and institution not in {r.institution_id for r in plan.rounds}
    alone = plan_week(ctx.uow(), week=week, today=TODAY, institution_id=institution)
    assert alone.rounds == () and [e.institution_id for e in alone.ended] == [institution]
    other = next(r.institution_id for r in plan.rounds)
    assert plan_week(ctx.uow(), week=week, today=TODAY, institution_id=other).ended == ()
    # the week the agreement ended in still had it in force: no "ended" note then
    assert plan_week(ctx.uow(), week=date.fromisoformat(ended), today=TODAY).ended == ()


def test_moving_keeps_the_round_and_the_agreed_day_so_it_is_not_generated_again(ctx: AppContext) -> None:
    week = TODAY + timedelta(weeks=2)
    generate_rounds(ctx.uow(), week=week)
    first = plan_week(ctx.uow(), week=week, today=TODAY).rounds[0]
    later = first.day + timedelta(days=1)
    move_round(acting(ctx, "doctor1"), round_id=first.id, to=later)
    moved = plan_week(ctx.uow(), week=week, today=TODAY).round(first.id)
    assert moved is not None and moved.day == later and moved.moved_from == first.day and moved.status == "planned"
    assert generate_rounds(ctx.uow(), week=week) == 0
    move_round(acting(ctx, "doctor1"), round_id=first.id, to=first.day + timedelta(weeks=1, days=2))
    assert generate_rounds(ctx.uow(), week=week) == 0  # moved out of the week: its slot stays filled
    move_round(acting(ctx, "doctor1"), round_id=first.id, to=first.day)
    back = plan_week(ctx.uow(), week=week, today=TODAY).round(first.id)
    assert back is not None and back.moved_from is None


def test_a_move_onto_a_day_with_a_round_or_of_a_held_round_is_refused(ctx: AppContext) -> None:
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY)
    twice = next(r for r in plan.rounds if sum(o.institution_id == r.institution_id for o in plan.rounds) == 2)
    first, second = [r for r in plan.rounds if r.institution_id == twice.institution_id]
    with pytest.raises(ValidationError) as caught:
        move_round(acting(ctx, "doctor1"), round_id=first.id, to=second.day)
    assert caught.value.field == "date"
    with pytest.raises(ValidationError):
        move_round(acting(ctx, "doctor1"), round_id=first.id, to=first.day)
    held = next(r for r in all_rounds(ctx) if r.status == "done")
    with pytest.raises(ValidationError) as caught:
        move_round(acting(ctx, "doctor1"), round_id=held.id, to=held.round_date + timedelta(days=1))
    assert caught.value.field == "round"
    with pytest.raises(RoundNotFound):
        move_round(acting(ctx, "doctor1"), round_id="nope", to=TODAY)


@pytest.mark.parametrize("login", ["nurse1", "assistant1", None])
def test_only_doctors_and_admins_plan_rounds(ctx: AppContext, login: str | None) -> None:
    planned = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).rounds[0]
    with pytest.raises(PermissionDenied):
        move_round(acting(ctx, login), round_id=planned.id, to=planned.day + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        cancel_round(acting(ctx, login), round_id=planned.id, reason="团队培训")
    with pytest.raises(PermissionDenied):
        add_round(acting(ctx, login), institution_id=planned.institution_id, day=planned.day + timedelta(days=1))
    assert plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).round(planned.id) == planned


def test_cancelling_needs_a_reason_and_shows_the_agreement_is_not_met(ctx: AppContext) -> None:
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY)
    once = next(r for r in plan.rounds if sum(o.institution_id == r.institution_id for o in plan.rounds) == 1)
    with pytest.raises(ValidationError) as caught:
        cancel_round(acting(ctx, "doctor1"), round_id=once.id, reason="  ")
    assert caught.value.field == "cancel_reason"
    cancel_round(acting(ctx, "admin"), round_id=once.id, reason="机构疫情封闭管理")
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY)
    cancelled = plan.round(once.id)
    assert cancelled is not None and cancelled.cancelled and cancelled.cancel_reason == "机构疫情封闭管理"
    assert cancelled.due == ()
    assert [(g.institution_id, g.rounds, g.required) for g in plan.gaps] == [(once.institution_id, 0, 1)]
    assert plan.created == 0  # the cancelled slot is not generated again
    with pytest.raises(ValidationError):
        cancel_round(acting(ctx, "admin"), round_id=once.id, reason="again")
    extra = add_round(acting(ctx, "doctor1"), institution_id=once.institution_id, day=once.day + timedelta(days=1))
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=NEXT_WEEK)  # this week's round held: none listed there
    added = plan.round(extra)
    assert added is not None and added.team and added.due and plan.gaps == ()


def test_a_round_with_visits_cannot_be_cancelled(ctx: AppContext) -> None:
    held = next(r for r in all_rounds(ctx) if r.status == "done")
    with ctx.uow() as uow:
        row = uow.session.get(Round, held.id)
        assert row is not None
        row.status = "planned"
        uow.session.add(row)
        uow.commit()
    with pytest.raises(ValidationError) as caught:
        cancel_round(acting(ctx, "doctor1"), round_id=held.id, reason="重复")
    assert caught.value.reason_key == "rounds.has_visits"


def test_adding_a_second_round_the_same_day_is_refused(ctx: AppContext) -> None:
    planned = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).rounds[0]
    with pytest.raises(ValidationError) as caught:
        add_round(acting(ctx, "doctor1"), institution_id=planned.institution_id, day=planned.day)
    assert caught.value.field == "date"
    with pytest.raises(ValidationError) as caught:
        add_round(acting(ctx, "doctor1"), institution_id="nope", day=planned.day)
    assert caught.value.field == "institution"


def test_a_cancelled_round_is_restored_planned_with_its_due_residents_and_audited(ctx: AppContext) -> None:
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=NEXT_WEEK)
    chosen = next(r for r in plan.rounds if r.due)
    cancel_round(acting(ctx, "doctor1"), round_id=chosen.id, reason="机构疫情封闭管理")
    with pytest.raises(PermissionDenied):
        restore_round(acting(ctx, "nurse1"), round_id=chosen.id)
    restore_round(acting(ctx, "doctor1"), round_id=chosen.id)
    restored = plan_week(ctx.uow(), week=NEXT_WEEK, today=NEXT_WEEK).round(chosen.id)
    assert restored is not None
    assert (restored.status, restored.cancel_reason, restored.day) == ("planned", "", chosen.day)
    assert [d.resident_id for d in restored.due] == [d.resident_id for d in chosen.due]
    assert plan_week(ctx.uow(), week=NEXT_WEEK, today=NEXT_WEEK).created == 0  # the slot is not generated twice
    with ctx.uow() as uow:
        entries = uow.session.exec(
            select(AuditEntry).where(AuditEntry.entity_id == chosen.id).order_by(AuditEntry.at)  # type: ignore[arg-type]
        ).all()
        doctor = uow.fast_rows("SELECT name FROM staff WHERE login = 'doctor1'")[0][0]
    changes = [json.loads(entry.changes) for entry in entries if entry.action == "update"]
    assert changes[-2]["status"] == ["planned", "cancelled"]
    assert changes[-1]["status"] == ["cancelled", "planned"]
    assert changes[-1]["cancel_reason"] == ["机构疫情封闭管理", ""]  # the reason stays in the trail
    assert entries[-1].staff_name == doctor


def test_only_a_cancelled_round_is_restored_and_not_onto_a_day_taken_since(ctx: AppContext) -> None:
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY)
    first = plan.rounds[0]
    with pytest.raises(ValidationError) as caught:
        restore_round(acting(ctx, "doctor1"), round_id=first.id)
    assert caught.value.field == "round"
    set_language("zh_CN")
    assert "未取消" in str(caught.value)
    cancel_round(acting(ctx, "doctor1"), round_id=first.id, reason="改派")
    add_round(acting(ctx, "doctor1"), institution_id=first.institution_id, day=first.day)  # another in its place
    with pytest.raises(ValidationError) as caught:
        restore_round(acting(ctx, "doctor1"), round_id=first.id)
    assert caught.value.field == "date" and first.institution in str(caught.value)
    with pytest.raises(RoundNotFound):
        restore_round(acting(ctx, "doctor1"), round_id="no-such-round")
