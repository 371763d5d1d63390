"""Family sickbeds — 家庭病床 — inside a nursing home: opening, orders, weekly checks, closing (DOMAIN §8).

A doctor opens a bed (建床) with the indication, a care plan and orders (医嘱); the bed is checked (查床) at
least weekly; a doctor closes it (撤床) with a discharge summary and a reason. One open bed per resident.

The rules here are pure: which orders are due on a day, how many weekly checks were missed, bed-days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.validation import is_unsafe_control

CHECK_INTERVAL_DAYS = 7
"""A bed is checked at least once in every 7 days from the day it was opened."""

MAX_TEXT = 2000
"""Longest care plan, findings or discharge summary accepted (characters)."""

MAX_SHORT_TEXT = 200
"""Longest indication, order detail or close reason accepted (characters)."""


class OrderKind(StrEnum):
    """The kinds of orders (医嘱) carried out at a family bed."""

    DRESSING = "dressing"  # 换药
    CATHETER = "catheter"  # 更换导尿管
    FEEDING_TUBE = "feeding_tube"  # 更换胃管
    INFUSION = "infusion"  # 静脉输液
    INJECTION = "injection"  # 注射
    BLOOD_DRAW = "blood_draw"  # 抽血化验
    OBSERVATION = "observation"  # 病情观察
    OTHER = "other"  # 其他

    @property
    def label(self) -> str:
        return t(f"bed.order.{self.value}")


class CloseReason(StrEnum):
    """Why a bed was closed (撤床原因)."""

    RECOVERED = "recovered"  # 治愈/好转
    HOSPITALISED = "hospitalised"  # 转住院
    DIED = "died"  # 死亡
    DECLINED = "declined"  # 家属/本人要求撤床
    OTHER = "other"

    @property
    def label(self) -> str:
        return t(f"bed.close.{self.value}")


@dataclass(frozen=True)
class Order:
    """An order at a bed: what, how often (every ``every_days`` days from ``start``), until when."""

    kind: OrderKind
    every_days: int
    start: date
    stop: date | None = None
    detail: str = ""

    def due_on(self, day: date) -> bool:
        """Return whether this order falls due on ``day`` (its start, then every ``every_days`` days)."""
        if day < self.start or (self.stop is not None and day > self.stop):
            return False
        return (day - self.start).days % self.every_days == 0

    def due_between(self, first: date, last: date) -> bool:
        """Return whether the order falls due on any day from ``first`` to ``last`` (both included)."""
        if last < first:
            return False
        start = max(first, self.start)
        end = last if self.stop is None else min(last, self.stop)
        if end < start:
            return False
        # the first due day on or after ``start``
        offset = (start - self.start).days % self.every_days
        first_due = start if offset == 0 else start + timedelta(days=self.every_days - offset)
        return first_due <= end


def check_order(kind: str, every_days: int, start: date, stop: date | None, detail: str) -> Order:
    """Return the order, or raise ValidationError naming the field that is wrong.

    Raises:
        ValidationError: unknown kind, interval outside 1–90 days, stop before start, detail too long.
    """
    try:
        order_kind = OrderKind(kind)
    except ValueError:
        raise ValidationError(
            "order_kind", kind, "bed.error.kind", kinds=", ".join(k.value for k in OrderKind)
        ) from None
    if not 1 <= every_days <= 90:
        raise ValidationError("order_every_days", every_days, "bed.error.every")
    if stop is not None and stop < start:
        raise ValidationError("order_stop", stop.isoformat(), "bed.error.stop", start=start.isoformat())
    return Order(
        order_kind, every_days, start, stop, check_text("order_detail", detail, required=False, limit=MAX_SHORT_TEXT)
    )


def check_text(field: str, value: str, *, required: bool, limit: int) -> str:
    """Return ``value`` stripped, or raise ValidationError when it is missing, too long or has control characters.

    Args:
        field: the field's label key suffix (``field.<field>``).
    """
    value = value.strip()
    if required and not value:
        raise ValidationError(field, value, "bed.error.required")
    if len(value) > limit:
        raise ValidationError(field, value[:20] + "…", "bed.error.too_long", limit=limit)
    if any(is_unsafe_control(c) for c in value):  # C0/C1 controls and bidi overrides (sync refuses them)
        raise ValidationError(field, shown(value[:20]), "bed.error.control")
    return value


def shown(value: str) -> str:
    """Return ``value`` with its control characters written as escapes (``\\u202e``, ``\\x1b``), for a refusal
    that quotes it: raw, a bidi override would reorder the message around it on screen."""
    return "".join(
        (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") if is_unsafe_control(c) else c for c in value
    )


def orders_due(orders: Iterable[Order], day: date) -> list[Order]:
    """Return the orders due on ``day``, in the order given."""
    return [order for order in orders if order.due_on(day)]


def checks_missed(opened_on: date, check_days: Iterable[date], today: date, closed_on: date | None = None) -> int:
    """Return how many whole 7-day periods since the bed opened passed without a check.

    The periods are days 0–6, 7–13, … counted from ``opened_on``; only periods that have ended by ``today``
    (or by ``closed_on`` for a closed bed) count: a period is over the day after its last day, so a check on
    that last day is still on time. A check on any day of a period covers it.
    """
    end = today if closed_on is None else min(today, closed_on)
    if end < opened_on:
        return 0
    # period p (days 7p..7p+6) has ended once its last day is over: on day 7p+7, not during day 7p+6
    ended_periods = (end - opened_on).days // CHECK_INTERVAL_DAYS
    covered = {(day - opened_on).days // CHECK_INTERVAL_DAYS for day in check_days if opened_on <= day <= end}
    return sum(1 for period in range(ended_periods) if period not in covered)


def bed_days(opened_on: date, today: date, closed_on: date | None = None) -> int:
    """Return the bed-days (家床日): days from opening to closing (or to today for an open bed).

    Like hospital bed-days, the day the bed opens counts and the day it closes does not; a bed opened and
    closed on the same day counts one day.
    """
    end = today if closed_on is None else closed_on
    return max(1, (end - opened_on).days) if end >= opened_on else 0


def next_check_due(opened_on: date, check_days: Iterable[date]) -> date:
    """Return the last day by which the next check is due: 7 days after the last check, or the last day of the
    first week (day 6) when the bed has not been checked since it opened."""
    checked = [day for day in check_days if day >= opened_on]
    if not checked:
        # the first period is days 0-6: a check on day 7 would leave it missed (checks_missed)
        return opened_on + timedelta(days=CHECK_INTERVAL_DAYS - 1)
    return max(checked) + timedelta(days=CHECK_INTERVAL_DAYS)


register(
    {
        # the audit trail names the columns of family_bed, bed_order and bed_check in words
        "audit.field.bed_id": {"zh_CN": "家庭病床", "en": "family bed"},
        "audit.field.indication": {"zh_CN": "建床指征", "en": "indication"},
        "audit.field.doctor_id": {"zh_CN": "责任医生", "en": "responsible doctor"},
        "audit.field.care_plan": {"zh_CN": "护理计划", "en": "care plan"},
        "audit.field.close_reason": {"zh_CN": "撤床原因", "en": "close reason"},
        "audit.field.summary": {"zh_CN": "撤床小结", "en": "discharge summary"},
        "audit.field.every_days": {"zh_CN": "间隔天数", "en": "every (days)"},
        "audit.field.start": {"zh_CN": "开始日期", "en": "start"},
        "audit.field.stop": {"zh_CN": "停止日期", "en": "stop"},
        "audit.field.detail": {"zh_CN": "内容", "en": "detail"},
        "audit.field.checked_on": {"zh_CN": "查床日期", "en": "checked on"},
        "audit.field.staff_id": {"zh_CN": "查床人", "en": "checked by"},
        "audit.field.orders_done": {"zh_CN": "已执行医嘱", "en": "orders carried out"},
        "bed.order.dressing": {"zh_CN": "换药", "en": "dressing change"},
        "bed.order.catheter": {"zh_CN": "更换导尿管", "en": "catheter change"},
        "bed.order.feeding_tube": {"zh_CN": "更换胃管", "en": "feeding tube change"},
        "bed.order.infusion": {"zh_CN": "静脉输液", "en": "infusion"},
        "bed.order.injection": {"zh_CN": "注射", "en": "injection"},
        "bed.order.blood_draw": {"zh_CN": "抽血化验", "en": "blood draw"},
        "bed.order.observation": {"zh_CN": "病情观察", "en": "observation"},
        "bed.order.other": {"zh_CN": "其他", "en": "other"},
        "bed.close.recovered": {"zh_CN": "治愈或好转", "en": "recovered or improved"},
        "bed.close.hospitalised": {"zh_CN": "转住院", "en": "admitted to hospital"},
        "bed.close.died": {"zh_CN": "死亡", "en": "died"},
        "bed.close.declined": {"zh_CN": "本人或家属要求撤床", "en": "at the resident's or family's request"},
        "bed.close.other": {"zh_CN": "其他", "en": "other"},
        "field.bed_indication": {"zh_CN": "建床指征", "en": "indication"},
        "field.bed_care_plan": {"zh_CN": "护理计划", "en": "care plan"},
        "field.bed_findings": {"zh_CN": "查床所见", "en": "findings"},
        "field.bed_summary": {"zh_CN": "撤床小结", "en": "discharge summary"},
        "field.bed_close_reason": {"zh_CN": "撤床原因", "en": "close reason"},
        "field.bed_opened_on": {"zh_CN": "建床日期", "en": "opening date"},
        "field.bed_closed_on": {"zh_CN": "撤床日期", "en": "closing date"},
        "field.bed_checked_on": {"zh_CN": "查床日期", "en": "check date"},
        "field.bed_doctor": {"zh_CN": "责任医生", "en": "responsible doctor"},
        "field.order_kind": {"zh_CN": "医嘱类别", "en": "order kind"},
        "field.order_every_days": {"zh_CN": "医嘱间隔天数", "en": "order interval (days)"},
        "field.order_stop": {"zh_CN": "医嘱停止日期", "en": "order stop date"},
        "field.order_detail": {"zh_CN": "医嘱内容", "en": "order detail"},
        "bed.error.required": {"zh_CN": "必填", "en": "required"},
        "bed.error.too_long": {"zh_CN": "最多 {limit} 个字", "en": "at most {limit} characters"},
        "bed.error.control": {"zh_CN": "含有不可见的控制字符", "en": "contains control characters"},
        "bed.error.kind": {"zh_CN": "无此医嘱类别，可选：{kinds}", "en": "unknown order kind; one of: {kinds}"},
        "bed.error.every": {"zh_CN": "间隔应为 1–90 天", "en": "the interval is 1–90 days"},
        "bed.error.stop": {"zh_CN": "早于开始日期 {start}", "en": "before the start date {start}"},
    }
)
