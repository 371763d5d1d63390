"""Database failures as messages a nurse can act on — the one place SQLite's errors are translated.

SQLite reports a busy database, a full disk, an I/O error or a read-only file as driver exceptions
(``sqlite3.OperationalError``, wrapped by SQLAlchemy with a link to its web site). Nothing outside
:mod:`app.store` looks at those: :func:`store_error` turns one into a :class:`StoreError` (a
:class:`~app.domain.errors.DomainError`, so the task runner shows it as a warning and the command line
exits 1), and :func:`translated` does it for a block of code. Each message says what happened, that
``{what}`` was not saved, and what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from app.domain.errors import DomainError
from app.domain.i18n import register, t
from app.store.sqlite import sqlite3

register(
    {
        "store.what.default": {"zh_CN": "本次操作的内容", "en": "this action's changes"},
        "store.what.command": {"zh_CN": "命令“{command}”的更改", "en": "the changes of “{command}”"},
        "store.busy": {
            "zh_CN": "数据库正忙（另一个窗口或命令正在写入）：{what}未保存。请稍后重试。",
            "en": "The database is busy (another window or command is writing): {what} were not saved. "
            "Please try again in a moment.",
        },
        "store.full": {
            "zh_CN": "磁盘已满（或数据库已达上限），{what}未保存。请腾出磁盘空间后重试。",
            "en": "The disk is full (or the database reached its size limit): {what} were not saved. "
            "Free some disk space, then try again.",
        },
        "store.io": {
            "zh_CN": "读写数据库文件 {path} 时出错（磁盘或 U 盘故障？），{what}未保存。请检查磁盘后重启医养巡诊；"
            "如数据库损坏，请从最新备份恢复。",
            "en": "Reading or writing the database file {path} failed (a disk or USB drive fault?): {what} were "
            "not saved. Check the disk and restart CareRounds; if the database is damaged, restore the newest "
            "backup.",
        },
        "store.read_only": {
            "zh_CN": "数据库文件 {path} 是只读的（文件或所在文件夹没有写入权限），{what}未保存。"
            "请让管理员开放写入权限后重启医养巡诊。",
            "en": "The database file {path} is read-only (no permission to write the file or its folder): {what} "
            "were not saved. Ask the administrator for write permission, then restart CareRounds.",
        },
        "db.read_only": {
            "zh_CN": "数据库文件 {path} 是只读的（文件或所在文件夹没有写入权限），医养巡诊无法使用它。"
            "请让管理员开放写入权限，或把它复制到可写的文件夹后再打开。",
            "en": "The database file {path} is read-only (no permission to write the file or its folder), so "
            "CareRounds cannot use it. Ask the administrator for write permission, or copy it to a folder you "
            "may write to and open the copy.",
        },
        "db.view_only": {
            "zh_CN": "数据库文件 {path} 是只读的（文件或所在文件夹没有写入权限）：只能查看，任何修改都无法保存。"
            "请让管理员开放写入权限后重新打开医养巡诊。",
            "en": "The database file {path} is read-only (no permission to write the file or its folder): it can be "
            "viewed, but no change can be saved. Ask the administrator for write permission, then open CareRounds "
            "again.",
        },
        "db.view_only_old": {
            "zh_CN": "数据库文件 {path} 是只读的，且由旧版医养巡诊写成：打开前须先升级，而升级需要写入。"
            "请让管理员开放写入权限后再打开。",
            "en": "The database file {path} is read-only and was written by an older CareRounds: it must be upgraded "
            "before it can be opened, and upgrading writes to it. Ask the administrator for write permission first.",
        },
        "store.damaged": {
            "zh_CN": "数据库文件 {path} 已损坏，{what}未保存。请关闭医养巡诊，从最新备份恢复（备份在 {backups}）。",
            "en": "The database file {path} is damaged: {what} were not saved. Close CareRounds and restore the "
            "newest backup (backups are in {backups}).",
        },
        "store.vanished": {
            "zh_CN": "数据库文件 {path} 在医养巡诊运行时被删除或替换，{what}未保存，之后的修改也不会再写入。"
            "请关闭医养巡诊，从最新备份恢复（备份在 {backups}；命令：backup list / backup restore）。",
            "en": "The database file {path} was deleted or replaced while CareRounds was running: {what} were "
            "not saved, and nothing more will be written. Close CareRounds and restore the newest backup "
            "(backups are in {backups}; commands: backup list / backup restore).",
        },
        "store.server_lost": {
            "zh_CN": "与数据库服务器的连接断开了（服务器停止或网络中断），{what}未保存。请稍后重试；"
            "如果一直这样，请中心信息科确认 PostgreSQL 正在运行、网络畅通。",
            "en": "The connection to the database server was lost (the server stopped, or the network is down): "
            "{what} were not saved. Try again in a moment; if it goes on, ask the center's IT staff whether "
            "PostgreSQL is running and the network is up.",
        },
        "store.other": {
            "zh_CN": "数据库出错（{reason}），{what}未保存。",
            "en": "The database reported an error ({reason}): {what} were not saved.",
        },
    }
)

# SQLite's primary result codes (https://sqlite.org/rescode.html)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT = 5, 6, 8, 10, 11
SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 13, 14, 26


DriverError = sqlite3.Error
"""What the database driver raises for any failure; services catch it by this name, never the driver's own."""

UnreadableDatabase = sqlite3.DatabaseError
"""What the driver raises for a file it cannot read as a database (not one, damaged, encrypted with another key)."""


class StoreError(DomainError):
    """The database could not do what was asked; nothing of the unit of work was saved.

    Its message names what was not saved: ``what`` defaults to "this action's changes" and may be set
    by whoever knows better (the command line names the command) with :meth:`not_saved`.
    """

    def __init__(self, key: str, /, *, path: Path | str = "", what: str = "", **params: object) -> None:
        super().__init__(key, path=path, what=what, **params)

    def not_saved(self, what: str) -> StoreError:
        """Name what was not saved (only if nothing more precise was named before); return self."""
        if not self.params.get("what"):
            self.params["what"] = what
        return self

    def __str__(self) -> str:
        params = dict(self.params)
        params["what"] = params.get("what") or t("store.what.default")
        path = params.get("path") or ""
        params.setdefault("backups", Path(str(path)).parent / "backups" if path else "backups")
        return t(self.key, **params)


class DatabaseBusy(StoreError):
    """Another connection held the write lock longer than the busy wait (``busy_timeout``)."""


class DiskFull(StoreError):
    """SQLITE_FULL: no room left on the disk (or the database's page limit)."""


class DiskIOError(StoreError):
    """SQLITE_IOERR / SQLITE_CANTOPEN: the operating system failed a read or write of the file."""


class DatabaseReadOnly(StoreError):
    """SQLITE_READONLY: the file or its folder may not be written."""


class DatabaseViewOnly(DomainError):
    """A change asked of a database opened read-only (the file or its folder may not be written).

    Not a :class:`StoreError`: nothing was tried, the change is refused before it starts (the command
    line exits 2), with the file named and what to do (docs/security.md, "A read-only database").
    """

    def __init__(self, key: str = "db.view_only", /, *, path: Path | str = "", **params: object) -> None:
        super().__init__(key, path=path, **params)


class DatabaseDamaged(StoreError):
    """SQLITE_CORRUPT / SQLITE_NOTADB: the file's content is not a valid database any more."""


class DatabaseVanished(StoreError):
    """The database file was deleted or replaced while it was open: writes would go to a file nobody sees."""


def _sqlite_error(error: BaseException) -> sqlite3.Error | None:
    if isinstance(error, DBAPIError) and isinstance(error.orig, sqlite3.Error):
        return error.orig
    if isinstance(error, sqlite3.Error):
        return error
    return None


class ServerLost(StoreError):
    """The database server stopped answering (stopped, restarted, the network down) or could not be reached again."""


def _server_error(error: BaseException, *, path: Path | str, what: str) -> StoreError | None:
    """The :class:`StoreError` for psycopg's failures that are no bug: a lost server, a writer past the lock timeout."""
    orig = error.orig if isinstance(error, DBAPIError) else error
    if not type(orig).__module__.startswith("psycopg"):
        return None  # SQLite's, or not a driver's (psycopg is imported only when it is there already)
    import psycopg

    if isinstance(orig, psycopg.errors.LockNotAvailable):  # lock_timeout: another workstation is writing
        return DatabaseBusy("store.busy", path=path, what=what)
    if isinstance(orig, psycopg.errors.DiskFull):
        return DiskFull("store.full", path=path, what=what)
    if isinstance(orig, psycopg.OperationalError):  # connection refused / closed / terminated (57P01…)
        return ServerLost("store.server_lost", path=path, what=what)
    return None


def store_error(error: BaseException, *, path: Path | str = "", what: str = "") -> StoreError | None:
    """Return the :class:`StoreError` for a driver error (None: not a database failure we translate).

    SQLite's by their result codes; a server's (psycopg): a lost connection, the lock timeout (busy), a full disk.

    Constraint violations and programming errors (bad SQL) are not translated: they are bugs, and keep
    their traceback in the log.
    """
    if isinstance(error, StoreError):
        return error
    server = _server_error(error, path=path, what=what)
    if server is not None:
        return server
    found = _sqlite_error(error)
    if found is None or isinstance(found, sqlite3.IntegrityError | sqlite3.ProgrammingError):
        return None
    code = getattr(found, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(found).lower()
    kind: type[StoreError]
    if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text:
        kind, key = DatabaseBusy, "store.busy"
    elif primary == SQLITE_FULL or "database or disk is full" in text:
        kind, key = DiskFull, "store.full"
    elif primary == SQLITE_READONLY or "readonly database" in text:
        kind, key = DatabaseReadOnly, "store.read_only"
    elif primary in (SQLITE_IOERR, SQLITE_CANTOPEN) or "disk i/o error" in text or "unable to open" in text:
        kind, key = DiskIOError, "store.io"
    elif primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text:
        kind, key = DatabaseDamaged, "store.damaged"
    elif isinstance(found, sqlite3.OperationalError | sqlite3.DatabaseError):
        return StoreError("store.other", path=path, what=what, reason=str(found))
    else:
        return None
    return kind(key, path=path, what=what)


@contextmanager
def translated(path: Path | str = "", *, what: str = "") -> Iterator[None]:
    """Raise the :class:`StoreError` for any database failure inside the block (chained to the original)."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as error:
        mapped = store_error(error, path=path, what=what)
        if mapped is None:
            raise
        raise mapped from error
