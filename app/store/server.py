"""Opening a center's database on a PostgreSQL server (``--db postgresql://…``): create, upgrade or refuse.

The same store as a SQLite file (models, units of work, stamping, audit chain, query modules) on another
engine (:mod:`app.store.engines`). What a file has and a server does not: the file checks of
:meth:`Database.check_file` (a server database cannot be deleted under the app's feet) and file backups
(a server is backed up by its own tools, ``pg_dump``: docs/postgresql.md).
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError

from app.domain.i18n import register
from app.store import cipher, migrations
from app.store.database import Database, OpenReport, _load_device
from app.store.engines import WRITE_OPTION, ServerURL, make_server_engine
from app.store.errors import translated
from app.store.server_errors import connection_failure
from app.sync.clock import HybridLogicalClock

log = logging.getLogger(__name__)

register(
    {
        "server.empty": {
            "zh_CN": "服务器数据库 {path} 中还没有医养巡诊的中心。"
            "请新建一个中心（center create --db {path} --name …），"
            "或把现有中心的 SQLite 数据库迁移上去（center move-to {path} --db center.sqlite），见 docs/postgresql.md。",
            "en": "The server database {path} holds no CareRounds center yet. Start one (center create --db {path} "
            "--name …) or move a center's SQLite database onto it (center move-to {path} --db center.sqlite): "
            "docs/postgresql.md.",
        },
        "server.not_ours": {
            "zh_CN": "服务器数据库 {path} 不是医养巡诊数据库（其中有别的表：{tables}）。请核对数据库名称，"
            "或请中心信息科新建一个空数据库。",
            "en": "The server database {path} is not a CareRounds database (it holds other tables: {tables}). "
            "Check the database's name, or ask the center's IT staff for a new, empty database.",
        },
    }
)


class ServerDatabase(Database):
    """A CareRounds database on a PostgreSQL server. ``path`` is the URL as shown (no password)."""

    def __init__(self, url: ServerURL, engine: Engine, device_id: str, clock: HybridLogicalClock) -> None:
        self.url = url
        self.path = Path(url.shown)  # only for messages: a server database has no file
        self.engine = engine
        self.device_id = device_id
        self.clock = clock
        self.vanished = False
        self._reading = engine.execution_options(**{WRITE_OPTION: False})
        # no key of ours: a server's storage is encrypted (or not) by the server (docs/postgresql.md), so it
        # is a "plain" database to the key handling: nothing to lock, no key file to rewrap after account changes
        self._holder = cipher.KeyHolder(self.path, None)

    @property
    def is_server(self) -> bool:
        return True

    def check_file(self, *, what: str = "") -> None:
        """Nothing to check: a server database is not a file that can be deleted or replaced under us."""

    def file_replaced(self) -> None:
        """Nothing to accept: a server database has no file."""


def open_server_database(url: ServerURL, *, device_name: str = "", create: bool = True) -> tuple[Database, OpenReport]:
    """Open the CareRounds database at ``url``: create the schema in an empty database, upgrade an older one.

    The database itself (``CREATE DATABASE``) is made by the server's administrator (docs/postgresql.md);
    an empty one gets the schema here. An upgrade takes no file backup: the server's ``pg_dump`` backups
    are its IT staff's job, and the upgrade runs in one transaction (PostgreSQL's DDL is transactional).

    Raises:
        DatabaseMissing: the database has no CareRounds schema and ``create`` is False.
        NotOurDatabase: the database holds other tables and no CareRounds schema.
        DatabaseTooNew: written by a newer version of the app.
        DatabaseUnreadable: the server cannot be reached or refuses the connection (said in plain words:
            :func:`app.store.server_errors.connection_failure`).
    """
    engine = make_server_engine(url)
    report = OpenReport()
    shown = url.shown
    try:
        reading = engine.execution_options(**{WRITE_OPTION: False})
        try:
            revision = migrations.current_revision(reading)
        except DBAPIError as error:
            reason = connection_failure(url, str(error.orig))
            raise migrations.DatabaseUnreadable("db.unreadable", path=shown, reason=reason) from error
        with translated(shown):
            if revision is None:
                if migrations.has_tables(reading):
                    tables = ", ".join(sorted(inspect(reading).get_table_names())[:5])
                    raise migrations.NotOurDatabase("server.not_ours", path=shown, tables=tables)
                if not create:
                    raise migrations.DatabaseMissing("server.empty", path=shown)
                migrations.upgrade(engine)
                report.created = True
            elif revision != migrations.head_revision():
                if revision not in migrations.known_revisions():
                    raise migrations.DatabaseTooNew("db.too_new", found=revision, known=migrations.head_revision())
                migrations.upgrade(engine)
                report.upgraded_from = revision
            device_id, clock = _load_device(engine, device_name)
    except BaseException:
        engine.dispose()
        raise
    return ServerDatabase(url, engine, device_id, clock), report
