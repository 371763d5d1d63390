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
- *two_beds*: two family beds open for one resident (one open bed per resident), opened on two devices apart.
  Stored with entity ``family_bed``, field ``open_bed``, ``entity_id`` the bed opened later and
  ``kept_value``/``other_value`` the two beds' ids (JSON). Keeping one moves the other's orders and checks to
  it and removes the other (a tombstone); closing either bed (Family beds page) settles the conflict too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.services.authz import require
from app.services.sync.apply import BED_TABLE, DUPLICATE_FIELD, RESIDENT_TABLE, TWO_BEDS_FIELD, encode_value
from app.services.sync.state import load_state
from app.services.sync.tables import table_specs
from app.store.audit import MASK, SECRET_FIELDS
from app.store.models import SYNCED_TABLES, BedCheck, FamilyBed, Resident, SyncConflict, Synced
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
        "conflict.not_two_beds": {
            "zh_CN": "该冲突不是同一居民的两张家庭病床。",
            "en": "This conflict is not two family beds of one resident.",
        },
        "conflict.keep_which_bed": {
            "zh_CN": "请选择保留哪一张家庭病床。",
            "en": "Choose which of the two family beds to keep.",
        },
        "conflict.bed_summary": {"zh_CN": "{indication} · {opened} 建床", "en": "{indication} · opened {opened}"},
        "conflict.keep_which": {
            "zh_CN": "请选择保留哪一位居民。",
            "en": "Choose which of the two residents to keep.",
        },
    }
)

Kind = Literal["field", "deleted", "duplicate", "two_beds"]
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
    if entity == BED_TABLE and field == TWO_BEDS_FIELD:
        return "two_beds"
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
        beds = _bed_labels(uow, rows, residents)
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
        record = residents.get(entity_id) or visits.get(entity_id) or beds.get(entity_id) or entity_id[:8]
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
                kept_summary=_summary(kind, residents, beds, str(kept_value)),
                other_summary=_summary(kind, residents, beds, str(other_value)),
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


def _bed_labels(uow: UnitOfWork, rows: list[tuple[Any, ...]], residents: dict[str, str]) -> dict[str, str]:
    """The two beds of each two-beds conflict: ``{bed id: "resident · home · bed"}`` for the record, and
    ``{"<bed id>:bed": "indication · opened D"}`` for each side."""
    labels: dict[str, str] = {}
    for row in rows:
        if row[1] != BED_TABLE:
            continue
        for bed_id in {row[2], str(_decode(row[4])), str(_decode(row[7]))}:
            found = sync_conflicts.bed_label(uow, bed_id)
            if not found:
                continue
            resident_id, indication, opened, _closed, _deleted = found
            if resident_id not in residents:
                label = sync_conflicts.resident_label(uow, resident_id)
                if label:
                    name, home, building, room, bed, _born = label
                    place = "-".join(p for p in (building, room, bed) if p)
                    residents[resident_id] = " · ".join(p for p in (name, home or "", place) if p)
            labels[bed_id] = residents.get(resident_id, resident_id[:8])
            labels[f"{bed_id}:bed"] = t("conflict.bed_summary", indication=indication, opened=str(opened)[:10])
    return labels


def _summary(kind: Kind, residents: dict[str, str], beds: dict[str, str], value: str) -> str:
    if kind == "duplicate":
        return _with_birth(residents, value)
    if kind == "two_beds":
        return beds.get(f"{value}:bed", "")
    return ""


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
        kind = conflict_kind(conflict.entity, conflict.entity_id, conflict.field, conflict.other_value)
        if kind == "duplicate":
            raise PackageRefused("conflict.not_duplicate")
        if kind == "two_beds":
            raise PackageRefused("conflict.keep_which_bed")
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
    uow.session.flush()  # what the caller changed before is stamped and audited as usual, not in the flush below
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


@dataclass(frozen=True)
class BedsMerge:
    """What keeping one of two open family beds did."""

    kept_id: str
    removed_id: str
    orders: int
    checks: int


def keep_one_bed(uow: UnitOfWork, *, conflict_id: str, keep_bed_id: str) -> BedsMerge:
    """Resolve a two-beds conflict: keep ``keep_bed_id``, move the other bed's orders and checks to it (nothing
    recorded at the bedside is lost; a doctor then stops an order given twice) and remove the other bed (a
    tombstone, so every device removes it). The resident's flag keeps the kept bed's opening day.

    Raises:
        PackageRefused: the conflict is gone or not two beds, ``keep_bed_id`` is neither bed, a bed is gone.
        PermissionDenied: the signed-in role may not resolve conflicts.
    """
    from app.store.queries import beds as bed_queries

    with uow:
        if uow.actor_id is not None:
            require(uow, Action.RESOLVE_CONFLICTS)
        conflict = _open_conflict(uow, conflict_id)
        if conflict_kind(conflict.entity, conflict.entity_id, conflict.field, conflict.other_value) != "two_beds":
            raise PackageRefused("conflict.not_two_beds")
        pair = {str(_decode(conflict.kept_value)), str(_decode(conflict.other_value))}
        if keep_bed_id not in pair:
            raise PackageRefused("conflict.keep_which_bed")
        (removed_id,) = pair - {keep_bed_id}
        kept = uow.session.get(FamilyBed, keep_bed_id)
        removed = uow.session.get(FamilyBed, removed_id)
        if kept is None or removed is None or kept.deleted or removed.deleted:
            raise PackageRefused("conflict.record_gone")
        orders = list(bed_queries.orders_by_id(uow, removed_id).values())
        checks: list[BedCheck] = bed_queries.checks_models(uow, removed_id)
        for child in [*orders, *checks]:
            child.bed_id = keep_bed_id
        removed.deleted = True
        resident = uow.session.get(Resident, kept.resident_id)
        if resident is not None and kept.closed_on is None:
            # each device set the flag's start when it opened its bed: that field conflict is decided here too
            if resident.family_bed_start != kept.opened_on:
                resident.family_bed_start = kept.opened_on
            else:
                _restamp(uow, resident, "family_bed_start")
            for other in sync_conflicts.open_field_conflicts(
                uow, entity=RESIDENT_TABLE, entity_id=resident.id, field="family_bed_start"
            ):
                _close(other, uow, "superseded")
        _close(conflict, uow, f"merged:{keep_bed_id}")
        uow.commit()
        return BedsMerge(keep_bed_id, removed_id, len(orders), len(checks))


def settle_two_beds(uow: UnitOfWork, *, bed_id: str) -> int:
    """Inside an open unit of work: close the open two-beds conflicts naming ``bed_id``, which was just closed or
    removed (the resident has one open bed again); return how many."""
    found = sync_conflicts.open_conflicts_about_bed(
        uow, field=TWO_BEDS_FIELD, encoded_id=encode_value(bed_id), bed_id=bed_id
    )
    for conflict in found:
        _close(conflict, uow, "superseded")
    return len(found)


def open_conflict_count(uow: UnitOfWork) -> int:
    """Return how many conflicts wait for review."""
    with uow.reading() as uow:
        return sync_conflicts.open_count(uow)
