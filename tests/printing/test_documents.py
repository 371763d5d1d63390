"""Printing from the database (app.services.printing): round sheet, triage list and overdue list."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.i18n import set_language
from app.services.printing import print_overdue_list, print_round_sheet, print_triage_list, round_sheet
from app.services.rounds.plan import overdue_residents, plan_week
from app.store.models import Institution, Resident, Visit

TODAY = date(2026, 11, 16)
NOW = datetime(2026, 11, 16, 8, 30)


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=400, seed=3, today=TODAY)


@pytest.fixture
def ctx(demo_file: Path, template_copy: Callable[[Path], AppContext]) -> AppContext:
    return template_copy(demo_file)


def text_of(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return "".join(result.stdout.split())


def test_round_sheet_lists_every_resident_due_with_colour_words(ctx: AppContext, tmp_path: Path) -> None:
    planned = max(plan_week(ctx.uow(), week=TODAY, today=TODAY).rounds, key=lambda r: len(r.due))
    printed = print_round_sheet(ctx.uow(), round_id=planned.id, out=tmp_path / "r.pdf", today=TODAY, now=NOW)
    assert printed.residents == len(planned.due) > 10 and printed.pages >= 2
    text = text_of(printed.path)
    for resident in planned.due:
        assert "".join(resident.name.split()) in text
    assert text.count("第1页/共") == 1 and f"第{printed.pages}页/共{printed.pages}页" in text
    assert "●红" in text and "▲黄" in text
    assert planned.institution in text and planned.team in text
    assert any(doctor in text for doctor in ("周海燕", "李文斌", "孙国平"))
    sheet = round_sheet(ctx.uow(), round_id=planned.id, today=TODAY, now=NOW)
    assert [r.name for r in sheet.residents] == [d.name for d in planned.due]
    assert all(r.last_visit and r.why_due for r in sheet.residents)


def test_triage_list_groups_by_colour_and_says_what_to_watch_for(ctx: AppContext, tmp_path: Path) -> None:
    with ctx.uow() as uow:
        home = uow.session.exec(select(Institution).where(Institution.name == "康宁养老院")).one()
        resident = uow.session.exec(
            select(Resident).where(Resident.institution_id == home.id, Resident.status == "in_residence")
        ).first()
        assert resident is not None
        uow.session.add(Visit(resident_id=resident.id, visit_date=TODAY, outcome="seen", sbp=186, dbp=112))
        uow.commit()
        in_residence = uow.fast_rows(
            "SELECT COUNT(*) FROM resident WHERE institution_id = :i AND status = 'in_residence'", {"i": home.id}
        )[0][0]
    printed = print_triage_list(ctx.uow(), institution_id=home.id, out=tmp_path / "t.pdf", today=TODAY, now=NOW)
    assert printed.residents == in_residence
    text = text_of(printed.path)
    assert "分类名单—康宁养老院" in text
    red, yellow, green = text.index("●红重点人群"), text.index("▲黄次重点人群"), text.index("○绿一般人群")
    assert red < yellow < green
    assert "最近血压186/112：头痛、胸痛、肢体无力时立即联系团队" in text
    assert home.green_channel_hospital in text and home.green_channel_phone in text
    assert "团队电话021-" in text and "先拨打120" in text
    assert "".join(resident.name.split()) in text


def test_triage_list_in_english(ctx: AppContext, tmp_path: Path) -> None:
    set_language("en")
    with ctx.uow() as uow:
        home = uow.session.exec(select(Institution).where(Institution.name == "颐和养老公寓")).one()
    printed = print_triage_list(ctx.uow(), institution_id=home.id, out=tmp_path / "t.pdf", today=TODAY, now=NOW)
    text = subprocess.run(["pdftotext", str(printed.path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Triage list" in text and "Key (" in text and "What to watch for" in text and "Page 1 of" in text


def test_overdue_list_has_every_overdue_resident_most_days_first(ctx: AppContext, tmp_path: Path) -> None:
    today = TODAY + timedelta(days=2)
    expected = overdue_residents(ctx.uow(), today=today)
    printed = print_overdue_list(ctx.uow(), out=tmp_path / "o.pdf", today=today, now=NOW)
    assert printed.residents == len(expected) > 0
    text = text_of(printed.path)
    assert "逾期未访名单" in text and "全部签约机构" in text and f"共{len(expected)}人" in text
    # in the order of the list: most days overdue first (the layout keeps a table row's cells together)
    layout = subprocess.run(["pdftotext", "-layout", str(printed.path), "-"], capture_output=True, text=True).stdout
    positions = [layout.index(r.phone) for r in expected if r.phone]
    assert positions == sorted(positions)


def test_a_failed_print_leaves_no_file(ctx: AppContext, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OSError):
        print_overdue_list(ctx.uow(), out=blocker / "o.pdf", today=TODAY)
    out = tmp_path / "ok.pdf"
    print_overdue_list(ctx.uow(), out=out, today=TODAY)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    assert out.read_bytes().startswith(b"%PDF")


def test_every_document_embeds_its_only_font(ctx: AppContext, tmp_path: Path) -> None:
    with ctx.uow() as uow:
        home = uow.session.exec(select(Institution).where(Institution.name == "康宁养老院")).one()
    documents = [
        print_triage_list(ctx.uow(), institution_id=home.id, out=tmp_path / "t.pdf", today=TODAY).path,
        print_overdue_list(ctx.uow(), out=tmp_path / "o.pdf", today=TODAY).path,
    ]
    for pdf in documents:
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        fonts = listing.splitlines()[2:]
        assert fonts and all(" yes yes " in line for line in fonts), listing
