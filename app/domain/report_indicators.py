"""The indicators of the monitoring return (DOMAIN §9): each one's key, titles, what the list behind it holds,
and how a rate is made of two counts. docs/reports.md says how each is counted. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.i18n import current_language


class Drill(StrEnum):
    """What the list behind a figure holds."""

    RESIDENTS = "residents"
    ROUNDS = "rounds"
    WEEKS = "weeks"
    NONE = "none"


@dataclass(frozen=True)
class Indicator:
    key: str
    zh_CN: str
    en: str
    drill: Drill = Drill.RESIDENTS
    numerator: str = ""  # a rate: numerator / denominator keys
    denominator: str = ""

    @property
    def is_rate(self) -> bool:
        return bool(self.numerator)

    def title(self, language: str | None = None) -> str:
        return self.en if (language or current_language()) == "en" else self.zh_CN


_R, _O, _W = Drill.RESIDENTS, Drill.ROUNDS, Drill.WEEKS

RESIDENT_KEYS: tuple[str, ...] = (
    "in_residence",
    "signed",
    "visits",
    "residents_seen",
    "red",
    "yellow",
    "green",
    "unconfirmed",
    "colour_up",
    "colour_down",
    "elderly",
    "elderly_checked",
    "ht_managed",
    "ht_regular",
    "ht_controlled",
    "dm_managed",
    "dm_regular",
    "dm_controlled",
    "beds_opened",
    "beds_closed",
    "beds_open",
    "bed_days",
    "referrals_urgent",
    "referrals_routine",
    "referrals_closed",
    "referrals_open",
    "referrals_admitted",
    "referrals_returned",
    "referrals_declined",
    "referrals_not_needed",
    "referrals_overdue",
    "ad8",
    "ad8_positive",
    "care_level",
    "refills",
    "refill_residents",
)
"""The resident-level counts, in the order of :func:`resident_values`."""

INSTITUTION_KEYS: tuple[str, ...] = (
    "signed_institutions",
    "rounds_held",
    "rounds_cancelled",
    "rounds_due",
    "weeks",
    "weeks_compliant",
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator("signed_institutions", "签约机构数", "Signed institutions", Drill.NONE),
    Indicator("in_residence", "在住老人数", "Residents in residence", _R),
    Indicator("signed", "签约人数", "Signed residents", _R),
    Indicator("signing_rate", "签约覆盖率", "Signing coverage", _R, "signed", "in_residence"),
    Indicator("rounds_held", "巡诊次数", "Rounds held", _O),
    Indicator("rounds_cancelled", "取消巡诊次数", "Rounds cancelled", _O),
    Indicator("rounds_due", "协议应巡诊次数", "Rounds due by agreement", _W),
    Indicator("weeks", "协议周数", "Weeks under agreement", _W),
    Indicator("weeks_compliant", "达标周数", "Weeks with the agreed rounds", _W),
    Indicator("round_compliance", "每周巡诊达标率", "Weekly round compliance", _W, "weeks_compliant", "weeks"),
    Indicator("visits", "巡诊人次", "Visits", _R),
    Indicator("residents_seen", "巡诊人数", "Residents seen", _R),
    Indicator("red", "重点人群（红）", "Red", _R),
    Indicator("yellow", "次重点人群（黄）", "Yellow", _R),
    Indicator("green", "一般人群（绿）", "Green", _R),
    Indicator("unconfirmed", "未确认分类", "No confirmed colour", _R),
    Indicator("colour_up", "分类升级次数", "Changes to a more severe colour", _R),
    Indicator("colour_down", "分类降级次数", "Changes to a less severe colour", _R),
    Indicator("elderly", "65岁及以上老人数", "Residents aged 65 or more", _R),
    Indicator("elderly_checked", "年内健康体检人数", "Of them with an annual check", _R),
    Indicator(
        "health_management_rate", "老年人健康管理率", "Elderly health management rate", _R, "elderly_checked", "elderly"
    ),
    Indicator("ht_managed", "高血压管理人数", "Hypertensive residents managed", _R),
    Indicator("ht_regular", "高血压规范管理人数", "Hypertension: 4+ follow-ups", _R),
    Indicator(
        "ht_regular_rate",
        "高血压患者规范管理率",
        "Hypertension regular management rate",
        _R,
        "ht_regular",
        "ht_managed",
    ),
    Indicator("ht_controlled", "血压控制人数", "BP controlled", _R),
    Indicator("ht_control_rate", "管理人群血压控制率", "BP control rate", _R, "ht_controlled", "ht_managed"),
    Indicator("dm_managed", "糖尿病管理人数", "Diabetic residents managed", _R),
    Indicator("dm_regular", "糖尿病规范管理人数", "Diabetes: 4+ follow-ups", _R),
    Indicator(
        "dm_regular_rate", "糖尿病患者规范管理率", "Diabetes regular management rate", _R, "dm_regular", "dm_managed"
    ),
    Indicator("dm_controlled", "血糖控制人数", "Glucose controlled", _R),
    Indicator("dm_control_rate", "管理人群血糖控制率", "Glucose control rate", _R, "dm_controlled", "dm_managed"),
    Indicator("beds_opened", "家庭病床建床数", "Family beds opened", _R),
    Indicator("beds_closed", "家庭病床撤床数", "Family beds closed", _R),
    Indicator("beds_open", "期末在床数", "Family beds open at period end", _R),
    Indicator("bed_days", "家庭病床床日数", "Family bed-days", _R),
    Indicator("referrals_urgent", "紧急转诊数", "Urgent referrals", _R),
    Indicator("referrals_routine", "普通转诊数", "Routine referrals", _R),
    Indicator("referrals_closed", "转诊结案数", "Referrals closed", _R),
    Indicator("referrals_open", "期末未结转诊数", "Referrals open at period end", _R),
    Indicator("referrals_admitted", "结案：已住院", "Closed: admitted", _R),
    Indicator("referrals_returned", "结案：治疗后返回", "Closed: treated and returned", _R),
    Indicator("referrals_declined", "结案：拒绝转诊", "Closed: declined", _R),
    Indicator("referrals_not_needed", "结案：无需转诊", "Closed: no longer needed", _R),
    Indicator("referrals_overdue", "超过14天未结转诊数", "Open over 14 days", _R),
    Indicator("ad8", "AD8 筛查人次", "AD8 screens", _R),
    Indicator("ad8_positive", "AD8 阳性人次", "AD8 positive screens", _R),
    Indicator("care_level", "照护等级评估人次", "Care-level assessments", _R),
    Indicator("refills", "代配药人次", "Proxy refills dispensed", _R),
    Indicator("refill_residents", "代配药人数", "Residents with proxy refills", _R),
)
BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}
