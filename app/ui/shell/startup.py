"""Open the database behind the first window: the work start-up runs on the database thread.

Nothing here touches a widget, and nothing at module level imports the database layers: the
window is shown first, then :func:`open_database` runs in an :class:`~app.ui.shell.tasks.Op` and pays
for importing SQLModel/SQLAlchemy (about 0.6 s) where nobody waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.bootstrap import AppContext
    from app.services.admin.center import CenterInfo
    from app.ui.shell.tasks import CancelToken

DEMO_STEPS = ("teams", "institutions", "residents", "rounds", "visits")
"""The steps :func:`app.services.demo.center.create_demo_center` reports, in order (for the progress bar)."""


@dataclass(frozen=True)
class DemoAccount:
    """One demo login, for the sign-in panel and the console."""

    login: str
    role: str
    name: str


@dataclass
class OpenedDatabase:
    """What opening the database found.

    Args:
        context: the open database, not yet acting for anybody.
        needs_setup: the database has no center yet (first start): show the set-up page.
        center: the center, or ``None`` while it needs setting up.
        demo_created: the demo center was written just now.
        demo_accounts: the demo logins (all with :attr:`demo_password`), in demo mode.
        demo_password: the demo password, in demo mode.
    """

    context: AppContext | None
    needs_setup: bool
    center: CenterInfo | None
    demo_created: bool = False
    demo_accounts: list[DemoAccount] = field(default_factory=list)
    demo_password: str = ""
    locked: bool = False
    """The file is encrypted and not open yet (``context`` None): signing in opens it."""
    read_only: bool = False
    """The file (or its folder) may not be written: it is open, or opens at sign-in, for viewing only."""


@dataclass
class Unlocked:
    """A sign-in that opened (or unlocked) an encrypted database: the database when it was opened just now."""

    signed: object
    opened: OpenedDatabase | None = None


def start_of_day_checks(path: Path, backup_dir: str) -> object:
    """Run the full integrity check, then today's backup if it is due (on a worker thread).

    Raises:
        DatabaseDamaged: the file failed ``PRAGMA integrity_check``.
    """
    from app.services.admin.backups import backup_folder, check_integrity, daily_backup_if_due

    check_integrity(Path(path)).raise_if_damaged()
    return daily_backup_if_due(Path(path), folder=backup_folder(Path(path), backup_dir))


def open_database(path: Path, *, demo: bool = False, token: CancelToken | None = None) -> OpenedDatabase:
    """Open (or create) the database at ``path``; in demo mode fill an empty one with the demo center.

    Runs on the database thread. Also imports the sign-in service, so signing in does not wait
    for argon2 to load.

    Args:
        path: the database file.
        demo: create the demo center if the database has none.
        token: receives progress reports while the demo center is written.

    Returns:
        The open database and what it holds.

    Raises:
        DomainError: the file cannot be used (newer version, not ours) or the demo was refused.
        OSError: the file or its folder cannot be created or read.
    """
    from app.bootstrap import is_read_only, needs_credentials, open_context
    from app.services.accounts import sign_in as accounts  # preloaded for the first sign-in
    from app.services.admin.center import center_info, needs_setup

    if needs_credentials(path):  # signing in opens it (sign_in_unlocking)
        locked = OpenedDatabase(context=None, needs_setup=False, center=None, locked=True, read_only=is_read_only(path))
        if demo:
            from app.services.demo import DEMO_PASSWORD

            locked.demo_password = DEMO_PASSWORD
            locked.demo_accounts = [DemoAccount(login, "", "") for login in _USUAL_DEMO_LOGINS]
        return locked
    # the integrity check runs after sign-in is offered (start_of_day_checks): on a district-size file
    # it takes seconds, and a damaged file is reported there with an offer to restore
    context = open_context(path, device_name="demo workstation" if demo else "")
    try:
        setup = needs_setup(context.uow())
        opened = OpenedDatabase(context=context, needs_setup=setup, center=None, read_only=context.database.read_only)
        if demo:
            from app.services.demo.center import create_demo_center
            from app.services.demo.plan import DEMO_PASSWORD

            opened.demo_password = DEMO_PASSWORD
            if setup:
                steps = list(DEMO_STEPS)

                def report(step: str) -> None:
                    if token is not None and step in steps:
                        token.report(steps.index(step) + 1, len(steps))

                if token is not None:
                    token.report(0, len(steps))
                summary = create_demo_center(context.database, progress=report)
                from app.services.admin.encryption import encrypt_open_database

                encrypt_open_database(context.uow())  # the demo is encrypted like any center (its password opens it)
                opened.demo_created = True
                opened.needs_setup = False
                opened.demo_accounts = [DemoAccount(d.login, d.role.value, d.name) for d in summary.logins]
            else:
                # the demo center of an earlier start: its accounts as they are now (renamed, disabled)
                found = accounts.active_accounts(context.uow(), logins=list(_USUAL_DEMO_LOGINS))
                opened.demo_accounts = [
                    DemoAccount(login, *found[login]) for login in _USUAL_DEMO_LOGINS if login in found
                ]
        if not opened.needs_setup:
            opened.center = center_info(context.uow())
    except BaseException:
        context.close()
        raise
    return opened


def sign_in_unlocking(context: AppContext | None, path: Path, login: str, password: str) -> Unlocked:
    """Sign in; for an encrypted database, first open it (or take its key back after a lock) with the password.

    Runs on the database thread. A password that does not unwrap the key is refused like a wrong one at
    the sign-in page (``WrongPassword``: "Wrong login or password"), nothing opened. If the key opens but
    the sign-in is refused (a locked or disabled account), the key is dropped again.

    Raises:
        DomainError: the sign-in is refused, or the database cannot be opened.
    """
    from app.bootstrap import Credentials
    from app.services.accounts.sign_in import sign_in

    credentials = Credentials(login, password)
    opened: OpenedDatabase | None = None
    if context is None:
        from app.bootstrap import open_context
        from app.services.admin.center import center_info

        context = open_context(path, create=False, credentials=credentials)
        try:
            opened = OpenedDatabase(
                context=context,
                needs_setup=False,
                center=center_info(context.uow()),
                read_only=context.database.read_only,
            )
        except BaseException:
            context.database.lock()  # the key, and the hash the unwrap remembered, as when the sign-in is refused
            context.close()
            raise
    else:
        context.database.unlock(credentials)
    try:
        signed = sign_in(context.uow(), login=login, password=password)
    except BaseException:
        context.database.lock()  # the key, and the hash the unwrap remembered for the check (it unwraps the key)
        if opened is not None:
            context.close()
        raise
    return Unlocked(signed, opened)


def recover_with_key(context: AppContext | None, path: Path, recovery_key: str, login: str, new_password: str) -> None:
    """Open (or unlock) the encrypted database with the recovery key, give the administrator ``login`` the
    new password, and drop the key again: the administrator then signs in as usual. Runs on the database
    thread.

    Raises:
        DomainError: a mistyped or wrong recovery key, no such administrator, an unacceptable password
            (nothing changed).
    """
    from app.bootstrap import Credentials, open_context
    from app.services.accounts.recovery import reset_admin_password

    credentials = Credentials(recovery_key=recovery_key)
    opened_here = context is None
    if context is None:
        context = open_context(path, create=False, credentials=credentials)
    else:
        context.database.unlock(credentials)
    try:
        reset_admin_password(context.uow(), login=login, new_password=new_password)
    finally:
        context.database.lock()
        if opened_here:
            context.close()


_USUAL_DEMO_LOGINS = ("admin", "doctor1", "nurse1", "assistant1")
"""The demo logins worth naming when the demo center already exists (it has a few more)."""


def preload_workspace_services() -> None:
    """Import the services the workspace pages use, on a worker thread, so the first page opens at once."""
    from app.services import dashboard, institutions  # noqa: F401
    from app.services.records import residents  # noqa: F401
