"""Audit verification finds a broken chain on either engine, and says so instead of failing (#20).

On a PostgreSQL center a chain with a hole made the verifier look the missing hashes up with SQLite's
``?`` placeholders through psycopg: ``ProgrammingError: the query has 0 placeholders but N parameters``
instead of the report (seen with four workstations writing without the center's write lock).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from app.bootstrap import open_context
from app.domain.idcard import make_id_number
from app.services.accounts import sign_in as accounts
from app.services.admin.audit_verify import verify_audit_trail
from app.services.admin.center import set_up_center
from app.services.institutions import save_institution
from app.services.records.residents import create_resident, edit_resident
from app.store.audit import ChainProblemKind
from app.store.queries import accounts as staff

TODAY = date(2026, 2, 28)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_a_hole_in_the_chain_is_reported_on_either_engine(db_target: Path | str) -> None:
    context = open_context(db_target)
    try:
        set_up_center(
            context.uow(),
            name="示范中心",
            code="SH01",
            admin_name="管理员",
            admin_login="admin",
            admin_password="x" * 12,
        )
        with context.uow().reading() as uow:
            admin = staff.staff_with_login(uow, "admin")
            assert admin is not None
        context.actor_id = admin.id
        home = save_institution(context.uow(), name="康宁养老院", kind="nursing_home", beds=100)
        resident = create_resident(
            context.uow(),
            name="张红丽",
            id_number=make_id_number("310104", date(1940, 3, 1), 1, "F"),
            institution_id=home,
            admission_date=date(2020, 1, 5),
            today=TODAY,
        ).resident_id
        for number in range(4):
            edit_resident(context.uow(), key=resident, values={"room": f"10{number}"}, today=TODAY)
        assert verify_audit_trail(context.uow(), anchors=None).ok
        with context.database.engine.begin() as connection:
            entries = [row[0] for row in connection.execute(text("SELECT id FROM auditentry ORDER BY updated_at"))]
            connection.execute(text("DELETE FROM auditentry WHERE id = :id"), {"id": entries[3]})

        report = verify_audit_trail(context.uow(), anchors=None)

        assert not report.ok
        assert [(problem.kind, problem.entry_id) for problem in report.problems] == [
            (ChainProblemKind.MISSING_BEFORE, entries[4])
        ]
    finally:
        context.close()
