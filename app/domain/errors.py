"""Errors a user can cause, with messages a nurse understands."""

from __future__ import annotations

from app.domain.i18n import field_label, register, t

register(
    {
        "error.field_value": {
            "zh_CN": "{field}：{reason}（输入值：{value}）",
            "en": "{field}: {reason} (value: {value})",
        },
        "error.field_nothing": {
            "zh_CN": "{field}：{reason}（未填写）",
            "en": "{field}: {reason} (nothing entered)",
        },
    }
)


SHOWN_VALUE_CHARS = 80
"""At most this much of a refused value is repeated in its message."""


class DomainError(Exception):
    """A problem caused by input or state the user controls; shown as a message, never a traceback."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def __str__(self) -> str:
        return t(self.key, **self.params)


class ValidationError(DomainError):
    """A value a user typed or imported is not acceptable.

    Args:
        field: the field's message key suffix, e.g. ``"id_number"`` (label key ``field.id_number``).
        value: the value as given.
        reason_key: message key of the reason, e.g. ``"id.checksum"``.
        params: parameters for the reason message.
    """

    def __init__(self, field: str, value: object, reason_key: str, /, **params: object) -> None:
        self.field = field
        self.value = value
        self.reason_key = reason_key
        self.reason_params = params
        super().__init__(reason_key, **params)

    @property
    def reason(self) -> str:
        return t(self.reason_key, **self.reason_params)

    @property
    def field_label(self) -> str:
        return field_label(self.field)

    def __str__(self) -> str:
        shown = "" if self.value is None else str(self.value)
        if not shown.strip():  # not "(value: )": say nothing was entered
            return t("error.field_nothing", field=self.field_label, reason=self.reason)
        if len(shown) > SHOWN_VALUE_CHARS:  # a pasted page or a corrupt cell: enough to recognise it
            shown = shown[: SHOWN_VALUE_CHARS - 1] + "…"
        return t("error.field_value", field=self.field_label, reason=self.reason, value=shown)
