"""Why a connection to the center's PostgreSQL server failed, in words a family doctor or the IT staff can act on.

libpq reports a failed connection as one English line inside psycopg's ``OperationalError`` ("connection failed:
connection to server at "10.0.0.5", port 5432 failed: FATAL:  password authentication failed for user …"), with
no SQLSTATE to test. :func:`connection_failure` reads that text (or ``pg_dump``'s, which is libpq's too) and
says in the user's language what happened and what to do: no password found, the password refused, the server
not reachable, a host name unknown, no such database, this workstation not allowed by ``pg_hba.conf``. Anything
else is said as "the server refused the connection", with the server's own reason only (no library prefix).
:func:`statement_refused` does the same for a statement the server refused once connected (no ``CREATEDB`` for
a backup's trial restore): a sentence wholly in the user's language, the server's words left for the details.
"""

from __future__ import annotations

import re

from app.domain.i18n import register, t
from app.store.engines import ServerURL

register(
    {
        "server.no_password": {
            "zh_CN": "数据库服务器 {server} 要求用户 {user} 输入密码，但本机没有找到密码。请让中心信息科在本机的 "
            "~/.pgpass 中加一行（服务器:端口:*:用户:密码），或在“文件 → 打开服务器上的数据库…”中输入密码。",
            "en": "The database server {server} asks for user {user}'s password, and none was found on this computer. "
            "Ask the center's IT staff for a line in ~/.pgpass (server:port:*:user:password), or type the password "
            "in File → Open a database on a server….",
        },
        "server.wrong_password": {
            "zh_CN": "数据库服务器 {server} 拒绝了用户 {user} 的密码（密码错误，或没有这个用户）。"
            "请与中心信息科核对 ~/.pgpass 中（或输入）的用户名和密码。",
            "en": "The database server {server} refused user {user}'s password (a wrong password, or no such user). "
            "Check the user and the password in ~/.pgpass (or the one typed) with the center's IT staff.",
        },
        "server.unreachable": {
            "zh_CN": "连接不上数据库服务器 {server}：服务器没有运行，或网络、防火墙挡住了连接。"
            "请检查服务器地址和端口，并请中心信息科确认 PostgreSQL 正在运行。",
            "en": "The database server {server} cannot be reached: it is not running, or the network or a firewall "
            "blocks the connection. Check the server's address and port, and ask the center's IT staff whether "
            "PostgreSQL is running.",
        },
        "server.unknown_host": {
            "zh_CN": "找不到名为 {host} 的服务器（名称写错，或本网络无法解析该名称）。"
            "请检查服务器地址，或改用它的 IP 地址。",
            "en": "No server named {host} is known on this network (a typing error, or the name cannot be looked "
            "up here). Check the server's address, or use its IP address.",
        },
        "server.no_database": {
            "zh_CN": "数据库服务器 {server} 上没有名为 {database} 的数据库。请与中心信息科核对数据库名称"
            "（数据库由他们创建，见 docs/postgresql.md）。",
            "en": "The database server {server} has no database named {database}. Check the name with the "
            "center's IT staff (they create the database: docs/postgresql.md).",
        },
        "server.not_allowed": {
            "zh_CN": "数据库服务器 {server} 不接受本机以用户 {user} 连接数据库 {database}"
            "（pg_hba.conf 中没有本机地址）。请中心信息科在服务器上允许本工作站的地址。",
            "en": "The database server {server} does not accept this computer for user {user} on database "
            "{database} (no pg_hba.conf entry for this address). Ask the center's IT staff to allow this "
            "workstation's address on the server.",
        },
        "server.no_rights": {
            "zh_CN": "数据库服务器 {server} 允许用户 {user} 连接，但不允许使用中心的数据表。"
            "请中心信息科把 {user} 加入拥有该数据库的角色（GRANT 所有者角色 TO {user}，见 docs/postgresql.md）。",
            "en": "The database server {server} lets user {user} connect but not use the center's tables. Ask the "
            "center's IT staff to make {user} a member of the role that owns the database (GRANT owner_role TO "
            "{user}: docs/postgresql.md).",
        },
        "server.no_createdb": {
            "zh_CN": "数据库服务器 {server} 不允许用户 {user} 新建数据库（这个角色没有 CREATEDB 权限）。"
            "请中心信息科在服务器上执行 ALTER ROLE {user} CREATEDB（见 docs/postgresql.md）。",
            "en": "The database server {server} does not let user {user} create a database (the role lacks "
            "CREATEDB). Ask the center's IT staff to run ALTER ROLE {user} CREATEDB on the server "
            "(docs/postgresql.md).",
        },
        "server.statement_refused": {
            "zh_CN": "数据库服务器 {server} 拒绝了这一操作。请把服务器给出的原因告诉中心信息科：{detail}",
            "en": "The database server {server} refused it. Tell the center's IT staff its reason: {detail}",
        },
        "server.refused": {
            "zh_CN": "数据库服务器 {server} 拒绝了连接。请把以下原因告诉中心信息科：{detail}",
            "en": "The database server {server} refused the connection. Tell the center's IT staff its reason: "
            "{detail}",
        },
    }
)

_PATTERNS: tuple[tuple[str, str], ...] = (
    ("no password supplied", "server.no_password"),
    ("password authentication failed", "server.wrong_password"),
    ('role "', "server.wrong_password"),  # role "x" does not exist (trust or peer authentication)
    ("no pg_hba.conf entry", "server.not_allowed"),
    ("permission denied for table", "server.no_rights"),  # a role that is not the owner nor a member of it
    ("does not exist", "server.no_database"),  # FATAL:  database "x" does not exist
    ("failed to resolve host", "server.unknown_host"),
    ("could not translate host name", "server.unknown_host"),
    ("connection refused", "server.unreachable"),
    ("no such file or directory", "server.unreachable"),  # a Unix socket with no server behind it
    ("timeout expired", "server.unreachable"),
    ("no route to host", "server.unreachable"),
    ("network is unreachable", "server.unreachable"),
    ("server closed the connection unexpectedly", "server.unreachable"),
    ("is the server running", "server.unreachable"),
)
"""libpq's words (lower case) → the message saying them plainly; the first that matches wins."""

_CONNECTING = ("connection to server", "fe_sendauth", "failed to resolve host", "could not translate host name")
"""Words only a failed connection's message has (libpq's "connection to server at … failed: …")."""


_STATEMENT_PATTERNS: tuple[tuple[str, str], ...] = (("permission denied to create database", "server.no_createdb"),)
"""The server's words (lower case) refusing a statement (not a connection) → the message saying them plainly."""


def _params(url: ServerURL) -> dict[str, str]:
    parsed = url.sqlalchemy_url
    host = parsed.host or str(parsed.query.get("host") or "localhost")
    server = f"{host}:{parsed.port or 5432}" if not host.startswith("/") else host
    return {"server": server, "host": host, "user": parsed.username or "", "database": parsed.database or ""}


def connection_failure(url: ServerURL, text: str) -> str:
    """What a failed connection to ``url`` means, in the user's language (``text``: libpq's or a tool's message)."""
    params = _params(url)
    lowered = text.lower()
    for words, key in _PATTERNS:
        if words in lowered:
            return t(key, **params)
    return t("server.refused", detail=server_reason(text), **params)


def statement_refused(url: ServerURL, text: str) -> str:
    """Why the server at ``url`` refused a statement (``text``: psycopg's message), wholly in the user's language.

    A refusal it knows is said wholly in the user's language, the server's own (English) words left for the details
    (:func:`server_reason`); any other quotes them, as :func:`connection_failure` does, for the IT staff.
    """
    lowered = text.lower()
    key = next((key for words, key in _STATEMENT_PATTERNS if words in lowered), "server.statement_refused")
    return t(key, detail=server_reason(text), **_params(url))


def is_connection_failure(text: str) -> bool:
    """Whether ``text`` (a tool's error output) tells of a failed connection rather than, say, a full disk."""
    lowered = text.lower()
    return any(words in lowered for words in _CONNECTING)


def server_reason(text: str) -> str:
    """The server's own reason in a libpq message, without the library's wrapping ("connection failed: …")."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else ""
    first = re.sub(r"^(pg_dump|pg_restore): error: ", "", first)
    first = re.sub(r"^connection (failed|is bad): ", "", first)
    first = re.sub(r'^connection to server (at "[^"]*", port \d+|on socket "[^"]*") failed: ', "", first)
    return re.sub(r"^(FATAL|ERROR):\s+", "", first)
