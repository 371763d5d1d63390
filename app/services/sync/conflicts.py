"""Sync conflicts — 同步冲突: review them, keep either value, merge a resident recorded twice.

Three kinds, all in the local ``sync_conflict`` table:

- *field*: two devices changed one field of one record concurrently; the later value was applied on every
  device, the other is kept here. Choosing either writes it again as a new change, so every device ends
  with the chosen value and closes its own copy of the conflict ("superseded").
- *deleted*: a record was deleted on one device and changed on another at about the same time.
- *duplicate*: one ID-card number on two residents (created on two devices). Stored with entity
  ``resident``, field ``id_number``, ``kept_value`` and ``other_value`` the two residents' ids (JSON) and
  ``entity_id`` the second one. Merging keeps one resident, moves everything recorded for the other to it
  (visits, conditions, medications, ...) and deletes the other (a tombstone); "not the same person"
  closes the conflict and changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from app.domain.i18n import register
from app.domain.permissions import Action
from app.services.authz import require
from app.services.sync.apply import DUPLICATE_FIELD, RESIDENT_TABLE, encode_value
from app.services.sync.state import load_state
from app.services.sync.tables import table_specs
from app.store.audit import MASK, SECRET_FIELDS
from app.store.models import SYNCED_TABLES, Resident, SyncConflict, Synced
from app.store.queries import sync_conflicts
from app.store.queries.sync_connection import sync_connection
from app.store.stamping import APPLYING_SYNC_KEY
from app.store.uow import UnitOfWork
from app.sync.errors import PackageRefused
from app.sync.merge import DELETED, clocks_of, dump_clocks
from app.sync.vectors import wall_ms_of

register(
    {
        "conflict.not_found": {
            "zh_CN": "找不到该冲突记录，可能已被处理。",
            "en": "This conflict no longer exists; it may have been dealt with already.",
        },
        "conflict.record_gone": {
            "zh_CN": "冲突涉及的记录已不存在。",
            "en": "The record of this conflict no longer exists.",
        },
        "conflict.not_duplicate": {
            "zh_CN": "该冲突不是重复居民。",
            "en": "This conflict is not a duplicate resident.",
        },
        "conflict.keep_which": {
            "zh_CN": "请选择保留哪一位居民。",
            "en": "Choose which of the two residents to keep.",
        },
    }
)

Kind = Literal["field", "deleted", "duplicate"]
CHILD_TABLES_SKIPPED = frozenset({"auditentry"})
"""Audit entries keep the resident they were written about (the audit trail is never changed)."""


@dataclass(frozen=True)
class ConflictRow:
    """One conflict as the Conflicts page shows it.

    Attributes:
        kind: ``field``, ``deleted`` or ``duplicate``.
        entity: the table (``resident``, ``visit``, ...).
        record: what the record is, for people ("张桂英", "张桂英 · 2026-11-20 visit").
        kept_value, other_value: the values (for a duplicate: the two residents' ids).
        kept_device_name, other_device_name: which device wrote each.
        kept_at, other_at: when (wall time of the change's clock).
        kept_summary, other_summary: for a duplicate, each resident as "name · bed · born".
    """

    id: str
    kind: Kind
    entity: str
    entity_id: str
    record: str
    field: str
    kept_value: Any
    kept_device: str
    kept_device_name: str
    kept_at: datetime | None
    other_value: Any
    other_device: str
    other_device_name: str
    other_at: datetime | None
    detected_at: str
    resolved_at: str | None
    resolution: str
    kept_summary: str = ""
    other_summary: str = ""


def conflict_kind(entity: str, entity_id: str, field: str, other_value: str) -> Kind:
    """Tell the kind of a ``sync_conflict`` row from its columns (see the module docstring)."""
    if entity == RESIDENT_TABLE and field == DUPLICATE_FIELD and other_value == encode_value(entity_id):
        return "duplicate"
    return "deleted" if field == DELETED else "field"


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _when(clock: str) -> datetime | None:
    return datetime.fromtimestamp(wall_ms_of(clock) / 1000, tz=timezone.utc) if clock else None


def list_conflicts(uow: UnitOfWork, *, include_resolved: bool = False) -> list[ConflictRow]:
    """Return the conflicts to review (and, if asked, those already dealt with), newest first."""
    with sync_connection(uow.database) as connection:
        names = load_state(connection).names()
    with uow.reading() as uow:
        rows = sync_conflicts.conflict_rows(uow, include_resolved=include_resolved)
        residents = _resident_labels(uow, rows)
        visits = _visit_labels(uow, [r[2] for r in rows if r[1] == "visit"])
    result = []
    for (
        cid,
        entity,
        entity_id,
        field,
        kept,
        kept_clock,
        kept_dev,
        other,
        other_clock,
        other_dev,
        detected,
        resolved,
        resolution,
    ) in rows:
        kind = conflict_kind(entity, entity_id, field, other)
        kept_value, other_value = _decode(kept), _decode(other)
        if field in SECRET_FIELDS:  # a password hash is never shown, only that the two differ
            kept_value, other_value = MASK, MASK
        record = residents.get(entity_id) or visits.get(entity_id) or entity_id[:8]
        result.append(
            ConflictRow(
                id=cid,
                kind=kind,
                entity=entity,
                entity_id=entity_id,
                record=record,
                field=field,
                kept_value=kept_value,
                kept_device=kept_dev,
                kept_device_name=names.get(kept_dev, kept_dev[:8]),
                kept_at=_when(kept_clock),
                other_value=other_value,
                other_device=other_dev,
                other_device_name=names.get(other_dev, other_dev[:8]),
                other_at=_when(other_clock),
                detected_at=str(detected),
                resolved_at=str(resolved) if resolved else None,
                resolution=resolution or "",
                kept_summary=_with_birth(residents, str(kept_value)) if kind == "duplicate" else "",
                other_summary=_with_birth(residents, str(other_value)) if kind == "duplicate" else "",
            )
        )
    return result


def _resident_labels(uow: UnitOfWork, rows: list[tuple[Any, ...]]) -> dict[str, str]:
    ids = {r[2] for r in rows if r[1] == RESIDENT_TABLE}
    ids |= {str(_decode(r[4])) for r in rows if r[1] == RESIDENT_TABLE and r[3] == DUPLICATE_FIELD}
    labels: dict[str, str] = {}
    for rid in ids:
        found = sync_conflicts.resident_label(uow, rid)
        if found:
            name, home, building, room, bed, born = found
            place = "-".join(p for p in (building, room, bed) if p)
            labels[rid] = " · ".join(p for p in (name, home or "", place) if p)
            labels[f"{rid}:born"] = str(born or "")
    return labels


def _with_birth(labels: dict[str, str], resident_id: str) -> str:
    label = labels.get(resident_id, "")
    born = labels.get(f"{resident_id}:born", "")
    return f"{label} · {born}" if label and born else label


def _visit_labels(uow: UnitOfWork, ids: list[str]) -> dict[str, str]:
    labels = {}
    for vid in ids:
        found = sync_conflicts.visit_label(uow, vid)
        if found:
            labels[vid] = f"{found[0]} · {found[1]}"
    return labels


def _model_for(entity: str) -> type[Synced]:
    for model in SYNCED_TABLES:
        if model.__tablename__ == entity:
            return model
    raise PackageRefused("conflict.record_gone")


def _open_conflict(uow: UnitOfWork, conflict_id: str) -> SyncConflict:
    conflict = uow.session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.resolved_at is not None:
        raise PackageRefused("conflict.not_found")
    return conflict


def _close(conflict: SyncConflict, uow: UnitOfWork, resolution: str) -> None:
    conflict.resolved_at = datetime.now(timezone.utc)
    conflict.resolved_by = uow.actor_id
    conflict.resolution = resolution


def resolve_conflict(uow: UnitOfWork, *, conflict_id: str, keep: Literal["kept", "other"]) -> None:
    """Keep one of the two values of a field (or deleted) conflict, as a new change that travels.

    Raises:
        PackageRefused: the conflict is gone, or its record is.
        PermissionDenied: the signed-in role may not resolve conflicts.
    """
    with uow:
        if uow.actor_id is not None:
            require(uow, Action.RESOLVE_CONFLICTS)
        conflict = _open_conflict(uow, conflict_id)
        if conflict_kind(conflict.entity, conflict.entity_id, conflict.field, conflict.other_value) == "duplicate":
            raise PackageRefused("conflict.not_duplicate")
        record = uow.session.get(_model_for(conflict.entity), conflict.entity_id)
        if record is None:
            raise PackageRefused("conflict.record_gone")
        value = _decode(conflict.kept_value if keep == "kept" else conflict.other_value)
        if conflict.field == DELETED:
            value = bool(value)
        if getattr(record, conflict.field) != value:
            setattr(record, conflict.field, value)  # stamped like any edit
        else:
            _restamp(uow, record, conflict.field)
        _close(conflict, uow, keep)
        uow.commit()


def _restamp(uow: UnitOfWork, record: Synced, field: str) -> None:
    """Give an unchanged field a new clock, so other devices close their copy of the conflict too."""
    stamp = uow.database.clock.now()
    clocks = clocks_of(record.field_clocks)
    clocks[field] = stamp
    record.field_clocks = dump_clocks(clocks)
    record.updated_at = stamp
    record.origin_device = uow.database.device_id
    uow.session.info[APPLYING_SYNC_KEY] = True  # the stamps are set by hand here
    try:
        uow.session.flush()
    finally:
        uow.session.info[APPLYING_SYNC_KEY] = False


@dataclass(frozen=True)
class DuplicateMerge:
    """What merging two residents did."""

    kept_id: str
    removed_id: str
    moved: dict[str, int]


def merge_duplicate(uow: UnitOfWork, *, conflict_id: str, keep_resident_id: str) -> DuplicateMerge:
    """Merge a resident recorded twice: move everything of the other one to ``keep_resident_id``, delete it.

    Raises:
        PackageRefused: the conflict is gone or not a duplicate, or ``keep_resident_id`` is neither resident.
        PermissionDenied: the signed-in role may not resolve conflicts.
    """
    with uow:
        if uow.actor_id is not None:
            require(uow, Action.RESOLVE_CONFLICTS)
        conflict = _open_conflict(uow, conflict_id)
        if conflict_kind(conflict.entity, conflict.entity_id, conflict.field, conflict.other_value) != "duplicate":
            raise PackageRefused("conflict.not_duplicate")
        pair = {str(_decode(conflict.kept_value)), str(_decode(conflict.other_value))}
        if keep_resident_id not in pair:
            raise PackageRefused("conflict.keep_which")
        (removed_id,) = pair - {keep_resident_id}
        kept = uow.session.get(Resident, keep_resident_id)
        removed = uow.session.get(Resident, removed_id)
        if kept is None or removed is None:
            raise PackageRefused("conflict.record_gone")
        moved: dict[str, int] = {}
        for spec in table_specs():
            if "resident_id" not in spec.columns or spec.name in CHILD_TABLES_SKIPPED:
                continue
            model = _model_for(spec.name)
            children = sync_conflicts.records_of_resident(uow, model, removed_id)
            for child in children:
                setattr(child, "resident_id", keep_resident_id)  # noqa: B010 (every such model has the column)
            if children:
                moved[spec.name] = len(children)
        removed.deleted = True
        _close(conflict, uow, f"merged:{keep_resident_id}")
        uow.commit()
        return DuplicateMerge(keep_resident_id, removed_id, moved)


def dismiss_duplicate(uow: UnitOfWork, *, conflict_id: str) -> None:
    """Close a duplicate conflict: the two residents are different people (a wrong ID number elsewhere)."""
    with uow:
        if uow.actor_id is not None:
            require(uow, Action.RESOLVE_CONFLICTS)
        conflict = _open_conflict(uow, conflict_id)
        _close(conflict, uow, "not_duplicate")
        uow.commit()


def open_conflict_count(uow: UnitOfWork) -> int:
    """Return how many conflicts wait for review."""
    with uow.reading() as uow:
        return sync_conflicts.open_count(uow)
