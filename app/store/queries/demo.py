"""Queries of the demo center (演示中心): writing a whole demo into a new database, fast, all or nothing.

The demo (:mod:`app.services.demo`) draws the rows; this module writes them, on a sqlite3 connection of
its own (:class:`DemoLoad`):

- the center's own rows (center, teams, staff, institutions, agreements, rounds) with ``executemany``
  (:meth:`DemoWriter.insert`);
- residents in blocks, each an in-memory SQLite database serialized by :func:`block_database` (in worker
  processes too), attached and copied in with ``INSERT … SELECT``, the sync columns filled in SQL
  (``updated_at`` is a run of hybrid-logical-clock values), so no Python runs per row here
  (:meth:`DemoWriter.load_block`);
- all in one transaction (:meth:`DemoLoad.transaction`) with a rollback journal, which writes a new file's
  pages once where WAL would write them twice. Foreign-key checks are off during the load (the rows are
  consistent by construction; the tests check); indexes filled out of order are dropped and built again at
  the end, and the planning facts are worked out once after the load (:meth:`DemoLoad.bulk_load`).
"""

from __future__ import annotations

import sqlite3 as stdlib_sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from app.store import cipher
from app.store.resident_facts import facts_rebuilt_after
from app.store.sqlite import sqlite3

if TYPE_CHECKING:
    from app.store.database import Database

SYNC_COLUMNS = ("created_at", "updated_at", "origin_device", "deleted")

Columns = Mapping[str, Sequence[str]]
"""Per table, the columns a block carries (id first), in the order of its rows' values."""


def block_database(columns: Columns, rows: Mapping[str, Iterable[tuple[Any, ...]]]) -> bytes:
    """Return the rows of each table of ``columns`` as a serialized in-memory SQLite database.

    Free of globals set at run time, so that worker processes (spawned) can run it.
    """
    # the standard library's SQLite, for an in-memory database only (SQLCipher's cannot serialize); the
    # database file is only ever opened through app.store.sqlite's (one library per file and process)
    memory = stdlib_sqlite3.connect(":memory:")
    try:
        # All tables first: every block then has the same schema and root pages, which statements the
        # loading connection prepared for an earlier block rely on (see DemoWriter.load_block).
        memory.execute("PRAGMA journal_mode = OFF")
        schema = "".join(f"CREATE TABLE {table} ({', '.join(names)});\n" for table, names in columns.items())
        memory.executescript(schema)
        for table, names in columns.items():
            memory.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(names))})", rows[table])
        memory.commit()
        return memory.serialize()
    finally:
        memory.close()


class DemoLoad:
    """A connection of its own to the database, for writing a demo in one transaction.

    Opening it closes the database's other connections (the engine's), so the journal mode can change.
    """

    def __init__(self, database: Database) -> None:
        database.engine.dispose()  # be the only connection, so the journal mode can change
        self.database = database
        self.connection = cipher.connect(database.path, key=database.key, isolation_level=None)
        try:
            self.connection.execute("PRAGMA busy_timeout = 10000")
        except BaseException:
            self.connection.close()
            raise

    def close(self) -> None:
        self.connection.close()

    def has_center(self) -> bool:
        """Return True when the database holds a center already (deleted or not)."""
        return bool(self.connection.execute("SELECT COUNT(*) FROM center").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Write in one transaction, the write lock taken first; roll it back on any error.

        A block being loaded is attached as ``blk`` meanwhile; afterwards the database is back in WAL mode.
        """
        connection = self.connection
        connection.execute("PRAGMA foreign_keys = OFF")  # the rows are consistent by construction (tests check)
        # A rollback journal records only pages that existed before the transaction: loading a new file with
        # it writes each page once, where WAL would write it twice. Atomic either way.
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA cache_size = -65536")  # 64 MiB: the pages being filled; the rest goes to the OS
        connection.execute("PRAGMA temp_store = MEMORY")
        connection.execute("ATTACH ':memory:' AS blk")
        try:
            connection.execute("BEGIN IMMEDIATE")  # the write lock first: nobody writes between checks and load
            try:
                yield
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        finally:
            connection.execute("DETACH blk")
            connection.execute("PRAGMA journal_mode = WAL")

    @contextmanager
    def bulk_load(self, tables: Sequence[str]) -> Iterator[None]:
        """Load many rows into ``tables``: their indexes filled out of order and the planning facts after it.

        The planning facts are worked out once at the end, with the indexes back, not row by row. After an
        error neither is done: the transaction's rollback brings the indexes and triggers back.
        """
        with facts_rebuilt_after(self.connection), _IndexesDeferred(self.connection, tables):
            yield

    def writer(
        self,
        *,
        created: str,
        clock_ms: int,
        clock_counter: int,
        block_columns: Columns,
        block_constants: Mapping[str, Mapping[str, Any]],
    ) -> DemoWriter:
        """Return a writer for this load (see :class:`DemoWriter`)."""
        return DemoWriter(
            self.connection,
            device=self.database.device_id,
            created=created,
            clock_ms=clock_ms,
            clock_counter=clock_counter,
            block_columns=block_columns,
            block_constants=block_constants,
        )

    def referral_candidates(self, limit: int) -> list[tuple[str, str, str]]:
        """Return up to ``limit`` residents in residence whose confirmed and suggested colour is red, as
        ``(resident_id, the home's green-channel hospital, the day of their last "seen" visit)``, by id."""
        return [
            (str(row[0]), str(row[1] or ""), str(row[2]))
            for row in self.connection.execute(
                "SELECT r.id, i.green_channel_hospital, MAX(v.visit_date) FROM resident r "
                "JOIN institution i ON i.id = r.institution_id JOIN visit v ON v.resident_id = r.id "
                "AND v.outcome = 'seen' WHERE r.status = 'in_residence' AND r.colour = 'red' "
                "AND r.suggested_colour = 'red' GROUP BY r.id ORDER BY r.id LIMIT ?",
                (limit,),
            )
        ]

    def set_unset_passwords(self, password_hash: str) -> None:
        """Give every account without a password hash this one."""
        self.connection.execute("UPDATE staff SET password_hash = ? WHERE password_hash = ''", (password_hash,))

    def name_device(self, name: str, *, last_clock: str) -> None:
        """Name this device and store its clock's last value."""
        self.connection.execute(
            "UPDATE device_state SET last_clock = ?, name = ? WHERE device_id = ?",
            (last_clock, name, self.database.device_id),
        )


class DemoWriter:
    """Inserts on the load's connection, with the sync columns filled in.

    ``updated_at`` takes consecutive hybrid-logical-clock values from ``clock_ms`` and ``clock_counter`` (the
    database clock's next value) on, in the order the rows are written; :meth:`last_clock` is the last one
    issued, for the database clock to move past.

    Args:
        block_columns: the tables and columns of the blocks :meth:`load_block` copies in (id first).
        block_constants: per table, values every row of a block shares, for columns the block does not carry.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        device: str,
        created: str,
        clock_ms: int,
        clock_counter: int,
        block_columns: Columns,
        block_constants: Mapping[str, Mapping[str, Any]],
    ) -> None:
        self.connection = connection
        self.device = device
        self.created = created
        self.counts: dict[str, int] = {}
        self._ms, self._base = clock_ms, clock_counter - 1  # value number i (from 1) is base + i
        self._issued = 0
        self._layout: str | None = None
        self._block_columns = block_columns
        for table, names in block_columns.items():  # the attached blk: tables made once, refilled per block
            connection.execute(f"CREATE TABLE IF NOT EXISTS blk.{table} ({', '.join(names)})")
        self._block_sql = {
            table: self._block_insert(table, columns, tuple(block_constants.get(table, {})))
            for table, columns in block_columns.items()
        }
        self._constants = {
            f"c_{table}_{column}": value
            for table, constants in block_constants.items()
            for column, value in constants.items()
        }

    def _clock(self, number: int) -> str:
        total = self._base + number
        return f"{self._ms + total // 1_000_000:013d}-{total % 1_000_000:06d}-{self.device}"

    def last_clock(self) -> str:
        """Return the last clock value issued (the first one's predecessor if none was)."""
        return self._clock(self._issued)

    @staticmethod
    def _block_insert(table: str, columns: Sequence[str], constants: Sequence[str]) -> str:
        clock = "printf('%013d-%06d-%s', :ms + (:base + rowid) / 1000000, (:base + rowid) % 1000000, :device)"
        sync = {"created_at": ":created", "updated_at": clock, "origin_device": ":device", "deleted": "0"}
        sync = {name: value for name, value in sync.items() if name not in columns}  # a block may bring its own
        names = ", ".join((*sync, *columns, *constants))
        values = ", ".join((*sync.values(), *columns, *(f":c_{table}_{column}" for column in constants)))
        return f"INSERT INTO main.{table} ({names}) SELECT {values} FROM blk.{table} ORDER BY rowid"

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (values for ``columns``, id first) into ``table``."""
        names = ("id", *SYNC_COLUMNS, *columns[1:])
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        created, device, first = self.created, self.device, self._issued + 1
        batch = [(row[0], created, self._clock(n), device, 0, *row[1:]) for n, row in enumerate(rows, first)]
        self.connection.executemany(sql, batch)
        self._issued += len(batch)
        self.counts[table] = self.counts.get(table, 0) + len(batch)

    def load_block(self, data: bytes) -> None:
        """Copy a block (see :func:`block_database`) in; it stays attached until the next one."""
        source = stdlib_sqlite3.connect(":memory:")  # SQLCipher's SQLite cannot deserialize: copy the rows over
        try:
            source.deserialize(data)
            for table, names in self._block_columns.items():
                self.connection.execute(f"DELETE FROM blk.{table}")
                self.connection.executemany(
                    f"INSERT INTO blk.{table} VALUES ({', '.join('?' * len(names))})",
                    source.execute(f"SELECT * FROM {table} ORDER BY rowid"),
                )
        finally:
            source.close()
        # Every block has the same schema cookie, so SQLite does not prepare the statements below again for
        # a new block: they must find its tables on the same root pages as in the first one.
        layout = self.connection.execute("SELECT group_concat(name || ' ' || rootpage) FROM blk.sqlite_master")
        if self._layout != (layout := layout.fetchone()[0]) and self._layout is not None:
            raise RuntimeError(f"a demo block has another layout: {layout}")
        self._layout = layout
        params = {"created": self.created, "ms": self._ms, "device": self.device, **self._constants}
        for table, sql in self._block_sql.items():
            params["base"] = self._base + self._issued
            written = self.connection.execute(sql, params).rowcount
            self._issued += written
            self.counts[table] = self.counts.get(table, 0) + written

    def block_id_numbers(self) -> Iterator[tuple[int, str, str]]:
        """Yield ``(row, resident id, ID number)`` of the residents of the block just loaded, in its order."""
        yield from self.connection.execute("SELECT rowid, id, id_number FROM blk.resident")

    def block_resident_place(self, row: int) -> tuple[str, str, str, str]:
        """Return ``(name, building, room, bed)`` of a resident of the block just loaded."""
        name, building, room, bed = self.connection.execute(
            "SELECT name, building, room, bed FROM blk.resident WHERE rowid = ?", (row,)
        ).fetchone()
        return name, building, room, bed

    def set_id_number(self, resident_id: str, id_number: str, search_text: str) -> None:
        """Give a resident written already another ID number, and the search text that goes with it."""
        self.connection.execute(
            "UPDATE main.resident SET id_number = ?, search_text = ? WHERE id = ?",
            (id_number, search_text, resident_id),
        )


# Columns whose index entries a load appends in order, or at a few places (few distinct values): an index
# made of these alone is cheaper kept up during the load than built afterwards, and building it afterwards
# would be work nobody shares. Indexes on any other column (ID numbers, search text) are built after.
_ORDERED_COLUMNS = frozenset(
    {
        "updated_at",
        "resident_id",
        "round_id",
        "institution_id",
        "status",
        "colour",
        "deleted",
        "visit_date",
        "kind",
        "assessed_on",
        "decided_at",
    }
)


class _IndexesDeferred:
    """Drop the secondary indexes of ``tables`` that a bulk load fills out of order; build them again after it.

    After an error the indexes are not built: the rollback brings them back.
    """

    def __init__(self, connection: sqlite3.Connection, tables: Sequence[str]) -> None:
        self.connection = connection
        marks = ", ".join("?" * len(tables))
        indexes = connection.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tuple(tables),
        ).fetchall()
        self.indexes = [
            (name, sql)
            for name, sql in indexes
            if not {column for _n, _cid, column in connection.execute(f'PRAGMA index_info("{name}")')}
            <= _ORDERED_COLUMNS
        ]

    def __enter__(self) -> _IndexesDeferred:
        for name, _sql in self.indexes:
            self.connection.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, error_type: type[BaseException] | None, *exc: object) -> None:
        if error_type is None:
            for _name, sql in self.indexes:
                self.connection.execute(sql)


def homecare_candidates(load: DemoLoad, *, beds: int, medications: int) -> tuple[list[Any], ...]:
    """What the demo's family beds and refills are made for, read inside the demo's transaction.

    Returns:
        ``(flagged, unflagged, medications, doctors)``: residents in residence flagged ``family_bed``
        ``(id, family_bed_start)`` and some not ``(id, admission_date)`` (by id, ``beds`` of each); live,
        unstopped medications of residents in residence ``(id, name, resident_id, frequency)`` in the homes' bed order
        (``medications``); active doctors' ids by login.
    """
    connection = load.connection
    flagged = connection.execute(
        "SELECT id, family_bed_start FROM resident WHERE status = 'in_residence' AND family_bed = 1 "
        "ORDER BY id LIMIT ?",
        (beds,),
    ).fetchall()
    unflagged = connection.execute(
        "SELECT id, admission_date FROM resident WHERE status = 'in_residence' AND family_bed = 0 "
        "AND hospice = 0 ORDER BY id LIMIT ?",
        (beds,),
    ).fetchall()
    found = connection.execute(
        "SELECT m.id, m.name, m.resident_id, m.frequency FROM medication m JOIN resident r ON r.id = m.resident_id "
        "WHERE m.stop_date IS NULL AND r.status = 'in_residence' "
        "ORDER BY r.institution_id, r.building, length(r.room), r.room, length(r.bed), r.bed, m.name, m.id LIMIT ?",
        (medications,),
    ).fetchall()
    doctors = connection.execute("SELECT id FROM staff WHERE role = 'doctor' AND active = 1 ORDER BY login").fetchall()
    return flagged, unflagged, found, doctors


def set_supplies(load: DemoLoad, supplies: Sequence[tuple[float, str, str]]) -> None:
    """Give medications their daily quantity and unit: ``(daily_quantity, unit, medication id)``."""
    load.connection.executemany("UPDATE medication SET daily_quantity = ?, unit = ? WHERE id = ?", supplies)
