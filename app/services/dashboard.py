"""Dashboard figures: institutions, residents by colour, rounds this week and today, overdue residents.

Overdue is the planning rule (:mod:`app.services.rounds.plan`): due at an earlier round and not seen since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.colours import TriageColour
from app.domain.scheduling import week_bounds
from app.services.rounds.plan import overdue_by_colour
from app.store.queries import dashboard as queries
from app.store.uow import UnitOfWork

EXPIRY_WARNING_DAYS = 60


@dataclass(frozen=True)
class TodayRound:
    """A round planned for today — 今日巡诊: where, which team, and how many residents have a visit recorded."""

    round_id: str
    institution_name: str
    team_name: str
    status: str
    visits_recorded: int


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboard shows, computed for ``today``."""

    today: date
    institutions: int
    institutions_by_kind: dict[str, int]
    residents_in_residence: int
    residents_by_colour: dict[TriageColour, int]
    rounds_this_week: int
    rounds_done_this_week: int
    rounds_cancelled_this_week: int
    overdue: int
    overdue_by_colour: dict[TriageColour, int] = field(default_factory=dict)
    agreements_expiring: int = 0
    agreements_expired: int = 0
    today_rounds: list[TodayRound] = field(default_factory=list)


def dashboard_figures(uow: UnitOfWork, *, today: date) -> DashboardFigures:
    """Compute the dashboard figures in one read transaction (it never waits for a writer)."""
    monday, sunday = week_bounds(today)
    with uow.reading() as uow:
        kinds = queries.institutions_by_kind(uow)
        by_colour = {c: 0 for c in TriageColour}
        for colour, count in queries.residents_in_residence_by_colour(uow).items():
            by_colour[TriageColour(colour)] = count
        rounds = queries.rounds_by_status(uow, first=monday, last=sunday)
        overdue = overdue_by_colour(uow, today=today)
        expiring, expired = queries.agreements_ending(
            uow, today=today, soon=today + timedelta(days=EXPIRY_WARNING_DAYS)
        )
        today_rounds = [
            TodayRound(str(round_id), str(institution), str(team or ""), str(status), int(visits))
            for round_id, institution, team, status, visits in queries.rounds_planned_or_done_on(uow, day=today)
        ]
    active_rounds = sum(count for status, count in rounds.items() if status != "cancelled")
    return DashboardFigures(
        today=today,
        institutions=sum(kinds.values()),
        institutions_by_kind=kinds,
        residents_in_residence=sum(by_colour.values()),
        residents_by_colour=by_colour,
        rounds_this_week=active_rounds,
        rounds_done_this_week=rounds.get("done", 0),
        rounds_cancelled_this_week=rounds.get("cancelled", 0),
        overdue=sum(overdue.values()),
        overdue_by_colour=overdue,
        agreements_expiring=expiring,
        agreements_expired=expired,
        today_rounds=today_rounds,
    )


def change_mark(uow: UnitOfWork) -> str:
    """Return a mark of the last change anyone committed (another window, another workstation on a shared
    server): a page keeps the mark it was drawn at and reloads when this differs (no permission needed: it
    shows nothing of the records)."""
    with uow.reading() as uow:
        return queries.change_mark(uow)
