"""The questions a visit's save may ask — as modal message boxes; tests give their own answers.

Urgent values without a referral, a hospitalized / deceased status, undoing or re-dating the status a corrected
visit set, a visit recorded meanwhile, and the drafts an earlier session left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.visits import VisitOutcome
from app.services.visits.drafts import Draft
from app.services.visits.save import ResidentForVisit, VisitStatus


def local_time(iso: str) -> str:
    """Return an ISO UTC moment as local ``YYYY-MM-DD HH:MM`` (the text itself if it is not one)."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


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


def ask_status_change(
    questions: Questions, info: ResidentForVisit, outcome: VisitOutcome, visit_date: date, corrects: str | None
) -> bool | None:
    """Ask what the save does to the residence status: set it from the outcome (hospitalized, deceased), undo or
    re-date the one a corrected visit (``corrects``) set. Return whether to update it; None: do not save yet."""
    target = outcome.status
    found = info.visit_status
    if target is None and found is not None and corrects in found.visit_ids:
        return questions.undo_status(info.name, found)
    if found is not None and corrects in found.visit_ids and target is found.status and visit_date != found.on_date:
        return questions.move_status_date(info.name, found, visit_date)
    if target is not None and info.status != target:
        return questions.change_status(info.name, outcome, visit_date)
    return False
