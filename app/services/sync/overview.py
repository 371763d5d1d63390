"""What the sync screens show — 同步状态: changes not exported yet, devices, history, record sync states.

Read-only views of the bookkeeping kept by :mod:`app.services.sync.exchange` and :mod:`app.services.sync.state`,
plus :func:`forget_device`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from app.services.sync.state import LocalState, load_state
from app.services.sync.tables import spec_by_name, table_specs
from app.store.queries import sync_conflicts, sync_rows, sync_state
from app.store.queries.sync_base import SyncConnection
from app.store.queries.sync_connection import sync_connection
from app.store.uow import UnitOfWork
from app.sync.clock import Timestamp


@dataclass(frozen=True)
class DeviceRow:
    """A device of the center as the Sync page lists it."""

    device_id: str
    name: str
    kind: str  # "peer" | "invitation" | "known"
    last_seen: str | None


@dataclass(frozen=True)
class SyncOverview:
    """This device's sync situation, for the Sync page."""

    device_id: str
    device_name: str
    center_name: str
    has_key: bool
    last_export_at: str | None
    last_import_at: str | None
    not_exported: dict[str, int]
    open_conflicts: int
    devices: list[DeviceRow]

    @property
    def not_exported_total(self) -> int:
        return sum(self.not_exported.values())


@dataclass(frozen=True)
class HistoryRow:
    """One line of the sync history."""

    at: str
    direction: str  # export | import | invite | join
    package_id: str
    peer_device: str
    peer_name: str
    path: str
    counts: dict[str, Any]
    result: str


def sync_overview(uow: UnitOfWork) -> SyncOverview:
    """Return this device's sync situation: changes not yet exported, devices, last sync, open conflicts."""
    with sync_connection(uow.database) as connection:
        state = load_state(connection)
        pending = _not_exported(connection, state)
        last = sync_state.last_sync_times(connection)
        open_conflicts = sync_conflicts.open_count_on(connection)
    devices = [
        DeviceRow(
            p.device_id, p.name, "peer" if p.is_peer else "invitation" if p.is_invitation else "known", p.last_seen
        )
        for p in state.peers
    ]
    devices.sort(key=lambda d: ({"peer": 0, "invitation": 1, "known": 2}[d.kind], d.name))
    return SyncOverview(
        device_id=state.device_id,
        device_name=state.device_name,
        center_name=state.center_name,
        has_key=state.key is not None,
        last_export_at=last.get("export"),
        last_import_at=last.get("import"),
        not_exported=pending,
        open_conflicts=open_conflicts,
        devices=devices,
    )


def _not_exported(connection: SyncConnection, state: LocalState) -> dict[str, int]:
    counts = {}
    for spec in table_specs():
        n = sync_rows.changed_here_count(
            connection, spec.name, after=state.last_export_clock, device_id=state.device_id
        )
        if n:
            counts[spec.name] = n
    return counts


@dataclass(frozen=True)
class PendingRecord:
    """A record changed on this device and not exported yet (what a nurse must not forget to bring back)."""

    table: str
    id: str
    label: str
    changed_at: datetime | None


def not_exported_records(uow: UnitOfWork, *, limit: int = 200) -> list[PendingRecord]:
    """Return visits and residents changed here since the last export, newest first (other tables are counted
    by :func:`sync_overview`)."""
    with sync_connection(uow.database) as connection:
        state = load_state(connection)
        changed = sync_rows.changed_here_records(
            connection, after=state.last_export_clock, device_id=state.device_id, limit=limit
        )
    records = [PendingRecord(table, row_id, label, wall_time(clock)) for table, row_id, label, clock in changed]
    records.sort(key=lambda r: r.changed_at or datetime.min.replace(tzinfo=timezone.utc), reverse=True)
    return records[:limit]


def sync_history(uow: UnitOfWork, *, limit: int = 500) -> list[HistoryRow]:
    """Return every export, import, invitation and join, newest first."""
    with sync_connection(uow.database) as connection:
        names = load_state(connection).names()
        rows = sync_state.log_rows(connection, limit=limit)
    history = []
    for at, direction, package_id, peer, path, counts, result in rows:
        try:
            parsed = json.loads(counts) if counts else {}
        except ValueError:
            parsed = {}
        history.append(
            HistoryRow(
                str(at),
                direction,
                package_id,
                peer or "",
                names.get(peer or "", ""),
                path or "",
                parsed if isinstance(parsed, dict) else {},
                result or "",
            )
        )
    return history


class RecordSyncState:
    """Where a record stands: changed here and not exported yet, exported, or held by every known device."""

    NOT_EXPORTED = "not_exported"
    EXPORTED = "exported"
    ACKNOWLEDGED = "acknowledged"


def record_sync_states(uow: UnitOfWork, *, table: str, ids: list[str]) -> dict[str, str]:
    """Return the :class:`RecordSyncState` of each record ``ids`` of ``table`` (e.g. visits in a list).

    Raises:
        KeyError: ``table`` is not a synced table.
    """
    spec = spec_by_name()[table]
    states: dict[str, str] = {}
    with sync_connection(uow.database) as connection:
        state = load_state(connection)
        found = sync_rows.row_clocks(connection, spec.name, ids)
    acks = state.recipients()
    for row_id, updated_at, origin in found:
        if origin == state.device_id and updated_at > state.last_export_clock:
            states[row_id] = RecordSyncState.NOT_EXPORTED
        elif acks and all(updated_at <= ack.get(origin, "") for ack in acks):
            states[row_id] = RecordSyncState.ACKNOWLEDGED
        else:
            states[row_id] = RecordSyncState.EXPORTED
    return states


def forget_device(uow: UnitOfWork, *, device_id: str) -> None:
    """Stop waiting for a device's acknowledgement (a laptop retired or lost; an invitation never used)."""
    with sync_connection(uow.database) as connection, connection.writing():
        sync_state.forget_device(connection, device_id)


def wall_time(clock: str) -> datetime | None:
    """Return the wall time inside a clock value, for people (None for "")."""
    if not clock:
        return None
    return datetime.fromtimestamp(Timestamp.decode(clock).wall_ms / 1000, tz=timezone.utc)
