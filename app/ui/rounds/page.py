"""Rounds — 巡诊安排: the week (days × teams), the residents due at each round, move / cancel / restore / add.

Each round is a button in its team's row under its day, with the number of residents due (or, for a round
already held, seen). Institutions whose agreement is in force but which have no round this week are
listed above the grid as not meeting their agreement. Choosing a round shows its residents due — red
first, then building, room and bed — with why each is due, and offers the round sheet for printing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.agreements import weekday_labels
from app.domain.permissions import Action
from app.services.printing import print_round_sheet
from app.services.reports.exports import ListFilters, ListKind
from app.services.rounds.plan import (
    EndedAgreement,
    PlannedRound,
    WeekPlan,
    add_round,
    cancel_round,
    institutions_with_agreements,
    move_round,
    plan_week,
    restore_round,
)
from app.services.triage import may
from app.ui.reports.export_action import ExcelExport
from app.ui.residents.page import ColourBadgeDelegate
from app.ui.residents.table import fit_to_rows
from app.ui.rounds.widgets import (
    CancelDialog,
    DayDialog,
    DueModel,
    RoundButton,
    team_sort_key,
)
from app.ui.shell.tasks import Op
from app.ui.widgets.badges import set_text_scale
from app.ui.widgets.pdf_preview import preview_file, show_pdf_preview
from app.ui.widgets.tables import read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext

ModelIndex = QModelIndex | QPersistentModelIndex


class RoundsPage(QWidget):
    """The week's rounds and the residents due at each.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.
        today: returns the reference day (``date.today`` by default; tests fix it).

    Signals:
        planned(object): the :class:`~app.services.rounds.plan.WeekPlan` now shown.
        changed(): a round was moved, cancelled, restored or added.
        open_round_requested(str): record the visits of this round on the visit page (the workspace listens).
    """

    planned = Signal(object)
    changed = Signal()
    open_round_requested = Signal(str)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("roundsPage")
        self._context = context
        self._today = today
        self.monday = self._default_monday()
        self.plan: WeekPlan | None = None
        self.may_plan = False
        self.may_record = False
        self.round_buttons: dict[str, RoundButton] = {}
        self._selected: str | None = None
        self._loaded_once = False

        heading = QLabel(self.tr("Rounds"), self)
        set_text_scale(heading, 1.5)
        self.previous_button = QPushButton(self.tr("◀ &Previous week"), self)
        self.previous_button.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageUp))
        self.this_week_button = QPushButton(self.tr("&This week"), self)
        self.next_button = QPushButton(self.tr("&Next week ▶"), self)
        self.next_button.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageDown))
        self.week_label = QLabel(self)
        self.week_label.setObjectName("weekLabel")
        set_text_scale(self.week_label, 1.15)
        self.add_button = QPushButton(self.tr("&Add round…"), self)
        self.add_button.setObjectName("addRound")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        top.addWidget(self.previous_button)
        top.addWidget(self.week_label)
        top.addWidget(self.next_button)
        top.addWidget(self.this_week_button)
        top.addStretch(1)
        top.addWidget(self.add_button)

        self.gaps_label = QLabel(self)
        self.gaps_label.setObjectName("agreementGaps")
        self.gaps_label.setWordWrap(True)
        self.gaps_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.gaps_label.setTextFormat(Qt.TextFormat.RichText)
        self.gaps_label.hide()
        # beside the gaps: homes whose agreement ended, whose residents no round covers any more
        self.ended_label = QLabel(self)
        self.ended_label.setObjectName("agreementsEnded")
        self.ended_label.setWordWrap(True)
        self.ended_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.ended_label.hide()
        self.generated_label = QLabel(self)
        self.generated_label.setObjectName("roundsGenerated")
        self.generated_label.hide()

        self.grid_widget = QWidget(self)
        self.grid_widget.setStyleSheet(
            "QToolButton { border: 1px solid #9e9e9e; border-radius: 4px; padding: 4px 8px; }"
            "QToolButton:checked { border: 2px solid #00897b; }"
        )
        self.grid = QGridLayout(self.grid_widget)
        self.grid.setSpacing(6)
        self.grid_scroll = QScrollArea(self)
        self.grid_scroll.setWidgetResizable(True)
        self.grid_scroll.setWidget(self.grid_widget)
        self.button_group = QButtonGroup(self)
        self.button_group.setExclusive(True)

        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("roundDetail")
        self.detail_label.setWordWrap(True)
        self.move_button = QPushButton(self.tr("&Move…"), self)
        self.move_button.setObjectName("moveRound")
        self.cancel_button = QPushButton(self.tr("&Cancel round…"), self)
        self.cancel_button.setObjectName("cancelRound")
        self.restore_button = QPushButton(self.tr("R&estore round"), self)  # in the cancel button's place
        self.restore_button.setObjectName("restoreRound")
        self.restore_button.setToolTip(self.tr("Plan this cancelled round again"))
        self.restore_button.hide()
        self.print_button = QPushButton(self.tr("P&rint round sheet…"), self)
        self.print_button.setObjectName("printRoundSheet")
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.record_button = QPushButton(self.tr("Record &visits"), self)
        self.record_button.setObjectName("recordRoundVisits")
        self.record_button.setToolTip(self.tr("Open this round on the visit page"))
        actions = QHBoxLayout()
        actions.addWidget(self.detail_label, 1)
        actions.addWidget(self.record_button)
        actions.addWidget(self.move_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.restore_button)
        actions.addWidget(self.print_button)
        self.excel = ExcelExport(
            self,
            context,
            ListKind.PLAN,
            filters=lambda: ListFilters(week=self.monday),
            today=self._today,
            file_name=lambda: self.tr("week plan"),
        )
        self.excel.button.setToolTip(
            self.tr("Save the week's rounds and the residents due at each as an Excel workbook")
        )
        actions.addWidget(self.excel.button)
        self.due_model = DueModel(self)
        self.due_table = read_only_table(self, self.due_model, "dueTable", several=True)
        self.due_table.setItemDelegateForColumn(DueModel.COLOUR, ColourBadgeDelegate(self.due_table))
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addLayout(actions)
        detail_layout.addWidget(self.due_table, 1)
        # in the table's place for a round held or cancelled: no residents are due there any more
        self.due_note = QLabel(self)
        self.due_note.setObjectName("dueNote")
        self.due_note.setWordWrap(True)
        self.due_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.due_note.setFrameShape(QFrame.Shape.StyledPanel)
        self.due_note.setMargin(24)
        self.due_note.hide()
        detail_layout.addWidget(self.due_note, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.grid_scroll)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.gaps_label)
        layout.addWidget(self.ended_label)
        layout.addWidget(self.generated_label)
        layout.addWidget(splitter, 1)

        self.previous_button.clicked.connect(lambda: self.show_week(self.monday - timedelta(weeks=1)))
        self.next_button.clicked.connect(lambda: self.show_week(self.monday + timedelta(weeks=1)))
        self.this_week_button.clicked.connect(lambda: self.show_week(self._today()))
        self.add_button.clicked.connect(self.add_round)
        self.move_button.clicked.connect(self.move_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.record_button.clicked.connect(self.record_selected)
        self.button_group.buttonClicked.connect(lambda button: self.select_round(button.planned.id))
        self._update_buttons()

    def _default_monday(self) -> date:
        """This week's Monday; at the weekend (its rounds held) the coming week's, the one to plan and print."""
        today = self._today()
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(weeks=1) if today.weekday() >= 5 else monday

    # --- fetching ------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous() and not self._loaded_once:
            self._loaded_once = True
            self.refresh()

    def show_week(self, day: date) -> None:
        """Show the ISO week containing ``day``."""
        self.monday = day - timedelta(days=day.weekday())
        self._selected = None
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Plan the week shown (generating its agreed rounds) on the database thread."""
        context, monday, today = self._context, self.monday, self._today()

        def work() -> tuple[WeekPlan, bool, bool]:
            return (
                plan_week(context.uow(), week=monday, today=today),
                may(context.uow(), Action.PLAN_ROUNDS),
                may(context.uow(), Action.RECORD_VISITS),
            )

        Op(self, work).with_progress(self.tr("Planning the week…")).latest_only("rounds-week").success(self._show).run()

    def _show(self, result: tuple[WeekPlan, bool, bool]) -> None:
        plan, may_plan, may_record = result
        self.plan, self.may_plan, self.may_record = plan, may_plan, may_record
        self.week_label.setText(
            self.tr("{week} · {monday} – {sunday}").format(
                week=plan.label, monday=plan.monday.strftime("%m-%d"), sunday=plan.sunday.strftime("%m-%d")
            )
        )
        self._build_grid(plan)
        if plan.gaps:
            items = "、".join(
                html.escape(f"{gap.institution}（{gap.team}）" if gap.team else gap.institution) for gap in plan.gaps
            )
            self.gaps_label.setText(
                "⚠ " + html.escape(self.tr("Not meeting the agreement (at least one round a week):")) + " " + items
            )
        self.gaps_label.setVisible(bool(plan.gaps))
        self.ended_label.setText("\n".join("⚠ " + self._ended_text(ended) for ended in plan.ended))
        self.ended_label.setVisible(bool(plan.ended))
        self.generated_label.setText(
            self.tr("Generated %n round(s) from the agreements.", "", plan.created) if plan.created else ""
        )
        self.generated_label.setVisible(bool(plan.created))
        chosen = self._selected if self._selected in self.round_buttons else None
        if chosen is None:
            upcoming = [r for r in plan.rounds if not r.past and not r.cancelled]
            chosen = upcoming[0].id if upcoming else (plan.rounds[0].id if plan.rounds else None)
        self.select_round(chosen)
        self.planned.emit(plan)

    def _ended_text(self, ended: EndedAgreement) -> str:
        if ended.rounds:  # rounds booked without an agreement: its residents are not left without rounds
            return self.tr(
                "{institution}: agreement ended {date} — %n round(s) booked this week without one "
                "({count} residents); renew the agreement",
                "",
                ended.rounds,
            ).format(institution=ended.institution, date=ended.ended.isoformat(), count=ended.residents)
        return self.tr("{institution}: agreement ended {date} — {count} residents not covered").format(
            institution=ended.institution, date=ended.ended.isoformat(), count=ended.residents
        )

    def _build_grid(self, plan: WeekPlan) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for button in self.button_group.buttons():
            self.button_group.removeButton(button)
        self.round_buttons.clear()
        today = self._today()
        for column, day in enumerate(plan.days, start=1):
            label = QLabel(f"{weekday_labels([day.isoweekday()])}\n{day.strftime('%m-%d')}", self.grid_widget)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if day == today:
                label.setStyleSheet("font-weight: bold; text-decoration: underline;")
            self.grid.addWidget(label, 0, column)
            self.grid.setColumnStretch(column, 1)
        teams: list[tuple[str | None, str]] = sorted(
            ((team.id, team.name) for team in plan.teams), key=lambda team: team_sort_key(team[1])
        )
        if any(r.team_id is None for r in plan.rounds):
            teams.append((None, self.tr("No team")))
        for row, (team_id, team_name) in enumerate(teams, start=1):
            title = QLabel(team_name, self.grid_widget)
            title.setWordWrap(True)
            title.setMaximumWidth(150)
            self.grid.addWidget(title, row, 0)
            for column, day in enumerate(plan.days, start=1):
                cell = QWidget(self.grid_widget)
                cell_layout = QVBoxLayout(cell)
                cell_layout.setContentsMargins(0, 0, 0, 0)
                cell_layout.setSpacing(4)
                for planned in plan.rounds:
                    if planned.day == day and planned.team_id == team_id:
                        button = RoundButton(planned, cell)
                        self.button_group.addButton(button)
                        self.round_buttons[planned.id] = button
                        cell_layout.addWidget(button)
                cell_layout.addStretch(1)
                self.grid.addWidget(cell, row, column)
        if not plan.rounds:
            empty = QLabel(self.tr("No rounds this week."), self.grid_widget)
            self.grid.addWidget(empty, len(teams) + 1, 0, 1, 8)
        # the new buttons show once the event loop runs: size the grid's area then
        QTimer.singleShot(0, self._fit_grid)

    def _fit_grid(self) -> None:
        self.grid_scroll.setMinimumHeight(min(self.grid_widget.sizeHint().height() + 6, 360))

    # --- the chosen round ---------------------------------------------------------------------------------------

    def select_round(self, round_id: str | None) -> None:
        """Show the residents due at a round of the week (None: none)."""
        self._selected = round_id
        planned = self.plan.round(round_id) if self.plan and round_id else None
        button = self.round_buttons.get(round_id or "")
        if button is not None:
            button.setChecked(True)
        self.due_model.set_round(planned)
        fit_to_rows(self.due_table, rows=20)
        if planned is None:
            self.detail_label.setText(self.tr("Choose a round above."))
        else:
            weekday = weekday_labels([planned.day.isoweekday()])
            if planned.cancelled:
                what = self.tr("cancelled: {reason}").format(reason=planned.cancel_reason)
            elif planned.past:
                what = self.tr("held; {count} seen").format(count=planned.seen)
            else:
                counts = "  ".join(f"{c.badge} {n}" for c, n in planned.due_by_colour.items())
                what = self.tr("{count} due: {counts}").format(count=len(planned.due), counts=counts)
            self.detail_label.setText(
                f"{planned.institution}  {planned.day.isoformat()} {weekday}  {planned.team}  —  {what}"
            )
        note = ""
        if planned is not None and planned.cancelled:
            note = self.tr("This round was cancelled: no residents are due at it. Restore round plans it again.")
        elif planned is not None and planned.past:
            note = self.tr(
                "This round was held on {day}: {count} resident(s) seen. Residents due are listed for rounds "
                "still to come; use Record visits to see who was seen and what was recorded."
            ).format(day=planned.day.isoformat(), count=planned.seen)
        self.due_note.setText(note)
        self.due_note.setVisible(bool(note))
        self.due_table.setHidden(bool(note))
        self._update_buttons()

    def selected_round(self) -> PlannedRound | None:
        return self.plan.round(self._selected) if self.plan and self._selected else None

    def _update_buttons(self) -> None:
        planned = self.selected_round()
        changeable = planned is not None and planned.status not in ("done", "cancelled")
        tip = "" if self.may_plan else self.tr("Only a doctor or an administrator can change rounds")
        for button in (self.move_button, self.cancel_button):
            button.setEnabled(self.may_plan and changeable)
            button.setToolTip(tip)
        cancelled = planned is not None and planned.cancelled
        self.cancel_button.setVisible(not cancelled)
        self.restore_button.setVisible(cancelled)
        self.restore_button.setEnabled(self.may_plan and cancelled)
        self.restore_button.setToolTip(tip or self.tr("Plan this cancelled round again"))
        self.add_button.setEnabled(self.may_plan)
        self.add_button.setToolTip(tip)
        self.print_button.setEnabled(planned is not None and not planned.cancelled)
        self.record_button.setEnabled(self.may_record and planned is not None and not planned.cancelled)
        self.record_button.setToolTip(
            self.tr("Open this round on the visit page")
            if self.may_record
            else self.tr("Only doctors and nurses record visits")
        )

    @Slot()
    def record_selected(self) -> None:
        """Open the chosen round on the visit page, to record its visits."""
        planned = self.selected_round()
        if planned is not None and not planned.cancelled and self.may_record:
            self.open_round_requested.emit(planned.id)

    # --- changing rounds -------------------------------------------------------------------------------------------

    @Slot()
    def move_selected(self) -> None:
        planned = self.selected_round()
        if planned is None:
            return
        dialog = DayDialog(
            self.tr("Move the round at {institution}").format(institution=planned.institution), planned.day, None, self
        )
        # read the dialog here, on the GUI thread: the work runs later on the database thread, when the dialog
        # may be deleted already (finished → deleteLater); reading it there failed now and then (a hung test)
        dialog.accepted.connect(lambda: self._move(planned.id, dialog.day()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot()
    def cancel_selected(self) -> None:
        planned = self.selected_round()
        if planned is None:
            return
        dialog = CancelDialog(planned, self)
        dialog.accepted.connect(lambda: self._cancel(planned.id, dialog.reason()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot()
    def restore_selected(self) -> None:
        """Plan the chosen cancelled round again (no question: nothing is lost, the trail keeps the reason)."""
        planned = self.selected_round()
        if planned is None or not planned.cancelled or not self.may_plan:
            return
        round_id = planned.id
        self._run_change(lambda uow: restore_round(uow, round_id=round_id))

    @Slot()
    def add_round(self) -> None:
        context, today = self._context, self._today()
        Op(self, lambda: institutions_with_agreements(context.uow(), today=today)).success(self._ask_new_round).run()

    def _ask_new_round(self, institutions: list[tuple[str, str]]) -> None:
        start = max(self.monday, self._today())
        dialog = DayDialog(self.tr("Add a round"), start, institutions, self)
        dialog.setObjectName("addRoundDialog")

        def add() -> None:
            institution_id, day = dialog.institution_id(), dialog.day()  # on the GUI thread, see move_selected
            if institution_id:
                self._run_change(lambda uow: add_round(uow, institution_id=institution_id, day=day))

        dialog.accepted.connect(add)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _move(self, round_id: str, day: date) -> None:
        self._run_change(lambda uow: move_round(uow, round_id=round_id, to=day))

    def _cancel(self, round_id: str, reason: str) -> None:
        self._run_change(lambda uow: cancel_round(uow, round_id=round_id, reason=reason))

    def _run_change(self, change: Callable[[Any], Any]) -> None:
        context = self._context
        Op(self, lambda: change(context.uow())).success(lambda _: self._changed()).run()

    def _changed(self) -> None:
        self.changed.emit()
        self.refresh()

    # --- printing --------------------------------------------------------------------------------------------------

    @Slot()
    def print_selected(self) -> None:
        """Build the chosen round's sheet and preview it."""
        planned = self.selected_round()
        if planned is None:
            return
        context, today = self._context, self._today()
        out = preview_file("round-sheet.pdf")
        name = f"{planned.institution}-{planned.day.isoformat()}"
        Op(self, lambda: print_round_sheet(context.uow(), round_id=planned.id, out=out, today=today)).with_progress(
            self.tr("Preparing the round sheet…")
        ).success(
            lambda printed: show_pdf_preview(
                self,
                printed.path,
                title=self.tr("Round sheet — {institution} {day}").format(
                    institution=planned.institution, day=planned.day.isoformat()
                ),
                file_name=f"{name}.pdf",
                database=context.database.path,
            )
        ).run()

    def theme_changed(self) -> None:
        self.due_model.layoutChanged.emit()
