"""Calendar feeds: a secret, revocable subscription URL per worker and per employer, and the
RFC 5545 iCalendar body behind it.

A worker's feed holds one VEVENT per confirmed or cancelled assignment across all employers
(proposals never appear); an employer's feed holds one VEVENT per shift that has (or had)
confirmed workers. The body depends only on the data in the window, never on the clock inside
it: DTSTAMP/LAST-MODIFIED come from `updated_at`, UIDs from ids, and the VTIMEZONE covers a
fixed range of years, so two fetches give the same bytes and the same ETag.

SEQUENCE: an assignment only moves proposed → confirmed → cancelled, and a shift's times change
only by a move (assignments.move_shift, counted in Shift.revision), so an assignment's version is
its status rank (confirmed 0, cancelled 1) plus the shift's revision. A shift's version counts the
staffing changes it has seen (one per confirmation, one more per cancellation) plus its revision.
A worker released by a move keeps the times they were called for (Assignment.start/end).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache

from icalendar import Calendar, Event, Timezone, vDuration, vText
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS
from banenpool.db import utcnow
from banenpool.errors import NotFound
from banenpool.models import Assignment, Employer, Shift, Worker
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.registry import get_employer, get_worker

PAST = timedelta(days=60)
AHEAD = timedelta(days=366)
TTL = timedelta(hours=1)
PRODID = "-//Banenpool//Rooster//NL"
EMPLOYER_PREFIX = "e-"
VISIBLE = ("confirmed", "cancelled")
SEQUENCE = {"confirmed": 0, "cancelled": 1}
TZ_RANGE = (2020, 2040)
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what new_token makes (and the column holds)


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: datetime | None


# --- tokens ----------------------------------------------------------------------------------

def new_token(prefix: str = "") -> str:
    """256 random bits, URL-safe (43 characters) — the only secret behind a feed URL."""
    return prefix + secrets.token_urlsafe(32)


def _issue(session: Session, who: Principal, model, obj, entity: str, prefix: str) -> str:
    """The object's token, made on first use. A conditional UPDATE so that two first requests
    racing each other end up with one token, not two URLs of which one is dead."""
    if obj.calendar_token is None:
        made = session.execute(update(model).where(model.id == obj.id, model.calendar_token.is_(None))
                               .values(calendar_token=new_token(prefix))).rowcount
        session.refresh(obj, ["calendar_token"])
        audit.record(session, who, "issue" if made else "read", entity, obj.id)
    else:
        audit.record(session, who, "read", entity, obj.id)
    return obj.calendar_token


def _rotate(session: Session, who: Principal, obj, entity: str, prefix: str) -> str:
    obj.calendar_token = new_token(prefix)
    session.flush()
    audit.record(session, who, "rotate", entity, obj.id)
    return obj.calendar_token


def worker_token(session: Session, who: Principal, worker_id: int) -> str:
    """The worker's calendar token (intermediary, the worker themself); made on first use."""
    worker = get_worker(session, who, worker_id)
    return _issue(session, who, Worker, worker, "worker_calendar", "")


def rotate_worker_token(session: Session, who: Principal, worker_id: int) -> str:
    """A new token for the worker's calendar; the old URL stops working at once."""
    return _rotate(session, who, get_worker(session, who, worker_id), "worker_calendar", "")


def employer_token(session: Session, who: Principal, employer_id: int) -> str:
    employer = get_employer(session, who, employer_id)
    return _issue(session, who, Employer, employer, "employer_calendar", EMPLOYER_PREFIX)


def rotate_employer_token(session: Session, who: Principal, employer_id: int) -> str:
    return _rotate(session, who, get_employer(session, who, employer_id), "employer_calendar", EMPLOYER_PREFIX)


# --- feeds ---------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _vtimezone(first_year: int, last_year: int) -> Timezone:
    """Europe/Amsterdam as a VTIMEZONE: what `Calendar.add_missing_timezones` builds (from tzdata),
    made once, with one RDATE line per transition instead of one comma-separated list.

    vobject/dateutil read only the first date of an RDATE list and then put every later spring
    transition at the wrong offset; separate RDATE lines (RFC 5545 allows both) read right everywhere.
    The range is fixed (TZ_RANGE unless events lie outside it), not fitted to each feed: clients
    that keep the first VTIMEZONE they saw for a TZID still cover next year's events.
    Each onset is also moved to the local time before the change (see `_onset`).
    Only read by to_ical(), so sharing the component between requests is safe."""
    tz = Timezone.from_tzid("Europe/Amsterdam", first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1))
    for observance in tz.subcomponents:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        observance.DTSTART = _onset(observance.DTSTART, before, after)
        rdates = observance.get("RDATE")
        if rdates is None:
            continue
        moments = [d.dt for group in (rdates if isinstance(rdates, list) else [rdates]) for d in group.dts]
        del observance["RDATE"]
        for moment in moments:
            observance.add("RDATE", _onset(moment, before, after))
    return tz


def _onset(wall: datetime, before: timedelta, after: timedelta) -> datetime:
    """An observance's DTSTART/RDATE as RFC 5545 §3.6.5 reads it: the local time in TZOFFSETFROM.

    icalendar writes the first wall-clock time that has the new offset: right for October (03:00
    CEST), an hour late for March (03:00, where the clocks jump at 02:00 CET). A client that follows
    the RFC then moves the change to 02:00 UTC and shows times 03:00–04:00 that night an hour late."""
    for instant in (wall - before, wall - after):
        moment = instant.replace(tzinfo=timezone.utc)
        if (moment - timedelta(seconds=1)).astimezone(AMS).utcoffset() == before != after \
                and moment.astimezone(AMS).utcoffset() == after:
            return instant + before
    return wall


@dataclass(frozen=True)
class EventData:
    """Everything one VEVENT shows. Hashable: a feed is a pure function of its events, so it is
    rendered once per distinct content (`render` is memoised) and a poll that changes nothing
    costs the query, not the iCalendar serialisation."""

    uid: str
    summary: str
    description: str
    location: str
    geo: tuple[float, float] | None
    start: datetime
    end: datetime
    status: str
    sequence: int
    created: datetime
    modified: datetime


def feed_for_token(session: Session, token: str, now: datetime | None = None) -> Feed:
    """The feed a token opens, for the window 60 days back to a year ahead of `now`; NotFound
    for an unknown or rotated token."""
    now = now or utcnow()
    window = (now - PAST, now + AHEAD)
    if not TOKEN_SHAPE.fullmatch(token):  # not one we issue (a NUL byte even fails in PostgreSQL)
        raise NotFound("unknown calendar")
    worker = session.scalar(select(Worker).where(Worker.calendar_token == token))
    if worker is not None:
        return render(f"Banenpool – {worker.name}", f"worker-{worker.id}@banenpool",
                      tuple(_worker_events(session, worker, window)))
    employer = (session.scalar(select(Employer).where(Employer.calendar_token == token))
                if token.startswith(EMPLOYER_PREFIX) else None)
    if employer is not None:
        return render(f"Banenpool – {employer.name}", f"employer-{employer.id}@banenpool",
                      tuple(_employer_events(session, employer, window)))
    raise NotFound("unknown calendar")


@lru_cache(maxsize=128)
def render(name: str, uid: str, events: tuple[EventData, ...]) -> Feed:
    """The VCALENDAR: its properties, the VTIMEZONE the events refer to, and the events."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("UID", uid)
    cal.add("NAME", vText(name))            # TEXT (RFC 7986): escaped, unlike calendar_name's raw value
    cal.add("X-WR-CALNAME", vText(name))
    cal.add("X-WR-TIMEZONE", "Europe/Amsterdam")
    cal.add("REFRESH-INTERVAL", vDuration(TTL), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(TTL))
    for event in events:
        cal.add_component(_vevent(event))
    if events:
        years = [e.start.year for e in events] + [e.end.year for e in events]
        cal.subcomponents.insert(0, _vtimezone(min(TZ_RANGE[0], min(years)), max(TZ_RANGE[1], max(years) + 1)))
        assert not cal.get_missing_tzids()
    body = cal.to_ical()
    last = max((e.modified for e in events), default=None)
    return Feed(body, hashlib.sha256(body).hexdigest()[:32], last)


def _vevent(e: EventData) -> Event:
    event = Event.new(uid=e.uid, stamp=e.modified, last_modified=e.modified, created=e.created,
                      start=e.start.astimezone(AMS), end=e.end.astimezone(AMS), summary=e.summary,
                      description=e.description, location=e.location, status=e.status, sequence=e.sequence,
                      transparency="TRANSPARENT" if e.status == "CANCELLED" else "OPAQUE")
    if e.geo is not None:
        event.add("GEO", e.geo)
    return event


def _worker_events(session: Session, worker: Worker, window) -> list[EventData]:
    rows = session.execute(
        select(Assignment, Shift, Employer).join(Shift, Assignment.shift_id == Shift.id)
        .join(Employer, Shift.employer_id == Employer.id)
        .where(Assignment.worker_id == worker.id, Assignment.status.in_(VISIBLE),
               func.coalesce(Assignment.called_end, Shift.end) > window[0],
               func.coalesce(Assignment.called_start, Shift.start) < window[1])
        .order_by(func.coalesce(Assignment.called_start, Shift.start), Assignment.id)).all()
    events = []
    for assignment, shift, employer in rows:
        cancelled = assignment.status == "cancelled"
        summary = employer.name + (f" ({', '.join(shift.skills)})" if shift.skills else "")
        events.append(_event_data(
            uid=f"assignment-{assignment.id}@banenpool", shift=shift, employer=employer,
            summary=(("Geweigerd: " if assignment.declined_at else "Geannuleerd: ") if cancelled else "") + summary,
            lines=_called_off(shift) + ([f"Dienst verplaatst naar {shift.start.astimezone(AMS):%d-%m-%Y %H:%M}"]
                                        if assignment.called_start else []),
            status=assignment.status.upper(),
            sequence=SEQUENCE[assignment.status] + shift.revision,
            created=assignment.created_at, modified=assignment.updated_at, times=(assignment.start, assignment.end)))
    return events


def _employer_events(session: Session, employer: Employer, window) -> list[EventData]:
    rows = session.execute(
        select(Shift, Assignment, Worker.name).join(Assignment, Assignment.shift_id == Shift.id)
        .join(Worker, Assignment.worker_id == Worker.id)
        .where(Shift.employer_id == employer.id, Assignment.status.in_(VISIBLE),
               Shift.end > window[0], Shift.start < window[1])
        .order_by(Shift.start, Shift.id, Worker.name, Assignment.id)).all()
    by_shift: dict[int, tuple[Shift, list[tuple[Assignment, str]]]] = {}
    for shift, assignment, name in rows:
        by_shift.setdefault(shift.id, (shift, []))[1].append((assignment, name))
    events = []
    for shift, staff in by_shift.values():
        names = [name for a, name in staff if a.status == "confirmed"]
        changes = sum(SEQUENCE[a.status] + 1 for a, _ in staff) - 1 + shift.revision
        summary = f"{len(names)}/{shift.headcount} bezet" + (f" ({', '.join(shift.skills)})" if shift.skills else "")
        events.append(_event_data(
            uid=f"shift-{shift.id}@banenpool", shift=shift, employer=employer,
            summary=f"Geannuleerd: {summary}" if shift.cancelled_at else summary,
            lines=[f"Ingepland: {', '.join(names) if names else 'niemand'}"] + _called_off(shift),
            status="CANCELLED" if shift.cancelled_at else ("CONFIRMED" if names else "TENTATIVE"), sequence=changes,
            created=min(a.created_at for a, _ in staff), modified=max(a.updated_at for a, _ in staff)))
    return events


def _called_off(shift: Shift) -> list[str]:
    """The line saying the employer (or the pool) called the whole shift off, with the reason."""
    if shift.cancelled_at is None:
        return []
    return ["Dienst vervallen" + (f": {shift.cancel_reason}" if shift.cancel_reason else "")]


def _event_data(*, uid: str, shift: Shift, employer: Employer, summary: str, lines: list[str], status: str,
                sequence: int, created: datetime, modified: datetime,
                times: tuple[datetime, datetime] | None = None) -> EventData:
    if times is None or times == (shift.start, shift.end):    # the shift's own break and hours
        lines = lines + [f"Pauze: {shift.break_minutes} min", f"Betaalde uren: {_hours(shift.paid_hours)}"]
        if shift.public_holiday:
            lines.append(f"Feestdag: {shift.public_holiday}")
    geo = (employer.lat, employer.lon) if employer.lat is not None and employer.lon is not None else None
    return EventData(uid=uid, summary=summary, description="\n".join(lines), location=_address(employer), geo=geo,
                     start=(times or (shift.start, shift.end))[0], end=(times or (shift.start, shift.end))[1],
                     status=status, sequence=sequence,
                     created=created.replace(microsecond=0),  # iCalendar times have whole seconds
                     modified=modified.replace(microsecond=0))


def _address(employer: Employer) -> str | None:
    place = " ".join(p for p in (employer.postcode, employer.city) if p)
    parts = [p for p in (employer.street, place) if p]
    return ", ".join([employer.name, *parts]) if parts else employer.name


def _hours(value: Decimal) -> str:
    return f"{Decimal(value):.2f}".replace(".", ",")
