"""Correcting visits: new versions that never change the old, history, and the day of a status moved."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from visits_world import SEEN, TODAY, World, dead_on, load_row, record, resident_row, status_rows, visits

from app.bootstrap import AppContext
from app.domain.errors import ValidationError
from app.domain.visits import VisitEntry
from app.services.editing import NotFound
from app.services.visits.checks import resident_for_visit
from app.services.visits.history import visit_history
from app.services.visits.save import VisitNotCorrectable, correct_visit
from app.store.models import Visit


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


def test_correcting_only_the_day_of_a_death_moves_the_status_date_it_set(context: AppContext, world: World) -> None:
    the_15th, the_14th = TODAY - timedelta(days=1), TODAY - timedelta(days=2)
    dead = dead_on(context, world, the_15th, family_bed=True)
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
    changes, periods = status_rows(context, world["王秀英"])
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
    dead = dead_on(context, world, the_15th)
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
    changes, periods = status_rows(context, world["李建国"])
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
