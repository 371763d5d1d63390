"""Recording visits: checks, duplicates, corrections as new versions, history, status, triage, round sheet."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain import i18n
from app.domain.errors import ValidationError
from app.domain.follow_up import Disease
from app.domain.idcard import make_id_number
from app.domain.visits import ReferralEntry, VisitEntry
from app.services.authz import PermissionDenied
from app.services.editing import NotFound
from app.services.institutions import save_institution
from app.services.records.residents import create_resident, search_residents
from app.services.records.sections import save_condition
from app.services.rounds.plan import round_due
from app.services.triage import triage_review
from app.services.visits.checks import existing_visit, resident_for_visit
from app.services.visits.entry_rounds import round_for_visit, round_sheet, rounds_for_entry
from app.services.visits.history import load_visit, visit_history
from app.services.visits.save import DuplicateVisit, VisitNotCorrectable, correct_visit, record_visit
from app.store.models import Assessment, Referral, ResidencePeriod, Resident, Round, StatusChange, Team, Visit
from app.store.models import Staff as StaffRow

TODAY = date(2026, 11, 16)  # a Monday
SEEN = VisitEntry(sbp=128, dbp=78, pulse=72, temperature=36.6, spo2=97, weight=60.0)

World = dict[str, str]


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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def context(request: pytest.FixtureRequest, template: tuple[Path, World], db_path: Path) -> Iterator[AppContext]:
    """The template's copy on SQLite; on PostgreSQL (#20) a new server database with the same world built in."""
    if request.param == "sqlite":
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


def record(context: AppContext, world: World, name: str = "张红丽", entry: VisitEntry = SEEN, **kwargs: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {"round_id": world["round"], "visit_date": TODAY, "today": TODAY, **kwargs}
    return record_visit(context.uow(), resident_id=world[name], entry=entry, **values)  # type: ignore[arg-type]


def visits(context: AppContext) -> list[Visit]:
    with context.uow() as uow:
        return list(uow.session.exec(select(Visit)))


# --- recording --------------------------------------------------------------------------------------------------


def test_a_visit_is_saved_at_once_with_who_recorded_it_and_its_sync_stamps(context: AppContext, world: World) -> None:
    saved = record(context, world)
    [row] = visits(context)
    assert (row.id, row.version, row.corrects_id, row.round_id) == (saved.visit_id, 1, None, world["round"])
    assert (row.sbp, row.dbp, row.pulse, row.temperature, row.spo2, row.weight) == (128, 78, 72, 36.6, 97, 60.0)
    assert row.recorded_by == world["nurse"]
    assert row.updated_at and row.origin_device  # stamped by the unit of work, not by hand
    assert saved.checked.outcome.value == "seen" and not saved.urgent and not saved.checked.late


def test_nurses_and_doctors_record_visits_assistants_may_not(context: AppContext, world: World) -> None:
    context.actor_id = world["assistant"]
    with pytest.raises(PermissionDenied):
        record(context, world)
    context.actor_id = world["doctor"]
    record(context, world)
    assert len(visits(context)) == 1


def test_without_anybody_signed_in_the_command_line_records_without_a_recorder(
    context: AppContext, world: World
) -> None:
    context.actor_id = None
    record(context, world)
    [row] = visits(context)
    assert row.recorded_by is None


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"sbp": 301}, "sbp", "50–300 mmHg"),
        ({"dbp": 19}, "dbp", "20–200 mmHg"),
        ({"spo2": 101}, "spo2", "50–100 %"),
        ({"glucose": 40.1}, "glucose", "1.0–40.0 mmol/L"),
        ({"sbp": 80, "dbp": 80}, "sbp", "diastolic"),
        ({"pulse": 72.5}, "pulse", "whole number"),
    ],
)
def test_values_outside_the_accepted_range_are_refused_with_the_range_and_nothing_is_written(
    context: AppContext, world: World, changes: dict[str, float], field: str, text: str
) -> None:
    i18n.set_language("en")
    with pytest.raises(ValidationError) as refused:
        record(context, world, entry=replace(SEEN, **changes))
    assert refused.value.field == field
    assert text in str(refused.value)
    assert visits(context) == []


def test_a_second_visit_at_the_same_round_is_refused_and_names_the_first(context: AppContext, world: World) -> None:
    first = record(context, world)
    with pytest.raises(DuplicateVisit) as duplicate:
        record(context, world, entry=replace(SEEN, sbp=150))
    assert duplicate.value.visit_id == first.visit_id and duplicate.value.version == 1
    assert len(visits(context)) == 1
    # once corrected, the duplicate check points at the latest version
    second = correct_visit(context.uow(), visit_id=first.visit_id, entry=replace(SEEN, sbp=150), today=TODAY)
    with pytest.raises(DuplicateVisit) as again:
        record(context, world)
    assert (again.value.visit_id, again.value.version) == (second.visit_id, 2)


def test_outside_rounds_one_visit_per_resident_and_day(context: AppContext, world: World) -> None:
    day = TODAY - timedelta(days=1)
    record(context, world, round_id=None, visit_date=day)
    with pytest.raises(DuplicateVisit):
        record(context, world, round_id=None, visit_date=day)
    record(context, world, round_id=None, visit_date=day - timedelta(days=1))
    record(context, world)  # the round today is another visit
    assert len(visits(context)) == 3


def test_a_cancelled_round_or_one_at_another_home_takes_no_visit(context: AppContext, world: World) -> None:
    with pytest.raises(ValidationError) as cancelled:
        record(context, world, round_id=world["cancelled_round"])
    assert cancelled.value.field == "round"
    with pytest.raises(ValidationError) as elsewhere:
        record(context, world, "stranger")
    assert elsewhere.value.field == "round"
    with pytest.raises(NotFound):
        record(context, world, round_id="no-such-round")
    assert visits(context) == []


# --- late entry -------------------------------------------------------------------------------------------------


def test_a_past_visit_is_accepted_late_with_its_reason_never_refused_for_being_late(
    context: AppContext, world: World
) -> None:
    long_ago = date(2024, 2, 29)
    saved = record(context, world, round_id=None, visit_date=long_ago, late_reason="  从纸质巡诊单补录 ")
    assert saved.checked.late and saved.checked.late_reason == "从纸质巡诊单补录"
    row = load_visit(context.uow(), visit_id=saved.visit_id)
    assert (row.visit_date, row.late_reason, row.late) == (long_ago, "从纸质巡诊单补录", True)
    # a late visit at last week's round, without a reason, is accepted too
    assert record(context, world, round_id=world["past_round"], visit_date=TODAY - timedelta(days=7)).checked.late


def test_a_reason_given_for_a_visit_on_its_own_day_is_not_kept(context: AppContext, world: World) -> None:
    saved = record(context, world, late_reason="typed later")
    assert not saved.checked.late and load_visit(context.uow(), visit_id=saved.visit_id).late_reason == ""


def test_a_visit_after_today_or_before_birth_is_refused(context: AppContext, world: World) -> None:
    for day in (TODAY + timedelta(days=1), date(1939, 12, 31)):
        with pytest.raises(ValidationError) as refused:
            record(context, world, round_id=None, visit_date=day)
        assert refused.value.field == "visit_date"


# --- corrections ---------------------------------------------------------------------------------------------------


def test_a_correction_is_a_new_version_pointing_at_the_old_one_which_never_changes(
    context: AppContext, world: World
) -> None:
    first = record(context, world, entry=replace(SEEN, sbp=182, dbp=96))
    before = {c: getattr(load_row(context, first.visit_id), c) for c in Visit.model_fields}
    corrected = correct_visit(context.uow(), visit_id=first.visit_id, entry=replace(SEEN, sbp=132, dbp=96), today=TODAY)
    assert (corrected.version, corrected.corrects_id) == (2, first.visit_id)
    assert corrected.changed == ("sbp",)
    after = {c: getattr(load_row(context, first.visit_id), c) for c in Visit.model_fields}
    assert after == before  # not a single column of the saved version moved, not even its stamps
    new = load_row(context, corrected.visit_id)
    assert (new.sbp, new.round_id, new.resident_id, new.visit_date) == (132, world["round"], world["张红丽"], TODAY)
    third = correct_visit(context.uow(), visit_id=corrected.visit_id, entry=replace(SEEN, sbp=134, dbp=96), today=TODAY)
    assert (third.version, third.corrects_id) == (3, corrected.visit_id)


def load_row(context: AppContext, visit_id: str) -> Visit:
    with context.uow() as uow:
        row = uow.session.get(Visit, visit_id)
        assert row is not None
        return row


def test_only_the_latest_version_can_be_corrected(context: AppContext, world: World) -> None:
    first = record(context, world)
    correct_visit(context.uow(), visit_id=first.visit_id, entry=replace(SEEN, pulse=80), today=TODAY)
    with pytest.raises(VisitNotCorrectable):
        correct_visit(context.uow(), visit_id=first.visit_id, entry=replace(SEEN, pulse=90), today=TODAY)
    with pytest.raises(NotFound):
        correct_visit(context.uow(), visit_id="nope", entry=SEEN, today=TODAY)
    assert len(visits(context)) == 2


def test_a_correction_is_checked_like_a_new_visit(context: AppContext, world: World) -> None:
    first = record(context, world)
    with pytest.raises(ValidationError) as refused:
        correct_visit(context.uow(), visit_id=first.visit_id, entry=replace(SEEN, temperature=45.1), today=TODAY)
    assert refused.value.field == "temperature"
    assert len(visits(context)) == 1


def test_history_shows_the_latest_versions_with_their_predecessors_and_what_changed(
    context: AppContext, world: World
) -> None:
    old = record(context, world, round_id=None, visit_date=TODAY - timedelta(days=14), entry=replace(SEEN, sbp=150))
    first = record(context, world, entry=replace(SEEN, sbp=190, dbp=100, glucose=8.0, glucose_fasting=True))
    second = correct_visit(
        context.uow(),
        visit_id=first.visit_id,
        entry=replace(SEEN, sbp=150, dbp=100, glucose=8.0, glucose_fasting=True, findings="复测血压"),
        today=TODAY,
    )
    history = visit_history(context.uow(), resident_id=world["张红丽"])
    assert [c.latest.id for c in history.chains] == [second.visit_id, old.visit_id]  # newest first
    latest = history.chains[0]
    assert [v.id for v in latest.earlier] == [first.visit_id] and latest.corrected and not latest.forked
    assert latest.changes[second.visit_id] == ("sbp", "findings")
    assert history.chain_of(first.visit_id) is latest
    # the chart follows the versions in force, oldest first
    assert [(p.day, p.sbp, p.glucose) for p in history.points] == [
        (TODAY - timedelta(days=14), 150, None),
        (TODAY, 150, 8.0),
    ]


def test_two_corrections_of_one_version_made_on_two_devices_are_both_kept(context: AppContext, world: World) -> None:
    first = record(context, world)
    correct_visit(context.uow(), visit_id=first.visit_id, entry=replace(SEEN, pulse=80), today=TODAY)
    with context.uow() as uow:  # what a sync import brings: another device's version 2 of the same visit
        uow.session.add(
            Visit(
                resident_id=world["张红丽"],
                round_id=world["round"],
                visit_date=TODAY,
                pulse=66,
                corrects_id=first.visit_id,
                version=2,
            )
        )
        uow.commit()
    history = visit_history(context.uow(), resident_id=world["张红丽"])
    assert len(history.chains) == 2 and all(chain.forked for chain in history.chains)
    assert {chain.latest.entry.pulse for chain in history.chains} == {80, 66}


# --- referral, classification, status, triage -------------------------------------------------------------------------


def test_a_referral_is_opened_and_follows_the_visit_through_corrections(context: AppContext, world: World) -> None:
    referral = ReferralEntry("示范区中心医院", "血压高", urgent=True, green_channel=True)
    first = record(context, world, entry=replace(SEEN, sbp=186, dbp=100, referral=referral))

    def open_referrals() -> list[Referral]:
        with context.uow() as uow:
            return list(uow.session.exec(select(Referral).where(Referral.deleted == False)))

    [row] = open_referrals()
    assert (row.destination, row.urgent, row.green_channel, row.opened_on, row.visit_id) == (
        "示范区中心医院",
        True,
        True,
        TODAY,
        first.visit_id,
    )
    second = correct_visit(
        context.uow(),
        visit_id=first.visit_id,
        entry=replace(SEEN, referral=replace(referral, destination="市第六人民医院")),
        today=TODAY,
    )
    [row] = open_referrals()
    assert row.destination == "市第六人民医院"
    assert load_visit(context.uow(), visit_id=first.visit_id).referral is not None  # every version shows it
    third = correct_visit(context.uow(), visit_id=second.visit_id, entry=SEEN, today=TODAY)
    assert open_referrals() == [] and "referral" in third.changed


def test_a_referral_needs_its_destination(context: AppContext, world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        record(context, world, entry=replace(SEEN, referral=ReferralEntry("", "血压高", urgent=True)))
    assert refused.value.field == "referral_destination"


def test_the_chronic_classification_is_for_hypertension_or_diabetes_only(context: AppContext, world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        record(context, world, entry=replace(SEEN, chronic_class="not_controlled"))
    assert refused.value.field == "chronic_class"
    context.actor_id = world["doctor"]
    save_condition(context.uow(), resident_id=world["张红丽"], code="hypertension", today=TODAY)
    context.actor_id = world["nurse"]
    saved = record(context, world, entry=replace(SEEN, sbp=152, chronic_class="not_controlled"))
    assert load_row(context, saved.visit_id).chronic_class == "not_controlled"
    info = resident_for_visit(context.uow(), resident_id=world["张红丽"])
    assert (info.hypertension, info.diabetes, info.chronic_follow_up) == (True, False, True)


def test_hospitalized_changes_the_status_only_when_confirmed(context: AppContext, world: World) -> None:
    absent = VisitEntry(outcome="hospitalized", findings="昨日送医")
    saved = record(context, world, entry=absent)
    assert saved.status_changed is None
    assert resident_row(context, world["张红丽"]).status == "in_residence"
    saved = record(context, world, "李建国", entry=absent, update_status=True)
    assert saved.status_changed is not None and saved.status_changed.value == "hospitalized"
    resident = resident_row(context, world["李建国"])
    assert (resident.status, resident.status_date) == ("hospitalized", TODAY)
    with context.uow() as uow:
        [change] = uow.session.exec(select(StatusChange).where(StatusChange.resident_id == world["李建国"]))
    assert (change.status, change.on_date) == ("hospitalized", TODAY)


def test_deceased_with_confirmation_ends_the_stay(context: AppContext, world: World) -> None:
    saved = record(context, world, "王秀英", entry=VisitEntry(outcome="deceased"), update_status=True)
    assert saved.status_changed is not None and resident_row(context, world["王秀英"]).status == "deceased"
    assert saved.suggested_after is None  # no longer triaged


def test_correcting_a_death_back_to_seen_undoes_the_status_it_set(context: AppContext, world: World) -> None:
    with context.uow() as uow:
        resident = uow.session.get(Resident, world["王秀英"])
        assert resident is not None
        resident.family_bed, resident.family_bed_start = True, date(2026, 1, 1)
        uow.session.add(resident)
        uow.commit()
    dead = record(context, world, "王秀英", entry=VisitEntry(outcome="deceased"), update_status=True)
    assert resident_row(context, world["王秀英"]).status == "deceased"
    info = resident_for_visit(context.uow(), resident_id=world["王秀英"], round_id=world["round"])
    assert info.visit_status is not None and dead.visit_id in info.visit_status.visit_ids
    # without update_status the status stays, and the result says so
    kept = correct_visit(context.uow(), visit_id=dead.visit_id, entry=SEEN, today=TODAY)
    assert kept.status_restored is None and kept.status_left is not None
    assert (kept.status_left.status.value, kept.status_left.restores.value) == ("deceased", "in_residence")
    assert resident_row(context, world["王秀英"]).status == "deceased"
    # correcting the correction again with update_status undoes it: the status change is removed, the stay
    # and the family bed reopened, no readmission
    undone = correct_visit(context.uow(), visit_id=kept.visit_id, entry=SEEN, update_status=True, today=TODAY)
    assert undone.status_restored is not None and undone.status_left is None
    resident = resident_row(context, world["王秀英"])
    assert (resident.status, resident.status_date, resident.admission_date) == ("in_residence", None, date(2020, 1, 5))
    assert (resident.family_bed, resident.family_bed_end) == (True, None)
    with context.uow() as uow:
        changes = list(uow.session.exec(select(StatusChange).where(StatusChange.resident_id == world["王秀英"])))
        periods = list(uow.session.exec(select(ResidencePeriod).where(ResidencePeriod.resident_id == world["王秀英"])))
    assert [(c.status, c.deleted) for c in changes] == [("deceased", True)]
    assert [(p.start_date, p.end_date, p.deleted) for p in periods] == [(date(2020, 1, 5), None, False)]
    assert undone.suggested_after is not None  # triaged again
    assert "王秀英" in {row.name for row in search_residents(context.uow(), text="")}  # back on the lists


def test_correcting_a_hospitalization_restores_the_status_before_it(context: AppContext, world: World) -> None:
    earlier = TODAY - timedelta(days=7)
    first = record(
        context,
        world,
        "李建国",
        entry=VisitEntry(outcome="hospitalized"),
        update_status=True,
        round_id=world["past_round"],
        visit_date=earlier,
    )
    back = correct_visit(context.uow(), visit_id=first.visit_id, entry=SEEN, update_status=True, today=TODAY)
    assert back.status_restored is not None
    assert resident_row(context, world["李建国"]).status == "in_residence"
    # hospitalized, then the resident came back; a later death is corrected to hospitalized: the status before
    # the death (in residence) is put back, then hospitalized is recorded from the corrected visit
    record(context, world, "李建国", entry=VisitEntry(outcome="deceased"), update_status=True)
    dead = existing_visit(context.uow(), resident_id=world["李建国"], round_id=world["round"])
    assert dead is not None
    saved = correct_visit(
        context.uow(), visit_id=dead.id, entry=VisitEntry(outcome="hospitalized"), update_status=True, today=TODAY
    )
    assert saved.status_restored is not None and saved.status_changed is not None
    assert resident_row(context, world["李建国"]).status == "hospitalized"


def test_a_status_changed_by_hand_later_is_not_undone_by_a_correction(context: AppContext, world: World) -> None:
    from app.domain.residents import ResidentStatus
    from app.services.records.residence import change_status

    first = record(
        context,
        world,
        "李建国",
        entry=VisitEntry(outcome="hospitalized"),
        update_status=True,
        round_id=world["past_round"],
        visit_date=TODAY - timedelta(days=7),
    )
    context.actor_id = world["doctor"]
    change_status(
        context.uow(),
        resident_id=world["李建国"],
        status=ResidentStatus.IN_RESIDENCE,
        on_date=TODAY - timedelta(days=2),
        today=TODAY,
    )
    context.actor_id = world["nurse"]
    saved = correct_visit(context.uow(), visit_id=first.visit_id, entry=SEEN, update_status=True, today=TODAY)
    assert (saved.status_restored, saved.status_left) == (None, None)
    assert resident_row(context, world["李建国"]).status == "in_residence"


def test_a_visit_before_the_admission_is_refused_naming_it(context: AppContext, world: World) -> None:
    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as refused:
        record(context, world, round_id=None, visit_date=date(1990, 1, 1))
    assert refused.value.field == "visit_date"
    assert "不能早于入住日期（2020-01-05）" in str(refused.value)
    assert record(context, world, round_id=None, visit_date=date(2020, 1, 5)).checked.late  # late entry stays
    assert resident_for_visit(context.uow(), resident_id=world["张红丽"]).admission_date == date(2020, 1, 5)


def resident_row(context: AppContext, resident_id: str) -> Resident:
    with context.uow() as uow:
        row = uow.session.get(Resident, resident_id)
        assert row is not None
        return row


def test_vitals_belong_only_to_a_resident_who_was_seen(context: AppContext, world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        record(context, world, entry=replace(SEEN, outcome="absent"))
    assert refused.value.field == "sbp"


def test_urgent_values_change_the_triage_suggestion_and_the_doctor_sees_it_in_review(
    context: AppContext, world: World
) -> None:
    saved = record(context, world, entry=replace(SEEN, sbp=186, dbp=112))
    assert saved.urgent and saved.checked.advice()
    assert (saved.colour.value, saved.suggested_after and saved.suggested_after.value) == ("green", "red")
    assert saved.suggestion_changed and saved.needs_review
    review = triage_review(context.uow(), today=TODAY)
    [row] = [r for r in review if r.resident_id == world["张红丽"]]
    assert row.suggested.value == "red" and any(reason.code == "bp_urgent" for reason in row.reasons)
    # a correction back to normal values takes the suggestion back too
    back = correct_visit(context.uow(), visit_id=saved.visit_id, entry=SEEN, today=TODAY)
    assert back.suggested_after is not None and back.suggested_after.value == "green"
    # no doctor has confirmed her colour yet, so she still waits for review, but only as unconfirmed green
    [row] = [r for r in triage_review(context.uow(), today=TODAY) if r.resident_id == world["张红丽"]]
    assert row.unconfirmed and row.suggested.value == "green" and row.resident.colour.value == "green"


def test_the_weight_change_is_flagged_against_the_last_weight(context: AppContext, world: World) -> None:
    record(context, world, round_id=None, visit_date=TODAY - timedelta(days=30), entry=replace(SEEN, weight=60.0))
    saved = record(context, world, entry=replace(SEEN, weight=63.5))
    flag = saved.checked.assessment.flag("weight")
    assert flag is not None and flag.level.value == "abnormal"
    assert resident_for_visit(context.uow(), resident_id=world["张红丽"]).previous_weight == 63.5


# --- what the visit page reads ---------------------------------------------------------------------------------------


def test_the_existing_visit_at_a_round_is_found_for_the_duplicate_check(context: AppContext, world: World) -> None:
    assert existing_visit(context.uow(), resident_id=world["张红丽"], round_id=world["round"]) is None
    first = record(context, world)
    found = existing_visit(context.uow(), resident_id=world["张红丽"], round_id=world["round"])
    assert found is not None and found.id == first.visit_id
    info = resident_for_visit(context.uow(), resident_id=world["张红丽"], round_id=world["round"], visit_date=TODAY)
    assert info.existing is not None and info.existing.id == first.visit_id
    assert info.green_channel_hospital == "示范区中心医院"


def test_the_round_sheet_lists_the_due_residents_in_round_order_and_keeps_those_visited(
    context: AppContext, world: World
) -> None:
    due = round_due(context.uow(), round_id=world["round"], today=TODAY).due
    sheet = round_sheet(context.uow(), round_id=world["round"], today=TODAY)
    assert [r.resident_id for r in sheet.residents] == [r.resident_id for r in due]
    assert [r.name for r in sheet.residents] == ["张红丽", "李建国", "王秀英", "赵伟"]  # by building, room, bed
    assert all(r.planned and r.due and r.visit is None for r in sheet.residents)
    saved = record(context, world, "李建国", entry=replace(SEEN, sbp=150))
    sheet = round_sheet(context.uow(), round_id=world["round"], today=TODAY)
    assert [r.name for r in sheet.residents] == ["张红丽", "李建国", "王秀英", "赵伟"]  # seen, still on the sheet
    visit = sheet.residents[1].visit
    assert visit is not None and (visit.visit_id, visit.abnormal, visit.urgent) == (saved.visit_id, True, False)


def test_rounds_for_entry_list_today_first_then_recent_never_cancelled(context: AppContext, world: World) -> None:
    rounds = rounds_for_entry(context.uow(), today=TODAY)
    assert [r.id for r in rounds] == [world["round"], world["past_round"]]
    assert round_for_visit(context.uow(), resident_id=world["张红丽"], visit_date=TODAY) == world["round"]
    assert round_for_visit(context.uow(), resident_id=world["张红丽"], visit_date=TODAY - timedelta(days=3)) is None


# --- a correction that moves the visit's day moves the status date it set ---------------------------------------


def _dead_on(context: AppContext, world: World, day: date, *, family_bed: bool = False):  # type: ignore[no-untyped-def]
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


def _status_rows(context: AppContext, resident_id: str) -> tuple[list[StatusChange], list[ResidencePeriod]]:
    with context.uow() as uow:
        changes = list(uow.session.exec(select(StatusChange).where(StatusChange.resident_id == resident_id)))
        periods = list(uow.session.exec(select(ResidencePeriod).where(ResidencePeriod.resident_id == resident_id)))
    return changes, periods


def test_correcting_only_the_day_of_a_death_moves_the_status_date_it_set(context: AppContext, world: World) -> None:
    the_15th, the_14th = TODAY - timedelta(days=1), TODAY - timedelta(days=2)
    dead = _dead_on(context, world, the_15th, family_bed=True)
    resident = resident_row(context, world["王秀英"])
    assert (resident.status, resident.status_date, resident.family_bed_end) == ("deceased", the_15th, the_15th)
    moved = correct_visit(
        context.uow(),
        visit_id=dead.visit_id,
        entry=VisitEntry(outcome="deceased", findings="夜间去世"),
        visit_date=the_14th,
        update_status=True,
        today=TODAY,
    )
    assert moved.status_moved is not None and moved.status_date_left is None
    assert (moved.status_moved.status.value, moved.status_moved.on_date) == ("deceased", the_15th)
    assert (moved.status_restored, moved.status_left, moved.status_changed) == (None, None, None)
    assert moved.changed == ("visit_date",)
    resident = resident_row(context, world["王秀英"])
    assert (resident.status, resident.status_date, resident.admission_date) == ("deceased", the_14th, date(2020, 1, 5))
    assert (resident.family_bed, resident.family_bed_end) == (False, the_14th)
    changes, periods = _status_rows(context, world["王秀英"])
    # the same status change moved, not a second one
    assert [(c.status, c.on_date, c.deleted) for c in changes] == [("deceased", the_14th, False)]
    assert [(p.start_date, p.end_date) for p in periods] == [(date(2020, 1, 5), the_14th)]
    with context.uow() as uow:  # audited like any other change, under the person who corrected the visit
        audited = uow.fast_rows(
            "SELECT entity, changes, staff_id FROM auditentry WHERE action = 'update' AND entity_id IN (:c, :r, :p)",
            {"c": changes[0].id, "r": world["王秀英"], "p": periods[0].id},
        )
    moves = {entity: json.loads(text) for entity, text, _staff in audited if the_14th.isoformat() in text}
    old_new = [the_15th.isoformat(), the_14th.isoformat()]
    assert moves == {
        "statuschange": {"on_date": old_new},
        "residenceperiod": {"end_date": old_new},
        "resident": {"family_bed_end": old_new, "status_date": old_new},
    }
    assert {staff for _e, _c, staff in audited} == {world["nurse"]}
    # the moved status is still the one this visit set: a later correction back to "seen" undoes it
    info = resident_for_visit(context.uow(), resident_id=world["王秀英"], visit_date=the_14th)
    assert info.visit_status is not None and info.visit_status.on_date == the_14th
    undone = correct_visit(context.uow(), visit_id=moved.visit_id, entry=SEEN, update_status=True, today=TODAY)
    assert undone.status_restored is not None
    resident = resident_row(context, world["王秀英"])
    assert (resident.status, resident.status_date, resident.family_bed, resident.family_bed_end) == (
        "in_residence",
        None,
        True,
        None,
    )


def test_without_update_status_the_status_date_stays_and_the_result_says_so(context: AppContext, world: World) -> None:
    the_15th, the_14th = TODAY - timedelta(days=1), TODAY - timedelta(days=2)
    dead = _dead_on(context, world, the_15th)
    kept = correct_visit(
        context.uow(), visit_id=dead.visit_id, entry=VisitEntry(outcome="deceased"), visit_date=the_14th, today=TODAY
    )
    assert kept.status_moved is None and kept.status_date_left is not None
    assert kept.status_date_left.on_date == the_15th and kept.checked.visit_date == the_14th
    assert resident_row(context, world["王秀英"]).status_date == the_15th
    # correcting again (same day now) with update_status moves it: the status still dates from a version of it
    again = correct_visit(
        context.uow(), visit_id=kept.visit_id, entry=VisitEntry(outcome="deceased"), update_status=True, today=TODAY
    )
    assert again.status_moved is not None and resident_row(context, world["王秀英"]).status_date == the_14th
    # a correction that keeps the day moves nothing and says nothing
    same = correct_visit(
        context.uow(),
        visit_id=again.visit_id,
        entry=VisitEntry(outcome="deceased", findings="补充"),
        update_status=True,
        today=TODAY,
    )
    assert (same.status_moved, same.status_date_left) == (None, None)


def test_a_status_date_is_not_moved_before_the_stay_or_the_status_before_it(context: AppContext, world: World) -> None:
    from app.domain.residents import ResidentStatus
    from app.services.records.residence import change_status

    # hospitalized on the 1st, back on the 5th, hospitalized again from a visit on the 10th
    context.actor_id = world["doctor"]
    for status, day in ((ResidentStatus.HOSPITALIZED, 1), (ResidentStatus.IN_RESIDENCE, 5)):
        change_status(
            context.uow(), resident_id=world["李建国"], status=status, on_date=date(2026, 11, day), today=TODAY
        )
    context.actor_id = world["nurse"]
    sent = record(
        context,
        world,
        "李建国",
        entry=VisitEntry(outcome="hospitalized"),
        update_status=True,
        round_id=None,
        visit_date=date(2026, 11, 10),
        late_reason="补录",
    )
    with pytest.raises(ValidationError) as refused:
        correct_visit(
            context.uow(),
            visit_id=sent.visit_id,
            entry=VisitEntry(outcome="hospitalized"),
            visit_date=date(2026, 11, 4),
            update_status=True,
            today=TODAY,
        )
    assert refused.value.field == "status_date" and "2026-11-05" in str(refused.value)
    assert resident_row(context, world["李建国"]).status_date == date(2026, 11, 10)
    assert len([v for v in visits(context) if v.resident_id == world["李建国"]]) == 1  # nothing saved
    # a later day is fine (not after today)
    moved = correct_visit(
        context.uow(),
        visit_id=sent.visit_id,
        entry=VisitEntry(outcome="hospitalized"),
        visit_date=date(2026, 11, 12),
        update_status=True,
        today=TODAY,
    )
    assert moved.status_moved is not None
    changes, periods = _status_rows(context, world["李建国"])
    assert sorted((c.on_date, c.status) for c in changes if not c.deleted)[-1] == (date(2026, 11, 12), "hospitalized")
    assert [p.end_date for p in periods] == [None]  # a hospital stay does not end the residence
    assert resident_row(context, world["李建国"]).status_date == date(2026, 11, 12)


def test_a_status_changed_by_hand_since_is_not_moved_by_a_correction(context: AppContext, world: World) -> None:
    from app.domain.residents import ResidentStatus
    from app.services.records.residence import change_status

    sent = record(
        context,
        world,
        "李建国",
        entry=VisitEntry(outcome="hospitalized"),
        update_status=True,
        round_id=None,
        visit_date=date(2026, 11, 10),
        late_reason="补录",
    )
    context.actor_id = world["doctor"]
    change_status(
        context.uow(),
        resident_id=world["李建国"],
        status=ResidentStatus.IN_RESIDENCE,
        on_date=date(2026, 11, 13),
        today=TODAY,
    )
    context.actor_id = world["nurse"]
    # (with update_status the correction would record a new hospitalization instead, checked like any)
    saved = correct_visit(
        context.uow(),
        visit_id=sent.visit_id,
        entry=VisitEntry(outcome="hospitalized"),
        visit_date=date(2026, 11, 9),
        today=TODAY,
    )
    assert (saved.status_moved, saved.status_date_left) == (None, None)
    assert resident_row(context, world["李建国"]).status_date == date(2026, 11, 13)


# --- issue #16: per-disease follow-up, the 2-week recheck, urgent criteria, referrals that close ----------------


def test_a_hypertensive_visit_is_classified_per_disease_and_rechecked_within_two_weeks(
    context: AppContext, world: World
) -> None:
    context.actor_id = world["doctor"]
    save_condition(context.uow(), resident_id=world["张红丽"], code="hypertension", today=TODAY)
    save_condition(context.uow(), resident_id=world["张红丽"], code="diabetes_t2", today=TODAY)
    context.actor_id = world["nurse"]
    entry = VisitEntry(sbp=155, dbp=88, glucose=6.2, glucose_fasting=True, adherence="间断", height=158, weight=55.0)
    saved = record(context, world, entry=entry)  # 86 years old: BP target 150/90
    row = load_row(context, saved.visit_id)
    assert (row.hypertension_class, row.diabetes_class, row.chronic_class) == (
        "not_controlled", "controlled", "not_controlled",
    )  # fmt: skip
    assert (row.adherence, row.height) == ("intermittent", 158.0)
    assert saved.checked.proposed == (Disease.HYPERTENSION, Disease.DIABETES)
    history = visit_history(context.uow(), resident_id=world["张红丽"])
    assert history.chains[0].latest.entry.follow_ups == (("hypertension", "not_controlled"), ("diabetes", "controlled"))
    with context.uow() as uow:  # the annual check done: only the recheck makes her due
        uow.session.add(Assessment(resident_id=world["张红丽"], kind="annual_check", assessed_on=TODAY, result="done"))
        uow.commit()
    with context.uow() as uow:
        week, fortnight = TODAY + timedelta(days=7), TODAY + timedelta(days=14)
        rounds = [Round(institution_id=world["home"], round_date=day, status="planned") for day in (week, fortnight)]
        uow.session.add_all(rounds)
        uow.commit()
        ids = [r.id for r in rounds]

    def kinds(round_id: str) -> list[str]:
        due = round_due(context.uow(), round_id=round_id, today=TODAY)
        found = [r for r in due.due if r.resident_id == world["张红丽"]]
        return [reason.kind.value for reason in found[0].reasons] if found else []

    assert "recheck" not in kinds(ids[0])
    assert "recheck" in kinds(ids[1])  # the round on the 14th day after the visit
    due = round_due(context.uow(), round_id=ids[1], today=TODAY)
    resident = next(r for r in due.due if r.resident_id == world["张红丽"])
    i18n.set_language("zh_CN")
    texts = [reason.text(fortnight) for reason in resident.reasons]
    assert "控制不满意后 2 周内复查（上次随访 2026-11-16）" in texts
    from app.services.printing import round_sheet

    sheet = round_sheet(context.uow(), round_id=ids[1], today=TODAY)
    [row] = [r for r in sheet.residents if r.name == "张红丽"]
    assert "控制不满意后 2 周内复查" in row.why_due
    assert "年度体检已做 11-16" in row.last_visit  # the annual check done this year is on the sheet


def test_an_urgent_spo2_is_urgent_at_the_visit_and_red_in_triage_for_30_days(context: AppContext, world: World) -> None:
    saved = record(context, world, entry=VisitEntry(spo2=88))
    assert saved.checked.urgent
    assert saved.suggested_after is not None and saved.suggested_after.value == "red"
    from app.services.triage import refresh_suggestions

    refresh_suggestions(context.uow(), today=TODAY + timedelta(days=31), resident_ids=[world["张红丽"]])
    with context.uow() as uow:
        resident = uow.session.get(Resident, world["张红丽"])
        assert resident is not None and resident.suggested_colour != "red"  # the reading expired


def test_a_referral_opened_at_a_visit_is_closed_with_its_outcome(context: AppContext, world: World) -> None:
    from app.services.referrals import close_referral, default_destination, list_referrals

    assert default_destination(context.uow(), resident_id=world["张红丽"]) == "示范区中心医院"
    referral = ReferralEntry("示范区中心医院", "血压控制不佳", urgent=True, green_channel=True)
    record(context, world, entry=replace(SEEN, referral=referral), visit_date=TODAY - timedelta(days=20),
           round_id=None, late_reason="补录")  # fmt: skip
    [view] = list_referrals(context.uow(), today=TODAY, institution_id=world["home"], open_only=True)
    assert (view.state.value, view.follow_up_due_on) == ("follow_up_due", TODAY - timedelta(days=6))
    with pytest.raises(ValidationError) as caught:
        close_referral(context.uow(), referral_id=view.id, outcome="cured", closed_on=TODAY, today=TODAY)
    assert caught.value.field == "referral_outcome"
    closed = close_referral(
        context.uow(), referral_id=view.id[:8], outcome="returned", closed_on=TODAY - timedelta(days=2), today=TODAY
    )
    assert (closed.state.value, closed.outcome) == ("closed", "returned")
    assert list_referrals(context.uow(), today=TODAY, open_only=True) == []
    with pytest.raises(ValidationError):
        close_referral(context.uow(), referral_id=view.id, outcome="declined", closed_on=TODAY, today=TODAY)
    rows = [row for row in triage_review(context.uow(), today=TODAY) if row.resident_id == world["张红丽"]]
    assert rows and "triage.referral_returned" in [reason.key for reason in rows[0].suggestion.reasons]
