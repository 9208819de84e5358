"""Worked hours per assignment: registered by the worker or the employer, approved by the employer.

Approved timesheets are what invoices and the payroll statement are made of; once approved they
never change (409). `timesheet_pay` is the one place that turns a timesheet into pay lines, so the
invoice and the payroll statement always agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS
from banenpool.db import utcnow
from banenpool.errors import Conflict, Forbidden, InvalidInput, NotFound
from banenpool.models import Assignment, Contract, Employer, Shift, Timesheet, Worker
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.caos import get_cao
from banenpool.services.registry import contract_on
from banenpool.services.shifts import day_bounds, within_days

MAX_TIMESHEET_HOURS = 24
MAX_SHIFT_DISTANCE = timedelta(hours=12)  # a timesheet starts within 12 h of the planned start
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
    session.flush()
    audit.record(session, who, "update", "timesheet", sheet.id,
                 {"start": start, "end": end, "break_minutes": pause})
    return sheet


def approve(session: Session, who: Principal, assignment_id: int) -> Timesheet:
    """The employer (own site) or the intermediary approves: the hours become billable."""
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
    session.flush()
    audit.record(session, who, "approve", "timesheet", sheet.id, {"status": ["submitted", "approved"]})
    return sheet


def get_timesheet(session: Session, who: Principal, assignment_id: int) -> Timesheet:
    _assignment(session, who, assignment_id)
    sheet = _timesheet_of(session, assignment_id)
    if sheet is None:
        raise NotFound(f"no hours are registered for assignment {assignment_id}")
    return sheet


def list_timesheets(session: Session, who: Principal, status: str | None = None, employer_id: int | None = None,
                    start: date | None = None, end: date | None = None) -> list[Timesheet]:
    """Scoped list (employer: its sites; worker: own), ordered by start."""
    query = (select(Timesheet).join(Assignment, Timesheet.assignment_id == Assignment.id)
             .join(Shift, Assignment.shift_id == Shift.id).order_by(Timesheet.start, Timesheet.id))
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
             .where(Timesheet.status == "approved", Assignment.status == "confirmed")
             .order_by(Timesheet.start, Worker.name, Assignment.id))
    if employer_id is not None:
        query = query.where(Shift.employer_id == employer_id)
    return list(session.execute(_in_period(query, start, end)))


def worked_hours(sheet: Timesheet) -> Decimal:
    seconds = Decimal(int((sheet.end - sheet.start).total_seconds())) - sheet.break_minutes * 60
    return (seconds / 3600).quantize(Decimal("0.01"))


# ---- pay for one timesheet (the invoice and the payroll statement both use this) ----

@dataclass
class TimesheetPay:
    cao_code: str
    scale: str | None
    result: object  # contracts.pay.PayResult
    note: str | None


def _week_hours_before(session: Session, sheet: Timesheet, worker_id: int, employer_id: int) -> tuple[Decimal, Decimal]:
    """Approved hours for the same employer earlier in the same week (Mon–Sun) and on the same day."""
    local = sheet.start.astimezone(AMS)
    monday = local.date() - timedelta(days=local.weekday())
    lo, _ = day_bounds(monday, None)
    day_lo, _ = day_bounds(local.date(), None)
    earlier = session.scalars(
        select(Timesheet).join(Assignment, Timesheet.assignment_id == Assignment.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.worker_id == worker_id, Shift.employer_id == employer_id, Assignment.status == "confirmed",
               Timesheet.status == "approved", Timesheet.start >= lo, Timesheet.start < sheet.start))
    week = day = Decimal(0)
    for other in earlier:
        hours = worked_hours(other)
        week += hours
        if other.start >= day_lo:
            day += hours
    return week, day


def timesheet_pay(session: Session, sheet: Timesheet, assignment: Assignment, shift: Shift, worker: Worker,
                  employer: Employer) -> TimesheetPay:
    """Pay lines under the applicable CAO (the hirer's, under inlenersbeloning) for approved hours."""
    from contracts.cao import applicable_cao
    from contracts.pay import preview_pay
    day = sheet.start.astimezone(AMS).date()
    hirer = get_cao(employer.cao_code, day)
    contract = contract_on(worker.contracts, employer.id, day)
    if contract is None:
        cao, note, own = hirer, "Geen contract gevonden: cao van de inlener en oproepcontract aangenomen.", False
    else:
        applied = applicable_cao(get_cao(contract.cao_code, day), hirer)
        cao, note, own = applied.cao, applied.note, applied.cao.code == contract.cao_code
    scale = _scale(cao, contract if own else None, shift.scale)
    wage = contract.hourly_wage if (own and contract is not None) else None
    if contract is not None and not own and contract.hourly_wage and contract.hourly_wage > cao.scale_wage(scale):
        wage = contract.hourly_wage  # inlenersbeloning is a floor: a higher agreed wage stays
    week, on_day = _week_hours_before(session, sheet, worker.id, employer.id)
    result = preview_pay(cao, scale, worker.birth_date, contract.kind if contract else "on_call",
                         contract.hours_per_week if contract else None, sheet.start, sheet.end, sheet.break_minutes,
                         hourly_wage=wage, worked_before_in_week=week, worked_before_on_day=on_day)
    return TimesheetPay(cao.code, scale, result, note)


def _scale(cao, contract: Contract | None, shift_scale: str | None) -> str:
    for candidate in (contract.scale if contract else None, shift_scale):
        if candidate and candidate in cao.wage_scales:
            return candidate
    return cao.lowest_scale()
