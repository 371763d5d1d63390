"""Set the sync columns of synced rows at flush time, so no caller stamps by hand.

The same ``before_flush`` listener then appends the flush's audit entries (:mod:`app.store.audit`),
so they are stamped after, and ordered after, the rows they describe.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session

from app.store.audit import record_flush
from app.store.models import Synced
from app.sync.clock import HybridLogicalClock

SKIP_FIELDS = frozenset({"id", "created_at", "updated_at", "origin_device", "field_clocks"})

CLOCK_KEY = "carerounds.clock"
APPLYING_SYNC_KEY = "carerounds.applying_sync"
WRITE_KEY = "carerounds.write"


def changed_fields(obj: Synced) -> dict[str, tuple[Any, Any]]:
    """Return ``{field: (old, new)}`` for the columns of ``obj`` changed in this session."""
    state = inspect(obj)
    changes: dict[str, tuple[Any, Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in SKIP_FIELDS:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = (old, new)
    return changes


def _with_partners(model: type[Synced], changes: dict[str, tuple[Any, Any]]) -> set[str]:
    """Return the changed fields and the fields stamped together with them (``Synced.STAMPED_TOGETHER``).

    A partner gets the stamp but is not a change: it is not audited and its value is left alone.
    """
    fields = set(changes)
    for group in model.STAMPED_TOGETHER:
        if fields.intersection(group):
            fields.update(group)
    return fields


@event.listens_for(Session, "after_begin")
def _catch_up_clock(session: Session, transaction: object, connection: Any) -> None:
    """Move the clock past the last value stored by any process of this device, under the write lock.

    Two processes on one database (two windows, the GUI and a command) share a device id but each has its
    own clock; without this, the second could stamp a field, or seal an audit entry after the first's,
    with a lower value — a false "reordered" in the audit chain, a lost edit in sync.
    """
    clock: HybridLogicalClock | None = session.info.get(CLOCK_KEY)
    if clock is None or not session.info.get(WRITE_KEY, False):
        return
    # text(): named parameters work on both drivers (pysqlite's "?" is "%s" to psycopg)
    row = connection.execute(
        text("SELECT last_clock FROM device_state WHERE device_id = :d"), {"d": clock.device}
    ).first()
    if row and row[0]:
        clock.observe(row[0])


@event.listens_for(Session, "before_flush")
def _stamp_synced_rows(session: Session, flush_context: object, instances: object) -> None:
    clock: HybridLogicalClock | None = session.info.get(CLOCK_KEY)
    if clock is None or session.info.get(APPLYING_SYNC_KEY):
        # a sync import applies remote rows as they are, with their own (already sealed) audit entries
        return
    created: list[Synced] = []
    for obj in session.new:
        if isinstance(obj, Synced):
            obj.updated_at = clock.now()
            obj.origin_device = clock.device
            created.append(obj)
    changed: list[tuple[Synced, dict[str, tuple[Any, Any]]]] = []
    for obj in session.dirty:
        if not isinstance(obj, Synced) or obj in session.new:
            continue
        changes = changed_fields(obj)
        if not changes:
            continue
        stamp = clock.now()
        clocks = json.loads(obj.field_clocks) if obj.field_clocks else {}
        for field in _with_partners(type(obj), changes):
            clocks[field] = stamp
        obj.field_clocks = json.dumps(clocks, sort_keys=True)
        obj.updated_at = stamp
        obj.origin_device = clock.device
        changed.append((obj, changes))
    record_flush(session, clock, created=created, changed=changed, removed=list(session.deleted))
