"""Fixtures of the sync tests: a center of four devices built once per module, copied per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_world import Device, build_center, copy_center, open_devices


@pytest.fixture(scope="module")
def center_template(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Four closed databases of one center (workstation + three laptops), built once per module."""
    return build_center(tmp_path_factory.mktemp("center"), 4)


@pytest.fixture
def two_devices(center_template: list[Path], tmp_path: Path) -> Iterator[list[Device]]:
    devices = open_devices(copy_center(center_template, tmp_path / "dbs", 2))
    yield devices
    for device in devices:
        device.close()


@pytest.fixture
def three_devices(center_template: list[Path], tmp_path: Path) -> Iterator[list[Device]]:
    devices = open_devices(copy_center(center_template, tmp_path / "dbs", 3))
    yield devices
    for device in devices:
        device.close()
