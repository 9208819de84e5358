"""Reading shifts, scoped to who is asking."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS, local_datetime
from banenpool.db import utcnow, write_lock_on_sqlite
from banenpool.errors import Conflict, Forbidden, InvalidInput, NotFound
from banenpool.models import Assignment, Shift
from banenpool.principal import Principal
from banenpool.services import audit


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start 00:00, end+1 00:00) in Amsterdam time; `end` is inclusive."""
    lo = local_datetime(start, time(0)) if start else None
    hi = local_datetime(end + timedelta(days=1), time(0)) if end else None
    return lo, hi


def within_days(query, column, start: date | None, end: date | None):
    """Rows whose `column` (an instant) falls on the Amsterdam days start..end (inclusive)."""
    lo, hi = day_bounds(start, end)
    if lo:
        query = query.where(column >= lo)
    if hi:
        query = query.where(column < hi)
    return query


def check_day_range(start: date | None, end: date | None) -> None:
    """The `from` and `to` query parameters of a list or check (both inclusive): `to` before
    `from` is a mistake to report (422 on `to`), not a range with nothing in it."""
    if start and end and end < start:
        raise InvalidInput({"to": ["must not be before from"]}, location="query")


def list_shifts(session: Session, who: Principal, start: date | None = None, end: date | None = None,
                employer_id: int | None = None, include_cancelled: bool = False) -> list[tuple[Shift, int]]:
    """Shifts with their number of confirmed workers, ordered by start; `end` before `start` is 422.
    Cancelled shifts (called off, see assignments.cancel_shift) only with `include_cancelled`."""
    check_day_range(start, end)
    filled = (select(func.count(Assignment.id))
              .where(Assignment.shift_id == Shift.id, Assignment.status == "confirmed")
              .correlate(Shift).scalar_subquery())
    query = within_days(select(Shift, filled).order_by(Shift.start, Shift.id), Shift.start, start, end)
    if not include_cancelled:
        query = query.where(Shift.cancelled_at.is_(None))
    if employer_id is not None:
        query = query.where(Shift.employer_id == employer_id)
    return [(shift, count) for shift, count in session.execute(_in_scope(query, who))]


def next_shift_day(session: Session, who: Principal, after: date) -> date | None:
    """The Amsterdam day of the first shift `who` may see (as list_shifts) that starts on or
    after `after`, or None: where a page showing an empty week can point to."""
    query = within_days(select(Shift.start).where(Shift.cancelled_at.is_(None)).order_by(Shift.start).limit(1),
                        Shift.start, after, None)
    first = session.scalar(_in_scope(query, who))
    return None if first is None else first.astimezone(AMS).date()


def _in_scope(query, who: Principal):
    """`query` on Shift limited to what `who` may see: an employer its own shifts, a worker the
    shifts they are (or were) assigned to, the intermediary all."""
    if who.role == "employer":
        return query.where(Shift.employer_id == who.employer_id)
    if who.role == "worker":
        return query.where(exists().where(and_(Assignment.shift_id == Shift.id,
                                               Assignment.worker_id == who.worker_id,
                                               Assignment.status != "proposed")))
    if not who.is_intermediary:
        raise Forbidden("not allowed")
    return query


def lock_shifts(session: Session, shift_ids) -> None:
    """Lock these shifts for the transaction, in id order in one SELECT … FOR UPDATE (SQLite: the
    database's write lock, write_lock_on_sqlite). A request that changes the calls of several shifts
    at once (a plan's publishing, an absent worker's release) locks them so: two such requests wait for
    each other instead of deadlocking, and the one that comes second reads the first's calls."""
    ids = sorted(set(shift_ids))
    if ids:
        write_lock_on_sqlite(session, Shift, ids[0])
        session.scalars(select(Shift.id).where(Shift.id.in_(ids)).order_by(Shift.id).with_for_update()).all()


def coming_shift(session: Session, who: Principal, shift_id: int) -> Shift:
    """A shift the employer of its site (or the pool) changes, locked for the transaction (manual
    assignments take turns on the shift too): 404 when it is not theirs, 409 `shift_cancelled` once
    called off, 409 `shift_begun` once begun."""
    write_lock_on_sqlite(session, Shift, shift_id)
    shift = session.get(Shift, shift_id, with_for_update=True)
    if shift is None or not who.may_see_employer(shift.employer_id):
        raise NotFound(f"shift {shift_id} does not exist")
    if shift.cancelled_at is not None:
        raise Conflict(f"shift {shift_id} is cancelled", ["shift_cancelled"])
    if shift.start <= utcnow():
        raise Conflict(f"shift {shift_id} has begun; it no longer changes", ["shift_begun"])
    return shift


MAX_HEADCOUNT = 500   # as a capacity request's pattern line allows


def set_headcount(session: Session, who: Principal, shift_id: int, headcount: int) -> tuple[Shift, int]:
    """How many workers a shift that has not begun needs now (the employer of the site, or the pool);
    (shift, confirmed workers). Refused (409 `below_assigned`) below the workers already confirmed on
    it: the pool cancels one first (whose call may then be owed), and (409 `shift_begun`) once it began.
    A plan made before the change can no longer be published (its data changed)."""
    who.require("employer", "intermediary")
    if not 1 <= headcount <= MAX_HEADCOUNT:
        raise InvalidInput({"headcount": [f"must be from 1 to {MAX_HEADCOUNT}"]})
    shift = coming_shift(session, who, shift_id)
    confirmed = session.scalar(select(func.count(Assignment.id))
                               .where(Assignment.shift_id == shift_id, Assignment.status == "confirmed"))
    if headcount < confirmed:
        raise Conflict(f"shift {shift_id} has {confirmed} confirmed workers; the pool cancels "
                       f"{confirmed - headcount} of them first", ["below_assigned"])
    before, shift.headcount = shift.headcount, headcount
    session.flush()
    audit.record(session, who, "update", "shift", shift.id, {"headcount": [before, headcount]})
    return shift, confirmed
