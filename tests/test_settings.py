"""Tests for the settings registry and the settings file."""

from __future__ import annotations

import json
import logging
import typing
from pathlib import Path

import pytest

from app import settings as settings_module
from app.settings import (
    SETTINGS,
    IntSettingName,
    Settings,
    SettingSpec,
    StrSettingName,
    default_database_path,
    demo_database_path,
    spec_for,
)


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def test_defaults_without_a_file(settings_path: Path) -> None:
    settings = Settings(settings_path)

    assert settings.get("language") == "zh_CN"
    assert settings.get("theme") == "light"
    assert settings.get("last_database") == ""
    assert settings.get("auto_lock_minutes") == 10
    assert settings.get("backup_dir") == ""
    assert not settings_path.exists(), "reading must not create the file"


def test_every_default_passes_its_own_check() -> None:
    for spec in SETTINGS:
        assert spec.check(spec.default) == spec.default


def test_registry_names_are_unique_and_match_the_typed_names() -> None:
    names = [spec.name for spec in SETTINGS]
    assert len(names) == len(set(names))
    typed = {
        str: set(typing.get_args(StrSettingName)),
        int: set(typing.get_args(IntSettingName)),
    }
    for spec in SETTINGS:
        assert spec.name in typed[spec.type], f"{spec.name} missing from the typed names"
    assert set().union(*typed.values()) == set(names)


def test_set_round_trips_through_the_file(settings_path: Path) -> None:
    settings = Settings(settings_path)
    settings.set("theme", "dark")
    settings.set("language", "en")
    settings.set("auto_lock_minutes", 0)
    settings.set("last_database", "D:/数据/carerounds.sqlite")

    reopened = Settings(settings_path)

    assert reopened.get("theme") == "dark"
    assert reopened.get("language") == "en"
    assert reopened.get("auto_lock_minutes") == 0
    assert reopened.get("last_database") == "D:/数据/carerounds.sqlite"
    assert "数据" in settings_path.read_text(encoding="utf-8"), "file keeps Chinese readable"


def test_reset_restores_the_default(settings_path: Path) -> None:
    settings = Settings(settings_path)
    settings.set("theme", "dark")
    settings.reset("theme")

    assert Settings(settings_path).get("theme") == "light"


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("theme", "blue", ValueError),
        ("language", "fr", ValueError),
        ("language", 1, TypeError),
        ("auto_lock_minutes", "10", TypeError),
        ("auto_lock_minutes", True, TypeError),
        ("auto_lock_minutes", -1, ValueError),
        ("auto_lock_minutes", 24 * 60 + 1, ValueError),
        ("backup_dir", None, TypeError),
    ],
)
def test_set_rejects_bad_values_and_keeps_the_old_one(
    settings_path: Path, name: str, value: object, error: type[Exception]
) -> None:
    settings = Settings(settings_path)
    before = settings.get(name)

    with pytest.raises(error, match=name):
        settings.set(name, value)  # type: ignore[call-overload]

    assert settings.get(name) == before
    assert not settings_path.exists()


def test_unknown_names_raise_key_error(settings_path: Path) -> None:
    settings = Settings(settings_path)

    with pytest.raises(KeyError, match="colour_scheme"):
        settings.get("colour_scheme")
    with pytest.raises(KeyError):
        settings.set("colour_scheme", "dark")
    with pytest.raises(KeyError):
        spec_for("colour_scheme")


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2, 3]", b"\xff\xfe\x00garbage", b""],
    ids=["broken-json", "not-an-object", "not-utf8", "empty"],
)
def test_corrupt_file_falls_back_to_defaults(
    settings_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    settings_path.parent.mkdir(parents=True)
    settings_path.write_bytes(content)

    with caplog.at_level(logging.WARNING, logger=settings_module.__name__):
        settings = Settings(settings_path)

    assert settings.as_dict() == {spec.name: spec.default for spec in SETTINGS}
    assert str(settings_path) in caplog.text
    settings.set("theme", "dark")
    assert Settings(settings_path).get("theme") == "dark", "a corrupt file is replaced on save"


def test_bad_values_in_the_file_fall_back_one_by_one(settings_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings_path.parent.mkdir(parents=True)
    settings_path.write_text(
        json.dumps({"theme": "purple", "language": "en", "auto_lock_minutes": "5"}), encoding="utf-8"
    )

    with caplog.at_level(logging.WARNING, logger=settings_module.__name__):
        settings = Settings(settings_path)

    assert settings.get("theme") == "light"
    assert settings.get("language") == "en"
    assert settings.get("auto_lock_minutes") == 10
    assert "theme" in caplog.text
    assert "auto_lock_minutes" in caplog.text


def test_keys_from_a_newer_version_survive_a_save(settings_path: Path) -> None:
    settings_path.parent.mkdir(parents=True)
    settings_path.write_text(json.dumps({"future_option": [1, 2], "theme": "dark"}), encoding="utf-8")

    settings = Settings(settings_path)
    settings.set("language", "en")

    saved = json.loads(settings_path.read_text(encoding="utf-8"))
    assert saved["future_option"] == [1, 2]
    assert saved["theme"] == "dark"
    assert saved["language"] == "en"
    assert [p.name for p in settings_path.parent.iterdir()] == ["settings.json"], "no temp files left"


def test_spec_check_messages_name_the_setting() -> None:
    spec = SettingSpec("zoom", int, 100, "Zoom in percent.", minimum=50, maximum=200)

    assert spec.check(150) == 150
    with pytest.raises(ValueError, match=r"zoom.*at least 50"):
        spec.check(10)
    with pytest.raises(ValueError, match=r"zoom.*at most 200"):
        spec.check(300)


def test_database_paths_share_the_user_data_directory() -> None:
    assert default_database_path().name == "carerounds.sqlite"
    assert demo_database_path().name == "demo.sqlite"
    assert demo_database_path().parent == default_database_path().parent
    assert "CareRounds" in str(default_database_path().parent)
