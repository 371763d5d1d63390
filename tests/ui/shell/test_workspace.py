"""The workspace shows each role the pages it may use, builds each page, and locks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.domain.permissions import allowed
from app.domain.roles import Role
from app.services.accounts.sign_in import sign_in
from app.services.demo.center import create_demo_center
from app.ui.shell.tasks import database_pool
from app.ui.shell.workspace import PAGES, Workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    context = open_context(Path(tmp_path_factory.mktemp("ws")) / "demo.sqlite")
    create_demo_center(context.database, residents=60, seed=4, today=date(2026, 11, 16))
    yield context
    context.close()


def _workspace(qtbot: QtBot, demo: AppContext, login: str) -> Workspace:
    signed = sign_in(demo.uow(), login=login, password="demo1234")
    demo.actor_id = signed.staff_id
    workspace = Workspace(demo, signed=signed, center=None)
    qtbot.addWidget(workspace)
    return workspace


@pytest.mark.parametrize(
    ("login", "role"),
    [("admin", Role.ADMIN), ("doctor1", Role.DOCTOR), ("nurse1", Role.NURSE), ("assistant1", Role.ASSISTANT)],
)
def test_each_role_sees_exactly_the_pages_it_may_use(qtbot: QtBot, demo: AppContext, login: str, role: Role) -> None:
    workspace = _workspace(qtbot, demo, login)
    assert workspace.keys() == [spec.key for spec in PAGES if allowed(role, spec.action)]
    keys = set(workspace.keys())
    assert ("users" in keys) == (role is Role.ADMIN)
    assert ("visits" in keys) == (role in (Role.ADMIN, Role.DOCTOR, Role.NURSE))


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_every_page_builds_for_an_administrator(qtbot: QtBot, demo: AppContext) -> None:
    workspace = _workspace(qtbot, demo, "admin")
    workspace.show()
    for key in workspace.keys():  # noqa: SIM118
        workspace.show_page(key)
        page = workspace.current_page()
        assert not page.objectName().startswith("placeholder-"), key
        assert page is workspace.page(key)
    qtbot.waitUntil(lambda: database_pool().activeThreadCount() == 0, timeout=20_000)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_after_an_import_other_pages_reload_when_shown(
    qtbot: QtBot, demo: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = _workspace(qtbot, demo, "doctor1")
    workspace.show()
    for key in ("dashboard", "residents", "sync"):
        workspace.show_page(key)
    qtbot.waitUntil(lambda: database_pool().activeThreadCount() == 0, timeout=20_000)
    reloads: list[str] = []
    monkeypatch.setattr(workspace.page("dashboard"), "refresh", lambda: reloads.append("dashboard"))
    monkeypatch.setattr(workspace.page("residents"), "search", lambda: reloads.append("residents"))
    workspace.page("sync").data_changed.emit()  # type: ignore[attr-defined]
    assert workspace._stale == {"dashboard", "residents"}  # the sync page shows its own summary
    assert reloads == []  # nothing reloads behind the user's back
    workspace.show_page("residents")
    assert "residents" in reloads and workspace._stale == {"dashboard"}
    workspace.show_page("dashboard")
    assert "dashboard" in reloads and not workspace._stale
    workspace.show_page("conflicts")
    workspace.page("conflicts").resolved.emit()  # type: ignore[attr-defined]
    assert workspace._stale == {"dashboard", "residents", "sync"}
    qtbot.waitUntil(lambda: database_pool().activeThreadCount() == 0, timeout=20_000)
