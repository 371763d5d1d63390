"""InstitutionFilter — a choice of institution for a list, "All institutions" first (机构筛选).

The Residents, Overdue and Triage review pages filter by institution. The combo fills itself from the
database thread the first time it is asked to, and keeps the chosen institution when it is filled again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QWidget

from app.services.institutions import list_institutions
from app.ui.shell.tasks import Op

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class InstitutionFilter(QComboBox):
    """Institutions to filter by; item data is the institution id, None for all.

    Args:
        context: the open database.
        object_name: the combo's object name (tests and style sheets find it by that).
        parent: the owning widget.
    """

    def __init__(self, context: AppContext, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.addItem(self.tr("All institutions"), None)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._context = context
        self._loaded = False

    def load_once(self) -> None:
        """Fetch the institutions on the database thread, the first time only."""
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        """Fetch the institutions again (after one was added or renamed)."""
        context = self._context
        Op(self, lambda: list_institutions(context.uow())).success(self.show_institutions).run()

    def show_institutions(self, institutions: list[Any]) -> None:
        """Show ``institutions`` after "All institutions", keeping the current choice; no change is signalled."""
        self._loaded = True
        current = self.currentData()
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        for institution in institutions:
            self.addItem(institution.name, institution.id)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)
