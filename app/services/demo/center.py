"""Making the demo center: the plan drawn here, the blocks of residents by worker processes or here, and
everything written by the store in one transaction (:mod:`app.store.queries.demo`).

The same seed and the same ``today`` give the same data (the sync stamps ``created_at``, ``updated_at``
and ``origin_device`` aside). 100 000 residents with 1.1 million visits take about 25 s of wall time on
two idle cores (about 45 s of CPU in all); the default 600 residents about a second. The confirmed
colours are the triage engine's suggestions of a week ago (:data:`~app.services.demo.plan.REVIEW_DAYS`),
so few residents wait in the review. How:

- Residents are made in blocks of :data:`~app.services.demo.plan.BLOCK_RESIDENTS`
  (:mod:`app.services.demo.blocks`). From :data:`PARALLEL_FROM` residents on, worker processes (spawned,
  so a script calling this needs the ``if __name__ == "__main__":`` guard) make them; below, this process.
- This process only loads: it has the store copy each block in, in block order, filling the sync columns
  in SQL, so no Python runs per row here. ID numbers that clash with an earlier block's are renumbered.
- All in one transaction (an error rolls everything back) with a rollback journal; foreign-key checks
  are off during the load (the rows are consistent by construction; the tests check), indexes filled out
  of order are built again at the end (:meth:`app.store.queries.demo.DemoLoad.bulk_load`), and cyclic GC
  is off.
"""

from __future__ import annotations

import collections
import gc
import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

from app.domain.errors import DomainError
from app.domain.i18n import register
from app.domain.idcard import make_id_number
from app.domain.search import search_text
from app.services.demo.blocks import make_block
from app.services.demo.homecare import BEDS, MEDICATIONS, homecare_id_ms, homecare_rows
from app.services.demo.plan import (
    BLOCK_COLUMNS,
    BLOCK_CONSTANTS,
    DEFAULT_RESIDENTS,
    DEMO_PASSWORD,
    HISTORY_WEEKS,
    DemoSummary,
    Plan,
    Setup,
    set_up,
)
from app.services.demo.vocabulary import REGIONS
from app.store.queries.demo import DemoLoad, DemoWriter, homecare_candidates, set_supplies
from app.sync.clock import Timestamp

if TYPE_CHECKING:
    from app.store.database import Database

PARALLEL_FROM = 10_000
"""From this many residents on, blocks are made in worker processes (starting them costs about a second)."""
MAX_WORKERS = 8

register(
    {
        "demo.exists": {
            "zh_CN": "数据库 {path} 已有中心数据；请为演示中心选择一个新文件。",
            "en": "The database {path} already holds a center; choose a new file for the demo center.",
        },
        "demo.bad_count": {
            "zh_CN": "居民人数应在 1 到 1000000 之间（输入值：{n}）",
            "en": "the number of residents must be 1 to 1,000,000 (value: {n})",
        },
    }
)


class DemoRefused(DomainError):
    """The demo cannot be written here."""


# --- making the blocks ------------------------------------------------------------------------------------


def _worker_count(requested: int | None, plan: Plan) -> int:
    if requested is not None:
        return max(0, min(requested, plan.blocks))
    if plan.residents < PARALLEL_FROM:
        return 0
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return min(cpus, MAX_WORKERS, plan.blocks) if cpus > 1 else 0


class _Blocks:
    """The blocks of a plan in order: made here when they are needed, or by worker processes ahead of need.

    Workers are spawned (not forked: the caller may have threads, such as the GUI's) and run
    :func:`make_block`; a worker's exception, or a worker that dies, is raised here.
    """

    def __init__(self, plan: Plan, workers: int) -> None:
        self.plan = plan
        self._next = 0
        self._pending: collections.deque[Future[bytes]] = collections.deque()
        self._window = 3 * workers  # blocks in flight: enough to keep the workers busy, few enough to bound memory
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) if workers else None
        self._submit()

    def _submit(self) -> None:
        while self._pool is not None and self._next < self.plan.blocks and len(self._pending) < self._window:
            self._pending.append(self._pool.submit(make_block, self.plan, self._next))
            self._next += 1

    def __iter__(self) -> Iterator[bytes]:
        if self._pool is None:
            for block in range(self.plan.blocks):
                yield make_block(self.plan, block)
            return
        while self._pending:
            data = self._pending.popleft().result()
            self._submit()
            yield data

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# --- loading ------------------------------------------------------------------------------------------------


def _free_id_number(number: str, used: set[str]) -> str:
    """Return a valid ID number for the same birth date and sex as ``number`` that is not in ``used``."""
    birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    sex = "M" if int(number[16]) % 2 else "F"
    for region in (number[:6], *REGIONS):
        for sequence in range(100):
            candidate = make_id_number(region, birth, sequence, sex)
            if candidate not in used:
                return candidate
    raise RuntimeError(f"no free ID number for {birth} {sex}")  # 2 300 numbers per birth date and sex


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


# --- the generator ------------------------------------------------------------------------------------------


def create_demo_center(
    database: Database,
    *,
    residents: int = DEFAULT_RESIDENTS,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> DemoSummary:
    """Fill an empty database with a realistic demo center, all or nothing.

    Args:
        residents: how many residents (1 to 1 000 000); about 11 visits each.
        seed: the same seed and ``today`` give the same data.
        today: the day the demo's history ends (default: today).
        progress: called with "teams", "institutions", "residents", "rounds", "visits" as they are done.
        workers: processes making residents (0 = this one); by default this one below
            :data:`PARALLEL_FROM` residents, else one per CPU. The data is the same either way.

    Raises:
        DemoRefused: the database already holds a center, or ``residents`` is out of range.
    """
    if not 1 <= residents <= 1_000_000:
        raise DemoRefused("demo.bad_count", n=residents)
    today = today or date.today()
    report = progress or (lambda _step: None)
    load = DemoLoad(database)  # the only connection: the engine's are closed
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived tuples: cyclic GC passes would dominate the run time
    blocks: _Blocks | None = None
    hashing: ThreadPoolExecutor | None = None
    try:
        if load.has_center():
            raise DemoRefused("demo.exists", path=database.path)
        from app.services.accounts.sign_in import (
            hash_password,  # argon2 and the database layer: not in worker processes
        )

        hashing = ThreadPoolExecutor(1, thread_name_prefix="demo-password")  # argon2 lets go of the GIL
        password_hash = hashing.submit(hash_password, DEMO_PASSWORD)
        created = datetime.combine(today - timedelta(weeks=HISTORY_WEEKS + 2), time(9), tzinfo=timezone.utc)
        setup = set_up(seed, today, residents, created)
        blocks = _Blocks(setup.plan, _worker_count(workers, setup.plan))
        setup.summary.counts = _load(load, database, setup, blocks, _stamp(created), password_hash, report, today)
    finally:
        if blocks is not None:
            blocks.close()
        if hashing is not None:
            hashing.shutdown(wait=False, cancel_futures=True)
        load.close()
        if gc_was_enabled:
            gc.enable()
    database.refresh_key_file()  # the accounts were written on a connection of its own: wrap the key for them
    report("visits")
    return setup.summary


def _add_homecare(load: DemoLoad, writer: Any, setup: Setup) -> None:
    """Family beds and refills for some of the residents just written (:mod:`app.services.demo.homecare`)."""
    plan = setup.plan
    flagged, unflagged, medications, doctors = homecare_candidates(load, beds=BEDS, medications=MEDICATIONS)
    tables, supplies = homecare_rows(
        seed=plan.seed,
        today=date.fromordinal(plan.today),
        id_ms=homecare_id_ms(plan.id_ms, plan.residents, plan.block_size),
        flagged=flagged,
        unflagged=unflagged,
        medications=medications,
        doctors=[row[0] for row in doctors],
    )
    for table, columns, rows in tables:
        writer.insert(table, columns, rows)
    set_supplies(load, supplies)


REFERRAL_COLUMNS = (
    "id", "resident_id", "visit_id", "destination", "reason", "urgent", "green_channel", "opened_on", "closed_on",
    "outcome",
)  # fmt: skip
REFERRAL_REASON = "病情变化，需上级医院进一步诊治"


def _add_referrals(load: DemoLoad, writer: DemoWriter, today: date) -> None:
    """Give some red residents a referral (issue #16), in three states: open and due for follow-up (opened 20
    days ago), open (5 days ago), and closed with "treated and returned" 10 days ago (the 30-day window). Only
    residents already red: their colour stays what the rules suggested."""
    candidates = load.referral_candidates(max(3, writer.counts.get("resident", 0) // 100))
    rows = []
    for number, (resident_id, hospital, last_seen) in enumerate(candidates):
        state = number % 3
        seen = date.fromisoformat(last_seen[:10])
        opened = min(seen, today - timedelta(days=(20, 5, 25)[state]))
        closed = (opened + timedelta(days=15)).isoformat() if state == 2 else None
        referral_id = _referral_id(today, number, resident_id)
        destination, green = hospital or "区中心医院", int(bool(hospital))
        outcome = "returned" if state == 2 else ""
        rows.append(
            (referral_id, resident_id, None, destination, REFERRAL_REASON, int(state == 0), green,
             opened.isoformat(), closed, outcome)
        )  # fmt: skip
    if rows:
        writer.insert("referral", REFERRAL_COLUMNS, rows)


def _referral_id(today: date, number: int, resident_id: str) -> str:
    """Return the ``number``-th demo referral's id: the UUID version 7 layout of the demo's other ids, in order
    (milliseconds of ``today`` 09:00 UTC, then ``number``), the same for the same demo."""
    ms = int(datetime.combine(today, time(9), tzinfo=timezone.utc).timestamp() * 1000) + number // 4096
    tail = uuid.uuid5(uuid.NAMESPACE_URL, f"carerounds-demo-referral:{resident_id}").hex
    return f"{ms:012x}"[:8] + "-" + f"{ms:012x}"[8:] + f"-7{number % 4096:03x}-8{tail[:3]}-{tail[3:15]}"


def _load(
    load: DemoLoad,
    database: Database,
    setup: Setup,
    blocks: _Blocks,
    created: str,
    password_hash: Future[str],
    report: Callable[[str], None],
    today: date,
) -> dict[str, int]:
    """Write everything in one transaction; return the rows written per table."""
    with load.transaction():
        if load.has_center():  # again, with the write lock: nobody wrote one since the first look
            raise DemoRefused("demo.exists", path=database.path)
        start = Timestamp.decode(database.clock.now())
        writer = load.writer(
            created=created,
            clock_ms=start.wall_ms,
            clock_counter=start.counter,
            block_columns=BLOCK_COLUMNS,
            block_constants=BLOCK_CONSTANTS,
        )
        for table, columns, rows in setup.tables:
            writer.insert(table, columns, rows)
            if table in ("staff", "agreement"):
                report("teams" if table == "staff" else "institutions")
        with load.bulk_load(tuple(BLOCK_COLUMNS)):
            id_numbers: set[str] = set()
            for data in blocks:
                writer.load_block(data)
                for row, resident_id, number in writer.block_id_numbers():
                    if number in id_numbers:  # drawn by an earlier block too (some dozens in 100 000)
                        number = _free_id_number(number, id_numbers)
                        name, building, room, bed = writer.block_resident_place(row)
                        text = search_text(name=name, building=building, room=room, bed=bed, id_number=number)
                        writer.set_id_number(resident_id, number, text)
                    id_numbers.add(number)
        _add_homecare(load, writer, setup)
        _add_referrals(load, writer, today)
        report("residents")
        report("rounds")
        load.set_unset_passwords(password_hash.result())
        database.clock.observe(writer.last_clock())  # past every value this load issued
        load.name_device("demo workstation", last_clock=database.clock.last)
    return writer.counts
