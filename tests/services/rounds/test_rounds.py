"""Round services: generating a week's rounds, moving, cancelling, adding; due residents; overdue; dashboard."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.domain.errors import ValidationError
from app.domain.follow_up import ChronicClass
from app.domain.i18n import set_language
from app.domain.scheduling import (
    DueFacts,
    DueKind,
    due_at_round,
    due_windows,
    next_round,
    overdue_on,
    previous_round_to_come,
)
from app.domain.triage import DEFAULT_RULES
from app.services.authz import PermissionDenied
from app.services.dashboard import dashboard_figures
from app.services.printing import round_sheet
from app.services.rounds.due import due_residents, load_due_rows
from app.services.rounds.plan import (
    RoundNotFound,
    add_round,
    cancel_round,
    generate_rounds,
    move_round,
    overdue_by_colour,
    overdue_residents,
    plan_week,
    restore_round,
    round_due,
    round_id_for,
    round_on,
)
from app.services.triage import current_rules
from app.store.models import (
    Agreement,
    Assessment,
    AuditEntry,
    Condition,
    ResidencePeriod,
    Resident,
    Round,
    StatusChange,
    TriageDecision,
    Visit,
)
from app.store.queries.rounds import due_at_round_sql
from app.store.sqlite import sqlite3
from app.store.uow import UnitOfWork

TODAY = date(2026, 11, 16)  # a Monday
NEXT_WEEK = TODAY + timedelta(days=7)


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=300, seed=5, today=TODAY)


@pytest.fixture
def ctx(demo_file: Path, engine_copy: Callable[[Path], AppContext]) -> AppContext:
    """A fresh copy of the demo center for each test (tests write), on SQLite and on PostgreSQL (#20)."""
    return engine_copy(demo_file)


@pytest.fixture
def sqlite_ctx(demo_file: Path, template_copy: Callable[[Path], AppContext]) -> AppContext:
    """A copy of the demo on SQLite only: for the tests of SQLite's own plans and rowids."""
    return template_copy(demo_file)


def acting(ctx: AppContext, login: str | None) -> UnitOfWork:
    if login is None:
        return UnitOfWork(ctx.database)
    with ctx.uow() as uow:
        staff_id = uow.fast_rows("SELECT id FROM staff WHERE login = :l", {"l": login})[0][0]
    return UnitOfWork(ctx.database, actor_id=staff_id)


def all_rounds(ctx: AppContext) -> list[Round]:
    with ctx.uow().reading() as uow:  # also called inside another unit of work, which holds the write lock
        return list(uow.session.exec(select(Round).where(Round.deleted == False)))


def reference_due(ctx: AppContext, round_row: Round, today: date = TODAY) -> list[str]:
    """Return the ids of residents due at a round, worked out resident by resident through the ORM (those due at
    the home's round before it, still to come on ``today``, are listed there instead)."""
    rounds = sorted(
        {
            r.round_date
            for r in all_rounds(ctx)
            if r.institution_id == round_row.institution_id and r.status != "cancelled"
        }
    )
    following = next_round(rounds, round_row.round_date)
    before = [day for day in rounds if today <= day < round_row.round_date]
    due = []
    with ctx.uow() as uow:
        session = uow.session
        people = session.exec(
            select(Resident).where(
                Resident.institution_id == round_row.institution_id,
                Resident.status == "in_residence",
                Resident.deleted == False,
            )
        ).all()
        for resident in people:
            visits = session.exec(select(Visit).where(Visit.resident_id == resident.id)).all()
            seen = [v.visit_date for v in visits if v.outcome == "seen" and not v.deleted]
            follow_ups = [v.visit_date for v in visits if v.chronic_class and not v.deleted]
            checks = session.exec(
                select(Assessment.assessed_on).where(
                    Assessment.resident_id == resident.id, Assessment.kind == "annual_check"
                )
            ).all()
            chronic = session.exec(
                select(Condition).where(
                    Condition.resident_id == resident.id, Condition.code.in_(["hypertension", "diabetes_t2"])
                )  # type: ignore[attr-defined]
            ).first()
            facts = DueFacts(
                TriageColour(resident.colour),
                resident.birth_date,
                max(seen, default=None),
                resident.admission_date or resident.signed_on,
                max(checks, default=None),
                chronic is not None,
                max(follow_ups, default=None),
            )
            if due_at_round(facts, round_row.round_date, following, DEFAULT_RULES.visits) and not (
                before and due_at_round(facts, before[-1], round_row.round_date, DEFAULT_RULES.visits)
            ):
                due.append(resident.id)
    return due


# --- generating ---------------------------------------------------------------------------------------------------


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


# --- moving, cancelling, adding -------------------------------------------------------------------------------------


def count_rounds(ctx: AppContext) -> int:
    with ctx.uow() as uow:
        return int(uow.fast_rows("SELECT COUNT(*) FROM round")[0][0])


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


# --- due ----------------------------------------------------------------------------------------------------------


def test_residents_due_match_a_resident_by_resident_check_red_first_then_bed(ctx: AppContext) -> None:
    sunday = NEXT_WEEK - timedelta(days=1)  # this week's rounds held: next week's first ones list all due by then
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=sunday)
    rows = {r.id: r for r in all_rounds(ctx)}
    checked = 0
    for planned in plan.rounds[:6]:
        due_ids = [d.resident_id for d in planned.due]
        assert sorted(due_ids) == sorted(reference_due(ctx, rows[planned.id], sunday))
        severities = [d.colour.severity for d in planned.due]
        assert severities == sorted(severities, reverse=True)
        for colour in TriageColour:
            beds = [(d.building, len(d.room), d.room, len(d.bed), d.bed) for d in planned.due if d.colour is colour]
            assert beds == sorted(beds)
        checked += len(due_ids)
        for resident in planned.due:
            assert resident.reasons, resident
            assert all(reason.due_on < planned.next_date for reason in resident.reasons)  # type: ignore[operator]
    assert checked > 50


def test_held_rounds_show_who_was_seen_and_later_rounds_who_is_due(ctx: AppContext) -> None:
    plan = plan_week(ctx.uow(), week=TODAY + timedelta(days=2), today=TODAY + timedelta(days=2))
    held = [r for r in plan.rounds if r.past]
    assert held and all(r.due == () for r in held)
    with ctx.uow() as uow:
        for r in held:
            seen = uow.fast_rows("SELECT COUNT(*) FROM visit WHERE round_id = :r AND outcome = 'seen'", {"r": r.id})[0][
                0
            ]
            assert r.seen == seen
    assert any(r.due for r in plan.rounds if not r.past)


def test_one_institutions_plan(ctx: AppContext) -> None:
    whole = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY)
    institution = whole.rounds[0].institution_id
    only = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY, institution_id=institution)
    assert {r.institution_id for r in only.rounds} == {institution}
    assert [len(r.due) for r in only.rounds] == [len(r.due) for r in whole.rounds if r.institution_id == institution]


def test_round_due_and_round_on(ctx: AppContext) -> None:
    planned = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).rounds[0]
    assert round_on(ctx.uow(), institution_id=planned.institution_id, day=planned.day) == planned.id
    due = round_due(ctx.uow(), round_id=planned.id, today=TODAY)
    assert [d.resident_id for d in due.due] == [d.resident_id for d in planned.due]
    with pytest.raises(RoundNotFound):
        round_on(ctx.uow(), institution_id=planned.institution_id, day=planned.day + timedelta(days=5))
    with pytest.raises(RoundNotFound):
        round_due(ctx.uow(), round_id="nope", today=TODAY)


def test_a_new_resident_never_seen_is_due_at_the_next_round(ctx: AppContext) -> None:
    planned = plan_week(ctx.uow(), week=TODAY, today=TODAY).rounds[0]  # today's: the next round
    assert planned.day == TODAY
    with ctx.uow() as uow:
        template = uow.session.exec(select(Resident).where(Resident.institution_id == planned.institution_id)).first()
        assert template is not None
        newcomer = Resident(
            name="新来",
            sex="F",
            birth_date=date(1950, 1, 1),
            id_number="110105195001010021",
            institution_id=planned.institution_id,
            admission_date=TODAY - timedelta(days=1),
            colour="green",
            suggested_colour="green",
            building="Z",
            room="1",
            bed="1",
        )
        uow.session.add(newcomer)
        uow.commit()
    plan = plan_week(ctx.uow(), week=TODAY, today=TODAY)
    due = next(d for d in plan.rounds[0].due if d.name == "新来")
    assert [r.kind for r in due.reasons] == [DueKind.NEVER_SEEN, DueKind.ANNUAL_CHECK]


def test_a_seen_visit_corrected_to_absent_no_longer_counts_as_seen(ctx: AppContext) -> None:
    planned = next(r for r in plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).rounds if r.due)
    resident_id = planned.due[0].resident_id

    def last_seen() -> int | None:
        with ctx.uow() as uow:
            rules = current_rules(uow).rules
            rows = load_due_rows(uow, rules=rules, institution_ids=[planned.institution_id])
        return next(row.last_seen for row in rows if row.resident_id == resident_id)

    before = last_seen()
    with ctx.uow() as uow:
        seen = Visit(resident_id=resident_id, visit_date=TODAY, outcome="seen")
        uow.session.add(seen)
        uow.commit()
        seen_id = seen.id
    assert last_seen() == TODAY.toordinal()
    with ctx.uow() as uow:
        uow.session.add(Visit(resident_id=resident_id, visit_date=TODAY, outcome="absent", corrects_id=seen_id,
                              version=2))  # fmt: skip
        uow.commit()
    assert last_seen() == before
    again = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).round(planned.id)
    assert again is not None and resident_id in {d.resident_id for d in again.due}


# --- a round already held -----------------------------------------------------------------------------------------


def reference_due_on(ctx: AppContext, round_row: Round) -> list[str]:
    """Return the ids of residents due at a held round as of its day, resident by resident through the ORM."""
    day = round_row.round_date
    rounds = sorted(
        {
            r.round_date
            for r in all_rounds(ctx)
            if r.institution_id == round_row.institution_id and r.status != "cancelled"
        }
    )
    following = next_round(rounds, day)
    due = []
    with ctx.uow() as uow:
        session = uow.session
        periods = session.exec(
            select(ResidencePeriod).where(
                ResidencePeriod.institution_id == round_row.institution_id, ResidencePeriod.deleted == False
            )
        ).all()
        there = {p.resident_id for p in periods if p.start_date <= day and (p.end_date is None or p.end_date > day)}
        for resident_id in there:
            resident = session.get(Resident, resident_id)
            assert resident is not None
            changes = sorted(
                (
                    c
                    for c in session.exec(select(StatusChange).where(StatusChange.resident_id == resident_id))
                    if not c.deleted and c.on_date <= day
                ),
                key=lambda c: c.on_date,
            )
            if changes and changes[-1].status != "in_residence":
                continue
            decisions = sorted(
                (
                    d
                    for d in session.exec(select(TriageDecision).where(TriageDecision.resident_id == resident_id))
                    if d.decided_at.date() <= day
                ),
                key=lambda d: d.decided_at,
            )
            colour = decisions[-1].colour if decisions else resident.colour
            visits = [
                v
                for v in session.exec(select(Visit).where(Visit.resident_id == resident_id)).all()
                if not v.deleted and v.visit_date < day
            ]
            checks = [
                a.assessed_on
                for a in session.exec(
                    select(Assessment).where(Assessment.resident_id == resident_id, Assessment.kind == "annual_check")
                ).all()
                if not a.deleted and a.assessed_on < day
            ]
            chronic = [
                c
                for c in session.exec(select(Condition).where(Condition.resident_id == resident_id)).all()
                if c.active and not c.deleted and c.code in ("hypertension", "diabetes_t2")
            ]
            facts = DueFacts(
                TriageColour(colour),
                resident.birth_date,
                max((v.visit_date for v in visits if v.outcome == "seen"), default=None),
                resident.admission_date or resident.signed_on,
                max(checks, default=None),
                bool(chronic),
                max((v.visit_date for v in visits if v.chronic_class), default=None),
            )
            if due_at_round(facts, day, following, DEFAULT_RULES.visits):
                due.append(resident_id)
    return due


def _held_round_and_newcomer(ctx: AppContext) -> Round:
    """Return a round held last week with visits, after adding a resident admitted after it to its home."""
    held = next(r for r in plan_week(ctx.uow(), week=TODAY - timedelta(days=7), today=TODAY).rounds if r.seen > 20)
    with ctx.uow() as uow:
        newcomer = Resident(
            name="新来",
            sex="F",
            birth_date=date(1950, 1, 1),
            id_number="110105195001010021",
            institution_id=held.institution_id,
            admission_date=TODAY - timedelta(days=1),
            colour="green",
            suggested_colour="green",
            building="A",
            room="1",
            bed="1",
        )
        uow.session.add(newcomer)
        uow.session.flush()
        uow.session.add(
            ResidencePeriod(
                resident_id=newcomer.id,
                institution_id=held.institution_id,
                building="A",
                room="1",
                bed="1",
                start_date=TODAY - timedelta(days=1),
            )
        )
        uow.commit()
        row = uow.session.get(Round, held.id)
        assert row is not None
        uow.session.expunge(row)
    return row


def test_a_held_round_lists_its_residents_as_of_that_day(ctx: AppContext) -> None:
    held = _held_round_and_newcomer(ctx)
    later = TODAY + timedelta(days=6)  # reprinted a fortnight after the round
    due = round_due(ctx.uow(), round_id=held.id, today=later)
    due_ids = [d.resident_id for d in due.due]
    assert sorted(due_ids) == sorted(reference_due_on(ctx, held)) and len(due_ids) > 20
    with ctx.uow() as uow:
        visited = {
            row[0]
            for row in uow.fast_rows(
                "SELECT resident_id FROM visit WHERE round_id = :r AND deleted = 0", {"r": held.id}
            )
        }
        newcomer = uow.fast_rows("SELECT id FROM resident WHERE name = '新来'")[0][0]
    listed = due_ids + [d.resident_id for d in due.visited]
    assert len(listed) == len(set(listed))
    assert visited <= set(listed)  # everyone seen at the round is on its sheet
    assert {d.resident_id for d in due.visited} == visited - set(due_ids)
    assert newcomer not in listed  # admitted after the round
    assert all(reason.due_on < due.round.next_date for d in due.due for reason in d.reasons)  # type: ignore[operator]
    # still what is due now for a round to come
    upcoming = next(  # the home's next round
        r
        for r in plan_week(ctx.uow(), week=TODAY, today=TODAY, institution_id=held.institution_id).rounds
        if not r.past
    )
    assert newcomer in {d.resident_id for d in upcoming.due}


def test_the_reprinted_sheet_of_a_held_round_shows_what_was_recorded(ctx: AppContext) -> None:
    held = _held_round_and_newcomer(ctx)
    later = TODAY + timedelta(days=6)
    due = round_due(ctx.uow(), round_id=held.id, today=later)
    set_language("zh_CN")
    sheet = round_sheet(ctx.uow(), round_id=held.id, today=later)
    assert sheet.held and len(sheet.residents) == len(due.due) + len(due.visited)
    assert "新来" not in {r.name for r in sheet.residents}
    with ctx.uow() as uow:
        visit = uow.fast_rows(
            "SELECT p.name, v.sbp, v.dbp FROM visit v JOIN resident p ON p.id = v.resident_id "
            "WHERE v.round_id = :r AND v.deleted = 0 AND v.sbp IS NOT NULL ORDER BY p.name LIMIT 1",
            {"r": held.id},
        )[0]
        visited = uow.fast_rows(
            "SELECT COUNT(DISTINCT resident_id) FROM visit WHERE round_id = :r AND deleted = 0", {"r": held.id}
        )[0][0]
    assert sum(r.recorded is not None for r in sheet.residents) == visited
    row = next(r for r in sheet.residents if r.name == visit[0])
    assert row.recorded is not None and row.recorded[0] == f"{visit[1]}/{visit[2]}"
    # "last visit" is the one before the round, never the round's own
    assert all(not r.last_visit.startswith(held.round_date.isoformat()) for r in sheet.residents)
    assert [r.why_due for r in sheet.residents if not r.due] == ["非应访，本次已访"] * len(due.visited)
    severity = [r.colour.severity for r in sheet.residents]
    assert severity == sorted(severity, reverse=True)


# --- overdue ---------------------------------------------------------------------------------------------------------


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


# --- the one-statement due list (planning at 100 000 residents) ------------------------------------------------


def _unusual_facts(ctx: AppContext) -> None:
    """Give the demo the cases the windows branch on: deleted visits and checks, inactive conditions, never seen."""
    connection = sqlite3.connect(ctx.database.path)
    with connection:
        connection.execute("UPDATE visit SET deleted = 1 WHERE rowid % 5 = 0")
        connection.execute("UPDATE visit SET chronic_class = 'controlled' WHERE rowid % 11 = 0 AND chronic_class = ''")
        connection.execute("UPDATE assessment SET deleted = 1 WHERE kind = 'annual_check' AND rowid % 3 = 0")
        connection.execute("UPDATE condition SET active = 0 WHERE rowid % 4 = 0")
        connection.execute("UPDATE condition SET deleted = 1 WHERE rowid % 9 = 0")
        never = [row[0] for row in connection.execute("SELECT id FROM resident ORDER BY id LIMIT 12")]
        connection.executemany("DELETE FROM visit WHERE resident_id = ?", [(r,) for r in never])
        connection.executemany(
            "UPDATE resident SET admission_date = NULL, signed_on = NULL WHERE id = ?", [(r,) for r in never[:6]]
        )
    connection.close()


def test_the_one_statement_due_list_matches_the_resident_by_resident_path(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx  # _unusual_facts picks rows by SQLite's rowid
    _unusual_facts(ctx)
    compared = 0
    for week, today in ((TODAY, TODAY), (NEXT_WEEK, TODAY), (NEXT_WEEK + timedelta(weeks=1), TODAY + timedelta(2))):
        plan = plan_week(ctx.uow(), week=week, today=today)
        with ctx.uow() as uow:
            rules = current_rules(uow).rules
            for planned in plan.rounds:
                if planned.cancelled or planned.past:
                    assert planned.due == ()
                    continue
                assert planned.next_date is not None
                rows = load_due_rows(uow, rules=rules, institution_ids=[planned.institution_id])
                calendar = sorted(
                    r.day for r in plan.rounds if r.institution_id == planned.institution_id and not r.cancelled
                )
                before = previous_round_to_come(calendar, planned.day, today)
                if before is None and calendar[0] == planned.day:  # the first of the week: last week's, if to come
                    before = next(
                        (
                            r.round_date
                            for r in sorted(all_rounds(ctx), key=lambda r: r.round_date, reverse=True)
                            if r.institution_id == planned.institution_id
                            and r.status != "cancelled"
                            and today <= r.round_date < planned.day
                        ),
                        None,
                    )
                expected = due_residents(rows, planned.day, planned.next_date, rules.visits, before)
                assert [d.resident_id for d in planned.due] == [d.resident_id for d in expected]
                for got, want in zip(planned.due, expected, strict=True):
                    assert got.row.raw[1:] == want.row.raw[1:]  # data and facts alike (raw[0]: the round's key)
                    assert got.row[1:] == want.row[1:]
                    assert got.reasons == want.reasons
                    assert got.row.windows == due_windows(got.facts, rules.visits)
                compared += len(expected)
    assert compared > 100


def test_planning_reads_each_resident_and_their_facts_row_and_no_visits(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx  # SQLite's query plan
    params = {
        "key": 0,
        "institution": "",
        "day": 740000,
        "following": 740007,
        "chronic0": ",hypertension,",
        "annual_lo": 23738,
        "annual_hi": 23744,
        "years": "+65 years",
        "red": 7,
        "yellow": 14,
        "green": 28,
        "check_every": 365,
        "follow_up_every": 90,
        "recheck_every": 14,
    }
    with ctx.uow() as uow:
        plan = " ".join(str(row[-1]) for row in uow.fast_rows("EXPLAIN QUERY PLAN " + due_at_round_sql(1), params))
    assert "SEARCH r USING COVERING INDEX ix_resident_bed" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # the index gives the bed order: nothing is sorted
    assert "SEARCH f USING PRIMARY KEY" in plan, plan  # one seek per resident into resident_facts
    assert "visit" not in plan and "assessment" not in plan and "SCAN r " not in plan, plan


# --- issue 14, item 5: overdue is about the past; two rounds a week list a resident once ----------------------


def overdue_list(ctx: AppContext, today: date) -> list[tuple[str, date, int]]:
    return [(r.resident_id, r.overdue.since, r.days) for r in overdue_residents(ctx.uow(), today=today)]


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
    with ctx.uow() as uow:
        resident = uow.fast_rows(
            "SELECT id FROM resident WHERE institution_id = :i AND status = 'in_residence' AND colour = 'red' LIMIT 1",
            {"i": monday.institution_id},
        )[0][0]
        row = uow.session.get(Resident, resident)
        assert row is not None
        uow.session.add(Visit(resident_id=resident, visit_date=sunday - timedelta(days=6), outcome="seen"))
        uow.commit()
    assert resident not in {r[0] for r in overdue_list(ctx, sunday)}
    move_round(acting(ctx, "doctor1"), round_id=monday.id, to=monday.day + timedelta(days=4))
    assert resident not in {r[0] for r in overdue_list(ctx, sunday)}


def test_two_rounds_of_a_home_in_a_week_list_each_resident_once_at_the_first(ctx: AppContext) -> None:
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY)
    by_home: dict[str, list[Any]] = {}
    for planned in plan.rounds:
        by_home.setdefault(planned.institution_id, []).append(planned)
    twice = [rounds for rounds in by_home.values() if len(rounds) == 2]
    assert twice
    for first, second in twice:
        assert first.due and second.due is not None
        assert not {d.resident_id for d in first.due} & {d.resident_id for d in second.due}, first.institution
    first, second = twice[0]
    # the round sheet of the second round says the same
    assert [d.resident_id for d in round_due(ctx.uow(), round_id=second.id, today=TODAY).due] == [
        d.resident_id for d in second.due
    ]
    resident = first.due[0]
    # seen at the first round: not due at the second
    with ctx.uow() as uow:
        uow.session.add(
            Visit(
                resident_id=resident.resident_id,
                round_id=first.id,
                visit_date=first.day,
                outcome="seen",
                chronic_class="controlled",
            )
        )
        uow.commit()
    after_first = first.day + timedelta(days=1)
    later = round_due(ctx.uow(), round_id=second.id, today=after_first)
    assert resident.resident_id not in {d.resident_id for d in later.due}
    # not seen at the first round: due at the second, the first round still to come once it has passed
    other = first.due[1]
    assert other.resident_id in {d.resident_id for d in round_due(ctx.uow(), round_id=second.id, today=after_first).due}
    assert other.resident_id not in {d.resident_id for d in round_due(ctx.uow(), round_id=second.id, today=TODAY).due}


def test_a_home_whose_agreement_ended_with_rounds_booked_is_not_said_to_have_nobody_visiting(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        sql = "SELECT a.institution_id FROM agreement a WHERE a.end_date < :d"
        institution = uow.fast_rows(sql, {"d": TODAY.isoformat()})[0][0]
    week = TODAY + timedelta(weeks=2)
    [ended] = plan_week(ctx.uow(), week=week, today=TODAY).ended
    assert (ended.institution_id, ended.rounds) == (institution, 0)
    add_round(acting(ctx, "doctor1"), institution_id=institution, day=week + timedelta(days=2))
    [booked] = plan_week(ctx.uow(), week=week, today=TODAY).ended
    assert (booked.institution_id, booked.rounds, booked.residents) == (institution, 1, ended.residents)


# --- issue 14, item 6: a cancelled round can be restored ------------------------------------------------------


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
