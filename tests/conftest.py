"""Shared fixtures: offscreen Qt, a language reset, small databases built per test, demo centers built once.

``CARE_TEST_NOW=2026-12-31T10:00`` (local time if no offset is given) runs the whole session on that
clock: ``time.time()``, ``date.today()`` and ``datetime.now()`` start there and tick on (time-machine,
``tick=True``), while ``time.monotonic()``, ``time.sleep()`` and Qt's timers keep real time. CI runs
the date-sensitive tests so on a few awkward days (.ci/run).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.bootstrap import AppContext, open_context
from app.domain import i18n
from app.services.demo.center import create_demo_center

if TYPE_CHECKING:
    import time_machine

TRAVEL_VARIABLE = "CARE_TEST_NOW"


def _travel_from_environment() -> time_machine.travel | None:
    """Start travelling to ``$CARE_TEST_NOW`` before any test module is collected; None if unset."""
    moment = os.environ.get(TRAVEL_VARIABLE, "").strip()
    if not moment:
        return None
    import time_machine

    destination = datetime.fromisoformat(moment)
    if destination.tzinfo is None:
        destination = destination.astimezone()  # a naive moment is local time, as the user would see it
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    return traveller


_TRAVELLER = _travel_from_environment()


def pytest_report_header(config: pytest.Config) -> str | None:
    if _TRAVELLER is None:
        return None
    return f"clock travelled to {datetime.now().astimezone().isoformat(timespec='seconds')} (${TRAVEL_VARIABLE})"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _TRAVELLER is not None:
        _TRAVELLER.stop()


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    language = i18n.current_language()
    yield
    i18n.set_language(language)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the user's real settings and data directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "center.sqlite"


PG_URL_VARIABLE = "CARE_TEST_PG_URL"
"""A PostgreSQL server's URL whose role may create databases (.ci/run starts one: tools/pg_cluster.sh)."""


def _pg_server() -> str:
    base = os.environ.get(PG_URL_VARIABLE, "").strip()
    if not base:
        pytest.skip(f"no PostgreSQL server for this test: set ${PG_URL_VARIABLE} (tools/pg_cluster.sh start)")
    from sqlalchemy.engine import make_url

    return make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_server(), autocommit=True) as admin:
        admin.execute(sql)


def _pg_database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(_pg_server()).set(database=name).render_as_string(hide_password=False)


_PG_TEMPLATES: dict[Path, str] = {}
"""SQLite template file -> the PostgreSQL database it was moved into once (a template for CREATE DATABASE)."""


@pytest.fixture
def pg_database() -> Iterator[Callable[[Path | None], str]]:
    """Return ``make(template=None)``: the URL of a new PostgreSQL database of the test's own, dropped after it.

    Empty, or a copy of ``template`` (a SQLite center moved onto the server once a session by ``center
    move-to``'s copy, then cloned by ``CREATE DATABASE … TEMPLATE``: a second or so instead of a move).
    """
    import uuid

    made: list[str] = []

    def make(template: Path | None = None) -> str:
        source = ""
        if template is not None:
            if template not in _PG_TEMPLATES:
                from app.store.engines import ServerURL
                from app.store.move import move_to_server

                name = f"tpl_{uuid.uuid4().hex[:16]}"
                _pg_admin(f'CREATE DATABASE "{name}"')
                move_to_server(template, ServerURL(_pg_database_url(name)))
                _PG_TEMPLATES[template] = name
            source = f' TEMPLATE "{_PG_TEMPLATES[template]}"'
        name = f"t_{uuid.uuid4().hex[:16]}"
        _pg_admin(f'CREATE DATABASE "{name}"{source}')
        made.append(name)
        return _pg_database_url(name)

    yield make
    for name in made:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_database: Callable[[Path | None], str]) -> str:
    """A new, empty PostgreSQL database of the test's own (``postgresql://…``), dropped after the test.

    Tests using it are marked ``postgres``; they are skipped only when ``$CARE_TEST_PG_URL`` is unset (CI sets it).
    """
    return pg_database(None)


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
"""The engines the suites run on (issue 20): a SQLite file, then a PostgreSQL server (marked ``postgres``)."""


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """``"sqlite"``, then ``"postgresql"``: the one parametrized fixture every fixture over both engines derives
    from (``db_target``, ``engine_copy``, the CLI's ``center_copy``, sync's ``hub``, the store's databases)."""
    return str(request.param)


@pytest.fixture
def db_target(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """A new database on each engine in turn: a SQLite file's path, then a PostgreSQL database's URL."""
    if engine == "sqlite":
        return tmp_path / "center.sqlite"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def demo_center(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Return ``make(residents=, seed=, today=)``: the file of a demo center built on ``today``.

    Each center is built once a session and is a template: open a copy (:func:`open_copy`) to change it.
    """
    made: dict[tuple[int, int, date], Path] = {}

    def make(*, residents: int, seed: int, today: date) -> Path:
        key = (residents, seed, today)
        if key not in made:
            path = tmp_path_factory.mktemp("demo-center") / "demo.sqlite"
            context = open_context(path)
            create_demo_center(context.database, residents=residents, seed=seed, today=today)
            context.close()
            made[key] = path
        return made[key]

    return make


@pytest.fixture
def template_copy(tmp_path: Path) -> Iterator[Callable[[Path], AppContext]]:
    """Return ``open_copy(template)``: a private copy of a database file, open; closed after the test."""
    opened: list[AppContext] = []

    def open_copy(template: Path) -> AppContext:
        copy = tmp_path / ("center.sqlite" if not opened else f"center-{len(opened) + 1}.sqlite")
        shutil.copyfile(template, copy)
        opened.append(open_context(copy))
        return opened[-1]

    yield open_copy
    for context in opened:
        context.close()


@pytest.fixture
def engine_copy(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[Path], AppContext]]:
    """:func:`template_copy` on each engine in turn: the SQLite copy, then the template moved onto the
    PostgreSQL server (``center move-to``'s copy, app.store.move; once a session) and cloned for the test (#20)."""
    opened: list[AppContext] = []
    # asked for first, so that the databases are dropped after the contexts on them are closed
    make = request.getfixturevalue("pg_database") if engine == "postgresql" else None

    def open_copy(template: Path) -> AppContext:
        if make is None:
            copy = tmp_path / ("center.sqlite" if not opened else f"center-{len(opened) + 1}.sqlite")
            shutil.copyfile(template, copy)
            opened.append(open_context(copy))
        else:
            opened.append(open_context(make(template)))
        return opened[-1]

    yield open_copy
    for context in opened:
        context.close()
