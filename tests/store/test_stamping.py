"""Synced rows get their sync columns from the unit of work, including per-field clocks (on each engine in turn)."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlmodel import select

from app.store.database import Database
from app.store.models import Center, DeviceState
from app.store.uow import UnitOfWork
from app.sync.clock import Timestamp


def test_new_and_changed_rows_are_stamped_with_increasing_clock_values(store_target: Callable[[], Database]) -> None:
    database = store_target()
    with UnitOfWork(database) as uow:
        uow.session.add(Center(name="中心", code="C01"))
        uow.commit()
    with UnitOfWork(database) as uow:
        center = uow.session.exec(select(Center)).one()
        created_stamp = center.updated_at
        assert center.origin_device == database.device_id
        assert center.field_clocks is None
        assert len(center.id) == 36
        center.district = "示范区"
        uow.commit()
    with UnitOfWork(database) as uow:
        center = uow.session.exec(select(Center)).one()
        assert center.updated_at > created_stamp
        assert json.loads(center.field_clocks or "{}") == {"district": center.updated_at}
        state = uow.session.exec(select(DeviceState)).one()
        assert Timestamp.decode(state.last_clock) >= Timestamp.decode(center.updated_at)


def test_a_unit_of_work_rolls_back_unless_committed(store_target: Callable[[], Database]) -> None:
    database = store_target()
    with UnitOfWork(database) as uow:
        uow.session.add(Center(name="中心", code="C01"))
        uow.session.flush()
    with UnitOfWork(database) as uow:
        assert uow.session.exec(select(Center)).first() is None


def test_the_clock_survives_a_restart(store_target: Callable[[], Database]) -> None:
    database = store_target()
    with UnitOfWork(database) as uow:
        uow.session.add(Center(name="中心", code="C01"))
        uow.commit()
    last = database.clock.last
    database.close()
    again = store_target()
    assert again.clock.now() > last
