"""bulk_objects: the collector paused while a plan builds its objects, and back on after, without a collection."""

from __future__ import annotations

import gc
import weakref

from app.services.rounds.due import bulk_objects


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_the_collector_is_back_on_nothing_is_left_frozen_and_cycles_made_inside_are_still_collected() -> None:
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with bulk_objects():
        assert not gc.isenabled()
        a, b = _Node(), _Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        made = [(n, str(n)) for n in range(10_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # frozen only for a moment: moved on to the oldest generation
    assert len(made) == 10_000
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None


def test_a_nested_use_leaves_the_collector_off_until_the_outer_one_ends() -> None:
    with bulk_objects():
        with bulk_objects():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_objects_someone_else_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with bulk_objects():
            [object() for _ in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with bulk_objects():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_switching_back_on_does_not_collect_what_was_made() -> None:
    """Re-enabled as it was, the next allocation collected every object made meanwhile (≈ 40 ms for a plan of
    100 000 residents); now they are moved to the oldest generation without being examined."""
    collections: list[int] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    try:
        with bulk_objects():
            made = [[n] for n in range(5_000)]
            gc.callbacks.append(watch)
        more = [[n] for n in range(100)]  # well under the youngest generation's threshold (700)
    finally:
        gc.callbacks.remove(watch)
    assert collections == []
    assert len(made) + len(more) == 5_100
