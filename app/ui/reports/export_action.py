"""The "导出 Excel" action of every list page: one button, one save dialog, one exporter.

A page gives the list's kind, a function returning its current filters and the reference day; the button
asks where to save (a file dialog), then :func:`app.services.reports.exports.export_list` writes the same
list with the same filters on the database thread. Tests call :meth:`ExcelExport.export_to` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from app.services.reports.exports import ExportedList, ListFilters, ListKind, export_list
from app.ui.shell.tasks import Op

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class ExcelExport(QObject):
    """The export button of a list page.

    Signals:
        exported(object): the :class:`~app.services.reports.exports.ExportedList` written.
    """

    exported = Signal(object)

    def __init__(
        self,
        page: QWidget,
        context: AppContext,
        kind: ListKind,
        *,
        filters: Callable[[], ListFilters],
        today: Callable[[], date],
        file_name: Callable[[], str],
    ) -> None:
        super().__init__(page)
        self._page = page
        self._context = context
        self._kind = kind
        self._filters = filters
        self._today = today
        self._file_name = file_name
        self.button = QPushButton(self.tr("Export E&xcel…"), page)
        self.button.setObjectName(f"export{kind.value.capitalize()}Excel")
        self.button.setToolTip(self.tr("Save this list, with its filters, as an Excel workbook"))
        self.button.clicked.connect(self.ask)

    def ask(self) -> None:
        """Ask where to save, then export."""
        suggested = str(Path.home() / f"{self._file_name()}.xlsx")
        path, _ = QFileDialog.getSaveFileName(
            self._page, self.tr("Export to Excel"), suggested, self.tr("Excel workbook (*.xlsx)")
        )
        if path:
            self.export_to(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the list to ``path`` on the database thread (an existing file only if it is a workbook)."""
        uow, kind, filters, today = self._context.uow(), self._kind, self._filters(), self._today()
        Op(self._page, lambda: export_list(uow, kind, path, today=today, filters=filters)).with_progress(
            self.tr("Exporting…")
        ).success(self._done).run()

    def _done(self, exported: ExportedList) -> None:
        self.exported.emit(exported)
