"""The one place that wires settings, the database, services and (for the GUI) the task runner."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.store.cipher import Credentials

__all__ = ["AppContext", "Credentials", "is_read_only", "needs_credentials", "open_context"]
from app.store.database import Database, OpenReport, open_database
from app.store.uow import UnitOfWork


@dataclass
class AppContext:
    """An open database and who is using it; hands out units of work."""

    database: Database
    report: OpenReport
    actor_id: str | None = None
    extras: dict[str, object] = field(default_factory=dict)

    def uow(self) -> UnitOfWork:
        """Return a new unit of work acting as the signed-in staff member."""
        return UnitOfWork(self.database, actor_id=self.actor_id)

    def close(self) -> None:
        self.database.close()


def open_context(
    db_path: Path | str,
    *,
    device_name: str = "",
    create: bool = True,
    credentials: Credentials | None = None,
    encrypt_new: bool = False,
) -> AppContext:
    """Open (create, or upgrade after a backup) the database at ``db_path``: a SQLite file, or a PostgreSQL
    server's database when ``db_path`` is a ``postgresql://`` URL (docs/postgresql.md).

    Args:
        create: make a new database if there is none at ``db_path`` (False: refuse with DatabaseMissing).
        credentials: a login and password, or the recovery key, that open an encrypted database (its key
            is unwrapped from the key file next to it); not needed for a plain database.
        encrypt_new: a new database is created encrypted; its recovery key is in ``report.recovery_key``.

    Raises:
        DatabaseMissing, DatabaseTooNew, DatabaseUnreadable, NotOurDatabase: the file cannot be used.
        DatabaseLocked: an encrypted database and no credentials.
        WrongPassword, WrongRecoveryKey, RecoveryKeyTypo, KeyFileProblem: the credentials do not open it.
    """
    from app.store.engines import ServerURL, is_server_url

    if is_server_url(db_path):
        from app.store.server import open_server_database

        database, report = open_server_database(ServerURL(db_path), device_name=device_name, create=create)
    else:
        database, report = open_database(
            Path(db_path), device_name=device_name, create=create, credentials=credentials, encrypt_new=encrypt_new
        )
    return AppContext(database=database, report=report)


def needs_credentials(db_path: Path) -> bool:
    """Whether ``db_path`` is an encrypted database whose key this process does not hold (it has a key file).

    Reads the file's first bytes: call it only while this process has no connection to the file.
    """
    from app.store import cipher, key_wraps

    known, _key = cipher.known_key(Path(db_path))
    if known:
        return False
    return key_wraps.key_file_path(Path(db_path)).is_file() and cipher.file_is_plain(Path(db_path)) is False


def is_read_only(db_path: Path | str) -> bool:
    """Whether the database file ``db_path`` exists and this user may not write it or its folder: it then opens
    for viewing only (``database.read_only``; docs/security.md, "A read-only database"). False for a server."""
    from app.store.engines import is_server_url
    from app.store.read_only import may_write

    if is_server_url(db_path) or not Path(db_path).is_file():
        return False
    return not may_write(Path(db_path))
