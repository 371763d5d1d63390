"""First-start set-up — 初始设置: the center and its first administrator.

Shown instead of the sign-in panel while the database has no center. The service checks every
field; its message (already in the user's language) is shown in a dialog.

A second way in, for a laptop of a center that already exists: "Join a center from a join package…"
asks the main window (signal ``join_requested``) to close this empty database and run
:class:`~app.ui.sync.page.JoinCenterDialog`, which makes this file a full copy of the center; the
window then opens it and shows the sign-in page.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.ui.shell.tasks import Op, show_error
from app.ui.widgets.badges import set_text_scale

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class SetupPage(QWidget):
    """Create the center and its first administrator account.

    Args:
        context: the open, still empty database.
        parent: the owning widget.

    Signals:
        center_created(object, str): the new :class:`~app.services.admin.center.CenterInfo` and the
            administrator's login, once the center exists.
        join_requested: the user chose to join an existing center from a join package instead.
    """

    center_created = Signal(object, str)
    encryption: object = None
    """The new center's encryption (its recovery key, shown once by the window), once created."""
    join_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupPage")
        self._context = context
        self._busy = False

        card = QFrame(self)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMinimumWidth(560)
        card.setMaximumWidth(680)
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        title = QLabel(self.tr("Set up CareRounds"), card)
        set_text_scale(title, 1.5)
        intro = QLabel(
            self.tr(
                "This database has no center yet. Enter your community health center and the "
                "administrator who will create the other accounts."
            ),
            card,
        )
        intro.setWordWrap(True)

        self.name_edit = self._line_edit(card, "centerName", 100)
        self.name_edit.setPlaceholderText(self.tr("e.g. Kangning Street Community Health Center"))
        self.code_edit = self._line_edit(card, "centerCode", 20)
        self.code_edit.setPlaceholderText(self.tr("2–20 letters or digits"))
        self.district_edit = self._line_edit(card, "district", 60)
        self.admin_name_edit = self._line_edit(card, "adminName", 60)
        self.admin_login_edit = self._line_edit(card, "adminLogin", 32)
        self.admin_login_edit.setPlaceholderText(self.tr("letters, digits, . _ -"))
        self.password_edit = self._line_edit(card, "password", 256)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("at least 8 characters"))
        self.repeat_edit = self._line_edit(card, "repeatPassword", 256)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        rows = (
            (self.tr("Center &name:"), self.name_edit),
            (self.tr("Center &code:"), self.code_edit),
            (self.tr("&District:"), self.district_edit),
            (self.tr("Administrator's na&me:"), self.admin_name_edit),
            (self.tr("Administrator's &login:"), self.admin_login_edit),
            (self.tr("&Password:"), self.password_edit),
            (self.tr("&Repeat password:"), self.repeat_edit),
        )
        for text, edit in rows:
            label = QLabel(text, card)
            label.setBuddy(edit)
            form.addRow(label, edit)
        admin_heading = QLabel(self.tr("First administrator"), card)
        heading_font = admin_heading.font()
        heading_font.setBold(True)
        admin_heading.setFont(heading_font)
        form.insertRow(3, admin_heading)

        self.create_button = QPushButton(self.tr("Create the center"), card)
        self.create_button.setObjectName("createCenterButton")
        self.create_button.setDefault(True)
        self.create_button.setMinimumHeight(36)
        self.status_label = QLabel(card)
        self.status_label.hide()

        join_heading = QLabel(self.tr("Or join a center that already uses CareRounds"), card)
        join_heading.setFont(heading_font)
        join_note = QLabel(
            self.tr(
                "For a laptop or a second computer: on the center's workstation, Sync → Add a device writes a "
                "join package protected by a passphrase. This computer then becomes a full copy of the center "
                "and everyone signs in with their usual login."
            ),
            card,
        )
        join_note.setWordWrap(True)
        self.join_button = QPushButton(self.tr("&Join a center from a join package…"), card)
        self.join_button.setObjectName("joinCenterButton")
        self.join_button.setMinimumHeight(36)
        separator = QFrame(card)
        separator.setFrameShape(QFrame.Shape.HLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(12)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addLayout(form)
        inner.addWidget(self.create_button)
        inner.addWidget(self.status_label)
        inner.addSpacing(4)
        inner.addWidget(separator)
        inner.addWidget(join_heading)
        inner.addWidget(join_note)
        inner.addWidget(self.join_button)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        edits = [edit for _, edit in rows]
        chain = [*edits, self.create_button, self.join_button]
        for before, after in pairwise(chain):
            self.setTabOrder(before, after)
        for edit in edits:
            edit.returnPressed.connect(self.submit)
        self.create_button.clicked.connect(self.submit)
        self.join_button.clicked.connect(self.request_join)
        self.name_edit.setFocus()

    @staticmethod
    def _line_edit(parent: QWidget, name: str, max_length: int) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setObjectName(name)
        edit.setMaxLength(max_length)
        return edit

    @Slot()
    def submit(self) -> None:
        """Check the passwords match, then create the center on the database thread."""
        if self._busy:
            return
        if self.password_edit.text() != self.repeat_edit.text():
            QMessageBox.warning(
                self.window(), self.tr("Set up CareRounds"), self.tr("The two passwords are not the same.")
            )
            self.repeat_edit.selectAll()
            self.repeat_edit.setFocus()
            return
        context = self._context
        fields = {
            "name": self.name_edit.text(),
            "code": self.code_edit.text(),
            "district": self.district_edit.text(),
            "admin_name": self.admin_name_edit.text(),
            "admin_login": self.admin_login_edit.text(),
            "admin_password": self.password_edit.text(),
        }

        def set_up() -> object:
            from app.services.admin.center import set_up_center
            from app.services.admin.encryption import encrypt_open_database

            center = set_up_center(context.uow(), **fields)
            # a new center is encrypted at once, in the same job: nothing else uses the file meanwhile
            self.encryption = encrypt_open_database(context.uow())
            return center

        self._set_busy(True)
        Op(self, set_up).success(self._created).failure(self._failed).run()

    @Slot()
    def request_join(self) -> None:
        """Ask the window to join a center from a join package (not while the center is being created)."""
        if not self._busy:
            self.join_requested.emit()

    def set_joining(self, joining: bool) -> None:
        """Show that a join is under way: nothing on this page can be used meanwhile."""
        self._busy = joining
        self.create_button.setEnabled(not joining)
        self.join_button.setEnabled(not joining)
        self.status_label.setText(self.tr("Joining a center…") if joining else "")
        self.status_label.setVisible(joining)

    def _created(self, center: object) -> None:
        self._set_busy(False)
        login = self.admin_login_edit.text().strip().lower()
        self.password_edit.clear()
        self.repeat_edit.clear()
        self.center_created.emit(center, login)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        show_error(self.window(), error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.create_button.setEnabled(not busy)
        self.join_button.setEnabled(not busy)
        self.status_label.setText(self.tr("Creating the center…") if busy else "")
        self.status_label.setVisible(busy)
