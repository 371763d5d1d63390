"""Backups of a center on a PostgreSQL server: ``pg_dump`` in its custom format, checked by a real restore (#20).

A server database is not a file the app can copy: its backups are ``pg_dump -Fc`` archives (one file, compressed,
restorable table by table), written next to the file backups' names (``<database>-YYYYMMDD-HHMMSS-<kind>.dump``,
the same kinds and retention: :mod:`app.services.admin.server_backups`). The password comes from ``~/.pgpass``
(or the OS keyring, handed to the tool in its environment only), never from the command line.

The check of an archive is the restore check of a file backup on a server: ``pg_restore --list`` reads its
table of contents, then it is restored into a scratch database of the same server, which must have an Alembic
revision this app knows, every table and column the migrations make up to it, this install's identity rows,
and upgrade to the newest schema with the same checks again; the scratch database is dropped afterwards.

The tools are PostgreSQL's client programs; a missing one is said in plain words (:class:`ToolMissing`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from app.domain.errors import DomainError, os_reason
from app.domain.i18n import register
from app.store import migrations
from app.store.engines import ServerURL, forget_password, make_server_engine, remember_password, server_password
from app.store.restore_check import CandidateRefused, Schema, reference_schema
from app.store.server_errors import connection_failure, is_connection_failure, server_reason, statement_refused

register(
    {
        "pg.tool_missing": {
            "zh_CN": "备份或恢复服务器数据库需要 PostgreSQL 的客户端程序 {tool}，但在本机找不到它。"
            "请安装（Debian/Ubuntu：apt-get install postgresql-client；Windows：PostgreSQL 安装程序中的"
            "“Command Line Tools”），并确认它在 PATH 中。",
            "en": "Backing up or restoring a server database needs PostgreSQL's client program {tool}, which is "
            "not installed here. Install it (Debian/Ubuntu: apt-get install postgresql-client; Windows: the "
            "“Command Line Tools” of the PostgreSQL installer) and make sure it is on the PATH.",
        },
        "pg.check_refused": {
            "zh_CN": "备份已写好，但无法检查（试恢复要在服务器上新建一个临时数据库）：{reason}",
            "en": "The archive was written but could not be checked (its trial restore needs a scratch database on "
            "the server): {reason}",
        },
        "pg.tool_failed": {
            "zh_CN": "{tool} 未能完成：{reason}",
            "en": "{tool} did not finish: {reason}",
        },
        "backup.reason.not_an_archive": {
            "zh_CN": "它不是 pg_dump 制作的备份（服务器数据库的备份是 pg_dump 的自定义格式文件，扩展名 .dump）",
            "en": "it is not an archive made by pg_dump (a server database's backups are pg_dump's custom-format "
            "files, ending in .dump)",
        },
        "backup.reason.trial_failed": {
            "zh_CN": "试恢复到临时数据库失败：{detail}",
            "en": "the trial restore into a scratch database failed: {detail}",
        },
    }
)

DUMP_SUFFIX = ".dump"
"""The file name ending of a server backup (``pg_dump``'s custom format)."""

SQLITE_ONLY_TABLES = ("resident_search",)
"""Tables a file's schema has and a server's has not (SQLite's own search index and its shadow tables)."""


class ToolMissing(DomainError):
    """``pg_dump`` or ``pg_restore`` is not installed (or not on the PATH)."""


class ToolFailed(DomainError):
    """``pg_dump`` or ``pg_restore`` ran and failed (its own first line of error says why)."""


class ToolCouldNotConnect(ToolFailed):
    """``pg_dump`` or ``pg_restore`` could not connect to the server (the reason said plainly)."""


class CheckRefused(DomainError):
    """The server refused the scratch database of an archive's trial restore (no ``CREATEDB``, or unreachable).

    Its message is wholly in the user's language; the server's own words are its ``detail`` parameter."""


def tool(name: str) -> str:
    """The path of PostgreSQL's client program ``name`` (``pg_dump``, ``pg_restore``).

    Raises:
        ToolMissing: it is not on the PATH.
    """
    found = shutil.which(name)
    if found is None:
        raise ToolMissing("pg.tool_missing", tool=name)
    return found


def _conninfo(url: ServerURL, database: str | None = None) -> str:
    """A libpq URL without a password (``~/.pgpass`` supplies it, or ``PGPASSWORD``), for the tools' ``--dbname``.

    (``URL.set(password=None)`` would leave the password in: ``None`` means "unchanged" there.)
    """
    parsed = make_url(url.without_password)
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def _environment(url: ServerURL) -> dict[str, str]:
    """The tools' environment: a password of the URL, typed or the keyring's as ``PGPASSWORD`` (else ~/.pgpass)."""
    environment = dict(os.environ)
    password = server_password(url)
    if password:
        environment["PGPASSWORD"] = str(password)
    return environment


def _run(name: str, arguments: list[str], url: ServerURL) -> str:
    """Run ``name`` (never asking for a password on a terminal: ``--no-password``); its failure in plain words."""
    program = tool(name)
    command = [program, "--no-password", *arguments]
    try:
        done = subprocess.run(command, env=_environment(url), capture_output=True, text=True, check=False)
    except OSError as error:
        raise ToolFailed("pg.tool_failed", tool=name, reason=os_reason(error)) from error
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[0].removeprefix(f"{name}: error: ") if lines else f"exit {done.returncode}"
        if is_connection_failure(done.stderr):
            raise ToolCouldNotConnect("pg.tool_failed", tool=name, reason=connection_failure(url, done.stderr))
        raise ToolFailed("pg.tool_failed", tool=name, reason=reason)
    return done.stdout


def dump(url: ServerURL, destination: Path) -> Path:
    """Write ``pg_dump -Fc`` of the database at ``url`` to ``destination``: owner-only, flushed, renamed into place.

    Raises:
        ToolMissing: pg_dump is not installed.
        ToolFailed: pg_dump failed (the server refused, the disk is full…); no file is left behind.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    try:
        _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}",
                         f"--dbname={_conninfo(url)}"], url)  # fmt: skip
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        directory = os.open(destination.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return destination


def table_of_contents(archive: Path, url: ServerURL) -> list[str]:
    """``pg_restore --list`` of ``archive``: its entries (raises :class:`ToolFailed` if it is no archive)."""
    listing = _run("pg_restore", ["--list", str(archive)], url)
    return [line for line in listing.splitlines() if line and not line.startswith(";")]


@contextmanager
def scratch_database(url: ServerURL) -> Iterator[ServerURL]:
    """A new, empty database on the server of ``url`` (the role needs ``CREATEDB``), dropped at the end.

    Raises:
        CheckRefused: the server refused to create it (the reason said).
    """
    import psycopg

    name = f"carerounds_check_{uuid.uuid4().hex[:12]}"
    admin = _conninfo(url)
    password = server_password(url)
    try:
        with psycopg.connect(admin, autocommit=True, password=password) as connection:
            used = connection.info.password  # the URL's, typed, the keyring's or the ~/.pgpass line of this database
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:  # not reachable, or the password refused
        reason, detail = connection_failure(url, str(error)), server_reason(str(error))
        raise CheckRefused("pg.check_refused", reason=reason, detail=detail) from error
    except psycopg.Error as error:  # no CREATEDB: "permission denied to create database" (the details only)
        reason, detail = statement_refused(url, str(error)), server_reason(str(error)) or type(error).__name__
        raise CheckRefused("pg.check_refused", reason=reason, detail=detail) from error
    scratch = ServerURL(make_url(url.without_password).set(database=name).render_as_string(hide_password=False))
    if used:  # the same password for the scratch database (a ~/.pgpass line may name the center's database only)
        remember_password(scratch, used)
    try:
        yield scratch
    finally:
        forget_password(scratch)
        with psycopg.connect(admin, autocommit=True, password=password) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore_into(archive: Path, url: ServerURL, *, clean: bool = False) -> None:
    """``pg_restore`` ``archive`` into the database at ``url`` in one transaction (``clean``: drop what is there)."""
    arguments = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if clean:
        arguments += ["--clean", "--if-exists"]
    _run("pg_restore", [*arguments, f"--dbname={_conninfo(url)}", str(archive)], url)


@dataclass(frozen=True)
class ArchiveCheck:
    """What the restore check of an archive found: its schema revision and the device (center) it is of."""

    revision: str
    device_id: str


def check_archive(archive: Path, url: ServerURL, workdir: Path) -> ArchiveCheck:
    """Check ``archive`` completely by restoring it into a scratch database of the server.

    Raises:
        ToolMissing, ToolFailed: pg_restore is missing, or the archive cannot be read or restored.
        CheckRefused: the server refused the scratch database.
        CandidateRefused: the restored database is no CareRounds center this version can use (reasons as for
            a file: ``no_version``, ``too_new``, ``missing_tables``, ``missing_columns``, ``not_ours``,
            ``cannot_migrate``), ``not_an_archive`` (pg_restore cannot list it), or ``trial_failed``: pg_restore
            into the scratch database failed.
    """
    try:
        entries = table_of_contents(archive, url)
    except ToolFailed as failed:  # pg_restore --list reads the file alone: it is no archive (its English line aside)
        raise CandidateRefused("not_an_archive") from failed
    if not entries:
        raise CandidateRefused("empty")
    with scratch_database(url) as scratch:
        try:
            restore_into(archive, scratch)
        except ToolCouldNotConnect as failed:  # the check could not run: not the archive's fault
            raise CheckRefused("pg.check_refused", reason=failed.params["reason"]) from failed
        except ToolFailed as failed:
            raise CandidateRefused("trial_failed", detail=failed.params["reason"]) from failed
        engine = make_server_engine(scratch)
        try:
            revision = migrations.current_revision(engine)
            if revision is None:
                raise CandidateRefused("no_version")
            if revision not in migrations.known_revisions():
                raise CandidateRefused("too_new", found=revision)
            _check_schema(engine, reference_schema(revision, workdir))
            device_id = _check_identity(engine)
            if revision != migrations.head_revision():
                try:
                    migrations.upgrade(engine)
                except Exception as error:
                    raise CandidateRefused("cannot_migrate", found=revision) from error
                _check_schema(engine, reference_schema(migrations.head_revision(), workdir))
        finally:
            engine.dispose()
    return ArchiveCheck(revision, device_id)


def _check_schema(engine: object, reference: Schema) -> None:
    inspector = inspect(engine)
    found = {name: frozenset(c["name"] for c in inspector.get_columns(name)) for name in inspector.get_table_names()}
    wanted = {name: columns for name, columns in reference.items() if not name.startswith(SQLITE_ONLY_TABLES)}
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise CandidateRefused("missing_tables", names=", ".join(missing))
    columns = sorted(f"{table}.{column}" for table in wanted for column in wanted[table] - found[table])
    if columns:
        raise CandidateRefused("missing_columns", names=", ".join(columns[:10]))


def _check_identity(engine: object) -> str:
    """The one device id of the restored database (its ``device_state`` row); a center must be there too."""
    with engine.connect() as connection:  # type: ignore[attr-defined]
        devices = connection.exec_driver_sql("SELECT device_id FROM device_state").fetchall()
        centers = connection.exec_driver_sql("SELECT COUNT(*) FROM center").scalar()
    if len(devices) != 1 or not centers:
        raise CandidateRefused("not_ours")
    return str(devices[0][0])
