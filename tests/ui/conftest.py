"""Fixtures shared by the UI tests: English catalogues, demo centers, widgets released once the database is idle."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dialog_guard import DialogGuard
from PySide6.QtWidgets import QApplication
from widget_lifetime import settle

from app.bootstrap import AppContext, open_context
from app.ui.shell.fonts import install_cjk_font
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import database_pool
from app.ui.shell.theme import apply_theme

WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def _settled() -> Iterator[None]:
    """After each test, let the database thread finish before the test's widgets are released."""
    yield
    settle()


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[None]:
    """The CJK font and the light theme as the application has them (titles in capitals, paddings); as they were
    afterwards."""
    before, font = qapp.styleSheet(), qapp.font()
    install_cjk_font(qapp)
    apply_theme(qapp, "light")
    yield
    qapp.setStyleSheet(before)
    qapp.setFont(font)


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """Show the UI in English during the test, and leave it in English for the next one."""
    install_translators(qapp, "en")
    yield
    install_translators(qapp, "en")


@pytest.fixture
def open_copy(tmp_path: Path) -> Iterator[Callable[..., AppContext]]:
    """Return ``open_as(template, login=None)``: a private copy of ``template``, open, signed in as ``login``.

    Every copy opened is closed after the test, once the database thread is idle.
    """
    opened: list[AppContext] = []

    def open_as(template: Path, login: str | None = None) -> AppContext:
        copy = tmp_path / ("center.sqlite" if not opened else f"center-{len(opened) + 1}.sqlite")
        shutil.copyfile(template, copy)
        context = open_context(copy)
        opened.append(context)
        if login is not None:
            with context.uow() as uow:
                context.actor_id = uow.fast_rows("SELECT id FROM staff WHERE login = :l", {"l": login})[0][0]
        return context

    yield open_as
    database_pool().waitForDone(WAIT_MS)
    for context in opened:
        context.close()


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[DialogGuard]:
    """No real modal dialog in any UI test: see :mod:`dialog_guard`. Unexpected ones fail the test."""
    guard = DialogGuard()
    guard.install(monkeypatch)
    yield guard
    guard.fail_if_unexpected()  # one opened while the test's fixtures were torn down


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test itself (not its teardown) when it opened a dialog nobody expected."""
    result = yield
    guard = getattr(item, "funcargs", {}).get("dialogs")
    if isinstance(guard, DialogGuard):
        guard.fail_if_unexpected()
    return result
