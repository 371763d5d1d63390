"""Scored assessments: self-care (生活自理能力), AD8 cognitive screen, care level (照护等级).

The item tables follow the national basic public health service specification (third edition)
and the Shanghai unified elderly-care needs assessment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, IntEnum, StrEnum

from app.domain.errors import ValidationError
from app.domain.i18n import register
from app.domain.validation import MessageList, MessageRef

register(
    {
        "field.self_care": {"zh_CN": "生活自理能力评估", "en": "self-care assessment"},
        "field.ad8": {"zh_CN": "AD8 认知筛查", "en": "AD8 cognitive screen"},
        "field.care_level": {"zh_CN": "照护等级", "en": "care level"},
        "self_care.item.eating": {"zh_CN": "进餐", "en": "eating"},
        "self_care.item.grooming": {"zh_CN": "梳洗", "en": "grooming"},
        "self_care.item.dressing": {"zh_CN": "穿衣", "en": "dressing"},
        "self_care.item.toileting": {"zh_CN": "如厕", "en": "toileting"},
        "self_care.item.moving": {"zh_CN": "活动", "en": "moving about"},
        "self_care.level.0": {"zh_CN": "可自理", "en": "independent"},
        "self_care.level.1": {"zh_CN": "轻度依赖", "en": "mildly dependent"},
        "self_care.level.2": {"zh_CN": "中度依赖", "en": "moderately dependent"},
        "self_care.level.3": {"zh_CN": "不能自理", "en": "fully dependent"},
        "self_care.band.independent": {"zh_CN": "可自理", "en": "independent"},
        "self_care.band.mild": {"zh_CN": "轻度依赖", "en": "mildly dependent"},
        "self_care.band.moderate": {"zh_CN": "中度依赖", "en": "moderately dependent"},
        "self_care.band.dependent": {"zh_CN": "不能自理", "en": "fully dependent"},
        "self_care.unknown_item": {
            "zh_CN": "没有“{item}”这一评估项目",
            "en": "“{item}” is not an item of the assessment",
        },
        "self_care.missing_items": {
            "zh_CN": "还有项目未评：{items}",
            "en": "some items are not assessed yet: {items}",
        },
        "self_care.bad_level": {
            "zh_CN": "“{item}”的评估等级只能是 0–3（可自理、轻度依赖、中度依赖、不能自理）",
            "en": "the level for “{item}” must be 0–3 (independent, mildly, moderately or fully dependent)",
        },
        "self_care.score_range": {
            "zh_CN": "总分应在 0–{maximum} 分之间",
            "en": "the total score must be between 0 and {maximum}",
        },
        "ad8.item.judgement": {
            "zh_CN": "判断力出现问题（如做决定困难、容易上当受骗、理财决定错误）",
            "en": "problems with judgement (e.g. making decisions, bad financial decisions)",
        },
        "ad8.item.interest": {
            "zh_CN": "对业余爱好和活动的兴趣降低",
            "en": "less interest in hobbies and activities",
        },
        "ad8.item.repeats": {
            "zh_CN": "反复说同样的事情（重复提问、讲同样的故事或话）",
            "en": "repeats the same things over and over (questions, stories, statements)",
        },
        "ad8.item.learning_tools": {
            "zh_CN": "学习使用工具、电器或小物件有困难（如电视遥控器、微波炉）",
            "en": "trouble learning to use a tool, appliance or gadget (e.g. remote, microwave)",
        },
        "ad8.item.forgets_month_year": {
            "zh_CN": "记不清当前的月份或年份",
            "en": "forgets the correct month or year",
        },
        "ad8.item.finances": {
            "zh_CN": "处理复杂的财务问题有困难（如算账、交水电费）",
            "en": "trouble handling complicated financial affairs (e.g. paying bills)",
        },
        "ad8.item.appointments": {
            "zh_CN": "记不住和别人的约定",
            "en": "trouble remembering appointments",
        },
        "ad8.item.daily_memory": {
            "zh_CN": "日常的思考和记忆经常出问题",
            "en": "daily problems with thinking or memory",
        },
        "ad8.answer.yes": {"zh_CN": "是，有变化", "en": "yes, a change"},
        "ad8.answer.no": {"zh_CN": "否，无变化", "en": "no, no change"},
        "ad8.answer.unknown": {"zh_CN": "不知道", "en": "don't know"},
        "ad8.unknown_item": {
            "zh_CN": "没有“{item}”这一筛查项目",
            "en": "“{item}” is not an AD8 item",
        },
        "ad8.missing_items": {
            "zh_CN": "还有项目未回答：{items}",
            "en": "some items are not answered yet: {items}",
        },
        "ad8.bad_answer": {
            "zh_CN": "“{item}”的回答只能是“是”“否”或“不知道”",
            "en": "the answer to “{item}” must be yes, no or don't know",
        },
        "ad8.bad_answer_any": {
            "zh_CN": "回答只能是“是”“否”或“不知道”",
            "en": "the answer must be yes, no or don't know",
        },
        "ad8.score_range": {
            "zh_CN": "总分应在 0–8 分之间",
            "en": "the total score must be between 0 and 8",
        },
        "care_level.range": {
            "zh_CN": "照护等级应为 0–6 级",
            "en": "the care level must be 0 to 6",
        },
    }
)


class DependenceLevel(IntEnum):
    """The level chosen for one self-care item."""

    INDEPENDENT = 0  # 可自理
    MILD = 1  # 轻度依赖
    MODERATE = 2  # 中度依赖
    DEPENDENT = 3  # 不能自理


@dataclass(frozen=True)
class SelfCareItem:
    """One item of the self-care assessment and the points of each level, 可自理 to 不能自理."""

    key: str
    points: tuple[int, int, int, int]

    @property
    def label_key(self) -> str:
        return f"self_care.item.{self.key}"


SELF_CARE_ITEMS: tuple[SelfCareItem, ...] = (
    SelfCareItem("eating", (0, 0, 3, 5)),
    SelfCareItem("grooming", (0, 1, 3, 7)),
    SelfCareItem("dressing", (0, 0, 3, 5)),
    SelfCareItem("toileting", (0, 1, 5, 10)),
    SelfCareItem("moving", (0, 1, 5, 10)),
)
SELF_CARE_MAX_SCORE = sum(item.points[-1] for item in SELF_CARE_ITEMS)


class SelfCareBand(Enum):
    """The band of a self-care score, with its lowest and highest score."""

    INDEPENDENT = ("independent", 0, 3)
    MILD = ("mild", 4, 8)
    MODERATE = ("moderate", 9, 18)
    DEPENDENT = ("dependent", 19, SELF_CARE_MAX_SCORE)

    def __init__(self, key: str, lowest: int, highest: int) -> None:
        self.key = key
        self.lowest = lowest
        self.highest = highest

    @property
    def label_key(self) -> str:
        return f"self_care.band.{self.key}"


def self_care_score(levels: Mapping[str, int]) -> int:
    """Return the self-care score (生活自理能力评分), the sum of the five items' points.

    Args:
        levels: for every item key (``eating``, ``grooming``, ``dressing``, ``toileting``,
            ``moving``) a level 0–3 (see :class:`DependenceLevel`).

    Raises:
        ValidationError: on field ``self_care`` for an unknown item, a missing item or a
            level that is not 0–3.
    """
    items = {item.key: item for item in SELF_CARE_ITEMS}
    for key in levels:
        if key not in items:
            raise ValidationError("self_care", key, "self_care.unknown_item", item=key)
    missing = [item.key for item in SELF_CARE_ITEMS if item.key not in levels]
    if missing:
        raise ValidationError(
            "self_care",
            MessageList([f"self_care.item.{key}" for key in levels]),
            "self_care.missing_items",
            items=MessageList([f"self_care.item.{key}" for key in missing]),
        )
    total = 0
    for item in SELF_CARE_ITEMS:
        level = levels[item.key]
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 3:
            raise ValidationError("self_care", level, "self_care.bad_level", item=MessageRef(item.label_key))
        total += item.points[level]
    return total


def self_care_band(score: int) -> SelfCareBand:
    """Return the band of a self-care score: 0–3, 4–8, 9–18 or 19 and above.

    Raises:
        ValidationError: on field ``self_care`` if ``score`` is not 0–37.
    """
    if isinstance(score, bool) or not 0 <= score <= SELF_CARE_MAX_SCORE:
        raise ValidationError("self_care", score, "self_care.score_range", maximum=SELF_CARE_MAX_SCORE)
    return next(band for band in SelfCareBand if band.lowest <= score <= band.highest)


class Ad8Answer(StrEnum):
    """A carer's answer to one AD8 item: has this changed in the last years?"""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    @property
    def label_key(self) -> str:
        return f"ad8.answer.{self.value}"


AD8_ITEMS: tuple[str, ...] = (
    "judgement",
    "interest",
    "repeats",
    "learning_tools",
    "forgets_month_year",
    "finances",
    "appointments",
    "daily_memory",
)
AD8_POSITIVE_SCORE = 2

Ad8Input = Ad8Answer | str | bool | None


def normalize_ad8_answer(answer: Ad8Input, *, item: str | None = None) -> Ad8Answer:
    """Return the answer as an :class:`Ad8Answer`; ``True``/``False``/``None`` mean yes/no/unknown.

    Args:
        answer: ``"yes"``/``"no"``/``"unknown"`` (any case), a bool, ``None`` or an Ad8Answer.
        item: the item key, named in the error message when given.

    Raises:
        ValidationError: on field ``ad8`` for any other value.
    """
    if answer is True:
        return Ad8Answer.YES
    if answer is False:
        return Ad8Answer.NO
    if answer is None:
        return Ad8Answer.UNKNOWN
    if isinstance(answer, str) and answer.strip().lower() in set(Ad8Answer):
        return Ad8Answer(answer.strip().lower())
    if item in AD8_ITEMS:
        raise ValidationError("ad8", answer, "ad8.bad_answer", item=MessageRef(f"ad8.item.{item}"))
    raise ValidationError("ad8", answer, "ad8.bad_answer_any")


def normalize_ad8_answers(answers: Mapping[str, Ad8Input]) -> dict[str, Ad8Answer]:
    """Return all eight AD8 answers normalised, in item order.

    Raises:
        ValidationError: on field ``ad8`` for an unknown item, a missing item or a bad answer.
    """
    for key in answers:
        if key not in AD8_ITEMS:
            raise ValidationError("ad8", key, "ad8.unknown_item", item=key)
    missing = [key for key in AD8_ITEMS if key not in answers]
    if missing:
        raise ValidationError(
            "ad8",
            MessageList([f"ad8.item.{key}" for key in answers]),
            "ad8.missing_items",
            items=MessageList([f"ad8.item.{key}" for key in missing]),
        )
    return {key: normalize_ad8_answer(answers[key], item=key) for key in AD8_ITEMS}


def ad8_score(answers: Mapping[str, Ad8Input]) -> int:
    """Return the AD8 score: the number of "yes" answers ("don't know" is not counted).

    Args:
        answers: an answer for each of the eight item keys in :data:`AD8_ITEMS`.

    Raises:
        ValidationError: on field ``ad8`` for an unknown item, a missing item or a bad answer.
    """
    normalized = normalize_ad8_answers(answers)
    return sum(1 for answer in normalized.values() if answer is Ad8Answer.YES)


AD8_UNKNOWN_LIMIT = 4
"""A screen with this many "don't know" answers or more is not interpretable (DOMAIN §3)."""


class Ad8Result(StrEnum):
    """The outcome of an AD8 screen."""

    POSITIVE = "positive"  # ≥ 2: cognitive impairment suspected, refer for diagnosis
    NEGATIVE = "negative"
    NOT_INTERPRETABLE = "not_interpretable"  # ≥ 4 "don't know": never read as negative


def ad8_result(answers: Mapping[str, Ad8Input]) -> Ad8Result:
    """Return the screen's outcome: not interpretable with four or more "don't know", else by the score.

    Raises:
        ValidationError: on field ``ad8`` for an unknown item, a missing item or a bad answer.
    """
    normalized = normalize_ad8_answers(answers)
    unknown = sum(1 for answer in normalized.values() if answer is Ad8Answer.UNKNOWN)
    if unknown >= AD8_UNKNOWN_LIMIT:
        return Ad8Result.NOT_INTERPRETABLE
    return Ad8Result.POSITIVE if ad8_positive(ad8_score(normalized)) else Ad8Result.NEGATIVE


def ad8_proposes_referral(result: str, *, diagnosed: bool) -> bool:
    """Return whether a screen proposes a referral for diagnosis: positive, and no diagnosis recorded yet."""
    return result == Ad8Result.POSITIVE and not diagnosed


def self_care_options(item: SelfCareItem) -> tuple[tuple[DependenceLevel, int], ...]:
    """Return the levels the form offers for ``item`` with the points each scores (DOMAIN §3).

    Every item offers the four columns of the official table; the form shows each level's points, so
    进餐 and 穿衣 show 轻度依赖 as "0 分" — the table scores it 0 for those two items, like 可自理.
    """
    return tuple((level, item.points[level]) for level in DependenceLevel)


def ad8_positive(score: int) -> bool:
    """Return whether an AD8 score is a positive screen (≥ 2: refer for diagnosis).

    Raises:
        ValidationError: on field ``ad8`` if ``score`` is not 0–8.
    """
    if isinstance(score, bool) or not 0 <= score <= len(AD8_ITEMS):
        raise ValidationError("ad8", score, "ad8.score_range")
    return score >= AD8_POSITIVE_SCORE


CARE_LEVELS = range(7)
LTC_CARE_LEVELS = range(2, 7)


def validate_care_level(level: int) -> int:
    """Return ``level`` if it is a care level (照护等级) 0–6.

    Raises:
        ValidationError: on field ``care_level`` otherwise.
    """
    if isinstance(level, bool) or not isinstance(level, int) or level not in CARE_LEVELS:
        raise ValidationError("care_level", level, "care_level.range")
    return level


def qualifies_for_ltc(level: int) -> bool:
    """Return whether a care level qualifies for long-term-care insurance (长护险): levels 2–6.

    Raises:
        ValidationError: on field ``care_level`` if ``level`` is not 0–6.
    """
    return validate_care_level(level) in LTC_CARE_LEVELS
