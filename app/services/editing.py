"""Editing stored rows — the checks and bookkeeping every service that changes the record shares.

- :func:`permit` asks :func:`app.services.authz.require` when somebody is signed in.
- :func:`get_live` returns a row unless it is missing or removed (:class:`NotFound`).
- :func:`apply_changes` sets the fields that differ and stamps ``updated_by``; :class:`Saved` reports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from app.domain.errors import DomainError
from app.domain.i18n import register
from app.domain.permissions import Action
from app.services.authz import require
from app.store.models import Resident, Synced
from app.store.uow import UnitOfWork

register(
    {
        "resident.not_found": {
            "zh_CN": "找不到居民“{key}”：请使用居民编号或 18 位身份证号",
            "en": "no resident “{key}”: give the resident's id or 18-character ID card number",
        },
        "record.not_found": {
            "zh_CN": "该条记录已不存在（可能已被删除）",
            "en": "this entry no longer exists (it may have been removed)",
        },
    }
)

Row = TypeVar("Row", bound=Synced)


class NotFound(DomainError):
    """A resident or an entry of the record does not exist (or was removed)."""


@dataclass(frozen=True)
class Saved:
    """What a save changed: the resident and the fields (or entry) written; empty when nothing changed."""

    resident_id: str
    changed: tuple[str, ...] = ()
    entry_id: str | None = None


def permit(uow: UnitOfWork, action: Action) -> None:
    """Check the signed-in staff member may do ``action`` (inside ``with uow``).

    A unit of work without an actor is the command line or a script run by whoever holds the database
    file; it is not asked (the desktop app always acts for the person signed in).

    Raises:
        PermissionDenied: the role may not do ``action``.
    """
    if uow.actor_id is not None:
        require(uow, action)


def get_live(uow: UnitOfWork, model: type[Row], row_id: str) -> Row:
    """Return the row ``row_id`` of ``model`` unless missing or removed (inside an open unit of work).

    Raises:
        NotFound: no such row, or it is a tombstone.
    """
    row = uow.session.get(model, row_id)
    if row is None or getattr(row, "deleted", False):
        raise NotFound("resident.not_found" if model is Resident else "record.not_found", key=row_id)
    return row


def apply_changes(uow: UnitOfWork, row: Synced, values: Mapping[str, object]) -> list[str]:
    """Set the attributes of ``row`` that differ from ``values``; stamp ``updated_by`` if any did.

    Returns:
        The names of the fields that changed.
    """
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed and hasattr(row, "updated_by"):
        row.updated_by = uow.actor_id
    uow.session.add(row)
    return changed
