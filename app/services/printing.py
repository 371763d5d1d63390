"""Printing — 打印: gather what a document shows, in the current language, and write the PDF.

- :func:`print_round_sheet` — 巡诊单 for one round: the residents due, their main problems, last visit
  with BP and glucose, and why they are due;
- :func:`print_triage_list` — 分类名单 for one institution, grouped by confirmed colour, with what staff
  should watch for (worded from the current triage reasons) and whom to call;
- :func:`print_overdue_list` — 逾期未访名单 for the center or one institution.

The PDF is written to a new 0600 temporary file next to ``out``, fsynced and renamed into place, so a failed
print never leaves half a file behind; ``out`` is never the database nor any database, and an existing file
is replaced only when it is a PDF (``force`` allows other kinds; docs/security.md, "Files the app writes").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.domain.colours import TriageColour
from app.domain.conditions import condition_label
from app.domain.follow_up import ChronicClass
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.residents import Sex
from app.domain.scheduling import DueKind, DueReason, interval_words
from app.domain.triage import age_on, suggest_colour
from app.domain.visits import VisitOutcome
from app.domain.watch import watch_lines
from app.printing.overdue_list import OverdueEntry, OverdueList, build_overdue_list
from app.printing.round_sheet import RoundSheet, SheetResident, build_round_sheet
from app.printing.triage_list import TriageEntry, TriageList, build_triage_list
from app.services.authz import require
from app.services.homecare.round_sheet import round_notes
from app.services.output_files import OutputKind, atomic_output, check_output
from app.services.rounds.plan import DueResident, overdue_residents, round_due
from app.services.triage import Scope, bed_sort_key, current_rules, load_facts
from app.store.queries import institutions as institution_queries
from app.store.queries import printing as queries
from app.store.uow import UnitOfWork

register(
    {
        "print.bp": {"zh_CN": "血压 {sbp}/{dbp}", "en": "BP {sbp}/{dbp}"},
        "print.glucose": {"zh_CN": "血糖 {value}", "en": "glucose {value}"},
        "print.glucose_fasting": {"zh_CN": "空腹血糖 {value}", "en": "fasting glucose {value}"},
        "print.never_seen": {"zh_CN": "尚未巡诊", "en": "not yet seen"},
        "print.allergy": {"zh_CN": "过敏：{items}", "en": "allergic to {items}"},
        "print.no_problems": {"zh_CN": "—", "en": "—"},
        "print.team_line": {"zh_CN": "{team}（{members}）", "en": "{team} ({members})"},
        "print.member": {"zh_CN": "{role} {name}", "en": "{role} {name}"},
        "print.phone": {"zh_CN": "{who} {phone}", "en": "{who} {phone}"},
        "print.team_phone": {"zh_CN": "团队电话", "en": "team"},
        "print.role.doctor": {"zh_CN": "医生", "en": "doctor"},
        "print.role.nurse": {"zh_CN": "护士", "en": "nurse"},
        "print.sex.M": {"zh_CN": "男", "en": "M"},
        "print.sex.F": {"zh_CN": "女", "en": "F"},
        "due.short.colour": {"zh_CN": "{interval} 天一访，上次 {last}", "en": "every {interval} d, last {last}"},
        "due.short.never_seen": {"zh_CN": "入住后未访", "en": "not yet seen"},
        "due.short.annual_check": {"zh_CN": "年度体检到期", "en": "annual check due"},
        "due.short.annual_check_never": {"zh_CN": "未做年度体检", "en": "no annual check yet"},
        "due.short.chronic_follow_up": {"zh_CN": "慢病随访到期", "en": "chronic follow-up due"},
        "due.short.chronic_follow_up_never": {"zh_CN": "未做慢病随访", "en": "no chronic follow-up yet"},
        "due.short.visited_not_due": {"zh_CN": "非应访，本次已访", "en": "not due, visited"},
        "due.short.recheck": {"zh_CN": "{what}后 {interval}内复查", "en": "recheck within {interval} ({what})"},
        "print.annual_done": {"zh_CN": "年度体检已做 {date}", "en": "annual check done {date}"},
    }
)


@dataclass(frozen=True)
class Printed:
    """A document written: where, how many pages, how many residents."""

    path: Path
    pages: int
    residents: int


def _permit_print(uow: UnitOfWork) -> None:
    # Everybody may print; a unit of work without a signed-in actor is the command line.
    if uow.actor_id is not None:
        require(uow, Action.PRINT)


def _write(
    uow: UnitOfWork, out: Path, build: Callable[[Any], int], *, force: bool = False, force_hint: bool = False
) -> int:
    """Build into a new 0600 file beside ``out`` and move it into place; return the page count.

    ``out`` is checked first (:func:`app.services.output_files.check_output`): never the database, never a
    database file, an existing file only when it is a PDF (or with ``force``).
    """
    out = check_output(Path(out), kind=OutputKind.PDF, database=uow.database.path, force=force, force_hint=force_hint)
    with atomic_output(out) as (_, temporary):
        return build(temporary)


def _team_members(uow: UnitOfWork, team_id: str | None) -> list[tuple[str, str, str]]:
    if not team_id:
        return []
    rows = queries.team_doctors_and_nurses(uow, team_id)
    return [(str(role), str(name), str(phone or "")) for role, name, phone in rows]


def _sex(value: str) -> str:
    """Return the sex as a round sheet's narrow column shows it: 男/女, M/F."""
    try:
        return t(f"print.sex.{Sex(value).value}")
    except ValueError:
        return value


# --- round sheet ---------------------------------------------------------------------------------------------


def short_reason(reason: DueReason) -> str:
    """Return a due reason in the few words a round sheet has room for."""
    if reason.kind is DueKind.COLOUR and reason.last is not None:
        return t("due.short.colour", interval=reason.interval, last=reason.last.strftime("%m-%d"))
    if reason.kind is DueKind.NEVER_SEEN:
        return t("due.short.never_seen")
    if reason.kind is DueKind.RECHECK:
        what = ChronicClass(reason.what).label
        return t("due.short.recheck", what=what, interval=interval_words(reason.interval))
    suffix = "" if reason.last is not None else "_never"
    return t(f"due.short.{reason.kind.value}{suffix}")


def round_sheet(uow: UnitOfWork, *, round_id: str, today: date, now: datetime | None = None) -> RoundSheet:
    """Return the round sheet of a round.

    A round on or after ``today``: the residents due as of today's records, boxes empty to write in. A round
    already held (a reprint): the residents as of that day — those due then and everyone visited at it,
    merged in sheet order — with "last visit" the one before the round and the boxes filled with what was
    recorded at the round (see :func:`app.services.rounds.plan.round_due`).

    Raises:
        RoundNotFound: no such round.
    """
    due = round_due(uow, round_id=round_id, today=today)
    planned = due.round
    order = {colour: index for index, colour in enumerate((TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN))}
    residents = list(due.due)
    if due.visited:  # both lists are red first then bed order: merge by colour, keeping each list's bed order
        residents = sorted(residents + list(due.visited), key=lambda r: order[r.colour])
    not_due = {r.resident_id for r in due.visited}
    with uow.reading() as uow:
        _permit_print(uow)
        center = queries.center_name(uow)
        team_id = planned.team_id
        members = _team_members(uow, team_id)
        before = planned.day if planned.past else None
        details = _resident_details(uow, [r.resident_id for r in residents], before=before)
        recorded = _recorded_at(uow, round_id) if planned.past else {}
        homecare = round_notes(uow, [r.resident_id for r in residents], planned.day)
    member_text = t("list.separator").join(
        t("print.member", role=t(f"print.role.{role}"), name=name) for role, name, _ in members
    )
    team = t("print.team_line", team=planned.team, members=member_text) if member_text else planned.team
    rows = [
        SheetResident(
            bed=resident.bed_label,
            name=resident.name,
            sex=_sex(resident.sex),
            age=resident.age_on(planned.day),
            colour=resident.colour,
            problems=details.get(resident.resident_id, ("", ""))[0] or t("print.no_problems"),
            last_visit=details.get(resident.resident_id, ("", ""))[1] or t("print.never_seen"),
            why_due=t("due.short.visited_not_due")
            if resident.resident_id in not_due
            else t("triage.reason_separator").join(short_reason(reason) for reason in resident.reasons),
            recorded=recorded.get(resident.resident_id),
            due=resident.resident_id not in not_due,
            homecare=homecare[resident.resident_id].text() if resident.resident_id in homecare else "",
        )
        for resident in residents
    ]
    visits = due.rules.visits
    return RoundSheet(
        center=center,
        institution=planned.institution,
        day=planned.day,
        team=team,
        residents=rows,
        printed_at=now or datetime.now(),
        intervals={colour: visits.interval(colour) for colour in TriageColour},
        held=planned.past,
    )


def _recorded_at(uow: UnitOfWork, round_id: str) -> dict[str, tuple[str, str, str, str, str]]:
    """Return per resident what was recorded at a round (its latest version): BP, pulse, glucose, temperature,
    findings (with the outcome when the resident was not seen)."""
    recorded: dict[str, tuple[str, str, str, str, str]] = {}
    for resident_id, outcome, sbp, dbp, pulse, glucose, temperature, findings, actions in queries.recorded_at_round(
        uow, round_id
    ):
        notes = [text for text in (findings, actions) if text]
        if outcome != "seen":
            try:
                notes.insert(0, VisitOutcome(outcome).label)
            except ValueError:
                notes.insert(0, str(outcome))
        recorded[resident_id] = (
            f"{sbp}/{dbp}" if sbp is not None and dbp is not None else "",
            str(pulse) if pulse is not None else "",
            f"{glucose:g}" if glucose is not None else "",
            f"{temperature:.1f}" if temperature is not None else "",
            "；".join(notes),
        )
    return recorded


def _resident_details(
    uow: UnitOfWork, resident_ids: Sequence[str], *, before: date | None = None
) -> dict[str, tuple[str, str]]:
    """Return per resident (main problems, last visit) as printed.

    With ``before`` (a round already held, on that day): the conditions the resident had that day (diagnosed
    on or before it, not resolved before it) and the last visit before it; without it, today's active
    conditions and the last visit. Allergies carry no dates: they are the ones recorded now.
    """
    if not resident_ids:
        return {}
    conditions: dict[str, list[str]] = {}
    for resident_id, code, name in queries.sheet_conditions(uow, resident_ids, before=before):
        conditions.setdefault(resident_id, []).append(condition_label(code, name))
    allergies: dict[str, list[str]] = {}
    for resident_id, substance in queries.sheet_allergies(uow, resident_ids):
        allergies.setdefault(resident_id, []).append(substance)
    checks = {
        resident_id: str(day)[:10] for resident_id, day in queries.last_annual_checks(uow, resident_ids, before=before)
    }
    year = (before or date.today()).year
    last: dict[str, str] = {}
    for resident_id, day, sbp, dbp, glucose, fasting in queries.last_seen_before(uow, resident_ids, before=before):
        parts = []
        if sbp is not None and dbp is not None:
            parts.append(t("print.bp", sbp=sbp, dbp=dbp))
        if glucose is not None:
            parts.append(t("print.glucose_fasting" if fasting else "print.glucose", value=glucose))
        last[resident_id] = day + ("\n" + " · ".join(parts) if parts else "")
    for resident_id, day in checks.items():  # the annual check done this year shows on the sheet (issue #16)
        if day.startswith(str(year)):
            done = t("print.annual_done", date=day[5:])
            last[resident_id] = f"{last[resident_id]}\n{done}" if last.get(resident_id) else done
    separator = t("print.separator")
    result: dict[str, tuple[str, str]] = {}
    for resident_id in resident_ids:
        problems = separator.join(conditions.get(resident_id, []))
        if allergies.get(resident_id):
            allergy = t("print.allergy", items=separator.join(allergies[resident_id]))
            problems = f"{problems}；{allergy}" if problems else allergy
        result[resident_id] = (problems, last.get(resident_id, ""))
    return result


def print_round_sheet(
    uow: UnitOfWork,
    *,
    round_id: str,
    out: Path,
    today: date,
    now: datetime | None = None,
    force: bool = False,
    force_hint: bool = False,
) -> Printed:
    """Write the round sheet of a round to ``out``.

    Raises:
        RoundNotFound: no such round.
        OutputRefused: ``out`` may not be written over (the database, a database, not a PDF).
        OSError: ``out`` cannot be written.
    """
    sheet = round_sheet(uow, round_id=round_id, today=today, now=now)
    pages = _write(uow, out, lambda target: build_round_sheet(sheet, target), force=force, force_hint=force_hint)
    return Printed(Path(out), pages, len(sheet.residents))


# --- triage list ---------------------------------------------------------------------------------------------


def triage_list(uow: UnitOfWork, *, institution_id: str, today: date, now: datetime | None = None) -> TriageList:
    """Return the triage list of an institution: its residents in residence by confirmed colour."""
    with uow.reading() as uow:
        _permit_print(uow)
        center = queries.center_name(uow)
        name, hospital, hospital_phone = queries.green_channel(uow, institution_id) or ("", "", "")
        team_id, team, team_phone = queries.agreement_team(uow, institution_id, today) or (None, "", "")
        members = _team_members(uow, team_id)
        rules = current_rules(uow).rules
        facts = load_facts(uow, scope=Scope(institution_id=institution_id), today=today, rules=rules)
    phones = []
    if team_phone:
        phones.append(t("print.phone", who=t("print.team_phone"), phone=team_phone))
    phones += [
        t("print.phone", who=t("print.member", role=t(f"print.role.{role}"), name=member), phone=phone)
        for role, member, phone in members
        if phone
    ]
    entries = []
    for info, resident_facts in sorted(facts.values(), key=lambda item: bed_sort_key(item[0])):
        suggestion = suggest_colour(resident_facts, rules, today)
        reasons = suggestion.reasons if suggestion else ()
        entries.append(
            TriageEntry(
                bed=info.bed_label,
                name=info.name,
                age=age_on(info.birth_date, today),
                colour=info.colour,
                watch="\n".join(watch_lines(reasons, info.colour)),
            )
        )
    return TriageList(
        center=center,
        institution=name,
        as_of=today,
        printed_at=now or datetime.now(),
        team=team,
        team_phones="；".join(phones) if phones else "",
        green_channel=hospital or "",
        green_channel_phone=hospital_phone or "",
        entries=entries,
    )


def print_triage_list(
    uow: UnitOfWork,
    *,
    institution_id: str,
    out: Path,
    today: date,
    now: datetime | None = None,
    force: bool = False,
    force_hint: bool = False,
) -> Printed:
    """Write the triage list of an institution to ``out``.

    Raises:
        OSError: ``out`` cannot be written.
    """
    document = triage_list(uow, institution_id=institution_id, today=today, now=now)
    pages = _write(uow, out, lambda target: build_triage_list(document, target), force=force, force_hint=force_hint)
    return Printed(Path(out), pages, len(document.entries))


# --- overdue list --------------------------------------------------------------------------------------------


def overdue_list(
    uow: UnitOfWork, *, today: date, institution_id: str | None = None, now: datetime | None = None
) -> OverdueList:
    """Return the overdue list of the center or one institution."""
    residents = overdue_residents(uow, today=today, institution_id=institution_id)
    with uow.reading() as uow:
        _permit_print(uow)
        center = queries.center_name(uow)
        scope = ""
        if institution_id is not None:
            scope = institution_queries.name_of(uow, institution_id) or ""
    separator = t("triage.reason_separator")
    entries = [
        OverdueEntry(
            name=resident.name,
            bed=resident.bed_label,
            institution=resident.institution,
            colour=resident.colour,
            days=resident.days,
            last_visit=resident.last_seen,
            why=separator.join(short_reason(reason) for reason in resident.overdue.reasons),
            phone=resident.phone,
        )
        for resident in residents
    ]
    return OverdueList(center, scope, today, now or datetime.now(), entries)


def print_overdue_list(
    uow: UnitOfWork,
    *,
    out: Path,
    today: date,
    institution_id: str | None = None,
    now: datetime | None = None,
    force: bool = False,
    force_hint: bool = False,
) -> Printed:
    """Write the overdue list to ``out``.

    Raises:
        OSError: ``out`` cannot be written.
    """
    document = overdue_list(uow, today=today, institution_id=institution_id, now=now)
    pages = _write(uow, out, lambda target: build_overdue_list(document, target), force=force, force_hint=force_hint)
    return Printed(Path(out), pages, len(document.entries))


def due_reason_texts(resident: DueResident, on: date) -> list[str]:
    """Return a due resident's reasons in full words ("days" counted up to ``on``, the round's date)."""
    return [reason.text(on) for reason in resident.reasons]
