"""User settings: the one registry of what can be set, and a JSON file that keeps the values.

Every setting is declared once in :data:`SETTINGS` (name, type, default, description, and the
values it allows); code reads and writes it through :class:`Settings` by name. The module is
plain Python (no Qt) because the command line uses it too.

The file lives in ``platformdirs.user_config_dir("CareRounds")/settings.json`` unless a path is
given. A missing file means "all defaults"; a corrupt file, or a value of the wrong type in it,
falls back to the defaults with a logged warning instead of stopping the program. Keys this
version does not know (written by a newer version) are kept when the file is saved again.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "CareRounds"
SETTINGS_FILE_NAME = "settings.json"

SettingType = type[str] | type[int] | type[bool]


@dataclass(frozen=True)
class SettingSpec:
    """Declare one setting: its name, value type, default and meaning.

    Args:
        name: the key used in code and in the settings file.
        type: ``str``, ``int`` or ``bool``; a value must be exactly of this type (``True`` is not an int).
        default: the value used when the file has none (must itself be valid).
        description: one sentence for the settings screen and for developers.
        choices: the only values allowed, or empty for any value of ``type``.
        minimum: the smallest allowed value of an ``int`` setting, or ``None``.
        maximum: the largest allowed value of an ``int`` setting, or ``None``.
    """

    name: str
    type: SettingType
    default: str | int | bool
    description: str
    choices: tuple[str | int | bool, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def check(self, value: object) -> str | int | bool:
        """Return ``value`` if this setting accepts it.

        Args:
            value: the candidate value.

        Returns:
            The same value, typed.

        Raises:
            TypeError: the value is not of the setting's type.
            ValueError: the value is of the right type but not allowed.
        """
        # bool is a subclass of int; an int setting must not accept True.
        if type(value) is not self.type or not isinstance(value, str | int | bool):
            raise TypeError(f"setting {self.name!r} takes {self.type.__name__}, got {type(value).__name__} {value!r}")
        if self.choices and value not in self.choices:
            raise ValueError(f"setting {self.name!r} must be one of {self.choices}, got {value!r}")
        if isinstance(value, int) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"setting {self.name!r} must be at least {self.minimum}, got {value}")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"setting {self.name!r} must be at most {self.maximum}, got {value}")
        return value


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "language",
        str,
        "zh_CN",
        "Language of the user interface, printouts and messages.",
        choices=("zh_CN", "en"),
    ),
    SettingSpec(
        "theme",
        str,
        "light",
        "Colour theme of the window.",
        choices=("light", "dark"),
    ),
    SettingSpec(
        "last_database",
        str,
        "",
        "Database file opened last time; empty means the default location.",
    ),
    SettingSpec(
        "last_server",
        str,
        "",
        "Database server chosen last (postgresql://user@host:port/database, never a password); empty means none.",
    ),
    SettingSpec(
        "auto_lock_minutes",
        int,
        10,
        "Lock the window after this many idle minutes; 0 turns auto-lock off.",
        minimum=0,
        maximum=24 * 60,
    ),
    SettingSpec(
        "backup_dir",
        str,
        "",
        "Folder for automatic backups; empty means next to the database.",
    ),
    SettingSpec(
        "main_window_geometry",
        str,
        "",
        "Where the main window was last closed (Qt's saved geometry, base64); empty means the default.",
    ),
    SettingSpec(
        "record_window_size",
        str,
        "",
        "Size of the resident record window last closed, as WIDTHxHEIGHT; empty means the default.",
    ),
)

# Typed names for the type checker; tests check that they match SETTINGS.
StrSettingName = Literal[
    "language", "theme", "last_database", "last_server", "backup_dir", "main_window_geometry", "record_window_size"
]
IntSettingName = Literal["auto_lock_minutes"]

_SPECS: dict[str, SettingSpec] = {spec.name: spec for spec in SETTINGS}


def spec_for(name: str) -> SettingSpec:
    """Return the declaration of setting ``name``.

    Args:
        name: a setting name from :data:`SETTINGS`.

    Returns:
        Its :class:`SettingSpec`.

    Raises:
        KeyError: there is no such setting.
    """
    try:
        return _SPECS[name]
    except KeyError:
        raise KeyError(f"unknown setting {name!r}") from None


def default_settings_path() -> Path:
    """Return where the settings file lives for this user."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / SETTINGS_FILE_NAME


def default_database_path() -> Path:
    """Return the default database file in this user's data directory (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "carerounds.sqlite"


def demo_database_path() -> Path:
    """Return the demo center's database file, next to the default database (not created here)."""
    return default_database_path().with_name("demo.sqlite")


class Settings:
    """Read and write the user's settings file with checked, typed access.

    Args:
        path: the JSON file; defaults to :func:`default_settings_path`. Tests pass a temporary file.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_settings_path()
        self._values: dict[str, str | int | bool] = {spec.name: spec.default for spec in SETTINGS}
        self._unknown: dict[str, object] = {}
        self._load()

    @overload
    def get(self, name: StrSettingName) -> str: ...

    @overload
    def get(self, name: IntSettingName) -> int: ...

    @overload
    def get(self, name: str) -> str | int | bool: ...

    def get(self, name: str) -> str | int | bool:
        """Return the current value of setting ``name``.

        Args:
            name: a setting name from :data:`SETTINGS`.

        Returns:
            The stored value, or the default.

        Raises:
            KeyError: there is no such setting.
        """
        spec_for(name)
        return self._values[name]

    @overload
    def set(self, name: StrSettingName, value: str) -> None: ...

    @overload
    def set(self, name: IntSettingName, value: int) -> None: ...

    @overload
    def set(self, name: str, value: str | int | bool) -> None: ...

    def set(self, name: str, value: str | int | bool) -> None:
        """Check and store ``value`` for setting ``name``, and save the file.

        Args:
            name: a setting name from :data:`SETTINGS`.
            value: the new value.

        Raises:
            KeyError: there is no such setting.
            TypeError: the value has the wrong type.
            ValueError: the value is not allowed.
            OSError: the file could not be written (the value is still set in memory).
        """
        self._values[name] = spec_for(name).check(value)
        self.save()

    def reset(self, name: str) -> None:
        """Put setting ``name`` back to its default and save the file.

        Args:
            name: a setting name from :data:`SETTINGS`.

        Raises:
            KeyError: there is no such setting.
        """
        self._values[name] = spec_for(name).default
        self.save()

    def as_dict(self) -> dict[str, str | int | bool]:
        """Return every setting's current value by name."""
        return dict(self._values)

    def save(self) -> None:
        """Write all settings to the file atomically (a crash leaves the old file or the new one)."""
        data: dict[str, object] = {**self._unknown, **self._values}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as tmp:
                json.dump(data, tmp, ensure_ascii=False, indent=2, sort_keys=True)
                tmp.write("\n")
            os.replace(tmp_name, self.path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("cannot read settings file %s (%s); using defaults", self.path, exc)
            return
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            log.warning("settings file %s is not valid JSON (%s); using defaults", self.path, exc)
            return
        if not isinstance(data, Mapping):
            log.warning("settings file %s does not hold an object; using defaults", self.path)
            return
        for key, value in data.items():
            spec = _SPECS.get(key)
            if spec is None:
                self._unknown[key] = value
                continue
            try:
                self._values[key] = spec.check(value)
            except (TypeError, ValueError) as exc:
                log.warning("settings file %s: %s; using the default %r", self.path, exc, spec.default)
