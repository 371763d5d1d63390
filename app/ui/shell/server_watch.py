"""Other workstations' changes on a center's PostgreSQL server (#20): a cheap poll, and the pages reloaded.

:class:`ChangeWatcher` asks the server for the change mark (the newest audit clock: one index seek) every few
seconds on the database thread; when another workstation changed something, the pages showing lists reload and
the others reload when next shown (:func:`watch_other_workstations`, called by the workspace). A server that stops
answering is said once in the window's status bar ("Server not reachable, retrying — …"), not at every poll, and
the notice goes when the server answers again (:mod:`app.ui.shell.status_notice`).
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMainWindow

from app.ui.shell.status_notice import StatusNotice, notice

if TYPE_CHECKING:
    from app.bootstrap import AppContext

log = logging.getLogger(__name__)

POLL_MS = 5_000
"""How often a workstation asks the server whether anybody changed something."""

RELOAD_WHILE_SHOWN = frozenset({"dashboard", "residents", "rounds", "overdue", "conflicts"})
"""Pages that reload at once when another desk changed something: lists, nothing typed into them. The others
(a visit being entered, an institution being edited, a report) reload when they are next shown."""


class ChangeWatcher(QObject):
    """Poll the change mark of a server database every ``interval_ms`` on the database thread (never the GUI thread).

    Signals:
        changed: the mark moved since the last poll (somebody, maybe this workstation, committed something).
        lost(object): a poll failed after one that answered (or the first one): the error. Once, not every poll.
        back: a poll answered again after :attr:`lost`.
    """

    changed = Signal()
    lost = Signal(object)
    back = Signal()

    def __init__(self, context: AppContext, parent: QObject, *, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.context = context
        self.mark: str | None = None
        self.reachable = True
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
        if not self.reachable:
            self.reachable = True
            log.warning("the server answers again")
            self.back.emit()
        previous, self.mark = self.mark, mark
        if previous is not None and mark != previous:
            self.changed.emit()

    def _failed(self, error: BaseException) -> None:
        self._asking = False  # the server away for a while: ask again at the next tick
        if self.reachable:
            self.reachable = False
            log.warning("the change mark could not be read: %s", error)
            self.lost.emit(error)
        else:
            log.debug("the change mark could not be read: %s", error)


def watch_other_workstations(workspace: Any) -> ChangeWatcher | None:
    """Reload the workspace's pages when another workstation changed something (a server database only)."""
    if not workspace.context.database.is_server:
        return None
    watcher = ChangeWatcher(workspace.context, workspace)
    watcher.changed.connect(functools.partial(refresh_for_others, workspace))
    workspace.change_watcher = watcher
    window = workspace.window()
    if isinstance(window, QMainWindow):  # a lost server said in its status bar, once, until it answers again
        shown = notice(window, "noticeServerLost")
        watcher.lost.connect(functools.partial(say_server_lost, shown, getattr(window, "server_place", "")))
        watcher.back.connect(shown.clear)
        watcher.destroyed.connect(shown.clear)  # signed out: nobody asks the server, nothing left to say
    return watcher


def say_server_lost(shown: StatusNotice, server: str, error: BaseException) -> None:
    """The notice of a server that does not answer the poll: short, its details when it is clicked."""
    lost = getattr(error, "key", "") == "store.server_lost"  # the connection refused or dropped: said plainly
    shown.say(
        QCoreApplication.translate(
            "ServerWatch", "Server not reachable, retrying — changes from other workstations are not shown"
        ),
        title=QCoreApplication.translate("ServerWatch", "Server not reachable"),
        details=QCoreApplication.translate(
            "ServerWatch",
            "The database server {server} does not answer (it has stopped, or the network is down). Changes made "
            "on other workstations are not shown here until it answers again; CareRounds asks every {seconds} "
            "seconds, and this message goes away by itself then. If it stays, ask the center's IT staff whether "
            "PostgreSQL is running.",
        ).format(server=server, seconds=POLL_MS // 1000),
        raw="" if lost else str(error),
        sticky=True,
    )


def refresh_for_others(workspace: Any) -> None:
    """Every page is stale; the list on show reloads now, a page being worked in keeps what it shows."""
    current = workspace.current_page()
    key = next((k for k, page in workspace._built.items() if page is current), "")
    workspace.records_changed("" if key in RELOAD_WHILE_SHOWN else key)
