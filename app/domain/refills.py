"""Proxy refills — 代配药: when a long-term medication runs out, and who needs a refill before the next round.

Home staff collect residents' long-term prescriptions from the center (DOMAIN §8). Each long-term medication
has a daily quantity (units a day: tablets, capsules, …); each dispensing adds a supply. The supply is used
from the day it is dispensed, or from the day the previous supply runs out if that is later, so a refill
collected early does not waste the days left. A medication runs out on the first day it has no supply.

The refill list of a round names each medication that runs out on or before the next round (the resident
would be without it until then), with the quantity to dispense: enough for ``REFILL_DAYS`` days from the day
it runs out, in whole units.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from app.domain.errors import ValidationError
from app.domain.i18n import register
from app.domain.sickbeds import shown
from app.domain.validation import is_unsafe_control

REFILL_DAYS = 28
"""Days of supply a refill covers by default (a 4-week long prescription, 长处方)."""

MAX_DAILY_QUANTITY = Decimal(100)
MAX_DISPENSE_QUANTITY = 10_000
MAX_COLLECTOR = 50
MAX_UNIT = 10


@dataclass(frozen=True)
class Dispensed:
    """One dispensing: the day and how many units."""

    on: date
    quantity: int


@dataclass(frozen=True)
class DailyChange:
    """From the day ``on`` the medication is taken at ``quantity`` units a day (0: stopped from that day)."""

    on: date
    quantity: Decimal


def run_out_date(
    daily_quantity: Decimal, dispensed: Iterable[Dispensed], changes: Iterable[DailyChange] = ()
) -> date | None:
    """Return the first day without supply, or None when nothing was dispensed (nothing to run out).

    The rule (docs/homecare.md, "Run-out day"): the dispensings are used in the order of their days; each
    starts on its day, or on the day the previous one ran out if that is later (a refill collected early does
    not waste the days left). A dispensing covers a day when the units it has left are at least that day's
    quantity, and then gives that many; the first day it cannot cover, its remainder (less than a day's
    quantity) is not counted and the next dispensing starts. Without ``changes`` each dispensing covers
    ``quantity // daily_quantity`` whole days.

    A change of the daily quantity applies from its day to the units left at the start of that day:

    - a change on the run-out day re-counts what was left of the last dispensing at the new quantity (2 a day
      with 1 unit left runs out that day; changed to 1 a day that same day, the unit covers it);
    - a change after the run-out day changes nothing before it; one before a dispensing's day (or before any
      dispensing) makes the whole dispensing count at the new quantity;
    - a quantity of 0 stops the medication from that day: nothing is used any more, so a supply not yet
      run out by then never runs out (``date.max``); one that ran out before keeps its run-out day.

    Args:
        daily_quantity: units taken a day before the first change (> 0).
        dispensed: the dispensings, in any order.
        changes: the changes of the daily quantity, in any order (the last of a day wins).

    Returns:
        The first day without supply; ``date.max`` when the supply never runs out (stopped, or reaching past
        the calendar); None when nothing was dispensed.
    """
    if daily_quantity <= 0:
        return None
    timeline = sorted({change.on: change.quantity for change in sorted(changes, key=lambda c: c.on)}.items())
    runs_out: date | None = None
    for supply in sorted(dispensed, key=lambda d: d.on):
        start = supply.on if runs_out is None or runs_out < supply.on else runs_out
        runs_out = _cover(start, Decimal(supply.quantity), daily_quantity, timeline)
        if runs_out == date.max:
            return date.max
    return runs_out


def _cover(start: date, units: Decimal, initial: Decimal, timeline: list[tuple[date, Decimal]]) -> date:
    """Return the first day from ``start`` that ``units`` cannot cover, the quantity a day following
    ``timeline`` (``initial`` before its first day); ``date.max`` when they never run out."""
    day = start
    while True:
        rate = initial
        following: date | None = None
        for on, quantity in timeline:
            if on <= day:
                rate = quantity
            else:
                following = on
                break
        if rate <= 0:  # stopped: nothing is used until the quantity changes again
            if following is None:
                return date.max
            day = following
            continue
        days = int(units / rate)  # whole days these units cover at this quantity
        if days >= (date.max - day).days:
            return date.max  # supply beyond the calendar (0.01 a day, 10 000 at a time): never runs out
        if following is None or day + timedelta(days=days) < following:
            return day + timedelta(days=days)
        units -= rate * (following - day).days
        day = following


def needs_refill(runs_out: date | None, next_round: date) -> bool:
    """Return whether a medication running out on ``runs_out`` needs a refill before ``next_round``.

    It does when it runs out on or before the next round's day: from that day the resident has none.
    A medication never dispensed (``None``) is listed too: the center has no supply on record.
    """
    return runs_out is None or runs_out <= next_round


def ran_out(runs_out: date | None, today: date) -> bool:
    """Return whether the medication has already run out by ``today`` without a refill."""
    return runs_out is not None and runs_out <= today


def quantity_to_dispense(daily_quantity: Decimal, days: int = REFILL_DAYS) -> int:
    """Return the whole units covering ``days`` days at ``daily_quantity`` a day (rounded up)."""
    return max(1, math.ceil(daily_quantity * days))


def parse_daily_quantity(text: str, *, stop: bool = False) -> Decimal:
    """Return the daily quantity written as ``2`` or ``0.5`` (units a day).

    Args:
        stop: ``0`` is accepted too (the record: a dose changed to nothing stops the medication).

    Raises:
        ValidationError: on ``daily_quantity`` for anything not a number in (0, 100] (or [0, 100] with ``stop``).
    """
    key = "refill.error.daily_or_stop" if stop else "refill.error.daily"
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        raise ValidationError("daily_quantity", text, key) from None
    if stop and value.is_finite() and value == 0:
        return Decimal("0.00")
    if not value.is_finite() or value <= 0 or value > MAX_DAILY_QUANTITY:
        raise ValidationError("daily_quantity", text, key)
    value = value.quantize(Decimal("0.01"))
    if value <= 0:  # 0.001 would be kept as 0.00: a medication that never runs out
        raise ValidationError("daily_quantity", text, key)
    return value


def check_dispense(quantity: int, collected_by: str) -> tuple[int, str]:
    """Return the quantity and collector's name checked.

    Raises:
        ValidationError: on ``quantity`` outside 1–10 000, or ``collected_by`` too long or with control
            characters.
    """
    if not 1 <= quantity <= MAX_DISPENSE_QUANTITY:
        raise ValidationError("dispense_quantity", quantity, "refill.error.quantity", limit=MAX_DISPENSE_QUANTITY)
    collected_by = collected_by.strip()
    if len(collected_by) > MAX_COLLECTOR or any(ord(c) < 32 or is_unsafe_control(c) for c in collected_by):
        raise ValidationError("collected_by", shown(collected_by[:20]), "refill.error.collector", limit=MAX_COLLECTOR)
    return quantity, collected_by


def check_unit(unit: str) -> str:
    """Return the unit (片, 粒, 支, …) stripped.

    Raises:
        ValidationError: on ``unit``: longer than 10 characters or with control characters.
    """
    unit = unit.strip()
    if len(unit) > MAX_UNIT or any(ord(c) < 32 or is_unsafe_control(c) for c in unit):
        raise ValidationError("unit", shown(unit[:20]), "refill.unit", limit=MAX_UNIT)
    return unit


register(
    {
        "refill.unit": {"zh_CN": "最多 {limit} 个字", "en": "at most {limit} characters"},
        "field.unit": {"zh_CN": "单位", "en": "unit"},
        # the audit trail names the columns of medication_dispense and the medication's supply in words
        "audit.field.medication_id": {"zh_CN": "药品", "en": "medication"},
        "audit.field.dispensed_on": {"zh_CN": "配药日期", "en": "dispensed on"},
        "audit.field.quantity": {"zh_CN": "数量", "en": "quantity"},
        "audit.field.collected_by": {"zh_CN": "代领人", "en": "collected by"},
        "audit.field.daily_quantity": {"zh_CN": "每日用量", "en": "daily quantity"},
        "audit.field.unit": {"zh_CN": "单位", "en": "unit"},
        "field.daily_quantity": {"zh_CN": "每日用量", "en": "daily quantity"},
        "field.dispense_quantity": {"zh_CN": "配药数量", "en": "quantity dispensed"},
        "field.collected_by": {"zh_CN": "代领人", "en": "collected by"},
        "field.dispensed_on": {"zh_CN": "配药日期", "en": "date dispensed"},
        "refill.error.daily": {
            "zh_CN": "应为 0.01–100 的数（每日单位数，如 2 或 0.5）",
            "en": "a number from 0.01 to 100 (units a day, e.g. 2 or 0.5)",
        },
        "refill.error.daily_or_stop": {
            "zh_CN": "应为 0.01–100 的数（每日单位数，如 2 或 0.5），0 表示停药",
            "en": "a number from 0.01 to 100 (units a day, e.g. 2 or 0.5), or 0 to stop it",
        },
        "refill.error.quantity": {"zh_CN": "应为 1–{limit} 的整数", "en": "a whole number from 1 to {limit}"},
        "refill.error.collector": {
            "zh_CN": "最多 {limit} 个字，不含控制字符",
            "en": "at most {limit} characters, no control characters",
        },
    }
)
