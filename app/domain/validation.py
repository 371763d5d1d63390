"""Validate and normalise what a nurse types about a resident: name, dates, sex, phone.

Every refusal is a :class:`~app.domain.errors.ValidationError` naming the field, the value and a
reason from the message catalogue, so the UI can show it next to the field in either language.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import date

from app.domain.errors import ValidationError
from app.domain.i18n import register, t

register(
    {
        "field.name": {"zh_CN": "姓名", "en": "name"},
        "field.birth_date": {"zh_CN": "出生日期", "en": "date of birth"},
        "field.sex": {"zh_CN": "性别", "en": "sex"},
        "field.admission_date": {"zh_CN": "入住日期", "en": "admission date"},
        "field.phone": {"zh_CN": "联系电话", "en": "phone number"},
        "field.date": {"zh_CN": "日期", "en": "date"},
        "list.separator": {"zh_CN": "、", "en": ", "},
        "sex.M": {"zh_CN": "男", "en": "Male"},
        "sex.F": {"zh_CN": "女", "en": "Female"},
        "sex.invalid": {"zh_CN": "请选择“男”或“女”", "en": "choose male or female"},
        "name.required": {"zh_CN": "请填写姓名", "en": "a name is required"},
        "name.too_long": {
            "zh_CN": "最多 {maximum} 个字，现有 {length} 个",
            "en": "a name has at most {maximum} characters; this one has {length}",
        },
        "name.digits": {"zh_CN": "不能含有数字", "en": "a name cannot contain digits"},
        "name.bad_char": {
            "zh_CN": "不能含有“{char}”",
            "en": "a name cannot contain “{char}”",
        },
        "name.separator": {
            "zh_CN": "间隔号“·”、连字符或空格只能出现在两个字之间",
            "en": "a middle dot, hyphen or space may only stand between two letters",
        },
        "date.required": {"zh_CN": "请填写日期", "en": "a date is required"},
        "date.format": {
            "zh_CN": "无法识别的日期，请按 2024-03-05、2024/3/5、20240305 或 2024年3月5日 的格式填写",
            "en": "not a date I can read; write it like 2024-03-05, 2024/3/5, 20240305 or 2024年3月5日",
        },
        "date.invalid": {
            "zh_CN": "{year} 年 {month} 月没有 {day} 日",
            "en": "there is no day {day} in month {month} of {year}",
        },
        "date.future": {
            "zh_CN": "不能晚于今天（{today}）",
            "en": "cannot be later than today ({today})",
        },
        "birth.too_old": {
            "zh_CN": "年龄超过 {maximum} 岁（按此日期为 {age} 岁），请核对出生日期",
            "en": "age over {maximum} ({age} by this date); check the date of birth",
        },
        "admission.before_birth": {
            "zh_CN": "不能早于出生日期（{birth_date}）",
            "en": "cannot be earlier than the date of birth ({birth_date})",
        },
        "phone.invalid": {
            "zh_CN": "应为 11 位手机号（如 13812345678）或固定电话（如 021-12345678）",
            "en": "enter an 11-digit mobile number (e.g. 13812345678) or a landline (e.g. 021-12345678)",
        },
    }
)

NAME_MAX_LENGTH = 30
MAX_AGE_YEARS = 120

_FULL_WIDTH_SPACE = "\u3000"
# Characters people type for the middle dot in minority and foreign names (e.g. 买买提·艾力).
_MIDDLE_DOTS = "•．・‧∙･"
_NAME_SEPARATORS = "·-' "


class MessageRef:
    """A catalogue message formatted only when shown, so it follows the current language.

    Use it as a parameter of a :class:`ValidationError` that is itself a message (a unit, a sex).
    """

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return t(self.key, **self.params)

    def __format__(self, format_spec: str) -> str:
        return format(str(self), format_spec)

    def __repr__(self) -> str:
        return f"MessageRef({self.key!r})"


class MessageList:
    """Catalogue messages shown as one list in the current language (e.g. 进餐、穿衣)."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = tuple(keys)

    def __str__(self) -> str:
        return t("list.separator").join(t(key) for key in self.keys)

    def __format__(self, format_spec: str) -> str:
        return format(str(self), format_spec)

    def __repr__(self) -> str:
        return f"MessageList({self.keys!r})"


BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Arabic letter mark, LRM/RLM, the embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069:
they reorder how text around them is shown ("Trojan Source"), so a name could display as another."""
KEPT_CONTROLS = frozenset("\t\n\r")


def is_unsafe_control(char: str) -> bool:
    """Whether ``char`` is a control character free text must not keep: C0/C1 controls (ESC, BEL, NUL,
    DEL ...) except tab and line ends, and the bidirectional controls of :data:`BIDI_CONTROLS`."""
    if char in KEPT_CONTROLS:
        return False
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in BIDI_CONTROLS


UNSAFE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")
"""Finds any character of :func:`is_unsafe_control` in a text at C speed (for bulk checks, e.g. sync imports)."""


def strip_controls(text: str) -> str:
    """Return ``text`` without the control characters of :func:`is_unsafe_control` (tab and line ends stay)."""
    if all(not is_unsafe_control(char) for char in text):
        return text
    return "".join(char for char in text if not is_unsafe_control(char))


def to_half_width(text: str) -> str:
    """Return ``text`` with full-width ASCII (０, Ａ, ｘ ...) and spaces made half-width, and without control
    characters (:func:`strip_controls`): every free text the app saves passes through here."""
    chars = []
    for char in strip_controls(text):
        code = ord(char)
        if 0xFF01 <= code <= 0xFF5E:
            chars.append(chr(code - 0xFEE0))
        elif char == _FULL_WIDTH_SPACE:
            chars.append(" ")
        else:
            chars.append(char)
    return "".join(chars)


def validate_name(text: str) -> str:
    """Return a resident's name (姓名), stripped and with middle-dot variants made "·".

    Chinese names, minority names with a middle dot (买买提·艾力) and foreign names in letters
    (with spaces, hyphens, apostrophes between letters) are accepted.

    Raises:
        ValidationError: on field ``name`` if empty, longer than 30 characters, or containing
            digits, punctuation or a misplaced separator.
    """
    name = text
    for dot in _MIDDLE_DOTS:
        name = name.replace(dot, "·")
    name = " ".join(to_half_width(name).split())
    if not name:
        raise ValidationError("name", text, "name.required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError("name", text, "name.too_long", maximum=NAME_MAX_LENGTH, length=len(name))
    for char in name:
        if char.isdigit():
            raise ValidationError("name", text, "name.digits")
        if not (char.isalpha() or char in _NAME_SEPARATORS):
            raise ValidationError("name", text, "name.bad_char", char=char)
    if name[0] in _NAME_SEPARATORS or name[-1] in _NAME_SEPARATORS:
        raise ValidationError("name", text, "name.separator")
    for first, second in itertools.pairwise(name):
        if first in _NAME_SEPARATORS and second in _NAME_SEPARATORS:
            raise ValidationError("name", text, "name.separator")
    return name


def validate_sex(text: str) -> str:
    """Return ``"M"`` or ``"F"`` for a sex (性别) given as M/F, 男/女 or male/female.

    Raises:
        ValidationError: on field ``sex`` for anything else.
    """
    value = to_half_width(text).strip().lower()
    if value in ("m", "男", "male"):
        return "M"
    if value in ("f", "女", "female"):
        return "F"
    raise ValidationError("sex", text, "sex.invalid")


def age_on(birth: date, on: date) -> int:
    """Return the age in whole years (周岁) on the day ``on``.

    Someone born on 29 February turns a year older on 1 March in common years.

    Raises:
        ValueError: if ``on`` is before ``birth`` (a programming error, not user input).
    """
    if on < birth:
        raise ValueError(f"{on} is before the birth date {birth}")
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - int(before_birthday)


def validate_birth_date(birth: date, *, today: date) -> date:
    """Return ``birth`` if it is a plausible date of birth (出生日期) for a living resident.

    Raises:
        ValidationError: on field ``birth_date`` if it is after ``today`` or the age would be
            over 120 years.
    """
    if birth > today:
        raise ValidationError("birth_date", birth, "date.future", today=today.isoformat())
    age = age_on(birth, today)
    if age > MAX_AGE_YEARS:
        raise ValidationError("birth_date", birth, "birth.too_old", maximum=MAX_AGE_YEARS, age=age)
    return birth


def validate_admission_date(admission: date, *, birth_date: date, today: date) -> date:
    """Return ``admission`` if it is a possible admission date (入住日期).

    Raises:
        ValidationError: on field ``admission_date`` if before ``birth_date`` or after ``today``.
    """
    if admission < birth_date:
        raise ValidationError(
            "admission_date",
            admission,
            "admission.before_birth",
            birth_date=birth_date.isoformat(),
        )
    if admission > today:
        raise ValidationError("admission_date", admission, "date.future", today=today.isoformat())
    return admission


_DATE_PATTERNS = (
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", re.ASCII),
    re.compile(r"(\d{4})()(\d{2})(\d{2})", re.ASCII),
    re.compile(r"(\d{4})\s*(年)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?", re.ASCII),
)


def parse_date(text: str, *, field: str = "date") -> date:
    """Return the date written in ``text``.

    Accepts ``2024-03-05``, ``2024/3/5``, ``2024.03.05``, ``20240305`` and ``2024年3月5日``,
    with full-width digits and surrounding spaces.

    Args:
        text: what was typed.
        field: the field named in an error (``date``, ``birth_date``, ``admission_date`` ...).

    Raises:
        ValidationError: ``date.required`` if empty, ``date.format`` if not in a known format,
            ``date.invalid`` if the day does not exist (e.g. 2023-02-29).
    """
    cleaned = to_half_width(text).strip()
    if not cleaned:
        raise ValidationError(field, text, "date.required")
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match is None:
            continue
        year, month, day = int(match[1]), int(match[3]), int(match[4])
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(field, text, "date.invalid", year=year, month=month, day=day) from None
    raise ValidationError(field, text, "date.format")


_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_MOBILE_COUNTRY_PREFIX = re.compile(r"(?:\+86|0086|86)(1[3-9]\d{9})", re.ASCII)
# 010 and 020–029 are three-digit area codes; every other area code has four digits.
_AREA_CODE = re.compile(r"0[12]\d|0[3-9]\d{2}", re.ASCII)
_LOCAL_NUMBER = re.compile(r"\d{7,8}", re.ASCII)


def validate_phone(text: str) -> str:
    """Return a phone number (联系电话) in a standard form, or ``""`` when none was given.

    A mobile number becomes its 11 digits (a +86 prefix is dropped); a landline becomes
    ``021-12345678`` (area code, hyphen, 7–8 digit number) or just the local number.

    Raises:
        ValidationError: on field ``phone`` for anything else.
    """
    cleaned = to_half_width(text).strip()
    if not cleaned:
        return ""
    # Parentheses around an area code, as in (021) 12345678, act as separators.
    parts = re.split(r"[\s\-]+", cleaned.replace("(", " ").replace(")", " ").strip())
    joined = "".join(parts)
    if _MOBILE.fullmatch(joined):
        return joined
    prefixed = _MOBILE_COUNTRY_PREFIX.fullmatch(joined)
    if prefixed is not None:
        return prefixed[1]
    if len(parts) == 1:
        if _LOCAL_NUMBER.fullmatch(joined):
            return joined
        area_length = 3 if joined[:2] in ("01", "02") else 4
        area, local = joined[:area_length], joined[area_length:]
    elif len(parts) == 2:
        area, local = parts
    else:
        area, local = parts[0], "".join(parts[1:])
    if _AREA_CODE.fullmatch(area) and _LOCAL_NUMBER.fullmatch(local):
        return f"{area}-{local}"
    raise ValidationError("phone", text, "phone.invalid")
