"""Knowledge vectors: which changes of which device a database already holds.

A *knowledge vector* maps a device id to a clock value of that device: ``{device: clock}`` says "this
database reflects every change that ``device`` made up to ``clock``" (reflects: holds it, or a later
value of the same field). Hybrid-logical-clock values of one device only grow, so one value per device
is enough. Missing devices count as ``""`` (nothing known).

An export sends every row that holds a change some recipient may lack: a row is *needed* when one of
its clocks — ``updated_at`` or any per-field clock — is above the threshold for the device that made it.
The thresholds are what all known recipients acknowledged (the minimum per device), so a lost file
simply leaves the thresholds where they were and the next export carries its rows again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

Vector = dict[str, str]

CLOCK_DEVICE_OFFSET = 21
"""A clock value is ``{wall:013d}-{counter:06d}-{device}``: the device id starts at this offset."""


def device_of(clock: str) -> str:
    """Return the device id inside the clock value ``clock`` ("" for "")."""
    return clock[CLOCK_DEVICE_OFFSET:]


def wall_ms_of(clock: str) -> int:
    """Return the wall-clock milliseconds of ``clock`` (0 for "")."""
    return int(clock[:13]) if clock else 0


def parse_vector(text: str | None) -> Vector:
    """Read a vector stored as JSON text; empty or malformed text is the empty vector."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


def dump_vector(vector: Mapping[str, str]) -> str:
    return json.dumps(dict(sorted(vector.items())), separators=(",", ":"))


def join(*vectors: Mapping[str, str]) -> Vector:
    """Return the pointwise maximum of ``vectors``."""
    result: Vector = {}
    for vector in vectors:
        for device, clock in vector.items():
            if clock > result.get(device, ""):
                result[device] = clock
    return result


def reflects(vector: Mapping[str, str], clock: str) -> bool:
    """Return whether a database with knowledge ``vector`` holds the change stamped ``clock``."""
    return bool(clock) and clock <= vector.get(device_of(clock), "")


def thresholds(acknowledged: Iterable[Mapping[str, str]]) -> Vector | None:
    """Return the per-device minimum of what every recipient acknowledged, or None if there is no recipient.

    A device missing from one recipient's vector gets ``""`` (send all of its changes).
    """
    acks = list(acknowledged)
    if not acks:
        return None
    devices = set().union(*(ack.keys() for ack in acks))
    return {device: min(ack.get(device, "") for ack in acks) for device in devices}


def lowest(since: Mapping[str, str]) -> str:
    """Return the lowest threshold: rows whose ``updated_at`` is not above it can be skipped unread.

    Devices absent from ``since`` have threshold ""; callers must add every device that may appear in
    the rows (the exporter's own knowledge lists them all).
    """
    return min(since.values(), default="")


def row_needed(updated_at: str, field_clocks: str | None, since: Mapping[str, str]) -> bool:
    """Return whether a row with these clocks holds a change above the thresholds ``since``."""
    if updated_at > since.get(device_of(updated_at), ""):
        return True
    if field_clocks:
        for clock in json.loads(field_clocks).values():
            if clock > since.get(device_of(clock), ""):
                return True
    return False


def covers(since: Mapping[str, str] | None, knowledge: Mapping[str, str]) -> bool:
    """Return whether a package sent with thresholds ``since`` leaves no gap for a receiver with ``knowledge``.

    A full package (``since`` None) always covers. Otherwise every device's threshold must be at or
    below what the receiver already holds; only then may the receiver adopt the sender's knowledge.
    """
    if since is None:
        return True
    return all(clock <= knowledge.get(device, "") for device, clock in since.items())
