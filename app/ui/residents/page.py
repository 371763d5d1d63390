"""The resident list — 居民名单: search as you type, filter by institution and colour.

Every keystroke restarts a short debounce timer; when it fires, the search runs on the database
thread as a ``latest_only`` op, so only the newest result is shown and older searches still waiting
never run. The table is a :class:`~app.ui.residents.model.ResidentTableModel` with fixed row heights
and fixed column widths, so even 100 000 rows cost only the visible cells.

A search reads the first :data:`~app.services.records.search.PAGE` residents only and shows them at
once; when it filled the page, the total is counted next (the count reads "200+ residents" meanwhile)
and the list reads one more page whenever it is scrolled near its end (``fetchMore``), on the database
thread too. A page that arrives after a newer search started is dropped.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPainter, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.domain.search import MAX_QUERY_CHARS
from app.services.records.residents import search_residents
from app.services.records.search import PAGE, count_residents
from app.services.reports.exports import ListFilters, ListKind
from app.ui.reports.export_action import ExcelExport
from app.ui.residents.model import COLUMN_SAMPLES, Column, ResidentTableModel
from app.ui.shell.tasks import Op
from app.ui.widgets.badges import colour_qcolor, set_text_scale
from app.ui.widgets.institution_filter import InstitutionFilter
from app.ui.widgets.tables import fit_columns, read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext

SEARCH_DELAY_MS = 150
"""Typing pauses shorter than this do not start a search."""

COLOUR_ORDER = (TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN)


class ColourBadgeDelegate(QStyledItemDelegate):
    """Paint the colour column's text in its triage colour.

    Style sheets (the theme) override an item's foreground colour, so the colour is painted here;
    selected rows keep the selection colours, the symbol and word still tell the colour apart.
    """

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        colour = index.data(Qt.ItemDataRole.ForegroundRole)
        if not isinstance(colour, QColor) or option.state & QStyle.StateFlag.State_Selected:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        painter.save()
        painter.setPen(colour)
        painter.setFont(opt.font)
        elided = opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(opt.displayAlignment), elided)
        painter.restore()


class ResidentsPage(QWidget):
    """Search and filter the residents of the center.

    Args:
        context: the open database.
        parent: the owning widget.
        today: the day ages are counted on (today by default).

    Signals:
        searched(int): a search result is shown: its first page, or all of it; the number of rows shown.
        counted(int): the residents the search found are counted (after ``searched``); how many.
        open_resident_requested(str): open this resident's record (double-click or Enter on a row).

    Keyboard: in the search box, Down moves into the list (its first row selected) and Enter opens the
    selected resident, or the first one found (waiting for the search typed so far).
    """

    searched = Signal(int)
    counted = Signal(int)
    open_resident_requested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("residentsPage")
        self._context = context
        self._pending: Op[Any] | None = None
        self._counting: Op[Any] | None = None
        self._generation = 0  # which search the shown rows belong to: later pages of an older one are dropped
        self._filters: dict[str, Any] = {}  # the shown search's text and filters, for its next pages and count
        self._open_first_when_shown = False

        heading = QLabel(self.tr("Residents"), self)
        set_text_scale(heading, 1.5)

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("residentSearch")
        self.search_edit.setMaxLength(MAX_QUERY_CHARS)
        self.search_edit.setPlaceholderText(self.tr("Name, pinyin initials, bed or last digits of the ID number"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip(self.tr("Search as you type (Ctrl+F)"))
        self.search_edit.setMinimumWidth(320)
        search_label = QLabel(self.tr("Sea&rch:"), self)
        search_label.setBuddy(self.search_edit)

        self.institution_combo = InstitutionFilter(context, "institutionFilter", self)
        self.institution_combo.setMinimumContentsLength(10)
        institution_label = QLabel(self.tr("&Institution:"), self)
        institution_label.setBuddy(self.institution_combo)

        self.colour_combo = QComboBox(self)
        self.colour_combo.setObjectName("colourFilter")
        colour_label = QLabel(self.tr("&Colour:"), self)
        colour_label.setBuddy(self.colour_combo)
        self._fill_colour_combo()

        self.count_label = QLabel(self)
        self.count_label.setObjectName("residentCount")
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance("0" * 14))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.model = ResidentTableModel(today, self)
        self.model.more_wanted.connect(self._fetch_more)
        self.table = read_only_table(self, self.model, "residentTable", grid=False)
        self.table.setItemDelegateForColumn(Column.COLOUR, ColourBadgeDelegate(self.table))

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.search)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.search_edit.textChanged.connect(self._forget_enter)
        self.search_edit.installEventFilter(self)
        self.institution_combo.currentIndexChanged.connect(self.search)
        self.colour_combo.currentIndexChanged.connect(self.search)

        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search_edit, 2)
        filters.addSpacing(12)
        filters.addWidget(institution_label)
        filters.addWidget(self.institution_combo, 1)
        filters.addSpacing(12)
        filters.addWidget(colour_label)
        filters.addWidget(self.colour_combo)
        filters.addStretch(0)
        filters.addWidget(self.count_label)

        self.new_button = QPushButton(self.tr("&New resident…"), self)
        self.new_button.setObjectName("newResident")
        self.new_button.clicked.connect(self.new_resident)
        self.import_button = QPushButton(self.tr("I&mport roster…"), self)
        self.import_button.setObjectName("importRoster")
        self.import_button.clicked.connect(self.import_roster)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        open_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        open_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        open_shortcut.activated.connect(lambda: self._open_row(self.table.currentIndex().row()))

        title_row = QHBoxLayout()
        title_row.addWidget(heading)
        title_row.addStretch(1)
        title_row.addWidget(self.new_button)
        title_row.addWidget(self.import_button)
        title_row.addWidget(self._excel_action().button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(title_row)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.setTabOrder(self.search_edit, self.institution_combo)
        self.setTabOrder(self.institution_combo, self.colour_combo)
        self.setTabOrder(self.colour_combo, self.table)
        self._fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return super().eventFilter(watched, event)
            if event.key() == Qt.Key.Key_Down:
                self._enter_list()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_from_search()
                return True
        return super().eventFilter(watched, event)

    def _enter_list(self) -> None:
        if self.model.rowCount() == 0:
            return
        row = self.table.currentIndex().row()
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        if row < 0:
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.selectRow(0)

    def _open_from_search(self) -> None:
        if self.is_searching():
            self._open_first_when_shown = True
            self.search()  # the typed text is searched now; the first resident found is opened
            return
        row = self.table.currentIndex().row()
        self._open_row(row if row >= 0 else 0)

    def _forget_enter(self) -> None:
        self._open_first_when_shown = False  # Enter was for the text before this change

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.open_resident_requested.emit(self.model.row_at(row).id)

    def set_allowed(self, *, edit: bool, import_roster: bool) -> None:
        """Show the buttons the signed-in role may use."""
        self.new_button.setVisible(edit)
        self.import_button.setVisible(import_roster)

    @Slot()
    def new_resident(self) -> None:
        """Open an empty record to add a resident (to the institution filtered on, if any)."""
        from app.ui.record.dialog import ResidentRecordDialog

        dialog = ResidentRecordDialog(self._context, None, self, institution_id=self.institution_combo.currentData())
        dialog.residentChanged.connect(lambda _id: self.search())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot()
    def import_roster(self) -> None:
        """Import residents from a spreadsheet, with a preview of every row's problems."""
        from app.ui.residents.roster_wizard import RosterImportWizard

        wizard = RosterImportWizard(self._context, self, institution_id=self.institution_combo.currentData())
        wizard.imported.connect(lambda _institution, _count: self.search())
        wizard.finished.connect(wizard.deleteLater)
        wizard.open()

    def _fill_colour_combo(self) -> None:
        current = self.colour_combo.currentData()
        self.colour_combo.blockSignals(True)
        self.colour_combo.clear()
        self.colour_combo.addItem(self.tr("All colours"), None)
        for colour in COLOUR_ORDER:
            self.colour_combo.addItem(f"{colour.badge} · {colour.group}", colour.value)
            self.colour_combo.setItemData(
                self.colour_combo.count() - 1, colour_qcolor(colour), Qt.ItemDataRole.ForegroundRole
            )
        self.colour_combo.setCurrentIndex(max(0, self.colour_combo.findData(current)))
        self.colour_combo.blockSignals(False)

    def _fit_columns(self) -> None:
        """Size rows and columns from the font, never from the rows (which may be 100 000)."""
        fit_columns(self.table, COLUMN_SAMPLES, sample_padding=28, row_height=(32, 14))

    # --- searching ----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if event.spontaneous():
            return
        self._fit_columns()
        self.institution_combo.load_once()
        self.search()

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot()
    def search(self) -> None:
        """Search with the typed text and chosen filters on the database thread; show the newest result."""
        self._debounce.stop()
        context = self._context
        text = self.search_edit.text()
        institution_id = self.institution_combo.currentData()
        colour_value = self.colour_combo.currentData()
        colour = TriageColour(colour_value) if colour_value else None

        filters = {"text": text, "institution_id": institution_id, "colour": colour}

        def run() -> list[Any]:
            return search_residents(context.uow(), **filters, limit=PAGE)

        def show(rows: list[Any]) -> None:
            self._filters = filters
            self._show_rows(rows)

        self._pending = Op(self, run).latest_only("resident-search").success(show).run()

    def _show_rows(self, rows: list[Any]) -> None:
        self._generation += 1
        more = len(rows) >= PAGE
        self.model.set_rows(rows, more=more)
        if more:  # the first page: count them all next
            self.count_label.setText(self.tr("{count} residents").format(count=f"{len(rows)}+"))
            self._count(self._generation)
        else:
            self._show_count(len(rows), self._generation)
        self.searched.emit(len(rows))
        if self._open_first_when_shown:
            self._open_first_when_shown = False
            self._open_row(0)

    def _count(self, generation: int) -> None:
        context, filters = self._context, self._filters

        def run() -> int:
            return count_residents(context.uow(), **filters)

        op = Op(self, run).latest_only("resident-count").success(lambda count: self._show_count(count, generation))
        self._counting = op.run()

    def _show_count(self, count: int, generation: int) -> None:
        if generation != self._generation:
            return  # counted for an older search
        if count == 1:
            self.count_label.setText(self.tr("1 resident"))
        else:
            self.count_label.setText(self.tr("{count} residents").format(count=count))
        self.counted.emit(count)

    @Slot(int)
    def _fetch_more(self, offset: int) -> None:
        """Read the page after the ``offset`` rows shown, on the database thread (the list scrolled near its end)."""
        context, filters, generation = self._context, self._filters, self._generation

        def run() -> list[Any]:
            return search_residents(context.uow(), **filters, limit=PAGE, offset=offset)

        def add(rows: list[Any]) -> None:
            if generation == self._generation:  # else a newer search replaced the list meanwhile
                self.model.add_rows(rows, more=len(rows) >= PAGE)

        def failed(_error: BaseException) -> None:
            if generation == self._generation:
                self.model.stop_fetching()

        Op(self, run).success(add).failure(failed).run()

    def is_searching(self) -> bool:
        """Return whether a search is waiting to run, to be shown or to be counted."""
        return (
            self._debounce.isActive()
            or (self._pending is not None and not self._pending.is_finished())
            or (self._counting is not None and not self._counting.is_finished())
        )

    def theme_changed(self) -> None:
        """Recolour the colour column and filter for the new theme."""
        self.model.refresh_colours()
        self._fill_colour_combo()
        self._fit_columns()

    def _excel_action(self) -> ExcelExport:
        """The "导出 Excel" action: the residents as listed, with the search text and filters."""

        def filters() -> ListFilters:
            colour = self.colour_combo.currentData()
            return ListFilters(
                institution_id=self.institution_combo.currentData(),
                colour=TriageColour(colour) if colour else None,
                text=self.search_edit.text(),
            )

        self.excel = ExcelExport(
            self,
            self._context,
            ListKind.RESIDENTS,
            filters=filters,
            today=date.today,
            file_name=lambda: self.tr("residents"),
        )
        return self.excel
