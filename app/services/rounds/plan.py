"""Rounds — 巡诊安排: the week's rounds from the agreements, residents due at each, overdue residents.

- **Generating** (:mod:`app.services.rounds.calendar`). Each agreement's round weekdays give the rounds of
  a week; :func:`generate_rounds` writes the missing ones, idempotently, with ids derived from the slot.
- **Changing a round** (:mod:`app.services.rounds.changes`): moving keeps one row (``moved_from`` keeps the
  agreed day), cancelling needs a reason, a cancelled round can be restored, adding makes an extra round.
- **Due** (:mod:`app.services.rounds.due`) and **overdue** (:mod:`app.services.rounds.overdue`) follow
  :mod:`app.domain.scheduling`. Planning a week lists the due residents of all its rounds in one SQL
  statement (:func:`~app.services.rounds.due.due_at_rounds`); facts are never read one resident at a time
  from Python.

Every name used elsewhere stays importable from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.domain.colours import TriageColour
from app.domain.i18n import register
from app.domain.scheduling import next_round, previous_round_to_come, week_label
from app.domain.triage import TriageRules
from app.services.rounds.calendar import (
    LOOKAHEAD_WEEKS,
    ROUND_NAMESPACE,
    AgreementRow,
    agreements_of,
    generate_rounds,
    round_calendars,
    round_id_for,
)
from app.services.rounds.changes import (
    CANCEL_REASON_MAX,
    RoundNotFound,
    add_round,
    cancel_round,
    move_round,
    restore_round,
)
from app.services.rounds.due import (
    DueResident,
    DueRound,
    DueRow,
    bulk_objects,
    due_at_rounds,
    due_residents,
    load_due_rows,
    load_due_rows_on,
)
from app.services.rounds.overdue import OverdueResident, overdue_by_colour, overdue_residents
from app.services.triage import current_rules
from app.store.queries import institutions as institution_queries
from app.store.queries import rounds as queries
from app.store.uow import UnitOfWork

__all__ = [
    "CANCEL_REASON_MAX",
    "LOOKAHEAD_WEEKS",
    "ROUND_NAMESPACE",
    "AgreementGap",
    "DueResident",
    "DueRow",
    "EndedAgreement",
    "OverdueResident",
    "PlannedRound",
    "RoundDue",
    "RoundNotFound",
    "TeamInfo",
    "WeekPlan",
    "add_round",
    "cancel_round",
    "generate_rounds",
    "institutions_with_agreements",
    "load_due_rows",
    "move_round",
    "overdue_by_colour",
    "overdue_residents",
    "plan_week",
    "restore_round",
    "round_due",
    "round_id_for",
    "round_on",
]

register(
    {
        "rounds.no_round_on_day": {
            "zh_CN": "{institution} 在 {date} 没有巡诊安排",
            "en": "{institution} has no round on {date}",
        },
    }
)


@dataclass(frozen=True)
class PlannedRound:
    """A round of the week with the residents due at it.

    Attributes:
        due: residents due, red first then building/room/bed; empty for past and cancelled rounds.
        seen: visits with outcome "seen" recorded at the round (for rounds already held).
        next_date: the institution's next round after this one (what "due" looks ahead to).
    """

    id: str
    institution_id: str
    institution: str
    team_id: str | None
    team: str
    day: date
    status: str
    moved_from: date | None
    cancel_reason: str
    note: str
    due: tuple[DueResident, ...] = ()
    seen: int = 0
    next_date: date | None = None
    past: bool = False

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def due_by_colour(self) -> dict[TriageColour, int]:
        counts = {colour: 0 for colour in TriageColour}
        for resident in self.due:
            counts[resident.colour] += 1
        return counts


@dataclass(frozen=True)
class AgreementGap:
    """An institution whose agreement is in force this week but has fewer rounds than it requires."""

    institution_id: str
    institution: str
    team: str
    rounds: int
    required: int


@dataclass(frozen=True)
class EndedAgreement:
    """An institution with residents in residence whose agreement ended before the week.

    Attributes:
        rounds: its rounds booked in the week all the same (not cancelled): with any, its residents are not
            left without rounds — the agreement needs renewing.
    """

    institution_id: str
    institution: str
    ended: date
    residents: int
    rounds: int = 0


@dataclass(frozen=True)
class TeamInfo:
    id: str
    name: str
    phone: str = ""


@dataclass(frozen=True)
class WeekPlan:
    """The rounds of one ISO week (Monday to Sunday), with residents due, and agreements not met."""

    monday: date
    today: date
    rounds: tuple[PlannedRound, ...]
    gaps: tuple[AgreementGap, ...]
    teams: tuple[TeamInfo, ...]
    created: int = 0
    ended: tuple[EndedAgreement, ...] = ()
    """Institutions dropped from the rounds because their agreement ended (see :func:`plan_week`)."""

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=n) for n in range(7)]

    def round(self, round_id: str) -> PlannedRound | None:
        return next((r for r in self.rounds if r.id == round_id), None)


# --- planning a week --------------------------------------------------------------------------------------------


def plan_week(
    uow: UnitOfWork,
    *,
    week: date,
    today: date,
    institution_id: str | None = None,
    generate: bool = True,
) -> WeekPlan:
    """Return the rounds of the ISO week containing ``week`` with the residents due at each.

    Rounds on or after ``today`` list the residents due as of today's records; rounds already held show
    how many residents were seen. Institutions whose agreement is in force but which have fewer rounds
    than the agreed minimum (at least one a week) are listed as gaps; institutions with residents in
    residence whose last agreement ended before the week (and none in force in it) are listed as ``ended``.

    Args:
        week: any day of the week.
        today: the reference day.
        institution_id: only this institution.
        generate: first write the agreed rounds the week is missing (idempotent), only for a week from
            ``today``'s week on (a past week shows the rounds it had) and only for ``institution_id`` if given;
            :attr:`WeekPlan.created` says how many were written. Never on a read-only database.
    """
    monday = week - timedelta(days=week.weekday())
    # a read-only database is shown as it is: the missing rounds cannot be written (issue 12 §6)
    generate = generate and not uow.database.read_only
    created = generate_rounds(uow, week=monday, today=today, institution_id=institution_id) if generate else 0
    with bulk_objects():  # once for the whole plan: re-enabling the collector costs a full collection
        return _plan(uow, monday, today, institution_id, created)


def _plan(uow: UnitOfWork, monday: date, today: date, institution_id: str | None, created: int) -> WeekPlan:
    sunday = monday + timedelta(days=6)
    with uow.reading() as uow:
        rules = current_rules(uow).rules
        agreements = agreements_of(uow)
        rounds = _week_rounds(uow, monday, sunday, institution_id)
        teams = tuple(TeamInfo(*row) for row in queries.teams_with_phones(uow))
        names = institution_queries.live_names(uow)
        upcoming = [r for r in rounds if r["status"] != "cancelled" and r["date"] >= today]
        held = [r for r in rounds if r["date"] < today]
        seen = _seen_counts(uow, [r["id"] for r in held])
        calendars: dict[str, list[date]] = {}
        due: dict[str, list[DueResident]] = {}
        following: dict[str, date] = {}
        if upcoming:
            calendars = round_calendars(
                uow, agreements, until=sunday + timedelta(weeks=LOOKAHEAD_WEEKS), virtual_from=monday
            )
            wanted = [
                DueRound(
                    r["institution_id"],
                    r["date"],
                    next_round(calendars.get(r["institution_id"], []), r["date"]),
                    previous_round_to_come(calendars.get(r["institution_id"], []), r["date"], today),
                )
                for r in upcoming
            ]
            lists = due_at_rounds(uow, rules=rules, rounds=wanted)
            due = {r["id"]: found for r, found in zip(upcoming, lists, strict=True)}
            following = {r["id"]: w.next_day for r, w in zip(upcoming, wanted, strict=True)}
    planned = [
        PlannedRound(
            id=r["id"],
            institution_id=r["institution_id"],
            institution=names.get(r["institution_id"], ""),
            team_id=r["team_id"],
            team=r["team"],
            day=r["date"],
            status=r["status"],
            moved_from=r["moved_from"],
            cancel_reason=r["cancel_reason"],
            note=r["note"],
            due=tuple(due.get(r["id"], ())),
            seen=seen.get(r["id"], 0),
            next_date=following.get(r["id"]),
            past=r["date"] < today,
        )
        for r in rounds
    ]
    planned.sort(key=lambda p: (p.day, p.team, p.institution))
    gaps = _gaps(agreements, planned, monday, names, {t.id: t.name for t in teams}, institution_id)
    booked: dict[str, int] = {}
    for p in planned:
        if not p.cancelled:
            booked[p.institution_id] = booked.get(p.institution_id, 0) + 1
    with uow.reading() as uow:
        ended = _ended(uow, agreements, monday, names, institution_id, booked)
    return WeekPlan(monday, today, tuple(planned), gaps, teams, created, ended)


def _ended(
    uow: UnitOfWork,
    agreements: Sequence[AgreementRow],
    monday: date,
    names: dict[str, str],
    institution_id: str | None,
    booked: dict[str, int],
) -> tuple[EndedAgreement, ...]:
    sunday = monday + timedelta(days=6)
    last_end: dict[str, date] = {}
    covered: set[str] = set()
    for agreement in agreements:
        if institution_id is not None and agreement.institution_id != institution_id:
            continue
        if agreement.start <= sunday and (agreement.end is None or agreement.end >= monday):
            covered.add(agreement.institution_id)
        elif agreement.end is not None and agreement.end < monday:
            previous = last_end.get(agreement.institution_id)
            last_end[agreement.institution_id] = max(previous, agreement.end) if previous else agreement.end
    candidates = [i for i in last_end if i not in covered and i in names]
    if not candidates:
        return ()
    residents = queries.in_residence_counts(uow, candidates)
    found = [
        EndedAgreement(
            institution, names[institution], last_end[institution], residents[institution], booked.get(institution, 0)
        )
        for institution in candidates
        if residents.get(institution)
    ]
    return tuple(sorted(found, key=lambda item: item.institution))


def _week_rounds(uow: UnitOfWork, monday: date, sunday: date, institution_id: str | None) -> list[dict[str, Any]]:
    rows = queries.week_rounds(uow, monday, sunday, institution_id)
    return [
        {
            "id": row[0],
            "institution_id": row[1],
            "team_id": row[2],
            "team": row[3],
            "date": date.fromisoformat(row[4]),
            "status": row[5],
            "moved_from": date.fromisoformat(row[6]) if row[6] else None,
            "cancel_reason": row[7] or "",
            "note": row[8] or "",
        }
        for row in rows
    ]


def _seen_counts(uow: UnitOfWork, round_ids: Sequence[str]) -> dict[str, int]:
    if not round_ids:
        return {}
    return queries.seen_counts(uow, round_ids)


def _gaps(
    agreements: Sequence[AgreementRow],
    planned: Sequence[PlannedRound],
    monday: date,
    names: dict[str, str],
    team_names: dict[str, str],
    institution_id: str | None,
) -> tuple[AgreementGap, ...]:
    sunday = monday + timedelta(days=6)
    required: dict[str, tuple[int, str | None]] = {}
    for agreement in agreements:
        if institution_id is not None and agreement.institution_id != institution_id:
            continue
        if agreement.start <= sunday and (agreement.end is None or agreement.end >= monday):
            previous = required.get(agreement.institution_id, (0, None))
            required[agreement.institution_id] = (max(previous[0], agreement.minimum), agreement.team_id)
    held: dict[str, int] = {}
    for r in planned:
        if not r.cancelled:
            held[r.institution_id] = held.get(r.institution_id, 0) + 1
    gaps = [
        AgreementGap(
            institution, names.get(institution, ""), team_names.get(team or "", ""), held.get(institution, 0), minimum
        )
        for institution, (minimum, team) in required.items()
        if held.get(institution, 0) < minimum and institution in names
    ]
    return tuple(sorted(gaps, key=lambda gap: gap.institution))


# --- one round --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundDue:
    """One round and the residents due at it (for the round sheet and the week view's detail).

    Attributes:
        due: the residents due; for a round already held, as of that day (see :func:`round_due`).
        visited: for a round already held, the residents visited at it who were not due, in the same order.
    """

    round: PlannedRound
    due: tuple[DueResident, ...]
    rules: TriageRules = field(repr=False, default_factory=TriageRules)
    visited: tuple[DueResident, ...] = ()


def round_on(uow: UnitOfWork, *, institution_id: str, day: date, today: date | None = None) -> str:
    """Return the id of the institution's round on ``day``, not a cancelled one.

    The institution's agreed rounds of that week are generated first, unless the week is before ``today``'s
    (a past week keeps the rounds it had).

    Raises:
        RoundNotFound: there is no round that day.
    """
    generate_rounds(uow, week=day, today=today, institution_id=institution_id)
    with uow.reading() as uow:
        rows = queries.rounds_on(uow, institution_id, day)
        name = institution_queries.name_of(uow, institution_id)
    if not rows or rows[0][1] == "cancelled":
        raise RoundNotFound(
            "rounds.no_round_on_day", institution=name if name is not None else institution_id, date=day.isoformat()
        )
    return str(rows[0][0])


def round_due(uow: UnitOfWork, *, round_id: str, today: date) -> RoundDue:
    """Return a round and the residents due at it.

    A round on or after ``today`` lists the residents due as of today's records. A round already held
    (before ``today``) lists them as they were that day: the residents living at the institution on the
    day (not those admitted later), due by the records dated before it, with the colour confirmed by then;
    ``visited`` adds the residents visited at the round who were not due.

    Raises:
        RoundNotFound: no such round.
    """
    with uow.reading() as uow:
        found = queries.round_row(uow, round_id)
        if found is None:
            raise RoundNotFound("rounds.no_round")
        (rid, institution_id, team_id, team, day_text, status, moved_from, cancel_reason, note, institution) = found
        day = date.fromisoformat(day_text)
        rules = current_rules(uow).rules
        agreements = [a for a in agreements_of(uow) if a.institution_id == institution_id]
        calendar = round_calendars(
            uow, agreements, until=day + timedelta(weeks=LOOKAHEAD_WEEKS + 1), virtual_from=min(day, today)
        ).get(institution_id, [])
        following = next_round(calendar, day)
        visited: list[DueResident] = []
        if day < today:
            on_day = load_due_rows_on(uow, rules=rules, institution_id=institution_id, day=day, round_id=rid)
            due = due_residents(on_day, day, following, rules.visits)
            seen_ids = queries.visited_at(uow, rid)
            listed = {d.resident_id for d in due}
            others = [row for row in on_day if row.resident_id in seen_ids and row.resident_id not in listed]
            visited = _in_sheet_order(others, day, following, rules)
        else:
            due = due_residents(
                load_due_rows(uow, rules=rules, institution_ids=[institution_id]),
                day,
                following,
                rules.visits,
                previous_round_to_come(calendar, day, today),
            )
    planned = PlannedRound(
        rid,
        institution_id,
        institution,
        team_id,
        team,
        day,
        status,
        date.fromisoformat(moved_from) if moved_from else None,
        cancel_reason or "",
        note or "",
        tuple(due),
        next_date=following,
        past=day < today,
    )
    return RoundDue(planned, tuple(due), rules, tuple(visited))


def _in_sheet_order(rows: Sequence[DueRow], day: date, following: date, rules: TriageRules) -> list[DueResident]:
    """Return ``rows`` (in bed order) as residents of a round, red first (whether or not due)."""
    built = [DueResident(row, day.toordinal(), following.toordinal(), rules.visits) for row in rows]
    order = {TriageColour.RED: 0, TriageColour.YELLOW: 1, TriageColour.GREEN: 2}
    return sorted(built, key=lambda resident: order[resident.colour])


def institutions_with_agreements(uow: UnitOfWork, *, today: date) -> list[tuple[str, str]]:
    """Return (id, name) of institutions with an agreement in force on ``today`` or later, by name."""
    with uow.reading() as uow:
        rows = queries.institutions_with_agreements(uow, today)
    return [(row[0], row[1]) for row in rows]
