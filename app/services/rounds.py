"""Rounds — 巡诊安排: the week's rounds from the agreements, residents due at each, overdue residents.

- **Generating.** Each agreement's round weekdays give the rounds of a week. :func:`generate_rounds` writes
  the missing ones; it is idempotent: a slot (institution, agreed day) is filled by any round on that day
  or moved away from it (``moved_from``), cancelled ones included. Generated rounds get an id derived from
  the slot, so two devices that generate the same week offline make the same rows, not duplicates.
- **Moving** keeps one row: ``round_date`` becomes the new day and ``moved_from`` keeps the agreed day it
  was first planned on (status stays *planned*), so visits and sync keep pointing at the same round.
  **Cancelling** needs a reason; **adding** makes an extra round.
- **Due and overdue** follow :mod:`app.domain.scheduling`, with facts loaded in bulk: the residents, each
  one's last "seen" visit (the ``ix_visit_seen`` partial index), last annual check and last chronic
  follow-up — a few queries for the whole center, never one per resident.
"""

from __future__ import annotations

import gc
import json
import os
import uuid
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlmodel import select

from app.domain.agreements import parse_weekdays
from app.domain.colours import TriageColour
from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.scheduling import (
    DueFacts,
    DueReason,
    DueWindows,
    Overdue,
    agreed_dates,
    due_at_round,
    due_windows_of,
    missed_since,
    next_round,
    outstanding,
    week_label,
)
from app.domain.triage import TriageRules, VisitRules, age_on
from app.services.authz import require
from app.services.triage import bed_sort_key, current_rules
from app.store.models import Agreement, Institution, Round
from app.store.uow import UnitOfWork

ROUND_NAMESPACE = uuid.UUID("8f6b1d1e-5d0e-4a53-9a43-0c7f3c1f6a52")
CANCEL_REASON_MAX = 200
LOOKAHEAD_WEEKS = 2
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


# --- results -------------------------------------------------------------------------------------------------


class DueResident(NamedTuple):
    """A resident due at a round, and why (the reasons are worked out when asked for).

    Attributes:
        row: the resident's facts and due windows.
        round_day, next_day: the round and the institution's next round (day ordinals).
        visits: the visit rules the plan used.
    """

    row: DueRow
    round_day: int
    next_day: int
    visits: VisitRules

    @property
    def resident_id(self) -> str:
        return self.row.resident_id

    @property
    def name(self) -> str:
        return self.row.name

    @property
    def sex(self) -> str:
        return self.row.sex

    @property
    def building(self) -> str:
        return self.row.building

    @property
    def room(self) -> str:
        return self.row.room

    @property
    def bed(self) -> str:
        return self.row.bed

    @property
    def colour(self) -> TriageColour:
        return self.row.colour

    @property
    def birth_date(self) -> date:
        return date.fromordinal(self.row.birth)

    @property
    def last_seen(self) -> date | None:
        return _day(self.row.last_seen)

    @property
    def facts(self) -> DueFacts:
        return self.row.facts()

    @property
    def reasons(self) -> tuple[DueReason, ...]:
        """Return why the resident is due at this round, colour first."""
        return due_at_round(
            self.facts, date.fromordinal(self.round_day), date.fromordinal(self.next_day), self.visits
        )

    @property
    def bed_label(self) -> str:
        return "-".join(part for part in (self.building, self.room, self.bed) if part)

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)

    def __repr__(self) -> str:
        return f"DueResident({self.name!r}, {self.bed_label!r}, {self.colour.value})"


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


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


# --- generating rounds ----------------------------------------------------------------------------------------


def round_id_for(institution_id: str, day: date) -> str:
    """Return the id a generated round of ``institution_id`` on ``day`` gets (the same on every device)."""
    return str(uuid.uuid5(ROUND_NAMESPACE, f"{institution_id}/{day.isoformat()}"))


class _AgreementRow(NamedTuple):
    id: str
    institution_id: str
    team_id: str | None
    start: date
    end: date | None
    weekdays: tuple[int, ...]
    minimum: int


def _agreements(uow: UnitOfWork) -> list[_AgreementRow]:
    rows = []
    for agreement_id, institution_id, team_id, start, end, weekdays, minimum in uow.fast_rows(
        "SELECT a.id, a.institution_id, a.team_id, a.start_date, a.end_date, a.round_weekdays, "
        "a.min_rounds_per_week FROM agreement a JOIN institution i ON i.id = a.institution_id "
        "WHERE a.deleted = 0 AND i.deleted = 0"
    ):
        try:
            days = parse_weekdays(weekdays or "")
        except ValidationError:
            days = ()  # an agreement without valid weekdays generates nothing (its page flags it)
        rows.append(
            _AgreementRow(
                agreement_id, institution_id, team_id, date.fromisoformat(start),
                date.fromisoformat(end) if end else None, days, max(1, minimum or 1),
            )
        )
    return rows


def _filled_slots(uow: UnitOfWork, start: date, end: date) -> set[tuple[str, date]]:
    """Return (institution, day) slots between ``start`` and ``end`` taken by a round or a moved round."""
    slots: set[tuple[str, date]] = set()
    for institution_id, day, moved_from in uow.fast_rows(
        "SELECT institution_id, round_date, moved_from FROM round WHERE deleted = 0 "
        "AND (round_date BETWEEN :a AND :b OR moved_from BETWEEN :a AND :b)",
        {"a": start.isoformat(), "b": end.isoformat()},
    ):
        slots.add((institution_id, date.fromisoformat(day)))
        if moved_from:
            slots.add((institution_id, date.fromisoformat(moved_from)))
    return slots


def _generate(uow: UnitOfWork, monday: date) -> int:
    """Add the missing agreed rounds of the week (inside ``with uow``); return how many were added."""
    sunday = monday + timedelta(days=6)
    filled = _filled_slots(uow, monday, sunday)
    created = 0
    for agreement in _agreements(uow):
        for day in agreed_dates(agreement.weekdays, monday, agreement.start, agreement.end):
            slot = (agreement.institution_id, day)
            if slot in filled:
                continue
            round_id = round_id_for(*slot)
            if uow.session.get(Round, round_id) is not None:
                continue  # generated before and since deleted or moved out of sight: never again
            uow.session.add(
                Round(
                    id=round_id,
                    institution_id=agreement.institution_id,
                    team_id=agreement.team_id,
                    agreement_id=agreement.id,
                    round_date=day,
                    status="planned",
                )
            )
            filled.add(slot)
            created += 1
    return created


def generate_rounds(uow: UnitOfWork, *, week: date) -> int:
    """Write the agreed rounds of the week containing ``week`` that do not exist yet.

    Returns:
        How many rounds were added (0 when the week was complete).
    """
    monday = week - timedelta(days=week.weekday())
    with uow:
        created = _generate(uow, monday)
        if created:
            uow.commit()
        return created


# --- due facts ------------------------------------------------------------------------------------------------


READ_THREADS = 2
"""Connections reading at once when a plan covers the whole center (the queries are independent)."""

PARALLEL_MIN_CPUS = 4
"""Read on two connections only with this many processors: on two busy cores it measured slower."""


def read_together(
    uow: UnitOfWork, statements: Sequence[str], params: dict[str, Any], *, parallel: bool = True
) -> list[list[tuple[Any, ...]]]:
    """Run independent read-only queries, on more than one connection at once when ``parallel``.

    SQLite in WAL mode lets several connections read together, and Python's sqlite3 releases the GIL while
    SQLite works, so with idle cores the four planning queries take about half as long. Every other
    statement runs on the unit of work's own connection, the rest on a helper thread's own connection.
    """
    if not parallel or len(statements) < 2:
        return [uow.fast_rows(sql, params) for sql in statements]

    def on_own_connection(sql: str) -> list[tuple[Any, ...]]:
        with uow.database.engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            return driver.execute(sql, params).fetchall()  # type: ignore[no-any-return]

    helpers = statements[1::2]  # every other statement on a helper thread, the rest here
    with ThreadPoolExecutor(max_workers=READ_THREADS - 1, thread_name_prefix="plan-read") as pool:
        futures = [pool.submit(on_own_connection, sql) for sql in helpers]
        mine = [uow.fast_rows(sql, params) for sql in statements[0::2]]
        theirs = [future.result() for future in futures]
    results: list[list[tuple[Any, ...]]] = []
    for index in range(len(statements)):
        results.append(mine[index // 2] if index % 2 == 0 else theirs[index // 2])
    return results


_ORDINAL = "CAST(julianday({}) - 1721424.5 AS INTEGER)"
"""SQL for a date column as ``date.toordinal()``: dates reach Python as plain numbers, parsed by SQLite."""


class DueRow(NamedTuple):
    """A resident in residence with the facts due depends on (day ordinals) and their due windows.

    ``data`` is the resident's row as read: id, institution, colour, birth, annual-check start, since, name,
    sex, building, room, bed.
    """

    data: tuple[Any, ...]
    colour: TriageColour
    last_seen: int | None
    last_check: int | None
    chronic: bool
    last_follow_up: int | None
    windows: DueWindows

    @property
    def resident_id(self) -> str:
        return str(self.data[0])

    @property
    def institution_id(self) -> str:
        return str(self.data[1])

    @property
    def birth(self) -> int:
        return int(self.data[3])

    @property
    def since(self) -> int | None:
        return self.data[5]  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        return str(self.data[6])

    @property
    def sex(self) -> str:
        return str(self.data[7])

    @property
    def building(self) -> str:
        return str(self.data[8] or "")

    @property
    def room(self) -> str:
        return str(self.data[9] or "")

    @property
    def bed(self) -> str:
        return str(self.data[10] or "")

    def facts(self) -> DueFacts:
        return DueFacts(
            self.colour, date.fromordinal(self.birth), _day(self.last_seen), _day(self.since),
            _day(self.last_check), self.chronic, _day(self.last_follow_up),
        )


@contextmanager
def bulk_objects() -> Iterator[None]:
    """Pause the cyclic garbage collector while building objects for every resident.

    Building 100 000 small objects triggers collections that each walk everything alive, which costs
    more than the building itself; none of these objects form cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_due_rows(
    uow: UnitOfWork, *, rules: TriageRules, institution_ids: Sequence[str] | None = None
) -> list[DueRow]:
    """Return every resident in residence (of ``institution_ids``, or all) with the facts due depends on.

    Four queries, whatever the number of residents: the residents; the last "seen" visit per resident
    (``ix_visit_seen``); the last annual check per resident (``ix_assessment_resident_kind_date``); the
    last chronic follow-up of residents with a condition that needs one.
    """
    visits = rules.visits
    params: dict[str, Any] = {
        "codes": json.dumps(list(visits.chronic_follow_up_conditions)),
        "years": f"+{visits.annual_check_age} years",
    }
    where = "r.deleted = 0 AND r.status = 'in_residence'"
    related = ""
    if institution_ids is not None:
        params["institutions"] = json.dumps(list(institution_ids))
        where += " AND r.institution_id IN (SELECT value FROM json_each(:institutions))"
        related = (
            " AND resident_id IN (SELECT r.id FROM resident r WHERE r.deleted = 0 AND r.status = 'in_residence' "
            "AND r.institution_id IN (SELECT value FROM json_each(:institutions)))"
        )
    statements = (
        f"SELECT r.id, r.institution_id, r.colour, {_ORDINAL.format('r.birth_date')}, "
        f"{_ORDINAL.format('date(r.birth_date, :years)')}, "
        f"{_ORDINAL.format('COALESCE(r.admission_date, r.signed_on)')}, "
        f"r.name, r.sex, r.building, r.room, r.bed FROM resident r WHERE {where} "
        # bed order, numbers by value ("2" before "10"): plans then only split by colour
        "ORDER BY r.building, length(r.room), r.room, length(r.bed), r.bed, r.name",
        f"SELECT resident_id, {_ORDINAL.format('MAX(visit_date)')} FROM visit "
        f"WHERE outcome = 'seen' AND deleted = 0{related} GROUP BY resident_id",
        f"SELECT resident_id, {_ORDINAL.format('MAX(assessed_on)')} FROM assessment "
        f"WHERE kind = 'annual_check' AND deleted = 0{related} GROUP BY resident_id",
        "SELECT c.resident_id, (SELECT "
        f"{_ORDINAL.format('v.visit_date')} FROM visit v WHERE v.resident_id = c.resident_id "
        "AND v.deleted = 0 AND v.chronic_class != '' ORDER BY v.visit_date DESC LIMIT 1) "
        "FROM (SELECT DISTINCT resident_id FROM condition WHERE deleted = 0 AND active = 1 "
        f"AND code IN (SELECT value FROM json_each(:codes)){related}) c",
    )
    parallel = (institution_ids is None or len(institution_ids) > 2) and (os.cpu_count() or 1) >= PARALLEL_MIN_CPUS
    residents, seen_rows, check_rows, follow_up_rows = read_together(uow, statements, params, parallel=parallel)
    seen: dict[str, int] = dict(seen_rows)
    checks: dict[str, int] = dict(check_rows)
    follow_ups: dict[str, int | None] = dict(follow_up_rows)
    intervals = {colour.value: (colour, visits.interval(colour)) for colour in TriageColour}
    check_every, follow_up_every = visits.annual_check_days, visits.chronic_follow_up_days
    rows: list[DueRow] = []
    append = rows.append
    with bulk_objects():
        _build_due_rows(residents, seen, checks, follow_ups, intervals, check_every, follow_up_every, append)
    return rows


def _build_due_rows(
    residents: list[tuple[Any, ...]],
    seen: dict[str, int],
    checks: dict[str, int],
    follow_ups: dict[str, int | None],
    intervals: dict[str, tuple[TriageColour, int]],
    check_every: int,
    follow_up_every: int,
    append: Callable[[DueRow], None],
) -> None:
    # the hot loop of planning: one pass, locals only, positional calls
    windows_of, seen_get, check_get, follow_up_get = due_windows_of, seen.get, checks.get, follow_ups.get
    new = tuple.__new__
    for row in residents:
        resident_id = row[0]
        colour, interval = intervals[row[2]]
        last_seen = seen_get(resident_id)
        check = check_get(resident_id)
        chronic = resident_id in follow_ups
        follow_up = follow_up_get(resident_id)
        windows = windows_of(
            interval, row[4], last_seen, row[5], check, check_every, chronic, follow_up, follow_up_every
        )
        append(new(DueRow, (row, colour, last_seen, check, chronic, follow_up, windows)))


def _due_residents(rows: Iterable[DueRow], round_day: date, next_day: date, visits: VisitRules) -> list[DueResident]:
    """Return the residents of ``rows`` due at a round, red first, then building, room and bed.

    ``rows`` come in bed order (the query sorts them), so sorting by colour is three buckets, not a sort.
    """
    day, following = round_day.toordinal(), next_day.toordinal()
    buckets: dict[TriageColour, list[DueResident]] = {colour: [] for colour in TriageColour}
    new = tuple.__new__
    with bulk_objects():
        for row in rows:
            if row.windows.due_at(day, following):
                buckets[row.colour].append(new(DueResident, (row, day, following, visits)))
    return buckets[TriageColour.RED] + buckets[TriageColour.YELLOW] + buckets[TriageColour.GREEN]


# --- calendars ------------------------------------------------------------------------------------------------


def _calendars(
    uow: UnitOfWork, agreements: Sequence[_AgreementRow], *, until: date, virtual_from: date
) -> dict[str, list[date]]:
    """Return per institution the sorted days of its rounds that are not cancelled, up to ``until``.

    Agreed days from ``virtual_from`` on that have no round yet are included, so the last planned round
    still has a "next round" to look ahead to.
    """
    calendars: dict[str, set[date]] = {}
    for institution_id, day in uow.fast_rows(
        "SELECT institution_id, round_date FROM round WHERE deleted = 0 AND status != 'cancelled' "
        "AND round_date <= :until",
        {"until": until.isoformat()},
    ):
        calendars.setdefault(institution_id, set()).add(date.fromisoformat(day))
    filled = _filled_slots(uow, virtual_from, until)
    monday = virtual_from - timedelta(days=virtual_from.weekday())
    while monday <= until:
        for agreement in agreements:
            for day in agreed_dates(agreement.weekdays, monday, agreement.start, agreement.end):
                if virtual_from <= day <= until and (agreement.institution_id, day) not in filled:
                    calendars.setdefault(agreement.institution_id, set()).add(day)
        monday += timedelta(weeks=1)
    return {institution_id: sorted(days) for institution_id, days in calendars.items()}


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
    than the agreed minimum (at least one a week) are listed as gaps.

    Args:
        week: any day of the week.
        today: the reference day.
        institution_id: only this institution.
        generate: first write the agreed rounds the week is missing (idempotent).
    """
    monday = week - timedelta(days=week.weekday())
    with uow:
        created = _generate(uow, monday) if generate else 0
        if created:
            uow.commit()
    with bulk_objects():  # once for the whole plan: re-enabling the collector costs a full collection
        return _plan(uow, monday, today, institution_id, created)


def _plan(uow: UnitOfWork, monday: date, today: date, institution_id: str | None, created: int) -> WeekPlan:
    sunday = monday + timedelta(days=6)
    with uow:
        rules = current_rules(uow).rules
        agreements = _agreements(uow)
        rounds = _week_rounds(uow, monday, sunday, institution_id)
        teams = tuple(TeamInfo(*row) for row in uow.fast_rows(
            "SELECT id, name, phone FROM team WHERE deleted = 0 ORDER BY name"
        ))
        names = dict(uow.fast_rows("SELECT id, name FROM institution WHERE deleted = 0"))
        upcoming = [r for r in rounds if r["status"] != "cancelled" and r["date"] >= today]
        held = [r for r in rounds if r["date"] < today]
        seen = _seen_counts(uow, [r["id"] for r in held])
        due_rows: dict[str, list[DueRow]] = {}
        calendars: dict[str, list[date]] = {}
        if upcoming:
            wanted = sorted({r["institution_id"] for r in upcoming})
            for row in load_due_rows(uow, rules=rules, institution_ids=None if institution_id is None and
                                     len(wanted) == len(names) else wanted):
                due_rows.setdefault(row.data[1], []).append(row)
            calendars = _calendars(
                uow, agreements, until=sunday + timedelta(weeks=LOOKAHEAD_WEEKS), virtual_from=monday
            )
    planned = []
    for r in rounds:
        due: Sequence[DueResident] = ()
        following: date | None = None
        if r["status"] != "cancelled" and r["date"] >= today:
            following = next_round(calendars.get(r["institution_id"], []), r["date"])
            due = _due_residents(due_rows.get(r["institution_id"], ()), r["date"], following, rules.visits)
        planned.append(
            PlannedRound(
                id=r["id"], institution_id=r["institution_id"], institution=names.get(r["institution_id"], ""),
                team_id=r["team_id"], team=r["team"], day=r["date"], status=r["status"],
                moved_from=r["moved_from"], cancel_reason=r["cancel_reason"], note=r["note"], due=tuple(due),
                seen=seen.get(r["id"], 0), next_date=following, past=r["date"] < today,
            )
        )
    planned.sort(key=lambda p: (p.day, p.team, p.institution))
    gaps = _gaps(agreements, planned, monday, names, {t.id: t.name for t in teams}, institution_id)
    return WeekPlan(monday, today, tuple(planned), gaps, teams, created)


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
            "id": row[0], "institution_id": row[1], "team_id": row[2], "team": row[3],
            "date": date.fromisoformat(row[4]), "status": row[5],
            "moved_from": date.fromisoformat(row[6]) if row[6] else None, "cancel_reason": row[7] or "",
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
    agreements: Sequence[_AgreementRow],
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
    """One round and the residents due at it (for the round sheet and the week view's detail)."""

    round: PlannedRound
    due: tuple[DueResident, ...]
    rules: TriageRules = field(repr=False, default_factory=TriageRules)


def round_on(uow: UnitOfWork, *, institution_id: str, day: date) -> str:
    """Return the id of the institution's round on ``day`` (generating the week first), not a cancelled one.

    Raises:
        RoundNotFound: there is no round that day.
    """
    generate_rounds(uow, week=day)
    with uow:
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
    """Return a round and the residents due at it, as of ``today``'s records.

    For a round already held the list is what is due now (the sheet can still be printed for late entry).

    Raises:
        RoundNotFound: no such round.
    """
    with uow:
        rows = uow.fast_rows(
            "SELECT r.id, r.institution_id, r.team_id, COALESCE(t.name, ''), r.round_date, r.status, r.moved_from, "
            "r.cancel_reason, r.note, i.name FROM round r JOIN institution i ON i.id = r.institution_id "
            "LEFT JOIN team t ON t.id = r.team_id WHERE r.id = :id AND r.deleted = 0",
            {"id": round_id},
        )
        if not rows:
            raise RoundNotFound("rounds.no_round")
        (rid, institution_id, team_id, team, day_text, status, moved_from, cancel_reason, note,
         institution) = rows[0]
        day = date.fromisoformat(day_text)
        rules = current_rules(uow).rules
        agreements = [a for a in _agreements(uow) if a.institution_id == institution_id]
        calendar = _calendars(
            uow, agreements, until=day + timedelta(weeks=LOOKAHEAD_WEEKS + 1), virtual_from=min(day, today)
        ).get(institution_id, [])
        following = next_round(calendar, day)
        due = _due_residents(
            load_due_rows(uow, rules=rules, institution_ids=[institution_id]), day, following, rules.visits
        )
    planned = PlannedRound(
        rid, institution_id, institution, team_id, team, day, status,
        date.fromisoformat(moved_from) if moved_from else None, cancel_reason or "", note or "", tuple(due),
        next_date=following, past=day < today,
    )
    return RoundDue(planned, tuple(due), rules)


# --- overdue ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueResident:
    """A resident overdue on a day: due at an earlier round and not seen (checked, followed up) since."""

    resident_id: str
    name: str
    sex: str
    birth_date: date
    institution_id: str
    institution: str
    building: str
    room: str
    bed: str
    colour: TriageColour
    overdue: Overdue
    last_seen: date | None
    phone: str

    @property
    def days(self) -> int:
        return self.overdue.days

    @property
    def bed_label(self) -> str:
        return "-".join(part for part in (self.building, self.room, self.bed) if part)


def _overdue_rows(
    uow: UnitOfWork, *, today: date, rules: TriageRules, institution_id: str | None
) -> tuple[list[tuple[DueRow, int]], dict[str, list[int]]]:
    """Return the overdue residents with the round (ordinal) since which they are overdue, and the calendars."""
    agreements = _agreements(uow)
    rows = load_due_rows(uow, rules=rules, institution_ids=None if institution_id is None else [institution_id])
    calendars = {
        institution: [day.toordinal() for day in days]
        for institution, days in _calendars(
            uow, agreements, until=today + timedelta(weeks=LOOKAHEAD_WEEKS), virtual_from=today
        ).items()
    }
    day = today.toordinal()
    # Nothing can have been due at a past round when it falls due on or after the round following the last
    # past round: a cheap test that spares most residents the full one.
    horizon: dict[str, int] = {}
    for institution, days in calendars.items():
        index = bisect_left(days, day)
        horizon[institution] = days[index] if index < len(days) else (days[-1] + 7 if days else 0)
    found = []
    for row in rows:
        if row.windows.earliest >= horizon.get(row.institution_id, 0):
            continue
        since = missed_since(row.windows, calendars.get(row.institution_id, ()), day)
        if since is not None:
            found.append((row, since))
    return found, calendars


def overdue_residents(uow: UnitOfWork, *, today: date, institution_id: str | None = None) -> list[OverdueResident]:
    """Return the center's (or one institution's) overdue residents, most days overdue first."""
    with uow:
        rules = current_rules(uow).rules
        found, calendars = _overdue_rows(uow, today=today, rules=rules, institution_id=institution_id)
        names = dict(uow.fast_rows("SELECT id, name FROM institution"))
        phones = _phones(uow, [row.resident_id for row, _ in found])
    day = today.toordinal()
    result = []
    for row, since in found:
        facts = row.facts()
        reasons = outstanding(facts, calendars.get(row.institution_id, ()), day, rules.visits)
        result.append(
            OverdueResident(
                row.resident_id, row.name, row.sex, facts.birth_date, row.institution_id,
                names.get(row.institution_id, ""), row.building, row.room, row.bed, row.colour,
                Overdue(date.fromordinal(since), day - since, reasons), facts.last_seen,
                phones.get(row.resident_id, ""),
            )
        )
    result.sort(key=lambda r: (-r.days, -r.colour.severity, r.institution, *bed_sort_key(r)))
    return result


def overdue_by_colour(uow: UnitOfWork, *, today: date) -> dict[TriageColour, int]:
    """Return how many residents are overdue on ``today``, per confirmed colour (inside ``with uow``)."""
    found, _ = _overdue_rows(uow, today=today, rules=current_rules(uow).rules, institution_id=None)
    counts = {colour: 0 for colour in TriageColour}
    for row, _since in found:
        counts[row.colour] += 1
    return counts


def _phones(uow: UnitOfWork, resident_ids: Sequence[str]) -> dict[str, str]:
    if not resident_ids:
        return {}
    rows = uow.fast_rows(
        "SELECT id, COALESCE(NULLIF(phone, ''), guardian_phone, '') FROM resident "
        "WHERE id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(list(resident_ids))},
    )
    return {resident_id: phone or "" for resident_id, phone in rows}


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
        "SELECT id FROM round WHERE deleted = 0 AND status != 'cancelled' AND institution_id = :i "
        "AND round_date = :d",
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
            note=" ".join(note.split())[:200],
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
            "round", round_row.round_date.isoformat(), "rounds.cannot_change",
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
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise ValidationError("cancel_reason", reason, "rounds.reason_required")
    if len(cleaned) > CANCEL_REASON_MAX:
        raise ValidationError("cancel_reason", cleaned[:20] + "…", "rounds.reason_too_long", maximum=CANCEL_REASON_MAX)
    with uow:
        require(uow, Action.PLAN_ROUNDS)
        row = _live_round(uow, round_id)
        _changeable(row)
        visits = uow.fast_rows(
            "SELECT COUNT(*) FROM visit WHERE round_id = :id AND deleted = 0", {"id": round_id}
        )[0][0]
        if visits:
            raise ValidationError("round", row.round_date.isoformat(), "rounds.has_visits", count=visits)
        row.status = "cancelled"
        row.cancel_reason = cleaned
        uow.session.add(row)
        uow.commit()


def institutions_with_agreements(uow: UnitOfWork, *, today: date) -> list[tuple[str, str]]:
    """Return (id, name) of institutions with an agreement in force on ``today`` or later, by name."""
    with uow:
        rows = uow.fast_rows(
            "SELECT DISTINCT i.id, i.name FROM institution i JOIN agreement a ON a.institution_id = i.id "
            "WHERE i.deleted = 0 AND a.deleted = 0 AND (a.end_date IS NULL OR a.end_date >= :today) ORDER BY i.name",
            {"today": today.isoformat()},
        )
    return [(row[0], row[1]) for row in rows]
