"""Capacity requests: a weekly pattern over a date range becomes concrete shifts."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS, holiday_name, local_datetime
from banenpool.errors import Conflict, Forbidden, InvalidInput, NotFound
from banenpool.models import CapacityRequest, Employer, Shift
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.caos import require_cao, require_scale

MAX_SHIFT = timedelta(hours=12)
MAX_DAYS = 366


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
    if errors:
        raise InvalidInput(errors)


def _pattern_item_errors(item: dict) -> dict[str, list[str]]:
    start, end = _parse_clock(item["start"]), _parse_clock(item["end"])
    overnight = end <= start
    if overnight and item.get("crosses_midnight") is False:
        return {"end": [f"must be after start ({start:%H:%M}); set crosses_midnight for a night shift"]}
    if start == end:
        return {"end": ["must differ from start"]}
    # nominal length on an ordinary day; DST nights are 1 h shorter/longer and still allowed up to 12 h
    length = datetime.combine(date(2001, 1, 2 if overnight else 1), end) - datetime.combine(date(2001, 1, 1), start)
    if length > MAX_SHIFT:
        return {"end": [f"a shift of {length.total_seconds() / 3600:g} h is longer than 12 hours"]}
    if item.get("break_minutes", 0) >= length.total_seconds() / 60:
        return {"break_minutes": [f"a {item['break_minutes']} min break does not fit in a "
                                  f"{length.total_seconds() / 3600:g} h shift"]}
    return {}


def expand(pattern: list[dict], start_date: date, end_date: date) -> list[dict]:
    """Concrete shifts (aware local datetimes) for every day of the range matching a pattern line."""
    out = []
    day = start_date
    while day <= end_date:
        for item in pattern:
            if item["weekday"] != day.weekday():
                continue
            start, end = shift_times(day, _parse_clock(item["start"]), _parse_clock(item["end"]))
            brk = int(item.get("break_minutes", 0))
            elapsed = end.astimezone(timezone.utc) - start.astimezone(timezone.utc)  # real time, not wall clock
            paid = Decimal(elapsed.total_seconds() - brk * 60) / Decimal(3600)
            out.append({
                "start": start, "end": end, "break_minutes": brk, "headcount": int(item["headcount"]),
                "paid_hours": paid.quantize(Decimal("0.01"), ROUND_HALF_UP),
                "public_holiday": _holiday_of(start, end),
            })
        day += timedelta(days=1)
    return out


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
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise InvalidInput({"employer_id": [f"employer {employer_id} does not exist"]})
    validate_pattern(data["pattern"], data["start_date"], data["end_date"])
    cao = require_cao(employer.cao_code, "employer_id", on=data["start_date"])
    scale = require_scale(cao, data.get("scale"), "scale")
    request = CapacityRequest(
        employer_id=employer_id, title=data["title"], skills=sorted(set(data.get("skills", []))),
        start_date=data["start_date"], end_date=data["end_date"], scale=scale,
        priority=data.get("priority", 1.0), pattern=[_pattern_json(p) for p in data["pattern"]])
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
    request = get_request(session, who, request_id)
    staffed = [a for shift in request.shifts for a in shift.assignments if a.status == "confirmed"]
    if staffed:
        raise Conflict(f"{len(staffed)} confirmed assignments exist on this request's shifts; "
                       "cancel them first")
    audit.record(session, who, "delete", "capacity_request", request.id, {"title": request.title})
    session.delete(request)
