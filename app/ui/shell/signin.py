"""The sign-in panel — 登录: shown in the main window until somebody signs in.

It is on screen before the database is open: the fields take typing at once, and the Sign in
button is enabled when the database is ready. Wrong credentials are reported inline, under the
password, never in a dialog.

Somebody signing in with a password an administrator set (``SignedIn.must_change_password``) is
signed in only once they have chosen their own: the panel opens the change-password dialog in forced
mode first, and emits ``signed_in`` after it succeeds; "Sign out" there brings the panel back.

Built before the first window shows, so it leaves :mod:`app.ui.shell.tasks` and the ``Qt`` namespace
(about 20 ms each to load) to the methods that run later.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.colours import TriageColour
from app.ui.widgets.badges import colour_rgb, set_text_scale

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class SignInPanel(QWidget):
    """Ask for a login and password and sign the staff member in.

    Signals:
        signed_in(object): the :class:`~app.services.accounts.sign_in.SignedIn` of whoever signed in (and chose
            their own password, if they had to).
    """

    signed_in = Signal(object)
    database_unlocked = Signal(object)
    """An encrypted database was opened by signing in: the :class:`~app.ui.shell.startup.OpenedDatabase`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInPanel")
        self._context: AppContext | None = None
        self._locked_path: Path | None = None  # an encrypted database not opened yet: signing in opens it
        self._busy = False
        self.password_dialog: QWidget | None = None  # the forced "choose your own password" dialog, while open

        card = QFrame(self)
        card.setObjectName("signInCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMinimumWidth(380)
        card.setMaximumWidth(520)
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.title_label = QLabel(self.tr("CareRounds"), card)
        set_text_scale(self.title_label, 1.8)
        self.center_label = QLabel(card)

        self.login_edit = QLineEdit(card)
        self.login_edit.setObjectName("login")
        self.login_edit.setPlaceholderText(self.tr("Your login"))
        self.login_edit.setMaxLength(64)
        self.password_edit = QLineEdit(card)
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Password"))
        self.password_edit.setMaxLength(256)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        login_label = QLabel(self.tr("&Login:"), card)
        login_label.setBuddy(self.login_edit)
        password_label = QLabel(self.tr("&Password:"), card)
        password_label.setBuddy(self.password_edit)
        form.addRow(login_label, self.login_edit)
        form.addRow(password_label, self.password_edit)

        self.error_label = QLabel(card)
        self.error_label.setObjectName("signInError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.status_label = QLabel(card)
        self.notice_label = QLabel(card)
        self.notice_label.setObjectName("signInNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        self.busy_bar = QProgressBar(card)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.hide()

        self.sign_in_button = QPushButton(self.tr("Sign in"), card)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setEnabled(False)
        self.sign_in_button.setMinimumHeight(36)

        self.demo_label = QLabel(card)
        self.demo_label.setObjectName("demoLogins")
        self.demo_label.setWordWrap(True)
        self.demo_label.hide()

        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(12)
        inner.addLayout(_centred(self.title_label))
        inner.addLayout(_centred(self.center_label))
        inner.addSpacing(8)
        inner.addWidget(self.notice_label)
        inner.addLayout(form)
        inner.addWidget(self.error_label)
        inner.addWidget(self.sign_in_button)
        inner.addWidget(self.busy_bar)
        inner.addLayout(_centred(self.status_label))
        inner.addWidget(self.demo_label)
        # an encrypted database: the printed recovery key resets a lost administrator password (issue 15)
        self.recovery_button = QPushButton(self.tr("Every administrator password lost? Use the recovery key…"), card)
        self.recovery_button.setObjectName("recoveryButton")
        self.recovery_button.setFlat(True)
        self.recovery_button.hide()
        self.recovery_dialog: QWidget | None = None
        inner.addWidget(self.recovery_button)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(_centred(card))
        outer.addStretch(2)

        self.setTabOrder(self.login_edit, self.password_edit)
        self.setTabOrder(self.password_edit, self.sign_in_button)
        self.login_edit.returnPressed.connect(self._login_entered)
        self.password_edit.returnPressed.connect(self.submit)
        self.sign_in_button.clicked.connect(self.submit)
        self.recovery_button.clicked.connect(self.use_recovery_key)
        self.login_edit.textEdited.connect(self._clear_error)
        self.password_edit.textEdited.connect(self._clear_error)

    # --- state set by the main window ----------------------------------------------------------------

    def set_opening(self, text: str) -> None:
        """Show that the database is being opened (``text`` says how); signing in waits for it."""
        self._context = None
        self._locked_path = None
        self.status_label.setText(text)
        self.status_label.show()
        self.busy_bar.show()
        self._update_button()

    def set_ready_encrypted(self, path: Path) -> None:
        """Enable signing in to the encrypted database ``path``, not open yet: the password opens it."""
        self._locked_path = Path(path)
        self.set_ready_text("")

    def set_ready(self, context: AppContext, center_name: str) -> None:
        """Enable signing in to ``context``'s database, for the center named ``center_name``."""
        self._context = context
        self._locked_path = None
        self.set_ready_text(center_name)

    def set_ready_text(self, center_name: str) -> None:
        """Show the panel ready for signing in, for the center named ``center_name`` (empty: not known yet)."""
        self.center_label.setText(center_name)
        self.status_label.clear()
        self.status_label.hide()
        self.busy_bar.hide()
        self._update_button()
        if not self.login_edit.text():
            self.login_edit.setFocus()

    def set_failed(self, message: str) -> None:
        """Show that the database could not be opened; signing in stays impossible."""
        self._context = None
        self._locked_path = None
        self.busy_bar.hide()
        self.status_label.hide()
        self.show_error(message)
        self._update_button()

    def set_demo_logins(self, text: str) -> None:
        """Show the demo logins under the button (empty hides them)."""
        from PySide6.QtCore import Qt

        self.demo_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_label.setText(text)
        self.demo_label.setVisible(bool(text))

    def reset(self, *, login: str | None = None) -> None:
        """Forget the password and any error, for the next person; optionally fill in ``login``."""
        if login is not None:
            self.login_edit.setText(login)
        self.password_edit.clear()
        self._clear_error()
        self.notice_label.clear()
        self.notice_label.hide()
        self._set_busy(False)
        (self.password_edit if self.login_edit.text() else self.login_edit).setFocus()

    def show_locked(self, minutes: int) -> None:
        """Say above the fields that the window was locked after ``minutes`` idle minutes (until the next reset)."""
        self.notice_label.setText(
            self.tr("Locked after {minutes} min without use, to protect residents' data. Sign in again.").format(
                minutes=minutes
            )
        )
        self.notice_label.show()

    @property
    def notice_text(self) -> str:
        """The notice shown above the fields (why the panel is back), or ``""``."""
        return self.notice_label.text() if not self.notice_label.isHidden() else ""

    def show_error(self, message: str) -> None:
        """Show ``message`` inline, under the password."""
        self.error_label.setStyleSheet(f"color: {colour_rgb(TriageColour.RED)};")
        self.error_label.setText(message)
        self.error_label.show()

    @property
    def error_text(self) -> str:
        """The inline error shown, or ``""``."""
        return self.error_label.text() if not self.error_label.isHidden() else ""

    # --- signing in ----------------------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        """Check the fields and sign in on the database thread."""
        from app.ui.shell.tasks import Op

        if (self._context is None and self._locked_path is None) or self._busy:
            return
        login = self.login_edit.text().strip()
        password = self.password_edit.text()
        if not login:
            self.show_error(self.tr("Enter your login."))
            self.login_edit.setFocus()
            return
        if not password:
            self.show_error(self.tr("Enter your password."))
            self.password_edit.setFocus()
            return
        context, path = self._context, self._locked_path
        self._clear_error()
        self._set_busy(True)

        def sign_in() -> object:
            # an encrypted database is opened (or its key taken back after a lock) with the password first
            from app.ui.shell.startup import sign_in_unlocking

            return sign_in_unlocking(context, path or Path(), login, password)

        Op(self, sign_in).success(lambda done: self._unlocked(done, password)).failure(self._failed).run()

    def _unlocked(self, done: Any, password: str) -> None:
        if done.opened is not None:
            self._context = done.opened.context
            self._locked_path = None
            self.database_unlocked.emit(done.opened)
        self._succeeded(done.signed, password)

    def _succeeded(self, signed: object, password: str) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        if getattr(signed, "must_change_password", False):
            self._choose_own_password(signed, password)
        else:
            self.signed_in.emit(signed)

    def _choose_own_password(self, signed: Any, password: str) -> None:
        """Have the person replace the administrator's password before the workspace opens."""
        from dataclasses import replace

        from app.ui.admin.password_dialog import ChangePasswordDialog

        context = self._context
        if context is None:
            return
        context.actor_id = signed.staff_id  # the change is the person's own, as change_own_password requires
        dialog = ChangePasswordDialog(context, signed.login, self, current_password=password)
        self.password_dialog = dialog
        dialog.accepted.connect(lambda: self.signed_in.emit(replace(signed, must_change_password=False)))
        dialog.rejected.connect(lambda: self._not_changed(context))
        dialog.finished.connect(self._password_dialog_closed)
        dialog.open()

    def _not_changed(self, context: AppContext) -> None:
        """The person chose "Sign out" in the forced dialog: nobody is signed in; wait for the next sign-in."""
        context.actor_id = None
        self.reset()

    @Slot()
    def _password_dialog_closed(self) -> None:
        dialog, self.password_dialog = self.password_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _failed(self, error: BaseException) -> None:
        from app.domain.errors import DomainError

        self._set_busy(False)
        if isinstance(error, DomainError):
            self.show_error(str(error))
            self.password_edit.selectAll()
            self.password_edit.setFocus()
        else:
            from app.ui.shell.tasks import show_error

            show_error(self.window(), error)

    # --- helpers ------------------------------------------------------------------------------------

    @Slot()
    def _login_entered(self) -> None:
        self.password_edit.setFocus()

    @Slot()
    def _clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.login_edit.setReadOnly(busy)
        self.password_edit.setReadOnly(busy)
        waiting = self._context is None and self._locked_path is None
        self.busy_bar.setVisible(busy or (waiting and not self.status_label.isHidden()))
        self._update_button()

    def _encrypted(self) -> bool:
        """An encrypted database is behind the panel (not opened yet, or locked)."""
        context = self._context
        return self._locked_path is not None or (context is not None and context.database.encrypted)

    @Slot()
    def use_recovery_key(self) -> None:
        """Open the recovery key dialog (every administrator password lost)."""
        from app.ui.shell.recovery_dialog import RecoveryKeyDialog

        path = self._locked_path or (self._context.database.path if self._context is not None else None)
        if path is None or self._busy:
            return
        dialog = RecoveryKeyDialog(self._context, path, self)
        dialog.accepted.connect(lambda: self._recovered(dialog.reset_login))
        dialog.finished.connect(dialog.deleteLater)
        self.recovery_dialog = dialog
        dialog.open()

    def _recovered(self, login: str) -> None:
        self.recovery_dialog = None
        self.reset(login=login)
        self.notice_label.setText(self.tr("The password of {login} was reset. Sign in with it.").format(login=login))
        self.notice_label.show()

    def _update_button(self) -> None:
        self.sign_in_button.setEnabled((self._context is not None or self._locked_path is not None) and not self._busy)
        self.recovery_button.setVisible(self._encrypted())


def _centred(widget: QWidget) -> QHBoxLayout:
    """Return a row holding ``widget`` at its natural width, centred (without the Qt namespace)."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    return row
