"""Sync by file — 同步: export a package for the other devices, import theirs (DESIGN §6).

``export_package`` writes every change the center's other devices have not acknowledged (or
everything, with ``full``), encrypted with the center key, and re-reads the file before saying it is
safe to unplug. ``import_package`` checks a file completely before touching anything, takes a backup,
then merges it in one transaction: run twice it does nothing the second time ("already imported"), and
files may come in any order. See ``docs/sync.md`` for the format and the merge rules.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Protocol

from app import __version__
from app.domain.permissions import Action
from app.services.authz import require
from app.services.output_files import OutputKind, check_output
from app.services.sync.apply import PackageApplier
from app.services.sync.state import (
    LocalState,
    ensure_center_key,
    load_state,
    record_peer,
    remember_names,
    save_self,
)
from app.services.sync.tables import spec_by_name, table_specs
from app.store.backup import DurableBackup, PendingBackup, start_backup, timestamped_name
from app.store.database import Database, backups_dir_for
from app.store.migrations import head_revision, known_revisions
from app.store.private_files import restrict_to_owner
from app.store.queries import sync_rows, sync_state
from app.store.queries.sync_base import SyncConnection
from app.store.queries.sync_connection import checkpoint_quietly, sync_connection
from app.store.uow import UnitOfWork
from app.sync.clock import Timestamp
from app.sync.errors import PackageRefused
from app.sync.package import (
    KIND_JOIN,
    KIND_SYNC,
    Header,
    OpenedPackage,
    PayloadWriter,
    authenticate,
    open_package,
    read_json_chunks,
    verify_written,
    write_package,
)
from app.sync.vectors import covers, join, lowest, row_needed

log = logging.getLogger(__name__)

EXPORT_CHUNK_ROWS = 20_000
KEEP_IMPORT_BACKUPS = 3
"""Backups taken before imports that are kept; older ones are removed (the daily backups stay)."""
PACKAGE_SUFFIX = ".crsync"


class Progress(Protocol):
    """What long sync work reports to and polls (the UI's CancelToken fits)."""

    def report(self, done: int, total: int) -> None: ...

    def raise_if_cancelled(self) -> None: ...


class _NoProgress:
    def report(self, done: int, total: int) -> None:
        pass

    def raise_if_cancelled(self) -> None:
        pass


@dataclass(frozen=True)
class ExportSummary:
    """A package written and verified."""

    path: Path
    package_id: str
    full: bool
    counts: dict[str, int]
    size: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ImportSummary:
    """What importing a package did.

    Attributes:
        already_imported: the package had been imported before; nothing changed.
        new, updated, unchanged: rows inserted, merged with a change, and already up to date.
        conflicts: concurrent edits of one field recorded for review.
        duplicates: residents now present twice with one ID number, flagged for merging.
        rejected: rows left out because they refer to records not received yet (exit code 1).
        complete: the file left no gap, so this device now acknowledges everything its sender had.
        tables: ``{table: {"new": n, "updated": n}}`` for tables with changes.
        backup: the backup taken before the import: complete before the import committed, and under this
            name once it is flushed to disk, a moment later (:func:`app.store.backup.wait_for_pending_backups`).
    """

    path: Path
    package_id: str
    source_device: str
    source_name: str
    already_imported: bool = False
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    duplicates: int = 0
    rejected: int = 0
    complete: bool = True
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    backup: Path | None = None


@cache
def schema_revisions() -> tuple[str, frozenset[str]]:
    """Return this version's schema head and every revision it knows (read once: Alembic parses files)."""
    return head_revision(), frozenset(known_revisions())


def check_permission(uow: UnitOfWork, action: Action) -> None:
    """Refuse when a signed-in staff member's role may not do ``action`` (scripts, signed out, may).

    Raises:
        PermissionDenied: the role may not.
    """
    if uow.actor_id is None:
        return
    with uow.reading() as uow:
        require(uow, action)


# --- export -------------------------------------------------------------------------------------------------


def package_file_name(state: LocalState, *, now: datetime | None = None) -> str:
    """Return a file name that says whose and when: ``SFKN01-护士站笔记本-20261122-1430-1a2b3c.crsync``."""
    moment = (now or datetime.now()).strftime("%Y%m%d-%H%M")
    device = re.sub(r"[^\w-]+", "_", state.device_name or "").strip("_") or state.device_id[:8]
    code = re.sub(r"[^\w-]+", "_", state.center_code or "center")
    return f"{code}-{device}-{moment}-{uuid.uuid4().hex[:6]}{PACKAGE_SUFFIX}"


def export_package(
    uow: UnitOfWork,
    *,
    out: Path,
    full: bool = False,
    token: Progress | None = None,
    force: bool = False,
    force_hint: bool = False,
) -> ExportSummary:
    """Write a sync package with what the other devices have not acknowledged (or everything).

    Args:
        out: the file to write, or an existing folder (a USB stick) to write a new file into.
        full: carry every row, whatever was acknowledged.
        token: receives progress and may cancel (then no file is left behind).
        force, force_hint: replace an existing file of another kind (never a database); suggest ``--force``
            in the refusal (see :func:`app.services.output_files.check_output`).

    Returns:
        Where the file went and what it holds, after it was read back and verified.

    Raises:
        PackageRefused: the database has no center, or the file did not read back correctly.
        OutputRefused: ``out`` is the database, a database, or an existing file of another kind.
        OSError: the file cannot be written.
    """
    progress = token or _NoProgress()
    database = uow.database
    check_permission(uow, Action.SYNC)
    with sync_connection(database) as connection:
        state = load_state(connection)
        if not state.center_id:
            raise PackageRefused("sync.no_center")
        key = ensure_center_key(connection, state)
        target = Path(out)
        if target.is_dir():
            target = target / package_file_name(state)
        check_output(
            target,
            kind=OutputKind.SYNC,
            database=database.path,
            center_id=state.center_id,
            force=force,
            force_hint=force_hint,
        )
        package_id = str(uuid.uuid4())
        export_clock = _reserve_export_clock(connection, database, state)
        with connection.snapshot():
            header, payload = _collect(connection, state, key, package_id, export_clock, full=full, progress=progress)
        progress.raise_if_cancelled()
        size = write_package(target, header, key, payload)
        restrict_to_owner(target)  # Windows: a user-only ACL (packages are health data)
        verify_written(target, key, header)
        with connection.writing():
            save_self(connection, state, export_clock=header.export_clock)
            sync_state.add_log(
                connection,
                direction="export",
                package_id=package_id,
                peer="",
                path=target,
                counts={"tables": header.counts, "full": header.full, "bytes": size, "clock": header.export_clock},
            )
            sync_state.persist_clock(connection, database, state.device_id)
    return ExportSummary(target, package_id, header.full, dict(header.counts), size)


def _collect(
    connection: SyncConnection,
    state: LocalState,
    key: bytes,
    package_id: str,
    export_clock: str,
    *,
    full: bool,
    progress: Progress,
) -> tuple[Header, list[bytes]]:
    """Read the rows to send inside the caller's read transaction and seal them in chunks."""
    since = None if full else state.since()
    floor = lowest(since) if since is not None else ""
    specs = table_specs()
    changed_after = None if since is None else floor
    totals = {spec.name: sync_rows.count_rows(connection, spec.name, changed_after=changed_after) for spec in specs}
    total = sum(totals.values())
    writer = PayloadWriter(key, package_id)
    counts: dict[str, int] = {}
    clock_from, clock_to, done = "", "", 0
    for spec in specs:
        if not totals[spec.name]:
            continue
        updated_at, field_clocks = spec.columns.index("updated_at"), spec.columns.index("field_clocks")
        for batch in sync_rows.row_batches(
            connection, spec.name, spec.columns, changed_after=changed_after, size=EXPORT_CHUNK_ROWS
        ):
            progress.raise_if_cancelled()
            done += len(batch)
            if since is not None:
                batch = [row for row in batch if row_needed(row[updated_at], row[field_clocks], since)]
            if batch:
                low = min(row[updated_at] for row in batch)
                high = max(row[updated_at] for row in batch)
                clock_from = low if not clock_from else min(clock_from, low)
                clock_to = max(clock_to, high)
                counts[spec.name] = counts.get(spec.name, 0) + len(batch)
                writer.add_json({"table": spec.name, "columns": spec.columns, "rows": batch})
            progress.report(done, total)
    header = Header(
        kind=KIND_SYNC,
        schema=schema_revisions()[0],
        center_id=state.center_id,
        center_name=state.center_name,
        source_device=state.device_id,
        source_name=state.device_name,
        package_id=package_id,
        app_version=__version__,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        clock_from=clock_from,
        clock_to=clock_to,
        export_clock=export_clock,
        full=since is None,
        since=since,
        knowledge=state.knows(export_clock),
        devices=state.names(),
        counts=counts,
    )
    if state.joined_via:
        header.extra["joined_via"] = state.joined_via
    return header, writer.finish()


def _reserve_export_clock(connection: SyncConnection, database: Database, state: LocalState) -> str:
    """Return the export's clock value, stored as the device's last clock before the export's snapshot.

    The package says "this device's changes up to this value". Every writer moves its clock past the stored
    value under the write lock (another window or command of this device included), so nothing committed
    after the snapshot can carry a lower value and be skipped by the next export.
    """
    with connection.writing():
        sync_state.catch_up_clock(connection, database, state.device_id)
        export_clock = database.clock.now()
        sync_state.persist_clock(connection, database, state.device_id)
    return export_clock


# --- import -------------------------------------------------------------------------------------------------


def check_package(uow: UnitOfWork, *, path: Path) -> Header:
    """Check a sync package completely without importing it; return its header.

    Raises:
        PackageRefused: why it cannot be imported here.
    """
    with sync_connection(uow.database) as connection:
        state = load_state(connection)
        package = _opened_for(state, path)
        return package.header


def _opened_for(state: LocalState, path: Path) -> OpenedPackage:
    package = open_package(path)
    header = package.header
    if header.kind == KIND_JOIN:
        raise PackageRefused("sync.is_join_package")
    if header.kind != KIND_SYNC:
        raise PackageRefused("sync.damaged", path=path)
    if not state.center_id:
        raise PackageRefused("sync.no_center")
    if header.center_id != state.center_id:
        raise PackageRefused("sync.other_center", name=header.center_name or header.center_id)
    if state.key is None:
        raise PackageRefused("sync.no_key")
    authenticate(package, state.key)
    if header.schema not in schema_revisions()[1]:
        raise PackageRefused("sync.newer_schema", found=header.schema)
    if header.source_device == state.device_id:
        raise PackageRefused("sync.own_package")
    try:
        for clock in (header.export_clock, *header.knowledge.values(), *(header.since or {}).values()):
            if clock:
                Timestamp.decode(clock)
    except (ValueError, AttributeError):
        raise PackageRefused("sync.damaged", path=path) from None
    return package


def import_package(uow: UnitOfWork, *, path: Path, token: Progress | None = None, backup: bool = True) -> ImportSummary:
    """Import a sync package: check it, back up the database, merge it in one transaction.

    Args:
        path: the ``.crsync`` file.
        token: receives progress and may cancel (the database then stays as it was).
        backup: take a backup before the import (tests of merging alone switch it off).

    Returns:
        What changed; ``already_imported`` if this package was imported before (nothing changes).

    Raises:
        PackageRefused: the file is not a package of this center, is damaged, too new, ...; nothing changed.
    """
    progress = token or _NoProgress()
    database = uow.database
    path = Path(path)
    check_permission(uow, Action.SYNC)
    with sync_connection(database) as connection:
        state = load_state(connection)
        package = _opened_for(state, path)
        header = package.header
        assert state.key is not None
        summary = ImportSummary(path, header.package_id, header.source_device, header.source_name)
        if sync_state.is_imported(connection, header.package_id):
            return ImportSummary(**{**summary.__dict__, "already_imported": True})
        # the copy is pinned to the state before the import and written while the merge runs; the import
        # commits only once every byte is copied, and the copy is flushed and renamed right after the commit
        # (a server center has no file to copy: it is backed up by pg_dump, `backup create`, docs/postgresql.md)
        backup = backup and not database.is_server
        pending = _start_backup_before_import(database, header.package_id) if backup else None
        if pending is not None:
            _defer_syncs(connection)
        committed = False
        try:
            connection.begin_writing()
            # what this device knows, and its clock, as they are under the write lock (another window or
            # command may have imported or written meanwhile)
            state = load_state(connection)
            if sync_state.is_imported(connection, header.package_id):  # by another window or command meanwhile
                connection.rollback()
                if pending is not None:
                    pending.abandon()
                    _restore_syncs(connection)
                    pending = None
                return ImportSummary(**{**summary.__dict__, "already_imported": True})
            assert state.key is not None
            sync_state.catch_up_clock(connection, database, state.device_id)
            database.clock.observe(header.export_clock)
            own_clock = database.clock.now()
            local_knows = state.knows(own_clock)
            connection.defer_foreign_keys()
            applier = PackageApplier(
                connection,
                spec_by_name(),
                package_id=header.package_id,
                local_knows=local_knows,
                sender_knows=header.knowledge,
                path=path,
            )
            total, done = sum(header.counts.values()), 0
            for chunk in read_json_chunks(package, state.key):
                progress.raise_if_cancelled()
                done += applier.apply_chunk(chunk)
                progress.report(done, total)
            applier.check_audit_chains()
            applier.flag_duplicates()
            applier.close_settled_duplicates()
            applier.flag_two_open_beds()
            applier.close_settled_open_beds()
            _bookkeeping(connection, database, state, header, applier, path)
            if pending is not None:
                pending.wait_copied()  # a failed copy raises here: nothing is imported without its backup
            database.check_file()  # deleted or replaced meanwhile: nothing is imported into a file nobody sees
            if not connection.try_commit():  # a deferred foreign key: rows that refer to records not here
                applier.set_aside_orphans()
                applier.forget_conflicts_of_removed()
                _bookkeeping(connection, database, state, header, applier, path)
                connection.commit()
            committed = True
        except BaseException:
            connection.rollback_if_open()
            if pending is not None and not committed:
                pending.abandon()  # nothing was imported: the copy of the unchanged database is not needed
            raise
        finally:
            if pending is not None:
                _restore_syncs(connection)
                if committed:
                    _save_backup_after_import(database, pending)
    if result_has_accounts(applier):
        database.refresh_key_file()  # passwords changed or accounts added elsewhere: rewrap the key for them
    result = applier.result
    rejected = sum(result.rejected.values())
    return ImportSummary(
        path,
        header.package_id,
        header.source_device,
        header.source_name,
        new=result.new,
        updated=result.updated,
        unchanged=result.unchanged,
        conflicts=result.conflicts,
        duplicates=result.duplicates,
        rejected=rejected,
        complete=_advances(state, header, rejected),
        tables={name: {"new": c.new, "updated": c.updated} for name, c in result.tables.items() if c.new or c.updated},
        backup=pending.destination if pending is not None else None,
    )


def result_has_accounts(applier: PackageApplier) -> bool:
    """Whether the import wrote any account (the key file is rewrapped then)."""
    counts = applier.result.tables.get("staff")
    return counts is not None and bool(counts.new or counts.updated)


def _advances(state: LocalState, header: Header, rejected: int) -> bool:
    """Whether this device may adopt the sender's knowledge: nothing rejected, and no gap in what was sent."""
    if rejected:
        return False
    since = None if header.since is None else {d: c for d, c in header.since.items() if d != state.device_id}
    return covers(since, state.knowledge)


def _bookkeeping(
    connection: SyncConnection,
    database: Database,
    state: LocalState,
    header: Header,
    applier: PackageApplier,
    path: Path,
) -> None:
    """Record the import (idempotent within the transaction: called again after rows were set aside)."""
    result = applier.result
    rejected = sum(result.rejected.values())
    knowledge = join(state.knowledge, header.knowledge) if _advances(state, header, rejected) else state.knowledge
    save_self(connection, state, knowledge=knowledge)
    record_peer(
        connection,
        device_id=header.source_device,
        name=header.source_name,
        knowledge=header.knowledge,
        export_clock=header.export_clock,
    )
    remember_names(connection, header.devices, own_id=state.device_id)
    joined_via = header.extra.get("joined_via")
    if isinstance(joined_via, str) and joined_via:
        sync_state.forget_invitation(connection, joined_via)
    sync_state.mark_imported(connection, header.package_id, header.source_device)
    counts = {
        "new": result.new,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "conflicts": result.conflicts,
        "duplicates": result.duplicates,
        "rejected": rejected,
        "tables": {n: {"new": c.new, "updated": c.updated} for n, c in result.tables.items() if c.new or c.updated},
    }
    sync_state.forget_import_log(connection, header.package_id)
    sync_state.add_log(
        connection,
        direction="import",
        package_id=header.package_id,
        peer=header.source_device,
        path=path,
        counts=counts,
        result="ok" if not rejected else f"ok, {rejected} rejected",
    )
    sync_state.persist_clock(connection, database, state.device_id)


def _start_backup_before_import(database: Database, package_id: str) -> PendingBackup:
    """Pin the database as it is before the import and start copying it (see :func:`start_backup`)."""
    target = backups_dir_for(database.path) / timestamped_name(database.path, f"before-import-{package_id[:8]}")
    return start_backup(database.path, target)


def _defer_syncs(connection: SyncConnection) -> None:
    """Let the import's commit write its log without syncing it and without a checkpoint.

    Any sync at that commit (SQLite's sync of a restarted log's header, or the checkpoint's) waits on
    ext4 for the backup's gigabyte of fresh pages to reach the disk (one journal for the whole file
    system): a second or more. The log is only appended to, with checksums, and nothing is written
    into the database file until a checkpoint that syncs first (:func:`checkpoint_quietly`, once the
    backup is durable), so a kill keeps the import and a power cut can only lose it whole.
    """
    connection.defer_syncs()


def _restore_syncs(connection: SyncConnection) -> None:
    """Back to the usual settings before anything else (closing the last connection checkpoints)."""
    connection.restore_syncs()


def _save_backup_after_import(database: Database, pending: PendingBackup) -> DurableBackup:
    """Flush the complete copy to disk and rename it into place on a background thread, then prune.

    The import has committed: the copy is whole already (``.partial``), and only an OS crash or power cut
    within the next moments could lose it (never the database's consistency). Then the import's log is
    checkpointed. The thread is not a daemon, and the command line waits for it
    (:func:`app.store.backup.wait_for_pending_backups`), so the process does not end first.
    """
    stem, path = database.path.stem, database.path

    def after(target: Path) -> None:
        _keep_newest_import_backups(target.parent, stem)
        checkpoint_quietly(path)  # the import's log, synced, into the database file

    return pending.finish_later(after)


def _keep_newest_import_backups(folder: Path, stem: str) -> None:
    """Remove the backups taken before imports but the newest :data:`KEEP_IMPORT_BACKUPS` (daily ones stay)."""
    escaped = re.sub(r"([*?\[])", r"[\1]", stem)
    found = []
    for path in folder.glob(f"{escaped}-*-before-import-*.sqlite"):
        try:
            found.append((path.stat().st_mtime, path))
        except OSError:  # removed meanwhile by another import's pruning
            continue
    for _, stale in sorted(found)[:-KEEP_IMPORT_BACKUPS]:
        try:
            stale.unlink(missing_ok=True)
        except OSError as error:
            log.warning("cannot delete old backup %s: %s", stale, error)
