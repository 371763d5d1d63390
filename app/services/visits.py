"""Visits — 巡诊记录: record an outcome, correct it, read a resident's visit history and a round's sheet.

- :func:`record_visit` checks a visit (:func:`app.domain.visits.check_visit`), refuses a second visit for
  the same resident and round (:class:`DuplicateVisit`: correct the first instead), writes it — with its
  referral, and the residence status when asked for hospitalized / deceased — in one transaction, then
  works out the resident's triage suggestion again, so a change shows in the doctor's review.
- :func:`correct_visit` never changes a saved visit: it adds a new version (``version + 1``) whose
  ``corrects_id`` points at the one it corrects (DESIGN §6).
- :func:`visit_history` returns the latest version of each visit with its earlier versions.
- :func:`round_sheet` returns a round's residents in round-sheet order (the residents due, from
  :func:`app.services.rounds.round_due`, plus anyone already visited at the round) with what was recorded.

Permissions: recording needs :attr:`~app.domain.permissions.Action.RECORD_VISITS` when somebody is signed in;
a unit of work without an actor (the command line, run by whoever holds the database file) is not asked.
Marking a resident hospitalized or deceased from a visit needs only that permission too: it is what the
nurse saw, and it is asked for explicitly (``update_status=True``, after a confirmation in the screen).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any

from sqlmodel import select

from app.domain.colours import TriageColour
from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.residents import ResidentStatus
from app.domain.visits import (
    CheckedVisit,
    ReferralEntry,
    VisitEntry,
    VisitOutcome,
    changed_fields,
    check_visit,
)
from app.domain.vitals import VitalsAssessment, validate_vitals
from app.services.records import NotFound, get_live, permit
from app.services.residents import apply_status
from app.services.rounds import generate_rounds, round_due
from app.services.triage import bed_sort_key, current_rules, refresh_suggestions
from app.store.models import Referral, Resident, Round, Visit
from app.store.uow import UnitOfWork

log = logging.getLogger(__name__)

register(
    {
        "visit.duplicate": {
            "zh_CN": "{name} 在这次巡诊已有记录（{date}，第 {version} 版）；如需修改，请更正该记录",
            "en": "{name} already has a visit at this round ({date}, version {version}); correct that one instead",
        },
        "visit.duplicate_day": {
            "zh_CN": "{name} 在 {date} 已有一条巡诊外记录（第 {version} 版）；如需修改，请更正该记录",
            "en": "{name} already has a visit outside a round on {date} (version {version}); correct that one instead",
        },
        "visit.not_found": {"zh_CN": "找不到这条巡诊记录", "en": "no such visit"},
        "visit.already_corrected": {
            "zh_CN": "这条记录已被更正为第 {version} 版；请更正最新版本",
            "en": "this visit was already corrected (version {version}); correct the latest version",
        },
        "visit.round_cancelled": {
            "zh_CN": "该巡诊已取消，不能记录",
            "en": "this round was cancelled; no visit can be recorded at it",
        },
        "visit.round_other_institution": {
            "zh_CN": "该居民不属于这次巡诊的机构（{institution}）",
            "en": "the resident does not live at this round's institution ({institution})",
        },
        "visit.status_note": {"zh_CN": "巡诊记录：{outcome}", "en": "From a visit: {outcome}"},
    }
)


class DuplicateVisit(DomainError):
    """The resident already has a visit at this round (or, outside rounds, on this day): correct it instead.

    Attributes:
        visit_id: the latest version of the visit already recorded.
        version: its version number.
    """

    def __init__(self, key: str, /, *, visit_id: str, version: int, **params: object) -> None:
        self.visit_id = visit_id
        self.version = version
        super().__init__(key, version=version, **params)


class VisitNotCorrectable(DomainError):
    """The visit was already corrected by a later version (correct that one)."""


# --- read models ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralInfo:
    """A referral opened at a visit, as stored."""

    id: str
    destination: str
    reason: str
    urgent: bool
    green_channel: bool
    opened_on: date
    closed_on: date | None

    def entry(self) -> ReferralEntry:
        return ReferralEntry(self.destination, self.reason, self.urgent, self.green_channel)


@dataclass(frozen=True)
class VisitRecord:
    """One version of a visit as stored.

    Attributes:
        entry: the recorded values (outcome, vitals, texts, referral, classification).
        created_at: when this version was saved (UTC).
        recorded_by_name: who saved it ("" when entered from the command line).
        referral: the visit's referral (the same for every version of a visit), or None.
    """

    id: str
    resident_id: str
    round_id: str | None
    round_date: date | None
    visit_date: date
    entry: VisitEntry
    late_reason: str
    version: int
    corrects_id: str | None
    recorded_by: str | None
    recorded_by_name: str
    created_at: datetime
    referral: ReferralInfo | None = None

    @property
    def outcome(self) -> VisitOutcome:
        try:
            return VisitOutcome(self.entry.outcome)
        except ValueError:
            return VisitOutcome.SEEN

    @property
    def late(self) -> bool:
        """Entered after the day of the visit (补录): a reason was given, or it was saved on a later day."""
        return bool(self.late_reason) or self.visit_date < self.created_at.astimezone().date()

    def assessment(self, previous_weight: float | None = None) -> VitalsAssessment:
        """Return the flags of the visit's vital signs (none if a synced value is out of range)."""
        values = {name: value for name, value in self.entry.vitals().items() if value is not None}
        try:
            return validate_vitals(
                **values, glucose_fasting=self.entry.glucose_fasting, previous_weight=previous_weight or None
            )
        except (ValidationError, ValueError):
            return VitalsAssessment(())


@dataclass(frozen=True)
class VisitChain:
    """A visit: its latest version and the versions it corrects, newest first.

    Attributes:
        latest: the version in force.
        earlier: the versions it replaced, newest first.
        changes: for the latest and each earlier version that corrects another, the fields it changed,
            by version id.
        forked: two versions correct the same one (corrected on two devices before syncing).
        previous_weight: the weight of the visit before this one, for the weight-change flag.
    """

    latest: VisitRecord
    earlier: tuple[VisitRecord, ...] = ()
    changes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    forked: bool = False
    previous_weight: float | None = None

    @property
    def corrected(self) -> bool:
        return bool(self.earlier)

    def assessment(self) -> VitalsAssessment:
        return self.latest.assessment(self.previous_weight)


@dataclass(frozen=True)
class ChartPoint:
    """BP and glucose of one visit (latest versions with outcome seen), for the chart."""

    day: date
    sbp: int | None
    dbp: int | None
    glucose: float | None
    glucose_fasting: bool


@dataclass(frozen=True)
class VisitHistory:
    """A resident's visits, newest first, and the BP / glucose series oldest first."""

    resident_id: str
    name: str
    chains: tuple[VisitChain, ...]
    points: tuple[ChartPoint, ...]

    def chain_of(self, visit_id: str) -> VisitChain | None:
        """Return the chain containing the version ``visit_id``."""
        for chain in self.chains:
            if chain.latest.id == visit_id or any(v.id == visit_id for v in chain.earlier):
                return chain
        return None


@dataclass(frozen=True)
class VisitSaved:
    """What :func:`record_visit` or :func:`correct_visit` did.

    Attributes:
        visit_id: the new row (the visit, or the correction's new version).
        version: its version number (1 for a new visit).
        corrects_id: the version it corrects, or None.
        checked: the checked values with the vital-sign flags.
        status_changed: the residence status set from the outcome, or None.
        colour: the resident's confirmed colour.
        suggested_before, suggested_after: the triage suggestion before the save and after it was worked
            out again (None when it could not be worked out, e.g. the resident is not in residence).
    """

    visit_id: str
    resident_id: str
    resident_name: str
    version: int
    corrects_id: str | None
    checked: CheckedVisit
    status_changed: ResidentStatus | None = None
    colour: TriageColour = TriageColour.GREEN
    suggested_before: TriageColour | None = None
    suggested_after: TriageColour | None = None
    changed: tuple[str, ...] = ()

    @property
    def urgent(self) -> bool:
        return self.checked.urgent

    @property
    def suggestion_changed(self) -> bool:
        return self.suggested_after is not None and self.suggested_after != self.suggested_before

    @property
    def needs_review(self) -> bool:
        """Whether the doctor's triage review now lists the resident (suggestion differs from the colour)."""
        return self.suggested_after is not None and self.suggested_after != self.colour


@dataclass(frozen=True)
class ResidentForVisit:
    """What the visit form shows about the resident beside the fields.

    Attributes:
        hypertension, diabetes: conditions with a chronic follow-up classification.
        chronic_follow_up: a classification applies (one of the rules' chronic follow-up conditions).
        previous_weight: the last weight recorded before the visit's day, for the 5 % change flag.
        last_visit: the latest visit before this one (latest version), or None.
        existing: the visit already recorded for this resident at this round (latest version), or None.
        green_channel_hospital: the institution's green-channel hospital, a referral's usual destination.
    """

    resident_id: str
    name: str
    sex: str
    birth_date: date
    institution_id: str
    institution: str
    building: str
    room: str
    bed: str
    status: ResidentStatus
    colour: TriageColour
    hypertension: bool
    diabetes: bool
    chronic_follow_up: bool
    previous_weight: float | None
    last_visit: VisitRecord | None
    existing: VisitRecord | None
    green_channel_hospital: str

    @property
    def bed_label(self) -> str:
        return "-".join(part for part in (self.building, self.room, self.bed) if part)


# --- writing ----------------------------------------------------------------------------------------------------


def record_visit(
    uow: UnitOfWork,
    *,
    resident_id: str,
    visit_date: date,
    entry: VisitEntry,
    round_id: str | None = None,
    late_reason: str = "",
    update_status: bool = False,
    today: date | None = None,
) -> VisitSaved:
    """Check and save a new visit in one transaction, then work out the triage suggestion again.

    Args:
        resident_id: whose visit.
        visit_date: the day of the visit; any past day is accepted (late entry), with ``late_reason``.
        entry: the outcome and what was measured, found and done.
        round_id: the round it belongs to, or None for a visit outside a round.
        late_reason: why a past visit is entered only now (e.g. typed from the paper round sheet).
        update_status: for outcome hospitalized or deceased, also set the residence status from
            ``visit_date`` (asked for explicitly, after the user confirmed it).
        today: the day it is entered (``date.today()`` by default).

    Raises:
        PermissionDenied: the signed-in role may not record visits.
        NotFound: no such resident (or round).
        ValidationError: a value is not acceptable (the message names the field, value and accepted range),
            the round was cancelled or is at another institution, or the status change is not possible.
        DuplicateVisit: the resident already has a visit at this round (outside rounds: on this day).
    """
    day = today or date.today()
    with uow:
        permit(uow, Action.RECORD_VISITS)
        resident = get_live(uow, Resident, resident_id)
        if round_id is not None:
            _check_round(uow, round_id, resident)
        checked = _check(uow, resident, entry, visit_date, late_reason, day, exclude=())
        duplicate = _existing(uow, resident_id, round_id, visit_date)
        if duplicate is not None:
            key = "visit.duplicate" if round_id is not None else "visit.duplicate_day"
            raise DuplicateVisit(
                key, visit_id=duplicate[0], version=duplicate[1], name=resident.name, date=duplicate[2]
            )
        visit = _new_visit(uow, resident_id, round_id, checked, version=1, corrects_id=None, today=day)
        uow.session.add(visit)
        uow.session.flush()
        if checked.entry.referral is not None:
            uow.session.add(_referral(resident_id, visit.id, checked))
        status = _apply_outcome_status(uow, resident, checked, update_status, day)
        before = _suggested(resident)
        colour = TriageColour(resident.colour)
        name = resident.name
        uow.commit()
        visit_id = visit.id
    after = _refresh_suggestion(uow, resident_id, day)
    return VisitSaved(
        visit_id, resident_id, name, 1, None, checked, status, colour, before, after,
    )


def correct_visit(
    uow: UnitOfWork,
    *,
    visit_id: str,
    entry: VisitEntry,
    visit_date: date | None = None,
    late_reason: str | None = None,
    update_status: bool = False,
    today: date | None = None,
) -> VisitSaved:
    """Correct a saved visit: add a new version pointing at it; the saved one is never changed.

    Args:
        visit_id: the version being corrected (it must be the latest).
        entry: the corrected values (all of them, not only the changed ones).
        visit_date: the corrected day (default: the day of the version corrected).
        late_reason: the corrected reason for a late entry (default: unchanged).
        update_status: as for :func:`record_visit`.
        today: the day the correction is entered.

    Raises:
        PermissionDenied: the signed-in role may not record visits.
        NotFound: no such visit or resident.
        VisitNotCorrectable: a later version already corrects this one.
        ValidationError: as for :func:`record_visit`.
    """
    day = today or date.today()
    with uow:
        permit(uow, Action.RECORD_VISITS)
        old = uow.session.get(Visit, visit_id)
        if old is None or old.deleted:
            raise NotFound("visit.not_found")
        successor = uow.fast_rows(
            "SELECT MAX(version) FROM visit WHERE corrects_id = :id AND deleted = 0", {"id": visit_id}
        )[0][0]
        if successor is not None:
            raise VisitNotCorrectable("visit.already_corrected", version=successor)
        resident = get_live(uow, Resident, old.resident_id)
        chain = _chain_ids(uow, old.resident_id, visit_id)
        new_date = visit_date or old.visit_date
        reason = old.late_reason if late_reason is None else late_reason
        checked = _check(uow, resident, entry, new_date, reason, day, exclude=chain)
        if not checked.late and old.late_reason and new_date < day:
            checked = _with_late_reason(checked, old.late_reason)
        visit = _new_visit(
            uow, old.resident_id, old.round_id, checked, version=old.version + 1, corrects_id=old.id, today=day,
            visited_at=old.visited_at,
        )
        changed = changed_fields(
            _entry_of(old, _chain_referral(uow, chain)), checked.entry,
            old_date=old.visit_date, new_date=checked.visit_date,
            old_late_reason=old.late_reason, new_late_reason=checked.late_reason,
        )
        uow.session.add(visit)
        uow.session.flush()
        _carry_referral(uow, old.resident_id, chain, visit.id, checked)
        status = _apply_outcome_status(uow, resident, checked, update_status, day)
        before = _suggested(resident)
        colour = TriageColour(resident.colour)
        name = resident.name
        resident_id = resident.id
        uow.commit()
        new_id = visit.id
        version = visit.version
    after = _refresh_suggestion(uow, resident_id, day)
    return VisitSaved(
        new_id, resident_id, name, version, visit_id, checked, status, colour, before, after, changed,
    )


def _with_late_reason(checked: CheckedVisit, reason: str) -> CheckedVisit:
    return CheckedVisit(
        checked.entry, checked.outcome, checked.chronic_class, checked.visit_date, checked.late, reason,
        checked.assessment,
    )


def _check(
    uow: UnitOfWork,
    resident: Resident,
    entry: VisitEntry,
    visit_date: date,
    late_reason: str,
    today: date,
    *,
    exclude: Sequence[str],
) -> CheckedVisit:
    codes = _condition_codes(uow, resident.id)
    rules = current_rules(uow).rules
    return check_visit(
        entry,
        visit_date=visit_date,
        today=today,
        birth_date=resident.birth_date,
        late_reason=late_reason,
        previous_weight=_previous_weight(uow, resident.id, visit_date, exclude),
        chronic_follow_up=bool(set(codes) & set(rules.visits.chronic_follow_up_conditions)),
    )


def _new_visit(
    uow: UnitOfWork,
    resident_id: str,
    round_id: str | None,
    checked: CheckedVisit,
    *,
    version: int,
    corrects_id: str | None,
    today: date,
    visited_at: datetime | None = None,
) -> Visit:
    values = checked.entry
    if visited_at is None and checked.visit_date == today:
        visited_at = datetime.now(timezone.utc)
    return Visit(
        resident_id=resident_id,
        round_id=round_id,
        visit_date=checked.visit_date,
        visited_at=visited_at,
        recorded_by=uow.actor_id,
        outcome=checked.outcome.value,
        sbp=_int(values.sbp),
        dbp=_int(values.dbp),
        pulse=_int(values.pulse),
        temperature=values.temperature,
        spo2=_int(values.spo2),
        glucose=values.glucose,
        glucose_fasting=values.glucose_fasting,
        weight=values.weight,
        findings=values.findings,
        actions=values.actions,
        medication_changes=values.medication_changes,
        chronic_class=values.chronic_class,
        next_visit_note=values.next_visit_note,
        late_reason=checked.late_reason,
        corrects_id=corrects_id,
        version=version,
    )


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _referral(resident_id: str, visit_id: str, checked: CheckedVisit) -> Referral:
    referral = checked.entry.referral
    assert referral is not None
    return Referral(
        resident_id=resident_id,
        visit_id=visit_id,
        destination=referral.destination,
        reason=referral.reason,
        urgent=referral.urgent,
        green_channel=referral.green_channel,
        opened_on=checked.visit_date,
    )


def _carry_referral(
    uow: UnitOfWork, resident_id: str, chain: Sequence[str], new_visit_id: str, checked: CheckedVisit
) -> None:
    """Keep one referral per visit across its versions: update it, remove it, or open it."""
    wanted = checked.entry.referral
    current = _chain_referral_row(uow, chain)
    if current is None:
        if wanted is not None:
            uow.session.add(_referral(resident_id, new_visit_id, checked))
        return
    if wanted is None:
        current.deleted = True  # the correction says there was no referral: a tombstone, synced like any edit
    else:
        current.destination = wanted.destination
        current.reason = wanted.reason
        current.urgent = wanted.urgent
        current.green_channel = wanted.green_channel
    uow.session.add(current)


def _chain_referral_row(uow: UnitOfWork, chain: Sequence[str]) -> Referral | None:
    if not chain:
        return None
    return uow.session.exec(
        select(Referral).where(Referral.visit_id.in_(list(chain)), Referral.deleted == False)  # type: ignore[union-attr]
        .order_by(Referral.created_at)  # type: ignore[arg-type]
    ).first()


def _chain_referral(uow: UnitOfWork, chain: Sequence[str]) -> ReferralEntry | None:
    row = _chain_referral_row(uow, chain)
    return None if row is None else ReferralEntry(row.destination, row.reason, row.urgent, row.green_channel)


def _entry_of(visit: Visit, referral: ReferralEntry | None) -> VisitEntry:
    return VisitEntry(
        outcome=visit.outcome, sbp=visit.sbp, dbp=visit.dbp, pulse=visit.pulse, temperature=visit.temperature,
        spo2=visit.spo2, glucose=visit.glucose, glucose_fasting=bool(visit.glucose_fasting), weight=visit.weight,
        findings=visit.findings, actions=visit.actions, medication_changes=visit.medication_changes,
        referral=referral, chronic_class=visit.chronic_class, next_visit_note=visit.next_visit_note,
    )


def _apply_outcome_status(
    uow: UnitOfWork, resident: Resident, checked: CheckedVisit, update_status: bool, today: date
) -> ResidentStatus | None:
    target = checked.outcome.status
    if not update_status or target is None or resident.status == target.value:
        return None
    apply_status(uow, resident, target, checked.visit_date, t("visit.status_note", outcome=checked.outcome.label),
                 today)
    return target


def _check_round(uow: UnitOfWork, round_id: str, resident: Resident) -> None:
    row = uow.session.get(Round, round_id)
    if row is None or row.deleted:
        raise NotFound("rounds.no_round")
    if row.status == "cancelled":
        raise ValidationError("round", row.round_date.isoformat(), "visit.round_cancelled")
    if row.institution_id != resident.institution_id:
        name = uow.fast_rows("SELECT name FROM institution WHERE id = :i", {"i": row.institution_id})
        raise ValidationError(
            "round", row.round_date.isoformat(), "visit.round_other_institution",
            institution=name[0][0] if name else "",
        )


def _suggested(resident: Resident) -> TriageColour | None:
    try:
        return TriageColour(resident.suggested_colour)
    except ValueError:
        return None


def _refresh_suggestion(uow: UnitOfWork, resident_id: str, today: date) -> TriageColour | None:
    """Work out the resident's triage suggestion again; the visit is saved whatever happens here."""
    try:
        refresh_suggestions(uow, today=today, resident_ids=[resident_id])
        with uow:
            rows = uow.fast_rows(
                "SELECT suggested_colour, status FROM resident WHERE id = :id", {"id": resident_id}
            )
    except Exception:  # the visit is committed; a failed refresh must not report the save as failed
        log.exception("cannot work out the triage suggestion of %s again", resident_id)
        return None
    if not rows or rows[0][1] != ResidentStatus.IN_RESIDENCE.value:
        return None
    return TriageColour(rows[0][0])


# --- reading ----------------------------------------------------------------------------------------------------

_VISIT_COLUMNS = (
    "v.id, v.resident_id, v.round_id, r.round_date, v.visit_date, v.outcome, v.sbp, v.dbp, v.pulse, "
    "v.temperature, v.spo2, v.glucose, v.glucose_fasting, v.weight, v.findings, v.actions, "
    "v.medication_changes, v.chronic_class, v.next_visit_note, v.late_reason, v.version, v.corrects_id, "
    "v.recorded_by, COALESCE(s.name, ''), v.created_at"
)
_VISIT_FROM = "FROM visit v LEFT JOIN round r ON r.id = v.round_id LEFT JOIN staff s ON s.id = v.recorded_by"


def _record(row: Sequence[Any], referral: ReferralInfo | None) -> VisitRecord:
    (visit_id, resident_id, round_id, round_date, visit_date, outcome, sbp, dbp, pulse, temperature, spo2, glucose,
     fasting, weight, findings, actions, medication_changes, chronic_class, next_note, late_reason, version,
     corrects_id, recorded_by, recorded_by_name, created_at) = row
    entry = VisitEntry(
        outcome=outcome, sbp=sbp, dbp=dbp, pulse=pulse, temperature=temperature, spo2=spo2, glucose=glucose,
        glucose_fasting=bool(fasting), weight=weight, findings=findings or "", actions=actions or "",
        medication_changes=medication_changes or "", referral=referral.entry() if referral else None,
        chronic_class=chronic_class or "", next_visit_note=next_note or "",
    )
    return VisitRecord(
        visit_id, resident_id, round_id, date.fromisoformat(round_date) if round_date else None,
        date.fromisoformat(visit_date), entry, late_reason or "", int(version or 1), corrects_id, recorded_by,
        recorded_by_name, _utc(created_at), referral,
    )


def _utc(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _referrals(uow: UnitOfWork, resident_id: str) -> dict[str, ReferralInfo]:
    found: dict[str, ReferralInfo] = {}
    for row in uow.fast_rows(
        "SELECT id, visit_id, destination, reason, urgent, green_channel, opened_on, closed_on FROM referral "
        "WHERE resident_id = :id AND deleted = 0 AND visit_id IS NOT NULL ORDER BY created_at",
        {"id": resident_id},
    ):
        found.setdefault(row[1], ReferralInfo(
            row[0], row[2], row[3] or "", bool(row[4]), bool(row[5]), date.fromisoformat(row[6]),
            date.fromisoformat(row[7]) if row[7] else None,
        ))
    return found


def _visit_rows(uow: UnitOfWork, resident_id: str) -> list[VisitRecord]:
    rows = uow.fast_rows(
        f"SELECT {_VISIT_COLUMNS} {_VISIT_FROM} WHERE v.resident_id = :id AND v.deleted = 0",
        {"id": resident_id},
    )
    return [_record(row, None) for row in rows]


def _load_chains(uow: UnitOfWork, resident_id: str) -> list[VisitChain]:
    """Return the resident's visits as chains of versions, each version showing the visit's referral."""
    referrals = _referrals(uow, resident_id)
    return [_attach_referral(chain, referrals) for chain in _chains(_visit_rows(uow, resident_id))]


def _attach_referral(chain: VisitChain, referrals: dict[str, ReferralInfo]) -> VisitChain:
    """A referral belongs to the whole visit (one row, kept up to date by corrections): show it on every version."""
    versions = [*reversed(chain.earlier), chain.latest]
    referral = next((referrals[v.id] for v in versions if v.id in referrals), None)
    if referral is None:
        return chain
    return VisitChain(
        _with_referral(chain.latest, referral), tuple(_with_referral(v, referral) for v in chain.earlier),
        chain.changes, chain.forked, chain.previous_weight,
    )


def _with_referral(record: VisitRecord, referral: ReferralInfo) -> VisitRecord:
    entry = replace(record.entry, referral=referral.entry())
    return replace(record, entry=entry, referral=referral)


def _chains(records: Sequence[VisitRecord]) -> list[VisitChain]:
    """Group versions into visits: each leaf (a version nobody corrects) with the versions it replaced."""
    by_id = {record.id: record for record in records}
    successors: dict[str, int] = {}
    for record in records:
        if record.corrects_id:
            successors[record.corrects_id] = successors.get(record.corrects_id, 0) + 1
    chains = []
    for record in records:
        if record.id in successors:
            continue
        earlier: list[VisitRecord] = []
        changes: dict[str, tuple[str, ...]] = {}
        forked = False
        current = record
        while current.corrects_id in by_id and all(v.id != current.corrects_id for v in earlier):
            previous = by_id[current.corrects_id]
            changes[current.id] = changed_fields(
                previous.entry, current.entry, old_date=previous.visit_date, new_date=current.visit_date,
                old_late_reason=previous.late_reason, new_late_reason=current.late_reason,
            )
            forked = forked or successors.get(previous.id, 0) > 1
            earlier.append(previous)
            current = previous
        chains.append(VisitChain(record, tuple(earlier), changes, forked))
    return chains


def visit_history(uow: UnitOfWork, *, resident_id: str) -> VisitHistory:
    """Return a resident's visits — the latest version of each with its earlier versions — and the chart series.

    Raises:
        NotFound: no such resident.
    """
    with uow:
        resident = get_live(uow, Resident, resident_id)
        name = resident.name
        chains = _load_chains(uow, resident_id)
    chains.sort(key=lambda c: (c.latest.visit_date, c.latest.created_at))
    weighted: list[VisitChain] = []
    previous_weight: float | None = None
    for chain in chains:
        weighted.append(_with_previous_weight(chain, previous_weight))
        if chain.latest.entry.weight is not None:
            previous_weight = chain.latest.entry.weight
    points = tuple(
        ChartPoint(c.latest.visit_date, _int(c.latest.entry.sbp), _int(c.latest.entry.dbp), c.latest.entry.glucose,
                   c.latest.entry.glucose_fasting)
        for c in weighted
        if c.latest.outcome is VisitOutcome.SEEN
        and (c.latest.entry.sbp is not None or c.latest.entry.glucose is not None)
    )
    weighted.reverse()
    return VisitHistory(resident_id, name, tuple(weighted), points)


def _with_previous_weight(chain: VisitChain, weight: float | None) -> VisitChain:
    return replace(chain, previous_weight=weight)


def load_visit(uow: UnitOfWork, *, visit_id: str) -> VisitRecord:
    """Return one version of a visit.

    Raises:
        NotFound: no such visit.
    """
    with uow:
        rows = uow.fast_rows("SELECT resident_id FROM visit WHERE id = :id AND deleted = 0", {"id": visit_id})
        if not rows:
            raise NotFound("visit.not_found")
        chains = _load_chains(uow, rows[0][0])
    found = _version(chains, visit_id)
    if found is None:
        raise NotFound("visit.not_found")
    return found


def _version(chains: Iterable[VisitChain], visit_id: str) -> VisitRecord | None:
    for chain in chains:
        for version in (chain.latest, *chain.earlier):
            if version.id == visit_id:
                return version
    return None


def _existing(uow: UnitOfWork, resident_id: str, round_id: str | None, visit_date: date) -> tuple[str, int, str] | None:
    """Return (id, version, date) of the latest version of the resident's visit at the round (or that day)."""
    if round_id is not None:
        where, params = "v.round_id = :round", {"round": round_id}
    else:
        where, params = "v.round_id IS NULL AND v.visit_date = :day", {"day": visit_date.isoformat()}
    rows = uow.fast_rows(
        f"SELECT v.id, v.version, v.visit_date FROM visit v WHERE v.resident_id = :resident AND v.deleted = 0 "
        f"AND {where} AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0) "
        "ORDER BY v.version DESC, v.created_at DESC LIMIT 1",
        {"resident": resident_id, **params},
    )
    return (str(rows[0][0]), int(rows[0][1]), str(rows[0][2])) if rows else None


def existing_visit(
    uow: UnitOfWork, *, resident_id: str, round_id: str | None, visit_date: date | None = None
) -> VisitRecord | None:
    """Return the latest version of the resident's visit at the round (outside rounds: on ``visit_date``), or None.

    This is the duplicate check the visit page runs before a second visit could be typed.
    """
    if round_id is None and visit_date is None:
        return None
    with uow:
        found = _existing(uow, resident_id, round_id, visit_date or date.min)
        if found is None:
            return None
        chains = _load_chains(uow, resident_id)
    return _version(chains, found[0])


def _chain_ids(uow: UnitOfWork, resident_id: str, visit_id: str) -> list[str]:
    """Return the ids of ``visit_id`` and every version it corrects, directly or not."""
    links = dict(
        uow.fast_rows(
            "SELECT id, corrects_id FROM visit WHERE resident_id = :id AND deleted = 0", {"id": resident_id}
        )
    )
    chain = [visit_id]
    while links.get(chain[-1]) and links[chain[-1]] not in chain:
        chain.append(links[chain[-1]])
    return chain


def _previous_weight(uow: UnitOfWork, resident_id: str, visit_date: date, exclude: Sequence[str]) -> float | None:
    rows = uow.fast_rows(
        "SELECT v.id, v.weight FROM visit v WHERE v.resident_id = :id AND v.deleted = 0 AND v.weight IS NOT NULL "
        "AND v.visit_date <= :day AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0) "
        "ORDER BY v.visit_date DESC, v.created_at DESC",
        {"id": resident_id, "day": visit_date.isoformat()},
    )
    for visit_id, weight in rows:
        if visit_id not in exclude:
            return float(weight)
    return None


def _condition_codes(uow: UnitOfWork, resident_id: str) -> list[str]:
    return [
        row[0]
        for row in uow.fast_rows(
            "SELECT code FROM condition WHERE resident_id = :id AND deleted = 0 AND active = 1 AND code != ''",
            {"id": resident_id},
        )
    ]


def resident_for_visit(
    uow: UnitOfWork, *, resident_id: str, round_id: str | None = None, visit_date: date | None = None
) -> ResidentForVisit:
    """Return what the visit form shows about a resident: conditions, last weight and visit, the visit already
    recorded at this round (outside rounds: on ``visit_date``).

    Raises:
        NotFound: no such resident.
    """
    day = visit_date or date.today()
    with uow:
        rows = uow.fast_rows(
            "SELECT r.id, r.name, r.sex, r.birth_date, r.institution_id, i.name, r.building, r.room, r.bed, "
            "r.status, r.colour, i.green_channel_hospital FROM resident r "
            "JOIN institution i ON i.id = r.institution_id WHERE r.id = :id AND r.deleted = 0",
            {"id": resident_id},
        )
        if not rows:
            raise NotFound("resident.not_found", key=resident_id)
        row = rows[0]
        codes = set(_condition_codes(uow, resident_id))
        follow_up = set(current_rules(uow).rules.visits.chronic_follow_up_conditions)
        chains = _load_chains(uow, resident_id)
        found = _existing(uow, resident_id, round_id, day) if (round_id or visit_date) else None
    existing = _version(chains, found[0]) if found else None
    before = sorted(
        (c.latest for c in chains if c.latest.visit_date <= day and (existing is None or c.latest.id != existing.id)),
        key=lambda r: (r.visit_date, r.created_at),
    )
    weights = [r.entry.weight for r in before if r.entry.weight is not None]
    return ResidentForVisit(
        resident_id=row[0], name=row[1], sex=row[2], birth_date=date.fromisoformat(row[3]), institution_id=row[4],
        institution=row[5], building=row[6], room=row[7], bed=row[8], status=ResidentStatus(row[9]),
        colour=TriageColour(row[10]), hypertension="hypertension" in codes, diabetes="diabetes_t2" in codes,
        chronic_follow_up=bool(codes & follow_up), previous_weight=weights[-1] if weights else None,
        last_visit=before[-1] if before else None, existing=existing, green_channel_hospital=row[11] or "",
    )


# --- rounds -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundChoice:
    """A round a nurse can record visits at (today's, or a recent one for late entry)."""

    id: str
    institution_id: str
    institution: str
    day: date
    status: str
    team: str


def rounds_for_entry(uow: UnitOfWork, *, today: date, days_back: int = 14) -> list[RoundChoice]:
    """Return the rounds of the last ``days_back`` days and today, today's first, then the most recent.

    This week's agreed rounds are generated first (idempotent), so today's round is there to choose.
    """
    generate_rounds(uow, week=today)
    start = date.fromordinal(today.toordinal() - days_back)
    with uow:
        rows = uow.fast_rows(
            "SELECT r.id, r.institution_id, i.name, r.round_date, r.status, COALESCE(t.name, '') FROM round r "
            "JOIN institution i ON i.id = r.institution_id LEFT JOIN team t ON t.id = r.team_id "
            "WHERE r.deleted = 0 AND r.status != 'cancelled' AND r.round_date BETWEEN :a AND :b "
            "ORDER BY r.round_date DESC, i.name",
            {"a": start.isoformat(), "b": today.isoformat()},
        )
    return [RoundChoice(row[0], row[1], row[2], date.fromisoformat(row[3]), row[4], row[5]) for row in rows]


def round_for_visit(uow: UnitOfWork, *, resident_id: str, visit_date: date) -> str | None:
    """Return the round of the resident's institution on ``visit_date`` (not cancelled), or None."""
    with uow:
        rows = uow.fast_rows(
            "SELECT r.id FROM round r JOIN resident p ON p.institution_id = r.institution_id "
            "WHERE p.id = :id AND r.deleted = 0 AND r.status != 'cancelled' AND r.round_date = :day "
            "ORDER BY r.created_at LIMIT 1",
            {"id": resident_id, "day": visit_date.isoformat()},
        )
    return str(rows[0][0]) if rows else None


@dataclass(frozen=True)
class RecordedVisit:
    """What was recorded for a resident at the round (latest version), for the sheet's status column."""

    visit_id: str
    version: int
    outcome: VisitOutcome
    urgent: bool
    abnormal: bool


@dataclass(frozen=True)
class SheetResident:
    """One line of the round sheet on the visit page.

    Attributes:
        due: why the resident is due at the round (empty for a resident visited though no longer due).
        planned: due at the round or already visited at it; False for a resident added by the screen for an
            unplanned visit (found with Ctrl+F).
        visit: what was recorded at this round, or None.
    """

    resident_id: str
    name: str
    sex: str
    birth_date: date
    building: str
    room: str
    bed: str
    colour: TriageColour
    due: tuple[str, ...]
    planned: bool
    visit: RecordedVisit | None = None

    @property
    def bed_label(self) -> str:
        return "-".join(part for part in (self.building, self.room, self.bed) if part)


@dataclass(frozen=True)
class RoundSheet:
    """A round and its residents in round-sheet order (red first, then building, room and bed)."""

    round_id: str
    institution_id: str
    institution: str
    day: date
    status: str
    team: str
    residents: tuple[SheetResident, ...]

    def index_of(self, resident_id: str) -> int:
        return next((i for i, r in enumerate(self.residents) if r.resident_id == resident_id), -1)


def round_sheet(uow: UnitOfWork, *, round_id: str, today: date) -> RoundSheet:
    """Return a round's residents in round-sheet order with what was recorded for each.

    The residents due come from :func:`app.services.rounds.round_due` (its order); residents already visited
    at the round stay on the sheet even when no longer due, in the same order, and unplanned visits join it.

    Raises:
        RoundNotFound: no such round.
    """
    planned = round_due(uow, round_id=round_id, today=today)
    with uow:
        rows = uow.fast_rows(
            "SELECT v.id, v.resident_id, v.version, v.outcome, v.sbp, v.dbp, v.pulse, v.temperature, v.spo2, "
            "v.glucose, v.glucose_fasting, p.name, p.sex, p.birth_date, p.building, p.room, p.bed, p.colour "
            "FROM visit v JOIN resident p ON p.id = v.resident_id WHERE v.round_id = :round AND v.deleted = 0 "
            "AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0) "
            "ORDER BY v.version, v.created_at",
            {"round": round_id},
        )
    recorded: dict[str, RecordedVisit] = {}
    visited: dict[str, SheetResident] = {}
    for row in rows:
        (visit_id, resident_id, version, outcome, sbp, dbp, pulse, temperature, spo2, glucose, fasting, name, sex,
         birth, building, room, bed, colour) = row
        assessment = _flags(sbp=sbp, dbp=dbp, pulse=pulse, temperature=temperature, spo2=spo2, glucose=glucose,
                            glucose_fasting=bool(fasting))
        recorded[resident_id] = RecordedVisit(
            visit_id, int(version), _outcome(outcome), assessment.is_urgent, assessment.is_abnormal
        )
        # visited at the round: on the sheet whether or not still due (seen now, so no longer due)
        visited[resident_id] = SheetResident(
            resident_id, name, sex, date.fromisoformat(birth), building, room, bed, TriageColour(colour), (), True,
        )
    residents = [
        SheetResident(
            r.resident_id, r.name, r.sex, r.birth_date, r.building, r.room, r.bed, r.colour,
            tuple(reason.text(today) for reason in r.reasons), True, recorded.get(r.resident_id),
        )
        for r in planned.due
    ]
    listed = {r.resident_id for r in residents}
    residents += [
        SheetResident(**{**extra.__dict__, "visit": recorded[resident_id]})
        for resident_id, extra in visited.items()
        if resident_id not in listed
    ]
    residents.sort(key=lambda r: (-r.colour.severity, *bed_sort_key(r)))
    info = planned.round
    return RoundSheet(info.id, info.institution_id, info.institution, info.day, info.status, info.team,
                      tuple(residents))


def _outcome(value: str) -> VisitOutcome:
    try:
        return VisitOutcome(value)
    except ValueError:
        return VisitOutcome.SEEN


def _flags(**values: Any) -> VitalsAssessment:
    fasting = values.pop("glucose_fasting")
    given = {name: value for name, value in values.items() if value is not None}
    try:
        return validate_vitals(**given, glucose_fasting=fasting)
    except (ValidationError, ValueError):
        return VitalsAssessment(())


def visit_summary_json(saved: VisitSaved) -> dict[str, Any]:
    """Return what a save did as JSON-ready values (for ``visit add --json``)."""
    checked = saved.checked
    return {
        "visit_id": saved.visit_id,
        "resident_id": saved.resident_id,
        "name": saved.resident_name,
        "version": saved.version,
        "corrects_id": saved.corrects_id,
        "date": checked.visit_date.isoformat(),
        "outcome": checked.outcome.value,
        "late": checked.late,
        "late_reason": checked.late_reason,
        "flags": [
            {"field": flag.field, "level": flag.level.value, "message": str(flag.reason)}
            for flag in checked.assessment.flags
        ],
        "urgent": checked.urgent,
        "advice": checked.advice(),
        "status_changed": saved.status_changed.value if saved.status_changed else None,
        "colour": saved.colour.value,
        "suggested_before": saved.suggested_before.value if saved.suggested_before else None,
        "suggested_after": saved.suggested_after.value if saved.suggested_after else None,
        "needs_review": saved.needs_review,
        "changed": list(saved.changed),
        "referral": (
            {"destination": checked.entry.referral.destination, "reason": checked.entry.referral.reason,
             "urgent": checked.entry.referral.urgent, "green_channel": checked.entry.referral.green_channel}
            if checked.entry.referral else None
        ),
        "values": json.loads(json.dumps({k: v for k, v in checked.entry.vitals().items() if v is not None})),
    }
