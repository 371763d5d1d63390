"""Triage services: rules as data, bulk facts, suggestions, the doctor's review, confirmation and history."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.domain.errors import ValidationError
from app.domain.permissions import Action
from app.domain.triage import DEFAULT_RULES, ResidentFacts, back_from_hospital, rules_to_dict, suggest_colour
from app.services.authz import PermissionDenied
from app.services.triage import (
    ACTIVE_RULES_ID,
    Scope,
    confirm_suggestions,
    load_facts,
    load_rules,
    may,
    override_colour,
    refresh_suggestions,
    resident_triage,
    save_rules,
    suggest_differences,
    triage_review,
)
from app.store.models import (
    Assessment,
    Condition,
    Referral,
    Resident,
    StatusChange,
    TriageDecision,
    TriageRuleSet,
    Visit,
)
from app.store.queries.triage import LATEST_VITALS
from app.store.uow import UnitOfWork

TODAY = date(2026, 11, 16)
RED, YELLOW, GREEN = TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=300, seed=11, today=TODAY)


@pytest.fixture
def ctx(demo_file: Path, engine_copy: Callable[[Path], AppContext]) -> AppContext:
    """A fresh copy of the demo center for each test (tests write), on SQLite and on PostgreSQL (#20)."""
    return engine_copy(demo_file)


def staff(ctx: AppContext, login: str) -> str:
    with UnitOfWork(ctx.database, write=False) as uow:  # closed again: an open unit of work holds its lock
        return str(uow.fast_rows("SELECT id FROM staff WHERE login = :l", {"l": login})[0][0])


def acting(ctx: AppContext, login: str | None) -> UnitOfWork:
    return UnitOfWork(ctx.database, actor_id=staff(ctx, login) if login else None)


def residents(ctx: AppContext) -> list[Resident]:
    with ctx.uow() as uow:
        return list(uow.session.exec(select(Resident).where(Resident.status == "in_residence").order_by(Resident.id)))


def add(ctx: AppContext, *rows: object) -> None:
    with ctx.uow() as uow:
        for row in rows:
            uow.session.add(row)
        uow.commit()


def reference_facts(ctx: AppContext, resident: Resident) -> ResidentFacts:
    """Work out one resident's facts the slow way, row by row through the ORM (the check on the bulk load)."""
    with ctx.uow() as uow:
        session = uow.session

        def latest(kind: str) -> Assessment | None:
            rows = session.exec(
                select(Assessment).where(
                    Assessment.resident_id == resident.id, Assessment.kind == kind, Assessment.deleted == False
                )
            ).all()
            return max(rows, key=lambda a: a.assessed_on) if rows else None

        visits = session.exec(select(Visit).where(Visit.resident_id == resident.id, Visit.deleted == False)).all()
        corrected = {v.corrects_id for v in visits if v.corrects_id}
        visits = sorted((v for v in visits if v.id not in corrected), key=lambda v: v.visit_date, reverse=True)
        bp = next(((v.visit_date, v.sbp, v.dbp) for v in visits if v.sbp is not None and v.dbp is not None), None)
        glucose = next(((v.visit_date, v.glucose) for v in visits if v.glucose is not None), None)
        classes = tuple(v.chronic_class for v in visits if v.chronic_class)[:2]
        follow_ups = tuple(
            (disease, found)
            for disease, found in (
                ("hypertension", tuple(v.hypertension_class for v in visits if v.hypertension_class)[:2]),
                ("diabetes", tuple(v.diabetes_class for v in visits if v.diabetes_class)[:2]),
            )
            if found
        )

        def last(name: str) -> tuple[date, object] | None:
            return next(((v.visit_date, getattr(v, name)) for v in visits if getattr(v, name) is not None), None)

        all_referrals = session.exec(
            select(Referral).where(Referral.resident_id == resident.id, Referral.deleted == False)
        ).all()
        returned = [r.closed_on for r in all_referrals if r.outcome == "returned" and r.closed_on]
        # in the order they were recorded, as the bulk load reads them (not the order of whichever index SQLite
        # picks: the record's covering index of 0013 keeps them by activity, date and name)
        recorded = (Condition.created_at, Condition.id) if ctx.database.is_server else (text("condition.rowid"),)
        conditions = session.exec(
            select(Condition)
            .where(Condition.resident_id == resident.id, Condition.active == True, Condition.deleted == False)
            .order_by(*recorded)
        ).all()
        referrals = sorted(
            session.exec(select(Referral).where(Referral.resident_id == resident.id, Referral.closed_on == None)).all(),  # noqa: E711
            key=lambda r: r.opened_on,
        )
        changes = session.exec(select(StatusChange).where(StatusChange.resident_id == resident.id)).all()
        self_care, fall = latest("self_care"), latest("fall")
        ad8_rows = session.exec(
            select(Assessment).where(
                Assessment.resident_id == resident.id,
                Assessment.kind == "ad8",
                Assessment.deleted == False,
                Assessment.result != "not_interpretable",
            )
        ).all()
        ad8 = max(ad8_rows, key=lambda a: a.assessed_on) if ad8_rows else None
        referred_after = ad8 is not None and any(r.opened_on >= ad8.assessed_on for r in all_referrals)
        codes = tuple(c.code or c.name for c in conditions)
        return ResidentFacts(
            birth_date=resident.birth_date,
            self_care_score=self_care.score if self_care else None,
            care_level=resident.care_level,
            hospice=resident.hospice,
            family_bed=resident.family_bed,
            family_bed_start=resident.family_bed_start,
            family_bed_end=resident.family_bed_end,
            last_bp=bp,  # type: ignore[arg-type]
            last_glucose=glucose,  # type: ignore[arg-type]
            chronic_classes=classes,
            follow_ups=follow_ups,
            last_spo2=last("spo2"),  # type: ignore[arg-type]
            last_temperature=last("temperature"),  # type: ignore[arg-type]
            last_pulse=last("pulse"),  # type: ignore[arg-type]
            open_referral=(referrals[-1].opened_on, referrals[-1].destination) if referrals else None,
            back_from_hospital=back_from_hospital([(c.on_date, c.status) for c in changes if not c.deleted]),
            referral_returned=max(returned) if returned else None,
            ad8_score=ad8.score if ad8 else None,
            dementia_diagnosed="dementia" in codes or referred_after,
            conditions=codes,
            last_fall=fall.assessed_on if fall else None,
        )


# --- rules ------------------------------------------------------------------------------------------------------


def test_without_stored_rules_the_defaults_apply(ctx: AppContext) -> None:
    info = load_rules(ctx.uow())
    assert info.rules == DEFAULT_RULES and not info.stored and info.problem is None


def test_a_doctor_saves_rules_and_they_change_the_suggestions(ctx: AppContext) -> None:
    document = rules_to_dict(DEFAULT_RULES)
    document["red"]["sbp_min"] = 150
    saved = save_rules(acting(ctx, "doctor1"), document=document)
    assert saved.red.sbp_min == 150
    info = load_rules(ctx.uow())
    assert info.stored and info.rules.red.sbp_min == 150
    with ctx.uow() as uow:
        row = uow.session.get(TriageRuleSet, ACTIVE_RULES_ID)
        assert row is not None and json.loads(row.rules)["red"]["sbp_min"] == 150
    save_rules(acting(ctx, "admin"), document=json.dumps(rules_to_dict(DEFAULT_RULES)))  # JSON text too
    assert load_rules(ctx.uow()).rules == DEFAULT_RULES
    with ctx.uow() as uow:
        assert len(uow.session.exec(select(TriageRuleSet)).all()) == 1  # one row, edited in place


@pytest.mark.parametrize("login", ["nurse1", "assistant1", None])
def test_only_doctors_and_admins_edit_rules(ctx: AppContext, login: str | None) -> None:
    with pytest.raises(PermissionDenied):
        save_rules(acting(ctx, login), document=rules_to_dict(DEFAULT_RULES))
    assert not load_rules(ctx.uow()).stored


def test_invalid_rules_are_refused_and_nothing_is_stored(ctx: AppContext) -> None:
    with pytest.raises(ValidationError) as caught:
        save_rules(acting(ctx, "doctor1"), document={"schema": 1, "visits": {"red_days": 0}})
    assert caught.value.field == "rules.visits.red_days"
    assert not load_rules(ctx.uow()).stored


def test_unreadable_stored_rules_fall_back_to_the_defaults_and_say_so(ctx: AppContext) -> None:
    add(ctx, TriageRuleSet(name="broken", rules='{"schema": 9}'))
    info = load_rules(ctx.uow())
    assert info.rules == DEFAULT_RULES and not info.stored and info.problem


def test_may_follows_the_role(ctx: AppContext) -> None:
    assert may(acting(ctx, "doctor1"), Action.CONFIRM_TRIAGE)
    assert not may(acting(ctx, "nurse1"), Action.CONFIRM_TRIAGE)
    assert not may(ctx.uow(), Action.CONFIRM_TRIAGE)


# --- facts and suggestions ------------------------------------------------------------------------------------


def test_bulk_facts_equal_facts_worked_out_row_by_row(ctx: AppContext) -> None:
    people = residents(ctx)
    with ctx.uow() as uow:
        bulk = load_facts(uow, scope=Scope(), today=TODAY, rules=DEFAULT_RULES)
    assert set(bulk) == {r.id for r in people}
    for resident in people[:80]:
        assert bulk[resident.id][1] == reference_facts(ctx, resident), resident.name


def test_refresh_stores_every_suggestion_and_is_idempotent(ctx: AppContext) -> None:
    with ctx.uow() as uow:  # the demo stores the engine's suggestions: make them stale first
        for resident in uow.session.exec(select(Resident)):
            resident.suggested_colour = resident.colour
            uow.session.add(resident)
        uow.commit()
    result = refresh_suggestions(ctx.uow(), today=TODAY)
    people = residents(ctx)
    assert result.residents == len(people)
    assert result.changed > 0 and result.differing == sum(r.suggested_colour != r.colour for r in people)
    for resident in people[:60]:
        suggestion = suggest_colour(reference_facts(ctx, resident), DEFAULT_RULES, TODAY)
        assert suggestion is not None and resident.suggested_colour == suggestion.colour.value
    assert refresh_suggestions(ctx.uow(), today=TODAY).changed == 0


def test_an_urgent_blood_pressure_makes_a_red_suggestion_and_a_correction_undoes_it(ctx: AppContext) -> None:
    green = next(r for r in residents(ctx) if r.colour == "green" and r.suggested_colour == "green")
    reading = Visit(resident_id=green.id, visit_date=TODAY, outcome="seen", sbp=186, dbp=112)
    add(ctx, reading)
    refresh_suggestions(ctx.uow(), today=TODAY, resident_ids=[green.id])
    [row] = [row for row in triage_review(ctx.uow(), today=TODAY) if row.resident_id == green.id]
    assert row.suggested is RED and row.colour is GREEN
    assert row.reasons[0].code == "bp_urgent" and row.reasons[0].param("sbp") == 186
    add(
        ctx,
        Visit(
            resident_id=green.id, visit_date=TODAY, outcome="seen", sbp=136, dbp=82, corrects_id=reading.id, version=2
        ),
    )
    refresh_suggestions(ctx.uow(), today=TODAY, resident_ids=[green.id])
    assert green.id not in {row.resident_id for row in triage_review(ctx.uow(), today=TODAY)}


def test_referrals_and_returns_from_hospital_are_read(ctx: AppContext) -> None:
    first, second = [r for r in residents(ctx) if r.colour == "green"][:2]
    add(
        ctx,
        Referral(resident_id=first.id, destination="示范区中心医院", opened_on=TODAY - timedelta(days=2)),
        StatusChange(resident_id=second.id, status="hospitalized", on_date=TODAY - timedelta(days=20)),
        StatusChange(resident_id=second.id, status="in_residence", on_date=TODAY - timedelta(days=10)),
    )
    rows = {row.resident_id: row for row in suggest_differences(ctx.uow(), today=TODAY)}
    assert "open_referral" in [r.code for r in rows[first.id].reasons]
    assert "back_from_hospital" in [r.code for r in rows[second.id].reasons]


def test_the_review_lists_only_differences_by_institution(ctx: AppContext) -> None:
    refresh_suggestions(ctx.uow(), today=TODAY)
    rows = triage_review(ctx.uow(), today=TODAY)
    assert rows and all(row.suggested is not row.colour for row in rows)
    assert len(rows) == sum(r.suggested_colour != r.colour for r in residents(ctx))
    institution = rows[0].resident.institution_id
    only = triage_review(ctx.uow(), today=TODAY, institution_id=institution)
    assert only and {row.resident.institution_id for row in only} == {institution}
    institutions = [row.institution for row in rows]
    assert institutions == sorted(institutions)


# --- decisions ----------------------------------------------------------------------------------------------------


def test_a_doctor_confirms_many_at_once_and_the_history_keeps_who_and_why(ctx: AppContext) -> None:
    rows = suggest_differences(ctx.uow(), today=TODAY)[:3]
    ids = [row.resident_id for row in rows]
    doctor = staff(ctx, "doctor1")
    changes = confirm_suggestions(
        acting(ctx, "doctor1"), resident_ids=ids, today=TODAY, expected={r.resident_id: r.suggested for r in rows}
    )
    assert changes.decided == tuple(ids) and changes.rejected == ()
    assert not {r.resident_id for r in triage_review(ctx.uow(), today=TODAY)} & set(ids)
    with ctx.uow() as uow:
        for row in rows:
            resident = uow.session.get(Resident, row.resident_id)
            assert resident is not None and resident.colour == row.suggested.value
            decision = uow.session.exec(
                select(TriageDecision)
                .where(TriageDecision.resident_id == row.resident_id)
                .order_by(TriageDecision.decided_at.desc())  # type: ignore[attr-defined]
            ).first()
            assert decision is not None and decision.confirmed_by == doctor and decision.override_reason == ""
            assert decision.colour == decision.suggested_colour == row.suggested.value
            assert [r["key"] for r in json.loads(decision.reasons)] == [r.key for r in row.reasons]
    history = resident_triage(ctx.uow(), resident_id=ids[0], today=TODAY)
    assert history.colour is rows[0].suggested
    assert history.suggestion is not None and history.suggestion.colour is rows[0].suggested
    newest = history.history[0]
    assert newest.decided_by == "周海燕" and newest.colour is rows[0].suggested and not newest.overridden
    assert newest.decided_at.tzinfo is not None and newest.decided_at > datetime.now(timezone.utc) - timedelta(hours=1)
    assert len(history.history) == 2  # the demo's first decision, then this one


@pytest.mark.parametrize("login", ["nurse1", "assistant1", None])
def test_nurses_assistants_and_nobody_cannot_confirm(ctx: AppContext, login: str | None) -> None:
    rows = suggest_differences(ctx.uow(), today=TODAY)[:2]
    ids = [row.resident_id for row in rows]
    with pytest.raises(PermissionDenied):
        confirm_suggestions(acting(ctx, login), resident_ids=ids, today=TODAY)
    with pytest.raises(PermissionDenied):
        override_colour(acting(ctx, login), resident_ids=ids, colour=GREEN, reason="家属要求", today=TODAY)
    assert [row.resident_id for row in triage_review(ctx.uow(), today=TODAY)[:2]] == ids
    with ctx.uow() as uow:
        assert uow.fast_rows("SELECT COUNT(*) FROM triagedecision WHERE confirmed_by IS NULL")[0][0] == 0


def test_a_changed_suggestion_is_rejected_not_confirmed_blindly(ctx: AppContext) -> None:
    row = suggest_differences(ctx.uow(), today=TODAY)[0]
    stale = GREEN if row.suggested is not GREEN else YELLOW
    changes = confirm_suggestions(
        acting(ctx, "doctor1"),
        resident_ids=[row.resident_id, "no-such-id"],
        today=TODAY,
        expected={row.resident_id: stale},
    )
    assert changes.decided == ()
    assert [r.resident_id for r in changes.rejected] == [row.resident_id, "no-such-id"]
    assert row.suggested.badge in changes.rejected[0].message


def test_an_override_needs_a_reason_and_keeps_the_resident_off_the_review(ctx: AppContext) -> None:
    row = suggest_differences(ctx.uow(), today=TODAY)[0]
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            override_colour(
                acting(ctx, "doctor2"), resident_ids=[row.resident_id], colour=row.colour, reason=reason, today=TODAY
            )
        assert caught.value.field == "override_reason"
    with pytest.raises(ValidationError):
        override_colour(
            acting(ctx, "doctor2"), resident_ids=[row.resident_id], colour=row.colour, reason="长" * 201, today=TODAY
        )
    changes = override_colour(
        acting(ctx, "doctor2"),
        resident_ids=[row.resident_id],
        colour=row.colour,
        reason="家属陪护，情况稳定",
        today=TODAY,
    )
    assert changes.decided == (row.resident_id,)
    assert row.resident_id not in {r.resident_id for r in triage_review(ctx.uow(), today=TODAY)}
    entry = resident_triage(ctx.uow(), resident_id=row.resident_id, today=TODAY).history[0]
    assert entry.overridden and entry.override_reason == "家属陪护，情况稳定"
    assert entry.colour is row.colour and entry.suggested is row.suggested and entry.decided_by == "李文斌"


def test_an_overridden_resident_comes_back_when_the_suggestion_changes(ctx: AppContext) -> None:
    green = next(r for r in residents(ctx) if r.colour == "green" and r.suggested_colour == "green")
    add(
        ctx,
        Visit(resident_id=green.id, visit_date=TODAY, outcome="seen", sbp=150, dbp=80, chronic_class="not_controlled"),
    )
    suggest_differences(ctx.uow(), today=TODAY)
    override_colour(acting(ctx, "doctor1"), resident_ids=[green.id], colour=GREEN, reason="一过性升高", today=TODAY)
    assert green.id not in {r.resident_id for r in suggest_differences(ctx.uow(), today=TODAY)}
    add(ctx, Visit(resident_id=green.id, visit_date=TODAY + timedelta(days=1), outcome="seen", sbp=188, dbp=100))
    rows = {r.resident_id: r for r in suggest_differences(ctx.uow(), today=TODAY + timedelta(days=1))}
    assert rows[green.id].suggested is RED


def test_residents_not_in_residence_are_not_triaged(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        away = uow.session.exec(select(Resident).where(Resident.status == "hospitalized")).first()
    assert away is not None
    changes = confirm_suggestions(acting(ctx, "doctor1"), resident_ids=[away.id], today=TODAY)
    assert changes.decided == () and changes.rejected[0].resident_id == away.id
    assert resident_triage(ctx.uow(), resident_id=away.id, today=TODAY).suggestion is None


def test_last_vitals_leave_out_a_corrected_visit_even_when_the_correction_is_dated_earlier(ctx: AppContext) -> None:
    resident = residents(ctx)[3]
    wrong = Visit(
        resident_id=resident.id,
        visit_date=TODAY + timedelta(days=1),
        outcome="seen",
        sbp=190,
        dbp=120,
        glucose=15.0,
        chronic_class="not_controlled",
    )
    add(ctx, wrong)
    fixed = Visit(
        resident_id=resident.id,
        visit_date=TODAY,
        outcome="seen",
        sbp=130,
        dbp=80,
        chronic_class="controlled",
        corrects_id=wrong.id,
        version=2,
    )
    add(ctx, fixed)
    where, params = Scope().resident_filter()
    explain = "EXPLAIN QUERY PLAN " + LATEST_VITALS.format(where=where)
    with ctx.uow() as uow:
        loaded = load_facts(uow, scope=Scope(resident_ids=(resident.id,)), today=TODAY, rules=DEFAULT_RULES)
        # SQLite's plan (PostgreSQL's statement is LATEST_VITALS_SERVER, planned by the server)
        on_sqlite = not ctx.database.is_server
        plan = " ".join(str(row[-1]) for row in uow.fast_rows(explain, {**params, "classes": 2})) if on_sqlite else ""
    [(_, facts)] = loaded.values()
    assert facts.last_bp == (TODAY, 130, 80)
    assert facts.last_glucose is None or facts.last_glucose[0] < TODAY
    assert facts.chronic_classes[0] == "controlled"
    assert facts == reference_facts(ctx, resident)
    assert not on_sqlite or ("ix_visit_corrects" in plan and "SCAN v" not in plan and "SCAN visit" not in plan)


def test_residents_imported_from_a_roster_wait_for_a_doctors_colour_review(ctx: AppContext, tmp_path: Path) -> None:
    """Issue 14 §10: imported residents started green and never reached the review; they wait for a doctor."""
    from app.domain.idcard import make_id_number
    from app.services.records.roster import import_roster, read_roster
    from app.store.models import Institution

    with ctx.uow() as uow:
        home = uow.session.exec(select(Institution)).first()
        assert home is not None
        home_id = home.id
    numbers = [make_id_number("310104", date(1950, 3, 2), 41 + n, "F") for n in range(2)]
    roster = tmp_path / "名单.csv"
    rows = f"姓名,身份证号,床位\n周桂兰,{numbers[0]},Z-901-1\n吴秀珍,{numbers[1]},Z-901-2\n"
    roster.write_text(rows, encoding="utf-8")
    imported = import_roster(acting(ctx, "assistant1"), roster=read_roster(roster), institution_id=home_id, today=TODAY)
    refresh_suggestions(ctx.uow(), today=TODAY)
    before = {row.resident_id for row in triage_review(ctx.uow(), today=TODAY)}
    waiting = [row for row in triage_review(ctx.uow(), today=TODAY) if row.resident_id in imported.resident_ids]
    assert {row.resident_id for row in waiting} == set(imported.resident_ids)
    assert all(row.unconfirmed and row.suggested is GREEN and row.colour is GREEN for row in waiting)
    # Confirmed by a doctor: off the review, the demo's own residents unchanged.
    changes = confirm_suggestions(acting(ctx, "doctor1"), resident_ids=list(imported.resident_ids), today=TODAY)
    assert changes.decided == imported.resident_ids
    after = {row.resident_id for row in triage_review(ctx.uow(), today=TODAY)}
    assert after == before - set(imported.resident_ids)
    assert not any(row.unconfirmed for row in triage_review(ctx.uow(), today=TODAY))
