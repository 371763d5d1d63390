"""The main window's dialogs: backups and restore, the start-of-day checks, the triage rules, one's own
password, the preferences. Module functions on the window (kept out of :mod:`app.ui.shell.main_window`,
issue 13); their texts keep the main window's translation context."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QMainWindow, QStatusBar, QWidget

from app.ui.widgets.badges import THEME_PROPERTY

if TYPE_CHECKING:
    from app.bootstrap import AppContext
    from app.settings import Settings

log = logging.getLogger(__name__)


class MainWindow(Protocol):
    """What these dialogs use of :class:`app.ui.shell.main_window.MainWindow` (not imported: no cycle)."""

    database_path: Path
    settings: Settings
    context: AppContext | None
    signed: Any

    def open_database(self) -> None: ...

    def sign_out(self) -> None: ...

    def apply_theme(self, name: str) -> None: ...

    def statusBar(self) -> QStatusBar: ...


def _widget(window: MainWindow) -> QWidget:
    return cast(QWidget, window)


def current_theme() -> str:
    """Return the theme applied last ("light" or "dark"), or "" before any."""
    app = QCoreApplication.instance()
    value = app.property(THEME_PROPERTY) if app is not None else None
    return value if isinstance(value, str) else ""


def start_of_day_checks(window: MainWindow) -> None:
    """Run the integrity check and the daily backup if due, on a worker thread; say what went wrong."""
    from PySide6.QtCore import QThreadPool

    from app.ui.shell.startup import start_of_day_checks
    from app.ui.shell.tasks import Op

    path, folder = window.database_path, window.settings.get("backup_dir")

    def failed(error: BaseException) -> None:
        from app.services.admin.backups import DatabaseDamaged

        if isinstance(error, DatabaseDamaged):
            offer_restore(window, str(error))
        else:
            log.warning("the daily backup failed: %s", error)
            say_backup_failed(window, error)

    pool = QThreadPool.globalInstance()
    Op(_widget(window), lambda: start_of_day_checks(path, folder), pool=pool).failure(failed).run()


def say_backup_failed(window: MainWindow, error: BaseException) -> None:
    """A short notice in the status bar (it fits beside the account), the whole reason when it is clicked."""
    from app.ui.shell.status_notice import say_failure

    say_failure(
        cast(QMainWindow, window),
        "noticeDailyBackup",
        error,
        short=QCoreApplication.translate("MainWindow", "The daily backup failed — details…"),
        title=QCoreApplication.translate("MainWindow", "The daily backup failed"),
        sentence=QCoreApplication.translate("MainWindow", "The daily backup failed: {reason}"),
    )


def backup_folder(window: MainWindow) -> Path:
    from app.services.admin.backups import backup_folder as folder_for

    return folder_for(window.database_path, window.settings.get("backup_dir"))


def offer_restore(window: MainWindow, reason: str) -> None:
    """The database is damaged: offer to restore a backup (then open it again)."""
    from app.ui.admin.backup_dialog import BackupDialog

    folder = backup_folder(window)
    dialog = BackupDialog(window.database_path, folder, context=None, damaged=reason, parent=_widget(window))
    dialog.restored.connect(lambda _info: QTimer.singleShot(0, functools.partial(_reopen_after_restore, window)))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def _reopen_after_restore(window: MainWindow) -> None:
    if window.context is None:
        window.open_database()


def show_backups(window: MainWindow) -> None:
    """Make a backup now, or restore one (after a confirmation and a backup of the current state)."""
    from app.ui.admin.backup_dialog import BackupDialog

    dialog = BackupDialog(window.database_path, backup_folder(window), context=window.context, parent=_widget(window))
    dialog.restored.connect(lambda _info: window.sign_out())
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def show_triage_rules(window: MainWindow) -> None:
    """Show the triage rules and visit intervals: editable by doctors and administrators, read-only otherwise."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

    from app.ui.triage.rules import TriageRulesEditor

    if window.context is None or window.signed is None:
        return
    dialog = QDialog(_widget(window))
    dialog.setObjectName("triageRulesDialog")
    dialog.setWindowTitle(QCoreApplication.translate("MainWindow", "Triage rules"))
    dialog.resize(760, 620)
    layout = QVBoxLayout(dialog)
    layout.addWidget(TriageRulesEditor(window.context, dialog))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(QCoreApplication.translate("MainWindow", "Close"))
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def show_change_password(window: MainWindow) -> None:
    """Let whoever is signed in change their own password (current one first, the new one twice)."""
    from app.ui.admin.password_dialog import ChangePasswordDialog

    if window.context is None or window.signed is None:
        return
    dialog = ChangePasswordDialog(window.context, window.signed.login, _widget(window))
    changed = QCoreApplication.translate("MainWindow", "Your password was changed.")
    dialog.changed.connect(lambda: window.statusBar().showMessage(changed, 8000))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def show_preferences(window: MainWindow) -> None:
    """Ask for language and theme; apply the theme at once, the language at the next start."""
    from app.ui.shell.preferences import PreferencesDialog

    dialog = PreferencesDialog(window.settings, _widget(window))
    dialog.accepted.connect(functools.partial(_preferences_accepted, window, dialog))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def _preferences_accepted(window: MainWindow, dialog: Any) -> None:
    language, theme = dialog.language(), dialog.theme()
    try:
        if language != window.settings.get("language"):
            window.settings.set("language", language)
            window.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "The new language takes effect when CareRounds starts again.")
            )
        if theme != window.settings.get("theme"):
            window.settings.set("theme", theme)
    except OSError as error:
        from app.ui.shell.tasks import show_error

        show_error(_widget(window), error)
    if theme != current_theme():
        window.apply_theme(theme)
