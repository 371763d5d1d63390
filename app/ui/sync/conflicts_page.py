"""The Conflicts page — 同步冲突: what two devices changed differently, and which value to keep.

The list shows each conflict with both values, which device wrote each and when. Below it, the chosen
conflict side by side: the value applied now and the other one, each with a button to keep it. A
resident recorded twice (one ID-card number, two devices) shows both residents, with "merge into this
one" for each and "not the same person". Choices are new changes, so they travel to every device.
Only roles allowed to resolve conflicts (doctors, administrators) get the buttons; others see the page
read-only, the buttons disabled with a note saying who can choose (the services refuse them too).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Action
from app.services.authz import permitted_actions
from app.services.sync.conflicts import (
    ConflictRow,
    dismiss_duplicate,
    keep_one_bed,
    list_conflicts,
    merge_duplicate,
    resolve_conflict,
)
from app.ui.shell.tasks import Op
from app.ui.sync.page import local_time
from app.ui.widgets.badges import set_text_scale
from app.ui.widgets.tables import read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext

ModelIndex = QModelIndex | QPersistentModelIndex


class ConflictModel(QAbstractTableModel):
    """The conflicts as a table: record, field, value applied (device, time), other value (device, time)."""

    COLUMNS = 6

    def __init__(self, page: ConflictsPage) -> None:
        super().__init__(page)
        self._page = page
        self.rows: list[ConflictRow] = []

    def set_rows(self, rows: list[ConflictRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (
            self.tr("Record"),
            self.tr("What"),
            self.tr("Value applied"),
            self.tr("Other value"),
            self.tr("Found"),
            self.tr("Status"),
        )[section]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row, page = self.rows[index.row()], self._page
        column, tip = index.column(), role == Qt.ItemDataRole.ToolTipRole
        if column == 0:
            return row.record
        if column == 1:
            return page.field_label(row)
        if column in (2, 3):
            return page.side_text(row, kept=column == 2, with_time=tip)
        if column == 4:
            return local_time(row.detected_at)
        return page.status_text(row)


class ConflictsPage(QWidget):
    """Review sync conflicts and keep either value.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.

    Signals:
        resolved(): a conflict was resolved (records changed; other pages may refresh).
        refreshed(int): the number of open conflicts now shown.

    Attributes:
        may_resolve: whether the signed-in role may choose a value (known after the first refresh; until
            then False, so nothing can be chosen before the permission is known).
    """

    resolved = Signal()
    refreshed = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsPage")
        self._context = context
        self.may_resolve = False

        self.heading = QLabel(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("conflictCount")
        self.show_resolved = QCheckBox(self)
        self.show_resolved.setObjectName("showResolved")
        self.show_resolved.toggled.connect(self.refresh)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.show_resolved)
        top.addWidget(self.refresh_button)

        self.model = ConflictModel(self)
        # the two values get the spare width
        self.table = read_only_table(self, self.model, "conflictTable", stretch=(2, 3))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QFrame(self)
        self.detail.setObjectName("conflictDetail")
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail_title = QLabel(self.detail)
        self.detail_title.setWordWrap(True)
        self.kept_box = QLabel(self.detail)
        self.other_box = QLabel(self.detail)
        for box, name in ((self.kept_box, "keptSide"), (self.other_box, "otherSide")):
            box.setObjectName(name)
            box.setWordWrap(True)
            box.setTextFormat(Qt.TextFormat.RichText)
            box.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keep_button = QPushButton(self.detail)
        self.keep_button.setObjectName("keepApplied")
        self.keep_button.clicked.connect(lambda: self.keep(kept=True))
        self.use_other_button = QPushButton(self.detail)
        self.use_other_button.setObjectName("useOther")
        self.use_other_button.clicked.connect(lambda: self.keep(kept=False))
        self.not_same_button = QPushButton(self.detail)
        self.not_same_button.setObjectName("notSamePerson")
        self.not_same_button.clicked.connect(self.not_the_same_person)
        self.read_only_note = QLabel(self.detail)
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.hide()
        grid = QGridLayout(self.detail)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setVerticalSpacing(10)
        grid.setHorizontalSpacing(24)
        grid.addWidget(self.detail_title, 0, 0, 1, 2)
        grid.addWidget(self.kept_box, 1, 0)
        grid.addWidget(self.other_box, 1, 1)
        grid.addWidget(self.keep_button, 2, 0)
        grid.addWidget(self.use_other_button, 2, 1)
        grid.addWidget(self.not_same_button, 3, 0, 1, 2)
        grid.addWidget(self.read_only_note, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(5, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.detail)
        self.theme_changed()
        self.retranslate()
        self._show_detail(None)

    def theme_changed(self) -> None:
        """Size the heading and the detail title again after the theme (and its font size) changed."""
        set_text_scale(self.heading, 1.5)
        set_text_scale(self.detail_title, 1.05)

    # --- texts ----------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Conflicts"))
        self.show_resolved.setText(self.tr("Show resol&ved"))
        self.refresh_button.setText(self.tr("&Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the conflicts again (F5)"))
        self.not_same_button.setText(self.tr("&Not the same person: keep both residents"))
        self.read_only_note.setText(
            self.tr(
                "Only a doctor or an administrator can choose which value to keep; "
                "your role can look at the conflicts but not resolve them."
            )
        )
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, ConflictModel.COLUMNS - 1)
        self._update_count()
        self._show_detail(self.current())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def field_label(self, row: ConflictRow) -> str:
        """Name what conflicts, in words: "Phone", "Deleted or changed", "Same ID number twice"."""
        if row.kind == "duplicate":
            return self.tr("Same ID number twice")
        if row.kind == "two_beds":
            return self.tr("Two open family beds")
        if row.kind == "deleted":
            return self.tr("Deleted vs. changed")
        labels = {
            "name": self.tr("Name"),
            "sex": self.tr("Sex"),
            "birth_date": self.tr("Date of birth"),
            "id_number": self.tr("ID number"),
            "phone": self.tr("Phone"),
            "building": self.tr("Building"),
            "room": self.tr("Room"),
            "bed": self.tr("Bed"),
            "status": self.tr("Status"),
            "colour": self.tr("Triage colour"),
            "notes": self.tr("Notes"),
            "guardian_name": self.tr("Guardian"),
            "guardian_phone": self.tr("Guardian's phone"),
            "care_level": self.tr("Care level"),
            "findings": self.tr("Findings"),
            "actions": self.tr("Actions"),
            "institution_id": self.tr("Institution"),
        }
        entity = {
            "resident": self.tr("Resident"),
            "visit": self.tr("Visit"),
            "institution": self.tr("Institution"),
            "agreement": self.tr("Agreement"),
            "staff": self.tr("Staff"),
        }.get(row.entity, row.entity)
        return f"{entity} · {labels.get(row.field, row.field)}"

    def value_text(self, row: ConflictRow, value: Any) -> str:
        if row.kind == "deleted":
            return self.tr("deleted") if value else self.tr("kept (not deleted)")
        if value is None or value == "":
            return self.tr("(empty)")
        if isinstance(value, bool):
            return self.tr("yes") if value else self.tr("no")
        return str(value)

    def side_text(self, row: ConflictRow, *, kept: bool, with_time: bool = False) -> str:
        """One side in one line: "13900000002 (laptop-1)", with the time too for tooltips."""
        device = row.kept_device_name if kept else row.other_device_name
        when = local_time(row.kept_at if kept else row.other_at)
        if row.kind in ("duplicate", "two_beds"):
            summary = row.kept_summary if kept else row.other_summary
            text = summary or self.tr("(removed)")
        else:
            text = self.value_text(row, row.kept_value if kept else row.other_value)
        return f"{text} ({device}, {when})" if with_time else f"{text} ({device})"

    def status_text(self, row: ConflictRow) -> str:
        if row.resolved_at is None:
            return self.tr("To review")
        if row.resolution == "superseded":
            return self.tr("Settled by a later change")
        if row.resolution == "not_duplicate":
            return self.tr("Kept apart")
        if row.resolution.startswith("merged:"):
            return self.tr("Merged")
        return self.tr("Value chosen")

    # --- reading --------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the conflicts again on the database thread."""
        context, include = self._context, self.show_resolved.isChecked()

        def load() -> tuple[list[ConflictRow], bool]:
            # signed out (scripts, tests of the page alone) is the file's owner, as in the services
            may = context.actor_id is None or Action.RESOLVE_CONFLICTS in permitted_actions(context.uow())
            return list_conflicts(context.uow(), include_resolved=include), may

        Op(self, load).latest_only(f"conflicts-page-{id(self)}").success(self._show_loaded).run()

    def _show_loaded(self, loaded: tuple[list[ConflictRow], bool]) -> None:
        rows, self.may_resolve = loaded
        self._show_rows(rows)

    def _show_rows(self, rows: list[ConflictRow]) -> None:
        chosen = self.current()
        self.model.set_rows(rows)
        self._fit_columns()
        self._update_count()
        ids = [r.id for r in rows]
        if rows:
            self.table.selectRow(ids.index(chosen.id) if chosen is not None and chosen.id in ids else 0)
        else:
            self._show_detail(None)
        self.refreshed.emit(sum(1 for r in rows if r.resolved_at is None))

    def _fit_columns(self) -> None:
        """Fit the columns to their text, within limits, so the six columns fit a laptop screen."""
        self.table.resizeColumnsToContents()
        metrics = self.table.fontMetrics()
        width = metrics.horizontalAdvance("M")
        for column, limit in ((0, 21), (1, 15)):
            if self.table.columnWidth(column) > limit * width:
                self.table.setColumnWidth(column, limit * width)
        self.table.setColumnWidth(4, metrics.horizontalAdvance("2026-11-22 13:59") + 2 * width)

    def _update_count(self) -> None:
        open_count = sum(1 for r in self.model.rows if r.resolved_at is None)
        self.count_label.setText(
            self.tr("{n} to review").format(n=open_count) if open_count else self.tr("Nothing to review")
        )

    def current(self) -> ConflictRow | None:
        """Return the conflict selected in the list, if any."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.model.rows):
            return None
        return self.model.rows[rows[0].row()]

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._show_detail(self.current())

    def _show_detail(self, row: ConflictRow | None) -> None:
        choosable = row is not None and row.resolved_at is None
        for button in (self.keep_button, self.use_other_button, self.not_same_button):
            button.setVisible(choosable)
            button.setEnabled(self.may_resolve)
        self.not_same_button.setVisible(choosable and row is not None and row.kind == "duplicate")
        self.read_only_note.setVisible(choosable and not self.may_resolve)
        if row is None:
            self.detail_title.setText(self.tr("Choose a conflict in the list to see both values."))
            self.kept_box.clear()
            self.other_box.clear()
            return
        self.detail_title.setText(f"{row.record} — {self.field_label(row)}")
        if row.kind == "duplicate":
            self.kept_box.setText(
                self._side_html(self.tr("Resident recorded first"), row.kept_summary, row.kept_device_name, row.kept_at)
            )
            self.other_box.setText(
                self._side_html(
                    self.tr("Resident recorded again"), row.other_summary, row.other_device_name, row.other_at
                )
            )
            self.keep_button.setText(self.tr("Keep the &first, merge the other into it"))
            self.use_other_button.setText(self.tr("Keep the &second, merge the other into it"))
        elif row.kind == "two_beds":
            self.kept_box.setText(
                self._side_html(self.tr("Bed opened first"), row.kept_summary, row.kept_device_name, row.kept_at)
            )
            self.other_box.setText(
                self._side_html(self.tr("Bed opened later"), row.other_summary, row.other_device_name, row.other_at)
            )
            self.keep_button.setText(self.tr("Keep the &first bed, move the other's orders and checks to it"))
            self.use_other_button.setText(self.tr("Keep the &second bed, move the other's orders and checks to it"))
        else:
            self.kept_box.setText(
                self._side_html(
                    self.tr("Applied on every device now"),
                    self.value_text(row, row.kept_value),
                    row.kept_device_name,
                    row.kept_at,
                )
            )
            self.other_box.setText(
                self._side_html(
                    self.tr("The other value"),
                    self.value_text(row, row.other_value),
                    row.other_device_name,
                    row.other_at,
                )
            )
            self.keep_button.setText(self.tr("&Keep the value applied"))
            self.use_other_button.setText(self.tr("&Use the other value instead"))

    def _side_html(self, title: str, value: str, device: str, when: datetime | None) -> str:
        import html

        by = self.tr("on {device}, {when}").format(device=html.escape(device), when=local_time(when))
        return (
            f"<div style='font-size:small'>{html.escape(title)}</div>"
            f"<div style='font-size:large; font-weight:600'>{html.escape(value)}</div>"
            f"<div style='font-size:small'>{by}</div>"
        )

    # --- choosing ---------------------------------------------------------------------------------------

    def keep(self, *, kept: bool) -> None:
        """Resolve the selected conflict with the applied value (``kept``) or the other one."""
        row = self.current()
        if row is None or row.resolved_at is not None or not self.may_resolve:
            return
        context = self._context
        if row.kind == "duplicate":
            keep_id = str(row.kept_value if kept else row.other_value)
            work: Any = lambda: merge_duplicate(context.uow(), conflict_id=row.id, keep_resident_id=keep_id)  # noqa: E731
        elif row.kind == "two_beds":
            bed_id = str(row.kept_value if kept else row.other_value)
            work = lambda: keep_one_bed(context.uow(), conflict_id=row.id, keep_bed_id=bed_id)  # noqa: E731
        else:
            work = lambda: resolve_conflict(context.uow(), conflict_id=row.id, keep="kept" if kept else "other")  # noqa: E731
        Op(self, work).success(self._done).run()

    @Slot()
    def not_the_same_person(self) -> None:
        row = self.current()
        if row is None or row.kind != "duplicate" or row.resolved_at is not None or not self.may_resolve:
            return
        context = self._context
        Op(self, lambda: dismiss_duplicate(context.uow(), conflict_id=row.id)).success(self._done).run()

    def _done(self, _result: object) -> None:
        self.resolved.emit()
        self.refresh()
