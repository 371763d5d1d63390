"""Units of work do not nest on one thread: a writing one inside another fails at once, never after the wait.

The outer one holds the write lock (``BEGIN IMMEDIATE``); an inner writing one on another connection of the
same thread would wait for it — for the whole busy timeout — and then say "the database is busy".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.services.institutions import list_institutions
from app.store import database as database_module
from app.store.models import Institution, Team
from app.store.uow import NestedUnitOfWork, UnitOfWork

WAIT_MS = 2_000


@pytest.fixture
def context(db_target: Path | str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    """On each engine in turn (a server's write lock is an advisory lock held to the commit, waited for up to its
    lock timeout: the same nesting would wait for it)."""
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", WAIT_MS)
    ctx = open_context(db_target)
    with ctx.uow() as uow:
        uow.session.add(Institution(name="康宁养老院", kind="nursing_home"))
        uow.commit()
    yield ctx
    ctx.close()


def test_a_writing_unit_of_work_inside_another_fails_at_once_not_after_the_busy_wait(context: AppContext) -> None:
    started = time.monotonic()
    with context.uow() as outer:
        outer.session.add(Institution(name="福寿园", kind="nursing_home"))
        outer.session.flush()  # the outer one holds the write lock now
        with pytest.raises(NestedUnitOfWork, match="inside another"), context.uow() as inner:
            inner.session.add(Team(name="一队"))
            inner.commit()
        assert time.monotonic() - started < WAIT_MS / 1000 / 2
        outer.commit()  # the outer one is not harmed
    with context.uow() as uow:  # nor is the next one on this thread
        assert {i.name for i in uow.session.exec(select(Institution)).all()} == {"康宁养老院", "福寿园"}
        assert uow.session.exec(select(Team)).all() == []


def test_entering_an_open_unit_of_work_again_fails(context: AppContext) -> None:
    uow = context.uow()
    with uow:
        session = uow.session
        with pytest.raises(NestedUnitOfWork, match="already open"), uow:
            pass
        assert uow.session is session  # its session was not replaced under the outer block
    reader = uow.reading()
    with reader, pytest.raises(NestedUnitOfWork, match="already open"), reader:
        pass


def test_a_reading_unit_of_work_inside_a_writing_one_does_not_wait_and_sees_the_last_commit(
    context: AppContext,
) -> None:
    started = time.monotonic()
    with context.uow() as outer:
        outer.session.add(Institution(name="福寿园", kind="nursing_home"))
        outer.session.flush()
        assert [i.name for i in list_institutions(context.uow())] == ["康宁养老院"]
        outer.commit()
    assert time.monotonic() - started < WAIT_MS / 1000 / 2
    assert sorted(i.name for i in list_institutions(context.uow())) == ["康宁养老院", "福寿园"]


def test_units_of_work_on_other_threads_or_databases_are_not_nested(context: AppContext, tmp_path: Path) -> None:
    other = open_context(tmp_path / "other.sqlite")
    try:
        with context.uow() as outer, UnitOfWork(other.database) as second:
            second.session.add(Institution(name="另一家", kind="nursing_home"))
            second.commit()
            outer.session.add(Institution(name="福寿园", kind="nursing_home"))
            outer.commit()
    finally:
        other.close()
