"""Visit intervals and due/overdue arithmetic (DOMAIN §6 defaults)."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.colours import TriageColour

DEFAULT_INTERVAL_DAYS: dict[TriageColour, int] = {
    TriageColour.RED: 7,
    TriageColour.YELLOW: 14,
    TriageColour.GREEN: 28,
}


def week_bounds(day: date) -> tuple[date, date]:
    """Return Monday and Sunday of the ISO week that contains ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def days_overdue(
    colour: TriageColour,
    last_seen: date | None,
    today: date,
    *,
    intervals: dict[TriageColour, int] = DEFAULT_INTERVAL_DAYS,
    since: date | None = None,
) -> int:
    """Return how many days past its colour's interval a resident is (0 when not overdue).

    Args:
        colour: the confirmed colour.
        last_seen: date of the last visit with outcome "seen", or None if never seen.
        today: the reference day.
        intervals: days allowed between visits per colour.
        since: when never seen, the day counting starts (e.g. admission or signing); None = not overdue.
    """
    start = last_seen or since
    if start is None:
        return 0
    return max(0, (today - start).days - intervals[colour])
