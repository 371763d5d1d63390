"""Several workstations on one PostgreSQL center at once (#20): writers queue on the center's write lock.

Two (or four) workstations — each its own open database, engine and connections, as on separate PCs — edit
the same resident at the same moment, on threads started together. Every edit is kept, each field ends with
the value of its latest clock, no two changes share a clock, and the audit chain verifies. Without the
advisory lock every writer takes first (app.store.engines), writers read the same audit-chain head and the
same clock and the chain forks (the verification reports the second entry as out of order or edited).
"""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain.idcard import make_id_number
from app.services.admin.audit_verify import verify_audit_trail
from app.services.admin.center import set_up_center
from app.services.institutions import save_institution
from app.services.records.residents import create_resident, edit_resident
from app.store.models import AuditEntry, Resident
from app.store.queries import accounts

pytestmark = pytest.mark.postgres

TODAY = date(2026, 11, 16)
EDITS = 12


def _center(url: str) -> tuple[str, str]:
    """A center with an administrator, a home and a resident; returns (admin id, resident id)."""
    context = open_context(url)
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
            admin = accounts.staff_with_login(uow, "admin")
            assert admin is not None
            admin_id = admin.id
        context.actor_id = admin_id
        home = save_institution(context.uow(), name="康宁养老院", kind="nursing_home", beds=100)
        resident = create_resident(
            context.uow(),
            name="张红丽",
            id_number=make_id_number("310104", date(1940, 3, 1), 1, "F"),
            institution_id=home,
            building="A",
            room="101",
            bed="1",
            admission_date=date(2020, 1, 5),
            today=TODAY,
        ).resident_id
        return admin_id, resident
    finally:
        context.close()


def _workstations(url: str, admin_id: str, count: int) -> list[AppContext]:
    opened = [open_context(url) for _ in range(count)]
    for context in opened:
        context.actor_id = admin_id
    return opened


def test_workstations_editing_one_resident_at_the_same_moment_keep_every_edit_and_the_audit_chain(
    pg_url: str,
) -> None:
    admin_id, resident_id = _center(pg_url)
    stations = _workstations(pg_url, admin_id, 4)
    start = threading.Barrier(len(stations))
    failures: list[BaseException] = []

    def work(number: int, context: AppContext) -> None:
        try:
            start.wait()
            for edit in range(EDITS):
                # each its own field, and all of them the same one: the phone
                own = {0: "building", 1: "room", 2: "bed", 3: "guardian_name"}[number]
                values = {own: f"{own[0].upper()}{number}-{edit}", "phone": f"1380013{number}{edit:03d}"}
                if own == "guardian_name":
                    values = {"phone": f"1380013{number}{edit:03d}"}
                edit_resident(context.uow(), key=resident_id, values=values, today=TODAY)
        except BaseException as error:  # reported below, on the test's thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(stations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    try:
        assert not failures, failures
        with stations[0].uow().reading() as uow:
            resident = uow.session.get(Resident, resident_id)
            assert resident is not None
            entries = list(uow.session.exec(select(AuditEntry).where(AuditEntry.entity_id == resident_id)))
        clocks = json.loads(resident.field_clocks)
        # every edit was written and audited: 4 x EDITS changes of the phone (the own fields: entries of their own)
        updates = [e for e in entries if e.action == "update"]
        phones = [e for e in updates if "phone" in json.loads(e.changes)]
        assert len(phones) == len(stations) * EDITS
        # no two changes share a clock: the writers took turns, each after the other's commit
        stamps = [e.updated_at for e in entries]
        assert len(set(stamps)) == len(stamps)
        # each field holds the value its latest change wrote, stamped just before that change was audited
        for field in ("building", "room", "bed", "phone"):
            changes = sorted((e for e in updates if field in json.loads(e.changes)), key=lambda e: e.updated_at)
            last = changes[-1]
            written = json.loads(last.changes)[field]
            assert getattr(resident, field) == (written[-1] if isinstance(written, list) else written), field
            before = changes[-2].updated_at if len(changes) > 1 else ""
            assert before < clocks[field] < last.updated_at, field
        report = verify_audit_trail(stations[0].uow(), anchors=None)
        assert report.ok, report.problems
    finally:
        for context in stations:
            context.close()
