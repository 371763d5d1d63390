"""Benchmarks: each operation against a plain baseline measured in the same run.

Run: ``python tests/perf/bench.py [--residents 100000] [--startup-residents 10000] [--only NAME ...]``
Prints a table — operation, median ms, baseline ms, ratio, target — and exits 1 if a target is missed.
Not part of the default test run (pytest does not collect this folder).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.bootstrap import open_context  # noqa: E402
from app.services.demo import create_demo_center  # noqa: E402
from app.services.residents import search_residents  # noqa: E402


@dataclass
class Row:
    operation: str
    median_ms: float
    baseline_ms: float
    target: str
    met: bool | None

    @property
    def ratio(self) -> float:
        return self.median_ms / self.baseline_ms if self.baseline_ms else float("nan")


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# --- demo generation ------------------------------------------------------------------------------


def bench_demo(work: Path, residents: int) -> tuple[Row, Path]:
    path = work / f"demo-{residents}.sqlite"
    context = open_context(path)
    start = time.perf_counter()
    create_demo_center(context.database, residents=residents, seed=1)
    demo_ms = (time.perf_counter() - start) * 1000
    context.close()
    baseline_ms = _raw_reinsert(path, work / "baseline.sqlite")
    row = Row(f"demo generation, {residents:,} residents", demo_ms, baseline_ms, "< 60 000 ms", demo_ms < 60_000)
    return row, path


def _raw_reinsert(source: Path, target: Path) -> float:
    """Time plain sqlite3 executemany of the same rows into the same schema (indexes built after)."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    schema = src.execute(
        "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    tables = [name for (name,) in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for kind, sql in schema:
        if kind == "table":
            dst.execute(sql)
    data = {table: src.execute(f'SELECT * FROM "{table}"').fetchall() for table in tables}
    src.close()
    start = time.perf_counter()
    dst.execute("BEGIN")
    for table, rows in data.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            dst.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
    for kind, sql in schema:
        if kind == "index":
            dst.execute(sql)
    dst.commit()
    elapsed = (time.perf_counter() - start) * 1000
    dst.close()
    target.unlink(missing_ok=True)
    return elapsed


# --- search as you type -----------------------------------------------------------------------------


def keystroke_queries(path: Path, count: int = 50) -> list[str]:
    """Return ``count`` prefixes as typed: names, pinyin initials, full pinyin and beds of residents."""
    from app.domain.search import bed_label, pinyin_keys

    connection = sqlite3.connect(path)
    people = connection.execute(
        "SELECT name, building, room, bed FROM resident WHERE status = 'in_residence' ORDER BY id LIMIT 400"
    ).fetchall()
    connection.close()
    queries: list[str] = []
    for index, (name, building, room, bed) in enumerate(people[::8]):
        full, initials = pinyin_keys(name)
        kind = index % 4
        word = [name, initials[0], full[0], bed_label(building, room, bed)][kind]
        queries.extend(word[: n + 1] for n in range(1 if kind == 0 else 2, len(word)))
    return queries[:count]


def bench_search(path: Path) -> list[Row]:
    context = open_context(path)
    queries = keystroke_queries(path)
    search_residents(context.uow(), text="预热")  # warm the page cache like a user's first keystroke would
    ours = [median_ms(lambda q=q: search_residents(context.uow(), text=q), 1) for q in queries]
    context.close()
    plain = sqlite3.connect(path)

    def like(query: str) -> None:
        plain.execute(
            "SELECT id, name FROM resident WHERE name LIKE ? OR bed LIKE ?", (f"%{query}%", f"%{query}%")
        ).fetchall()

    like("预热")
    baseline = [median_ms(lambda q=q: like(q), 1) for q in queries]
    plain.close()
    ours_median = statistics.median(ours)
    return [
        Row(
            f"resident search per keystroke ({len(queries)} queries)",
            ours_median,
            statistics.median(baseline),
            "≤ 30 ms",
            ours_median <= 30,
        )
    ]


# --- start-up ---------------------------------------------------------------------------------------------

BARE_WINDOW = """
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication(sys.argv)
window = QMainWindow(); window.resize(1100, 720); window.show()
def shown():
    print("window-shown", flush=True); app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def _time_until(command: list[str], marker: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert process.stdout is not None
    elapsed = float("nan")
    for line in process.stdout:
        if line.startswith(marker):
            elapsed = (time.perf_counter() - start) * 1000
            break
    process.stdout.close()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    return elapsed


def bench_startup(path: Path, repeat: int = 5) -> list[Row]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CARE_STARTUP_PROBE="1", CARE_STARTUP_EXIT="1")
    app_cmd = [sys.executable, "-m", "app", "--db", str(path)]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    _time_until(app_cmd, "ready", env)  # warm the OS file cache once
    shown = [_time_until(app_cmd, "window-shown", env) for _ in range(repeat)]
    ready = [_time_until(app_cmd, "ready", env) for _ in range(repeat)]
    bare = [_time_until(bare_cmd, "window-shown", env) for _ in range(repeat)]
    bare_ms = statistics.median(bare)
    shown_ms = statistics.median(shown)
    return [
        Row("start-up to main window shown (10k db)", shown_ms, bare_ms, "≤ 2× bare", shown_ms <= 2 * bare_ms),
        Row("start-up to sign-in ready (database open)", statistics.median(ready), bare_ms, "(reported)", None),
    ]


# --- main -------------------------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    header = f"{'operation':<48} {'median ms':>10} {'baseline ms':>12} {'ratio':>7}  target"
    print(header)
    print("-" * len(header))
    for row in rows:
        verdict = "" if row.met is None else ("  ok" if row.met else "  MISSED")
        figures = f"{row.median_ms:>10.1f} {row.baseline_ms:>12.1f} {row.ratio:>7.2f}"
        print(f"{row.operation:<48} {figures}  {row.target}{verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--startup-residents", type=int, default=10_000)
    parser.add_argument("--only", nargs="*", choices=("demo", "search", "startup"), default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases in this folder")
    args = parser.parse_args(argv)
    chosen = set(args.only or ("demo", "search", "startup"))
    work = args.keep or Path(tempfile.mkdtemp(prefix="carerounds-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    try:
        big = work / f"demo-{args.residents}.sqlite"
        if "demo" in chosen or not big.exists():
            row, big = bench_demo(work, args.residents)
            if "demo" in chosen:
                rows.append(row)
        if "search" in chosen:
            rows += bench_search(big)
        if "startup" in chosen:
            small = work / f"startup-{args.startup_residents}.sqlite"
            if not small.exists():
                context = open_context(small)
                create_demo_center(context.database, residents=args.startup_residents, seed=2)
                context.close()
            rows += bench_startup(small)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
