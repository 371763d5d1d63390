"""What a visit's save did, in the line beside the save button.

:class:`SaveResult` says whose visit was saved (or which version of a correction), urgent values, a status
changed, restored or re-dated, and a triage suggestion that now differs. After Ctrl+Enter it tells what the
save of the previous resident did while the next one is shown.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.services.visits.save import VisitSaved
from app.ui.widgets.badges import badge_html


class SaveResult(QLabel):
    """The rich-text line of the last save.

    Args:
        parent: the editor.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveResult")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)

    def show_result(self, result: VisitSaved) -> None:
        self.setText(self.describe(result))

    def describe(self, result: VisitSaved) -> str:
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
