"""The hybrid logical clock stays monotonic whatever the wall clock does."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.sync.clock import HybridLogicalClock, Timestamp


class FakeWall:
    def __init__(self, start: int = 1_700_000_000_000) -> None:
        self.ms = start

    def __call__(self) -> int:
        return self.ms


def test_values_increase_when_the_wall_clock_advances() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("dev-a", wall=wall)
    first = clock.now()
    wall.ms += 5
    second = clock.now()
    assert second > first
    assert Timestamp.decode(second).wall_ms == wall.ms
    assert Timestamp.decode(second).counter == 0


def test_values_increase_when_the_wall_clock_stalls() -> None:
    clock = HybridLogicalClock("dev-a", wall=FakeWall())
    values = [clock.now() for _ in range(1000)]
    assert values == sorted(values) and len(set(values)) == 1000
    assert Timestamp.decode(values[-1]).counter == 999


def test_values_increase_when_the_wall_clock_goes_backwards() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("dev-a", wall=wall)
    before = clock.now()
    wall.ms -= 60_000  # the user set the clock back a minute
    after = clock.now()
    assert after > before
    assert Timestamp.decode(after).wall_ms == Timestamp.decode(before).wall_ms


def test_counter_overflow_moves_to_the_next_millisecond() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("dev-a", last=Timestamp(wall.ms, 999_999, "dev-a").encode(), wall=wall)
    value = Timestamp.decode(clock.now())
    assert (value.wall_ms, value.counter) == (wall.ms + 1, 0)


def test_observing_a_remote_value_from_the_future_moves_past_it() -> None:
    wall = FakeWall()
    local = HybridLogicalClock("dev-a", wall=wall)
    remote = Timestamp(wall.ms + 10_000, 7, "dev-b").encode()
    local.observe(remote)
    assert local.now() > remote


def test_observing_an_equal_wall_time_takes_the_higher_counter() -> None:
    wall = FakeWall()
    local = HybridLogicalClock("dev-a", wall=wall)
    local.now()
    remote = Timestamp(wall.ms, 50, "dev-b").encode()
    local.observe(remote)
    assert Timestamp.decode(local.now()).counter == 52


def test_observing_an_old_value_changes_nothing_but_order() -> None:
    wall = FakeWall()
    local = HybridLogicalClock("dev-a", wall=wall)
    mine = local.now()
    local.observe(Timestamp(wall.ms - 1000, 0, "dev-b").encode())
    assert local.now() > mine


def test_the_device_id_breaks_ties() -> None:
    assert Timestamp(5, 1, "dev-b").encode() > Timestamp(5, 1, "dev-a").encode()


def test_restart_resumes_after_the_last_persisted_value() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("dev-a", wall=wall)
    last = [clock.now() for _ in range(3)][-1]
    wall.ms -= 100_000
    resumed = HybridLogicalClock("dev-a", last=last, wall=wall)
    assert resumed.now() > last


def test_threads_never_get_the_same_value() -> None:
    clock = HybridLogicalClock("dev-a", wall=FakeWall())
    seen: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        values = [clock.now() for _ in range(500)]
        with lock:
            seen.extend(values)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 2000


@pytest.mark.parametrize("bad", ["", "abc", "123-456-dev", "0000000000001-00000x-dev"])
def test_decode_refuses_what_is_not_a_clock_value(bad: str) -> None:
    with pytest.raises(ValueError):
        Timestamp.decode(bad)


@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("tick"), st.integers(-10_000, 10_000)),
            st.tuples(st.just("recv"), st.integers(-10_000, 10_000), st.integers(0, 1000)),
        ),
        max_size=60,
    )
)
def test_monotonic_under_any_sequence_of_wall_jumps_and_receipts(steps: list[tuple[int | str, ...]]) -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("dev-a", wall=wall)
    last = clock.now()
    for step in steps:
        if step[0] == "tick":
            wall.ms += int(step[1])
        else:
            remote = Timestamp(max(0, wall.ms + int(step[1])), int(step[2]), "dev-b").encode()
            clock.observe(remote)
            value = clock.now()
            assert value > remote
        value = clock.now()
        assert value > last
        last = value
