"""What a visit says in one line, and what a correction changed — for lists, the audit and sync review.

:func:`describe_vitals` writes a visit's measured vital signs in one short line; :func:`changed_fields` and
:func:`field_labels` tell which fields a correction (a new version of a visit, DESIGN §6) changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date

from app.domain.follow_up import plain_number
from app.domain.i18n import register, t
from app.domain.visits import VITAL_FIELDS, VisitEntry

COMPARED_FIELDS = (
    "visit_date",
    "outcome",
    *VITAL_FIELDS,
    "glucose_fasting",
    "findings",
    "actions",
    "medication_changes",
    "referral",
    "chronic_class",
    "follow_ups",
    "adherence",
    "lifestyle_advice",
    "height",
    "foot_pulse",
    "next_visit_note",
    "late_reason",
)


def changed_fields(
    old: VisitEntry,
    new: VisitEntry,
    *,
    old_date: date,
    new_date: date,
    old_late_reason: str = "",
    new_late_reason: str = "",
) -> tuple[str, ...]:
    """Return the names of the fields a correction changed, in the form's order.

    ``referral`` counts as one field (destination, reason, urgent, green channel).
    """
    changed = [name for name in ("visit_date",) if old_date != new_date]
    for spec in fields(VisitEntry):
        if getattr(old, spec.name) != getattr(new, spec.name):
            changed.append(spec.name)
    if old_late_reason != new_late_reason:
        changed.append("late_reason")
    order = {name: index for index, name in enumerate(COMPARED_FIELDS)}
    return tuple(sorted(changed, key=lambda name: order.get(name, len(order))))


def describe_vitals(entry: VisitEntry, *, separator: str | None = None) -> str:
    """Return the measured vital signs in one short line, e.g. ``BP 150/95 · P 72 · T 36.8 · Glu 7.2 F``."""
    parts: list[str] = []
    if entry.sbp is not None or entry.dbp is not None:
        parts.append(f"{t('visit.short.bp')} {_value(entry.sbp)}/{_value(entry.dbp)}")
    for name in ("pulse", "temperature", "spo2"):
        value = getattr(entry, name)
        if value is not None:
            parts.append(f"{t('visit.short.' + name)} {plain_number(value)}")
    if entry.glucose is not None:
        kind = t("visit.short.fasting") if entry.glucose_fasting else t("visit.short.random")
        parts.append(f"{t('visit.short.glucose')} {plain_number(entry.glucose)} {kind}")
    if entry.weight is not None:
        parts.append(f"{t('visit.short.weight')} {plain_number(entry.weight)}")
    return (separator if separator is not None else " · ").join(parts)


def _value(value: float | None) -> str:
    return "–" if value is None else plain_number(value)


register(
    {
        "visit.short.bp": {"zh_CN": "血压", "en": "BP"},
        "visit.short.pulse": {"zh_CN": "脉搏", "en": "P"},
        "visit.short.temperature": {"zh_CN": "体温", "en": "T"},
        "visit.short.spo2": {"zh_CN": "血氧", "en": "SpO2"},
        "visit.short.glucose": {"zh_CN": "血糖", "en": "Glu"},
        "visit.short.fasting": {"zh_CN": "空腹", "en": "fasting"},
        "visit.short.random": {"zh_CN": "随机", "en": "random"},
        "visit.short.weight": {"zh_CN": "体重", "en": "Wt"},
    }
)


def field_labels(names: Sequence[str]) -> str:
    """Return field names as their labels in one list (收缩压、血糖), for "what changed" lines."""
    labels = []
    for name in names:
        key = "field.referral_destination" if name == "referral" else f"field.{name}"
        if name == "glucose_fasting":
            key = "field.glucose"
        label = t(key)
        if label not in labels:
            labels.append(label)
    return t("list.separator").join(labels)
