"""The resident record — 居民健康档案: a dialog with one tab per section, each saved as one action.

Tabs: identity, residence (with the move and status history), family-doctor signing, conditions,
medications and allergies, flags, assessments over time, and a read-only timeline of visits. Every
save runs one service call on the database thread; a refusal is shown above the section with the
domain's message and the cursor goes to the field at fault; a success reloads the record and emits
:attr:`ResidentRecordDialog.residentChanged`.

Opened with a resident's id, or with ``resident_id=None`` to add a resident (identity and residence
only, then the other tabs open up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.domain.errors import ValidationError
from app.domain.permissions import Action
from app.domain.residents import ResidentStatus, Sex
from app.domain.search import bed_label
from app.domain.validation import age_on
from app.services.authz import permitted_actions
from app.services.homecare.record import RecordHomecare, record_homecare
from app.services.institutions import list_institutions
from app.services.records.load import ResidentRecord, list_doctors, load_record
from app.services.records.residents import create_resident
from app.ui.record.assessments import RecordAssessmentsTab
from app.ui.record.editor import RecordEditor
from app.ui.record.fields import ErrorBanner, RecordSection, focus_field
from app.ui.record.flags import RecordFlagsTab
from app.ui.record.lists import RecordConditionsTab, RecordVisitsTab
from app.ui.record.medications import RecordMedicationsTab
from app.ui.record.signing import RecordSigningTab
from app.ui.record.tabs import RecordIdentityTab, RecordResidenceTab
from app.ui.shell.tasks import Op
from app.ui.shell.window_geometry import restore_window_size, save_window_size, settings_for
from app.ui.widgets.badges import colour_rgb, set_text_scale

if TYPE_CHECKING:
    from app.bootstrap import AppContext


RECORD_SIZE_SETTING = "record_window_size"


@dataclass(frozen=True)
class _Loaded:
    record: ResidentRecord | None
    institutions: list[Any]
    doctors: list[Any]
    may_edit: bool = True
    may_assess: bool = True
    homecare: RecordHomecare | None = None


class ResidentRecordDialog(RecordEditor):
    """View and edit one resident's record, or add a resident.

    Args:
        context: the open database, acting for the signed-in staff member.
        resident_id: the resident to show, or None to add a new one.
        parent: the owning widget.
        institution_id: for a new resident, the institution chosen at first.
        today: returns the day rules are checked against (``date.today`` by default; tests fix it).

    Signals:
        residentChanged(str): a save succeeded; the resident's id (also when a new one was added).
        loaded(): the record (or, for a new resident, the lists) is on screen.
    """

    residentChanged = Signal(str)
    loaded = Signal()

    def __init__(
        self,
        context: AppContext,
        resident_id: str | None = None,
        parent: QWidget | None = None,
        *,
        institution_id: str | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("residentRecord")
        self._context = context
        self._today = today
        self.resident_id = resident_id
        self.record: ResidentRecord | None = None
        self.homecare: RecordHomecare | None = None
        self.institutions: list[Any] = []
        self.doctors: list[Any] = []
        self.initial_institution_id = institution_id
        self._busy = False
        self.resize(1040, 720)
        self.setMinimumSize(860, 600)
        # A window to work in: maximizable, a size grip, and the size it was last closed at (issue 14 §9).
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self._settings = settings_for(self)
        restore_window_size(self, self._settings, RECORD_SIZE_SETTING)

        self.title_label = QLabel(self)
        self.title_label.setObjectName("recordTitle")
        set_text_scale(self.title_label, 1.4)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("recordSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.changed_label = QLabel(self)
        self.changed_label.setObjectName("recordChanged")
        self.changed_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.read_only_label = QLabel(self)
        self.read_only_label.setObjectName("recordReadOnly")
        self.read_only_label.setWordWrap(True)
        self.read_only_label.hide()
        self.may_edit = False  # until the load says what the signed-in role may do
        self.may_assess = False

        self.identity_tab = RecordIdentityTab(self)
        self.residence_tab = RecordResidenceTab(self)
        self.signing_tab = RecordSigningTab(self)
        self.conditions_tab = RecordConditionsTab(self)
        self.medications_tab = RecordMedicationsTab(self)
        self.flags_tab = RecordFlagsTab(self)
        self.assessments_tab = RecordAssessmentsTab(self)
        self.visits_tab = RecordVisitsTab(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("recordTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setEnabled(False)  # until loaded: nothing is typed before the role is known
        self._tab_pages: list[RecordSection] = [
            self.identity_tab,
            self.residence_tab,
            self.signing_tab,
            self.conditions_tab,
            self.medications_tab,
            self.flags_tab,
            self.assessments_tab,
            self.visits_tab,
        ]
        for page in self._tab_pages:
            self.tabs.addTab(page, "")
        self._retranslate_tabs()

        self.create_banner = ErrorBanner(self)
        self.create_button = QPushButton(self.tr("&Add resident"), self)
        self.create_button.setObjectName("addResident")
        self.create_button.clicked.connect(self.add_resident)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.create_banner, 1)
        bottom.addWidget(self.create_button)
        bottom.addWidget(buttons)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.summary_label)
        titles.addWidget(self.read_only_label)
        top.addLayout(titles, 1)
        top.addWidget(self.changed_label)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        for number in range(min(9, len(self._tab_pages))):
            shortcut = QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key(Qt.Key.Key_1 + number)), self)
            shortcut.activated.connect(lambda n=number: self.tabs.setCurrentIndex(n))
        self._set_mode()
        self.reload()

    # --- helpers the tabs use -------------------------------------------------------------------------------

    def today(self) -> date:
        """Return the day rules are checked against."""
        return self._today()

    @property
    def context(self) -> AppContext:
        """The open database, acting for the signed-in staff member."""
        return self._context

    def visit_corrected(self) -> None:
        """A visit was corrected on the Visits tab: the resident's status or colour may follow; reload."""
        if self.resident_id is not None:
            self.residentChanged.emit(self.resident_id)
        self.reload()

    @property
    def is_new(self) -> bool:
        return self.resident_id is None

    def existing_id(self) -> str:
        """Return the id of the resident shown: the sections save only a resident already added.

        Raises:
            RuntimeError: the resident is not added yet (the sections' save buttons are hidden until it is).
        """
        if self.resident_id is None:
            raise RuntimeError("the resident is not added yet; only “Add resident” saves a new record")
        return self.resident_id

    def submit(self, tab: Any, work: Callable[[Any], object], *, done: Callable[[object], None] | None = None) -> None:
        """Run ``work(uow)`` on the database thread as one action; then reload, or show why it was refused.

        Args:
            tab: the section saving; its ``banner`` shows a refusal, its ``fields`` name the widgets.
            work: the service call, given a fresh unit of work.
            done: called with the result before the record is reloaded.
        """
        if self._busy:
            return
        context = self._context
        self._set_busy(True)
        tab.banner.clear_error()

        def succeeded(result: object) -> None:
            self._set_busy(False)
            if done is not None:
                done(result)
            if self.resident_id is not None:
                self.residentChanged.emit(self.resident_id)
            self.reload()

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            tab.banner.show_error(error)
            focus_field(tab.fields, error)

        Op(self, lambda: work(context.uow())).success(succeeded).failure(failed).run()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    # --- loading ---------------------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Fetch the record (and the institution and doctor lists) on the database thread."""
        context = self._context
        resident_id = self.resident_id
        today = self.today()

        def load() -> _Loaded:
            record = load_record(context.uow(), resident_id=resident_id) if resident_id else None
            homecare = record_homecare(context.uow(), resident_id=resident_id, today=today) if resident_id else None
            # without a signed-in person (scripts, the command line) services do not ask; neither does the screen
            actions = permitted_actions(context.uow()) if context.actor_id is not None else frozenset(Action)
            return _Loaded(
                record,
                list_institutions(context.uow()),
                list_doctors(context.uow()),
                Action.EDIT_RESIDENTS in actions,
                Action.RECORD_VISITS in actions,
                homecare,
            )

        Op(self, load).latest_only(f"record-{id(self)}").success(self._show).failure(self._load_failed).run()

    def _load_failed(self, error: BaseException) -> None:
        self.summary_label.setText(f"⚠ {error}")

    def _show(self, loaded: _Loaded) -> None:
        self.record = loaded.record
        self.homecare = loaded.homecare
        self.institutions = loaded.institutions
        self.doctors = loaded.doctors
        self.may_edit, self.may_assess = loaded.may_edit, loaded.may_assess
        self._set_mode()
        self._show_header()
        self.tabs.setEnabled(True)  # before the tabs fill in: some take their text colour from the palette
        for page in self._tab_pages:
            page.show_record(loaded.record)
        self._apply_permissions()
        self.loaded.emit()

    def _apply_permissions(self) -> None:
        """Lock what the signed-in role may not change; services would refuse it anyway (issue 7)."""
        for page in self._editing_pages():
            _lock(page, not self.may_edit)
        _lock(self.assessments_tab, not self.may_assess)
        if not self.may_edit:
            self.create_button.setVisible(False)
        parts = []
        if self._context.database.read_only:  # not the role: the file may not be written (issue 12 §6)
            parts.append(self.tr("Read-only: the database file may not be written, so nothing here can be saved."))
        elif not self.may_edit and self.may_assess:  # a nurse: say what the role can do first
            parts.append(
                self.tr(
                    "You can record assessments (Assessments tab) and visits. Identity, residence, "
                    "signing, conditions, medications and flags are changed by doctors and assistants."
                )
            )
        elif not self.may_edit:
            parts.append(self.tr("Read-only for your role: the record is changed by doctors and assistants."))
        if not self.may_assess and not self.is_new and not self._context.database.read_only:
            parts.append(self.tr("Assessments are recorded by doctors and nurses."))
        self.read_only_label.setText(" ".join(parts))
        self.read_only_label.setVisible(bool(parts))

    def _editing_pages(self) -> list[QWidget]:
        return [
            self.identity_tab,
            self.residence_tab,
            self.signing_tab,
            self.conditions_tab,
            self.medications_tab,
            self.flags_tab,
        ]

    def _set_mode(self) -> None:
        new = self.is_new
        for index, page in enumerate(self._tab_pages):
            self.tabs.setTabEnabled(index, not new or page in (self.identity_tab, self.residence_tab))
        self.create_button.setVisible(new)
        self.create_banner.setVisible(new and bool(self.create_banner.text()))

    def _show_header(self) -> None:
        record = self.record
        if record is None:
            self.setWindowTitle(self.tr("New resident"))
            self.title_label.setText(self.tr("New resident"))
            self.summary_label.setText(self.tr("Fill in the identity and residence tabs, then press “Add resident”."))
            self.changed_label.clear()
            return
        r = record.resident
        self.setWindowTitle(self.tr("Health record — {name}").format(name=r.name))
        self.title_label.setText(r.name)
        colour = _colour(r.colour)
        badge = f'<span style="color:{colour_rgb(colour)}">{colour.badge}</span>' if colour else ""
        parts = [
            Sex(r.sex).label if r.sex in ("M", "F") else r.sex,
            self.tr("{age} years").format(age=age_on(r.birth_date, self.today())),
            f"{r.institution_name} {bed_label(r.building, r.room, r.bed)}".strip(),
            _status_label(r.status),
            badge,
        ]
        if r.family_bed:
            parts.append(self.tr("family bed"))
        if r.hospice:
            parts.append(self.tr("hospice"))
        self.summary_label.setText("  ·  ".join(part for part in parts if part))
        self.changed_label.clear()
        if r.updated_at is not None:
            when = r.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if r.updated_by_name:
                self.changed_label.setText(
                    self.tr("Last changed by {who}\n{when}").format(who=r.updated_by_name, when=when)
                )
            else:
                self.changed_label.setText(self.tr("Last changed\n{when}").format(when=when))

    # --- adding a resident --------------------------------------------------------------------------------

    @Slot()
    def add_resident(self) -> None:
        """Add the resident described by the identity and residence tabs (one action)."""
        try:
            identity = self.identity_tab.values()
            residence = self.residence_tab.values()
        except ValidationError as error:
            self.create_banner.show_error(error)
            focus_field({**self.identity_tab.fields, **self.residence_tab.fields}, error)
            return
        today = self.today()

        def work(uow: Any) -> object:
            return create_resident(
                uow,
                institution_id=residence["institution_id"],
                building=residence["building"],
                room=residence["room"],
                bed=residence["bed"],
                admission_date=residence["admission_date"],
                today=today,
                **identity,
            )

        self.submit(_CreateTarget(self), work, done=self._created)

    def _created(self, saved: object) -> None:
        # submit() then announces the new resident with residentChanged and reloads it
        self.resident_id = getattr(saved, "resident_id", None)
        self.create_banner.clear_error()

    def done(self, result: int) -> None:
        # a correction still open on the Visits tab keeps its typing as a draft before the record goes away
        self.visits_tab.history.close_dialog()
        save_window_size(self, self._settings, RECORD_SIZE_SETTING)
        super().done(result)

    # --- language ------------------------------------------------------------------------------------------

    def _retranslate_tabs(self) -> None:
        titles = (
            self.tr("&Identity"),
            self.tr("&Residence"),
            self.tr("&Signing"),
            self.tr("&Conditions"),
            self.tr("&Medications && allergies"),
            self.tr("&Flags"),
            self.tr("&Assessments"),
            self.tr("&Visits"),
        )
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate_tabs()
        super().changeEvent(event)


def _lock(page: QWidget, locked: bool) -> None:
    """Make ``page``'s editors read-only and hide its buttons (tables stay, to read and choose entries)."""
    if not locked:
        return
    for widget in page.findChildren(QWidget):
        if isinstance(widget, QLineEdit):
            widget.setReadOnly(True)
        elif isinstance(widget, (QComboBox, QCheckBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit)):
            widget.setEnabled(False)
        elif isinstance(widget, QPushButton):
            widget.setVisible(False)


class _CreateTarget:
    """Where a refused "add resident" shows its message: the bar at the bottom, fields of both tabs."""

    def __init__(self, dialog: ResidentRecordDialog) -> None:
        self.banner = dialog.create_banner
        self.fields = {**dialog.identity_tab.fields, **dialog.residence_tab.fields}


def _colour(value: str) -> TriageColour | None:
    try:
        return TriageColour(value)
    except ValueError:
        return None


def _status_label(value: str) -> str:
    try:
        return ResidentStatus(value).label
    except ValueError:
        return value
