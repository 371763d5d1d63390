"""Fixtures of the visit page's tests (``test_visit_page*.py``): the world of :mod:`visit_page_world`, a copy per test.

``test_visit_history.py`` and ``test_visit_status_date_ui.py`` have their own ``template`` / ``world``, which
override these there.
"""

from __future__ import annotations

import ctypes
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import PySide6
import pytest
from PySide6.QtWidgets import QApplication
from visit_page_world import build_world

from app.bootstrap import open_context
from app.ui.shell import tasks
from app.ui.shell.i18n import install_translators
from app.ui.visits import editor as visit_editor


def keep_singletons_alive() -> None:
    """Work around PySide6 6.12.0 on CPython 3.11, which drops a reference to None on every call of a void Qt
    method (and to True on every ``emit()``): give None, True and False the extra references they lose, as
    CPython 3.12 does by making them immortal, so the test process does not abort with "none_dealloc".
    """
    if sys.version_info < (3, 12) and tuple(PySide6.__version_info__[:2]) == (6, 12):
        for singleton in (None, True, False):
            ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 30


keep_singletons_alive()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A home with a round today and last week, four residents due (张红丽 has hypertension), one elsewhere."""
    path = tmp_path_factory.mktemp("visit-page") / "center.sqlite"
    context = open_context(path)
    try:
        ids = build_world(context)
    finally:
        context.close()
    return path, ids


@pytest.fixture
def world(template: tuple[Path, dict[str, str]], tmp_path: Path, qapp: QApplication) -> Iterator[dict[str, Any]]:
    install_translators(qapp, "en")
    path = tmp_path / "center.sqlite"
    shutil.copyfile(template[0], path)
    context = open_context(path)
    context.actor_id = template[1]["nurse"]
    yield {**template[1], "context": context, "path": path}
    context.close()


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """Fail on an error the screens would show in a message box (a box would wait for a click, a hang)."""
    shown: list[BaseException] = []
    monkeypatch.setattr(tasks, "show_error", lambda parent, error: shown.append(error))
    monkeypatch.setattr(visit_editor, "show_error", lambda parent, error: shown.append(error))
    yield shown
    assert not shown, f"errors shown to the user: {shown!r}"
