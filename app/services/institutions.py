"""Signed institutions — 签约机构: lists for filters and overviews."""

from __future__ import annotations

from typing import NamedTuple

from app.store.uow import UnitOfWork


class InstitutionChoice(NamedTuple):
    id: str
    name: str
    kind: str


def list_institutions(uow: UnitOfWork) -> list[InstitutionChoice]:
    """Return every institution (not deleted), by name."""
    with uow:
        rows = uow.rows("SELECT id, name, kind FROM institution WHERE deleted = 0 ORDER BY name")
        return [InstitutionChoice(*row) for row in rows]
