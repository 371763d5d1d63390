"""Dashboard figures agree with the data they summarise."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.domain.scheduling import week_bounds
from app.services.dashboard import dashboard_figures
from app.services.rounds.plan import overdue_residents
from app.store.models import Agreement, Institution, Resident, Round, Visit

TODAY = date(2026, 11, 16)


def test_figures_match_a_count_made_from_the_rows(demo_context: AppContext) -> None:
    figures = dashboard_figures(demo_context.uow(), today=TODAY)
    with demo_context.uow() as uow:
        institutions = uow.session.exec(select(Institution)).all()
        residents = [r for r in uow.session.exec(select(Resident)).all() if r.status == "in_residence"]
        rounds = uow.session.exec(select(Round)).all()
        visits = uow.session.exec(select(Visit).where(Visit.outcome == "seen")).all()
        agreements = uow.session.exec(select(Agreement)).all()

    assert figures.institutions == len(institutions) == 12
    assert figures.institutions_by_kind == dict(Counter(i.kind for i in institutions))
    assert figures.residents_by_colour == {c: sum(r.colour == c.value for r in residents) for c in TriageColour}

    monday, sunday = week_bounds(TODAY)
    this_week = [r for r in rounds if monday <= r.round_date <= sunday]
    assert figures.rounds_this_week == sum(r.status != "cancelled" for r in this_week) > 0
    assert figures.rounds_done_this_week == sum(r.status == "done" for r in this_week)

    # overdue follows the planning rule (due at an earlier round, not seen since): tests/services/rounds/test_overdue.py
    expected = overdue_residents(demo_context.uow(), today=TODAY)
    assert visits and figures.overdue == len(expected) > 0
    assert figures.agreements_expired == sum(a.end_date is not None and a.end_date < TODAY for a in agreements) == 1
    assert figures.agreements_expiring == 2


def test_an_empty_center_has_zero_figures(context: AppContext) -> None:
    figures = dashboard_figures(context.uow(), today=TODAY)
    assert figures.institutions == 0 and figures.overdue == 0 and figures.rounds_this_week == 0
    assert set(figures.residents_by_colour.values()) == {0}


def test_a_renewed_agreement_is_no_longer_flagged(demo_context: AppContext) -> None:
    from datetime import timedelta

    from app.store.models import Agreement

    before = dashboard_figures(demo_context.uow(), today=TODAY)
    with demo_context.uow() as uow:
        lapsed = next(a for a in uow.session.exec(select(Agreement)).all() if a.end_date and a.end_date < TODAY)
        uow.session.add(
            Agreement(
                institution_id=lapsed.institution_id,
                team_id=lapsed.team_id,
                start_date=TODAY,
                end_date=TODAY + timedelta(days=3 * 365),
                round_weekdays=lapsed.round_weekdays,
            )
        )
        uow.commit()
    after = dashboard_figures(demo_context.uow(), today=TODAY)
    assert after.agreements_expired == before.agreements_expired - 1


def test_todays_rounds_are_listed_with_their_institution_team_and_visits_recorded(demo_context: AppContext) -> None:
    figures = dashboard_figures(demo_context.uow(), today=TODAY)
    with demo_context.uow() as uow:
        rounds = [r for r in uow.session.exec(select(Round)).all() if r.round_date == TODAY and not r.deleted]
        names = {i.id: i.name for i in uow.session.exec(select(Institution)).all()}
        visits = uow.session.exec(select(Visit)).all()
    expected = {r.id for r in rounds if r.status in ("planned", "done")}
    assert {t.round_id for t in figures.today_rounds} == expected
    assert [t.institution_name for t in figures.today_rounds] == sorted(
        t.institution_name for t in figures.today_rounds
    )
    for today_round in figures.today_rounds:
        row = next(r for r in rounds if r.id == today_round.round_id)
        assert today_round.institution_name == names[row.institution_id] and today_round.status == row.status
        seen = {v.resident_id for v in visits if v.round_id == row.id and not v.deleted}
        assert today_round.visits_recorded == len(seen)
    other_day = dashboard_figures(demo_context.uow(), today=date(2030, 1, 1))
    assert other_day.today_rounds == []
