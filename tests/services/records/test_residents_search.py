"""Search as you type by name, pinyin, bed and ID digits; filters by institution and colour."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.domain.colours import TriageColour
from app.domain.residents import ResidentStatus
from app.services.institutions import list_institutions
from app.services.records.search import count_residents, search_residents


def _names(rows: list) -> set[str]:
    return {row.name for row in rows}


@pytest.mark.parametrize("query", ["张红丽", "张红", "zhl", "ZHL", "zhanghongli", "zhang hong li", "ｚｈｌ", "hongli"])
def test_zhang_hongli_is_found_by_name_and_pinyin(demo_context: AppContext, query: str) -> None:
    assert "张红丽" in _names(search_residents(demo_context.uow(), text=query))


def test_every_row_matches_initials_query(demo_context: AppContext) -> None:
    rows = search_residents(demo_context.uow(), text="zhl")
    assert rows and all(row.name.startswith(("张", "赵", "郑", "周", "钟", "朱")) for row in rows)


def test_search_by_bed_and_by_last_id_digits(demo_context: AppContext) -> None:
    every = search_residents(demo_context.uow())
    target = every[17]
    bed = f"{target.building}-{target.room}-{target.bed}"
    assert target.id in {r.id for r in search_residents(demo_context.uow(), text=bed)}
    assert target.id in {r.id for r in search_residents(demo_context.uow(), text=target.id_number[-4:])}
    assert [r.id for r in search_residents(demo_context.uow(), text=target.id_number)] == [target.id]
    assert target.id in {r.id for r in search_residents(demo_context.uow(), text=target.id_number.lower())}


def test_like_wildcards_are_taken_literally(demo_context: AppContext) -> None:
    assert search_residents(demo_context.uow(), text="%") == []
    assert search_residents(demo_context.uow(), text="_") == []


def test_filters_by_institution_and_colour(demo_context: AppContext) -> None:
    everyone = search_residents(demo_context.uow())
    for institution in list_institutions(demo_context.uow()):
        for colour in TriageColour:
            rows = search_residents(demo_context.uow(), institution_id=institution.id, colour=colour)
            expected = [r for r in everyone if r.institution == institution.name and r.colour == colour.value]
            assert rows == expected
    assert any(r.colour == "red" for r in everyone)


def test_default_list_shows_current_residents_and_all_on_request(demo_context: AppContext) -> None:
    current = search_residents(demo_context.uow())
    everyone = search_residents(demo_context.uow(), statuses=None)
    assert {row.status for row in current} <= {"in_residence", "hospitalized"}
    assert len(everyone) == 300 and len(current) < 300
    departed = search_residents(demo_context.uow(), statuses=[ResidentStatus.DECEASED, ResidentStatus.DISCHARGED])
    assert len(current) + len(departed) == 300


def test_rows_are_ordered_by_institution_then_bed(demo_context: AppContext) -> None:
    rows = search_residents(demo_context.uow())
    keys = [(r.institution, r.building, r.room, r.bed, r.name) for r in rows]
    assert keys == sorted(keys)


def test_a_status_date_without_a_status_is_refused_for_any_caller() -> None:
    from app.domain.errors import ValidationError
    from app.services.records.residents import check_edit_fields

    with pytest.raises(ValidationError) as refused:
        check_edit_fields({"status_date": "2026-11-20"})
    assert refused.value.field == "status_date"
    check_edit_fields({"status": "hospitalized", "status_date": "2026-11-20"})  # together: fine


def _home_with(context: AppContext, names_and_rooms: list[tuple[str, str]]) -> None:
    from datetime import date

    from app.domain.idcard import make_id_number
    from app.services.institutions import save_institution
    from app.services.records.residents import create_resident

    home = save_institution(context.uow(), name="康宁养老院", kind="nursing_home", beds=100)
    for sequence, (name, room) in enumerate(names_and_rooms, start=1):
        create_resident(
            context.uow(),
            name=name,
            id_number=make_id_number("310104", date(1940, 5, 17), sequence, "F"),
            institution_id=home,
            building="A",
            room=room,
            bed="1",
            admission_date=date(2020, 1, 5),
            today=date(2026, 11, 16),
        )


def test_exact_initials_rank_first_then_initials_that_start_so_then_the_rest(context: AppContext) -> None:
    # In bed order 欧阳慧敏 (oyhm: contains yhm) and 杨海明霞 (yhmx: starts with yhm) come before 杨海明 (yhm).
    _home_with(context, [("欧阳慧敏", "101"), ("杨海明霞", "102"), ("杨海明", "103"), ("李海明", "104")])
    assert [row.name for row in search_residents(context.uow(), text="yhm")] == ["杨海明", "杨海明霞", "欧阳慧敏"]
    assert [row.name for row in search_residents(context.uow(), text="YHM ")] == ["杨海明", "杨海明霞", "欧阳慧敏"]
    # A name typed whole also ranks first; ties keep the bed order.
    assert [row.name for row in search_residents(context.uow(), text="杨海明")] == ["杨海明", "杨海明霞"]
    # Only initials or a name equal to the text, or starting with it, rank higher; ties keep the bed order.
    assert [row.name for row in search_residents(context.uow(), text="yang")] == ["杨海明霞", "杨海明", "欧阳慧敏"]
    in_bed_order = ["欧阳慧敏", "杨海明霞", "杨海明", "李海明"]
    assert [row.name for row in search_residents(context.uow(), text="hm")] == in_bed_order
    # No text: plain bed order, unranked.
    assert [row.name for row in search_residents(context.uow())] == in_bed_order


@pytest.fixture(params=["sorted", "in list order"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a page is read: the few residents the trigram index finds, sorted; or in list order."""
    if request.param == "in list order":
        monkeypatch.setattr("app.store.queries.records.SORTED_AT_MOST", 0)
    return str(request.param)


@pytest.mark.parametrize("query", ["", "z", "zh", "1", "a-", "张", "zhl", "123", "hongli", "d"])
def test_pages_follow_each_other_and_the_count_counts_them_all(demo_context: AppContext, query: str, path: str) -> None:
    """The list reads a page at a time (issue 19): the pages, one after the other, are the whole result."""
    everything = search_residents(demo_context.uow(), text=query)
    pages: list = []
    while len(page := search_residents(demo_context.uow(), text=query, limit=7, offset=len(pages))) == 7:
        pages += page
    pages += page
    assert pages == everything
    assert count_residents(demo_context.uow(), text=query) == len(everything)


def test_the_count_takes_the_same_filters(demo_context: AppContext) -> None:
    institution = list_institutions(demo_context.uow())[0]
    for colour in (None, *TriageColour):
        for statuses in (None, [ResidentStatus.DECEASED]):
            found = search_residents(
                demo_context.uow(), text="a", institution_id=institution.id, colour=colour, statuses=statuses
            )
            counted = count_residents(
                demo_context.uow(), text="a", institution_id=institution.id, colour=colour, statuses=statuses
            )
            assert counted == len(found)


@pytest.mark.parametrize("length", [1, 2, 3, 4, 6])
def test_every_substring_of_every_key_finds_the_same_as_a_scan(
    demo_context: AppContext, length: int, path: str
) -> None:
    """Three characters or more are found in the trigram index, fewer by scanning: both find every resident one
    of whose keys holds the text, and no other."""
    everyone = search_residents(demo_context.uow(), statuses=None)
    with demo_context.uow().reading() as uow:
        keys = dict(uow.fast_rows("SELECT id, search_text FROM resident WHERE deleted = 0"))
    for row in everyone[::23]:
        for key in keys[row.id].strip("|").split("|"):
            query = key[:length]
            found = search_residents(demo_context.uow(), text=query, statuses=None)
            assert {r.id for r in found} == {i for i, text in keys.items() if query in text}, query
            ranks = [_rank(keys[r.id], query) for r in found]
            assert ranks == sorted(ranks), query  # whole keys first, then keys starting with the query, then the rest
            for rank in set(ranks):
                group = [
                    (r.institution, r.building, r.room, r.bed, r.name)
                    for r, k in zip(found, ranks, strict=True)
                    if k == rank
                ]
                assert group == sorted(group), query


@pytest.mark.parametrize("query", ['"', '""x', 'a"b', "a*", "NEAR(a b)", "a OR b", "^ab", "'ab"])
def test_query_syntax_characters_are_taken_literally(demo_context: AppContext, query: str) -> None:
    assert search_residents(demo_context.uow(), text=query) == []
    assert count_residents(demo_context.uow(), text=query) == 0


def _rank(text: str, query: str) -> int:
    return 0 if f"|{query}|" in text else 1 if f"|{query}" in text else 2


@pytest.mark.parametrize("query", ["|", "||", "a|", "|a", "|z", "-1|", "|1", "1|"])
def test_queries_with_the_separator_find_the_same_as_a_scan(demo_context: AppContext, query: str, path: str) -> None:
    """The separator of search_text typed in a query: the index must not lose the key at the text's end."""
    with demo_context.uow().reading() as uow:
        keys = dict(uow.fast_rows("SELECT id, search_text FROM resident WHERE deleted = 0"))
    found = {r.id for r in search_residents(demo_context.uow(), text=query, statuses=None)}
    assert found == {i for i, text in keys.items() if query in text}
