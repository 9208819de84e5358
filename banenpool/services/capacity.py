"""Capacity requests: a weekly pattern over a date range becomes concrete shifts."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS, holiday_name, local_datetime
from banenpool.errors import Conflict, Forbidden, InvalidInput, NotFound
from banenpool.db import utcnow
from banenpool.models import CapacityRequest, Employer, Invoice, InvoiceLine, Plan, Shift, Timesheet
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.caos import require_cao, require_scale

MAX_SHIFT = timedelta(hours=12)
MAX_DAYS = 366
# Upper bounds on one request's size (the API also caps the pattern at MAX_PATTERN_LINES lines, the
# employer page at 14). Five shifts a day every day for a year is 1 830 shifts; a larger demand is
# several requests. Without a bound one request of 1 000 lines wrote 52 000 shifts in one transaction.
MAX_PATTERN_LINES = 50
MAX_SHIFTS = 2000
DEFAULT_PRIORITY = 1.0
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _parse_clock(value: str | time) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def shift_times(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """Local start and end of one occurrence; an end at or before the start runs into the next day."""
    end_day = day + timedelta(days=1) if end <= start else day
    return local_datetime(day, start), local_datetime(end_day, end)


def validate_pattern(pattern: list[dict], start_date: date, end_date: date) -> None:
    errors: dict[str, list[str] | dict] = {}
    if end_date < start_date:
        errors["end_date"] = [f"must not be before start_date ({start_date})"]
    elif (end_date - start_date).days >= MAX_DAYS:
        errors["end_date"] = [f"a request spans at most {MAX_DAYS} days"]
    for i, item in enumerate(pattern):
        problems = _pattern_item_errors(item)
        if problems:
            errors.setdefault("pattern", {})[str(i)] = problems
    if not errors:
        problems = _size_errors(pattern, start_date, end_date) or occurrence_errors(pattern, start_date, end_date)
        if problems:
            errors["pattern"] = problems
    if errors:
        raise InvalidInput(errors)


def shift_count(pattern: list[dict], start_date: date, end_date: date) -> int:
    """How many shifts `expand` makes, counted without making them."""
    return sum(_days_on(item["weekday"], start_date, end_date) for item in pattern)


def _days_on(weekday: int, start_date: date, end_date: date) -> int:
    """Days start_date..end_date (inclusive) that fall on `weekday` (0 = Monday)."""
    first = start_date + timedelta(days=(weekday - start_date.weekday()) % 7)
    return 0 if first > end_date else (end_date - first).days // 7 + 1


def _size_errors(pattern: list[dict], start_date: date, end_date: date) -> list[str]:
    """A pattern of more than MAX_PATTERN_LINES lines, or one that makes no shift (its weekdays
    miss the date range: a request that asks for nothing is a mistake) or more than MAX_SHIFTS."""
    if not pattern:
        return ["needs at least one line"]
    if len(pattern) > MAX_PATTERN_LINES:
        return [f"has {len(pattern)} lines; a request has at most {MAX_PATTERN_LINES}"]
    count = shift_count(pattern, start_date, end_date)
    if count == 0:
        days = ", ".join(WEEKDAYS[d] for d in sorted({item["weekday"] for item in pattern}))
        return [f"no day between start_date and end_date falls on its weekdays ({days}; "
                f"{start_date:%Y-%m-%d} is a {WEEKDAYS[start_date.weekday()]}, "
                f"{end_date:%Y-%m-%d} a {WEEKDAYS[end_date.weekday()]})"]
    if count > MAX_SHIFTS:
        return [f"makes {count} shifts; a request makes at most {MAX_SHIFTS}: "
                f"split it into several requests or shorten the date range"]
    return []


def shift_line_errors(item: dict) -> dict[str, list[str]]:
    """What is wrong with one line's times and break (`{weekday, start, end, break_minutes}`), by field."""
    return _pattern_item_errors(item)


def occurrence(day: date, start: time, end: time, break_minutes: int) -> dict:
    """One shift on `day` from `start` to `end` (Amsterdam wall clock; an end at or before the start
    runs into the next day): {start, end, break_minutes, paid_hours, public_holiday}, as `expand` makes them."""
    line = {"weekday": day.weekday(), "start": start, "end": end, "break_minutes": break_minutes, "headcount": 1}
    (occ,) = expand([line], day, day)
    return occ


def _pattern_item_errors(item: dict) -> dict[str, list[str]]:
    start, end = _parse_clock(item["start"]), _parse_clock(item["end"])
    overnight = end <= start
    if overnight and item.get("crosses_midnight") is False:
        return {"end": [f"must be after start ({start:%H:%M}); set crosses_midnight for a night shift"]}
    if not overnight and item.get("crosses_midnight") is True:
        return {"end": [f"must be at or before start ({start:%H:%M}) for a shift that crosses midnight; "
                        "leave crosses_midnight out for a day shift"]}
    if start == end:
        return {"end": ["must differ from start"]}
    # nominal length on an ordinary day; DST nights are 1 h shorter/longer and still allowed up to 12 h
    length = datetime.combine(date(2001, 1, 2 if overnight else 1), end) - datetime.combine(date(2001, 1, 1), start)
    if length > MAX_SHIFT:
        return {"end": [f"a shift of {round(length.total_seconds() / 3600, 2):g} h is longer than 12 hours"]}
    if item.get("break_minutes", 0) >= length.total_seconds() / 60:
        return {"break_minutes": [f"a {item['break_minutes']} min break does not fit in a "
                                  f"{length.total_seconds() / 3600:g} h shift"]}
    return {}


def expand(pattern: list[dict], start_date: date, end_date: date) -> list[dict]:
    """Concrete shifts (aware local datetimes) for every day of the range matching a pattern line."""
    return [occ for _, occ in _occurrences(pattern, start_date, end_date)]


def _occurrences(pattern: list[dict], start_date: date, end_date: date):
    """(index of the pattern line, concrete shift) for every day of the range matching a line."""
    day = start_date
    while day <= end_date:
        for i, item in enumerate(pattern):
            if item["weekday"] != day.weekday():
                continue
            start, end = shift_times(day, _parse_clock(item["start"]), _parse_clock(item["end"]))
            brk = int(item.get("break_minutes", 0))
            elapsed = end.astimezone(timezone.utc) - start.astimezone(timezone.utc)  # real time, not wall clock
            paid = Decimal(elapsed.total_seconds() - brk * 60) / Decimal(3600)
            yield i, {
                "start": start, "end": end, "break_minutes": brk, "headcount": int(item["headcount"]),
                "paid_hours": paid.quantize(Decimal("0.01"), ROUND_HALF_UP),
                "public_holiday": _holiday_of(start, end),
            }
        day += timedelta(days=1)


def occurrence_errors(pattern: list[dict], start_date: date, end_date: date) -> dict[str, dict[str, list[str]]]:
    """Pattern lines that on some day of the range leave no working time after the break.

    `_pattern_item_errors` checks the length on an ordinary day. When the clocks go forward
    (last Sunday of March, 02:00 → 03:00) a shift loses the missing hour: 02:00–03:00 then runs
    03:00–03:00 and lasts 0 h. Such an occurrence is named by the line's `start` when the start
    falls in the missing hour, else by its `end`, with the date. When the clocks go back (last
    Sunday of October) a night gains an hour: 18:00–06:00 then lasts 13 h, longer than any
    worker may work a shift (the planner's W11, the Working Hours Act), so it is named by `end`.
    """
    errors: dict[str, dict[str, list[str]]] = {}
    for i, occ in _occurrences(pattern, start_date, end_date):
        if str(i) in errors:
            continue
        elapsed = occ["end"].astimezone(timezone.utc) - occ["start"].astimezone(timezone.utc)
        if elapsed > MAX_SHIFT:
            errors[str(i)] = {"end": [
                f"on {occ['start']:%Y-%m-%d} this shift runs {occ['start']:%H:%M}–{occ['end']:%H:%M} local time "
                f"({elapsed.total_seconds() / 3600:g} h) because the clocks go back an hour; a shift lasts at "
                "most 12 hours"]}
            continue
        if occ["paid_hours"] > 0:
            continue
        moved = occ["start"].time() != _parse_clock(pattern[i]["start"])  # the wall-clock start does not exist
        hours = occ["paid_hours"] + Decimal(occ["break_minutes"]) / 60
        errors[str(i)] = {"start" if moved else "end": [
            f"on {occ['start']:%Y-%m-%d} this shift runs {occ['start']:%H:%M}–{occ['end']:%H:%M} local time "
            f"({max(hours, Decimal(0)):.2f} h) because the clocks go forward an hour; that is not longer "
            f"than its {occ['break_minutes']} min break"]}
    return errors


def base_pattern_errors(pattern: list[dict], start_date: date,
                        end_date: date | None) -> dict[str, dict[str, list[str]]]:
    """`occurrence_errors` for a contract's base hours over the days the contract runs.

    An open-ended (or long) contract is checked over its first 371 days: clock changes recur
    yearly, and two spring-forward Sundays are at most 53 weeks apart.
    """
    last = start_date + timedelta(days=371)
    lines = [{**line, "headcount": 1} for line in pattern]
    return occurrence_errors(lines, start_date, min(end_date, last) if end_date else last)


def _holiday_of(start: datetime, end: datetime) -> str | None:
    """The Dutch name of a public holiday the shift works on (a night shift may run into one)."""
    local_end = end.astimezone(AMS)
    last_day = local_end.date() if local_end.time() != time(0) else start.date()
    return holiday_name(start.date()) or holiday_name(last_day)


def create_request(session: Session, who: Principal, data: dict) -> CapacityRequest:
    who.require("intermediary", "employer")
    employer_id = data["employer_id"]
    if who.role == "employer" and employer_id != who.employer_id:
        raise InvalidInput({"employer_id": ["an employer can only request capacity for itself"]})
    priority = data.get("priority")
    if priority is None:
        priority = DEFAULT_PRIORITY
    elif who.role == "employer" and priority != DEFAULT_PRIORITY:
        # the planner weighs covered hours by priority across all employers: one employer must not
        # put its requests ahead of the others'
        raise InvalidInput({"priority": [f"only the intermediary sets a request's priority; leave it out "
                                         f"(default {DEFAULT_PRIORITY})"]})
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise InvalidInput({"employer_id": [f"employer {employer_id} does not exist"]})
    validate_pattern(data["pattern"], data["start_date"], data["end_date"])
    cao = require_cao(employer.cao_on(data["start_date"]), "employer_id", on=data["start_date"])
    scale = require_scale(cao, data.get("scale"), "scale")
    request = CapacityRequest(
        employer_id=employer_id, title=data["title"], skills=sorted(set(data.get("skills", []))),
        start_date=data["start_date"], end_date=data["end_date"], scale=scale,
        priority=priority, pattern=[_pattern_json(p) for p in data["pattern"]])
    for occ in expand(data["pattern"], data["start_date"], data["end_date"]):
        request.shifts.append(Shift(employer_id=employer_id, skills=request.skills, scale=scale,
                                    priority=request.priority, **occ))
    session.add(request)
    session.flush()
    audit.record(session, who, "create", "capacity_request", request.id,
                 {"title": request.title, "shift_count": len(request.shifts)})
    return request


def _pattern_json(item: dict) -> dict:
    return {**item, "start": _parse_clock(item["start"]).strftime("%H:%M"),
            "end": _parse_clock(item["end"]).strftime("%H:%M")}


def _scoped(query, who: Principal, column):
    if who.is_intermediary:
        return query
    if who.role == "employer":
        return query.where(column == who.employer_id)
    raise Forbidden("workers do not see capacity requests")


def list_requests(session: Session, who: Principal) -> list[CapacityRequest]:
    query = _scoped(select(CapacityRequest).order_by(CapacityRequest.id), who, CapacityRequest.employer_id)
    return list(session.scalars(query))


def get_request(session: Session, who: Principal, request_id: int) -> CapacityRequest:
    request = session.get(CapacityRequest, request_id)
    if request is None or not who.may_see_employer(request.employer_id):
        raise NotFound(f"capacity request {request_id} not found")
    return request


def delete_request(session: Session, who: Principal, request_id: int) -> None:
    """Delete a request with its shifts, and the proposed and cancelled assignments on them.

    Confirmed assignments (workers are scheduled), approved hours, and hours on an issued invoice or
    credit note (even credited and reopened since: the documents name the assignment) keep the
    request (409). A queued or running plan that includes these shifts could only store
    proposals on shifts that no longer exist, so it is marked failed with the reason; a done plan
    keeps its other proposals and can no longer be published (its planning data changed).
    """
    request = get_request(session, who, request_id)
    assignments = [a for shift in request.shifts for a in shift.assignments]
    ids = [a.id for a in assignments]
    worked = sorted(set(session.scalars(select(Timesheet.assignment_id).where(
        Timesheet.assignment_id.in_(ids), Timesheet.status == "approved"))) | set(session.scalars(
            select(InvoiceLine.assignment_id).join(Invoice, InvoiceLine.invoice_id == Invoice.id)
            .where(InvoiceLine.assignment_id.in_(ids), Invoice.status != "draft"))))
    if worked:      # first: worked assignments cannot be cancelled, so "cancel them first" would not help
        raise Conflict(f"hours are approved or were invoiced for assignments {', '.join(map(str, worked))} on this "
                       "request's shifts; worked and invoiced hours are kept, so the request cannot be deleted")
    staffed = [a for a in assignments if a.status == "confirmed"]
    if staffed:
        raise Conflict(f"{len(staffed)} confirmed assignments exist on this request's shifts; "
                       "cancel them first")
    _fail_plans_with(session, request)
    for assignment in assignments:
        session.delete(assignment)
    audit.record(session, who, "delete", "capacity_request", request.id, {"title": request.title})
    session.delete(request)


def _fail_plans_with(session: Session, request: CapacityRequest) -> None:
    """Mark queued and running plans over the request's shifts failed, in the caller's transaction.

    A conditional UPDATE, so a plan that a job has just finished (done) is left as it is.
    """
    shift_ids = {str(shift.id) for shift in request.shifts}
    if not shift_ids:
        return
    pending = session.execute(select(Plan.id, Plan.instance).where(Plan.status.in_(("queued", "running"))))
    hit = [plan_id for plan_id, instance in pending if shift_ids & {s["id"] for s in instance["shifts"]}]
    if hit:
        session.execute(
            update(Plan).where(Plan.id.in_(hit), Plan.status.in_(("queued", "running")))
            .values(status="failed", message="failed", finished_at=utcnow(),
                    error=f"capacity request {request.id} was deleted: its shifts are gone; make a new plan")
            .execution_options(synchronize_session=False))
