"""The trigram index of migration 0009 (``resident_search``) finds what ``search_text LIKE`` finds, whatever writes.

SQLite only: an FTS5 table kept by SQLite triggers; the server's is a pg_trgm index PostgreSQL keeps
itself (test_postgres_search.py compares its answers with the file's).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import open_context
from app.store import migrations
from app.store.sqlite import sqlite3

TODAY = date(2026, 11, 16)


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=80, seed=11, today=TODAY)


@pytest.fixture
def connection(demo_file: Path, tmp_path: Path) -> sqlite3.Connection:
    copy = tmp_path / "center.sqlite"
    source = sqlite3.connect(demo_file)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    return target


def _indexed(connection: sqlite3.Connection, query: str) -> set[str]:
    phrase = '"' + query.replace('"', '""') + '"'
    return {
        row[0]
        for row in connection.execute(
            "SELECT id FROM resident WHERE rowid IN (SELECT rowid FROM resident_search WHERE resident_search MATCH ?)",
            (phrase,),
        )
    }


def _scanned(connection: sqlite3.Connection, query: str) -> set[str]:
    return {row[0] for row in connection.execute("SELECT id, search_text FROM resident") if query in row[1]}


def _check(connection: sqlite3.Connection) -> None:
    """FTS5's own check: the index holds exactly the trigrams of the resident table's text."""
    connection.execute("INSERT INTO resident_search (resident_search, rank) VALUES ('integrity-check', 1)")


def _queries(connection: sqlite3.Connection, count: int, rng: random.Random) -> list[str]:
    texts = [row[0] for row in connection.execute("SELECT search_text FROM resident ORDER BY id")]
    found = []
    for _ in range(count):
        text = rng.choice(texts).strip("|")
        size = rng.randint(3, 8)
        start = rng.randint(0, max(0, len(text) - size))
        found.append(text[start : start + size])
    return found


def test_the_index_finds_what_a_scan_finds(connection: sqlite3.Connection) -> None:
    _check(connection)
    rng = random.Random(19)
    for query in [*_queries(connection, 150, rng), "zhl", "张红", "a-1", "00x", '"a"', "a|b"]:
        if len(query) >= 3:
            assert _indexed(connection, query) == _scanned(connection, query), query


def test_random_writes_keep_the_index_right(connection: sqlite3.Connection) -> None:
    """Inserts, changes of the text (and of other columns) and deletes, as the services or a sync import
    write them: the triggers keep the index equal to the table."""
    connection.execute("PRAGMA foreign_keys = OFF")  # residents are deleted below without their records
    rng = random.Random(8)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(resident)")]
    for step in range(120):
        ids = [row[0] for row in connection.execute("SELECT id FROM resident")]
        chosen = rng.choice(ids)
        action = step % 4
        if action == 0:
            copied = ", ".join(f'"{c}"' for c in columns if c not in ("id", "search_text"))
            connection.execute(
                f"INSERT INTO resident (id, search_text, {copied}) SELECT ?, ?, {copied} FROM resident WHERE id = ?",
                (str(uuid.uuid4()), f"|新{step}|x{step}yz|", chosen),
            )
        elif action == 1:
            connection.execute("UPDATE resident SET search_text = ? WHERE id = ?", (f"|改{step}|q{step}rs|", chosen))
        elif action == 2:
            connection.execute("UPDATE resident SET notes = ? WHERE id = ?", (f"note {step}", chosen))
        else:
            connection.execute("DELETE FROM resident WHERE id = ?", (chosen,))
    connection.commit()
    _check(connection)
    for query in ["新11", "x28yz", "改13", "q45rs", *_queries(connection, 60, rng)]:
        assert _indexed(connection, query) == _scanned(connection, query), query


def test_a_rolled_back_change_leaves_the_index_as_it_was(connection: sqlite3.Connection) -> None:
    chosen = connection.execute("SELECT id FROM resident ORDER BY id LIMIT 1").fetchone()[0]
    connection.execute("UPDATE resident SET search_text = '|回滚文本|' WHERE id = ?", (chosen,))
    assert _indexed(connection, "回滚文") == {chosen}
    connection.rollback()
    assert _indexed(connection, "回滚文") == set()
    _check(connection)


def test_the_upgrade_indexes_the_residents_of_an_older_database(demo_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "older.sqlite"
    source, target = sqlite3.connect(demo_file), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    context = open_context(copy)
    from alembic import command

    command.downgrade(migrations.alembic_config(context.database.engine), "0008")
    context.close()
    connection = sqlite3.connect(copy)
    assert connection.execute("SELECT name FROM sqlite_master WHERE name = 'resident_search'").fetchone() is None
    assert connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'ix_resident_search'").fetchone()
    connection.close()
    open_context(copy).close()  # upgrades to head
    connection = sqlite3.connect(copy)
    _check(connection)
    assert connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'ix_resident_search'").fetchone() is None
    for query in _queries(connection, 40, random.Random(3)):
        assert _indexed(connection, query) == _scanned(connection, query), query
