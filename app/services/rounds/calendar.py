"""Rounds — the calendar side: generating the agreed rounds of a week, and each institution's round days.

- **Generating.** Each agreement's round weekdays give the rounds of a week. :func:`generate_rounds` writes
  the missing ones; it is idempotent: a slot (institution, agreed day) is filled by any round on that day
  or moved away from it (``moved_from``), cancelled ones included. Generated rounds get an id derived from
  the slot, so two devices that generate the same week offline make the same rows, not duplicates.
- **Calendars.** :func:`round_calendars` gives per institution the days of its rounds that are not cancelled,
  with the agreed days that have no row yet, so the last planned round has a "next round" to look ahead to.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from app.domain.agreements import parse_weekdays
from app.domain.errors import ValidationError
from app.domain.scheduling import agreed_dates
from app.store.models import Round
from app.store.queries import rounds as queries
from app.store.uow import UnitOfWork

ROUND_NAMESPACE = uuid.UUID("8f6b1d1e-5d0e-4a53-9a43-0c7f3c1f6a52")
LOOKAHEAD_WEEKS = 2
"""Agreed days this many weeks past the planned week count as next rounds when no row exists yet."""


def round_id_for(institution_id: str, day: date) -> str:
    """Return the id a generated round of ``institution_id`` on ``day`` gets (the same on every device)."""
    return str(uuid.uuid5(ROUND_NAMESPACE, f"{institution_id}/{day.isoformat()}"))


class AgreementRow(NamedTuple):
    id: str
    institution_id: str
    team_id: str | None
    start: date
    end: date | None
    weekdays: tuple[int, ...]
    minimum: int


def agreements_of(uow: UnitOfWork) -> list[AgreementRow]:
    rows = []
    for agreement_id, institution_id, team_id, start, end, weekdays, minimum in queries.live_agreements(uow):
        try:
            days = parse_weekdays(weekdays or "")
        except ValidationError:
            days = ()  # an agreement without valid weekdays generates nothing (its page flags it)
        rows.append(
            AgreementRow(
                agreement_id,
                institution_id,
                team_id,
                date.fromisoformat(start),
                date.fromisoformat(end) if end else None,
                days,
                max(1, minimum or 1),
            )
        )
    return rows


def filled_slots(uow: UnitOfWork, start: date, end: date) -> set[tuple[str, date]]:
    """Return (institution, day) slots between ``start`` and ``end`` taken by a round or a moved round."""
    slots: set[tuple[str, date]] = set()
    for institution_id, day, moved_from in queries.rounds_in_slots(uow, start, end):
        slots.add((institution_id, date.fromisoformat(day)))
        if moved_from:
            slots.add((institution_id, date.fromisoformat(moved_from)))
    return slots


def generate_week(uow: UnitOfWork, monday: date, *, institution_id: str | None = None, add: bool = True) -> int:
    """Add the missing agreed rounds of the week (inside ``with uow``); return how many were added.

    Args:
        institution_id: only this institution's rounds.
        add: False only counts the missing rounds (in a reading unit of work) and adds nothing.
    """
    sunday = monday + timedelta(days=6)
    filled = filled_slots(uow, monday, sunday)
    created = 0
    for agreement in agreements_of(uow):
        if institution_id is not None and agreement.institution_id != institution_id:
            continue
        for day in agreed_dates(agreement.weekdays, monday, agreement.start, agreement.end):
            slot = (agreement.institution_id, day)
            if slot in filled:
                continue
            round_id = round_id_for(*slot)
            if uow.session.get(Round, round_id) is not None:
                continue  # generated before and since deleted or moved out of sight: never again
            if not add:
                created += 1
                continue
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


def is_past_week(monday: date, today: date) -> bool:
    """Return whether the week of ``monday`` ended before the week of ``today`` (nothing is generated for it)."""
    return monday < today - timedelta(days=today.weekday())


def generate_rounds(
    uow: UnitOfWork, *, week: date, today: date | None = None, institution_id: str | None = None
) -> int:
    """Write the agreed rounds of the week containing ``week`` that do not exist yet.

    A week before ``today``'s week (when given) is history: nothing is generated for it.

    Args:
        institution_id: only this institution's rounds.

    Returns:
        How many rounds were added (0 when the week was complete or past).

    A week already complete (the usual case: every list and plan asks) is seen in a reading unit of work,
    without taking the write lock; only a week missing rounds is generated again under it.
    """
    monday = week - timedelta(days=week.weekday())
    if today is not None and is_past_week(monday, today):
        return 0
    with uow.reading() as reader:
        if not generate_week(reader, monday, institution_id=institution_id, add=False):
            return 0
    with uow:
        created = generate_week(uow, monday, institution_id=institution_id)
        if created:
            uow.commit()
        return created


def round_calendars(
    uow: UnitOfWork, agreements: Sequence[AgreementRow], *, until: date, virtual_from: date
) -> dict[str, list[date]]:
    """Return per institution the sorted days of its rounds that are not cancelled, up to ``until``.

    Agreed days from ``virtual_from`` on that have no round yet are included, so the last planned round
    still has a "next round" to look ahead to.
    """
    calendars: dict[str, set[date]] = {}
    for institution_id, day in queries.round_days_until(uow, until):
        calendars.setdefault(institution_id, set()).add(date.fromisoformat(day))
    filled = filled_slots(uow, virtual_from, until)
    monday = virtual_from - timedelta(days=virtual_from.weekday())
    while monday <= until:
        for agreement in agreements:
            for day in agreed_dates(agreement.weekdays, monday, agreement.start, agreement.end):
                if virtual_from <= day <= until and (agreement.institution_id, day) not in filled:
                    calendars.setdefault(agreement.institution_id, set()).add(day)
        monday += timedelta(weeks=1)
    return {institution_id: sorted(days) for institution_id, days in calendars.items()}
