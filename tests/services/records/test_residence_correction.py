"""``resident edit`` of the bed: a correction of the current stay in place, not a move (status can be backdated)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain.errors import ValidationError
from app.domain.idcard import make_id_number
from app.services.institutions import save_institution
from app.services.records.residents import create_resident, edit_resident
from app.store.models import ResidencePeriod, Resident

TODAY = date(2026, 11, 22)
NUMBER = make_id_number("310104", date(1941, 6, 1), 3, "F")


@pytest.fixture
def ctx(db_path: Path) -> Iterator[AppContext]:
    context = open_context(db_path)
    yield context
    context.close()


def periods(ctx: AppContext, resident_id: str) -> list[tuple[str, str, date, date | None]]:
    with ctx.uow() as uow:
        rows = uow.session.exec(select(ResidencePeriod).where(ResidencePeriod.resident_id == resident_id))
        return sorted((p.institution_id, p.bed, p.start_date, p.end_date) for p in rows)


def test_a_bed_fix_corrects_the_stay_in_place_and_a_status_can_still_be_backdated(ctx: AppContext) -> None:
    home = save_institution(ctx.uow(), name="康宁养老院", kind="nursing_home", beds=100)
    other = save_institution(ctx.uow(), name="枫林敬老院", kind="nursing_home", beds=80)
    resident_id = create_resident(
        ctx.uow(),
        name="张红丽",
        id_number=NUMBER,
        institution_id=home,
        building="A",
        room="101",
        bed="1",
        admission_date=date(2025, 6, 12),
        today=TODAY,
    ).resident_id
    result = edit_resident(ctx.uow(), key=resident_id, values={"bed": "2"}, today=TODAY)
    assert [(f, old, new) for f, old, new in result.changes if f == "bed"] == [("bed", "1", "2")]
    assert periods(ctx, resident_id) == [(home, "2", date(2025, 6, 12), None)]
    edit_resident(ctx.uow(), key=resident_id, values={"status": "住院", "status_date": "2026-11-20"}, today=TODAY)
    with ctx.uow() as uow:
        row = uow.session.get(Resident, resident_id)
        assert row is not None and (row.status, row.status_date, row.bed) == ("hospitalized", date(2026, 11, 20), "2")
    # another institution is a real move, dated today: the old stay ends, a new one starts
    edit_resident(ctx.uow(), key=resident_id, values={"institution": "枫林敬老院", "bed": "5"}, today=TODAY)
    assert periods(ctx, resident_id) == sorted([(home, "2", date(2025, 6, 12), TODAY), (other, "5", TODAY, None)])


def test_a_bed_fix_of_a_resident_who_left_is_refused(ctx: AppContext) -> None:
    home = save_institution(ctx.uow(), name="康宁养老院", kind="nursing_home", beds=100)
    resident_id = create_resident(
        ctx.uow(),
        name="张红丽",
        id_number=NUMBER,
        institution_id=home,
        building="A",
        room="101",
        bed="1",
        admission_date=date(2025, 6, 12),
        today=TODAY,
    ).resident_id
    edit_resident(ctx.uow(), key=resident_id, values={"status": "出院", "status_date": "2026-11-21"}, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        edit_resident(ctx.uow(), key=resident_id, values={"bed": "2"}, today=TODAY)
    assert refused.value.field == "bed"
