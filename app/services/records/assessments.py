"""Assessments — 评估: self-care, AD8, care level, falls and the annual health check, each recorded as one action.

The domain works out scores and results (:mod:`app.domain.records`); the newest care-level assessment
becomes the resident's care level.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from app.domain.annual_check import annual_check_assessment
from app.domain.assessments import Ad8Input
from app.domain.permissions import Action
from app.domain.records import (
    AssessmentFields,
    ad8_assessment,
    care_level_assessment,
    fall_assessment,
    self_care_assessment,
)
from app.services.editing import Saved, apply_changes, get_live, permit
from app.store.models import Assessment, Resident
from app.store.queries import records as queries
from app.store.uow import UnitOfWork


def _today(today: date | None) -> date:
    return today or date.today()


def _add_assessment(uow: UnitOfWork, resident_id: str, build: Any) -> Saved:
    with uow:
        permit(uow, Action.RECORD_VISITS)
        resident = get_live(uow, Resident, resident_id)
        fields: AssessmentFields = build(resident.birth_date)
        row = Assessment(
            resident_id=resident_id,
            kind=fields.kind.value,
            assessed_on=fields.assessed_on,
            assessed_by=uow.actor_id,
            score=fields.score,
            result=fields.result,
            items=json.dumps(fields.items, ensure_ascii=False) if fields.items else "",
            notes=fields.notes,
        )
        uow.session.add(row)
        changed: list[str] = ["assessment"]
        if fields.kind.value == "care_level" and _is_latest(uow, resident_id, "care_level", fields.assessed_on):
            changed += apply_changes(uow, resident, {"care_level": fields.score})
        uow.commit()
        return Saved(resident_id, tuple(changed), row.id)


def _is_latest(uow: UnitOfWork, resident_id: str, kind: str, on: date) -> bool:
    latest = queries.last_assessed_on(uow, resident_id, kind)
    return latest is None or on.isoformat() >= latest


def record_self_care(
    uow: UnitOfWork,
    *,
    resident_id: str,
    levels: Mapping[str, int],
    assessed_on: date,
    notes: str = "",
    today: date | None = None,
) -> Saved:
    """Record a self-care assessment (five items, levels 0–3); its score and band are worked out.

    Raises:
        ValidationError: a missing or bad item, a date in the future or before birth.
    """
    day = _today(today)
    return _add_assessment(
        uow,
        resident_id,
        lambda born: self_care_assessment(levels, assessed_on=assessed_on, today=day, birth_date=born, notes=notes),
    )


def record_ad8(
    uow: UnitOfWork,
    *,
    resident_id: str,
    answers: Mapping[str, Ad8Input],
    assessed_on: date,
    notes: str = "",
    today: date | None = None,
) -> Saved:
    """Record an AD8 screen (eight yes/no/don't-know answers); ≥ 2 "yes" is positive.

    Raises:
        ValidationError: a missing or bad answer, a date in the future or before birth.
    """
    day = _today(today)
    return _add_assessment(
        uow,
        resident_id,
        lambda born: ad8_assessment(answers, assessed_on=assessed_on, today=day, birth_date=born, notes=notes),
    )


def record_care_level(
    uow: UnitOfWork, *, resident_id: str, level: int, assessed_on: date, notes: str = "", today: date | None = None
) -> Saved:
    """Record an assessed care level 0–6; the newest one becomes the resident's care level.

    Raises:
        ValidationError: a level outside 0–6, a date in the future or before birth.
    """
    day = _today(today)
    return _add_assessment(
        uow,
        resident_id,
        lambda born: care_level_assessment(level, assessed_on=assessed_on, today=day, birth_date=born, notes=notes),
    )


def record_fall(
    uow: UnitOfWork, *, resident_id: str, fell_on: date, injury: bool, notes: str = "", today: date | None = None
) -> Saved:
    """Record a fall — 跌倒 — on its date.

    Raises:
        ValidationError: a date in the future or before birth.
    """
    day = _today(today)
    return _add_assessment(
        uow,
        resident_id,
        lambda born: fall_assessment(assessed_on=fell_on, today=day, injury=injury, birth_date=born, notes=notes),
    )


def record_annual_check(
    uow: UnitOfWork,
    *,
    resident_id: str,
    values: Mapping[str, object],
    summary: str,
    checked_on: date,
    today: date | None = None,
) -> Saved:
    """Record an annual health check (DOMAIN §3): every item, closed by the doctor's summary.

    It resets the "annual check due" clock (the ``resident_facts`` triggers read it).

    Raises:
        ValidationError: a missing or bad item, no summary, a date in the future or before birth.
    """
    day = _today(today)
    return _add_assessment(
        uow,
        resident_id,
        lambda born: annual_check_assessment(
            values, summary=summary, assessed_on=checked_on, today=day, birth_date=born
        ),
    )
