"""Moving a center from its SQLite file onto a PostgreSQL server (``center move-to``; docs/postgresql.md).

The person has signed in on the file as an administrator (``BACKUP_RESTORE``) before this is called; the
copy and its check are the store's (:mod:`app.store.move`).
"""

from __future__ import annotations

from pathlib import Path

from app.store.engines import ServerURL
from app.store.move import MoveMismatch, MoveRefused, MoveSummary, move_to_server

__all__ = ["MoveMismatch", "MoveRefused", "MoveSummary", "move_center"]


def move_center(*, source: Path, target: ServerURL) -> MoveSummary:
    """Copy everything of the center in ``source`` into the empty server database ``target`` and verify it.

    The file is left as it was (the backup of the moment of the move).

    Raises:
        MoveRefused: the target is not empty, or the file is not at this version's schema.
        MoveMismatch: the check after the copy failed; the server database is empty again.
    """
    return move_to_server(Path(source), target)
