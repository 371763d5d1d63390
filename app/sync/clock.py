"""Hybrid logical clock (HLC) for ordering changes across devices.

A clock value is text that sorts in causal order: ``"{wall_ms:013d}-{counter:06d}-{device}"``.
``now()`` never returns a value lower than or equal to one it returned before, nor lower than any value
it has ``observe()``d from another device — even when the wall clock stalls or goes backwards. Equal
wall time and counter are ordered by the device id, so two devices never produce equal values.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_COUNTER_MAX = 999_999


@dataclass(frozen=True, order=True)
class Timestamp:
    """One clock value: wall milliseconds, logical counter, device id."""

    wall_ms: int
    counter: int
    device: str

    def encode(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:06d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        """Parse an encoded clock value.

        Raises:
            ValueError: the text is not a clock value.
        """
        wall, counter, device = text.split("-", 2)
        if len(wall) != 13 or len(counter) != 6 or not wall.isdigit() or not counter.isdigit():
            raise ValueError(f"not a clock value: {text!r}")
        return cls(int(wall), int(counter), device)


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridLogicalClock:
    """A thread-safe hybrid logical clock for one device.

    Args:
        device: this device's id; breaks ties between equal wall time and counter.
        last: the last value this device issued (persisted between runs), if any.
        wall: source of wall-clock milliseconds (injected by tests).
    """

    def __init__(self, device: str, *, last: str = "", wall: Callable[[], int] = wall_clock_ms) -> None:
        if not device:
            raise ValueError("device id is required")
        self.device = device
        self._wall = wall
        self._lock = threading.Lock()
        self._wall_ms = 0
        self._counter = 0
        if last:
            stamp = Timestamp.decode(last)
            self._wall_ms, self._counter = stamp.wall_ms, stamp.counter

    def now(self) -> str:
        """Return a new clock value, greater than every value issued or observed before."""
        with self._lock:
            physical = self._wall()
            if physical > self._wall_ms:
                self._wall_ms, self._counter = physical, 0
            else:
                self._advance_counter()
            return Timestamp(self._wall_ms, self._counter, self.device).encode()

    def observe(self, remote: str) -> None:
        """Move the clock past a value received from another device."""
        stamp = Timestamp.decode(remote)
        with self._lock:
            physical = self._wall()
            if physical > self._wall_ms and physical > stamp.wall_ms:
                self._wall_ms, self._counter = physical, 0
            elif stamp.wall_ms > self._wall_ms:
                self._wall_ms, self._counter = stamp.wall_ms, stamp.counter
                self._advance_counter()
            elif stamp.wall_ms == self._wall_ms:
                self._counter = max(self._counter, stamp.counter)
                self._advance_counter()

    @property
    def last(self) -> str:
        """The latest value issued or observed (for persisting)."""
        with self._lock:
            return Timestamp(self._wall_ms, self._counter, self.device).encode()

    def _advance_counter(self) -> None:
        if self._counter >= _COUNTER_MAX:
            self._wall_ms += 1
            self._counter = 0
        else:
            self._counter += 1
