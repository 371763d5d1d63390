"""The window on a center's PostgreSQL server (#20): the connection dialog, the window, and other desks' changes.

- :class:`ServerDialog` asks host, port, database and user. The password is not kept in the URL nor in the
  settings: it comes from ``~/.pgpass``, the OS keyring, or is typed here and kept in memory for this session
  (and in the keyring if the user asks) — :mod:`app.services.admin.server_connection`.
- :class:`ServerWindow` is the main window on a server database: the same sign-in, pages and menus; what is a
  file's (the start-of-day integrity check and daily file backup, the backup dialog, encrypting the file,
  remembering the file as the last one) does not apply (a server's backups: ``backup --db postgresql://…``).
- :class:`ChangeWatcher` asks the server for the change mark (the newest audit clock: one index seek) every few
  seconds on the database thread; when another workstation changed something, the pages showing lists reload and
  the others reload when next shown (:func:`watch_other_workstations`, called by the workspace).
"""

from __future__ import annotations

import argparse
import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from app.bootstrap import AppContext
    from app.services.admin.server_connection import ServerChoice
    from app.settings import Settings
    from app.ui.shell.startup import OpenedDatabase

log = logging.getLogger(__name__)

POLL_MS = 5_000
"""How often a workstation asks the server whether anybody changed something."""

OPENED: list[MainWindow] = []
"""Server windows opened from another window's File menu."""

RELOAD_WHILE_SHOWN = frozenset({"dashboard", "residents", "rounds", "overdue", "conflicts"})
"""Pages that reload at once when another desk changed something: lists, nothing typed into them. The others
(a visit being entered, an institution being edited, a report) reload when they are next shown."""


class ServerDialog(QDialog):
    """Ask where the center's server database is; the password only if ``~/.pgpass`` or the keyring has none."""

    def __init__(self, parent: QWidget | None = None, *, choice: ServerChoice | None = None) -> None:
        from app.services.admin.server_connection import keyring_available

        super().__init__(parent)
        self.setObjectName("serverDialog")
        self.setWindowTitle(self.tr("Open a database on a server"))
        self.host_edit = QLineEdit(self)
        self.host_edit.setPlaceholderText("db.center.lan")
        self.port_spin = QSpinBox(self)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(5432)
        self.database_edit = QLineEdit(self)
        self.database_edit.setText("carerounds")
        self.user_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("empty: from ~/.pgpass or the keyring"))
        self.save_check = QCheckBox(self.tr("Keep the password in this computer's keyring"), self)
        self.save_check.setEnabled(keyring_available())
        if not keyring_available():
            self.save_check.setToolTip(self.tr("No keyring here: put the password in ~/.pgpass instead"))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("serverError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        if choice is not None:
            self.host_edit.setText(choice.host)
            self.port_spin.setValue(choice.port)
            self.database_edit.setText(choice.database)
            self.user_edit.setText(choice.user)

        form = QFormLayout()
        form.addRow(self.tr("Server"), self.host_edit)
        form.addRow(self.tr("Port"), self.port_spin)
        form.addRow(self.tr("Database"), self.database_edit)
        form.addRow(self.tr("User"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow("", self.save_check)
        note = QLabel(
            self.tr(
                "The password is never written into the settings. Ask the center's IT staff for a line in "
                "~/.pgpass, or type it here for this session."
            ),
            self,
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.choice: ServerChoice | None = None

    @Slot()
    def submit(self) -> None:
        """Check the fields; keep a typed password in memory (and the keyring if asked); accept."""
        from app.domain.errors import ValidationError
        from app.services.admin.server_connection import choose_server, use_password

        try:
            choice = choose_server(
                host=self.host_edit.text(),
                port=self.port_spin.value(),
                database=self.database_edit.text(),
                user=self.user_edit.text(),
            )
        except ValidationError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return
        if self.password_edit.text():
            use_password(choice, self.password_edit.text(), save=self.save_check.isChecked())
            self.password_edit.clear()
        self.choice = choice
        self.accept()


def open_server(url: str) -> OpenedDatabase:
    """Open the center on the server at ``url`` (the database thread): the same checks as opening a file."""
    from app.bootstrap import open_context
    from app.services.accounts import sign_in  # noqa: F401  (preloaded for the first sign-in)
    from app.services.admin.center import center_info, needs_setup
    from app.ui.shell.startup import OpenedDatabase

    context = open_context(url)
    try:
        setup = needs_setup(context.uow())
        return OpenedDatabase(context=context, needs_setup=setup, center=None if setup else center_info(context.uow()))
    except BaseException:
        context.close()
        raise


class ServerWindow(MainWindow):
    """The main window on a center's server database (``url``: no password in it)."""

    def __init__(self, *, url: str, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        from app.services.admin.server_connection import shown_url

        shown = shown_url(url)
        super().__init__(database_path=Path(shown), settings=settings, parent=parent)
        self.server_url = url
        self.server_shown = shown
        offer = getattr(self, "encryption", None)  # the offer to encrypt a plain file: a server is no file
        if offer is not None:
            offer.offer = lambda *args, **kwargs: None

    def open_database(self) -> None:
        from app.ui.shell.tasks import Op

        if self._opening or self.context is not None:
            return
        self._opening = True
        self.sign_in_panel.set_opening(self.tr("Connecting to the server…"))
        Op(self, functools.partial(open_server, self.server_url)).success(self._database_opened).failure(
            self._database_failed
        ).run()

    def _remember_database(self) -> None:
        """The server in its own setting, without a password (the last database setting names a file)."""
        from app.services.admin.server_connection import url_to_remember

        try:
            self.settings.set("last_server", url_to_remember(self.server_url))
        except OSError as error:
            log.warning("cannot save the settings: %s", error)

    def _start_of_day_checks(self) -> None:
        """Nothing: a server has no file to check, and its backups are ``backup --db postgresql://…``'s."""

    def _offer_encryption(self, signed: Any) -> None:
        """Nothing: a server's storage is encrypted by the server (docs/postgresql.md)."""

    def _update_account_widgets(self) -> None:
        super()._update_account_widgets()
        self.backup_action.setEnabled(False)  # the file backup dialog: a server's are pg_dump's
        self.backup_action.setToolTip(self.tr("A server database is backed up with: backup --db postgresql://…"))

    def _update_title(self) -> None:
        super()._update_title()
        self.center_label.setToolTip(getattr(self, "server_shown", ""))


class ChangeWatcher(QObject):
    """Poll the change mark of a server database every ``interval_ms`` on the database thread (never the GUI thread).

    Signals:
        changed: the mark moved since the last poll (somebody, maybe this workstation, committed something).
    """

    changed = Signal()

    def __init__(self, context: AppContext, parent: QObject, *, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.context = context
        self.mark: str | None = None
        self._asking = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.poll()

    @Slot()
    def poll(self) -> None:
        """Ask for the mark unless the last question is still out (a slow network never piles up polls)."""
        from app.services.dashboard import change_mark
        from app.ui.shell.tasks import Op

        if self._asking:
            return
        self._asking = True
        # on the database thread like every other database call: the window's closing waits for it, and a poll
        # waits behind a long operation instead of beside it (``_asking``: never two polls out)
        op = Op(self, lambda: change_mark(self.context.uow()))
        op.success(self._answered).failure(self._failed).run()

    def _answered(self, mark: str) -> None:
        self._asking = False
        previous, self.mark = self.mark, mark
        if previous is not None and mark != previous:
            self.changed.emit()

    def _failed(self, error: BaseException) -> None:
        self._asking = False
        log.info("the change mark could not be read: %s", error)  # the server away for a moment: ask again


def watch_other_workstations(workspace: Any) -> ChangeWatcher | None:
    """Reload the workspace's pages when another workstation changed something (a server database only)."""
    if not workspace.context.database.is_server:
        return None
    watcher = ChangeWatcher(workspace.context, workspace)
    watcher.changed.connect(functools.partial(refresh_for_others, workspace))
    workspace.change_watcher = watcher
    return watcher


def refresh_for_others(workspace: Any) -> None:
    """Every page is stale; the list on show reloads now, a page being worked in keeps what it shows."""
    current = workspace.current_page()
    key = next((k for k, page in workspace._built.items() if page is current), "")
    workspace.records_changed("" if key in RELOAD_WHILE_SHOWN else key)


def add_server_action(window: MainWindow, menu: Any) -> None:
    """File → "Open a database on a server…": the dialog, then a window on that server in place of this one."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QAction

    action = QAction(QCoreApplication.translate("MainWindow", "Open a database on a ser&ver…"), window)
    action.setObjectName("openServerAction")
    action.triggered.connect(functools.partial(ask_for_server, window))
    menu.addAction(action)


def ask_for_server(window: MainWindow) -> ServerDialog:
    """Show the server dialog (not modal for the application); once accepted, open the server's window."""
    from app.services.admin.server_connection import choice_from_url

    dialog = ServerDialog(window, choice=choice_from_url(window.settings.get("last_server")))
    dialog.accepted.connect(functools.partial(_switch_to_server, window, dialog))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def _switch_to_server(window: MainWindow, dialog: ServerDialog) -> None:
    assert dialog.choice is not None
    other = ServerWindow(url=dialog.choice.url, settings=window.settings)
    other.show()
    other.open_database()
    OPENED.append(other)  # a top-level window of its own: kept alive here, not by the one it replaces
    window.close()


def server_window(options: argparse.Namespace, settings: Settings) -> MainWindow | None:
    """The window for ``--db postgresql://…`` (launch.py); None for a file."""
    target = getattr(options, "db", None)
    if target is None or not str(target).startswith(("postgresql:", "postgres:")):
        return None
    return ServerWindow(url=_url_of(target), settings=settings)


def _url_of(target: object) -> str:
    """The URL of ``--db`` (argparse's Path collapsed ``//``: put it back)."""
    text = str(target)
    scheme, _, rest = text.partition(":")
    return f"{scheme}://{rest.lstrip('/')}"
