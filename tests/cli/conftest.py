"""Shared set-up of the command-line tests: one small demo center per module, copied for each test.

Every command signs in: the demo's administrator by default (``CARE_USER``/``CARE_PASSWORD`` set for each
test; a test that signs in otherwise changes or removes them). Passwords are hashed with cheap argon2
parameters here, as in the other tests that sign in: the production ones take ~0.2 s per hash and per
check, on every command.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from center_sql import connect

from app.cli.main import main
from app.cli.signin import PASSWORD_ENV, USER_ENV
from app.services.accounts import sign_in as accounts
from app.services.demo import DEMO_PASSWORD

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="module", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Cheap argon2 for the whole module, the demo template included (module scope: the template is)."""
    real, accounts._hasher = accounts._hasher, CHEAP_HASHER
    try:
        yield
    finally:
        accounts._hasher = real


@pytest.fixture(autouse=True)
def _signed_in_as_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's administrator acts, unless the test says otherwise."""
    monkeypatch.setenv(USER_ENV, "admin")
    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)


DEMO_DAY = "2026-11-16"
"""A Monday: the demo is made as on this day, whatever the real one (the demo depends on the day)."""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 15-resident demo center (seed 4), made once for the module."""
    path = tmp_path_factory.mktemp("cli-demo") / "center.sqlite"
    # plain: the tests read and change the file directly, and count wrong passwords (which an encrypted
    # database cannot: its password is checked before it opens); tests/cli/test_encrypt_cli.py and
    # tests/cli/test_demo_cli.py cover the encrypted demo
    argv = ["demo", "--db", str(path), "--residents", "15", "--seed", "4", "--today", DEMO_DAY, "--plain"]
    assert main(argv) == 0
    return path


@pytest.fixture
def center_copy(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[Path], Path | str]:
    """Return ``copy(template)``: a center of the test's own, on each engine in turn (issue 20).

    A copy of the file, then the template moved onto the PostgreSQL server once a session and cloned
    (``CREATE DATABASE … TEMPLATE``, tests/conftest.py ``pg_database``): the commands are the same with
    ``--db postgresql://…``. The template's password hashes are the cheap ones of this module's: they move with it.
    """
    if engine == "postgresql":
        make: Callable[[Path], str] = request.getfixturevalue("pg_database")
        return make
    return lambda template: file_copy(template, tmp_path)


def file_copy(template: Path, folder: Path) -> Path:
    """A copy of the database file ``template`` (and its key file, if encrypted) in ``folder``."""
    copy = folder / "center.sqlite"
    shutil.copyfile(template, copy)
    keys = template.with_name(template.name + ".keys")
    if keys.exists():
        shutil.copyfile(keys, copy.with_name(copy.name + ".keys"))
    return copy


@pytest.fixture
def db(template: Path, center_copy: Callable[[Path], Path | str], capsys: pytest.CaptureFixture[str]) -> Path | str:
    """A copy of :func:`template` of the test's own — a file, then a database on the server — with the
    demo's output already read. A test about the database *file* asks for :func:`db_file` instead."""
    copy = center_copy(template)
    capsys.readouterr()
    return copy


@pytest.fixture
def db_file(template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A copy of :func:`template` as a SQLite file only: for tests about the file itself (its encryption,
    copies, permissions, locks), which have no counterpart on a server."""
    copy = file_copy(template, tmp_path)
    capsys.readouterr()
    return copy


def content_but_sign_ins(db: Path | str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the center at ``db`` (a file or a server URL) but the sign-ins' own traces.

    Left out: the ``sign_in``, ``sign_in_failed`` and ``account_locked`` audit entries, the failed-attempt
    counters, the audit chain's hashes (the next entry links to a sign-in) and the clock's last value (the
    sign-in's entry took a tick).

    A command refused after a successful sign-in changes nothing else: compare this before and after.
    """
    content: dict[str, list[tuple[object, ...]]] = {}
    with connect(db) as raw:
        for table in raw.tables():
            if table == "sign_in_state":
                continue
            if table == "auditentry":
                query = "SELECT id, action, entity, entity_id, staff_id FROM auditentry "
                query += "WHERE action NOT IN ('sign_in', 'sign_in_failed', 'account_locked')"
            elif table == "device_state":
                query = "SELECT device_id, name, center_key FROM device_state"
            else:
                query = f'SELECT * FROM "{table}"'
            content[table] = sorted((tuple(row) for row in raw.execute(query)), key=repr)
    return content


@pytest.fixture
def unchanged_but_sign_ins() -> Callable[[Path | str], dict[str, list[tuple[object, ...]]]]:
    """:func:`content_but_sign_ins`, for tests (conftest modules are not imported by name)."""
    return content_but_sign_ins
