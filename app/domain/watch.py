"""What a home's staff should watch for — 注意事项 — worded from a resident's triage reasons.

The triage list (分类名单) hangs on the wall of the nursing station. For each resident it says, in a
carer's words, what to look out for and when to call the team, e.g. "last BP 186/112 — call the team
for headache, chest pain or weakness". Each triage reason gives one line; reasons without special
advice give none, and a resident with none gets the colour's general advice.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.colours import TriageColour
from app.domain.i18n import register, t
from app.domain.triage import Reason

_WATCH_KEYS = {
    "self_care_dependent": "watch.dependent",
    "care_level_high": "watch.dependent",
    "hospice": "watch.hospice",
    "family_bed": "watch.family_bed",
    "bp_urgent": "watch.bp_urgent",
    "glucose_high": "watch.glucose_high",
    "glucose_low": "watch.glucose_low",
    "not_controlled_repeated": "watch.not_controlled",
    "not_controlled": "watch.not_controlled",
    "complication": "watch.complication",
    "open_referral": "watch.open_referral",
    "back_from_hospital": "watch.back_from_hospital",
    "referral_returned": "watch.back_from_hospital",
    "spo2_low": "watch.spo2_low",
    "fever": "watch.fever",
    "pulse_fast": "watch.pulse_fast",
    "self_care_partial": "watch.partly_dependent",
    "care_level_mid": "watch.partly_dependent",
    "ad8_positive": "watch.cognition",
    "adverse_reaction": "watch.adverse_reaction",
    "old_multimorbid": "watch.multimorbid",
    "fall": "watch.fall",
}

register(
    {
        "watch.separator": {"zh_CN": "；", "en": "; "},
        "watch.dependent": {
            "zh_CN": "不能自理：定时翻身防压疮，喂食防呛咳",
            "en": "fully dependent: turn regularly against pressure sores, feed upright against choking",
        },
        "watch.hospice": {
            "zh_CN": "安宁疗护：疼痛、气促、烦躁加重时联系团队",
            "en": "hospice care: call the team when pain, breathlessness or restlessness get worse",
        },
        "watch.family_bed": {
            "zh_CN": "家庭病床：按医嘱治疗，病情变化随时联系团队",
            "en": "family bed: treat as ordered, call the team on any change",
        },
        "watch.bp_urgent": {
            "zh_CN": "最近血压 {sbp}/{dbp}：头痛、胸痛、肢体无力时立即联系团队",
            "en": "last BP {sbp}/{dbp} — call the team for headache, chest pain or weakness",
        },
        "watch.glucose_high": {
            "zh_CN": "最近血糖 {value}：口渴多尿、嗜睡时联系团队",
            "en": "last glucose {value} — call the team for thirst, passing much urine or drowsiness",
        },
        "watch.glucose_low": {
            "zh_CN": "最近血糖 {value} 偏低：出冷汗、心慌、意识模糊时立即给糖水并联系团队",
            "en": "last glucose {value}, low — for sweating, palpitations or confusion give sugar at once "
            "and call the team",
        },
        "watch.not_controlled": {
            "zh_CN": "血压/血糖控制不好：按时服药，每日测量并记录",
            "en": "blood pressure or glucose not controlled: give medicines on time, measure and write down daily",
        },
        "watch.complication": {
            "zh_CN": "慢病并发症：胸闷、视物模糊、足部破溃时联系团队",
            "en": "chronic-disease complication: call the team for chest tightness, blurred sight or foot sores",
        },
        "watch.open_referral": {
            "zh_CN": "转诊中（{destination}）：留意转诊结果和复诊时间",
            "en": "referred ({destination}): note the result and the follow-up appointment",
        },
        "watch.back_from_hospital": {
            "zh_CN": "{date} 住院返回：观察精神、进食、大小便，按出院医嘱服药",
            "en": "back from hospital on {date}: watch alertness, eating and toileting; give discharge medicines",
        },
        "watch.spo2_low": {
            "zh_CN": "最近血氧 {value}% 偏低：气促、口唇发紫时立即联系团队",
            "en": "last SpO2 {value}%, low — call the team at once for breathlessness or blue lips",
        },
        "watch.fever": {
            "zh_CN": "最近体温 {value} °C：每 4 小时测体温，多饮水，精神差时联系团队",
            "en": "last temperature {value} °C — measure every 4 hours, give fluids, call the team if drowsy",
        },
        "watch.pulse_fast": {
            "zh_CN": "糖尿病，最近脉搏 {value} 次/分：心慌、出汗、呼吸深快时联系团队",
            "en": "diabetic, last pulse {value} /min — call the team for palpitations, sweating or deep fast breathing",
        },
        "watch.partly_dependent": {
            "zh_CN": "部分依赖：如厕、行走时协助，防跌倒",
            "en": "partly dependent: help with toileting and walking, prevent falls",
        },
        "watch.cognition": {
            "zh_CN": "认知筛查阳性：防走失，协助服药",
            "en": "positive memory screen: prevent wandering off, help with medicines",
        },
        "watch.adverse_reaction": {
            "zh_CN": "药物不良反应：皮疹、头晕、恶心呕吐时联系团队",
            "en": "adverse drug reaction: call the team for rash, dizziness or vomiting",
        },
        "watch.multimorbid": {
            "zh_CN": "高龄多病：精神、食欲变差时联系团队",
            "en": "very old with several conditions: call the team if alertness or appetite drop",
        },
        "watch.fall": {
            "zh_CN": "{date} 跌倒过：起身要慢，如厕陪护，防再次跌倒",
            "en": "fell on {date}: get up slowly, accompany to the toilet, prevent another fall",
        },
        "watch.general.red": {
            "zh_CN": "重点人群：每日观察，病情变化及时联系团队",
            "en": "key resident: observe daily, call the team on any change",
        },
        "watch.general.yellow": {
            "zh_CN": "次重点人群：留意精神、饮食、睡眠变化",
            "en": "secondary: look out for changes in alertness, eating and sleep",
        },
        "watch.general.green": {"zh_CN": "常规照护", "en": "routine care"},
    }
)


def watch_lines(reasons: Sequence[Reason], colour: TriageColour) -> list[str]:
    """Return what staff should watch for, one line per distinct piece of advice, in the current language.

    Args:
        reasons: the resident's triage reasons (suggested or confirmed).
        colour: the confirmed colour, for the general advice when no reason gives a specific one.
    """
    lines: list[str] = []
    for reason in reasons:
        key = _WATCH_KEYS.get(reason.code)
        if key is None:
            continue
        line = t(key, **dict(reason.params))
        if line not in lines:
            lines.append(line)
    return lines or [t(f"watch.general.{colour.value}")]


def watch_text(reasons: Sequence[Reason], colour: TriageColour) -> str:
    """Return :func:`watch_lines` as one paragraph."""
    return t("watch.separator").join(watch_lines(reasons, colour))
