"""A small center for the visit services' tests (a team, two homes, rounds, five residents).

A copy for each test, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from visits_world import World, build_world

from app.bootstrap import AppContext, open_context


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """A team with a nurse, a doctor and an assistant; two homes; rounds at the first; five residents.

    Made once, copied for each test.
    """
    path = tmp_path_factory.mktemp("visits") / "center.sqlite"
    context = open_context(path)
    try:
        ids = build_world(context)
    finally:
        context.close()
    return path, ids


@pytest.fixture
def context(
    engine: str, request: pytest.FixtureRequest, template: tuple[Path, World], db_path: Path
) -> Iterator[AppContext]:
    """The template's copy on SQLite; on PostgreSQL (#20) a new server database with the same world built in."""
    if engine == "sqlite":
        shutil.copyfile(template[0], db_path)
        ctx = open_context(db_path)
        ctx.extras["world"] = template[1]
    else:
        ctx = open_context(request.getfixturevalue("pg_url"))
        ctx.extras["world"] = build_world(ctx)
    yield ctx
    ctx.close()


@pytest.fixture
def world(context: AppContext) -> World:
    ids: World = context.extras["world"]  # type: ignore[assignment]
    context.actor_id = ids["nurse"]
    return dict(ids)
