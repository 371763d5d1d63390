"""What a round sheet prints for the homes' services (DOMAIN §8, issue 18): the family-bed orders due that
day and the long-term medications that ran out without a refill.

- **Orders due at a round**: the orders of the resident's bed open on the round's day (opened on or before
  it, not closed before it) that run on that day (start on or before it, no stop or a stop on or after it)
  and fall due on it by their frequency — the start day, then every ``every_days`` days
  (:meth:`app.domain.sickbeds.Order.due_on`, the rule the Family beds page and the check dialog use). An order
  every 2 days started 4 days before the round is due; one every 28 days started 3 days before is not.
- **Ran out** (已断药): a medication taken on the round's day (started, not stopped) with a daily quantity whose
  supply, counting the dispensings on or before that day, ran out on or before it
  and the daily quantity as it was over time (:func:`app.services.homecare.supply.supplies`); printed with the first
  day without it. A medication never dispensed is not flagged here: the center has no supply on record
  (the refill list lists it).

Two queries per 500 residents, plus the dispensings of the long-term medications found: a 500-resident sheet
costs a few milliseconds more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.i18n import register, t
from app.domain.refills import ran_out
from app.domain.sickbeds import Order, OrderKind
from app.services.homecare.supply import supplies
from app.store.queries import beds as queries
from app.store.uow import UnitOfWork

register(
    {
        "sheet.bed_orders": {"zh_CN": "家床医嘱：{orders}", "en": "Bed orders: {orders}"},
        "sheet.bed_order": {"zh_CN": "□{kind}", "en": "□ {kind}"},
        "sheet.ran_out": {"zh_CN": "已断药：{items}", "en": "Ran out: {items}"},
        "sheet.ran_out_item": {"zh_CN": "{name}（{day} 起）", "en": "{name} (since {day})"},
    }
)


@dataclass(frozen=True)
class RoundNotes:
    """One resident's homecare lines on a round sheet."""

    orders_due: tuple[Order, ...] = ()
    ran_out: tuple[tuple[str, date], ...] = ()
    """(medication name, the first day without it)."""

    def text(self) -> str:
        """The lines as printed: the orders due with a box to tick, then what ran out."""
        lines = []
        if self.orders_due:
            separator = t("print.separator")
            orders = separator.join(t("sheet.bed_order", kind=order.kind.label) for order in self.orders_due)
            lines.append(t("sheet.bed_orders", orders=orders))
        if self.ran_out:
            items = t("print.separator").join(
                t("sheet.ran_out_item", name=name, day=day.isoformat()) for name, day in self.ran_out
            )
            lines.append(t("sheet.ran_out", items=items))
        return "\n".join(lines)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def round_notes(uow: UnitOfWork, resident_ids: Sequence[str], day: date) -> dict[str, RoundNotes]:
    """Inside an open unit of work: the residents' bed orders due on ``day`` and medications run out by it.

    Only residents with something to print are in the result.
    """
    ids = list(resident_ids)
    if not ids:
        return {}
    on = day.isoformat()
    orders: dict[str, list[Order]] = {}
    for resident_id, kind, every, start, stop, detail in queries.orders_at_round(uow, ids, on):
        try:
            order = Order(OrderKind(kind), int(every), _day(start), _day(stop) if stop else None, detail or "")
        except ValueError:  # a kind this version does not know (a newer device's): printed as "other"
            order = Order(OrderKind.OTHER, int(every), _day(start), _day(stop) if stop else None, detail or "")
        if order.due_on(day):
            orders.setdefault(resident_id, []).append(order)
    medications = queries.long_term_of(uow, ids, on)
    held = supplies(uow, [(str(m[0]), str(m[1]), Decimal(str(m[3]))) for m in medications], until=day)
    out_of: dict[str, list[tuple[str, date]]] = {}
    for medication_id, resident_id, name, _daily in medications:
        runs_out = held[str(medication_id)].runs_out
        if runs_out is not None and ran_out(runs_out, day):
            out_of.setdefault(resident_id, []).append((str(name), runs_out))
    return {
        resident_id: RoundNotes(tuple(orders.get(resident_id, ())), tuple(out_of.get(resident_id, ())))
        for resident_id in ids
        if resident_id in orders or resident_id in out_of
    }
