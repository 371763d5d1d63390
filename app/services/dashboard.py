"""Dashboard figures: institutions, residents by colour, rounds this week and today, overdue residents.

Overdue is the planning rule (:mod:`app.services.rounds.plan`): due at an earlier round and not seen since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.colours import TriageColour
from app.domain.scheduling import week_bounds
from app.services.rounds.plan import overdue_by_colour
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
        kinds = dict(uow.rows("SELECT kind, COUNT(*) FROM institution WHERE deleted = 0 GROUP BY kind"))
        by_colour = {c: 0 for c in TriageColour}
        for colour, count in uow.rows(
            "SELECT colour, COUNT(*) FROM resident WHERE deleted = 0 AND status = 'in_residence' GROUP BY colour"
        ):
            by_colour[TriageColour(colour)] = count
        rounds = dict(
            uow.rows(
                "SELECT status, COUNT(*) FROM round WHERE deleted = 0 AND round_date BETWEEN :a AND :b GROUP BY status",
                {"a": monday.isoformat(), "b": sunday.isoformat()},
            )
        )
        overdue = overdue_by_colour(uow, today=today)
        # per institution, its last agreement counts: a lapsed agreement that was renewed is not flagged
        expiring, expired = uow.rows(
            "SELECT COALESCE(SUM(last_end >= :today AND last_end <= :soon), 0), COALESCE(SUM(last_end < :today), 0) "
            "FROM (SELECT MAX(COALESCE(end_date, '9999-12-31')) AS last_end FROM agreement WHERE deleted = 0 "
            "GROUP BY institution_id)",
            {"today": today.isoformat(), "soon": (today + timedelta(days=EXPIRY_WARNING_DAYS)).isoformat()},
        )[0]
        today_rounds = [
            TodayRound(str(row[0]), str(row[1]), str(row[2] or ""), str(row[3]), int(row[4]))
            for row in uow.rows(
                "SELECT r.id, i.name, t.name, r.status, "
                "(SELECT COUNT(DISTINCT v.resident_id) FROM visit v WHERE v.round_id = r.id AND v.deleted = 0) "
                "FROM round r JOIN institution i ON i.id = r.institution_id LEFT JOIN team t ON t.id = r.team_id "
                "WHERE r.deleted = 0 AND r.round_date = :today AND r.status IN ('planned', 'done') "
                "ORDER BY i.name, r.id",
                {"today": today.isoformat()},
            )
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
        agreements_expiring=int(expiring),
        agreements_expired=int(expired),
        today_rounds=today_rounds,
    )
