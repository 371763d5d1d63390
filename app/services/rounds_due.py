"""Rounds — who is due: each resident's due facts in bulk, and the residents due at a round.

Due follows :mod:`app.domain.scheduling`. Two ways to the same answer:

- :func:`load_due_rows` reads every resident in residence (of some institutions) with the facts due
  depends on — last "seen" visit, last annual check, chronic follow-up — and their due windows, for the
  overdue lists (which test every resident against past rounds) and for one round's sheet.
- :func:`due_at_rounds` is the fast path for planning a week of a 100 000-resident center: one SQL
  statement looks up each resident's facts through narrow (partial, covering) indexes, computes the due
  windows, keeps the residents due at each round and sorts them, so Python only builds the due ones.
  Its windows are the ones :func:`~app.domain.scheduling.due_windows_of` computes (a test holds the two
  to the same answer on a demo center).
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple

from app.domain.colours import TriageColour
from app.domain.scheduling import (
    FIRST_DAY,
    NEVER,
    DueFacts,
    DueReason,
    DueWindows,
    due_at_round,
    due_windows_of,
)
from app.domain.triage import TriageRules, VisitRules, age_on
from app.store.uow import UnitOfWork


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
            self.colour,
            date.fromordinal(self.birth),
            _day(self.last_seen),
            _day(self.since),
            _day(self.last_check),
            self.chronic,
            _day(self.last_follow_up),
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


def load_due_rows(uow: UnitOfWork, *, rules: TriageRules, institution_ids: Sequence[str] | None = None) -> list[DueRow]:
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
        "ORDER BY r.building, length(r.room), r.room, length(r.bed), r.bed, r.name, r.id",
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


def due_residents(rows: Iterable[DueRow], round_day: date, next_day: date, visits: VisitRules) -> list[DueResident]:
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


# --- the fast path: due at the rounds of a week, in one statement -------------------------------------------------

_SEEN = "SELECT MAX(v.visit_date) FROM visit v WHERE v.resident_id = r.id AND v.outcome = 'seen' AND v.deleted = 0"
_CHECKED = (
    "SELECT MAX(a.assessed_on) FROM assessment a "
    "WHERE a.resident_id = r.id AND a.kind = 'annual_check' AND a.deleted = 0"
)
_CHRONIC = (
    "SELECT c.resident_id FROM condition c WHERE c.active = 1 AND c.deleted = 0 "
    "AND c.code IN (SELECT value FROM json_each(:codes))"
)
_FOLLOWED = (
    "SELECT MAX(v.visit_date) FROM visit v WHERE v.resident_id = r.id AND v.chronic_class != '' AND v.deleted = 0"
)
_SINCE = "COALESCE(r.admission_date, r.signed_on)"

_DUE_AT_ROUNDS = f"""
WITH rr(k, institution_id, day, following) AS MATERIALIZED (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
        json_extract(value, '$[3]') FROM json_each(:rounds)
), facts AS MATERIALIZED (
    SELECT r.id, r.institution_id, r.colour, {_ORDINAL.format("r.birth_date")} AS birth,
        {_ORDINAL.format("date(r.birth_date, :years)")} AS annual_start, {_ORDINAL.format(_SINCE)} AS since,
        r.name, r.sex, r.building, r.room, r.bed,
        {_ORDINAL.format(f"({_SEEN})")} AS seen,
        {_ORDINAL.format(f"({_CHECKED})")} AS checked,
        r.id IN ({_CHRONIC}) AS chronic,
        CASE WHEN r.id IN ({_CHRONIC}) THEN {_ORDINAL.format(f"({_FOLLOWED})")} END AS followed,
        COALESCE({_ORDINAL.format(_SINCE)}, {FIRST_DAY}) AS start
    FROM resident r
    WHERE r.deleted = 0 AND r.status = 'in_residence' AND r.institution_id IN (SELECT institution_id FROM rr)
), due AS MATERIALIZED (
    SELECT facts.*,
        CASE WHEN seen IS NULL THEN start
            ELSE seen + CASE colour WHEN 'red' THEN :red WHEN 'yellow' THEN :yellow ELSE :green END END AS colour_due,
        CASE WHEN seen IS NULL THEN start ELSE seen + 1 END AS colour_from,
        CASE WHEN checked IS NULL THEN annual_start
            ELSE MAX(annual_start, checked + :check_every) END AS annual_due,
        CASE WHEN checked IS NULL THEN start ELSE checked + 1 END AS annual_from,
        CASE WHEN NOT chronic THEN {NEVER} WHEN followed IS NULL THEN start
            ELSE followed + :follow_up_every END AS chronic_due,
        CASE WHEN NOT chronic THEN {NEVER} WHEN followed IS NULL THEN start ELSE followed + 1 END AS chronic_from
    FROM facts
)
SELECT rr.k, due.id, due.institution_id, colour, birth, annual_start, since, name, sex, building, room, bed,
    seen, checked, chronic, followed, colour_due, colour_from, annual_due, annual_from, chronic_due, chronic_from
FROM due CROSS JOIN rr ON rr.institution_id = due.institution_id
WHERE (colour_due < rr.following AND colour_from <= rr.day)
    OR (annual_due < rr.following AND annual_from <= rr.day)
    OR (chronic_due < rr.following AND chronic_from <= rr.day)
ORDER BY rr.k, CASE colour WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END,
    building, length(room), room, length(bed), bed, name, due.id
"""
"""Residents due at each of the rounds ``:rounds`` ([key, institution, day, next day] as JSON, days as
ordinals): red first, then bed order. Each fact is one index seek per resident (``ix_visit_seen``,
``ix_assessment_live``, ``ix_condition_active``, ``ix_visit_follow_up``), on residents read from the
covering ``ix_resident_due``."""


class DueRound(NamedTuple):
    """A round to list the due residents of: the institution, the round's day and the next round's."""

    institution_id: str
    day: date
    next_day: date


def due_at_rounds(uow: UnitOfWork, *, rules: TriageRules, rounds: Sequence[DueRound]) -> list[list[DueResident]]:
    """Return for each of ``rounds`` the residents due at it, red first, then building, room and bed.

    The same residents, reasons and order as :func:`due_residents` over :func:`load_due_rows`, in one
    statement whose cost grows with the residents of the institutions that have a round (inside ``with uow``).
    """
    found: list[list[DueResident]] = [[] for _ in rounds]
    if not rounds:
        return found
    visits = rules.visits
    params: dict[str, Any] = {
        "rounds": json.dumps(
            [[key, r.institution_id, r.day.toordinal(), r.next_day.toordinal()] for key, r in enumerate(rounds)]
        ),
        "codes": json.dumps(list(visits.chronic_follow_up_conditions)),
        "years": f"+{visits.annual_check_age} years",
        "red": visits.red_days,
        "yellow": visits.yellow_days,
        "green": visits.green_days,
        "check_every": visits.annual_check_days,
        "follow_up_every": visits.chronic_follow_up_days,
    }
    rows = uow.fast_rows(_DUE_AT_ROUNDS, params)
    days = [(r.day.toordinal(), r.next_day.toordinal()) for r in rounds]
    colours = {colour.value: colour for colour in TriageColour}
    new = tuple.__new__
    with bulk_objects():
        for row in rows:
            key = row[0]
            due_row = new(
                DueRow,
                (row[1:12], colours[row[3]], row[12], row[13], bool(row[14]), row[15], new(DueWindows, row[16:22])),
            )
            day, following = days[key]
            found[key].append(new(DueResident, (due_row, day, following, visits)))
    return found


# --- a round already held: who was there that day, with the records before it -------------------------------------

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
SELECT r.id, r.institution_id, COALESCE((
        SELECT d.colour FROM triagedecision d WHERE d.resident_id = r.id AND d.deleted = 0
            AND date(d.decided_at) <= :day ORDER BY d.decided_at DESC LIMIT 1), r.colour),
    {_ORDINAL.format("r.birth_date")}, {_ORDINAL.format("date(r.birth_date, :years)")}, {_ORDINAL.format(_SINCE)},
    r.name, r.sex, p.building, p.room, p.bed,
    {_ORDINAL.format(f"({_SEEN} AND v.visit_date < :day)")},
    {_ORDINAL.format(f"({_CHECKED} AND a.assessed_on < :day)")},
    EXISTS (SELECT 1 FROM condition c WHERE c.resident_id = r.id AND c.active = 1 AND c.deleted = 0
        AND c.code IN (SELECT value FROM json_each(:codes)) AND (c.diagnosed_on IS NULL OR c.diagnosed_on <= :day)),
    {_ORDINAL.format(f"({_FOLLOWED} AND v.visit_date < :day)")}
FROM present p JOIN resident r ON r.id = p.id
GROUP BY r.id
ORDER BY p.building, length(p.room), p.room, length(p.bed), p.bed, r.name, r.id
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
        "years": f"+{visits.annual_check_age} years",
    }
    intervals = {colour.value: (colour, visits.interval(colour)) for colour in TriageColour}
    check_every, follow_up_every = visits.annual_check_days, visits.chronic_follow_up_days
    rows: list[DueRow] = []
    for row in uow.fast_rows(_ON_DAY, params):
        data, (last_seen, check, chronic, follow_up) = tuple(row[:11]), row[11:15]
        colour, interval = intervals.get(data[2], intervals[TriageColour.GREEN.value])
        chronic = bool(chronic)
        follow_up = follow_up if chronic else None
        windows = due_windows_of(
            interval, data[4], last_seen, data[5], check, check_every, chronic, follow_up, follow_up_every
        )
        rows.append(DueRow(data, colour, last_seen, check, chronic, follow_up, windows))
    return rows
