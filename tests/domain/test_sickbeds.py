"""Family sickbeds' rules (DOMAIN §8) at their boundaries: orders due, weekly checks missed, bed-days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.errors import ValidationError
from app.domain.sickbeds import (
    Order,
    OrderKind,
    bed_days,
    check_order,
    check_text,
    checks_missed,
    next_check_due,
    orders_due,
)
from app.domain.validation import is_unsafe_control

MON = date(2026, 11, 30)  # a Monday


def test_an_order_falls_due_on_its_start_then_every_interval_until_it_stops() -> None:
    order = Order(OrderKind.DRESSING, 3, MON, stop=MON + timedelta(days=6))
    due = [d for d in range(-1, 10) if order.due_on(MON + timedelta(days=d))]
    assert due == [0, 3, 6]  # not the day before its start, not day 9 after its stop


def test_a_daily_order_is_due_every_day_and_on_29_february() -> None:
    order = Order(OrderKind.INFUSION, 1, date(2028, 2, 27))
    assert all(order.due_on(date(2028, 2, 27) + timedelta(days=d)) for d in range(4))
    assert order.due_on(date(2028, 2, 29))


def test_due_between_finds_a_due_day_inside_the_window_only() -> None:
    order = Order(OrderKind.CATHETER, 28, MON)
    assert order.due_between(MON, MON)
    assert not order.due_between(MON + timedelta(days=1), MON + timedelta(days=27))
    assert order.due_between(MON + timedelta(days=1), MON + timedelta(days=28))
    stopped = Order(OrderKind.CATHETER, 28, MON, stop=MON + timedelta(days=27))
    assert not stopped.due_between(MON + timedelta(days=1), MON + timedelta(days=40))
    assert not order.due_between(MON + timedelta(days=5), MON + timedelta(days=4))


def test_orders_due_keeps_the_given_order() -> None:
    a = Order(OrderKind.DRESSING, 2, MON)
    b = Order(OrderKind.BLOOD_DRAW, 7, MON)
    c = Order(OrderKind.OBSERVATION, 1, MON)
    assert orders_due([a, b, c], MON + timedelta(days=1)) == [c]
    assert orders_due([a, b, c], MON + timedelta(days=7)) == [b, c]
    assert orders_due([a, b, c], MON + timedelta(days=14)) == [a, b, c]


@pytest.mark.parametrize("every, ok", [(0, False), (1, True), (90, True), (91, False)])
def test_an_order_interval_is_1_to_90_days(every: int, ok: bool) -> None:
    if ok:
        assert check_order("dressing", every, MON, None, "").every_days == every
    else:
        with pytest.raises(ValidationError) as raised:
            check_order("dressing", every, MON, None, "")
        assert raised.value.field == "order_every_days"


def test_an_order_refuses_an_unknown_kind_and_a_stop_before_its_start() -> None:
    with pytest.raises(ValidationError) as raised:
        check_order("massage", 1, MON, None, "")
    assert raised.value.field == "order_kind" and "dressing" in str(raised.value)
    assert check_order("dressing", 1, MON, MON, "").stop == MON  # stopping the day it starts is one dose
    with pytest.raises(ValidationError) as raised:
        check_order("dressing", 1, MON, MON - timedelta(days=1), "")
    assert raised.value.field == "order_stop"


def test_text_is_required_bounded_and_free_of_control_characters() -> None:
    assert check_text("bed_indication", "  压疮护理 ", required=True, limit=10) == "压疮护理"
    assert check_text("bed_care_plan", "一\n二", required=False, limit=10) == "一\n二"
    with pytest.raises(ValidationError):
        check_text("bed_indication", "   ", required=True, limit=10)
    assert check_text("bed_indication", "x" * 10, required=True, limit=10)
    with pytest.raises(ValidationError):
        check_text("bed_indication", "x" * 11, required=True, limit=10)
    with pytest.raises(ValidationError):
        check_text("bed_indication", "a\x00b", required=True, limit=10)


def test_a_check_in_each_week_misses_nothing() -> None:
    checks = [MON + timedelta(days=6), MON + timedelta(days=7)]
    assert checks_missed(MON, checks, today=MON + timedelta(days=13)) == 0


def test_a_week_counts_as_missed_only_once_it_has_ended() -> None:
    assert checks_missed(MON, [], today=MON + timedelta(days=5)) == 0
    # day 6 is the week's last day: a check today still covers it, so it is not missed yet (was 1)
    assert checks_missed(MON, [], today=MON + timedelta(days=6)) == 0
    assert checks_missed(MON, [], today=MON + timedelta(days=7)) == 1  # days 0-6 ended without a check
    assert checks_missed(MON, [], today=MON + timedelta(days=13)) == 1
    assert checks_missed(MON, [], today=MON + timedelta(days=14)) == 2
    assert checks_missed(MON, [MON + timedelta(days=10)], today=MON + timedelta(days=14)) == 1


def test_a_closed_bed_misses_no_check_after_it_closed() -> None:
    assert checks_missed(MON, [], today=MON + timedelta(days=60), closed_on=MON + timedelta(days=3)) == 0
    assert checks_missed(MON, [], today=MON + timedelta(days=60), closed_on=MON + timedelta(days=7)) == 1


def test_checks_before_the_bed_opened_do_not_count() -> None:
    assert checks_missed(MON, [MON - timedelta(days=1)], today=MON + timedelta(days=7)) == 1
    assert checks_missed(MON, [], today=MON - timedelta(days=1)) == 0


def test_bed_days_count_the_opening_day_not_the_closing_day() -> None:
    assert bed_days(MON, today=MON) == 1
    assert bed_days(MON, today=MON + timedelta(days=1)) == 1
    assert bed_days(MON, today=MON + timedelta(days=10)) == 10
    assert bed_days(MON, today=MON + timedelta(days=99), closed_on=MON + timedelta(days=30)) == 30
    assert bed_days(date(2028, 2, 28), today=date(2028, 3, 1)) == 2  # through 29 February
    assert bed_days(MON, today=MON - timedelta(days=1)) == 0


def test_the_next_check_is_due_7_days_after_the_last() -> None:
    # never checked: due by day 6, the first week's last day (day 7 would leave that week missed; was day 7)
    assert next_check_due(MON, []) == MON + timedelta(days=6)
    assert checks_missed(MON, [], today=next_check_due(MON, [])) == 0
    assert checks_missed(MON, [next_check_due(MON, [])], today=MON + timedelta(days=7)) == 0
    assert next_check_due(MON, [MON - timedelta(days=1)]) == MON + timedelta(days=6)  # a check before opening
    assert next_check_due(MON, [MON + timedelta(days=3), MON + timedelta(days=1)]) == MON + timedelta(days=10)


@pytest.mark.parametrize("text", ["abc\u202edef", "a\u2067b", "a\x9bb", "a\x7fb", "a\x1bb"])
def test_bed_texts_refuse_bidi_overrides_and_c1_controls(text: str) -> None:
    # was accepted (only C0 was checked): the sync import then refused the bed on every other device
    with pytest.raises(ValidationError) as refused:
        check_text("bed_indication", text, required=True, limit=200)
    assert refused.value.field == "bed_indication"
    # the refusal quotes the value with the character escaped: raw, a bidi override reversed the message on screen
    assert not any(is_unsafe_control(c) for c in str(refused.value)) and "\\" in str(refused.value)


def test_bed_texts_keep_line_ends_and_tabs() -> None:
    assert check_text("bed_findings", "第一行\r\n第二行\t完", required=True, limit=2000) == "第一行\r\n第二行\t完"
