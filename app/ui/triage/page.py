"""Triage review — 分类审核: residents whose suggested colour differs from their confirmed one.

A doctor (or administrator) confirms the suggestion for one or many residents, or overrides it with a
reason; nurses and assistants see the same list and reasons but cannot decide (the service refuses, the
buttons say why). The panel on the right shows the selected resident's suggestion with every reason,
the confirmed colour and the colour history. Colours always show as symbol, word and colour.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.domain.permissions import Action
from app.domain.triage import age_on
from app.services.printing import print_triage_list
from app.services.reports.exports import ListFilters, ListKind
from app.services.triage import (
    HistoryEntry,
    ResidentTriage,
    ReviewRow,
    TriageChanges,
    confirm_suggestions,
    may,
    override_colour,
    refresh_suggestions,
    resident_triage,
    triage_review,
)
from app.ui.reports.export_action import ExcelExport
from app.ui.residents.table import (
    ResidentTableModel,
    fit_to_rows,
    list_toolbar,
    make_resident_table,
    set_badge_columns,
)
from app.ui.shell.tasks import Op
from app.ui.widgets.badges import badge_html, colour_qcolor, set_text_scale
from app.ui.widgets.pdf_preview import preview_file, show_pdf_preview
from app.ui.widgets.tables import read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext

COLOUR_ORDER = (TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN)


class ReviewModel(ResidentTableModel):
    """The review list: institution, bed, name, age, confirmed colour, suggested colour, reasons."""

    COLUMNS = ("institution", "bed", "name", "age", "colour", "suggested", "reasons")
    COLOUR, SUGGESTED = 4, 5
    COLOUR_COLUMNS = (COLOUR, SUGGESTED)
    NUMBER_COLUMNS = (3,)

    def __init__(self, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today

    def titles(self) -> tuple[str, ...]:
        return (
            self.tr("Institution"),
            self.tr("Bed"),
            self.tr("Name"),
            self.tr("Age"),
            self.tr("Confirmed"),
            self.tr("Suggested"),
            self.tr("Why"),
        )

    def display(self, row: ReviewRow, column: int) -> str:
        resident = row.resident
        values = (
            row.institution,
            resident.bed_label,
            resident.name,
            str(age_on(resident.birth_date, self.today)),
            self.tr("— not confirmed yet") if row.unconfirmed else row.colour.badge,
            row.suggested.badge,
            row.suggestion.text,
        )
        return values[column]

    def colour(self, row: ReviewRow, column: int) -> TriageColour:
        return row.colour if column == self.COLOUR else row.suggested

    def tooltip(self, row: ReviewRow, column: int) -> str | None:
        if column == 6:
            return "\n".join(f"• {reason.text}" for reason in row.reasons)
        return None


class HistoryModel(ResidentTableModel):
    """A resident's colour history, newest first: when, colour, suggested, by whom, override reason."""

    COLUMNS = ("when", "colour", "suggested", "by", "override_reason")
    COLOUR_COLUMNS = (1, 2)

    def titles(self) -> tuple[str, ...]:
        return (self.tr("When"), self.tr("Colour"), self.tr("Suggested"), self.tr("By"), self.tr("Override reason"))

    def display(self, entry: HistoryEntry, column: int) -> str:
        return (
            entry.decided_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            entry.colour.badge,
            entry.suggested.badge,
            entry.decided_by or "–",
            entry.override_reason,
        )[column]

    def colour(self, entry: HistoryEntry, column: int) -> TriageColour:
        return entry.colour if column == 1 else entry.suggested

    def tooltip(self, entry: HistoryEntry, column: int) -> str | None:
        return "\n".join(f"• {reason.text}" for reason in entry.reasons) or None


class TriageHistoryPanel(QWidget):
    """One resident's triage: the suggestion with every reason, the confirmed colour, the history.

    Embeddable in the resident record: call :meth:`load` with a resident id.

    Args:
        context: the open database.
        parent: the owning widget.
        today: returns the day the rules are applied on.

    Signals:
        loaded(object): the :class:`~app.services.triage.ResidentTriage` now shown.
    """

    loaded = Signal(object)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("triageHistory")
        self._context = context
        self._today = today
        self.triage: ResidentTriage | None = None
        self.name_label = QLabel(self)
        set_text_scale(self.name_label, 1.2)
        self.colour_label = QLabel(self)
        self.colour_label.setObjectName("confirmedColour")
        self.colour_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label = QLabel(self)
        self.suggestion_label.setObjectName("suggestedColour")
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history_title = QLabel(self.tr("Colour history"), self)
        self.history_model = HistoryModel(self)
        self.history = read_only_table(self, self.history_model, "historyTable", several=True, shaded=False)
        set_badge_columns(self.history, HistoryModel.COLOUR_COLUMNS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name_label)
        layout.addWidget(self.colour_label)
        layout.addWidget(self.suggestion_label)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        self.clear()

    def clear(self) -> None:
        self.triage = None
        self.name_label.setText(self.tr("No resident chosen"))
        self.colour_label.clear()
        self.suggestion_label.setText(self.tr("Choose a resident in the list to see the reasons and the history."))
        self.history_model.set_rows([])

    def load(self, resident_id: str) -> None:
        """Fetch and show one resident's triage (on the database thread)."""
        context, today = self._context, self._today()
        Op(self, lambda: resident_triage(context.uow(), resident_id=resident_id, today=today)).latest_only(
            f"triage-history-{id(self)}"
        ).success(self._show).run()

    def _show(self, triage: ResidentTriage) -> None:
        self.triage = triage
        self.name_label.setText(triage.name)
        self.colour_label.setText(html.escape(self.tr("Confirmed colour:")) + " " + badge_html(triage.colour))
        if triage.suggestion is None:
            self.suggestion_label.setText(html.escape(self.tr("Not in residence: not triaged.")))
        else:
            reasons = "".join(f"<li>{html.escape(reason.text)}</li>" for reason in triage.suggestion.reasons)
            self.suggestion_label.setText(
                html.escape(self.tr("Suggested by the rules:"))
                + " "
                + badge_html(triage.suggestion.colour)
                + f"<ul style='margin-left:-20px'>{reasons}</ul>"
            )
        self.history_model.set_rows(triage.history)
        fit_to_rows(self.history)
        self.loaded.emit(triage)


class OverrideDialog(QDialog):
    """Choose a colour other than the suggestion and say why (the reason is required).

    Args:
        count: how many residents the override is for.
        current: the colour to preselect.
        parent: the owning widget.
    """

    def __init__(self, count: int, current: TriageColour, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        self.setWindowTitle(self.tr("Set a colour"))
        intro = QLabel(
            self.tr(
                "Set the colour of {count} resident(s) instead of the suggestion. The reason is kept in the "
                "colour history."
            ).format(count=count),
            self,
        )
        intro.setWordWrap(True)
        self.buttons_group = QButtonGroup(self)
        choices = QHBoxLayout()
        self.colour_buttons: dict[TriageColour, QRadioButton] = {}
        for colour in COLOUR_ORDER:
            button = QRadioButton(f"{colour.badge}  {colour.group}", self)
            button.setObjectName(f"colour-{colour.value}")
            button.setStyleSheet(f"color: {colour_qcolor(colour).name()}")
            self.buttons_group.addButton(button)
            self.colour_buttons[colour] = button
            choices.addWidget(button)
        self.colour_buttons[current].setChecked(True)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("overrideReason")
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(self.tr("e.g. stable for three months, family present daily"))
        reason_label = QLabel(self.tr("&Reason (required):"), self)
        reason_label.setBuddy(self.reason_edit)
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choices)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.box)
        self._update()
        self.reason_edit.setFocus()

    def _update(self) -> None:
        self.box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason().strip()))

    def colour(self) -> TriageColour:
        return next(colour for colour, button in self.colour_buttons.items() if button.isChecked())

    def reason(self) -> str:
        return self.reason_edit.text()


class TriagePage(QWidget):
    """The triage review page.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.
        today: returns the day the rules are applied on (``date.today`` by default; tests fix it).

    Signals:
        refreshed(int): the list was fetched again; the number of residents on it.
        decided(object): a confirmation or override finished; the :class:`~app.services.triage.TriageChanges`.
    """

    refreshed = Signal(int)
    decided = Signal(object)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("triagePage")
        self._context = context
        self._today = today
        self._rows: list[ReviewRow] = []
        self.may_decide = False
        self._loaded_once = False

        top = list_toolbar(
            self,
            context,
            title=self.tr("Triage review"),
            institution_label=self.tr("&Institution:"),
            refresh_text=self.tr("Re&compute"),
            combo_name="triageInstitution",
            count_name="reviewCount",
        )
        self.institution_combo = top.institution_combo
        self.count_label = top.count_label
        self.refresh_button = top.refresh_button
        self.refresh_button.setObjectName("recompute")
        self.refresh_button.setToolTip(self.tr("Apply the rules to every resident again (F5)"))

        self.role_label = QLabel(self)
        self.role_label.setObjectName("roleNote")
        self.role_label.setWordWrap(True)
        self.role_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.role_label.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("triageStatus")
        self.status_label.setWordWrap(True)

        self.model = ReviewModel(today(), self)
        self.table = make_resident_table(self, self.model, "reviewTable")
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.confirm_button = QPushButton(self.tr("C&onfirm suggestion"), self)
        self.confirm_button.setObjectName("confirmSuggestion")
        self.confirm_button.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return))
        self.override_button = QPushButton(self.tr("Set &another colour…"), self)
        self.override_button.setObjectName("overrideColour")
        self.print_button = QPushButton(self.tr("&Print triage list…"), self)
        self.print_button.setObjectName("printTriageList")
        self.print_button.setToolTip(self.tr("The list for the home's staff: choose an institution first"))
        self.selection_hint = QLabel(self.tr("Ctrl+A selects all; Ctrl+click or Shift+click selects several"), self)
        self.selection_hint.setObjectName("selectionHint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.override_button)
        buttons.addWidget(self.selection_hint)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        self.excel = ExcelExport(
            self,
            context,
            ListKind.TRIAGE,
            filters=lambda: ListFilters(institution_id=self.institution_combo.currentData()),
            today=self._today,
            file_name=lambda: self.tr("triage list"),
        )
        buttons.addWidget(self.excel.button)

        self.history_panel = TriageHistoryPanel(context, self, today=today)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(buttons)
        splitter.addWidget(left)
        splitter.addWidget(self.history_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top.layout)
        layout.addWidget(self.role_label)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.institution_combo.currentIndexChanged.connect(self._filter)
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.override_button.clicked.connect(self.override_selected)
        self.print_button.clicked.connect(self.print_list)
        self.setTabOrder(self.institution_combo, self.table)
        self.setTabOrder(self.table, self.confirm_button)
        self.setTabOrder(self.confirm_button, self.override_button)
        self._update_buttons()

    # --- fetching --------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous() and not self._loaded_once:
            self._loaded_once = True
            self.institution_combo.load_once()
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Apply the rules again, then fetch the review list (on the database thread)."""
        context, today = self._context, self._today()
        self.refresh_button.setEnabled(False)

        def work() -> tuple[list[ReviewRow], bool]:
            refresh_suggestions(context.uow(), today=today)
            return triage_review(context.uow(), today=today), may(context.uow(), Action.CONFIRM_TRIAGE)

        Op(self, work).with_progress(self.tr("Applying the triage rules…")).latest_only("triage-review").success(
            self._show
        ).failure(self._failed).run()

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.status_label.setText(str(error))

    def _show(self, result: tuple[list[ReviewRow], bool]) -> None:
        rows, may_decide = result
        self.refresh_button.setEnabled(True)
        self._rows = rows
        self.may_decide = may_decide
        self.role_label.setVisible(not may_decide)
        self.role_label.setText(
            self.tr(
                "You can see the suggestions and their reasons; only a doctor or an administrator can confirm "
                "or change a colour."
            )
        )
        self._filter()
        self.refreshed.emit(self.model.rowCount())

    def _filter(self) -> None:
        institution = self.institution_combo.currentData()
        rows = [row for row in self._rows if institution is None or row.resident.institution_id == institution]
        self.model.today = self._today()
        self.model.set_rows(rows)
        fit_to_rows(self.table)
        count = len(rows)
        self.count_label.setText(self.tr("{count} to review").format(count=count))
        if count:
            self.table.selectRow(0)
        else:
            self.history_panel.clear()
        self._update_buttons()

    # --- selecting and deciding ------------------------------------------------------------------------------

    def selected_rows(self) -> list[ReviewRow]:
        """Return the review rows selected in the table, top to bottom."""
        indexes = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(row) for row in indexes]

    def _selection_changed(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.history_panel.load(self.model.row_at(current.row()).resident_id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.table.selectionModel().selectedRows()) if self.table.selectionModel() else 0
        chosen = bool(count)
        if count > 1:
            self.confirm_button.setText(self.tr("C&onfirm {count} suggestions").format(count=count))
            self.override_button.setText(self.tr("Set &another colour for {count}…").format(count=count))
        else:
            self.confirm_button.setText(self.tr("C&onfirm suggestion"))
            self.override_button.setText(self.tr("Set &another colour…"))
        self.selection_hint.setVisible(self.may_decide)
        for button in (self.confirm_button, self.override_button):
            button.setEnabled(self.may_decide and chosen)
            button.setToolTip(
                "" if self.may_decide else self.tr("Only a doctor or an administrator can confirm colours")
            )
        self.print_button.setEnabled(self.institution_combo.currentData() is not None)

    @Slot()
    def confirm_selected(self) -> None:
        """Confirm the suggested colour of every selected resident."""
        rows = self.selected_rows()
        if not rows:
            return
        context, today = self._context, self._today()
        expected = {row.resident_id: row.suggested for row in rows}
        ids = [row.resident_id for row in rows]
        Op(self, lambda: confirm_suggestions(context.uow(), resident_ids=ids, today=today, expected=expected)).success(
            self._decided
        ).run()

    @Slot()
    def override_selected(self) -> None:
        """Ask for a colour and a reason, then set it for every selected resident."""
        rows = self.selected_rows()
        if not rows:
            return
        dialog = OverrideDialog(len(rows), rows[0].colour, self)
        dialog.accepted.connect(lambda: self._override([row.resident_id for row in rows], dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _override(self, ids: list[str], dialog: OverrideDialog) -> None:
        context, today = self._context, self._today()
        colour, reason = dialog.colour(), dialog.reason()
        Op(
            self,
            lambda: override_colour(context.uow(), resident_ids=ids, colour=colour, reason=reason, today=today),
        ).success(self._decided).run()

    def _decided(self, changes: TriageChanges) -> None:
        message = self.tr("Colours updated for {count} resident(s).").format(count=len(changes.decided))
        if changes.rejected:
            lines = "; ".join(f"{r.name or r.resident_id}: {r.message}" for r in changes.rejected)
            message += " " + self.tr("Not changed: {lines}").format(lines=lines)
        self.status_label.setText(message)
        self.decided.emit(changes)
        self.refresh()

    # --- printing ----------------------------------------------------------------------------------------------

    @Slot()
    def print_list(self) -> None:
        """Build the triage list of the chosen institution and preview it."""
        institution_id = self.institution_combo.currentData()
        if institution_id is None:
            return
        name = self.institution_combo.currentText()
        context, today = self._context, self._today()
        out = preview_file("triage-list.pdf")
        Op(
            self, lambda: print_triage_list(context.uow(), institution_id=institution_id, out=out, today=today)
        ).with_progress(self.tr("Preparing the triage list…")).success(
            lambda printed: show_pdf_preview(
                self,
                printed.path,
                title=self.tr("Triage list — {name}").format(name=name),
                file_name=f"{name}-{today.isoformat()}.pdf",
                database=context.database.path,
            )
        ).run()

    def theme_changed(self) -> None:
        """Recolour the colour columns for the new theme."""
        self.model.layoutChanged.emit()
