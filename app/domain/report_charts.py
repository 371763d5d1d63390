"""Chart series of the Reports page (DOMAIN §9): stays, month ends, the colour mix over time. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.report_periods import month


@dataclass(frozen=True, slots=True)
class Stay:
    """A resident's stay, for the colour mix over time: in residence from ``start`` up to ``end``."""

    resident_id: str
    institution_id: str
    start: date
    end: date | None  # the day they left (not counted), None while they stay
    departed: date | None = None  # a departure recorded on the resident (old data leaves the stay open)

    def on(self, day: date) -> bool:
        if self.start > day or (self.end is not None and self.end <= day):
            return False
        return self.departed is None or self.departed > day


def month_ends(last: date, count: int) -> list[date]:
    """The last days of ``count`` months, oldest first, ending with the month of ``last``."""
    ends = []
    current = month(last.year, last.month)
    for _ in range(count):
        ends.append(current.end)
        current = current.previous()
    return ends[::-1]


def colour_mix(
    days: Sequence[date], stays: Iterable[Stay], decisions: Iterable[tuple[str, str, date]]
) -> list[dict[str, int]]:
    """Residents in residence on each of ``days`` by confirmed colour (``""``: none confirmed yet).

    ``decisions`` are ``(resident_id, colour, day)`` in time order; the last one on or before a day counts.
    """
    history: dict[str, list[tuple[date, str]]] = {}
    for resident_id, colour, day in decisions:
        history.setdefault(resident_id, []).append((day, colour))
    result = [dict.fromkeys(("red", "yellow", "green", ""), 0) for _ in days]
    for stay in stays:
        changes = history.get(stay.resident_id, [])
        for index, day in enumerate(days):
            if not stay.on(day):
                continue
            colour = ""
            for when, value in changes:
                if when > day:
                    break
                colour = value
            result[index][colour] = result[index].get(colour, 0) + 1
    return result
