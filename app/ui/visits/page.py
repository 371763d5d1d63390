"""The visit page — 巡诊录入: a round's residents in round-sheet order and the visit form, by keyboard.

:class:`VisitPage` has a round chooser (today's and recent rounds), the round sheet
(:func:`app.services.visits.save.round_sheet`: the residents due, red first, then building, room, bed; those
already visited stay on it) and the :class:`~app.ui.visits.editor.VisitEditor` of the chosen resident.
Ctrl+Enter saves and opens the next resident; Ctrl+F finds any resident for an unplanned visit; Ctrl+E
corrects the saved visit shown; Ctrl+PgDown / Ctrl+PgUp go to the next / previous resident. On first show
it offers back the drafts an earlier session left (a crash, a kill, a flat battery).

All database and file work runs through :class:`~app.ui.shell.tasks.Op`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.visits.drafts import Draft, DraftStore
from app.services.visits.entry_round import RoundToOpen, round_to_open
from app.services.visits.save import (
    RecordedVisit,
    ResidentForVisit,
    RoundChoice,
    RoundSheet,
    SheetResident,
    VisitSaved,
    round_sheet,
    rounds_for_entry,
)
from app.ui.shell.tasks import Op
from app.ui.visits.drafts import draft_store_for, drafts_pool
from app.ui.visits.editor import VisitEditor
from app.ui.visits.questions import Questions
from app.ui.visits.round_chooser import RoundChooser
from app.ui.visits.sheet import SheetPanel, placeholder_row, unplanned_row
from app.ui.widgets.badges import set_text_scale

if TYPE_CHECKING:
    from app.bootstrap import AppContext

log = logging.getLogger(__name__)

__all__ = ["VisitPage"]


class VisitPage(QWidget):
    """Record a round's visits: the round sheet on the left, the visit of the chosen resident on the right.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.
        today: returns the day visits are entered on (tests fix it).
        drafts: where drafts are kept (``drafts/`` next to the database by default).
        questions: the questions a save asks (message boxes by default).
        find_shortcut: give the page its own Ctrl+F; pass False inside a window that already has one (two
            Ctrl+F shortcuts are ambiguous in Qt and alternate) and call :meth:`find_resident` from it.

    Signals:
        rounds_loaded(list): the rounds of the chooser.
        sheet_loaded(object): the :class:`~app.services.visits.save.RoundSheet` now shown.
        drafts_checked(list): the drafts found on first show (possibly empty).
        visit_saved(object): a :class:`~app.services.visits.save.VisitSaved`.
    """

    rounds_loaded = Signal(list)
    sheet_loaded = Signal(object)
    drafts_checked = Signal(list)
    visit_saved = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        drafts: DraftStore | None = None,
        questions: Questions | None = None,
        find_shortcut: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitPage")
        self._context = context
        self._today = today
        self.drafts = drafts if drafts is not None else draft_store_for(context)
        self.questions = questions if questions is not None else Questions(self)
        self.sheet: RoundSheet | None = None
        self._rounds: list[RoundChoice] = []
        self._wanted_resident: str | None = None
        self._pending_drafts: list[Draft] = []
        self._drafts_checked = False
        self._loaded_once = False
        self._round_requested = False  # a round was opened: the default round no longer applies
        self._focus_vitals = False  # a round opened from elsewhere: the first vital takes the focus once loaded

        heading = QLabel(self.tr("Visits"), self)  # as the navigation names the page
        set_text_scale(heading, 1.5)
        self.chooser = RoundChooser(self, today=today)
        self.round_combo = self.chooser.combo
        self.round_caption = self.chooser.caption
        self.round_combo.activated.connect(self._round_chosen)
        self.find_button = QPushButton(self.tr("Find a resident… (Ctrl+F)"), self)
        self.find_button.setObjectName("findResident")
        self.find_button.clicked.connect(self.find_resident)
        self.drafts_button = QPushButton(self)
        self.drafts_button.setObjectName("draftsButton")
        self.drafts_button.clicked.connect(self._offer_pending_drafts)
        self.drafts_button.hide()
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        top.addWidget(self.chooser, 1)
        top.addWidget(self.drafts_button)
        top.addWidget(self.find_button)

        self.sheet_panel = SheetPanel(self)
        self.model = self.sheet_panel.model
        self.table = self.sheet_panel.table
        self.count_label = self.sheet_panel.count_label
        self.legend_label = self.sheet_panel.legend_label
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.editor = VisitEditor(context, self, today=today, drafts=self.drafts, questions=self.questions)
        self.editor.set_save_action(self.save_and_next)  # the button and Ctrl+Enter: one behaviour
        self.editor.saved.connect(self._visit_saved)
        self.editor.loaded.connect(self._editor_loaded)
        self.editor.draft_written.connect(self._draft_written)
        self.editor.draft_removed.connect(self._draft_removed)
        # the sheet keeps the width of its columns; the editor takes the rest, and what the window gains
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.sheet_panel)
        self.splitter.addWidget(self.editor)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([self.sheet_panel.natural_width, 900])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        # round, sheet, then the editor (made after the sheet, so next in the chain): only the first link is set,
        # as setTabOrder() moves its second widget and would cut the form's own order
        self.setTabOrder(self.round_combo, self.table)

        self._shortcut("Ctrl+Return", self.save_and_next)
        self._shortcut("Ctrl+Enter", self.save_and_next)
        if find_shortcut:  # a window that has its own Ctrl+F passes False and calls find_resident() itself
            self._shortcut(QKeySequence.StandardKey.Find, self.find_resident)
        self._shortcut("Ctrl+E", self.editor.start_correction)
        self._shortcut("Ctrl+PgDown", self.next_resident)
        self._shortcut("Ctrl+PgUp", self.previous_resident)

    def _shortcut(self, key: str | QKeySequence.StandardKey, slot: Callable[[], None]) -> QShortcut:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def theme_changed(self) -> None:
        """Redraw the colour badges (sheet and header) for the theme applied now."""
        if self.model.rowCount():
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(self.model.rowCount() - 1, 4))
        self.editor.theme_changed()

    # --- rounds -------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if event.spontaneous():
            return
        if not self._loaded_once:
            self._loaded_once = True
            self.load_rounds()
        if not self._drafts_checked:
            self._drafts_checked = True
            self.check_drafts()

    def hideEvent(self, event: QHideEvent) -> None:
        self.editor.flush_draft()
        super().hideEvent(event)

    def load_rounds(self, select: str | None = None) -> None:
        """Fill the round chooser (today's and the last two weeks' rounds) and open one.

        The first time, it opens the signed-in user's team's round of today, else the team's next round, else
        its most recent one (:func:`app.services.visits.entry_round.round_to_open`), and says which beside the chooser.
        """
        context, today = self._context, self._today()
        first = select is None and self.sheet is None

        def work() -> tuple[list[RoundChoice], RoundToOpen | None]:
            rounds = rounds_for_entry(context.uow(), today=today)
            return rounds, round_to_open(context.uow(), today=today) if first else None

        Op(self, work).success(lambda loaded: self._show_rounds(loaded[0], select, loaded[1])).run()

    def _show_rounds(self, rounds: list[RoundChoice], select: str | None, start: RoundToOpen | None = None) -> None:
        self._rounds = list(rounds)
        current = select or (self.sheet.round_id if self.sheet else None)
        self.chooser.fill(rounds, current, self.sheet)
        self.rounds_loaded.emit(self._rounds)
        if not rounds and not current:
            self.count_label.setText(
                self.tr(
                    "No rounds today or in the last two weeks. Use Find a resident "
                    "(Ctrl+F) for a visit outside a round."
                )
            )
        if self.sheet is None and start is not None and not select and not self._round_requested:
            self.open_round(start.round_id)
            self.chooser.set_caption(start)
        elif self.sheet is None and self.round_combo.currentData() and not self._round_requested:
            self.open_round(self.round_combo.currentData())  # (a round asked for meanwhile is on its way)

    @Slot(int)
    def _round_chosen(self, index: int) -> None:
        round_id = self.round_combo.itemData(index)
        if round_id and (self.sheet is None or round_id != self.sheet.round_id):
            self.open_round(round_id)

    def open_round(self, round_id: str, resident_id: str | None = None, *, focus: bool = False) -> None:
        """Show the round ``round_id`` (e.g. from the dashboard's today's rounds), optionally at one resident.

        With ``focus`` (opened from the dashboard or the Rounds page) the first vital sign of the resident shown
        — the first one due, not yet recorded — takes the focus once loaded, so typed digits go into it.
        """
        self._wanted_resident = resident_id
        self._focus_vitals = focus
        self._round_requested = True
        self.chooser.set_caption(None)  # chosen (here, on the dashboard or the rounds page): no default to explain
        context, today = self._context, self._today()
        store = self.drafts
        self.editor.flush_draft()

        def load() -> tuple[RoundSheet, set[str]]:
            sheet = round_sheet(context.uow(), round_id=round_id, today=today)
            drafted = {d.resident_id for d in store.all() if d.round_id == round_id}
            return sheet, drafted

        Op(self, load).latest_only(f"visit-sheet-{id(self)}").success(self._show_sheet).run()

    def _show_sheet(self, loaded: tuple[RoundSheet, set[str]]) -> None:
        sheet, drafted = loaded
        self.sheet = sheet
        self.chooser.select_sheet(sheet)
        self.model.set_rows(sheet.residents)
        self.model.set_drafts(drafted)
        self._update_count()
        wanted = self._wanted_resident
        self._wanted_resident = None
        row = self.model.index_of(wanted) if wanted else -1
        if row < 0 and wanted is None:
            row = next((i for i, r in enumerate(sheet.residents) if r.visit is None), 0 if sheet.residents else -1)
        if row >= 0:
            self.table.selectRow(row)
        self.sheet_loaded.emit(sheet)

    def _update_count(self) -> None:
        self.sheet_panel.update_count()

    @Slot(QModelIndex, QModelIndex)
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.sheet is None:
            return
        resident = self.model.row_at(current.row())
        self._open(resident)

    def _open(self, resident: SheetResident) -> None:
        sheet = self.sheet
        assert sheet is not None
        self.editor.open_resident(
            resident.resident_id,
            round_id=sheet.round_id,
            visit_date=sheet.day,
            round_label=self.chooser.sheet_text(sheet),
            round_institution_id=sheet.institution_id,
            due=resident.due,
        )

    # --- moving and saving ----------------------------------------------------------------------------------

    @Slot()
    def save_and_next(self) -> None:
        """Save the visit shown and open the next resident of the sheet (Ctrl+Enter)."""
        if self.editor.form.locked:
            self.next_resident()
            return
        self.editor.save(then=lambda _result: self.next_resident())

    @Slot()
    def next_resident(self) -> None:
        self._move(1)

    @Slot()
    def previous_resident(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        count = self.model.rowCount()
        if count == 0:
            return
        row = self.table.currentIndex().row()
        target = min(max(0, row + step), count - 1)
        if target == row:
            self.editor.reload()
        else:
            self.table.selectRow(target)
        QTimer.singleShot(0, self._focus_form)

    def _focus_form(self) -> None:
        if self.editor.isEnabled():
            self.editor.form.focus_first()
        else:
            self.editor.loaded.connect(self._focus_after_load, Qt.ConnectionType.SingleShotConnection)

    @Slot(object)
    def _focus_after_load(self, _info: object) -> None:
        self.editor.form.focus_first()

    @Slot(object)
    def _editor_loaded(self, info: ResidentForVisit) -> None:
        """Fill in a row added before its resident was loaded (an unplanned visit opened by id)."""
        if self._focus_vitals and self.sheet is not None and self.editor.round_id == self.sheet.round_id:
            self._focus_vitals = False
            self.editor.form.focus_vitals()
        row = self.model.index_of(info.resident_id)
        if row >= 0 and self.model.row_at(row).birth_date == date.min:
            resident = self.model.row_at(row)
            self.model.replace_row(
                row,
                replace(
                    resident,
                    name=info.name,
                    sex=info.sex,
                    birth_date=info.birth_date,
                    building=info.building,
                    room=info.room,
                    bed=info.bed,
                    colour=info.colour,
                ),
            )

    def _visit_saved(self, result: VisitSaved) -> None:
        row = self.model.index_of(result.resident_id)
        if row >= 0:
            resident = self.model.row_at(row)
            visit = RecordedVisit(
                result.visit_id,
                result.version,
                result.checked.outcome,
                result.urgent,
                result.checked.assessment.is_abnormal,
            )
            self.model.replace_row(row, replace(resident, visit=visit))
            self._update_count()
        self.visit_saved.emit(result)

    def _draft_written(self, _path: str) -> None:
        info = self.editor.info
        if info is not None and self.sheet is not None and self.editor.round_id == self.sheet.round_id:
            self.model.set_drafts(self.model.drafted | {info.resident_id})

    def _draft_removed(self, resident_id: str) -> None:
        self.model.set_drafts(self.model.drafted - {resident_id})
        self._pending_drafts = [d for d in self._pending_drafts if d.resident_id != resident_id]
        self._update_drafts_button()

    # --- unplanned visits ------------------------------------------------------------------------------------

    @Slot()
    def find_resident(self) -> None:
        """Find any resident (Ctrl+F) and open their visit: unplanned at this round, or outside a round."""
        from app.ui.widgets.resident_finder import ResidentFinderDialog

        self.finder = ResidentFinderDialog(self._context, self)
        self.finder.resident_chosen.connect(self._resident_found)
        self.finder.finished.connect(self.finder.deleteLater)
        self.finder.open()

    def open_resident(self, resident_id: str, name: str = "") -> None:
        """Open a resident's visit at the round shown (an unplanned visit if not on the sheet)."""
        row = self.model.index_of(resident_id)
        if row >= 0:
            self.table.selectRow(row)
            return
        sheet = self.sheet
        extra = placeholder_row(resident_id, name)
        if sheet is None:
            self.editor.open_resident(resident_id, round_id=None, visit_date=self._today())
            return
        row = self.model.add_row(extra)
        self._update_count()
        self.table.selectRow(row)

    @Slot(object)
    def _resident_found(self, found: Any) -> None:
        row = self.model.index_of(found.id)
        if row >= 0:
            self.table.selectRow(row)
            return
        if self.sheet is None:
            self.editor.open_resident(found.id, round_id=None, visit_date=self._today())
            return
        extra = unplanned_row(found)
        row = self.model.add_row(extra)
        self._update_count()
        self.table.selectRow(row)
        QTimer.singleShot(0, self._focus_form)

    # --- drafts of an earlier session ----------------------------------------------------------------------

    def check_drafts(self) -> None:
        """Look for drafts an earlier session left and offer them back."""
        store = self.drafts
        Op(self, store.all, pool=drafts_pool()).success(self._drafts_found).failure(
            lambda error: log.warning("cannot read the visit drafts: %s", error)
        ).run()

    def _drafts_found(self, drafts: list[Draft]) -> None:
        self._pending_drafts = list(drafts)
        self._update_drafts_button()
        self.drafts_checked.emit(list(drafts))
        if drafts:
            QTimer.singleShot(0, self._offer_pending_drafts)

    def _update_drafts_button(self) -> None:
        count = len(self._pending_drafts)
        self.drafts_button.setText(self.tr("✎ %n unsaved entry(ies)…", "", count))
        self.drafts_button.setVisible(count > 0)

    @Slot()
    def _offer_pending_drafts(self) -> None:
        drafts = self._pending_drafts
        if not drafts:
            return
        answer = self.questions.offer_drafts(drafts)
        if answer == "open":
            self.open_draft(drafts[0])
        elif answer == "discard":
            store = self.drafts
            gone = [(d.resident_id, d.round_id) for d in drafts]
            self._pending_drafts = []
            self._update_drafts_button()
            Op(self, lambda: [store.delete(*key) for key in gone], pool=drafts_pool()).success(
                lambda _done: self._drafts_discarded(drafts)
            ).run()

    def _drafts_discarded(self, drafts: list[Draft]) -> None:
        self.model.set_drafts(set())
        if any(self._editor_shows(draft) for draft in drafts):
            self.editor.discard_typing()  # the form showed one of them: its values go too

    def open_draft(self, draft: Draft) -> None:
        """Open the resident and round a draft belongs to; the editor restores the draft."""
        self._pending_drafts = [d for d in self._pending_drafts if d is not draft]
        self._update_drafts_button()
        if draft.round_id is not None:
            if self.sheet is not None and self.sheet.round_id == draft.round_id:
                row = self.model.index_of(draft.resident_id)
                if row >= 0:
                    if self.table.currentIndex().row() == row:
                        if self._editor_shows(draft):
                            return  # opened with the draft restored: opening again would drop typing meanwhile
                        self._open(self.model.row_at(row))
                    else:
                        self.table.selectRow(row)
                    return
                self.open_resident(draft.resident_id, draft.resident_name)
                return
            self._wanted_resident = draft.resident_id
            self.open_round(draft.round_id, draft.resident_id)
            self.sheet_loaded.connect(
                lambda _sheet: self._ensure_on_sheet(draft), Qt.ConnectionType.SingleShotConnection
            )
            return
        try:
            day = date.fromisoformat(str(draft.values.get("visit_date", "")))
        except ValueError:
            day = self._today()
        self.editor.open_resident(draft.resident_id, round_id=None, visit_date=day)

    def _editor_shows(self, draft: Draft) -> bool:
        """Whether the editor has loaded ``draft``'s resident at its round (and so restored the draft)."""
        info = self.editor.info
        return (
            self.editor.isEnabled()
            and info is not None
            and info.resident_id == draft.resident_id
            and self.editor.round_id == draft.round_id
        )

    def _ensure_on_sheet(self, draft: Draft) -> None:
        if self.model.index_of(draft.resident_id) < 0:
            self.open_resident(draft.resident_id, draft.resident_name)
