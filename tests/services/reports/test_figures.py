"""The figures of a hand-built center (report_center.py says how each number was counted)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from report_center import EXPECTED_Q4, TODAY, build

from app.bootstrap import AppContext, open_context
from app.domain.report_indicators import INDICATORS, RESIDENT_KEYS
from app.domain.report_periods import parse_period
from app.domain.reports import compute
from app.services.reports.figures import behind, compute_report
from app.store.queries import reports as queries
from app.store.queries.report_counts import resident_counts


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, dict[str, str]]]:
    context = open_context(tmp_path_factory.mktemp("report") / "center.sqlite")
    ids = build(context)
    yield context, ids
    context.close()


def test_every_indicator_of_the_quarter_counted_by_hand(center: tuple[AppContext, dict[str, str]]) -> None:
    context, _ = center
    report = compute_report(context.uow(), period=parse_period("2026-Q4"), today=TODAY)
    got = {indicator.key: report.figures.value(indicator.key) for indicator in INDICATORS}
    assert got == EXPECTED_Q4


def test_per_institution(center: tuple[AppContext, dict[str, str]]) -> None:
    context, ids = center
    figures = compute_report(context.uow(), period=parse_period("2026-Q4"), today=TODAY).figures
    a, b = figures.counts[ids["A"]], figures.counts[ids["B"]]
    assert (a["in_residence"], b["in_residence"]) == (3, 3)
    assert (a["rounds_held"], a["rounds_cancelled"], a["weeks"], a["weeks_compliant"]) == (10, 1, 14, 12)
    assert (b["rounds_held"], b["rounds_due"], b["weeks_compliant"]) == (3, 28, 1)
    assert (a["visits"], b["visits"]) == (5, 6)


def test_one_institution_alone_gives_its_own_figures(center: tuple[AppContext, dict[str, str]]) -> None:
    context, ids = center
    alone = compute_report(context.uow(), period=parse_period("2026-Q4"), today=TODAY, institution_id=ids["B"])
    both = compute_report(context.uow(), period=parse_period("2026-Q4"), today=TODAY)
    assert [name for _, name in alone.figures.institutions] == ["枫林敬老院"]
    assert alone.figures.counts[""] == both.figures.counts[ids["B"]]


def test_the_previous_quarter_beside(center: tuple[AppContext, dict[str, str]]) -> None:
    context, _ = center
    report = compute_report(context.uow(), period=parse_period("2026-Q4"), today=TODAY)
    assert report.previous is not None and report.previous.period == parse_period("2026-Q3")
    # at 30 September: 张一, 李二, 赵四 (alive then), 钱五, 周七, 吴八; 孙六 left on 15 September, 王三 came later
    assert report.previous.value("in_residence") == 6
    assert report.previous.value("ht_managed") == 4


def test_the_resident_turning_65_and_the_one_who_died(center: tuple[AppContext, dict[str, str]]) -> None:
    context, ids = center
    figures = compute_report(context.uow(), period=parse_period("2026-Q4"), today=TODAY).figures
    elderly = {row.id for row in behind(context.uow(), figures, "elderly")}
    assert ids["李二"] in elderly and ids["钱五"] not in elderly
    managed = {row.id for row in behind(context.uow(), figures, "ht_managed")}
    assert managed == {ids["张一"], ids["李二"], ids["吴八"]}  # 赵四 died in November
    assert {row.id for row in behind(context.uow(), figures, "visits")} >= {ids["赵四"]}
    # a year earlier 李二 was not yet 65 in the year
    last_year = compute_report(context.uow(), period=parse_period("2025"), today=TODAY).figures
    assert ids["李二"] not in {row.id for row in behind(context.uow(), last_year, "elderly")}


def test_every_figure_opens_as_many_lines_as_it_counts(center: tuple[AppContext, dict[str, str]]) -> None:
    context, ids = center
    figures = compute_report(context.uow(), period=parse_period("2026-Q4"), today=TODAY).figures
    for indicator in INDICATORS:
        counts_events = (
            "visits",
            "bed_days",
            "beds_opened",
            "beds_closed",
            "refills",
            "ad8",
            "ad8_positive",
            "care_level",
            *(key for key in RESIDENT_KEYS if key.startswith("referrals_")),  # a resident may have several
        )
        if indicator.is_rate or indicator.key in ("signed_institutions", "rounds_due", *counts_events):
            continue
        for institution in ("", ids["A"], ids["B"]):
            lines = behind(context.uow(), figures, indicator.key, institution)
            assert len(lines) == figures.counts[institution][indicator.key], (indicator.key, institution)
    held = [row.label for row in behind(context.uow(), figures, "rounds_held", ids["A"])]
    assert "2026-12-08" in held and "2026-12-15" not in held and "2027-01-02" not in held
    rate_lines = behind(context.uow(), figures, "ht_control_rate")
    assert [row.label for row in rate_lines] == ["张一"]


def test_a_nurse_may_see_the_figures(center: tuple[AppContext, dict[str, str]], tmp_path: Path) -> None:
    from app.store.models import Staff

    context, _ = center
    with context.uow() as uow:
        nurse = Staff(name="护士", role="nurse", login=f"n{tmp_path.name[-6:]}", password_hash="x")
        uow.session.add(nurse)
        uow.commit()
        nurse_id = nurse.id
    context.actor_id = nurse_id
    try:
        report = compute_report(context.uow(), period=parse_period("2026-11"), today=TODAY)
    finally:
        context.actor_id = None
    assert report.period.label == "2026-11"


def test_each_disease_counts_its_own_follow_ups(center: tuple[AppContext, dict[str, str]]) -> None:
    # 吴八: 4 hypertension follow-ups (regular), 3 diabetes ones (not); the last BP and fasting glucose are those
    # of each disease's own follow-ups (counting every classified visit for both said regular and controlled)
    context, ids = center
    figures = compute_report(context.uow(), period=parse_period("2026-Q4"), today=TODAY).figures
    listed = {key: {row.id for row in behind(context.uow(), figures, key)} for key in RESIDENT_KEYS}
    assert ids["吴八"] in listed["ht_managed"] and ids["吴八"] in listed["ht_regular"]
    assert ids["吴八"] not in listed["ht_controlled"]
    assert ids["吴八"] in listed["dm_managed"]
    assert ids["吴八"] not in listed["dm_regular"] and ids["吴八"] not in listed["dm_controlled"]
    assert listed["referrals_overdue"] == {ids["赵四"], ids["吴八"]}


PERIODS = ("2026-Q4", "2026-Q3", "2026-11", "2026-12", "2026", "2027-01", "2026-11-15..2026-12-20", "2025")


@pytest.mark.parametrize("text", PERIODS)
def test_the_database_counts_as_the_lists_do(center: tuple[AppContext, dict[str, str]], text: str) -> None:
    """The figures are summed by one SQL statement; the lists behind them apply the domain's rules to each
    resident's facts: the two agree on every resident figure, per institution, for every kind of period."""
    context, ids = center
    period = parse_period(text)
    for institution in (None, ids["A"], ids["B"]):
        with context.uow().reading() as uow:
            counted = resident_counts(uow, period, today=TODAY, institution_id=institution)
            homes = queries.institutions(uow, institution)
            facts = queries.resident_facts(uow, period, institution, today=TODAY)
        by_rules = compute(period, homes, facts, [], [], today=TODAY).counts
        by_sql = compute(period, homes, [], [], [], today=TODAY, resident_counts=counted).counts
        assert by_sql == by_rules, (text, institution)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report-template") / "center.sqlite"
    context = open_context(path)
    build(context)
    context.close()
    return path


def test_the_same_figures_on_both_engines(engine_copy: Callable[[Path], AppContext], template: Path) -> None:
    """The set-based statement and the lists' per-resident reading on SQLite and on PostgreSQL (#20)."""
    context = engine_copy(template)
    figures = compute_report(context.uow(), period=parse_period("2026-Q4"), today=TODAY).figures
    assert {indicator.key: figures.value(indicator.key) for indicator in INDICATORS} == EXPECTED_Q4
    for text in ("2026-Q4", "2026-11", "2027-01"):
        period = parse_period(text)
        with context.uow().reading() as uow:
            counted = resident_counts(uow, period, today=TODAY)
            homes = queries.institutions(uow)
            facts = queries.resident_facts(uow, period, today=TODAY)
        by_rules = compute(period, homes, facts, [], [], today=TODAY).counts
        assert compute(period, homes, [], [], [], today=TODAY, resident_counts=counted).counts == by_rules, text
    assert len(behind(context.uow(), figures, "ht_managed")) == 3
