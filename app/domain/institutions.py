"""Signed institutions — 签约机构: kinds (机构类型, DOMAIN §1), internal medical units, field checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.validation import to_half_width, validate_phone


class InstitutionKind(StrEnum):
    NURSING_HOME = "nursing_home"  # 养老机构
    ELDER_CARE_HOME = "elder_care_home"  # 长者照护之家
    DAY_CARE = "day_care"  # 日间照料中心
    SERVICE_HUB = "service_hub"  # 社区综合为老服务中心
    NURSING_HOSPITAL = "nursing_hospital"  # 护理院
    OTHER = "other"

    @property
    def label(self) -> str:
        return t(f"kind.{self.value}")


register(
    {
        "kind.nursing_home": {"zh_CN": "养老机构", "en": "Nursing home"},
        "kind.elder_care_home": {"zh_CN": "长者照护之家", "en": "Elder-care home"},
        "kind.day_care": {"zh_CN": "日间照料中心", "en": "Day-care center"},
        "kind.service_hub": {"zh_CN": "社区综合为老服务中心", "en": "Elder-service hub"},
        "kind.nursing_hospital": {"zh_CN": "护理院", "en": "Nursing hospital"},
        "kind.other": {"zh_CN": "其他", "en": "Other"},
    }
)


MEDICAL_UNITS = ("", "医务室", "护理站", "诊所", "门诊部")
"""Internal medical unit — 内设医疗机构 — values as stored ("" = none)."""

NAME_MAX_LENGTH = 60
TEXT_MAX_LENGTH = 120
MAX_BEDS = 20_000

register(
    {
        "medical_unit.none": {"zh_CN": "无", "en": "None"},
        "medical_unit.医务室": {"zh_CN": "医务室", "en": "Medical room"},
        "medical_unit.护理站": {"zh_CN": "护理站", "en": "Nursing station"},
        "medical_unit.诊所": {"zh_CN": "诊所", "en": "Clinic"},
        "medical_unit.门诊部": {"zh_CN": "门诊部", "en": "Outpatient department"},
        "field.institution": {"zh_CN": "机构", "en": "institution"},
        "field.institution_name": {"zh_CN": "机构名称", "en": "institution name"},
        "field.institution_kind": {"zh_CN": "机构类型", "en": "kind of institution"},
        "field.beds": {"zh_CN": "床位数", "en": "beds"},
        "field.medical_unit": {"zh_CN": "内设医疗机构", "en": "internal medical unit"},
        "field.institution_address": {"zh_CN": "机构地址", "en": "address"},
        "field.contact_person": {"zh_CN": "联系人", "en": "contact person"},
        "field.contact_phone": {"zh_CN": "联系电话", "en": "contact phone"},
        "field.green_channel_hospital": {"zh_CN": "绿色通道医院", "en": "green-channel hospital"},
        "field.green_channel_phone": {"zh_CN": "绿色通道电话", "en": "green-channel phone"},
        "institution.name_required": {"zh_CN": "请填写机构名称", "en": "the institution's name is required"},
        "institution.name_taken": {
            "zh_CN": "已有同名机构“{name}”",
            "en": "there is already an institution called “{name}”",
        },
        "institution.kind_invalid": {"zh_CN": "请选择机构类型", "en": "choose the kind of institution"},
        "institution.beds_range": {
            "zh_CN": "床位数应为 0–{maximum}",
            "en": "the number of beds must be 0 to {maximum}",
        },
        "institution.unit_invalid": {
            "zh_CN": "内设医疗机构只能是：无、医务室、护理站、诊所、门诊部",
            "en": "the internal medical unit is one of: none, 医务室, 护理站, 诊所, 门诊部",
        },
        "text.too_long": {"zh_CN": "最多 {maximum} 个字", "en": "at most {maximum} characters"},
    }
)


def medical_unit_label(value: str) -> str:
    """Return the internal medical unit in the current language ("" means none)."""
    return t(f"medical_unit.{value or 'none'}")


@dataclass(frozen=True)
class InstitutionFields:
    """A checked institution, ready to store."""

    name: str
    kind: InstitutionKind
    address: str
    beds: int
    medical_unit: str
    contact_person: str
    contact_phone: str
    green_channel_hospital: str
    green_channel_phone: str


def clean_text(value: str, *, field: str, maximum: int = TEXT_MAX_LENGTH) -> str:
    """Return ``value`` with runs of white space made one space, or raise if longer than ``maximum``.

    Raises:
        ValidationError: on ``field`` (``text.too_long``).
    """
    cleaned = " ".join(to_half_width(value).split())
    if len(cleaned) > maximum:
        raise ValidationError(field, value, "text.too_long", maximum=maximum)
    return cleaned


def validate_institution(
    *,
    name: str,
    kind: str,
    address: str = "",
    beds: int = 0,
    medical_unit: str = "",
    contact_person: str = "",
    contact_phone: str = "",
    green_channel_hospital: str = "",
    green_channel_phone: str = "",
) -> InstitutionFields:
    """Check the fields of an institution.

    Raises:
        ValidationError: a missing name, unknown kind or medical unit, beds outside 0–20 000, a bad phone
            number or text that is too long.
    """
    cleaned_name = clean_text(name, field="institution_name", maximum=NAME_MAX_LENGTH)
    if not cleaned_name:
        raise ValidationError("institution_name", name, "institution.name_required")
    try:
        kind_value = InstitutionKind(kind)
    except ValueError:
        raise ValidationError("institution_kind", kind, "institution.kind_invalid") from None
    if isinstance(beds, bool) or not isinstance(beds, int) or not 0 <= beds <= MAX_BEDS:
        raise ValidationError("beds", beds, "institution.beds_range", maximum=MAX_BEDS)
    unit = medical_unit.strip()
    if unit not in MEDICAL_UNITS:
        raise ValidationError("medical_unit", medical_unit, "institution.unit_invalid")
    return InstitutionFields(
        name=cleaned_name,
        kind=kind_value,
        address=clean_text(address, field="institution_address"),
        beds=beds,
        medical_unit=unit,
        contact_person=clean_text(contact_person, field="contact_person", maximum=NAME_MAX_LENGTH),
        contact_phone=_phone(contact_phone, "contact_phone"),
        green_channel_hospital=clean_text(green_channel_hospital, field="green_channel_hospital"),
        green_channel_phone=_phone(green_channel_phone, "green_channel_phone"),
    )


def _phone(text: str, field: str) -> str:
    try:
        return validate_phone(text)
    except ValidationError as error:
        raise ValidationError(field, text, error.reason_key, **error.reason_params) from None
