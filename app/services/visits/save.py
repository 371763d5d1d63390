"""Visits — 巡诊记录: record an outcome, correct it.

- :func:`record_visit` checks a visit (:func:`app.services.visits.checks.check_entry`), refuses a second visit
  for the same resident and round (:class:`DuplicateVisit`: correct the first instead), writes it — with its
  referral, and the residence status when asked for hospitalized / deceased — in one transaction, then
  works out the resident's triage suggestion again, so a change shows in the doctor's review.
- :func:`correct_visit` never changes a saved visit: it adds a new version (``version + 1``) whose
  ``corrects_id`` points at the one it corrects (DESIGN §6). The residence status the visit set follows the
  correction when asked (``update_status``): undone when the outcome no longer implies it, moved to the
  corrected day when only the day changed (:mod:`app.services.visits.status`).

Reading is elsewhere: a resident's visits in :mod:`app.services.visits.history`, what a visit is checked
against (and the visit form shows) in :mod:`app.services.visits.checks`, the rounds and the round sheet in
:mod:`app.services.visits.entry_rounds`. Their names stay importable from here.

Permissions: recording needs :attr:`~app.domain.permissions.Action.RECORD_VISITS` when somebody is signed in;
a unit of work without an actor (the command line, run by whoever holds the database file) is not asked.
Marking a resident hospitalized or deceased from a visit needs only that permission too: it is what the
nurse saw, and it is asked for explicitly (``update_status=True``, after a confirmation in the screen).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Any

from app.domain.colours import TriageColour
from app.domain.errors import DomainError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.residents import ResidentStatus
from app.domain.visit_changes import changed_fields
from app.domain.visits import CheckedVisit, ReferralEntry, VisitEntry
from app.services.editing import NotFound, get_live, permit
from app.services.records.residence import apply_status
from app.services.triage import refresh_suggestions
from app.services.visits.checks import (
    ResidentForVisit,
    check_entry,
    check_round,
    existing_visit,
    existing_visit_key,
    resident_for_visit,
)
from app.services.visits.doses import DoseChange, apply_dose_changes, dose_lines, with_dose_lines
from app.services.visits.entry_rounds import (
    RecordedVisit,
    RoundChoice,
    RoundSheet,
    SheetResident,
    round_for_visit,
    round_sheet,
    rounds_for_entry,
)
from app.services.visits.history import (
    ChartPoint,
    ReferralInfo,
    VisitChain,
    VisitHistory,
    VisitRecord,
    load_visit,
    visit_history,
)
from app.services.visits.referrals import carry_referral, chain_referral, new_referral
from app.services.visits.status import VisitStatus, move_visit_status, undo_visit_status, visit_status
from app.store.models import Resident, Visit
from app.store.queries import visits as queries
from app.store.uow import UnitOfWork

__all__ = [
    "ChartPoint",
    "DuplicateVisit",
    "RecordedVisit",
    "ReferralInfo",
    "ResidentForVisit",
    "RoundChoice",
    "RoundSheet",
    "SheetResident",
    "VisitChain",
    "VisitHistory",
    "VisitNotCorrectable",
    "VisitRecord",
    "VisitSaved",
    "VisitStatus",
    "correct_visit",
    "existing_visit",
    "load_visit",
    "record_visit",
    "resident_for_visit",
    "round_for_visit",
    "round_sheet",
    "rounds_for_entry",
    "visit_history",
    "visit_summary_json",
]

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
        "visit.already_corrected": {
            "zh_CN": "这条记录已被更正为第 {version} 版；请更正最新版本",
            "en": "this visit was already corrected (version {version}); correct the latest version",
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


# --- what a save did -------------------------------------------------------------------------------------------------


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
        status_restored: a correction removed the outcome that set this status, and the status change was
            undone (``update_status=True``): the resident is back to ``status_restored.restores``.
        status_left: the same, but without ``update_status``: the status set from the visit is still in force.
        status_moved: a correction kept the outcome that set this status but changed the visit's day, and the
            status change was moved to the corrected day (``update_status=True``; ``on_date`` is the old day).
        status_date_left: the same, but without ``update_status``: the status still carries the old day.
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
    status_restored: VisitStatus | None = None
    status_left: VisitStatus | None = None
    status_moved: VisitStatus | None = None
    status_date_left: VisitStatus | None = None

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
    dose_changes: Sequence[DoseChange] = (),
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
        dose_changes: new daily quantities (0: stop) of the resident's long-term medications, set from
            ``today`` through the record's path in the visit's transaction (:mod:`app.services.visits.doses`);
            each adds a line to ``entry.medication_changes``.

    Raises:
        PermissionDenied: the signed-in role may not record visits (or, with ``dose_changes``, change the
            record: doctors change doses).
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
            check_round(uow, round_id, resident)
        if dose_changes:
            lines = dose_lines(uow, resident_id, dose_changes, day)
            entry = replace(entry, medication_changes=with_dose_lines(entry.medication_changes, lines))
        checked = check_entry(uow, resident, entry, visit_date, late_reason, day, exclude=())
        duplicate = existing_visit_key(uow, resident_id, round_id, visit_date)
        if duplicate is not None:
            key = "visit.duplicate" if round_id is not None else "visit.duplicate_day"
            raise DuplicateVisit(
                key, visit_id=duplicate[0], version=duplicate[1], name=resident.name, date=duplicate[2]
            )
        visit = _new_visit(uow, resident_id, round_id, checked, version=1, corrects_id=None, today=day)
        uow.session.add(visit)
        uow.session.flush()
        if checked.entry.referral is not None:
            uow.session.add(new_referral(resident_id, visit.id, checked))
        status = _apply_outcome_status(uow, resident, checked, update_status, day)
        apply_dose_changes(uow, resident_id, dose_changes, day)
        before = _suggested(resident)
        colour = TriageColour(resident.colour)
        name = resident.name
        uow.commit()
        visit_id = visit.id
    after = _refresh_suggestion(uow, resident_id, day)
    return VisitSaved(
        visit_id,
        resident_id,
        name,
        1,
        None,
        checked,
        status,
        colour,
        before,
        after,
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
        update_status: as for :func:`record_visit`; besides, when the visit set the resident's status
            (hospitalized / deceased, still in force) and the correction's outcome no longer implies it, undo
            that status change (:func:`app.services.visits.status.undo_visit_status`); when the outcome still
            implies it but the day changed, move that status change to the corrected day
            (:func:`app.services.visits.status.move_visit_status`). Without it the status and its date stay,
            and ``status_left`` / ``status_date_left`` say so.
        today: the day the correction is entered.

    Raises:
        PermissionDenied: the signed-in role may not record visits.
        NotFound: no such visit or resident.
        VisitNotCorrectable: a later version already corrects this one.
        ValidationError: as for :func:`record_visit`; on ``status_date`` when the status would move before the
            status before it or the stay it belongs to.
    """
    day = today or date.today()
    with uow:
        permit(uow, Action.RECORD_VISITS)
        old = uow.session.get(Visit, visit_id)
        if old is None or old.deleted:
            raise NotFound("visit.not_found")
        successor = queries.latest_correction_version(uow, visit_id)
        if successor is not None:
            raise VisitNotCorrectable("visit.already_corrected", version=successor)
        resident = get_live(uow, Resident, old.resident_id)
        chain = _chain_ids(uow, old.resident_id, visit_id)
        set_by_visit = visit_status(uow, resident, [chain])
        new_date = visit_date or old.visit_date
        reason = old.late_reason if late_reason is None else late_reason
        checked = check_entry(uow, resident, entry, new_date, reason, day, exclude=chain)
        if not checked.late and old.late_reason and new_date < day:
            checked = _with_late_reason(checked, old.late_reason)
        visit = _new_visit(
            uow,
            old.resident_id,
            old.round_id,
            checked,
            version=old.version + 1,
            corrects_id=old.id,
            today=day,
            visited_at=old.visited_at,
        )
        changed = changed_fields(
            _entry_of(old, chain_referral(uow, chain)),
            checked.entry,
            old_date=old.visit_date,
            new_date=checked.visit_date,
            old_late_reason=old.late_reason,
            new_late_reason=checked.late_reason,
        )
        uow.session.add(visit)
        uow.session.flush()
        carry_referral(uow, old.resident_id, chain, visit.id, checked)
        restored = left = moved = date_left = None
        if set_by_visit is not None and checked.outcome.status is not set_by_visit.status:
            if update_status:
                undo_visit_status(uow, resident, set_by_visit)
                restored = set_by_visit
            else:
                left = set_by_visit
        elif set_by_visit is not None and checked.visit_date != set_by_visit.on_date:
            if update_status:
                move_visit_status(uow, resident, set_by_visit, checked.visit_date, day)
                moved = set_by_visit
            else:
                date_left = set_by_visit
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
        new_id,
        resident_id,
        name,
        version,
        visit_id,
        checked,
        status,
        colour,
        before,
        after,
        changed,
        restored,
        left,
        moved,
        date_left,
    )


def _with_late_reason(checked: CheckedVisit, reason: str) -> CheckedVisit:
    return CheckedVisit(
        checked.entry,
        checked.outcome,
        checked.chronic_class,
        checked.visit_date,
        checked.late,
        reason,
        checked.assessment,
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
        hypertension_class=dict(values.follow_ups).get("hypertension", ""),
        diabetes_class=dict(values.follow_ups).get("diabetes", ""),
        adherence=values.adherence,
        lifestyle_advice=values.lifestyle_advice,
        height=values.height,
        foot_pulse=values.foot_pulse,
    )


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _entry_of(visit: Visit, referral: ReferralEntry | None) -> VisitEntry:
    return VisitEntry(
        outcome=visit.outcome,
        sbp=visit.sbp,
        dbp=visit.dbp,
        pulse=visit.pulse,
        temperature=visit.temperature,
        spo2=visit.spo2,
        glucose=visit.glucose,
        glucose_fasting=bool(visit.glucose_fasting),
        weight=visit.weight,
        findings=visit.findings,
        actions=visit.actions,
        medication_changes=visit.medication_changes,
        referral=referral,
        chronic_class=visit.chronic_class,
        next_visit_note=visit.next_visit_note,
    )


def _apply_outcome_status(
    uow: UnitOfWork, resident: Resident, checked: CheckedVisit, update_status: bool, today: date
) -> ResidentStatus | None:
    target = checked.outcome.status
    if not update_status or target is None or resident.status == target.value:
        return None
    apply_status(
        uow, resident, target, checked.visit_date, t("visit.status_note", outcome=checked.outcome.label), today
    )
    return target


def _suggested(resident: Resident) -> TriageColour | None:
    try:
        return TriageColour(resident.suggested_colour)
    except ValueError:
        return None


def _refresh_suggestion(uow: UnitOfWork, resident_id: str, today: date) -> TriageColour | None:
    """Work out the resident's triage suggestion again; the visit is saved whatever happens here."""
    try:
        refresh_suggestions(uow, today=today, resident_ids=[resident_id])
        with uow.reading() as uow:
            row = queries.suggestion_and_status(uow, resident_id)
    except Exception:  # the visit is committed; a failed refresh must not report the save as failed
        log.exception("cannot work out the triage suggestion of %s again", resident_id)
        return None
    if not row or row[1] != ResidentStatus.IN_RESIDENCE.value:
        return None
    return TriageColour(row[0])


def _chain_ids(uow: UnitOfWork, resident_id: str, visit_id: str) -> list[str]:
    """Return the ids of ``visit_id`` and every version it corrects, directly or not."""
    links = queries.correction_links(uow, resident_id)
    chain = [visit_id]
    while links.get(chain[-1]) and links[chain[-1]] not in chain:
        chain.append(links[chain[-1]])
    return chain


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
        "status_restored": _undo_json(saved.status_restored),
        "status_left": _undo_json(saved.status_left),
        "status_moved": _move_json(saved.status_moved, checked.visit_date),
        "status_date_left": _move_json(saved.status_date_left, checked.visit_date),
        "colour": saved.colour.value,
        "suggested_before": saved.suggested_before.value if saved.suggested_before else None,
        "suggested_after": saved.suggested_after.value if saved.suggested_after else None,
        "needs_review": saved.needs_review,
        "changed": list(saved.changed),
        "referral": (
            {
                "destination": checked.entry.referral.destination,
                "reason": checked.entry.referral.reason,
                "urgent": checked.entry.referral.urgent,
                "green_channel": checked.entry.referral.green_channel,
            }
            if checked.entry.referral
            else None
        ),
        "values": json.loads(json.dumps({k: v for k, v in checked.entry.vitals().items() if v is not None})),
        "chronic_class": checked.entry.chronic_class or None,
        "follow_ups": [
            {"disease": disease.value, "class": value.value, "proposed": disease in checked.proposed}
            for disease, value in checked.follow_ups
        ],
        "adherence": checked.entry.adherence or None,
        "height": checked.entry.height,
        "foot_pulse": checked.entry.foot_pulse or None,
    }


def _undo_json(found: VisitStatus | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "status": found.status.value,
        "on_date": found.on_date.isoformat(),
        "restores": found.restores.value,
        "restores_date": found.restores_date.isoformat() if found.restores_date else None,
    }


def _move_json(found: VisitStatus | None, to_date: date) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"status": found.status.value, "from_date": found.on_date.isoformat(), "to_date": to_date.isoformat()}
