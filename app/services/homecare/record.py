"""What the resident record shows of the homes' services (issue 18): the open family bed and the supply of
each long-term medication (the day it runs out; a medication run out without a refill is flagged)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.services.homecare.beds import BedView, bed_of_resident
from app.services.homecare.refills import SupplyLine, supply_of
from app.store.uow import UnitOfWork


@dataclass(frozen=True)
class RecordHomecare:
    """The resident's open bed (None: none) and their long-term medications taken today, by medication id."""

    bed: BedView | None = None
    supply: dict[str, SupplyLine] = field(default_factory=dict)


def record_homecare(uow: UnitOfWork, *, resident_id: str, today: date) -> RecordHomecare:
    """Return the open bed and the supply of the resident's long-term medications as of ``today``.

    Raises:
        PermissionDenied: the signed-in person may not see records.
    """
    bed = bed_of_resident(uow, resident_id=resident_id, today=today)
    lines = supply_of(uow, resident_id=resident_id, today=today)
    return RecordHomecare(bed, {line.medication_id: line for line in lines})
