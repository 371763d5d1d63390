"""Benchmarks on a PostgreSQL server beside the same center's SQLite file, in the same run (#20).

Run: ``python tests/perf/bench_postgres.py [--residents 10000] [--source FILE] [--keep DIR]`` with
``$CARE_TEST_PG_URL`` naming a server whose role may create databases (``tools/pg_cluster.sh start``).

The demo center (built, or ``--source``: a copy of a file of bench.py's ``--keep`` folder) is moved onto the
server with ``center move-to``'s own copy (timed); then each operation runs through the app's services on the
file and on the server, alternately, and the table gives both medians, their ratio and the absolute target the
SQLite benchmarks have (issue 19). Not collected by pytest. Report ``uptime`` beside the figures: the
machine is shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (
    BENCH_CREDENTIALS,
    app_keystroke,
    keystroke_queries,
    sample_residents,
    timed_ms,
)

from app.bootstrap import AppContext, open_context


def _admin(url: str, sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    with psycopg.connect(make_url(url).render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(sql)


def _database_url(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def demo_file(residents: int, keep: Path | None, source: Path | None, work: Path) -> Path:
    """A SQLite demo center: a copy of ``source``, or made (and kept in ``keep`` for the next run)."""
    target = work / "demo.sqlite"
    if source is not None:  # read through SQLite (a consistent copy even if bench.py is using it): never written
        from app.store.sqlite import sqlite3

        reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        writing = sqlite3.connect(target)
        try:
            reading.backup(writing)
        finally:
            writing.close()
            reading.close()
        return target
    kept = keep / f"pg-bench-demo-{residents}.sqlite" if keep is not None else None
    if kept is not None and kept.exists():
        shutil.copyfile(kept, target)
        return target
    from app.services.demo.center import create_demo_center

    context = open_context(target)
    try:
        create_demo_center(context.database, residents=residents, seed=11, today=date(2026, 11, 16))
    finally:
        context.close()
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, kept)
    return target


def alternate(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[list[float], list[float]]:
    """Run the two alternately ``repeat`` times (a busy moment of the machine falls on both)."""
    ones, twos = [], []
    for _ in range(repeat):
        ones.append(timed_ms(first)[0])
        twos.append(timed_ms(second)[0])
    return ones, twos


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--source", type=Path, default=None, help="a demo file to copy (bench.py's --keep folder)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the built demo file here for the next run")
    options = parser.parse_args(argv)
    server = os.environ.get("CARE_TEST_PG_URL", "")
    if not server:
        print("set CARE_TEST_PG_URL (tools/pg_cluster.sh start)", file=sys.stderr)
        return 2
    rows: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="carerounds-pg-bench-") as scratch:
        work = Path(scratch)
        start = time.perf_counter()
        path = demo_file(options.residents, options.keep, options.source, work)
        print(f"demo file ready: {(time.perf_counter() - start):.1f} s", flush=True)
        file_context = open_context(path, credentials=BENCH_CREDENTIALS)  # an encrypted source: its key, remembered
        name = f"bench_{uuid.uuid4().hex[:12]}"
        _admin(server, f'CREATE DATABASE "{name}"')
        try:
            from app.store.engines import ServerURL
            from app.store.move import move_to_server

            url = _database_url(server, name)
            move_ms, summary = timed_ms(lambda: move_to_server(path, ServerURL(url)))
            moved = summary.rows  # type: ignore[attr-defined]
            print(f"moved onto the server: {moved:,} rows in {move_ms / 1000:.1f} s", flush=True)
            server_context = open_context(url)
            try:
                rows += bench_all(path, file_context, server_context)
            finally:
                server_context.close()
        finally:
            file_context.close()
            _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"\n{'operation':<58} {'SQLite ms':>10} {'server ms':>10} {'ratio':>6}  target (server)")
    for operation, on_file, on_server, target in rows:
        ratio = on_server / on_file if on_file else float("nan")
        print(f"{operation:<58} {on_file:>10.1f} {on_server:>10.1f} {ratio:>6.2f}  {target}")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0


def bench_all(path: Path, file_context: AppContext, server_context: AppContext) -> list[tuple[str, float, float, str]]:
    from app.services.records.load import load_record
    from app.services.rounds.plan import plan_week
    from app.services.sync.exchange import export_package

    rows: list[tuple[str, float, float, str]] = []
    for context in (file_context, server_context):  # the demo's administrator (exporting needs a signed-in role)
        with context.uow() as uow:
            context.actor_id = uow.fast_rows("SELECT id FROM staff WHERE login = 'admin'")[0][0]
    queries = keystroke_queries(path)
    app_keystroke(file_context, "预热")
    app_keystroke(server_context, "预热")
    on_file, on_server = [], []
    for query in queries:
        one, two = alternate(
            lambda q=query: app_keystroke(file_context, q),  # type: ignore[misc]
            lambda q=query: app_keystroke(server_context, q),  # type: ignore[misc]
            1,
        )
        on_file += one
        on_server += two
    rows.append((f"search per keystroke, median ({len(queries)} keys)", statistics.median(on_file),
                 statistics.median(on_server), f"≤ 30 ms: {statistics.median(on_server) <= 30}"))  # fmt: skip
    rows.append(("search per keystroke, worst", max(on_file), max(on_server), f"≤ 100 ms: {max(on_server) <= 100}"))

    residents = sample_residents(path)
    load_record(file_context.uow(), resident_id=residents[0])
    load_record(server_context.uow(), resident_id=residents[0])
    on_file, on_server = [], []
    for resident in residents:
        one, two = alternate(
            lambda r=resident: load_record(file_context.uow(), resident_id=r),  # type: ignore[misc]
            lambda r=resident: load_record(server_context.uow(), resident_id=r),  # type: ignore[misc]
            1,
        )
        on_file += one
        on_server += two
    rows.append((f"open a resident's record ({len(residents)} residents)", statistics.median(on_file),
                 statistics.median(on_server), f"≤ 50 ms: {statistics.median(on_server) <= 50}"))  # fmt: skip

    with file_context.uow() as uow:
        last = uow.fast_rows("SELECT MAX(visit_date) FROM visit")[0][0]
    today = date.fromisoformat(str(last)) + timedelta(days=1)
    week = today + timedelta(days=7)
    plan_week(file_context.uow(), week=week, today=today)  # the week's rounds made once, on each
    plan_week(server_context.uow(), week=week, today=today)
    on_file, on_server = alternate(
        lambda: plan_week(file_context.uow(), week=week, today=today),
        lambda: plan_week(server_context.uow(), week=week, today=today),
        3,
    )
    rows.append(("plan a week (the whole center)", statistics.median(on_file), statistics.median(on_server),
                 f"≤ 500 ms: {statistics.median(on_server) <= 500}"))  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="carerounds-pg-bench-export-") as scratch:
        folder = Path(scratch)
        on_file, on_server = alternate(
            lambda: export_package(file_context.uow(), out=folder / f"f-{uuid.uuid4().hex}.crsync", full=True),
            lambda: export_package(server_context.uow(), out=folder / f"s-{uuid.uuid4().hex}.crsync", full=True),
            1,
        )
    rows.append(("sync: full export of the center", on_file[0], on_server[0], "(reported)"))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
