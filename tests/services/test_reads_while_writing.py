"""Reading never waits for a writer: lists, searches, records, plans and figures while another writes.

Another window or a command (``sync import``) may hold the database's write lock for seconds. Every service
that only reads runs in a reading unit of work, so it answers at once, with what was last committed, while a
service that writes still waits (a bounded time) and then says plainly that the database is busy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import AppContext, open_context
from app.domain import i18n
from app.domain.colours import TriageColour
from app.domain.permissions import Action
from app.services.accounts.sign_in import active_accounts
from app.services.accounts.users import auto_lock_minutes, list_staff
from app.services.admin.audit import audit_people, search_audit
from app.services.admin.audit_verify import verify_audit_trail
from app.services.admin.center import center_info
from app.services.authz import permitted_actions
from app.services.dashboard import dashboard_figures
from app.services.demo.center import create_demo_center
from app.services.institutions import institution_details, institution_overview, list_institutions
from app.services.printing import overdue_list, round_sheet, triage_list
from app.services.records.load import list_doctors, load_record
from app.services.records.search import resolve_resident, search_residents
from app.services.rounds.plan import overdue_residents, plan_week, round_due, round_on
from app.services.sync.conflicts import list_conflicts, open_conflict_count
from app.services.triage import load_rules, may, refresh_suggestions, resident_triage, triage_review
from app.services.visits.checks import resident_for_visit
from app.services.visits.entry_round import round_to_open
from app.services.visits.entry_rounds import rounds_for_entry
from app.services.visits.history import visit_history
from app.store import database as database_module
from app.store.errors import DatabaseBusy
from app.store.sqlite import sqlite3

TODAY = date(2026, 11, 16)
NOW = datetime(2026, 11, 16, 9, 30)
WAIT_MS = 2_000
"""The writer's bounded wait in these tests: a read that waited for the lock would fail after it."""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reads") / "demo.sqlite"
    context = open_context(path)
    create_demo_center(context.database, residents=200, seed=11, today=TODAY)
    context.close()
    return path


@pytest.fixture
def context(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    path = tmp_path / "center.sqlite"
    path.write_bytes(template.read_bytes())
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", WAIT_MS)
    ctx = open_context(path)
    row = sqlite3.connect(path).execute("SELECT id FROM staff WHERE login = 'admin'").fetchone()
    ctx.actor_id = row[0]
    yield ctx
    ctx.close()


class Writer:
    """Another connection (another window, ``sync import``) in the middle of a long write."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("BEGIN IMMEDIATE")
        # not committed: the readers must not see it
        self.connection.execute("UPDATE resident SET name = name || '（改）'")
        self.connection.execute("UPDATE institution SET name = name || '（改）'")

    def release(self) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


@pytest.fixture
def writer(context: AppContext) -> Iterator[Callable[[], Writer]]:
    started: list[Writer] = []

    def start() -> Writer:
        started.append(Writer(context.database.path))
        return started[-1]

    yield start
    for w in started:
        w.release()


def _ids(context: AppContext) -> dict[str, str]:
    connection = sqlite3.connect(context.database.path)
    resident, name, number = connection.execute(
        "SELECT id, name, id_number FROM resident WHERE deleted = 0 AND status = 'in_residence' "
        "AND id IN (SELECT resident_id FROM visit) ORDER BY id LIMIT 1"
    ).fetchone()
    institution = connection.execute(
        "SELECT institution_id FROM agreement WHERE deleted = 0 ORDER BY institution_id LIMIT 1"
    ).fetchone()[0]
    connection.close()
    return {"resident": resident, "name": name, "number": number, "institution": institution}


def _round_today(context: AppContext, ids: dict[str, str]) -> str:
    """The institution's round this week (on the weekday of its latest round)."""
    day = TODAY - timedelta(days=TODAY.weekday()) + timedelta(days=_agreed_weekday(context, ids["institution"]))
    return round_on(context.uow(), institution_id=ids["institution"], day=day, today=TODAY)


def _agreed_weekday(context: AppContext, institution_id: str) -> int:
    connection = sqlite3.connect(context.database.path)
    row = connection.execute(
        "SELECT round_date FROM round WHERE institution_id = ? AND deleted = 0 AND status != 'cancelled' "
        "ORDER BY round_date DESC LIMIT 1",
        (institution_id,),
    ).fetchone()
    connection.close()
    return date.fromisoformat(row[0]).weekday()


def _triage_page(context: AppContext, ids: dict[str, str]) -> Any:
    refresh_suggestions(context.uow(), today=TODAY)  # what the triage page does on opening
    return triage_review(context.uow(), today=TODAY)


READS: dict[str, Callable[[AppContext, dict[str, str]], Any]] = {
    "search": lambda c, ids: search_residents(c.uow(), text=ids["name"][:2], limit=50),
    "residents list": lambda c, ids: search_residents(c.uow(), text=""),
    "finder (every status)": lambda c, ids: search_residents(c.uow(), text=ids["number"], statuses=None),
    "resolve resident": lambda c, ids: resolve_resident(c.uow(), key=ids["number"]),
    "record view": lambda c, ids: load_record(c.uow(), resident_id=ids["resident"]),
    "doctors": lambda c, ids: list_doctors(c.uow()),
    "week plan": lambda c, ids: plan_week(c.uow(), week=TODAY, today=TODAY),
    "next week's plan": lambda c, ids: plan_week(c.uow(), week=TODAY + timedelta(weeks=1), today=TODAY),
    "overdue list": lambda c, ids: overdue_residents(c.uow(), today=TODAY),
    "overdue list printed": lambda c, ids: overdue_list(c.uow(), today=TODAY, now=NOW),
    "triage page": _triage_page,
    "triage list printed": lambda c, ids: triage_list(c.uow(), institution_id=ids["institution"], today=TODAY, now=NOW),
    "resident triage": lambda c, ids: resident_triage(c.uow(), resident_id=ids["resident"], today=TODAY),
    "triage rules": lambda c, ids: load_rules(c.uow()),
    "may confirm": lambda c, ids: may(c.uow(), Action.CONFIRM_TRIAGE),
    "audit list": lambda c, ids: search_audit(c.uow()),
    "audit people": lambda c, ids: audit_people(c.uow()),
    "audit verify": lambda c, ids: verify_audit_trail(c.uow()),
    "round sheet": lambda c, ids: round_due(c.uow(), round_id=_round_today(c, ids), today=TODAY),
    "round sheet printed": lambda c, ids: round_sheet(c.uow(), round_id=_round_today(c, ids), today=TODAY, now=NOW),
    "visit page rounds": lambda c, ids: rounds_for_entry(c.uow(), today=TODAY),
    "visit page round to open": lambda c, ids: round_to_open(c.uow(), today=TODAY),
    "visit form": lambda c, ids: resident_for_visit(c.uow(), resident_id=ids["resident"], visit_date=TODAY),
    "visit history": lambda c, ids: visit_history(c.uow(), resident_id=ids["resident"]),
    "dashboard": lambda c, ids: dashboard_figures(c.uow(), today=TODAY),
    "institutions": lambda c, ids: institution_overview(c.uow(), today=TODAY),
    "institution": lambda c, ids: institution_details(c.uow(), institution_id=ids["institution"], today=TODAY),
    "institution choices": lambda c, ids: list_institutions(c.uow()),
    "staff": lambda c, ids: list_staff(c.uow(), now=NOW),
    "auto lock": lambda c, ids: auto_lock_minutes(c.uow()),
    "permissions": lambda c, ids: permitted_actions(c.uow()),
    "center": lambda c, ids: center_info(c.uow()),
    "sync conflicts": lambda c, ids: list_conflicts(c.uow()),
    "open conflicts": lambda c, ids: open_conflict_count(c.uow()),
    "demo logins": lambda c, ids: active_accounts(c.uow(), logins=["admin", "doctor1"]),
}


@pytest.mark.parametrize("name", list(READS))
def test_a_read_answers_at_once_with_the_last_commit_while_another_connection_writes(
    name: str, context: AppContext, writer: Callable[[], Writer]
) -> None:
    read = READS[name]
    ids = _ids(context)
    read(context, ids)  # once first: whatever it generates (this week's rounds) is written before the lock
    started = time.monotonic()
    expected = read(context, ids)
    unlocked = time.monotonic() - started
    writer()  # holds the write lock, with changes not committed
    started = time.monotonic()
    got = read(context, ids)  # a read that waited for the lock would fail with "busy" after WAIT_MS
    elapsed = time.monotonic() - started
    assert got == expected  # the last commit, not the writer's uncommitted changes
    assert elapsed < 1.0 + unlocked, f"{name} took {elapsed:.2f} s with the lock held (unlocked: {unlocked:.2f} s)"


def _new_agreement_week(context: AppContext, ids: dict[str, str]) -> Any:
    # a week far ahead has no rounds yet: planning it generates them, which needs the write lock
    return plan_week(context.uow(), week=TODAY + timedelta(weeks=30), today=TODAY)


def _changed_suggestion(context: AppContext, ids: dict[str, str]) -> Any:
    return refresh_suggestions(context.uow(), today=TODAY, resident_ids=[ids["resident"]])


@pytest.mark.parametrize("name", ["plan generates rounds", "refresh stores a changed suggestion"])
def test_work_that_writes_still_waits_for_the_lock_then_says_the_database_is_busy(
    name: str, context: AppContext, writer: Callable[[], Writer]
) -> None:
    ids = _ids(context)
    if name == "refresh stores a changed suggestion":
        connection = sqlite3.connect(context.database.path)
        stored = connection.execute("SELECT suggested_colour FROM resident WHERE id = ?", (ids["resident"],)).fetchone()
        other = next(c for c in TriageColour if c.value != stored[0])
        connection.execute("UPDATE resident SET suggested_colour = ? WHERE id = ?", (other.value, ids["resident"]))
        connection.commit()
        connection.close()
    work = _new_agreement_week if name == "plan generates rounds" else _changed_suggestion
    writer()
    i18n.set_language("en")
    started = time.monotonic()
    with pytest.raises(DatabaseBusy) as busy:
        work(context, ids)
    assert time.monotonic() - started >= WAIT_MS / 1000 * 0.9  # it waited, bounded
    assert "another window or command is writing" in str(busy.value)
