"""kill -9 during a backup or a restore leaves the database and the earlier backups intact."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest
from backups_world import (
    KILL_ROUNDS,
    MONDAY,
    digest,
    fingerprint,
    make_big_database,
    run_and_kill,
)

from app.services.admin.backups import (
    create_backup,
)
from app.store.backup import integrity_problems
from app.store.sqlite import sqlite3


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_kill_9_during_backups_leaves_the_database_and_earlier_backups_intact(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite"
    folder = tmp_path / "backups"
    make_big_database(db)
    before = fingerprint(db)
    started = time.monotonic()
    earlier = [create_backup(db, folder=folder, now=MONDAY + timedelta(days=n)).path for n in range(2)]
    one_backup_s = (time.monotonic() - started) / 2  # on this machine, now: a loaded one copies slowly
    earlier_digests = [digest(path) for path in earlier]
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from app.store.backup import backup_database
        n = 0
        while True:
            n += 1
            backup_database(Path({str(db)!r}), Path({str(folder)!r}) / f"big-{{n}}-loop.sqlite")
            if n == 1:
                print("working", flush=True)  # warm: the kill lands in the copies that follow
        """
    )
    rng = random.Random(9)
    mid_copy = 0  # rounds whose kill left a copy half-written (the next round's backup removes it)
    for _ in range(KILL_ROUNDS):
        run_and_kill(code, rng, min_s=0.01, max_s=max(0.5, 3 * one_backup_s))
        mid_copy += bool(list(folder.glob("*.partial")))
        assert integrity_problems(db) == [] and fingerprint(db) == before
        assert [digest(path) for path in earlier] == earlier_digests
        for backup in folder.glob("*.sqlite"):  # whatever carries a final name is a whole, sound copy
            assert integrity_problems(backup) == [], backup
            assert fingerprint(backup) == before
    assert mid_copy, "no kill landed while a copy was being written"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_kill_9_during_a_restore_leaves_either_the_old_or_the_new_content(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite"
    make_big_database(db, rows=2000)
    state_a = tmp_path / "a.sqlite"
    shutil.copyfile(db, state_a)
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE t SET b = randomblob(4000)")
    state_b = tmp_path / "b.sqlite"
    create_b = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from pathlib import Path; from app.store.backup import backup_database; "
            f"backup_database(Path({str(db)!r}), Path({str(state_b)!r}))",
        ],
        check=True,
    )
    assert create_b.returncode == 0
    allowed = {fingerprint(state_a), fingerprint(state_b)}
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from app.store.restore_copy import restore_into
        print("working", flush=True)
        while True:
            for source in ({str(state_a)!r}, {str(state_b)!r}):
                restore_into(Path(source), Path({str(db)!r}))
        """
    )
    rng = random.Random(11)
    for _ in range(KILL_ROUNDS):
        run_and_kill(code, rng, min_s=0.02, max_s=0.4)
        assert integrity_problems(db) == []
        assert fingerprint(db) in allowed
