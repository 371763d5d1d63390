"""The users page — 账号管理: the administrator adds, edits and disables accounts and resets passwords.

Everything runs through :mod:`app.services.accounts.users`, which checks the signed-in role; the page asks the
same permission table up front and, for anyone but an administrator, shows a note instead of the
buttons. Also holds the center-wide auto-lock time (a security setting every device follows).

The add/edit and new-password dialogs are in :mod:`app.ui.admin.user_dialogs`.

Keys: Insert adds an account, Enter edits the selected one, F5 reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Action
from app.services.accounts import users
from app.services.accounts.users import StaffRow, TeamChoice
from app.services.authz import permitted_actions
from app.ui.admin.user_dialogs import PasswordDialog, StaffDialog
from app.ui.shell.tasks import Op
from app.ui.widgets.badges import set_text_scale
from app.ui.widgets.tables import fit_columns, read_only_table

if TYPE_CHECKING:
    from app.bootstrap import AppContext


@dataclass(frozen=True)
class UsersData:
    """What the page loads in one go."""

    actions: frozenset[Action]
    staff: list[StaffRow]
    teams: list[TeamChoice]
    auto_lock_minutes: int


class StaffTableModel(QAbstractTableModel):
    """The accounts as a table: name, login, role, team, phone, status."""

    NAME, LOGIN, ROLE, TEAM, PHONE, STATUS = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[StaffRow] = []

    def set_rows(self, rows: list[StaffRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> StaffRow:
        return self._rows[row]

    def row_of(self, staff_id: str) -> int:
        """Return the row showing ``staff_id``, or -1."""
        return next((i for i, row in enumerate(self._rows) if row.id == staff_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("Name"),
            self.tr("Login"),
            self.tr("Role"),
            self.tr("Team"),
            self.tr("Phone"),
            self.tr("Status"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        staff = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return staff.name
            if column == self.LOGIN:
                return staff.login
            if column == self.ROLE:
                return staff.role.label
            if column == self.TEAM:
                return staff.team_name or "—"
            if column == self.PHONE:
                return staff.phone
            if column == self.STATUS:
                return self.status_text(staff)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.STATUS and staff.locked_until is not None:
            return self.tr("Locked after five failed sign-ins on this computer")
        if role == Qt.ItemDataRole.ToolTipRole and column == self.STATUS and staff.must_change_password:
            return self.tr("An administrator set the password; they choose their own at the next sign-in")
        if role == Qt.ItemDataRole.ForegroundRole and not staff.active:
            parent = self.parent()
            return parent.palette().placeholderText() if isinstance(parent, QWidget) else None
        return None

    def status_text(self, staff: StaffRow) -> str:
        if not staff.active:
            return "✕ " + self.tr("Disabled")
        if staff.locked_until is not None:
            local = staff.locked_until.astimezone()
            return "⚠ " + self.tr("Locked until {time}").format(time=f"{local:%H:%M}")
        if staff.must_change_password:
            return "✓ " + self.tr("Active, must change password")
        return "✓ " + self.tr("Active")


class UsersPage(QWidget):
    """Staff accounts for the administrator, and the center's auto-lock time.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.

    Signals:
        loaded(object): the :class:`UsersData` now shown (after every reload).
        changed: an account, a team or the auto-lock time was saved.
        autoLockChanged(int): the center's auto-lock minutes were saved (the window re-arms its AutoLock).
    """

    loaded = Signal(object)
    changed = Signal()
    autoLockChanged = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersPage")
        self._context = context
        self._data: UsersData | None = None
        self._dialog: QDialog | None = None

        heading = QLabel(self.tr("Accounts"), self)
        set_text_scale(heading, 1.5)
        self.note_label = QLabel(self)
        self.note_label.setObjectName("usersNote")
        self.note_label.setWordWrap(True)
        self.note_label.hide()

        self.add_button = QPushButton(self.tr("&Add account…"), self)
        self.add_button.setObjectName("addStaff")
        self.add_button.setToolTip(self.tr("Add an account (Insert)"))
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.edit_button.setObjectName("editStaff")
        self.password_button = QPushButton(self.tr("Reset &password…"), self)
        self.password_button.setObjectName("resetPassword")
        self.active_button = QPushButton(self.tr("&Disable"), self)
        self.active_button.setObjectName("toggleActive")
        self.unlock_button = QPushButton(self.tr("&Unlock"), self)
        self.unlock_button.setObjectName("unlockStaff")
        self.unlock_button.setToolTip(self.tr("Lift the five-minute lock after failed sign-ins"))
        self.team_button = QPushButton(self.tr("New &team…"), self)
        self.team_button.setObjectName("addTeam")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("staffCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.model = StaffTableModel(self)
        self.table = read_only_table(self, self.model, "staffTable")
        self.table.setShowGrid(False)

        self.lock_spin = QSpinBox(self)
        self.lock_spin.setObjectName("autoLockMinutes")
        self.lock_spin.setRange(0, users.MAX_AUTO_LOCK_MINUTES)
        self.lock_spin.setSuffix(self.tr(" min"))
        self.lock_spin.setSpecialValueText(self.tr("never"))
        self.lock_apply = QPushButton(self.tr("Appl&y"), self)
        self.lock_apply.setObjectName("applyAutoLock")
        lock_label = QLabel(self.tr("&Lock the screen after this long without use:"), self)
        lock_label.setBuddy(self.lock_spin)
        lock_note = QLabel(
            self.tr(
                "Applies to every computer of the center after the next sync. A locked screen hides all "
                "data until someone signs in again."
            ),
            self,
        )
        lock_note.setWordWrap(True)
        self.security_box = QGroupBox(self.tr("Security"), self)
        security = QVBoxLayout(self.security_box)
        lock_row = QHBoxLayout()
        lock_row.addWidget(lock_label)
        lock_row.addWidget(self.lock_spin)
        lock_row.addWidget(self.lock_apply)
        lock_row.addStretch(1)
        security.addLayout(lock_row)
        security.addWidget(lock_note)

        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.password_button,
            self.active_button,
            self.unlock_button,
            self.team_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(heading)
        layout.addWidget(self.note_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.security_box)

        self.add_button.clicked.connect(self.add_staff)
        self.edit_button.clicked.connect(self.edit_selected)
        self.password_button.clicked.connect(self.reset_selected_password)
        self.active_button.clicked.connect(self.toggle_selected_active)
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.team_button.clicked.connect(self.add_team)
        self.lock_apply.clicked.connect(self.apply_auto_lock)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self, self.add_staff)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)
        self._fit_columns()
        self._update_buttons()

    # --- loading ------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    @Slot()
    def reload(self) -> None:
        """Load the accounts, teams and the auto-lock time on the database thread."""
        context = self._context

        def load() -> UsersData:
            actions = permitted_actions(context.uow())
            if Action.MANAGE_USERS not in actions:
                return UsersData(actions, [], [], users.auto_lock_minutes(context.uow()))
            return UsersData(
                actions,
                users.list_staff(context.uow()),
                users.list_teams(context.uow()),
                users.auto_lock_minutes(context.uow()),
            )

        Op(self, load).success(self._show).run()

    def _show(self, data: UsersData) -> None:
        selected = self.selected()
        self._data = data
        self.model.set_rows(data.staff)
        may_manage = Action.MANAGE_USERS in data.actions
        self.note_label.setVisible(not may_manage)
        self.note_label.setText("" if may_manage else self.tr("Only an administrator can see and manage accounts."))
        self.count_label.setText(self.tr("{count} accounts").format(count=len(data.staff)) if may_manage else "")
        self.lock_spin.setValue(data.auto_lock_minutes)
        if selected is not None and (row := self.model.row_of(selected.id)) >= 0:
            self.table.selectRow(row)
        self._update_buttons()
        self.loaded.emit(data)

    def _fit_columns(self) -> None:
        samples = {
            StaffTableModel.NAME: "欧阳秀英英",
            StaffTableModel.LOGIN: "assistant12",
            StaffTableModel.ROLE: "Community nurse",
            StaffTableModel.TEAM: "第三家庭医生团队",
            StaffTableModel.PHONE: "138 0000 0000",
        }
        fit_columns(self.table, samples, sample_padding=28, row_height=(30, 12))

    # --- selection and buttons ----------------------------------------------------------------------

    def selected(self) -> StaffRow | None:
        """Return the selected account, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_login(self, login: str) -> bool:
        """Select the account with ``login``; return whether it is listed."""
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).login == login:
                self.table.selectRow(row)
                return True
        return False

    @property
    def current_dialog(self) -> QDialog | None:
        """The account or password dialog opened last (for tests and the lock screen), or None."""
        return self._dialog

    def may_manage(self) -> bool:
        return self._data is not None and Action.MANAGE_USERS in self._data.actions

    @Slot()
    def _update_buttons(self) -> None:
        manage = self.may_manage()
        staff = self.selected() if manage else None
        self.add_button.setEnabled(manage)
        self.team_button.setEnabled(manage)
        self.edit_button.setEnabled(staff is not None)
        self.password_button.setEnabled(staff is not None)
        self.active_button.setEnabled(staff is not None)
        self.active_button.setText(
            self.tr("En&able") if staff is not None and not staff.active else self.tr("&Disable")
        )
        self.unlock_button.setEnabled(staff is not None and staff.locked_until is not None)
        settings = self._data is not None and Action.MANAGE_SETTINGS in self._data.actions
        self.lock_spin.setEnabled(settings)
        self.lock_apply.setEnabled(settings)
        self.table.setEnabled(manage)

    # --- actions ------------------------------------------------------------------------------------

    @Slot()
    def add_staff(self) -> None:
        """Open the dialog to add an account."""
        if not self.may_manage() or self._data is None:
            return
        context = self._context

        def submit(values: dict[str, Any]) -> StaffRow:
            return users.add_staff(context.uow(), **values)

        self._open(StaffDialog(self._data.teams, submit, parent=self))

    @Slot()
    def edit_selected(self) -> None:
        """Open the dialog to edit the selected account."""
        staff = self.selected()
        if staff is None or not self.may_manage() or self._data is None:
            return
        context = self._context

        def submit(values: dict[str, Any]) -> StaffRow:
            return users.update_staff(context.uow(), staff_id=staff.id, **values)

        self._open(StaffDialog(self._data.teams, submit, staff=staff, parent=self))

    @Slot()
    def reset_selected_password(self) -> None:
        """Ask for a new password for the selected account."""
        staff = self.selected()
        if staff is None or not self.may_manage():
            return
        context = self._context

        def submit(password: str) -> None:
            users.reset_password(context.uow(), staff_id=staff.id, new_password=password)

        self._open(PasswordDialog(staff.name, submit, parent=self, own=staff.id == context.actor_id))

    @Slot()
    def toggle_selected_active(self) -> None:
        """Disable the selected account after a confirmation, or enable it again."""
        staff = self.selected()
        if staff is None or not self.may_manage():
            return
        if staff.active:
            answer = QMessageBox.question(
                self.window(),
                self.tr("Disable account"),
                self.tr(
                    "Disable the account of {name} ({login})? They can no longer sign in; everything they "
                    "recorded stays."
                ).format(name=staff.name, login=staff.login),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        context = self._context
        active = not staff.active
        self._run(lambda: users.set_staff_active(context.uow(), staff_id=staff.id, active=active))

    @Slot()
    def unlock_selected(self) -> None:
        """Lift the selected account's lock after failed sign-ins."""
        staff = self.selected()
        if staff is None or not self.may_manage():
            return
        context = self._context
        self._run(lambda: users.unlock_account(context.uow(), staff_id=staff.id))

    @Slot()
    def add_team(self) -> None:
        """Ask for a team name and add the team."""
        if not self.may_manage():
            return
        name, ok = QInputDialog.getText(self.window(), self.tr("New team"), self.tr("Name of the family-doctor team:"))
        if not ok or not name.strip():
            return
        context = self._context
        self._run(lambda: users.add_team(context.uow(), name=name))

    @Slot()
    def apply_auto_lock(self) -> None:
        """Save the auto-lock time for the whole center."""
        minutes = self.lock_spin.value()
        context = self._context

        def saved(value: int) -> None:
            self.autoLockChanged.emit(value)
            self.changed.emit()

        Op(self, lambda: users.set_auto_lock_minutes(context.uow(), minutes=minutes)).success(saved).run()

    def _open(self, dialog: QDialog) -> None:
        self._dialog = dialog
        dialog.accepted.connect(self._saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _run(self, fn: Callable[[], object]) -> None:
        Op(self, fn).success(lambda _result: self._saved()).run()

    @Slot()
    def _saved(self) -> None:
        self.changed.emit()
        self.reload()
