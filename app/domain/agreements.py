"""Service agreements — 签约协议: dates, agreed round weekdays, frequency, expiry and signing coverage.

An agreement names the team, the weekday(s) of its rounds and a minimum frequency of at least one
round a week (DOMAIN §1). It is *expiring* when it ends within :data:`EXPIRY_WARNING_DAYS` days and
*expired* once its end date has passed; both are flagged on the institutions page and the dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.validation import to_half_width

EXPIRY_WARNING_DAYS = 60
"""An agreement ending within this many days is flagged as expiring."""

MAX_ROUNDS_PER_WEEK = 7
SERVICES_MAX_LENGTH = 200

register(
    {
        "field.agreement_start": {"zh_CN": "协议开始日期", "en": "start of the agreement"},
        "field.agreement_end": {"zh_CN": "协议结束日期", "en": "end of the agreement"},
        "field.round_weekdays": {"zh_CN": "巡诊日", "en": "round weekdays"},
        "field.min_rounds_per_week": {"zh_CN": "每周最少巡诊次数", "en": "minimum rounds a week"},
        "field.agreement_services": {"zh_CN": "服务内容", "en": "services"},
        "field.agreement_team": {"zh_CN": "家庭医生团队", "en": "family-doctor team"},
        "agreement.end_before_start": {
            "zh_CN": "不能早于开始日期（{start}）",
            "en": "cannot be earlier than the start date ({start})",
        },
        "agreement.weekdays_required": {
            "zh_CN": "请至少选择一个巡诊日",
            "en": "choose at least one weekday for the rounds",
        },
        "agreement.weekday_invalid": {
            "zh_CN": "巡诊日应为 1–7（周一至周日），用逗号分隔",
            "en": "round weekdays are 1–7 (Monday to Sunday), separated by commas",
        },
        "agreement.frequency_range": {
            "zh_CN": "每周至少巡诊 1 次，最多 {maximum} 次",
            "en": "at least one round a week and at most {maximum}",
        },
        "agreement.frequency_weekdays": {
            "zh_CN": "约定的巡诊日只有 {days} 天，少于每周最少巡诊次数 {minimum} 次",
            "en": "only {days} round weekday(s) agreed, fewer than the minimum of {minimum} a week",
        },
        "agreement.services_too_long": {
            "zh_CN": "最多 {maximum} 个字",
            "en": "at most {maximum} characters",
        },
        "agreement.state.not_started": {"zh_CN": "未生效", "en": "Not yet in force"},
        "agreement.state.active": {"zh_CN": "有效", "en": "In force"},
        "agreement.state.expiring": {"zh_CN": "即将到期", "en": "Expiring soon"},
        "agreement.state.expired": {"zh_CN": "已过期", "en": "Expired"},
        "agreement.state.none": {"zh_CN": "无协议", "en": "No agreement"},
        "weekday.1": {"zh_CN": "周一", "en": "Mon"},
        "weekday.2": {"zh_CN": "周二", "en": "Tue"},
        "weekday.3": {"zh_CN": "周三", "en": "Wed"},
        "weekday.4": {"zh_CN": "周四", "en": "Thu"},
        "weekday.5": {"zh_CN": "周五", "en": "Fri"},
        "weekday.6": {"zh_CN": "周六", "en": "Sat"},
        "weekday.7": {"zh_CN": "周日", "en": "Sun"},
    }
)


class AgreementState(StrEnum):
    """Where an agreement stands on a given day."""

    NONE = "none"  # the institution has no agreement at all
    NOT_STARTED = "not_started"
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return t(f"agreement.state.{self.value}")

    @property
    def flagged(self) -> bool:
        """Whether the state needs somebody's attention (expiring, expired or missing)."""
        return self in (AgreementState.EXPIRING, AgreementState.EXPIRED, AgreementState.NONE)


@dataclass(frozen=True)
class AgreementFields:
    """A checked agreement, ready to store."""

    start_date: date
    end_date: date | None
    round_weekdays: tuple[int, ...]
    min_rounds_per_week: int
    services: str

    @property
    def round_weekdays_text(self) -> str:
        return format_weekdays(self.round_weekdays)


def agreement_state(
    start: date, end: date | None, today: date, *, warning_days: int = EXPIRY_WARNING_DAYS
) -> AgreementState:
    """Return the state of an agreement running from ``start`` to ``end`` (open-ended if None) on ``today``."""
    if today < start:
        return AgreementState.NOT_STARTED
    if end is None:
        return AgreementState.ACTIVE
    if end < today:
        return AgreementState.EXPIRED
    if end <= today + timedelta(days=warning_days):
        return AgreementState.EXPIRING
    return AgreementState.ACTIVE


def current_agreement(periods: Sequence[tuple[date, date | None]], today: date) -> int | None:
    """Return the index of the agreement that speaks for the institution on ``today``.

    That is the one in force today (the latest-starting if several overlap); failing that the next one
    to start; failing that the one that ended last. ``None`` when there are none.
    """
    if not periods:
        return None
    in_force = [i for i, (start, end) in enumerate(periods) if start <= today and (end is None or end >= today)]
    if in_force:
        return max(in_force, key=lambda i: periods[i][0])
    future = [i for i, (start, _end) in enumerate(periods) if start > today]
    if future:
        return min(future, key=lambda i: periods[i][0])
    return max(range(len(periods)), key=lambda i: periods[i][1] or date.max)


def parse_weekdays(text: str | Iterable[int]) -> tuple[int, ...]:
    """Return ISO weekdays (1 = Monday … 7 = Sunday), sorted and without repeats.

    Args:
        text: ``"1,4"`` (commas, spaces or Chinese commas) or an iterable of numbers.

    Raises:
        ValidationError: on field ``round_weekdays`` if empty or not 1–7.
    """
    if isinstance(text, str):
        parts = to_half_width(text).replace("、", ",").replace("，", ",").replace(" ", ",").split(",")
        try:
            days = [int(part) for part in parts if part.strip()]
        except ValueError:
            raise ValidationError("round_weekdays", text, "agreement.weekday_invalid") from None
    else:
        days = list(text)
    if not days:
        raise ValidationError("round_weekdays", text, "agreement.weekdays_required")
    if any(isinstance(day, bool) or not 1 <= day <= 7 for day in days):
        raise ValidationError("round_weekdays", text, "agreement.weekday_invalid")
    return tuple(sorted(set(days)))


def format_weekdays(days: Iterable[int]) -> str:
    """Return weekdays as stored: ``"1,4"``."""
    return ",".join(str(day) for day in sorted(set(days)))


def weekday_labels(days: Iterable[int]) -> str:
    """Return weekdays as people read them: ``周一、周四`` / ``Mon, Thu``."""
    return t("list.separator").join(t(f"weekday.{day}") for day in sorted(set(days)))


def validate_agreement(
    *,
    start_date: date,
    end_date: date | None,
    round_weekdays: str | Iterable[int],
    min_rounds_per_week: int,
    services: str = "",
) -> AgreementFields:
    """Check an agreement's dates, weekdays and frequency.

    Raises:
        ValidationError: the end is before the start, no or bad weekdays, a frequency outside 1–7 or
            higher than the number of agreed weekdays, or services text that is too long.
    """
    if end_date is not None and end_date < start_date:
        raise ValidationError("agreement_end", end_date, "agreement.end_before_start", start=start_date.isoformat())
    days = parse_weekdays(round_weekdays)
    if isinstance(min_rounds_per_week, bool) or not 1 <= min_rounds_per_week <= MAX_ROUNDS_PER_WEEK:
        raise ValidationError(
            "min_rounds_per_week", min_rounds_per_week, "agreement.frequency_range", maximum=MAX_ROUNDS_PER_WEEK
        )
    if len(days) < min_rounds_per_week:
        raise ValidationError(
            "round_weekdays",
            format_weekdays(days),
            "agreement.frequency_weekdays",
            days=len(days),
            minimum=min_rounds_per_week,
        )
    services = " ".join(services.split())
    if len(services) > SERVICES_MAX_LENGTH:
        raise ValidationError(
            "agreement_services", services, "agreement.services_too_long", maximum=SERVICES_MAX_LENGTH
        )
    return AgreementFields(start_date, end_date, days, min_rounds_per_week, services)


def signing_coverage(signed: int, in_residence: int) -> float | None:
    """Return the signing coverage (签约覆盖率) as a fraction 0–1, or None when nobody is in residence."""
    if in_residence <= 0:
        return None
    return min(1.0, signed / in_residence)
