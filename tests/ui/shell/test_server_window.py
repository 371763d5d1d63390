"""The window on a center's PostgreSQL server (#20): the connection dialog, signing in, other desks' changes.

The dialog's tests need no server. The window's run against ``$CARE_TEST_PG_URL`` (marked ``postgres``).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.domain import i18n
from app.settings import Settings
from app.store import engines
from app.store.models import Resident
from app.ui.shell.i18n import install_translators
from app.ui.shell.server_dialog import ServerDialog
from app.ui.shell.server_window import ServerWindow, _url_of
from app.ui.shell.status_notice import StatusNotice
from app.ui.shell.tasks import database_pool

WAIT_MS = 20_000
DEMO_DAY = date(2026, 11, 16)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _no_passwords_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "_PASSWORDS", {})


@pytest.fixture
def fake_keyring(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    """The OS keyring's API (``keyring.get_password`` / ``set_password``) over a dict: no real keyring in CI."""
    kept: dict[tuple[str, str], str] = {}
    module = types.ModuleType("keyring")
    module.set_password = lambda service, user, password: kept.__setitem__((service, user), password)  # type: ignore[attr-defined]
    module.get_password = lambda service, user: kept.get((service, user))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", module)
    return kept


def test_the_dialog_makes_a_url_without_the_password_and_keeps_it_in_the_keyring(
    qtbot: QtBot, english: None, fake_keyring: dict[tuple[str, str], str], tmp_path: Path
) -> None:
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    assert dialog.save_check.isEnabled()  # a keyring is there
    dialog.host_edit.clear()
    dialog.submit()
    assert dialog.choice is None and "Server" in dialog.error_label.text() and dialog.error_label.isVisibleTo(dialog)

    qtbot.keyClicks(dialog.host_edit, "db.center.lan")
    qtbot.keyClicks(dialog.user_edit, "nurse")
    qtbot.keyClicks(dialog.password_edit, "s3cret-Ward7")
    dialog.save_check.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.submit()
    assert dialog.choice is not None
    url = dialog.choice.url
    assert url == "postgresql://nurse@db.center.lan:5432/carerounds" and "s3cret" not in url
    assert dialog.password_edit.text() == ""  # not left in the widget
    assert fake_keyring == {("CareRounds PostgreSQL", "nurse@db.center.lan:5432/carerounds"): "s3cret-Ward7"}
    engines._PASSWORDS.clear()  # a new session: the keyring still gives it
    assert engines.server_password(engines.ServerURL(url)) == "s3cret-Ward7"


def test_without_a_keyring_a_typed_password_is_kept_for_this_session_only(qtbot: QtBot, english: None) -> None:
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    if dialog.save_check.isEnabled():
        pytest.skip("the keyring package is installed here")
    dialog.user_edit.setText("nurse")
    dialog.host_edit.setText("/run/postgresql")  # a Unix socket's folder
    dialog.password_edit.setText("s3cret")
    dialog.submit()
    assert dialog.choice is not None
    assert dialog.choice.url == "postgresql://nurse@/carerounds?host=/run/postgresql&port=5432"
    assert engines.server_password(engines.ServerURL(dialog.choice.url)) == "s3cret"


def test_the_server_is_remembered_without_its_password_and_fills_the_dialog(qtbot: QtBot, english: None) -> None:
    from app.services.admin.server_connection import choice_from_url, url_to_remember

    remembered = url_to_remember("postgresql://nurse:s3cret@db.center.lan:5433/carerounds")
    assert remembered == "postgresql://nurse@db.center.lan:5433/carerounds"
    dialog = ServerDialog(choice=choice_from_url(remembered))
    qtbot.addWidget(dialog)
    fields = (dialog.host_edit.text(), dialog.port_spin.value(), dialog.database_edit.text(), dialog.user_edit.text())
    assert fields == ("db.center.lan", 5433, "carerounds", "nurse")
    socket = choice_from_url("postgresql://carerounds@/t_1?host=/tmp/pg.abc&port=5432")
    assert socket is not None and socket.url == "postgresql://carerounds@/t_1?host=/tmp/pg.abc&port=5432"
    assert choice_from_url("") is None


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "The field “Server” is empty: fill it in."), ("zh_CN", "“服务器”一栏是空的，请填写。")],
)
def test_an_empty_field_is_said_empty_by_its_name_not_value_nothing(
    qtbot: QtBot, qapp: QApplication, language: str, said: str
) -> None:
    """It said "server: required. (value: )"."""
    install_translators(qapp, language)
    i18n.set_language(language)
    try:
        dialog = ServerDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.user_edit, "nurse")
        QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        assert dialog.choice is None and dialog.error_label.text() == said and dialog.error_label.isVisible()
        assert "value" not in dialog.error_label.text() and "输入值" not in dialog.error_label.text()
        assert dialog.focusWidget() is dialog.host_edit  # where to type

        qtbot.keyClicks(dialog.host_edit, "db.center.lan")
        dialog.database_edit.setFocus()
        dialog.database_edit.selectAll()
        qtbot.keyClick(dialog.database_edit, Qt.Key.Key_Delete)
        qtbot.keyClick(dialog.database_edit, Qt.Key.Key_Return)  # the keyboard's way to OK
        database = {"en": "Database", "zh_CN": "数据库"}[language]
        assert dialog.choice is None and database in dialog.error_label.text()
        assert dialog.focusWidget() is dialog.database_edit
    finally:
        install_translators(qapp, "en")
        i18n.set_language("en")


@pytest.mark.parametrize(("language", "said"), [("en", "Server "), ("zh_CN", "服务器 ")])
def test_the_status_bar_names_the_server_and_database_never_the_password(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, language: str, said: str
) -> None:
    """Only the center label's tooltip said which server the window was on."""
    install_translators(qapp, language)
    try:
        url = "postgresql://nurse:s3cret-Ward7@db.center.lan:5433/carerounds"
        window = ServerWindow(url=url, settings=Settings(tmp_path / "settings.json"))  # not opened: no server needed
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        label = window.statusBar().findChild(QLabel, "statusServer")
        assert label is not None and label.isVisible()
        assert label.text() == f"{said}db.center.lan:5433/carerounds"
        assert "s3cret" not in label.text() + label.toolTip() + window.windowTitle()
        assert label.geometry().right() <= window.statusBar().width()  # in sight at 1280
        other = ServerWindow(url="postgresql://nurse@/t_1?host=/run/postgresql", settings=window.settings)
        qtbot.addWidget(other)
        assert other.server_label.text() == f"{said}/run/postgresql/t_1"  # a Unix socket: its folder
    finally:
        install_translators(qapp, "en")


def test_a_db_option_naming_a_server_survives_argparses_path() -> None:
    url = "postgresql://carerounds@/t_1?host=/tmp/carerounds-pg.abc"
    assert _url_of(Path(url)) == url


# --- the window on a server ----------------------------------------------------------------------------------


@pytest.fixture
def server_url(pg_database: Callable[[Path | None], str], demo_center: Callable[..., Path]) -> str:
    return pg_database(demo_center(residents=30, seed=3, today=DEMO_DAY))


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, server_url: str, tmp_path: Path) -> Iterator[ServerWindow]:
    install_translators(qapp, "en")
    i18n.set_language("en")
    settings = Settings(tmp_path / "settings.json")
    win = ServerWindow(url=server_url, settings=settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.database_ready, timeout=WAIT_MS):
        win.open_database()
    yield win
    # before the server database is dropped: no poll of the change mark may still be out (it would fail later,
    # logged as an error in whichever test runs next)
    watcher = getattr(win.workspace, "change_watcher", None)
    if watcher is not None:
        watcher.timer.stop()
    database_pool().waitForDone(WAIT_MS)
    QThreadPool.globalInstance().waitForDone(WAIT_MS)  # the daily archive after sign-in
    win.close()
    database_pool().waitForDone(WAIT_MS)


def sign_in(qtbot: QtBot, window: ServerWindow, login: str, password: str = "demo1234") -> None:
    panel = window.sign_in_panel
    qtbot.keyClicks(panel.login_edit, login)
    qtbot.keyClicks(panel.password_edit, password)
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)


@pytest.fixture
def other_desk(server_url: str) -> Iterator[AppContext]:
    """Another workstation on the same server database."""
    context = open_context(server_url, device_name="desk 2")
    with context.uow() as uow:
        context.actor_id = uow.fast_rows("SELECT id FROM staff WHERE login = 'doctor1'")[0][0]
    yield context
    context.close()


@pytest.mark.postgres
def test_a_window_on_a_server_opens_signs_in_and_shows_what_another_desk_changed(
    qtbot: QtBot, window: ServerWindow, other_desk: AppContext, tmp_path: Path, server_url: str
) -> None:
    from app.services.admin.server_connection import choice_from_url

    assert window.context is not None and window.context.database.is_server
    assert "postgresql://" in window.center_label.toolTip()
    sign_in(qtbot, window, "admin")
    assert not window.backup_action.isEnabled()  # a server's backups are pg_dump's
    assert window.findChild(QPushButton, "encryptButton") is None  # no offer to encrypt a file that is not there
    workspace = window.workspace
    assert workspace is not None
    watcher = workspace.change_watcher
    watcher.timer.setInterval(50)  # the test need not wait the 5 s of a workstation
    qtbot.waitUntil(lambda: watcher.mark is not None, timeout=WAIT_MS)
    workspace.show_page("residents")
    page = workspace.residents
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=WAIT_MS)
    first = page.model.row_at(0)

    with qtbot.waitSignal(watcher.changed, timeout=WAIT_MS), other_desk.uow() as uow:
        resident = uow.session.get(Resident, first.id)  # another desk renames the first resident on the list
        assert resident is not None
        resident.name = "易新名"
        uow.commit()
    qtbot.waitUntil(
        lambda: any(page.model.row_at(row).name == "易新名" for row in range(page.model.rowCount())), timeout=WAIT_MS
    )  # the list on show reloaded by itself
    remembered = Settings(tmp_path / "settings.json").get("last_server")  # for the dialog, next time
    assert choice_from_url(remembered) == choice_from_url(server_url) and choice_from_url(remembered) is not None
    assert Settings(tmp_path / "settings.json").get("last_database") == ""  # a file's setting, untouched


def shown_notice(qtbot: QtBot, window: ServerWindow, name: str) -> StatusNotice:
    """The status bar's notice ``name`` once it shows."""
    qtbot.waitUntil(
        lambda: (found := window.statusBar().findChild(StatusNotice, name)) is not None and found.isVisible(),
        timeout=WAIT_MS,
    )
    found = window.statusBar().findChild(StatusNotice, name)
    assert found is not None
    return found


def details_box(qtbot: QtBot, window: ServerWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "noticeDetails") is not None, timeout=WAIT_MS)
    box = window.findChild(QMessageBox, "noticeDetails")
    assert box is not None and box.isVisible()
    return box


def superuser(url: str, statement: str) -> None:
    """Run ``statement`` as the throwaway cluster's superuser (tools/pg_cluster.sh: trust on its socket)."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(url).set(username="postgres", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(statement)


@pytest.mark.postgres
def test_a_lost_server_is_said_once_in_the_status_bar_and_the_notice_goes_when_it_answers(
    qtbot: QtBot, window: ServerWindow, server_url: str
) -> None:
    """The poll failed silently (logged at info level every 5 s): the desk did not know it saw no other desk's work."""
    from sqlalchemy.engine import make_url

    sign_in(qtbot, window, "nurse1")
    assert window.workspace is not None
    watcher = window.workspace.change_watcher
    watcher.timer.setInterval(50)
    qtbot.waitUntil(lambda: watcher.mark is not None, timeout=WAIT_MS)
    watcher.timer.stop()  # the first page and the day's archive loaded before the server goes away
    database_pool().waitForDone(WAIT_MS)
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    watcher.timer.start()
    lost: list[object] = []
    back: list[None] = []
    polls: list[None] = []
    watcher.lost.connect(lost.append)
    watcher.back.connect(lambda: back.append(None))
    watcher.timer.timeout.connect(lambda: polls.append(None))
    database = make_url(server_url).database
    try:  # the server stops taking this database's connections, and drops those it had
        superuser(server_url, f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        superuser(server_url, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")
        notice = shown_notice(qtbot, window, "noticeServerLost")
        said = "Server not reachable, retrying — changes from other workstations are not shown"
        assert notice.full_text == said and said.startswith(notice.text().removesuffix("…"))  # elided if need be
        asked = len(polls)
        qtbot.waitUntil(lambda: len(polls) >= asked + 5, timeout=WAIT_MS)  # five more polls, all failing
        assert len(lost) == 1 and notice.isVisible()  # said once, not at every poll
        QTest.mouseClick(notice, Qt.MouseButton.LeftButton)
        box = details_box(qtbot, window)
        place = f"{make_url(server_url).query['host']}/{database}"  # as the status bar names it
        assert f"The database server {place} does not answer" in box.text() and "password" not in box.text().lower()
        box.done(0)
        assert notice.isVisible()  # read, but still true: it stays until the server answers
    finally:
        superuser(server_url, f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=WAIT_MS)
    assert len(back) == 1 and len(lost) == 1 and not notice.shown


DAY = datetime(2026, 12, 7, 8, 30)


@pytest.fixture
def daily_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What each window's start-of-day archive returned (the archive, or None when not due), made on :data:`DAY`."""
    from app.services.admin import server_backups

    real = server_backups.daily_server_backup_if_due
    calls: list[object] = []

    def on_day(url: str, folder: Path, *, now: datetime | None = None) -> object:
        try:
            made = real(url, folder, now=DAY)
        except Exception as error:
            calls.append(error)
            raise
        calls.append(made)
        return made

    monkeypatch.setattr(server_backups, "daily_server_backup_if_due", on_day)
    return calls


def dailies(url: str) -> list[Path]:
    """The daily archives in this computer's folder for the server (no ``backup_dir`` set)."""
    from app.services.admin.server_backups import server_backup_folder
    from app.settings import default_database_path

    folder = server_backup_folder(url, default_database_path().parent)
    return sorted(folder.glob("*-daily.dump")) if folder.is_dir() else []


@pytest.mark.postgres
def test_signing_in_makes_todays_daily_archive_once_and_a_second_window_none(
    qtbot: QtBot, window: ServerWindow, server_url: str, daily_calls: list[object], tmp_path: Path
) -> None:
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    assert daily_calls == [] and dailies(server_url) == []  # opened, nobody signed in: nothing dumped yet
    sign_in(qtbot, window, "nurse1")
    qtbot.waitUntil(lambda: len(daily_calls) == 1, timeout=WAIT_MS)
    (archive,) = dailies(server_url)
    assert archive.name.endswith(f"-{DAY:%Y%m%d}-083000-daily.dump") and archive.read_bytes()[:5] == b"PGDMP"
    window.sign_out()
    window.sign_in_panel.login_edit.clear()
    sign_in(qtbot, window, "admin")  # the same window again: not again
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    assert len(daily_calls) == 1

    second = ServerWindow(url=server_url, settings=Settings(tmp_path / "settings.json"))  # another start that day
    qtbot.addWidget(second)
    second.show()
    with qtbot.waitSignal(second.database_ready, timeout=WAIT_MS):
        second.open_database()
    sign_in(qtbot, second, "doctor1")
    qtbot.waitUntil(lambda: len(daily_calls) == 2, timeout=WAIT_MS)
    assert daily_calls[1] is None and dailies(server_url) == [archive]  # due no more: none made
    assert "failed" not in second.statusBar().currentMessage()
    database_pool().waitForDone(WAIT_MS)
    second.close()


@pytest.mark.postgres
def test_without_pg_dump_the_daily_archive_fails_in_the_status_bar_only(
    qtbot: QtBot, window: ServerWindow, server_url: str, daily_calls: list[object], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # this workstation has no PostgreSQL client programs
    sign_in(qtbot, window, "nurse1")
    notice = shown_notice(qtbot, window, "noticeDailyBackup")
    assert notice.text() == "The daily backup of the server failed — details…"  # short: it fits (test_status_notices)
    assert "pg_dump" not in window.statusBar().currentMessage()
    assert any(
        "daily backup of the server failed" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records
    )
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]  # no dialog
    assert dailies(server_url) == [] and window.workspace is not None and window.isVisible()  # work goes on
    QTest.mouseClick(notice, Qt.MouseButton.LeftButton)  # the whole reason where somebody asks for it
    box = details_box(qtbot, window)
    assert box.text().startswith("The daily backup of the server failed:") and "postgresql-client" in box.text()
    assert "pg_dump" in box.text()
    box.done(0)
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=WAIT_MS)  # read: gone


@pytest.fixture
def without_createdb(server_url: str) -> Iterator[str]:
    """The same database through a login of the owner's role that may not create databases (the archive's check)."""
    import uuid

    from sqlalchemy.engine import make_url

    role = f"t_desk_{uuid.uuid4().hex[:8]}"
    owner = make_url(server_url).username
    superuser(server_url, f'CREATE ROLE "{role}" LOGIN NOCREATEDB IN ROLE "{owner}"')
    yield make_url(server_url).set(username=role).render_as_string(hide_password=False)
    superuser(server_url, f'DROP ROLE IF EXISTS "{role}"')


@pytest.mark.postgres
def test_a_login_without_createdb_is_said_in_chinese_the_servers_words_only_in_the_details(
    qtbot: QtBot, qapp: QApplication, without_createdb: str, tmp_path: Path, daily_calls: list[object]
) -> None:
    """It read "……服务器拒绝了：permission denied to create database" in the status bar."""
    install_translators(qapp, "zh_CN")
    i18n.set_language("zh_CN")
    settings = Settings(tmp_path / "settings.json")
    settings.set("backup_dir", str(tmp_path / "backups"))
    window = ServerWindow(url=without_createdb, settings=settings)
    qtbot.addWidget(window)
    try:
        window.show()
        with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
            window.open_database()
        sign_in(qtbot, window, "admin")
        notice = shown_notice(qtbot, window, "noticeDailyBackup")
        assert notice.text() == "服务器每日备份失败 — 详情…"
        notice.setFocus()
        QTest.keyClick(notice, Qt.Key.Key_Space)
        box = details_box(qtbot, window)
        assert box.text().startswith("服务器数据库的每日备份失败：备份已写好，但无法检查")
        assert "没有 CREATEDB 权限" in box.text() and "permission denied" not in box.text()
        assert box.detailedText() == "permission denied to create database"  # the server's words: "Show Details…"
        box.done(0)
        qtbot.waitUntil(lambda: not notice.isVisible(), timeout=WAIT_MS)
        assert len(list((tmp_path / "backups").glob("*-daily.dump"))) == 1  # written, kept unchecked
    finally:
        QThreadPool.globalInstance().waitForDone(WAIT_MS)
        database_pool().waitForDone(WAIT_MS)
        window.close()
        database_pool().waitForDone(WAIT_MS)
        install_translators(qapp, "en")
        i18n.set_language("en")


@pytest.mark.postgres
def test_adding_a_laptop_to_a_server_center_shows_its_recovery_key_once(
    qtbot: QtBot, english: None, other_desk: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop's copy of a server center is encrypted with a key of its own: the page shows its recovery key."""
    from app.ui.shell import tasks
    from app.ui.sync.dialogs import AddDeviceDialog
    from app.ui.sync.page import SyncPage

    with other_desk.uow() as uow:
        other_desk.actor_id = uow.fast_rows("SELECT id FROM staff WHERE login = 'admin'")[0][0]
    page = SyncPage(other_desk)
    qtbot.addWidget(page)

    def filled(self: AddDeviceDialog) -> int:
        self.label_edit.setText("护士站笔记本")
        self.passphrase_edit.setText("Ward-7 round sheet")
        self.confirm_edit.setText("Ward-7 round sheet")
        self.accept()
        return int(self.result())

    monkeypatch.setattr(AddDeviceDialog, "exec", filled)
    target = tmp_path / "join.crsync"
    with tasks.run_sync_for_tests():
        page.choose_join_package_path = lambda: str(target)  # type: ignore[method-assign]
        page.add_device()
    assert target.exists()
    text = page.result_label.text()
    assert "Join package written and checked" in text and "recovery key" in text
    assert page.last_result.recovery_key in text and len(page.last_result.recovery_key) > 20  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://nurse@db.center.lan/carerounds", "db.center.lan/carerounds"),
        ("postgresql://nurse@db.center.lan:5433/carerounds", "db.center.lan:5433/carerounds"),
        ("postgresql:///center", "localhost/center"),
        ("postgresql://nurse@[::1]:5433/c", "[::1]:5433/c"),
    ],
)
def test_the_server_label_reads_unambiguously(url: str, shown: str) -> None:
    """It read "Server /center" for the local socket and "::1:5433/c" for an IPv6 address (review)."""
    from app.ui.shell.server_window import server_place

    assert server_place(url) == shown
