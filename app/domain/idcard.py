"""Resident ID-card number — 居民身份证号 (GB 11643-1999): check, parse, cross-check, build.

Layout of the 18 characters: 6-digit region code, 8-digit birth date (YYYYMMDD), 3-digit
sequence code whose last digit is odd for a man and even for a woman, and a check character
(ISO 7064 MOD 11-2, ``0``–``9`` or ``X``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.errors import ValidationError
from app.domain.i18n import register
from app.domain.validation import MessageRef, to_half_width, validate_sex

register(
    {
        "field.id_number": {"zh_CN": "身份证号", "en": "ID card number"},
        "id.empty": {"zh_CN": "请填写身份证号", "en": "an ID card number is required"},
        "id.length": {
            "zh_CN": "应为 18 位（或 15 位旧号码），现有 {length} 位",
            "en": "it must have 18 characters (or 15 for an old number); this one has {length}",
        },
        "id.not_digits_15": {
            "zh_CN": "15 位旧身份证号只能是数字",
            "en": "an old 15-digit number has digits only",
        },
        "id.province": {
            "zh_CN": "前两位 {code} 不是省级行政区划代码（如北京 11、上海 31）",
            "en": "the first two digits {code} are not a province code (e.g. 11 Beijing, 31 Shanghai)",
        },
        "id.converted_note": {
            "zh_CN": "身份证号由 15 位旧号码 {old} 转换为 18 位",
            "en": "ID card number converted from the old 15-digit number {old}",
        },
        "id.not_digits": {
            "zh_CN": "前 17 位只能是数字",
            "en": "the first 17 characters must all be digits",
        },
        "id.last_char": {
            "zh_CN": "第 18 位只能是数字或 X",
            "en": "the 18th character must be a digit or X",
        },
        "id.checksum": {
            "zh_CN": "校验位错误，应为 {expected}；请核对整个号码，不要只改最后一位",
            "en": "check character is wrong; it should be {expected}. "
            "Check the whole number, not only the last character",
        },
        "id.birth_invalid": {
            "zh_CN": "号码中的出生日期 {text} 不存在",
            "en": "the birth date {text} in the number does not exist",
        },
        "id.birth_future": {
            "zh_CN": "号码中的出生日期 {birth_date} 晚于今天",
            "en": "the birth date {birth_date} in the number is later than today",
        },
        "id.birth_too_early": {
            "zh_CN": "号码中的出生年份 {year} 早于 1900 年",
            "en": "the birth year {year} in the number is before 1900",
        },
        "id.birth_mismatch": {
            "zh_CN": "与身份证号中的出生日期 {expected} 不一致",
            "en": "does not match the birth date in the ID card number ({expected})",
        },
        "id.sex_mismatch": {
            "zh_CN": "与身份证号中的性别（{expected}）不一致",
            "en": "does not match the sex in the ID card number ({expected})",
        },
    }
)

ID_NUMBER_LENGTH = 18
OLD_ID_NUMBER_LENGTH = 15

PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66), 71, 81, 82}
)
"""Province-level codes of GB/T 2260: the first two digits of every number (DOMAIN §2)."""
EARLIEST_BIRTH_YEAR = 1900
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


@dataclass(frozen=True)
class IdCardInfo:
    """What an ID card number says about its holder.

    Attributes:
        number: the normalised 18-character number (upper-case X).
        birth_date: from characters 7–14.
        sex: ``"M"`` (17th digit odd) or ``"F"`` (even).
        region_code: characters 1–6, the administrative division at issue (行政区划代码).
        converted_from: the 15-digit first-generation number this one was converted from, or "".
    """

    number: str
    birth_date: date
    sex: str
    region_code: str
    converted_from: str = ""


def normalize_id_number(text: str) -> str:
    """Return ``text`` without spaces, full-width characters made ASCII and ``x`` made ``X``."""
    return "".join(to_half_width(text).split()).upper()


def check_character(first17: str) -> str:
    """Return the check character (校验码) for the first 17 digits of a number.

    Raises:
        ValueError: if ``first17`` is not exactly 17 ASCII digits (a programming error).
    """
    if len(first17) != 17 or not _is_ascii_digits(first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def convert_15_digit(number: str) -> str:
    """Return the 18-digit number of a 15-digit first-generation one: "19" before the 2-digit year, a check character.

    Raises:
        ValueError: if ``number`` is not 15 ASCII digits (a programming error).
    """
    if len(number) != OLD_ID_NUMBER_LENGTH or not _is_ascii_digits(number):
        raise ValueError(f"expected 15 digits, got {number!r}")
    first17 = f"{number[:6]}19{number[6:]}"
    return first17 + check_character(first17)


def parse_id_number(text: str, *, today: date) -> IdCardInfo:
    """Return what the ID card number ``text`` says, after checking it completely.

    A 15-digit first-generation number is converted to 18 digits (:func:`convert_15_digit`) and then
    checked like any other; ``converted_from`` keeps the old number for the record's note.

    Args:
        text: as typed; spaces, full-width digits and a lower-case x are accepted.
        today: the birth date in the number must not be later than this.

    Raises:
        ValidationError: on field ``id_number`` when empty, not 18 (or 15) characters, not digits,
            not starting with a province code, with an impossible, future or pre-1900 birth date,
            or a wrong check character.
    """
    number = normalize_id_number(text)
    if not number:
        raise ValidationError("id_number", text, "id.empty")
    old = ""
    if len(number) == OLD_ID_NUMBER_LENGTH:
        if not _is_ascii_digits(number):
            raise ValidationError("id_number", text, "id.not_digits_15")
        old, number = number, convert_15_digit(number)
    if len(number) != ID_NUMBER_LENGTH:
        raise ValidationError("id_number", text, "id.length", length=len(number))
    first17, last = number[:17], number[17]
    if not _is_ascii_digits(first17):
        raise ValidationError("id_number", text, "id.not_digits")
    if last != "X" and not _is_ascii_digits(last):
        raise ValidationError("id_number", text, "id.last_char")
    if int(number[:2]) not in PROVINCE_CODES:
        raise ValidationError("id_number", text, "id.province", code=number[:2])
    # Date problems come before the checksum: "this date does not exist" says more about a
    # mistyped digit than "the check character should be 7".
    birth_text = number[6:14]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        raise ValidationError("id_number", text, "id.birth_invalid", text=birth_text) from None
    if birth.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError("id_number", text, "id.birth_too_early", year=birth.year)
    if birth > today:
        raise ValidationError("id_number", text, "id.birth_future", birth_date=birth.isoformat())
    expected = check_character(first17)
    if last != expected:
        raise ValidationError("id_number", text, "id.checksum", expected=expected)
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdCardInfo(number=number, birth_date=birth, sex=sex, region_code=number[:6], converted_from=old)


def cross_check_id(info: IdCardInfo, *, birth_date: date | None, sex: str | None) -> None:
    """Check that a stated birth date and sex agree with the ID card number.

    A value of ``None`` was not stated and is not checked. ``sex`` may be M/F, 男/女 or male/female.

    Raises:
        ValidationError: on field ``birth_date`` or ``sex`` when it disagrees with ``info``
            (``sex.invalid`` if ``sex`` is not a sex at all).
    """
    if birth_date is not None and birth_date != info.birth_date:
        raise ValidationError("birth_date", birth_date, "id.birth_mismatch", expected=info.birth_date.isoformat())
    if sex is not None and validate_sex(sex) != info.sex:
        raise ValidationError("sex", sex, "id.sex_mismatch", expected=MessageRef(f"sex.{info.sex}"))


def make_id_number(region: str, birth: date, seq: int, sex: str) -> str:
    """Return a valid ID card number, e.g. for demonstration data.

    The sequence code is ``seq`` as two digits followed by a 17th digit whose parity gives the
    sex (odd for ``"M"``, even for ``"F"``) and which also varies with ``seq``.

    Args:
        region: six-digit region code, e.g. ``"310104"``.
        birth: birth date, year 1900 or later.
        seq: 0–99.
        sex: ``"M"`` or ``"F"``.

    Raises:
        ValueError: for arguments outside these rules (a programming error).
    """
    if len(region) != 6 or not _is_ascii_digits(region):
        raise ValueError(f"region must be six digits, got {region!r}")
    if not EARLIEST_BIRTH_YEAR <= birth.year <= 9999:
        raise ValueError(f"birth year must be {EARLIEST_BIRTH_YEAR} or later, got {birth.year}")
    if not 0 <= seq <= 99:
        raise ValueError(f"seq must be 0–99, got {seq}")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    sex_digit = (seq % 5) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:02d}{sex_digit}"
    return first17 + check_character(first17)


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()
