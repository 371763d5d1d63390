"""Signed institutions — 签约机构 — and their service agreements — 签约协议.

Lists for filters, the institutions page overview (signing coverage, the agreement that speaks for
each institution and whether it is expiring or expired), and adding or editing institutions and
agreements. Only an administrator or a family doctor may change them (``Action.EDIT_INSTITUTIONS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from app.domain.agreements import (
    AgreementState,
    agreement_state,
    current_agreement,
    parse_weekdays,
    signing_coverage,
    validate_agreement,
)
from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.institutions import validate_institution
from app.domain.permissions import Action
from app.services.records.load import NotFound, apply_changes, get_live, permit
from app.store.models import Agreement, Institution, Team
from app.store.queries import accounts as account_queries
from app.store.queries import institutions as queries
from app.store.uow import UnitOfWork

register(
    {
        "institution.not_found": {
            "zh_CN": "找不到机构“{name}”。现有机构：{known}",
            "en": "no institution called “{name}”. Institutions: {known}",
        },
        "institution.ambiguous": {
            "zh_CN": "“{name}”可指多个机构：{matches}；请写出完整名称",
            "en": "“{name}” matches several institutions: {matches}; give the full name",
        },
        "team.unknown": {"zh_CN": "找不到该家庭医生团队", "en": "no such family-doctor team"},
    }
)


class InstitutionChoice(NamedTuple):
    id: str
    name: str
    kind: str


class TeamChoice(NamedTuple):
    id: str
    name: str


@dataclass(frozen=True)
class InstitutionOverview:
    """One line of the institutions page: figures and the agreement that speaks for the institution."""

    id: str
    name: str
    kind: str
    beds: int
    medical_unit: str
    in_residence: int
    signed: int
    coverage: float | None
    agreement_start: date | None
    agreement_end: date | None
    agreement_state: AgreementState
    round_weekdays: tuple[int, ...]
    team_name: str


@dataclass(frozen=True)
class AgreementItem:
    id: str
    start_date: date
    end_date: date | None
    services: str
    round_weekdays: tuple[int, ...]
    min_rounds_per_week: int
    team_id: str | None
    team_name: str
    state: AgreementState
    updated_by_name: str


@dataclass(frozen=True)
class InstitutionDetails:
    """An institution with all its agreements, newest first."""

    id: str
    name: str
    kind: str
    address: str
    beds: int
    medical_unit: str
    contact_person: str
    contact_phone: str
    green_channel_hospital: str
    green_channel_phone: str
    updated_by_name: str
    agreements: list[AgreementItem] = field(default_factory=list)


@dataclass(frozen=True)
class AgreementAlerts:
    """Institutions whose current agreement is expiring (within 60 days) or expired, by name."""

    expiring: list[str]
    expired: list[str]


def list_institutions(uow: UnitOfWork) -> list[InstitutionChoice]:
    """Return every institution (not deleted), by name."""
    with uow.reading() as uow:
        return [InstitutionChoice(*row) for row in queries.institutions(uow)]


def list_teams(uow: UnitOfWork) -> list[TeamChoice]:
    """Return the family-doctor teams, by name."""
    with uow.reading() as uow:
        return [TeamChoice(*row) for row in account_queries.teams(uow)]


def find_institution(uow: UnitOfWork, *, name: str) -> InstitutionChoice:
    """Return the institution called ``name``, or the only one whose name contains it.

    Raises:
        ValidationError: on field ``institution`` when none or several match; the message lists them.
    """
    choices = list_institutions(uow)
    wanted = " ".join(name.split())
    exact = [c for c in choices if c.name == wanted]
    if exact:
        return exact[0]
    partial = [c for c in choices if wanted and wanted.lower() in c.name.lower()]
    if len(partial) == 1:
        return partial[0]
    separator = t("list.separator")
    if partial:
        raise ValidationError(
            "institution", name, "institution.ambiguous", name=name, matches=separator.join(c.name for c in partial)
        )
    raise ValidationError(
        "institution", name, "institution.not_found", name=name, known=separator.join(c.name for c in choices) or "–"
    )


def _agreement_item(row: tuple[object, ...], today: date) -> AgreementItem:
    start = date.fromisoformat(str(row[2]))
    end = date.fromisoformat(str(row[3])) if row[3] else None
    try:
        weekdays = parse_weekdays(str(row[5]))
    except ValidationError:
        weekdays = ()
    return AgreementItem(
        id=str(row[0]),
        start_date=start,
        end_date=end,
        services=str(row[4]),
        round_weekdays=weekdays,
        min_rounds_per_week=int(str(row[6])),
        team_id=str(row[7]) if row[7] else None,
        team_name=str(row[8]),
        state=agreement_state(start, end, today),
        updated_by_name=str(row[9]),
    )


def institution_overview(uow: UnitOfWork, *, today: date) -> list[InstitutionOverview]:
    """Return every institution with its residents in residence, signed residents, coverage and agreement."""
    with uow.reading() as uow:
        institutions = queries.overview_rows(uow)
        counts = queries.residents_in_residence(uow)
        agreements: dict[str, list[AgreementItem]] = {}
        for row in queries.agreements(uow):
            agreements.setdefault(str(row[1]), []).append(_agreement_item(row, today))
    result = []
    for institution_id, name, kind, beds, unit in institutions:
        in_residence, signed = counts.get(institution_id, (0, 0))
        items = agreements.get(institution_id, [])
        index = current_agreement([(a.start_date, a.end_date) for a in items], today)
        current = items[index] if index is not None else None
        result.append(
            InstitutionOverview(
                id=institution_id,
                name=name,
                kind=kind,
                beds=beds,
                medical_unit=unit,
                in_residence=in_residence,
                signed=signed,
                coverage=signing_coverage(signed, in_residence),
                agreement_start=current.start_date if current else None,
                agreement_end=current.end_date if current else None,
                agreement_state=current.state if current else AgreementState.NONE,
                round_weekdays=current.round_weekdays if current else (),
                team_name=current.team_name if current else "",
            )
        )
    return result


def agreement_alerts(uow: UnitOfWork, *, today: date) -> AgreementAlerts:
    """Return the institutions whose current agreement expires within 60 days or has expired.

    Unlike a count of agreement rows, an old agreement followed by a renewal is not flagged.
    """
    overview = institution_overview(uow, today=today)
    return AgreementAlerts(
        expiring=[i.name for i in overview if i.agreement_state is AgreementState.EXPIRING],
        expired=[i.name for i in overview if i.agreement_state is AgreementState.EXPIRED],
    )


def institution_details(uow: UnitOfWork, *, institution_id: str, today: date) -> InstitutionDetails:
    """Return an institution's fields and all its agreements.

    Raises:
        NotFound: no such institution.
    """
    with uow.reading() as uow:
        r = queries.details(uow, institution_id)
        if r is None:
            raise NotFound("record.not_found")
        agreements = [_agreement_item(row, today) for row in queries.agreements(uow, institution_id)]
    return InstitutionDetails(
        id=r[0],
        name=r[1],
        kind=r[2],
        address=r[3],
        beds=r[4],
        medical_unit=r[5],
        contact_person=r[6],
        contact_phone=r[7],
        green_channel_hospital=r[8],
        green_channel_phone=r[9],
        updated_by_name=r[10],
        agreements=agreements,
    )


def save_institution(
    uow: UnitOfWork,
    *,
    institution_id: str | None = None,
    name: str,
    kind: str,
    address: str = "",
    beds: int = 0,
    medical_unit: str = "",
    contact_person: str = "",
    contact_phone: str = "",
    green_channel_hospital: str = "",
    green_channel_phone: str = "",
) -> str:
    """Add an institution (``institution_id`` None) or change one; return its id.

    Raises:
        ValidationError: a field is not acceptable or the name is taken.
        PermissionDenied: the signed-in staff member may not edit institutions.
        NotFound: no such institution.
    """
    fields = validate_institution(
        name=name,
        kind=kind,
        address=address,
        beds=beds,
        medical_unit=medical_unit,
        contact_person=contact_person,
        contact_phone=contact_phone,
        green_channel_hospital=green_channel_hospital,
        green_channel_phone=green_channel_phone,
    )
    with uow:
        permit(uow, Action.EDIT_INSTITUTIONS)
        same_name = queries.live_by_name(uow, fields.name)
        if same_name is not None and same_name.id != institution_id:
            raise ValidationError("institution_name", fields.name, "institution.name_taken", name=fields.name)
        row = (
            get_live(uow, Institution, institution_id)
            if institution_id
            else Institution(name=fields.name, kind=fields.kind.value)
        )
        apply_changes(
            uow,
            row,
            {
                "name": fields.name,
                "kind": fields.kind.value,
                "address": fields.address,
                "beds": fields.beds,
                "medical_unit": fields.medical_unit,
                "contact_person": fields.contact_person,
                "contact_phone": fields.contact_phone,
                "green_channel_hospital": fields.green_channel_hospital,
                "green_channel_phone": fields.green_channel_phone,
            },
        )
        row.updated_by = uow.actor_id
        uow.commit()
        return row.id


def save_agreement(
    uow: UnitOfWork,
    *,
    agreement_id: str | None = None,
    institution_id: str,
    start_date: date,
    end_date: date | None,
    round_weekdays: str | tuple[int, ...],
    min_rounds_per_week: int = 1,
    services: str = "",
    team_id: str | None = None,
) -> str:
    """Add an agreement to an institution (``agreement_id`` None) or change one; return its id.

    Raises:
        ValidationError: dates, weekdays or frequency not acceptable, an unknown team.
        PermissionDenied: the signed-in staff member may not edit institutions.
        NotFound: no such institution or agreement.
    """
    fields = validate_agreement(
        start_date=start_date,
        end_date=end_date,
        round_weekdays=round_weekdays,
        min_rounds_per_week=min_rounds_per_week,
        services=services,
    )
    with uow:
        permit(uow, Action.EDIT_INSTITUTIONS)
        get_live(uow, Institution, institution_id)
        if team_id is not None:
            team = uow.session.get(Team, team_id)
            if team is None or team.deleted:
                raise ValidationError("agreement_team", team_id, "team.unknown")
        row = (
            get_live(uow, Agreement, agreement_id)
            if agreement_id
            else Agreement(institution_id=institution_id, start_date=fields.start_date)
        )
        apply_changes(
            uow,
            row,
            {
                "institution_id": institution_id,
                "team_id": team_id,
                "start_date": fields.start_date,
                "end_date": fields.end_date,
                "services": fields.services,
                "round_weekdays": fields.round_weekdays_text,
                "min_rounds_per_week": fields.min_rounds_per_week,
            },
        )
        row.updated_by = uow.actor_id
        uow.commit()
        return row.id


def remove_agreement(uow: UnitOfWork, *, agreement_id: str) -> None:
    """Remove an agreement entered in error (a tombstone, so the removal syncs).

    Raises:
        PermissionDenied: the signed-in staff member may not edit institutions.
        NotFound: no such agreement.
    """
    with uow:
        permit(uow, Action.EDIT_INSTITUTIONS)
        row = get_live(uow, Agreement, agreement_id)
        apply_changes(uow, row, {"deleted": True})
        uow.commit()
