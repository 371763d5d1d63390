"""The main window: a stack that shows sign-in (or first-start set-up) until somebody signs in.

The window is built and shown before the database layers are even imported: its sign-in panel
takes typing at once, and :meth:`MainWindow.open_database` opens the file on the database thread
(see :mod:`app.ui.shell.startup`). After sign-in the stack shows the workspace (navigation and pages,
:mod:`app.ui.shell.workspace`, imported only then). Signing out — and later, auto-lock — puts the
sign-in panel back.

Keep module-level imports here free of app.services, app.bootstrap, SQLModel and qt_material —
and, as far as the first window goes, of :mod:`app.ui.shell.tasks` and the ``Qt`` namespace too (about
20 ms each to load): they are imported in the methods that run after the window is shown.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.settings import Settings
from app.ui.shell import window_dialogs
from app.ui.shell.signin import SignInPanel
from app.ui.shell.window_dialogs import current_theme
from app.ui.shell.window_geometry import restore_main_geometry, save_main_geometry
from app.ui.widgets.badges import THEME_PROPERTY

__all__ = ["MainWindow", "current_theme"]

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QShowEvent

    from app.bootstrap import AppContext
    from app.ui.shell.setup import SetupPage
    from app.ui.shell.startup import OpenedDatabase
    from app.ui.shell.workspace import Workspace

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The application window: sign-in or set-up first, then the workspace.

    Args:
        database_path: the database file to open.
        demo: fill the database with the demo center if it has none.
        settings: the user's settings (language, theme); read from the default file if omitted.

    Signals:
        database_opened(object): the :class:`~app.ui.shell.startup.OpenedDatabase`, on the GUI thread.
        database_ready: the database is open and sign-in (or set-up) can go ahead.
        database_failed(str): the database could not be opened; the message says why.
        signed_in(object): the :class:`~app.services.accounts.sign_in.SignedIn` now using the app.
        signed_out: the workspace was closed and the sign-in panel is back.
    """

    database_opened = Signal(object)
    database_ready = Signal()
    database_failed = Signal(str)
    signed_in = Signal(object)
    signed_out = Signal()
    serverChosen = Signal(str)  # File → "Open a database on a server…" chose one: its URL, no password (#20)

    def __init__(
        self,
        *,
        database_path: Path,
        demo: bool = False,
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database_path = Path(database_path)
        self.demo = demo
        self.settings = settings if settings is not None else Settings()
        self.context: AppContext | None = None
        self.center: Any = None
        self.signed: Any = None
        self.setup_page: SetupPage | None = None
        self.join_dialog: QWidget | None = None
        self.workspace: Workspace | None = None
        self.failure_box: QWidget | None = None  # the dialog saying why the database cannot be opened
        self._opening = False
        self._shown = False

        self.setObjectName("mainWindow")
        self.resize(1180, 760)
        # fits a 1280×720 laptop at 125 % (1024×576 in Qt's units) with a taskbar: 600 ran off the screen
        self.setMinimumSize(800, 520)
        restore_main_geometry(self, self.settings)  # where it was last closed (issue 14 §9)

        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # a database this user may not write: said at once, in sight on every page (issue 12 §6)
        self.read_only_banner = QLabel(central)
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setContentsMargins(12, 8, 12, 8)
        self.read_only_banner.setStyleSheet("QLabel#readOnlyBanner { background: #fff4ce; color: #5c4200; }")
        self.read_only_banner.hide()
        column.addWidget(self.read_only_banner)
        self.stack = QStackedWidget(central)
        self.sign_in_panel = SignInPanel(self.stack)
        self.stack.addWidget(self.sign_in_panel)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.sign_in_panel.signed_in.connect(self._signed_in)
        self.sign_in_panel.database_unlocked.connect(self._database_unlocked)
        from app.ui.shell.encryption_offer import EncryptionOffer

        # "Not encrypted — Encrypt…" for an administrator, the recovery key
        self.encryption = EncryptionOffer(self, lambda: self.context)

        from app.ui.shell.autolock import AutoLock

        self.autolock = AutoLock(self)
        self.autolock.lockRequested.connect(self.lock)
        self._locked_windows: list[QWidget] = []
        self._locked_staff_id: str | None = None

        self._build_menus()
        self._build_status_bar()
        self._update_title()
        self._update_account_widgets()

    # --- menus and status bar ------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.sign_out_action = QAction(self.tr("&Sign out"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        file_menu.addAction(self.sign_out_action)
        self.open_server_action = QAction(self.tr("Open a database on a ser&ver…"), self)  # #20
        self.open_server_action.setObjectName("openServerAction")
        self.open_server_action.triggered.connect(self.ask_for_server)
        file_menu.addAction(self.open_server_action)
        self.change_password_action = QAction(self.tr("Change my &password…"), self)
        self.change_password_action.triggered.connect(self.show_change_password)
        file_menu.addAction(self.change_password_action)
        self.backup_action = QAction(self.tr("&Backup and restore…"), self)
        self.backup_action.triggered.connect(self.show_backups)
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        self.preferences_action = QAction(self.tr("&Preferences…"), self)
        self.preferences_action.triggered.connect(self.show_preferences)
        settings_menu.addAction(self.preferences_action)
        self.triage_rules_action = QAction(self.tr("&Triage rules…"), self)
        self.triage_rules_action.triggered.connect(self.show_triage_rules)
        settings_menu.addAction(self.triage_rules_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.center_label = QLabel(bar)
        self.center_label.setObjectName("statusCenter")
        self.center_label.setContentsMargins(8, 0, 0, 0)
        self.user_label = QLabel(bar)
        self.user_label.setObjectName("statusUser")
        self.sign_out_button = QPushButton(self.tr("Sign out"), bar)
        self.sign_out_button.setObjectName("statusSignOut")
        self.sign_out_button.setFlat(True)
        self.sign_out_button.clicked.connect(self.sign_out)
        bar.addWidget(self.center_label, 1)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.sign_out_button)

    def _update_title(self) -> None:
        name = getattr(self.center, "name", "")
        app_name = self.tr("CareRounds")
        self.setWindowTitle(f"{app_name} — {name}" if name else app_name)
        self.center_label.setText(name)
        self.center_label.setToolTip(str(self.database_path))

    def _update_account_widgets(self) -> None:
        signed = self.signed
        if signed is None:
            self.user_label.clear()
        else:
            self.user_label.setText(self.tr("{name} ({role})").format(name=signed.name, role=signed.role.label))
        self.user_label.setVisible(signed is not None)
        self.sign_out_button.setVisible(signed is not None)
        from app.domain.permissions import Action, allowed

        role, context = getattr(signed, "role", None), self.context
        writable = context is None or not context.database.read_only  # read-only: nothing that writes
        # backing up and restoring replace or copy the whole health record: administrators only
        self.backup_action.setEnabled(writable and role is not None and allowed(role, Action.BACKUP_RESTORE))
        # everyone signed in may read the triage rules; the editor is read-only unless EDIT_TRIAGE_RULES
        self.triage_rules_action.setEnabled(signed is not None)
        self.change_password_action.setEnabled(writable and signed is not None)
        self.sign_out_action.setEnabled(signed is not None)
        plain = context is not None and not context.database.encrypted and not self.demo
        self.encryption.offer(signed, plain=plain and writable)

    def _show_read_only(self, read_only: bool) -> None:
        """Say plainly, above every page, that the database may only be looked at (issue 12 §6)."""
        self.read_only_banner.setText(
            self.tr(
                "Read-only: CareRounds may not write the database file {path} (no write permission on the "
                "file or its folder). You can look at everything, but no change can be saved. To make changes, "
                "ask the administrator for write permission, then open CareRounds again."
            ).format(path=self.database_path)
        )
        self.read_only_banner.setVisible(read_only)

    # --- opening the database ----------------------------------------------------------------------

    def open_database(self) -> None:
        """Open the database on the database thread; the sign-in panel waits for it."""
        from app.ui.shell.startup import open_database
        from app.ui.shell.tasks import Op

        if self._opening or self.context is not None:
            return
        self._opening = True
        creating_demo = self.demo and not self.database_path.exists()
        if creating_demo:
            label = self.tr("Creating the demo center (first use only)…")
        else:
            label = self.tr("Opening the database…")
        self.sign_in_panel.set_opening(label)
        op = Op(self, functools.partial(open_database, self.database_path, demo=self.demo))
        if creating_demo:
            op.with_progress(label)
        op.success(self._database_opened).failure(self._database_failed).run()

    def _database_opened(self, opened: OpenedDatabase) -> None:
        from app.ui.shell.startup import preload_workspace_services
        from app.ui.shell.tasks import Op

        self._opening = False
        self.context = opened.context
        self.center = opened.center
        self._update_title()
        self._show_read_only(opened.read_only)
        if opened.locked:  # an encrypted database: the password of whoever signs in opens it
            if opened.demo_accounts:
                logins = " / ".join(account.login for account in opened.demo_accounts[:4])
                self.sign_in_panel.set_demo_logins(
                    self.tr("Demo logins: {logins} …, password {password}").format(
                        logins=logins, password=opened.demo_password
                    )
                )
            self.database_opened.emit(opened)
            self.sign_in_panel.set_ready_encrypted(self.database_path)
            if not self.demo:
                self._remember_database()
            self.database_ready.emit()
            return
        if opened.demo_accounts:
            logins = " / ".join(account.login for account in opened.demo_accounts[:4])
            self.sign_in_panel.set_demo_logins(
                self.tr("Demo logins: {logins} …, password {password}").format(
                    logins=logins, password=opened.demo_password
                )
            )
        self.database_opened.emit(opened)
        assert opened.context is not None
        if opened.needs_setup:
            self._show_setup()
        else:
            self.sign_in_panel.set_ready(opened.context, getattr(opened.center, "name", ""))
        if not self.demo:
            self._remember_database()
        self.database_ready.emit()
        if not opened.needs_setup and not opened.read_only:  # the daily backup and its check would write
            self._start_of_day_checks()
        Op(self, preload_workspace_services).failure(lambda error: log.warning("preloading failed: %s", error)).run()

    @Slot(object)
    def _database_unlocked(self, opened: OpenedDatabase) -> None:
        """Signing in opened the encrypted database: it is this window's now; the start-of-day checks run."""
        from app.ui.shell.startup import preload_workspace_services
        from app.ui.shell.tasks import Op

        self.context = opened.context
        self.center = opened.center
        self._update_title()
        self.sign_in_panel.center_label.setText(getattr(opened.center, "name", ""))
        self._show_read_only(opened.read_only)
        if not opened.read_only:
            self._start_of_day_checks()
        Op(self, preload_workspace_services).failure(lambda error: log.warning("preloading failed: %s", error)).run()

    def _database_failed(self, error: BaseException) -> None:
        from app.domain.errors import DomainError

        self._opening = False
        message = str(error) or type(error).__name__
        if not isinstance(error, DomainError):  # a DomainError already says which database and why
            message = self.tr("The database {path} cannot be opened: {reason}").format(
                path=self.shown_database(), reason=message
            )
        log.error("cannot open %s", self.database_path, exc_info=error)
        self.sign_in_panel.set_failed(message)
        self.database_failed.emit(message)
        from app.services.admin.backups import DatabaseDamaged
        from app.services.failures import StoreError

        if isinstance(error, DatabaseDamaged):
            self._offer_restore(str(error))
        elif isinstance(error, StoreError):  # read-only, busy, I/O error: said in a dialog too, not only the panel
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(
                QMessageBox.Icon.Warning, QCoreApplication.translate("Op", "CareRounds"), str(error),
                QMessageBox.StandardButton.Ok, self,
            )  # fmt: skip
            box.finished.connect(box.deleteLater)
            self.failure_box = box
            box.open()

    def shown_database(self) -> str:
        """The database as shown to people: the file's path (a server's window: its URL, no password)."""
        return str(self.database_path)

    def _remember_database(self) -> None:
        try:
            if self.settings.get("last_database") != str(self.database_path):
                self.settings.set("last_database", str(self.database_path))
        except OSError as error:
            log.warning("cannot save the settings: %s", error)

    def _show_setup(self) -> None:
        from app.ui.shell.setup import SetupPage

        assert self.context is not None
        self.setup_page = SetupPage(self.context, self.stack)
        self.setup_page.center_created.connect(self._center_created)
        self.setup_page.join_requested.connect(self.join_center)
        self.stack.addWidget(self.setup_page)
        self.stack.setCurrentWidget(self.setup_page)
        self.setup_page.name_edit.setFocus()

    @Slot(object, str)
    def _center_created(self, center: object, admin_login: str) -> None:
        self.center = center
        self._update_title()
        page, self.setup_page = self.setup_page, None
        assert self.context is not None
        self.sign_in_panel.set_ready(self.context, getattr(center, "name", ""))
        self.sign_in_panel.reset(login=admin_login)
        self.stack.setCurrentWidget(self.sign_in_panel)
        self.sign_in_panel.password_edit.setFocus()
        encryption = getattr(page, "encryption", None)  # the set-up encrypted the new center: its recovery key
        if page is not None:
            self.stack.removeWidget(page)
            page.deleteLater()
        if encryption is not None:
            self.encryption.show_recovery_key(encryption)

    @Slot()
    def join_center(self) -> None:
        """Make this fresh install a copy of an existing center from a join package, then offer sign-in.

        The empty database is closed first (on the database thread, after any work queued there), because
        joining replaces the file; :class:`~app.ui.sync.page.JoinCenterDialog` then asks for the package
        and passphrase. Joined or not, the file is opened again: the sign-in page for the joined center,
        or the set-up page again if the dialog was cancelled.
        """
        from app.ui.shell.tasks import Op

        context, page = self.context, self.setup_page
        if context is None or page is None or self._opening:
            return
        page.set_joining(True)
        self.context = None
        Op(self, context.close).success(lambda _none: self._open_join_dialog()).failure(self._join_close_failed).run()

    def _open_join_dialog(self) -> None:
        from app.ui.sync.dialogs import JoinCenterDialog

        dialog = JoinCenterDialog(self.database_path, self)
        dialog.finished.connect(functools.partial(self._join_finished, dialog))
        self.join_dialog = dialog
        dialog.open()

    def _join_close_failed(self, error: BaseException) -> None:
        log.error("cannot close %s before joining", self.database_path, exc_info=error)
        self._reopen_after_join(None)

    def _join_finished(self, dialog: Any, _result: int) -> None:
        summary = dialog.summary
        self.join_dialog = None
        dialog.deleteLater()
        self._reopen_after_join(summary)

    def _reopen_after_join(self, summary: Any) -> None:
        page, self.setup_page = self.setup_page, None
        self.stack.setCurrentWidget(self.sign_in_panel)
        if page is not None:
            self.stack.removeWidget(page)
            page.deleteLater()
        if summary is not None:
            self.statusBar().showMessage(
                self.tr("This computer joined {center} as “{device}”. Sign in with your usual login.").format(
                    center=summary.center_name, device=summary.device_name
                )
            )
        self.open_database()

    # --- signing in and out -------------------------------------------------------------------------

    @Slot(object)
    def _signed_in(self, signed: Any) -> None:
        from app.ui.shell.autolock import close_hidden_windows
        from app.ui.shell.workspace import Workspace

        assert self.context is not None
        self.context.actor_id = signed.staff_id
        self._start_auto_lock()
        locked_workspace = self.workspace
        if locked_workspace is not None and self._locked_staff_id == signed.staff_id:
            # the same person unlocks: everything comes back as it was
            self.signed = signed
            self._locked_staff_id = None
            self.stack.setCurrentWidget(locked_workspace)
            for window in self._locked_windows:
                window.show()
            self._locked_windows = []
            self._update_account_widgets()
            self.signed_in.emit(signed)
            return
        if locked_workspace is not None:  # somebody else signs in: the locked session is closed
            close_hidden_windows(self._locked_windows)
            self._locked_windows = []
            self._locked_staff_id = None
            self.stack.removeWidget(locked_workspace)
            locked_workspace.deleteLater()
        self.signed = signed
        self.workspace = Workspace(self.context, signed=signed, center=self.center, parent=self.stack)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.workspace.show_page(0)
        self._update_account_widgets()
        self.signed_in.emit(signed)

    @Slot()
    def sign_out(self) -> None:
        """Close the workspace and show the sign-in panel for the next person."""
        self.autolock.stop()
        if self.signed is None and self.workspace is None:
            return
        from app.ui.shell.autolock import close_hidden_windows
        from app.ui.shell.status_notice import put_away_details

        put_away_details(self)  # a notice's details box open over the sign-in panel otherwise
        close_hidden_windows(self._locked_windows)
        self._locked_windows = []
        self._locked_staff_id = None
        if self.context is not None:
            self.context.actor_id = None
        self._drop_key()
        self.signed = None
        workspace, self.workspace = self.workspace, None
        self.stack.setCurrentWidget(self.sign_in_panel)
        self.sign_in_panel.reset()
        if workspace is not None:
            self.stack.removeWidget(workspace)
            workspace.deleteLater()
        self._update_account_widgets()
        self.signed_out.emit()

    def _drop_key(self) -> None:
        """Drop an encrypted database's key and close its connections (on the database thread, after the work
        queued there); the next sign-in takes it back with the password. Nothing to do for a plain database."""
        from app.ui.shell.tasks import Op

        context = self.context
        if context is not None and context.database.encrypted:
            Op(self, context.database.lock).failure(lambda error: log.error("cannot drop the key: %s", error)).run()

    # --- auto-lock ----------------------------------------------------------------------------------

    def _start_auto_lock(self) -> None:
        from app.services.accounts.users import auto_lock_minutes
        from app.ui.shell.tasks import Op

        context, default = self.context, self.settings.get("auto_lock_minutes")
        assert context is not None

        def started(minutes: int) -> None:
            if self.signed is not None or self.workspace is not None:
                self.autolock.set_minutes(minutes)
                self.autolock.start()

        Op(self, lambda: auto_lock_minutes(context.uow(), default=default)).success(started).run()

    @Slot()
    def lock(self) -> None:
        """Hide all data until somebody signs in again (the same person, or another)."""
        from app.ui.shell.autolock import hide_windows_for_lock

        if self.signed is None or self.workspace is None:
            return
        self.autolock.stop()
        self._locked_windows = hide_windows_for_lock(self)
        self._locked_staff_id = self.signed.staff_id
        self.signed = None
        if self.context is not None:
            self.context.actor_id = None
        self._drop_key()
        self.stack.setCurrentWidget(self.sign_in_panel)
        self.sign_in_panel.reset()
        self.sign_in_panel.show_locked(max(1, round(self.autolock.timeout / 60)))  # says why (issue 14 §10)
        self._update_account_widgets()

    # --- backups, integrity and the settings' dialogs (app.ui.shell.window_dialogs) ------------------

    def _start_of_day_checks(self) -> None:
        window_dialogs.start_of_day_checks(self)

    def _offer_restore(self, reason: str) -> None:
        window_dialogs.offer_restore(self, reason)

    @Slot()
    def show_backups(self) -> None:
        """Make a backup now, or restore one (after a confirmation and a backup of the current state)."""
        window_dialogs.show_backups(self)

    @Slot()
    def show_triage_rules(self) -> None:
        """Show the triage rules and visit intervals: editable by doctors and administrators, read-only otherwise."""
        window_dialogs.show_triage_rules(self)

    @Slot()
    @Slot()
    def ask_for_server(self) -> None:
        """Ask which server to open (the dialog); its choice is emitted as ``serverChosen``."""
        from app.ui.shell.server_dialog import ask_for_server

        ask_for_server(self)

    def show_change_password(self) -> None:
        """Let whoever is signed in change their own password (current one first, the new one twice)."""
        window_dialogs.show_change_password(self)

    # --- settings -----------------------------------------------------------------------------------

    @Slot()
    def show_preferences(self) -> None:
        """Ask for language and theme; apply the theme at once, the language at the next start."""
        window_dialogs.show_preferences(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            QTimer.singleShot(0, self._after_first_show)

    @Slot()
    def _after_first_show(self) -> None:
        # Setting a shortcut loads the Qt namespace (~20 ms), and the icon the SVG plugin: after the first show.
        from app.ui.widgets.icons import icon

        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.preferences_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        self.setWindowIcon(icon("carerounds"))

    def apply_theme(self, name: str) -> None:
        """Style the application with the ``light`` or ``dark`` theme and recolour the pages."""
        from app.ui.shell.theme import apply_theme

        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        try:
            if current_theme():
                # Re-theming: drop the old style sheet first, or restyling under it looks for the old
                # theme's icons after app.ui.shell.theme has cleared their search path (qt.svg warnings).
                app.setStyleSheet("")
            apply_theme(app, name)
        except Exception:  # a missing or broken theme must not stop the application
            log.exception("cannot apply the %s theme", name)
            return
        app.setProperty(THEME_PROPERTY, name)
        if self.workspace is not None:
            self.workspace.theme_changed()

    # --- closing ------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Let running work finish (cancel what can be), then close the database."""
        import sys

        from app.ui.shell import tasks

        visit_drafts = sys.modules.get("app.ui.visits.drafts")
        if visit_drafts is not None:  # write a draft still queued before leaving
            visit_drafts.drafts_pool().waitForDone(2000)
        save_main_geometry(self, self.settings)
        if not tasks.shutdown():
            log.warning("database work still running at exit")
        elif self.context is not None:
            self.context.close()
            self.context = None
        super().closeEvent(event)
