"""Add a device to the center — 添加设备 / 加入中心 — with a join package and a one-time passphrase.

On the workstation, :func:`invite_device` writes a *join package*: a consistent copy of the whole
database and the center key, encrypted with a key derived from a passphrase typed twice (scrypt,
random salt). On the new laptop, :func:`join_center` checks the passphrase, unpacks the copy as a new
database file, and gives it a device id of its own; from then on it syncs with the center key and
nobody types a passphrase again. The workstation remembers the invitation, so its exports carry
only what changed after the copy, until the new device's first package arrives (or 7 days pass).
"""

from __future__ import annotations

import hmac
import json
import os
import platform
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app import __version__
from app.domain.permissions import Action
from app.domain.validation import strip_controls
from app.services.output_files import OutputKind, check_output
from app.services.sync.exchange import Progress, _NoProgress, check_permission, schema_revisions
from app.services.sync.state import (
    INVITE_VALID_DAYS,
    ensure_center_key,
    key_text,
    load_state,
    remember_names,
    save_self,
)
from app.services.sync.tables import table_specs
from app.store.backup import backup_database
from app.store.database import Database
from app.store.encrypt import database_key_for_package, encrypt_database, install_key_file, key_from_package
from app.store.engines import refuse_server
from app.store.move import copy_server_to_file
from app.store.private_files import restrict_to_owner
from app.store.queries import sync_rows, sync_state
from app.store.queries.sync_base import SyncConnection
from app.store.queries.sync_connection import sync_connection, unpacked_copy
from app.store.uow import UnitOfWork
from app.sync.errors import PackageRefused
from app.sync.package import (
    KIND_JOIN,
    KIND_SYNC,
    SCRYPT_N,
    Header,
    PayloadWriter,
    authenticate,
    iter_chunks,
    key_check,
    open_package,
    passphrase_key,
    scrypt_parameters,
    verify_written,
    write_package,
)
from app.sync.passphrase import check_passphrase
from app.sync.vectors import dump_vector

SNAPSHOT_CHUNK_BYTES = 8 << 20
LOCAL_TABLES_CLEARED = ("sync_peer", "sync_log", "sync_conflict", "sign_in_state", "device_state")


@dataclass(frozen=True)
class InviteSummary:
    """A join package written and verified."""

    path: Path
    invitation_id: str
    counts: dict[str, int]
    size: int
    expires: datetime
    recovery_key: str = ""
    """The new device's recovery key, when its copy was encrypted for it here (a server center's: see
    :func:`_snapshot`); shown once to whoever made the invitation. Empty otherwise."""


@dataclass(frozen=True)
class JoinSummary:
    """The new device's database, made from a join package."""

    path: Path
    device_id: str
    device_name: str
    center_name: str
    inviter_name: str
    counts: dict[str, int]


def invite_device(
    uow: UnitOfWork,
    *,
    out: Path,
    passphrase: str,
    confirmation: str | None = None,
    device_label: str = "",
    token: Progress | None = None,
    scrypt_n: int = SCRYPT_N,
    force: bool = False,
    force_hint: bool = False,
) -> InviteSummary:
    """Write a join package for a new device, protected by ``passphrase``.

    Args:
        out: the file to write (``.crsync``).
        passphrase: the one-time passphrase; given to the person setting up the laptop separately.
        confirmation: the passphrase typed a second time, if the user typed it (must be equal).
        device_label: what to call the invited device until it introduces itself ("护士站笔记本").
        token: progress and cancel.
        scrypt_n: scrypt cost (tests lower it; readers accept up to ``SCRYPT_MAX_N``).
        force, force_hint: replace an existing file of another kind (never a database); suggest ``--force``
            in the refusal (see :func:`app.services.output_files.check_output`).

    Raises:
        ValidationError: the passphrase is too weak or differs from its confirmation.
        PackageRefused: there is no center yet, or the file did not read back correctly.
        OutputRefused: ``out`` is the database, a database, or an existing file of another kind.
    """
    check_permission(uow, Action.ADD_DEVICE)
    check_passphrase(passphrase, confirmation)
    progress = token or _NoProgress()
    database = uow.database
    invitation_id = str(uuid.uuid4())
    with sync_connection(database) as connection:
        state = load_state(connection)
        if not state.center_id:
            raise PackageRefused("sync.no_center")
        check_output(
            Path(out),
            kind=OutputKind.JOIN,
            database=database.path,
            center_id=state.center_id,
            force=force,
            force_hint=force_hint,
        )
        center_key = ensure_center_key(connection, state)
        snapshot_clock = database.clock.now()
        knowledge = state.knows(snapshot_clock)
        counts = _table_counts(connection)
        scratch_dir = None if database.is_server else database.path.parent
        with tempfile.TemporaryDirectory(prefix="carerounds-invite-", dir=scratch_dir) as scratch:
            snapshot, key_meta, recovery_key = _snapshot(database, Path(scratch) / "snapshot.sqlite")
            progress.raise_if_cancelled()
            kdf = scrypt_parameters(scrypt_n)
            key = passphrase_key(passphrase, kdf)
            writer = PayloadWriter(key, invitation_id, level=6)
            writer.add_json(
                {
                    "center_key": key_text(center_key),
                    "inviter": {"id": state.device_id, "name": state.device_name},
                    "knowledge": knowledge,
                    "devices": state.names(),
                    "invitation_id": invitation_id,
                    "device_label": device_label,
                    # an encrypted center: its copy travels encrypted, its key and recovery wrap with it
                    # (the package itself is encrypted under the passphrase)
                    **key_meta,
                }
            )
            size, done = snapshot.stat().st_size, 0
            with open(snapshot, "rb") as handle:
                while block := handle.read(SNAPSHOT_CHUNK_BYTES):
                    progress.raise_if_cancelled()
                    writer.add(block)
                    done += len(block)
                    progress.report(done, size)
        now = datetime.now(timezone.utc)
        header = Header(
            kind=KIND_JOIN,
            schema=schema_revisions()[0],
            center_id=state.center_id,
            center_name=state.center_name,
            source_device=state.device_id,
            source_name=state.device_name,
            package_id=invitation_id,
            app_version=__version__,
            created_at=now.isoformat(timespec="seconds"),
            export_clock=snapshot_clock,
            clock_to=snapshot_clock,
            full=True,
            knowledge=knowledge,
            devices=state.names(),
            counts=counts,
            compression="zlib",
            kdf=kdf,
            key_check=key_check(key),
        )
        target = Path(out)
        written = write_package(target, header, key, writer.finish())
        restrict_to_owner(target)  # Windows: a user-only ACL (the package holds the center's key)
        verify_written(target, key, header)
        with connection.writing():
            sync_state.add_invitation(
                connection,
                invitation_id=invitation_id,
                label=device_label,
                snapshot_clock=snapshot_clock,
                acked_watermark=dump_vector(knowledge),
            )
            sync_state.add_log(
                connection,
                direction="invite",
                package_id=invitation_id,
                peer="",
                path=target,
                counts={"tables": counts, "bytes": written, "device_label": device_label},
            )
            sync_state.set_last_clock(connection, state.device_id, database.clock.last)
    expires = now + timedelta(days=INVITE_VALID_DAYS)
    return InviteSummary(target, invitation_id, counts, written, expires, recovery_key=recovery_key)


def read_join_header(package_path: Path) -> Header:
    """Read the header of a join package (who invited, which center) without the passphrase.

    Raises:
        PackageRefused: not a join package, damaged or too new.
    """
    package = open_package(package_path)
    if package.header.kind == KIND_SYNC:
        raise PackageRefused("sync.is_sync_package")
    if package.header.kind != KIND_JOIN or not package.header.kdf:
        raise PackageRefused("sync.damaged", path=package_path)
    return package.header


def _table_counts(connection: SyncConnection) -> dict[str, int]:
    return {spec.name: sync_rows.count_rows(connection, spec.name) for spec in table_specs()}


def _snapshot(database: Database, target: Path) -> tuple[Path, dict[str, object], str]:
    """The center's database as a SQLite file for the new device, what the package carries to open it, and the
    new device's recovery key ("" unless made here).

    A file center's: a consistent copy, encrypted (or not) as the center is, with the center's key and
    recovery wrap. A server center's: a copy of the server (``move.copy_server_to_file``), encrypted here with
    a key of its own (a laptop's health records are never a plain file) and a recovery key of its own, which
    the invitation shows once.
    """
    if not database.is_server:
        return backup_database(database.path, target), database_key_for_package(database.path, database.key), ""
    copy_server_to_file(database.engine, target)
    encrypted = encrypt_database(target)
    return target, database_key_for_package(target, encrypted.key), encrypted.recovery_key


def _usable_target(db_path: Path) -> None:
    """Refuse to overwrite a database that holds a center (a fresh, empty one may be replaced)."""
    if not sync_state.is_fresh_database(db_path):
        raise PackageRefused("sync.join_target_exists", path=db_path)


def join_center(
    *,
    package: Path,
    db_path: Path,
    passphrase: str,
    device_name: str = "",
    token: Progress | None = None,
    now: datetime | None = None,
) -> JoinSummary:
    """Set this device up as a full copy of the center from a join package.

    Args:
        package: the join package.
        db_path: where the new database goes; must not exist yet (or be an empty, center-less file).
        passphrase: the passphrase the package was made with.
        device_name: this device's name as others will see it ("护士站笔记本"); if empty, the name given to the
            device when the package was made (``device_label`` of :func:`invite_device`), else the computer's.
        token: progress and cancel.
        now: the current time (tests).

    Returns:
        The new database and what it holds; open it with :func:`app.bootstrap.open_context`.

    Raises:
        PackageRefused: wrong passphrase, damaged or expired package, a sync file, a newer schema,
            or a database already at ``db_path``.
    """
    progress = token or _NoProgress()
    refuse_server(db_path, "join")  # a server center is made by center create or center move-to
    db_path = Path(db_path)
    device_name = strip_controls(device_name).strip()
    _usable_target(db_path)
    opened = open_package(package)
    header = opened.header
    if header.kind == KIND_SYNC:
        raise PackageRefused("sync.is_sync_package")
    if header.kind != KIND_JOIN or not header.kdf:
        raise PackageRefused("sync.damaged", path=package)
    key = passphrase_key(passphrase, header.kdf, path=package)
    if not hmac.compare_digest(key_check(key), str(header.key_check)):
        raise PackageRefused("sync.wrong_passphrase")
    authenticate(opened, key)
    if header.schema not in schema_revisions()[1]:
        raise PackageRefused("sync.newer_schema", found=header.schema)
    made = datetime.fromisoformat(header.created_at)
    expires = made + timedelta(days=INVITE_VALID_DAYS)
    if (now or datetime.now(timezone.utc)) > expires:
        raise PackageRefused("sync.invite_expired", date=expires.date().isoformat(), days=INVITE_VALID_DAYS)

    db_path.parent.mkdir(parents=True, exist_ok=True)
    partial = db_path.with_name(db_path.name + ".joining")
    partial.unlink(missing_ok=True)
    try:
        chunks = iter_chunks(opened, key)
        first = next(chunks, None)
        if first is None:
            raise PackageRefused("sync.damaged", path=package)
        meta = json.loads(first)
        label = meta.get("device_label") if isinstance(meta, dict) else None
        typed_at_invite = strip_controls(label).strip() if isinstance(label, str) else ""
        device_name = device_name or typed_at_invite or platform.node() or "laptop"
        total, done = int(header.payload_bytes), 0
        with open(partial, "wb") as handle:
            for block in chunks:
                progress.raise_if_cancelled()
                handle.write(block)
                done += len(block)
                progress.report(done, total)
            handle.flush()
            os.fsync(handle.fileno())
        device_id = str(uuid.uuid4())
        carried_key = key_from_package(partial, meta)
        counts = _make_own(partial, meta, header, device_id=device_id, device_name=device_name, package=package)
        # an encrypted center's copy is encrypted with its key: the key file goes next to it before it appears
        install_key_file(partial, db_path, carried_key, meta)
        for leftover in (db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(partial, db_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    inviter = meta.get("inviter", {})
    return JoinSummary(db_path, device_id, device_name, header.center_name, str(inviter.get("name", "")), counts)


def _make_own(
    path: Path, meta: dict[str, object], header: Header, *, device_id: str, device_name: str, package: Path
) -> dict[str, int]:
    """Turn the inviter's copy into this device's database: new identity, the inviter as first peer."""
    knowledge = {str(k): str(v) for k, v in dict(meta["knowledge"]).items()}  # type: ignore[call-overload]
    inviter = dict(meta["inviter"])  # type: ignore[call-overload]
    devices = {str(k): str(v) for k, v in dict(meta.get("devices") or {}).items()}  # type: ignore[call-overload]
    with unpacked_copy(path) as connection:
        if not connection.quick_check():
            raise PackageRefused("sync.damaged", path=path)
        with connection.writing():
            sync_state.clear_tables(connection, LOCAL_TABLES_CLEARED)
            last_clock = max(knowledge.values(), default="")
            sync_state.add_device(
                connection,
                device_id=device_id,
                name=device_name,
                center_key=str(meta["center_key"]),
                last_clock=last_clock,
            )
            state = load_state(connection)
            save_self(connection, state, knowledge=knowledge)
            inviter_id = str(inviter["id"])
            sync_state.add_peer(
                connection,
                device_id=inviter_id,
                name=str(inviter.get("name", "")),
                acked_watermark=dump_vector(knowledge),
                received_watermark=header.export_clock,
            )
            remember_names(connection, devices, own_id=device_id)
            sync_state.add_log(
                connection,
                direction="join",
                package_id=header.package_id,
                peer=inviter_id,
                path=Path(package),
                counts={"tables": header.counts},
            )
        counts = _table_counts(connection)
        connection.use_wal()
    return counts
