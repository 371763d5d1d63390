"""The daily archive of a center on a PostgreSQL server (#20): made at the first start of each day, kept as a
file's dailies are (7 daily, 4 weekly), and a missing ``pg_dump`` named.

Marked ``postgres``: they run on the server ``$CARE_TEST_PG_URL`` names (.ci/run starts one). The days are fixed
(``now=``), never today's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from app.domain import i18n
from app.services.admin.backups import BackupKind
from app.services.admin.server_backups import backup_stem, daily_server_backup_if_due, list_server_backups
from app.store.engines import ServerURL
from app.store.pg_backup import CheckRefused, ToolMissing

pytestmark = pytest.mark.postgres

DEMO_DAY = date(2026, 11, 16)
MONDAY = datetime(2026, 12, 7, 8, 30)


@pytest.fixture
def server_url(pg_database: Callable[[Path | None], str], demo_center: Callable[..., Path]) -> str:
    return pg_database(demo_center(residents=30, seed=3, today=DEMO_DAY))


def dailies(url: str, folder: Path) -> list[datetime]:
    return [b.created for b in list_server_backups(ServerURL(url), folder) if b.kind is BackupKind.DAILY]


def test_the_first_start_of_a_day_makes_the_daily_archive_and_the_others_do_not(
    server_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    made = daily_server_backup_if_due(server_url, folder, now=MONDAY)
    assert made is not None and made.info.kind is BackupKind.DAILY and made.revision
    assert made.info.path.read_bytes()[:5] == b"PGDMP" and made.info.path.name.endswith("-daily.dump")
    assert daily_server_backup_if_due(server_url, folder, now=MONDAY + timedelta(hours=9)) is None  # same day
    assert dailies(server_url, folder) == [MONDAY]

    nexts = daily_server_backup_if_due(server_url, folder, now=MONDAY + timedelta(days=1, hours=-8))  # 00:30
    assert nexts is not None
    assert dailies(server_url, folder) == [MONDAY + timedelta(days=1, hours=-8), MONDAY]


def test_other_kinds_of_archive_of_today_do_not_count_as_its_daily(server_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    stem = backup_stem(ServerURL(server_url)).stem
    (folder / f"{stem}-{MONDAY:%Y%m%d}-070000-manual.dump").write_bytes(b"PGDMP")
    (folder / f"{stem}-{MONDAY:%Y%m%d}-070500-pre-restore.dump").write_bytes(b"PGDMP")
    (folder / f"other-{MONDAY:%Y%m%d}-070000-daily.dump").write_bytes(b"PGDMP")  # another database's
    assert daily_server_backup_if_due(server_url, folder, now=MONDAY) is not None


def test_the_retention_keeps_seven_dailies_and_four_weeklies(server_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    stem = backup_stem(ServerURL(server_url)).stem
    for days_ago in range(1, 41):  # forty earlier days, one daily archive each (only the names matter here)
        day = MONDAY - timedelta(days=days_ago)
        (folder / f"{stem}-{day:%Y%m%d}-080000-daily.dump").write_bytes(b"PGDMP")
    assert daily_server_backup_if_due(server_url, folder, now=MONDAY) is not None
    kept = list_server_backups(ServerURL(server_url), folder)
    days = [b.created.date() for b in kept]
    assert days[:7] == [MONDAY.date() - timedelta(days=n) for n in range(7)]  # today's and the six before
    weekly = [b.created.date() for b in kept if b.weekly]  # the newest of each of the last 4 ISO weeks, beyond those
    assert weekly == [date(2026, 11, 29), date(2026, 11, 22)] and len(kept) == 9  # (Dec 7 and 6 are dailies)
    assert len(list(folder.iterdir())) == len(kept)  # the others were deleted


def test_without_pg_dump_nothing_is_written_and_the_message_names_it(
    server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    i18n.set_language("en")
    folder = tmp_path / "backups"
    empty = tmp_path / "bin"
    empty.mkdir()
    tools = os.environ["PATH"]
    monkeypatch.setenv("PATH", str(empty))  # no PostgreSQL client programs on this workstation
    with pytest.raises(ToolMissing) as missing:
        daily_server_backup_if_due(server_url, folder, now=MONDAY)
    assert "pg_dump" in str(missing.value) and "postgresql-client" in str(missing.value)
    assert not folder.exists() or not list(folder.iterdir())
    monkeypatch.setenv("PATH", tools)  # the tools back: the next start makes it (a failed start leaves it due)
    assert daily_server_backup_if_due(server_url, folder, now=MONDAY + timedelta(minutes=5)) is not None


@pytest.fixture
def without_createdb(server_url: str) -> Iterator[str]:
    """The same database through a role that may read everything but not create databases (the trial restore's);
    made by the throwaway cluster's superuser, ``postgres`` (tools/pg_cluster.sh: trust on its socket)."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    role = f"t_reader_{uuid.uuid4().hex[:8]}"
    admin = make_url(server_url).set(username="postgres").render_as_string(hide_password=False)  # the cluster's

    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'CREATE ROLE "{role}" LOGIN NOCREATEDB IN ROLE pg_read_all_data')
    yield make_url(server_url).set(username=role).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_a_role_that_may_not_create_the_check_database_keeps_the_archive_the_reason_said_and_retention_applied(
    without_createdb: str, tmp_path: Path
) -> None:
    i18n.set_language("en")
    folder = tmp_path / "backups"
    folder.mkdir()
    stem = backup_stem(ServerURL(without_createdb)).stem
    for days_ago in range(1, 41):
        day = MONDAY - timedelta(days=days_ago)
        (folder / f"{stem}-{day:%Y%m%d}-080000-daily.dump").write_bytes(b"PGDMP")
    with pytest.raises(CheckRefused) as refused:
        daily_server_backup_if_due(without_createdb, folder, now=MONDAY)
    said = str(refused.value)  # wholly in the user's language; the server's words kept for the details
    assert "CREATEDB" in said and "ALTER ROLE" in said and "permission denied" not in said
    assert "permission denied to create database" in str(refused.value.params["detail"])
    kept = list_server_backups(ServerURL(without_createdb), folder)
    assert kept[0].created == MONDAY and kept[0].path.read_bytes()[:5] == b"PGDMP"  # dumped, kept unchecked
    assert len(kept) == 9 and len(list(folder.iterdir())) == 9  # the retention ran all the same
    assert daily_server_backup_if_due(without_createdb, folder, now=MONDAY + timedelta(hours=2)) is None  # the day's
