"""The supply of long-term medications (代配药): when each runs out, its daily quantity followed over time.

A medication's daily quantity is one column; its history is in the audit trail, which records every change
with the moment it was saved (:mod:`app.store.audit`; entries travel with sync, sealed). The **change day**
is the local calendar day the change was saved: from that day the new quantity applies to the units left
(:func:`app.domain.refills.run_out_date`). How the history is read:

- the first value set (from nothing) is the quantity from the start: a supply dispensed before it was set
  counts at it;
- a value recorded as the old one of the first change (set before the audit trail saw it: the demo, rows
  from before migration 0008) is the quantity before that change;
- emptying the daily quantity (no longer followed) is no change of quantity: if it is set again, the new
  value applies from that day;
- the column is the truth for today: when sync kept another device's concurrent value than the trail's
  last one, the last change takes the column's value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from app.domain.refills import DailyChange, Dispensed, run_out_date
from app.store.queries import beds as queries
from app.store.uow import UnitOfWork


@dataclass(frozen=True)
class Supply:
    """A medication's supply: the day it runs out (None: never dispensed) and the last dispensing's day."""

    runs_out: date | None
    last_dispensed: date | None


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def change_day(at: object) -> date:
    """Return the local calendar day of an audit entry's moment (stored in UTC)."""
    moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().date()


def _quantity(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return quantity if quantity.is_finite() and quantity >= 0 else None


def daily_history(
    current: Decimal, entries: Iterable[tuple[object, Sequence[object]]]
) -> tuple[Decimal, list[DailyChange]]:
    """Return the quantity before the first change and the changes, from the audit entries of one medication.

    Args:
        current: the daily quantity now (the column).
        entries: ``(at, [old, new])`` of each entry that set or changed it, oldest first.
    """
    changes: list[DailyChange] = []
    initial: Decimal | None = None
    for at, (old, new) in entries:
        value = _quantity(new)
        if value is None:
            continue  # emptied: not followed any more; a value set later applies from its day
        if initial is None:
            before = _quantity(old)
            if before is None:
                initial = value  # the first value set: from the start
                continue
            initial = before
        changes.append(DailyChange(change_day(at), value))
    if initial is None:
        return current, []
    if changes and changes[-1].quantity != current:
        changes[-1] = DailyChange(changes[-1].on, current)
    elif not changes and initial != current:
        initial = current
    return initial, changes


def supplies(
    uow: UnitOfWork, medications: Sequence[tuple[str, str, Decimal]], *, until: date | None = None
) -> dict[str, Supply]:
    """Inside an open unit of work: the supply of each medication ``(id, resident id, daily quantity now)``.

    Args:
        until: count only the dispensings on or before this day (a round already held, as of its day).
    """
    if not medications:
        return {}
    given: dict[str, list[Dispensed]] = {}
    for medication_id, on, quantity, _collector, _by in queries.dispensed(uow, [m[0] for m in medications]):
        day = _day(on)
        if until is None or day <= until:
            given.setdefault(str(medication_id), []).append(Dispensed(day, int(quantity)))
    history: dict[str, list[tuple[object, Sequence[object]]]] = {}
    for medication_id, at, changes in queries.daily_quantity_changes(uow, [m[1] for m in medications]):
        try:
            pair = json.loads(changes)["daily_quantity"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(pair, list) and len(pair) == 2:
            history.setdefault(str(medication_id), []).append((at, pair))
    result = {}
    for medication_id, _resident_id, daily in medications:
        dispensed = given.get(medication_id, [])
        initial, changes = daily_history(daily, history.get(medication_id, []))
        result[medication_id] = Supply(
            run_out_date(initial, dispensed, changes), max((d.on for d in dispensed), default=None)
        )
    return result
