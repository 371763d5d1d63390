"""``demo --today``: the demo center is a function of its seed and its day, never of the real day."""

from __future__ import annotations

from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
import time_machine

from app.cli.main import main
from app.store import cipher


def residents(path: Path) -> list[tuple[str, ...]]:
    with closing(cipher.connect(path)) as connection:
        return connection.execute(
            "SELECT name, birth_date, id_number, building, room, bed, colour FROM resident ORDER BY record_number"
        ).fetchall()


def last_round(path: Path) -> str:
    with closing(cipher.connect(path)) as connection:
        return str(connection.execute("SELECT MAX(round_date) FROM round WHERE status = 'done'").fetchone()[0])


@pytest.mark.parametrize("real_day", ["2026-12-10T09:00", "2027-01-03T09:00"])  # a Thursday, a Sunday
def test_the_same_seed_and_day_make_the_same_demo_on_any_real_day(real_day: str, tmp_path: Path) -> None:
    made_on_monday = tmp_path / "monday.sqlite"
    with time_machine.travel(datetime.fromisoformat("2026-11-16T09:00").astimezone(), tick=True):
        assert main(["demo", "--db", str(made_on_monday), "--residents", "60", "--seed", "5"]) == 0
    made_later = tmp_path / "later.sqlite"
    with time_machine.travel(datetime.fromisoformat(real_day).astimezone(), tick=True):
        argv = ["demo", "--db", str(made_later), "--residents", "60", "--seed", "5", "--today", "2026-11-16"]
        assert main(argv) == 0
    assert residents(made_later) == residents(made_on_monday)
    assert last_round(made_later) < "2026-11-16"


def test_the_day_is_read_in_the_usual_ways_and_a_bad_one_exits_2_writing_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--db", str(tmp_path / "a.sqlite"), "--residents", "5", "--today", "2028/02/29"]) == 0
    assert last_round(tmp_path / "a.sqlite") == "2028-02-28"  # Monday's round; the leap day is a Tuesday
    capsys.readouterr()
    bad = ["--lang", "en", "demo", "--db", str(tmp_path / "b.sqlite"), "--residents", "5", "--today", "2027-02-29"]
    code = main(bad)
    err = capsys.readouterr().err
    assert code == 2 and "--today" in err and "2027-02-29" in err and "Traceback" not in err
    assert not (tmp_path / "b.sqlite").exists()
