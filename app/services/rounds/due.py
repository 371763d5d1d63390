"""Rounds — who is due: each resident's due facts in bulk, and the residents due at a round.

Due follows :mod:`app.domain.scheduling`. Two ways to the same answer:

- :func:`load_due_rows` reads every resident in residence (of some institutions) with the facts due
  depends on — last "seen" visit, last annual check, chronic follow-up — and their due windows, for the
  overdue lists (which test every resident against past rounds) and for one round's sheet.
- :func:`due_at_rounds` is the fast path for planning a week of a 100 000-resident center: one SQL
  statement per round reads each resident's facts in bed order and keeps the residents due, so Python
  only builds the due ones. Its windows are the ones
  :func:`~app.domain.scheduling.due_windows_of` computes (a test holds the two to the same answer).

Both read the dated facts from ``resident_facts`` (one narrow row per resident, kept by triggers; see
:mod:`app.store.resident_facts`) rather than looking each one up in the visits and assessments. Only live
visits count: a version a correction replaced is not a "seen" visit any more.
"""

from __future__ import annotations

import functools
import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple

from app.domain.colours import TriageColour
from app.domain.scheduling import (
    FIRST_DAY,
    DueFacts,
    DueReason,
    DueWindows,
    add_years,
    due_at_round,
    due_windows_of,
)
from app.domain.triage import TriageRules, VisitRules, age_on
from app.store.resident_facts import LIVE_VISIT
from app.store.uow import UnitOfWork


class DueResident(NamedTuple):
    """A resident due at a round, and why (the reasons are worked out when asked for).

    Attributes:
        row: the resident's facts.
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
        return due_at_round(self.facts, date.fromordinal(self.round_day), date.fromordinal(self.next_day), self.visits)

    @property
    def bed_label(self) -> str:
        return "-".join(part for part in (self.building, self.room, self.bed) if part)

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)

    def __repr__(self) -> str:
        return f"DueResident({self.name!r}, {self.bed_label!r}, {self.colour.value})"


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


_ORDINAL = "CAST(julianday({}) - 1721424.5 AS INTEGER)"
"""SQL for a date column as ``date.toordinal()``: dates reach Python as plain numbers, parsed by SQLite."""


class DueRow(NamedTuple):
    """A resident in residence with the facts due depends on (day ordinals); the due windows when asked for.

    ``raw`` is the row as the queries read it: the round's key (0 outside a plan), id, institution, colour
    code, birth, since (admission, else signing), name, sex, building, room, bed, last seen, last annual check,
    chronic (0/1), last chronic follow-up (None unless chronic). Kept as read, so that a plan of 50 000 due
    residents builds two small tuples per resident and nothing more.
    """

    raw: tuple[Any, ...]
    colour: TriageColour
    annual_start: int
    visits: VisitRules

    @property
    def resident_id(self) -> str:
        return str(self.raw[1])

    @property
    def institution_id(self) -> str:
        return str(self.raw[2])

    @property
    def birth(self) -> int:
        return int(self.raw[4])

    @property
    def since(self) -> int | None:
        return self.raw[5]  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        return str(self.raw[6])

    @property
    def sex(self) -> str:
        return str(self.raw[7])

    @property
    def building(self) -> str:
        return str(self.raw[8] or "")

    @property
    def room(self) -> str:
        return str(self.raw[9] or "")

    @property
    def bed(self) -> str:
        return str(self.raw[10] or "")

    @property
    def last_seen(self) -> int | None:
        return self.raw[11]  # type: ignore[no-any-return]

    @property
    def last_check(self) -> int | None:
        return self.raw[12]  # type: ignore[no-any-return]

    @property
    def chronic(self) -> bool:
        return bool(self.raw[13])

    @property
    def last_follow_up(self) -> int | None:
        return self.raw[14]  # type: ignore[no-any-return]

    @property
    def windows(self) -> DueWindows:
        """When each thing falls due, and from which day a round counts for it (:func:`due_windows_of`)."""
        visits, raw = self.visits, self.raw
        return due_windows_of(
            visits.interval(self.colour), self.annual_start, raw[11], raw[5], raw[12], visits.annual_check_days,
            bool(raw[13]), raw[14], visits.chronic_follow_up_days,
        )  # fmt: skip

    def facts(self) -> DueFacts:
        return DueFacts(
            self.colour,
            date.fromordinal(self.birth),
            _day(self.last_seen),
            _day(self.since),
            _day(self.last_check),
            self.chronic,
            _day(self.last_follow_up),
        )


class _RowMaker:
    """Makes :class:`DueRow` from raw rows: the colour looked up, the annual check's start worked out once per
    birth day (many residents share one)."""

    def __init__(self, visits: VisitRules) -> None:
        self.visits = visits
        self.colours = {colour.value: colour for colour in TriageColour}
        self.starts: dict[int, int] = {}

    def annual_start(self, birth: int) -> int:
        start = self.starts.get(birth)
        if start is None:
            start = self.starts[birth] = add_years(date.fromordinal(birth), self.visits.annual_check_age).toordinal()
        return start

    def make(self, raw: tuple[Any, ...]) -> DueRow:
        colour = self.colours.get(raw[3], TriageColour.GREEN)
        return tuple.__new__(DueRow, (raw, colour, self.annual_start(raw[4]), self.visits))


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


_SINCE = "COALESCE(r.admission_date, r.signed_on)"

_BIRTH = f"COALESCE(f.birth_day, {_ORDINAL.format('r.birth_date')})"
_SINCE_DAY = f"COALESCE(f.since_day, {_ORDINAL.format(_SINCE)})"
"""The birth and admission (else signing) days, as kept in ``resident_facts`` (parsed here only if a row
were missing: the triggers make one for every resident)."""


def _chronic(codes: int) -> str:
    """SQL: the resident's ``resident_facts f`` lists one of ``codes`` condition codes (``:chronic0``, ...)."""
    if not codes:
        return "0"
    found = " OR ".join(f"instr(f.condition_codes, :chronic{n}) > 0" for n in range(codes))
    return f"(f.condition_codes IS NOT NULL AND ({found}))"


_BED_ORDER = "r.building, length(r.room), r.room, length(r.bed), r.bed, r.name, r.id"
"""Bed order, numbers by value ("2" before "10")."""


def _facts_params(rules: TriageRules) -> dict[str, Any]:
    visits = rules.visits
    return {
        **{f"chronic{n}": f",{code}," for n, code in enumerate(visits.chronic_follow_up_conditions)},
        "years": f"+{visits.annual_check_age} years",
        "red": visits.red_days,
        "yellow": visits.yellow_days,
        "green": visits.green_days,
        "check_every": visits.annual_check_days,
        "follow_up_every": visits.chronic_follow_up_days,
    }


def load_due_rows(uow: UnitOfWork, *, rules: TriageRules, institution_ids: Sequence[str] | None = None) -> list[DueRow]:
    """Return every resident in residence (of ``institution_ids``, or all) with the facts due depends on.

    One statement, in bed order: each resident (``ix_resident_bed``) with their row of ``resident_facts``
    (last live "seen" visit, last annual check, last chronic follow-up; kept by triggers, see
    :mod:`app.store.resident_facts`) and whether a condition of theirs needs chronic follow-up.
    """
    visits = rules.visits
    params = _facts_params(rules)
    where = "r.deleted = 0 AND r.status = 'in_residence'"
    if institution_ids is not None:
        params["institutions"] = json.dumps(list(institution_ids))
        where += " AND r.institution_id IN (SELECT value FROM json_each(:institutions))"
    chronic = _chronic(len(visits.chronic_follow_up_conditions))
    residents = uow.fast_rows(
        f"SELECT 0, r.id, r.institution_id, r.colour, {_BIRTH}, {_SINCE_DAY}, r.name, r.sex, r.building, r.room, "
        f"r.bed, f.seen_day, f.checked_day, {chronic}, CASE WHEN {chronic} THEN f.followed_day END "
        f"FROM resident r LEFT JOIN resident_facts f ON f.resident_id = r.id WHERE {where} ORDER BY {_BED_ORDER}",
        params,
    )
    make = _RowMaker(visits).make
    with bulk_objects():
        return [make(raw) for raw in residents]


def due_residents(
    rows: Iterable[DueRow], round_day: date, next_day: date, visits: VisitRules, previous: date | None = None
) -> list[DueResident]:
    """Return the residents of ``rows`` due at a round, red first, then building, room and bed.

    With ``previous`` (the institution's round before it, still to come) a resident already due there is
    left out: listed once, at the first round (:meth:`~app.domain.scheduling.DueWindows.listed_at`).
    ``rows`` come in bed order (the query sorts them), so sorting by colour is three buckets, not a sort.
    """
    day, following = round_day.toordinal(), next_day.toordinal()
    before = None if previous is None else previous.toordinal()
    buckets: dict[TriageColour, list[DueResident]] = {colour: [] for colour in TriageColour}
    new = tuple.__new__
    with bulk_objects():
        for row in rows:
            if row.windows.listed_at(day, following, before):
                buckets[row.colour].append(new(DueResident, (row, day, following, visits)))
    return buckets[TriageColour.RED] + buckets[TriageColour.YELLOW] + buckets[TriageColour.GREEN]


# --- the fast path: due at the rounds of a week, in one statement -------------------------------------------------


@functools.lru_cache(maxsize=8)
def _due_at_round(codes: int) -> str:
    """The residents of ``:institution`` due at a round on ``:day`` (next round ``:following``; day ordinals),
    in bed order; ``codes`` as in :func:`_chronic`.

    Residents come from the covering ``ix_resident_bed`` already in bed order (nothing is sorted), each with
    one primary-key seek into ``resident_facts``. "Due" is :meth:`~app.domain.scheduling.DueWindows.due_at`
    over the windows of :func:`~app.domain.scheduling.due_windows_of`, written in SQL (a test holds the two
    to the same answer); the windows themselves are worked out in Python, for the due residents only, when
    asked for.

    The annual check's start (the birthday at ``:years``) is a date calculation, the costliest part of the
    statement, so it is only made when it matters: not when the last check is recent enough, and not when the
    birth day alone settles it (``:annual_lo`` and ``:annual_hi`` bound the days in that many years).
    """
    start = f"COALESCE({_SINCE_DAY}, {FIRST_DAY})"
    return f"""
WITH facts AS (
    SELECT r.id AS id, r.institution_id AS institution_id, r.colour AS colour,
        {_BIRTH} AS birth, r.birth_date AS birth_date, {_SINCE_DAY} AS since,
        {start} AS start, r.name AS name, r.sex AS sex, r.building AS building, r.room AS room, r.bed AS bed,
        f.seen_day AS seen, f.checked_day AS checked, {_chronic(codes)} AS chronic, f.followed_day AS followed
    FROM resident r LEFT JOIN resident_facts f ON f.resident_id = r.id
    WHERE r.deleted = 0 AND r.status = 'in_residence' AND r.institution_id = :institution
), due AS (
    SELECT *,
        CASE WHEN seen IS NULL THEN start <= :day
            ELSE seen + CASE colour WHEN 'red' THEN :red WHEN 'yellow' THEN :yellow ELSE :green END < :following
                AND seen + 1 <= :day END AS colour_due,
        CASE WHEN checked IS NULL THEN start <= :day
            ELSE checked + :check_every < :following AND checked + 1 <= :day END
            AND CASE WHEN birth + :annual_hi < :following THEN 1 WHEN birth + :annual_lo >= :following THEN 0
                ELSE {_ORDINAL.format("date(birth_date, :years)")} < :following END AS annual_due,
        chronic AND CASE WHEN followed IS NULL THEN start <= :day
            ELSE followed + :follow_up_every < :following AND followed + 1 <= :day END AS chronic_due
    FROM facts
)
SELECT :key, id, institution_id, colour, birth, since, name, sex, building, room, bed,
    seen, checked, chronic, CASE WHEN chronic THEN followed END
FROM due
WHERE colour_due OR annual_due OR chronic_due
ORDER BY building, length(room), room, length(bed), bed, name, id
"""


def _days_in_years_bounds(years: int) -> tuple[int, int]:
    """Return (fewer, more) days than there can be from a birthday to the same birthday ``years`` later.

    ``years`` × 365 plus one day per 29 February in between: at least ``years // 4 - 1`` of them (a century
    year that is not a leap year), at most ``ceil(years / 4)``, and one more for a birthday on 29 February
    (1 March in other years, as :func:`~app.domain.scheduling.add_years` and SQLite count). A day of margin
    each way.
    """
    return years * 365 + years // 4 - 2, years * 365 + (years + 3) // 4 + 2


class DueRound(NamedTuple):
    """A round to list the due residents of: the institution, the round's day and the next round's, and the
    institution's round before it when that one is still to come (its due residents are listed there)."""

    institution_id: str
    day: date
    next_day: date
    previous: date | None = None


def due_at_rounds(uow: UnitOfWork, *, rules: TriageRules, rounds: Sequence[DueRound]) -> list[list[DueResident]]:
    """Return for each of ``rounds`` the residents due at it, red first, then building, room and bed.

    The same residents, reasons and order as :func:`due_residents` over :func:`load_due_rows`, with one
    statement per round whose cost grows with the institution's residents (inside ``with uow``).
    """
    visits = rules.visits
    sql = _due_at_round(len(visits.chronic_follow_up_conditions))
    params = _facts_params(rules)
    params["annual_lo"], params["annual_hi"] = _days_in_years_bounds(visits.annual_check_age)
    maker = _RowMaker(visits)
    colours, starts, annual_start = maker.colours, maker.starts, maker.annual_start
    new = tuple.__new__
    found: list[list[DueResident]] = []
    with bulk_objects():
        for key, planned in enumerate(rounds):
            day, following = planned.day.toordinal(), planned.next_day.toordinal()
            params.update(key=key, institution=planned.institution_id, day=day, following=following)
            before = None if planned.previous is None else planned.previous.toordinal()
            buckets: dict[TriageColour, list[DueResident]] = {colour: [] for colour in TriageColour}
            for raw in uow.fast_rows(sql, params):  # bed order; _RowMaker.make inlined (the hot loop)
                birth = raw[4]
                colour = colours.get(raw[3], TriageColour.GREEN)
                row = new(DueRow, (raw, colour, starts.get(birth) or annual_start(birth), visits))
                if before is not None and row.windows.due_at(before, day):
                    continue  # due at the round before, still to come: listed there
                buckets[colour].append(new(DueResident, (row, day, following, visits)))
            found.append(buckets[TriageColour.RED] + buckets[TriageColour.YELLOW] + buckets[TriageColour.GREEN])
    return found


# --- a round already held: who was there that day, with the records before it -------------------------------------


def had_condition_on(prefix: str, day: str) -> str:
    """SQL: the condition (columns named ``prefix`` + name) was the resident's on the day ``day`` (SQL text).

    Diagnosed by then (no date counts as known) and not resolved before it. A condition has no resolution
    date: one that is not active stopped on the local day its ``active`` field was last changed (its field
    clock, which travels with sync), or, entered already resolved, on the day it was entered.
    """
    ended = (
        f"CASE WHEN json_extract({prefix}field_clocks, '$.active') IS NOT NULL "
        f"THEN date(CAST(substr(json_extract({prefix}field_clocks, '$.active'), 1, 13) AS INTEGER) / 1000, "
        f"'unixepoch', 'localtime') ELSE date({prefix}created_at, 'localtime') END"
    )
    return (
        f"({prefix}diagnosed_on IS NULL OR {prefix}diagnosed_on <= {day}) AND ({prefix}active = 1 OR {ended} >= {day})"
    )


_SEEN = (
    "SELECT MAX(v.visit_date) FROM visit v WHERE v.resident_id = r.id AND v.outcome = 'seen' AND v.deleted = 0 "
    f"AND {LIVE_VISIT}"
)
_CHECKED = (
    "SELECT MAX(a.assessed_on) FROM assessment a "
    "WHERE a.resident_id = r.id AND a.kind = 'annual_check' AND a.deleted = 0"
)
_FOLLOWED = (
    "SELECT MAX(v.visit_date) FROM visit v WHERE v.resident_id = r.id AND v.chronic_class != '' AND v.deleted = 0 "
    f"AND {LIVE_VISIT}"
)

_ON_DAY = f"""
WITH here AS MATERIALIZED (
    SELECT resident_id, building, room, bed FROM (
        SELECT p.resident_id, p.building, p.room, p.bed, MAX(p.start_date) FROM residenceperiod p
        WHERE p.deleted = 0 AND p.institution_id = :institution AND p.start_date <= :day
            AND (p.end_date IS NULL OR p.end_date > :day)
        GROUP BY p.resident_id
    )
), present(id, building, room, bed) AS MATERIALIZED (
    SELECT r.id, h.building, h.room, h.bed FROM resident r JOIN here h ON h.resident_id = r.id
    WHERE r.deleted = 0 AND COALESCE((
        SELECT s.status FROM statuschange s WHERE s.resident_id = r.id AND s.deleted = 0 AND s.on_date <= :day
        ORDER BY s.on_date DESC, s.created_at DESC LIMIT 1), 'in_residence') = 'in_residence'
    UNION
    SELECT r.id, r.building, r.room, r.bed FROM resident r
    WHERE r.deleted = 0 AND r.institution_id = :institution AND r.status = 'in_residence'
        AND NOT EXISTS (SELECT 1 FROM residenceperiod p WHERE p.resident_id = r.id AND p.deleted = 0)
        AND COALESCE(r.admission_date, r.signed_on, date(r.created_at)) <= :day
    UNION
    SELECT r.id, COALESCE(h.building, r.building), COALESCE(h.room, r.room), COALESCE(h.bed, r.bed)
    FROM visit v JOIN resident r ON r.id = v.resident_id LEFT JOIN here h ON h.resident_id = r.id
    WHERE v.round_id = :round AND v.deleted = 0 AND r.deleted = 0
)
SELECT k, id, institution_id, colour, birth, since, name, sex, building, room, bed, seen, checked, chronic,
    CASE WHEN chronic THEN followed END
FROM (
    SELECT 0 AS k, r.id AS id, r.institution_id AS institution_id, COALESCE((
            SELECT d.colour FROM triagedecision d WHERE d.resident_id = r.id AND d.deleted = 0
                AND date(d.decided_at) <= :day ORDER BY d.decided_at DESC LIMIT 1), r.colour) AS colour,
        {_ORDINAL.format("r.birth_date")} AS birth, {_ORDINAL.format(_SINCE)} AS since, r.name AS name, r.sex AS sex,
        p.building AS building, p.room AS room, p.bed AS bed,
        {_ORDINAL.format(f"({_SEEN} AND v.visit_date < :day)")} AS seen,
        {_ORDINAL.format(f"({_CHECKED} AND a.assessed_on < :day)")} AS checked,
        EXISTS (SELECT 1 FROM condition c WHERE c.resident_id = r.id AND c.deleted = 0
            AND c.code IN (SELECT value FROM json_each(:codes)) AND {had_condition_on("c.", ":day")}) AS chronic,
        {_ORDINAL.format(f"({_FOLLOWED} AND v.visit_date < :day)")} AS followed
    FROM present p JOIN resident r ON r.id = p.id
    GROUP BY r.id
)
ORDER BY building, length(room), room, length(bed), bed, name, id
"""
"""The residents of ``:institution`` on ``:day`` — a residence period there covering the day and no status
other than in residence as of it (or, without any period, admitted by then and in residence now) — and the
residents visited at ``:round``, with the colour confirmed by then and the facts recorded before the day."""


def load_due_rows_on(
    uow: UnitOfWork, *, rules: TriageRules, institution_id: str, day: date, round_id: str
) -> list[DueRow]:
    """Return the residents of an institution as they were on ``day`` (a round already held), in bed order.

    Who: residents living there that day (residence periods and status changes; residents admitted after
    it are left out) plus anyone visited at ``round_id``. Their facts are the records dated before ``day``
    (what the sheet printed that morning knew), their colour the one confirmed by then, their bed the one
    they had that day.
    """
    visits = rules.visits
    params: dict[str, Any] = {
        "institution": institution_id,
        "day": day.isoformat(),
        "round": round_id,
        "codes": json.dumps(list(visits.chronic_follow_up_conditions)),
    }
    make = _RowMaker(visits).make
    return [make(raw) for raw in uow.fast_rows(_ON_DAY, params)]
