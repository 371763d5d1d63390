"""What a visit is checked against — 巡诊核对: the resident's conditions, last weight, round, earlier visit.

- :func:`check_entry` checks a visit's values (:func:`app.domain.visits.check_visit`) with the resident's
  chronic follow-up conditions, the weight recorded before it (for the 5 % change flag) and the admission
  (:func:`first_admission`: no visit before it).
- :func:`check_round` refuses a round that was cancelled or is at another institution.
- :func:`existing_visit` is the duplicate check: the visit already recorded for the resident at the round
  (outside rounds: on that day), which is to be corrected rather than recorded twice.
- :func:`resident_for_visit` returns what the visit form shows beside the fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.colours import TriageColour
from app.domain.errors import ValidationError
from app.domain.follow_up import DISEASE_OF_CONDITION
from app.domain.i18n import register
from app.domain.permissions import Action
from app.domain.residents import ResidentStatus
from app.domain.visits import CheckedVisit, VisitEntry, check_visit
from app.services.editing import NotFound
from app.services.triage import current_rules, may
from app.services.visits.doses import LongTermMedication, long_term_in_uow
from app.services.visits.history import VisitRecord, find_version, load_chains
from app.services.visits.status import VisitStatus, visit_status
from app.store.models import Resident, Round
from app.store.queries import institutions as institution_queries
from app.store.queries import referrals as referral_queries
from app.store.queries import visits as queries
from app.store.uow import UnitOfWork

register(
    {
        "visit.round_cancelled": {
            "zh_CN": "该巡诊已取消，不能记录",
            "en": "this round was cancelled; no visit can be recorded at it",
        },
        "visit.round_other_institution": {
            "zh_CN": "该居民不属于这次巡诊的机构（{institution}）",
            "en": "the resident does not live at this round's institution ({institution})",
        },
    }
)


def check_entry(
    uow: UnitOfWork,
    resident: Resident,
    entry: VisitEntry,
    visit_date: date,
    late_reason: str,
    today: date,
    *,
    exclude: Sequence[str],
) -> CheckedVisit:
    """Check a visit's values for ``resident``, with the weight before it and the chronic follow-up rules.

    Args:
        exclude: versions of the visit being corrected, whose weight is not the "previous" one.

    Raises:
        ValidationError: a value is not acceptable (the message names the field, value and accepted range).
    """
    codes = condition_codes(uow, resident.id)
    rules = current_rules(uow).rules
    followed = set(codes) & set(rules.visits.chronic_follow_up_conditions)
    # each disease with a follow-up form (hypertension, diabetes) gets its own classification, proposed from
    # the values when none is given; another condition the rules follow up keeps the visit's one classification
    forms = sorted(code for code in followed if code in DISEASE_OF_CONDITION)
    return check_visit(
        entry,
        visit_date=visit_date,
        today=today,
        birth_date=resident.birth_date,
        late_reason=late_reason,
        previous_weight=previous_weight(uow, resident.id, visit_date, exclude),
        chronic_follow_up=bool(followed),
        diseases=forms or None,
        admission_date=first_admission(uow, resident.id, resident.admission_date),
    )


def first_admission(uow: UnitOfWork, resident_id: str, admission_date: date | None) -> date | None:
    """Return the day the resident was first admitted: no visit can be earlier (None: not known).

    The admission date moves to the day of a readmission, so the start of the first residence period counts
    too. Without an admission date there is no bound: the first period then starts on the day the resident
    was entered or imported, not on the admission, and visits from the paper sheets before it stay possible.
    """
    if admission_date is None:
        return None
    first = queries.first_period_start(uow, resident_id)
    return min(admission_date, date.fromisoformat(str(first)[:10])) if first else admission_date


def check_round(uow: UnitOfWork, round_id: str, resident: Resident) -> None:
    """Refuse a round that does not exist, was cancelled, or is at another institution than the resident's.

    Raises:
        NotFound: no such round.
        ValidationError: the round was cancelled or is at another institution.
    """
    row = uow.session.get(Round, round_id)
    if row is None or row.deleted:
        raise NotFound("rounds.no_round")
    if row.status == "cancelled":
        raise ValidationError("round", row.round_date.isoformat(), "visit.round_cancelled")
    if row.institution_id != resident.institution_id:
        name = institution_queries.name_of(uow, row.institution_id)
        raise ValidationError(
            "round",
            row.round_date.isoformat(),
            "visit.round_other_institution",
            institution=name if name is not None else "",
        )


def previous_weight(uow: UnitOfWork, resident_id: str, visit_date: date, exclude: Sequence[str]) -> float | None:
    """Return the last weight recorded up to ``visit_date`` (latest versions, not those in ``exclude``)."""
    for visit_id, weight in queries.weights_up_to(uow, resident_id, visit_date):
        if visit_id not in exclude:
            return float(weight)
    return None


def condition_codes(uow: UnitOfWork, resident_id: str) -> list[str]:
    """Return the codes of the resident's active coded conditions."""
    return queries.active_condition_codes(uow, resident_id)


def existing_visit_key(
    uow: UnitOfWork, resident_id: str, round_id: str | None, visit_date: date
) -> tuple[str, int, str] | None:
    """Return (id, version, date) of the latest version of the resident's visit at the round (or that day)."""
    row = queries.latest_visit_key(uow, resident_id, round_id, visit_date)
    return (str(row[0]), int(row[1]), str(row[2])) if row else None


def existing_visit(
    uow: UnitOfWork, *, resident_id: str, round_id: str | None, visit_date: date | None = None
) -> VisitRecord | None:
    """Return the latest version of the resident's visit at the round (outside rounds: on ``visit_date``), or None.

    This is the duplicate check the visit page runs before a second visit could be typed.
    """
    if round_id is None and visit_date is None:
        return None
    with uow.reading() as uow:
        found = existing_visit_key(uow, resident_id, round_id, visit_date or date.min)
        if found is None:
            return None
        chains = load_chains(uow, resident_id)
    return find_version(chains, found[0])


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
        admission_date: the first admission (no visit can be earlier), or None when not known.
        visit_status: the residence status one of the resident's visits set and still in force (a correction
            that removes that outcome offers to undo it), or None.
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
    admission_date: date | None = None
    visit_status: VisitStatus | None = None
    open_referral: tuple[str, date, str] | None = None  # (id, opened on, destination) of the oldest open one
    medications: tuple[LongTermMedication, ...] = ()  # long-term ones a visit may change (docs/homecare.md)
    may_change_doses: bool = False  # the signed-in role may change them (doctors)

    @property
    def previous_classes(self) -> dict[str, str]:
        """The last visit's classification per disease (``hypertension``, ``diabetes``), for the referral rule."""
        if self.last_visit is None:
            return {}
        entry = self.last_visit.entry
        if entry.follow_ups:
            return dict(entry.follow_ups)
        return {"hypertension": entry.chronic_class, "diabetes": entry.chronic_class} if entry.chronic_class else {}

    @property
    def bed_label(self) -> str:
        return "-".join(part for part in (self.building, self.room, self.bed) if part)


def resident_for_visit(
    uow: UnitOfWork, *, resident_id: str, round_id: str | None = None, visit_date: date | None = None
) -> ResidentForVisit:
    """Return what the visit form shows about a resident: conditions, last weight and visit, the visit already
    recorded at this round (outside rounds: on ``visit_date``).

    Raises:
        NotFound: no such resident.
    """
    day = visit_date or date.today()
    with uow.reading() as uow:
        row = queries.resident_for_visit(uow, resident_id)
        if row is None:
            raise NotFound("resident.not_found", key=resident_id)
        codes = set(condition_codes(uow, resident_id))
        follow_up = set(current_rules(uow).rules.visits.chronic_follow_up_conditions)
        chains = load_chains(uow, resident_id)
        found = existing_visit_key(uow, resident_id, round_id, day) if (round_id or visit_date) else None
        admitted = first_admission(uow, resident_id, date.fromisoformat(row[12][:10]) if row[12] else None)
        resident = uow.session.get(Resident, resident_id)
        set_by_visit = (
            visit_status(uow, resident, [[c.latest.id, *(e.id for e in c.earlier)] for c in chains])
            if resident is not None
            else None
        )
        referrals = referral_queries.referrals(uow, institution_id=None, open_only=True, resident_id=resident_id)
        medications = tuple(long_term_in_uow(uow, resident_id, day))
    may_change = uow.actor_id is None or may(uow, Action.EDIT_RESIDENTS)
    existing = find_version(chains, found[0]) if found else None
    before = sorted(
        (c.latest for c in chains if c.latest.visit_date <= day and (existing is None or c.latest.id != existing.id)),
        key=lambda r: (r.visit_date, r.created_at),
    )
    weights = [r.entry.weight for r in before if r.entry.weight is not None]
    return ResidentForVisit(
        resident_id=row[0],
        name=row[1],
        sex=row[2],
        birth_date=date.fromisoformat(row[3]),
        institution_id=row[4],
        institution=row[5],
        building=row[6],
        room=row[7],
        bed=row[8],
        status=ResidentStatus(row[9]),
        colour=TriageColour(row[10]),
        hypertension="hypertension" in codes,
        diabetes="diabetes_t2" in codes,
        chronic_follow_up=bool(codes & follow_up),
        previous_weight=weights[-1] if weights else None,
        last_visit=before[-1] if before else None,
        existing=existing,
        green_channel_hospital=row[11] or "",
        admission_date=admitted,
        visit_status=set_by_visit,
        open_referral=(
            (str(referrals[0][0]), date.fromisoformat(str(referrals[0][11])[:10]), str(referrals[0][7]))
            if referrals
            else None
        ),
        medications=medications,
        may_change_doses=may_change,
    )
