"""A small center copied for each backup test, its backup folder, and cheap password hashing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from backups_world import (
    PASSWORD,
)

from app.bootstrap import AppContext, open_context
from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts.sign_in import create_staff
from app.services.admin.center import set_up_center


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A center with an administrator and a nurse, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "center.sqlite"
    real, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    ctx = open_context(path)
    try:
        set_up_center(
            ctx.uow(),
            name="康宁街道社区卫生服务中心",
            code="KN01",
            admin_name="王管理",
            admin_login="admin",
            admin_password=PASSWORD,
        )
        with ctx.uow() as uow:
            create_staff(uow, name="张护士", role=Role.NURSE, login="nurse", password=PASSWORD)
            uow.commit()
    finally:
        ctx.close()
        accounts._hasher = real
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "center.sqlite"
    shutil.copyfile(template, path)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def context(db: Path) -> Iterator[AppContext]:
    ctx = open_context(db)
    yield ctx
    ctx.close()


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask of a desktop session: files readable by anyone unless created otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def english() -> None:
    from app.domain.i18n import set_language

    set_language("en")
