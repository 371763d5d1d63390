"""Institutions and agreements: overview with coverage and flags, adding and editing, permissions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.bootstrap import AppContext
from app.domain.agreements import AgreementState
from app.domain.errors import ValidationError
from app.services.authz import PermissionDenied
from app.services.institutions import (
    agreement_alerts,
    find_institution,
    institution_details,
    institution_overview,
    list_institutions,
    list_teams,
    remove_agreement,
    save_agreement,
    save_institution,
)
from app.services.records.load import save_signing
from app.services.records.residents import create_resident
from app.store.models import Staff, Team

TODAY = date(2026, 11, 16)


def test_overview_of_the_demo_matches_its_agreements_and_residents(demo_context: AppContext) -> None:
    overview = institution_overview(demo_context.uow(), today=TODAY)
    assert len(overview) == 12
    states = [row.agreement_state for row in overview]
    assert states.count(AgreementState.EXPIRED) == 1 and states.count(AgreementState.EXPIRING) == 2
    for row in overview:
        assert 0 <= row.signed <= row.in_residence
        assert row.coverage is None or row.coverage == pytest.approx(row.signed / row.in_residence)
        assert row.round_weekdays and row.team_name
    alerts = agreement_alerts(demo_context.uow(), today=TODAY)
    assert len(alerts.expired) == 1 and len(alerts.expiring) == 2


@pytest.fixture
def admin_world(context: AppContext) -> dict[str, str]:
    with context.uow() as uow:
        team = Team(name="第一家庭医生团队")
        uow.session.add(team)
        uow.session.flush()
        doctor = Staff(name="周海燕", role="doctor", login="doctor1", password_hash="x", team_id=team.id)
        assistant = Staff(name="王丽", role="assistant", login="assistant1", password_hash="x", team_id=team.id)
        uow.session.add_all([doctor, assistant])
        uow.commit()
        return {"team": team.id, "doctor": doctor.id, "assistant": assistant.id}


def test_add_and_edit_an_institution_and_its_agreements(context: AppContext, admin_world: dict[str, str]) -> None:
    context.actor_id = admin_world["doctor"]
    home = save_institution(
        context.uow(),
        name="康宁养老院",
        kind="nursing_home",
        address="示范区漕溪北路 1 号",
        beds=220,
        medical_unit="医务室",
        contact_person="王院长",
        contact_phone="021-64001234",
        green_channel_hospital="示范区中心医院",
        green_channel_phone="021 5400 1234",
    )
    with pytest.raises(ValidationError) as refused:
        save_institution(context.uow(), name="康宁养老院", kind="day_care")
    assert refused.value.reason_key == "institution.name_taken"
    save_institution(
        context.uow(),
        institution_id=home,
        name="康宁养老院",
        kind="nursing_home",
        beds=240,
        green_channel_phone="021-54001234",
    )

    old = save_agreement(
        context.uow(),
        institution_id=home,
        start_date=date(2023, 1, 1),
        end_date=date(2025, 12, 31),
        round_weekdays="2",
        team_id=admin_world["team"],
    )
    renewal = save_agreement(
        context.uow(),
        institution_id=home,
        start_date=date(2026, 1, 1),
        end_date=TODAY + timedelta(days=30),
        round_weekdays=(1, 4),
        min_rounds_per_week=2,
        services="巡诊、慢病随访",
        team_id=admin_world["team"],
    )
    details = institution_details(context.uow(), institution_id=home, today=TODAY)
    assert (details.beds, details.green_channel_phone, details.updated_by_name) == (240, "021-54001234", "周海燕")
    assert [(a.id, a.state) for a in details.agreements] == [
        (renewal, AgreementState.EXPIRING),
        (old, AgreementState.EXPIRED),
    ]
    row = institution_overview(context.uow(), today=TODAY)[0]
    assert (row.agreement_state, row.round_weekdays, row.team_name) == (
        AgreementState.EXPIRING,
        (1, 4),
        "第一家庭医生团队",
    )
    assert agreement_alerts(context.uow(), today=TODAY).expired == [], "the renewed agreement speaks, not the old one"

    save_agreement(
        context.uow(),
        agreement_id=renewal,
        institution_id=home,
        start_date=date(2026, 1, 1),
        end_date=date(2028, 12, 31),
        round_weekdays="1,4",
        min_rounds_per_week=2,
    )
    assert institution_overview(context.uow(), today=TODAY)[0].agreement_state is AgreementState.ACTIVE
    remove_agreement(context.uow(), agreement_id=old)
    assert len(institution_details(context.uow(), institution_id=home, today=TODAY).agreements) == 1
    with pytest.raises(ValidationError):
        save_agreement(
            context.uow(),
            institution_id=home,
            start_date=TODAY,
            end_date=None,
            round_weekdays="3",
            min_rounds_per_week=2,
        )
    assert [t.name for t in list_teams(context.uow())] == ["第一家庭医生团队"]


def test_only_administrators_and_doctors_change_institutions(context: AppContext, admin_world: dict[str, str]) -> None:
    context.actor_id = admin_world["assistant"]
    with pytest.raises(PermissionDenied):
        save_institution(context.uow(), name="康宁养老院", kind="nursing_home")
    assert list_institutions(context.uow()) == []


def test_coverage_counts_signed_residents_in_residence(context: AppContext, admin_world: dict[str, str]) -> None:
    home = save_institution(context.uow(), name="康宁养老院", kind="nursing_home")
    first = create_resident(
        context.uow(), name="张红丽", id_number="11010519491231002X", institution_id=home, today=TODAY
    ).resident_id
    create_resident(context.uow(), name="李秀英", id_number="110105194912310046", institution_id=home, today=TODAY)
    save_signing(
        context.uow(),
        resident_id=first,
        signed_on=date(2026, 1, 1),
        doctor_id=admin_world["doctor"],
        service_package="基础包",
        today=TODAY,
    )
    row = institution_overview(context.uow(), today=TODAY)[0]
    assert (row.in_residence, row.signed, row.coverage) == (2, 1, 0.5)
    assert row.agreement_state is AgreementState.NONE


def test_institutions_are_found_by_full_name_or_a_unique_part(demo_context: AppContext) -> None:
    assert find_institution(demo_context.uow(), name="康宁养老院").name == "康宁养老院"
    assert find_institution(demo_context.uow(), name="漕溪").name == "漕溪长者照护之家"
    with pytest.raises(ValidationError) as refused:
        find_institution(demo_context.uow(), name="养老")
    assert refused.value.reason_key == "institution.ambiguous"
    with pytest.raises(ValidationError) as refused:
        find_institution(demo_context.uow(), name="不存在")
    assert refused.value.reason_key == "institution.not_found"
