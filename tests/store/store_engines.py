"""Opening the store's database on either engine, for the store tests (``from store_engines import open_target``)."""

from __future__ import annotations

from pathlib import Path

from app.store.database import Database, OpenReport, open_database
from app.store.engines import ServerURL
from app.store.server import open_server_database


def open_target(target: Path | str) -> tuple[Database, OpenReport]:
    """Open (create, upgrade) the store's database at ``target``: a SQLite file, or a server database's URL."""
    if isinstance(target, Path):
        return open_database(target)
    return open_server_database(ServerURL(target))
