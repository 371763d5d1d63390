"""Queries of the accounts capability (账号): staff accounts, teams and center settings.

Functions take an open unit of work and plain values and return plain rows (tuples) or models to change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import col, select

from app.store.models import CenterSetting, Staff, Team
from app.store.uow import UnitOfWork


def teams(uow: UnitOfWork) -> list[tuple[Any, ...]]:
    """Return ``(id, name)`` of the teams not removed, by name."""
    return uow.fast_rows("SELECT id, name FROM team WHERE deleted = 0 ORDER BY name")


def staff_list(uow: UnitOfWork) -> list[Any]:
    """Return every account not removed, in no particular order.

    Columns: ``(id, name, login, role, team_id, team name, phone, practice_sites, active, locked_until,
    must_change_password)``.
    """
    return uow.rows(
        "SELECT s.id, s.name, s.login, s.role, s.team_id, COALESCE(t.name, ''), s.phone, s.practice_sites, "
        "s.active, l.locked_until, s.must_change_password FROM staff s LEFT JOIN team t ON t.id = s.team_id "
        "LEFT JOIN sign_in_state l ON l.login = s.login WHERE s.deleted = 0"
    )


def live_team_named(uow: UnitOfWork, name: str) -> Team | None:
    """Return the first team not removed called exactly ``name``, or None."""
    return uow.session.exec(select(Team).where(Team.name == name, Team.deleted == False)).first()


def other_active_with_role(uow: UnitOfWork, *, role: str, except_id: str) -> str | None:
    """Return the id of an active account with ``role`` other than ``except_id``, or None."""
    return uow.session.exec(
        select(Staff.id).where(
            Staff.role == role, Staff.active == True, Staff.deleted == False, col(Staff.id) != except_id
        )
    ).first()


def newest_setting(uow: UnitOfWork, key: str) -> CenterSetting | None:
    """Return the center setting ``key`` not removed with the newest clock, or None."""
    return uow.session.exec(
        select(CenterSetting)
        .where(CenterSetting.key == key, CenterSetting.deleted == False)
        .order_by(col(CenterSetting.updated_at).desc())
    ).first()


def staff_with_login(uow: UnitOfWork, login: str, *, live_only: bool = False) -> Staff | None:
    """Return the account with this login (removed ones too unless ``live_only``), or None."""
    query = select(Staff).where(Staff.login == login)
    if live_only:
        query = query.where(Staff.deleted == False)
    return uow.session.exec(query).first()


def active_accounts(uow: UnitOfWork, logins: Sequence[str]) -> list[tuple[str, str, str]]:
    """Return ``(login, role, name)`` of the active accounts among ``logins``."""
    rows = uow.session.exec(
        select(Staff.login, Staff.role, Staff.name).where(
            Staff.login.in_(logins),  # type: ignore[attr-defined]
            Staff.deleted == False,
            Staff.active == True,
        )
    ).all()
    return [(login, role, name) for login, role, name in rows]
