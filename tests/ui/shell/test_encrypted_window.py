"""The window on an encrypted database (issue 15): the password opens it, a lock or sign-out drops the key,
a plain database is offered encryption (administrator), the demo is encrypted."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.domain import i18n
from app.services.accounts import sign_in as accounts
from app.services.demo import DEMO_PASSWORD, create_demo_center
from app.settings import Settings
from app.ui.shell.i18n import install_translators
from app.ui.shell.main_window import MainWindow

WAIT_MS = 15_000
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", CHEAP)


RECOVERY_KEYS: dict[Path, str] = {}


def make_center(folder: Path, *, encrypted: bool) -> Path:
    real, accounts._hasher = accounts._hasher, CHEAP
    path = folder / "center.sqlite"
    context = open_context(path, encrypt_new=encrypted)
    if context.report.recovery_key:
        RECOVERY_KEYS[path] = context.report.recovery_key
    try:
        create_demo_center(context.database, residents=20, seed=2, today=date(2026, 11, 16))
    finally:
        context.close()
        accounts._hasher = real
    return path


@pytest.fixture(scope="module")
def encrypted_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_center(tmp_path_factory.mktemp("encrypted"), encrypted=True)


@pytest.fixture(scope="module")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_center(tmp_path_factory.mktemp("plain"), encrypted=False)


def copy_of(template: Path, folder: Path) -> Path:
    path = folder / "center.sqlite"
    shutil.copyfile(template, path)
    keys = template.with_name(template.name + ".keys")
    if keys.exists():
        shutil.copyfile(keys, path.with_name(path.name + ".keys"))
    return path


def open_window(qtbot: QtBot, qapp: QApplication, path: Path, tmp_path: Path) -> MainWindow:
    install_translators(qapp, "en")
    i18n.set_language("en")
    settings = Settings(tmp_path / "settings.json")
    settings.set("backup_dir", str(tmp_path / "backups"))
    window = MainWindow(database_path=path, settings=settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
    return window


def type_and_submit(qtbot: QtBot, window: MainWindow, login: str, password: str) -> None:
    panel = window.sign_in_panel
    panel.login_edit.setText(login)
    panel.password_edit.setText(password)
    qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)


def test_the_password_opens_the_encrypted_database_and_a_wrong_one_opens_nothing(
    qtbot: QtBot, qapp: QApplication, encrypted_template: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, qapp, copy_of(encrypted_template, tmp_path), tmp_path)
    panel = window.sign_in_panel
    assert window.context is None and panel.sign_in_button.isEnabled()  # nothing open before a password
    type_and_submit(qtbot, window, "doctor1", "not the password")
    qtbot.waitUntil(lambda: panel.error_text != "", timeout=WAIT_MS)
    assert panel.error_text == "Wrong login or password." and window.context is None
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        type_and_submit(qtbot, window, "doctor1", DEMO_PASSWORD)
    assert window.context is not None and window.context.database.encrypted and window.workspace is not None
    assert window.center is not None and panel.center_label.text() == window.center.name
    window.close()


def test_five_wrong_passwords_lock_the_login_at_the_sign_in_page_as_on_a_plain_database(
    qtbot: QtBot, qapp: QApplication, encrypted_template: Path, tmp_path: Path
) -> None:
    """They were never counted: the password is tried on the key file before the database opens (issue 15)."""
    window = open_window(qtbot, qapp, copy_of(encrypted_template, tmp_path), tmp_path)
    panel = window.sign_in_panel
    for n in range(accounts.MAX_FAILED_ATTEMPTS):
        panel.show_error("")  # each answer is waited for afresh
        type_and_submit(qtbot, window, "doctor1", f"wrong password {n}")
        qtbot.waitUntil(lambda: panel.error_text != "", timeout=WAIT_MS)
        expected = "Wrong login or password." if n < accounts.MAX_FAILED_ATTEMPTS - 1 else "locked"
        assert expected in panel.error_text, (n, panel.error_text)
    panel.show_error("")
    type_and_submit(qtbot, window, "doctor1", DEMO_PASSWORD)  # the right one: refused for five minutes
    qtbot.waitUntil(lambda: panel.error_text != "", timeout=WAIT_MS)
    assert "try again in 5 min" in panel.error_text and window.context is None and window.workspace is None
    window.close()


def test_a_lock_and_a_sign_out_drop_the_key_and_the_next_password_takes_it_back(
    qtbot: QtBot, qapp: QApplication, encrypted_template: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, qapp, copy_of(encrypted_template, tmp_path), tmp_path)
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        type_and_submit(qtbot, window, "nurse1", DEMO_PASSWORD)
    context, workspace = window.context, window.workspace
    assert context is not None
    window.lock()
    qtbot.waitUntil(lambda: context.database.locked, timeout=WAIT_MS)
    assert context.database.engine.pool.checkedin() == 0
    type_and_submit(qtbot, window, "nurse1", "wrong password")
    qtbot.waitUntil(lambda: window.sign_in_panel.error_text != "", timeout=WAIT_MS)
    assert context.database.locked
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        type_and_submit(qtbot, window, "nurse1", DEMO_PASSWORD)
    assert not context.database.locked and window.workspace is workspace  # the same session comes back
    window.sign_out()
    qtbot.waitUntil(lambda: context.database.locked, timeout=WAIT_MS)
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        type_and_submit(qtbot, window, "admin", DEMO_PASSWORD)
    assert not context.database.locked
    button = window.findChild(QPushButton, "encryptButton")
    assert button is None or not button.isVisible()  # encrypted already: nothing offered
    window.close()


def test_an_administrator_is_offered_to_encrypt_a_plain_database_and_gets_the_recovery_key(
    qtbot: QtBot, qapp: QApplication, plain_template: Path, tmp_path: Path
) -> None:
    path = copy_of(plain_template, tmp_path)
    window = open_window(qtbot, qapp, path, tmp_path)
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        type_and_submit(qtbot, window, "nurse1", DEMO_PASSWORD)
    button = window.findChild(QPushButton, "encryptButton")
    assert button is None or not button.isVisible()  # only an administrator is offered it
    window.sign_out()
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        type_and_submit(qtbot, window, "admin", DEMO_PASSWORD)
    button = window.findChild(QPushButton, "encryptButton")
    assert button is not None and button.isVisible() and "Not encrypted" in button.text()
    button.click()
    offer = window.findChild(QMessageBox, "encryptOffer")
    assert offer is not None and "not encrypted" in offer.text()
    offer.done(QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "recoveryKeyBox") is not None, timeout=WAIT_MS)
    box = window.findChild(QMessageBox, "recoveryKeyBox")
    assert re.search(r"([0-9A-Z]{5}-){7}[0-9A-Z]{5}", box.text())
    assert window.context is not None and window.context.database.encrypted and not button.isVisible()
    box.accept()
    assert not path.read_bytes().startswith(b"SQLite format 3")
    assert path.with_name(path.name + ".keys").is_file()
    window.close()


def test_the_demo_mode_makes_an_encrypted_demo_its_password_opens(qtbot: QtBot, tmp_path: Path) -> None:
    from app.ui.shell.startup import open_database

    path = tmp_path / "demo.sqlite"
    opened = open_database(path, demo=True)
    assert opened.demo_created and opened.context is not None and opened.context.database.encrypted
    opened.context.database.lock()  # as when the window is closed and started again
    opened.context.close()
    again = open_database(path, demo=True)  # the next start: locked until the demo password is typed
    assert again.locked and again.context is None and again.demo_password == DEMO_PASSWORD
    assert [a.login for a in again.demo_accounts][:1] == ["admin"]


def test_every_administrator_password_lost_the_recovery_key_resets_one(
    qtbot: QtBot, qapp: QApplication, encrypted_template: Path, tmp_path: Path
) -> None:
    from app.ui.shell.recovery_dialog import RecoveryKeyDialog

    window = open_window(qtbot, qapp, copy_of(encrypted_template, tmp_path), tmp_path)
    panel = window.sign_in_panel
    assert panel.recovery_button.isVisibleTo(window)
    panel.recovery_button.click()
    dialog = panel.findChild(RecoveryKeyDialog)
    assert dialog is not None and dialog.isVisible()
    key = RECOVERY_KEYS[encrypted_template]
    typo = key[:7] + ("Z" if key[7] != "Z" else "Y") + key[8:]
    for typed, login, words in (
        (typo, "admin", "Group 2"),
        (key, "nurse1", "not an active administrator"),
        ("0000", "admin", "8 groups"),
    ):
        dialog.key_edit.setText(typed)
        dialog.login_edit.setText(login)
        dialog.new_edit.setText("brand new pass 1")
        dialog.repeat_edit.setText("brand new pass 1")
        dialog.error_label.hide()
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.error_text != "", timeout=WAIT_MS)
        assert words in dialog.error_text and dialog.isVisible()
    dialog.key_edit.setText(key.lower())
    dialog.login_edit.setText("admin")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.submit()
    assert "was reset" in panel.notice_text and panel.login_edit.text() == "admin"
    type_and_submit(qtbot, window, "admin", DEMO_PASSWORD)  # the old password opens nothing now
    qtbot.waitUntil(lambda: panel.error_text != "", timeout=WAIT_MS)
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS) as signed:
        type_and_submit(qtbot, window, "admin", "brand new pass 1")
    assert signed.args[0].must_change_password is False
    window.close()


def doctor_hash_before_a_restart(path: Path, before: Callable[[AppContext], None] | None = None) -> str:
    """Open ``path`` with doctor1's password, do ``before`` and read doctor1's stored password hash; then forget
    the key and the unwrap's hash, as at the window's next start."""
    from sqlmodel import select

    from app.store import cipher, key_wraps
    from app.store.cipher import Credentials
    from app.store.models import Staff

    context = open_context(path, create=False, credentials=Credentials("doctor1", DEMO_PASSWORD))
    try:
        if before is not None:
            before(context)
        with context.uow() as uow:
            stored = uow.session.exec(select(Staff.password_hash).where(Staff.login == "doctor1")).one()
    finally:
        context.close()
    cipher.forget(path)
    key_wraps.forget_unwrap()
    return stored


def test_a_sign_in_refused_when_the_password_first_opens_the_database_leaves_no_key_in_memory(
    encrypted_template: Path, tmp_path: Path
) -> None:
    """The password opens the file, then the account is refused (locked by wrong passwords counted in the
    database): the key, and the argon2 hash the unwrap remembered for the check that never came (it would unwrap
    the key again), are dropped as after a refused unlock. Both stayed in memory until the next sign-in or the
    end of the process: the database was only closed (review of 8e75d8e)."""

    from app.store import cipher, key_wraps
    from app.ui.shell.startup import sign_in_unlocking

    path = copy_of(encrypted_template, tmp_path)

    def lock_out(context: AppContext) -> None:
        for _ in range(accounts.MAX_FAILED_ATTEMPTS):
            with pytest.raises(accounts.SignInFailed):
                accounts.sign_in(context.uow(), login="doctor1", password="not the password")

    stored = doctor_hash_before_a_restart(path, lock_out)

    with pytest.raises(accounts.SignInFailed) as refused:
        sign_in_unlocking(None, path, "doctor1", DEMO_PASSWORD)
    assert refused.value.key == "signin.locked"
    assert key_wraps.verified_by_unwrap(stored, DEMO_PASSWORD) is None  # was True
    assert cipher.known_key(path) == (False, None)  # was (True, the key)


def test_a_window_opening_that_fails_after_the_password_opened_the_database_leaves_no_key_in_memory(
    encrypted_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The password opens the file, then reading the center's details fails: the key (and the argon2 hash the
    unwrap remembered for a check that never came) are dropped, as when the sign-in is refused. The database was
    only closed there, and both stayed in memory (found by the review of 8e75d8e)."""

    from app.domain.errors import DomainError
    from app.services.admin import center
    from app.store import cipher, key_wraps
    from app.ui.shell.startup import sign_in_unlocking

    path = copy_of(encrypted_template, tmp_path)
    stored = doctor_hash_before_a_restart(path)

    def unreadable(_uow: object) -> object:
        raise DomainError("center.not_set_up")

    monkeypatch.setattr(center, "center_info", unreadable)
    with pytest.raises(DomainError):
        sign_in_unlocking(None, path, "doctor1", DEMO_PASSWORD)
    assert key_wraps.verified_by_unwrap(stored, DEMO_PASSWORD) is None  # was True
    assert cipher.known_key(path) == (False, None)  # was (True, the key)
