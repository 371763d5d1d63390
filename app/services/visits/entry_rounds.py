"""Rounds for visit entry — 巡诊单: the rounds a nurse records at, and a round's sheet on the visit page.

- :func:`rounds_for_entry` returns today's rounds and recent ones (for late entry).
- :func:`round_for_visit` returns the round a visit on a given day belongs to.
- :func:`round_sheet` returns a round's residents in round-sheet order (the residents due, from
  :func:`app.services.rounds.plan.round_due`, plus anyone already visited at the round) with what was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.colours import TriageColour
from app.domain.errors import ValidationError
from app.domain.visits import VisitOutcome
from app.domain.vitals import VitalsAssessment, validate_vitals
from app.services.rounds.plan import generate_rounds, round_due
from app.services.triage import bed_sort_key
from app.store.queries import visits as queries
from app.store.uow import UnitOfWork


@dataclass(frozen=True)
class RoundChoice:
    """A round a nurse can record visits at (today's, or a recent one for late entry)."""

    id: str
    institution_id: str
    institution: str
    day: date
    status: str
    team: str


def rounds_for_entry(uow: UnitOfWork, *, today: date, days_back: int = 14) -> list[RoundChoice]:
    """Return the rounds of the last ``days_back`` days and today, today's first, then the most recent.

    This week's agreed rounds are generated first (idempotent), so today's round is there to choose.
    """
    generate_rounds(uow, week=today)
    start = date.fromordinal(today.toordinal() - days_back)
    with uow.reading() as uow:
        rows = queries.rounds_for_entry(uow, start, today)
    return [RoundChoice(row[0], row[1], row[2], date.fromisoformat(row[3]), row[4], row[5]) for row in rows]


def round_for_visit(uow: UnitOfWork, *, resident_id: str, visit_date: date) -> str | None:
    """Return the round of the resident's institution on ``visit_date`` (not cancelled), or None."""
    with uow.reading() as uow:
        return queries.round_of_resident_on(uow, resident_id, visit_date)


@dataclass(frozen=True)
class RecordedVisit:
    """What was recorded for a resident at the round (latest version), for the sheet's status column."""

    visit_id: str
    version: int
    outcome: VisitOutcome
    urgent: bool
    abnormal: bool


@dataclass(frozen=True)
class SheetResident:
    """One line of the round sheet on the visit page.

    Attributes:
        due: why the resident is due at the round (empty for a resident visited though no longer due).
        planned: due at the round or already visited at it; False for a resident added by the screen for an
            unplanned visit (found with Ctrl+F).
        visit: what was recorded at this round, or None.
    """

    resident_id: str
    name: str
    sex: str
    birth_date: date
    building: str
    room: str
    bed: str
    colour: TriageColour
    due: tuple[str, ...]
    planned: bool
    visit: RecordedVisit | None = None

    @property
    def bed_label(self) -> str:
        return "-".join(part for part in (self.building, self.room, self.bed) if part)


@dataclass(frozen=True)
class RoundSheet:
    """A round and its residents in round-sheet order (red first, then building, room and bed)."""

    round_id: str
    institution_id: str
    institution: str
    day: date
    status: str
    team: str
    residents: tuple[SheetResident, ...]

    def index_of(self, resident_id: str) -> int:
        return next((i for i, r in enumerate(self.residents) if r.resident_id == resident_id), -1)


def round_sheet(uow: UnitOfWork, *, round_id: str, today: date) -> RoundSheet:
    """Return a round's residents in round-sheet order with what was recorded for each.

    The residents due come from :func:`app.services.rounds.plan.round_due` (its order; for a round already held,
    as of that day, so residents admitted after it are not on it); residents already visited
    at the round stay on the sheet even when no longer due, in the same order, and unplanned visits join it.

    Raises:
        RoundNotFound: no such round.
    """
    planned = round_due(uow, round_id=round_id, today=today)
    counted_to = min(today, planned.round.day)  # a round already held: as it stood that day
    with uow.reading() as uow:
        rows = queries.visits_at_round(uow, round_id)
    recorded: dict[str, RecordedVisit] = {}
    visited: dict[str, SheetResident] = {}
    for row in rows:
        (
            visit_id,
            resident_id,
            version,
            outcome,
            sbp,
            dbp,
            pulse,
            temperature,
            spo2,
            glucose,
            fasting,
            name,
            sex,
            birth,
            building,
            room,
            bed,
            colour,
        ) = row
        assessment = _flags(
            sbp=sbp,
            dbp=dbp,
            pulse=pulse,
            temperature=temperature,
            spo2=spo2,
            glucose=glucose,
            glucose_fasting=bool(fasting),
        )
        recorded[resident_id] = RecordedVisit(
            visit_id, int(version), _outcome(outcome), assessment.is_urgent, assessment.is_abnormal
        )
        # visited at the round: on the sheet whether or not still due (seen now, so no longer due)
        visited[resident_id] = SheetResident(
            resident_id,
            name,
            sex,
            date.fromisoformat(birth),
            building,
            room,
            bed,
            TriageColour(colour),
            (),
            True,
        )
    residents = [
        SheetResident(
            r.resident_id,
            r.name,
            r.sex,
            r.birth_date,
            r.building,
            r.room,
            r.bed,
            r.colour,
            tuple(reason.text(counted_to) for reason in r.reasons),
            True,
            recorded.get(r.resident_id),
        )
        for r in planned.due
    ]
    listed = {r.resident_id for r in residents}
    residents += [
        SheetResident(**{**extra.__dict__, "visit": recorded[resident_id]})
        for resident_id, extra in visited.items()
        if resident_id not in listed
    ]
    residents.sort(key=lambda r: (-r.colour.severity, *bed_sort_key(r)))
    info = planned.round
    return RoundSheet(
        info.id, info.institution_id, info.institution, info.day, info.status, info.team, tuple(residents)
    )


def _outcome(value: str) -> VisitOutcome:
    try:
        return VisitOutcome(value)
    except ValueError:
        return VisitOutcome.SEEN


def _flags(**values: Any) -> VitalsAssessment:
    fasting = values.pop("glucose_fasting")
    given = {name: value for name, value in values.items() if value is not None}
    try:
        return validate_vitals(**given, glucose_fasting=fasting)
    except (ValidationError, ValueError):
        return VitalsAssessment(())
