"""Consistent online backups of the database file with SQLite's backup API."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path


def backup_database(source: Path, destination: Path) -> Path:
    """Copy the live database ``source`` to ``destination`` consistently, even while it is in use.

    The copy is written to a temporary file and renamed into place, so a crash or a kill mid-backup
    never leaves a half-written file under the final name.

    Returns:
        The destination path.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, destination)
    return destination


def timestamped_name(database: Path, label: str, *, now: datetime | None = None) -> str:
    """Return a backup file name such as ``center-20261122-143000-daily.sqlite``."""
    moment = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{database.stem}-{moment}-{label}.sqlite"
