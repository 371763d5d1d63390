"""The round the visit page opens on — 默认巡诊: the signed-in staff member's own team's round.

:func:`round_to_open` picks, for the team of whoever is signed in, today's round, else the team's next
round, else its most recent one; without a team (an administrator) or a team round, the center's round of
today or the most recent one. Other teams' rounds stay choosable on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.services.rounds.plan import generate_rounds
from app.store.queries import visits as queries
from app.store.uow import UnitOfWork


class Why(StrEnum):
    """Why the page opens on the round: the caption beside the chooser says it."""

    TEAM_TODAY = "team_today"
    TEAM_NEXT = "team_next"
    TEAM_RECENT = "team_recent"
    ANY_TODAY = "any_today"
    ANY_RECENT = "any_recent"


@dataclass(frozen=True)
class RoundToOpen:
    """The round to open, its day and team, and why it was chosen."""

    round_id: str
    day: date
    team: str
    why: Why


def round_to_open(uow: UnitOfWork, *, today: date, days_back: int = 14) -> RoundToOpen | None:
    """Return the round the visit page should open on for the signed-in staff member (None: no round at all).

    Looks ``days_back`` days back for a recent round, as the page's chooser does. The coming week's agreed
    rounds are generated when the team has none left this week, so "the next round" can be found on a weekend.
    """
    start = today - timedelta(days=days_back)
    with uow.reading() as reader:
        team_id = None
        if reader.actor_id is not None:
            team_id = queries.team_of(reader, reader.actor_id)
    if team_id is not None:
        with uow.reading() as reader:
            rows = queries.team_rounds_on(reader, team_id, today)
        if rows:
            return _open(rows[0], Why.TEAM_TODAY)
        nxt = _next_team_round(uow, team_id, today)
        if nxt is None:
            generate_rounds(uow, week=today + timedelta(weeks=1))
            nxt = _next_team_round(uow, team_id, today)
        if nxt is not None:
            return _open(nxt, Why.TEAM_NEXT)
        with uow.reading() as reader:
            rows = queries.recent_team_rounds(reader, team_id, start, today)
        if rows:
            return _open(rows[0], Why.TEAM_RECENT)
    with uow.reading() as reader:
        rows = queries.recent_rounds(reader, start, today)
    if not rows:
        return None
    return _open(rows[0], Why.ANY_TODAY if rows[0][1] == today.isoformat() else Why.ANY_RECENT)


def _next_team_round(uow: UnitOfWork, team_id: str, today: date) -> tuple[str, str, str] | None:
    with uow.reading() as uow:
        row = queries.next_team_round(uow, team_id, today)
    return (str(row[0]), str(row[1]), str(row[2])) if row else None


def _open(row: tuple[object, ...], why: Why) -> RoundToOpen:
    return RoundToOpen(str(row[0]), date.fromisoformat(str(row[1])), str(row[2]), why)
