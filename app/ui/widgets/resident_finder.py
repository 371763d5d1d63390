"""Find any resident — 查找居民 — for an unplanned visit (Ctrl+F on the visit page).

A small dialog: search as you type (name, pinyin initials, bed, last ID digits) with
:func:`app.services.records.residents.search_residents` on the database thread, newest result only. Down moves
from the search box to the list; Enter or a double click chooses; Escape closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.search import MAX_QUERY_CHARS
from app.services.records.residents import search_residents
from app.ui.residents.model import COLUMN_SAMPLES, ResidentTableModel
from app.ui.shell.tasks import Op
from app.ui.widgets.tables import fit_columns, read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext

SEARCH_DELAY_MS = 150
RESULT_LIMIT = 200


class ResidentFinderDialog(QDialog):
    """Search every resident in residence or in hospital and choose one.

    Args:
        context: the open database.
        parent: the owning widget.

    Signals:
        resident_chosen(object): the chosen :class:`~app.services.records.residents.ResidentRow`.
        searched(int): a result is shown; how many residents it has.
    """

    resident_chosen = Signal(object)
    searched = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("residentFinder")
        self.setWindowTitle(self.tr("Find a resident"))
        self.resize(900, 460)
        self._context = context
        self._pending: Op[Any] | None = None

        intro = QLabel(self.tr("Any resident, also one not due at this round (an unplanned visit)."), self)
        intro.setWordWrap(True)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("finderSearch")
        self.search_edit.setMaxLength(MAX_QUERY_CHARS)
        self.search_edit.setPlaceholderText(self.tr("Name, pinyin initials, bed or last digits of the ID number"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        search_label = QLabel(self.tr("&Search:"), self)
        search_label.setBuddy(self.search_edit)

        self.model = ResidentTableModel(parent=self)
        self.table = read_only_table(self, self.model, "finderTable", shaded=False)
        fit_columns(self.table, COLUMN_SAMPLES, sample_padding=28)
        self.table.doubleClicked.connect(self._choose_index)
        self.table.installEventFilter(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("finderCount")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Record a visit"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(search_label)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.search)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.search_edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_edit and key == Qt.Key.Key_Down and self.model.rowCount() > 0:
                self.table.setFocus()
                self.table.selectRow(max(0, self.table.currentIndex().row()))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                if watched is self.search_edit and self._debounce.isActive():
                    self.search()
                    return True
                self.choose()
                return True
        return super().eventFilter(watched, event)

    @Slot()
    def search(self) -> None:
        """Search with the typed text on the database thread; only the newest result is shown."""
        self._debounce.stop()
        context = self._context
        text = self.search_edit.text()
        self._pending = (
            Op(self, lambda: search_residents(context.uow(), text=text, statuses=None, limit=RESULT_LIMIT))
            .latest_only("visit-finder")
            .success(self._show)
            .run()
        )

    def _show(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)
        if len(rows) >= RESULT_LIMIT:
            text = self.tr("The first {count} residents; type more to narrow.")
            self.count_label.setText(text.format(count=len(rows)))
        else:
            self.count_label.setText(self.tr("%n resident(s)", "", len(rows)))
        self.searched.emit(len(rows))

    def is_searching(self) -> bool:
        return self._debounce.isActive() or (self._pending is not None and not self._pending.is_finished())

    @Slot(QModelIndex)
    def _choose_index(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self.choose()

    @Slot()
    def choose(self) -> None:
        """Choose the selected resident (the first one when none is selected) and close."""
        if self.model.rowCount() == 0:
            return
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else 0
        self.resident_chosen.emit(self.model.row_at(row))
        self.accept()
