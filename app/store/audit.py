"""Audit trail — 审计日志: entries written at flush time, sealed in one hash chain per device.

Every flush of a unit of work appends an :class:`~app.store.models.AuditEntry` for each synced row it
creates, changes or deletes (except audit entries themselves), with the acting staff member and the
changed fields as ``{field: [old, new]}``. Entries that services add themselves (a record opened, a
sign-in) are completed and sealed the same way. The hook is called from
:mod:`app.store.stamping`'s ``before_flush`` listener, after the sync columns are stamped, and not
while a sync import applies remote rows (their own entries travel with them, already sealed).

Hash chain, one per origin device (the device that wrote the entry)::

    content = canonical JSON of {v, id, device, at, staff_id, staff_name, action, entity, entity_id,
                                 resident_id, changes, deleted}
    hash    = sha256(prev_hash + content).hexdigest()
    prev_hash = the hash of the device's previous entry, "" for its first one

The chain's order is the entries' ``updated_at`` (hybrid-logical-clock value, strictly increasing on
one device), then ``id``. :func:`verify_chains` walks every device's chain and reports entries whose
content no longer matches their hash (edited), and links that point at nothing (an entry removed) or
at another entry than the one before (reordered). Editing through the ORM is refused outright.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.i18n import register
from app.store.models import AuditEntry, Synced
from app.sync.clock import HybridLogicalClock

AUDIT_FORMAT_VERSION = 1
MASK = "***"

SECRET_FIELDS = frozenset({"password_hash"})
"""Fields whose values never go into the audit trail: only that they changed ("***")."""

NOT_AUDITED = frozenset(
    {"id", "created_at", "updated_at", "origin_device", "field_clocks", "deleted", "search_text", "updated_by"}
)
"""Sync bookkeeping, derived columns and the tombstone flag (which is the action "delete" instead)."""

ACTOR_NAME_KEY = "carerounds.actor_name"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"  # a tombstoned row brought back
    OPEN = "open"  # a resident's record opened
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    ACCOUNT_LOCKED = "account_locked"
    DATABASE_RESTORED = "database_restored"
    DATABASE_ENCRYPTED = "database_encrypted"


register(
    {
        "audit.append_only": {
            "zh_CN": "审计日志只能追加，不能修改或删除。",
            "en": "The audit trail can only be added to, never changed or deleted.",
        },
    }
)


class AuditTrailAppendOnly(DomainError):
    """Something tried to change or delete an audit entry."""


# --- canonical form and hashing ------------------------------------------------------------------------


def audit_value(value: Any) -> Any:
    """Return ``value`` as plain JSON (dates as ISO text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return canonical_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def canonical_time(value: datetime | str) -> str:
    """Return a moment as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC (naive values count as UTC)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(
    *,
    id: str,
    device: str,
    at: datetime | str,
    staff_id: str | None,
    staff_name: str,
    action: str,
    entity: str,
    entity_id: str,
    resident_id: str | None,
    changes: str,
    deleted: bool,
) -> str:
    """Return the canonical JSON of an entry's content: what its hash seals."""
    content = {
        "v": AUDIT_FORMAT_VERSION,
        "id": id,
        "device": device,
        "at": canonical_time(at),
        "staff_id": staff_id,
        "staff_name": staff_name,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "resident_id": resident_id,
        "changes": changes,
        "deleted": bool(deleted),
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev_hash: str, content: str) -> str:
    """Return ``sha256(prev_hash + content)`` as hex."""
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def entry_content(entry: AuditEntry) -> str:
    return canonical_content(
        id=entry.id,
        device=entry.origin_device,
        at=entry.at,
        staff_id=entry.staff_id,
        staff_name=entry.staff_name,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        resident_id=entry.resident_id,
        changes=entry.changes,
        deleted=entry.deleted,
    )


def encode_changes(changes: dict[str, tuple[Any, Any]]) -> str:
    """Return ``{field: [old, new]}`` as JSON, secret fields masked."""
    plain: dict[str, list[Any]] = {}
    for name, (old, new) in changes.items():
        if name in NOT_AUDITED:
            continue
        if name in SECRET_FIELDS:
            plain[name] = [MASK if old not in (None, "") else None, MASK if new not in (None, "") else None]
        else:
            plain[name] = [audit_value(old), audit_value(new)]
    return json.dumps(plain, ensure_ascii=False, sort_keys=True) if plain else ""


# --- the flush hook ------------------------------------------------------------------------------------


def record_flush(
    session: Session,
    clock: HybridLogicalClock,
    *,
    created: Sequence[Synced],
    changed: Sequence[tuple[Synced, dict[str, tuple[Any, Any]]]],
    removed: Sequence[object],
) -> None:
    """Append and seal the audit entries for one flush (called by the ``before_flush`` listener).

    Args:
        session: the flushing session; its ``info["actor_id"]`` is the acting staff member.
        clock: this device's clock; it orders the entries and names their device.
        created: the synced rows new in this flush (audit entries added by services among them).
        changed: the synced rows changed in this flush, each with ``{field: (old, new)}``.
        removed: the rows deleted outright in this flush.

    Raises:
        AuditTrailAppendOnly: an audit entry was changed or deleted.
    """
    entries: list[AuditEntry] = []
    for obj in created:
        if isinstance(obj, AuditEntry):
            entries.append(obj)
        else:
            values = {attr.key: (None, getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs}
            values = {k: v for k, v in values.items() if v[1] is not None and v[1] != ""}
            entries.append(_entry_for(obj, AuditAction.CREATE, values))
    for obj, changes in changed:
        if isinstance(obj, AuditEntry):
            raise AuditTrailAppendOnly("audit.append_only")
        action = AuditAction.UPDATE
        if "deleted" in changes:
            action = AuditAction.DELETE if changes["deleted"][1] else AuditAction.RESTORE
        if action is AuditAction.UPDATE and not (changes.keys() - NOT_AUDITED):
            continue
        entries.append(_entry_for(obj, action, changes))
    for gone in removed:
        if isinstance(gone, AuditEntry):
            raise AuditTrailAppendOnly("audit.append_only")
        if isinstance(gone, Synced):
            entries.append(_entry_for(gone, AuditAction.DELETE, {}))
    if not entries:
        return
    actor_id, actor_name = _actor(session)
    prev = _chain_head(session, clock.device)
    for entry in entries:
        if entry.staff_id is None and actor_id is not None:
            entry.staff_id = actor_id
            entry.staff_name = actor_name
        # one clock value per entry, in chain order, so the chain's order is its clock order
        entry.updated_at = clock.now()
        entry.origin_device = clock.device
        entry.deleted = False
        entry.prev_hash = prev
        entry.hash = prev = chain_hash(prev, entry_content(entry))
        session.add(entry)


def _entry_for(obj: Synced, action: AuditAction, changes: dict[str, tuple[Any, Any]]) -> AuditEntry:
    entity = str(getattr(obj, "__tablename__", type(obj).__name__.lower()))
    resident_id = obj.id if entity == "resident" else getattr(obj, "resident_id", None)
    return AuditEntry(
        action=action.value,
        entity=entity,
        entity_id=obj.id,
        resident_id=resident_id,
        changes=encode_changes(changes),
    )


def _actor(session: Session) -> tuple[str | None, str]:
    """Return the acting staff member's id and name (looked up once per session)."""
    actor_id: str | None = session.info.get("actor_id")
    if actor_id is None:
        return None, ""
    cached = session.info.get(ACTOR_NAME_KEY)
    if cached is not None and cached[0] == actor_id:
        return actor_id, str(cached[1])
    row = session.execute(text("SELECT name FROM staff WHERE id = :id"), {"id": actor_id}).first()
    name = str(row[0]) if row else ""
    session.info[ACTOR_NAME_KEY] = (actor_id, name)
    return actor_id, name


def _chain_head(session: Session, device: str) -> str:
    """Return the hash of this device's latest audit entry ("" if none): one query per flush."""
    row = session.execute(
        text("SELECT hash FROM auditentry WHERE origin_device = :d ORDER BY updated_at DESC, id DESC LIMIT 1"),
        {"d": device},
    ).first()
    return str(row[0]) if row else ""


# --- verification --------------------------------------------------------------------------------------

VERIFY_COLUMNS = (
    "id, origin_device, updated_at, at, staff_id, staff_name, action, entity, entity_id, resident_id, "
    "changes, prev_hash, hash, deleted"
)
VERIFY_SQL = f"SELECT {VERIFY_COLUMNS} FROM auditentry ORDER BY origin_device, updated_at, id"
"""The rows :func:`verify_chains` expects, in the order it expects them."""


class ChainProblemKind(StrEnum):
    EDITED = "edited"  # the entry's content or link no longer matches its hash
    MISSING_BEFORE = "missing_before"  # its link points at no entry: one before it was removed or replaced
    OUT_OF_ORDER = "out_of_order"  # its link points at another entry than the one before it
    CUT_OFF = "cut_off"  # a backup holds this entry, the database no longer does: the chain's end was removed


@dataclass(frozen=True)
class ChainProblem:
    """One break in a device's chain."""

    kind: ChainProblemKind
    device: str
    position: int  # 1-based, in the device's chain order
    entry_id: str
    at: str
    staff_name: str
    action: str
    entity: str
    entity_id: str


@dataclass
class DeviceChain:
    device: str
    entries: int = 0
    head: str = ""
    problems: list[ChainProblem] = field(default_factory=list)


@dataclass
class ChainsReport:
    """What :func:`verify_chains` found: each device's chain and its breaks."""

    chains: list[DeviceChain] = field(default_factory=list)
    anchor: str | None = None  # the backup the chains' ends were compared with ("": none usable; None: not tried)

    @property
    def entries(self) -> int:
        return sum(chain.entries for chain in self.chains)

    @property
    def problems(self) -> list[ChainProblem]:
        return [problem for chain in self.chains for problem in chain.problems]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chains(
    rows: Iterable[Sequence[Any]],
    find_hashes: Callable[[set[str]], set[str]],
) -> ChainsReport:
    """Check every device's hash chain.

    Args:
        rows: audit entries as :data:`VERIFY_SQL` returns them (grouped by device, in chain order);
            streamed, so a million entries need not be in memory at once.
        find_hashes: returns which of the given hashes belong to some entry (to tell a removed
            entry from a reordered one); called once, only if links are broken.

    Returns:
        The chains and their problems.
    """
    report = ChainsReport()
    chain: DeviceChain | None = None
    broken_links: list[tuple[str, ChainProblem]] = []
    expected_prev = ""
    for row in rows:
        (entry_id, device, _clock, at, staff_id, staff_name, action, entity, entity_id, resident_id,
         changes, prev_hash, stored_hash, deleted) = row  # fmt: skip
        if chain is None or chain.device != device:
            chain = DeviceChain(device)
            report.chains.append(chain)
            expected_prev = ""
        chain.entries += 1
        content = canonical_content(
            id=entry_id, device=device, at=at, staff_id=staff_id, staff_name=staff_name, action=action,
            entity=entity, entity_id=entity_id, resident_id=resident_id, changes=changes, deleted=bool(deleted),
        )  # fmt: skip
        if chain_hash(prev_hash, content) != stored_hash:
            chain.problems.append(_problem(ChainProblemKind.EDITED, row, chain.entries))
        elif prev_hash != expected_prev:
            broken = _problem(ChainProblemKind.MISSING_BEFORE, row, chain.entries)
            chain.problems.append(broken)
            broken_links.append((prev_hash, broken))
        expected_prev = stored_hash
        chain.head = stored_hash
    if broken_links:
        known = find_hashes({prev for prev, _ in broken_links if prev})
        chains = {chain.device: chain for chain in report.chains}
        for prev, broken in broken_links:
            if prev in known:
                problems = chains[broken.device].problems
                problems[problems.index(broken)] = replace(broken, kind=ChainProblemKind.OUT_OF_ORDER)
    return report


LAST_ENTRIES_SQL = (
    f"SELECT {VERIFY_COLUMNS}, position FROM (SELECT {VERIFY_COLUMNS}, "
    "ROW_NUMBER() OVER (PARTITION BY origin_device ORDER BY updated_at, id) AS position, "
    "ROW_NUMBER() OVER (PARTITION BY origin_device ORDER BY updated_at DESC, id DESC) AS from_end "
    "FROM auditentry) AS ranked WHERE from_end = 1"
)
"""Each device's last audit entry (as :data:`VERIFY_SQL` columns) and its position in the chain."""


def check_chain_ends(
    report: ChainsReport,
    anchor_last_entries: Iterable[Sequence[Any]],
    find_hashes: Callable[[set[str]], set[str]],
    *,
    anchor: str,
) -> None:
    """Add a CUT_OFF problem for each device whose last entry in an older copy (a backup) is gone.

    A hash chain alone cannot show that entries were removed from its end; a copy made earlier can:
    every entry the copy holds must still be in the database.

    Args:
        report: the database's report from :func:`verify_chains`, completed in place.
        anchor_last_entries: the copy's :data:`LAST_ENTRIES_SQL` rows.
        find_hashes: which of the given hashes the database holds.
        anchor: the copy's name, for the report.
    """
    last = list(anchor_last_entries)
    report.anchor = anchor
    present = find_hashes({row[12] for row in last})
    chains = {chain.device: chain for chain in report.chains}
    for row in last:
        if row[12] in present:
            continue
        device = row[1]
        if device not in chains:
            chains[device] = DeviceChain(device)
            report.chains.append(chains[device])
        chains[device].problems.append(_problem(ChainProblemKind.CUT_OFF, row, int(row[-1])))


def _problem(kind: ChainProblemKind, row: Sequence[Any], position: int) -> ChainProblem:
    entry_id, device, _clock, at, _staff_id, staff_name, action, entity, entity_id = row[:9]
    return ChainProblem(kind, device, position, entry_id, canonical_time(at), staff_name, action, entity, entity_id)
