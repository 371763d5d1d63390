"""The audit chains as an import checks them: one device's entries in chain order (clock, then id)."""

from __future__ import annotations

from collections.abc import Iterable

from app.store.queries.sync_base import SyncConnection
from app.store.queries.sync_rows import LOOKUP_BATCH

ChainLink = tuple[str, str, str, str]
"""``(id, prev_hash, hash, action)`` of an audit entry."""


def entry_before(connection: SyncConnection, device_id: str, clock: str, entry_id: str) -> ChainLink | None:
    """Return the entry of ``device_id`` just before ``(clock, entry_id)`` in its chain, if there is one."""
    found = connection.driver.execute(
        "SELECT id, prev_hash, hash, action FROM auditentry WHERE origin_device = ? AND (updated_at < ? OR "
        "(updated_at = ? AND id < ?)) ORDER BY updated_at DESC, id DESC LIMIT 1",
        (device_id, clock, clock, entry_id),
    ).fetchone()
    return None if found is None else (found[0], found[1], found[2], found[3])


def entries_from(connection: SyncConnection, device_id: str, clock: str, entry_id: str) -> list[ChainLink]:
    """Return the entries of ``device_id`` from ``(clock, entry_id)`` on, in chain order."""
    return connection.driver.execute(
        "SELECT id, prev_hash, hash, action FROM auditentry WHERE origin_device = ? AND (updated_at > ? OR "
        "(updated_at = ? AND id >= ?)) ORDER BY updated_at, id",
        (device_id, clock, clock, entry_id),
    ).fetchall()


def held_hashes(connection: SyncConnection, device_id: str, hashes: Iterable[str]) -> set[str]:
    """Return which of ``hashes`` are hashes of entries of ``device_id`` held here."""
    found: set[str] = set()
    ordered = sorted(hashes)
    for start in range(0, len(ordered), LOOKUP_BATCH):
        part = ordered[start : start + LOOKUP_BATCH]
        marks = ", ".join("?" * len(part))
        found.update(
            h
            for (h,) in connection.driver.execute(
                f"SELECT hash FROM auditentry WHERE origin_device = ? AND hash IN ({marks})", (device_id, *part)
            )
        )
    return found
