"""Fixtures of the sync tests: a center of four devices built once per module, copied per test.

The center's own database (the workstation, device 0) is on each engine in turn (``hub``): a SQLite file, then
a PostgreSQL database (marked ``postgres``; issue 20: a server center syncs with its laptops exactly as a file
center does). The laptops are always SQLite files. A module about what only a file has overrides ``hub`` with
a fixture returning ``"sqlite"`` and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sync_world import Device, build_center, copy_center, open_devices


@pytest.fixture(scope="module")
def center_template(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Four closed databases of one center (workstation + three laptops), built once per module."""
    return build_center(tmp_path_factory.mktemp("center"), 4)


@pytest.fixture
def hub(engine: str) -> str:
    """The engine of the center's database: ``sqlite`` (a file), then ``postgresql`` (a server database)."""
    return engine


@pytest.fixture
def hub_server(hub: str, request: pytest.FixtureRequest) -> Callable[[Path], str] | None:
    """None for a file center; else ``pg_database``: the workstation's file moved onto the server (once a module)
    and cloned for the test, dropped after it (asked for before the devices: dropped after they are closed)."""
    return request.getfixturevalue("pg_database") if hub == "postgresql" else None


@pytest.fixture
def center_copy(
    center_template: list[Path], hub_server: Callable[[Path], str] | None, tmp_path: Path
) -> Iterator[Callable[[int], list[Device]]]:
    """Return ``open_center(count)``: the first ``count`` devices of a copy of the center, open; closed after."""
    opened: list[Device] = []

    def open_center(count: int) -> list[Device]:
        folder = tmp_path / ("dbs" if not opened else f"dbs-{len(opened)}")
        devices = open_devices(copy_center(center_template, folder, count, server=hub_server), folder)
        opened.extend(devices)
        return devices

    yield open_center
    for device in opened:
        device.close()


@pytest.fixture
def two_devices(center_copy: Callable[[int], list[Device]]) -> list[Device]:
    return center_copy(2)


@pytest.fixture
def three_devices(center_copy: Callable[[int], list[Device]]) -> list[Device]:
    return center_copy(3)
