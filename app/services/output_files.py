"""Files the app writes on request (``--out``, save dialogs): which existing file may be replaced, and how.

The rule (docs/security.md, "Files the app writes"), for every command and dialog that writes a file:

- never the database itself: its resolved path, any other name of the same file (same device and inode,
  a hard link or a symbolic link) and its ``-wal``, ``-shm`` and ``-journal`` files;
- never any SQLite database, WAL file or rollback journal, found by its first bytes, nor a file named
  like another database's ``-wal``, ``-shm`` or ``-journal`` next to that database (a ``-shm`` has no
  header to recognise) — not even with ``--force``;
- never a server database's backup (a pg_dump archive, found by its first bytes), not even with ``--force``;
- an existing file only when it is of the same kind: a sync package of the same center over a sync
  package, a join package of the same center over a join package, a PDF over a PDF, an Excel workbook
  (.xlsx) over an Excel workbook; a backup never;
  any other existing file (another center's package, a spreadsheet, an empty file, ...) only with
  ``--force``.

The live database is recognised by path and inode first, with ``os.stat`` only, and is never opened here:
on POSIX, closing any descriptor of a file drops every SQLite lock the process holds on it. Only other
files are opened, to read their first bytes.

Files are written atomically (:func:`atomic_output`): a new temporary file in the same folder, created
0600, flushed and fsynced, renamed over the target, then the folder fsynced.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from app.domain.errors import DomainError
from app.domain.i18n import register
from app.domain.validation import MessageRef
from app.store.private_files import restrict_to_owner

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # a rollback journal's header
PACKAGE_MAGIC = b"CRSYNC\r\n"
PDF_MAGIC = b"%PDF-"
PG_DUMP_MAGIC = b"PGDMP"  # a pg_dump custom-format archive: a server center's backup (app.store.restore_check)
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip file
DATABASE_SIDECARS = ("-wal", "-shm", "-journal", ".keys")
"""The files that belong to a database: its logs, and the key file of an encrypted one (issue 15)."""

register(
    {
        "output.folder": {
            "zh_CN": "{path} 是文件夹，请给出文件名",
            "en": "{path} is a folder; give a file name",
        },
        "output.is_database": {
            "zh_CN": "{path} 是正在使用的数据库本身（或它的日志文件），绝不会被覆盖；请换一个文件名",
            "en": "{path} is the database in use (or one of its log files) and is never overwritten; "
            "choose another file name",
        },
        "output.is_sqlite": {
            "zh_CN": "{path} 是一个数据库文件（SQLite），本软件从不覆盖数据库或备份；请换一个文件名",
            "en": "{path} is a database file (SQLite); the app never overwrites a database or a backup; "
            "choose another file name",
        },
        "output.is_server_backup": {
            "zh_CN": "{path} 是服务器数据库的备份（pg_dump），本软件从不覆盖备份（即使加 --force）；请换一个文件名",
            "en": "{path} is a backup of a server database (pg_dump); the app never overwrites a backup, not even "
            "with --force; choose another file name",
        },
        "output.is_log": {
            "zh_CN": "{path} 是数据库 {database} 的日志文件，绝不会被覆盖（即使加 --force）；请换一个文件名",
            "en": "{path} is a log file of the database {database} and is never overwritten, not even with "
            "--force; choose another file name",
        },
        "output.not_a_file": {
            "zh_CN": "{path} 不是普通文件，不能写入；请换一个文件名",
            "en": "{path} is not a regular file and cannot be written; choose another file name",
        },
        "output.other_kind": {
            "zh_CN": "{path} 已存在，是{found}，不会被{wanted}覆盖；请换一个文件名{hint}",
            "en": "{path} exists and is {found}; it is not overwritten with {wanted}; choose another file name{hint}",
        },
        "output.force_hint": {
            "zh_CN": "，或加 --force 确认覆盖",
            "en": ", or add --force to replace it",
        },
        "output.kind.sync": {"zh_CN": "同步文件", "en": "a sync file"},
        "output.kind.join": {"zh_CN": "加入文件", "en": "a join package"},
        "output.kind.pdf": {"zh_CN": "PDF 文件", "en": "a PDF"},
        "output.kind.backup": {"zh_CN": "备份", "en": "a backup"},
        "output.kind.xlsx": {"zh_CN": "Excel 文件", "en": "an Excel workbook"},
        "output.found.other_center": {
            "zh_CN": "另一个中心的{kind}",
            "en": "{kind} of another center",
        },
        "output.found.package": {"zh_CN": "损坏或无法识别的同步文件", "en": "a damaged or unknown sync file"},
        "output.found.empty": {"zh_CN": "空文件", "en": "an empty file"},
        "output.found.other": {"zh_CN": "其他类型的文件", "en": "a file of another kind"},
    }
)


class OutputKind(Enum):
    """What a command writes."""

    SYNC = "sync"
    JOIN = "join"
    PDF = "pdf"
    BACKUP = "backup"
    XLSX = "xlsx"


class OutputRefused(DomainError):
    """The chosen output file must not be written over (message names the file); exit code 2."""


def check_output(
    path: Path,
    *,
    kind: OutputKind,
    database: Path | None,
    center_id: str = "",
    force: bool = False,
    force_hint: bool = False,
) -> Path:
    """Check that ``path`` may be written as ``kind`` (see the module's rule); return it unchanged.

    Args:
        database: the database the process works on (never opened here); None when there is none.
        center_id: the center of that database, to tell an older package of this center from another's.
        force: the user confirmed replacing an existing file of another kind (``--force``). It never
            allows the database itself or any SQLite file.
        force_hint: the message suggests ``--force`` (the command line).

    Raises:
        OutputRefused: the file may not be written; the message names it.
        OSError: the existing file cannot be read.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputRefused("output.folder", path=path)
    if database is not None and is_database_file(path, database):
        raise OutputRefused("output.is_database", path=path)
    if not os.path.lexists(path):
        return path
    if not path.is_file():
        if path.is_symlink() and not path.exists():
            return path  # a dangling link: the rename replaces the link itself
        raise OutputRefused("output.not_a_file", path=path)
    owner = _log_file_owner(path)
    if owner is not None:  # a -shm has no header to recognise, a -journal may be empty: the name says it
        raise OutputRefused("output.is_log", path=path, database=owner)
    head = read_head(path, 64)
    if head.startswith((SQLITE_MAGIC, JOURNAL_MAGIC)) or head[:4] in WAL_MAGICS or _encrypted_database(path):
        raise OutputRefused("output.is_sqlite", path=path)
    if head.startswith(PG_DUMP_MAGIC):  # a server center's backup (#20): never replaced, as a file's is not
        raise OutputRefused("output.is_server_backup", path=path)
    if force:
        return path
    found = _same_kind(path, head, kind, center_id)
    if found is None:
        return path
    raise OutputRefused(
        "output.other_kind",
        path=path,
        found=found,
        wanted=MessageRef(f"output.kind.{kind.value}"),
        hint=MessageRef("output.force_hint") if force_hint else "",
    )


def _encrypted_database(path: Path) -> bool:
    """Whether ``path`` is an encrypted database: it has a key file, or a key in memory opens it (a backup).

    Its bytes look random, so it is not recognised by a header. (Not the live database: checked before.)
    """
    from app.store import cipher, key_wraps

    return key_wraps.key_file_path(path).is_file() or cipher.key_for(path) is not None


def _log_file_owner(path: Path) -> Path | None:
    """Return the database whose ``-wal``/``-shm``/``-journal`` file ``path`` is named as, if that file exists."""
    for suffix in DATABASE_SIDECARS:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            owner = path.with_name(path.name[: -len(suffix)])
            if owner.is_file():
                return owner
    return None


def _same_kind(path: Path, head: bytes, kind: OutputKind, center_id: str) -> MessageRef | None:
    """Return None when the existing file is of ``kind`` (and center), else what it is, for the message."""
    if not head:
        return MessageRef("output.found.empty")
    if head.startswith(PACKAGE_MAGIC):
        package_kind, package_center = _package_identity(path)
        if package_kind not in ("sync", "join"):
            return MessageRef("output.found.package")
        if package_kind == kind.value and center_id and package_center == center_id:
            return None
        if package_kind == kind.value:
            return MessageRef("output.found.other_center", kind=MessageRef(f"output.kind.{package_kind}"))
        return MessageRef(f"output.kind.{package_kind}")
    if head.startswith(PDF_MAGIC):
        return None if kind is OutputKind.PDF else MessageRef("output.kind.pdf")
    if head.startswith(ZIP_MAGIC) and path.suffix.lower() == ".xlsx":
        return None if kind is OutputKind.XLSX else MessageRef("output.kind.xlsx")
    return MessageRef("output.found.other")


def _package_identity(path: Path) -> tuple[str, str]:
    """Return (kind, center id) from a package's clear header; ("", "") when it cannot be read."""
    from app.sync.errors import PackageRefused
    from app.sync.package import open_package

    try:
        header = open_package(path).header
    except (PackageRefused, OSError):
        return "", ""
    return str(header.kind), str(header.center_id)


def is_database_file(path: Path, database: Path) -> bool:
    """Whether ``path`` names ``database`` or one of its -wal/-shm/-journal files (by path or by inode).

    Uses ``os.stat`` only: the database is never opened.
    """
    database = Path(database)
    # SQLite resolves a symbolic link to the database and keeps its log files beside the real file
    names = dict.fromkeys([database, _resolved(database)])
    candidates = [
        name for base in names for name in (base, *(base.with_name(base.name + suffix) for suffix in DATABASE_SIDECARS))
    ]
    target = _resolved(path)
    if any(target == _resolved(candidate) for candidate in candidates):
        return True
    try:
        target_stat = os.stat(path)
    except OSError:
        return False
    for candidate in candidates:
        try:
            other = os.stat(candidate)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (target_stat.st_dev, target_stat.st_ino):
            return True
    return False


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # a symbolic link loop
        return Path(os.path.abspath(path))


def read_head(path: Path, size: int = 16) -> bytes:
    """Return the first ``size`` bytes of a file that is **not** the live database."""
    with open(path, "rb") as handle:
        return handle.read(size)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """Yield ``(handle, temporary path)`` of a new file beside ``path``; on success it replaces ``path``.

    The temporary file is created 0600 (``mkstemp``; owner only, whatever the umask), flushed and fsynced
    before the rename, and the folder is fsynced after it. On any error the temporary file is removed and
    ``path`` is untouched. The caller may write through the handle or, having flushed it, have a library
    write to the temporary path (it keeps the file's mode).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as error:  # a read-only folder: the error names the temporary file, never chosen by the user
        raise _naming(error, path) from error
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "r+b") as handle:
            yield handle, temporary
            handle.flush()
        with open(temporary, "r+b") as written:  # a library may have written through the path
            os.fsync(written.fileno())
        restrict_to_owner(temporary)  # Windows: a user-only ACL (mkstemp's 0600 is POSIX's)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if error.filename is not None and Path(os.fsdecode(error.filename)) == temporary:
            raise _naming(error, path) from error
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def _naming(error: OSError, path: Path) -> OSError:
    """The same error (same class, errno and reason) about ``path``, the file the user asked for."""
    renamed = type(error)(error.errno, error.strerror, str(path))
    return renamed if isinstance(renamed, OSError) else OSError(error.errno, error.strerror, str(path))


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk; a no-op where folders cannot be opened (Windows)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def save_copy(source: Path, destination: Path, *, kind: OutputKind, database: Path | None) -> Path:
    """Copy a file the app made (a previewed PDF) to where the user chose, under the rule; return it.

    For the window's "Save as" dialogs: the dialog itself asked before replacing a file, so ``force`` is
    never given; the database, any database and a file of another kind are refused.

    Raises:
        OutputRefused: ``destination`` may not be written over; the message names it.
        OSError: it cannot be written.
    """
    destination = check_output(Path(destination), kind=kind, database=database)
    with atomic_output(destination) as (handle, _), open(source, "rb") as original:
        shutil.copyfileobj(original, handle)
    return destination
