"""Worked hours per assignment: registered by the worker or the employer, approved by the employer.

Approved timesheets are what invoices and the payroll statement are made of; approved hours do not
change (409) and their assignment can no longer be cancelled (see `approved_hours`). To correct them
the employer or the intermediary reopens the approval (`reopen`), which is refused once the hours,
or later hours whose overtime counts them, are on a final invoice.
`timesheet_pay` is the one place that turns a timesheet into pay lines, so the invoice and the
payroll statement always agree.

Overtime per day and per week counts the hours worked before a timesheet, so its pay must not
depend on the order in which timesheets are approved. The rule (see `_hours_before`):
- "Before" means: the same worker's confirmed assignments at the same employer (the scope the
  CAO's overtime uses) whose shift starts earlier (ties: lower shift id). A shift's start changes
  only before it begins and never once hours are approved on it (assignments.move_shift), so this
  order does not depend on registered or corrected times.
- Their approved hours count for the week counter as far as they are worked in this timesheet's
  ISO week (Monday 00:00 to Monday 00:00 Amsterdam): the CAO counts overtime per calendar week and
  the pay engine restarts its week counter at Monday 00:00 inside a shift (contracts/cao/segments.py),
  so the Monday part of a night shift from Sunday 22:00 to Monday 06:00 counts toward the next
  week. The day counter takes whole timesheets starting on the same day (a night shift is one
  working day).
- An earlier assignment without approved hours whose shift starts in that week, or at most
  MAX_SHIFT_DISTANCE before it, could still add hours to it (a timesheet lies within 12 h of its
  planned start). While one exists, the timesheet's pay is not final: `TimesheetPay.waiting_on`
  names them, and invoices and the payroll statement leave the timesheet out and say so. Under
  a CAO without overtime per day or week (the one that applies to the timesheet) no earlier hours
  change the pay, so nothing waits.
- A shift the worker did not come to is not cancelled afterwards as a rule, so it must not hold the
  later hours back for ever: an earlier assignment without any registered hours counts as not worked
  (no hours, nothing to wait for) once the worker is registered absent over part of it, or once it
  ended NOT_WORKED_AFTER (7 days) ago (`not_worked`, as the guarantee counts it). Hours registered
  for it later can still be approved, unless later hours they count toward are on a final invoice
  (409 `later_hours_billed`, as for any hours approved late); a closed payroll period carries the
  difference to the next one.
Once none is left, the counters are fixed: approved timesheets do not change and an assignment
with approved hours is not cancelled, so every approval order gives the same pay. A reopened
approval makes the later hours of that week wait again, until the corrected hours are approved.

An employer cannot register hours over the worker's confirmed shift at another employer
(409 `planned_elsewhere`, see `_refuse_planned_elsewhere`); the worker and the intermediary can.

A worker works one job at a time: registered hours (submitted or approved, on a confirmed
assignment, at any employer) never overlap, or the same hours would be paid and billed twice
(409 `timesheet_overlap`, see `_refuse_overlap`). Hours of a cancelled assignment do not count.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, contains_eager

from banenpool.calendar_nl import AMS, iso_week_start
from banenpool.db import utcnow
from banenpool.errors import Conflict, Forbidden, InvalidInput, NotFound
from banenpool.models import Assignment, Contract, Employer, Invoice, InvoiceLine, Shift, Timesheet, Worker
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.caos import catalogue, get_cao
from banenpool.services.registry import contract_on
from banenpool.services.shifts import check_day_range, day_bounds, within_days
from contracts.cao.segments import break_interval
from contracts.pay import fixed_times_of, within_fixed_times

MAX_TIMESHEET_HOURS = 24
MAX_SHIFT_DISTANCE = timedelta(hours=12)  # a timesheet starts within 12 h of the planned start
NOT_WORKED_AFTER = timedelta(days=7)   # a shift without registered hours this long after its end: not worked


def not_worked(shift_start: datetime, shift_end: datetime, absences, now: datetime) -> bool:
    """Whether a confirmed call with no hours registered at all counts as not worked: the worker is
    registered absent over part of it (`absences`: theirs, with start and end), or it ended
    NOT_WORKED_AFTER ago or longer (hours are registered once worked, so by then they would be)."""
    return shift_end <= now - NOT_WORKED_AFTER or \
        any(a.start < shift_end and a.end > shift_start for a in absences)
FUTURE_TOLERANCE = timedelta(minutes=15)


def _assignment(session: Session, who: Principal, assignment_id: int, for_update: bool = False) -> Assignment:
    """The assignment if `who` may see it (intermediary; employer: own site; worker: own), else 404."""
    assignment = session.get(Assignment, assignment_id, with_for_update=for_update)
    if assignment is None or assignment.status == "proposed" or not (
            who.may_see_employer(assignment.shift.employer_id) or who.may_see_worker(assignment.worker_id)):
        raise NotFound(f"assignment {assignment_id} does not exist")
    return assignment


def _timesheet_of(session: Session, assignment_id: int) -> Timesheet | None:
    return session.scalar(select(Timesheet).where(Timesheet.assignment_id == assignment_id))


def _validate(shift: Shift, start: datetime, end: datetime, break_minutes: int) -> None:
    errors = {}
    length = end - start
    if length <= timedelta(0):
        errors["end"] = ["must be after start"]
    elif length > timedelta(hours=MAX_TIMESHEET_HOURS):
        errors["end"] = [f"a timesheet covers at most {MAX_TIMESHEET_HOURS} hours"]
    elif break_minutes < 0 or timedelta(minutes=break_minutes) >= length:
        errors["break_minutes"] = ["must be at least 0 and shorter than the time worked"]
    if end > utcnow() + FUTURE_TOLERANCE:
        errors["end"] = ["hours are registered once they are worked; this end lies in the future"]
    if abs(start - shift.start) > MAX_SHIFT_DISTANCE:
        errors["start"] = [f"must lie within 12 hours of the planned start {shift.start.astimezone(AMS).isoformat()}"]
    if errors:
        raise InvalidInput(errors)


def submit(session: Session, who: Principal, assignment_id: int, data: dict) -> Timesheet:
    """PUT: register (or correct) the hours worked on a confirmed assignment; approved hours → 409."""
    who.require("worker", "employer", "intermediary")
    assignment = _assignment(session, who, assignment_id, for_update=True)
    if assignment.status != "confirmed":
        raise Conflict(f"assignment {assignment_id} is {assignment.status}; hours are registered on confirmed "
                       "assignments only", ["not_confirmed"])
    start, end, pause = data["start"], data["end"], data.get("break_minutes", 0)
    _validate(assignment.shift, start, end, pause)
    sheet = _timesheet_of(session, assignment_id)
    if sheet is not None and sheet.status == "approved":
        raise Conflict(f"the timesheet of assignment {assignment_id} is approved and can no longer change",
                       ["timesheet_approved"])
    if sheet is None:
        sheet = Timesheet(assignment_id=assignment_id)
        session.add(sheet)
    sheet.start, sheet.end, sheet.break_minutes = start, end, pause
    sheet.status, sheet.submitted_by, sheet.submitted_at = "submitted", who.user_id, utcnow()
    _refuse_overlap(session, who, sheet, assignment)
    if who.role == "employer":
        _refuse_planned_elsewhere(session, sheet, assignment)
    audit.record(session, who, "update", "timesheet", sheet.id,
                 {"start": start, "end": end, "break_minutes": pause})
    return sheet


def approve(session: Session, who: Principal, assignment_id: int) -> Timesheet:
    """The employer (own site) or the intermediary approves: the hours become billable. Refused
    (409 `later_hours_billed`) while later hours of the worker that week at that employer, whose
    overtime would count these, are on a final invoice (a shift added afterwards): credit it first."""
    assignment = _assignment(session, who, assignment_id, for_update=True)
    who.require("employer", "intermediary")
    sheet = _timesheet_of(session, assignment_id)
    if sheet is None:
        raise Conflict(f"no hours are registered for assignment {assignment_id}", ["no_timesheet"])
    if sheet.status == "approved":
        raise Conflict(f"the timesheet of assignment {assignment_id} is already approved", ["timesheet_approved"])
    if assignment.status != "confirmed":
        raise Conflict(f"assignment {assignment_id} is {assignment.status}", ["not_confirmed"])
    sheet.status, sheet.approved_by, sheet.approved_at = "approved", who.user_id, utcnow()
    _refuse_overlap(session, who, sheet, assignment)  # hours registered before overlaps were refused
    _refuse_if_later_hours_billed(session, assignment, assignment.shift)
    audit.record(session, who, "approve", "timesheet", sheet.id, {"status": ["submitted", "approved"]})
    return sheet


MAX_BULK = 500   # approvals in one request


def approve_many(session: Session, who: Principal, assignment_ids: list[int]) -> list[Timesheet]:
    """Approve the hours of several assignments at once, all or none, earlier shifts first: the
    first refusal (as approve refuses one) is a 409 naming that assignment and its reason, and the
    caller rolls everything back (`assignment_id` on the error says which)."""
    ids = list(dict.fromkeys(assignment_ids))
    if not ids:
        raise InvalidInput({"assignment_ids": ["name at least one assignment"]})
    if len(ids) > MAX_BULK:
        raise InvalidInput({"assignment_ids": [f"at most {MAX_BULK} at once"]})
    order = {a_id: start for a_id, start in session.execute(
        select(Assignment.id, Shift.start).join(Shift, Assignment.shift_id == Shift.id).where(Assignment.id.in_(ids)))}
    approved = []
    for assignment_id in sorted(ids, key=lambda i: (order.get(i) is None, order.get(i), i)):
        try:
            approved.append(approve(session, who, assignment_id))
        except Conflict as exc:
            refused = Conflict(f"nothing approved: assignment {assignment_id}: {exc}", exc.rules)
            refused.assignment_id = assignment_id
            raise refused from exc
    return approved


CALL_NOTICE = timedelta(days=4)   # art. 7:628a lid 5/6 BW (nl-facts §3); a CAO may shorten it to 24 h
CALL_CONTRACTS = ("on_call", "min_max")   # oproepovereenkomsten (art. 7:628a lid 9 BW)
CANCELLED_CALL_TEXT = "Afgezegd binnen 4 dagen, loon verschuldigd"


def owed_if_cancelled(session: Session, assignment: Assignment, now: datetime | None = None,
                      call: tuple[datetime, datetime] | None = None) -> bool:
    """Whether cancelling this confirmed call now owes its planned hours as wages (art. 7:628a BW,
    nl-facts §3): it starts less than 4 days from now (and has not begun), the worker has an on-call
    or min-max contract (their contract at the shift's employer, or the pool's, on its day; none is
    read as on-call, as timesheet_pay does), is not registered absent (sick, leave, other) for part
    of it — then the call ends because the worker cannot come, not by the employer; sick pay is not
    this rule's and not computed here — and no hours were registered for it yet.
    `call`: the times the worker was called for when the shift has them no longer (a move,
    assignments.move_shift); by default the shift's. Not applied: a CAO's shorter notice (down to 24 h)."""
    shift, now = assignment.shift, now or utcnow()
    start, end = call or (shift.start, shift.end)
    if not now < start < now + CALL_NOTICE:     # cancelled at least 4 days ahead: nothing owed
        return False
    worker = session.get(Worker, assignment.worker_id)
    if any(a.start < end and a.end > start for a in worker.absences):
        return False
    return works_on_call(worker, shift) and _timesheet_of(session, assignment.id) is None


def works_on_call(worker: Worker, shift: Shift) -> bool:
    """Whether the worker works `shift` under an oproepovereenkomst: their contract at the shift's
    employer, or the pool's, on its day is on-call or min-max (none is read as on-call, as
    timesheet_pay does)."""
    contract = contract_on(worker.contracts, shift.employer_id, shift.start.astimezone(AMS).date())
    return (contract.kind if contract else "on_call") in CALL_CONTRACTS


def pay_late_cancellation(session: Session, who: Principal, assignment: Assignment,
                          call: tuple[datetime, datetime, int] | None = None) -> Timesheet | None:
    """A confirmed call cancelled less than 4 days before it starts is paid as planned (see
    owed_if_cancelled): the planned hours become an approved timesheet of kind `cancelled_call`,
    which payroll and the employer's invoice carry like worked hours; None when nothing is owed.
    `call`: (start, end, break minutes) the worker was called for, when the shift has other times
    now; by default the shift's. Call this as the assignment is cancelled, in the same transaction."""
    now = utcnow()
    shift = assignment.shift
    start, end, break_minutes = call or (shift.start, shift.end, shift.break_minutes)
    if not owed_if_cancelled(session, assignment, now, (start, end)):
        return None
    sheet = Timesheet(assignment_id=assignment.id, start=start, end=end, break_minutes=break_minutes,
                      kind="cancelled_call", status="approved", submitted_by=who.user_id, submitted_at=now,
                      approved_by=who.user_id, approved_at=now)
    session.add(sheet)
    session.flush()
    audit.record(session, who, "create", "timesheet", sheet.id,
                 {"kind": "cancelled_call", "assignment_id": assignment.id, "start": start, "end": end})
    return sheet


def undo_late_cancellation(session: Session, who: Principal, shift: Shift, worker_id: int) -> datetime | None:
    """The worker gets a shift back whose late-cancelled call, at these same times, was paid (a
    cancellation undone): that pay goes, or the worker would be paid, and the employer billed, twice.
    Refused (409 `timesheet_billed`) while the pay is on a final invoice: credit it first. A call paid
    for other times (the shift moved since) stays paid: the worker is given new times, which is a new
    call (art. 7:628a BW: work moved within 4 days owes the wages of the call).

    Returns the moment of the first call when pay was undone (else None): the shift given back keeps
    that call, so it is not a new late call the worker may refuse (assignments.decline) — refusing
    it would lose the wages the late cancellation owed. If the worker cannot come, the pool cancels
    it again, and it is paid again."""
    rows = session.execute(select(Timesheet, Assignment).join(Assignment, Timesheet.assignment_id == Assignment.id)
                           .where(Assignment.shift_id == shift.id, Assignment.worker_id == worker_id,
                                  Assignment.status == "cancelled", Timesheet.kind == "cancelled_call",
                                  Timesheet.start == shift.start, Timesheet.end == shift.end,
                                  Timesheet.break_minutes == shift.break_minutes)).all()
    billed = final_invoices(session, [s.assignment_id for s, _ in rows])
    if billed:
        raise Conflict(f"worker {worker_id} was paid for shift {shift.id} as a late-cancelled call, on final "
                       f"invoice {next(iter(billed.values()))}; credit that invoice first", ["timesheet_billed"])
    for sheet, _ in rows:
        audit.record(session, who, "delete", "timesheet", sheet.id,
                     {"kind": "cancelled_call", "assignment_id": sheet.assignment_id, "reason": "shift given back"})
        session.delete(sheet)
    session.flush()
    return min((a.confirmed_at or a.created_at for _, a in rows), default=None)


def reopen(session: Session, who: Principal, assignment_id: int) -> Timesheet:
    """The employer (own site) or the intermediary takes an approval back, so the hours can be
    corrected and approved again: the timesheet is `submitted` once more and no longer billable.

    Refused (409) while the hours are on a final invoice (`timesheet_billed`: credit it first),
    and while hours of the worker at that employer later in the same week are (`later_hours_billed`):
    their overtime counted these hours, so correcting them would make a final invoice wrong.
    A draft that holds the hours cannot be finalised afterwards, even once they are approved again
    (billing: `hours_changed`); a new draft bills the corrected hours.
    """
    assignment = _assignment(session, who, assignment_id, for_update=True)
    who.require("employer", "intermediary")
    sheet = _timesheet_of(session, assignment_id)
    if sheet is None or sheet.status != "approved":
        raise Conflict(f"the hours of assignment {assignment_id} are not approved"
                       + ("" if sheet is None else "; they can still be corrected"), ["not_approved"])
    if sheet.kind == "cancelled_call":
        raise Conflict(f"assignment {assignment_id} was cancelled less than 4 days ahead: its planned hours are "
                       "owed as wages, there are no worked hours to correct", ["cancelled_call"])
    shift = assignment.shift
    # Finalisations for this employer wait for this, and this for them: the employer row lock on
    # PostgreSQL; on SQLite the write below takes the write lock before the invoices are read.
    session.get(Employer, shift.employer_id, with_for_update=True)
    approved_by, approved_at = sheet.approved_by, sheet.approved_at
    sheet.status, sheet.approved_by, sheet.approved_at = "submitted", None, None
    session.flush()
    billed = final_invoices(session, [assignment_id])
    if billed:
        raise Conflict(f"the hours of assignment {assignment_id} are on final invoice {billed[assignment_id]}; "
                       "credit that invoice first, then correct the hours and bill them again", ["timesheet_billed"])
    _refuse_if_later_hours_billed(session, assignment, shift)
    audit.record(session, who, "reopen", "timesheet", sheet.id,
                 {"status": ["approved", "submitted"], "approved_by": approved_by, "approved_at": approved_at})
    return sheet


def _refuse_if_later_hours_billed(session: Session, assignment: Assignment, shift: Shift) -> None:
    """409 `later_hours_billed` when the worker's later hours at that employer whose overtime counts
    this assignment's hours are on a final invoice: approving (hours of a shift added late) or
    reopening these hours would change the pay of hours that invoice bills."""
    later = final_invoices(session, _counted_by(session, assignment, shift))
    if later:
        names = ", ".join(f"assignment {a} on {number}" for a, number in sorted(later.items()))
        raise Conflict(f"the hours of assignment {assignment.id} count toward the overtime of later hours that week "
                       f"which are on a final invoice ({names}); credit that invoice first", ["later_hours_billed"])


def _counted_by(session: Session, assignment: Assignment, shift: Shift) -> list[int]:
    """The worker's other confirmed assignments at that employer whose pay counts this one's
    approved hours (`_hours_before` of theirs lists this one): later that week, under a CAO whose
    overtime counts hours per day or week (one that cannot be priced counts, to be safe)."""
    rows = session.execute(
        select(Assignment, Shift.start, Shift.id, Timesheet).join(Shift, Assignment.shift_id == Shift.id)
        .join(Timesheet, Timesheet.assignment_id == Assignment.id)
        .where(Assignment.worker_id == assignment.worker_id, Shift.employer_id == shift.employer_id,
               or_(Assignment.status == "confirmed", Timesheet.kind == "cancelled_call"),
               Assignment.id != assignment.id, Shift.start >= shift.start,
               Shift.start < shift.start + timedelta(days=8) + MAX_SHIFT_DISTANCE))
    later = [(other, sheet) for other, start, shift_id, sheet in rows
             if (start, shift_id) > (shift.start, shift.id)
             and shift.start >= iso_week_start(sheet.start) - MAX_SHIFT_DISTANCE]
    if not later:
        return []
    worker, employer = session.get(Worker, assignment.worker_id), session.get(Employer, shift.employer_id)
    out = []
    for other, sheet in later:
        try:
            counts = _overtime_counts_earlier_hours(_applied_cao(sheet.start, other, worker, employer)[0])
        except Conflict:
            counts = True
        if counts:
            out.append(other.id)
    return out


def final_invoices(session: Session, assignment_ids) -> dict[int, str]:
    """Of these assignments, those whose hours are on a final invoice (not credited), with its number."""
    ids = list(assignment_ids)
    if not ids:
        return {}
    return dict(session.execute(
        select(InvoiceLine.assignment_id, Invoice.number).join(Invoice, InvoiceLine.invoice_id == Invoice.id)
        .where(InvoiceLine.assignment_id.in_(ids), Invoice.kind == "invoice", Invoice.status == "final")
        .distinct()).all())


def _refuse_overlap(session: Session, who: Principal, sheet: Timesheet, assignment: Assignment) -> None:
    """409 when the worker's other registered hours (submitted or approved, on a confirmed
    assignment, at any employer) overlap this timesheet: those hours would be paid and billed twice.

    Runs in the caller's transaction after the sheet is written (flushed) and with the worker's row
    locked on PostgreSQL, so two registrations for one worker take turns (on SQLite the write lock
    does that) and the second sees the first. The caller rolls back on the error, as every request does.
    """
    session.get(Worker, assignment.worker_id, with_for_update=True)
    session.flush()
    row = session.execute(
        select(Timesheet, Assignment.id, Employer).join(Assignment, Timesheet.assignment_id == Assignment.id)
        .join(Shift, Assignment.shift_id == Shift.id).join(Employer, Shift.employer_id == Employer.id)
        .where(Assignment.worker_id == assignment.worker_id, Assignment.status == "confirmed",
               Timesheet.id != sheet.id, Timesheet.status.in_(("submitted", "approved")),
               Timesheet.start < sheet.end, Timesheet.end > sheet.start)
        .order_by(Timesheet.start, Timesheet.id).limit(1)).first()
    if row is None:
        return
    other, other_assignment, employer = row
    # the worker and the intermediary see which hours; another employer only when, not whose
    visible = who.may_see_employer(employer.id) or who.may_see_worker(assignment.worker_id)
    during = _span(max(sheet.start, other.start), min(sheet.end, other.end))
    theirs = (f"the {other.status} hours of assignment {other_assignment} at {employer.name} (timesheet "
              f"{other.id}, {_span(other.start, other.end)})" if visible
              else "hours the worker registered for another employer")
    raise Conflict(f"the hours of assignment {assignment.id} ({_span(sheet.start, sheet.end)}) overlap "
                   f"{theirs} during {during}; a worker cannot work both at once: "
                   "correct the hours of one of them", ["timesheet_overlap"])


def _refuse_planned_elsewhere(session: Session, sheet: Timesheet, assignment: Assignment) -> None:
    """409 when an employer registers hours that overlap the worker's confirmed shift at another
    employer. Registered hours block overlapping hours elsewhere (_refuse_overlap), so without
    this an employer could stretch its hours (up to 24 h) over the worker's planned work at
    another employer before that work is registered. The worker and the intermediary, who know
    where the worker was, can still register such hours; the other employer stays unnamed."""
    planned = session.scalar(
        select(Shift).join(Assignment, Assignment.shift_id == Shift.id)
        .where(Assignment.worker_id == assignment.worker_id, Assignment.status == "confirmed",
               Assignment.id != assignment.id, Shift.employer_id != assignment.shift.employer_id,
               Shift.start < sheet.end, Shift.end > sheet.start)
        .order_by(Shift.start, Shift.id).limit(1))
    if planned is not None:
        during = _span(max(sheet.start, planned.start), min(sheet.end, planned.end))
        raise Conflict(f"the hours of assignment {assignment.id} ({_span(sheet.start, sheet.end)}) overlap the "
                       f"worker's planned shift for another employer during {during}; "
                       "hours that overlap it are registered by the worker or the intermediary",
                       ["planned_elsewhere"])


def _span(start: datetime, end: datetime) -> str:
    """`2026-03-09 08:00–16:30` in Amsterdam time (the end's date too when it is another day)."""
    lo, hi = start.astimezone(AMS), end.astimezone(AMS)
    return f"{lo:%Y-%m-%d %H:%M}–{hi:%H:%M}" if lo.date() == hi.date() else f"{lo:%Y-%m-%d %H:%M}–{hi:%Y-%m-%d %H:%M}"


def get_timesheet(session: Session, who: Principal, assignment_id: int) -> Timesheet:
    _assignment(session, who, assignment_id)
    sheet = _timesheet_of(session, assignment_id)
    if sheet is None:
        raise NotFound(f"no hours are registered for assignment {assignment_id}")
    return sheet


def list_timesheets(session: Session, who: Principal, status: str | None = None, employer_id: int | None = None,
                    start: date | None = None, end: date | None = None, confirmed_only: bool = False,
                    approved_since: date | None = None) -> list[Timesheet]:
    """Scoped list (employer: its sites; worker: own), ordered by start; `end` before `start` is 422.
    `confirmed_only`: leave out the hours of shifts cancelled since (they are never approved).
    `approved_since`: only hours approved on that Amsterdam day or later, whenever they were worked."""
    check_day_range(start, end)
    query = (select(Timesheet).join(Assignment, Timesheet.assignment_id == Assignment.id)
             .join(Shift, Assignment.shift_id == Shift.id)
             .options(contains_eager(Timesheet.assignment).contains_eager(Assignment.shift))
             .order_by(Timesheet.start, Timesheet.id))
    if who.role == "employer":
        query = query.where(Shift.employer_id == who.employer_id)
    elif who.role == "worker":
        query = query.where(Assignment.worker_id == who.worker_id)
    elif not who.is_intermediary:
        raise Forbidden("not allowed")
    if status:
        query = query.where(Timesheet.status == status)
    if employer_id is not None:
        query = query.where(Shift.employer_id == employer_id)
    if confirmed_only:
        query = query.where(Assignment.status == "confirmed")
    if approved_since is not None:
        query = query.where(Timesheet.approved_at >= day_bounds(approved_since, None)[0])
    return list(session.scalars(_in_period(query, start, end)))


def _in_period(query, start: date | None, end: date | None):
    return within_days(query, Timesheet.start, start, end)


def approved_in_period(session: Session, start: date, end: date, employer_id: int | None = None):
    """(Timesheet, Assignment, Shift, Worker, Employer) rows of approved hours starting in [start, end]."""
    query = (select(Timesheet, Assignment, Shift, Worker, Employer)
             .join(Assignment, Timesheet.assignment_id == Assignment.id)
             .join(Shift, Assignment.shift_id == Shift.id)
             .join(Worker, Assignment.worker_id == Worker.id)
             .join(Employer, Shift.employer_id == Employer.id)
             .where(Timesheet.status == "approved",
                    or_(Assignment.status == "confirmed", Timesheet.kind == "cancelled_call"))
             .order_by(Timesheet.start, Worker.name, Assignment.id))
    if employer_id is not None:
        query = query.where(Shift.employer_id == employer_id)
    return list(session.execute(_in_period(query, start, end)))


def approved_hours(session: Session, assignment_ids) -> dict[int, str]:
    """Of these assignments, those whose hours are approved, each with why it must stay: the
    approval, and the final invoice the hours are on, if any."""
    ids = list(assignment_ids)
    if not ids:
        return {}
    sheets = session.scalars(select(Timesheet).where(Timesheet.assignment_id.in_(ids),
                                                     Timesheet.status == "approved"))
    reasons = {s.assignment_id: f"its hours are approved (timesheet {s.id})" for s in sheets}
    for assignment_id, number in final_invoices(session, reasons).items():
        reasons[assignment_id] += f" and invoiced on {number}"
    return reasons


def worked_hours(sheet: Timesheet) -> Decimal:
    """Hours worked, rounded up to 0.01 h as the pay lines round them (contracts/pay.py: never
    less than the time worked), so the hours approved are the hours paid and invoiced."""
    seconds = Decimal(int((sheet.end - sheet.start).total_seconds())) - sheet.break_minutes * 60
    return (seconds / 3600).quantize(Decimal("0.01"), ROUND_CEILING)


def worked_hours_between(sheet: Timesheet, lo: datetime, hi: datetime) -> Decimal:
    """Hours of `sheet` worked in [lo, hi), the break in the middle of the shift as the pay lines
    place it (contracts/cao/segments.py), rounded as `worked_hours`; all of them when it lies inside."""
    if lo <= sheet.start and sheet.end <= hi:
        return worked_hours(sheet)
    pause_start, pause_end = break_interval(sheet.start, sheet.end, sheet.break_minutes)
    seconds = _seconds_within(sheet.start, sheet.end, lo, hi) - _seconds_within(pause_start, pause_end, lo, hi)
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01"), ROUND_CEILING)


def _seconds_within(start: datetime, end: datetime, lo: datetime, hi: datetime) -> int:
    return max(int((min(end, hi) - max(start, lo)).total_seconds()), 0)


# ---- pay for one timesheet (the invoice and the payroll statement both use this) ----

@dataclass
class TimesheetPay:
    cao_code: str
    scale: str | None
    result: object  # contracts.pay.PayResult
    note: str | None
    waiting_on: list[int]  # earlier assignments without approved hours: until they are, this pay is not final
    not_worked: list[int] = field(default_factory=list)  # earlier ones without any hours, counted as not worked


def _hours_before(session: Session, sheet: Timesheet, assignment: Assignment, shift: Shift,
                  absences, earlier: "EarlierCalls | None" = None,
                  now: datetime | None = None) -> tuple[Decimal, Decimal, list[int], list[int]]:
    """Approved hours before this timesheet in its week and on its day, the earlier assignments
    of that week still without approved hours that may yet get them, and those counted as not
    worked (the rule is in the module docstring; `absences`: the worker's). `earlier`: the calls
    read beforehand for many timesheets at once (EarlierCalls), else they are read here."""
    now = now or utcnow()
    week_lo = iso_week_start(sheet.start)
    week_hi = iso_week_start(week_lo + timedelta(days=7, hours=12))
    day = sheet.start.astimezone(AMS).date()
    day_lo, day_hi = day_bounds(day, day)
    if earlier is not None and earlier.covers(week_lo, shift):
        rows = earlier.before(assignment, shift, week_lo)
    else:
        rows = session.execute(
            select(Assignment.id, Timesheet, Shift.start, Shift.end).join(Shift, Assignment.shift_id == Shift.id)
            .outerjoin(Timesheet, Timesheet.assignment_id == Assignment.id)
            .where(Assignment.worker_id == assignment.worker_id, Shift.employer_id == shift.employer_id,
                   Assignment.status == "confirmed", Assignment.id != assignment.id,
                   Shift.start >= week_lo - MAX_SHIFT_DISTANCE,
                   or_(Shift.start < shift.start, and_(Shift.start == shift.start, Shift.id < shift.id))))
    week = on_day = Decimal(0)
    waiting, missed = [], []
    for other_id, other, other_start, other_end in rows:
        if other is None and not_worked(other_start, other_end, absences, now):
            missed.append(other_id)
            continue
        if other is None or other.status != "approved":
            waiting.append(other_id)
        else:
            week += worked_hours_between(other, week_lo, week_hi)
            if day_lo <= other.start < day_hi:
                on_day += worked_hours(other)
    return week, on_day, sorted(waiting), sorted(missed)


class EarlierCalls:
    """The confirmed calls (assignment id, timesheet or None) per worker and employer whose shifts
    start in [lo, hi), read in one query: what _hours_before asks for each of many timesheets (a
    month's statement or invoice), which it otherwise reads one timesheet at a time. A timesheet's
    question is answered here only when its whole window lies in [lo, hi) (`covers`)."""

    def __init__(self, session: Session, lo: datetime, hi: datetime, employer_id: int | None = None):
        self.lo, self.hi, self.employer_id = lo, hi, employer_id
        query = (select(Assignment.id, Assignment.worker_id, Shift.employer_id, Shift.start, Shift.id, Timesheet,
                        Shift.end)
                 .join(Shift, Assignment.shift_id == Shift.id)
                 .outerjoin(Timesheet, Timesheet.assignment_id == Assignment.id)
                 .where(Assignment.status == "confirmed", Shift.start >= lo, Shift.start < hi))
        if employer_id is not None:
            query = query.where(Shift.employer_id == employer_id)
        self._calls: dict[tuple[int, int], list] = defaultdict(list)
        for assignment_id, worker_id, employer, start, shift_id, sheet, end in session.execute(query):
            self._calls[worker_id, employer].append((start, shift_id, assignment_id, sheet, end))

    @classmethod
    def for_rows(cls, session: Session, rows, employer_id: int | None = None) -> "EarlierCalls":
        """For these (Timesheet, Assignment, Shift, …) rows: every call their questions reach."""
        if not rows:
            return cls(session, utcnow(), utcnow())
        lo = min(iso_week_start(row[0].start) for row in rows) - MAX_SHIFT_DISTANCE
        hi = max(row[2].start for row in rows) + timedelta(seconds=1)
        return cls(session, lo, hi, employer_id)

    def covers(self, week_lo: datetime, shift: Shift) -> bool:
        return self.lo <= week_lo - MAX_SHIFT_DISTANCE and shift.start < self.hi and \
            self.employer_id in (None, shift.employer_id)

    def before(self, assignment: Assignment, shift: Shift, week_lo: datetime) -> list[tuple]:
        """As _hours_before's query: the worker's confirmed calls at the shift's employer that start
        from week_lo − MAX_SHIFT_DISTANCE and before the shift (at the same start: a lower shift id),
        as (assignment id, timesheet or None, shift start, shift end)."""
        since = week_lo - MAX_SHIFT_DISTANCE
        return [(assignment_id, sheet, start, end) for start, shift_id, assignment_id, sheet, end
                in self._calls.get((assignment.worker_id, shift.employer_id), [])
                if assignment_id != assignment.id and start >= since
                and (start < shift.start or (start == shift.start and shift_id < shift.id))]


def timesheet_pay(session: Session, sheet: Timesheet, assignment: Assignment, shift: Shift, worker: Worker,
                  employer: Employer, earlier: EarlierCalls | None = None) -> TimesheetPay:
    """Pay lines under the applicable CAO (the hirer's, under inlenersbeloning) for approved hours;
    `earlier` as in _hours_before, for many timesheets priced at once."""
    from contracts.pay import preview_pay
    cao, contract, note, own = _applied_cao(sheet.start, assignment, worker, employer)
    scale = _scale(cao, contract if own else None, shift.scale)
    wage = agreed_wage(cao, scale, contract)
    if _overtime_counts_earlier_hours(cao):
        week, on_day, waiting, missed = _hours_before(session, sheet, assignment, shift, worker.absences, earlier)
    else:   # no overtime per day or week: earlier hours cannot change this pay, nothing to wait for
        week, on_day, waiting, missed = Decimal(0), Decimal(0), [], []
    result = preview_pay(cao, scale, worker.birth_date, contract.kind if contract else "on_call",
                         contract.hours_per_week if contract else None, sheet.start, sheet.end, sheet.break_minutes,
                         hourly_wage=wage, worked_before_in_week=week, worked_before_on_day=on_day,
                         fixed_times=_at_fixed_times(contract, sheet.start, sheet.end))
    if sheet.kind == "cancelled_call":
        result = replace(result, lines=[replace(line, description=f"{CANCELLED_CALL_TEXT}: {line.description}")
                                        for line in result.lines])
    return TimesheetPay(cao.code, scale, result, note, waiting, missed)


def agreed_wage(cao, scale: str, contract: Contract | None) -> Decimal | None:
    """The contract's hourly wage where it is above the scale's in this CAO version, else None (the
    scale's wage is paid). The scale's wage in the CAO version of the day is a floor, whichever CAO
    applies: a contract's wage is kept only where it is higher (an agreed wage above the scale; under
    inlenersbeloning the hirer's scale), so a CAO raise after the contract was signed is paid from
    its first day."""
    if contract is not None and contract.hourly_wage and contract.hourly_wage > cao.scale_wage(scale):
        return contract.hourly_wage
    return None


def contract_scale(cao, contract: Contract) -> str:
    """The wage scale of the contract in this version of its own CAO (its lowest when it names none)."""
    return _scale(cao, contract, None)


def shift_pay(worker: Worker, shift: Shift, employer: Employer, lang: str = "nl"):
    """What the shift would pay the worker as planned (its times and break): the PayResult of
    contracts.pay, priced as timesheet_pay prices approved hours (the same CAO, scale and agreed
    wage, the 3-hour rule outside fixed times), but before overtime: hours the worker has besides it
    in its day or week are not counted. None when no CAO version is valid on its day."""
    from contracts.pay import preview_pay
    try:
        cao, contract, _note, own = _applied_cao(shift.start, None, worker, employer)
    except Conflict:
        return None
    scale = _scale(cao, contract if own else None, shift.scale)
    return preview_pay(cao, scale, worker.birth_date, contract.kind if contract else "on_call",
                       contract.hours_per_week if contract else None, shift.start, shift.end, shift.break_minutes,
                       hourly_wage=agreed_wage(cao, scale, contract),
                       fixed_times=_at_fixed_times(contract, shift.start, shift.end), lang=lang)


def _at_fixed_times(contract: Contract | None, start: datetime, end: datetime) -> bool:
    """Whether hours from start to end are worked at the contract's fixed times (its base pattern);
    outside them they are a call (art. 7:628a BW), as the compliance check reads them (contracts/pay.py)."""
    return contract is not None and within_fixed_times(fixed_times_of(contract.base_pattern), start, end)


def _applied_cao(start: datetime, assignment: Assignment | None, worker: Worker, employer: Employer):
    """(CAO version, contract or None, note, whether it is the contract's own CAO) that prices hours
    starting at `start` (of `assignment`, if any): the worker's contract with the employer (or the
    pool) on the day (the Amsterdam day the hours start), the hirer's CAO (the employer's CAO of that
    day, Employer.cao_on) where inlenersbeloning says so; without a contract the hirer's. 409
    `cao_not_in_force` (_cao_on)."""
    from contracts.cao import applicable_cao
    day = start.astimezone(AMS).date()
    hirer = _cao_on(employer.cao_on(day), day, assignment, worker, f"of employer {employer.name} ({employer.id})")
    contract = contract_on(worker.contracts, employer.id, day)
    if contract is None:
        return hirer, None, "Geen contract gevonden: cao van de inlener en oproepcontract aangenomen.", False
    own_cao = _cao_on(contract.cao_code, day, assignment, worker, f"of the worker's contract {contract.id}")
    applied = applicable_cao(own_cao, hirer)
    return applied.cao, contract, applied.note, applied.cao.code == contract.cao_code


def _overtime_counts_earlier_hours(cao) -> bool:
    """Whether the CAO's overtime counts hours per day or week, so that earlier hours change the pay."""
    return any(rule.trigger in ("day", "week") for rule in cao.overtime)


def _cao_on(code: str, day: date, assignment: Assignment | None, worker: Worker, whose: str):
    """The CAO version valid on the work day. None valid (the day lies before its first version, or
    the code is gone from the catalogue): the request is fine but these hours cannot be priced → 409
    naming the CAO and the date."""
    try:
        return get_cao(code, day)
    except NotFound as exc:
        versions = catalogue().versions(code) if code in catalogue() else []
        since = f" (its first version starts {versions[0].valid_from.isoformat()})" if versions else ""
        hours = f"the hours of assignment {assignment.id}" if assignment is not None else "the hours"
        raise Conflict(f"{hours} ({worker.name}, {day.isoformat()}) cannot be priced: "
                       f"CAO {code!r} {whose} has no version valid on {day.isoformat()}{since}",
                       ["cao_not_in_force"]) from exc


def _scale(cao, contract: Contract | None, shift_scale: str | None) -> str:
    for candidate in (contract.scale if contract else None, shift_scale):
        if candidate and candidate in cao.wage_scales:
            return candidate
    return cao.lowest_scale()
