"""Apply the rows of a sync package to the database, inside the caller's transaction.

Rows absent here are inserted as they are (clocks kept); rows present are merged field by field
(:func:`app.sync.merge.merge_row`). Conflicts, duplicate residents and rows that must wait for records
not received yet are collected for the summary. The rows are read and written in batches by the store's
``sync_*`` query modules on sync's own connection.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.i18n import register
from app.domain.validation import UNSAFE_CONTROLS
from app.services.sync.tables import REQUIRED_COLUMNS, TableSpec
from app.store.audit import AuditAction, canonical_content, chain_hash
from app.store.queries import sync_audit, sync_conflicts, sync_rows
from app.store.queries.sync_base import SyncConnection
from app.sync.errors import PackageRefused
from app.sync.merge import DELETED, FieldConflict, merge_row
from app.sync.vectors import device_of

DUPLICATE_FIELD = "id_number"
RESIDENT_TABLE = "resident"
BED_TABLE = "family_bed"
TWO_BEDS_FIELD = "open_bed"
"""The ``field`` of a conflict recording two open family beds of one resident (one open bed per resident):
``entity_id`` the bed opened later, ``kept_value`` and ``other_value`` the two beds' ids (JSON)."""
AUDIT_TABLE = "auditentry"

register(
    {
        "sync.audit_rewritten": {
            "zh_CN": "文件 {path} 要改写本机已有的审计日志条目（设备 {device} 的条目 {entry}），已拒绝导入，"
            "本机未做任何更改。审计日志只能追加；请联系管理员核查该文件的来源。",
            "en": "The file {path} would rewrite an audit entry this database already holds (entry {entry} of "
            "device {device}); it was refused and nothing was changed. The audit trail is append-only; ask the "
            "administrator to check where the file came from.",
        },
        "sync.audit_forged": {
            "zh_CN": "文件 {path} 中设备 {device} 的审计日志条目 {entry} 与其校验值不符（被修改过），已拒绝导入，"
            "本机未做任何更改。",
            "en": "In the file {path}, audit entry {entry} of device {device} does not match its seal (it was "
            "changed); the file was refused and nothing was changed.",
        },
        "sync.audit_unlinked": {
            "zh_CN": "文件 {path} 中设备 {device} 的审计日志条目 {entry} 接不上本机已有的审计链（前一条不符），"
            "已拒绝导入，本机未做任何更改。",
            "en": "In the file {path}, audit entry {entry} of device {device} does not continue that device's "
            "audit chain held here (it links to another entry); the file was refused and nothing was changed.",
        },
    }
)


class AuditHistoryRefused(PackageRefused):
    """A package would change an audit entry, carries one whose seal is broken, or one that forks a chain."""


@dataclass
class TableCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ApplyResult:
    """What applying a package did (before the transaction is committed)."""

    tables: dict[str, TableCounts] = field(default_factory=dict)
    conflicts: int = 0
    duplicates: int = 0
    superseded: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    removed: set[str] = field(default_factory=set)
    inserted: dict[str, set[str]] = field(default_factory=dict)
    before: dict[str, dict[str, tuple[Any, ...]]] = field(default_factory=dict)

    def counts(self, table: str) -> TableCounts:
        return self.tables.setdefault(table, TableCounts())

    @property
    def new(self) -> int:
        return sum(c.new for c in self.tables.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.tables.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.tables.values())


def encode_value(value: Any) -> str:
    """Store a field value in a conflict record so it can be put back exactly (JSON)."""
    return json.dumps(value, ensure_ascii=False)


class PackageApplier:
    """Merge package chunks into the database on ``connection`` (an open transaction).

    Args:
        connection: the sync connection, inside its write transaction (it holds the write lock).
        specs: the synced tables by name.
        package_id: recorded with each conflict.
        local_knows: this database's knowledge before the import (own clock included).
        sender_knows: the knowledge the sender declared.
    """

    def __init__(
        self,
        connection: SyncConnection,
        specs: Mapping[str, TableSpec],
        *,
        package_id: str,
        local_knows: Mapping[str, str],
        sender_knows: Mapping[str, str],
        path: object = "",
    ) -> None:
        self.connection = connection
        self.specs = specs
        self.package_id = package_id
        self.local_knows = local_knows
        self.sender_knows = sender_knows
        self.path = path
        self.result = ApplyResult()
        self._empty: dict[str, bool] = {}
        self._open_conflicts = sync_conflicts.open_conflict_keys(connection)
        self._touched_residents: set[str] = set()
        self._touched_beds: set[str] = set()
        self._new_audit: dict[str, dict[str, tuple[str, str]]] = {}  # device -> new entry id -> (clock, id)

    # --- chunks ----------------------------------------------------------------------------------------

    def apply_chunk(self, chunk: Any) -> int:
        """Apply one chunk ``{"table", "columns", "rows"}``; return the number of rows in it.

        Raises:
            PackageRefused: the chunk does not describe rows of a known synced table.
        """
        try:
            table, columns, rows = chunk["table"], tuple(chunk["columns"]), chunk["rows"]
        except (KeyError, TypeError):
            raise PackageRefused("sync.damaged", path=self.path) from None
        spec = self.specs.get(table)
        if (
            spec is None
            or not set(columns) <= set(spec.columns)
            or not set(REQUIRED_COLUMNS) <= set(columns)
            or len(set(columns)) != len(columns)
            or not isinstance(rows, list)
            or any(not isinstance(row, list) or len(row) != len(columns) for row in rows)
        ):
            raise PackageRefused("sync.damaged", path=self.path)
        for start in range(0, len(rows), 20_000):
            part = rows[start : start + 20_000]
            self._refuse_unsafe_text(spec.name, columns, part)
            self._apply_rows(spec, columns, part)
        return len(rows)

    def _refuse_unsafe_text(self, table: str, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
        """Refuse the package when a text holds a control character no input of the app lets through.

        Every screen and command strips them (:func:`app.domain.validation.strip_controls`), so one arriving in
        a package was written around the app: a forged file, or a device that was tampered with. Stripping it
        here would change a value its clocks and the audit chain vouch for; the import is refused instead,
        naming the row and field, and nothing is written. One search per column of each block of rows.
        """
        for position, column in enumerate(columns):
            texts = [row[position] for row in rows if isinstance(row[position], str)]
            if not texts or not UNSAFE_CONTROLS.search("\n".join(texts)):
                continue
            for row in rows:
                value = row[position]
                if isinstance(value, str) and UNSAFE_CONTROLS.search(value):
                    raise PackageRefused(
                        "sync.unsafe_text", path=self.path, table=table, row=row[columns.index("id")], field=column
                    )

    def _is_empty(self, table: str) -> bool:
        if table not in self._empty:
            self._empty[table] = sync_rows.is_empty(self.connection, table)
        return self._empty[table]

    def _apply_rows(self, spec: TableSpec, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
        counts = self.result.counts(spec.name)
        id_at = columns.index("id")
        if columns == spec.columns:
            complete: Callable[[list[Any]], Sequence[Any]] = lambda row: row  # noqa: E731
        else:
            positions = [columns.index(c) if c in columns else -1 for c in spec.columns]
            defaults = [spec.defaults.get(c) for c in spec.columns]

            def complete(row: list[Any]) -> Sequence[Any]:
                return [row[p] if p >= 0 else d for p, d in zip(positions, defaults, strict=True)]

        local: dict[str, tuple[Any, ...]] = {}
        if not self._is_empty(spec.name):
            local = sync_rows.rows_by_id(self.connection, spec.name, spec.columns, [row[id_at] for row in rows])
        inserts: list[Sequence[Any]] = []
        updates: list[tuple[Any, ...]] = []
        inserted = self.result.inserted.setdefault(spec.name, set())
        before = self.result.before.setdefault(spec.name, {})
        projection = [spec.columns.index(c) for c in columns]
        for row in rows:
            row_id = row[id_at]
            existing = local.get(row_id)
            if existing is None:
                if row_id in inserted:
                    raise PackageRefused("sync.damaged", path=self.path)  # the same row twice in one file
                inserts.append(complete(row))
                inserted.add(row_id)
                continue
            if [existing[i] for i in projection] == row:
                counts.unchanged += 1
                continue
            if spec.name == AUDIT_TABLE:  # append-only: an entry held here is never changed by a package
                self._refuse_audit("sync.audit_rewritten", dict(zip(spec.columns, existing, strict=True)))
            merged = self._merge(spec, columns, existing, row)
            if merged is None:
                counts.unchanged += 1
                continue
            before.setdefault(row_id, existing)
            updates.append((*merged[1:], row_id))
            counts.updated += 1
        if inserts and spec.name == AUDIT_TABLE:
            self._check_seals(spec, inserts)
        if inserts:
            sync_rows.insert_rows(self.connection, spec.name, spec.columns, inserts)
            counts.new += len(inserts)
            if spec.name == RESIDENT_TABLE:
                self._touched_residents.update(row[0] for row in inserts)
            if spec.name == BED_TABLE:
                self._touched_beds.update(row[0] for row in inserts)
        if updates:
            sync_rows.update_rows(self.connection, spec.name, spec.columns, updates)

    # --- the audit trail: append-only, sealed, one unbroken chain per device ---------------------------------

    def _refuse_audit(self, key: str, entry: Mapping[str, Any]) -> None:
        raise AuditHistoryRefused(
            key, path=self.path, device=str(entry.get("origin_device", ""))[:8], entry=str(entry.get("id", ""))[:8]
        )

    def _check_seals(self, spec: TableSpec, inserts: Sequence[Sequence[Any]]) -> None:
        """Refuse new entries whose hash does not seal their content; remember them for the chain check."""
        for values in inserts:
            entry = dict(zip(spec.columns, values, strict=True))
            try:
                content = canonical_content(
                    id=entry["id"], device=entry["origin_device"], at=entry["at"], staff_id=entry["staff_id"],
                    staff_name=entry["staff_name"], action=entry["action"], entity=entry["entity"],
                    entity_id=entry["entity_id"], resident_id=entry["resident_id"], changes=entry["changes"],
                    deleted=bool(entry["deleted"]),
                )  # fmt: skip
                sealed = chain_hash(str(entry["prev_hash"]), content) == entry["hash"]
            except (KeyError, TypeError, ValueError):
                sealed = False
            if not sealed or entry["deleted"]:
                self._refuse_audit("sync.audit_forged", entry)
            self._new_audit.setdefault(entry["origin_device"], {})[entry["id"]] = (entry["updated_at"], entry["id"])

    def check_audit_chains(self) -> None:
        """Refuse the package if a new audit entry breaks its device's chain as held here.

        Walks each device's chain in chain order (clock, id) from the entry before the first new one. Where a
        new entry meets its neighbour, the later one must link to the earlier one — or to no entry held here:
        a gap, which files arriving out of order leave until the entries before it come (``audit verify``
        reports a gap that never fills). Linking to another entry held here is a fork or a reordering; a
        second first entry (empty link) where entries come before it is a fork too. A ``database_restored``
        entry may link to any entry of its device (the device went back to a backup and went on from there).

        Raises:
            AuditHistoryRefused: naming the first new entry that breaks the chain.
        """
        for device, new in self._new_audit.items():
            first_clock, first_id = min(new.values())
            before = sync_audit.entry_before(self.connection, device, first_clock, first_id)
            rows = sync_audit.entries_from(self.connection, device, first_clock, first_id)
            unlinked: list[tuple[str, str, bool]] = []  # (the new entry to blame, the link found, may link anywhere)
            previous = before
            for entry_id, prev_hash, entry_hash, action in rows:
                prev_is_new = previous is not None and previous[0] in new
                if entry_id in new or prev_is_new:
                    expected = previous[2] if previous is not None else ""
                    if prev_hash != expected:
                        blamed = entry_id if entry_id in new or previous is None else str(previous[0])
                        restored = entry_id in new and action == AuditAction.DATABASE_RESTORED.value
                        unlinked.append((blamed, prev_hash, restored))
                previous = (entry_id, prev_hash, entry_hash, action)
            if not unlinked:
                continue
            held = sync_audit.held_hashes(self.connection, device, {link for _, link, _ in unlinked if link})
            for blamed, link, restored in unlinked:
                if restored:
                    continue
                if link == "" or link in held:  # a second start of the chain, or a link past its neighbour
                    self._refuse_audit("sync.audit_unlinked", {"origin_device": device, "id": blamed})

    def _merge(
        self, spec: TableSpec, columns: tuple[str, ...], existing: tuple[Any, ...], row: list[Any]
    ) -> tuple[Any, ...] | None:
        local = dict(zip(spec.columns, existing, strict=True))
        incoming = dict(zip(columns, row, strict=True))
        outcome = merge_row(local, incoming, local_knows=self.local_knows, sender_knows=self.sender_knows)
        entity_id = local["id"]
        for conflict in outcome.conflicts:
            self._record_conflict(spec.name, entity_id, conflict)
        if outcome.values is None:
            return None
        if (spec.name, entity_id) in self._open_conflicts and outcome.advanced:
            self._supersede(spec.name, entity_id, outcome.values, outcome.advanced)
        if spec.name == RESIDENT_TABLE and (DUPLICATE_FIELD in outcome.changed or DELETED in outcome.changed):
            self._touched_residents.add(entity_id)
        if spec.name == BED_TABLE and {"closed_on", "resident_id", DELETED} & set(outcome.changed):
            self._touched_beds.add(entity_id)
        return tuple(outcome.values[c] for c in spec.columns)

    # --- conflicts -----------------------------------------------------------------------------------

    def _record_conflict(self, entity: str, entity_id: str, conflict: FieldConflict) -> None:
        if sync_conflicts.conflict_recorded(
            self.connection,
            entity_id=entity_id,
            field=conflict.field,
            kept_clock=conflict.kept_clock,
            other_clock=conflict.other_clock,
        ):
            return
        self._insert_conflict(
            entity,
            entity_id,
            conflict.field,
            (encode_value(conflict.kept_value), conflict.kept_clock, device_of(conflict.kept_clock)),
            (encode_value(conflict.other_value), conflict.other_clock, device_of(conflict.other_clock)),
        )
        self._open_conflicts.add((entity, entity_id))
        self.result.conflicts += 1

    def _insert_conflict(
        self,
        entity: str,
        entity_id: str,
        field_name: str,
        kept: tuple[str, str, str],
        other: tuple[str, str, str],
    ) -> None:
        sync_conflicts.insert_conflict(
            self.connection,
            entity=entity,
            entity_id=entity_id,
            field=field_name,
            kept=kept,
            other=other,
            package_id=self.package_id,
        )

    def _supersede(self, entity: str, entity_id: str, values: Mapping[str, Any], changed: Iterable[str]) -> None:
        """Close open conflicts on fields that a later edit (from anywhere) has since overwritten."""
        clocks = json.loads(values["field_clocks"]) if values.get("field_clocks") else {}
        for name in changed:
            clock = clocks.get(name, "")
            self.result.superseded += sync_conflicts.supersede_older(
                self.connection, entity=entity, entity_id=entity_id, field=name, clock=clock
            )

    # --- duplicates ----------------------------------------------------------------------------------------

    def flag_duplicates(self) -> None:
        """Record each pair of living residents that share an ID number, once.

        Only residents this import inserted or changed are looked at.
        """
        found = sync_conflicts.id_numbers_of(self.connection, list(self._touched_residents))
        numbers = {number for number, deleted in found if number and not deleted}
        for number in sync_conflicts.shared_id_numbers(self.connection, sorted(numbers)):
            people = sync_conflicts.living_with_id_number(self.connection, number)
            for other in people[1:]:
                self._record_duplicate(people[0], other)

    def close_settled_duplicates(self) -> None:
        """Close open duplicate conflicts whose residents were merged or corrected (here or elsewhere)."""
        rows = sync_conflicts.open_conflicts_on(self.connection, entity=RESIDENT_TABLE, field=DUPLICATE_FIELD)
        for conflict_id, entity_id, kept, other in rows:
            if other != encode_value(entity_id):
                continue  # a field conflict on the ID number, not a duplicate
            if sync_conflicts.living_pair(self.connection, json.loads(kept), json.loads(other)) != (2, 1):
                sync_conflicts.close_superseded(self.connection, conflict_id)
                self.result.superseded += 1

    def _record_duplicate(self, first: tuple[str, str, str], other: tuple[str, str, str]) -> None:
        if sync_conflicts.pair_recorded(
            self.connection,
            entity=RESIDENT_TABLE,
            field=DUPLICATE_FIELD,
            first=(other[0], encode_value(first[0])),
            second=(first[0], encode_value(other[0])),
        ):
            return
        self._insert_conflict(
            RESIDENT_TABLE,
            other[0],
            DUPLICATE_FIELD,
            (encode_value(first[0]), first[1], first[2]),
            (encode_value(other[0]), other[1], other[2]),
        )
        self.result.duplicates += 1

    # --- two open family beds of one resident ----------------------------------------------------------------

    def flag_two_open_beds(self) -> None:
        """Record each family bed open for a resident who has an earlier one open too, once (one open bed per
        resident: two devices apart may each have opened one). Only residents of beds this import inserted,
        closed, reopened or removed are looked at."""
        if not self._touched_beds:
            return
        residents = sync_conflicts.residents_of_beds(self.connection, sorted(self._touched_beds))
        first: tuple[str, str, str, str] | None = None
        for bed in sync_conflicts.open_beds_of_residents(self.connection, residents):
            if first is None or first[0] != bed[0]:
                first = bed
                continue
            if sync_conflicts.pair_recorded(
                self.connection,
                entity=BED_TABLE,
                field=TWO_BEDS_FIELD,
                first=(bed[1], encode_value(first[1])),
                second=(first[1], encode_value(bed[1])),
            ):
                continue
            self._insert_conflict(
                BED_TABLE,
                bed[1],
                TWO_BEDS_FIELD,
                (encode_value(first[1]), first[2], first[3]),
                (encode_value(bed[1]), bed[2], bed[3]),
            )
            self.result.conflicts += 1

    def close_settled_open_beds(self) -> None:
        """Close the open two-beds conflicts of which one bed is no longer open (closed or removed, anywhere)."""
        rows = sync_conflicts.open_conflicts_on(self.connection, entity=BED_TABLE, field=TWO_BEDS_FIELD)
        for conflict_id, entity_id, kept, _other in rows:
            if sync_conflicts.open_bed_count(self.connection, [str(json.loads(kept)), entity_id]) < 2:
                sync_conflicts.close_superseded(self.connection, conflict_id)
                self.result.superseded += 1

    # --- records that must wait -----------------------------------------------------------------------------

    def set_aside_orphans(self) -> None:
        """Take back rows of this import that refer to records this database does not have.

        Called when the commit fails on a deferred foreign key: such rows come from a file that skipped
        changes this device never received (another device's file, or one made before a lost file).
        They are left out — new rows removed, merged rows put back as they were — and counted as
        rejected; the sender's next file carries them again, because this device's knowledge is not
        advanced when anything was rejected.

        Raises:
            PackageRefused: a violation this import did not cause (the database was already inconsistent).
        """
        for _ in range(100):
            violations = sync_rows.foreign_key_violations(self.connection)
            if not violations:
                return
            for table, row_id in violations:
                spec = self.specs.get(table)
                if spec is None or row_id is None:
                    raise PackageRefused("sync.damaged", path=self.path)
                if row_id in self.result.inserted.get(table, set()):
                    sync_rows.delete_row(self.connection, table, row_id)
                    self.result.inserted[table].discard(row_id)
                    self.result.counts(table).new -= 1
                elif row_id in self.result.before.get(table, {}):
                    old = self.result.before[table].pop(row_id)
                    sync_rows.update_rows(self.connection, table, spec.columns, [(*old[1:], row_id)])
                    self.result.counts(table).updated -= 1
                else:
                    raise PackageRefused("sync.damaged", path=self.path)
                self.result.rejected[table] += 1
                self.result.removed.add(row_id)
        raise PackageRefused("sync.damaged", path=self.path)

    def forget_conflicts_of_removed(self) -> None:
        """Drop the conflicts this import recorded about rows it then had to leave out."""
        for row_id in self.result.removed:
            forgotten = sync_conflicts.forget_conflicts_about(
                self.connection, package_id=self.package_id, row_id=row_id, encoded_id=encode_value(row_id)
            )
            if forgotten:
                self.result.conflicts = max(0, self.result.conflicts - forgotten)
