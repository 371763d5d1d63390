"""A center of one team (a nurse), one nursing home and one resident, for the visit editor's UI tests.

Imported by the tests (``from one_home import one_home``).
"""

from __future__ import annotations

from datetime import date

from app.bootstrap import AppContext
from app.domain.idcard import make_id_number
from app.services.institutions import save_institution
from app.services.records.residents import create_resident
from app.store.models import Staff, Team


def one_home(context: AppContext, *, name: str, born: date, sequence: int, room: str, today: date) -> dict[str, str]:
    """Add 第一家庭医生团队 with nurse1 (陈立群), 康宁养老院, and the resident ``name`` (a woman) in bed A-``room``-1.

    Returns:
        ``{"nurse": staff id, "resident": resident id}``; the context then acts as the nurse.
    """
    with context.uow() as uow:
        team = Team(name="第一家庭医生团队")
        uow.session.add(team)
        uow.session.flush()
        nurse = Staff(name="陈立群", role="nurse", login="nurse1", password_hash="x", team_id=team.id)
        uow.session.add(nurse)
        uow.commit()
        ids = {"nurse": nurse.id}
    home = save_institution(context.uow(), name="康宁养老院", kind="nursing_home", beds=100)
    ids["resident"] = create_resident(
        context.uow(),
        name=name,
        id_number=make_id_number("310104", born, sequence, "F"),
        institution_id=home,
        building="A",
        room=room,
        bed="1",
        admission_date=date(2020, 1, 5),
        today=today,
    ).resident_id
    context.actor_id = ids["nurse"]
    return ids
