"""Family sickbeds — 家庭病床: open a bed with its orders, record weekly checks, close it, list the beds.

Doctors open and close beds (and change their orders); nurses and doctors record checks (DOMAIN §8). One
open bed per resident. Opening and closing keep the resident's ``family_bed`` flag (and its dates) in step,
so triage's red reason "active family bed" and the record's flags follow the bed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.search import bed_label
from app.domain.sickbeds import (
    MAX_SHORT_TEXT,
    MAX_TEXT,
    CloseReason,
    Order,
    OrderKind,
    bed_days,
    check_order,
    check_text,
    checks_missed,
    next_check_due,
)
from app.printing.homecare_lists import BedEntry, BedsDocument, build_beds_list
from app.services.editing import apply_changes, get_live, permit
from app.services.output_files import OutputKind, atomic_output, check_output
from app.services.printing import Printed
from app.services.sync.conflicts import settle_two_beds
from app.services.triage import refresh_suggestions
from app.store.models import BedCheck, BedOrder, FamilyBed, Resident
from app.store.queries import beds as queries
from app.store.queries import institutions as institution_queries
from app.store.queries import printing as printing_queries
from app.store.uow import UnitOfWork

MAX_ORDERS = 30

log = logging.getLogger(__name__)

register(
    {
        "bed.already_open": {
            "zh_CN": "{name}已有一张未撤的家庭病床（{opened_on} 建床）",
            "en": "{name} already has an open family bed (opened {opened_on})",
        },
        "bed.not_in_residence": {
            "zh_CN": "{name}不在住，不能建床",
            "en": "{name} is not in residence; a bed cannot be opened",
        },
        "bed.closed_on_departure": {
            "zh_CN": "{day} 离院（出院、转出或死亡），自动撤床",
            "en": "closed when the resident left on {day} (discharged, transferred or died)",
        },
        "bed.overlaps": {
            "zh_CN": "早于上一张家庭病床的撤床日期 {closed_on}",
            "en": "before the previous family bed closed ({closed_on})",
        },
        "bed.closed": {"zh_CN": "这张家庭病床已于 {closed_on} 撤床", "en": "This family bed was closed on {closed_on}"},
        "bed.future": {"zh_CN": "不能晚于今天（{today}）", "en": "not after today ({today})"},
        "bed.before_check": {"zh_CN": "早于末次查床日期 {checked_on}", "en": "before the last check ({checked_on})"},
        "bed.before_open": {"zh_CN": "早于建床日期 {opened_on}", "en": "before the bed was opened ({opened_on})"},
        "bed.unknown_order": {"zh_CN": "不是这张病床的医嘱", "en": "not an order of this bed"},
        "bed.too_many_orders": {"zh_CN": "最多 {limit} 条医嘱", "en": "at most {limit} orders"},
        "bed.error.reason": {"zh_CN": "无此撤床原因，可选：{reasons}", "en": "unknown reason; one of: {reasons}"},
    }
)


class BedRefused(DomainError):
    """The bed cannot be opened, checked or closed as asked (already open, closed, not in residence)."""


@dataclass(frozen=True)
class OrderInput:
    """An order as typed: kind (an :class:`~app.domain.sickbeds.OrderKind` value), every how many days, from
    when, until when, and what exactly."""

    kind: str
    every_days: int
    start: date
    stop: date | None = None
    detail: str = ""


@dataclass(frozen=True)
class OrderView:
    id: str
    order: Order

    @property
    def label(self) -> str:
        text = self.order.kind.label
        return f"{text}（{self.order.detail}）" if self.order.detail else text


@dataclass(frozen=True)
class CheckView:
    id: str
    checked_on: date
    staff_name: str
    findings: str
    orders_done: tuple[str, ...]


@dataclass(frozen=True)
class BedView:
    """A bed as the lists, the record and the round sheet show it."""

    id: str
    resident_id: str
    resident_name: str
    institution: str
    bed: str
    indication: str
    doctor: str
    opened_on: date
    closed_on: date | None
    close_reason: str
    care_plan: str
    summary: str
    orders: tuple[OrderView, ...]
    checks: tuple[CheckView, ...]
    bed_days: int
    checks_missed: int
    next_check_due: date | None

    @property
    def last_check(self) -> date | None:
        return self.checks[-1].checked_on if self.checks else None

    def orders_due(self, day: date) -> list[OrderView]:
        """Return the orders due on ``day`` (none once the bed is closed)."""
        if self.closed_on is not None and day >= self.closed_on:
            return []
        return [view for view in self.orders if view.order.due_on(day)]


def _not_after_today(field: str, day: date, today: date) -> None:
    if day > today:
        raise ValidationError(field, day.isoformat(), "bed.future", today=today.isoformat())


def _open_bed(uow: UnitOfWork, bed_id: str) -> FamilyBed:
    bed = get_live(uow, FamilyBed, bed_id)
    if bed.closed_on is not None:
        raise BedRefused("bed.closed", closed_on=bed.closed_on.isoformat())
    return bed


def _new_order(bed_id: str, typed: OrderInput) -> BedOrder:
    order = check_order(typed.kind, typed.every_days, typed.start, typed.stop, typed.detail)
    return BedOrder(
        bed_id=bed_id,
        kind=order.kind.value,
        every_days=order.every_days,
        start=order.start,
        stop=order.stop,
        detail=order.detail,
    )


def open_bed(
    uow: UnitOfWork,
    *,
    resident_id: str,
    indication: str,
    opened_on: date,
    today: date,
    care_plan: str = "",
    doctor_id: str | None = None,
    orders: Sequence[OrderInput] = (),
) -> str:
    """Open a family bed (建床) for a resident in residence; return its id.

    Raises:
        PermissionDenied: the signed-in person may not open beds (doctors and administrators may).
        NotFound: no such resident.
        BedRefused: the resident already has an open bed, or is not in residence.
        ValidationError: a field is missing, too long, in the future, or an order is not valid.
    """
    with uow:
        permit(uow, Action.MANAGE_BEDS)
        resident = get_live(uow, Resident, resident_id)
        indication = check_text("bed_indication", indication, required=True, limit=MAX_SHORT_TEXT)
        care_plan = check_text("bed_care_plan", care_plan, required=False, limit=MAX_TEXT)
        _not_after_today("bed_opened_on", opened_on, today)
        if len(orders) > MAX_ORDERS:
            raise ValidationError("order_kind", len(orders), "bed.too_many_orders", limit=MAX_ORDERS)
        if resident.status != "in_residence":
            raise BedRefused("bed.not_in_residence", name=resident.name)
        existing = queries.open_bed_of(uow, resident.id)
        if existing is not None:
            raise BedRefused("bed.already_open", name=resident.name, opened_on=existing.opened_on.isoformat())
        closed = queries.last_closed_on(uow, resident.id)
        if closed is not None and opened_on < date.fromisoformat(closed[:10]):
            # two beds over the same days would count their bed-days twice
            raise ValidationError("bed_opened_on", opened_on.isoformat(), "bed.overlaps", closed_on=closed[:10])
        bed = FamilyBed(
            resident_id=resident.id,
            indication=indication,
            doctor_id=doctor_id or uow.actor_id,
            opened_on=opened_on,
            care_plan=care_plan,
            updated_by=uow.actor_id,
        )
        new_orders = [_new_order(bed.id, typed) for typed in orders]
        for order in new_orders:
            order.updated_by = uow.actor_id
        queries.add(uow, bed)
        queries.add(uow, *new_orders)
        apply_changes(uow, resident, {"family_bed": True, "family_bed_start": opened_on, "family_bed_end": None})
        uow.commit()
    _refresh_suggestion(uow, resident_id, today)  # an open bed is a red reason
    return bed.id


def add_order(uow: UnitOfWork, *, bed_id: str, order: OrderInput) -> str:
    """Add an order (医嘱) to an open bed; return its id.

    Raises:
        PermissionDenied, NotFound, BedRefused (closed), ValidationError (the order).
    """
    with uow:
        permit(uow, Action.MANAGE_BEDS)
        bed = _open_bed(uow, bed_id)
        if len(queries.orders_by_id(uow, bed.id)) >= MAX_ORDERS:
            raise ValidationError("order_kind", order.kind, "bed.too_many_orders", limit=MAX_ORDERS)
        row = _new_order(bed.id, order)
        row.updated_by = uow.actor_id
        queries.add(uow, row)
        uow.commit()
        return row.id


def stop_order(uow: UnitOfWork, *, order_id: str, stop: date) -> None:
    """Stop an order from ``stop`` on (the last day it is carried out).

    Raises:
        PermissionDenied, NotFound, BedRefused (closed), ValidationError (stop before the order's start).
    """
    with uow:
        permit(uow, Action.MANAGE_BEDS)
        order = get_live(uow, BedOrder, order_id)
        _open_bed(uow, order.bed_id)
        check_order(order.kind, order.every_days, order.start, stop, order.detail)
        apply_changes(uow, order, {"stop": stop})
        uow.commit()


def check_bed(
    uow: UnitOfWork, *, bed_id: str, checked_on: date, today: date, findings: str, orders_done: Sequence[str] = ()
) -> str:
    """Record a check (查床) of an open bed: what was found and which of its orders were carried out.

    Raises:
        PermissionDenied: the signed-in person may not record checks (nurses and doctors may).
        NotFound, BedRefused (closed), ValidationError (findings missing or too long, a day before the bed
        opened or after today, an order that is not the bed's).
    """
    with uow:
        permit(uow, Action.CHECK_BEDS)
        bed = _open_bed(uow, bed_id)
        findings = check_text("bed_findings", findings, required=True, limit=MAX_TEXT)
        _not_after_today("bed_checked_on", checked_on, today)
        if checked_on < bed.opened_on:
            raise ValidationError(
                "bed_checked_on", checked_on.isoformat(), "bed.before_open", opened_on=bed.opened_on.isoformat()
            )
        known = queries.orders_by_id(uow, bed.id)
        for order_id in orders_done:
            if order_id not in known:
                raise ValidationError("order_kind", order_id, "bed.unknown_order")
        check = BedCheck(
            bed_id=bed.id,
            checked_on=checked_on,
            staff_id=uow.actor_id,
            findings=findings,
            orders_done=json.dumps(sorted(set(orders_done))),
            updated_by=uow.actor_id,
        )
        queries.add(uow, check)
        uow.commit()
        return check.id


def close_bed(uow: UnitOfWork, *, bed_id: str, closed_on: date, today: date, reason: str, summary: str) -> None:
    """Close a bed (撤床) with the reason and a discharge summary; the resident's flag follows.

    Raises:
        PermissionDenied: only doctors and administrators close beds.
        NotFound, BedRefused (already closed), ValidationError (reason unknown, summary missing, a day before
        the bed opened or after today).
    """
    with uow:
        permit(uow, Action.MANAGE_BEDS)
        bed = _open_bed(uow, bed_id)
        try:
            close_reason = CloseReason(reason)
        except ValueError:
            reasons = ", ".join(r.value for r in CloseReason)
            raise ValidationError("bed_close_reason", reason, "bed.error.reason", reasons=reasons) from None
        summary = check_text("bed_summary", summary, required=True, limit=MAX_TEXT)
        _not_after_today("bed_closed_on", closed_on, today)
        if closed_on < bed.opened_on:
            raise ValidationError(
                "bed_closed_on", closed_on.isoformat(), "bed.before_open", opened_on=bed.opened_on.isoformat()
            )
        last_check = max((day[:10] for day in queries.check_days(uow, bed.id)), default=None)
        if last_check is not None and closed_on.isoformat() < last_check:
            # the bed was still there to be checked that day
            raise ValidationError("bed_closed_on", closed_on.isoformat(), "bed.before_check", checked_on=last_check)
        apply_changes(uow, bed, {"closed_on": closed_on, "close_reason": close_reason.value, "summary": summary})
        resident = get_live(uow, Resident, bed.resident_id)
        uow.session.flush()
        other = queries.open_bed_of(uow, resident.id)
        if other is None:
            apply_changes(uow, resident, {"family_bed": False, "family_bed_end": closed_on})
        else:
            # two devices opened a bed each while apart and synced: the other bed is still open, and the
            # resident stays flagged (triage's red reason) until it is closed too
            still_open = {"family_bed": True, "family_bed_start": other.opened_on, "family_bed_end": None}
            apply_changes(uow, resident, still_open)
        settle_two_beds(uow, bed_id=bed.id)  # one open bed again: the Conflicts page has nothing left to review
        uow.commit()
    _refresh_suggestion(uow, bed.resident_id, today)  # its red reason ends


def close_on_departure(uow: UnitOfWork, *, resident_id: str, on_date: date, status: str) -> None:
    """Inside an open unit of work: close the resident's open beds on the day they died, were discharged or
    transferred (:func:`app.services.records.residence.apply_status`), so no bed stays open, checked as missed
    and counting bed-days after the resident left. No permission beyond the status change's own."""
    reason = CloseReason.DIED if status == "deceased" else CloseReason.OTHER
    for bed in queries.open_beds_of(uow, resident_id):
        closed_on = max(on_date, bed.opened_on)
        summary = t("bed.closed_on_departure", day=on_date.isoformat())
        apply_changes(uow, bed, {"closed_on": closed_on, "close_reason": reason.value, "summary": summary})


def list_beds(
    uow: UnitOfWork,
    *,
    today: date,
    institution_id: str | None = None,
    open_only: bool = True,
    resident_id: str | None = None,
) -> list[BedView]:
    """Return the beds (open ones, or all) of one institution's residents, of one resident or of the center,
    open ones first, then by home and bed."""
    with uow.reading() as uow:
        permit(uow, Action.VIEW_RECORDS)
        rows = queries.beds(uow, institution_id=institution_id, open_only=open_only, resident_id=resident_id)
        ids = [row[0] for row in rows]
        orders: dict[str, list[OrderView]] = {}
        for bed_id, order_id, kind, every, start, stop, detail in queries.orders_of(uow, ids):
            order = Order(OrderKind(kind), int(every), _day(start), _day(stop) if stop else None, detail)
            orders.setdefault(bed_id, []).append(OrderView(order_id, order))
        checks: dict[str, list[CheckView]] = {}
        for bed_id, check_id, checked_on, staff, findings, done in queries.checks_of(uow, ids):
            view = CheckView(check_id, _day(checked_on), staff, findings, tuple(json.loads(done or "[]")))
            checks.setdefault(bed_id, []).append(view)
    beds = []
    for row in rows:
        bed_id, resident_id, name, institution, building, room, bed, indication, doctor = row[:9]
        opened_on, closed_on = _day(row[9]), _day(row[10]) if row[10] else None
        days = [check.checked_on for check in checks.get(bed_id, [])]
        beds.append(
            BedView(
                id=bed_id,
                resident_id=resident_id,
                resident_name=name,
                institution=institution,
                bed=bed_label(building, room, bed),
                indication=indication,
                doctor=doctor,
                opened_on=opened_on,
                closed_on=closed_on,
                close_reason=row[11],
                care_plan=row[12],
                summary=row[13],
                orders=tuple(orders.get(bed_id, [])),
                checks=tuple(checks.get(bed_id, [])),
                bed_days=bed_days(opened_on, today, closed_on),
                checks_missed=checks_missed(opened_on, days, today, closed_on),
                next_check_due=None if closed_on else next_check_due(opened_on, days),
            )
        )
    return beds


def bed_of_resident(uow: UnitOfWork, *, resident_id: str, today: date) -> BedView | None:
    """Return the resident's open bed as the record shows it, or None."""
    found = list_beds(uow, today=today, resident_id=resident_id)
    return found[0] if found else None


def _refresh_suggestion(uow: UnitOfWork, resident_id: str, today: date) -> None:
    """Work out the resident's triage suggestion again; the bed is saved whatever happens here."""
    try:
        refresh_suggestions(uow, today=today, resident_ids=[resident_id])
    except Exception:  # committed already: a failed refresh must not report the save as failed
        log.exception("cannot work out the triage suggestion of %s again", resident_id)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def print_beds_list(
    uow: UnitOfWork,
    *,
    out: Path,
    today: date,
    institution_id: str | None = None,
    open_only: bool = True,
    now: datetime | None = None,
    force: bool = False,
    force_hint: bool = False,
) -> Printed:
    """Write the open family beds (or all, ``open_only`` False: the closed ones after them, with their closing
    day and reason) of one institution, or of the center, as an A4 landscape PDF to ``out``.

    Raises:
        OSError: ``out`` cannot be written. DomainError: ``out`` may not be replaced (see output_files).
    """
    views = list_beds(uow, today=today, institution_id=institution_id, open_only=open_only)
    with uow.reading() as reading:
        center = printing_queries.center_name(reading)
        scope = institution_queries.name_of(reading, institution_id) or "" if institution_id else ""
    document = BedsDocument(
        center=center,
        institution=scope,
        as_of=today,
        printed_at=now or datetime.now(),
        closed_too=not open_only,
        entries=[
            BedEntry(
                home=view.institution,
                bed=view.bed,
                name=view.resident_name,
                indication=view.indication,
                doctor=view.doctor,
                opened_on=view.opened_on,
                bed_days=view.bed_days,
                last_check=view.last_check,
                missed=view.checks_missed,
                orders="；".join(_order_text(o) for o in view.orders if _running(o, view.closed_on or today)),
                closed_on=view.closed_on,
                close_reason=_reason_label(view.close_reason),
            )
            for view in views
        ],
    )
    target = check_output(
        Path(out), kind=OutputKind.PDF, database=uow.database.path, force=force, force_hint=force_hint
    )
    with atomic_output(target) as (_, temporary):
        pages = build_beds_list(document, temporary)
    return Printed(Path(out), pages, len(views))


def _running(view: OrderView, day: date) -> bool:
    """Whether the order had not stopped by ``day`` (today, or the day a closed bed closed)."""
    return view.order.stop is None or view.order.stop >= day


def _reason_label(value: str) -> str:
    try:
        return CloseReason(value).label
    except ValueError:
        return value


def _order_text(view: OrderView) -> str:
    every = t("bed.every", days=view.order.every_days)
    return f"{view.label} {every}"


register(
    {
        "bed.every": {"zh_CN": "每 {days} 日", "en": "every {days} d"},
    }
)
