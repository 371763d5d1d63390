"""The monitoring return's layout (DOMAIN §9): which tables and columns, their titles and groups — data, with an
override file (``report --layout``). Pure."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.errors import ValidationError
from app.domain.i18n import current_language
from app.domain.report_indicators import BY_KEY


@dataclass(frozen=True)
class Column:
    key: str
    titles: Mapping[str, str] = field(default_factory=dict)  # language -> title; the indicator's own by default

    def title(self, language: str | None = None) -> str:
        language = language or current_language()
        return self.titles.get(language) or BY_KEY[self.key].title(language)


@dataclass(frozen=True)
class ReturnTable:
    key: str
    titles: Mapping[str, str]
    columns: tuple[Column, ...]
    groups: tuple[tuple[Mapping[str, str], int], ...] = ()  # a merged header over consecutive columns: (titles, span)

    def group_titles(self, language: str | None = None) -> list[tuple[str, int]]:
        """The merged header row over the columns, in ``language`` (empty when the table has none)."""
        language = language or current_language()
        return [(titles.get(language) or titles.get("zh_CN", ""), span) for titles, span in self.groups]

    def title(self, language: str | None = None) -> str:
        language = language or current_language()
        return self.titles.get(language) or self.titles.get("zh_CN") or self.key


@dataclass(frozen=True)
class ReturnLayout:
    tables: tuple[ReturnTable, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """Every indicator of the layout, in order (the merge checks two returns have the same)."""
        return tuple(column.key for table in self.tables for column in table.columns)


DEFAULT_LAYOUT_JSON = {
    "tables": [
        {
            "key": "signing",
            "groups": [
                {"title": {"zh_CN": "签约", "en": "Signing"}, "columns": 4},
                {"title": {"zh_CN": "巡诊", "en": "Rounds"}, "columns": 6},
                {"title": {"zh_CN": "巡诊服务", "en": "Visits"}, "columns": 2},
            ],
            "title": {"zh_CN": "表1 签约与巡诊", "en": "Table 1 Signing and rounds"},
            "columns": [
                "signed_institutions",
                "in_residence",
                "signed",
                "signing_rate",
                "rounds_held",
                "rounds_cancelled",
                "rounds_due",
                "weeks",
                "weeks_compliant",
                "round_compliance",
                "visits",
                "residents_seen",
            ],
        },
        {
            "key": "triage",
            "groups": [
                {"title": {"zh_CN": "期末分类", "en": "Colour at period end"}, "columns": 4},
                {"title": {"zh_CN": "期内变化", "en": "Changes"}, "columns": 2},
            ],
            "title": {"zh_CN": "表2 分类管理", "en": "Table 2 Triage colours"},
            "columns": ["red", "yellow", "green", "unconfirmed", "colour_up", "colour_down"],
        },
        {
            "key": "chronic",
            "groups": [
                {"title": {"zh_CN": "老年人健康管理", "en": "Elderly care"}, "columns": 3},
                {"title": {"zh_CN": "高血压", "en": "Hypertension"}, "columns": 5},
                {"title": {"zh_CN": "2型糖尿病", "en": "Type 2 diabetes"}, "columns": 5},
            ],
            "title": {"zh_CN": "表3 老年人与慢性病健康管理", "en": "Table 3 Elderly and chronic-disease care"},
            "columns": [
                "elderly",
                "elderly_checked",
                "health_management_rate",
                "ht_managed",
                "ht_regular",
                "ht_regular_rate",
                "ht_controlled",
                "ht_control_rate",
                "dm_managed",
                "dm_regular",
                "dm_regular_rate",
                "dm_controlled",
                "dm_control_rate",
            ],
        },
        {
            "key": "services",
            "groups": [
                {"title": {"zh_CN": "家庭病床", "en": "Family beds"}, "columns": 4},
                {"title": {"zh_CN": "代配药", "en": "Proxy refills"}, "columns": 2},
                {"title": {"zh_CN": "评估", "en": "Assessments"}, "columns": 3},
            ],
            "title": {
                "zh_CN": "表4 家庭病床、代配药与评估",
                "en": "Table 4 Family beds, proxy refills, assessments",
            },
            "columns": [
                "beds_opened",
                "beds_closed",
                "beds_open",
                "bed_days",
                "refills",
                "refill_residents",
                "ad8",
                "ad8_positive",
                "care_level",
            ],
        },
        {
            "key": "referrals",
            "groups": [
                {"title": {"zh_CN": "期内转出", "en": "Opened"}, "columns": 2},
                {"title": {"zh_CN": "期内结案（按结果）", "en": "Closed, by outcome"}, "columns": 5},
                {"title": {"zh_CN": "未结", "en": "Still open"}, "columns": 2},
            ],
            "title": {"zh_CN": "表5 双向转诊", "en": "Table 5 Referrals"},
            "columns": [
                "referrals_urgent",
                "referrals_routine",
                "referrals_admitted",
                "referrals_returned",
                "referrals_declined",
                "referrals_not_needed",
                "referrals_closed",
                "referrals_open",
                "referrals_overdue",
            ],
        },
    ]
}
"""The shipped return: five tables (a district may ask for others: :func:`parse_layout` reads an override)."""


def parse_layout(text: str) -> ReturnLayout:
    """Read a layout: ``{"tables": [{"key", "title": {lang: text}, "columns": [key | {"key", "title"}]}]}``.

    Raises:
        ValidationError: on ``layout``: not JSON, the wrong shape, or a column naming no indicator.
    """
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValidationError("layout", "", "report.layout.json", reason=str(error)) from error
    return layout_from(data)


def layout_from(data: object) -> ReturnLayout:
    """See :func:`parse_layout` (from already parsed JSON)."""
    if not isinstance(data, dict) or not isinstance(data.get("tables"), list) or not data["tables"]:
        raise ValidationError("layout", "", "report.layout.shape")
    tables = []
    for number, table in enumerate(data["tables"], start=1):
        if not isinstance(table, dict) or not isinstance(table.get("columns"), list):
            raise ValidationError("layout", "", "report.layout.shape")
        titles = table.get("title", {})
        if isinstance(titles, str):
            titles = {"zh_CN": titles, "en": titles}
        if not isinstance(titles, dict):
            raise ValidationError("layout", "", "report.layout.shape")
        columns = []
        for position, column in enumerate(table["columns"], start=1):
            key: object = column if isinstance(column, str) else None
            column_titles: object = {}
            if isinstance(column, dict):
                key, column_titles = column.get("key"), column.get("title", {})
                if isinstance(column_titles, str):
                    column_titles = {"zh_CN": column_titles, "en": column_titles}
            if not isinstance(key, str) or not isinstance(column_titles, dict):
                raise ValidationError("layout", "", "report.layout.shape")
            if key not in BY_KEY:
                raise ValidationError("layout", key, "report.layout.unknown", table=number, column=position, key=key)
            columns.append(Column(key, {str(k): str(v) for k, v in column_titles.items()}))
        groups = _groups(table.get("groups", []), len(columns), number)
        tables.append(
            ReturnTable(
                str(table.get("key", f"table{number}")),
                {str(k): str(v) for k, v in titles.items()},
                tuple(columns),
                groups,
            )
        )
    return ReturnLayout(tuple(tables))


def _groups(data: object, width: int, table: int) -> tuple[tuple[Mapping[str, str], int], ...]:
    """``[{"title": {lang: text} | text, "columns": n}, ...]`` covering every column once, in order."""
    if not isinstance(data, list):
        raise ValidationError("layout", "", "report.layout.shape")
    groups = []
    for group in data:
        if not isinstance(group, dict) or not isinstance(group.get("columns"), int) or group["columns"] < 1:
            raise ValidationError("layout", "", "report.layout.shape")
        titles = group.get("title", {})
        if isinstance(titles, str):
            titles = {"zh_CN": titles, "en": titles}
        if not isinstance(titles, dict):
            raise ValidationError("layout", "", "report.layout.shape")
        groups.append(({str(k): str(v) for k, v in titles.items()}, int(group["columns"])))
    if groups and sum(span for _, span in groups) != width:
        raise ValidationError("layout", "", "report.layout.groups", table=table, columns=width)
    return tuple(groups)


DEFAULT_LAYOUT = layout_from(DEFAULT_LAYOUT_JSON)
