"""Permission checks for services: who is acting, and may they?"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import DomainError
from app.domain.permissions import PERMISSIONS, Action, allowed
from app.domain.roles import Role
from app.store.errors import DatabaseViewOnly
from app.store.models import Staff
from app.store.uow import UnitOfWork

VIEWING_ACTIONS = frozenset({Action.VIEW_RECORDS, Action.VIEW_TRIAGE, Action.VIEW_AUDIT, Action.PRINT})
"""What may still be done on a database opened read-only (the file or its folder may not be written):
look, print, export. Everything else changes the database and is refused (docs/security.md)."""


class PermissionDenied(DomainError):
    """The signed-in staff member's role may not do this."""


@dataclass(frozen=True)
class Actor:
    staff_id: str
    name: str
    role: Role


def current_actor(uow: UnitOfWork) -> Actor | None:
    """Return the staff member acting in this unit of work (inside ``with uow``), or None."""
    if uow.actor_id is None:
        return None
    staff = uow.session.get(Staff, uow.actor_id)
    if staff is None or staff.deleted or not staff.active:
        return None
    return Actor(staff.id, staff.name, Role(staff.role))


def require(uow: UnitOfWork, action: Action) -> Actor:
    """Return the acting staff member if their role allows ``action`` (call inside ``with uow``).

    Raises:
        PermissionDenied: nobody is signed in, or the role may not do ``action``.
        DatabaseViewOnly: ``action`` changes the database, and it is open read-only.
    """
    actor = current_actor(uow)
    if actor is None:
        raise PermissionDenied("permission.signed_out")
    if not allowed(actor.role, action):
        raise PermissionDenied("permission.denied", role=actor.role.label, action=action.label)
    if uow.database.read_only and action not in VIEWING_ACTIONS:
        raise DatabaseViewOnly(path=uow.database.path)
    return actor


def permitted_actions(uow: UnitOfWork) -> frozenset[Action]:
    """Return what the signed-in staff member may do (nothing if nobody is), for the UI to hide the rest.

    Opens and closes ``uow`` itself: pass a fresh one.
    """
    with uow.reading() as uow:
        actor = current_actor(uow)
        if actor is None:
            return frozenset()
        if uow.database.read_only:  # the screens then show the record as for a role that may only look
            return PERMISSIONS[actor.role] & VIEWING_ACTIONS
        return PERMISSIONS[actor.role]
