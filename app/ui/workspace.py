"""The workspace shown after sign-in: a navigation list and the working pages.

Imported only after somebody signs in, so the pages may import the services at module level.
Alt+1 / Alt+2 switch pages; Ctrl+F jumps to the resident search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from app.ui.dashboard import DashboardPage
from app.ui.icons import icon
from app.ui.residents import ResidentsPage

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class Workspace(QWidget):
    """Navigation on the left, the chosen page on the right.

    Args:
        context: the open database, acting for the signed-in staff member.
        signed: who signed in (:class:`~app.services.accounts.SignedIn`).
        center: the center (:class:`~app.services.center.CenterInfo`).
        parent: the owning widget.
    """

    DASHBOARD = 0
    RESIDENTS = 1

    def __init__(self, context: AppContext, *, signed: Any, center: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.context = context
        self.signed = signed
        self.center = center

        self.dashboard = DashboardPage(context, self)
        self.residents = ResidentsPage(context, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.dashboard)
        self.pages.addWidget(self.residents)

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        entries = (
            (self.tr("Dashboard"), "dashboard", "Alt+1"),
            (self.tr("Residents"), "residents", "Alt+2"),
        )
        for text, icon_name, shortcut in entries:
            item = QListWidgetItem(icon(icon_name), text)
            item.setToolTip(f"{text} ({shortcut})")
            item.setSizeHint(QSize(0, 44))
            self.navigation.addItem(item)
        width = max(self.navigation.fontMetrics().horizontalAdvance(text) for text, _, _ in entries)
        self.navigation.setFixedWidth(max(160, width + 22 + 64))
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)

        for key, page in ((Qt.Key.Key_1, self.DASHBOARD), (Qt.Key.Key_2, self.RESIDENTS)):
            shortcut = QShortcut(QKeySequence(Qt.Modifier.ALT | key), self)
            shortcut.activated.connect(lambda page=page: self.show_page(page, focus=True))
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.find_resident)
        self.setTabOrder(self.navigation, self.pages)

    def show_page(self, page: int, *, focus: bool = False) -> None:
        """Show page number ``page`` (:attr:`DASHBOARD` or :attr:`RESIDENTS`); optionally focus it."""
        self.navigation.setCurrentRow(page)
        if focus:
            widget = self.pages.currentWidget()
            if widget is self.residents:
                self.residents.focus_search()
            else:
                self.navigation.setFocus()

    def current_page(self) -> QWidget:
        """Return the page on show."""
        return self.pages.currentWidget()

    @Slot()
    def find_resident(self) -> None:
        """Show the resident list with the cursor in its search box."""
        self.show_page(self.RESIDENTS)
        self.residents.focus_search()

    def theme_changed(self) -> None:
        """Recolour what draws its own colours after the theme changed."""
        self.dashboard.theme_changed()
        self.residents.theme_changed()
