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

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple

from app.domain.colours import TriageColour
from app.domain.follow_up import ChronicClass
from app.domain.scheduling import (
    DueFacts,
    DueKind,
    DueReason,
    DueWindows,
    add_years,
    due_windows_of,
)
from app.domain.triage import TriageRules, VisitRules, age_on
from app.store.queries import rounds as queries
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
        """Return why the resident is due at this round, colour first.

        :func:`~app.domain.scheduling.due_at_round` on the row's facts, from the windows the row already has
        (a plan asks this for some 50 000 residents; ``tests/services/rounds/test_due_reasons.py`` holds the two to
        the same answer).
        """
        row, visits, day, following = self.row, self.visits, self.round_day, self.next_day
        windows, raw, colour = row.windows, row.raw, row.colour
        found: list[DueReason] = []
        if windows.colour_due < following and windows.colour_from <= day:
            seen = raw[11]
            found.append(
                _new(
                    DueReason,
                    (
                        DueKind.NEVER_SEEN if seen is None else DueKind.COLOUR,
                        _fromordinal(windows.colour_due),
                        None if seen is None else _fromordinal(seen),
                        visits.interval(colour),
                        colour,
                        _fromordinal(windows.colour_from),
                        "",
                    ),
                )
            )
        if windows.annual_due < following and windows.annual_from <= day:
            checked = raw[12]
            found.append(
                _new(
                    DueReason,
                    (
                        DueKind.ANNUAL_CHECK,
                        _fromordinal(windows.annual_due),
                        None if checked is None else _fromordinal(checked),
                        visits.annual_check_days,
                        colour,
                        _fromordinal(windows.annual_from),
                        "",
                    ),
                )
            )
        if windows.chronic_due < following and windows.chronic_from <= day:  # NEVER: not chronic
            followed = raw[14]
            recheck = bool(raw[13]) and followed is not None and bool(raw[15])  # severity ≥ 1 (needs_recheck)
            found.append(
                _new(
                    DueReason,
                    (
                        DueKind.RECHECK if recheck else DueKind.CHRONIC_FOLLOW_UP,
                        _fromordinal(windows.chronic_due),
                        None if followed is None else _fromordinal(followed),
                        visits.recheck_days if recheck else visits.chronic_follow_up_days,
                        colour,
                        _fromordinal(windows.chronic_from),
                        row.follow_up_class if recheck else "",
                    ),
                )
            )
        return tuple(found)

    @property
    def bed_label(self) -> str:
        return "-".join(part for part in (self.building, self.room, self.bed) if part)

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)

    def __repr__(self) -> str:
        return f"DueResident({self.name!r}, {self.bed_label!r}, {self.colour.value})"


_new = tuple.__new__
_fromordinal = date.fromordinal


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


class DueRow(NamedTuple):
    """A resident in residence with the facts due depends on (day ordinals); the due windows when asked for.

    ``raw`` is the row as the queries read it: the round's key (0 outside a plan), id, institution, colour
    code, birth, since (admission, else signing), name, sex, building, room, bed, last seen, last annual check,
    chronic (0/1), last chronic follow-up (None unless chronic), its most severe classification (0–3, None
    unless chronic; from 1 the next follow-up is a 2-week recheck). Kept as read, so that a plan of 50 000 due
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
    def follow_up_class(self) -> str:
        """The most severe classification on the last follow-up day ("" when none, or not chronic)."""
        severity = self.raw[15]
        return "" if severity is None else _CLASS_BY_SEVERITY[int(severity)]

    @property
    def windows(self) -> DueWindows:
        """When each thing falls due, and from which day a round counts for it (:func:`due_windows_of`)."""
        visits, raw = self.visits, self.raw
        recheck = visits.recheck_days if raw[15] and raw[14] is not None else None  # severity ≥ 1: 2-week recheck
        return due_windows_of(
            visits.interval(self.colour), self.annual_start, raw[11], raw[5], raw[12], visits.annual_check_days,
            bool(raw[13]), raw[14], visits.chronic_follow_up_days, recheck,
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
            self.follow_up_class,
        )


_CLASS_BY_SEVERITY = tuple(chronic.value for chronic in ChronicClass)
"""A classification's value by its severity (0–3, the order of ``ChronicClass``)."""


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
            _enable_without_collecting()


def _enable_without_collecting() -> None:
    """Re-enable the collector without examining the objects made while it was off.

    Re-enabled as it is, the first allocation after it collects the youngest generation: every object made in
    the meantime, some 200 000 for a plan (≈ 40 ms at 100 000 residents), and again as they age. Freezing moves
    them all into the permanent generation and unfreezing moves them on into the oldest (both in constant time):
    they are freed by their reference counts as before, and a cycle among them (there is none) would still be
    found by the next full collection. Not done while someone else keeps frozen objects (unfreezing would thaw
    theirs): the collector is then simply re-enabled.
    """
    if gc.get_freeze_count():
        gc.enable()
        return
    gc.freeze()
    gc.enable()
    gc.unfreeze()


def load_due_rows(uow: UnitOfWork, *, rules: TriageRules, institution_ids: Sequence[str] | None = None) -> list[DueRow]:
    """Return every resident in residence (of ``institution_ids``, or all) with the facts due depends on.

    One statement, in bed order: each resident (``ix_resident_bed``) with their row of ``resident_facts``
    (last live "seen" visit, last annual check, last chronic follow-up; kept by triggers, see
    :mod:`app.store.resident_facts`) and whether a condition of theirs needs chronic follow-up.
    """
    visits = rules.visits
    residents = queries.due_rows(uow, visits=visits, institution_ids=institution_ids)
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
    statement per round whose cost grows with the institution's residents (inside ``with uow``); those due at
    the round before (still to come) are left out by the statement, not read.
    """
    visits = rules.visits
    maker = _RowMaker(visits)
    colours, starts, annual_start = maker.colours, maker.starts, maker.annual_start
    new = tuple.__new__
    found: list[list[DueResident]] = []
    wanted = [
        (
            planned.institution_id,
            planned.day.toordinal(),
            planned.next_day.toordinal(),
            None if planned.previous is None else planned.previous.toordinal(),
        )
        for planned in rounds
    ]
    red, yellow, green = TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN
    with bulk_objects():
        for (_, day, following, _), rows in zip(
            wanted, queries.due_at_rounds_rows(uow, visits=visits, rounds=wanted), strict=True
        ):
            buckets: dict[TriageColour, list[DueResident]] = {red: [], yellow: [], green: []}
            for raw in rows:  # bed order; _RowMaker.make inlined (the hot loop)
                birth = raw[4]
                colour = colours.get(raw[3], green)
                row = new(DueRow, (raw, colour, starts.get(birth) or annual_start(birth), visits))
                buckets[colour].append(new(DueResident, (row, day, following, visits)))
            found.append(buckets[red] + buckets[yellow] + buckets[green])
    return found


# --- a round already held: who was there that day, with the records before it -------------------------------------


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
    make = _RowMaker(visits).make
    rows = queries.due_rows_on(uow, visits=visits, institution_id=institution_id, day=day, round_id=round_id)
    return [make(raw) for raw in rows]
