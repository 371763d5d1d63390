"""Reporting periods (DOMAIN §9): a month, a quarter, a year or two dates, both days included; the ISO weeks
that belong to one; a period not begun is refused, one in progress is counted "to date". Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.i18n import register, t

register(
    {
        "field.period": {"zh_CN": "统计期（--period）", "en": "period (--period)"},
        "report.period.bad": {
            "zh_CN": "应写作 2026-Q4（季度）、2026-11（月）、2026（年）或 2026-10-01..2026-12-31",
            "en": "write 2026-Q4 (quarter), 2026-11 (month), 2026 (year) or 2026-10-01..2026-12-31",
        },
        "report.period.order": {
            "zh_CN": "结束日期早于开始日期",
            "en": "the end date is before the start date",
        },
        "report.period.future": {
            "zh_CN": "统计期 {period} 从 {start} 开始，尚未开始（今天是 {today}）：只能统计已开始的期间",
            "en": "the period {period} starts on {start} and has not begun (today is {today}): "
            "only a period that has begun can be counted",
        },
        "report.period.to_date": {"zh_CN": "{period}（截至 {today}）", "en": "{period} (to date, {today})"},
    }
)


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    RANGE = "range"


@dataclass(frozen=True)
class Period:
    """A reporting period, both days included."""

    start: date
    end: date
    kind: PeriodKind = PeriodKind.RANGE

    @property
    def label(self) -> str:
        """``2026-11``, ``2026-Q4``, ``2026`` or ``2026-10-01..2026-12-31`` (what ``--period`` takes)."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The period just before, of the same kind (a range: as many days, ending the day before)."""
        if self.kind is PeriodKind.MONTH:
            last = self.start - timedelta(days=1)
            return month(last.year, last.month)
        if self.kind is PeriodKind.QUARTER:
            last = self.start - timedelta(days=1)
            return quarter(last.year, (last.month - 1) // 3 + 1)
        if self.kind is PeriodKind.YEAR:
            return year(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def year_window(self) -> tuple[date, date]:
        """The days "in the year" indicators count: 1 January of the end's year to the end (year to date)."""
        return date(self.end.year, 1, 1), self.end


def month(year_: int, month_: int) -> Period:
    start = date(year_, month_, 1)
    following = date(year_ + month_ // 12, month_ % 12 + 1, 1)
    return Period(start, following - timedelta(days=1), PeriodKind.MONTH)


def quarter(year_: int, number: int) -> Period:
    first = month(year_, 3 * number - 2)
    last = month(year_, 3 * number)
    return Period(first.start, last.end, PeriodKind.QUARTER)


def year(year_: int) -> Period:
    return Period(date(year_, 1, 1), date(year_, 12, 31), PeriodKind.YEAR)


_PERIOD = re.compile(r"^(\d{4})(?:-(?:[Qq]([1-4])|(\d{1,2})))?$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|~|/)\s*(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> Period:
    """Return the period written as ``2026-Q4``, ``2026-11``, ``2026`` or ``2026-10-01..2026-12-31``.

    Raises:
        ValidationError: on ``period``, naming the forms accepted.
    """
    cleaned = (text or "").strip()
    found = _PERIOD.match(cleaned)
    try:
        if found:
            year_ = int(found.group(1))
            if found.group(2):
                return quarter(year_, int(found.group(2)))
            if found.group(3):
                number = int(found.group(3))
                if not 1 <= number <= 12:
                    raise ValueError(number)
                return month(year_, number)
            return year(year_)
        ranged = _RANGE.match(cleaned)
        if ranged:
            start, end = date.fromisoformat(ranged.group(1)), date.fromisoformat(ranged.group(2))
            if end < start:
                raise ValidationError("period", text, "report.period.order")
            return Period(start, end)
    except ValueError:
        pass
    raise ValidationError("period", text, "report.period.bad")


def period_weeks(period: Period, *, today: date) -> list[date]:
    """The Mondays of the ISO weeks of ``period`` (Thursday inside it) that ended before ``today``."""
    first_thursday = period.start + timedelta(days=(3 - period.start.weekday()) % 7)
    mondays = []
    thursday = first_thursday
    while thursday <= period.end:
        monday = thursday - timedelta(days=3)
        if monday + timedelta(days=6) < today:
            mondays.append(monday)
        thursday += timedelta(days=7)
    return mondays


def check_period(period: Period, today: date) -> Period:
    """Return ``period`` if it has begun by ``today`` (one in progress is counted to date).

    Raises:
        ValidationError: on ``period``, a period that starts after ``today`` (nothing in it has happened).
    """
    if period.start > today:
        raise ValidationError(
            "period",
            period.label,
            "report.period.future",
            period=period.label,
            start=period.start.isoformat(),
            today=today.isoformat(),
        )
    return period


def in_progress(period: Period, today: date) -> bool:
    """Whether ``period`` has begun but not ended by ``today``: its figures are "to date"."""
    return period.start <= today <= period.end


def period_title(period: Period, today: date) -> str:
    """``2026-Q4``, or ``2026-Q4（截至 2026-12-06）`` / ``2026-Q4 (to date, 2026-12-06)`` while in progress."""
    if in_progress(period, today):
        return t("report.period.to_date", period=period.label, today=today.isoformat())
    return period.label
