"""Check a file chosen for a restore completely, in a temporary copy, before anything is replaced.

:func:`prepare_candidate` copies the chosen file (with its ``-wal``, if any) into a private working folder
and checks the *copy*: SQLite's integrity check; an Alembic schema version this app knows; every table
and column the migrations create up to that version; this install's identity rows (``device_state``,
``center``); then it migrates the copy to the newest schema and checks again (integrity, every table and
column of the head schema). The migrated copy is what gets restored; the chosen file is only read. A file
that fails is refused with :class:`CandidateRefused` (a reason key and its details, translated by the
service), and nothing else has been touched.

The reference schemas are made by running the app's own migrations on an empty file (once per revision
and process), so the list of required tables can never fall behind the migrations.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import no_room_to_write, os_reason
from app.store import cipher, migrations
from app.store.backup import SQLITE_MAGIC, connect_existing, integrity_problems
from app.store.database import make_engine
from app.store.private_files import copy_private
from app.store.sqlite import sqlite3

log = logging.getLogger(__name__)

PG_DUMP_MAGIC = b"PGDMP"
"""How an archive of ``pg_dump``'s custom format starts (a server center's backup, :mod:`app.store.pg_backup`)."""

Schema = dict[str, frozenset[str]]
"""Table name → its column names."""


class CandidateRefused(Exception):
    """The chosen file cannot be restored.

    Attributes:
        reason: what is wrong: ``folder``, ``missing``, ``empty``, ``server_archive``, ``not_sqlite``, ``damaged``,
            ``no_room`` (the copy could not be written beside the database: not the file's fault),
            ``not_ours``, ``no_version``, ``too_new``, ``unknown_version``, ``missing_tables``, ``missing_columns``,
            ``cannot_migrate``.
        details: the reason's parameters (``found``, ``detail``, ``names``...).
    """

    def __init__(self, reason: str, **details: object) -> None:
        super().__init__(reason, details)
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class Candidate:
    """A checked file, ready to be restored.

    Attributes:
        path: the checked copy, migrated to the newest schema (in the working folder): what to restore.
        revision: the schema revision of the chosen file (before the migration).
        identity: the install and center it belongs to.
        encrypted: the chosen file is encrypted (with the key of the database open in this process).
    """

    path: Path
    revision: str
    identity: Identity
    encrypted: bool = False


@dataclass(frozen=True)
class Identity:
    """Which install and which center a database belongs to.

    Attributes:
        device_id: the install (``device_state``; empty if the table is empty).
        center_ids: the ids of its ``center`` rows (the center's id travels with sync to every device of
            the center; none before the center is set up).
        center_name: the name of its center, for messages.
    """

    device_id: str
    center_ids: frozenset[str]
    center_name: str = ""


def prepare_candidate(chosen: Path, workdir: Path) -> Candidate:
    """Copy ``chosen`` into ``workdir``, check the copy completely, migrate it to the newest schema.

    ``chosen`` must not be a database this process has connections to (the caller refuses the live
    database itself); it is opened by plain file reads.

    Raises:
        CandidateRefused: the file cannot be restored (nothing was changed anywhere but in ``workdir``).
    """
    chosen = Path(chosen)
    if chosen.is_dir():
        raise CandidateRefused("folder")
    if not chosen.is_file():
        raise CandidateRefused("missing")
    try:
        with open(chosen, "rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise CandidateRefused("damaged", detail=os_reason(error)) from error
    if not header:
        raise CandidateRefused("empty")
    if header.startswith(PG_DUMP_MAGIC):
        raise CandidateRefused("server_archive")
    key: bytes | None = None
    if header != SQLITE_MAGIC:
        key = cipher.key_for(chosen)  # an encrypted backup: the key in memory (the open database's) opens it
        if key is None:
            raise CandidateRefused("not_sqlite")
    copy = workdir / "candidate.sqlite"
    try:
        copy_private(chosen, copy)
        cipher.remember(copy, key)
        wal = chosen.with_name(chosen.name + "-wal")
        if wal.is_file():
            copy_private(wal, copy.with_name(copy.name + "-wal"))
    except OSError as error:
        if no_room_to_write(error) or error.filename is None or Path(error.filename).parent == workdir:
            # the copy could not be written next to the database (a full disk): the backup is not to blame
            raise CandidateRefused("no_room", detail=os_reason(error)) from error
        raise CandidateRefused("damaged", detail=os_reason(error)) from error
    _check_sound(copy)
    revision = _check_revision(copy)
    _check_schema(copy, reference_schema(revision, workdir))
    identity = read_identity(copy)
    if identity is None:
        raise CandidateRefused("not_ours")
    if revision != migrations.head_revision():
        _migrate(copy, revision)
        _check_sound(copy)
        _check_schema(copy, reference_schema(migrations.head_revision(), workdir))
    _make_standalone(copy)
    return Candidate(copy, revision, identity, encrypted=key is not None)


def read_identity(path: Path) -> Identity | None:
    """Return the install and center ``path`` belongs to; None if it cannot be read (damaged, not ours).

    Opened through SQLite (read-only), so it may be the live database.
    """
    try:
        connection = connect_existing(path, read_only=True)
        try:
            device = connection.execute("SELECT device_id FROM device_state ORDER BY device_id LIMIT 1").fetchone()
            centers = connection.execute("SELECT id, name, deleted FROM center ORDER BY deleted, name").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as error:
        log.info("cannot read the identity of %s: %s", path, error)
        return None
    return Identity(
        str(device[0]) if device and device[0] else "",
        frozenset(str(row[0]) for row in centers),
        str(centers[0][1]) if centers else "",
    )


def _check_sound(path: Path) -> None:
    try:
        problems = integrity_problems(path)
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            raise CandidateRefused("not_sqlite") from error
        raise CandidateRefused("damaged", detail=error) from error
    if problems:
        raise CandidateRefused("damaged", detail=problems[0])


def _check_revision(path: Path) -> str:
    """Return the file's schema revision, one this app knows."""
    connection = connect_existing(path, read_only=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            raise CandidateRefused("not_ours")
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as error:
        raise CandidateRefused("damaged", detail=error) from error
    finally:
        connection.close()
    if len(rows) != 1 or not rows[0][0]:
        raise CandidateRefused("no_version")
    revision = str(rows[0][0])
    if revision in migrations.known_revisions():
        return revision
    head = migrations.head_revision()
    if revision.isdigit() and len(revision) == len(head) and revision > head:
        raise CandidateRefused("too_new", found=revision)
    raise CandidateRefused("unknown_version", found=revision[:40])


def _check_schema(path: Path, reference: Schema) -> None:
    found = schema_of(path)
    missing = sorted(set(reference) - set(found))
    if missing:
        raise CandidateRefused("missing_tables", names=", ".join(missing))
    columns = sorted(f"{table}.{column}" for table in reference for column in reference[table] - found[table])
    if columns:
        raise CandidateRefused("missing_columns", names=", ".join(columns[:10]))


def schema_of(path: Path) -> Schema:
    """Return the tables of the database ``path`` and their columns (SQLite's own tables left out)."""
    connection = connect_existing(path, read_only=True)
    try:
        names = [
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: frozenset(str(row[1]) for row in connection.execute("SELECT * FROM pragma_table_info(?)", (name,)))
            for name in names
        }
    finally:
        connection.close()


_REFERENCES: dict[str, Schema] = {}
_REFERENCES_LOCK = threading.Lock()


def reference_schema(revision: str, workdir: Path) -> Schema:
    """Return the schema the app's migrations create up to ``revision`` (made once per process)."""
    with _REFERENCES_LOCK:
        if revision not in _REFERENCES:
            path = workdir / f"reference-{revision}.sqlite"
            engine = make_engine(path)
            try:
                migrations.upgrade(engine, revision)
            finally:
                engine.dispose()
            _REFERENCES[revision] = schema_of(path)
        return _REFERENCES[revision]


def _migrate(path: Path, revision: str) -> None:
    """Run the migrations from ``revision`` to the newest on the copy ``path``, as opening it would."""
    engine = make_engine(path)
    try:
        migrations.upgrade(engine)
    except Exception as error:  # whatever the migration met (a table already there, a missing one, ...)
        log.warning("the copy of a restore candidate (schema %s) cannot be upgraded: %s", revision, error)
        raise CandidateRefused("cannot_migrate", found=revision) from error
    finally:
        engine.dispose()


def _make_standalone(path: Path) -> None:
    """Move the copy's log into it and switch it to rollback-journal mode: one file, no ``-wal``."""
    connection = connect_existing(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        connection.close()
