"""A window on a server that cannot be opened says why once, in the user's language (#20 tried by hand).

Before: the sign-in panel read "无法打开数据库 postgresql:/nurse@…：无法打开数据库 postgresql://nurse@…：connection
failed: connection to server … failed: …" — the sentence twice, the URL's ``//`` collapsed by ``Path`` in the
outer one, and libpq's English. No server is needed: a Unix socket folder with none behind it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.settings import Settings
from app.ui.shell.i18n import install_translators
from app.ui.shell.server_window import ServerWindow

WAIT_MS = 20_000

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def language(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[str]:
    install_translators(qapp, request.param)
    yield request.param
    install_translators(qapp, "en")


@pytest.mark.parametrize(
    ("language", "words"), [("en", "cannot be reached"), ("zh_CN", "连接不上数据库服务器")], indirect=["language"]
)
def test_a_server_that_is_not_running_is_said_once_with_its_url_whole(
    qtbot: QtBot, tmp_path: Path, language: str, words: str
) -> None:
    url = f"postgresql://nurse@/carerounds?host={tmp_path}"
    window = ServerWindow(url=url, settings=Settings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_failed, timeout=WAIT_MS) as failed:
        window.open_database()
    said = failed.args[0]
    assert words in said and said == window.sign_in_panel.error_text, said
    assert "postgresql:/nurse" not in said and said.count("postgresql://") == 1, said
    assert "connection failed" not in said and "Traceback" not in said, said
    assert not window.sign_in_panel.sign_in_button.isEnabled()
