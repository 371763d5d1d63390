"""This device's sync bookkeeping in the local tables: ``device_state``, ``center``, ``sync_peer``, ``sync_log``
and ``imported_package`` (they never travel). What the rows mean is :mod:`app.services.sync.state`'s business.

Writes run inside the caller's transaction on a :class:`SyncConnection` (see its ``writing()``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from app.store import cipher
from app.store.database import Database
from app.store.queries.sync_base import SyncConnection
from app.store.queries.sync_connection import utc_now_text
from app.store.sqlite import sqlite3

PeerRow = tuple[str, str | None, str | None, str | None, str | None, str | None]
"""``(device_id, name, acked_watermark, sent_watermark, received_watermark, last_seen)`` of ``sync_peer``."""

# --- this device and its center ---------------------------------------------------------------------------------


def device_row(connection: SyncConnection) -> tuple[str, str | None, str | None] | None:
    """Return ``(device_id, name, center_key)`` of this device, or None in a database without one."""
    found = connection.driver.execute("SELECT device_id, name, center_key FROM device_state LIMIT 1").fetchone()
    return None if found is None else (found[0], found[1], found[2])


def center_row(connection: SyncConnection) -> tuple[str, str, str] | None:
    """Return ``(id, name, code)`` of the center, or None before there is one."""
    found = connection.driver.execute("SELECT id, name, code FROM center WHERE deleted = 0 LIMIT 1").fetchone()
    return None if found is None else (found[0], found[1], found[2])


def stored_center_key(connection: SyncConnection, device_id: str) -> str | None:
    """Return the center key stored for ``device_id`` (base64), or None (or "") if none is stored."""
    found = connection.driver.execute("SELECT center_key FROM device_state WHERE device_id = ?", (device_id,))
    row = found.fetchone()
    return row[0] if row else None


def store_center_key(connection: SyncConnection, device_id: str, key_text: str) -> None:
    connection.driver.execute("UPDATE device_state SET center_key = ? WHERE device_id = ?", (key_text, device_id))


def add_device(connection: SyncConnection, *, device_id: str, name: str, center_key: str, last_clock: str) -> None:
    """Give the database the identity of a device (a copy just unpacked from a join package)."""
    connection.driver.execute(
        "INSERT INTO device_state (device_id, name, center_key, last_clock) VALUES (?, ?, ?, ?)",
        (device_id, name, center_key, last_clock),
    )


def set_last_clock(connection: SyncConnection, device_id: str, clock: str) -> None:
    connection.driver.execute("UPDATE device_state SET last_clock = ? WHERE device_id = ?", (clock, device_id))


def persist_clock(connection: SyncConnection, database: Database, device_id: str) -> None:
    """Store ``database``'s clock as ``device_id``'s last one if it is later (see ``Database.persist_clock``)."""
    database.persist_clock_on(connection.driver, device_id)


def catch_up_clock(connection: SyncConnection, database: Database, device_id: str) -> None:
    """Move ``database``'s clock past the value stored for ``device_id`` (call under the write lock)."""
    database.catch_up_clock_on(connection.driver, device_id)


def clear_tables(connection: SyncConnection, tables: Iterable[str]) -> None:
    """Delete every row of ``tables`` (the local tables of a copy that becomes another device's database)."""
    for table in tables:
        connection.driver.execute(f'DELETE FROM "{table}"')


def is_fresh_database(path: Path) -> bool:
    """Return whether ``path`` may become a new device's database: absent, empty, or a database without a
    center (no tables at all, or an empty ``center`` table). A file that is not a database is not fresh."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    try:
        with closing(cipher.connect(path, mode="ro")) as driver:
            tables = {n for (n,) in driver.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            has_center = "center" in tables and driver.execute("SELECT COUNT(*) FROM center").fetchone()[0] > 0
            return not (tables and ("center" not in tables or has_center))
    except sqlite3.DatabaseError:
        return False


# --- devices of the center --------------------------------------------------------------------------------------


def peer_rows(connection: SyncConnection) -> list[PeerRow]:
    """Return every ``sync_peer`` row: this device's own, peers, invitations, devices known by name."""
    return connection.driver.execute(
        "SELECT device_id, name, acked_watermark, sent_watermark, received_watermark, last_seen FROM sync_peer"
    ).fetchall()


def save_own_peer(
    connection: SyncConnection, *, device_id: str, name: str, sent_watermark: str, acked_watermark: str
) -> None:
    """Write this device's own ``sync_peer`` row (its export clock and knowledge vector)."""
    connection.driver.execute(
        "INSERT INTO sync_peer (device_id, name, sent_watermark, acked_watermark, received_watermark, last_seen) "
        "VALUES (?, ?, ?, ?, '', NULL) ON CONFLICT(device_id) DO UPDATE SET name = excluded.name, "
        "sent_watermark = excluded.sent_watermark, acked_watermark = excluded.acked_watermark",
        (device_id, name, sent_watermark, acked_watermark),
    )


def received_watermark(connection: SyncConnection, device_id: str) -> str | None:
    """Return the export clock of the newest package received from ``device_id`` ("" if none), or None when the
    device has no ``sync_peer`` row."""
    row = connection.driver.execute("SELECT received_watermark FROM sync_peer WHERE device_id = ?", (device_id,))
    found = row.fetchone()
    return None if found is None else (found[0] or "")


def add_peer(
    connection: SyncConnection, *, device_id: str, name: str, acked_watermark: str, received_watermark: str
) -> None:
    """Add a device a package came from (seen now)."""
    connection.driver.execute(
        "INSERT INTO sync_peer (device_id, name, sent_watermark, acked_watermark, received_watermark, last_seen) "
        "VALUES (?, ?, '', ?, ?, ?)",
        (device_id, name, acked_watermark, received_watermark, utc_now_text()),
    )


def update_peer(
    connection: SyncConnection, *, device_id: str, name: str, acked_watermark: str, received_watermark: str
) -> None:
    """Store what a peer declared in its newest package (seen now; no longer an invitation)."""
    connection.driver.execute(
        "UPDATE sync_peer SET name = ?, acked_watermark = ?, received_watermark = ?, last_seen = ?, "
        "sent_watermark = '' WHERE device_id = ?",
        (name, acked_watermark, received_watermark, utc_now_text(), device_id),
    )


def touch_peer(connection: SyncConnection, device_id: str) -> None:
    """Mark a peer as seen now."""
    connection.driver.execute("UPDATE sync_peer SET last_seen = ? WHERE device_id = ?", (utc_now_text(), device_id))


def remember_device_name(connection: SyncConnection, device_id: str, name: str) -> None:
    """Add a device known only by name (a name already known is kept)."""
    connection.driver.execute(
        "INSERT INTO sync_peer (device_id, name, sent_watermark, acked_watermark, received_watermark, last_seen) "
        "VALUES (?, ?, '', '', '', NULL) ON CONFLICT(device_id) DO UPDATE SET name = "
        "CASE WHEN sync_peer.name = '' THEN excluded.name ELSE sync_peer.name END",
        (device_id, name),
    )


def add_invitation(
    connection: SyncConnection, *, invitation_id: str, label: str, snapshot_clock: str, acked_watermark: str
) -> None:
    """Record an invitation not yet used (``last_seen`` NULL, ``sent_watermark`` the snapshot's clock)."""
    connection.driver.execute(
        "INSERT INTO sync_peer (device_id, name, sent_watermark, acked_watermark, received_watermark, "
        "last_seen) VALUES (?, ?, ?, ?, '', NULL)",
        (invitation_id, label, snapshot_clock, acked_watermark),
    )


def forget_invitation(connection: SyncConnection, invitation_id: str) -> None:
    """Remove an invitation (the device it stood for has sent its first package); a peer row stays."""
    connection.driver.execute("DELETE FROM sync_peer WHERE device_id = ? AND last_seen IS NULL", (invitation_id,))


def forget_device(connection: SyncConnection, device_id: str) -> None:
    """Remove another device's ``sync_peer`` row (never this device's own)."""
    connection.driver.execute(
        "DELETE FROM sync_peer WHERE device_id = ? AND device_id != (SELECT device_id FROM device_state LIMIT 1)",
        (device_id,),
    )


# --- packages imported, and the history -------------------------------------------------------------------------


def is_imported(connection: SyncConnection, package_id: str) -> bool:
    found = connection.driver.execute("SELECT 1 FROM imported_package WHERE package_id = ?", (package_id,))
    return found.fetchone() is not None


def mark_imported(connection: SyncConnection, package_id: str, source_device: str) -> None:
    connection.driver.execute(
        "INSERT INTO imported_package (package_id, source_device, imported_at) VALUES (?, ?, ?) "
        "ON CONFLICT (package_id) DO UPDATE SET source_device = excluded.source_device, "
        "imported_at = excluded.imported_at",
        (package_id, source_device, utc_now_text()),
    )


def add_log(
    connection: SyncConnection,
    *,
    direction: str,
    package_id: str,
    peer: str,
    path: Path,
    counts: dict[str, Any],
    result: str = "ok",
) -> None:
    """Add a line to the sync history (``direction``: export, import, invite or join), at now."""
    connection.driver.execute(
        "INSERT INTO sync_log (id, at, direction, package_id, peer_device, path, counts, result) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            str(uuid.uuid4()),
            utc_now_text(),
            direction,
            package_id,
            peer,
            str(path),
            json.dumps(counts, ensure_ascii=False),
            result,
        ),
    )


def forget_import_log(connection: SyncConnection, package_id: str) -> None:
    """Remove the history line of the import of ``package_id`` (written again within the same transaction)."""
    connection.driver.execute("DELETE FROM sync_log WHERE direction = 'import' AND package_id = ?", (package_id,))


def last_join_package(connection: SyncConnection) -> str:
    """Return the id of the join package this database was made from ("" if none)."""
    found = connection.driver.execute(
        "SELECT package_id FROM sync_log WHERE direction = 'join' ORDER BY at DESC LIMIT 1"
    ).fetchone()
    return found[0] if found else ""


def last_sync_times(connection: SyncConnection) -> dict[str, str]:
    """Return ``{direction: time of the latest}`` of the history."""
    return dict(connection.driver.execute("SELECT direction, MAX(at) FROM sync_log GROUP BY direction").fetchall())


def log_rows(connection: SyncConnection, *, limit: int) -> list[tuple[Any, ...]]:
    """Return the newest ``limit`` lines of the history as ``(at, direction, package_id, peer_device, path,
    counts (JSON), result)``, newest first."""
    return connection.driver.execute(
        "SELECT at, direction, package_id, peer_device, path, counts, result FROM sync_log ORDER BY at DESC LIMIT ?",
        (limit,),
    ).fetchall()
