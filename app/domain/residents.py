"""Resident vocabulary and rules: residence status — 居住状态 — and its changes, moves, sex."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.validation import to_half_width


class ResidentStatus(StrEnum):
    IN_RESIDENCE = "in_residence"  # 在住
    HOSPITALIZED = "hospitalized"  # 住院
    DISCHARGED = "discharged"  # 出院
    TRANSFERRED = "transferred"  # 转出
    DECEASED = "deceased"  # 死亡

    @property
    def label(self) -> str:
        return t(f"status.{self.value}")


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"

    @property
    def label(self) -> str:
        return t(f"sex.{self.value}")


register(
    {
        "status.in_residence": {"zh_CN": "在住", "en": "In residence"},
        "status.hospitalized": {"zh_CN": "住院", "en": "Hospitalized"},
        "status.discharged": {"zh_CN": "出院", "en": "Discharged"},
        "status.transferred": {"zh_CN": "转出", "en": "Transferred"},
        "status.deceased": {"zh_CN": "死亡", "en": "Deceased"},
    }
)


CURRENT_STATUSES = frozenset({ResidentStatus.IN_RESIDENCE, ResidentStatus.HOSPITALIZED})
"""Statuses of residents who still hold a bed (a hospitalized resident keeps it)."""

DEPARTED_STATUSES = frozenset({ResidentStatus.DISCHARGED, ResidentStatus.TRANSFERRED, ResidentStatus.DECEASED})
"""Statuses that end the stay: the residence period closes on the status date."""


class PeriodReason(StrEnum):
    """Why a residence period — 居住记录 — began."""

    ADMISSION = "admission"  # 入住
    READMISSION = "readmission"  # 再次入住
    BED_MOVE = "bed_move"  # 调换床位
    INSTITUTION_MOVE = "institution_move"  # 转入其他签约机构
    ROSTER_IMPORT = "roster_import"  # 名单导入

    @property
    def label(self) -> str:
        return t(f"period.{self.value}")


_LEGACY_REASONS = {"入住": PeriodReason.ADMISSION}


def period_reason_label(reason: str) -> str:
    """Return a stored period reason in the current language (unknown text is shown as it is)."""
    known = _LEGACY_REASONS.get(reason)
    if known is None:
        try:
            known = PeriodReason(reason)
        except ValueError:
            return reason
    return known.label


def check_status_change(
    current: ResidentStatus, new: ResidentStatus, *, on_date: date, today: date, not_before: date | None
) -> None:
    """Check a change of residence status (住院, 出院, 转出, 死亡, back in residence) and its date.

    Args:
        current: the status now.
        new: the status wanted.
        on_date: the day it happened.
        today: the date must not be later than this.
        not_before: the date must not be earlier than this (the admission or the last status change).

    Raises:
        ValidationError: on ``residence_status`` when it does not change, on ``status_date`` when the date is in
            the future or before ``not_before``.
    """
    if new == current:
        raise ValidationError("residence_status", new.label, "status.unchanged", status=new.label)
    if on_date > today:
        raise ValidationError("status_date", on_date, "date.future", today=today.isoformat())
    if not_before is not None and on_date < not_before:
        raise ValidationError("status_date", on_date, "status.date_too_early", date=not_before.isoformat())


def check_move(*, on_date: date, today: date, current_start: date | None) -> None:
    """Check the date of a move to another bed or institution.

    Raises:
        ValidationError: on ``move_date`` if later than ``today`` or before the current stay began.
    """
    if on_date > today:
        raise ValidationError("move_date", on_date, "date.future", today=today.isoformat())
    if current_start is not None and on_date < current_start:
        raise ValidationError("move_date", on_date, "move.before_start", date=current_start.isoformat())


def parse_status(text: str) -> ResidentStatus:
    """Return the status named by ``text``: its value (discharged), English or Chinese label (出院).

    Raises:
        ValidationError: on field ``residence_status`` for anything else.
    """
    folded = " ".join(to_half_width(text).split()).lower().replace(" ", "_")
    for status in ResidentStatus:
        names = {status.value, *(name.lower().replace(" ", "_") for name in _STATUS_NAMES[status])}
        if folded in names:
            return status
    raise ValidationError("residence_status", text, "status.invalid")


_STATUS_NAMES = {
    ResidentStatus.IN_RESIDENCE: ("在住", "In residence", "resident", "active"),
    ResidentStatus.HOSPITALIZED: ("住院", "Hospitalized", "hospitalised", "in hospital"),
    ResidentStatus.DISCHARGED: ("出院", "Discharged", "离院"),
    ResidentStatus.TRANSFERRED: ("转出", "Transferred"),
    ResidentStatus.DECEASED: ("死亡", "Deceased", "dead", "去世"),
}

register(
    {
        "field.residence_status": {"zh_CN": "居住状态", "en": "residence status"},
        "field.status_date": {"zh_CN": "状态日期", "en": "status date"},
        "field.move_date": {"zh_CN": "调换日期", "en": "date of the move"},
        "status.unchanged": {"zh_CN": "状态已经是“{status}”", "en": "the status is already “{status}”"},
        "status.invalid": {
            "zh_CN": "状态只能是：在住、住院、出院、转出、死亡",
            "en": "the status is one of: in_residence, hospitalized, discharged, transferred, deceased",
        },
        "status.date_too_early": {
            "zh_CN": "不能早于 {date}（入住或上次状态变更的日期）",
            "en": "cannot be earlier than {date} (the admission or the last change of status)",
        },
        "move.before_start": {
            "zh_CN": "不能早于本次入住床位的开始日期 {date}",
            "en": "cannot be earlier than {date}, when the current stay in this bed began",
        },
        "period.admission": {"zh_CN": "入住", "en": "Admission"},
        "period.readmission": {"zh_CN": "再次入住", "en": "Readmission"},
        "period.bed_move": {"zh_CN": "调换床位", "en": "Moved bed"},
        "period.institution_move": {"zh_CN": "转入本机构", "en": "Moved from another institution"},
        "period.roster_import": {"zh_CN": "名单导入", "en": "Roster import"},
    }
)


def age_in_years(birth_date: date, day: date) -> int:
    """Return the age in whole years on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
