"""The agreements of one institution — 签约协议: a table and the form to add, edit or remove one.

The panel sits beside the institution editor on :class:`~app.ui.institutions.page.InstitutionsPage`. It
shows the chosen institution's agreements (newest first), each with its state as symbol and word (never
colour alone), and an editor for the dates, round weekdays, rounds a week, team and services. The page
gives it the institution, the teams and the permission; saving and removing go through the page's
``submit`` (one action on the database thread each).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.agreements import AgreementState, weekday_labels
from app.domain.errors import ValidationError
from app.domain.i18n import t
from app.services.institutions import remove_agreement, save_agreement
from app.ui.record.fields import Column, DateField, RowsModel, confirm_remove, date_text, form_row, make_table
from app.ui.widgets.read_only import set_locked
from app.ui.widgets.tables import fit_columns

STATE_COLOURS = {
    AgreementState.EXPIRING: QColor("#b8860b"),
    AgreementState.EXPIRED: QColor("#c62828"),
    AgreementState.NONE: QColor("#c62828"),
    AgreementState.NOT_STARTED: QColor("#757575"),
}
STATE_SYMBOLS = {
    AgreementState.ACTIVE: "✓",
    AgreementState.EXPIRING: "⚠",
    AgreementState.EXPIRED: "✖",
    AgreementState.NONE: "✖",
    AgreementState.NOT_STARTED: "…",
}

Submit = Callable[[Callable[[Any], object], Callable[[object], None]], None]
"""Run ``work(uow)`` as one action on the database thread, then ``done(result)`` on the GUI thread."""


def state_text(state: AgreementState) -> str:
    """Return an agreement state as symbol and word: ``⚠ 即将到期``."""
    return f"{STATE_SYMBOLS[state]} {state.label}"


class AgreementsPanel(QGroupBox):
    """The chosen institution's agreements and the form to add or change one.

    Args:
        parent: the owning widget.
        today: the day a new agreement starts on by default.
        submit: the page's way to run a change on the database thread (see :data:`Submit`).
        show_error: shows a refused value (the page's error banner, with the field focused).

    Attributes:
        institution_id: the institution whose agreements are shown; None disables the panel.
        agreement_id: the agreement in the form; None for a new one.
    """

    def __init__(
        self,
        parent: QWidget | None,
        *,
        today: Callable[[], date],
        submit: Submit,
        show_error: Callable[[ValidationError], None],
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Agreements"))
        self._today = today
        self._submit = submit
        self._show_error = show_error
        self.institution_id: str | None = None
        self.agreement_id: str | None = None
        self.may_edit = False

        self.model = RowsModel([], self)
        self.table = make_table(self.model, self, "agreementTable")
        rows_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(rows_height * 3)
        self.model.set_columns(
            [
                Column(self.tr("From"), lambda a: date_text(a.start_date)),
                Column(self.tr("Until"), lambda a: date_text(a.end_date) or self.tr("open-ended")),
                Column(self.tr("State"), lambda a: state_text(a.state), colour=lambda a: STATE_COLOURS.get(a.state)),
                Column(self.tr("Round days"), lambda a: weekday_labels(a.round_weekdays)),
                Column(self.tr("Per week"), lambda a: str(a.min_rounds_per_week), align_right=True),
                Column(self.tr("Team"), lambda a: a.team_name),
            ]
        )
        self.start_edit = DateField("agreement_start", self)
        self.end_edit = DateField("agreement_end", self)
        self.end_edit.setPlaceholderText(self.tr("empty = open-ended"))
        self.end_edit.setMinimumWidth(
            self.end_edit.fontMetrics().horizontalAdvance(self.end_edit.placeholderText()) + 36
        )
        self.weekday_checks: list[QCheckBox] = []
        weekdays = QHBoxLayout()
        for day in range(1, 8):
            check = QCheckBox(t(f"weekday.{day}"), self)
            check.setObjectName(f"weekday{day}")
            self.weekday_checks.append(check)
            weekdays.addWidget(check)
        weekdays.addStretch(1)
        self.frequency_spin = QSpinBox(self)
        self.frequency_spin.setObjectName("min_rounds_per_week")
        self.frequency_spin.setRange(1, 7)
        self.team_combo = QComboBox(self)
        self.team_combo.setObjectName("team")
        self.services_edit = QLineEdit(self)
        self.services_edit.setObjectName("services")
        self.services_edit.setMaxLength(200)
        self.new_button = QPushButton(self.tr("New"), self)
        self.new_button.setObjectName("newAgreement")
        self.new_button.clicked.connect(self.clear)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("removeAgreement")
        self.remove_button.clicked.connect(self.remove)
        self.save_button = QPushButton(self.tr("Add a&greement"), self)
        self.save_button.setObjectName("saveAgreement")
        self.save_button.clicked.connect(self.save)
        self._lay_out(weekdays)
        self.table.selectionModel().selectionChanged.connect(self._chosen)

    def _lay_out(self, weekdays: QHBoxLayout) -> None:
        form = QFormLayout()
        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        until = QLabel(self.tr("&until"), self)
        until.setBuddy(self.end_edit)
        dates.addWidget(until)
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        start_label = QLabel(self.tr("Fr&om:"), self)
        start_label.setBuddy(self.start_edit)
        form.addRow(start_label, dates)
        weekdays_label = QLabel(self.tr("Round &weekdays:"), self)
        weekdays_label.setBuddy(self.weekday_checks[0])
        form.addRow(weekdays_label, weekdays)
        frequency = QHBoxLayout()
        frequency.addWidget(self.frequency_spin)
        team_label = QLabel(self.tr("&Team:"), self)
        team_label.setBuddy(self.team_combo)
        frequency.addWidget(team_label)
        frequency.addWidget(self.team_combo, 1)
        frequency_label = QLabel(self.tr("At &least, rounds a week:"), self)
        frequency_label.setBuddy(self.frequency_spin)
        form.addRow(frequency_label, frequency)
        form_row(form, self.tr("Ser&vices:"), self.services_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def fields(self) -> dict[str, QWidget]:
        """Return the editor of each field name a refusal may name (to focus it)."""
        return {
            "agreement_start": self.start_edit,
            "agreement_end": self.end_edit,
            "round_weekdays": self.weekday_checks[0],
            "min_rounds_per_week": self.frequency_spin,
            "agreement_services": self.services_edit,
            "agreement_team": self.team_combo,
        }

    def fit_columns(self) -> None:
        fit_columns(self.table, ["2026-12-31", "2026-12-31", "⚠ Expiring", "Mon, Thu", "9"])

    # --- what the page gives it ---------------------------------------------------------------------------------

    def fill_teams(self, teams: Sequence[Any]) -> None:
        """Offer ``teams`` (and none) in the team box, keeping the one chosen."""
        current = self.team_combo.currentData()
        self.team_combo.clear()
        self.team_combo.addItem(self.tr("(none)"), None)
        for team in teams:
            self.team_combo.addItem(team.name, team.id)
        self.team_combo.setCurrentIndex(max(0, self.team_combo.findData(current)))

    def show_agreements(self, institution_id: str | None, agreements: Sequence[Any]) -> None:
        """Show ``institution_id``'s agreements with an empty form (None: no institution, panel disabled)."""
        self.institution_id = institution_id
        self.model.set_rows(list(agreements))
        self.setEnabled(institution_id is not None)
        self.clear()
        if institution_id is not None and not self.may_edit and agreements:
            self.table.selectRow(0)  # nothing to add: show the newest agreement's details

    def set_editable(self, may_edit: bool) -> None:
        """Make the form editable, or read-only with its buttons hidden."""
        self.may_edit = may_edit
        for edit in (self.start_edit, self.end_edit, self.services_edit):
            edit.setReadOnly(not may_edit)
        self.frequency_spin.setReadOnly(not may_edit)
        for widget in (self.team_combo, *self.weekday_checks):
            set_locked(widget, not may_edit)
        for button in (self.new_button, self.remove_button, self.save_button):
            button.setVisible(may_edit)
        self.end_edit.setPlaceholderText(self.tr("empty = open-ended") if may_edit else self.tr("open-ended"))

    # --- the form -------------------------------------------------------------------------------------------------

    @Slot()
    def clear(self) -> None:
        """Empty the agreement form for a new agreement (weekly on Monday by default)."""
        self.agreement_id = None
        self.table.clearSelection()
        self.start_edit.set_value(self._today())
        self.end_edit.clear()
        for day, check in enumerate(self.weekday_checks, start=1):
            check.setChecked(day == 1)
        self.frequency_spin.setValue(1)
        self.team_combo.setCurrentIndex(0)
        self.services_edit.clear()
        self.remove_button.setEnabled(False)
        self.save_button.setText(self.tr("Add a&greement"))

    def _chosen(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        agreement = self.model.row_at(rows[0].row())
        self.agreement_id = agreement.id
        self.start_edit.set_value(agreement.start_date)
        self.end_edit.set_value(agreement.end_date)
        for day, check in enumerate(self.weekday_checks, start=1):
            check.setChecked(day in agreement.round_weekdays)
        self.frequency_spin.setValue(agreement.min_rounds_per_week)
        self.team_combo.setCurrentIndex(max(0, self.team_combo.findData(agreement.team_id)))
        self.services_edit.setText(agreement.services)
        self.remove_button.setEnabled(True)
        self.save_button.setText(self.tr("Save a&greement"))

    @Slot()
    def save(self) -> None:
        """Add the agreement in the form to the chosen institution, or save the agreement chosen."""
        if self.institution_id is None:
            return
        try:
            start, end = self.start_edit.value(), self.end_edit.value()
        except ValidationError as error:
            self._show_error(error)
            return
        if start is None:
            self._show_error(ValidationError("agreement_start", "", "date.required"))
            return
        values = {
            "institution_id": self.institution_id,
            "start_date": start,
            "end_date": end,
            "round_weekdays": tuple(day for day, c in enumerate(self.weekday_checks, start=1) if c.isChecked()),
            "min_rounds_per_week": self.frequency_spin.value(),
            "services": self.services_edit.text(),
            "team_id": self.team_combo.currentData(),
        }
        agreement_id = self.agreement_id
        self._submit(lambda uow: save_agreement(uow, agreement_id=agreement_id, **values), lambda _id: None)

    @Slot()
    def remove(self) -> None:
        """Remove the chosen agreement (after asking)."""
        agreement_id = self.agreement_id
        if agreement_id is None:
            return
        rows = self.table.selectionModel().selectedRows()
        described = ""
        if rows:
            chosen = self.model.row_at(rows[0].row())
            described = f"{date_text(chosen.start_date)} – {date_text(chosen.end_date)}"
        if not confirm_remove(self, described):
            return
        self._submit(lambda uow: remove_agreement(uow, agreement_id=agreement_id), lambda _none: None)
