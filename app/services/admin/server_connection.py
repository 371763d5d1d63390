"""Connecting the window to a center's PostgreSQL server (#20): the URL from its parts, and where the password lives.

The window's server dialog asks host, port, database and user. The password is never part of the URL, never
written to the settings: it comes from the user's ``~/.pgpass`` (libpq reads it by itself), or from the OS
keyring (``keyring``, when installed: service "CareRounds PostgreSQL", user ``login@host:port/database``), or
is typed in the dialog and then kept in this process's memory only (and, if asked, saved in the keyring).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from app.domain.errors import ValidationError
from app.domain.i18n import register
from app.store import engines

register(
    {
        "field.server_host": {"zh_CN": "服务器", "en": "server"},
        "field.server_database": {"zh_CN": "数据库", "en": "database"},
        "field.server_user": {"zh_CN": "用户名", "en": "user"},
        "field.server_port": {"zh_CN": "端口", "en": "port"},
        "server.required": {"zh_CN": "请填写。", "en": "required."},
        "server.port_range": {"zh_CN": "应为 1–65535。", "en": "must be 1–65535."},
    }
)


@dataclass(frozen=True)
class ServerChoice:
    """Where a center's server database is: no password."""

    host: str
    port: int
    database: str
    user: str

    @property
    def url(self) -> str:
        """``postgresql://user@host:port/database`` (a host that is a folder: a Unix socket, ``?host=``)."""
        user, database = quote(self.user, safe=""), quote(self.database, safe="")
        if self.host.startswith("/"):
            return f"postgresql://{user}@/{database}?host={quote(self.host, safe='/')}&port={self.port}"
        return f"postgresql://{user}@{self.host}:{self.port}/{database}"


def choose_server(*, host: str, port: int, database: str, user: str) -> ServerChoice:
    """Check the dialog's fields and return the choice.

    Raises:
        ValidationError: an empty field or a port out of range (the field named).
    """
    for field, value in (("host", host), ("database", database), ("user", user)):
        if not value.strip():
            raise ValidationError(f"server_{field}", value, "server.required")
    if not 1 <= port <= 65535:
        raise ValidationError("server_port", port, "server.port_range")
    return ServerChoice(host.strip(), port, database.strip(), user.strip())


def keyring_available() -> bool:
    """Whether the OS keyring can be used here (the ``keyring`` package is installed)."""
    return engines.keyring_available()


def use_password(choice: ServerChoice, password: str, *, save: bool) -> bool:
    """Use ``password`` for the server of ``choice`` in this process; with ``save`` keep it in the OS keyring.

    Returns:
        Whether it was saved in the keyring.
    """
    url = engines.ServerURL(choice.url)
    engines.remember_password(url, password)
    return engines.save_to_keyring(url, password) if save else False


def has_password(choice: ServerChoice) -> bool:
    """Whether a password is known here for ``choice`` (typed this session or in the keyring; not ~/.pgpass)."""
    return engines.server_password(engines.ServerURL(choice.url)) is not None


def shown_url(url: str) -> str:
    """``url`` as shown in the window and its messages: never a password."""
    return engines.ServerURL(url).shown


def choice_from_url(url: str) -> ServerChoice | None:
    """The parts of a remembered server URL (the dialog's fields); None for an empty or unreadable one."""
    if not url:
        return None
    try:
        parsed = engines.ServerURL(url).sqlalchemy_url
    except Exception:  # a setting edited by hand: the dialog starts empty
        return None
    host = parsed.host or str(parsed.query.get("host") or "")
    port = parsed.port or str(parsed.query.get("port") or "5432")
    try:
        number = int(port)
    except ValueError:
        number = 5432
    return ServerChoice(host, number, parsed.database or "", parsed.username or "")


def url_to_remember(url: str) -> str:
    """``url`` without a password (one given on a command line is never written into the settings)."""
    return engines.ServerURL(url).without_password
