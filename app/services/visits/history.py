"""Visit history — 巡诊记录: a resident's visits as stored, each with the versions it corrects.

- :func:`visit_history` returns the latest version of each visit with its earlier versions, and the BP and
  glucose series for the chart.
- :func:`load_visit` returns one version.
- :func:`load_chains` is what the other visit services read a resident's visits with.

A correction never changes a saved visit: it adds a version whose ``corrects_id`` points at the one it
corrects (DESIGN §6), so a visit is a chain of versions; two versions correcting the same one (corrected on
two devices before syncing) make a fork, shown as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any

from app.domain.errors import ValidationError
from app.domain.i18n import register
from app.domain.visit_changes import changed_fields
from app.domain.visits import ReferralEntry, VisitEntry, VisitOutcome
from app.domain.vitals import VitalsAssessment, validate_vital_values
from app.services.editing import NotFound, get_live
from app.store.models import Resident
from app.store.queries import visits as queries
from app.store.uow import UnitOfWork

register({"visit.not_found": {"zh_CN": "找不到这条巡诊记录", "en": "no such visit"}})


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
            return validate_vital_values(
                values, glucose_fasting=self.entry.glucose_fasting, previous_weight=previous_weight or None
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


# --- reading ----------------------------------------------------------------------------------------------------


def _record(row: Sequence[Any], referral: ReferralInfo | None) -> VisitRecord:
    (
        visit_id,
        resident_id,
        round_id,
        round_date,
        visit_date,
        outcome,
        sbp,
        dbp,
        pulse,
        temperature,
        spo2,
        glucose,
        fasting,
        weight,
        findings,
        actions,
        medication_changes,
        chronic_class,
        next_note,
        late_reason,
        version,
        corrects_id,
        recorded_by,
        recorded_by_name,
        created_at,
        hypertension_class,
        diabetes_class,
        adherence,
        lifestyle_advice,
        height,
        foot_pulse,
    ) = row
    follow_ups = tuple(
        (disease, value)
        for disease, value in (("hypertension", hypertension_class), ("diabetes", diabetes_class))
        if value
    )
    entry = VisitEntry(
        outcome=outcome,
        sbp=sbp,
        dbp=dbp,
        pulse=pulse,
        temperature=temperature,
        spo2=spo2,
        glucose=glucose,
        glucose_fasting=bool(fasting),
        weight=weight,
        findings=findings or "",
        actions=actions or "",
        medication_changes=medication_changes or "",
        referral=referral.entry() if referral else None,
        chronic_class=chronic_class or "",
        next_visit_note=next_note or "",
        follow_ups=follow_ups,
        adherence=adherence or "",
        lifestyle_advice=lifestyle_advice or "",
        height=height,
        foot_pulse=foot_pulse or "",
    )
    return VisitRecord(
        visit_id,
        resident_id,
        round_id,
        date.fromisoformat(round_date) if round_date else None,
        date.fromisoformat(visit_date),
        entry,
        late_reason or "",
        int(version or 1),
        corrects_id,
        recorded_by,
        recorded_by_name,
        _utc(created_at),
        referral,
    )


def _utc(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _referrals(uow: UnitOfWork, resident_id: str) -> dict[str, ReferralInfo]:
    found: dict[str, ReferralInfo] = {}
    for row in queries.visit_referrals(uow, resident_id):
        found.setdefault(
            row[1],
            ReferralInfo(
                row[0],
                row[2],
                row[3] or "",
                bool(row[4]),
                bool(row[5]),
                date.fromisoformat(row[6]),
                date.fromisoformat(row[7]) if row[7] else None,
            ),
        )
    return found


def _visit_rows(uow: UnitOfWork, resident_id: str) -> list[VisitRecord]:
    return [_record(row, None) for row in queries.visits_of(uow, resident_id)]


def load_chains(uow: UnitOfWork, resident_id: str) -> list[VisitChain]:
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
        _with_referral(chain.latest, referral),
        tuple(_with_referral(v, referral) for v in chain.earlier),
        chain.changes,
        chain.forked,
        chain.previous_weight,
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
                previous.entry,
                current.entry,
                old_date=previous.visit_date,
                new_date=current.visit_date,
                old_late_reason=previous.late_reason,
                new_late_reason=current.late_reason,
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
    with uow.reading() as uow:
        resident = get_live(uow, Resident, resident_id)
        name = resident.name
        chains = load_chains(uow, resident_id)
    chains.sort(key=lambda c: (c.latest.visit_date, c.latest.created_at))
    weighted: list[VisitChain] = []
    previous_weight: float | None = None
    for chain in chains:
        weighted.append(_with_previous_weight(chain, previous_weight))
        if chain.latest.entry.weight is not None:
            previous_weight = chain.latest.entry.weight
    points = tuple(
        ChartPoint(
            c.latest.visit_date,
            _int(c.latest.entry.sbp),
            _int(c.latest.entry.dbp),
            c.latest.entry.glucose,
            c.latest.entry.glucose_fasting,
        )
        for c in weighted
        if c.latest.outcome is VisitOutcome.SEEN
        and (c.latest.entry.sbp is not None or c.latest.entry.glucose is not None)
    )
    weighted.reverse()
    return VisitHistory(resident_id, name, tuple(weighted), points)


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _with_previous_weight(chain: VisitChain, weight: float | None) -> VisitChain:
    return replace(chain, previous_weight=weight)


def load_visit(uow: UnitOfWork, *, visit_id: str) -> VisitRecord:
    """Return one version of a visit.

    Raises:
        NotFound: no such visit.
    """
    with uow.reading() as uow:
        resident_id = queries.resident_of_visit(uow, visit_id)
        if resident_id is None:
            raise NotFound("visit.not_found")
        chains = load_chains(uow, resident_id)
    found = find_version(chains, visit_id)
    if found is None:
        raise NotFound("visit.not_found")
    return found


def find_version(chains: Iterable[VisitChain], visit_id: str) -> VisitRecord | None:
    """Return the version ``visit_id`` from ``chains``, or None."""
    for chain in chains:
        for version in (chain.latest, *chain.earlier):
            if version.id == visit_id:
                return version
    return None
