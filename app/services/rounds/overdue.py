"""Rounds — overdue residents: due at an earlier round and not seen (checked, followed up) since.

The facts come in bulk from :func:`~app.services.rounds.due.load_due_rows`; each resident's due windows
are tested against the institution's rounds held before today with :func:`~app.domain.scheduling.missed_since`:
rounds planned, moved or cancelled from today on never change the list (DOMAIN §6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.colours import TriageColour
from app.domain.scheduling import Overdue, missed_since, outstanding
from app.domain.triage import TriageRules
from app.services.rounds.calendar import agreements_of, round_calendars
from app.services.rounds.due import DueRow, load_due_rows
from app.services.triage import bed_sort_key, current_rules
from app.store.queries import institutions as institution_queries
from app.store.queries import rounds as queries
from app.store.uow import UnitOfWork


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
    agreements = agreements_of(uow)
    rows = load_due_rows(uow, rules=rules, institution_ids=None if institution_id is None else [institution_id])
    # the rounds held before today only: overdue is about the past, what is planned from today on never
    # changes it (scheduling.held_rounds)
    calendars = {
        institution: [day.toordinal() for day in days]
        for institution, days in round_calendars(
            uow, agreements, until=today - timedelta(days=1), virtual_from=today
        ).items()
    }
    day = today.toordinal()
    found = []
    for row in rows:
        # nothing falling due from today on was due at a round already held (the last one is followed by
        # today): a cheap test that spares most residents the full one
        if row.windows.earliest >= day:
            continue
        since = missed_since(row.windows, calendars.get(row.institution_id, ()), day)
        if since is not None:
            found.append((row, since))
    return found, calendars


def overdue_residents(uow: UnitOfWork, *, today: date, institution_id: str | None = None) -> list[OverdueResident]:
    """Return the center's (or one institution's) overdue residents, most days overdue first."""
    with uow.reading() as uow:
        rules = current_rules(uow).rules
        found, calendars = _overdue_rows(uow, today=today, rules=rules, institution_id=institution_id)
        names = institution_queries.all_names(uow)
        phones = _phones(uow, [row.resident_id for row, _ in found])
    day = today.toordinal()
    result = []
    for row, since in found:
        facts = row.facts()
        reasons = outstanding(facts, calendars.get(row.institution_id, ()), day, rules.visits)
        result.append(
            OverdueResident(
                row.resident_id,
                row.name,
                row.sex,
                facts.birth_date,
                row.institution_id,
                names.get(row.institution_id, ""),
                row.building,
                row.room,
                row.bed,
                row.colour,
                Overdue(date.fromordinal(since), day - since, reasons),
                facts.last_seen,
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
    rows = queries.contact_phones(uow, resident_ids)
    return {resident_id: phone or "" for resident_id, phone in rows}
