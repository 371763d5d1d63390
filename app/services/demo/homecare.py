"""The demo's family beds and proxy refills (DOMAIN §8): open beds with orders and weekly checks (some with a
week missed), closed beds, and long-term medications whose supply runs out around the coming rounds.

Rows drawn from ``Random(seed)`` and written by the demo's own writer in its transaction, with ids from a window
after the residents' blocks: the same seed and day give the same rows, like the rest of the demo.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from app.domain.sickbeds import CloseReason
from app.services.demo.plan import ID_WINDOW_MS, id_stream

BEDS = 12
"""Open beds given details at most (the demo flags about 3 % of residents; a dozen keeps the demo small)."""

CLOSED = 3
"""Beds opened and closed in the past, for residents without a bed now."""

MEDICATIONS = 40
"""Medications made long-term at most, in the homes' bed order."""

_PLANS = (
    ("骶尾部压疮 II 期", "每 2 日换药，翻身减压，每周查床", (("dressing", 2, "碘伏消毒，无菌敷料覆盖"),)),
    ("长期留置导尿", "每月更换导尿管，观察尿色尿量", (("catheter", 28, "16F 硅胶导尿管"), ("observation", 1, ""))),
    ("鼻饲管饲养", "每月更换胃管，注意误吸", (("feeding_tube", 30, ""), ("observation", 1, "鼻饲后半卧位 30 分钟"))),
    (
        "慢性心衰急性加重",
        "限水限盐，每日称重",
        (("infusion", 1, "呋塞米 20mg 静推"), ("blood_draw", 7, "电解质、肾功能")),
    ),
    (
        "糖尿病足溃疡",
        "每 3 日换药，监测血糖",
        (("dressing", 3, "清创后银离子敷料"), ("blood_draw", 14, "血糖、糖化血红蛋白")),
    ),
)
_FINDINGS = ("生命体征平稳，创面无渗出", "精神可，进食可，导尿通畅", "创面较前缩小，肉芽新鲜", "双下肢水肿减轻")
_COLLECTORS = ("王阿姨", "李护工", "张主任")

BED_COLUMNS = (
    "id",
    "resident_id",
    "indication",
    "doctor_id",
    "opened_on",
    "care_plan",
    "closed_on",
    "close_reason",
    "summary",
)
ORDER_COLUMNS = ("id", "bed_id", "kind", "every_days", "start", "stop", "detail")
CHECK_COLUMNS = ("id", "bed_id", "checked_on", "staff_id", "findings", "orders_done")
DISPENSE_COLUMNS = ("id", "medication_id", "resident_id", "dispensed_on", "quantity", "collected_by", "recorded_by")


def _doses_a_day(frequency: str) -> Decimal:
    """Return the doses a day a frequency says: 每日3次 3, 每晚1次 1, 每周1次 1/7; 1 when it says none."""
    found = re.search(r"(每日|每天|每周|每晚|每早)\s*(\d+)\s*次", frequency)
    if found is None:
        return Decimal(1)
    times = Decimal(found.group(2))
    return times / 7 if found.group(1) == "每周" else times


def _day(value: Any, fallback: date) -> date:
    return date.fromisoformat(str(value)) if value else fallback


def homecare_rows(
    *,
    seed: int,
    today: date,
    id_ms: int,
    flagged: list[Any],
    unflagged: list[Any],
    medications: list[Any],
    doctors: list[str],
) -> tuple[list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]], list[tuple[float, str, str]]]:
    """Return the tables to insert (family_bed, bed_order, bed_check, medication_dispense) and the medications'
    supplies ``(daily quantity, unit, id)``.

    Args:
        id_ms: the start of an id window no other demo rows use.
        flagged: residents flagged ``family_bed`` ``(id, family_bed_start)``: each gets an open bed.
        unflagged: residents without a bed ``(id, admission_date)``: the first :data:`CLOSED` get a closed one.
        medications: ``(id, name, resident_id, frequency)`` to make long-term: the daily quantity is the units
            of a dose (a tablet or capsule, one tablet in four halved) times the doses a day its frequency
            says (每日3次: 3, 每周1次: 1/7).
        doctors: doctors' ids, the first is the beds' doctor.
    """
    rng = random.Random(f"homecare-{seed}-{today.isoformat()}")
    new_id = id_stream(id_ms, rng).__next__
    beds: list[tuple[Any, ...]] = []
    orders: list[tuple[Any, ...]] = []
    checks: list[tuple[Any, ...]] = []
    if not doctors:
        return [], []
    doctor = doctors[0]
    residents = [(row[0], _day(row[1], today - timedelta(days=20)), False) for row in flagged]
    for row in unflagged[:CLOSED]:
        admitted = _day(row[1], today - timedelta(days=200))
        residents.append((row[0], max(admitted, today - timedelta(days=150 + rng.randrange(20))), True))
    for number, (resident_id, opened, closes) in enumerate(residents):
        opened = min(opened, today - timedelta(days=1))
        indication, plan, bed_orders = _PLANS[number % len(_PLANS)]
        closed_on = opened + timedelta(days=21 + rng.randrange(40)) if closes else None
        if closed_on is not None and closed_on >= today:
            closed_on = today - timedelta(days=1)
        bed_id = new_id()
        summary = "创面愈合，病情稳定，撤床，转为常规巡诊。" if closed_on else ""
        reason = CloseReason.RECOVERED.value if closed_on else ""
        beds.append(
            (
                bed_id,
                resident_id,
                indication,
                doctor,
                opened.isoformat(),
                plan,
                closed_on.isoformat() if closed_on else None,
                reason,
                summary,
            )
        )
        order_ids = []
        for kind, every, detail in bed_orders:
            order_ids.append(new_id())
            orders.append((order_ids[-1], bed_id, kind, every, opened.isoformat(), None, detail))
        end = closed_on or today
        weeks = (end - opened).days // 7
        skipped = weeks - 1 - rng.randrange(2) if weeks >= 3 and number % 3 == 0 and not closes else -1
        for week in range(weeks + 1):
            day = opened + timedelta(days=7 * week + rng.randrange(7))
            if week == skipped or day > end:
                continue
            checks.append(
                (new_id(), bed_id, day.isoformat(), doctor, rng.choice(_FINDINGS), json.dumps(sorted(order_ids)))
            )
    supplies: list[tuple[float, str, str]] = []
    dispensed: list[tuple[Any, ...]] = []
    for number, (medication_id, name, resident_id, *rest) in enumerate(medications):
        capsule = "胶囊" in str(name)
        dose = Decimal("0.5") if number % 4 == 3 and not capsule else Decimal(1)  # a tablet, or half of one
        daily = max(Decimal("0.01"), (dose * _doses_a_day(str(rest[0]) if rest else "")).quantize(Decimal("0.01")))
        supplies.append((float(daily), "粒" if capsule else "片", medication_id))
        if number % 5 == 4:
            continue  # never dispensed: on the next refill list
        given = today - timedelta(days=rng.randrange(1, 22))
        quantity = max(1, int(daily * rng.choice((14, 28, 28, 28, 56))))  # most last beyond the next round
        dispensed.append(
            (new_id(), medication_id, resident_id, given.isoformat(), quantity, rng.choice(_COLLECTORS), doctor)
        )
    tables = [
        ("family_bed", BED_COLUMNS, beds),
        ("bed_order", ORDER_COLUMNS, orders),
        ("bed_check", CHECK_COLUMNS, checks),
        ("medication_dispense", DISPENSE_COLUMNS, dispensed),
    ]
    return tables, supplies


def homecare_id_ms(plan_id_ms: int, residents: int, block_size: int) -> int:
    """Return the start of the id window after every residents' block's."""
    blocks = -(-residents // block_size)
    return plan_id_ms + (blocks + 1) * ID_WINDOW_MS
