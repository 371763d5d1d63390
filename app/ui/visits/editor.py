"""The visit editor — 巡诊记录录入 — of one resident: header, form, save, drafts.

:class:`VisitEditor` shows a resident's visit at a round (or outside one) with the
:class:`~app.ui.visits.form.VisitForm`: a visit already saved there is shown locked (Correct… / Ctrl+E makes
a new version), a draft left for it is restored. A save asks what it needs to (:class:`Questions`: urgent
values without a referral, a hospitalized / deceased status, undoing or re-dating the status a corrected
visit set, a visit recorded meanwhile) and runs on the database thread; drafts are written ~500 ms after
typing stops, on their own single thread (in order, never behind a long query), and removed once the visit
is saved. The visit page (:mod:`app.ui.visits.page`) and
the history's correction dialog (:mod:`app.ui.visits.history`) both use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationError
from app.domain.referrals import check_closing
from app.domain.visits import VisitEntry, VisitOutcome
from app.domain.vitals import urgent_advice
from app.services.referrals import close_referral
from app.services.visits.doses import DoseChange
from app.services.visits.drafts import Draft, DraftStore
from app.services.visits.save import (
    DuplicateVisit,
    ResidentForVisit,
    VisitRecord,
    VisitSaved,
    correct_visit,
    load_visit,
    record_visit,
    resident_for_visit,
)
from app.ui.shell.tasks import Op, show_error
from app.ui.visits.drafts import DRAFT_DELAY_MS, DraftWriter, draft_store_for
from app.ui.visits.form import VisitForm
from app.ui.visits.header import ResidentHeader
from app.ui.visits.questions import Questions, ask_status_change, local_time
from app.ui.visits.save_result import SaveResult

if TYPE_CHECKING:
    from app.bootstrap import AppContext

log = logging.getLogger(__name__)

# --- one resident ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Loaded:
    info: ResidentForVisit
    draft: Draft | None
    record: VisitRecord | None


class VisitEditor(QWidget):
    """The visit of one resident: header, form, save, drafts.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.
        today: returns the day visits are entered on.
        drafts: where drafts are written (next to the database by default).
        questions: asks what a save needs to know (message boxes by default).

    Signals:
        loaded(object): the :class:`~app.services.visits.save.ResidentForVisit` now shown.
        saved(object): a :class:`~app.services.visits.save.VisitSaved` — a visit or a correction was saved.
        draft_written(str): a draft file was written (its path).
        draft_removed(str): the resident id whose draft was deleted after a save.
        failed(str): a save or a load was refused; the message.
    """

    loaded = Signal(object)
    saved = Signal(object)
    draft_written = Signal(str)
    draft_removed = Signal(str)
    failed = Signal(str)

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
        self.setObjectName("visitEditor")
        self._context = context
        self._today = today
        self.drafts = drafts if drafts is not None else draft_store_for(context)
        self.questions = questions if questions is not None else Questions(self)
        self.info: ResidentForVisit | None = None
        self.round_id: str | None = None
        self.round_label = ""
        self.round_institution_id: str | None = None
        self.shown: VisitRecord | None = None  # the saved visit shown (locked) or being corrected
        self.correcting = False
        self.due: tuple[str, ...] = ()
        self._dirty = False
        self._busy = False
        self._doses: list[DoseChange] = []  # the dose changes of the save under way (a new visit only)
        self._then: Callable[[VisitSaved], None] | None = None
        self._draft_writer = DraftWriter(self)
        self._draft_writer.written.connect(self.draft_written)
        self._draft_writer.removed.connect(self.draft_removed)
        self._save_action: Callable[[], None] = self.save

        self.header = ResidentHeader(self)
        self.title_label = self.header.title_label
        self.detail_label = self.header.detail_label
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("visitNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet("QLabel { background: #fff8e1; color: #3d2c00; padding: 4px; }")
        self.notice_label.hide()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("visitError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("QLabel { color: #c62828; font-weight: bold; }")
        self.error_label.hide()

        self.form = VisitForm(self, today=today)
        self.form.edited.connect(self._edited)
        self.form.correct_requested.connect(self.start_correction)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.write_draft)

        self.save_button = QPushButton(self.tr("Save and &next (Ctrl+Enter)"), self)
        self.save_button.setObjectName("saveVisit")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self._save_action())
        self.result_label = SaveResult(self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.result_label, 1)
        buttons.addWidget(self.save_button)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(self.form)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.form.urgent_banner)  # above the scrolling fields: an urgent alert is never out of view
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)
        self.setEnabled(False)

    # --- opening ------------------------------------------------------------------------------------------

    def open_resident(
        self,
        resident_id: str,
        *,
        round_id: str | None,
        visit_date: date,
        round_label: str = "",
        round_institution_id: str | None = None,
        due: Sequence[str] = (),
        visit_id: str | None = None,
        correct: bool = False,
    ) -> None:
        """Show ``resident_id``'s visit at ``round_id`` (or outside a round on ``visit_date``).

        A visit already saved there is shown locked; a draft left for it is restored. With ``visit_id``
        that version is shown, and with ``correct`` its correction starts at once.
        """
        self.flush_draft()
        self._draft_timer.stop()
        self.setEnabled(False)
        self.error_label.hide()
        self.notice_label.hide()
        self.round_id = round_id
        self.round_label = round_label
        self.round_institution_id = round_institution_id
        self.due = tuple(due)
        context, store = self._context, self.drafts
        removing = self._draft_writer.removing()

        def load() -> _Loaded:
            record = load_visit(context.uow(), visit_id=visit_id) if visit_id else None
            info = resident_for_visit(
                context.uow(),
                resident_id=resident_id,
                round_id=record.round_id if record else round_id,
                visit_date=record.visit_date if record else visit_date,
            )
            key = (resident_id, record.round_id if record else round_id)
            # a draft whose removal is queued is the one just saved: restoring it would reopen it as a correction
            return _Loaded(info, None if key in removing else store.load(*key), record)

        Op(self, load).latest_only(f"visit-editor-{id(self)}").success(
            lambda loaded: self._show(loaded, visit_date, correct)
        ).failure(self._load_failed).run()

    def _load_failed(self, error: BaseException) -> None:
        self._show_error(error)
        self.failed.emit(str(error))

    def _show(self, loaded: _Loaded, visit_date: date, correct: bool) -> None:
        info = loaded.info
        if loaded.record is not None:
            self.round_id = loaded.record.round_id
            if self.round_id and not self.round_label and loaded.record.round_date:
                self.round_label = self.tr("Round of {date} at {institution}").format(
                    date=loaded.record.round_date.isoformat(), institution=info.institution
                )
        elif self.round_institution_id is not None and info.institution_id != self.round_institution_id:
            # a resident of another institution found with Ctrl+F: a visit outside this round, today
            self.round_id = None
            visit_date = min(self._today(), visit_date)
            self._notice(
                self.tr(
                    "{name} lives at {institution}, not at this round's institution: the visit is "
                    "recorded outside a round."
                ).format(name=info.name, institution=info.institution)
            )
        self.info = info
        self.shown = loaded.record or info.existing
        self.correcting = False
        self._dirty = False
        self._show_header(info)
        self.form.set_chronic(
            hypertension=info.hypertension,
            diabetes=info.diabetes,
            birth_date=info.birth_date,
            previous=info.previous_classes,
        )
        self.form.reset(
            visit_date=min(visit_date, self._today()),
            previous_weight=info.previous_weight,
            green_channel=info.green_channel_hospital,
        )
        self.form.set_open_referral(info.open_referral)
        self.form.set_medications(info.medications if info.may_change_doses else ())
        # the result line stays: after Ctrl+Enter it tells what the save of the previous resident did
        draft = loaded.draft
        if self.shown is not None:
            self.form.set_entry(self.shown.entry, visit_date=self.shown.visit_date, late_reason=self.shown.late_reason)
            self.form.lock(self.form.lock_banner.saved_text(self.shown))
            if draft is not None:
                # a draft of this correction, of a new visit saved meanwhile, or of a correction of a version
                # corrected since: in each case it can only become a correction of the version in force
                self._begin_correction()
                self.form.set_values(draft.values)
                self._dirty = True
                self._notice(
                    self._restored_text(draft)
                    if draft.corrects_id == self.shown.id
                    else self.tr(
                        "An unsaved entry was found, but this visit was saved meanwhile: the entry is opened as a "
                        "correction of the saved visit. Save it, or go to another resident to keep it as a draft."
                    )
                )
            elif correct:
                self._begin_correction()
        elif draft is not None:
            self.form.set_values(draft.values)
            self._dirty = True
            self._notice(self._restored_text(draft))
        self._update_save_button()
        self.setEnabled(True)
        self.loaded.emit(info)

    def _restored_text(self, draft: Draft) -> str:
        return self.tr("Restored an unsaved entry (last typed {when}). Check it and save it.").format(
            when=local_time(draft.saved_at)
        )

    def _notice(self, text: str) -> None:
        self.notice_label.setText("✎ " + text)
        self.notice_label.show()

    def _show_header(self, info: ResidentForVisit) -> None:
        self.header.show_resident(info, today=self._today(), in_round=bool(self.round_id), due=self.due)

    def theme_changed(self) -> None:
        """Redraw the header's colour badge for the theme applied now."""
        if self.info is not None:
            self._show_header(self.info)

    # --- correcting ----------------------------------------------------------------------------------------

    @Slot()
    def start_correction(self) -> None:
        """Unlock the saved visit shown for a correction (a new version when saved)."""
        if self.shown is None or self.correcting or not self.isEnabled():
            return
        self._begin_correction()
        self.form.focus_first()

    def _begin_correction(self) -> None:
        assert self.shown is not None
        self.correcting = True
        self.form.unlock_for_correction(
            self.tr(
                "Correcting version {version}: saving makes version {next}; version {version} stays in the history."
            ).format(version=self.shown.version, next=self.shown.version + 1)
        )
        self._update_save_button()

    def _update_save_button(self) -> None:
        self.save_button.setEnabled(not self.form.locked)
        self.save_button.setText(
            self.tr("Save the correction (Ctrl+Enter)") if self.correcting else self.tr("Save and &next (Ctrl+Enter)")
        )

    # --- drafts -------------------------------------------------------------------------------------------

    @Slot()
    def _edited(self) -> None:
        if self.info is None or self.form.locked:
            return
        self._dirty = True
        self._draft_timer.start()

    def is_dirty(self) -> bool:
        """Whether the form holds typing that is not saved (a draft keeps it)."""
        return self._dirty

    @Slot()
    def write_draft(self) -> None:
        """Write what the form holds as the resident's draft (on the drafts thread)."""
        self._draft_timer.stop()
        if self.info is None or self.form.locked or not self._dirty:
            return
        draft = Draft(
            resident_id=self.info.resident_id,
            round_id=self.round_id,
            values=self.form.values(),
            resident_name=self.info.name,
            label=self.round_label or self.info.institution,
            corrects_id=self.shown.id if self.correcting and self.shown else None,
        )
        self._draft_writer.write(self.drafts, draft)

    def flush_draft(self) -> None:
        """Write a pending draft now (before opening another resident, or when the page hides)."""
        if self._draft_timer.isActive():
            self.write_draft()

    def set_save_action(self, action: Callable[[], None]) -> None:
        """Make the save button do ``action`` (the visit page: save and open the next resident, as Ctrl+Enter)."""
        self._save_action = action

    # --- saving -------------------------------------------------------------------------------------------

    def save(self, then: Callable[[VisitSaved], None] | None = None) -> None:
        """Check and save the visit (or the correction); ``then(result)`` runs after a successful save."""
        info = self.info
        if info is None or self._busy or not self.isEnabled():
            return
        if self.form.locked:
            self.form.correct_button.setFocus()
            return
        self.error_label.hide()
        self.form.refresh()
        try:
            entry = self.form.entry()
            visit_date = self.form.visit_date()
            self._doses = self.form.dose_changes()
            closing = self.form.referral_outcome()
            if closing is not None and info.open_referral is not None:  # checked before the visit is saved
                check_closing(closing[1], visit_date, opened_on=info.open_referral[1], today=self._today())
        except ValidationError as error:
            self._show_error(error)
            return
        if self.form.assessment.is_urgent and not self.form.has_referral():
            lines = urgent_advice(self.form.assessment, referred=False)
            if not self.questions.save_urgent_without_referral(lines):
                self.form.focus_referral()
                return
        corrects = self.shown.id if self.correcting and self.shown else None
        update_status = ask_status_change(self.questions, info, VisitOutcome(entry.outcome), visit_date, corrects)
        if update_status is None:
            return
        self._then = then
        self._run_save(entry, visit_date, update_status)

    def _run_save(
        self, entry: VisitEntry, visit_date: date, update_status: bool, *, correct_id: str | None = None
    ) -> None:
        assert self.info is not None
        context, today = self._context, self._today()
        resident_id, round_id = self.info.resident_id, self.round_id
        late_reason = self.form.late_reason_text()
        corrects = correct_id or (self.shown.id if self.correcting and self.shown else None)
        closing = self.form.referral_outcome()
        doses = self._doses if corrects is None else []  # a correction changes no medication

        def work() -> VisitSaved:
            saved = save_visit()
            if closing is not None:  # the visit records the outcome of the open referral: it closes it
                close_referral(
                    context.uow(), referral_id=closing[0], outcome=closing[1], closed_on=visit_date, today=today
                )
            return saved

        def save_visit() -> VisitSaved:
            if corrects is not None:
                return correct_visit(
                    context.uow(),
                    visit_id=corrects,
                    entry=entry,
                    visit_date=visit_date,
                    late_reason=late_reason,
                    update_status=update_status,
                    today=today,
                )
            return record_visit(
                context.uow(),
                resident_id=resident_id,
                visit_date=visit_date,
                entry=entry,
                round_id=round_id,
                late_reason=late_reason,
                update_status=update_status,
                today=today,
                dose_changes=doses,
            )

        self._busy = True
        self.save_button.setEnabled(False)
        Op(self, work).with_progress(self.tr("Saving the visit…")).success(self._saved).failure(
            lambda error: self._save_failed(error, entry, visit_date, update_status)
        ).run()

    def _save_failed(self, error: BaseException, entry: VisitEntry, visit_date: date, update_status: bool) -> None:
        self._busy = False
        self._update_save_button()
        if isinstance(error, DuplicateVisit):
            if self.questions.correct_duplicate(str(error)):
                self._run_save(entry, visit_date, update_status, correct_id=error.visit_id)
            return
        if isinstance(error, DomainError):
            self._show_error(error)
            self.failed.emit(str(error))
            return
        show_error(self.window(), error)

    def _show_error(self, error: BaseException) -> None:
        text = (
            str(error) if isinstance(error, DomainError) else self.tr("Unexpected error: {error}").format(error=error)
        )
        self.error_label.setText("⚠ " + text)
        self.error_label.show()
        if isinstance(error, ValidationError):
            self.form.focus_field(error.field)

    def _saved(self, result: VisitSaved) -> None:
        self._busy = False
        self._dirty = False
        self._draft_timer.stop()
        self._draft_writer.remove(self.drafts, result.resident_id, self.round_id)
        self.result_label.show_result(result)
        self.notice_label.hide()
        then, self._then = self._then, None
        self.saved.emit(result)
        if then is not None:
            then(result)
        else:
            self.reload()

    def discard_typing(self) -> None:
        """Forget what the form holds (its draft was discarded) and show the resident again as saved."""
        self._draft_timer.stop()
        self._dirty = False
        self.reload()

    def reload(self) -> None:
        """Show the resident again as saved now (a saved visit locked)."""
        if self.info is not None:
            self.open_resident(
                self.info.resident_id,
                round_id=self.round_id,
                visit_date=self.form_date(),
                round_label=self.round_label,
                round_institution_id=self.round_institution_id,
                due=self.due,
            )

    def form_date(self) -> date:
        try:
            return self.form.visit_date()
        except ValidationError:
            return self._today()

    def describe_saved(self, result: VisitSaved) -> str:
        """Return rich text saying what a save did (version, urgent values, status, triage suggestion)."""
        return self.result_label.describe(result)
