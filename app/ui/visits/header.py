"""The header of the visit editor: who the resident is, why they are due, and what the last visit found.

:class:`ResidentHeader` shows the name large, then sex, age, home and bed, the colour badge, a status other
than in residence, the diseases followed up; whether the visit is outside a round; the reasons the resident is
due; the last visit's outcome and values.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.residents import Sex
from app.domain.validation import age_on
from app.domain.visit_changes import describe_vitals
from app.domain.visits import VisitEntry
from app.services.visits.save import ResidentForVisit
from app.ui.visits.history_model import follow_up_text
from app.ui.widgets.badges import badge_html, set_text_scale


class ResidentHeader(QWidget):
    """The resident's name and the lines under it.

    Args:
        parent: the editor.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("residentTitle")
        set_text_scale(self.title_label, 1.35)
        self.summary_label = QLabel(self)  # beside the name: a line less above the form on a small screen
        self.summary_label.setObjectName("residentSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("residentDetail")
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setWordWrap(True)
        title_row = QHBoxLayout()
        title_row.setSpacing(12)
        title_row.addWidget(self.title_label, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.summary_label, 1, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(title_row)
        layout.addWidget(self.detail_label)

    def show_resident(self, info: ResidentForVisit, *, today: date, in_round: bool, due: Sequence[str]) -> None:
        """Show ``info``; ``in_round``: the visit is at a round; ``due``: why the resident is due there."""
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
        self.summary_label.setText(" · ".join(parts))
        lines = []
        if not in_round:
            lines.append(html.escape(self.tr("Visit outside a round")))
        if due:
            lines.append(html.escape(self.tr("Due: {reasons}").format(reasons="; ".join(due))))
        last = info.last_visit
        if last is not None:
            vitals = describe_vitals(last.entry)
            text = self.tr("Last visit {date}: {outcome}").format(
                date=last.visit_date.isoformat(), outcome=last.outcome.label
            )
            classes = self.classes_text(last.entry)
            lines.append(html.escape(" · ".join(part for part in (f"{text} {vitals}".strip(), classes) if part)))
        self.detail_label.setText("<br>".join(lines))
        self.detail_label.setVisible(bool(lines))

    def classes_text(self, entry: VisitEntry) -> str:
        """Return a visit's follow-up classes: each disease's ("高血压：控制满意 · 糖尿病：控制不满意"), or its one."""
        return follow_up_text(entry, self.tr("{disease}: {value}"))
