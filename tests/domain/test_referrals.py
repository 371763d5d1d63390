"""Referral life (app.domain.referrals; DOMAIN §4, §5, §8; issue #16 item 6): outcomes close, 14-day follow-up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.errors import ValidationError
from app.domain.i18n import set_language
from app.domain.referrals import (
    FOLLOW_UP_DAYS,
    ReferralOutcome,
    ReferralState,
    check_closing,
    follow_up_due_on,
    parse_referral_outcome,
    referral_state,
)

OPENED = date(2026, 11, 2)
TODAY = date(2026, 11, 16)


@pytest.mark.parametrize(
    ("days_open", "state"),
    [
        (0, ReferralState.OPEN),
        (13, ReferralState.OPEN),
        (14, ReferralState.FOLLOW_UP_DUE),
        (40, ReferralState.FOLLOW_UP_DUE),
    ],
)
def test_an_open_referral_is_due_for_follow_up_from_day_14(days_open: int, state: ReferralState) -> None:
    assert FOLLOW_UP_DAYS == 14
    assert referral_state(OPENED, None, OPENED + timedelta(days=days_open)) is state
    assert follow_up_due_on(OPENED) == date(2026, 11, 16)


@pytest.mark.parametrize(
    ("closed_days", "state"),
    [(-1, ReferralState.CLOSED), (0, ReferralState.CLOSED), (1, ReferralState.FOLLOW_UP_DUE)],
)
def test_a_referral_is_closed_from_its_closing_day(closed_days: int, state: ReferralState) -> None:
    assert referral_state(OPENED, TODAY + timedelta(days=closed_days), TODAY) is state


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("admitted", ReferralOutcome.ADMITTED),
        ("已住院", ReferralOutcome.ADMITTED),
        ("returned", ReferralOutcome.RETURNED),
        ("治疗后返回", ReferralOutcome.RETURNED),
        (" Declined ", ReferralOutcome.DECLINED),
        ("not_needed", ReferralOutcome.NOT_NEEDED),
        ("无需转诊", ReferralOutcome.NOT_NEEDED),
    ],
)
def test_outcomes_are_read_in_either_language(text: str, outcome: ReferralOutcome) -> None:
    assert parse_referral_outcome(text) is outcome


def test_an_unknown_outcome_is_refused_with_the_choices() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_referral_outcome("cured")
    assert caught.value.field == "referral_outcome"
    set_language("en")
    assert "admitted" in caught.value.reason and "not_needed" in caught.value.reason


@pytest.mark.parametrize(
    ("closed_on", "field"),
    [
        (OPENED - timedelta(days=1), "closed_on"),
        (OPENED, None),
        (TODAY, None),
        (TODAY + timedelta(days=1), "closed_on"),
    ],
)
def test_the_closing_day_is_between_the_referral_and_today(closed_on: date, field: str | None) -> None:
    if field is None:
        closing = check_closing("returned", closed_on, opened_on=OPENED, today=TODAY)
        assert closing.outcome is ReferralOutcome.RETURNED and closing.closed_on == closed_on
    else:
        with pytest.raises(ValidationError) as caught:
            check_closing("returned", closed_on, opened_on=OPENED, today=TODAY)
        assert caught.value.field == field


def test_a_closed_referral_is_not_closed_again() -> None:
    with pytest.raises(ValidationError) as caught:
        check_closing("declined", TODAY, opened_on=OPENED, today=TODAY, already=(date(2026, 11, 10), "returned"))
    assert caught.value.field == "referral_outcome" and caught.value.reason_key == "referral.already_closed"
