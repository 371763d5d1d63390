"""The incremental suggestion refresh (app.services.triage.incremental): only the residents whose facts changed,
and those whose colour the passage of time may change, are worked out again — and what is stored is always
what a refresh from scratch would store.

The oracle of every test is :func:`from_scratch`: every resident's suggestion worked out by the bulk load
and the engine, with nothing remembered. Walks refresh day after day across the boundaries that matter: a
reading turning 31 days old (on a Sunday, on a month end, on 29 February), a return from hospital's window,
a fall's window, family bed dates, the 80th birthday (29 February too), the 65th (which changes no colour) and
an open referral becoming due for follow-up after 14 days (which changes no colour either).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.triage import DEFAULT_RULES, rules_to_dict, suggest_colour
from app.services.triage import (
    RefreshResult,
    Scope,
    incremental,
    load_facts,
    load_rules,
    refresh_suggestions,
    save_rules,
)
from app.store.models import Assessment, Condition, Referral, Resident, StatusChange, Visit
from app.store.uow import UnitOfWork

TODAY = date(2026, 11, 16)  # a Monday; the demo's visits end here


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=200, seed=5, today=TODAY)


@pytest.fixture
def ctx(demo_file: Path, engine_copy: Callable[[Path], AppContext]) -> Iterator[AppContext]:
    context = engine_copy(demo_file)
    incremental.forget()
    yield context
    incremental.forget()


def from_scratch(ctx: AppContext, day: date) -> dict[str, str]:
    """Every resident in residence's suggested colour on ``day``, nothing remembered."""
    with ctx.uow().reading() as uow:
        rules = load_rules(ctx.uow()).rules
        facts = load_facts(uow, scope=Scope(), today=day, rules=rules)
    result = {}
    for resident_id, (_info, resident_facts) in facts.items():
        suggestion = suggest_colour(resident_facts, rules, day)
        assert suggestion is not None
        result[resident_id] = suggestion.colour.value
    return result


def stored(ctx: AppContext) -> dict[str, str]:
    with ctx.uow().reading() as uow:
        rows = uow.fast_rows("SELECT id, suggested_colour FROM resident WHERE deleted = 0 AND status = 'in_residence'")
    return {resident_id: colour for resident_id, colour in rows}


def refresh(ctx: AppContext, day: date) -> RefreshResult:
    """Refresh the whole center on ``day`` and check that what is stored is what a refresh from scratch gives."""
    result = refresh_suggestions(ctx.uow(), today=day)
    assert stored(ctx) == from_scratch(ctx, day), day
    return result


def incremental_here(ctx: AppContext) -> bool:
    """Whether the refresh can be incremental on this engine (not on PostgreSQL: everyone each time)."""
    return not ctx.database.is_server


def add(ctx: AppContext, *rows: object) -> None:
    with ctx.uow() as uow:
        for row in rows:
            uow.session.add(row)
        uow.commit()


def in_residence(ctx: AppContext) -> list[str]:
    with ctx.uow().reading() as uow:
        rows = uow.fast_rows(
            "SELECT r.id FROM resident r WHERE r.deleted = 0 AND r.status = 'in_residence' ORDER BY r.id"
        )
    return [row[0] for row in rows]


def quiet_resident(ctx: AppContext, day: date, index: int = 0) -> str:
    """A green resident on ``day`` with at most one condition, not diabetic: a new fact alone decides the colour."""
    colours = from_scratch(ctx, day)
    with ctx.uow().reading() as uow:
        rows = uow.fast_rows(
            "SELECT r.id FROM resident r WHERE r.deleted = 0 AND r.status = 'in_residence' "
            "AND (SELECT COUNT(*) FROM condition c WHERE c.resident_id = r.id AND c.deleted = 0 AND c.active = 1) <= 1 "
            "AND NOT EXISTS (SELECT 1 FROM condition c WHERE c.resident_id = r.id AND c.code = 'diabetes_t2') "
            "ORDER BY r.id"
        )
    found = [row[0] for row in rows if colours[row[0]] == "green"]
    assert len(found) > index, "the demo has quiet residents"
    return found[index]


def set_birth_date(ctx: AppContext, resident_id: str, born: date, *codes: str) -> None:
    with ctx.uow() as uow:
        resident = uow.session.get(Resident, resident_id)
        assert resident is not None
        resident.birth_date = born
        uow.session.add(resident)
        for code in codes:
            uow.session.add(Condition(resident_id=resident_id, code=code, name=code))
        uow.commit()


# --- only what changed ------------------------------------------------------------------------------------------


def test_after_the_first_refresh_only_the_residents_whose_facts_changed_are_worked_out(ctx: AppContext) -> None:
    everyone = len(in_residence(ctx))
    first = refresh(ctx, TODAY)
    assert first.worked_out == everyone == first.residents
    again = refresh(ctx, TODAY)
    assert again.worked_out == (0 if incremental_here(ctx) else everyone)
    assert again.changed == 0
    resident_id = quiet_resident(ctx, TODAY)
    add(ctx, Visit(resident_id=resident_id, visit_date=TODAY, sbp=186, dbp=112))
    after = refresh(ctx, TODAY)
    assert after.changed == 1 and stored(ctx)[resident_id] == "red"
    assert after.worked_out == (1 if incremental_here(ctx) else everyone)


def test_every_kind_of_fact_changed_is_seen(ctx: AppContext) -> None:
    refresh(ctx, TODAY)
    ids = [quiet_resident(ctx, TODAY, index) for index in range(6)]
    add(ctx, Assessment(resident_id=ids[0], kind="self_care", assessed_on=TODAY, score=25))
    refresh(ctx, TODAY)
    add(ctx, Referral(resident_id=ids[1], destination="市第一医院", opened_on=TODAY))
    refresh(ctx, TODAY)
    add(ctx, StatusChange(resident_id=ids[2], status="hospitalized", on_date=TODAY - timedelta(days=5)))
    add(ctx, StatusChange(resident_id=ids[2], status="in_residence", on_date=TODAY - timedelta(days=1)))
    refresh(ctx, TODAY)
    add(ctx, Assessment(resident_id=ids[3], kind="fall", assessed_on=TODAY - timedelta(days=3)))
    refresh(ctx, TODAY)
    with ctx.uow() as uow:
        resident = uow.session.get(Resident, ids[4])
        assert resident is not None
        resident.hospice = True
        uow.session.add(resident)
        uow.commit()
    refresh(ctx, TODAY)
    colours = stored(ctx)
    assert [colours[i] for i in ids[:5]] == ["red", "red", "red", "yellow", "red"]
    # a visit moved from one resident to another: both are worked out again
    add(ctx, Visit(resident_id=ids[5], visit_date=TODAY, spo2=85))
    refresh(ctx, TODAY)
    assert stored(ctx)[ids[5]] == "red"
    with ctx.uow() as uow:
        visit = uow.session.exec(select(Visit).where(Visit.resident_id == ids[5], Visit.spo2 == 85)).one()
        visit.resident_id = ids[0]
        uow.session.add(visit)
        uow.commit()
    refresh(ctx, TODAY)
    assert stored(ctx)[ids[5]] == "green"


def test_a_rule_edit_works_everyone_out_again(ctx: AppContext) -> None:
    everyone = len(in_residence(ctx))
    refresh(ctx, TODAY)
    document = rules_to_dict(DEFAULT_RULES)
    document["yellow"]["age_min"] = 70
    doctor = _staff(ctx, "doctor1")
    save_rules(UnitOfWork(ctx.database, actor_id=doctor), document=document)
    result = refresh(ctx, TODAY)
    assert result.worked_out == everyone
    assert refresh(ctx, TODAY).worked_out == (0 if incremental_here(ctx) else everyone)


def test_a_day_before_the_last_refresh_works_everyone_out_again(ctx: AppContext) -> None:
    everyone = len(in_residence(ctx))
    refresh(ctx, TODAY)
    assert refresh(ctx, TODAY - timedelta(days=40)).worked_out == everyone
    assert refresh(ctx, TODAY).worked_out <= everyone


def test_a_suggestion_stored_by_something_else_is_put_right(ctx: AppContext) -> None:
    refresh(ctx, TODAY)
    resident_id = quiet_resident(ctx, TODAY)
    with ctx.uow() as uow:  # e.g. another process refreshing for another day (not audited: bookkeeping)
        uow.session.execute(
            Resident.__table__.update().where(Resident.__table__.c.id == resident_id).values(suggested_colour="red")
        )
        uow.commit()
    result = refresh(ctx, TODAY)
    assert result.changed == 1 and stored(ctx)[resident_id] == "green"


def test_another_file_at_the_same_path_is_not_taken_for_the_remembered_one(ctx: AppContext) -> None:
    if not incremental_here(ctx):
        pytest.skip("PostgreSQL: nothing is remembered")
    everyone = len(in_residence(ctx))
    add(ctx, Visit(resident_id=quiet_resident(ctx, TODAY), visit_date=TODAY, sbp=120, dbp=80))  # audited
    refresh(ctx, TODAY)
    with ctx.uow() as uow:  # the entry remembered is no longer at its rowid (as after a restore of another file)
        driver = uow.session.connection().connection.driver_connection
        assert driver is not None
        driver.execute("DROP TRIGGER IF EXISTS tr_audit_no_update")
        last = driver.execute("SELECT MAX(rowid) FROM auditentry").fetchone()[0]
        driver.execute("UPDATE auditentry SET id = 'another' WHERE rowid = ?", (last,))
        uow.commit()
    assert refresh(ctx, TODAY).worked_out == everyone


# --- the passage of time ------------------------------------------------------------------------------------


def walk(ctx: AppContext, first: date, last: date) -> list[RefreshResult]:
    """Refresh every day from ``first`` to ``last``, each checked against a refresh from scratch."""
    results = []
    day = first
    while day <= last:
        results.append(refresh(ctx, day))
        day += timedelta(days=1)
    return results


def test_a_reading_turning_31_days_old_changes_the_suggestion_with_no_fact_changed(ctx: AppContext) -> None:
    sunday, month_end = date(2026, 12, 20), date(2026, 12, 31)
    ids = [quiet_resident(ctx, TODAY, index) for index in range(3)]
    add(
        ctx,
        # expires on a Sunday (20 December: 31 days after 19 November)
        Visit(resident_id=ids[0], visit_date=sunday - timedelta(days=31), sbp=190, dbp=100),
        # on a month end (31 December)
        Visit(resident_id=ids[1], visit_date=month_end - timedelta(days=31), glucose=17.2),
        # dated ahead: counts from its day on (1 December), until 31 December (a year end: 1 January no longer)
        Visit(resident_id=ids[2], visit_date=date(2026, 12, 1), temperature=39.6),
    )
    first = TODAY
    results = walk(ctx, first, date(2027, 1, 2))
    by_day = {first + timedelta(days=n): result for n, result in enumerate(results)}
    for day, expected in (
        (TODAY, ("green", "green", "green")),
        (date(2026, 11, 19), ("red", "green", "green")),
        (date(2026, 11, 30), ("red", "red", "green")),
        (date(2026, 12, 1), ("red", "red", "red")),
        (date(2026, 12, 19), ("red", "red", "red")),  # 30 days old: still counts
        (sunday, ("green", "red", "red")),  # 31 days old: no longer
        (date(2026, 12, 30), ("green", "red", "red")),
        (month_end, ("green", "green", "red")),
        (date(2027, 1, 1), ("green", "green", "green")),
    ):
        colours = from_scratch(ctx, day)
        assert tuple(colours[i] for i in ids) == expected, day
    if incremental_here(ctx):
        everyone = len(in_residence(ctx))
        assert all(result.worked_out < everyone for result in results[1:])  # never everyone after the first
        assert by_day[sunday].worked_out >= 1 and by_day[sunday].changed >= 1
        assert by_day[month_end].changed >= 1 and by_day[date(2027, 1, 1)].changed >= 1


def test_29_february_a_reading_expiring_and_an_80th_birthday(ctx: AppContext) -> None:
    ids = [quiet_resident(ctx, TODAY, index) for index in range(4)]
    leap = date(2028, 2, 29)
    set_birth_date(ctx, ids[0], date(1948, 2, 29), "hypertension", "copd")  # 80 on 29 February 2028
    set_birth_date(ctx, ids[1], date(1947, 2, 28) + timedelta(days=1), "hypertension", "copd")  # 80 on 1 March 2027
    set_birth_date(ctx, ids[3], date(1963, 2, 28), "hypertension")  # 65 on 28 February 2028: no colour change
    add(ctx, Visit(resident_id=ids[2], visit_date=leap - timedelta(days=31), spo2=86))  # expires on 29 February
    walk(ctx, date(2028, 2, 20), date(2028, 3, 2))
    assert from_scratch(ctx, date(2028, 2, 28))[ids[0]] == "green"
    assert from_scratch(ctx, leap)[ids[0]] == "yellow"
    assert from_scratch(ctx, date(2028, 2, 28))[ids[2]] == "red"
    assert from_scratch(ctx, leap)[ids[2]] == "green"
    # a year whose February has no 29th: the birthday is 1 March
    incremental.forget()
    walk(ctx, date(2027, 2, 26), date(2027, 3, 2))
    assert from_scratch(ctx, date(2027, 2, 28))[ids[1]] == "green"
    assert from_scratch(ctx, date(2027, 3, 1))[ids[1]] == "yellow"


def test_windows_that_close_with_time_hospital_fall_family_bed_referral(ctx: AppContext) -> None:
    ids = [quiet_resident(ctx, TODAY, index) for index in range(4)]
    add(
        ctx,
        StatusChange(resident_id=ids[0], status="hospitalized", on_date=TODAY - timedelta(days=20)),
        StatusChange(resident_id=ids[0], status="in_residence", on_date=TODAY - timedelta(days=10)),  # until +20
        Assessment(resident_id=ids[1], kind="fall", assessed_on=TODAY - timedelta(days=170)),  # until +10
        Referral(resident_id=ids[3], destination="市第一医院", opened_on=TODAY - timedelta(days=10)),  # due at +4
    )
    with ctx.uow() as uow:
        resident = uow.session.get(Resident, ids[2])
        assert resident is not None
        resident.family_bed = True
        resident.family_bed_start = TODAY + timedelta(days=3)
        resident.family_bed_end = TODAY + timedelta(days=12)
        uow.session.add(resident)
        uow.commit()
    walk(ctx, TODAY, TODAY + timedelta(days=25))
    assert from_scratch(ctx, TODAY + timedelta(days=20))[ids[0]] == "red"
    assert from_scratch(ctx, TODAY + timedelta(days=21))[ids[0]] == "green"
    assert from_scratch(ctx, TODAY + timedelta(days=10))[ids[1]] == "yellow"
    assert from_scratch(ctx, TODAY + timedelta(days=11))[ids[1]] == "green"
    assert from_scratch(ctx, TODAY + timedelta(days=12))[ids[2]] == "red"
    assert from_scratch(ctx, TODAY + timedelta(days=13))[ids[2]] == "green"
    assert {from_scratch(ctx, TODAY + timedelta(days=n))[ids[3]] for n in (3, 4, 5)} == {"red"}


def _staff(ctx: AppContext, login: str) -> str:
    with UnitOfWork(ctx.database, write=False) as uow:
        return str(uow.fast_rows("SELECT id FROM staff WHERE login = :l", {"l": login})[0][0])
