"""The round the visit page opens on (app.services.visits.entry_round): the signed-in user's team's first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.bootstrap import AppContext, open_context
from app.services.institutions import save_institution
from app.services.visits.entry_round import Why, round_to_open
from app.store.models import Round, Staff, Team

TODAY = date(2026, 11, 22)  # a Sunday


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    ctx = open_context(tmp_path / "center.sqlite")
    yield ctx
    ctx.close()


def _setup(context: AppContext) -> dict[str, str]:
    with context.uow() as uow:
        one, two = Team(name="第一家庭医生团队"), Team(name="第二家庭医生团队")
        uow.session.add_all([one, two])
        uow.session.flush()
        nurse = Staff(name="陈立群", role="nurse", login="nurse1", password_hash="x", team_id=one.id)
        admin = Staff(name="管理员", role="admin", login="admin", password_hash="x")
        uow.session.add_all([nurse, admin])
        uow.commit()
        ids = {"one": one.id, "two": two.id, "nurse": nurse.id, "admin": admin.id}
    ids["a"] = save_institution(context.uow(), name="康宁养老院", kind="nursing_home", beds=100)
    ids["b"] = save_institution(context.uow(), name="枫林敬老院", kind="nursing_home", beds=100)
    return ids


def _round(context: AppContext, institution: str, day: date, team: str | None, status: str = "planned") -> str:
    with context.uow() as uow:
        row = Round(institution_id=institution, round_date=day, status=status, team_id=team)
        uow.session.add(row)
        uow.commit()
        return row.id


def test_nothing_to_open_in_an_empty_center(context: AppContext) -> None:
    assert round_to_open(context.uow(), today=TODAY) is None


def test_the_team_round_comes_before_another_teams_round_of_today(context: AppContext) -> None:
    ids = _setup(context)
    others = _round(context, ids["a"], TODAY, ids["two"])
    recent = _round(context, ids["b"], TODAY - timedelta(days=4), ids["one"], "done")
    _round(context, ids["b"], TODAY + timedelta(days=1), ids["one"], "cancelled")  # a cancelled one is no round
    context.actor_id = ids["nurse"]
    chosen = round_to_open(context.uow(), today=TODAY)
    assert chosen is not None and (chosen.round_id, chosen.why) == (recent, Why.TEAM_RECENT)
    coming = _round(context, ids["b"], TODAY + timedelta(days=3), ids["one"])
    chosen = round_to_open(context.uow(), today=TODAY)
    assert chosen is not None and (chosen.round_id, chosen.why, chosen.day) == (
        coming,
        Why.TEAM_NEXT,
        TODAY + timedelta(days=3),
    )
    context.actor_id = ids["admin"]  # no team: the center's round of today
    chosen = round_to_open(context.uow(), today=TODAY)
    assert chosen is not None and (chosen.round_id, chosen.why) == (others, Why.ANY_TODAY)


def test_without_a_round_today_the_most_recent_one(context: AppContext) -> None:
    ids = _setup(context)
    _round(context, ids["a"], TODAY - timedelta(days=9), None)
    latest = _round(context, ids["b"], TODAY - timedelta(days=2), ids["two"])
    context.actor_id = ids["admin"]
    chosen = round_to_open(context.uow(), today=TODAY)
    assert chosen is not None and (chosen.round_id, chosen.why) == (latest, Why.ANY_RECENT)
