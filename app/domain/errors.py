"""Errors a user can cause, with messages a nurse understands."""

from __future__ import annotations

import errno

from app.domain.i18n import field_label, register, t

register(
    {
        "error.field_value": {
            "zh_CN": "{field}：{reason}（输入值：{value}）",
            "en": "{field}: {reason} (value: {value})",
        },
        "os.ENOSPC": {"zh_CN": "磁盘空间已满", "en": "the disk is full"},
        "os.EACCES": {"zh_CN": "没有权限", "en": "permission denied"},
        "os.ENOTDIR": {"zh_CN": "路径中有一部分不是文件夹", "en": "part of the path is not a folder"},
        "os.ENOENT": {"zh_CN": "文件或文件夹不存在", "en": "no such file or folder"},
        "os.EISDIR": {"zh_CN": "这是一个文件夹", "en": "it is a folder"},
        "os.EROFS": {"zh_CN": "磁盘是只读的", "en": "the disk is read-only"},
        "os.EIO": {
            "zh_CN": "读写出错（磁盘或U盘可能已损坏或被拔出）",
            "en": "input/output error (the disk or USB stick may be damaged or removed)",
        },
        "os.ENAMETOOLONG": {"zh_CN": "文件名太长", "en": "the file name is too long"},
        "os.EEXIST": {"zh_CN": "已存在同名文件", "en": "a file of that name exists"},
        "os.EBUSY": {"zh_CN": "文件正被占用", "en": "the file is in use"},
        "os.ENODEV": {"zh_CN": "设备不存在（U盘可能已被拔出）", "en": "no such device (the USB stick may be removed)"},
        "os.EFBIG": {"zh_CN": "文件太大", "en": "the file is too large"},
        "os.other": {"zh_CN": "系统错误：{reason}", "en": "{reason}"},
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


_SAME_AS = {errno.EPERM: errno.EACCES, errno.ENXIO: errno.ENODEV}

_NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def no_room_to_write(error: OSError) -> bool:
    """Whether ``error`` is a place that cannot take what is written (full, over quota, read-only, too big for
    it): always the writing side's fault, never the file being read."""
    return error.errno in _NO_ROOM


def os_reason(error: OSError | str) -> str:
    """Why a file operation failed, in the user's language (the OS's own words are English).

    The common reasons (a full disk, no permission, a pulled USB stick…) are translated; any other keeps the
    system's text, marked as such in Chinese.
    """
    if isinstance(error, str):
        return error
    number = _SAME_AS.get(error.errno or 0, error.errno or 0)
    name = errno.errorcode.get(number, "")
    key = f"os.{name}"
    if name and key in _OS_KEYS:
        return t(key)
    return t("os.other", reason=error.strerror or str(error))


_OS_KEYS = frozenset(
    f"os.{name}"
    for name in (
        "ENOSPC", "EACCES", "ENOTDIR", "ENOENT", "EISDIR", "EROFS", "EIO", "ENAMETOOLONG", "EEXIST", "EBUSY",
        "ENODEV", "EFBIG",
    )
)  # fmt: skip
