"""DueResident.reasons works the reasons out from the row's windows: the same as the domain's due_at_round on the
row's facts, for every kind of reason (never seen, colour, annual check done or never, chronic follow-up never,
after a controlled one, and the 2-week recheck after each classification that asks for one)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from app.domain.scheduling import due_at_round
from app.domain.triage import DEFAULT_RULES
from app.services.rounds.due import DueResident, _RowMaker

ROUND = date(2026, 11, 18)


def test_the_reasons_from_the_windows_are_the_domain_s() -> None:
    visits = DEFAULT_RULES.visits
    make = _RowMaker(visits).make
    day = ROUND.toordinal()
    days_ago = (None, 3, 7, 13, 14, 15, 27, 28, 29, 89, 90, 91, 364, 365, 366)
    compared = 0
    kinds = set()
    for colour, seen, checked, followed, severity, birth_years, chronic in itertools.product(
        ("red", "yellow", "green"),
        days_ago,
        (None, 10, 365),
        days_ago,
        (None, 0, 1, 2, 3),
        (60, 65, 70),
        (0, 1),
    ):
        birth = (ROUND - timedelta(days=365 * birth_years + 3)).toordinal()
        raw = (
            0, "r1", "i1", colour, birth, day - 400, "名", "F", "A", "1", "2",
            None if seen is None else day - seen,
            None if checked is None else day - checked,
            chronic,
            None if not chronic or followed is None else day - followed,
            None if not chronic or followed is None else severity,
        )  # fmt: skip
        row = make(raw)
        for following in (day + 1, day + 3, day + 7):
            due = DueResident(row, day, following, visits)
            expected = due_at_round(row.facts(), ROUND, date.fromordinal(following), visits)
            assert due.reasons == expected, raw
            kinds.update(reason.kind for reason in expected)
            compared += 1
    assert {kind.value for kind in kinds} == {"colour", "never_seen", "annual_check", "chronic_follow_up", "recheck"}
    assert compared > 10_000
