"""The main window on a center's PostgreSQL server (#20).

:class:`ServerWindow` is the main window on a server database: the same sign-in, pages and menus; what is a
file's (the start-of-day integrity check, the backup dialog, encrypting the file, remembering the file as the last
one) does not apply. The daily backup is a ``pg_dump`` archive instead of a file's copy: after the first sign-in of
the window, on a worker thread, when no ``daily`` archive of today is in the backup folder yet
(:func:`app.services.admin.server_backups.daily_server_backup_if_due`); a failure (no ``pg_dump`` here, the server
refused) is logged and said by a short notice in the status bar, the whole reason when it is clicked
(:mod:`app.ui.shell.status_notice`). Other archives: ``backup --db postgresql://…``. The status bar names the
server and its database (``Server host/dbname``, no password); a lost server is said there too
(:mod:`app.ui.shell.server_watch`).
:func:`server_window` makes it for ``--db postgresql://…``; :func:`follow_server_choice` replaces a window by a
window on the server chosen in its File menu (:mod:`app.ui.shell.server_dialog`).
"""

from __future__ import annotations

import argparse
import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import QLabel, QWidget

from app.ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from app.settings import Settings
    from app.ui.shell.startup import OpenedDatabase

log = logging.getLogger(__name__)

OPENED: list[MainWindow] = []
"""Server windows opened from another window's File menu."""


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
        self._daily_armed = False  # the daily archive waits for the first sign-in
        # which server and database, in sight on every screen (a tooltip alone went unseen); never a password
        self.server_place = server_place(url)
        self.server_label = QLabel(self.tr("Server {place}").format(place=self.server_place), self.statusBar())
        self.server_label.setObjectName("statusServer")
        self.server_label.setToolTip(shown)
        self.server_label.setContentsMargins(0, 0, 8, 0)
        self.statusBar().insertPermanentWidget(1, self.server_label)  # left of the account (0: the center's name)
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

    def shown_database(self) -> str:
        return self.server_shown  # not ``database_path``: Path("postgresql://…") collapses the "//"

    def _remember_database(self) -> None:
        """The server in its own setting, without a password (the last database setting names a file)."""
        from app.services.admin.server_connection import url_to_remember

        try:
            self.settings.set("last_server", url_to_remember(self.server_url))
        except OSError as error:
            log.warning("cannot save the settings: %s", error)

    def _start_of_day_checks(self) -> None:
        """Today's daily archive, if due, once somebody has signed in (called when the server is open).

        No integrity check: a server has no file. The archive waits for a sign-in so that merely starting the app
        at a desk does not dump the center; it runs once per window, on the global pool (not the database thread,
        which the pages need meanwhile), as a file's daily backup does.
        """
        if self.signed is None:
            if not self._daily_armed:
                self._daily_armed = True
                self.signed_in.connect(self._daily_after_sign_in)
            return
        daily_backup(self)

    @Slot(object)
    def _daily_after_sign_in(self, _signed: object) -> None:
        self.signed_in.disconnect(self._daily_after_sign_in)
        daily_backup(self)

    def _offer_encryption(self, signed: Any) -> None:
        """Nothing: a server's storage is encrypted by the server (docs/postgresql.md)."""

    def _update_account_widgets(self) -> None:
        super()._update_account_widgets()
        self.backup_action.setEnabled(False)  # the file backup dialog: a server's are pg_dump's
        self.backup_action.setToolTip(self.tr("A server database is backed up with: backup --db postgresql://…"))

    def _update_title(self) -> None:
        super()._update_title()
        self.center_label.setToolTip(getattr(self, "server_shown", ""))


def server_place(url: str) -> str:
    """``host/database`` of ``url`` (``host:port/database`` on another port than 5432): no user, no password."""
    from app.services.admin.server_connection import choice_from_url

    choice = choice_from_url(url)
    if choice is None:
        return ""
    host = choice.host or "localhost"  # no host: libpq's local socket, this machine
    if ":" in host:  # an IPv6 address: in brackets, or its port would read as part of it
        host = f"[{host}]"
    if choice.port != 5432:
        host = f"{host}:{choice.port}"
    return f"{host}/{choice.database}"


def daily_backup(window: ServerWindow) -> None:
    """Make today's daily archive of the window's server if due, on a worker thread; a failure in the status bar."""
    from PySide6.QtCore import QThreadPool

    from app.ui.shell.tasks import Op

    url, configured = window.server_url, window.settings.get("backup_dir")

    def failed(error: BaseException) -> None:
        from app.ui.shell.status_notice import say_failure

        log.warning("the daily backup of the server failed: %s", error)
        say_failure(
            window,
            "noticeDailyBackup",
            error,
            short=QCoreApplication.translate("ServerWindow", "The daily backup of the server failed — details…"),
            title=QCoreApplication.translate("ServerWindow", "The daily backup of the server failed"),
            sentence=QCoreApplication.translate("ServerWindow", "The daily backup of the server failed: {reason}"),
        )

    def made(backup: Any) -> None:
        if backup is not None:
            log.info("the daily backup of the server: %s", backup.info.path)

    pool = QThreadPool.globalInstance()
    Op(window, functools.partial(make_daily_backup, url, configured), pool=pool).success(made).failure(failed).run()


def make_daily_backup(url: str, configured: str | None) -> object:
    """The worker's part: the backup folder (the ``backup_dir`` setting, else this computer's user data) and the
    archive if due (None if not)."""
    from app.services.admin.server_backups import daily_server_backup_if_due, server_backup_folder
    from app.settings import default_database_path

    return daily_server_backup_if_due(url, server_backup_folder(url, default_database_path().parent, configured))


def follow_server_choice(window: MainWindow) -> None:
    """When ``window``'s File menu chose a server, open a window on it in ``window``'s place."""
    window.serverChosen.connect(functools.partial(switch_to_server, window))


def switch_to_server(window: MainWindow, url: str) -> ServerWindow:
    """Open a window on the server at ``url`` (no password in it), then close ``window``."""
    other = ServerWindow(url=url, settings=window.settings)
    follow_server_choice(other)
    other.show()
    other.open_database()
    OPENED.append(other)  # a top-level window of its own: kept alive here, not by the one it replaces
    window.close()
    return other


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
