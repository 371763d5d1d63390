"""What the visit services' tests share: the day, a seen visit's values, the small center they record in."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.idcard import make_id_number
from app.domain.visits import VisitEntry
from app.services.institutions import save_institution
from app.services.records.residents import create_resident
from app.services.visits.save import record_visit
from app.store.models import ResidencePeriod, Resident, Round, StatusChange, Team, Visit
from app.store.models import Staff as StaffRow

TODAY = date(2026, 11, 16)  # a Monday


SEEN = VisitEntry(sbp=128, dbp=78, pulse=72, temperature=36.6, spo2=97, weight=60.0)


World = dict[str, str]


def build_world(context: AppContext) -> World:
    with context.uow() as uow:
        team = Team(name="第一家庭医生团队")
        uow.session.add(team)
        uow.session.flush()
        people = {
            role: StaffRow(name=name, role=role, login=f"{role}1", password_hash="x", team_id=team.id)
            for role, name in (("nurse", "陈立群"), ("doctor", "周海燕"), ("assistant", "王丽"))
        }
        uow.session.add_all(people.values())
        uow.commit()
        ids = {role: staff.id for role, staff in people.items()}
    ids["home"] = save_institution(
        context.uow(), name="康宁养老院", kind="nursing_home", beds=200, green_channel_hospital="示范区中心医院"
    )
    ids["other_home"] = save_institution(context.uow(), name="枫林敬老院", kind="nursing_home", beds=80)
    residents = (
        ("张红丽", "F", "101", 0),
        ("李建国", "M", "102", 1),
        ("王秀英", "F", "103", 2),
        ("赵伟", "M", "201", 3),
    )
    for name, sex, room, seq in residents:
        ids[name] = create_resident(
            context.uow(),
            name=name,
            id_number=make_id_number("310104", date(1940, 3, 1 + seq), seq, sex),
            institution_id=ids["home"],
            building="A",
            room=room,
            bed="1",
            admission_date=date(2020, 1, 5),
            today=TODAY,
        ).resident_id
    ids["stranger"] = create_resident(
        context.uow(),
        name="孙丽",
        id_number=make_id_number("310104", date(1938, 5, 5), 9, "F"),
        institution_id=ids["other_home"],
        building="B",
        room="1",
        bed="1",
        admission_date=date(2021, 1, 1),
        today=TODAY,
    ).resident_id
    with context.uow() as uow:
        today_round = Round(institution_id=ids["home"], round_date=TODAY, status="planned")
        past_round = Round(institution_id=ids["home"], round_date=TODAY - timedelta(days=7), status="done")
        cancelled = Round(institution_id=ids["home"], round_date=TODAY - timedelta(days=3), status="cancelled")
        uow.session.add_all([today_round, past_round, cancelled])
        uow.commit()
        ids.update(round=today_round.id, past_round=past_round.id, cancelled_round=cancelled.id)
    return ids


def record(context: AppContext, world: World, name: str = "张红丽", entry: VisitEntry = SEEN, **kwargs: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {"round_id": world["round"], "visit_date": TODAY, "today": TODAY, **kwargs}
    return record_visit(context.uow(), resident_id=world[name], entry=entry, **values)  # type: ignore[arg-type]


def visits(context: AppContext) -> list[Visit]:
    with context.uow() as uow:
        return list(uow.session.exec(select(Visit)))


def load_row(context: AppContext, visit_id: str) -> Visit:
    with context.uow() as uow:
        row = uow.session.get(Visit, visit_id)
        assert row is not None
        return row


def resident_row(context: AppContext, resident_id: str) -> Resident:
    with context.uow() as uow:
        row = uow.session.get(Resident, resident_id)
        assert row is not None
        return row


def dead_on(context: AppContext, world: World, day: date, *, family_bed: bool = False):  # type: ignore[no-untyped-def]
    if family_bed:
        with context.uow() as uow:
            resident = uow.session.get(Resident, world["王秀英"])
            assert resident is not None
            resident.family_bed, resident.family_bed_start = True, date(2026, 1, 1)
            uow.session.add(resident)
            uow.commit()
    return record(
        context,
        world,
        "王秀英",
        entry=VisitEntry(outcome="deceased", findings="夜间去世"),
        update_status=True,
        round_id=None,
        visit_date=day,
        late_reason="补录",
    )


def status_rows(context: AppContext, resident_id: str) -> tuple[list[StatusChange], list[ResidencePeriod]]:
    with context.uow() as uow:
        changes = list(uow.session.exec(select(StatusChange).where(StatusChange.resident_id == resident_id)))
        periods = list(uow.session.exec(select(ResidencePeriod).where(ResidencePeriod.resident_id == resident_id)))
    return changes, periods
