"""Signed institutions — 签约机构: the list with coverage and agreement flags, and an editor below it.

The list shows each institution's kind, beds, residents in residence, signed residents and signing
coverage, and the agreement that speaks for it now, flagged when it expires within 60 days (⚠) or
has expired (✖) — always as symbol and word, never colour alone. Choosing an institution opens it in
the editor: its fields on the left, its agreements on the right. Each Save is one action.

Only roles with ``Action.EDIT_INSTITUTIONS`` (doctor, administrator) may change anything: for the others
(nurse, assistant) the page asks the permission table when it loads and shows everything read-only — the
fields cannot be edited, the Add/Save/Remove buttons are hidden and a note says why. The services refuse
the changes anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.agreements import EXPIRY_WARNING_DAYS, AgreementState, weekday_labels
from app.domain.errors import ValidationError
from app.domain.i18n import t
from app.domain.institutions import MEDICAL_UNITS, InstitutionKind, medical_unit_label
from app.domain.permissions import Action
from app.services.authz import permitted_actions
from app.services.institutions import (
    InstitutionDetails,
    institution_details,
    institution_overview,
    list_teams,
    save_institution,
)
from app.ui.institutions.agreements import STATE_COLOURS, AgreementsPanel, state_text
from app.ui.record.fields import (
    Column,
    ErrorBanner,
    RowsModel,
    date_text,
    focus_field,
    form_row,
    make_table,
)
from app.ui.shell.tasks import Op
from app.ui.widgets.badges import set_text_scale
from app.ui.widgets.read_only import set_locked
from app.ui.widgets.tables import fit_columns

if TYPE_CHECKING:
    from app.bootstrap import AppContext


def _kind_label(value: str) -> str:
    try:
        return InstitutionKind(value).label
    except ValueError:
        return value


class InstitutionsPage(QWidget):
    """List, add and edit institutions and their agreements.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.
        today: returns the day agreements are judged on (``date.today`` by default; tests fix it).

    Signals:
        institutionsChanged(): an institution or agreement was saved or removed (other pages may refresh).
        refreshed(int): the list is on screen; the number of institutions.

    Attributes:
        may_edit: whether the signed-in role may change institutions and agreements (False until the
            first load has asked).
    """

    institutionsChanged = Signal()
    refreshed = Signal(int)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("institutionsPage")
        self._context = context
        self._today = today
        self._busy = False
        self.details: InstitutionDetails | None = None
        self.teams: list[Any] = []
        self.may_edit = False
        self._permission_known = False

        heading = QLabel(self.tr("Institutions"), self)
        set_text_scale(heading, 1.5)
        self.add_button = QPushButton(self.tr("&New institution"), self)
        self.add_button.setObjectName("newInstitution")
        self.add_button.clicked.connect(self.new_institution)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.setToolTip(self.tr("Fetch the list again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.refresh_button)

        self.alert_label = QLabel(self)
        self.alert_label.setObjectName("agreementAlerts")
        self.alert_label.setWordWrap(True)
        self.alert_label.setTextFormat(Qt.TextFormat.RichText)
        self.read_only_label = QLabel(
            self.tr("Read-only: your role may look at institutions and agreements but not change them."), self
        )
        self.read_only_label.setObjectName("institutionsReadOnly")
        note_font = self.read_only_label.font()
        note_font.setBold(True)
        self.read_only_label.setFont(note_font)
        self.read_only_label.setWordWrap(True)
        self.read_only_label.hide()

        self.model = RowsModel([], self)
        self.table = make_table(self.model, self, "institutionTable")

        editor = QWidget()
        self._build_institution_form(editor)
        self.agreements = AgreementsPanel(editor, today=today, submit=self._submit, show_error=self._show_error)
        editor_layout = QHBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.institution_group, 5)
        editor_layout.addWidget(self.agreements, 6)

        # The list keeps room for several institutions; the editor scrolls when the window is short.
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 7)
        editor_scroll = QScrollArea(self)
        editor_scroll.setWidget(editor)
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(editor_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        self.banner = ErrorBanner(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.alert_label)
        layout.addWidget(self.read_only_label)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        self.table.selectionModel().selectionChanged.connect(self._institution_chosen)
        self.fields: dict[str, QWidget] = {
            "institution_name": self.name_edit,
            "institution_kind": self.kind_combo,
            "institution_address": self.address_edit,
            "beds": self.beds_spin,
            "medical_unit": self.unit_combo,
            "contact_person": self.contact_edit,
            "contact_phone": self.contact_phone_edit,
            "green_channel_hospital": self.hospital_edit,
            "green_channel_phone": self.hospital_phone_edit,
            **self.agreements.fields(),
        }
        self._loaded = False
        self._set_columns()
        self._apply_permission()
        self.new_institution()

    # --- building ---------------------------------------------------------------------------------------------

    def _set_columns(self) -> None:
        self.model.set_columns(
            [
                Column(self.tr("Institution"), lambda r: r.name),
                Column(self.tr("Kind"), lambda r: _kind_label(r.kind)),
                Column(self.tr("Beds"), lambda r: str(r.beds), align_right=True),
                Column(self.tr("In residence"), lambda r: str(r.in_residence), align_right=True),
                Column(self.tr("Signed"), lambda r: str(r.signed), align_right=True),
                Column(
                    self.tr("Coverage"), lambda r: "–" if r.coverage is None else f"{r.coverage:.0%}", align_right=True
                ),
                Column(
                    self.tr("Agreement until"),
                    lambda r: date_text(r.agreement_end) or self.tr("open-ended") if r.agreement_start else "",
                ),
                Column(
                    self.tr("Agreement"),
                    lambda r: state_text(r.agreement_state),
                    colour=lambda r: STATE_COLOURS.get(r.agreement_state),
                ),
                Column(self.tr("Round days"), lambda r: weekday_labels(r.round_weekdays)),
                Column(self.tr("Team"), lambda r: r.team_name),
            ]
        )
        self._fit_columns()

    def _fit_columns(self) -> None:
        fit_columns(
            self.table,
            [
                "虹梅社区综合为老服务",
                "Nursing hospital",
                "999",
                "999",
                "999",
                "100%",
                "2026-12-31",
                "⚠ Expiring soon",
                "Mon, Thu",
                "第一家庭医生团队",
            ],
        )
        self.agreements.fit_columns()

    def _build_institution_form(self, parent: QWidget) -> None:
        self.institution_group = QGroupBox(self.tr("Institution"), parent)
        self.name_edit = QLineEdit(self.institution_group)
        self.name_edit.setObjectName("institution_name")
        self.name_edit.setMaxLength(60)
        self.kind_combo = QComboBox(self.institution_group)
        self.kind_combo.setObjectName("kind")
        for kind in InstitutionKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.address_edit = QLineEdit(self.institution_group)
        self.address_edit.setObjectName("address")
        self.address_edit.setMaxLength(120)
        self.beds_spin = QSpinBox(self.institution_group)
        self.beds_spin.setObjectName("beds")
        self.beds_spin.setRange(0, 20_000)
        self.unit_combo = QComboBox(self.institution_group)
        self.unit_combo.setObjectName("medical_unit")
        for unit in MEDICAL_UNITS:
            self.unit_combo.addItem(medical_unit_label(unit), unit)
        self.contact_edit = QLineEdit(self.institution_group)
        self.contact_edit.setObjectName("contact_person")
        self.contact_phone_edit = QLineEdit(self.institution_group)
        self.contact_phone_edit.setObjectName("contact_phone")
        self.hospital_edit = QLineEdit(self.institution_group)
        self.hospital_edit.setObjectName("green_channel_hospital")
        self.hospital_phone_edit = QLineEdit(self.institution_group)
        self.hospital_phone_edit.setObjectName("green_channel_phone")
        self.save_button = QPushButton(self.tr("&Save institution"), self.institution_group)
        self.save_button.setObjectName("saveInstitution")
        self.save_button.clicked.connect(self.save_institution)
        self.changed_label = QLabel(self.institution_group)
        self.changed_label.setObjectName("institutionChanged")

        form = QFormLayout(self.institution_group)
        form_row(form, self.tr("N&ame:"), self.name_edit)
        form_row(form, self.tr("&Kind:"), self.kind_combo)
        form_row(form, self.tr("Add&ress:"), self.address_edit)
        form_row(form, self.tr("&Beds:"), self.beds_spin)
        form_row(form, self.tr("Internal &medical unit:"), self.unit_combo)
        form_row(form, self.tr("&Contact person:"), self.contact_edit)
        form_row(form, self.tr("Contact &phone:"), self.contact_phone_edit)
        form_row(form, self.tr("&Green-channel hospital:"), self.hospital_edit)
        form_row(form, self.tr("Green-channel p&hone:"), self.hospital_phone_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.changed_label, 1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)

    # --- loading ---------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self._fit_columns()
            self.refresh()

    def theme_changed(self) -> None:
        """Size the columns again for the new theme's fonts and padding."""
        self._fit_columns()

    @Slot()
    def refresh(self) -> None:
        """Fetch the list (and the teams) on the database thread; keep the chosen institution."""
        context, today = self._context, self._today()

        def load() -> tuple[list[Any], list[Any], bool]:
            may_edit = Action.EDIT_INSTITUTIONS in permitted_actions(context.uow())
            return institution_overview(context.uow(), today=today), list_teams(context.uow()), may_edit

        Op(self, load).latest_only(f"institutions-{id(self)}").success(self._show_list).run()

    def _show_list(self, loaded: tuple[list[Any], list[Any], bool]) -> None:
        rows, self.teams, may_edit = loaded
        if may_edit != self.may_edit or not self._permission_known:
            self.may_edit, self._permission_known = may_edit, True
            self._apply_permission()
            if self.details is None:
                self.new_institution()
        chosen = self.details.id if self.details else None
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        self.table.selectionModel().blockSignals(False)
        self.agreements.fill_teams(self.teams)
        self._show_alerts(rows)
        if chosen is not None:
            self.select_institution(chosen)
        self._loaded = True
        self.refreshed.emit(len(rows))

    def _show_alerts(self, rows: list[Any]) -> None:
        expiring = [r.name for r in rows if r.agreement_state is AgreementState.EXPIRING]
        expired = [r.name for r in rows if r.agreement_state in (AgreementState.EXPIRED, AgreementState.NONE)]
        parts = []
        separator = t("list.separator")
        if expiring:
            parts.append(
                '<span style="color:#b8860b">⚠</span> '
                + self.tr("Expiring within {days} days: {names}").format(
                    days=EXPIRY_WARNING_DAYS, names=separator.join(expiring)
                )
            )
        if expired:
            parts.append(
                '<span style="color:#c62828">✖</span> '
                + self.tr("Expired or no agreement: {names}").format(names=separator.join(expired))
            )
        self.alert_label.setText("<br>".join(parts) if parts else self.tr("✓ Every agreement is in force."))

    def select_institution(self, institution_id: str) -> None:
        """Choose the institution ``institution_id`` in the list and open it in the editor."""
        for row, item in enumerate(self.model.rows()):
            if item.id == institution_id:
                self.table.selectRow(row)
                return

    def _institution_chosen(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        institution_id = self.model.row_at(rows[0].row()).id
        context, today = self._context, self._today()
        Op(self, lambda: institution_details(context.uow(), institution_id=institution_id, today=today)).latest_only(
            f"institution-{id(self)}"
        ).success(self._show_details).run()

    def _show_details(self, details: InstitutionDetails) -> None:
        self.details = details
        self.banner.clear_error()
        self.institution_group.setTitle(self.tr("Institution: {name}").format(name=details.name))
        self.name_edit.setText(details.name)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(details.kind)))
        self.address_edit.setText(details.address)
        self.beds_spin.setValue(details.beds)
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(details.medical_unit)))
        self.contact_edit.setText(details.contact_person)
        self.contact_phone_edit.setText(details.contact_phone)
        self.hospital_edit.setText(details.green_channel_hospital)
        self.hospital_phone_edit.setText(details.green_channel_phone)
        self.changed_label.setText(
            self.tr("Last changed by {who}").format(who=details.updated_by_name) if details.updated_by_name else ""
        )
        self.agreements.show_agreements(details.id, details.agreements)
        self.save_button.setText(self.tr("&Save institution"))

    @Slot()
    def new_institution(self) -> None:
        """Empty the editor for a new institution."""
        self.details = None
        self.table.clearSelection()
        self.banner.clear_error()
        if self.may_edit:
            self.institution_group.setTitle(self.tr("New institution"))
        else:
            self.institution_group.setTitle(self.tr("Institution: choose one in the list"))
        for edit in (
            self.name_edit,
            self.address_edit,
            self.contact_edit,
            self.contact_phone_edit,
            self.hospital_edit,
            self.hospital_phone_edit,
        ):
            edit.clear()
        self.kind_combo.setCurrentIndex(0)
        self.unit_combo.setCurrentIndex(0)
        self.beds_spin.setValue(0)
        self.changed_label.clear()
        self.agreements.show_agreements(None, [])
        self.save_button.setText(self.tr("&Add institution"))
        if self.isVisible() and self.may_edit:
            self.name_edit.setFocus()

    def _apply_permission(self) -> None:
        """Make the editors editable, or read-only with the buttons hidden and a note, as ``may_edit`` says."""
        may_edit = self.may_edit
        for edit in (
            self.name_edit,
            self.address_edit,
            self.contact_edit,
            self.contact_phone_edit,
            self.hospital_edit,
            self.hospital_phone_edit,
        ):
            edit.setReadOnly(not may_edit)
        self.beds_spin.setReadOnly(not may_edit)
        for widget in (self.kind_combo, self.unit_combo):
            set_locked(widget, not may_edit)
        for button in (self.add_button, self.save_button):
            button.setVisible(may_edit)
        self.agreements.set_editable(may_edit)
        self.read_only_label.setVisible(not may_edit and self._permission_known)

    # --- saving -------------------------------------------------------------------------------------------------

    def _show_error(self, error: ValidationError) -> None:
        """Show a refused value in the banner and put the cursor in its field."""
        self.banner.show_error(error)
        focus_field(self.fields, error)

    def _submit(self, work: Callable[[Any], object], done: Callable[[object], None]) -> None:
        if self._busy:
            return
        self._busy = True
        self.banner.clear_error()
        context = self._context

        def succeeded(result: object) -> None:
            self._busy = False
            done(result)
            self.institutionsChanged.emit()
            self.refresh()

        def failed(error: BaseException) -> None:
            self._busy = False
            self.banner.show_error(error)
            focus_field(self.fields, error)

        Op(self, lambda: work(context.uow())).success(succeeded).failure(failed).run()

    @Slot()
    def save_institution(self) -> None:
        """Add the institution in the editor, or save the one chosen (one action)."""
        values = {
            "name": self.name_edit.text(),
            "kind": self.kind_combo.currentData(),
            "address": self.address_edit.text(),
            "beds": self.beds_spin.value(),
            "medical_unit": self.unit_combo.currentData(),
            "contact_person": self.contact_edit.text(),
            "contact_phone": self.contact_phone_edit.text(),
            "green_channel_hospital": self.hospital_edit.text(),
            "green_channel_phone": self.hospital_phone_edit.text(),
        }
        institution_id = self.details.id if self.details else None

        def chosen(new_id: object) -> None:
            self.details = InstitutionDetails(str(new_id), "", "", "", 0, "", "", "", "", "", "")

        self._submit(lambda uow: save_institution(uow, institution_id=institution_id, **values), chosen)
