"""Two processes writing one database at once lose nothing: values, per-field clocks and the audit chain.

Two real processes (the GUI at the workstation and a command, or two windows) edit the same 60 residents
at once through the app's own service (``edit_resident``): one changes each bed, the other each room and
phone, round after round. Each unit of work takes the write lock first (``BEGIN IMMEDIATE``), so each reads
the row's per-field clocks and the audit chain's head as the other left them. Checked afterwards:

Both start their edit of each resident together (the parent releases them), so they meet on every row.

- every per-field clock on the workstation is the stamp of the field's last change (newer than the change
  before it, older than the audit entry sealed just after it) — a clock overwritten by the other process's
  stale copy shows as older;
- after a sync round trip to a second device's database (which changed beds and rooms itself meanwhile, so a
  lost clock loses the workstation's value there), both hold exactly the same resident rows (values
  and clocks): 0 divergences;
- ``audit verify`` finds no problem on either (no false "reordered" entries).

On the old code (pysqlite's deferred BEGIN, issued just before the first UPDATE, after the reads) the test
failed with lost per-field clocks, diverged residents after sync and a forked audit chain.

SQLite only: two processes on one file (a server's: tests/store/test_postgres_four_processes.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlmodel import select
from sync_world import Device, build_center, open_devices

from app.domain.idcard import make_id_number
from app.services.admin.audit_verify import verify_audit_file
from app.services.records.residents import edit_resident
from app.services.sync.exchange import export_package, import_package
from app.store.models import Institution, Resident
from app.store.sqlite import sqlite3

RESIDENTS = 60
ROUNDS = 2
DAY = date(2026, 11, 20)
REPO = Path(__file__).resolve().parents[2]
STEMS = "甲乙丙丁戊己庚辛壬癸"

WORKER = """
import sys
from app.bootstrap import open_context
from app.services.records.residents import edit_resident

db, role, first, ids = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
context = open_context(db, create=False)
writes = 0
for number in range(first, first + 1):
    for resident_id in ids:
        print("ready", flush=True)
        sys.stdin.readline()  # the parent starts both writers' edits of one resident together
        if role == "bed":
            values = {"bed": f"{number}-{resident_id[:4]}"}
        else:
            values = {"room": f"{number}0{len(resident_id) % 7}", "phone": f"1380013{number:02d}{len(ids):02d}"}
        edit_resident(context.uow(), key=resident_id, values=values, today=__import__("datetime").date(2026, 11, 20))
        writes += 1
context.close()
print(writes, flush=True)
"""


def _add_residents(device: Device) -> list[str]:
    ids = []
    with device.context.uow() as uow:
        home = uow.session.exec(select(Institution)).first()
        assert home is not None
        for number in range(RESIDENTS):
            birth = date(1930 + number % 20, 1 + number % 12, 1 + number % 28)
            sex = "M" if number % 2 else "F"
            resident = Resident(
                name="居民" + STEMS[number // 10] + STEMS[number % 10],
                sex=sex,
                birth_date=birth,
                id_number=make_id_number("310105", birth, number, sex),
                institution_id=home.id,
                room="101",
                bed="1",
            )
            uow.session.add(resident)
            ids.append(resident.id)
        uow.commit()
    return ids


def _run_two_writers(path: Path, ids: list[str], number: int) -> list[int]:
    """Edit every resident once in each of two processes (round ``number``); return the writes of each."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), role, str(number), ",".join(ids)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        for role in ("bed", "room")
    ]
    for _ in ids:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
    writes = []
    for worker in workers:
        out, _ = worker.communicate(timeout=600)
        assert worker.returncode == 0, out
        writes.append(int(out.split()[-1]))
    return writes


def _stale_field_clocks(path: Path, ids: list[str]) -> list[tuple[str, str]]:
    """(resident, field) whose per-field clock is not the stamp of the field's last change."""
    connection = sqlite3.connect(path)
    try:
        stale = []
        for resident_id in ids:
            (clocks,) = connection.execute("SELECT field_clocks FROM resident WHERE id = ?", (resident_id,)).fetchone()
            clocks = json.loads(clocks or "{}")
            entries = connection.execute(
                "SELECT updated_at, changes FROM auditentry WHERE entity = 'resident' AND entity_id = ? "
                "ORDER BY updated_at",
                (resident_id,),
            ).fetchall()
            for name in ("bed", "room", "phone"):
                changed_at = [at for at, changes in entries if name in json.loads(changes or "{}")]
                stamp = clocks.get(name, "")
                # the row is stamped, then its audit entry sealed, in the same flush
                if not (stamp < changed_at[-1] and (len(changed_at) < 2 or stamp > changed_at[-2])):
                    stale.append((resident_id, name))
        return stale
    finally:
        connection.close()


def _residents(path: Path) -> dict[str, tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return {row[0]: row for row in connection.execute("SELECT * FROM resident ORDER BY id")}
    finally:
        connection.close()


def test_two_processes_editing_the_same_residents_lose_nothing_and_sync_converges(tmp_path: Path) -> None:
    paths = build_center(tmp_path / "center", 2)
    workstation, laptop = open_devices(paths)
    try:
        ids = _add_residents(workstation)
        export_package(workstation.context.uow(), out=tmp_path / "first.crsync")
        import_package(laptop.context.uow(), path=tmp_path / "first.crsync", backup=False)
        workstation.close()

        writes = [0, 0]
        for number in range(ROUNDS):
            if number == ROUNDS - 1:  # the laptop changes beds and rooms too, before the last round
                for resident_id in ids:
                    edit_resident(laptop.context.uow(), key=resident_id, values={"bed": "L", "room": "L"}, today=DAY)
            done = _run_two_writers(workstation.path, ids, number)
            writes = [a + b for a, b in zip(writes, done, strict=True)]
        assert writes == [RESIDENTS * ROUNDS, RESIDENTS * ROUNDS]

        workstation = open_devices([workstation.path])[0]
        last = ROUNDS - 1
        here = _residents(workstation.path)
        with workstation.context.uow() as uow:
            for resident_id in ids:
                row = uow.session.get(Resident, resident_id)
                assert row is not None
                assert (row.bed, row.room) == (f"{last}-{resident_id[:4]}", f"{last}0{len(resident_id) % 7}")
        stale = _stale_field_clocks(workstation.path, ids)

        export_package(workstation.context.uow(), out=tmp_path / "second.crsync")
        import_package(laptop.context.uow(), path=tmp_path / "second.crsync", backup=False)
        there = _residents(laptop.path)
        diverged = [resident_id for resident_id in ids if here[resident_id] != there[resident_id]]
        problems = [len(verify_audit_file(path).problems) for path in (workstation.path, laptop.path)]
        # (stale field clocks, residents diverged after sync, audit problems on each device)
        assert (len(stale), len(diverged), problems) == (0, 0, [0, 0]), (stale[:5], diverged[:5])
    finally:
        workstation.close()
        laptop.close()
