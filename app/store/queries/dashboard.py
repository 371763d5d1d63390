"""Queries of the dashboard (首页): counts of institutions, residents and rounds, agreements ending, today's rounds.

Functions take an open unit of work and plain values (days as :class:`~datetime.date`) and return plain
values and rows.
"""

from __future__ import annotations

from datetime import date

from app.store.uow import UnitOfWork


def institutions_by_kind(uow: UnitOfWork) -> dict[str, int]:
    """Return ``{kind: institutions}`` of the institutions not deleted."""
    return dict(uow.rows("SELECT kind, COUNT(*) FROM institution WHERE deleted = 0 GROUP BY kind"))


def residents_in_residence_by_colour(uow: UnitOfWork) -> dict[str, int]:
    """Return ``{colour: residents}`` of the residents in residence."""
    return dict(
        uow.rows("SELECT colour, COUNT(*) FROM resident WHERE deleted = 0 AND status = 'in_residence' GROUP BY colour")
    )


def rounds_by_status(uow: UnitOfWork, *, first: date, last: date) -> dict[str, int]:
    """Return ``{status: rounds}`` of the rounds from ``first`` to ``last`` (both included)."""
    return dict(
        uow.rows(
            "SELECT status, COUNT(*) FROM round WHERE deleted = 0 AND round_date BETWEEN :a AND :b GROUP BY status",
            {"a": first.isoformat(), "b": last.isoformat()},
        )
    )


def agreements_ending(uow: UnitOfWork, *, today: date, soon: date) -> tuple[int, int]:
    """Return how many institutions' last agreements end from ``today`` to ``soon``, and how many have ended.

    Per institution, its last agreement counts: a lapsed agreement that was renewed is not counted.
    """
    expiring, expired = uow.rows(
        "SELECT COALESCE(SUM(last_end >= :today AND last_end <= :soon), 0), COALESCE(SUM(last_end < :today), 0) "
        "FROM (SELECT MAX(COALESCE(end_date, '9999-12-31')) AS last_end FROM agreement WHERE deleted = 0 "
        "GROUP BY institution_id) AS ends",
        {"today": today.isoformat(), "soon": soon.isoformat()},
    )[0]
    return int(expiring), int(expired)


def rounds_planned_or_done_on(uow: UnitOfWork, *, day: date) -> list[tuple[str, str, str | None, str, int]]:
    """Return ``(round id, institution, team or None, status, residents with a visit)`` of the rounds on ``day``.

    Planned and done rounds only, by institution name.
    """
    return [
        (row[0], row[1], row[2], row[3], row[4])
        for row in uow.rows(
            "SELECT r.id, i.name, t.name, r.status, "
            "(SELECT COUNT(DISTINCT v.resident_id) FROM visit v WHERE v.round_id = r.id AND v.deleted = 0) "
            "FROM round r JOIN institution i ON i.id = r.institution_id LEFT JOIN team t ON t.id = r.team_id "
            "WHERE r.deleted = 0 AND r.round_date = :today AND r.status IN ('planned', 'done') "
            "ORDER BY i.name, r.id",
            {"today": day.isoformat()},
        )
    ]


def change_mark(uow: UnitOfWork) -> str:
    """Return a mark that changes whenever someone's change was committed (any workstation): the newest audit
    entry's clock. Every change a person makes is audited, and the clocks of one center only grow, so a page
    compares the mark it was drawn at with this one to know whether to reload (#20: another workstation's
    change). One index seek (``ix_auditentry_updated_at``) on either engine."""
    rows = uow.fast_rows("SELECT MAX(updated_at) FROM auditentry")
    return str(rows[0][0] or "")
