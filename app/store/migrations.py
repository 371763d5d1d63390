"""Alembic migrations (``db/``) run from the app: create, upgrade with a backup, refuse newer files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from app import package_data
from app.domain.errors import DomainError
from app.domain.i18n import register

register(
    {
        "db.too_new": {
            "zh_CN": "该数据库由更新版本的医养巡诊创建（结构版本 {found}），本程序只认识到 {known}。请先升级程序。",
            "en": "This database was written by a newer CareRounds (schema {found}); this version knows "
            "up to {known}. Please update the app first.",
        },
        "db.not_ours": {
            "zh_CN": "文件 {path} 不是医养巡诊数据库。",
            "en": "The file {path} is not a CareRounds database.",
        },
        "db.missing": {
            "zh_CN": "找不到数据库文件 {path}。请检查路径（新建示范库请用 demo 命令，新设备请用 center join）。",
            "en": "There is no database file {path}. Check the path (make a demo center with the demo command, "
            "set up a new device with center join).",
        },
        "db.is_folder": {
            "zh_CN": "{path} 是文件夹，不是数据库文件。",
            "en": "{path} is a folder, not a database file.",
        },
        "db.no_migrations": {
            "zh_CN": "程序安装不完整：找不到数据库结构脚本（{path}）。请重新安装医养巡诊。",
            "en": "The installation is incomplete: the database migrations are missing ({path}). "
            "Please reinstall CareRounds.",
        },
        "db.unreadable": {
            "zh_CN": "无法打开数据库 {path}：{reason}",
            "en": "The database {path} cannot be opened: {reason}",
        },
    }
)


if TYPE_CHECKING:
    from alembic.config import Config

KNOWN_REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
)
"""The schema revisions in ``db/versions``, oldest first; the last is the head.

Written out so that opening an up-to-date database needs no Alembic import (about 0.2 s of start-up);
``tests/store`` checks them against the migration scripts. Add a revision here with each new migration.
"""


class DatabaseTooNew(DomainError):
    """The database's schema revision is unknown to this version of the app."""


class NotOurDatabase(DomainError):
    """The file is not a CareRounds database (other tables, not SQLite at all, or a folder)."""


class DatabaseUnreadable(DomainError):
    """SQLite cannot open or read the file (permissions, a locked or damaged file)."""


class DatabaseMissing(DomainError):
    """The database file does not exist and was not to be created."""


class MigrationsMissing(DomainError):
    """The app's own migration scripts are not installed (a broken install or bundle)."""


def migrations_dir() -> Path:
    """Locate the migrations: package data ``app/_db`` when installed or bundled, else ``db/`` of the checkout."""
    return package_data.migrations_dir()


def alembic_config(engine: Engine | None = None) -> Config:
    """Return the Alembic configuration of the app's migrations (on ``engine`` when given).

    Raises:
        MigrationsMissing: the migration scripts are not installed.
    """
    from alembic.config import Config

    location = migrations_dir()
    if not (location / "env.py").is_file():
        raise MigrationsMissing("db.no_migrations", path=location)
    config = Config()
    config.set_main_option("script_location", str(location))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """Return the newest schema revision this version of the app knows."""
    return KNOWN_REVISIONS[-1]


def known_revisions() -> set[str]:
    """Return every schema revision this version of the app knows."""
    return set(KNOWN_REVISIONS)


def current_revision(engine: Engine) -> str | None:
    """Return the database's schema revision (None: no Alembic version table, or an empty one)."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            table = connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).first()
        else:  # PostgreSQL (app.store.engines): the table in the connection's schema search path
            table = connection.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar()
        if table is None:
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])


def has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` on the database behind ``engine``."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
