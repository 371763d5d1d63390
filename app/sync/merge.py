"""Merge one incoming row into the local one: per-field last-writer-wins by hybrid logical clock.

Every synced row carries per-field clocks (``field_clocks``: ``{field: clock}`` of the fields edited
after creation; a field without a clock still holds the value it was created with, which is the same
on every device). Merging two versions of a row, field by field:

- the value with the higher clock wins (creation values count as ``""``, lower than any edit); equal
  clocks mean the same edit, so the values are equal too (if they are not, the file was forged or a
  database damaged: the larger value in a fixed order wins, so devices still agree);
- ``deleted`` is a field like the others, with one more rule — *a tombstone wins only over older
  edits*: the row counts as deleted only while its deletion clock is above every other field clock,
  so an edit made after (and without knowing of) a deletion brings the row back;
- ``updated_at`` becomes the highest clock of the row and ``origin_device`` the device that made it.

A *conflict* is recorded when both sides edited the same field to different values and the winning
side did not know the losing edit when it wrote its own (the losing clock is not reflected in the
winner's knowledge vector). The loser's value is kept in the conflict for review, never silently lost.
Merging is commutative, associative and idempotent, so files may arrive in any order, twice, or via
other devices, and every device ends with the same row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.sync.vectors import device_of, reflects

META_FIELDS = frozenset({"id", "created_at", "updated_at", "origin_device", "field_clocks", "deleted"})
DELETED = "deleted"


@dataclass(frozen=True)
class FieldConflict:
    """Two concurrent edits of one field: the value kept everywhere and the one that lost."""

    field: str
    kept_value: Any
    kept_clock: str
    other_value: Any
    other_clock: str


@dataclass
class RowMerge:
    """The outcome of merging one row.

    Attributes:
        values: the merged row (every local column), or None when the local row stays as it is.
        changed: the fields whose value changed locally.
        advanced: the fields whose clock moved forward (a later edit arrived, even with the same value).
        conflicts: concurrent edits found on the way.
    """

    values: dict[str, Any] | None
    changed: list[str] = field(default_factory=list)
    advanced: list[str] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)


def clocks_of(text: str | None) -> dict[str, str]:
    """Parse a ``field_clocks`` text ("" or None: no field edited)."""
    return dict(json.loads(text)) if text else {}


def dump_clocks(clocks: Mapping[str, str]) -> str | None:
    """Serialise field clocks exactly as the stamping hook does, so equal clocks are equal text."""
    return json.dumps(dict(clocks), sort_keys=True) if clocks else None


def _order_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _effective_deleted(register_value: Any, register_clock: str, other_clocks: Mapping[str, str]) -> int:
    newest_edit = max((c for f, c in other_clocks.items() if f != DELETED), default="")
    return 1 if register_value and register_clock > newest_edit else 0


def merge_row(
    local: Mapping[str, Any],
    incoming: Mapping[str, Any],
    *,
    local_knows: Mapping[str, str],
    sender_knows: Mapping[str, str],
) -> RowMerge:
    """Merge ``incoming`` (a row from a package) into ``local`` (the same row here).

    Args:
        local: the local row, every column.
        incoming: the row from the package; may lack columns added by a newer schema here.
        local_knows: this database's knowledge vector before the import.
        sender_knows: the knowledge vector the sender declared in the package header.

    Returns:
        The merged values (None if nothing changes here) and the conflicts found.
    """
    local_clocks = clocks_of(local.get("field_clocks"))
    incoming_clocks = clocks_of(incoming.get("field_clocks"))
    merged = dict(local)
    clocks = dict(local_clocks)
    result = RowMerge(values=None)

    for name, incoming_value in incoming.items():
        if name in META_FIELDS or name not in local:
            continue
        local_value = local[name]
        local_clock, incoming_clock = local_clocks.get(name, ""), incoming_clocks.get(name, "")
        if incoming_clock > local_clock:
            clocks[name] = incoming_clock
            result.advanced.append(name)
            if incoming_value != local_value:
                merged[name] = incoming_value
                result.changed.append(name)
                if local_clock and not reflects(sender_knows, local_clock):
                    result.conflicts.append(
                        FieldConflict(name, incoming_value, incoming_clock, local_value, local_clock)
                    )
        elif incoming_clock < local_clock:
            if incoming_value != local_value and incoming_clock and not reflects(local_knows, incoming_clock):
                result.conflicts.append(FieldConflict(name, local_value, local_clock, incoming_value, incoming_clock))
        elif incoming_value != local_value and _order_key(incoming_value) > _order_key(local_value):
            merged[name] = incoming_value  # same clock, different value: only a damaged peer does this
            result.changed.append(name)

    _merge_deleted(local, incoming, local_clocks, incoming_clocks, clocks, merged, result, local_knows, sender_knows)

    merged["field_clocks"] = local.get("field_clocks") if clocks == local_clocks else dump_clocks(clocks)
    incoming_stamp = str(incoming.get("updated_at") or "")
    if incoming_stamp > str(local.get("updated_at") or ""):
        merged["updated_at"] = incoming_stamp
        merged["origin_device"] = device_of(incoming_stamp) or incoming.get("origin_device", "")
    if merged != dict(local):
        result.values = merged
    return result


def _merge_deleted(
    local: Mapping[str, Any],
    incoming: Mapping[str, Any],
    local_clocks: Mapping[str, str],
    incoming_clocks: Mapping[str, str],
    clocks: dict[str, str],
    merged: dict[str, Any],
    result: RowMerge,
    local_knows: Mapping[str, str],
    sender_knows: Mapping[str, str],
) -> None:
    if DELETED not in incoming:
        return
    local_deleted, incoming_deleted = int(bool(local[DELETED])), int(bool(incoming[DELETED]))
    local_clock, incoming_clock = local_clocks.get(DELETED, ""), incoming_clocks.get(DELETED, "")
    if incoming_clock > local_clock:
        clocks[DELETED] = incoming_clock
        result.advanced.append(DELETED)
        register_value, register_clock = incoming_deleted, incoming_clock
    else:
        register_value, register_clock = local_deleted, local_clock
    if not register_clock:
        return  # neither side ever deleted or restored the row: both hold the creation value
    effective = _effective_deleted(register_value, register_clock, clocks)
    if effective != local_deleted:
        merged[DELETED] = effective
        result.changed.append(DELETED)
    if local_deleted == incoming_deleted:
        return
    # one side has the row deleted, the other alive: was the losing side's change made concurrently?
    local_won = effective == local_deleted
    loser_deleted = incoming_deleted if local_won else local_deleted
    loser_clocks = incoming_clocks if local_won else local_clocks
    if loser_deleted:
        loser_clock = loser_clocks.get(DELETED, "")
    else:
        loser_clock = max((c for f, c in loser_clocks.items() if f != DELETED), default="")
    winner_knows = local_knows if local_won else sender_knows
    if loser_clock and not reflects(winner_knows, loser_clock):
        kept_clock = max(clocks.values(), default="") if not effective else clocks.get(DELETED, "")
        result.conflicts.append(FieldConflict(DELETED, effective, kept_clock, loser_deleted, loser_clock))
