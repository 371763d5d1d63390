"""Tests for the resident ID-card number (居民身份证号) rules in app.domain.idcard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import ValidationError
from app.domain.i18n import current_language, known_keys, set_language, t
from app.domain.idcard import (
    PROVINCE_CODES,
    IdCardInfo,
    check_character,
    convert_15_digit,
    cross_check_id,
    make_id_number,
    normalize_id_number,
    parse_id_number,
)

TODAY = date(2024, 6, 15)
EXAMPLE = "11010519491231002X"  # DOMAIN §2


@pytest.fixture
def language() -> Iterator[None]:
    saved = current_language()
    yield
    set_language(saved)


def reference_check(first17: str) -> str:
    """Compute the check character straight from GB 11643, independently of the module."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def parse_error(text: str, today: date = TODAY) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_id_number(text, today=today)
    assert caught.value.field == "id_number"
    return caught.value


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11010519491231002x", EXAMPLE),
        (" 110105 19491231 002X ", EXAMPLE),
        ("１１０１０５１９４９１２３１００２Ｘ", EXAMPLE),
        ("１１０１０５１９４９１２３１００２ｘ", EXAMPLE),
        ("110105\u300019491231002x", EXAMPLE),
        ("\t110105194912310\n02X", EXAMPLE),
        ("", ""),
    ],
)
def test_normalize_id_number(text: str, expected: str) -> None:
    assert normalize_id_number(text) == expected


# --- check character -------------------------------------------------------------------------


def test_reference_weights_match_the_standard() -> None:
    assert [2 ** (17 - i) % 11 for i in range(17)] == [
        7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "number",
    [
        "310104193506070004",
        "310104193506070012",
        "310104193506070020",
        "310104193506070039",
        "310104193506070047",
        "310104193506070055",
        "310104193506070063",
        "310104193506070071",
        "31010419350607008X",
        "310104193506070098",
        "310104193506070186",
    ],
)
def test_every_check_character_value(number: str) -> None:
    assert check_character(number[:17]) == number[17] == reference_check(number[:17])
    assert parse_id_number(number, today=TODAY).number == number


def test_the_table_covers_all_eleven_check_characters() -> None:
    numbers = [make_id_number("310104", date(1935, 6, 7), seq, "M") for seq in range(100)]
    numbers += [make_id_number("310104", date(1935, 6, 7), seq, "F") for seq in range(100)]
    assert {number[17] for number in numbers} == set("0123456789X")


@pytest.mark.parametrize("bad", ["", "1234567890123456", "123456789012345678", "1101051949123100a"])
def test_check_character_refuses_anything_but_17_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="expected 17 digits"):
        check_character(bad)


# --- parsing valid numbers -------------------------------------------------------------------


def test_domain_example_parses() -> None:
    assert parse_id_number(EXAMPLE, today=TODAY) == IdCardInfo(
        number=EXAMPLE, birth_date=date(1949, 12, 31), sex="F", region_code="110105"
    )


@pytest.mark.parametrize(
    "text", ["11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", " 110105 19491231 002x"]
)
def test_lowercase_full_width_and_spaced_numbers_are_stored_normalised(text: str) -> None:
    assert parse_id_number(text, today=TODAY).number == EXAMPLE


@pytest.mark.parametrize(("digit17", "sex"), [(str(d), "M" if d % 2 else "F") for d in range(10)])
def test_sex_comes_from_the_parity_of_digit_17(digit17: str, sex: str) -> None:
    first17 = f"3101041935060700{digit17}"
    number = first17 + check_character(first17)
    assert parse_id_number(number, today=TODAY).sex == sex


@pytest.mark.parametrize(
    "birth",
    [date(1900, 1, 1), date(1904, 2, 29), date(2000, 2, 29), date(1999, 12, 31), TODAY],
)
def test_boundary_birth_dates_are_accepted(birth: date) -> None:
    number = make_id_number("440305", birth, 7, "M")
    assert parse_id_number(number, today=TODAY).birth_date == birth


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_empty_is_refused(text: str) -> None:
    assert parse_error(text).reason_key == "id.empty"


@pytest.mark.parametrize("length", [1, 14, 16, 17, 19, 20])
def test_wrong_length_is_refused_with_the_length(length: int) -> None:
    error = parse_error((EXAMPLE * 2)[:length])
    assert error.reason_key == "id.length"
    assert error.reason_params == {"length": length}


# --- issue #16 item 9: province code, 15-digit first-generation numbers -----------------------------------------


def test_an_old_15_digit_number_is_converted_to_18_with_the_old_one_kept() -> None:
    info = parse_id_number("110105491231002", today=TODAY)
    assert info.number == EXAMPLE and info.converted_from == "110105491231002"
    assert (info.birth_date, info.sex) == (date(1949, 12, 31), "F")
    assert convert_15_digit("110105491231002") == EXAMPLE
    assert parse_id_number(EXAMPLE, today=TODAY).converted_from == ""


def test_an_old_number_with_a_letter_or_an_impossible_date_is_refused() -> None:
    assert parse_error("11010549123100X").reason_key == "id.not_digits_15"
    assert parse_error("110105491331002").reason_key == "id.birth_invalid"
    assert parse_error("990105491231002").reason_key == "id.province"


@pytest.mark.parametrize(
    ("code", "accepted"),
    [
        ("10", False),
        ("11", True),
        ("15", True),
        ("16", False),
        ("20", False),
        ("21", True),
        ("23", True),
        ("24", False),
        ("30", False),
        ("31", True),
        ("37", True),
        ("38", False),
        ("40", False),
        ("41", True),
        ("46", True),
        ("47", False),
        ("49", False),
        ("50", True),
        ("54", True),
        ("55", False),
        ("60", False),
        ("61", True),
        ("65", True),
        ("66", False),
        ("70", False),
        ("71", True),
        ("72", False),
        ("80", False),
        ("81", True),
        ("82", True),
        ("83", False),
        ("00", False),
        ("99", False),
    ],
)
def test_the_first_two_digits_must_be_a_province_code(code: str, accepted: bool) -> None:
    number = make_id_number(code + "0105", date(1949, 12, 31), 0, "F")
    if accepted:
        assert parse_id_number(number, today=TODAY).region_code == code + "0105"
    else:
        error = parse_error(number)
        assert error.reason_key == "id.province" and error.reason_params == {"code": code}


@pytest.mark.parametrize("position", range(17))
def test_a_letter_in_the_first_17_is_refused(position: int) -> None:
    text = EXAMPLE[:position] + "X" + EXAMPLE[position + 1 :]
    assert parse_error(text).reason_key == "id.not_digits"


@pytest.mark.parametrize("char", ["A", "-", "Y", "·"])
def test_last_character_must_be_a_digit_or_x(char: str) -> None:
    assert parse_error(EXAMPLE[:17] + char).reason_key == "id.last_char"


@pytest.mark.parametrize("char", "0123456789")
def test_wrong_check_character_names_the_expected_one(char: str) -> None:
    error = parse_error(EXAMPLE[:17] + char)
    assert error.reason_key == "id.checksum"
    assert error.reason_params == {"expected": "X"}


def test_checksum_message_names_the_character_in_both_languages(language: None) -> None:
    error = parse_error("110105194912310021")
    set_language("zh_CN")
    assert "校验位错误，应为 X" in str(error)
    set_language("en")
    assert "check character is wrong; it should be X" in str(error)


@pytest.mark.parametrize(
    "birth_text",
    ["19490230", "19491301", "19490001", "19491200", "19491232", "19000229", "20230229"],
)
def test_impossible_birth_dates_are_refused(birth_text: str) -> None:
    first17 = f"110105{birth_text}002"
    error = parse_error(first17 + reference_check(first17))
    assert error.reason_key == "id.birth_invalid"
    assert error.reason_params == {"text": birth_text}


@pytest.mark.parametrize("birth_text", ["18991231", "18000101", "00010101"])
def test_birth_years_before_1900_are_refused(birth_text: str) -> None:
    first17 = f"110105{birth_text}002"
    error = parse_error(first17 + reference_check(first17))
    assert error.reason_key == "id.birth_too_early"


def test_a_birth_date_after_today_is_refused_and_today_is_not() -> None:
    first17 = "11010520240616002"
    number = first17 + reference_check(first17)
    assert parse_error(number, today=date(2024, 6, 15)).reason_key == "id.birth_future"
    assert parse_id_number(number, today=date(2024, 6, 16)).birth_date == date(2024, 6, 16)


def test_feb_29_birth_is_valid_only_in_leap_years() -> None:
    leap = "11010520000229001"
    common = "11010520010229001"
    assert parse_id_number(leap + reference_check(leap), today=TODAY).birth_date == date(2000, 2, 29)
    assert parse_error(common + reference_check(common)).reason_key == "id.birth_invalid"


# --- round trip and error detection (property-based) ----------------------------------------

regions = st.builds(
    lambda province, rest: f"{province:02d}{rest}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["M", "F"])
seqs = st.integers(min_value=0, max_value=99)


@given(region=regions, birth=births, seq=seqs, sex=sexes)
def test_make_then_parse_round_trips(region: str, birth: date, seq: int, sex: str) -> None:
    number = make_id_number(region, birth, seq, sex)
    assert len(number) == 18
    assert number[14:16] == f"{seq:02d}"
    assert number[17] == reference_check(number[:17])
    assert parse_id_number(number.lower(), today=TODAY) == IdCardInfo(
        number=number, birth_date=birth, sex=sex, region_code=region
    )


@given(
    region=regions,
    birth=births,
    seq=seqs,
    sex=sexes,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from("0123456789X"),
)
def test_any_single_character_change_is_detected(
    region: str, birth: date, seq: int, sex: str, position: int, replacement: str
) -> None:
    number = make_id_number(region, birth, seq, sex)
    if number[position] == replacement:
        return
    corrupted = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(corrupted, today=TODAY)


@given(region=regions, birth=births, seq=seqs, sex=sexes, position=st.integers(0, 15))
def test_swapping_two_neighbouring_digits_is_detected(
    region: str, birth: date, seq: int, sex: str, position: int
) -> None:
    number = make_id_number(region, birth, seq, sex)
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(ValidationError):
        parse_id_number(swapped, today=TODAY)


@pytest.mark.parametrize(
    ("region", "birth", "seq", "sex"),
    [
        ("31010", date(1950, 1, 1), 0, "M"),
        ("31010a", date(1950, 1, 1), 0, "M"),
        ("310104", date(1899, 12, 31), 0, "M"),
        ("310104", date(1950, 1, 1), -1, "M"),
        ("310104", date(1950, 1, 1), 100, "F"),
        ("310104", date(1950, 1, 1), 0, "男"),
    ],
)
def test_make_id_number_refuses_bad_arguments(region: str, birth: date, seq: int, sex: str) -> None:
    with pytest.raises(ValueError, match="must be"):
        make_id_number(region, birth, seq, sex)


@pytest.mark.parametrize("seq", [0, 1, 4, 5, 99])
def test_make_id_number_sex_digit_has_the_right_parity(seq: int) -> None:
    male = make_id_number("310104", date(1950, 1, 1), seq, "M")
    female = make_id_number("310104", date(1950, 1, 1), seq, "F")
    assert int(male[16]) % 2 == 1
    assert int(female[16]) % 2 == 0
    assert male != female


# --- cross-check ----------------------------------------------------------------------------


@pytest.fixture
def example_info() -> IdCardInfo:
    return parse_id_number(EXAMPLE, today=TODAY)


def test_cross_check_accepts_agreeing_and_missing_values(example_info: IdCardInfo) -> None:
    cross_check_id(example_info, birth_date=date(1949, 12, 31), sex="F")
    cross_check_id(example_info, birth_date=None, sex=None)
    cross_check_id(example_info, birth_date=date(1949, 12, 31), sex=None)
    cross_check_id(example_info, birth_date=None, sex="F")
    cross_check_id(example_info, birth_date=None, sex="女")


def test_cross_check_refuses_a_sex_that_is_not_one(example_info: IdCardInfo) -> None:
    with pytest.raises(ValidationError) as caught:
        cross_check_id(example_info, birth_date=None, sex="?")
    assert (caught.value.field, caught.value.reason_key) == ("sex", "sex.invalid")


@pytest.mark.parametrize("birth", [date(1949, 12, 30), date(1950, 1, 1), date(1949, 1, 31)])
def test_cross_check_refuses_a_different_birth_date(example_info: IdCardInfo, birth: date) -> None:
    with pytest.raises(ValidationError) as caught:
        cross_check_id(example_info, birth_date=birth, sex="F")
    assert caught.value.field == "birth_date"
    assert caught.value.reason_key == "id.birth_mismatch"
    assert caught.value.reason_params == {"expected": "1949-12-31"}


@pytest.mark.parametrize("sex", ["M", "男", "male"])
def test_cross_check_refuses_a_different_sex(example_info: IdCardInfo, sex: str, language: None) -> None:
    with pytest.raises(ValidationError) as caught:
        cross_check_id(example_info, birth_date=date(1949, 12, 31), sex=sex)
    error = caught.value
    assert (error.field, error.reason_key) == ("sex", "id.sex_mismatch")
    set_language("zh_CN")
    assert "与身份证号中的性别（女）不一致" in str(error)
    set_language("en")
    assert "(Female)" in str(error)


# --- messages -------------------------------------------------------------------------------

REFUSED = [
    ("", "id.empty"),
    ("1101051949123100", "id.length"),
    ("1101051949123100AX", "id.not_digits"),
    ("11010519491231002Y", "id.last_char"),
    ("110105194912310021", "id.checksum"),
    ("110105194902300021", "id.birth_invalid"),
    ("110105189912310021", "id.birth_too_early"),
    ("110105203012310021", "id.birth_future"),
]


@pytest.mark.parametrize(("text", "reason_key"), REFUSED)
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_error_text_names_field_value_and_reason(text: str, reason_key: str, lang: str, language: None) -> None:
    error = parse_error(text)
    assert error.reason_key == reason_key
    assert reason_key in known_keys()
    set_language(lang)
    message = str(error)
    assert t("field.id_number") in message
    assert text in message
    assert error.reason in message
    assert "{" not in message
    assert reason_key not in message


def test_messages_differ_between_languages(language: None) -> None:
    error = parse_error("110105194912310021")
    set_language("zh_CN")
    chinese = str(error)
    set_language("en")
    assert str(error) != chinese
