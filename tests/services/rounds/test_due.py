"""Round services: the residents due at each round (checked resident by resident), held rounds, the round sheet."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from rounds_world import (
    NEXT_WEEK,
    TODAY,
    acting,
    all_rounds,
    held_round_and_newcomer,
    reference_due,
    reference_due_on,
    unusual_facts,
)
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.domain.i18n import set_language
from app.domain.scheduling import (
    DueKind,
    due_at_round,
    due_windows,
    previous_round_to_come,
)
from app.services.printing import round_sheet
from app.services.rounds.due import due_residents, load_due_rows
from app.services.rounds.plan import (
    RoundNotFound,
    add_round,
    plan_week,
    round_due,
    round_on,
)
from app.services.triage import current_rules
from app.store.models import (
    Resident,
    Visit,
)
from app.store.queries.rounds import due_at_round_sql


def test_residents_due_match_a_resident_by_resident_check_red_first_then_bed(ctx: AppContext) -> None:
    sunday = NEXT_WEEK - timedelta(days=1)  # this week's rounds held: next week's first ones list all due by then
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=sunday)
    rows = {r.id: r for r in all_rounds(ctx)}
    checked = 0
    for planned in plan.rounds[:6]:
        due_ids = [d.resident_id for d in planned.due]
        assert sorted(due_ids) == sorted(reference_due(ctx, rows[planned.id], sunday))
        severities = [d.colour.severity for d in planned.due]
        assert severities == sorted(severities, reverse=True)
        for colour in TriageColour:
            beds = [(d.building, len(d.room), d.room, len(d.bed), d.bed) for d in planned.due if d.colour is colour]
            assert beds == sorted(beds)
        checked += len(due_ids)
        for resident in planned.due:
            assert resident.reasons, resident
            assert all(reason.due_on < planned.next_date for reason in resident.reasons)  # type: ignore[operator]
    assert checked > 50


def test_held_rounds_show_who_was_seen_and_later_rounds_who_is_due(ctx: AppContext) -> None:
    plan = plan_week(ctx.uow(), week=TODAY + timedelta(days=2), today=TODAY + timedelta(days=2))
    held = [r for r in plan.rounds if r.past]
    assert held and all(r.due == () for r in held)
    with ctx.uow() as uow:
        for r in held:
            seen = uow.fast_rows("SELECT COUNT(*) FROM visit WHERE round_id = :r AND outcome = 'seen'", {"r": r.id})[0][
                0
            ]
            assert r.seen == seen
    assert any(r.due for r in plan.rounds if not r.past)


def test_one_institutions_plan(ctx: AppContext) -> None:
    whole = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY)
    institution = whole.rounds[0].institution_id
    only = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY, institution_id=institution)
    assert {r.institution_id for r in only.rounds} == {institution}
    assert [len(r.due) for r in only.rounds] == [len(r.due) for r in whole.rounds if r.institution_id == institution]


def test_round_due_and_round_on(ctx: AppContext) -> None:
    planned = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).rounds[0]
    assert round_on(ctx.uow(), institution_id=planned.institution_id, day=planned.day) == planned.id
    due = round_due(ctx.uow(), round_id=planned.id, today=TODAY)
    assert [d.resident_id for d in due.due] == [d.resident_id for d in planned.due]
    with pytest.raises(RoundNotFound):
        round_on(ctx.uow(), institution_id=planned.institution_id, day=planned.day + timedelta(days=5))
    with pytest.raises(RoundNotFound):
        round_due(ctx.uow(), round_id="nope", today=TODAY)


def test_a_new_resident_never_seen_is_due_at_the_next_round(ctx: AppContext) -> None:
    planned = plan_week(ctx.uow(), week=TODAY, today=TODAY).rounds[0]  # today's: the next round
    assert planned.day == TODAY
    with ctx.uow() as uow:
        template = uow.session.exec(select(Resident).where(Resident.institution_id == planned.institution_id)).first()
        assert template is not None
        newcomer = Resident(
            name="新来",
            sex="F",
            birth_date=date(1950, 1, 1),
            id_number="110105195001010021",
            institution_id=planned.institution_id,
            admission_date=TODAY - timedelta(days=1),
            colour="green",
            suggested_colour="green",
            building="Z",
            room="1",
            bed="1",
        )
        uow.session.add(newcomer)
        uow.commit()
    plan = plan_week(ctx.uow(), week=TODAY, today=TODAY)
    due = next(d for d in plan.rounds[0].due if d.name == "新来")
    assert [r.kind for r in due.reasons] == [DueKind.NEVER_SEEN, DueKind.ANNUAL_CHECK]


def test_a_seen_visit_corrected_to_absent_no_longer_counts_as_seen(ctx: AppContext) -> None:
    planned = next(r for r in plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).rounds if r.due)
    resident_id = planned.due[0].resident_id

    def last_seen() -> int | None:
        with ctx.uow() as uow:
            rules = current_rules(uow).rules
            rows = load_due_rows(uow, rules=rules, institution_ids=[planned.institution_id])
        return next(row.last_seen for row in rows if row.resident_id == resident_id)

    before = last_seen()
    with ctx.uow() as uow:
        seen = Visit(resident_id=resident_id, visit_date=TODAY, outcome="seen")
        uow.session.add(seen)
        uow.commit()
        seen_id = seen.id
    assert last_seen() == TODAY.toordinal()
    with ctx.uow() as uow:
        uow.session.add(Visit(resident_id=resident_id, visit_date=TODAY, outcome="absent", corrects_id=seen_id,
                              version=2))  # fmt: skip
        uow.commit()
    assert last_seen() == before
    again = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY).round(planned.id)
    assert again is not None and resident_id in {d.resident_id for d in again.due}


def test_a_held_round_lists_its_residents_as_of_that_day(ctx: AppContext) -> None:
    held = held_round_and_newcomer(ctx)
    later = TODAY + timedelta(days=6)  # reprinted a fortnight after the round
    due = round_due(ctx.uow(), round_id=held.id, today=later)
    due_ids = [d.resident_id for d in due.due]
    assert sorted(due_ids) == sorted(reference_due_on(ctx, held)) and len(due_ids) > 20
    with ctx.uow() as uow:
        visited = {
            row[0]
            for row in uow.fast_rows(
                "SELECT resident_id FROM visit WHERE round_id = :r AND deleted = 0", {"r": held.id}
            )
        }
        newcomer = uow.fast_rows("SELECT id FROM resident WHERE name = '新来'")[0][0]
    listed = due_ids + [d.resident_id for d in due.visited]
    assert len(listed) == len(set(listed))
    assert visited <= set(listed)  # everyone seen at the round is on its sheet
    assert {d.resident_id for d in due.visited} == visited - set(due_ids)
    assert newcomer not in listed  # admitted after the round
    assert all(reason.due_on < due.round.next_date for d in due.due for reason in d.reasons)  # type: ignore[operator]
    # still what is due now for a round to come
    upcoming = next(  # the home's next round
        r
        for r in plan_week(ctx.uow(), week=TODAY, today=TODAY, institution_id=held.institution_id).rounds
        if not r.past
    )
    assert newcomer in {d.resident_id for d in upcoming.due}


def test_the_reprinted_sheet_of_a_held_round_shows_what_was_recorded(ctx: AppContext) -> None:
    held = held_round_and_newcomer(ctx)
    later = TODAY + timedelta(days=6)
    due = round_due(ctx.uow(), round_id=held.id, today=later)
    set_language("zh_CN")
    sheet = round_sheet(ctx.uow(), round_id=held.id, today=later)
    assert sheet.held and len(sheet.residents) == len(due.due) + len(due.visited)
    assert "新来" not in {r.name for r in sheet.residents}
    with ctx.uow() as uow:
        visit = uow.fast_rows(
            "SELECT p.name, v.sbp, v.dbp FROM visit v JOIN resident p ON p.id = v.resident_id "
            "WHERE v.round_id = :r AND v.deleted = 0 AND v.sbp IS NOT NULL ORDER BY p.name LIMIT 1",
            {"r": held.id},
        )[0]
        visited = uow.fast_rows(
            "SELECT COUNT(DISTINCT resident_id) FROM visit WHERE round_id = :r AND deleted = 0", {"r": held.id}
        )[0][0]
    assert sum(r.recorded is not None for r in sheet.residents) == visited
    row = next(r for r in sheet.residents if r.name == visit[0])
    assert row.recorded is not None and row.recorded[0] == f"{visit[1]}/{visit[2]}"
    # "last visit" is the one before the round, never the round's own
    assert all(not r.last_visit.startswith(held.round_date.isoformat()) for r in sheet.residents)
    assert [r.why_due for r in sheet.residents if not r.due] == ["非应访，本次已访"] * len(due.visited)
    severity = [r.colour.severity for r in sheet.residents]
    assert severity == sorted(severity, reverse=True)


def test_the_one_statement_due_list_matches_the_resident_by_resident_path(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx  # unusual_facts picks rows by SQLite's rowid
    unusual_facts(ctx)
    compared = 0
    for week, today in ((TODAY, TODAY), (NEXT_WEEK, TODAY), (NEXT_WEEK + timedelta(weeks=1), TODAY + timedelta(2))):
        plan = plan_week(ctx.uow(), week=week, today=today)
        with ctx.uow() as uow:
            rules = current_rules(uow).rules
            for planned in plan.rounds:
                if planned.cancelled or planned.past:
                    assert planned.due == ()
                    continue
                assert planned.next_date is not None
                rows = load_due_rows(uow, rules=rules, institution_ids=[planned.institution_id])
                calendar = sorted(
                    r.day for r in plan.rounds if r.institution_id == planned.institution_id and not r.cancelled
                )
                before = previous_round_to_come(calendar, planned.day, today)
                if before is None and calendar[0] == planned.day:  # the first of the week: last week's, if to come
                    before = next(
                        (
                            r.round_date
                            for r in sorted(all_rounds(ctx), key=lambda r: r.round_date, reverse=True)
                            if r.institution_id == planned.institution_id
                            and r.status != "cancelled"
                            and today <= r.round_date < planned.day
                        ),
                        None,
                    )
                expected = due_residents(rows, planned.day, planned.next_date, rules.visits, before)
                assert [d.resident_id for d in planned.due] == [d.resident_id for d in expected]
                for got, want in zip(planned.due, expected, strict=True):
                    assert got.row.raw[1:] == want.row.raw[1:]  # data and facts alike (raw[0]: the round's key)
                    assert got.row[1:] == want.row[1:]
                    assert got.reasons == want.reasons
                    assert got.reasons == due_at_round(got.facts, planned.day, planned.next_date, rules.visits)
                    assert got.row.windows == due_windows(got.facts, rules.visits)
                compared += len(expected)
    assert compared > 100


def test_planning_reads_each_resident_and_their_facts_row_and_no_visits(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx  # SQLite's query plan
    params = {
        "key": 0,
        "institution": "",
        "day": 740000,
        "following": 740007,
        "previous": 739998,
        "chronic0": ",hypertension,",
        "annual_lo": 23738,
        "annual_hi": 23744,
        "years": "+65 years",
        "red": 7,
        "yellow": 14,
        "green": 28,
        "check_every": 365,
        "follow_up_every": 90,
        "recheck_every": 14,
    }
    with ctx.uow() as uow:
        plan = " ".join(str(row[-1]) for row in uow.fast_rows("EXPLAIN QUERY PLAN " + due_at_round_sql(1), params))
    assert "SEARCH r USING COVERING INDEX ix_resident_bed" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # the index gives the bed order: nothing is sorted
    assert "SEARCH f USING PRIMARY KEY" in plan, plan  # one seek per resident into resident_facts
    assert "visit" not in plan and "assessment" not in plan and "SCAN r " not in plan, plan


def test_two_rounds_of_a_home_in_a_week_list_each_resident_once_at_the_first(ctx: AppContext) -> None:
    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY)
    by_home: dict[str, list[Any]] = {}
    for planned in plan.rounds:
        by_home.setdefault(planned.institution_id, []).append(planned)
    twice = [rounds for rounds in by_home.values() if len(rounds) == 2]
    assert twice
    for first, second in twice:
        assert first.due and second.due is not None
        assert not {d.resident_id for d in first.due} & {d.resident_id for d in second.due}, first.institution
    first, second = twice[0]
    # the round sheet of the second round says the same
    assert [d.resident_id for d in round_due(ctx.uow(), round_id=second.id, today=TODAY).due] == [
        d.resident_id for d in second.due
    ]
    resident = first.due[0]
    # seen at the first round: not due at the second
    with ctx.uow() as uow:
        uow.session.add(
            Visit(
                resident_id=resident.resident_id,
                round_id=first.id,
                visit_date=first.day,
                outcome="seen",
                chronic_class="controlled",
            )
        )
        uow.commit()
    after_first = first.day + timedelta(days=1)
    later = round_due(ctx.uow(), round_id=second.id, today=after_first)
    assert resident.resident_id not in {d.resident_id for d in later.due}
    # not seen at the first round: due at the second, the first round still to come once it has passed
    other = first.due[1]
    assert other.resident_id in {d.resident_id for d in round_due(ctx.uow(), round_id=second.id, today=after_first).due}
    assert other.resident_id not in {d.resident_id for d in round_due(ctx.uow(), round_id=second.id, today=TODAY).due}


def test_a_home_whose_agreement_ended_with_rounds_booked_is_not_said_to_have_nobody_visiting(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        sql = "SELECT a.institution_id FROM agreement a WHERE a.end_date < :d"
        institution = uow.fast_rows(sql, {"d": TODAY.isoformat()})[0][0]
    week = TODAY + timedelta(weeks=2)
    [ended] = plan_week(ctx.uow(), week=week, today=TODAY).ended
    assert (ended.institution_id, ended.rounds) == (institution, 0)
    add_round(acting(ctx, "doctor1"), institution_id=institution, day=week + timedelta(days=2))
    [booked] = plan_week(ctx.uow(), week=week, today=TODAY).ended
    assert (booked.institution_id, booked.rounds, booked.residents) == (institution, 1, ended.residents)


def test_the_week_in_one_statement_gives_each_round_what_its_own_statement_gives(ctx: AppContext) -> None:
    """PostgreSQL plans a week in one statement (due_at_week_sql); it must list, round by round, exactly what one
    statement per round lists (on SQLite both are the per-round statements: the reference itself)."""
    from app.store.queries import rounds as queries

    plan = plan_week(ctx.uow(), week=NEXT_WEEK, today=TODAY)
    wanted: list[tuple[str, int, int, int | None]] = []
    for r in plan.rounds:
        if not r.cancelled and r.next_date is not None:
            before = [p.day for p in plan.rounds if p.institution_id == r.institution_id and p.day < r.day]
            wanted.append((r.institution_id, r.day.toordinal(), r.next_date.toordinal(),
                           max(before).toordinal() if before else None))  # fmt: skip
    assert any(previous is not None for *_, previous in wanted)  # a home with two rounds: the second leaves some out
    wanted.append(wanted[0])  # the same home twice: each listed under its own key
    wanted.insert(1, ("no-such-home", NEXT_WEEK.toordinal(), NEXT_WEEK.toordinal() + 7, None))  # a round with nobody
    with ctx.uow() as uow:
        rules = current_rules(uow).rules
        visits = rules.visits
        one_statement = list(queries.due_at_rounds_rows(uow, visits=visits, rounds=wanted))
        sql = queries.due_at_round_sql(len(visits.chronic_follow_up_conditions), uow.database.is_server)
        params = queries._facts_params(visits)
        params["annual_lo"], params["annual_hi"] = queries._days_in_years_bounds(visits.annual_check_age)
        each = []
        for key, (institution_id, day, following, previous) in enumerate(wanted):
            each.append(uow.fast_rows(sql, {**params, "key": key, "institution": institution_id, "day": day,
                                           "following": following, "previous": previous}))  # fmt: skip
    assert len(one_statement) == len(wanted) and one_statement[1] == []
    assert [list(map(tuple, rows)) for rows in one_statement] == [list(map(tuple, rows)) for rows in each]
    assert sum(len(rows) for rows in each) > 50
