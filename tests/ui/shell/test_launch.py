"""Start-up, first-start set-up, signing in and out, preferences (app.ui.shell.launch, main_window, signin, setup)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import open_context
from app.domain.roles import Role
from app.services.admin.center import center_info, needs_setup
from app.services.demo.center import create_demo_center
from app.settings import Settings
from app.ui.shell.launch import EXIT_ENV, build_parser, choose_database
from app.ui.shell.main_window import MainWindow, current_theme
from app.ui.widgets.badges import THEME_PROPERTY

ROOT = Path(__file__).resolve().parents[3]
DEMO_TODAY = date(2026, 11, 16)
WAIT_MS = 10_000


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    context = open_context(path)
    try:
        create_demo_center(context.database, residents=200, seed=1, today=DEMO_TODAY)
    finally:
        context.close()
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.json")


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record QMessageBox.warning/critical texts instead of opening modal boxes."""
    shown: list[str] = []

    def record(parent: QWidget | None, title: str, text: str, *args: object) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "warning", record)
    monkeypatch.setattr(QMessageBox, "critical", record)
    return shown


def open_window(qtbot: QtBot, path: Path, settings: Settings) -> MainWindow:
    window = MainWindow(database_path=path, settings=settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
    return window


@pytest.fixture
def window(qtbot: QtBot, demo_db: Path, settings: Settings) -> MainWindow:
    return open_window(qtbot, demo_db, settings)


def sign_in(qtbot: QtBot, window: MainWindow, login: str = "doctor1", password: str = "demo1234") -> None:
    panel = window.sign_in_panel
    panel.login_edit.clear()
    qtbot.keyClicks(panel.login_edit, login)
    qtbot.keyClicks(panel.password_edit, password)
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)


# --- options ----------------------------------------------------------------------------------------


def test_database_choice_follows_option_then_demo_then_setting_then_default(settings: Settings) -> None:
    from app.settings import default_database_path, demo_database_path

    parse = build_parser().parse_args
    assert choose_database(parse(["--db", "/tmp/x.sqlite"]), settings) == Path("/tmp/x.sqlite")
    assert choose_database(parse(["--demo"]), settings) == demo_database_path()
    assert choose_database(parse([]), settings) == default_database_path()
    settings.set("last_database", "/data/center.sqlite")
    assert choose_database(parse([]), settings) == Path("/data/center.sqlite")
    options = parse(["--lang", "en", "--theme", "dark"])
    assert (options.lang, options.theme) == ("en", "dark")


def test_the_first_window_imports_no_database_layer_nor_the_theme() -> None:
    code = (
        "import sys, app.ui.shell.launch, app.ui.shell.main_window, app.ui.shell.signin;"
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'qt_material', 'app.bootstrap', 'app.services',"
        " 'app.store', 'argon2') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


# --- opening the database -----------------------------------------------------------------------------


def test_sign_in_waits_for_the_database(qtbot: QtBot, demo_db: Path, settings: Settings) -> None:
    window = MainWindow(database_path=demo_db, settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.sign_in_panel
    assert window.stack.currentWidget() is panel
    assert not panel.sign_in_button.isEnabled()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
        assert panel.status_label.text() == "Opening the database…"
    assert panel.sign_in_button.isEnabled()
    assert panel.center_label.text() == "示范区康宁街道社区卫生服务中心"
    assert window.windowTitle().endswith("示范区康宁街道社区卫生服务中心")
    assert settings.get("last_database") == str(demo_db)


def test_a_file_that_is_not_a_database_is_reported_inline(qtbot: QtBot, tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not SQLite" * 100)
    window = MainWindow(database_path=path, settings=settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_failed, timeout=WAIT_MS) as failed:
        window.open_database()
    assert str(path) in failed.args[0]
    assert str(path) in window.sign_in_panel.error_text
    assert not window.sign_in_panel.sign_in_button.isEnabled()


# a read-only database opens for viewing, with a banner: tests/ui/shell/test_read_only_window.py


# --- first-start set-up -------------------------------------------------------------------------------


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # the recovery key's box
def test_set_up_page_creates_the_center_then_signs_in(qtbot: QtBot, tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "new.sqlite"
    window = open_window(qtbot, path, settings)
    page = window.setup_page
    assert page is not None and window.stack.currentWidget() is page
    # QTest types ASCII only; Chinese text goes in as an input method would commit it.
    qtbot.keyClicks(page.name_edit, "Kangning ")
    page.name_edit.insert("社区卫生服务中心")
    qtbot.keyClicks(page.code_edit, "kn01")
    qtbot.keyClicks(page.district_edit, "Xuhui")
    page.admin_name_edit.insert("王主任")
    qtbot.keyClicks(page.admin_login_edit, "Wang")
    qtbot.keyClicks(page.password_edit, "s3cret-pass")
    qtbot.keyClicks(page.repeat_edit, "s3cret-pass")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in_panel, timeout=WAIT_MS)

    assert window.context is not None
    assert not needs_setup(window.context.uow())
    info = center_info(window.context.uow())
    assert info is not None and (info.name, info.code, info.district) == ("Kangning 社区卫生服务中心", "KN01", "Xuhui")
    panel = window.sign_in_panel
    assert panel.login_edit.text() == "wang"
    assert panel.center_label.text() == "Kangning 社区卫生服务中心"

    # the new center is encrypted at once, and its recovery key shown once (issue 15)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "recoveryKeyBox") is not None, timeout=WAIT_MS)
    box = window.findChild(QMessageBox, "recoveryKeyBox")
    assert window.context.database.encrypted and not path.read_bytes().startswith(b"SQLite format 3")
    assert re.search(r"([0-9A-Z]{5}-){7}[0-9A-Z]{5}", box.text())
    box.accept()

    qtbot.keyClicks(panel.password_edit, "s3cret-pass")
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS) as signed:
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)
    assert signed.args[0].role is Role.ADMIN
    assert window.workspace is not None
    assert window.findChild(QWidget, "encryptButton") is None  # nothing to offer: it is encrypted


def test_set_up_errors_are_shown_in_a_dialog(
    qtbot: QtBot, tmp_path: Path, settings: Settings, warnings: list[str]
) -> None:
    window = open_window(qtbot, tmp_path / "new.sqlite", settings)
    page = window.setup_page
    assert page is not None
    qtbot.keyClicks(page.name_edit, "Center")
    qtbot.keyClicks(page.code_edit, "K")
    qtbot.keyClicks(page.admin_name_edit, "Wang")
    qtbot.keyClicks(page.admin_login_edit, "wang")
    qtbot.keyClicks(page.password_edit, "s3cret-pass")
    qtbot.keyClicks(page.repeat_edit, "s3cret-pasz")
    qtbot.keyClick(page.repeat_edit, Qt.Key.Key_Return)
    assert warnings == ["The two passwords are not the same."]

    page.repeat_edit.clear()
    qtbot.keyClicks(page.repeat_edit, "s3cret-pass")
    qtbot.keyClick(page.repeat_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(warnings) == 2, timeout=WAIT_MS)
    assert "机构代码" in warnings[1]  # the service's message, in the domain language (zh_CN by default)
    assert window.stack.currentWidget() is page
    assert page.create_button.isEnabled()
    assert window.context is not None and needs_setup(window.context.uow())


# --- signing in and out -------------------------------------------------------------------------------


def test_a_wrong_password_is_reported_inline(qtbot: QtBot, window: MainWindow, warnings: list[str]) -> None:
    panel = window.sign_in_panel
    qtbot.keyClicks(panel.login_edit, "nurse2")
    qtbot.keyClicks(panel.password_edit, "wrong-password")
    qtbot.mouseClick(panel.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.error_text != "", timeout=WAIT_MS)
    assert panel.error_text == "用户名或密码不正确。"
    assert warnings == []
    assert window.stack.currentWidget() is panel
    assert window.signed is None
    assert panel.sign_in_button.isEnabled()

    qtbot.keyClicks(panel.password_edit, "x")  # typing again clears the message
    assert panel.error_text == ""


def test_empty_fields_are_reported_without_asking_the_database(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.sign_in_panel
    qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)
    assert panel.error_text == "Enter your login."
    qtbot.keyClicks(panel.login_edit, "doctor1")
    qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)
    assert panel.error_text == "Enter your password."


def test_sign_in_shows_the_workspace_and_sign_out_the_panel(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "nurse1")
    workspace = window.workspace
    assert workspace is not None and window.stack.currentWidget() is workspace
    assert window.context is not None and window.context.actor_id == window.signed.staff_id
    assert window.user_label.text() == f"{window.signed.name} ({Role.NURSE.label})"
    assert window.center_label.text() == "示范区康宁街道社区卫生服务中心"
    assert window.sign_out_button.isVisibleTo(window)
    # a nurse sees the pages her role allows, and nothing she may not use
    assert workspace.keys() == [
        "dashboard",
        "residents",
        "institutions",
        "rounds",
        "visits",
        "triage",
        "overdue",
        "beds",
        "refills",
        "reports",
        "sync",
        "conflicts",
    ]
    assert workspace.navigation.count() == len(workspace.keys())

    qtbot.mouseClick(window.sign_out_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.sign_in_panel
    assert window.workspace is None and window.signed is None
    assert window.context.actor_id is None
    assert window.sign_in_panel.password_edit.text() == ""
    assert not window.sign_out_button.isVisibleTo(window)
    assert not window.sign_out_action.isEnabled()


def test_keyboard_switches_pages_and_ctrl_f_finds_a_resident(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window)
    workspace = window.workspace
    assert workspace is not None
    window.activateWindow()
    qtbot.waitUntil(lambda: workspace.residents is not None)
    qtbot.keyClick(workspace.navigation, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert workspace.current_page() is workspace.residents
    qtbot.keyClick(workspace.navigation, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert workspace.current_page() is workspace.dashboard
    qtbot.keyClick(workspace.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert workspace.current_page() is workspace.residents
    assert QApplication.focusWidget() is workspace.residents.search_edit
    qtbot.keyClick(
        workspace.residents.search_edit,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.signed is None and window.stack.currentWidget() is window.sign_in_panel


# --- preferences --------------------------------------------------------------------------------------


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen plugin, on restyling
def test_preferences_store_the_language_and_apply_the_theme(
    qtbot: QtBot, window: MainWindow, settings: Settings, qapp: QApplication
) -> None:
    from app.ui.shell.preferences import PreferencesDialog

    previous = qapp.property(THEME_PROPERTY)
    try:
        window.show_preferences()
        dialog = window.findChild(PreferencesDialog)
        assert dialog is not None
        dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
        dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
        dialog.accept()
        assert settings.get("language") == "en"
        assert settings.get("theme") == "dark"
        assert current_theme() == "dark"
        assert "starts again" in window.statusBar().currentMessage()
    finally:
        qapp.setStyleSheet("")
        qapp.setProperty(THEME_PROPERTY, previous)


# --- the real launch path -----------------------------------------------------------------------------


def _gui_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        CARE_STARTUP_PROBE="1",
        CARE_STARTUP_EXIT="1",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    return env


def _milestones(stdout: str) -> dict[str, float]:
    found = {}
    for line in stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("window-shown", "ready"):
            found[name] = float(value)
    return found


def test_python_m_app_shows_the_window_then_gets_ready(tmp_path: Path, demo_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(demo_db), "--lang", "en"],
        env=_gui_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    times = _milestones(result.stdout)
    assert set(times) == {"window-shown", "ready"}, result.stdout
    assert 0 < times["window-shown"] < times["ready"]


def test_the_page_walk_signs_in_and_draws_the_record_and_reports_charts(tmp_path: Path, demo_db: Path) -> None:
    """CARE_STARTUP_PAGES=1 (tools/smoke_bundle.sh): the bundle once lacked QtCharts, which only the Reports page
    imports, when shown; the walk shows it and a resident's record, as a signed-in person, and says so."""
    env = _gui_env(tmp_path)
    env.pop(EXIT_ENV)  # the walk quits by itself, after the pages
    env.update(CARE_STARTUP_PAGES="1", CARE_USER="admin", CARE_PASSWORD="demo1234")
    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(demo_db), "--lang", "en"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = [line for line in result.stdout.splitlines() if line.startswith("page ")]
    assert pages[0].startswith("page record points=") and int(pages[0].rpartition("=")[2]) > 0, result.stdout
    assert pages[1:] == ["page reports charts=3"], result.stdout
    assert "failed" not in result.stderr and "Traceback" not in result.stderr


def test_the_page_walk_fails_with_status_1_naming_a_page_that_cannot_be_built(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the bundle without libQt6Charts did: the Reports page's import fails; the walk says so and exits 1."""
    from app.ui.shell import page_probe

    exits: list[int] = []
    monkeypatch.setattr(page_probe.QApplication, "exit", exits.append)
    monkeypatch.setitem(sys.modules, "app.ui.reports.charts", None)  # its import raises ImportError
    walk = page_probe.PageWalk(window, "admin", "demo1234")
    walk.start()
    qtbot.waitUntil(lambda: exits == [1], timeout=WAIT_MS * 3)
    out, err = capsys.readouterr()
    assert out.startswith("page record points=")
    assert err.startswith("failed reports: Traceback") and "import of app.ui.reports.charts" in err
    assert "page reports" not in out


def test_the_page_walk_fails_at_once_when_the_sign_in_is_refused(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.ui.shell import page_probe

    exits: list[int] = []
    monkeypatch.setattr(page_probe.QApplication, "exit", exits.append)
    page_probe.PageWalk(window, "admin", "wrong password").start()
    qtbot.waitUntil(lambda: exits == [1], timeout=WAIT_MS)
    out, err = capsys.readouterr()
    assert err.startswith("failed sign-in: ") and "page " not in out
    assert window.workspace is None


def test_python_m_app_demo_creates_the_demo_center_and_prints_the_logins(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--demo"],
        env=_gui_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "ready" in _milestones(result.stdout)
    assert "doctor1" in result.stdout and "nurse1" in result.stdout and "demo1234" in result.stdout
    assert (tmp_path / "data" / "CareRounds" / "demo.sqlite").exists()


def test_translations_are_complete() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n.py"), "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- auto-lock ----------------------------------------------------------------------------------------


def test_lock_hides_the_data_and_the_same_person_gets_it_back(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "doctor1")
    workspace = window.workspace
    assert workspace is not None
    window.autolock.lockRequested.emit()
    assert window.stack.currentWidget() is window.sign_in_panel
    assert window.signed is None and window.context is not None and window.context.actor_id is None
    assert not window.backup_action.isEnabled()

    sign_in(qtbot, window, "doctor1")
    assert window.workspace is workspace and window.stack.currentWidget() is workspace
    assert window.context.actor_id == window.signed.staff_id


def test_after_a_lock_another_person_gets_a_fresh_workspace(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "doctor1")
    first = window.workspace
    window.lock()
    sign_in(qtbot, window, "nurse1")
    assert window.workspace is not None and window.workspace is not first
    assert window.signed.role is Role.NURSE
    assert "users" not in set(window.workspace.keys())
    qtbot.waitUntil(lambda: window.autolock.active, timeout=WAIT_MS)


def test_a_second_demo_start_names_the_demo_logins(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14 §10: with the demo center already there, the logins were printed with empty names."""
    import shutil

    from app.ui.shell.launch import print_demo_logins
    from app.ui.shell.startup import open_database

    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_db, path)
    opened = open_database(path, demo=True)
    try:
        assert not opened.demo_created
        assert [a.login for a in opened.demo_accounts] == ["admin", "doctor1", "nurse1", "assistant1"]
        assert all(account.name for account in opened.demo_accounts), opened.demo_accounts
        print_demo_logins(opened)
    finally:
        opened.context.close()
    lines = capsys.readouterr().out.splitlines()
    doctor = next(line for line in lines if line.strip().startswith("doctor1"))
    assert len(doctor.split()) == 3, doctor  # login, role, name


def test_the_sign_in_panel_says_the_window_was_locked_while_idle(qtbot: QtBot, window: MainWindow) -> None:
    """Issue 14 §10: after the auto-lock the panel gave no reason; it says so until the next sign-in."""
    sign_in(qtbot, window, "doctor1")
    qtbot.waitUntil(lambda: window.autolock.active, timeout=WAIT_MS)
    window.autolock.set_minutes(10)
    window.autolock.lockRequested.emit()
    panel = window.sign_in_panel
    assert panel.notice_text == "Locked after 10 min without use, to protect residents' data. Sign in again."
    assert panel.notice_label.isVisibleTo(window) and panel.error_text == ""
    sign_in(qtbot, window, "doctor1")
    window.sign_out()
    assert panel.notice_text == ""  # a sign-out is no lock


def test_the_gui_entry_point_imports_pydantic_before_qt(tmp_path: Path, demo_db: Path) -> None:
    # Regression: the installed app's database thread imported pydantic while shiboken's import check was
    # active; on some starts the check re-entered pydantic's half-made module and opening failed
    # ("cannot import name 'import_string' from partially initialized module"). pydantic is now complete
    # before PySide6 is imported; -X importtime lists each module when its import ends.
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "app", "--db", str(demo_db), "--lang", "en"],
        env=_gui_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    ended = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert ended.index("pydantic._internal._validators") < ended.index("PySide6")
    assert "ready" in _milestones(result.stdout)
