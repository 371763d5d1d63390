"""Knowledge vectors: which rows an export needs, and when a package leaves no gap."""

from __future__ import annotations

import json

from app.sync.vectors import covers, device_of, join, lowest, parse_vector, reflects, row_needed, thresholds


def clock(ms: int, device: str) -> str:
    return f"{ms:013d}-000000-{device}"


def test_the_device_of_a_clock() -> None:
    assert device_of(clock(5, "6a1f-device")) == "6a1f-device"
    assert device_of("") == ""


def test_thresholds_are_the_minimum_of_what_every_recipient_acknowledged() -> None:
    acks = [{"a": clock(10, "a"), "b": clock(7, "b")}, {"a": clock(4, "a")}]
    assert thresholds(acks) == {"a": clock(4, "a"), "b": ""}
    assert thresholds([]) is None


def test_a_row_is_needed_when_any_of_its_clocks_is_above_its_device_threshold() -> None:
    since = {"a": clock(10, "a"), "b": clock(10, "b")}
    assert row_needed(clock(11, "a"), None, since)
    assert not row_needed(clock(9, "a"), None, since)
    older_edit = json.dumps({"phone": clock(11, "b"), "room": clock(12, "a")})
    assert row_needed(clock(12, "a"), older_edit, {"a": clock(20, "a"), "b": clock(10, "b")})
    assert row_needed(clock(3, "c"), None, since)  # nobody acknowledged device c
    assert lowest(since) == clock(10, "a")


def test_a_package_covers_a_receiver_that_holds_everything_below_its_thresholds() -> None:
    assert covers(None, {})
    assert covers({"a": clock(5, "a")}, {"a": clock(5, "a")})
    assert not covers({"a": clock(5, "a")}, {"a": clock(4, "a")})
    assert not covers({"a": clock(5, "a")}, {})
    assert covers({"a": ""}, {})


def test_join_and_reflects() -> None:
    merged = join({"a": clock(3, "a")}, {"a": clock(5, "a"), "b": clock(1, "b")})
    assert merged == {"a": clock(5, "a"), "b": clock(1, "b")}
    assert reflects(merged, clock(5, "a")) and not reflects(merged, clock(6, "a")) and not reflects(merged, "")


def test_stored_vectors_survive_damage() -> None:
    assert parse_vector("") == {} and parse_vector("not json") == {} and parse_vector("[1]") == {}
    assert parse_vector('{"a": "x", "b": 3}') == {"a": "x"}
