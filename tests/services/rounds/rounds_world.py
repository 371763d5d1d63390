"""What the round services' tests share: the day, who acts, and the reference lists worked out resident by resident."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.domain.scheduling import (
    DueFacts,
    due_at_round,
    next_round,
)
from app.domain.triage import DEFAULT_RULES
from app.services.rounds.plan import (
    overdue_residents,
    plan_week,
)
from app.store.models import (
    Assessment,
    Condition,
    ResidencePeriod,
    Resident,
    Round,
    StatusChange,
    TriageDecision,
    Visit,
)
from app.store.sqlite import sqlite3
from app.store.uow import UnitOfWork

TODAY = date(2026, 11, 16)  # a Monday


NEXT_WEEK = TODAY + timedelta(days=7)


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


def count_rounds(ctx: AppContext) -> int:
    with ctx.uow() as uow:
        return int(uow.fast_rows("SELECT COUNT(*) FROM round")[0][0])


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


def held_round_and_newcomer(ctx: AppContext) -> Round:
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


def unusual_facts(ctx: AppContext) -> None:
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


def overdue_list(ctx: AppContext, today: date) -> list[tuple[str, date, int]]:
    return [(r.resident_id, r.overdue.since, r.days) for r in overdue_residents(ctx.uow(), today=today)]
