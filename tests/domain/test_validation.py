"""Tests for app.domain.validation: names, dates, ages, sex, phone numbers, and the catalogue."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import assessments, idcard, validation, vitals
from app.domain.errors import ValidationError
from app.domain.i18n import LANGUAGES, current_language, known_keys, set_language, t
from app.domain.validation import (
    MessageList,
    MessageRef,
    age_on,
    parse_date,
    to_half_width,
    validate_admission_date,
    validate_birth_date,
    validate_name,
    validate_phone,
    validate_sex,
)

TODAY = date(2024, 6, 15)


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


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三", "张三"),
        ("  王小明 ", "王小明"),
        ("欧阳娜娜", "欧阳娜娜"),
        ("张一鸣", "张一鸣"),
        ("买买提·艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提．艾力", "买买提·艾力"),
        ("买买提・艾力", "买买提·艾力"),
        ("阿卜杜拉·买买提·吐尔逊", "阿卜杜拉·买买提·吐尔逊"),
        ("John Smith", "John Smith"),
        ("John   Smith", "John Smith"),
        ("Mary-Jane O'Neil", "Mary-Jane O'Neil"),
        ("Ｊｏｈｎ", "John"),
        ("Zoë", "Zoë"),
        ("李", "李"),
        ("a" * 30, "a" * 30),
    ],
)
def test_valid_names(text: str, expected: str) -> None:
    assert validate_name(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\u3000", "\t\n"])
def test_empty_name_is_refused(text: str) -> None:
    refusal(lambda: validate_name(text), "name", "name.required")


def test_name_of_31_characters_is_refused() -> None:
    error = refusal(lambda: validate_name("李" * 31), "name", "name.too_long")
    assert error.reason_params == {"maximum": 30, "length": 31}


@pytest.mark.parametrize("text", ["张3", "王小明2", "１号", "John 2nd"])
def test_digits_in_a_name_are_refused(text: str) -> None:
    refusal(lambda: validate_name(text), "name", "name.digits")


@pytest.mark.parametrize(
    ("text", "char"),
    [
        ("张三!", "!"),
        ("李,四", ","),
        ("王@明", "@"),
        ("赵（钱）", "("),
        ("周。", "。"),
        ("吴😀", "😀"),
    ],
)
def test_punctuation_in_a_name_is_refused(text: str, char: str) -> None:
    error = refusal(lambda: validate_name(text), "name", "name.bad_char")
    assert error.reason_params == {"char": char}


@pytest.mark.parametrize("text", ["·艾力", "买买提·", "买买提··艾力", "-Jane", "Mary-", "O' Neil"])
def test_misplaced_separators_are_refused(text: str) -> None:
    refusal(lambda: validate_name(text), "name", "name.separator")


# --- sex ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("M", "M"),
        ("m", "M"),
        ("男", "M"),
        (" male ", "M"),
        ("F", "F"),
        ("女", "F"),
        ("Female", "F"),
    ],
)
def test_validate_sex(text: str, expected: str) -> None:
    assert validate_sex(text) == expected


@pytest.mark.parametrize("text", ["", "X", "未知", "u"])
def test_unknown_sex_is_refused(text: str) -> None:
    refusal(lambda: validate_sex(text), "sex", "sex.invalid")


# --- age ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1950, 6, 15), date(2024, 6, 14), 73),
        (date(1950, 6, 15), date(2024, 6, 15), 74),
        (date(1950, 6, 15), date(2024, 6, 16), 74),
        (date(1950, 6, 15), date(1950, 6, 15), 0),
        (date(1950, 12, 31), date(1951, 12, 30), 0),
        (date(1950, 12, 31), date(1951, 12, 31), 1),
        (date(1950, 1, 1), date(1950, 12, 31), 0),
        # Born on 29 February: a year older on 1 March in common years, on 29 February in leap.
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 28), 3),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(1904, 2, 29), date(2024, 2, 28), 119),
        (date(1904, 2, 29), date(2024, 2, 29), 120),
        # Someone born on 28 February or 1 March is unaffected by leap years.
        (date(1999, 2, 28), date(2000, 2, 28), 1),
        (date(1999, 3, 1), date(2000, 2, 29), 0),
        (date(1999, 3, 1), date(2000, 3, 1), 1),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_age_before_birth_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 1, 1)),
    years=st.integers(1, 120),
)
def test_age_changes_exactly_on_the_birthday(birth: date, years: int) -> None:
    try:
        birthday = birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year: the birthday counts from 1 March
        birthday = date(birth.year + years, 3, 1)
    assert age_on(birth, birthday) == years
    assert age_on(birth, birthday - timedelta(days=1)) == years - 1


# --- birth and admission dates --------------------------------------------------------------


@pytest.mark.parametrize(
    "birth",
    [TODAY, TODAY - timedelta(days=1), date(1904, 6, 16), date(1950, 1, 1), date(2000, 2, 29)],
)
def test_plausible_birth_dates_are_accepted(birth: date) -> None:
    assert validate_birth_date(birth, today=TODAY) == birth


def test_birth_date_after_today_is_refused() -> None:
    error = refusal(
        lambda: validate_birth_date(TODAY + timedelta(days=1), today=TODAY),
        "birth_date",
        "date.future",
    )
    assert error.reason_params == {"today": "2024-06-15"}


def test_age_120_is_accepted_and_121_refused() -> None:
    assert validate_birth_date(date(1903, 6, 16), today=TODAY) == date(1903, 6, 16)  # 120
    error = refusal(lambda: validate_birth_date(date(1903, 6, 15), today=TODAY), "birth_date", "birth.too_old")
    assert error.reason_params == {"maximum": 120, "age": 121}


def test_age_limit_with_a_feb_29_birthday() -> None:
    # Born 29 Feb 1904: still 120 on 28 Feb 2025, 121 from 1 March 2025.
    assert validate_birth_date(date(1904, 2, 29), today=date(2025, 2, 28))
    refusal(
        lambda: validate_birth_date(date(1904, 2, 29), today=date(2025, 3, 1)),
        "birth_date",
        "birth.too_old",
    )


@pytest.mark.parametrize("admission", [date(1950, 1, 1), date(2000, 1, 1), TODAY])
def test_admission_dates_between_birth_and_today_are_accepted(admission: date) -> None:
    assert validate_admission_date(admission, birth_date=date(1950, 1, 1), today=TODAY) == admission


def test_admission_before_birth_is_refused() -> None:
    error = refusal(
        lambda: validate_admission_date(date(1949, 12, 31), birth_date=date(1950, 1, 1), today=TODAY),
        "admission_date",
        "admission.before_birth",
    )
    assert error.reason_params == {"birth_date": "1950-01-01"}


def test_admission_after_today_is_refused() -> None:
    refusal(
        lambda: validate_admission_date(TODAY + timedelta(days=1), birth_date=date(1950, 1, 1), today=TODAY),
        "admission_date",
        "date.future",
    )


# --- parse_date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-3-5", date(2024, 3, 5)),
        ("2024/03/05", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024.03.05", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        ("2024年3月5日", date(2024, 3, 5)),
        ("2024年03月05日", date(2024, 3, 5)),
        ("2024 年 3 月 5 日", date(2024, 3, 5)),
        ("2024年3月5", date(2024, 3, 5)),
        ("２０２４－０３－０５", date(2024, 3, 5)),
        ("２０２４年３月５日", date(2024, 3, 5)),
        ("  2024-12-31 ", date(2024, 12, 31)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2000-02-29", date(2000, 2, 29)),
        ("1900-01-01", date(1900, 1, 1)),
    ],
)
def test_parse_date_formats(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "  "])
def test_parse_date_empty(text: str) -> None:
    refusal(lambda: parse_date(text), "date", "date.required")


@pytest.mark.parametrize(
    "text",
    ["2024-03", "24-03-05", "2024-03/05", "2024.3-5", "5/3/2024", "2024030", "202403051",
     "March 5 2024", "2024年3月", "2024-003-05", "昨天"],
)  # fmt: skip
def test_parse_date_unknown_formats(text: str) -> None:
    refusal(lambda: parse_date(text), "date", "date.format")


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("2023-02-29", {"year": 2023, "month": 2, "day": 29}),
        ("1900-02-29", {"year": 1900, "month": 2, "day": 29}),
        ("2024-02-30", {"year": 2024, "month": 2, "day": 30}),
        ("2024-04-31", {"year": 2024, "month": 4, "day": 31}),
        ("20241301", {"year": 2024, "month": 13, "day": 1}),
        ("2024年0月1日", {"year": 2024, "month": 0, "day": 1}),
        ("2024/1/0", {"year": 2024, "month": 1, "day": 0}),
        ("0000-01-01", {"year": 0, "month": 1, "day": 1}),
    ],
)
def test_parse_date_impossible_days(text: str, params: dict[str, int]) -> None:
    error = refusal(lambda: parse_date(text), "date", "date.invalid")
    assert error.reason_params == params


def test_parse_date_names_the_given_field() -> None:
    refusal(lambda: parse_date("x", field="birth_date"), "birth_date", "date.format")


@given(st.dates(min_value=date(1000, 1, 1)))
def test_parse_date_reads_every_format_of_every_date(day: date) -> None:
    for text in (
        day.isoformat(),
        f"{day:%Y/%m/%d}",
        f"{day:%Y.%m.%d}",
        f"{day:%Y%m%d}",
        f"{day.year}年{day.month}月{day.day}日",
    ):
        assert parse_date(text) == day


# --- phone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("021-12345678", "021-12345678"),
        ("010 1234 5678", "010-12345678"),
        ("(021) 62345678", "021-62345678"),
        ("02162345678", "021-62345678"),
        ("0571-8765432", "0571-8765432"),
        ("057187654321", "0571-87654321"),
        ("62345678", "62345678"),
        ("6234567", "6234567"),
    ],
)
def test_valid_phone_numbers(text: str, expected: str) -> None:
    assert validate_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12812345678",  # mobile numbers start 13–19
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "21-12345678",  # area code must start with 0
        "0211-12345678",  # 021 is a three-digit area code
        "0571-123456",  # local number too short
        "0571-123456789",  # local number too long
        "123456",
        "电话13812345678",
        "1381234567a",
        "١٣٨١٢٣٤٥٦٧٨",  # Arabic-Indic digits are not phone digits
        "-",
    ],
)
def test_invalid_phone_numbers(text: str) -> None:
    refusal(lambda: validate_phone(text), "phone", "phone.invalid")


# --- helpers --------------------------------------------------------------------------------


def test_to_half_width() -> None:
    assert to_half_width("０１２ＡＢｘ！\u3000－") == "012ABx! -"
    assert to_half_width("张三·") == "张三·"


def test_message_ref_and_list_follow_the_language(language: None) -> None:
    ref, items = MessageRef("sex.F"), MessageList(["sex.M", "sex.F"])
    set_language("zh_CN")
    assert (f"{ref}", str(items)) == ("女", "男、女")
    set_language("en")
    assert (f"{ref}", str(items)) == ("Female", "Male, Female")


# --- the message catalogue, for all four modules --------------------------------------------

FIELDS = [
    "id_number", "name", "birth_date", "sex", "admission_date", "phone", "sbp", "dbp", "pulse",
    "temperature", "spo2", "glucose", "weight", "self_care", "ad8", "care_level", "date",
]  # fmt: skip
KEY = re.compile(
    r"(field|id|name|date|birth|admission|phone|sex|list|vital|unit|self_care|ad8|care_level)"
    r"\.[A-Za-z0-9_.]*[A-Za-z0-9_]"
)


def literal_keys(module: ModuleType) -> set[str]:
    """Return every string literal in ``module`` that looks like a message key."""
    tree = ast.parse(inspect.getsource(module))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.fullmatch(node.value)
    }


def built_keys() -> set[str]:
    """Return the keys the modules build with f-strings."""
    keys = {f"field.{field}" for field in FIELDS}
    keys |= {"sex.M", "sex.F"}
    keys |= {item.label_key for item in assessments.SELF_CARE_ITEMS}
    keys |= {f"self_care.level.{level.value}" for level in assessments.DependenceLevel}
    keys |= {band.label_key for band in assessments.SelfCareBand}
    keys |= {f"ad8.item.{item}" for item in assessments.AD8_ITEMS}
    keys |= {answer.label_key for answer in assessments.Ad8Answer}
    keys |= {vital.unit_key for vital in vitals.VITAL_RANGES.values()}
    return keys


@pytest.mark.parametrize("module", [validation, idcard, vitals, assessments])
def test_every_literal_message_key_is_registered(module: ModuleType) -> None:
    keys = literal_keys(module)
    assert keys, "the scan found no keys; is the pattern still right?"
    assert sorted(keys - set(known_keys())) == []


@pytest.mark.parametrize("key", sorted(built_keys()))
def test_every_built_message_key_is_registered_in_both_languages(key: str, language: None) -> None:
    assert key in known_keys()
    texts = []
    for lang in LANGUAGES:
        set_language(lang)
        texts.append(t(key))
    assert all(text.strip() for text in texts)


@pytest.mark.parametrize(
    ("call", "field", "value"),
    [
        (lambda: validate_name("张3"), "name", "张3"),
        (lambda: validate_name("李" * 31), "name", "李" * 31),
        (lambda: validate_sex("X"), "sex", "X"),
        (lambda: validate_birth_date(date(2030, 1, 1), today=TODAY), "birth_date", "2030-01-01"),
        (lambda: validate_birth_date(date(1900, 1, 1), today=TODAY), "birth_date", "1900-01-01"),
        (
            lambda: validate_admission_date(date(1940, 1, 1), birth_date=date(1950, 1, 1), today=TODAY),
            "admission_date",
            "1940-01-01",
        ),
        (lambda: parse_date("2023-02-29"), "date", "2023-02-29"),
        (lambda: parse_date("三月五日"), "date", "三月五日"),
        (lambda: validate_phone("12345"), "phone", "12345"),
    ],
)
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


@pytest.mark.parametrize("given", ["", "   ", None])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_empty_value_is_said_not_entered_not_value_nothing(given: str | None, lang: str, language: None) -> None:
    """It said "name: … (value: )" — an empty brackets' pair a nurse reads as a glitch."""
    set_language(lang)
    message = str(ValidationError("name", given, "name.required"))
    assert t("field.name") in message
    assert "（未填写）" in message if lang == "zh_CN" else "(nothing entered)" in message
    assert "value" not in message and "输入值" not in message


def test_a_long_refused_value_is_shown_cut_not_whole(language: None) -> None:
    """A pasted page in a field is repeated only as far as one recognises it, not whole in a dialog."""
    set_language("en")
    message = str(ValidationError("name", "李" * 5000, "name.required"))
    assert "李" * 79 + "…" in message and "李" * 80 not in message


@pytest.mark.parametrize(
    ("number", "zh", "en"),
    [
        (28, "磁盘空间已满", "the disk is full"),  # ENOSPC
        (1, "没有权限", "permission denied"),  # EPERM: said as EACCES
        (13, "没有权限", "permission denied"),
        (20, "路径中有一部分不是文件夹", "part of the path is not a folder"),
        (5, "读写出错", "input/output error"),
    ],
)
def test_common_reasons_a_file_operation_failed_are_said_in_the_users_language(
    number: int, zh: str, en: str, language: None
) -> None:
    from app.domain.errors import os_reason

    error = OSError(number, "the system's English words", "/media/stick/x")
    set_language("zh_CN")
    assert zh in os_reason(error) and "English" not in os_reason(error)
    set_language("en")
    assert os_reason(error).startswith(en)


def test_an_uncommon_reason_keeps_the_systems_words_marked_as_such(language: None) -> None:
    from app.domain.errors import os_reason

    set_language("zh_CN")
    assert os_reason(OSError(71, "Protocol error")) == "系统错误：Protocol error"
    set_language("en")
    assert os_reason(OSError(71, "Protocol error")) == "Protocol error"
    assert os_reason(OSError("no errno at all")) == "no errno at all"
