"""Queries of the center itself (中心): the one center a database describes.

Functions take an open unit of work and return models.
"""

from __future__ import annotations

from sqlmodel import select

from app.store.models import Center
from app.store.uow import UnitOfWork


def the_center(uow: UnitOfWork, *, deleted_too: bool = False) -> Center | None:
    """Return the database's center (the first one found), None before the first start's set-up.

    Args:
        deleted_too: a deleted center counts too (a database that ever had one is never set up again).
    """
    query = select(Center) if deleted_too else select(Center).where(Center.deleted == False)
    return uow.session.exec(query).first()
