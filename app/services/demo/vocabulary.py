"""The demo's words: names, places, institutions, conditions and medications, what visits note and do."""

from __future__ import annotations

from app.domain.institutions import InstitutionKind

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
FEMALE_GIVEN = (
    "秀英",
    "桂英",
    "秀兰",
    "玉兰",
    "桂兰",
    "秀珍",
    "凤英",
    "玉珍",
    "玉英",
    "兰英",
    "玉梅",
    "凤兰",
    "淑珍",
    "淑英",
    "素珍",
    "红丽",
    "美华",
    "丽华",
    "慧敏",
    "桂芳",
    "月娥",
    "彩霞",
    "金凤",
    "翠英",
    "文英",
    "惠芬",
    "雪梅",
    "佩玲",
    "琴",
    "英",
    "兰",
    "芳",
    "珍",
    "华",
    "梅",
    "霞",
    "敏",
    "丽",
    "云",
    "萍",
)
MALE_GIVEN = (
    "建国",
    "建华",
    "国华",
    "国强",
    "志强",
    "志明",
    "德明",
    "德华",
    "文华",
    "文明",
    "永福",
    "永祥",
    "金生",
    "福生",
    "根宝",
    "阿大",
    "长根",
    "兴发",
    "玉林",
    "振华",
    "家骏",
    "海生",
    "和平",
    "宝林",
    "学文",
    "伟",
    "强",
    "军",
    "勇",
    "杰",
    "明",
    "华",
    "平",
    "刚",
    "林",
    "斌",
    "辉",
    "忠",
    "荣",
    "福",
)
REGIONS = (
    "310101",
    "310104",
    "310105",
    "310106",
    "310107",
    "310109",
    "310110",
    "310112",
    "310113",
    "310115",
    "110101",
    "110105",
    "110108",
    "320102",
    "320505",
    "330102",
    "330106",
    "340104",
    "370102",
    "420102",
    "430102",
    "510104",
)

INSTITUTIONS: tuple[tuple[str, InstitutionKind, str], ...] = (
    ("康宁养老院", InstitutionKind.NURSING_HOME, "医务室"),
    ("枫林敬老院", InstitutionKind.NURSING_HOME, "护理站"),
    ("福寿园养老院", InstitutionKind.NURSING_HOME, "医务室"),
    ("仁爱护理院", InstitutionKind.NURSING_HOSPITAL, "门诊部"),
    ("安康护理院", InstitutionKind.NURSING_HOSPITAL, "诊所"),
    ("漕溪长者照护之家", InstitutionKind.ELDER_CARE_HOME, ""),
    ("桂林长者照护之家", InstitutionKind.ELDER_CARE_HOME, "护理站"),
    ("田林日间照料中心", InstitutionKind.DAY_CARE, ""),
    ("长桥日间照料中心", InstitutionKind.DAY_CARE, ""),
    ("虹梅社区综合为老服务中心", InstitutionKind.SERVICE_HUB, "护理站"),
    ("颐和养老公寓", InstitutionKind.NURSING_HOME, "医务室"),
    ("夕阳红托养中心", InstitutionKind.OTHER, ""),
)
STREETS = (
    "漕溪北路",
    "桂林路",
    "田林路",
    "长桥路",
    "虹梅路",
    "龙华路",
    "宛平南路",
    "钦州路",
    "凯旋路",
    "南丹路",
    "零陵路",
    "天钥桥路",
)
HOSPITALS = ("示范区中心医院", "示范区第八人民医院", "示范区中医医院")

# condition code, name as health records keep it (Chinese), prevalence, medications (name, dose, frequency)
CONDITION_PLAN: tuple[tuple[str, str, float, tuple[tuple[str, str, str], ...]], ...] = (
    ("hypertension", "高血压", 0.55, (("苯磺酸氨氯地平片", "5mg", "每日1次"), ("缬沙坦胶囊", "80mg", "每日1次"))),
    ("diabetes_t2", "2型糖尿病", 0.25, (("盐酸二甲双胍片", "0.5g", "每日3次"), ("阿卡波糖片", "50mg", "每日3次"))),
    ("chd", "冠心病", 0.20, (("阿司匹林肠溶片", "100mg", "每日1次"), ("阿托伐他汀钙片", "20mg", "每晚1次"))),
    ("stroke_sequelae", "脑卒中后遗症", 0.12, (("硫酸氢氯吡格雷片", "75mg", "每日1次"),)),
    ("copd", "慢性阻塞性肺疾病", 0.08, (("噻托溴铵吸入粉雾剂", "18μg", "每日1次"),)),
    ("dementia", "痴呆", 0.15, (("盐酸多奈哌齐片", "5mg", "每晚1次"),)),
    ("parkinson", "帕金森病", 0.04, (("多巴丝肼片", "125mg", "每日3次"),)),
    ("ckd", "慢性肾脏病", 0.06, (("碳酸氢钠片", "0.5g", "每日3次"),)),
    ("osteoporosis", "骨质疏松", 0.20, (("碳酸钙D3片", "600mg", "每日1次"),)),
    ("cancer", "恶性肿瘤", 0.04, ()),
    ("hyperlipidaemia", "高脂血症", 0.18, (("瑞舒伐他汀钙片", "10mg", "每晚1次"),)),
)
ALLERGIES = (("青霉素", "皮疹"), ("磺胺类药物", "皮疹"), ("头孢类抗生素", "瘙痒"), ("海鲜", "荨麻疹"))
# what a visit notes: a general impression, then a remark on one of the resident's own conditions
GENERAL_FINDINGS = (
    "精神可，饮食睡眠可",
    "神志清，精神可，无不适主诉",
    "一般情况可，二便正常",
    "精神可，诉夜间睡眠欠佳",
    "精神稍差，食欲一般",
    "神志清，对答切题",
    "情绪稳定，配合检查",
)
CONDITION_REMARKS: dict[str, tuple[str, ...]] = {
    "hypertension": ("无头晕头痛", "诉偶有头晕，无视物旋转"),
    "diabetes_t2": ("无多饮多尿", "双足皮肤完整，足背动脉搏动可"),
    "chd": ("无胸闷胸痛", "诉活动后偶有胸闷，休息可缓解"),
    "stroke_sequelae": ("一侧肢体活动欠利，借助助行器行走", "言语欠清，肢体肌力较前无变化"),
    "copd": ("咳嗽少痰，双肺呼吸音粗", "活动后气促，双肺未闻及干湿啰音"),
    "dementia": ("定向力差，情绪尚稳定", "记忆力减退，需护理员提醒服药"),
    "parkinson": ("静止性震颤，步态缓慢", "肢体僵硬，起步困难"),
    "ckd": ("双下肢轻度水肿", "尿量可，双下肢无水肿"),
    "osteoporosis": ("诉腰背部酸痛", "诉久坐后腰痛，活动尚可"),
    "cancer": ("诉乏力，食欲欠佳", "体重较前略降，无明显疼痛"),
}
BEDRIDDEN_REMARKS = ("卧床，骶尾部皮肤完整，无压疮", "长期卧床，翻身由护理员协助，皮肤完整")
NO_REMARKS = ("无特殊不适",)
ACTIONS = (
    "继续原治疗方案",
    "继续原治疗方案，健康宣教：低盐低脂饮食",
    "嘱适量活动，预防跌倒",
    "继续原方案，下次巡诊复查",
)
BP_ACTIONS = ("血压控制欠佳，调整降压药剂量，2周内复测血压", "嘱按时服药、低盐饮食，护理员每日测血压，2周后复查")
BP_URGENT_ACTION = "血压明显升高，予调整降压药，嘱护理员每日监测血压2次，必要时转诊"
GLUCOSE_ACTIONS = ("空腹血糖偏高，控制饮食，2周后复查空腹血糖", "调整降糖药，嘱护理员监测空腹血糖")
GUARDIAN_RELATIONS = ("儿子", "女儿", "配偶", "侄子")
SERVICE_PACKAGES = ("基础包", "老年人服务包", "慢病管理包")
FALL_NOTE = "夜间如厕时跌倒"
LIFESTYLE_ADVICE = (
    "低盐低脂饮食，每日食盐不超过5克",
    "适量活动，每日散步30分钟",
    "戒烟限酒，保持情绪稳定",
    "控制饮食总量，少食多餐",
    "规律作息，按时服药",
)
"""The follow-up forms' lifestyle advice (issue #16: 生活方式指导)."""
