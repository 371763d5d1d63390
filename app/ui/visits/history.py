"""A resident's visit history — 巡诊记录 — for the resident record: a chart, a table and the versions.

:class:`VisitHistoryWidget`: the BP / glucose chart (:class:`~app.ui.widgets.bp_chart.VitalsChart`) above the
table of visits (:class:`~app.ui.visits.history_model.VisitHistoryModel`), newest first. *Show earlier
versions* lists the versions a correction replaced under it. The pane below shows the chosen version in full,
with what each correction changed. *Correct…* opens :class:`~app.ui.visits.visit_dialog.VisitDialog` on the
latest version.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.follow_up import Adherence, FootPulse
from app.domain.permissions import Action
from app.domain.visit_changes import field_labels
from app.domain.visits import VisitEntry
from app.domain.vitals import FlagLevel
from app.services.sync.overview import record_sync_states
from app.services.triage import may
from app.services.visits.drafts import DraftStore
from app.services.visits.save import VisitHistory, VisitSaved, visit_history
from app.ui.shell.tasks import Op
from app.ui.visits.history_model import HistoryRow, VisitHistoryModel, follow_up_text
from app.ui.visits.questions import Questions, local_time
from app.ui.visits.visit_dialog import VisitDialog
from app.ui.widgets.bp_chart import VitalsChart
from app.ui.widgets.tables import fit_columns, read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext


@dataclass(frozen=True)
class _Loaded:
    history: VisitHistory
    may_correct: bool
    sync_states: dict[str, str]


class VisitHistoryWidget(QWidget):
    """The visit history of one resident, for the resident record's Visits tab.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.
        today: returns the day corrections are entered on (tests fix it).
        drafts: where the correction dialog keeps drafts (next to the database by default).
        questions: the questions a correction's save asks (message boxes by default).

    Signals:
        loaded(object): the :class:`~app.services.visits.save.VisitHistory` now shown.
        load_failed(str): the visits could not be loaded (the message shows in the count line).
        visit_corrected(object): a correction was saved (:class:`~app.services.visits.save.VisitSaved`).
    """

    loaded = Signal(object)
    load_failed = Signal(str)
    visit_corrected = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        drafts: DraftStore | None = None,
        questions: Questions | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitHistory")
        self._context = context
        self._today = today
        self._drafts = drafts
        self._questions = questions
        self.resident_id: str | None = None
        self.history: VisitHistory | None = None
        self._may_correct = False
        self.dialog: VisitDialog | None = None

        self.chart = VitalsChart(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("historyCount")
        self.earlier_check = QCheckBox(self.tr("Show &earlier versions of corrected visits"), self)
        self.earlier_check.setObjectName("showEarlier")
        self.earlier_check.toggled.connect(self._toggle_earlier)
        self.correct_button = QPushButton(self.tr("&Correct this visit…"), self)
        self.correct_button.setObjectName("correctFromHistory")
        self.correct_button.setEnabled(False)
        self.correct_button.clicked.connect(self.correct_selected)

        self.model = VisitHistoryModel(self)
        self.table = read_only_table(self, self.model, "visitHistoryTable", shaded=False)
        self.table.verticalHeader().setDefaultSectionSize(max(26, self.table.fontMetrics().height() + 8))
        fit_columns(
            self.table,
            (
                "↳ 2026-12-31",
                "Hospitalized",
                "‼ 188/112",
                "120",
                "‼ 37.5",
                "100",
                "‼ 17.2 F",
                "▲ 75.5",
                self.model.classes_sample(),  # both diseases' classes, as wide as they come
                "第2版，已被第3版更正",
                "陈立群",
                "○ not yet exported",
            ),
        )
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _index: self.correct_selected())

        self.details = QTextBrowser(self)
        self.details.setObjectName("visitDetails")
        self.details.setOpenLinks(False)

        tools = QHBoxLayout()
        tools.addWidget(self.count_label, 1)
        tools.addWidget(self.earlier_check)
        tools.addWidget(self.correct_button)
        lower = QSplitter(Qt.Orientation.Vertical, self)
        table_box = QWidget(lower)
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addLayout(tools)
        table_layout.addWidget(self.table, 1)
        lower.addWidget(self.chart)
        lower.addWidget(table_box)
        lower.addWidget(self.details)
        lower.setStretchFactor(0, 2)
        lower.setStretchFactor(1, 5)
        lower.setStretchFactor(2, 1)
        self.splitter = lower
        self._split_once = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(lower)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_once and self.splitter.height() > 0:
            # the table gets most of the room (it showed four rows at the record window's first size,
            # issue 14 §9); the chart and the details keep what they need, and the user may drag
            self._split_once = True
            total = sum(self.splitter.sizes()) or self.splitter.height()
            self.splitter.setSizes([total // 4, total * 3 // 5, total * 3 // 20])

    # --- loading --------------------------------------------------------------------------------------------

    def load(self, resident_id: str) -> None:
        """Load and show ``resident_id``'s visits (on the database thread)."""
        self.resident_id = resident_id
        context = self._context

        def work() -> _Loaded:
            history = visit_history(context.uow(), resident_id=resident_id)
            ids = [record.id for chain in history.chains for record in (chain.latest, *chain.earlier)]
            states = record_sync_states(context.uow(), table="visit", ids=ids) if ids else {}
            return _Loaded(history, may(context.uow(), Action.RECORD_VISITS), states)

        # a failure shows in the widget: a message box would wait for a click (and block a test forever)
        Op(self, work).latest_only(f"visit-history-{id(self)}").success(self._show).failure(self._load_failed).run()

    def reload(self) -> None:
        if self.resident_id is not None:
            self.load(self.resident_id)

    def _load_failed(self, error: BaseException) -> None:
        self.count_label.setText("⚠ " + self.tr("The visits could not be loaded: {error}").format(error=error))
        self.correct_button.setEnabled(False)
        self.load_failed.emit(str(error))

    def _show(self, loaded: _Loaded) -> None:
        history, may_correct = loaded.history, loaded.may_correct
        self.history = history
        self._may_correct = may_correct or self._context.actor_id is None
        selected = self.selected_row()
        selected_id = selected.record.id if selected else None
        self.model.set_chains(
            history.chains, show_earlier=self.earlier_check.isChecked(), sync_states=loaded.sync_states
        )
        self.chart.set_points(history.points)
        corrected = sum(1 for chain in history.chains if chain.corrected)
        self.count_label.setText(
            self.tr("%n visit(s), newest first", "", len(history.chains))
            + (" · " + self.tr("%n corrected", "", corrected) if corrected else "")
        )
        row = next((i for i, r in enumerate(self.model.rows()) if r.record.id == selected_id), 0)
        if self.model.rowCount():
            self.table.selectRow(row)
        else:
            self.details.setPlainText(self.tr("No visits recorded yet."))
            self.correct_button.setEnabled(False)
        self.loaded.emit(history)

    @Slot(bool)
    def _toggle_earlier(self, checked: bool) -> None:
        if self.history is not None:
            selected = self.selected_row()
            self.model.set_chains(self.history.chains, show_earlier=checked)
            if selected is not None:
                row = next((i for i, r in enumerate(self.model.rows()) if r.record.id == selected.record.id), 0)
                self.table.selectRow(row)

    def selected_row(self) -> HistoryRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() and index.row() < self.model.rowCount() else None

    @Slot(QModelIndex, QModelIndex)
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        row = self.model.row_at(current.row())
        colour = self.palette().color(QPalette.ColorRole.WindowText).name()  # the theme tints browsers; text reads best
        self.details.setHtml(f'<div style="color:{colour}">{self._details_html(row)}</div>')
        self.correct_button.setEnabled(row.latest and self._may_correct)

    def _details_html(self, row: HistoryRow) -> str:
        record = row.record
        entry = record.entry
        esc = html.escape
        title = self.tr("{date} — {outcome}").format(date=record.visit_date.isoformat(), outcome=record.outcome.label)
        lines = [f"<b>{esc(title)}</b>"]
        who = record.recorded_by_name or self.tr("the command line")
        lines.append(
            esc(
                self.tr("Version {version}, recorded by {who} on {when}").format(
                    version=record.version, who=who, when=local_time(record.created_at.isoformat())
                )
            )
        )
        sync = self.model.sync_text(self.model.sync_state(record.id), long=True)
        if sync:
            lines.append(esc(sync))
        if row.latest and row.chain.corrected:
            lines.append(
                esc(
                    self.tr("Corrected: this version replaces {count} earlier version(s).").format(
                        count=len(row.chain.earlier)
                    )
                )
            )
        if not row.latest:
            lines.append(
                "<i>"
                + esc(self.tr("Replaced by version {newer}; kept for the record.").format(newer=row.replaced_by))
                + "</i>"
            )
        changed = row.chain.changes.get(record.id)
        if changed:
            lines.append(
                esc(
                    self.tr("Changed from version {previous}: {fields}").format(
                        previous=record.version - 1, fields=field_labels(changed)
                    )
                )
            )
        if row.chain.forked:
            lines.append(
                "⚠ "
                + esc(self.tr("Two corrections of the same version were made on different devices; both are kept."))
            )
        if record.late:
            lines.append(esc(self.tr("Late entry: {reason}").format(reason=record.late_reason or "—")))
        flags = [f for f in record.assessment(row.chain.previous_weight).flags if f.level is not FlagLevel.NORMAL]
        for flag in flags:
            symbol = "‼" if flag.level is FlagLevel.URGENT else "▲"
            lines.append(f"{symbol} {esc(str(flag.reason))}")
        follow_up = self._follow_up_text(entry)
        if follow_up:
            caption = self.tr("Follow-up")
            lines.append(f"<b>{esc(caption)}:</b> {esc(follow_up)}")
        fields = (
            (self.tr("Lifestyle advice"), entry.lifestyle_advice),
            (self.tr("Findings"), entry.findings),
            (self.tr("Actions"), entry.actions),
            (self.tr("Medication changes"), entry.medication_changes),
            (self.tr("Next visit"), entry.next_visit_note),
        )
        for label, value in fields:
            if value:
                lines.append(f"<b>{esc(label)}:</b> {esc(value).replace(chr(10), '<br>')}")
        if entry.referral is not None:
            referral = entry.referral
            marks = [
                m
                for m, on in ((self.tr("urgent"), referral.urgent), (self.tr("green channel"), referral.green_channel))
                if on
            ]
            text = referral.destination + (f" ({', '.join(marks)})" if marks else "")
            if referral.reason:
                text += f": {referral.reason}"
            label = self.tr("Referral")
            lines.append(f"<b>{esc(label)}:</b> {esc(text)}")
        return "<br>".join(lines)

    def _follow_up_text(self, entry: VisitEntry) -> str:
        """Each disease's class (named), adherence, foot pulses, height: the follow-up form's values, as one line."""
        parts = [follow_up_text(entry, self.tr("{disease}: {value}"), name_one=True)]
        for text, kind in ((entry.adherence, Adherence), (entry.foot_pulse, FootPulse)):
            try:
                value = kind(text).label if text else ""
            except ValueError:
                value = text
            if value:
                caption = self.tr("Adherence: {value}") if kind is Adherence else self.tr("Foot pulses: {value}")
                parts.append(caption.format(value=value))
        if entry.height is not None:
            parts.append(self.tr("Height {value} cm").format(value=f"{entry.height:g}"))
        return " · ".join(part for part in parts if part)

    # --- correcting -----------------------------------------------------------------------------------------

    @Slot()
    def correct_selected(self) -> None:
        """Open the correction of the selected visit (its latest version)."""
        row = self.selected_row()
        if row is None or self.resident_id is None or not self._may_correct:
            return
        latest = row.chain.latest
        self.dialog = VisitDialog(
            self._context, self, today=self._today, drafts=self._drafts, questions=self._questions
        )
        self.dialog.saved.connect(self._corrected)
        self.dialog.finished.connect(self.dialog.deleteLater)
        self.dialog.open_visit(latest.resident_id, latest.id, correct=True)
        self.dialog.open()

    def close_dialog(self) -> None:
        """Close an open correction, keeping what was typed in it as a draft (the owner is closing)."""
        dialog, self.dialog = self.dialog, None
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.reject()

    def _corrected(self, result: VisitSaved) -> None:
        self.visit_corrected.emit(result)
        self.reload()
