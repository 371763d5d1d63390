"""What a visit leads to: referrals, per-disease classes, status changes, triage, 2-week rechecks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select
from visits_world import SEEN, TODAY, World, load_row, record, resident_row

from app.bootstrap import AppContext
from app.domain import i18n
from app.domain.errors import ValidationError
from app.domain.follow_up import Disease
from app.domain.visits import ReferralEntry, VisitEntry
from app.services.records.load import load_record
from app.services.records.residents import search_residents
from app.services.records.sections import save_condition
from app.services.rounds.plan import round_due
from app.services.triage import triage_review
from app.services.visits.checks import existing_visit, resident_for_visit
from app.services.visits.history import load_visit, visit_history
from app.services.visits.save import correct_visit
from app.store.models import Assessment, Referral, ResidencePeriod, Resident, Round, StatusChange


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
    # the record shows it (its query finds the resident by the key: ``NOT r.deleted``, on both engines)
    assert [view.id for view in load_record(context.uow(), resident_id=row.resident_id).referrals] == [row.id]
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
