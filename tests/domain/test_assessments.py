"""Tests for app.domain.assessments: self-care score and bands, AD8, care level (DOMAIN §3)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assessments import (
    AD8_ITEMS,
    SELF_CARE_ITEMS,
    SELF_CARE_MAX_SCORE,
    Ad8Answer,
    Ad8Input,
    Ad8Result,
    DependenceLevel,
    SelfCareBand,
    ad8_positive,
    ad8_proposes_referral,
    ad8_result,
    ad8_score,
    normalize_ad8_answer,
    normalize_ad8_answers,
    qualifies_for_ltc,
    self_care_band,
    self_care_options,
    self_care_score,
    validate_care_level,
)
from app.domain.errors import ValidationError
from app.domain.i18n import LANGUAGES, current_language, known_keys, set_language, t

# DOMAIN §3, typed in again so a slip in the module's table cannot pass unnoticed.
DOMAIN_POINTS = {
    "eating": (0, 0, 3, 5),
    "grooming": (0, 1, 3, 7),
    "dressing": (0, 0, 3, 5),
    "toileting": (0, 1, 5, 10),
    "moving": (0, 1, 5, 10),
}
ITEM_KEYS = list(DOMAIN_POINTS)


@pytest.fixture
def language() -> Iterator[None]:
    saved = current_language()
    yield
    set_language(saved)


def refusal(call: Callable[[], object], field: str, reason_key: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    assert (caught.value.field, caught.value.reason_key) == (field, reason_key)
    return caught.value


def levels(**overrides: int) -> dict[str, int]:
    """Return all five items at 可自理 (0) except the ones given."""
    return {key: 0 for key in ITEM_KEYS} | overrides


def ad8(**overrides: Ad8Input) -> dict[str, Ad8Input]:
    """Return all eight AD8 answers "no" except the ones given."""
    answers: dict[str, Ad8Input] = {key: "no" for key in AD8_ITEMS}
    return answers | overrides


# --- self-care items ------------------------------------------------------------------------


def test_item_table_matches_domain() -> None:
    assert {item.key: item.points for item in SELF_CARE_ITEMS} == DOMAIN_POINTS
    assert SELF_CARE_MAX_SCORE == 37
    assert [level.value for level in DependenceLevel] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("item", "level", "points"),
    [(item, level, DOMAIN_POINTS[item][level]) for item in ITEM_KEYS for level in range(4)],
)
def test_each_item_level_scores_its_points(item: str, level: int, points: int) -> None:
    assert self_care_score(levels(**{item: level})) == points


def test_every_combination_scores_the_sum_of_its_points() -> None:
    for combination in itertools.product(range(4), repeat=5):
        given_levels = dict(zip(ITEM_KEYS, combination, strict=True))
        expected = sum(DOMAIN_POINTS[key][lvl] for key, lvl in given_levels.items())
        assert self_care_score(given_levels) == expected


def test_dependence_level_enum_is_accepted() -> None:
    assert self_care_score({key: DependenceLevel.DEPENDENT for key in ITEM_KEYS}) == 37


def test_unknown_item_is_refused() -> None:
    error = refusal(lambda: self_care_score(levels(bathing=1)), "self_care", "self_care.unknown_item")
    assert error.value == "bathing"


@pytest.mark.parametrize("missing", ITEM_KEYS)
def test_each_missing_item_is_refused(missing: str, language: None) -> None:
    given_levels = levels()
    del given_levels[missing]
    error = refusal(lambda: self_care_score(given_levels), "self_care", "self_care.missing_items")
    set_language("zh_CN")
    assert t(f"self_care.item.{missing}") in str(error)


def test_missing_items_message_lists_missing_and_given_items(language: None) -> None:
    error = refusal(
        lambda: self_care_score({"eating": 0, "moving": 1}),
        "self_care",
        "self_care.missing_items",
    )
    set_language("zh_CN")
    assert str(error) == "生活自理能力评估：还有项目未评：梳洗、穿衣、如厕（输入值：进餐、活动）"
    set_language("en")
    assert str(error) == (
        "self-care assessment: some items are not assessed yet: grooming, dressing, toileting "
        "(value: eating, moving about)"
    )


def test_empty_self_care_is_refused() -> None:
    refusal(lambda: self_care_score({}), "self_care", "self_care.missing_items")


@pytest.mark.parametrize("bad", [-1, 4, 10, True, False, 1.5, "1", None])
def test_bad_level_is_refused(bad: object) -> None:
    error = refusal(
        lambda: self_care_score(levels(moving=bad)),  # type: ignore[arg-type]
        "self_care",
        "self_care.bad_level",
    )
    assert error.value == bad


# --- self-care bands ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, SelfCareBand.INDEPENDENT),
        (3, SelfCareBand.INDEPENDENT),
        (4, SelfCareBand.MILD),
        (8, SelfCareBand.MILD),
        (9, SelfCareBand.MODERATE),
        (18, SelfCareBand.MODERATE),
        (19, SelfCareBand.DEPENDENT),
        (37, SelfCareBand.DEPENDENT),
    ],
)
def test_band_boundaries(score: int, band: SelfCareBand) -> None:
    assert self_care_band(score) is band


def test_bands_cover_every_score_exactly_once() -> None:
    for score in range(SELF_CARE_MAX_SCORE + 1):
        matching = [band for band in SelfCareBand if band.lowest <= score <= band.highest]
        assert matching == [self_care_band(score)]


@pytest.mark.parametrize("score", [-1, 38, 100, True])
def test_band_of_an_impossible_score_is_refused(score: int) -> None:
    refusal(lambda: self_care_band(score), "self_care", "self_care.score_range")


def test_a_realistic_resident() -> None:
    # Needs help with grooming and toileting, cannot move about alone.
    score = self_care_score(levels(grooming=1, toileting=2, moving=3))
    assert score == 1 + 5 + 10
    assert self_care_band(score) is SelfCareBand.MODERATE


# --- AD8 ------------------------------------------------------------------------------------


def test_ad8_has_the_eight_items_in_order() -> None:
    assert AD8_ITEMS == (
        "judgement", "interest", "repeats", "learning_tools",
        "forgets_month_year", "finances", "appointments", "daily_memory",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("yes", Ad8Answer.YES),
        ("YES", Ad8Answer.YES),
        (" Yes ", Ad8Answer.YES),
        ("no", Ad8Answer.NO),
        ("unknown", Ad8Answer.UNKNOWN),
        (True, Ad8Answer.YES),
        (False, Ad8Answer.NO),
        (None, Ad8Answer.UNKNOWN),
        (Ad8Answer.NO, Ad8Answer.NO),
    ],
)
def test_normalize_ad8_answer(answer: Ad8Input, expected: Ad8Answer) -> None:
    assert normalize_ad8_answer(answer) is expected


@pytest.mark.parametrize("answer", ["maybe", "", "y", "1", 1, 0])
def test_bad_ad8_answers_are_refused(answer: Ad8Input) -> None:
    refusal(lambda: normalize_ad8_answer(answer), "ad8", "ad8.bad_answer_any")
    refusal(lambda: ad8_score(ad8(finances=answer)), "ad8", "ad8.bad_answer")


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        (ad8(), 0),
        (ad8(judgement="yes"), 1),
        (ad8(judgement="yes", daily_memory=True), 2),
        ({key: "yes" for key in AD8_ITEMS}, 8),
        ({key: "unknown" for key in AD8_ITEMS}, 0),
        ({key: None for key in AD8_ITEMS}, 0),
        (ad8(judgement="yes", interest="unknown", repeats=None), 1),
        (ad8(judgement=True, interest=True, repeats="unknown", finances=False), 2),
        ({key: ("yes" if i % 2 else "unknown") for i, key in enumerate(AD8_ITEMS)}, 4),
    ],
)
def test_ad8_score_counts_yes_and_ignores_unknown(answers: Mapping[str, Ad8Input], score: int) -> None:
    assert ad8_score(answers) == score


@given(st.lists(st.sampled_from(["yes", "no", "unknown", True, False, None]), min_size=8, max_size=8))
def test_ad8_score_is_the_number_of_yes_answers(answers: list[Ad8Input]) -> None:
    expected = sum(1 for answer in answers if answer == "yes" or answer is True)
    assert ad8_score(dict(zip(AD8_ITEMS, answers, strict=True))) == expected


@pytest.mark.parametrize("missing", AD8_ITEMS)
def test_each_missing_ad8_item_is_refused(missing: str) -> None:
    answers = ad8()
    del answers[missing]
    refusal(lambda: ad8_score(answers), "ad8", "ad8.missing_items")


def test_extra_ad8_item_is_refused() -> None:
    error = refusal(lambda: ad8_score(ad8(mood="yes")), "ad8", "ad8.unknown_item")
    assert error.value == "mood"


def test_normalize_ad8_answers_keeps_item_order() -> None:
    reversed_answers = dict(reversed(list(ad8(repeats=True).items())))
    normalized = normalize_ad8_answers(reversed_answers)
    assert list(normalized) == list(AD8_ITEMS)
    assert normalized["repeats"] is Ad8Answer.YES


@pytest.mark.parametrize(("score", "positive"), [(0, False), (1, False), (2, True), (8, True)])
def test_ad8_positive_from_2(score: int, positive: bool) -> None:
    assert ad8_positive(score) is positive


@pytest.mark.parametrize("score", [-1, 9, True])
def test_ad8_positive_refuses_impossible_scores(score: int) -> None:
    refusal(lambda: ad8_positive(score), "ad8", "ad8.score_range")


def test_two_yes_and_six_unknown_is_positive() -> None:
    answers = {key: "unknown" for key in AD8_ITEMS} | {"repeats": "yes", "finances": "yes"}
    assert ad8_positive(ad8_score(answers))


# --- care level -----------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "qualifies"), [(0, False), (1, False), (2, True), (3, True), (5, True), (6, True)])
def test_care_levels_and_ltc(level: int, qualifies: bool) -> None:
    assert validate_care_level(level) == level
    assert qualifies_for_ltc(level) is qualifies


@pytest.mark.parametrize("level", [-1, 7, 10, True, 2.0, "2", None])
def test_bad_care_levels_are_refused(level: Any) -> None:
    refusal(lambda: validate_care_level(level), "care_level", "care_level.range")
    refusal(lambda: qualifies_for_ltc(level), "care_level", "care_level.range")


# --- messages -------------------------------------------------------------------------------

ERRORS: list[tuple[Callable[[], object], str, str]] = [
    (lambda: self_care_score(levels(bathing=0)), "self_care", "bathing"),
    (lambda: self_care_score(levels(eating=4)), "self_care", "4"),
    (lambda: self_care_score({"eating": 0}), "self_care", ""),
    (lambda: self_care_band(38), "self_care", "38"),
    (lambda: ad8_score(ad8(mood="no")), "ad8", "mood"),
    (lambda: ad8_score(ad8(interest="maybe")), "ad8", "maybe"),
    (lambda: ad8_score({"judgement": "yes"}), "ad8", ""),
    (lambda: ad8_positive(9), "ad8", "9"),
    (lambda: normalize_ad8_answer("perhaps"), "ad8", "perhaps"),
    (lambda: validate_care_level(7), "care_level", "7"),
]


@pytest.mark.parametrize(("call", "field", "value"), ERRORS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_error_text_names_field_value_and_reason(
    call: Callable[[], object], field: str, value: str, lang: str, language: None
) -> None:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    assert error.field == field
    assert error.reason_key in known_keys()
    set_language(lang)
    message = str(error)
    assert t(f"field.{field}") in message
    assert value in message
    assert error.reason in message
    assert "{" not in message
    assert error.reason_key not in message


def test_bad_level_message_names_the_item_in_both_languages(language: None) -> None:
    error = refusal(lambda: self_care_score(levels(toileting=5)), "self_care", "self_care.bad_level")
    set_language("zh_CN")
    assert "如厕" in str(error)
    set_language("en")
    assert "toileting" in str(error)


@pytest.mark.parametrize(
    "key",
    [item.label_key for item in SELF_CARE_ITEMS]
    + [band.label_key for band in SelfCareBand]
    + [f"self_care.level.{level.value}" for level in DependenceLevel]
    + [f"ad8.item.{item}" for item in AD8_ITEMS]
    + [answer.label_key for answer in Ad8Answer],
)
def test_labels_exist_in_both_languages(key: str, language: None) -> None:
    assert key in known_keys()
    texts = []
    for lang in LANGUAGES:
        set_language(lang)
        texts.append(t(key))
    assert all(texts)
    assert texts[0] != texts[1]


# --- issue #16 item 8: assessment forms never guess ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unknown", "yes", "expected"),
    [
        (0, 0, Ad8Result.NEGATIVE),
        (3, 0, Ad8Result.NEGATIVE),
        (3, 1, Ad8Result.NEGATIVE),
        (3, 2, Ad8Result.POSITIVE),
        (4, 0, Ad8Result.NOT_INTERPRETABLE),
        (4, 2, Ad8Result.NOT_INTERPRETABLE),
        (5, 3, Ad8Result.NOT_INTERPRETABLE),
        (8, 0, Ad8Result.NOT_INTERPRETABLE),
        (0, 2, Ad8Result.POSITIVE),
    ],
)
def test_ad8_with_four_or_more_dont_know_is_not_interpretable(unknown: int, yes: int, expected: Ad8Result) -> None:
    answers: dict[str, Ad8Input] = {key: "no" for key in AD8_ITEMS}
    for key in AD8_ITEMS[:unknown]:
        answers[key] = "unknown"
    for key in AD8_ITEMS[unknown : unknown + yes]:
        answers[key] = "yes"
    assert ad8_result(answers) is expected


def test_a_positive_ad8_without_a_diagnosis_proposes_a_referral() -> None:
    assert ad8_proposes_referral("positive", diagnosed=False)
    assert not ad8_proposes_referral("positive", diagnosed=True)
    assert not ad8_proposes_referral("negative", diagnosed=False)
    assert not ad8_proposes_referral("not_interpretable", diagnosed=False)


def test_an_ad8_left_unanswered_is_refused_not_read_as_no() -> None:
    answers = ad8()
    del answers["finances"]
    refusal(lambda: ad8_result(answers), "ad8", "ad8.missing_items")


def test_the_self_care_form_offers_each_levels_points_eating_and_dressing_mild_score_0() -> None:
    by_item = {item.key: self_care_options(item) for item in SELF_CARE_ITEMS}
    assert [points for _, points in by_item["eating"]] == [0, 0, 3, 5]
    assert [points for _, points in by_item["dressing"]] == [0, 0, 3, 5]
    assert [points for _, points in by_item["grooming"]] == [0, 1, 3, 7]
    assert all([level for level, _ in options] == list(DependenceLevel) for options in by_item.values())


def test_self_care_with_an_item_unanswered_is_an_error_and_the_score_spans_0_to_37() -> None:
    partial = levels()
    del partial["moving"]
    refusal(lambda: self_care_score(partial), "self_care", "self_care.missing_items")
    assert self_care_score(levels()) == 0
    assert self_care_score({key: 3 for key in ITEM_KEYS}) == 37
    assert self_care_band(37) is SelfCareBand.DEPENDENT
    refusal(lambda: self_care_band(38), "self_care", "self_care.score_range")
