"""Rounds — 巡诊安排: the week's rounds from the agreements, residents due at each, overdue residents.

- **Generating** (:mod:`app.services.rounds.calendar`). Each agreement's round weekdays give the rounds of
  a week; :func:`generate_rounds` writes the missing ones, idempotently, with ids derived from the slot.
- **Moving** keeps one row: ``round_date`` becomes the new day and ``moved_from`` keeps the agreed day it
  was first planned on (status stays *planned*), so visits and sync keep pointing at the same round.
  **Cancelling** needs a reason; a cancelled round can be **restored** (planned again); **adding** makes an
  extra round.
- **Due** (:mod:`app.services.rounds.due`) and **overdue** (:mod:`app.services.rounds.overdue`) follow
  :mod:`app.domain.scheduling`. Planning a week lists the due residents of all its rounds in one SQL
  statement (:func:`~app.services.rounds.due.due_at_rounds`); facts are never read one resident at a time
  from Python.

Every name used elsewhere stays importable from here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import select

from app.domain.colours import TriageColour
from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.scheduling import next_round, previous_round_to_come, week_label
from app.domain.triage import TriageRules
from app.domain.validation import strip_controls
from app.services.authz import require
from app.services.rounds.calendar import (
    LOOKAHEAD_WEEKS,
    ROUND_NAMESPACE,
    AgreementRow,
    agreements_of,
    generate_rounds,
    round_calendars,
    round_id_for,
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
from app.store.models import Agreement, Institution, Round
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

CANCEL_REASON_MAX = 200
"""Agreed days this many weeks past the planned week count as next rounds when no row exists yet."""

register(
    {
        "field.institution": {"zh_CN": "机构", "en": "institution"},
        "field.round": {"zh_CN": "巡诊", "en": "round"},
        "field.cancel_reason": {"zh_CN": "取消原因", "en": "reason for cancelling"},
        "rounds.no_institution": {"zh_CN": "没有这个机构", "en": "no such institution"},
        "rounds.no_round": {"zh_CN": "找不到该巡诊", "en": "no such round"},
        "rounds.no_round_on_day": {
            "zh_CN": "{institution} 在 {date} 没有巡诊安排",
            "en": "{institution} has no round on {date}",
        },
        "rounds.already_on_day": {
            "zh_CN": "{institution} 在这一天已有巡诊",
            "en": "{institution} already has a round that day",
        },
        "rounds.cannot_change": {
            "zh_CN": "该巡诊已{status}，不能再调整",
            "en": "the round is {status} and can no longer be changed",
        },
        "rounds.has_visits": {
            "zh_CN": "该巡诊已有 {count} 条巡诊记录，不能取消",
            "en": "the round already has {count} visit(s) recorded and cannot be cancelled",
        },
        "rounds.same_day": {"zh_CN": "与原日期相同", "en": "the same day as now"},
        "rounds.not_cancelled": {
            "zh_CN": "该巡诊未取消（{status}），无需恢复",
            "en": "the round is not cancelled ({status}): nothing to restore",
        },
        "rounds.reason_required": {"zh_CN": "请填写取消原因", "en": "give a reason for cancelling"},
        "rounds.reason_too_long": {"zh_CN": "最多 {maximum} 个字", "en": "at most {maximum} characters"},
        "round.status.planned": {"zh_CN": "计划", "en": "planned"},
        "round.status.done": {"zh_CN": "已完成", "en": "done"},
        "round.status.cancelled": {"zh_CN": "已取消", "en": "cancelled"},
        "round.status.moved": {"zh_CN": "已改期", "en": "moved"},
    }
)


class RoundNotFound(DomainError):
    """No round with this id (or on this day)."""


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
            :attr:`WeekPlan.created` says how many were written.
    """
    monday = week - timedelta(days=week.weekday())
    created = generate_rounds(uow, week=monday, today=today, institution_id=institution_id) if generate else 0
    with bulk_objects():  # once for the whole plan: re-enabling the collector costs a full collection
        return _plan(uow, monday, today, institution_id, created)


def _plan(uow: UnitOfWork, monday: date, today: date, institution_id: str | None, created: int) -> WeekPlan:
    sunday = monday + timedelta(days=6)
    with uow.reading() as uow:
        rules = current_rules(uow).rules
        agreements = agreements_of(uow)
        rounds = _week_rounds(uow, monday, sunday, institution_id)
        teams = tuple(
            TeamInfo(*row) for row in uow.fast_rows("SELECT id, name, phone FROM team WHERE deleted = 0 ORDER BY name")
        )
        names = dict(uow.fast_rows("SELECT id, name FROM institution WHERE deleted = 0"))
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
    residents = dict(
        uow.fast_rows(
            "SELECT institution_id, COUNT(*) FROM resident WHERE deleted = 0 AND status = 'in_residence' "
            "AND institution_id IN (SELECT value FROM json_each(:ids)) GROUP BY institution_id",
            {"ids": json.dumps(candidates)},
        )
    )
    found = [
        EndedAgreement(
            institution, names[institution], last_end[institution], residents[institution], booked.get(institution, 0)
        )
        for institution in candidates
        if residents.get(institution)
    ]
    return tuple(sorted(found, key=lambda item: item.institution))


def _week_rounds(uow: UnitOfWork, monday: date, sunday: date, institution_id: str | None) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"a": monday.isoformat(), "b": sunday.isoformat()}
    where = "r.deleted = 0 AND r.round_date BETWEEN :a AND :b"
    if institution_id is not None:
        where += " AND r.institution_id = :institution"
        params["institution"] = institution_id
    rows = uow.fast_rows(
        "SELECT r.id, r.institution_id, r.team_id, COALESCE(t.name, ''), r.round_date, r.status, r.moved_from, "
        f"r.cancel_reason, r.note FROM round r LEFT JOIN team t ON t.id = r.team_id WHERE {where}",
        params,
    )
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
    return dict(
        uow.fast_rows(
            "SELECT round_id, COUNT(*) FROM visit WHERE round_id IN (SELECT value FROM json_each(:ids)) "
            "AND outcome = 'seen' AND deleted = 0 GROUP BY round_id",
            {"ids": json.dumps(list(round_ids))},
        )
    )


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
        rows = uow.fast_rows(
            "SELECT id, status FROM round WHERE deleted = 0 AND institution_id = :i AND round_date = :d "
            "ORDER BY status = 'cancelled'",
            {"i": institution_id, "d": day.isoformat()},
        )
        name = uow.fast_rows("SELECT name FROM institution WHERE id = :i", {"i": institution_id})
    if not rows or rows[0][1] == "cancelled":
        raise RoundNotFound(
            "rounds.no_round_on_day", institution=name[0][0] if name else institution_id, date=day.isoformat()
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
        rows = uow.fast_rows(
            "SELECT r.id, r.institution_id, r.team_id, COALESCE(t.name, ''), r.round_date, r.status, r.moved_from, "
            "r.cancel_reason, r.note, i.name FROM round r JOIN institution i ON i.id = r.institution_id "
            "LEFT JOIN team t ON t.id = r.team_id WHERE r.id = :id AND r.deleted = 0",
            {"id": round_id},
        )
        if not rows:
            raise RoundNotFound("rounds.no_round")
        (rid, institution_id, team_id, team, day_text, status, moved_from, cancel_reason, note, institution) = rows[0]
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
            seen_ids = {
                row[0]
                for row in uow.fast_rows(
                    "SELECT DISTINCT resident_id FROM visit WHERE round_id = :id AND deleted = 0", {"id": rid}
                )
            }
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


# --- changing rounds -----------------------------------------------------------------------------------------------


def _live_round(uow: UnitOfWork, round_id: str) -> Round:
    row = uow.session.get(Round, round_id)
    if row is None or row.deleted:
        raise RoundNotFound("rounds.no_round")
    return row


def _institution_name(uow: UnitOfWork, institution_id: str) -> str:
    institution = uow.session.get(Institution, institution_id)
    return institution.name if institution is not None else institution_id


def _occupied(uow: UnitOfWork, institution_id: str, day: date, *, other_than: str | None = None) -> bool:
    rows = uow.fast_rows(
        "SELECT id FROM round WHERE deleted = 0 AND status != 'cancelled' AND institution_id = :i AND round_date = :d",
        {"i": institution_id, "d": day.isoformat()},
    )
    return any(row[0] != other_than for row in rows)


def add_round(uow: UnitOfWork, *, institution_id: str, day: date, note: str = "") -> str:
    """Add an extra round of an institution on ``day``; the team comes from the agreement in force.

    Returns:
        The new round's id.

    Raises:
        PermissionDenied: the role may not plan rounds.
        ValidationError: on ``institution`` for an unknown institution, on ``date`` when it already has a
            round that day.
    """
    with uow:
        require(uow, Action.PLAN_ROUNDS)
        institution = uow.session.get(Institution, institution_id)
        if institution is None or institution.deleted:
            raise ValidationError("institution", institution_id, "rounds.no_institution")
        if _occupied(uow, institution_id, day):
            raise ValidationError("date", day.isoformat(), "rounds.already_on_day", institution=institution.name)
        agreement = _agreement_on(uow, institution_id, day)
        row = Round(
            institution_id=institution_id,
            team_id=agreement.team_id if agreement else None,
            agreement_id=agreement.id if agreement else None,
            round_date=day,
            status="planned",
            note=" ".join(strip_controls(note).split())[:200],
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def _agreement_on(uow: UnitOfWork, institution_id: str, day: date) -> Agreement | None:
    """Return the institution's agreement in force on ``day`` (the latest-starting), or None."""
    best: Agreement | None = None
    for agreement in uow.session.exec(
        select(Agreement).where(Agreement.institution_id == institution_id, Agreement.deleted == False)
    ):
        in_force = agreement.start_date <= day and (agreement.end_date is None or agreement.end_date >= day)
        if in_force and (best is None or agreement.start_date > best.start_date):
            best = agreement
    return best


def _changeable(round_row: Round) -> None:
    if round_row.status in ("done", "cancelled"):
        raise ValidationError(
            "round",
            round_row.round_date.isoformat(),
            "rounds.cannot_change",
            status=_status_label(round_row.status),
        )


def _status_label(status: str) -> str:
    return t(f"round.status.{status}")


def move_round(uow: UnitOfWork, *, round_id: str, to: date) -> None:
    """Move a planned round to another day; ``moved_from`` keeps the day it was first planned on.

    Raises:
        PermissionDenied: the role may not plan rounds.
        RoundNotFound: no such round.
        ValidationError: the round is done or cancelled, the day is the same, or the institution already
            has a round on ``to``.
    """
    with uow:
        require(uow, Action.PLAN_ROUNDS)
        row = _live_round(uow, round_id)
        _changeable(row)
        if row.round_date == to:
            raise ValidationError("date", to.isoformat(), "rounds.same_day")
        if _occupied(uow, row.institution_id, to, other_than=row.id):
            raise ValidationError(
                "date", to.isoformat(), "rounds.already_on_day", institution=_institution_name(uow, row.institution_id)
            )
        if row.moved_from is None:
            row.moved_from = row.round_date
        elif row.moved_from == to:
            row.moved_from = None  # moved back to the agreed day
        row.round_date = to
        uow.session.add(row)
        uow.commit()


def cancel_round(uow: UnitOfWork, *, round_id: str, reason: str) -> None:
    """Cancel a planned round, with the reason (the agreed slot is not generated again).

    Raises:
        PermissionDenied: the role may not plan rounds.
        RoundNotFound: no such round.
        ValidationError: no reason or a reason too long, the round is done or cancelled, or visits were
            already recorded at it.
    """
    cleaned = " ".join(strip_controls(reason).split())
    if not cleaned:
        raise ValidationError("cancel_reason", reason, "rounds.reason_required")
    if len(cleaned) > CANCEL_REASON_MAX:
        raise ValidationError("cancel_reason", cleaned[:20] + "…", "rounds.reason_too_long", maximum=CANCEL_REASON_MAX)
    with uow:
        require(uow, Action.PLAN_ROUNDS)
        row = _live_round(uow, round_id)
        _changeable(row)
        visits = uow.fast_rows("SELECT COUNT(*) FROM visit WHERE round_id = :id AND deleted = 0", {"id": round_id})[0][
            0
        ]
        if visits:
            raise ValidationError("round", row.round_date.isoformat(), "rounds.has_visits", count=visits)
        row.status = "cancelled"
        row.cancel_reason = cleaned
        uow.session.add(row)
        uow.commit()


def restore_round(uow: UnitOfWork, *, round_id: str) -> None:
    """Bring a cancelled round back as planned (a cancellation made by mistake, or the reason gone).

    The reason is cleared on the round; the audit trail keeps the cancellation and the restoring (who, when,
    the reason as it was).

    Raises:
        PermissionDenied: the role may not plan rounds.
        RoundNotFound: no such round.
        ValidationError: on ``round`` when it is not cancelled, on ``date`` when the institution has another
            round that day by now (an extra round added in its place).
    """
    with uow:
        require(uow, Action.PLAN_ROUNDS)
        row = _live_round(uow, round_id)
        if row.status != "cancelled":
            raise ValidationError(
                "round", row.round_date.isoformat(), "rounds.not_cancelled", status=_status_label(row.status)
            )
        if _occupied(uow, row.institution_id, row.round_date, other_than=row.id):
            raise ValidationError(
                "date",
                row.round_date.isoformat(),
                "rounds.already_on_day",
                institution=_institution_name(uow, row.institution_id),
            )
        row.status = "planned"
        row.cancel_reason = ""
        uow.session.add(row)
        uow.commit()


def institutions_with_agreements(uow: UnitOfWork, *, today: date) -> list[tuple[str, str]]:
    """Return (id, name) of institutions with an agreement in force on ``today`` or later, by name."""
    with uow.reading() as uow:
        rows = uow.fast_rows(
            "SELECT DISTINCT i.id, i.name FROM institution i JOIN agreement a ON a.institution_id = i.id "
            "WHERE i.deleted = 0 AND a.deleted = 0 AND (a.end_date IS NULL OR a.end_date >= :today) ORDER BY i.name",
            {"today": today.isoformat()},
        )
    return [(row[0], row[1]) for row in rows]
