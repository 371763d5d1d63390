"""Recording visits: who and when, permissions, refused values, duplicates, late entries, the page's reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from visits_world import SEEN, TODAY, World, record, visits

from app.bootstrap import AppContext
from app.domain import i18n
from app.domain.errors import ValidationError
from app.services.authz import PermissionDenied
from app.services.editing import NotFound
from app.services.rounds.plan import round_due
from app.services.visits.checks import existing_visit, resident_for_visit
from app.services.visits.entry_rounds import round_for_visit, round_sheet, rounds_for_entry
from app.services.visits.history import load_visit
from app.services.visits.save import DuplicateVisit, correct_visit


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
