"""Referrals — 转诊 / 绿色通道 — and their life (DOMAIN §4, §5, §8).

A referral names a destination (the home's green-channel hospital by default), a reason and whether it is
urgent. It stays **open** until its outcome is recorded — admitted (已住院), treated and returned (治疗后返回),
declined (拒绝转诊) or no longer needed (无需转诊) — which closes it on a day. An open referral makes the
resident red; one still open :data:`FOLLOW_UP_DAYS` (14) days after it was opened is **due for follow-up**
(listed, so someone asks how it went). A return from hospital (outcome ``returned``) opens the 30-day window
of the triage rules (``back_from_hospital_days``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.validation import to_half_width

FOLLOW_UP_DAYS = 14
"""A referral still open this many days after it was opened is due for follow-up (its outcome within 2 weeks)."""

register(
    {
        "field.referral_outcome": {"zh_CN": "转诊结果", "en": "referral outcome"},
        "field.closed_on": {"zh_CN": "结束日期", "en": "closing date"},
        "referral.outcome.admitted": {"zh_CN": "已住院", "en": "admitted"},
        "referral.outcome.returned": {"zh_CN": "治疗后返回", "en": "treated and returned"},
        "referral.outcome.declined": {"zh_CN": "拒绝转诊", "en": "declined"},
        "referral.outcome.not_needed": {"zh_CN": "无需转诊", "en": "no longer needed"},
        "referral.state.open": {"zh_CN": "进行中", "en": "open"},
        "referral.state.follow_up_due": {
            "zh_CN": "超过 {days} 天未结束，需随访",
            "en": "open over {days} days: follow up",
        },
        "referral.state.closed": {"zh_CN": "已结束", "en": "closed"},
        "referral.outcome_invalid": {
            "zh_CN": "转诊结果只能是：admitted（已住院）、returned（治疗后返回）、declined（拒绝转诊）、"
            "not_needed（无需转诊）",
            "en": "the outcome is one of: admitted, returned (treated and returned), declined, not_needed",
        },
        "referral.before_opened": {
            "zh_CN": "不能早于转诊日期（{opened_on}）",
            "en": "cannot be earlier than the referral ({opened_on})",
        },
        "referral.future": {"zh_CN": "不能晚于今天（{today}）", "en": "cannot be later than today ({today})"},
        "referral.already_closed": {
            "zh_CN": "该转诊已于 {closed_on} 结束（{outcome}）",
            "en": "this referral was closed on {closed_on} ({outcome})",
        },
    }
)


class ReferralOutcome(StrEnum):
    """How a referral ended; recording it closes the referral."""

    ADMITTED = "admitted"  # 已住院
    RETURNED = "returned"  # 治疗后返回
    DECLINED = "declined"  # 拒绝转诊
    NOT_NEEDED = "not_needed"  # 无需转诊

    @property
    def label(self) -> str:
        return t(f"referral.outcome.{self.value}")


_OUTCOME_NAMES = {
    ReferralOutcome.ADMITTED: ("admitted", "已住院", "住院"),
    ReferralOutcome.RETURNED: ("returned", "treated and returned", "治疗后返回", "返回"),
    ReferralOutcome.DECLINED: ("declined", "拒绝转诊", "拒绝"),
    ReferralOutcome.NOT_NEEDED: ("not_needed", "not needed", "no longer needed", "无需转诊"),
}


def parse_referral_outcome(text: str) -> ReferralOutcome:
    """Return the outcome named by ``text`` (value, English or Chinese word).

    Raises:
        ValidationError: on ``referral_outcome`` for anything else.
    """
    folded = to_half_width(text).strip().lower()
    for outcome, names in _OUTCOME_NAMES.items():
        if folded in names:
            return outcome
    raise ValidationError("referral_outcome", text, "referral.outcome_invalid")


class ReferralState(StrEnum):
    """Where a referral stands on a day."""

    OPEN = "open"
    FOLLOW_UP_DUE = "follow_up_due"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return t(f"referral.state.{self.value}", days=FOLLOW_UP_DAYS)


def follow_up_due_on(opened_on: date) -> date:
    """Return the day an open referral becomes due for follow-up (opened + 14 days)."""
    return opened_on + timedelta(days=FOLLOW_UP_DAYS)


def referral_state(opened_on: date, closed_on: date | None, today: date) -> ReferralState:
    """Return whether a referral is open, open and due for follow-up (from day 14 on), or closed on ``today``."""
    if closed_on is not None and closed_on <= today:
        return ReferralState.CLOSED
    if today >= follow_up_due_on(opened_on):
        return ReferralState.FOLLOW_UP_DUE
    return ReferralState.OPEN


@dataclass(frozen=True)
class ReferralClosing:
    """A checked closing: the outcome and the day."""

    outcome: ReferralOutcome
    closed_on: date


def check_closing(
    outcome: str,
    closed_on: date,
    *,
    opened_on: date,
    today: date,
    already: tuple[date, str] | None = None,
) -> ReferralClosing:
    """Check the outcome recorded for a referral opened on ``opened_on``.

    Args:
        already: (closed_on, outcome) when the referral is already closed.

    Raises:
        ValidationError: an unknown outcome (``referral_outcome``), a day before the referral or after today
            (``closed_on``), or a referral already closed (``referral_outcome``, naming when and how).
    """
    if already is not None:
        day, how = already
        label = ReferralOutcome(how).label if how in set(ReferralOutcome) else how
        raise ValidationError(
            "referral_outcome", outcome, "referral.already_closed", closed_on=day.isoformat(), outcome=label
        )
    parsed = parse_referral_outcome(outcome)
    if closed_on > today:
        raise ValidationError("closed_on", closed_on.isoformat(), "referral.future", today=today.isoformat())
    if closed_on < opened_on:
        raise ValidationError(
            "closed_on", closed_on.isoformat(), "referral.before_opened", opened_on=opened_on.isoformat()
        )
    return ReferralClosing(parsed, closed_on)
