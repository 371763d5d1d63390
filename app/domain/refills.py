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


@dataclass(frozen=True)
class Dispensed:
    """One dispensing: the day and how many units."""

    on: date
    quantity: int


def run_out_date(daily_quantity: Decimal, dispensed: Iterable[Dispensed]) -> date | None:
    """Return the first day without supply, or None when nothing was dispensed (nothing to run out).

    Args:
        daily_quantity: units taken a day (> 0).
        dispensed: the dispensings, in any order.
    """
    if daily_quantity <= 0:
        return None
    runs_out: date | None = None
    for supply in sorted(dispensed, key=lambda d: d.on):
        start = supply.on if runs_out is None or runs_out < supply.on else runs_out
        days = int(Decimal(supply.quantity) / daily_quantity)  # whole days the supply covers
        if days >= (date.max - start).days:
            return date.max  # supply beyond the calendar (0.01 a day, 10 000 at a time): never runs out
        runs_out = start + timedelta(days=days)
    return runs_out


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


def parse_daily_quantity(text: str) -> Decimal:
    """Return the daily quantity written as ``2`` or ``0.5`` (units a day).

    Raises:
        ValidationError: on ``daily_quantity`` for anything not a number in (0, 100].
    """
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        raise ValidationError("daily_quantity", text, "refill.error.daily") from None
    if not value.is_finite() or value <= 0 or value > MAX_DAILY_QUANTITY:
        raise ValidationError("daily_quantity", text, "refill.error.daily")
    value = value.quantize(Decimal("0.01"))
    if value <= 0:  # 0.001 would be kept as 0.00: a medication that never runs out
        raise ValidationError("daily_quantity", text, "refill.error.daily")
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


register(
    {
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
        "refill.error.quantity": {"zh_CN": "应为 1–{limit} 的整数", "en": "a whole number from 1 to {limit}"},
        "refill.error.collector": {
            "zh_CN": "最多 {limit} 个字，不含控制字符",
            "en": "at most {limit} characters, no control characters",
        },
    }
)
