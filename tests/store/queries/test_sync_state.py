"""Sync's bookkeeping: which devices it forgets, which names it keeps, which files a device may join into."""

from __future__ import annotations

from pathlib import Path

from app.bootstrap import open_context
from app.store.queries import sync_state
from app.store.queries.sync_connection import sync_connection
from app.store.sqlite import sqlite3


def test_forgetting_a_device_never_forgets_this_one(db_path: Path) -> None:
    open_context(db_path).close()
    with sync_connection(db_path) as connection:
        device = sync_state.device_row(connection)
        assert device is not None
        own_id = device[0]
        with connection.writing():
            sync_state.save_own_peer(connection, device_id=own_id, name="ws", sent_watermark="", acked_watermark="")
            sync_state.add_peer(
                connection, device_id="laptop", name="笔记本", acked_watermark="", received_watermark="c1"
            )
            sync_state.forget_device(connection, own_id)
            sync_state.forget_device(connection, "laptop")
        assert [row[0] for row in sync_state.peer_rows(connection)] == [own_id]


def test_a_name_heard_of_fills_an_empty_one_and_never_replaces_a_known_one(db_path: Path) -> None:
    open_context(db_path).close()
    with sync_connection(db_path) as connection, connection.writing():
        sync_state.remember_device_name(connection, "a", "")
        sync_state.remember_device_name(connection, "a", "护士站")
        sync_state.remember_device_name(connection, "a", "renamed elsewhere")
        assert {row[0]: row[1] for row in sync_state.peer_rows(connection)} == {"a": "护士站"}
        assert sync_state.received_watermark(connection, "a") == ""
        assert sync_state.received_watermark(connection, "never-seen") is None


def test_only_an_absent_empty_or_center_less_file_may_become_a_joining_device(tmp_path: Path) -> None:
    def database(name: str, *statements: str) -> Path:
        path = tmp_path / name
        with sqlite3.connect(path) as connection:
            for statement in statements:
                connection.execute(statement)
        connection.close()
        return path

    empty_file = tmp_path / "empty.sqlite"
    empty_file.touch()
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_bytes(b"not a database, " * 512)
    assert sync_state.is_fresh_database(tmp_path / "absent.sqlite")
    assert sync_state.is_fresh_database(empty_file)
    assert sync_state.is_fresh_database(database("no-tables.sqlite", "PRAGMA user_version = 1"))
    assert sync_state.is_fresh_database(database("no-center.sqlite", "CREATE TABLE center (id TEXT)"))
    with_center = database("center.sqlite", "CREATE TABLE center (id TEXT)", "INSERT INTO center VALUES ('c')")
    assert not sync_state.is_fresh_database(with_center)
    assert not sync_state.is_fresh_database(database("other.sqlite", "CREATE TABLE notes (text TEXT)"))
    assert not sync_state.is_fresh_database(not_a_database)
