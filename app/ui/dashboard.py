"""The dashboard — 工作概览: the center's figures at a glance, as cards.

Institutions by kind, residents in residence by colour, this week's rounds, overdue residents and
agreements running out, and today's rounds — 今日巡诊 — each opened on the visit page with its button,
a double-click or Enter (for the roles that record visits). Colours always show as symbol, word and
number ("● 红 42"), so they read in grayscale too. Refreshed each time the page is shown, and with F5
or the Refresh button.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.domain.institutions import InstitutionKind
from app.domain.permissions import Action
from app.services.authz import permitted_actions
from app.services.dashboard import EXPIRY_WARNING_DAYS, DashboardFigures, dashboard_figures
from app.ui.shell.tasks import Op, show_error
from app.ui.widgets.badges import badge_html, set_text_scale

if TYPE_CHECKING:
    from app.bootstrap import AppContext

COLOUR_ORDER = (TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN)


class FigureCard(QFrame):
    """One card: a title, a big number and a few lines of detail.

    Args:
        name: object name, for tests and style sheets.
        parent: the owning widget.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(220)
        self.title_label = QLabel(self)
        title_font = self.title_label.font()
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setWordWrap(True)
        self.value_label = QLabel("–", self)
        self.value_label.setObjectName(f"{name}-value")
        set_text_scale(self.value_label, 2.4)
        self.caption_label = QLabel(self)
        self.caption_label.setWordWrap(True)
        self._details = QVBoxLayout()
        self._details.setSpacing(4)
        self.detail_labels: dict[str, QLabel] = {}
        layout = self.content_layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        layout.addLayout(self._details)
        layout.addStretch(1)

    def set_details(self, lines: list[tuple[str, str]]) -> None:
        """Show ``lines`` as (key, rich text) pairs under the number, replacing the previous ones."""
        keys = [key for key, _ in lines]
        for key in list(self.detail_labels):
            if key not in keys:
                removed = self.detail_labels.pop(key)
                self._details.removeWidget(removed)
                removed.deleteLater()
        for position, (key, text) in enumerate(lines):
            label = self.detail_labels.get(key)
            if label is None:
                label = self.detail_labels[key] = QLabel(self)
                label.setObjectName(f"{self.objectName()}-{key}")
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setWordWrap(True)
            self._details.insertWidget(position, label)
            label.setText(text)

    def detail_text(self, key: str) -> str:
        """Return the rich text of detail line ``key`` ("" if there is none)."""
        label = self.detail_labels.get(key)
        return label.text() if label is not None else ""


class DashboardPage(QWidget):
    """The center's figures, fetched on the database thread.

    Args:
        context: the open database.
        parent: the owning widget.
        today: returns the day the figures are for (``date.today`` by default; tests fix it).

    Signals:
        refreshed(object): the :class:`~app.services.dashboard.DashboardFigures` now shown.
        open_round_requested(str): open this round's visits on the visit page (the workspace listens).
    """

    refreshed = Signal(object)
    open_round_requested = Signal(str)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self._context = context
        self._today = today
        self.figures: DashboardFigures | None = None
        self.may_record = False  # until a refresh says what the signed-in role may do

        heading = QLabel(self.tr("Dashboard"), self)
        set_text_scale(heading, 1.5)
        self.date_label = QLabel(self)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setObjectName("refreshDashboard")
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.setToolTip(self.tr("Fetch the figures again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.date_label, 1)
        top.addWidget(self.refresh_button)

        self.institutions_card = FigureCard("institutions")
        self.residents_card = FigureCard("residents")
        self.rounds_card = FigureCard("rounds")
        self.overdue_card = FigureCard("overdue")
        self.agreements_card = FigureCard("agreements")
        self.today_card = FigureCard("todayRounds")
        self.today_list = QListWidget(self.today_card)
        self.today_list.setObjectName("todayRoundsList")
        self.today_list.setMinimumHeight(150)
        self.today_list.setWordWrap(True)  # long institution names wrap instead of being cut
        self.today_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.today_list.itemActivated.connect(lambda _item: self.open_selected_round())  # double-click, Enter
        self.today_list.currentRowChanged.connect(lambda _row: self._update_open_button())
        self.open_round_button = QPushButton(self.tr("Record &visits of this round"), self.today_card)
        self.open_round_button.setObjectName("openTodayRound")
        self.open_round_button.clicked.connect(self.open_selected_round)
        self.today_card.content_layout.insertWidget(3, self.today_list, 1)
        self.today_card.content_layout.insertWidget(4, self.open_round_button)
        self._update_open_button()  # nothing to open (and no role known) until the first refresh
        self._retranslate_titles()

        cards = QWidget()
        grid = QGridLayout(cards)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(14)
        grid.addWidget(self.residents_card, 0, 0)
        grid.addWidget(self.overdue_card, 0, 1)
        grid.addWidget(self.rounds_card, 0, 2)
        grid.addWidget(self.institutions_card, 1, 0)
        grid.addWidget(self.agreements_card, 1, 1)
        grid.addWidget(self.today_card, 1, 2)
        grid.setRowStretch(2, 1)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(cards)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

    def _retranslate_titles(self) -> None:
        self.institutions_card.title_label.setText(self.tr("Signed institutions"))
        self.residents_card.title_label.setText(self.tr("Residents in residence"))
        self.rounds_card.title_label.setText(self.tr("Rounds this week"))
        self.overdue_card.title_label.setText(self.tr("Residents overdue for a visit"))
        self.agreements_card.title_label.setText(self.tr("Agreements"))
        self.today_card.title_label.setText(self.tr("Today's rounds"))

    # --- fetching ------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Fetch the figures again on the database thread."""
        context = self._context
        today = self._today()
        self.refresh_button.setEnabled(False)

        def work() -> tuple[DashboardFigures, bool]:
            # without a signed-in person (scripts, tests) nothing is asked, as in the services
            may = context.actor_id is None or Action.RECORD_VISITS in permitted_actions(context.uow())
            return dashboard_figures(context.uow(), today=today), may

        Op(self, work).latest_only("dashboard").success(self._show).failure(self._failed).run()

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        show_error(self.window(), error)

    def _show(self, loaded: tuple[DashboardFigures, bool]) -> None:
        figures, self.may_record = loaded
        self.refresh_button.setEnabled(True)
        self.figures = figures
        self._render()
        self.refreshed.emit(figures)

    def theme_changed(self) -> None:
        """Redraw the colour badges for the new theme."""
        if self.figures is not None:
            self._render()

    # --- showing --------------------------------------------------------------------------------------

    def _render(self) -> None:
        figures = self.figures
        if figures is None:
            return
        self.date_label.setText(self.tr("Figures for {date}").format(date=figures.today.isoformat()))

        self.residents_card.value_label.setText(str(figures.residents_in_residence))
        self.residents_card.caption_label.setText(self.tr("by triage colour"))
        self.residents_card.set_details(
            [(c.value, badge_html(c, figures.residents_by_colour.get(c, 0))) for c in COLOUR_ORDER]
        )

        self.overdue_card.value_label.setText(str(figures.overdue))
        self.overdue_card.caption_label.setText(
            self.tr(
                "as on the Overdue page: due at an earlier round (visit interval, yearly check or follow-up) "
                "and not seen since"
            )
        )
        self.overdue_card.set_details(
            [(c.value, badge_html(c, figures.overdue_by_colour.get(c, 0))) for c in COLOUR_ORDER]
        )

        # one big number (the week's rounds) and its parts: held + still to come; cancelled ones are apart
        held = figures.rounds_done_this_week
        self.rounds_card.value_label.setText(str(figures.rounds_this_week))
        self.rounds_card.caption_label.setText(self.tr("rounds this week (cancelled ones not counted)"))
        self.rounds_card.set_details(
            [
                ("done", self._line(self.tr("of which held:"), held)),
                ("to_come", self._line(self.tr("of which still to come:"), figures.rounds_this_week - held)),
                (
                    "cancelled",
                    self._line(self.tr("cancelled (not counted above):"), figures.rounds_cancelled_this_week),
                ),
            ]
        )

        self.institutions_card.value_label.setText(str(figures.institutions))
        self.institutions_card.caption_label.setText(self.tr("by kind"))
        order = {kind.value: position for position, kind in enumerate(InstitutionKind)}
        kinds = sorted(figures.institutions_by_kind.items(), key=lambda item: order.get(item[0], len(order)))
        self.institutions_card.set_details([(kind, self._line(_kind_label(kind), count)) for kind, count in kinds])

        # the big number is every institution to act on; the lines split it into ending soon and ended
        self.agreements_card.value_label.setText(str(figures.agreements_expiring + figures.agreements_expired))
        self.agreements_card.caption_label.setText(self.tr("institutions whose agreement needs renewing"))
        self.agreements_card.set_details(
            [
                (
                    "expiring",
                    self._line(
                        self.tr("ends within {days} days:").format(days=EXPIRY_WARNING_DAYS),
                        figures.agreements_expiring,
                    ),
                ),
                ("expired", self._line(self.tr("has ended:"), figures.agreements_expired)),
            ]
        )

        self._render_today(figures)

    def _render_today(self, figures: DashboardFigures) -> None:
        rounds = figures.today_rounds
        self.today_card.value_label.setText(str(len(rounds)))
        self.today_card.caption_label.setText(
            self.tr("Choose one and press Enter to record its visits.")
            if rounds and self.may_record
            else self.tr("Recording visits is for doctors and nurses.")
            if rounds
            else self.tr("No round is planned for today.")
        )
        current = self.selected_round_id()
        self.today_list.clear()
        for today_round in rounds:
            done = self.tr("✓ done") if today_round.status == "done" else self.tr("○ planned")
            text = self.tr("{institution} · {team} — {status}, {count} visit(s) recorded").format(
                institution=today_round.institution_name,
                team=today_round.team_name or "—",
                status=done,
                count=today_round.visits_recorded,
            )
            item = QListWidgetItem(text, self.today_list)
            item.setData(Qt.ItemDataRole.UserRole, today_round.round_id)
        ids = [r.round_id for r in rounds]
        if ids:
            self.today_list.setCurrentRow(ids.index(current) if current in ids else 0)
        self.today_list.setVisible(bool(rounds))
        self.open_round_button.setVisible(bool(rounds))
        self._update_open_button()

    def _update_open_button(self) -> None:
        self.open_round_button.setEnabled(self.may_record and self.selected_round_id() is not None)

    def selected_round_id(self) -> str | None:
        """Return the id of the round chosen in today's list, or None."""
        item = self.today_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    @Slot()
    def open_selected_round(self) -> None:
        """Open the chosen round of today on the visit page (only for roles that record visits)."""
        round_id = self.selected_round_id()
        if round_id is not None and self.may_record:
            self.open_round_requested.emit(round_id)

    @staticmethod
    def _line(label: str, count: int) -> str:
        return f"{html.escape(label)}&nbsp;<b>{count}</b>"


def _kind_label(kind: str) -> str:
    try:
        return InstitutionKind(kind).label
    except ValueError:
        return kind
