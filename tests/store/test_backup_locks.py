"""A backup never releases the SQLite locks of the process that makes it (issue #12, part 1).

On POSIX, closing any descriptor of a file drops every ``fcntl`` lock the process holds on it. A backup
that opened and closed the live file in the app's process left the app without its locks: the next
process to open and close the database took itself for the last user, checkpointed and deleted the
``-wal`` under the app, and a visit saved afterwards was lost at the next crash. Played here as it
happened, with real processes and a real SIGKILL.

SQLite only: the file's fcntl locks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.store.sqlite import sqlite3

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path("/proc/locks").exists(), reason="reads /proc/locks (Linux)"
)

PROCESS_A = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path

    from app.services.admin.backups import create_backup
    from app.store.database import open_database
    from app.store.models import Institution, Resident, Visit
    from app.store.uow import UnitOfWork

    db, folder = Path(sys.argv[1]), Path(sys.argv[2])
    database, _ = open_database(db)  # the app's own database object: WAL, pooled connections

    def add_visit(findings, resident_id):
        with UnitOfWork(database) as uow:
            uow.session.add(Visit(resident_id=resident_id, visit_date=date(2026, 11, 20), findings=findings))
            uow.commit()

    with UnitOfWork(database) as uow:
        home = Institution(name="康宁养老院", kind="nursing_home")
        uow.session.add(home)
        uow.session.flush()
        resident = Resident(name="张桂英", sex="F", birth_date=date(1944, 3, 15), id_number="310104194403150026",
                            institution_id=home.id)
        uow.session.add(resident)
        uow.commit()
        resident_id = resident.id
    add_visit("before the backup", resident_id)
    backup = create_backup(db, folder=folder)  # the manual backup, as 立即备份 or the daily one makes it
    add_visit("after the backup", resident_id)
    print("backed-up", backup.path, flush=True)
    assert sys.stdin.readline().strip() == "go"
    add_visit("saved after another process came and went", resident_id)
    print("saved", flush=True)
    sys.stdin.readline()  # wait to be killed
    """
)


def posix_locks(pid: int, inode: int) -> list[str]:
    """Return the lines of ``/proc/locks`` for locks ``pid`` holds on the file with ``inode``."""
    found = []
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields:  # a lock waiting for another: not held
            continue
        if len(fields) >= 6 and fields[4] == str(pid) and fields[5].rsplit(":", 1)[-1] == str(inode):
            found.append(line)
    return found


def test_after_a_backup_the_app_keeps_its_locks_and_no_saved_visit_is_lost(tmp_path: Path) -> None:
    db, folder = tmp_path / "center.sqlite", tmp_path / "backups"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    a = subprocess.Popen(
        [sys.executable, "-c", PROCESS_A, str(db), str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    try:
        assert a.stdin is not None and a.stdout is not None and a.stderr is not None
        said = a.stdout.readline().decode()
        assert said.startswith("backed-up"), a.stderr.read().decode()
        backup = Path(said.split(" ", 1)[1].strip())
        assert backup.is_file()
        # A still holds SQLite's shared lock on the database file, as any WAL connection keeps it
        assert posix_locks(a.pid, db.stat().st_ino), Path("/proc/locks").read_text()

        # process B opens the database, reads, and closes it: it must not take itself for the last user
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                "c.execute('SELECT COUNT(*) FROM visit').fetchone(); c.close()",
                str(db),
            ],
            check=True,
            timeout=60,
        )
        assert Path(f"{db}-wal").exists()  # B left the log alone: A's connections still use it

        a.stdin.write(b"go\n")
        a.stdin.flush()
        assert a.stdout.readline().strip() == b"saved", a.stderr.read().decode()
    finally:
        a.send_signal(signal.SIGKILL)
        a.wait(timeout=30)
    assert a.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as raw:
        findings = [row[0] for row in raw.execute("SELECT findings FROM visit ORDER BY findings")]
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()
    assert findings == ["after the backup", "before the backup", "saved after another process came and went"]
    with sqlite3.connect(backup) as copy:  # the backup holds the state when it was taken
        assert [row[0] for row in copy.execute("SELECT findings FROM visit")] == ["before the backup"]
    copy.close()
