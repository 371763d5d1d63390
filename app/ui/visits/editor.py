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

import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationError
from app.domain.referrals import check_closing
from app.domain.residents import Sex
from app.domain.validation import age_on
from app.domain.visit_changes import describe_vitals
from app.domain.visits import VisitEntry, VisitOutcome
from app.domain.vitals import urgent_advice
from app.services.referrals import close_referral
from app.services.visits.drafts import Draft, DraftStore
from app.services.visits.save import (
    DuplicateVisit,
    ResidentForVisit,
    VisitRecord,
    VisitSaved,
    VisitStatus,
    correct_visit,
    load_visit,
    record_visit,
    resident_for_visit,
)
from app.ui.shell.tasks import Op, show_error
from app.ui.visits.form import VisitForm
from app.ui.widgets.badges import badge_html, set_text_scale

if TYPE_CHECKING:
    from app.bootstrap import AppContext

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 500
"""Typing pauses longer than this write the draft."""

_drafts_pool: QThreadPool | None = None


def drafts_pool() -> QThreadPool:
    """Return the one-thread pool that writes draft files, in order, apart from the database thread."""
    global _drafts_pool
    if _drafts_pool is None or not shiboken6.isValid(_drafts_pool):
        _drafts_pool = QThreadPool(QCoreApplication.instance())
        _drafts_pool.setObjectName("carerounds-drafts")
        _drafts_pool.setMaxThreadCount(1)
    return _drafts_pool


def local_time(iso: str) -> str:
    """Return an ISO UTC moment as local ``YYYY-MM-DD HH:MM`` (the text itself if it is not one)."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def draft_store_for(context: AppContext) -> DraftStore:
    """Return the signed-in person's drafts next to the context's database file (others' are not offered)."""
    return DraftStore(Path(context.database.path), author_id=context.actor_id)


# --- questions a save may ask ---------------------------------------------------------------------------------


class Questions(QObject):
    """The questions of the visit page, as modal message boxes (tests give their own answers).

    Args:
        parent: the widget the boxes belong to.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._widget = parent

    def _box(self, icon: QMessageBox.Icon, text: str) -> QMessageBox:
        box = QMessageBox(
            icon, self.tr("Record visits"), text, QMessageBox.StandardButton.NoButton, self._widget.window()
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box

    def save_urgent_without_referral(self, lines: Sequence[str]) -> bool:
        """Ask whether to save urgent values without a referral; False: add a referral first."""
        box = self._box(QMessageBox.Icon.Warning, "\n".join(["‼ " + line for line in lines]))
        add = box.addButton(self.tr("Add a referral"), QMessageBox.ButtonRole.RejectRole)
        save = box.addButton(self.tr("Save without a referral"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(add)
        box.exec()
        return box.clickedButton() is save

    def change_status(self, name: str, outcome: VisitOutcome, day: date) -> bool | None:
        """Ask whether to set the residence status from the outcome; None: do not save yet."""
        status = outcome.status.label if outcome.status else outcome.label
        box = self._box(
            QMessageBox.Icon.Question,
            self.tr(
                "Also record {name} as “{status}” from {date}? The residence status changes and the "
                "resident is no longer due for rounds."
            ).format(name=name, status=status, date=day.isoformat()),
        )
        return self._save_with_status(box, self.tr("Save and change the status"))

    def undo_status(self, name: str, found: VisitStatus) -> bool | None:
        """Ask whether a correction also undoes the status its visit set; None: do not save yet."""
        box = self._box(
            QMessageBox.Icon.Question,
            self.tr(
                "This visit recorded {name} as “{status}” from {date}; the corrected outcome no longer says "
                "so. Also undo that status change (back to “{previous}”)?"
            ).format(
                name=name, status=found.status.label, date=found.on_date.isoformat(), previous=found.restores.label
            ),
        )
        return self._save_with_status(box, self.tr("Save and undo the status"))

    def move_status_date(self, name: str, found: VisitStatus, day: date) -> bool | None:
        """Ask whether a correction that changes the visit's day also moves the status it set; None: do not save."""
        box = self._box(
            QMessageBox.Icon.Question,
            self.tr(
                "This visit recorded {name} as “{status}” from {date}; the corrected visit is dated {day}. "
                "Also change the date of that status to {day}?"
            ).format(name=name, status=found.status.label, date=found.on_date.isoformat(), day=day.isoformat()),
        )
        return self._save_with_status(box, self.tr("Save and change the status date"))

    def _save_with_status(self, box: QMessageBox, with_status: str) -> bool | None:
        """Ask ``box`` with three answers: save with the status change (True), the visit only (False), cancel (None)."""
        yes = box.addButton(with_status, QMessageBox.ButtonRole.YesRole)
        no = box.addButton(self.tr("Save the visit only"), QMessageBox.ButtonRole.NoRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is yes else False if clicked is no else None

    def correct_duplicate(self, message: str) -> bool:
        """Offer to correct the visit already recorded instead of adding a second one."""
        box = self._box(QMessageBox.Icon.Question, message)
        correct = box.addButton(self.tr("Save as a correction of it"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(correct)
        box.exec()
        return box.clickedButton() is correct

    def offer_drafts(self, drafts: Sequence[Draft]) -> str:
        """Offer back unsaved entries of an earlier session: ``"open"``, ``"discard"`` or ``"later"``."""
        lines = [
            self.tr(
                "%n visit entry(ies) were being typed when CareRounds last stopped and were not saved:", "", len(drafts)
            )
        ]
        for draft in drafts[:8]:
            lines.append(f"• {draft.resident_name} — {draft.label} ({local_time(draft.saved_at)})")
        if len(drafts) > 8:
            lines.append("…")
        box = self._box(QMessageBox.Icon.Information, "\n".join(lines))
        open_button = box.addButton(self.tr("Open them"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("Discard them"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)
        box.exec()
        clicked = box.clickedButton()
        return "open" if clicked is open_button else "discard" if clicked is discard else "later"


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
        self._then: Callable[[VisitSaved], None] | None = None
        # (resident, round) whose draft is being removed after a save: a load meanwhile must not restore it
        self._removing: list[tuple[str, str | None]] = []
        self._save_action: Callable[[], None] = self.save

        self.title_label = QLabel(self)
        self.title_label.setObjectName("residentTitle")
        set_text_scale(self.title_label, 1.35)
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("residentDetail")
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setWordWrap(True)
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
        self.result_label = QLabel(self)
        self.result_label.setObjectName("saveResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)

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
        layout.addWidget(self.title_label)
        layout.addWidget(self.detail_label)
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
        removing = set(self._removing)

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
        # the result line stays: after Ctrl+Enter it tells what the save of the previous resident did
        draft = loaded.draft
        if self.shown is not None:
            self.form.set_entry(self.shown.entry, visit_date=self.shown.visit_date, late_reason=self.shown.late_reason)
            self.form.lock(self._lock_text(self.shown))
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
        today = self._today()
        self.title_label.setText(info.name)
        parts = [
            html.escape(Sex(info.sex).label if info.sex in ("M", "F") else info.sex),
            html.escape(self.tr("{age} years").format(age=age_on(info.birth_date, today))),
            html.escape(" ".join(p for p in (info.institution, info.bed_label) if p)),
            badge_html(info.colour),
        ]
        if info.status.value != "in_residence":
            parts.append(f"<b>{html.escape(info.status.label)}</b>")
        conditions = []
        if info.hypertension:
            conditions.append(self.tr("hypertension"))
        if info.diabetes:
            conditions.append(self.tr("diabetes"))
        if conditions:
            parts.append(html.escape(self.tr("follow-up for {conditions}").format(conditions=", ".join(conditions))))
        lines = [" · ".join(parts)]
        if not self.round_id:
            lines.append(html.escape(self.tr("Visit outside a round")))
        if self.due:
            lines.append(html.escape(self.tr("Due: {reasons}").format(reasons="; ".join(self.due))))
        last = info.last_visit
        if last is not None:
            vitals = describe_vitals(last.entry)
            text = self.tr("Last visit {date}: {outcome}").format(
                date=last.visit_date.isoformat(), outcome=last.outcome.label
            )
            lines.append(html.escape(f"{text} {vitals}".strip()))
        self.detail_label.setText("<br>".join(lines))

    def theme_changed(self) -> None:
        """Redraw the header's colour badge for the theme applied now."""
        if self.info is not None:
            self._show_header(self.info)

    def _lock_text(self, record: VisitRecord) -> str:
        who = record.recorded_by_name or self.tr("the command line")
        when = record.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        text = self.tr("Saved visit, version {version}, recorded by {who} on {when}.").format(
            version=record.version, who=who, when=when
        )
        if record.version > 1:
            text += " " + self.tr("It corrects version {previous}.").format(previous=record.version - 1)
        return (
            "■ "
            + text
            + " "
            + self.tr(
                "A saved visit is locked: a correction is saved as a new version and "
                "the old one stays in the history (Ctrl+E)."
            )
        )

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
        store = self.drafts
        Op(self, lambda: str(store.save(draft)), pool=drafts_pool()).success(self.draft_written.emit).failure(
            lambda error: log.warning("cannot write the visit draft: %s", error)
        ).run()

    def flush_draft(self) -> None:
        """Write a pending draft now (before opening another resident, or when the page hides)."""
        if self._draft_timer.isActive():
            self.write_draft()

    def _remove_draft(self, resident_id: str, round_id: str | None) -> None:
        store = self.drafts
        key = (resident_id, round_id)
        self._removing.append(key)

        def removed(_removed: object) -> None:
            self._removing.remove(key)
            self.draft_removed.emit(resident_id)

        def failed(error: BaseException) -> None:
            self._removing.remove(key)
            log.warning("cannot remove the visit draft: %s", error)

        Op(self, lambda: store.delete(resident_id, round_id), pool=drafts_pool()).success(removed).failure(failed).run()

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
        update_status = False
        target = VisitOutcome(entry.outcome).status
        found = info.visit_status
        corrects = self.shown.id if self.correcting and self.shown else None
        if target is None and found is not None and corrects in found.visit_ids:
            undo = self.questions.undo_status(info.name, found)
            if undo is None:
                return
            update_status = undo
        elif (
            found is not None and corrects in found.visit_ids and target is found.status and visit_date != found.on_date
        ):
            move = self.questions.move_status_date(info.name, found, visit_date)
            if move is None:
                return
            update_status = move
        elif target is not None and info.status != target:
            answer = self.questions.change_status(info.name, VisitOutcome(entry.outcome), visit_date)
            if answer is None:
                return
            update_status = answer
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
        self._remove_draft(result.resident_id, self.round_id)
        self.result_label.setText(self.describe_saved(result))
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
        name = html.escape(result.resident_name)
        if result.corrects_id:
            lines = [
                self.tr("✓ Saved the correction of {name}: version {version}.").format(
                    name=name, version=result.version
                )
            ]
        else:
            lines = [self.tr("✓ Saved the visit of {name}.").format(name=name)]
        if result.urgent:
            lines.append("<b>" + html.escape(self.tr("‼ Urgent values: act today.")) + "</b>")
        if result.status_restored is not None:
            lines.append(
                html.escape(
                    self.tr("Status back to: {status} (“{undone}” from this visit undone).").format(
                        status=result.status_restored.restores.label, undone=result.status_restored.status.label
                    )
                )
            )
        if result.status_left is not None:
            lines.append(
                html.escape(
                    self.tr("Status still: {status} (recorded from this visit).").format(
                        status=result.status_left.status.label
                    )
                )
            )
        if result.status_moved is not None:
            lines.append(
                html.escape(
                    self.tr("Status “{status}” now dated {date} (was {old}).").format(
                        status=result.status_moved.status.label,
                        date=result.checked.visit_date.isoformat(),
                        old=result.status_moved.on_date.isoformat(),
                    )
                )
            )
        if result.status_date_left is not None:
            lines.append(
                html.escape(
                    self.tr("Status “{status}” still dated {old} (recorded from this visit).").format(
                        status=result.status_date_left.status.label, old=result.status_date_left.on_date.isoformat()
                    )
                )
            )
        if result.status_changed is not None:
            lines.append(html.escape(self.tr("Status now: {status}.").format(status=result.status_changed.label)))
        if result.suggestion_changed and result.suggested_before and result.suggested_after:
            lines.append(
                self.tr("Triage suggestion {before} → {after}: the doctor's review lists it.").format(
                    before=badge_html(result.suggested_before), after=badge_html(result.suggested_after)
                )
            )
        elif result.needs_review and result.suggested_after:
            lines.append(
                self.tr("Triage suggestion {after} differs from the colour {colour}: in the doctor's review.").format(
                    after=badge_html(result.suggested_after), colour=badge_html(result.colour)
                )
            )
        return " ".join(lines)
