"""Fixtures of the accounts' tests on an encrypted center."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import open_context
from app.services.admin.center import set_up_center
from app.store import cipher

PASSWORD = "s3cret-pass"
"""The administrator's password of :func:`db` (the modules' own ``PASSWORD``)."""


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    """An encrypted center with an administrator "admin", its key forgotten as after a restart."""
    path = tmp_path / "center.sqlite"
    context = open_context(path, encrypt_new=True)
    set_up_center(context.uow(), name="康宁中心", code="KN01", admin_name="王管理", admin_login="admin",
                  admin_password=PASSWORD)  # fmt: skip
    context.close()
    cipher.forget(path)  # as after a restart: the password must open it
    yield path
    cipher.forget(path)
