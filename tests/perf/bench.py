"""Benchmarks: each operation against a plain baseline measured in the same run.

Run: ``python tests/perf/bench.py [--residents 100000] [--startup-residents 10000] [--only NAME ...]``
or ``--scales 10000,100000`` (every row at each size, and how much it grew). Prints a table — operation,
median ms, baseline ms, ratio, target — and exits 1 if a target is missed. Not part of the default test
run (pytest does not collect this folder).

Every baseline does the same job as the app with plain sqlite3 and the app's own pragmas (issue 19): the
same rows found, the same facts loaded, the same file copied. The run uses a temporary settings folder
(``XDG_CONFIG_HOME``) and removes its sync copies and backups, also with ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import shutil
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

from app.bootstrap import AppContext, Credentials  # noqa: E402
from app.bootstrap import open_context as _open_context  # noqa: E402
from app.services.demo.center import DEMO_PASSWORD, create_demo_center  # noqa: E402
from app.services.records.residents import search_residents  # noqa: E402
from app.store import cipher, key_wraps  # noqa: E402
from app.store.sqlite import sqlite3  # noqa: E402  (SQLCipher's: plain files open as with plain SQLite)

BENCH_CREDENTIALS = Credentials("admin", DEMO_PASSWORD)
"""Who opens an encrypted copy (ignored for a plain file): the demo's administrator."""


def open_context(path: Path, **options: object) -> AppContext:
    """The app's opening, with the demo administrator's password for an encrypted database."""
    return _open_context(path, credentials=BENCH_CREDENTIALS, **options)  # type: ignore[arg-type]


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


# --- fair baselines: plain sqlite3 with the app's own pragmas (issue 19) ----------------------------------

APP_PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA cache_size=-65536", "PRAGMA mmap_size=268435456")
"""What ``app.store.database`` sets on each connection that matters for speed."""

SYNC_IMPORT_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-131072",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA synchronous=OFF",
    "PRAGMA wal_autocheckpoint=0",
)
"""What a sync import runs with: ``app.services.sync.tables.connect`` and, as the import takes a backup,
``exchange._defer_syncs`` (no sync, no checkpoint until the backup is durable)."""


def plain_connection(path: Path, pragmas: tuple[str, ...] = APP_PRAGMAS) -> sqlite3.Connection:
    """Open ``path`` with plain sqlite3 (autocommit, explicit transactions) and ``pragmas``."""
    connection = cipher.connect(path, isolation_level=None)
    for pragma in pragmas:
        connection.execute(pragma)
    return connection


def timed_ms(fn: Callable[[], object]) -> tuple[float, object]:
    """Run ``fn`` once; return (milliseconds, its result)."""
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


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
    src = cipher.connect(source)
    dst = cipher.connect(target)
    schema = src.execute(
        "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    # a full-text index (a virtual table) makes its own shadow tables, and is built after the rows like an index
    virtual = [n for (n,) in src.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
    rebuilt = [
        n for (n,) in src.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%'")
    ]
    tables = [
        name
        for (name,) in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not any(name == v or name.startswith(f"{v}_") for v in virtual)
    ]
    for kind, sql in schema:
        if kind == "table" and (sql.startswith("CREATE VIRTUAL") or not sql.startswith("CREATE TABLE '")):
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
    for name in rebuilt:  # the full-text indexes (an fts5vocab table reads its index: nothing to rebuild)
        dst.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'rebuild\')')
    dst.commit()
    elapsed = (time.perf_counter() - start) * 1000
    dst.close()
    target.unlink(missing_ok=True)
    return elapsed


# --- search as you type -----------------------------------------------------------------------------

TYPISTS = 5
"""How many residents' typing the search row replays (spread over the whole table)."""

SEARCH_BASELINE_SQL = (
    "SELECT r.id, r.name, r.sex, r.birth_date, i.name, r.building, r.room, r.bed, r.colour, r.status, "
    "r.id_number FROM resident r JOIN institution i ON i.id = r.institution_id "
    "WHERE r.deleted = 0 AND r.status IN ('in_residence', 'hospitalized') AND r.search_text LIKE ? ESCAPE '\\'"
)
"""The plain baseline: one LIKE over the same keys the app searches (name, pinyin initials, full pinyin,
bed, last ID digits: ``search_text``), the residents the Residents page lists, every match returned."""


def keystroke_queries(path: Path, people: int = TYPISTS) -> list[str]:
    """Return every keystroke of realistic typing, the first included, for ``people`` residents spread over
    the table: their pinyin initials ("z", "zh", "zhl"), their name ("张", "张红", "张红丽"), the last four
    digits of their ID number ("1", "12", …) and their bed ("A", "A-", "A-2", …)."""
    from app.domain.search import bed_label, pinyin_keys

    connection = cipher.connect(path)
    rows = connection.execute(
        "SELECT name, building, room, bed, id_number FROM resident "
        "WHERE deleted = 0 AND status = 'in_residence' AND id_number != '' ORDER BY id"
    ).fetchall()
    connection.close()
    queries: list[str] = []
    for name, building, room, bed, id_number in rows[:: max(1, len(rows) // people)][:people]:
        _full, initials = pinyin_keys(name)
        for word in (initials[0], name, id_number[-4:], bed_label(building, room, bed)):
            queries += [word[: n + 1] for n in range(len(word))]
    return queries


def app_keystroke(context: object, text: str) -> int:
    """What the Residents page waits for after a keystroke (its first page); return how many rows it shows."""
    try:
        from app.services.records.search import PAGE
    except ImportError:  # before issue 19: every resident found, at once
        return len(search_residents(context.uow(), text=text))  # type: ignore[attr-defined]
    return len(search_residents(context.uow(), text=text, limit=PAGE))  # type: ignore[attr-defined]


def page_size() -> int:
    from app.services.records.search import PAGE

    return PAGE


def app_count(context: object, text: str) -> int | None:
    """How many residents the page then says it found (counted after the first page), or None (no count)."""
    try:
        from app.services.records.search import count_residents
    except ImportError:
        return None
    return count_residents(context.uow(), text=text)  # type: ignore[attr-defined]


def bench_search(path: Path) -> list[Row]:
    """Every keystroke of realistic typing, against one plain LIKE over the same keys finding the same rows.

    The app and the baseline run alternately, keystroke by keystroke, so a busy moment of the machine
    falls on both; the median and the slowest keystroke are reported.
    """
    from app.domain.search import normalize_query

    queries = keystroke_queries(path)
    context = open_context(path)
    plain = plain_connection(path)

    def like(query: str) -> int:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return len(plain.execute(SEARCH_BASELINE_SQL, (f"%{escaped}%",)).fetchall())

    app_keystroke(context, "预热")  # warm the page cache like a user's first keystroke would
    like("预热")
    ours, baseline, counts = [], [], []
    for query in queries:
        ms, found = timed_ms(lambda q=query: app_keystroke(context, q))
        ours.append(ms)
        ms, expected = timed_ms(lambda q=query: like(normalize_query(q)))
        baseline.append(ms)
        ms, counted = timed_ms(lambda q=query: app_count(context, q))
        if counted is not None:  # the page shows its first rows, then counts them all
            counts.append(ms)
            assert counted == expected and found == min(expected, page_size()), (query, found, counted, expected)
        else:
            assert found == expected, f"{query!r}: the app found {found}, the baseline {expected}"
    context.close()
    plain.close()
    ours_median, ours_worst = statistics.median(ours), max(ours)
    worst_query = queries[ours.index(ours_worst)]
    rows = [
        Row(
            f"search per keystroke, median ({len(queries)} keys, {TYPISTS} typists)",
            ours_median,
            statistics.median(baseline),
            "≤ 30 ms",
            ours_median <= 30,
        ),
        Row(f"search per keystroke, worst ({worst_query!r})", ours_worst, max(baseline), "≤ 100 ms", ours_worst <= 100),
    ]
    if counts:
        total = f"(reported; worst {max(counts):.0f} ms)"
        counting = statistics.median(counts)
        rows.append(Row("search: the total, counted after the first page", counting, rows[0].baseline_ms, total, None))
    return rows


# --- the resident record and list filters (issue 3) ---------------------------------------------------------


def sample_residents(path: Path, count: int = 60) -> list[str]:
    """Return ``count`` resident ids spread over the whole table (every n-th by id), the same on every run."""
    connection = cipher.connect(path)
    total = connection.execute("SELECT COUNT(*) FROM resident").fetchone()[0]
    step = max(1, total // count)
    ids = [row[0] for row in connection.execute("SELECT id FROM resident ORDER BY id")][::step][:count]
    connection.close()
    return ids


_PLAIN_RECORD_SQL = (
    "SELECT * FROM resident WHERE id = ?",
    "SELECT * FROM residenceperiod WHERE resident_id = ?",
    "SELECT * FROM statuschange WHERE resident_id = ?",
    "SELECT * FROM condition WHERE resident_id = ?",
    "SELECT * FROM medication WHERE resident_id = ?",
    "SELECT * FROM allergy WHERE resident_id = ?",
    "SELECT * FROM assessment WHERE resident_id = ?",
    "SELECT * FROM referral WHERE resident_id = ?",
)
"""The record's sections (``load_record``); its Visits tab reads the visits itself (``_PLAIN_HISTORY_SQL``)."""

_PLAIN_HISTORY_SQL = (
    "SELECT * FROM resident WHERE id = ?",
    "SELECT * FROM visit WHERE resident_id = ?",
    "SELECT * FROM referral WHERE resident_id = ?",
)
"""The record window's Visits tab (``visit_history``): every version of the resident's visits, its referrals."""


def bench_records(path: Path) -> list[Row]:
    """Open resident records and filter the list by institution and colour, against plain sqlite3 queries."""
    from app.domain.colours import TriageColour
    from app.services.institutions import list_institutions
    from app.services.records.load import load_record
    from app.services.visits.history import visit_history

    residents = sample_residents(path)
    context = open_context(path)
    load_record(context.uow(), resident_id=residents[0])  # warm up like the first record a user opens
    visit_history(context.uow(), resident_id=residents[0])
    opened = [median_ms(lambda r=r: load_record(context.uow(), resident_id=r), 1) for r in residents]
    histories = [median_ms(lambda r=r: visit_history(context.uow(), resident_id=r), 1) for r in residents]
    institutions = [i.id for i in list_institutions(context.uow())]
    combos = [(i, c) for i in institutions for c in TriageColour]
    filtered = [
        median_ms(lambda i=i, c=c: search_residents(context.uow(), institution_id=i, colour=c), 1) for i, c in combos
    ]
    context.close()

    plain = plain_connection(path)

    def plain_record(resident_id: str, statements: tuple[str, ...] = _PLAIN_RECORD_SQL) -> None:
        for sql in statements:
            plain.execute(sql, (resident_id,)).fetchall()

    def plain_filter(institution_id: str, colour: str) -> None:
        plain.execute(
            "SELECT id, name FROM resident WHERE institution_id = ? AND colour = ?", (institution_id, colour)
        ).fetchall()

    plain_record(residents[0])
    record_baseline = [median_ms(lambda r=r: plain_record(r), 1) for r in residents]
    history_baseline = [median_ms(lambda r=r: plain_record(r, _PLAIN_HISTORY_SQL), 1) for r in residents]
    filter_baseline = [median_ms(lambda i=i, c=c: plain_filter(i, c.value), 1) for i, c in combos]
    plain.close()
    record_ms, filter_ms = statistics.median(opened), statistics.median(filtered)
    return [
        Row(
            f"open a resident's record ({len(residents)} residents)",
            record_ms,
            statistics.median(record_baseline),
            "≤ 50 ms",
            record_ms <= 50,
        ),
        Row(
            f"the record's Visits tab: visit history ({len(residents)})",
            statistics.median(histories),
            statistics.median(history_baseline),
            "≤ 50 ms",
            statistics.median(histories) <= 50,
        ),
        Row(
            f"list by institution and colour ({len(combos)} filters)",
            filter_ms,
            statistics.median(filter_baseline),
            "≤ 50 ms",
            filter_ms <= 50,
        ),
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

BARE_WINDOW_WITH_DATABASE = """
import sys
from app.store import cipher  # SQLCipher's sqlite3, keyed as the app keys it (a light import: no SQLAlchemy)
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
window = QMainWindow(); window.resize(1100, 720); window.show()
def shown():
    print("window-shown", flush=True)
    # what a sign-in needs, with plain sqlite3: the file opened as the app opens it, its schema read,
    # the schema's version, this device and the accounts loaded
    connection = cipher.connect(sys.argv[1])
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", "busy_timeout=5000",
                   "cache_size=-65536", "mmap_size=268435456"):
        connection.execute("PRAGMA " + pragma)
    connection.execute("SELECT * FROM sqlite_master").fetchall()
    connection.execute("SELECT * FROM alembic_version").fetchall()
    connection.execute("SELECT * FROM device_state").fetchall()
    connection.execute("SELECT * FROM staff WHERE deleted = 0").fetchall()
    connection.close()
    print("ready", flush=True); app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""
"""The fair baseline of "sign-in ready": a bare window that opens the same database file."""


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
    bare_db_cmd = [sys.executable, "-c", BARE_WINDOW_WITH_DATABASE, str(path)]
    _time_until(app_cmd, "ready", env)  # warm the OS file cache once
    _time_until(bare_db_cmd, "ready", env)
    shown, ready, bare, bare_db = [], [], [], []
    for _ in range(repeat):  # alternately, so that a busy moment falls on all four
        shown.append(_time_until(app_cmd, "window-shown", env))
        bare.append(_time_until(bare_cmd, "window-shown", env))
        ready.append(_time_until(app_cmd, "ready", env))
        bare_db.append(_time_until(bare_db_cmd, "ready", env))
    bare_ms, shown_ms = statistics.median(bare), statistics.median(shown)
    residents = cipher.connect(path).execute("SELECT COUNT(*) FROM resident").fetchone()[0]
    return [
        Row(
            f"start-up to main window shown ({residents:,} residents)",
            shown_ms,
            bare_ms,
            "≤ 2× bare window",
            shown_ms <= 2 * bare_ms,
        ),
        Row(
            "start-up to sign-in ready vs bare window + same db",
            statistics.median(ready),
            statistics.median(bare_db),
            "(reported)",
            None,
        ),
    ]


# --- planning a week and printing a round sheet (issue 4) ----------------------------------------------------


def bench_planning(path: Path, repeat: int = 7) -> list[Row]:
    """Plan next week for the whole center, and build a 500-resident round sheet, against plain baselines.

    Planning is measured against the same work done by hand (``plan_baseline``: the residents due at each round
    of the week, with the same facts, in the same order; hand-written SQL on a plain sqlite3 connection with the
    app's pragmas), after checking that the two give the same answer; the round sheet against a bare reportlab
    Table of the same rows (same font, automatic sizes, header repeated). Each pair is run alternately.
    """
    import gc
    import io
    from dataclasses import replace
    from datetime import date, timedelta

    from plan_baseline import plan_baseline, planner_answer, rules_of, same_answer
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from app.printing.fonts import pdf_font
    from app.printing.round_sheet import build_round_sheet
    from app.services.printing import round_sheet
    from app.services.rounds.plan import plan_week
    from app.services.triage import load_rules

    context = open_context(path)
    with context.uow() as uow:  # the demo's "today" is the day it was made: its last visits are just before
        last = uow.fast_rows("SELECT MAX(visit_date) FROM visit")[0][0]
    today = date.fromisoformat(last) + timedelta(days=1)
    week = today + timedelta(days=7)
    monday = week - timedelta(days=week.weekday())
    plan = plan_week(context.uow(), week=week, today=today)  # generates the week's rounds once, warms up
    rules = rules_of(load_rules(context.uow()).rules.visits)
    plain = plain_connection(path)
    same_answer(plan_baseline(plain, monday, today, rules), planner_answer(plan))  # or the bench stops here
    ours, baseline = [], []
    for _ in range(repeat):  # each starts with no garbage of the other's to collect
        gc.collect()
        baseline.append(median_ms(lambda: plan_baseline(plain, monday, today, rules), 1))
        gc.collect()
        ours.append(median_ms(lambda: plan_week(context.uow(), week=week, today=today), 1))
    plain.close()
    plan_ms, baseline_ms = statistics.median(ours), statistics.median(baseline)
    due = sum(len(r.due) for r in plan.rounds)

    biggest = max(plan.rounds, key=lambda r: len(r.due))
    sheet = round_sheet(context.uow(), round_id=biggest.id, today=today)
    sheet = replace(sheet, residents=list(sheet.residents[:500]))
    context.close()
    font = pdf_font().name
    rows = [
        [
            "No.",
            "Bed",
            "Name",
            "Sex",
            "Age",
            "Colour",
            "Problems",
            "Last visit",
            "Why due",
            "BP",
            "Pulse",
            "Glucose",
            "Temp.",
            "Findings",
        ]
    ]
    rows += [
        [
            str(n),
            r.bed,
            r.name,
            r.sex,
            str(r.age),
            r.colour.badge,
            r.problems,
            r.last_visit,
            r.why_due,
            "",
            "",
            "",
            "",
            "",
        ]
        for n, r in enumerate(sheet.residents, start=1)
    ]

    def bare_table() -> None:
        table = Table(rows, repeatRows=1)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 7.5), ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
        SimpleDocTemplate(io.BytesIO(), pagesize=landscape(A4)).build([table])

    bare_table()
    build_round_sheet(sheet, io.BytesIO())
    sheet_ms, table_ms = [], []
    for _ in range(repeat):
        table_ms.append(median_ms(bare_table, 1))
        sheet_ms.append(median_ms(lambda: build_round_sheet(sheet, io.BytesIO()), 1))
    sheet_median, table_median = statistics.median(sheet_ms), statistics.median(table_ms)
    return [
        Row(
            f"plan a week ({len(plan.rounds)} rounds, {due:,} due)",
            plan_ms,
            baseline_ms,
            "≤ 1.3× baseline",
            plan_ms <= 1.3 * baseline_ms,
        ),
        Row(
            f"round sheet PDF, {len(sheet.residents)} residents",
            sheet_median,
            table_median,
            "≤ 1.5× bare table",
            sheet_median <= 1.5 * table_median,
        ),
    ]


def bench_plan_command(path: Path, repeat: int = 3) -> list[Row]:
    """``plan --week --json`` as a whole command (a new process), against planning the same week alone.

    Both plan the week after the demo's last visits; planning alone is measured in this process, warm,
    alternately with the command.
    """
    from datetime import date, timedelta

    from app.services.rounds.plan import plan_week

    context = open_context(path)
    with context.uow() as uow:
        last = uow.fast_rows("SELECT MAX(visit_date) FROM visit")[0][0]
    today = date.fromisoformat(last) + timedelta(days=1)
    year, number, _ = (today + timedelta(days=7)).isocalendar()
    monday = date.fromisocalendar(year, number, 1)
    plan_week(context.uow(), week=monday, today=today)  # generates the week's rounds once, warms up
    command = [sys.executable, "-m", "app", "plan", "--week", f"{year}-W{number:02d}", "--today", today.isoformat()]
    command += ["--db", str(path), "--json"]
    # the command line signs in (issue 15): as the demo's first doctor, a password check included
    from app.services.demo import DEMO_PASSWORD

    env = dict(os.environ, CARE_USER="doctor1", CARE_PASSWORD=DEMO_PASSWORD)
    whole, alone = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
        whole.append((time.perf_counter() - start) * 1000)
        alone.append(median_ms(lambda: plan_week(context.uow(), week=monday, today=today), 1))
    context.close()
    whole_ms, alone_ms = statistics.median(whole), statistics.median(alone)
    return [
        Row(
            "plan --week --json, whole command",
            whole_ms,
            alone_ms,
            "≤ 1.5× planning alone",
            whole_ms <= 1.5 * alone_ms,
        )
    ]


RESIDENTS_PAGE = """
import sys, time
import sqlmodel  # noqa: F401  (before Qt, as the app does)
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
path, mode = sys.argv[1], sys.argv[2]
if mode == "app":
    from app.bootstrap import open_context
    from app.ui.residents.page import ResidentsPage
    context = open_context(path)
    page = ResidentsPage(context)
else:  # a bare window with the same model, its rows read with plain sqlite3 (SQLCipher's build) as tuples
    from app.store import cipher
    from PySide6.QtWidgets import QTableView
    from app.services.records.search import ResidentRow
    from app.ui.residents.model import ResidentTableModel
    page = QTableView()
    model = ResidentTableModel(parent=page)
    page.setModel(model)
start = time.perf_counter()
def first_rows(count):
    print(f"first-rows {(time.perf_counter() - start) * 1000:.1f}", flush=True)
    QTimer.singleShot(0, scroll)
def scroll():  # to the end and back, as a user dragging the scroll bar
    table = page.table if mode == "app" else page
    for _ in range(3):
        table.scrollToBottom(); app.processEvents(); table.scrollToTop(); app.processEvents()
    QTimer.singleShot(0, done)
def done():  # VmHWM: this program's own peak (getrusage's keeps the forking parent's across exec)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(f"rss-mib {peak / 1024:.1f}", flush=True)
    app.quit()
page.resize(1100, 700)
if mode == "app":
    page.searched.connect(first_rows)
    page.show()
else:
    page.show()
    connection = cipher.connect(path)
    rows = connection.execute(
        "SELECT r.id, r.name, r.sex, r.birth_date, i.name, r.building, r.room, r.bed, r.colour, r.status, "
        "r.id_number FROM resident r JOIN institution i ON i.id = r.institution_id "
        "WHERE r.deleted = 0 AND r.status IN ('in_residence', 'hospitalized')"
    ).fetchall()
    model.set_rows([ResidentRow._make(row) for row in rows])
    QTimer.singleShot(0, lambda: first_rows(len(rows)))
app.exec()
if mode == "app":
    context.close()
"""
"""The Residents page with every resident (the app), or a bare table view with the same model and rows."""


def _page_run(path: Path, mode: str) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", RESIDENTS_PAGE, str(path), mode],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    figures = dict(line.split() for line in done.stdout.splitlines() if line.startswith(("first-rows", "rss-mib")))
    return float(figures["first-rows"]), float(figures["rss-mib"])


def bench_residents_page(path: Path, repeat: int = 3) -> list[Row]:
    """The Residents page shown with all residents: time to its first rows, and peak memory after scrolling
    to the end and back, against a bare table view with the same model holding the same rows."""
    ours = [_page_run(path, "app") for _ in range(repeat)]
    bare = [_page_run(path, "bare") for _ in range(repeat)]
    first_ms = statistics.median(t for t, _ in ours)
    rss, bare_rss = statistics.median(m for _, m in ours), statistics.median(m for _, m in bare)
    return [
        Row(
            "Residents page, all residents: first rows shown",
            first_ms,
            statistics.median(t for t, _ in bare),
            "≤ 500 ms",
            first_ms <= 500,
        ),
        Row(
            "Residents page, all residents: peak RSS (MiB, not ms)",
            rss,
            bare_rss,
            "≤ 1.5× bare",
            rss <= 1.5 * bare_rss,
        ),
    ]


_UNCORRECTED = "NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0)"

TRIAGE_FACTS_SQL = f"""
SELECT r.id, r.name, r.sex, r.birth_date, r.institution_id, r.building, r.room, r.bed, r.colour,
    r.suggested_colour, r.hospice, r.family_bed, r.family_bed_start, r.family_bed_end, r.care_level,
    COALESCE(NULLIF(r.phone, ''), r.guardian_phone),
    (SELECT json_group_array(json_array(a.kind, a.assessed_on, a.score)) FROM (
        SELECT kind, MAX(assessed_on) AS assessed_on, score FROM assessment
        WHERE resident_id = r.id AND deleted = 0 AND kind IN ('self_care', 'ad8', 'fall') GROUP BY kind) a),
    (SELECT group_concat(COALESCE(NULLIF(code, ''), name), ',') FROM condition
        WHERE resident_id = r.id AND deleted = 0 AND active = 1),
    (SELECT opened_on || ' ' || destination FROM referral
        WHERE resident_id = r.id AND deleted = 0 AND closed_on IS NULL ORDER BY opened_on DESC LIMIT 1),
    (SELECT group_concat(on_date || ' ' || status, ',') FROM statuschange WHERE resident_id = r.id AND deleted = 0),
    b.visit_date, b.sbp, b.dbp, g.visit_date, g.glucose,
    (SELECT group_concat(k.chronic_class, ',') FROM (
        SELECT v.chronic_class FROM visit v
        WHERE v.resident_id = r.id AND v.chronic_class != '' AND v.deleted = 0 AND {_UNCORRECTED}
        ORDER BY v.visit_date DESC, v.rowid DESC LIMIT 2) k)
FROM resident r
LEFT JOIN visit b ON b.rowid = (
    SELECT v.rowid FROM visit v INDEXED BY ix_visit_resident_date
    WHERE v.resident_id = r.id AND v.deleted = 0 AND v.sbp IS NOT NULL AND v.dbp IS NOT NULL AND {_UNCORRECTED}
    ORDER BY v.visit_date DESC, v.rowid DESC LIMIT 1)
LEFT JOIN visit g ON g.rowid = (
    SELECT v.rowid FROM visit v INDEXED BY ix_visit_resident_date
    WHERE v.resident_id = r.id AND v.deleted = 0 AND v.glucose IS NOT NULL AND {_UNCORRECTED}
    ORDER BY v.visit_date DESC, v.rowid DESC LIMIT 1)
WHERE r.deleted = 0 AND r.status = 'in_residence'
"""
"""The fair baseline of a triage refresh: every fact the rules read (the resident, the last self-care, AD8
and fall assessments, active conditions, the open referral, status changes, the last blood pressure and
glucose and chronic classes of uncorrected visits) for every resident in residence, in one SQL query."""

TRIAGE_CHANGED_SHARE = 0.01
"""The share of residents whose facts change (a new visit each) before the incremental refresh row."""


def _visit_for_share(path: Path, share: float, day: object, *, offset: int) -> int:
    """Record, through the app's models, a high blood pressure visit on ``day`` for ``share`` of the
    residents in residence (every n-th from ``offset``): their facts change. Return how many."""
    from sqlmodel import select

    from app.store.models import Resident, Visit

    context = open_context(path)
    with context.uow() as uow:
        ids = list(
            uow.session.exec(
                select(Resident.id)
                .where(Resident.deleted == False, Resident.status == "in_residence")
                .order_by(Resident.id)
            )
        )
        step = max(1, round(1 / share))
        chosen = ids[offset % step :: step]
        for resident_id in chosen:
            uow.session.add(Visit(resident_id=resident_id, visit_date=day, sbp=186, dbp=112, pulse=88))
        uow.commit()
    context.close()
    return len(chosen)


def bench_triage(big: Path, work: Path) -> list[Row]:
    """Triage refreshes and opening the review, against loading the same facts with one SQL query.

    Run on a copy (the refresh writes). The first refresh is measured once, as a user meets it; "again"
    (nothing changed) and "after 1 % of the residents' facts changed" (a new visit each, three times,
    different residents) are medians. The baseline is the median of three runs of :data:`TRIAGE_FACTS_SQL`;
    the review's is reading the differing residents' rows.
    """
    from datetime import date, timedelta

    from app.services.triage import refresh_suggestions, triage_review

    copy = work / "triage-copy.sqlite"
    for leftover in work.glob("triage-copy.sqlite*"):
        leftover.unlink()
    shutil.copyfile(big, copy)
    plain = plain_connection(copy)
    last = plain.execute("SELECT MAX(visit_date) FROM visit").fetchone()[0]
    today = date.fromisoformat(last) + timedelta(days=1)
    plain.execute(TRIAGE_FACTS_SQL).fetchall()  # warm up, as the app's first refresh is not warmed
    facts_ms = statistics.median([median_ms(lambda: plain.execute(TRIAGE_FACTS_SQL).fetchall(), 1) for _ in range(3)])
    context = open_context(copy)
    refresh_ms, first = timed_ms(lambda: refresh_suggestions(context.uow(), today=today))
    again = median_ms(lambda: refresh_suggestions(context.uow(), today=today), 3)
    context.close()
    after_change, touched = [], 0
    for attempt in range(3):
        touched = _visit_for_share(copy, TRIAGE_CHANGED_SHARE, today - timedelta(days=1), offset=attempt)
        context = open_context(copy)
        after_change.append(median_ms(lambda c=context: refresh_suggestions(c.uow(), today=today), 1))
        context.close()
    context = open_context(copy)
    review = [median_ms(lambda: triage_review(context.uow(), today=today), 1) for _ in range(3)]
    rows = len(triage_review(context.uow(), today=today))
    context.close()
    plain_sql = (
        "SELECT id, name, sex, birth_date, institution_id, building, room, bed, colour, suggested_colour "
        "FROM resident WHERE deleted = 0 AND status = 'in_residence' AND suggested_colour != colour"
    )
    baseline = [median_ms(lambda: plain.execute(plain_sql).fetchall(), 1) for _ in range(3)]
    plain.close()
    for leftover in work.glob("triage-copy.sqlite*"):
        leftover.unlink()
    first_row = f"triage: first refresh, {first.changed:,} of {first.residents:,} change"  # type: ignore[attr-defined]
    review_ms, plain_ms = statistics.median(review), statistics.median(baseline)
    changed_ms = statistics.median(after_change)
    return [
        Row(first_row, refresh_ms, facts_ms, "(reported)", None),
        Row("triage: refresh again, nothing changes", again, facts_ms, "(reported)", None),
        Row(
            f"triage: refresh after {touched:,} residents' facts changed (1 %)",
            changed_ms,
            facts_ms,
            "≤ 1 000 ms",
            changed_ms <= 1000,
        ),
        Row(f"triage: open the review ({rows:,} residents)", review_ms, plain_ms, "(reported)", None),
    ]


# --- sync by file -----------------------------------------------------------------------------------------

WEEKLY_VISITS = 2_000
WEEKLY_ROUNDS = 5


def _synced_rows(path: Path, ids: dict[str, set[str]] | None = None) -> dict[str, tuple[list[str], list[tuple]]]:
    """Read the synced tables' rows (all, or only ``ids`` per table) with plain sqlite3."""
    from app.services.sync.tables import table_specs

    connection = cipher.connect(path)
    rows: dict[str, tuple[list[str], list[tuple]]] = {}
    for spec in table_specs():
        columns = list(spec.columns)
        select_list = ", ".join(f'"{c}"' for c in columns)
        if ids is None:
            found = connection.execute(f'SELECT {select_list} FROM "{spec.name}"').fetchall()
        else:
            wanted = sorted(ids.get(spec.name, ()))
            found = []
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                found += connection.execute(
                    f'SELECT {select_list} FROM "{spec.name}" WHERE id IN ({", ".join("?" * len(part))})', part
                ).fetchall()
        rows[spec.name] = (columns, found)
    connection.close()
    return rows


def _plain_insert(connection: sqlite3.Connection, rows: dict[str, tuple[list[str], list[tuple]]]) -> None:
    for table, (columns, values) in rows.items():
        if values:
            names = ", ".join(f'"{c}"' for c in columns)
            connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})', values)


def _new_member(source: Path, target: Path) -> None:
    """A fresh database of the same center (center row and key only): the target of a full import."""
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    open_context(target).close()
    src = cipher.connect(source)
    center = src.execute("SELECT * FROM center").fetchall()
    columns = [c[1] for c in src.execute("PRAGMA table_info(center)")]
    key = src.execute("SELECT center_key FROM device_state").fetchone()[0]
    src.close()
    dst = cipher.connect(target)
    dst.executemany(f"INSERT INTO center ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", center)
    dst.execute("UPDATE device_state SET center_key = ?", (key,))
    dst.commit()
    dst.close()


def _copy_as_laptop(workstation: Path, laptop: Path) -> None:
    """Copy the workstation's database and give it a device of its own, as joining does."""
    import json
    import uuid

    shutil.copyfile(workstation, laptop)
    _copy_key_file(workstation, laptop)
    connection = cipher.connect(laptop)
    ws_id, ws_clock = connection.execute("SELECT device_id, last_clock FROM device_state").fetchone()
    knowledge = json.dumps({ws_id: ws_clock})
    laptop_id = str(uuid.uuid4())
    with connection:
        for table in ("sync_peer", "sync_log", "sync_conflict"):
            connection.execute(f"DELETE FROM {table}")
        connection.execute("UPDATE device_state SET device_id = ?, name = 'laptop'", (laptop_id,))
        connection.execute("INSERT INTO sync_peer VALUES (?, 'laptop', '', ?, '', NULL)", (laptop_id, knowledge))
        connection.execute(
            "INSERT INTO sync_peer VALUES (?, 'workstation', '', ?, ?, CURRENT_TIMESTAMP)", (ws_id, knowledge, ws_clock)
        )
    connection.close()


def _copy_key_file(source: Path, target: Path) -> None:
    if key_wraps.key_file_path(source).exists():
        shutil.copyfile(key_wraps.key_file_path(source), key_wraps.key_file_path(target))


def _add_week_of_visits(path: Path, count: int, *, week: int = 0) -> None:
    from datetime import date, timedelta

    from sqlmodel import select

    from app.store.models import Resident, Visit

    context = open_context(path)
    monday = date(2026, 11, 16) + timedelta(weeks=week)
    with context.uow() as uow:
        residents = list(uow.session.exec(select(Resident.id).where(Resident.deleted == False).limit(count)))
        for number, resident_id in enumerate(residents):
            uow.session.add(
                Visit(
                    resident_id=resident_id,
                    visit_date=monday + timedelta(days=number % 5),
                    sbp=130 + number % 20,
                    dbp=80,
                    pulse=72,
                    findings="精神可，血压平稳",
                )
            )
        uow.commit()
    context.close()


def bench_sync(big: Path, work: Path) -> list[Row]:
    """Full export and import of the whole center, and a weekly package, against plain sqlite3."""
    from app.services.sync.exchange import export_package, import_package
    from app.store.backup import backup_database, wait_for_pending_backups

    rows: list[Row] = []
    workstation = work / "sync-workstation.sqlite"
    for leftover in work.glob("sync-*"):
        leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
    shutil.copyfile(big, workstation)
    ws = open_context(workstation)
    visits = cipher.connect(workstation).execute("SELECT COUNT(*) FROM visit").fetchone()[0]

    # full export vs reading the same rows
    package = work / "sync-full.crsync"
    start = time.perf_counter()
    summary = export_package(ws.uow(), out=package, full=True)
    export_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    everything = _synced_rows(workstation)
    read_ms = (time.perf_counter() - start) * 1000
    rows.append(
        Row(f"sync: full export, {summary.total:,} rows ({visits:,} visits)", export_ms, read_ms, "(reported)", None)
    )

    # full import into a new device of the center vs inserting the same rows, one transaction
    member = work / "sync-member.sqlite"
    _new_member(workstation, member)
    plain = work / "sync-plain.sqlite"
    for leftover in work.glob("sync-plain.sqlite*"):
        leftover.unlink()
    open_context(plain).close()  # the same schema and indexes, made by the migrations
    connection = plain_connection(plain, SYNC_IMPORT_PRAGMAS)  # the import's own pragmas
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("PRAGMA defer_foreign_keys=ON")
    _plain_insert(connection, everything)
    connection.execute("COMMIT")
    insert_ms = (time.perf_counter() - start) * 1000
    connection.close()
    del everything
    target = open_context(member)
    start = time.perf_counter()
    imported = import_package(target.uow(), path=package)
    import_ms = (time.perf_counter() - start) * 1000
    target.close()
    rows.append(
        Row(
            f"sync: full import, {imported.new:,} rows, new device",
            import_ms,
            insert_ms,
            "≤ 3× baseline",
            import_ms <= 3 * insert_ms,
        )
    )

    # a weekly package: a laptop's week of visits, exported there and imported on the workstation
    laptop = work / "sync-laptop.sqlite"
    ws.close()
    _copy_as_laptop(workstation, laptop)
    ws, lap = open_context(workstation), open_context(laptop)
    export_package(lap.uow(), out=work / "sync-warmup-l.crsync")  # the laptop's first file, then the answer:
    import_package(ws.uow(), path=work / "sync-warmup-l.crsync", backup=False)
    export_package(ws.uow(), out=work / "sync-warmup-w.crsync")  # acknowledgements travel both ways
    import_package(lap.uow(), path=work / "sync-warmup-w.crsync", backup=False)
    lap.close()
    # five weeks, one after the other: each week's package exported on the laptop and imported on the
    # workstation the real way, with the backup taken before the import. The import returns (what the Sync
    # page's user waits for) once the backup is completely copied; it is flushed and renamed into place
    # right after, in the background: both moments are reported
    weekly = work / "sync-weekly.crsync"
    times, durable_times, backup_only = [], [], []
    for round_number in range(WEEKLY_ROUNDS):
        _add_week_of_visits(laptop, WEEKLY_VISITS, week=round_number)
        lap = open_context(laptop)
        os.sync()  # the week's visits are on disk before the clock starts
        start = time.perf_counter()
        week = export_package(lap.uow(), out=weekly)
        done = import_package(ws.uow(), path=weekly)
        times.append((time.perf_counter() - start) * 1000)
        assert done.backup is not None, done
        while not done.backup.exists() and time.perf_counter() - start < 120:  # renamed once flushed
            time.sleep(0.002)
        durable_times.append((time.perf_counter() - start) * 1000)
        assert wait_for_pending_backups(120), "the backup was not saved within two minutes"  # and pruned, etc.
        assert done.new == week.total and done.backup.exists(), (done, week.total)
        export_package(ws.uow(), out=work / "sync-answer.crsync")  # the workstation acknowledges the week
        import_package(lap.uow(), path=work / "sync-answer.crsync", backup=False)
        lap.close()
        os.sync()  # the next round starts with nothing waiting to be written
    weekly_ms, durable_ms = statistics.median(times), statistics.median(durable_times)
    # baseline: read the same rows on the laptop and insert them on the workstation, one transaction
    ids: dict[str, set[str]] = {}
    for table in week.counts:
        ids[table] = {
            r[0]
            for r in cipher.connect(laptop).execute(
                f'SELECT id FROM "{table}" WHERE origin_device = (SELECT device_id FROM device_state) '
                "ORDER BY updated_at DESC LIMIT ?",
                (week.counts[table],),
            )
        }
    copy = work / "sync-workstation-copy.sqlite"
    connection = cipher.connect(workstation)
    start = time.perf_counter()
    same = _synced_rows(laptop, ids)
    connection.execute("BEGIN")
    for table, (columns, values) in same.items():  # the rows are there already: insert them as copies
        renamed = [(f"copy-{v[0]}"[:36], *v[1:]) for v in values]
        _plain_insert(connection, {table: (columns, renamed)})
    connection.rollback()
    plain_weekly_ms = (time.perf_counter() - start) * 1000
    connection.close()
    size_mb = workstation.stat().st_size >> 20
    rows.append(
        Row(
            f"sync: weekly export + import, {week.counts.get('visit', 0):,} visits "
            f"({week.total:,} rows, {size_mb:,} MB db, backup copied)",
            weekly_ms,
            plain_weekly_ms,
            "≤ 2 000 ms",
            weekly_ms <= 2000,
        )
    )
    rows.append(
        Row("sync: weekly export + import until its backup is durable", durable_ms, plain_weekly_ms, "(reported)", None)
    )
    vacuum_only = []
    for _ in range(3):  # alternately, os.sync() between: each starts with nothing waiting to be written
        start = time.perf_counter()
        backup_database(workstation, copy)
        backup_only.append((time.perf_counter() - start) * 1000)
        copy.unlink()
        os.sync()
        vacuum_only.append(vacuum_into_ms(workstation, copy))
        copy.unlink()
        os.sync()
    backup_ms = statistics.median(backup_only)
    rows.append(
        Row(
            f"sync: the pre-import backup alone ({size_mb:,} MB db)",
            backup_ms,
            statistics.median(vacuum_only),
            "(reported; baseline VACUUM INTO)",
            None,
        )
    )
    ws.close()
    lap.close()
    return rows


# --- encrypted against plain (issue 15) ---------------------------------------------------------------------


class _WeeklySync:
    """A workstation and its laptop, exchanging a week of visits per round, as in :func:`bench_sync`.

    Plain and encrypted rounds are run alternately (:func:`_weekly_sync_pair`): each round copies the whole
    database (the pre-import backup), so its time follows the disk's state — whatever the disk is still
    writing back from the round before — more than the encryption; alternating lets that fall on both alike.
    """

    def __init__(self, workstation: Path, work: Path, tag: str) -> None:
        from app.services.sync.exchange import export_package, import_package

        self.work, self.tag, self.round = work, tag, 0
        self.laptop = work / f"enc-{tag}-laptop.sqlite"
        ws = open_context(workstation)
        export_package(ws.uow(), out=work / f"enc-{tag}-first.crsync")  # the center's sync key made, as a join does
        ws.close()
        _copy_as_laptop(workstation, self.laptop)
        self.ws, lap = open_context(workstation), open_context(self.laptop)
        export_package(lap.uow(), out=work / f"enc-{tag}-l0.crsync")
        import_package(self.ws.uow(), path=work / f"enc-{tag}-l0.crsync", backup=False)
        export_package(self.ws.uow(), out=work / f"enc-{tag}-w0.crsync")
        import_package(lap.uow(), path=work / f"enc-{tag}-w0.crsync", backup=False)
        lap.close()

    def one_round(self) -> float:
        """One weekly exchange, timed from the laptop's export to the workstation's import (backup copied)."""
        from app.services.sync.exchange import export_package, import_package
        from app.store.backup import wait_for_pending_backups

        work, tag = self.work, self.tag
        _add_week_of_visits(self.laptop, WEEKLY_VISITS, week=self.round)
        self.round += 1
        lap = open_context(self.laptop)
        os.sync()
        start = time.perf_counter()
        week = export_package(lap.uow(), out=work / f"enc-{tag}-weekly.crsync")
        done = import_package(self.ws.uow(), path=work / f"enc-{tag}-weekly.crsync")
        elapsed = (time.perf_counter() - start) * 1000
        assert done.new == week.total, (done, week.total)
        assert wait_for_pending_backups(120), "the backup was not saved within two minutes"
        export_package(self.ws.uow(), out=work / f"enc-{tag}-answer.crsync")
        import_package(lap.uow(), path=work / f"enc-{tag}-answer.crsync", backup=False)
        lap.close()
        os.sync()
        return elapsed

    def close(self) -> None:
        self.ws.close()


def _weekly_sync_pair(plain: Path, encrypted: Path, work: Path, rounds: int = 5) -> tuple[float, float]:
    """Medians of ``rounds`` weekly exchanges on the plain and on the encrypted center, rounds alternating."""
    sides = [_WeeklySync(plain, work, "plain"), _WeeklySync(encrypted, work, "encrypted")]
    times: list[list[float]] = [[], []]
    try:
        for number in range(rounds):
            order = (0, 1) if number % 2 == 0 else (1, 0)  # neither side always goes first
            for index in order:
                times[index].append(sides[index].one_round())
    finally:
        for each in sides:
            each.close()
    return statistics.median(times[0]), statistics.median(times[1])


def in_memory(*paths: Path) -> None:
    """Read each file once, whole, in another process, so that both sides find every page in the operating
    system's cache: the comparison is then of the cipher's work, not of which file's pages the disk had to give
    back (just copied and converted, 2 × 1.9 GB, they are partly not in memory; a record read 0.5 ms from memory
    and 0.9–1.0 ms with the disk, on both sides alike: 0.97–1.08× in two such runs, 1.43× from memory).

    A child process reads them: this one may hold connections, and closing a descriptor of its own on a database
    file would drop its SQLite locks."""
    for path in paths:
        reader = "import sys\nwith open(sys.argv[1], 'rb') as f:\n    while f.read(1 << 20): pass"
        subprocess.run([sys.executable, "-c", reader, str(path)], check=True)


def bench_encryption(big: Path, work: Path) -> list[Row]:
    """The same jobs on the plain demo and on an encrypted copy of it (SQLCipher), in the same run.

    Target: each at most 1.3 × plain (issue 15). The encrypted copy is made by ``center encrypt``'s own
    conversion; its time is reported too. Both files are copies, so neither run warms the other's pages
    in SQLite's cache; both are read into the OS page cache first (:func:`in_memory`).
    """
    from app.services.records.load import load_record
    from app.services.rounds.plan import plan_week
    from app.services.visits.history import visit_history
    from app.store.encrypt import encrypt_database

    plain, encrypted = work / "enc-plain.sqlite", work / "enc-encrypted.sqlite"
    for leftover in work.glob("enc-*"):
        leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
    # both compacted alike: the conversion writes the encrypted copy table by table (``sqlcipher_export``), so the
    # plain side is a ``VACUUM INTO`` copy, not the demo's own file with its trees interleaved as they were written
    # (a record read from that one cost ≈ 0.1 ms more, which flattered the encrypted side: 1.00–1.01× against
    # 1.08–1.18× from a compacted copy, 6 Dec)
    vacuum_into_ms(big, plain)
    vacuum_into_ms(big, encrypted)
    size_mb = big.stat().st_size >> 20
    start = time.perf_counter()
    encrypt_database(encrypted)
    convert_ms = (time.perf_counter() - start) * 1000
    residents = sample_residents(plain)
    queries = keystroke_queries(plain)
    in_memory(plain, encrypted)
    results: dict[str, dict[Path, float]] = {"record": {}, "history": {}, "search": {}, "plan": {}, "sync": {}}
    contexts = {path: open_context(path) for path in (plain, encrypted)}
    with contexts[plain].uow() as uow:
        last = uow.fast_rows("SELECT MAX(visit_date) FROM visit")[0][0]
    from datetime import date, timedelta

    today = date.fromisoformat(last) + timedelta(days=1)
    week = today + timedelta(days=7)
    for context in contexts.values():  # warm both alike: the first record, keystroke and plan
        load_record(context.uow(), resident_id=residents[0])
        visit_history(context.uow(), resident_id=residents[0])
        app_keystroke(context, "预热")
        plan_week(context.uow(), week=week, today=today)
    records: dict[Path, list[float]] = {plain: [], encrypted: []}
    histories: dict[Path, list[float]] = {plain: [], encrypted: []}
    keys: dict[Path, list[float]] = {plain: [], encrypted: []}
    plans: dict[Path, list[float]] = {plain: [], encrypted: []}
    for resident_id in residents:  # alternately, so a busy moment of the machine falls on both
        for path, context in contexts.items():
            records[path].append(median_ms(lambda c=context, r=resident_id: load_record(c.uow(), resident_id=r), 1))
    for resident_id in residents:  # then the Visits tab of the same records, as the record window loads it
        for path, context in contexts.items():
            histories[path].append(median_ms(lambda c=context, r=resident_id: visit_history(c.uow(), resident_id=r), 1))
    for query in queries:
        for path, context in contexts.items():
            keys[path].append(median_ms(lambda c=context, q=query: app_keystroke(c, q), 1))
    for _ in range(5):
        for path, context in contexts.items():
            plans[path].append(median_ms(lambda c=context: plan_week(c.uow(), week=week, today=today), 1))
    for context in contexts.values():
        context.close()
    for path in (plain, encrypted):
        results["record"][path] = statistics.median(records[path])
        results["history"][path] = statistics.median(histories[path])
        results["search"][path] = statistics.median(keys[path])
        results["plan"][path] = statistics.median(plans[path])
    for job in ("record", "history", "search", "plan"):  # printed at once: the sync below takes long
        print(f"{job}: plain {results[job][plain]:.2f} ms, encrypted {results[job][encrypted]:.2f} ms", flush=True)
    print(f"center encrypt of {size_mb:,} MB: {convert_ms:.0f} ms", flush=True)
    results["sync"][plain], results["sync"][encrypted] = _weekly_sync_pair(plain, encrypted, work)
    names = {
        "record": f"encrypted: open a resident's record ({len(residents)} residents)",
        "history": f"encrypted: the record's Visits tab ({len(residents)} residents)",
        "search": f"encrypted: search per keystroke, median ({len(queries)} keys)",
        "plan": "encrypted: plan a week (whole center)",
        "sync": f"encrypted: weekly sync, {WEEKLY_VISITS:,} visits, backup copied ({size_mb:,} MB db)",
    }
    rows = [
        Row(
            names[job],
            results[job][encrypted],
            results[job][plain],
            "≤ 1.3× plain",
            results[job][encrypted] <= 1.3 * results[job][plain],
        )
        for job in names
    ]
    converted = f"encrypted: center encrypt of the {size_mb:,} MB db (verified)"
    rows.append(Row(converted, convert_ms, 0.0, "(reported)", None))
    return rows


def vacuum_into_ms(source: Path, target: Path) -> float:
    """The fair baseline of a backup: ``VACUUM INTO`` a temporary file, flushed and renamed into place."""
    partial = target.with_name(target.name + ".partial")
    start = time.perf_counter()
    connection = cipher.connect(source)
    connection.execute("VACUUM INTO ?", (str(partial),))
    connection.close()
    descriptor = os.open(partial, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(partial, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return (time.perf_counter() - start) * 1000


def remove_leftovers(work: Path) -> None:
    """Remove what the benchmarks copied into ``work``: sync databases and packages, the triage copy, the
    backups the app took (of any database there) and stray partial copies; the demo databases stay."""
    for pattern in ("sync-*", "enc-*", ".enc-*", "triage-copy.sqlite*", "baseline.sqlite*", "*.partial"):
        for leftover in work.glob(pattern):
            leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover, ignore_errors=True)
    shutil.rmtree(work / "backups", ignore_errors=True)


# --- main -------------------------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    header = f"{'operation':<48} {'median ms':>10} {'baseline ms':>12} {'ratio':>7}  target"
    print(header)
    print("-" * len(header))
    for row in rows:
        verdict = "" if row.met is None else ("  ok" if row.met else "  MISSED")
        figures = f"{row.median_ms:>10.1f} {row.baseline_ms:>12.1f} {row.ratio:>7.2f}"
        print(f"{row.operation:<48} {figures}  {row.target}{verdict}")


BENCHES = ("demo", "search", "records", "page", "startup", "planning", "triage", "sync", "reports", "encryption")


def run_benches(chosen: set[str], work: Path, residents: int, startup_residents: int) -> list[Row]:
    """Run the ``chosen`` benchmarks on a demo center of ``residents`` (made in ``work`` unless there)."""
    rows: list[Row] = []
    big = work / f"demo-{residents}.sqlite"
    if "demo" in chosen or not big.exists():
        row, big = bench_demo(work, residents)
        if "demo" in chosen:
            rows.append(row)
    if "search" in chosen:
        rows += bench_search(big)
    if "records" in chosen:
        rows += bench_records(big)
    if "page" in chosen:
        rows += bench_residents_page(big)
    if "planning" in chosen:
        rows += bench_planning(big)
        rows += bench_plan_command(big)
    if "triage" in chosen:
        rows += bench_triage(big, work)
    if "reports" in chosen:
        from bench_reports import bench_reports

        rows += bench_reports(big)
    if "sync" in chosen:
        try:
            rows += bench_sync(big, work)
        finally:
            remove_leftovers(work)
    if "encryption" in chosen:
        try:
            rows += bench_encryption(big, work)
        finally:
            remove_leftovers(work)
    if "startup" in chosen:
        small = work / f"startup-{startup_residents}.sqlite"
        if startup_residents == residents:
            small = big
        elif not small.exists():
            context = open_context(small)
            create_demo_center(context.database, residents=startup_residents, seed=2)
            context.close()
        rows += bench_startup(small)
    return rows


NOISE = 1.2
"""A row is flagged as growing faster than linearly when it grew more than this much over linear growth
(the machine is shared; figures of a few milliseconds move by more than that from run to run)."""


def print_growth(scales: list[int], tables: list[list[Row]]) -> None:
    """Print each row at every scale and how much it grew from the first scale to the last."""
    growth = scales[-1] / scales[0]
    print(f"\nGrowth from {scales[0]:,} to {scales[-1]:,} residents (×{growth:g}); flagged above ×{growth * NOISE:g}")
    header = f"{'operation':<48} " + " ".join(f"{f'{n:,}':>12}" for n in scales) + f" {'growth':>8}"
    print(header)
    print("-" * len(header))
    for same in zip(*tables, strict=False):  # the same benchmarks ran at every scale, in the same order
        first, last = same[0].median_ms, same[-1].median_ms
        factor = last / first if first else float("nan")
        flag = "  faster than linear" if factor > growth * NOISE else ""
        figures = " ".join(f"{row.median_ms:>12.1f}" for row in same)
        print(f"{same[-1].operation[:48]:<48} {figures} {factor:>8.2f}{flag}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--startup-residents", type=int, default=10_000)
    parser.add_argument("--scales", default=None, help="comma-separated numbers of residents, e.g. 10000,100000")
    parser.add_argument("--only", nargs="*", choices=BENCHES, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the demo databases in this folder")
    args = parser.parse_args(argv)
    chosen = set(args.only or BENCHES)
    scales = [int(n.replace("_", "")) for n in args.scales.split(",")] if args.scales else [args.residents]
    work = args.keep or Path(tempfile.mkdtemp(prefix="carerounds-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # the app remembers the last database in its settings: a temporary settings folder, never the user's
    settings = Path(tempfile.mkdtemp(prefix="carerounds-bench-settings-"))
    os.environ["XDG_CONFIG_HOME"] = str(settings / "config")
    os.environ["XDG_DATA_HOME"] = str(settings / "data")
    tables: list[list[Row]] = []
    try:
        for residents in scales:
            startup = residents if args.scales else args.startup_residents
            tables.append(run_benches(chosen, work, residents, startup))
    finally:
        remove_leftovers(work)
        shutil.rmtree(settings, ignore_errors=True)
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    for residents, rows in zip(scales, tables, strict=True):
        if len(scales) > 1:
            print(f"\n{residents:,} residents")
        print_table(rows)
    if len(scales) > 1:
        print_growth(scales, tables)
    return 0 if all(row.met is not False for rows in tables for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
