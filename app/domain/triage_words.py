"""The words of triage — 分类用语: every reason the engine gives, the rules document's errors and the labels of
its editable values, in Chinese and English (registered with :mod:`app.domain.i18n` on import).
"""

from __future__ import annotations

from app.domain.i18n import register

register(
    {
        "triage.reason_separator": {"zh_CN": "；", "en": "; "},
        # red
        "triage.self_care_dependent": {
            "zh_CN": "生活自理能力评分 {score} 分（≥ {min} 分，不能自理）",
            "en": "self-care score {score} (≥ {min}: fully dependent)",
        },
        "triage.care_level_high": {
            "zh_CN": "照护等级 {level} 级（≥ {min} 级）",
            "en": "care level {level} (≥ {min})",
        },
        "triage.hospice": {"zh_CN": "安宁疗护", "en": "in hospice care"},
        "triage.family_bed": {"zh_CN": "开设家庭病床", "en": "has an open family bed"},
        "triage.bp_urgent": {
            "zh_CN": "最近血压 {sbp}/{dbp} mmHg（{date}，{days} 天前），达到 {sbp_min}/{dbp_min} 紧急线",
            "en": "last BP {sbp}/{dbp} mmHg ({date}, {days} days ago), at or above the urgent {sbp_min}/{dbp_min}",
        },
        "triage.glucose_high": {
            "zh_CN": "最近血糖 {value} mmol/L（{date}，{days} 天前），≥ {min}",
            "en": "last glucose {value} mmol/L ({date}, {days} days ago), ≥ {min}",
        },
        "triage.glucose_low": {
            "zh_CN": "最近血糖 {value} mmol/L（{date}，{days} 天前），≤ {below}，低血糖",
            "en": "last glucose {value} mmol/L ({date}, {days} days ago), ≤ {below}: hypoglycaemia",
        },
        "triage.spo2_low": {
            "zh_CN": "最近血氧饱和度 {value}%（{date}，{days} 天前），< {below}%",
            "en": "last SpO2 {value}% ({date}, {days} days ago), below {below}%",
        },
        "triage.fever": {
            "zh_CN": "最近体温 {value} °C（{date}，{days} 天前），> {above} °C",
            "en": "last temperature {value} °C ({date}, {days} days ago), above {above} °C",
        },
        "triage.pulse_fast": {
            "zh_CN": "糖尿病，最近脉搏 {value} 次/分（{date}，{days} 天前），> {above}",
            "en": "diabetic, last pulse {value} /min ({date}, {days} days ago), above {above}",
        },
        "triage.referral_returned": {
            "zh_CN": "{date} 转诊返回，{days} 天前（{within} 天内）",
            "en": "back from a referral on {date}, {days} days ago (within {within} days)",
        },
        # reasons stored before readings expired (no "days"): worded as then
        "triage.bp_urgent.undated": {
            "zh_CN": "最近血压 {sbp}/{dbp} mmHg（{date}），达到 {sbp_min}/{dbp_min} 紧急线",
            "en": "last BP {sbp}/{dbp} mmHg ({date}), at or above the urgent {sbp_min}/{dbp_min}",
        },
        "triage.glucose_high.undated": {
            "zh_CN": "最近血糖 {value} mmol/L（{date}），≥ {min}",
            "en": "last glucose {value} mmol/L ({date}), ≥ {min}",
        },
        "triage.glucose_low.undated": {
            "zh_CN": "最近血糖 {value} mmol/L（{date}），低于 {below}，低血糖",
            "en": "last glucose {value} mmol/L ({date}), below {below}: hypoglycaemia",
        },
        "triage.not_controlled_repeated": {
            "zh_CN": "慢病随访连续 {count} 次控制不满意",
            "en": "chronic follow-up not controlled {count} times in a row",
        },
        "triage.complication": {
            "zh_CN": "最近一次慢病随访：出现并发症",
            "en": "last chronic follow-up: complication",
        },
        "triage.open_referral": {
            "zh_CN": "转诊未结束（{date} 转往{destination}）",
            "en": "open referral ({date}, to {destination})",
        },
        "triage.back_from_hospital": {
            "zh_CN": "{date} 住院返回，{days} 天前（{within} 天内）",
            "en": "back from hospital on {date}, {days} days ago (within {within} days)",
        },
        # yellow
        "triage.self_care_partial": {
            "zh_CN": "生活自理能力评分 {score} 分（{min}–{max} 分，部分依赖）",
            "en": "self-care score {score} ({min}–{max}: partly dependent)",
        },
        "triage.care_level_mid": {
            "zh_CN": "照护等级 {level} 级（{min}–{max} 级）",
            "en": "care level {level} ({min}–{max})",
        },
        "triage.ad8_positive": {
            "zh_CN": "AD8 认知筛查 {score} 分（≥ {min} 分），尚无明确诊断",
            "en": "AD8 cognitive screen {score} (≥ {min}), no diagnosis yet",
        },
        "triage.not_controlled": {
            "zh_CN": "最近一次慢病随访：控制不满意",
            "en": "last chronic follow-up: not controlled",
        },
        "triage.adverse_reaction": {
            "zh_CN": "最近一次慢病随访：药物不良反应",
            "en": "last chronic follow-up: adverse drug reaction",
        },
        "triage.old_multimorbid": {
            "zh_CN": "{age} 岁（≥ {age_min} 岁），患 {count} 种慢性病",
            "en": "aged {age} (≥ {age_min}) with {count} chronic conditions",
        },
        "triage.fall": {
            "zh_CN": "{date} 跌倒，{days} 天前（{within} 天内）",
            "en": "fell on {date}, {days} days ago (within {within} days)",
        },
        # green
        "triage.no_risk": {"zh_CN": "未见重点或次重点因素", "en": "no key or secondary risk found"},
        # rules document
        "field.rules": {"zh_CN": "分类规则", "en": "triage rules"},
        "field.rules.schema": {"zh_CN": "规则版本", "en": "rules schema"},
        "field.rules.red": {"zh_CN": "红色规则", "en": "red rules"},
        "field.rules.yellow": {"zh_CN": "黄色规则", "en": "yellow rules"},
        "field.rules.visits": {"zh_CN": "随访间隔", "en": "visit intervals"},
        "rules.not_json": {"zh_CN": "不是有效的 JSON 文本", "en": "not valid JSON"},
        "rules.not_object": {"zh_CN": "应为 JSON 对象 {{…}}", "en": "must be a JSON object {{…}}"},
        "rules.schema_missing": {"zh_CN": "缺少规则版本号（schema）", "en": "the schema number is missing"},
        "rules.schema_newer": {
            "zh_CN": "规则由更新版本的软件保存，本软件只认识第 {supported} 版",
            "en": "the rules were saved by a newer version; this one reads schema {supported}",
        },
        "rules.unknown_key": {"zh_CN": "未知的规则项", "en": "unknown rule"},
        "rules.not_bool": {"zh_CN": "应为“是”或“否”（true/false）", "en": "must be true or false"},
        "rules.not_number": {"zh_CN": "应为数字", "en": "must be a number"},
        "rules.not_integer": {"zh_CN": "应为整数", "en": "must be a whole number"},
        "rules.not_codes": {"zh_CN": "应为疾病代码列表", "en": "must be a list of condition codes"},
        "rules.unknown_condition": {"zh_CN": "未知的疾病代码", "en": "unknown condition code"},
        "rules.out_of_range": {
            "zh_CN": "应在 {minimum}–{maximum} 之间",
            "en": "must be between {minimum} and {maximum}",
        },
        "rules.below_red": {
            "zh_CN": "应低于红色规则的阈值 {red}",
            "en": "must be below the red threshold {red}",
        },
        "rules.glucose_order": {
            "zh_CN": "低血糖界值应低于高血糖界值 {high}",
            "en": "the low-glucose limit must be below the high limit {high}",
        },
        "rules.interval_order": {
            "zh_CN": "随访间隔应为 红 ≤ 黄 ≤ 绿",
            "en": "intervals must be red ≤ yellow ≤ green",
        },
        # labels of the editable values
        "field.rules.red.self_care_min": {"zh_CN": "红：生活自理评分 ≥", "en": "Red: self-care score ≥"},
        "field.rules.red.care_level_min": {"zh_CN": "红：照护等级 ≥", "en": "Red: care level ≥"},
        "field.rules.red.hospice": {"zh_CN": "红：安宁疗护", "en": "Red: hospice care"},
        "field.rules.red.family_bed": {"zh_CN": "红：家庭病床", "en": "Red: open family bed"},
        "field.rules.red.sbp_min": {"zh_CN": "红：最近收缩压 ≥（mmHg）", "en": "Red: last systolic BP ≥ (mmHg)"},
        "field.rules.red.dbp_min": {"zh_CN": "红：最近舒张压 ≥（mmHg）", "en": "Red: last diastolic BP ≥ (mmHg)"},
        "field.rules.red.glucose_high_min": {"zh_CN": "红：最近血糖 ≥（mmol/L）", "en": "Red: last glucose ≥ (mmol/L)"},
        "field.rules.red.glucose_low_below": {
            "zh_CN": "红：最近血糖 ≤（mmol/L）",
            "en": "Red: last glucose at or below (mmol/L)",
        },
        "field.rules.red.spo2_below": {"zh_CN": "红：最近血氧饱和度 <（%）", "en": "Red: last SpO2 below (%)"},
        "field.rules.red.temperature_above": {
            "zh_CN": "红：最近体温 >（°C）",
            "en": "Red: last temperature above (°C)",
        },
        "field.rules.red.diabetic_pulse_above": {
            "zh_CN": "红：糖尿病患者最近脉搏 >（次/分）",
            "en": "Red: a diabetic's last pulse above (/min)",
        },
        "field.rules.red.reading_valid_days": {
            "zh_CN": "红：测量值有效天数（超过不再计入）",
            "en": "Red: readings count for (days)",
        },
        "field.rules.red.not_controlled_in_a_row": {
            "zh_CN": "红：慢病连续控制不满意次数",
            "en": "Red: chronic follow-ups not controlled in a row",
        },
        "field.rules.red.complication": {
            "zh_CN": "红：最近慢病随访有并发症",
            "en": "Red: last chronic follow-up a complication",
        },
        "field.rules.red.open_referral": {"zh_CN": "红：转诊未结束", "en": "Red: open referral"},
        "field.rules.red.back_from_hospital_days": {
            "zh_CN": "红：住院返回后天数 ≤",
            "en": "Red: back from hospital within (days)",
        },
        "field.rules.yellow.self_care_min": {"zh_CN": "黄：生活自理评分 ≥", "en": "Yellow: self-care score ≥"},
        "field.rules.yellow.care_level_min": {"zh_CN": "黄：照护等级 ≥", "en": "Yellow: care level ≥"},
        "field.rules.yellow.ad8_min": {
            "zh_CN": "黄：AD8 评分 ≥（无明确诊断）",
            "en": "Yellow: AD8 score ≥ (no diagnosis)",
        },
        "field.rules.yellow.not_controlled": {
            "zh_CN": "黄：最近慢病随访控制不满意",
            "en": "Yellow: last chronic follow-up not controlled",
        },
        "field.rules.yellow.adverse_reaction": {
            "zh_CN": "黄：最近慢病随访有不良反应",
            "en": "Yellow: last chronic follow-up an adverse reaction",
        },
        "field.rules.yellow.age_min": {"zh_CN": "黄：年龄 ≥", "en": "Yellow: age ≥"},
        "field.rules.yellow.conditions_min": {"zh_CN": "黄：且慢性病种数 ≥", "en": "Yellow: and chronic conditions ≥"},
        "field.rules.yellow.fall_within_days": {"zh_CN": "黄：跌倒后天数 ≤", "en": "Yellow: fall within (days)"},
        "field.rules.visits.red_days": {"zh_CN": "红色随访间隔（天）", "en": "Red: days between visits"},
        "field.rules.visits.yellow_days": {"zh_CN": "黄色随访间隔（天）", "en": "Yellow: days between visits"},
        "field.rules.visits.green_days": {"zh_CN": "绿色随访间隔（天）", "en": "Green: days between visits"},
        "field.rules.visits.annual_check_age": {"zh_CN": "年度体检起始年龄", "en": "Annual health check from age"},
        "field.rules.visits.annual_check_days": {"zh_CN": "年度体检间隔（天）", "en": "Days between annual checks"},
        "field.rules.visits.chronic_follow_up_days": {
            "zh_CN": "慢病随访间隔（天）",
            "en": "Days between chronic follow-ups",
        },
        "field.rules.visits.recheck_days": {
            "zh_CN": "控制不满意/不良反应后复查（天内）",
            "en": "Recheck after not controlled / adverse reaction within (days)",
        },
        "field.rules.visits.chronic_follow_up_conditions": {
            "zh_CN": "需要慢病随访的疾病",
            "en": "Conditions with chronic follow-up",
        },
    }
)
