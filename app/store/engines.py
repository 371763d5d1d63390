"""Which engine a ``--db`` names: a SQLite file (the default, the laptops') or a PostgreSQL server URL.

A center with several workstations keeps one database on a PostgreSQL server of its LAN (docs/postgresql.md);
everything that differs between the two engines is decided here from the URL, and by the dialect name
(``engine.dialect.name``: ``"sqlite"`` or ``"postgresql"``) in the few query modules whose SQL differs.

PostgreSQL connections use psycopg 3. The URL names user, host, port and database
(``postgresql://nurse@db.center.lan/carerounds``, or ``postgresql://nurse@/carerounds?host=/run/postgresql``
for a Unix socket); the password is NOT taken from the URL's display and should come from ``~/.pgpass``
(or ``PGPASSFILE``), which libpq reads by itself, so a password never sits in the settings or a command line.

Transactions on the server keep SQLite's rule "a writer holds the write lock from its first statement":
a writing unit of work begins with ``pg_advisory_xact_lock`` on one center-wide key, so two workstations
writing at the same moment queue exactly as two windows on one SQLite file do, and everything a writer
reads — the row, its per-field clocks, the audit chain's head — is what it then writes against. A reading
unit of work runs ``READ ONLY`` and never waits for a writer (MVCC). A writer that waits longer than
:data:`~app.store.database.BUSY_TIMEOUT_MS` fails as "busy", as on SQLite.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from app.domain.errors import DomainError
from app.domain.i18n import register, t

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
"""URL schemes that name a PostgreSQL server (``--db postgresql://…``)."""

WRITE_LOCK_KEY = 0x43415245  # "CARE": the advisory lock every writing transaction of a center takes first
"""The key of the transaction-level advisory lock that serializes writers (one database = one center)."""

WRITE_OPTION = "carerounds_write"
"""Execution option shared with :mod:`app.store.database`: False begins a read-only transaction."""

LOCK_TIMEOUT_MS = 10_000
"""How long a writer waits for another workstation's write lock before "the database is busy"."""


register(
    {
        "server.file_only": {
            "zh_CN": "“{feature}”只适用于数据库文件，不能用于服务器（PostgreSQL）上的中心。",
            "en": "“{feature}” works on a database file only, not on a center on a PostgreSQL server.",
        },
        "server.feature.sync": {"zh_CN": "按文件同步", "en": "sync by file"},
        "server.feature.join": {
            "zh_CN": "加入中心（新设备的数据库文件：center join --db 笔记本.sqlite）",
            "en": "joining a center (a new device's database file: center join --db laptop.sqlite)",
        },
        "server.feature.backup": {"zh_CN": "备份与恢复", "en": "backup and restore"},
    }
)


class FileOnly(DomainError):
    """A feature that works on a SQLite file only was asked of a center on a server (sync by file, file backups)."""


def is_server_path(path: object) -> bool:
    """True for the ``path`` of a server database (:class:`app.store.server.ServerDatabase`: the URL as shown)."""
    return str(path).startswith(tuple(f"{scheme}:" for scheme in SERVER_SCHEMES))


def refuse_server(path: object, feature: str) -> None:
    """Raise :class:`FileOnly` when ``path`` is a server database's: ``feature`` needs a SQLite file."""
    if is_server_path(path):
        raise FileOnly("server.file_only", feature=t(f"server.feature.{feature}"))


class ServerURL(str):
    """A ``postgresql://`` URL given where a database file path may be (``--db``, settings).

    A ``str`` so it passes through the places that only show or store it; :attr:`shown` hides a password.
    """

    @property
    def shown(self) -> str:
        """The URL as shown to people and written in logs and messages: no password."""
        return make_url(_driver_url(self)).render_as_string(hide_password=True).replace("+psycopg", "", 1)

    @property
    def sqlalchemy_url(self) -> URL:
        return make_url(_driver_url(self))

    @property
    def without_password(self) -> str:
        """The URL with no password in it at all (what may be written into the settings)."""
        parsed = self.sqlalchemy_url
        bare = URL.create("postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
        return bare.render_as_string(hide_password=False)


def is_server_url(target: object) -> bool:
    """True when ``target`` (a str or a Path) names a PostgreSQL server rather than a SQLite file."""
    if isinstance(target, ServerURL):
        return True
    if not isinstance(target, str):
        return False
    scheme, separator, _ = target.partition("://")
    return bool(separator) and scheme.lower() in SERVER_SCHEMES


def db_target(text: str) -> Path | ServerURL:
    """Turn a ``--db`` value into a file path or a :class:`ServerURL` (argparse ``type=``).

    Raises:
        ValueError: a server URL that cannot be parsed (argparse says "invalid value").
    """
    if is_server_url(text):
        url = ServerURL(text)
        parts = urlsplit(text)
        if not (parts.path.strip("/") or dict(parse_qsl(parts.query)).get("dbname")):
            raise ValueError("a PostgreSQL URL needs a database name: postgresql://user@host/dbname")
        url.sqlalchemy_url  # noqa: B018  (parses it: a malformed URL is refused here, not on first use)
        return url
    return Path(text)


def dialect_of(bind: Any) -> str:
    """``"sqlite"`` or ``"postgresql"`` for an engine, connection or session."""
    engine = getattr(bind, "bind", bind)  # a Session's bind
    return str(engine.dialect.name)


def _driver_url(url: str) -> str:
    _, _, rest = url.partition("://")
    return f"postgresql+psycopg://{rest}"


KEYRING_SERVICE = "CareRounds PostgreSQL"
"""The OS keyring's service name under which a server password is kept (user name: :func:`keyring_user`)."""

_PASSWORDS: dict[str, str] = {}
"""Passwords typed in this process (the window's server dialog), by :func:`keyring_user`: memory only."""


def keyring_user(url: ServerURL) -> str:
    """``nurse@db.center.lan:5432/carerounds``: whose password, on which server and database."""
    parsed = url.sqlalchemy_url
    host = parsed.host or parsed.query.get("host") or "localhost"
    return f"{parsed.username or ''}@{host}:{parsed.port or 5432}/{parsed.database or ''}"


def remember_password(url: ServerURL, password: str) -> None:
    """Use ``password`` for ``url`` in this process (never written anywhere)."""
    _PASSWORDS[keyring_user(url)] = password


def forget_password(url: ServerURL) -> None:
    """Stop using a password given by :func:`remember_password` for ``url``."""
    _PASSWORDS.pop(keyring_user(url), None)


def _keyring() -> Any:
    """The ``keyring`` package when it is installed and has a usable backend, else None."""
    import importlib

    try:
        return importlib.import_module("keyring")  # an optional dependency: pip install keyring
    except ImportError:
        return None


def keyring_available() -> bool:
    return _keyring() is not None


def save_to_keyring(url: ServerURL, password: str) -> bool:
    """Keep ``password`` for ``url`` in the OS keyring; False when there is none usable."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_user(url), password)
    except Exception:  # keyring.errors.KeyringError, no backend (a server without a desktop session)
        return False
    return True


def server_password(url: ServerURL) -> str | None:
    """The password to send for ``url``: one in the URL itself (a command line's), else typed in this process,
    else the OS keyring's; None lets libpq read ``~/.pgpass`` (``PGPASSFILE``) by itself."""
    if url.sqlalchemy_url.password:
        return str(url.sqlalchemy_url.password)
    typed = _PASSWORDS.get(keyring_user(url))
    if typed is not None:
        return typed
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, keyring_user(url))
    except Exception:  # no usable backend
        return None
    return str(found) if found else None


def make_server_engine(url: ServerURL) -> Engine:
    """Create an engine on the PostgreSQL database of ``url`` (psycopg 3), with the store's transaction rules.

    Every session works in UTC (timestamps are stored as UTC wall time, as in SQLite files) and waits at
    most :data:`LOCK_TIMEOUT_MS` for a lock.
    """
    options: dict[str, str] = server_connect_options()
    password = server_password(url)
    if password is not None and not url.sqlalchemy_url.password:
        options["password"] = password  # in memory only: not in the URL shown, logged or kept in settings
    engine = create_engine(url.sqlalchemy_url, connect_args=options, pool_pre_ping=True)
    event.listen(engine, "begin", _begin)
    return engine


def server_connect_options() -> dict[str, str]:
    """psycopg's connection options of every workstation connection: UTC, the lock timeout, the local offset."""
    return {
        "options": f"-c TimeZone=UTC -c lock_timeout={LOCK_TIMEOUT_MS} -c client_encoding=UTF8 "
        f"-c carerounds.utc_offset={_utc_offset()}",
        "application_name": "CareRounds",
    }


_PARAMETER = re.compile(r"'(?:[^']|'')*'|::|%|(?<![:\w]):([A-Za-z_]\w*)")


@functools.lru_cache(maxsize=512)
def pyformat(sql: str) -> str:
    """SQLite-style ``:name`` parameters as psycopg's ``%(name)s``.

    ``::`` casts and the names inside ``'…'`` literals stay as they are; every ``%`` is doubled.
    """

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if match.group(1):
            return f"%({match.group(1)})s"
        return token.replace("%", "%%")  # a literal's too: psycopg reads every %

    return _PARAMETER.sub(replace, sql)


def fast_rows_on_server(driver: Any, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """``UnitOfWork.fast_rows`` on psycopg: plain tuples with dates and timestamps as ISO text, as SQLite gives them."""
    from psycopg.types.string import TextLoader

    cursor = driver.cursor()
    for name in ("date", "timestamp", "timestamptz", "json", "jsonb"):
        cursor.adapters.register_loader(name, TextLoader)
    try:
        cursor.execute(pyformat(sql), params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _utc_offset() -> str:
    """This workstation's offset from UTC now, as ``+08:00``: "the local day" of ``date(…, 'localtime')``."""
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _begin(connection: Any) -> None:
    """First statements of a transaction: the center's write lock for a writer, READ ONLY for a reader.

    psycopg has already sent ``BEGIN`` (READ COMMITTED) when this runs. Holding the advisory lock to
    the end of the transaction makes writers queue in the order they began, so a writer's reads (the
    row's clocks, the audit chain's head) are the latest commit and nobody commits in between.
    """
    write = bool(connection.get_execution_options().get(WRITE_OPTION, True))
    if write:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
    else:
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
