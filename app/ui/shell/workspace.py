"""The workspace shown after sign-in: a navigation list and the working pages.

Imported only after somebody signs in, so the pages may import the services at module level.
Pages come from one registry (:data:`PAGES`); a page whose action the signed-in role may not do is not
shown at all (services refuse it anyway). Alt+1 … Alt+9 switch pages; Ctrl+F jumps to the resident
search. Pages are built the first time they are shown, so signing in stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, QThreadPool, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from app.domain.permissions import Action, allowed
from app.ui.widgets.icons import icon

if TYPE_CHECKING:
    from app.bootstrap import AppContext


def _dashboard(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.dashboard import DashboardPage

    return DashboardPage(context, parent)


def _residents(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.residents.page import ResidentsPage

    return ResidentsPage(context, parent)


def _institutions(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.institutions.page import InstitutionsPage

    return InstitutionsPage(context, parent)


def _rounds(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.rounds.page import RoundsPage

    return RoundsPage(context, parent)


def _visits(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.visits.page import VisitPage

    return VisitPage(context, parent, find_shortcut=False)  # the workspace's Ctrl+F asks the page


def _triage(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.triage.page import TriagePage

    return TriagePage(context, parent)


def _reports(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.reports.charts import ReportCharts
    from app.ui.reports.page import ReportsPage

    page = ReportsPage(context, parent)
    page.add_charts(ReportCharts(context, page))
    return page


def _overdue(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.rounds.overdue_page import OverduePage

    return OverduePage(context, parent)


def _beds(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.homecare.beds_page import BedsPage

    return BedsPage(context, parent)


def _refills(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.homecare.refills_page import RefillsPage

    return RefillsPage(context, parent)


def _sync(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.sync.page import SyncPage

    return SyncPage(context, parent)


def _conflicts(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.sync.conflicts_page import ConflictsPage

    return ConflictsPage(context, parent)


def _users(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.admin.users_page import UsersPage

    return UsersPage(context, parent)


def _audit(context: AppContext, parent: QWidget) -> QWidget:
    from app.ui.admin.audit_page import AuditPage

    return AuditPage(context, parent)


def _title(text: str) -> Callable[[], str]:
    """Return a function giving the translated title (translated when asked, in the current language)."""
    return lambda: QCoreApplication.translate("Workspace", text)


# lupdate cannot read through _title(): these literal calls put the titles in the catalogue
_TITLES = (
    QT_TRANSLATE_NOOP("Workspace", "Dashboard"),
    QT_TRANSLATE_NOOP("Workspace", "Residents"),
    QT_TRANSLATE_NOOP("Workspace", "Institutions"),
    QT_TRANSLATE_NOOP("Workspace", "Rounds"),
    QT_TRANSLATE_NOOP("Workspace", "Visits"),
    QT_TRANSLATE_NOOP("Workspace", "Triage review"),
    QT_TRANSLATE_NOOP("Workspace", "Overdue"),
    QT_TRANSLATE_NOOP("Workspace", "Family beds"),
    QT_TRANSLATE_NOOP("Workspace", "Proxy refills"),
    QT_TRANSLATE_NOOP("Workspace", "Reports"),
    QT_TRANSLATE_NOOP("Workspace", "Sync"),
    QT_TRANSLATE_NOOP("Workspace", "Conflicts"),
    QT_TRANSLATE_NOOP("Workspace", "Users"),
    QT_TRANSLATE_NOOP("Workspace", "Audit trail"),
)


@dataclass(frozen=True)
class PageSpec:
    """One entry of the navigation: key, translated title, icon, how to build it, who may see it."""

    key: str
    title: Callable[[], str]
    icon: str
    build: Callable[[AppContext, QWidget], QWidget]
    action: Action


_RELOAD = {"residents": "search", "users": "reload", "audit": "search", "visits": "load_rounds"}
"""The method that reloads a page's data, where it is not ``refresh`` (the visit page keeps its round and form)."""

PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", _title("Dashboard"), "dashboard", _dashboard, Action.VIEW_RECORDS),
    PageSpec("residents", _title("Residents"), "residents", _residents, Action.VIEW_RECORDS),
    PageSpec("institutions", _title("Institutions"), "institutions", _institutions, Action.VIEW_RECORDS),
    PageSpec("rounds", _title("Rounds"), "rounds", _rounds, Action.VIEW_RECORDS),
    PageSpec("visits", _title("Visits"), "visits", _visits, Action.RECORD_VISITS),
    PageSpec("triage", _title("Triage review"), "triage", _triage, Action.VIEW_TRIAGE),
    PageSpec("overdue", _title("Overdue"), "overdue", _overdue, Action.VIEW_RECORDS),
    PageSpec("beds", _title("Family beds"), "beds", _beds, Action.VIEW_RECORDS),
    PageSpec("refills", _title("Proxy refills"), "refills", _refills, Action.VIEW_RECORDS),
    PageSpec("reports", _title("Reports"), "reports", _reports, Action.VIEW_RECORDS),
    PageSpec("sync", _title("Sync"), "sync", _sync, Action.SYNC),
    PageSpec("conflicts", _title("Conflicts"), "conflicts", _conflicts, Action.SYNC),
    PageSpec("users", _title("Users"), "users", _users, Action.MANAGE_USERS),
    PageSpec("audit", _title("Audit trail"), "audit", _audit, Action.VIEW_AUDIT),
)


class Workspace(QWidget):
    """Navigation on the left, the chosen page on the right.

    Args:
        context: the open database, acting for the signed-in staff member.
        signed: who signed in (:class:`~app.services.accounts.sign_in.SignedIn`).
        center: the center (:class:`~app.services.admin.center.CenterInfo`).
        parent: the owning widget.
    """

    def __init__(self, context: AppContext, *, signed: Any, center: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.context = context
        self.signed = signed
        self.center = center
        self.specs = [spec for spec in PAGES if allowed(signed.role, spec.action)]
        self._built: dict[str, QWidget] = {}
        self._placeholders: dict[str, QWidget] = {}  # stand-ins for the pages not built yet
        self._stale: set[str] = set()  # built pages showing data from before an import or a conflict choice

        self.pages = QStackedWidget(self)
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for number, spec in enumerate(self.specs, start=1):
            item = QListWidgetItem(icon(spec.icon), spec.title())
            item.setToolTip(f"{spec.title()} (Alt+{number})" if number <= 9 else spec.title())
            item.setSizeHint(QSize(0, 40))
            self.navigation.addItem(item)
            holder = QWidget(self.pages)
            holder.setObjectName(f"placeholder-{spec.key}")
            self._placeholders[spec.key] = holder
            self.pages.addWidget(holder)
        width = max(self.navigation.fontMetrics().horizontalAdvance(spec.title()) for spec in self.specs)
        self.navigation.setFixedWidth(max(170, width + 22 + 64))
        self.navigation.currentRowChanged.connect(self._row_changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)

        keys = (
            Qt.Key.Key_1,
            Qt.Key.Key_2,
            Qt.Key.Key_3,
            Qt.Key.Key_4,
            Qt.Key.Key_5,
            Qt.Key.Key_6,
            Qt.Key.Key_7,
            Qt.Key.Key_8,
            Qt.Key.Key_9,
        )
        for index, key in enumerate(keys[: len(self.specs)]):
            shortcut = QShortcut(QKeySequence(Qt.Modifier.ALT | key), self)
            shortcut.activated.connect(lambda index=index: self.show_page(self.specs[index].key, focus=True))
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.find_resident)
        self.setTabOrder(self.navigation, self.pages)
        from app.ui.shell.server_watch import watch_other_workstations  # a server: other desks' changes (#20)

        watch_other_workstations(self)

    # --- pages -----------------------------------------------------------------------------------------

    def keys(self) -> list[str]:
        """Return the keys of the pages this role sees, in navigation order."""
        return [spec.key for spec in self.specs]

    def page(self, key: str) -> QWidget:
        """Return the page ``key``, building it on first use."""
        if key not in self._built:
            index = self.keys().index(key)
            placeholder = self._placeholders.pop(key)
            widget = self.specs[index].build(self.context, self.pages)
            self.pages.insertWidget(index, widget)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[key] = widget
            self._connect(key, widget)
        return self._built[key]

    def _connect(self, key: str, widget: QWidget) -> None:
        """Let pages open each other: a resident's record, a round's visits, the conflicts."""
        role = self.signed.role
        if key == "residents" and hasattr(widget, "set_allowed"):
            widget.set_allowed(
                edit=allowed(role, Action.EDIT_RESIDENTS), import_roster=allowed(role, Action.IMPORT_ROSTER)
            )
        if key == "users" and hasattr(widget, "autoLockChanged"):
            window = self.window()
            if hasattr(window, "autolock"):
                widget.autoLockChanged.connect(window.autolock.set_minutes)
        if hasattr(widget, "open_resident_requested"):
            widget.open_resident_requested.connect(self.open_resident)
        if key == "sync" and hasattr(widget, "conflicts_requested"):
            widget.conflicts_requested.connect(lambda: self.show_page("conflicts"))
        if key == "sync" and hasattr(widget, "data_changed"):
            widget.data_changed.connect(lambda: self.records_changed("sync"))
        if key == "conflicts" and hasattr(widget, "resolved"):
            widget.resolved.connect(lambda: self.records_changed("conflicts"))
        if hasattr(widget, "open_round_requested") and "visits" in self.keys():
            widget.open_round_requested.connect(self.open_round)

    @property
    def dashboard(self) -> QWidget:
        return self.page("dashboard")

    @property
    def residents(self) -> Any:
        return self.page("residents")

    def show_page(self, key: str | int, *, focus: bool = False) -> None:
        """Show page ``key`` (or its number in the navigation); optionally put the focus in it."""
        if isinstance(key, int):
            key = self.specs[key].key
        if key not in self.keys():
            return
        self.navigation.setCurrentRow(self.keys().index(key))
        if focus:
            widget = self.page(key)
            if key == "residents":
                self.residents.focus_search()
            else:
                widget.setFocus()

    @Slot(int)
    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self.specs[row].key
        widget = self.page(key)
        self.pages.setCurrentWidget(widget)
        self._reload_if_stale(key, widget)

    def records_changed(self, source: str) -> None:
        """Mark every built page but ``source`` as showing old data; each reloads when next shown."""
        self._stale |= set(self._built) - {source}
        current = self.current_page()
        for key, widget in self._built.items():
            if widget is current:
                self._reload_if_stale(key, widget)

    def _reload_if_stale(self, key: str, widget: QWidget) -> None:
        if key not in self._stale:
            return
        self._stale.discard(key)
        method = getattr(widget, _RELOAD.get(key, "refresh"), None)
        if callable(method):
            method()

    def current_page(self) -> QWidget | None:
        """Return the page on show (None only while there is no page at all)."""
        return self.pages.currentWidget()

    @Slot()
    def find_resident(self) -> None:
        """On the visit page find any resident for an unplanned visit; elsewhere search the resident list."""
        visits = self._built.get("visits")
        if visits is not None and visits is self.current_page() and hasattr(visits, "find_resident"):
            visits.find_resident()
            return
        self.show_page("residents")
        self.residents.focus_search()

    @Slot(str)
    def open_resident(self, resident_id: str) -> None:
        """Open a resident's record (a window of its own)."""
        from app.services.admin.audit import record_opened
        from app.ui.record.dialog import ResidentRecordDialog
        from app.ui.shell.tasks import Op

        context = self.context
        # a write: it may wait for another window's or command's write lock; off the database thread, so the
        # record's own load (a read, queued there) is not held up behind it. A read-only database cannot
        # hold it: the record is only shown (docs/security.md, "A read-only database")
        if not context.database.read_only:
            pool = QThreadPool.globalInstance()
            Op(self, lambda: record_opened(context.uow(), resident_id=resident_id), pool=pool).run()
        dialog = ResidentRecordDialog(context, resident_id, self)
        if "residents" in self._built:
            dialog.residentChanged.connect(lambda _id: self.residents.search())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot(str)
    def open_round(self, round_id: str) -> None:
        """Show the visit page on a round."""
        self.show_page("visits")
        page = self.page("visits")
        if hasattr(page, "open_round"):
            page.open_round(round_id, focus=True)  # the form, not the list, takes the typing

    def theme_changed(self) -> None:
        """Recolour what draws its own colours after the theme changed."""
        for widget in self._built.values():
            if hasattr(widget, "theme_changed"):
                widget.theme_changed()
